"""Who takes part in an event: coordinators add the program's active mentors and mentees,
participants sign themselves up while sign-up is open, a mentee chooses up to five of the
event's mentors. Leaving takes the person's meetings out of the schedule."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.events.models import (
    CHOICES_MAX,
    Enrolment,
    Event,
    EventChoice,
    EventFollowUp,
    EventMeeting,
    EventParticipant,
    EventRole,
    EventStatus,
)
from medmentor.events.selectors import EventAccess
from medmentor.profiles.selectors import display_name_of
from medmentor.profiles.services import profile_get_or_create
from medmentor.programs.models import Membership, Role, Status

PROGRAM_ROLE = {EventRole.MENTOR: Role.MENTOR, EventRole.MENTEE: Role.MENTEE}


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def require_ahead(event: Event, now: datetime | None = None) -> None:
    if not event.is_ahead(now):
        raise ValidationError(_("The event has begun: who takes part can no longer change."))


def active_in_role(event: Event, role: str) -> set[int]:
    """User ids of the program's active participants in ``role``."""
    return set(
        Membership.objects.filter(
            program=event.program,
            role=PROGRAM_ROLE[EventRole(role)],
            status=Status.ACTIVE,
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )


def schedule_changed(event: Event) -> None:
    """The schedule changed after it was published: publish it again to tell people."""
    if event.status == EventStatus.PUBLISHED:
        event.status = EventStatus.SCHEDULED
    event.updated_at = timezone.now()
    event.save(update_fields=["status", "updated_at"])


def _add(event: Event, users: Sequence[User], role: str, via: str) -> int:
    """Enrol ``users`` (checked) in ``role``; those already in it in that role stay."""
    places = dict(EventParticipant.objects.filter(event=event).values_list("user_id", "role"))
    added = 0
    for user in users:
        if places.get(user.pk) == role:
            continue
        profile_get_or_create(user=user)  # the engine reads everyone's profile
        EventParticipant.objects.create(event=event, user=user, role=role, enrolled_by=via)
        places[user.pk] = role
        added += 1
    return added


def enrol_errors(event: Event, users: Sequence[User], role: str) -> list[str]:
    """Why some of ``users`` cannot take part in ``role`` (empty: all can)."""
    if role not in EventRole.values:
        return [_("Choose mentor or mentee.")]
    allowed = active_in_role(event, role)
    places = dict(EventParticipant.objects.filter(event=event).values_list("user_id", "role"))
    problems = []
    for user in users:
        name = display_name_of(user)
        if user.pk not in allowed:
            problems.append(
                _("%(name)s is not an active %(role)s of the program.")
                % {"name": name, "role": EventRole(role).label.lower()}
            )
        elif user.pk in places and places[user.pk] != role:
            problems.append(
                _("%(name)s already takes part in this event in the other role.") % {"name": name}
            )
    return problems


@transaction.atomic
def event_enrol(
    *, event: Event, by: User | None, users: Iterable[User], role: str, now: datetime | None = None
) -> int:
    """A coordinator adds people in one role; how many were added."""
    event = _locked(event)
    require_ahead(event, now)
    people = list(users)
    if not people:
        raise ValidationError({"people": _("Choose at least one person.")})
    problems = enrol_errors(event, people, role)
    if problems:
        raise ValidationError({"people": problems})
    return _add(event, people, role, Enrolment.COORDINATOR)


def enrol_checked(event: Event, users: Sequence[User], role: str, via: str) -> int:
    """Enrol people already checked (the CSV import checks each row itself)."""
    return _add(event, users, role, via)


def _leave(event: Event, place: EventParticipant) -> None:
    user = place.user
    EventMeeting.objects.filter(event=event, mentor=user).delete()
    EventMeeting.objects.filter(event=event, mentee=user).delete()
    EventChoice.objects.filter(event=event, mentee=user).delete()
    EventChoice.objects.filter(event=event, mentor=user).delete()
    EventFollowUp.objects.filter(event=event, chooser=user).delete()
    place.delete()
    if event.status != EventStatus.DRAFT:
        schedule_changed(event)


@transaction.atomic
def event_unenrol(
    *, event: Event, by: User | None, place: EventParticipant, now: datetime | None = None
) -> None:
    """A coordinator takes someone out of the event (and out of its schedule)."""
    event = _locked(event)
    require_ahead(event, now)
    _leave(event, place)


@transaction.atomic
def event_sign_up(*, access: EventAccess, role: str, now: datetime | None = None) -> None:
    """A participant of the program signs up, in a role they hold in the program."""
    event = _locked(access.event)
    require_ahead(event, now)
    if not event.signup_open:
        raise ValidationError(_("Sign-up for this event is closed."))
    if role not in EventRole.values or role not in access.program_roles:
        raise ValidationError(
            {"role": _("Sign up as a mentor or a mentee, as you take part in the program.")}
        )
    if EventParticipant.objects.filter(event=event, user=access.user).exists():
        raise ValidationError(_("You are already signed up for this event."))
    problems = enrol_errors(event, [access.user], role)
    if problems:
        raise ValidationError({"role": problems})
    _add(event, [access.user], role, Enrolment.SELF)


@transaction.atomic
def event_withdraw(*, access: EventAccess, now: datetime | None = None) -> None:
    """A participant leaves an event that has not begun."""
    event = _locked(access.event)
    require_ahead(event, now)
    place = EventParticipant.objects.filter(event=event, user=access.user).first()
    if place is None:
        raise ValidationError(_("You are not signed up for this event."))
    _leave(event, place)


@transaction.atomic
def event_choices_set(
    *, access: EventAccess, mentors: Sequence[User], now: datetime | None = None
) -> None:
    """A mentee's choices of the event's mentors, best first (up to five); the next
    build of the schedule seats them with these mentors first."""
    event = _locked(access.event)
    require_ahead(event, now)
    if access.role != EventRole.MENTEE:
        raise ValidationError(_("Only the event's mentees choose mentors."))
    if len(mentors) > CHOICES_MAX:
        raise ValidationError({"mentors": _("Choose up to five mentors.")})
    if len({m.pk for m in mentors}) != len(mentors):
        raise ValidationError({"mentors": _("Choose each mentor once.")})
    enrolled = set(
        EventParticipant.objects.filter(event=event, role=EventRole.MENTOR).values_list(
            "user_id", flat=True
        )
    )
    if any(m.pk not in enrolled for m in mentors):
        raise ValidationError({"mentors": _("Choose among the event's mentors.")})
    EventChoice.objects.filter(event=event, mentee=access.user).delete()
    EventChoice.objects.bulk_create(
        EventChoice(event=event, mentee=access.user, mentor=mentor, rank=rank)
        for rank, mentor in enumerate(mentors, start=1)
    )
