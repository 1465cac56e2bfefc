"""Delete directory submissions whose confirmation link expired unused (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from medmentor.directory.services import submissions_purge_unconfirmed


class Command(BaseCommand):
    help = "Delete submissions to the program directory that were never confirmed in time."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = submissions_purge_unconfirmed()
        self.stdout.write(f"Deleted {deleted} unconfirmed submission(s).")
