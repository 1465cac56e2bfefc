"""A program's report as JSON: the same figures as the page, ``null`` where a figure is
withheld (fewer people than the report's threshold). The program's coordinators and staff
only; everyone else, signed in or not, gets 404."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from medmentor.api.base import Text, responses, validated
from medmentor.reports.access import get_program_reported_to
from medmentor.reports.display import number
from medmentor.reports.forms import ReportForm, report_rounds
from medmentor.reports.report import Report, report_cached
from medmentor.reports.tables import Row, Table

router = Router(tags=["reports"])

Figures = dict[str, int | float | None]


class ProgramRef(Schema):
    uuid: UUID
    name: str


class PeriodOut(Schema):
    start: date
    end: date


class DimensionOut(Schema):
    dimension: str
    label: str
    n: int | None  # people who rated themselves at closure during the period
    baseline_n: int | None
    baseline_mean: float | None
    closure_mean: float | None
    change_n: int | None  # people who answered both
    mean_change: float | None


class OutcomesOut(Schema):
    mentee: list[DimensionOut] | None  # null: fewer answers than the threshold
    mentor: list[DimensionOut] | None
    goals: Figures
    meeting_ratings: dict[str, Figures]
    would_recommend: Figures


class GroupOut(Schema):
    code: str
    label: str
    enrolled: int | None
    enrolled_share: float | None
    unmatched: int | None
    unmatched_share: float | None
    median_days_to_mentorship: float | None
    closed_early: int | None
    closed_early_share: float | None


class EquityOut(Schema):
    attribute: str
    title: str
    groups: list[GroupOut]


class EngagementOut(Schema):
    monthly: list[dict[str, Any]]
    recent: Figures
    checkins: Figures
    attention: Figures
    mentor_load: Figures


class ReportOut(Schema):
    program: ProgramRef
    period: PeriodOut
    counted_at: datetime
    cohort: str
    min_group_size: int
    funnel: Figures
    engagement: EngagementOut
    outcomes: OutcomesOut
    equity: list[EquityOut]


@router.get("/{program_uuid}/report", response=responses(ReportOut, 404, 422), auth=None)
def program_report(
    request: HttpRequest,
    program_uuid: UUID,
    start: Text = "",
    end: Text = "",
    cohort: Text = "",
) -> dict[str, Any]:
    """Funnel, engagement, outcomes and equity of one program over a period (the last twelve
    months unless ``start`` and ``end`` are given as YYYY-MM-DD)."""
    if not request.user.is_authenticated:
        raise Http404
    program = get_program_reported_to(request.user, program_uuid)
    query = {key: value for key, value in request.GET.items() if key in ("start", "end", "cohort")}
    form = ReportForm(query or None, programs=[program], rounds=report_rounds(program))
    if form.is_bound:  # unbound: the default period
        validated(form)
    report = report_cached(form.scope())
    column = str(program.uuid)
    return {
        "program": {"uuid": program.uuid, "name": program.name},
        "period": {"start": report.scope.period.start, "end": report.scope.period.end},
        "counted_at": report.counted_at,
        "cohort": form.cleaned_data.get("cohort", "") if form.is_bound else "",
        "min_group_size": report.scope.k,
        "funnel": _column(report.table("funnel"), column),
        "engagement": {
            "monthly": [
                {"month": row.key[:7], **{key: number(v) for key, v in row.cells.items()}}
                for row in report.table("monthly").rows
            ],
            "recent": _column(report.table("recent"), column),
            "checkins": _column(report.table("checkins"), column),
            "attention": _column(report.table("attention"), column),
            "mentor_load": _column(report.table("load"), column),
        },
        "outcomes": {
            "mentee": _dimensions(report.table("outcomes_mentee")),
            "mentor": _dimensions(report.table("outcomes_mentor")),
            "goals": _column(report.table("goals"), column),
            "meeting_ratings": {
                role: _column(report.table("meeting_ratings"), role)
                for role in ("mentee", "mentor")
            },
            "would_recommend": _column(report.table("recommend"), column),
        },
        "equity": _equity(report),
    }


def _column(table: Table, column: str) -> Figures:
    return {row.key: number(row.cells.get(column)) for row in table.rows}


# The API's names for the columns of the outcome and equity tables.
DIMENSION_FIELDS = {
    "n": "closure_n",
    "baseline_n": "baseline_n",
    "baseline_mean": "baseline_mean",
    "closure_mean": "closure_mean",
    "change_n": "change_n",
    "mean_change": "change",
}
GROUP_FIELDS = {
    "enrolled": "enrolled",
    "enrolled_share": "enrolled_share",
    "unmatched": "unmatched",
    "unmatched_share": "unmatched_share",
    "median_days_to_mentorship": "median_days",
    "closed_early": "early",
    "closed_early_share": "early_share",
}


def _fields(row: Row, names: dict[str, str]) -> dict[str, int | float | None]:
    return {name: number(row.cells.get(column)) for name, column in names.items()}


def _dimensions(table: Table) -> list[dict[str, Any]] | None:
    if table.withheld:
        return None
    return [
        {"dimension": row.key, "label": str(row.label), **_fields(row, DIMENSION_FIELDS)}
        for row in table.rows
    ]


def _equity(report: Report) -> list[dict[str, Any]]:
    return [
        {
            "attribute": table.key.removeprefix("equity_"),
            "title": str(table.title),
            "groups": [
                {"code": row.key, "label": str(row.label), **_fields(row, GROUP_FIELDS)}
                for row in table.rows
            ],
        }
        for table in report.section("equity").tables
    ]
