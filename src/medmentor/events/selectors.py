"""Reads for events, and the one access helper per way in: the coordinator's (through
``get_program_for(..., manage=True)``: participants 403, outsiders 404), the participant's
(enrolled, or a live participant of the program who may sign up; everyone else 404) and
the public list of upcoming events."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypedDict
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.core.periods import Period
from medmentor.events.models import (
    Event,
    EventChoice,
    EventFollowUp,
    EventMeeting,
    EventParticipant,
    EventRole,
    EventStatus,
)
from medmentor.profiles.engine import localize_reason
from medmentor.profiles.models import Profile
from medmentor.profiles.selectors import display_name_of, display_names_of
from medmentor.programs.models import Membership, Program, Role, Status
from medmentor.programs.selectors import get_program_for
from medmentor.programs.selectors.reporting import Cohort, in_cohort


def min_group() -> int:
    """The fewest people a figure shown to coordinators may describe (the reports' k)."""
    return int(settings.REPORTS_MIN_GROUP)


# -- the coordinator's way in ------------------------------------------------------------
def get_program_managed(user: User | AnonymousUser, program_uuid: UUID) -> Program:
    return get_program_for(user, program_uuid, manage=True).program


def get_event_managed(user: User | AnonymousUser, program_uuid: UUID, event_uuid: UUID) -> Event:
    """An event of a program ``user`` coordinates (participants 403, anyone else 404)."""
    program = get_program_managed(user, program_uuid)
    return get_object_or_404(
        Event.objects.select_related("program"), program=program, uuid=event_uuid
    )


def events_of(program: Program) -> QuerySet[Event]:
    return Event.objects.filter(program=program).annotate(
        mentors=Count("participants", filter=_role(EventRole.MENTOR), distinct=True),
        mentees=Count("participants", filter=_role(EventRole.MENTEE), distinct=True),
    )


def _role(role: str) -> Q:
    return Q(participants__role=role)


# -- the participant's way in ------------------------------------------------------------
@dataclass(frozen=True)
class EventAccess:
    """An event as one person sees it: their place in it (if any) and the roles they may
    sign up in (their live roles in the program)."""

    event: Event
    user: User
    place: EventParticipant | None
    program_roles: frozenset[str] = field(default_factory=frozenset)
    is_coordinator: bool = False

    @property
    def role(self) -> str:
        return self.place.role if self.place else ""

    @property
    def may_sign_up(self) -> bool:
        return (
            self.place is None
            and self.event.signup_open
            and self.event.is_ahead()
            and bool(self.program_roles)
        )


def get_event_for(user: User | AnonymousUser, event_uuid: UUID) -> EventAccess:
    """The event page's access: its participants, the program's active participants and
    coordinators; anyone else 404."""
    if not user.is_authenticated:
        raise Http404
    event = Event.objects.select_related("program").filter(uuid=event_uuid).first()
    if event is None:
        raise Http404
    place = EventParticipant.objects.filter(event=event, user=user).first()
    memberships = Membership.objects.filter(
        program=event.program, user=user, status=Status.ACTIVE
    ).values_list("role", flat=True)
    roles = set(memberships)
    program_roles = frozenset(r for r in roles if r in (Role.MENTOR, Role.MENTEE))
    is_coordinator = Role.COORDINATOR in roles
    if place is None and not program_roles and not is_coordinator:
        raise Http404
    return EventAccess(
        event=event,
        user=user,
        place=place,
        program_roles=program_roles,
        is_coordinator=is_coordinator,
    )


def get_event_place(user: User | AnonymousUser, event_uuid: UUID) -> EventAccess:
    """Only the event's own participants (a personal schedule); anyone else 404."""
    access = get_event_for(user, event_uuid)
    if access.place is None:
        raise Http404
    return access


def get_meeting_of(event: Event, meeting_uuid: UUID | str) -> EventMeeting:
    meeting = EventMeeting.objects.filter(event=event, uuid=meeting_uuid).first()
    if meeting is None:
        raise Http404
    return meeting


def get_participant_of(event: Event, participant_uuid: UUID | str) -> EventParticipant:
    place = EventParticipant.objects.filter(event=event, uuid=participant_uuid).first()
    if place is None:
        raise Http404
    return place


# -- what the pages show ---------------------------------------------------------------
def participants_of(event: Event, role: str) -> list[EventParticipant]:
    return list(
        EventParticipant.objects.filter(event=event, role=role)
        .select_related("user")
        .order_by("table", "user__name", "pk")
    )


def participant_ids(event: Event) -> list[int]:
    return list(EventParticipant.objects.filter(event=event).values_list("user_id", flat=True))


def names_of(users: list[User] | set[User]) -> dict[int, str]:
    return display_names_of(users)


def candidates_of(event: Event, role: str) -> list[User]:
    """The program's active participants in ``role`` not yet in the event."""
    taken = EventParticipant.objects.filter(event=event).values("user_id")
    return list(
        User.objects.filter(
            is_active=True,
            program_memberships__program=event.program,
            program_memberships__role=role,
            program_memberships__status=Status.ACTIVE,
        )
        .exclude(pk__in=taken)
        .distinct()
        .order_by("name", "pk")
    )


def choices_of(event: Event, mentee: User) -> list[User]:
    """The mentee's chosen mentors, first choice first."""
    return [
        choice.mentor
        for choice in EventChoice.objects.filter(event=event, mentee=mentee).select_related(
            "mentor"
        )
    ]


def choices_by_mentee(event: Event) -> dict[int, list[int]]:
    chosen: dict[int, list[int]] = defaultdict(list)
    for mentee_id, mentor_id in EventChoice.objects.filter(event=event).values_list(
        "mentee_id", "mentor_id"
    ):
        chosen[mentee_id].append(mentor_id)
    return dict(chosen)


@dataclass(frozen=True)
class MeetingView:
    """One meeting as a page shows it: the time, the table and the other person."""

    meeting: EventMeeting
    starts: datetime
    ends: datetime
    table: int | None
    other: User
    other_name: str
    reasons: tuple[str, ...]

    @property
    def rotation(self) -> int:
        return self.meeting.rotation


def reasons_shown(meeting: EventMeeting) -> tuple[str, ...]:
    language = get_language() or settings.LANGUAGE_CODE
    return tuple(
        localize_reason(reason, language, english_labels=True) for reason in meeting.reasons or []
    )


def tables_of(event: Event) -> dict[int, int | None]:
    """Mentor user id -> table number."""
    return dict(
        EventParticipant.objects.filter(event=event, role=EventRole.MENTOR).values_list(
            "user_id", "table"
        )
    )


def schedule_export_rows(event: Event) -> Iterator[list[object]]:
    """The schedule as a spreadsheet reads it, header first: each meeting by rotation and
    table, its times in the site's zone, the two people, the fit and the mentee's choice."""
    yield [
        _("Rotation"),
        _("Starts"),
        _("Ends"),
        _("Table"),
        _("Mentor"),
        _("Mentee"),
        _("Fit (%)"),
        _("Mentee's choice"),
    ]
    tables = tables_of(event)
    meetings = list(EventMeeting.objects.filter(event=event).select_related("mentor", "mentee"))
    names = display_names_of({m.mentor for m in meetings} | {m.mentee for m in meetings})
    meetings.sort(key=lambda m: (m.rotation, tables.get(m.mentor_id) or 0, names[m.mentor_id]))
    for meeting in meetings:
        starts, ends = (timezone.localtime(t) for t in event.rotation_times(meeting.rotation))
        yield [
            meeting.rotation,
            f"{starts:%H:%M}",
            f"{ends:%H:%M}",
            tables.get(meeting.mentor_id) or "",
            names[meeting.mentor_id],
            names[meeting.mentee_id],
            round(meeting.score * 100),
            meeting.choice or "",
        ]


def schedule_of(event: Event, user: User) -> list[MeetingView]:
    """``user``'s meetings in the event, by rotation."""
    meetings = list(
        EventMeeting.objects.filter(event=event)
        .filter(_involving(user))
        .select_related("mentor", "mentee")
        .order_by("rotation", "pk")
    )
    tables = tables_of(event)
    others = [m.mentee if m.mentor_id == user.pk else m.mentor for m in meetings]
    names = display_names_of(others)
    views = []
    for meeting, other in zip(meetings, others, strict=True):
        starts, ends = event.rotation_times(meeting.rotation)
        views.append(
            MeetingView(
                meeting=meeting,
                starts=starts,
                ends=ends,
                table=tables.get(meeting.mentor_id),
                other=other,
                other_name=names[other.pk],
                reasons=reasons_shown(meeting),
            )
        )
    return views


def _involving(user: User) -> Q:
    return Q(mentor=user) | Q(mentee=user)


@dataclass(frozen=True)
class Cell:
    """A meeting in the grid: the mentee's name and why they sit with this mentor."""

    meeting: EventMeeting
    name: str
    reasons: tuple[str, ...]

    @property
    def percent(self) -> int:
        return round(self.meeting.score * 100)


@dataclass(frozen=True)
class GridRow:
    """One mentor's table: the mentor, then each rotation's meetings."""

    place: EventParticipant
    name: str
    cells: list[list[Cell]]


@dataclass(frozen=True)
class RotationView:
    """One rotation: when, and what its swap and move forms offer."""

    number: int
    starts: datetime
    ends: datetime
    seated: list[tuple[str, str]]  # (meeting uuid, "mentee · table")
    free: list[tuple[str, str]]  # (mentor uuid, "mentor · table") with a seat free
    waiting: list[str]  # mentees without a meeting in this rotation


@dataclass(frozen=True)
class Grid:
    rows: list[GridRow]
    rotations: list[RotationView]


def grid_of(event: Event) -> Grid:
    """The coordinator's grid: tables (mentors) by rotations, each meeting's mentee."""
    mentors = participants_of(event, EventRole.MENTOR)
    mentees = participants_of(event, EventRole.MENTEE)
    names = display_names_of(p.user for p in mentors + mentees)
    meetings = list(EventMeeting.objects.filter(event=event).order_by("pk"))
    by_cell: dict[tuple[int, int], list[Cell]] = defaultdict(list)
    for meeting in meetings:
        name = names.get(meeting.mentee_id) or display_name_of(meeting.mentee)
        by_cell[(meeting.mentor_id, meeting.rotation)].append(
            Cell(meeting=meeting, name=name, reasons=reasons_shown(meeting))
        )
    numbers = list(range(1, event.rotations + 1))
    rows = [
        GridRow(
            place=place,
            name=names[place.user_id],
            cells=[by_cell.get((place.user_id, r), []) for r in numbers],
        )
        for place in mentors
    ]
    tables = {p.user_id: p.table for p in mentors}

    def at(mentor_id: int, label: str) -> str:
        table = tables.get(mentor_id)
        if table is None:
            return label
        return _("%(name)s, table %(table)s") % {"name": label, "table": table}

    def at_table(meeting: EventMeeting) -> str:
        return at(meeting.mentor_id, names.get(meeting.mentor_id, ""))

    rotations = []
    for r in numbers:
        here = [m for m in meetings if m.rotation == r]
        seated_ids = {m.mentee_id for m in here}
        rotations.append(
            RotationView(
                number=r,
                starts=event.rotation_times(r)[0],
                ends=event.rotation_times(r)[1],
                seated=[
                    (str(m.uuid), f"{names.get(m.mentee_id, '')} ({at_table(m)})")
                    for m in sorted(here, key=lambda m: names.get(m.mentee_id, ""))
                ],
                free=[
                    (str(p.user.uuid), at(p.user_id, names[p.user_id]))
                    for p in mentors
                    if len(by_cell.get((p.user_id, r), [])) < event.table_size
                ],
                waiting=[names[p.user_id] for p in mentees if p.user_id not in seated_ids],
            )
        )
    return Grid(rows=rows, rotations=rotations)


@dataclass(frozen=True)
class Unmet:
    name: str
    reason: str
    message: str


def unmet_of(event: Event) -> list[Unmet]:
    """The mentees the engine could not seat in every rotation, with its reason."""
    ids = [int(entry["mentee_id"]) for entry in event.unmet]
    names = display_names_of(User.objects.filter(pk__in=ids))
    return [
        Unmet(
            name=names[int(entry["mentee_id"])],
            reason=str(entry.get("reason", "")),
            message=str(entry.get("message", "")),
        )
        for entry in event.unmet
        if int(entry["mentee_id"]) in names
    ]


# -- after the event -------------------------------------------------------------------
def met_by(event: Event, user: User) -> list[User]:
    """The people ``user`` met at the event (once each), by name."""
    others = {view.other.pk: view.other for view in schedule_of(event, user)}
    return _by_name(others.values())


def followed_by(event: Event, user: User) -> set[int]:
    return set(
        EventFollowUp.objects.filter(event=event, chooser=user).values_list("chosen_id", flat=True)
    )


def mutual_of(event: Event, user: User) -> list[User]:
    """Those ``user`` chose who chose ``user`` too."""
    mine = followed_by(event, user)
    theirs = set(
        EventFollowUp.objects.filter(event=event, chosen=user, chooser_id__in=mine).values_list(
            "chooser_id", flat=True
        )
    )
    return _by_name(User.objects.filter(pk__in=theirs))


def _by_name(users: Iterable[User]) -> list[User]:
    people = list(users)
    names = display_names_of(people)
    return sorted(people, key=lambda u: (names[u.pk], u.pk))


def profile_uuid_of(user: User) -> UUID | None:
    return Profile.objects.filter(user=user).values_list("uuid", flat=True).first()


@dataclass(frozen=True)
class Outcome:
    """What a coordinator sees after the event: counts only, a count of people under
    ``k`` withheld (``None``)."""

    k: int
    meetings: int
    participants: int | None
    answered: int | None
    mutual: int | None


def _at_least(n: int, k: int) -> int | None:
    return None if 0 < n < k else n


def outcome_of(event: Event) -> Outcome:
    k = min_group()
    meetings = EventMeeting.objects.filter(event=event).count()
    participants = EventParticipant.objects.filter(event=event).count()
    answered = EventFollowUp.objects.filter(event=event).values("chooser_id").distinct().count()
    pairs = set(EventFollowUp.objects.filter(event=event).values_list("chooser_id", "chosen_id"))
    mutual = sum(1 for a, b in pairs if a < b and (b, a) in pairs)
    return Outcome(
        k=k,
        meetings=meetings,
        participants=_at_least(participants, k),
        answered=_at_least(answered, k),
        # A mutual choice describes two people: fewer than k/2 pairs is fewer than k people.
        mutual=None if 0 < mutual * 2 < k else mutual,
    )


# -- the public page -------------------------------------------------------------------
def upcoming_events(now: datetime | None = None) -> QuerySet[Event]:
    """Events listed publicly that have not started yet, soonest first."""
    return (
        Event.objects.filter(is_listed=True, starts_at__gt=now or timezone.now())
        .select_related("program")
        .order_by("starts_at", "pk")
    )


def programs_joined(user: User | AnonymousUser) -> set[int]:
    """The programs ``user`` takes part in (active mentor or mentee)."""
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(
            user=user, status=Status.ACTIVE, role__in=(Role.MENTOR, Role.MENTEE)
        ).values_list("program_id", flat=True)
    )


