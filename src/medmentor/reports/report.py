"""A program report (or a roll-up of several programs): its four sections."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from medmentor.reports.scope import Scope
from medmentor.reports.sections.engagement import engagement_section
from medmentor.reports.sections.equity import equity_section
from medmentor.reports.sections.funnel import funnel_section
from medmentor.reports.sections.journeys import mentee_journeys
from medmentor.reports.sections.outcomes import outcomes_section
from medmentor.reports.tables import Section, Table


@dataclass
class Report:
    scope: Scope
    sections: list[Section]

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
        ],
    )
