"""``make demo`` gives the demo coordinator a report with real figures in every section."""

from __future__ import annotations

from django.urls import reverse

from medmentor.accounts.models import User
from medmentor.dashboard.demo import demo_build
from medmentor.dashboard.demo.program import PROGRAM_NAME
from medmentor.programs.models import Program
from medmentor.reports.display import number
from tests.factories import logged_in_client


def test_the_demo_coordinator_finds_every_section_filled(db):
    demo_build()
    program = Program.objects.get(name_en=PROGRAM_NAME)
    client = logged_in_client(User.objects.get(email="coordinator@medmentor.demo"))
    page = client.get(reverse("reports:program", args=[program.uuid]))
    assert page.status_code == 200
    report = page.context["report"]
    column = str(program.uuid)

    def shown(table, row, col=column):
        return number(report.table(table).row(row).cells[col])

    assert shown("funnel", "mentees_enrolled") > 50
    assert shown("funnel", "mentorships_closed") >= 5  # last year's intake
    assert shown("funnel", "mentorships_active") >= 5  # this autumn's
    assert shown("funnel", "median_days_to_mentorship") is not None
    assert any(number(row.cells["meetings"]) for row in report.table("monthly").rows)
    assert shown("checkins", "mean") is not None
    assert shown("load", "mentors") >= 5
    for role in ("mentee", "mentor"):
        table = report.table(f"outcomes_{role}")
        assert not table.withheld
        assert all(number(row.cells["change"]) is not None for row in table.rows)
    assert shown("goals", "achieved") > 0
    assert shown("meeting_ratings", "mean", "mentee") is not None
    assert shown("recommend", "mentee_total") >= 5
    equity = report.table("equity_gender")
    assert number(equity.row("all").cells["unmatched"]) >= 5  # some never matched
    assert sum(number(row.cells["enrolled"]) or 0 for row in equity.rows[1:]) > 0
