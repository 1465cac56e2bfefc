"""What comes due across the apps, sent by ``medmentor remind`` and the workers' scheduler."""

from __future__ import annotations

from django.utils import timezone

from medmentor.accounts.services import data_exports_purge
from medmentor.matchrounds.services.execute import rounds_fail_lost
from medmentor.mentorships.services.reminders import reminders_run
from medmentor.officehours.services.due import office_hours_due
from medmentor.requests.services import requests_cascade_due
from medmentor.surveys.services.sending import surveys_due


def remind_due() -> str:
    """Everything that has come due, once; returns a summary of what went."""
    sent = reminders_run()
    # Office hours: slots made as the booking horizon moves on; reminders the day before.
    sent.update(office_hours_due(now=timezone.now()))
    # Direct requests left unanswered past the program's days move to the next mentor.
    sent["requests moved on"] = requests_cascade_due(now=timezone.now())
    # Exports of personal data are kept for download for a few days only.
    sent["exports emptied"] = data_exports_purge(now=timezone.now())
    # Coordinators' surveys: scheduled days, triggers after a start or a closure, reminders.
    sent["survey invitations and reminders"] = surveys_due(now=timezone.now())
    # Match rounds whose run was lost say so, and their program may run another.
    sent["match rounds lost"] = rounds_fail_lost(now=timezone.now())
    return ", ".join(f"{kind}: {n}" for kind, n in sorted(sent.items()) if n) or "nothing due"
