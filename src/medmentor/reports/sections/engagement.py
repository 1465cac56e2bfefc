"""Engagement and health: meetings and hours month by month, pairs that met lately,
check-in scores, what needs attention today, the mentors' load, the formats, and the
one-off mentoring of office hours and speed-mentoring events."""

from __future__ import annotations

from collections import defaultdict
from typing import Final

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from medmentor.events.selectors import events_held
from medmentor.mentorships.models import Mentorship, MentorshipKind
from medmentor.mentorships.selectors.attention import Attention, attention_flags
from medmentor.mentorships.selectors.reporting import (
    checkin_scores,
    format_counts,
    mentorships_in_report,
    monthly_activity,
    recent_meetings,
)
from medmentor.officehours.selectors import office_hours_held
from medmentor.programs.selectors.reporting import mentor_load
from medmentor.reports.scope import Scope
from medmentor.reports.tables import (
    Chart,
    Column,
    CountGrid,
    Hidden,
    Row,
    Section,
    Table,
    Value,
    score_rows,
    withheld_below,
)

RECENT_DAYS = (30, 60)
MONTHLY_COLUMNS = ("running", "meetings", "hours", "meetings_per_pair", "hours_per_pair")


def engagement_section(scope: Scope) -> Section:
    mentorships = mentorships_in_report(scope.program_ids, scope.cohort(), scope.period)
    monthly = _monthly(scope, mentorships)
    return Section(
        key="engagement",
        title=_("Engagement and health"),
        intro=_(
            "Whether pairs meet, how they say it is going, and what may need your attention. "
            "Counts and dates only: what pairs write is never read."
        ),
        tables=[
            monthly,
            _recent(scope, mentorships),
            _checkins(scope, mentorships),
            _attention(scope, mentorships),
            _load(scope),
            _formats(scope, mentorships),
            _one_off(scope),
        ],
        charts=[Chart("monthly", monthly)],
    )


def _monthly(scope: Scope, mentorships: QuerySet[Mentorship]) -> Table:
    running_rows, meeting_rows = monthly_activity(mentorships, scope.period)
    running: dict[str, int] = defaultdict(int)
    for counted in running_rows:
        for month, n in counted.items():
            if month != "program_id":
                running[month] += n
    meetings: dict[str, int] = defaultdict(int)
    minutes: dict[str, int] = defaultdict(int)
    for counted in meeting_rows:
        month = timezone.localdate(counted["month"]).isoformat()
        meetings[month] += counted["meetings"]
        minutes[month] += counted["minutes"] or 0
    rows = []
    for first in scope.period.months():
        month = first.isoformat()
        pairs = running[month]
        shown = pairs >= scope.k
        hours = round(minutes[month] / 60, 1)
        cells: dict[str, Value] = dict.fromkeys(MONTHLY_COLUMNS)
        if not pairs:  # no mentorship that month: nothing to hide
            cells.update(running=0, meetings=0, hours=0)
        elif not shown:
            cells.update(running=Hidden.FEW, meetings=Hidden.FEW, hours=Hidden.FEW)
        else:
            cells = {
                "running": pairs,
                "meetings": meetings[month],
                "hours": hours,
                "meetings_per_pair": round(meetings[month] / pairs, 2),
                "hours_per_pair": round(hours / pairs, 2),
            }
        rows.append(Row(month, formats.date_format(first, "YEAR_MONTH_FORMAT"), cells))
    return Table(
        key="monthly",
        title=_("Meetings and hours, month by month"),
        columns=[
            Column("running", _("Mentorships running")),
            Column("meetings", _("Meetings held"), "number"),
            Column("hours", _("Hours logged"), "hours"),
            Column("meetings_per_pair", _("Meetings per mentorship"), "number"),
            Column("hours_per_pair", _("Hours per mentorship"), "hours"),
        ],
        rows=rows,
        caption=_(
            "Meetings that took place (not cancelled); hours as the pairs logged them. A "
            "month with fewer than %(k)s mentorships running shows no figures."
        )
        % {"k": scope.k},
    )


def _recent(scope: Scope, mentorships: QuerySet[Mentorship]) -> Table:
    grid = CountGrid(k=scope.k)
    for counted in recent_meetings(mentorships, scope.period.as_of, RECENT_DAYS):
        column = scope.key_of(counted["program_id"])
        grid.add("running", column, counted["running"])
        for days in RECENT_DAYS:
            grid.add(f"met_{days}", column, counted[f"met_{days}"])
    grid.complete(scope.program_keys, scope.total_column, {})
    for column in scope.keys:  # "none of the three pairs met" would say too much
        grid.withhold_if_few(("running", column), [(f"met_{d}", column) for d in RECENT_DAYS])
    rows = [Row("running", _("Mentorships running at the end of the period"), {})]
    for days in RECENT_DAYS:
        rows.append(Row(f"met_{days}", _("met in the last %(n)s days") % {"n": days}, {}, 1))
        rows.append(
            Row(
                f"met_{days}_share",
                _("share that met in the last %(n)s days") % {"n": days},
                {},
                1,
                kind="percent",
            )
        )
    for row in rows:
        for column in scope.keys:
            if row.key.endswith("_share"):
                met = row.key.removesuffix("_share")
                row.cells[column] = grid.share((met, column), ("running", column))
            else:
                row.cells[column] = grid.get(row.key, column)
    return Table(
        key="recent",
        title=_("Pairs that met lately"),
        columns=scope.columns(),
        rows=rows,
        caption=_("Counted on the last day of the period, or today if it is sooner."),
    )


