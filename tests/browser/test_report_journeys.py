"""The demo coordinator reads the program's report in a real browser: charts drawn beside
their tables, a new period chosen, a table taken away as CSV, the page set for printing."""

from __future__ import annotations

import csv
from datetime import timedelta

import pytest
from django.utils import timezone

from medmentor.core.periods import Period
from medmentor.dashboard.demo import DEMO_PASSWORD, demo_build
from medmentor.dashboard.demo.program import PROGRAM_NAME
from medmentor.reports.scope import default_period
from tests.browser.accessibility import assert_accessible
from tests.browser.journeys import DASHBOARD, LOG_IN_BUTTON

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_demo_coordinator_reads_the_report_and_changes_the_period(live_server, page):
    demo_build()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill("coordinator@medmentor.demo")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator(LOG_IN_BUTTON).click()
    page.wait_for_url(live_server.url + DASHBOARD)

    # The residents' program (the coordinator also runs the demo's peer circles).
    page.get_by_role("row", name=PROGRAM_NAME).get_by_role(
        "link", name="Report", exact=True
    ).click()
    page.get_by_role("heading", name="Funnel").wait_for()
    assert_accessible(page)
    # Each chart is drawn: bars with a width, dots on the 1-5 scale, one bar per month.
    funnel_bars = page.locator("#table-funnel svg rect")
    assert funnel_bars.count() == 7
    assert funnel_bars.first.bounding_box()["width"] > 100
    assert page.locator("#table-outcomes_mentee svg circle.closure").count() == 8
    assert page.locator("#table-monthly svg rect").count() == len(default_period().months())
    # Beside each chart, its figures as a table.
    enrolled = page.locator("#table-funnel tbody tr").first
    assert enrolled.locator("th").inner_text() == "Mentees enrolled"
    assert int(enrolled.locator("td").inner_text()) > 50
    assert page.locator("#table-outcomes_mentee table").is_visible()

    # A period of the last three months only: last year's intake drops out of the figures.
    start = (timezone.localdate() - timedelta(days=90)).isoformat()
    page.locator("input[name=start]").fill(start)
    page.get_by_role("button", name="Show the report").click()
    page.wait_for_url(f"**start={start}**")
    months = Period(timezone.localdate() - timedelta(days=90), timezone.localdate()).months()
    assert page.locator("#table-monthly svg rect").count() == len(months)
    closed = page.locator("#table-funnel tbody tr", has_text="Mentorships ended during the period")
    assert closed.locator("td").inner_text() in ("0", "< 5")
    assert page.locator("input[name=start]").input_value() == start

    # A bad period is refused, naming the field.
    page.locator("input[name=start]").fill(timezone.localdate().isoformat())
    page.locator("input[name=end]").fill(start)
    page.get_by_role("button", name="Show the report").click()
    assert page.get_by_text("The end date comes before the start date.").is_visible()
    assert_accessible(page)

    # A table goes to a spreadsheet with the page's period.
    page.go_back()
    with page.expect_download() as download:
        page.locator("#table-funnel").get_by_role("link", name="Download as CSV").click()
    with open(download.value.path(), encoding="utf-8") as saved:
        rows = list(csv.reader(saved))
    assert rows[1][0] == "Mentees enrolled"
    assert start in download.value.suggested_filename

    # Printed, the navigation and the filters leave the page.
    page.emulate_media(media="print")
    assert not page.locator("form.report-filters").is_visible()
    assert not page.locator(".site-header").is_visible()
    assert page.locator("#table-funnel svg").is_visible()
