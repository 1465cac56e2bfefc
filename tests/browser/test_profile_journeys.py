"""A new resident completes their profile in short htmx steps, finds a mentor ranked for
them with a reason, and keeps their supervisor out of the results."""

from __future__ import annotations

import re

import pytest

from medmentor.profiles.models import Profile
from tests.browser.accessibility import assert_accessible
from tests.browser.journeys import log_in
from tests.factories import UserFactory
from tests.profiles.factories import make_mentor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_onboarding_then_search_then_keep_a_supervisor_out(live_server, page):
    base = live_server.url
    make_mentor(
        display_name="Dr. Good Fit",
        specialty="family-medicine",
        interests=["sexual-health"],
        goals_offered=["work-life-balance"],
        institution="McGill University",
    )
    make_mentor(display_name="Dr. My Supervisor", specialty="family-medicine")
    UserFactory(email="resident@example.org", name="Dr. Amira Haddad")

    log_in(page, base, "resident@example.org")
    page.goto(base + "/profile/start/")
    assert page.get_by_role("heading", name=re.compile("Step 1 of 5")).is_visible()
    assert_accessible(page)

    page.get_by_label("Career stage").select_option("resident-pgy2")
    page.get_by_label(re.compile(r"^Specialty")).select_option("family-medicine")
    page.get_by_label("Institution").fill("University of Ottawa")
    page.get_by_label("Province or territory").select_option("ON")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/profile/edit/roles/$"))
    assert_accessible(page)

    page.get_by_label("I am looking for a mentor").check()
    page.locator("#id_goals_sought").get_by_label("Work-life balance").check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/profile/edit/interests/$"))
    assert_accessible(page)

    page.locator("#id_interests").get_by_label("Sexual health").check()
    page.get_by_label("About me").fill("Second-year resident in Ottawa.")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/profile/edit/availability/$"))
    assert_accessible(page)

    page.get_by_label("Meeting cadence").select_option("monthly")
    page.get_by_label("Meeting modality").select_option("virtual")
    page.get_by_label("Time zone").select_option("America/Toronto")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/profile/edit/privacy/$"))
    assert_accessible(page)
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r"/profile/reporting-lines/$"))
    assert page.get_by_text("Profile 100% complete").is_visible()
    assert_accessible(page)
    assert Profile.objects.get(user__email="resident@example.org").is_complete

    page.goto(base + "/mentors/")
    first = page.locator(".result").first
    assert "Dr. Good Fit" in first.inner_text()
    assert "Why:" in first.inner_text()
    assert "sexual health" in first.inner_text().lower()
    assert_accessible(page)

    # Filter with htmx: only the results are replaced.
    page.get_by_label("Province or territory").select_option("BC")
    page.get_by_text("No mentor matches these filters").wait_for()
    assert page.locator(".result").count() == 0
    assert "province=BC" in page.url
    assert_accessible(page)

    page.goto(base + "/mentors/")
    page.get_by_role("link", name="Dr. My Supervisor", exact=True).click()
    page.wait_for_url(re.compile(r"/people/[0-9a-f-]+/$"))
    assert_accessible(page)
    page.get_by_label("Declare a reporting line or conflict with this person").select_option(
        "supervisor"
    )
    page.get_by_role("button", name="Declare").click()
    page.wait_for_url(re.compile(r"/profile/reporting-lines/$"))
    assert page.get_by_role("cell", name="Dr. My Supervisor").is_visible()
    assert_accessible(page)
    page.goto(base + "/mentors/")
    assert page.locator(".result").count() == 1
    assert "Dr. My Supervisor" not in page.locator("#results").inner_text()
