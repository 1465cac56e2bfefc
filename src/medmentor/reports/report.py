"""A program report (or a roll-up of several programs): its four sections.

Computing one reads a program's whole history (a large program's takes about half a
second), so the pages, the CSV files and the API share what was computed for the same
programs, period, cohort and language for ``REPORTS_CACHE_SECONDS``: a report says when
its figures were counted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from medmentor.reports.scope import Scope
from medmentor.reports.sections.engagement import engagement_section
from medmentor.reports.sections.equity import equity_section
from medmentor.reports.sections.funnel import funnel_section
from medmentor.reports.sections.journeys import mentee_journeys
from medmentor.reports.sections.outcomes import outcomes_section
from medmentor.reports.sections.surveys import surveys_section
from medmentor.reports.tables import Section, Table


@dataclass
class Report:
    scope: Scope
    sections: list[Section]
    counted_at: datetime = field(default_factory=timezone.now)

    def tables(self) -> Iterator[Table]:
        for section in self.sections:
            yield from section.tables

    def table(self, key: str) -> Table:
        return next(table for table in self.tables() if table.key == key)

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)


def report_of(scope: Scope) -> Report:
    journeys = mentee_journeys(scope)
    return Report(
        scope=scope,
        sections=[
            funnel_section(scope, journeys),
            engagement_section(scope),
            outcomes_section(scope),
            equity_section(scope, journeys),
            surveys_section(scope),
        ],
    )


def report_cached(scope: Scope) -> Report:
    """The report of ``scope`` as counted at most ``REPORTS_CACHE_SECONDS`` ago."""
    seconds = int(settings.REPORTS_CACHE_SECONDS)
    if not seconds:
        return report_of(scope)
    key = (
        "reports:"
        + hashlib.sha256(repr((scope.cache_key(), translation.get_language())).encode()).hexdigest()
    )
    report: Report | None = cache.get(key)
    if report is None:
        report = report_of(scope)
        cache.set(key, report, seconds)
    return report
