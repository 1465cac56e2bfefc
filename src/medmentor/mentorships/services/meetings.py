"""Meetings: schedule, move, cancel (each side gets the invitation), log and rate."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.mentorships.access import MentorshipAccess
from medmentor.mentorships.ics import CANCEL, REQUEST
from medmentor.mentorships.models import (
    EventKind,
    Meeting,
    MeetingRating,
    MeetingStatus,
    Mentorship,
    MentorshipMilestone,
    Modality,
)
from medmentor.mentorships.models.work import TEXT_LIMIT
from medmentor.mentorships.services.common import (
    activity_touch,
    event_add,
    require_writer,
)
from medmentor.mentorships.tasks import send_meeting_invitation
from medmentor.programs.models import MilestoneKind

PLAN_FIELDS = ("starts_at", "duration_minutes", "modality", "place", "agenda")


def meeting_plan_errors(values: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    starts_at = values.get("starts_at")
    if not isinstance(starts_at, datetime):
        errors["starts_at"] = _("Give the date and time of the meeting.")
    elif starts_at <= timezone.now():
        errors["starts_at"] = _("A meeting cannot be scheduled in the past.")
    duration = values.get("duration_minutes") or 0
    if not 5 <= duration <= 600:
        errors["duration_minutes"] = _("A meeting lasts between 5 minutes and 10 hours.")
    if values.get("modality") not in Modality.values:
        errors["modality"] = _("Choose how you will meet.")
    if len(values.get("place") or "") > 500:
        errors["place"] = _("Keep this under 500 characters.")
    if len(values.get("agenda") or "") > TEXT_LIMIT:
        errors["agenda"] = _("Keep the agenda under %(n)s characters.") % {"n": TEXT_LIMIT}
    return errors


def _send_invitations(meeting: Meeting, method: str) -> None:
    for person in meeting.mentorship.people():
        # partial binds this person now (a lambda would see the loop's last one).
        transaction.on_commit(
            partial(send_meeting_invitation.enqueue, meeting.pk, person.pk, method)
        )


@transaction.atomic
def meeting_schedule(*, access: MentorshipAccess, **values: Any) -> Meeting:
    require_writer(access)
    errors = meeting_plan_errors(values)
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(
        mentorship=access.mentorship,
        organizer=access.user,
        created_at=timezone.now(),
        **{name: values.get(name) or "" for name in ("modality", "place", "agenda")},
        starts_at=values["starts_at"],
        duration_minutes=values["duration_minutes"],
    )
    event_add(mentorship=access.mentorship, kind=EventKind.MEETING_SCHEDULED, actor=access.user)
    activity_touch(access.mentorship)
    _send_invitations(meeting, REQUEST)
    return meeting


def _require_upcoming(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))
    if meeting.has_begun:
        raise ValidationError(_("This meeting has already begun: log it instead."))


@transaction.atomic
def meeting_update(*, access: MentorshipAccess, meeting: Meeting, **values: Any) -> Meeting:
    """Change an upcoming meeting; both sides get the revised invitation (SEQUENCE + 1)."""
    require_writer(access)
    _require_upcoming(meeting)
    merged = {name: getattr(meeting, name) for name in PLAN_FIELDS} | values
    errors = meeting_plan_errors(merged)
    if errors:
        raise ValidationError(errors)
    for name in PLAN_FIELDS:
        setattr(
            meeting, name, merged[name] or ("" if name in ("place", "agenda") else merged[name])
        )
    meeting.sequence += 1
    meeting.save()
    event_add(mentorship=access.mentorship, kind=EventKind.MEETING_UPDATED, actor=access.user)
    activity_touch(access.mentorship)
    _send_invitations(meeting, REQUEST)
    return meeting


@transaction.atomic
def meeting_cancel(*, access: MentorshipAccess, meeting: Meeting) -> Meeting:
    require_writer(access)
    _require_upcoming(meeting)
    _cancel(meeting, by=access.user)
    activity_touch(access.mentorship)
    return meeting


@transaction.atomic
def meetings_cancel_upcoming(*, mentorship: Mentorship, by: User | None) -> list[Meeting]:
    """When the mentorship ends: its meetings still to come leave both calendars."""
    upcoming = list(
        mentorship.meetings.filter(status=MeetingStatus.SCHEDULED, starts_at__gt=timezone.now())
    )
    for meeting in upcoming:
        _cancel(meeting, by=by)
    return upcoming


def _cancel(meeting: Meeting, *, by: User | None) -> None:
    """The one way a meeting is cancelled: both sides get the .ics CANCEL (SEQUENCE + 1)."""
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence"])
    event_add(mentorship=meeting.mentorship, kind=EventKind.MEETING_CANCELLED, actor=by)
    _send_invitations(meeting, CANCEL)


@transaction.atomic
def meeting_log(
    *,
    access: MentorshipAccess,
    meeting: Meeting,
    discussed: str,
    next_steps: str,
    minutes_spent: int | None,
) -> Meeting:
    """After the meeting: what was discussed, next steps and the time spent."""
    require_writer(access)
    errors: dict[str, str] = {}
    if meeting.is_cancelled:
        errors["__all__"] = _("This meeting was cancelled.")
    elif not meeting.has_begun:
        errors["__all__"] = _("Log a meeting once it has taken place.")
    if minutes_spent is None or not 1 <= minutes_spent <= 1440:
        errors["minutes_spent"] = _("Give the time spent, in minutes (1 to 1440).")
    for name, text in (("discussed", discussed), ("next_steps", next_steps)):
        if len(text) > TEXT_LIMIT:
            errors[name] = _("Keep this under %(n)s characters.") % {"n": TEXT_LIMIT}
    if errors:
        raise ValidationError(errors)
    first_log = not meeting.is_logged
    meeting.discussed = discussed
    meeting.next_steps = next_steps
    meeting.minutes_spent = minutes_spent
    meeting.logged_by = access.user
    meeting.logged_at = timezone.now()
    meeting.save()
    if first_log:
        event_add(mentorship=access.mentorship, kind=EventKind.MEETING_LOGGED, actor=access.user)
        MentorshipMilestone.objects.filter(
            mentorship=access.mentorship, kind=MilestoneKind.FIRST_MEETING, done_at__isnull=True
        ).update(done_at=timezone.now())
    activity_touch(access.mentorship)
    return meeting


@transaction.atomic
def meeting_rate(*, access: MentorshipAccess, meeting: Meeting, score: int) -> MeetingRating:
    require_writer(access)
    if meeting.is_cancelled or not meeting.has_begun:
        raise ValidationError(_("Rate a meeting once it has taken place."))
    if score not in range(1, 6):
        raise ValidationError({"score": _("Rate from 1 to 5.")})
    rating, _created = MeetingRating.objects.update_or_create(
        meeting=meeting, user=access.user, defaults={"score": score, "rated_at": timezone.now()}
    )
    return rating
