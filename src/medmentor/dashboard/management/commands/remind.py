"""``medmentor remind``: enqueue the reminders and closures that are due.

``medmentor worker`` runs the same (``dashboard.services.remind_due``) every 15 minutes
(medmentor.core.scheduler); with SCHEDULER=false, run this from cron
(``*/15 * * * * medmentor remind``) or a systemd timer instead. What it sends is
recorded, so a second run sends nothing twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from medmentor.dashboard.services import remind_due


class Command(BaseCommand):
    help = (
        "Enqueue due reminders (meetings, office hours, check-ins, goals, unread messages) "
        "and closures; make the office-hours slots that come into reach; "
        "move unanswered direct requests on."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(remind_due())