def _checkins(scope: Scope, mentorships: QuerySet[Mentorship]) -> Table:
    grid = CountGrid(k=scope.k)
    for counted in checkin_scores(mentorships, scope.period):
        grid.add(f"score_{counted['score']}", scope.key_of(counted["program_id"]), counted["n"])
    rows = score_rows(
        grid,
        scope.program_keys,
        scope.total_column,
        total=("answers", _("Check-ins answered and shared")),
        score_label=_("scored %(n)s"),
        mean_label=_("Mean score (1 to 5)"),
    )
    return Table(
        key="checkins",
        title=_("Check-in scores: how is it going?"),
        columns=scope.columns(),
        rows=rows,
        caption=_(
            "Check-ins answered during the period whose authors chose to share them with "
            "the coordinator; an unshared answer is never counted."
        ),
        withheld=withheld_below(grid.raw("answers", scope.pooled), scope.k),
    )


def _attention(scope: Scope, mentorships: QuerySet[Mentorship]) -> Table:
    grid = CountGrid(k=scope.k)
    for flagged in attention_flags(mentorships).values():
        if flagged.program_id is None:
            continue
        column = scope.key_of(flagged.program_id)
        grid.add("any", column, 1)
        for reason in flagged.reasons:
            grid.add(reason.value, column, 1)
    grid.complete(scope.program_keys, scope.total_column, {})
    rows = [Row("any", _("Mentorships that need attention"), {})]
    rows += [Row(reason.value, reason.label, {}, 1) for reason in Attention]
    for row in rows:
        row.cells = {column: grid.get(row.key, column) for column in scope.keys}
    return Table(
        key="attention",
        title=_("Needs attention today"),
        columns=scope.columns(),
        rows=rows,
        caption=_(
            "Running mentorships, today. A mentorship may have several reasons. Your program's "
            "mentorships page lists each one."
        ),
    )


def _load(scope: Scope) -> Table:
    grid = CountGrid(k=scope.k)
    numbers: Final = ("mentors", "places", "taken", "full", "idle")
    for counted in mentor_load(scope.program_ids):
        for key in numbers:
            grid.add(key, scope.key_of(counted["program_id"]), counted[key] or 0)
    grid.complete(scope.program_keys, scope.total_column, {})
    for column in scope.keys:
        grid.withhold_if_few(("mentors", column), [(key, column) for key in numbers[1:]])
    rows = [
        Row("mentors", _("Active mentors"), {}),
        Row("places", _("Places they offer"), {}, kind="number"),
        Row("taken", _("Places taken"), {}, 1),
        Row("taken_share", _("share of places taken"), {}, 1, kind="percent"),
        Row("full", _("Mentors with no place left"), {}),
        Row("idle", _("Mentors without a mentee"), {}),
    ]
    for column in scope.keys:
        for row in rows:
            if row.key == "taken_share":
                row.cells[column] = grid.share(("taken", column), ("places", column))
            else:
                row.cells[column] = grid.get(row.key, column)
    return Table(
        key="load",
        title=_("Mentors' load today"),
        columns=scope.columns(),
        rows=rows,
        caption=_(
            "A mentor's places are the mentees they take at once; places taken count their "
            "mentorships in every program."
        ),
    )


FORMAT_FIGURES: Final = ("mentorships", "people", "meetings", "evaluations", "recommend")


