"""``medmentor rotate-notes-key``: re-encrypt notes and messages with the first key.

Put the new key first in ``NOTES_ENCRYPTION_KEY`` (keep the old one after it), run
this, then remove the old key.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from medmentor.mentorships.services.keys import notes_key_rotate


class Command(BaseCommand):
    help = "Re-encrypt every note, message and check-in note with the first configured key."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"re-encrypted: {notes_key_rotate()}")
