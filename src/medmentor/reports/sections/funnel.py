"""The funnel: from enrolment through rounds and requests to mentorships, and how long the
steps take."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from medmentor.matchrounds.models import ProposalStatus
from medmentor.matchrounds.selectors.reporting import round_counts
from medmentor.mentorships.models import ClosureReason
from medmentor.mentorships.selectors.reporting import mentorship_counts, mentorships_in_report
from medmentor.programs.models import Role, Status
from medmentor.programs.selectors.reporting import enrolment_counts
from medmentor.reports.scope import TOTAL, Scope
from medmentor.reports.sections.journeys import Journey, waited_in_period
from medmentor.reports.tables import Chart, CountGrid, Label, Row, Section, Table, median_of
from medmentor.requests.models import RequestStatus
from medmentor.requests.reporting import request_answer_times, request_counts

ROLES = (Role.MENTEE, Role.MENTOR)
ENROLLED = {Role.MENTEE: _("Mentees enrolled"), Role.MENTOR: _("Mentors enrolled")}
IN_POOL = {Role.MENTEE: _("Mentees in a round's pool"), Role.MENTOR: _("Mentors in a round's pool")}
PROPOSAL_PARTS = (
    ProposalStatus.ACCEPTED,
    ProposalStatus.DECLINED,
    ProposalStatus.PUBLISHED,
    ProposalStatus.FAILED,
)
REQUEST_PARTS = (
    RequestStatus.ACCEPTED,
    RequestStatus.DECLINED,
    RequestStatus.EXPIRED,
    RequestStatus.WITHDRAWN,
    RequestStatus.SUPERSEDED,
    RequestStatus.PENDING,
)
# What the funnel chart draws: the mentees' path, with short labels.
CHART_ROWS: dict[str, Label] = {
    "mentees_enrolled": _("Mentees enrolled"),
    "mentees_in_pool": _("In a round's pool"),
    "proposals": _("Proposals published"),
    "proposals_accepted": _("Proposals accepted"),
    "requests_sent": _("Direct requests sent"),
    "requests_accepted": _("Requests accepted"),
    "mentorships_started": _("Mentorships started"),
}


def funnel_section(scope: Scope, journeys: list[Journey]) -> Section:
    grid = CountGrid(k=scope.k)
    rows: Rows = []  # (key, label, level) in the order shown
    sums: Sums = {}  # rows that add up to another
    _enrolment(scope, grid, rows, sums)
    _rounds(scope, grid, rows, sums)
    _requests(scope, grid, rows, sums)
    _mentorships(scope, grid, rows, sums)
    grid.complete(scope.program_keys, scope.total_column, sums)
    table = Table(
        key="funnel",
        title=_("From enrolment to mentorship"),
        columns=scope.columns(),
        rows=[
            Row(key, label, {column: grid.get(key, column) for column in scope.keys}, level)
            for key, label, level in rows
        ],
        caption=_(
            "Enrolment: everyone who had asked to join by the end of the period, by their "
            "status today. Rounds: those published during the period. Requests: sent during "
            "the period, one for each mentor asked. Mentorships: running on the last day of "
            "the period (or today), started and ended during it."
        ),
    )
    table.rows += _timings(scope, journeys)
    return Section(
        key="funnel",
        title=_("Funnel"),
        intro=_("How participants reach a mentorship, and how long it takes."),
        tables=[table],
        charts=[
            Chart("bars", table, rows=list(CHART_ROWS), columns=[scope.pooled], labels=CHART_ROWS)
        ],
    )


def _parts(
    rows: list[tuple[str, Label, int]],
    sums: dict[str, list[str]],
    total: tuple[str, Label],
    parts: Sequence[tuple[str, Label]],
) -> None:
    """A total row followed by the rows that add up to it."""
    rows.append((total[0], total[1], 0))
    rows.extend((key, label, 1) for key, label in parts)
    sums[total[0]] = [key for key, _label in parts]


Rows = list[tuple[str, Label, int]]
Sums = dict[str, list[str]]


def _enrolment(scope: Scope, grid: CountGrid, rows: Rows, sums: Sums) -> None:
    for counted in enrolment_counts(scope.program_ids, scope.cohort(), scope.period):
        grid.add(
            f"{counted['role']}s_{counted['status']}",
            scope.key_of(counted["program_id"]),
            counted["n"],
        )
    for role in ROLES:
        parts = [(f"{role}s_{status.value}", status.label) for status in Status]
        _parts(rows, sums, (f"{role}s_enrolled", ENROLLED[role]), parts)


def _rounds(scope: Scope, grid: CountGrid, rows: Rows, sums: Sums) -> None:
    pools, proposals = round_counts(scope.program_ids, scope.cohort(), scope.period)
    for counted in pools:
        grid.add(f"{counted['role']}s_in_pool", scope.key_of(counted["program_id"]), counted["n"])
    rows.extend((f"{role}s_in_pool", IN_POOL[role], 0) for role in ROLES)
    for proposed in proposals:
        grid.add(
            f"proposals_{proposed['status']}", scope.key_of(proposed["program_id"]), proposed["n"]
        )
    parts = [(f"proposals_{status.value}", status.label) for status in PROPOSAL_PARTS]
    _parts(rows, sums, ("proposals", _("Proposals published")), parts)


def _requests(scope: Scope, grid: CountGrid, rows: Rows, sums: Sums) -> None:
    for counted in request_counts(scope.program_ids, scope.cohort(), scope.period):
        grid.add(f"requests_{counted['status']}", scope.key_of(counted["program_id"]), counted["n"])
    parts = [(f"requests_{status.value}", status.label) for status in REQUEST_PARTS]
    _parts(rows, sums, ("requests_sent", _("Direct requests sent")), parts)


def _mentorships(scope: Scope, grid: CountGrid, rows: Rows, sums: Sums) -> None:
    mentorships = mentorships_in_report(scope.program_ids, scope.cohort(), scope.period)
    for counted in mentorship_counts(mentorships, scope.period):
        column = scope.key_of(counted["program_id"])
        grid.add("mentorships_active", column, counted["active"])
        grid.add("mentorships_started", column, counted["started"])
        if counted["closure_reason"]:
            grid.add(f"mentorships_closed_{counted['closure_reason']}", column, counted["ended"])
    rows.append(("mentorships_active", _("Mentorships running at the end of the period"), 0))
    rows.append(("mentorships_started", _("Mentorships started during the period"), 0))
    parts = [(f"mentorships_closed_{reason.value}", reason.label) for reason in ClosureReason]
    _parts(rows, sums, ("mentorships_closed", _("Mentorships ended during the period")), parts)


def _timings(scope: Scope, journeys: list[Journey]) -> list[Row]:
    """Medians of days, per program and over all (each over at least k people)."""
    waits: dict[str, list[float]] = defaultdict(list)
    for journey in journeys:
        days = waited_in_period(journey, scope)
        if days is not None:
            waits[scope.key_of(journey.program_id)].append(days)
    answers: dict[str, list[float]] = defaultdict(list)
    for program_id, sent, answered in request_answer_times(
        scope.program_ids, scope.cohort(), scope.period
    ):
        answers[scope.key_of(program_id)].append((answered - sent).total_seconds() / 86400)
    for values in (waits, answers):
        values[TOTAL] = [v for key in scope.program_keys for v in values[key]]
    return [
        Row(
            key,
            label,
            {column: median_of(values[column], k=scope.k) for column in scope.keys},
            kind="days",
        )
        for key, label, values in (
            (
                "median_days_to_mentorship",
                _("Median days from enrolment to a first mentorship"),
                waits,
            ),
            ("median_days_to_answer", _("Median days from a request to its answer"), answers),
        )
    ]