def _formats(scope: Scope, mentorships: QuerySet[Mentorship]) -> Table:
    """Pairs, groups and circles side by side: how many, the people in them, meetings and
    hours, and what their members said at closure (every figure about people from k)."""
    grid = CountGrid(k=scope.k)
    minutes: dict[tuple[str, str], int] = defaultdict(int)
    for counted in format_counts(mentorships, scope.period):
        column = scope.key_of(counted["program_id"])
        for figure in FORMAT_FIGURES:
            grid.add((counted["kind"], figure), column, counted[figure])
        minutes[(counted["kind"], column)] += counted["minutes"]
    grid.complete(scope.program_keys, scope.total_column, {})
    if scope.total_column is not None:
        for kind in MentorshipKind.values:
            minutes[(kind, scope.total_column)] = sum(
                minutes[(kind, c)] for c in scope.program_keys
            )
    rows = []
    for kind in MentorshipKind:
        if not any(grid.raw((kind.value, "mentorships"), column) for column in scope.keys):
            continue
        for column in scope.keys:
            # A format run by fewer than k people shows nothing of them.
            grid.withhold_if_few(
                ((kind.value, "people"), column),
                [((kind.value, f), column) for f in ("evaluations", "recommend")],
            )
        cells: dict[str, dict[str, Value]] = defaultdict(dict)
        for column in scope.keys:
            people = grid.get((kind.value, "people"), column)
            cells["mentorships"][column] = grid.get((kind.value, "mentorships"), column)
            cells["people"][column] = people
            cells["meetings"][column] = grid.get((kind.value, "meetings"), column)
            running = grid.raw((kind.value, "mentorships"), column)
            cells["hours"][column] = (
                round(minutes[(kind.value, column)] / 60 / running, 2)
                if isinstance(people, int) and running
                else None
            )
            cells["evaluations"][column] = grid.get((kind.value, "evaluations"), column)
            cells["recommend"][column] = grid.share(
                ((kind.value, "recommend"), column), ((kind.value, "evaluations"), column)
            )
        rows += [
            Row(f"{kind.value}_mentorships", kind.label, cells["mentorships"], kind="number"),
            Row(f"{kind.value}_people", _("people in them"), cells["people"], 1),
            Row(f"{kind.value}_meetings", _("meetings held"), cells["meetings"], 1, kind="number"),
            Row(
                f"{kind.value}_hours",
                _("hours logged per mentorship"),
                cells["hours"],
                1,
                kind="hours",
            ),
            Row(f"{kind.value}_evaluations", _("closure evaluations"), cells["evaluations"], 1),
            Row(
                f"{kind.value}_recommend",
                _("would recommend it"),
                cells["recommend"],
                1,
                kind="percent",
            ),
        ]
    return Table(
        key="formats",
        title=_("Pairs, groups and circles"),
        columns=scope.columns(),
        rows=rows,
        caption=_(
            "Mentorships that ran during the period by format; a group's or a circle's "
            "members each count as a person and each gives their own evaluation. People and "
            "their evaluations show only from %(k)s people."
        )
        % {"k": scope.k},
    )


def _one_off(scope: Scope) -> Table:
    """Office hours and speed-mentoring events: sessions and events held, the people who
    came, meetings and mutual choices. Every figure about people shows from k; the number
    of events is not about people and always shows."""
    grid = CountGrid(k=scope.k)
    minutes: dict[str, int] = defaultdict(int)
    events: dict[str, int] = defaultdict(int)
    for sessions in office_hours_held(scope.program_ids, scope.cohort(), scope.period):
        column = scope.key_of(sessions["program_id"])
        grid.add("office_hours_sessions", column, sessions["sessions"])
        grid.add("office_hours_mentees", column, sessions["mentees"])
        grid.add("office_hours_mentors", column, sessions["mentors"])
        minutes[column] += sessions["minutes"]
    for held in events_held(scope.program_ids, scope.cohort(), scope.period):
        column = scope.key_of(held["program_id"])
        grid.add("events_mentees", column, held["mentees"])
        grid.add("events_mentors", column, held["mentors"])
        grid.add("events_meetings", column, held["meetings"])
        grid.add("events_mutual", column, held["mutual"])
        events[column] += held["events"]
    grid.complete(scope.program_keys, scope.total_column, {})
    if scope.total_column is not None:
        minutes[scope.total_column] = sum(minutes[c] for c in scope.program_keys)
        events[scope.total_column] = sum(events[c] for c in scope.program_keys)
    # Too few mentees came: nothing about them (none came: zeros tell nothing).
    people_figures = {
        "office_hours": ("sessions", "mentors"),
        "events": ("mentors", "meetings", "mutual"),
    }
    for column in scope.keys:
        for kind, figures in people_figures.items():
            if grid.raw(f"{kind}_mentees", column):
                grid.withhold_if_few(
                    (f"{kind}_mentees", column), [(f"{kind}_{f}", column) for f in figures]
                )
    rows = [
        Row("office_hours_sessions", _("Office-hours sessions held"), {}, kind="number"),
        Row("office_hours_mentees", _("mentees who came"), {}, 1),
        Row("office_hours_mentors", _("mentors who held them"), {}, 1),
        Row("office_hours_hours", _("hours"), {}, 1, kind="hours"),
        Row("events_held", _("Speed-mentoring events held"), {}, kind="number"),
        Row("events_mentees", _("mentees who took part"), {}, 1),
        Row("events_mentors", _("mentors who took part"), {}, 1),
        Row("events_meetings", _("meetings at the events"), {}, 1, kind="number"),
        Row("events_mutual", _("mutual choices to continue"), {}, 1, kind="number"),
    ]
    for row in rows:
        for column in scope.keys:
            if row.key == "office_hours_hours":
                came = grid.get("office_hours_mentees", column)
                row.cells[column] = (
                    round(minutes[column] / 60, 1) if isinstance(came, int) else None
                )
            elif row.key == "events_held":
                row.cells[column] = events[column]
            else:
                row.cells[column] = grid.get(row.key, column)
    return Table(
        key="one_off",
        title=_("Office hours and speed-mentoring events"),
        columns=scope.columns(),
        rows=rows,
        caption=_(
            "Office-hours sessions booked through the program and events whose schedule was "
            "published, that took place during the period; hours as the sessions were "
            "offered. A mutual choice is two people who each chose to continue with the "
            "other. Figures about people show only from %(k)s people; someone in two "
            "programs counts in each."
        )
        % {"k": scope.k},
    )
