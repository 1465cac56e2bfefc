"""Building an event's schedule with the speed engine (``medmentor.matching.speed``), and
the coordinator's changes to it: swap two mentees of one rotation, move a mentee to a free
seat, lock or unlock a meeting. Every change is checked by the engine's own
``schedule_violations`` first; a refused change changes nothing.

The engine's problem is the match rounds' (``round_inputs``): the program's weights and
rules, and every reporting line, conflict of interest and block between two people of the
event, so that two people a line separates never meet.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.events.models import (
    Event,
    EventMeeting,
    EventParticipant,
    EventRole,
    EventStatus,
)
from medmentor.events.selectors import choices_by_mentee
from medmentor.events.services.enrolment import active_in_role, schedule_changed
from medmentor.matching import MatchingInputError, Problem, check_pair
from medmentor.matching.speed import Violation, schedule_event, schedule_violations
from medmentor.matchrounds.roundinputs import Pool, round_inputs
from medmentor.profiles.models import Profile
from medmentor.profiles.selectors import display_name_of


@dataclasses.dataclass(frozen=True)
class Seated:
    """Who the engine takes: enrolled, still active in the program, with a profile."""

    mentees: tuple[int, ...]
    mentors: tuple[int, ...]


def _seated(event: Event) -> Seated:
    places = list(
        EventParticipant.objects.filter(event=event).order_by("pk").values_list("user_id", "role")
    )
    with_profile = set(
        Profile.objects.filter(user_id__in=[uid for uid, _role in places]).values_list(
            "user_id", flat=True
        )
    )
    active = {role: active_in_role(event, role) for role in EventRole.values}
    kept = [(uid, role) for uid, role in places if uid in with_profile and uid in active[role]]
    return Seated(
        mentees=tuple(uid for uid, role in kept if role == EventRole.MENTEE),
        mentors=tuple(uid for uid, role in kept if role == EventRole.MENTOR),
    )


def event_problem(event: Event, seated: Seated | None = None) -> Problem:
    """The engine's problem for the event's people (mentor capacity is not used)."""
    seated = seated or _seated(event)
    pool = Pool(mentee_ids=seated.mentees, mentor_places=dict.fromkeys(seated.mentors, 1))
    problem = round_inputs(event.program, pool=pool).problem
    # The engine names people by these labels in what it says is wrong with a schedule.
    users = User.objects.filter(pk__in=[*seated.mentees, *seated.mentors])
    names = {str(user.pk): display_name_of(user) for user in users}
    return dataclasses.replace(problem, labels={**problem.labels, **names})


def _locked_event(event: Event) -> Event:
    return Event.objects.select_for_update().select_related("program").get(pk=event.pk)


def _tables(event: Event, mentors: Iterable[int]) -> None:
    """Each mentor keeps their table if they had one; the others take the free ones."""
    places = list(
        EventParticipant.objects.filter(event=event, role=EventRole.MENTOR).order_by("pk")
    )
    wanted = set(mentors)
    taken: set[int] = set()
    for place in places:
        if place.user_id not in wanted or place.table is None or place.table > event.tables:
            if place.table is not None:
                place.table = None
                place.save(update_fields=["table"])
        else:
            taken.add(place.table)
    free = iter(t for t in range(1, event.tables + 1) if t not in taken)
    for place in places:
        if place.user_id in wanted and place.table is None:
            place.table = next(free)
            place.save(update_fields=["table"])


@transaction.atomic
def event_schedule_build(*, event: Event, by: User | None, now: datetime | None = None) -> Event:
    """Build (or build again) the event's schedule: the locked meetings stay, the others
    are replaced by the engine's; each mentor gets a table; the mentees the engine could
    not seat are kept with its reason."""
    now = now or timezone.now()
    event = _locked_event(event)
    if event.is_over(now):
        raise ValidationError(_("The event is over: its schedule can no longer change."))
    seated = _seated(event)
    errors: dict[str, str] = {}
    if not seated.mentors:
        errors["mentors"] = _("Enrol at least one mentor before building the schedule.")
    if not seated.mentees:
        errors["mentees"] = _("Enrol at least one mentee before building the schedule.")
    if len(seated.mentors) > event.tables:
        errors["tables"] = _(
            "%(mentors)s mentors take part but the event has %(tables)s tables: one mentor "
            "sits at each table. Add tables or take mentors out."
        ) % {"mentors": len(seated.mentors), "tables": event.tables}
    if errors:
        raise ValidationError(errors)
    problem = event_problem(event, seated)
    mentee_set, mentor_set = set(seated.mentees), set(seated.mentors)
    locked = [
        m
        for m in EventMeeting.objects.filter(event=event, locked=True).order_by("rotation", "pk")
        if m.mentee_id in mentee_set and m.mentor_id in mentor_set
    ]
    chosen = choices_by_mentee(event)
    try:
        schedule = schedule_event(
            problem,
            rotations=event.rotations,
            table_size=event.table_size,
            choices={
                str(mentee): [str(m) for m in mentors if m in mentor_set][:5]
                for mentee, mentors in chosen.items()
                if mentee in mentee_set
            },
            locked=[(str(m.mentee_id), str(m.mentor_id), m.rotation) for m in locked],
            seed=event.seed,
        )
    except MatchingInputError as error:
        raise ValidationError(
            _("The schedule could not be built: %(error)s") % {"error": error}
        ) from error
    kept = {(m.mentee_id, m.mentor_id, m.rotation): m for m in locked}
    EventMeeting.objects.filter(event=event).exclude(pk__in=[m.pk for m in locked]).delete()
    fresh = []
    engine_locked: set[int] = set()
    for meeting in schedule.meetings:
        key = (int(meeting.mentee_id), int(meeting.mentor_id), meeting.rotation)
        values = {
            "score": meeting.score,
            "choice": meeting.choice,
            "reasons": list(meeting.reasons),
        }
        if key in kept:
            row = kept[key]
            for name, value in values.items():
                setattr(row, name, value)
            row.save(update_fields=list(values))
            engine_locked.add(row.pk)
        else:
            fresh.append(
                EventMeeting(
                    event=event,
                    rotation=meeting.rotation,
                    mentee_id=key[0],
                    mentor_id=key[1],
                    **values,
                )
            )
    # A locked meeting the engine could not keep (say, a new reporting line) goes.
    EventMeeting.objects.filter(pk__in=[m.pk for m in locked if m.pk not in engine_locked]).delete()
    EventMeeting.objects.bulk_create(fresh)
    _tables(event, seated.mentors)
    event.unmet = [
        {"mentee_id": int(u.mentee_id), "reason": u.reason, "message": u.message}
        for u in schedule.unmet
    ]
    event.status = EventStatus.SCHEDULED
    event.built_at = now
    event.updated_at = now
    event.save(update_fields=["unmet", "status", "built_at", "updated_at"])
    return event


def _check(event: Event, triples: list[tuple[int, int, int]]) -> Problem:
    """Refuse (nothing changed) a schedule the engine finds wrong; else its problem."""
    problem = event_problem(event)
    problems = schedule_violations(
        problem,
        [(str(a), str(b), r) for a, b, r in triples],
        rotations=event.rotations,
        table_size=event.table_size,
    )
    if problems:
        # Once each: someone who left the program stands in every rotation they had.
        raise ValidationError(list(dict.fromkeys(_worded(v, problem.labels) for v in problems)))
    return problem


def _worded(violation: Violation, names: Mapping[str, str]) -> str:
    """What the engine found wrong, in the reader's language. A person who left the
    program since the build is no longer in the engine's problem; rotations outside the
    event cannot come from the coordinator's pages, so those keep the engine's words."""
    values = {
        "mentee": names.get(violation.mentee_id, ""),
        "mentor": names.get(violation.mentor_id, ""),
        "rotation": ", ".join(map(str, violation.rotations)),
        "count": len(violation.others),
    }
    if violation.kind == "repeated_pair":
        return _("%(mentee)s would meet %(mentor)s twice (rotations %(rotation)s).") % values
    if violation.kind == "mentee_double_booked":
        return _("%(mentee)s would be at two tables in rotation %(rotation)s.") % values
    if violation.kind == "table_over":
        return (
            _(
                "%(mentor)s would have %(count)s mentees in rotation %(rotation)s: more than "
                "the event seats at a table."
            )
            % values
        )
    if violation.kind == "forbidden_pair":
        return (
            _(
                "%(mentee)s and %(mentor)s must not meet: a reporting line, a conflict of "
                "interest, a block or one of the program's rules keeps them apart."
            )
            % values
        )
    if violation.kind in ("unknown_mentee", "unknown_mentor"):
        return _(
            "Someone in this schedule no longer takes part in the program: build the "
            "schedule again."
        )
    return _("The schedule would not hold: %(problem)s.") % {"problem": violation.message}


def _rescore(problem: Problem, meeting: EventMeeting, choices: dict[int, list[int]]) -> None:
    """The fit and reasons of a meeting whose people changed, as the engine gives them."""
    checked = check_pair(problem, str(meeting.mentee_id), str(meeting.mentor_id))
    meeting.score = checked.score
    meeting.reasons = list(checked.reasons)
    ranked = choices.get(meeting.mentee_id, [])
    meeting.choice = ranked.index(meeting.mentor_id) + 1 if meeting.mentor_id in ranked else None


def _editable(event: Event, now: datetime | None) -> Event:
    event = _locked_event(event)
    if event.is_over(now):
        raise ValidationError(_("The event is over: its schedule can no longer change."))
    if event.status == EventStatus.DRAFT:
        raise ValidationError(_("Build the schedule first."))
    return event


def _triples(event: Event) -> dict[int, tuple[int, int, int]]:
    return {
        pk: (mentee, mentor, rotation)
        for pk, mentee, mentor, rotation in EventMeeting.objects.filter(event=event).values_list(
            "pk", "mentee_id", "mentor_id", "rotation"
        )
    }


@transaction.atomic
def event_meetings_swap(
    *,
    event: Event,
    by: User | None,
    first: EventMeeting,
    second: EventMeeting,
    now: datetime | None = None,
) -> None:
    """Swap the mentees of two meetings of one rotation (each goes to the other's table)."""
    event = _editable(event, now)
    pair = list(
        EventMeeting.objects.select_for_update().filter(event=event, pk__in=[first.pk, second.pk])
    )
    if len(pair) != 2:
        raise ValidationError(_("Choose two different meetings of the schedule."))
    a, b = sorted(pair, key=lambda m: m.pk == second.pk)
    if a.rotation != b.rotation:
        raise ValidationError(_("Choose two meetings of the same rotation."))
    if a.mentor_id == b.mentor_id:
        raise ValidationError(_("These two mentees sit at the same table already."))
    if a.locked or b.locked:
        raise ValidationError(_("A locked meeting stays as it is: unlock it first."))
    triples = _triples(event)
    triples[a.pk] = (a.mentee_id, b.mentor_id, a.rotation)
    triples[b.pk] = (b.mentee_id, a.mentor_id, b.rotation)
    problem = _check(event, list(triples.values()))
    # Each row keeps its mentee and takes the other's table (no uniqueness is broken on
    # the way: the mentee stays once in the rotation).
    a.mentor_id, b.mentor_id = b.mentor_id, a.mentor_id
    choices = choices_by_mentee(event)
    for meeting in (a, b):
        _rescore(problem, meeting, choices)
        meeting.save(update_fields=["mentor", "score", "reasons", "choice"])
    schedule_changed(event)


@transaction.atomic
def event_meeting_move(
    *,
    event: Event,
    by: User | None,
    meeting: EventMeeting,
    mentor: User,
    now: datetime | None = None,
) -> None:
    """Move a meeting's mentee to a free seat at ``mentor``'s table, in the same rotation."""
    event = _editable(event, now)
    row = EventMeeting.objects.select_for_update().filter(event=event, pk=meeting.pk).first()
    if row is None:
        raise ValidationError(_("Choose a meeting of the schedule."))
    if row.locked:
        raise ValidationError(_("A locked meeting stays as it is: unlock it first."))
    if not EventParticipant.objects.filter(
        event=event, user=mentor, role=EventRole.MENTOR
    ).exists():
        raise ValidationError({"mentor": _("Choose one of the event's mentors.")})
    if row.mentor_id == mentor.pk:
        raise ValidationError({"mentor": _("The mentee already sits at this table.")})
    seats = EventMeeting.objects.filter(event=event, rotation=row.rotation, mentor=mentor).count()
    if seats >= event.table_size:
        raise ValidationError({"mentor": _("This table has no free seat in this rotation.")})
    triples = _triples(event)
    triples[row.pk] = (row.mentee_id, mentor.pk, row.rotation)
    problem = _check(event, list(triples.values()))
    row.mentor_id = mentor.pk
    _rescore(problem, row, choices_by_mentee(event))
    row.save(update_fields=["mentor", "score", "reasons", "choice"])
    schedule_changed(event)


@transaction.atomic
def event_meeting_lock(
    *, event: Event, by: User | None, meeting: EventMeeting, locked: bool
) -> None:
    """Lock a meeting (a rebuild keeps it) or unlock it; not once the event is over."""
    event = _editable(event, None)
    EventMeeting.objects.filter(event=event, pk=meeting.pk).update(locked=locked)
