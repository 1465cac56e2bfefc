"""Check-ins at the program's schedule, and the wellness safety net."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.mentorships.access import MentorshipAccess
from medmentor.mentorships.models import CheckIn, EventKind, Mentorship, MentorshipMilestone
from medmentor.mentorships.models.mentorship import LIVE_STATUSES
from medmentor.mentorships.services.common import (
    activity_touch,
    event_add,
    notify,
    require_writer,
)
from medmentor.programs.models import MilestoneKind
from medmentor.programs.selectors import coordinators_of

DEFAULT_FIRST_DAYS, DEFAULT_EVERY_DAYS = 30, 60
NOTE_LIMIT = 2_000


def checkin_due_dates(mentorship: Mentorship, until: date) -> list[date]:
    """The schedule up to ``until``: N days after the start, then every M days."""
    program = mentorship.program
    first = program.checkin_first_days if program else DEFAULT_FIRST_DAYS
    every = program.checkin_every_days if program else DEFAULT_EVERY_DAYS
    due, dates = mentorship.started_on + timedelta(days=first), []
    while due <= min(until, mentorship.planned_end_on):
        dates.append(due)
        due += timedelta(days=every)
    return dates


@transaction.atomic
def checkins_open_due(*, today: date) -> list[CheckIn]:
    """Create the check-ins that have come due for every live mentorship (idempotent).

    The schedule asks each side for one check-in per period (from one due date to the
    next): a check-in already made in the period, at the schedule's date or any time
    before it (``checkin_start``), answers for it, so checking in early never gives a
    second one to answer. Numbers count each side's check-ins in order.
    """
    created = []
    for mentorship in Mentorship.objects.filter(status__in=LIVE_STATUSES).select_related(
        "program", "mentor", "mentee"
    ):
        due_dates = checkin_due_dates(mentorship, today)
        if not due_dates:
            continue
        for person in mentorship.people():
            made = list(
                CheckIn.objects.filter(mentorship=mentorship, user=person).values_list(
                    "number", "due_on"
                )
            )
            last_number = max((number for number, _due in made), default=0)
            period_start = mentorship.started_on
            for due_on in due_dates:
                if not any(period_start <= made_on <= due_on for _n, made_on in made):
                    last_number += 1
                    created.append(
                        CheckIn.objects.create(
                            mentorship=mentorship, user=person, number=last_number, due_on=due_on
                        )
                    )
                period_start = due_on + timedelta(days=1)
    return created


@transaction.atomic
def checkin_start(*, access: MentorshipAccess, **answers: Any) -> CheckIn:
    """Check in now, without waiting for the schedule.

    An open check-in of the caller's is answered rather than a second one made; else a new
    one, due today, takes the next number (and counts for the period it falls in, see
    ``checkins_open_due``). Bad answers roll the new one back with them.
    """
    require_writer(access)
    # The pair's row lock keeps two clicks from taking the same number.
    Mentorship.objects.select_for_update().filter(pk=access.mentorship.pk).first()
    checkin = (
        CheckIn.objects.filter(
            mentorship=access.mentorship, user=access.user, submitted_at__isnull=True
        )
        .order_by("due_on", "number")
        .first()
    )
    if checkin is None:
        last = (
            CheckIn.objects.filter(mentorship=access.mentorship, user=access.user)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        checkin = CheckIn.objects.create(
            mentorship=access.mentorship,
            user=access.user,
            number=(last or 0) + 1,
            due_on=timezone.localdate(),
        )
    return checkin_submit(access=access, checkin=checkin, **answers)


@transaction.atomic
def checkin_submit(
    *,
    access: MentorshipAccess,
    checkin: CheckIn,
    score: int | None,
    meetings_held: int | None,
    note_for_coordinator: str = "",
    shared_with_coordinator: bool = False,
    wants_support: bool = False,
    alert_consent: bool = False,
) -> CheckIn:
    """Answer a check-in. Asking for support alerts the coordinator only with consent."""
    require_writer(access)
    if checkin.user_id != access.user.pk or checkin.mentorship_id != access.mentorship.pk:
        raise PermissionDenied
    errors: dict[str, str] = {}
    if checkin.is_answered:
        errors["__all__"] = _("You have already answered this check-in.")
    if score is None or not 1 <= score <= 5:
        errors["score"] = _("Choose from 1 to 5.")
    if meetings_held is None or not 0 <= meetings_held <= 100:
        errors["meetings_held"] = _("Give the number of meetings (0 or more).")
    if len(note_for_coordinator) > NOTE_LIMIT:
        errors["note_for_coordinator"] = _("Keep this under %(n)s characters.") % {"n": NOTE_LIMIT}
    if errors:
        raise ValidationError(errors)
    checkin.score = score
    checkin.meetings_held = meetings_held
    checkin.note_for_coordinator = note_for_coordinator.strip()
    checkin.shared_with_coordinator = shared_with_coordinator
    checkin.wants_support = wants_support
    checkin.alert_consent = wants_support and alert_consent
    checkin.submitted_at = timezone.now()
    program = access.mentorship.program
    if checkin.alert_consent and program is not None:
        checkin.coordinator_alerted_at = timezone.now()
        notify(
            recipients=coordinators_of(program),
            kind="support_requested",
            mentorship=access.mentorship,
            url=_oversight_url(access.mentorship),
            context={"person": access.user},
        )
    checkin.save()
    event_add(mentorship=access.mentorship, kind=EventKind.CHECK_IN, actor=access.user)
    milestone = (
        MentorshipMilestone.objects.filter(
            mentorship=access.mentorship, kind=MilestoneKind.CHECK_IN, done_at__isnull=True
        )
        .order_by("due_on")
        .first()
    )
    if (
        milestone
        and not CheckIn.objects.filter(
            mentorship=access.mentorship, number=checkin.number, submitted_at__isnull=True
        ).exists()
    ):
        milestone.done_at = timezone.now()
        milestone.save(update_fields=["done_at"])
    activity_touch(access.mentorship)
    return checkin


def _oversight_url(mentorship: Mentorship) -> str:
    return reverse("mentorships:oversight", args=[mentorship.uuid])