def events_of_user(user: User) -> QuerySet[Event]:
    """The events ``user`` takes part in, soonest first."""
    return (
        Event.objects.filter(participants__user=user)
        .select_related("program")
        .order_by("-starts_at", "pk")
        .distinct()
    )


# -- the reports' counts -----------------------------------------------------------------
class EventCount(TypedDict):
    program_id: int
    events: int
    mentees: int
    mentors: int
    meetings: int
    mutual: int


def events_held(
    program_ids: Collection[int], cohort: Cohort | None, period: Period
) -> list[EventCount]:
    """Per program: the events whose schedule was published that took place in the
    period, the distinct mentees and mentors who took part (in the cohort, if any), their
    meetings, and the mutual choices that followed (two people who each chose the other;
    a pair counted once)."""
    held = Event.objects.filter(
        program_id__in=program_ids,
        status__in=(EventStatus.PUBLISHED, EventStatus.FINISHED),
        starts_at__gte=period.since,
        starts_at__lt=min(period.until, timezone.now()),
    )
    counts = {
        program_id: EventCount(
            program_id=program_id, events=n, mentees=0, mentors=0, meetings=0, mutual=0
        )
        for program_id, n in held.values_list("program_id").annotate(n=Count("id")).order_by()
    }
    people: dict[tuple[int, str], set[int]] = defaultdict(set)
    for program_id, role, user_id in (
        EventParticipant.objects.filter(event__in=held)
        .filter(in_cohort(cohort, program="event__program_id", user="user_id"))
        .values_list("event__program_id", "role", "user_id")
    ):
        people[(program_id, role)].add(user_id)
    for (program_id, role), users in people.items():
        counts[program_id]["mentees" if role == EventRole.MENTEE else "mentors"] = len(users)
    for program_id, n in (
        EventMeeting.objects.filter(event__in=held)
        .filter(
            in_cohort(cohort, program="event__program_id", user="mentee_id")
            | in_cohort(cohort, program="event__program_id", user="mentor_id")
        )
        .values_list("event__program_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[program_id]["meetings"] = n
    choices = set(
        EventFollowUp.objects.filter(event__in=held).values_list(
            "event__program_id", "event_id", "chooser_id", "chosen_id"
        )
    )
    members = None if cohort is None else set(cohort.values_list("program_id", "user_id"))
    for program_id, event_id, chooser, chosen in choices:
        if chooser > chosen or (program_id, event_id, chosen, chooser) not in choices:
            continue
        if members is None or {(program_id, chooser), (program_id, chosen)} & members:
            counts[program_id]["mutual"] += 1
    return list(counts.values())
