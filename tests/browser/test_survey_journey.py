"""The demo coordinator writes a named survey (a 1-5 scale and a short text), sends it to
the program's mentees now; the demo mentee answers it from her dashboard; the coordinator
finds the answers in the program's report."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medmentor.dashboard.demo import DEMO_PASSWORD, demo_build
from medmentor.dashboard.demo.program import PROGRAM_NAME
from medmentor.programs.models import Program
from tests.browser.accessibility import assert_accessible
from tests.browser.journeys import DASHBOARD, LOG_IN_BUTTON

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "Half-way through the year"
SCALE = "How useful are your meetings?"
TEXT = "One thing to improve?"
IMPROVE = "More time for questions"


def _log_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator(LOG_IN_BUTTON).click()
    page.wait_for_url(base_url + DASHBOARD)


def _add_question(page, kind: str, text: str) -> None:
    form = page.locator("form[aria-labelledby=add-question]")
    form.get_by_label("Answer").select_option(kind)
    form.get_by_label("Question (English)").fill(text)
    form.get_by_role("button", name="Add the question").click()
    page.get_by_role("cell", name=text).wait_for()


def test_a_coordinator_surveys_the_mentees_and_reads_the_answers_in_the_report(
    live_server, page, second_page
):
    demo_build()
    program = Program.objects.get(name_en=PROGRAM_NAME)
    base = live_server.url

    # The coordinator writes the survey: named, to the mentees, now.
    _log_in(page, base, "coordinator@medmentor.demo")
    page.goto(base + reverse("surveys:surveys", args=[program.uuid]))
    assert_accessible(page)
    page.get_by_role("link", name="Write a survey").click()
    page.get_by_label("Title (English)").fill(TITLE)
    page.get_by_label("Sent to").select_option("mentees")
    page.get_by_label("When").select_option("now")
    assert not page.get_by_label("Anonymous answers").is_checked()
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("heading", name=TITLE).wait_for()
    _add_question(page, "scale_5", SCALE)
    _add_question(page, "short_text", TEXT)
    assert_accessible(page)

    # Sending: a summary first, then the click queues it.
    page.get_by_role("link", name="Send the survey").click()
    assert page.get_by_text("Mentees").first.is_visible()
    page.get_by_role("button", name="Send it").click()
    page.get_by_role("heading", name="Surveys", exact=True).wait_for()
    row = page.get_by_role("row", name=TITLE)
    assert "Sent" in row.inner_text()

    # The demo mentee finds it waiting on her dashboard, and answers.
    _log_in(second_page, base, "mentee@medmentor.demo")
    second_page.get_by_role("link", name=f"Answer the survey “{TITLE}”", exact=False).click()
    second_page.get_by_role("heading", name=TITLE).wait_for()
    assert_accessible(second_page)
    second_page.get_by_role("button", name="Send my answers").click()  # nothing yet
    second_page.get_by_text(f"“{SCALE}”: this question needs an answer.").first.wait_for()
    second_page.get_by_role("radio", name="4", exact=True).check()
    second_page.get_by_label(TEXT).fill(IMPROVE)
    second_page.get_by_role("button", name="Send my answers").click()
    second_page.get_by_text("Thank you: your answers are received.").wait_for()
    assert second_page.get_by_role("button", name="Send my answers").count() == 0

    # The coordinator reads the report: the text listed, the 1-5 distribution withheld
    # (one answer is fewer than five).
    page.goto(base + reverse("reports:program", args=[program.uuid]))
    page.get_by_role("heading", name="The program's surveys").wait_for()
    overview = page.locator("#table-surveys")
    assert f"{TITLE} (named)" in overview.inner_text()
    tables = page.locator(".report-block", has_text=TITLE)
    scale = tables.filter(has_text=SCALE)
    assert "Fewer than 5 answers" in scale.inner_text()
    text = tables.filter(has_text=TEXT)
    assert IMPROVE in text.inner_text()
    assert_accessible(page)
