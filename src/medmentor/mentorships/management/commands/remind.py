"""``medmentor remind``: enqueue the reminders and closures that are due.

Run it every few minutes from cron (``*/15 * * * * medmentor remind``) or a systemd
timer. What it sends is recorded, so a second run sends nothing twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from medmentor.mentorships.services.reminders import reminders_run


class Command(BaseCommand):
    help = "Enqueue due reminders (meetings, check-ins, goals, unread messages) and closures."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_run()
        summary = (
            ", ".join(f"{kind}: {n}" for kind, n in sorted(sent.items()) if n) or "nothing due"
        )
        self.stdout.write(summary)
