"""The Content-Security-Policy breaks nothing: the demo coordinator's and mentee's pages,
with their scripts (htmx, the four-C sliders, print buttons) and the API docs, load in a
real browser without one refused script, style or frame."""

from __future__ import annotations

import pytest

from medmentor.dashboard.demo import DEMO_PASSWORD, demo_build
from medmentor.dashboard.demo.program import PROGRAM_NAME
from medmentor.programs.models import Program
from tests.browser.accessibility import assert_accessible
from tests.browser.journeys import DASHBOARD, LOG_IN_BUTTON

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator(LOG_IN_BUTTON).click()
    page.wait_for_url(base + DASHBOARD)


def test_pages_load_under_the_policy_without_a_refusal(live_server, page):
    demo_build()
    program = Program.objects.get(name_en=PROGRAM_NAME)
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    base = live_server.url
    log_in(page, base, "coordinator@medmentor.demo")
    for url in (
        "/",
        "/directory/",
        "/mentors/",
        f"/programs/{program.uuid}/manage/",
        f"/reports/programs/{program.uuid}/",
        "/mentorships/activity/",
        "/api/docs",
    ):
        page.goto(base + url)
        page.wait_for_load_state("networkidle")
        if url != "/api/docs":  # Swagger UI's own page, not MedMentor's
            assert_accessible(page)
    assert page.locator(".swagger-ui").first.is_visible()
    page.goto(f"{base}/reports/programs/{program.uuid}/")
    assert page.get_by_role("button", name="Print or save as PDF").is_visible()
    assert refused == []
