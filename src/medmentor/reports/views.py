"""Report pages and their CSV files: a program's, and the roll-up of several. Thin: access
through ``reports.access``, filters through ``ReportForm``, figures from ``report_cached``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.core.spreadsheet import csv_download
from medmentor.programs.models import Program
from medmentor.programs.selectors import programs_coordinated_by
from medmentor.reports.access import get_program_reported_to, programs_reported_to
from medmentor.reports.charts import drawn
from medmentor.reports.display import ShownRow, csv_rows, shown_rows
from medmentor.reports.forms import ReportForm, RollupForm, report_rounds
from medmentor.reports.report import Report, report_cached
from medmentor.reports.tables import Section, Table

ALL_TABLES = "all"


@dataclass(frozen=True)
class ShownTable:
    table: Table
    rows: list[ShownRow]
    chart_kind: str
    chart: object  # the shapes of the chart drawn from the table, if any


@login_required
@require_GET
def program_report(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = get_program_reported_to(request.user, program_uuid)
    form = ReportForm(request.GET or None, programs=[program], rounds=report_rounds(program))
    return _page(request, form, program=program)


@login_required
@require_GET
def program_report_csv(
    request: AuthenticatedHttpRequest, program_uuid: UUID, table: str
) -> HttpResponse | StreamingHttpResponse:
    program = get_program_reported_to(request.user, program_uuid)
    form = ReportForm(request.GET or None, programs=[program], rounds=report_rounds(program))
    return _csv(request, form, table, slugify(program.name_en) or "program")


@login_required
@require_GET
def rollup(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RollupForm(request.GET or None, choices=_rollup_choices(request))
    return _page(request, form, rollup=True)


@login_required
@require_GET
def rollup_csv(
    request: AuthenticatedHttpRequest, table: str
) -> HttpResponse | StreamingHttpResponse:
    form = RollupForm(request.GET or None, choices=_rollup_choices(request))
    return _csv(request, form, table, "programs")


def _rollup_choices(request: AuthenticatedHttpRequest) -> list[Program]:
    programs = list(programs_reported_to(request.user).order_by("name_en"))
    if not programs:
        raise Http404
    return programs


def _page(request: AuthenticatedHttpRequest, form: ReportForm, **context: object) -> HttpResponse:
    report = report_cached(form.scope()) if not form.errors else None
    return render(
        request,
        "reports/report.html",
        {
            "form": form,
            "report": report,
            "sections": _sections(report) if report else [],
            "coordinates": programs_coordinated_by(request.user).filter(
                pk__in=[p.pk for p in form.programs]
            ),
            **context,
        },
        status=422 if form.errors else 200,
    )


def _sections(report: Report) -> list[tuple[Section, list[ShownTable]]]:
    """Each section with its tables: figures as read, and the chart drawn from each."""
    k = report.scope.k
    shown = []
    for section in report.sections:
        charts = {chart.table.key: chart for chart in section.charts}
        tables = []
        for table in section.tables:
            chart = charts.get(table.key)
            tables.append(
                ShownTable(
                    table,
                    shown_rows(table, k),
                    chart.kind if chart else "",
                    drawn(chart, k) if chart else None,
                )
            )
        shown.append((section, tables))
    return shown


def _csv(
    request: AuthenticatedHttpRequest, form: ReportForm, key: str, name: str
) -> HttpResponse | StreamingHttpResponse:
    if form.errors:
        errors = "; ".join(
            f"{field}: {' '.join(map(str, messages))}" for field, messages in form.errors.items()
        )
        return HttpResponse(errors, status=422, content_type="text/plain; charset=utf-8")
    scope = form.scope()
    report = report_cached(scope)
    if key == ALL_TABLES:
        tables = list(report.tables())
    else:
        tables = [table for table in report.tables() if table.key == key]
        if not tables:
            raise Http404

    def rows() -> Iterator[list[object]]:
        for n, table in enumerate(tables):
            if n:
                yield []
            if len(tables) > 1:
                yield [str(table.title)]
            yield from csv_rows(table, scope.k, _("Figure"))

    period = f"{scope.period.start.isoformat()}-{scope.period.end.isoformat()}"
    for program in scope.programs:
        access_log(
            actor=request.user,
            action=Action.EXPORT,
            what=What.PROGRAM_REPORT,
            program=program,
            detail=f"{key} {period}",
        )
    return csv_download(f"{name}-{key}-{period}.csv", rows())
