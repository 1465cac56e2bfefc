"""A new resident completes their profile in short htmx steps, finds a mentor ranked for
them with a reason, and keeps their supervisor out of the results."""

from __future__ import annotations

import re

import pytest

from medmentor.profiles.models import Profile
from tests.browser.accessibility import assert_accessible
from tests.browser.journeys import log_in
from tests.factories import UserFactory
from tests.profiles.factories import make_mentee, make_mentor

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
    assert page.get_by_role("heading", name=re.compile("Step 1 of 6")).is_visible()
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


def test_newcomer_time_zone_roles_and_searchable_specialties_under_the_csp(live_server, browser):
    """The browser's time zone fills an unset one (never a chosen one), ticking "I offer
    to mentor" shows its questions, and other specialties are found by typing, with no
    script or style the Content-Security-Policy blocks."""
    base = live_server.url
    user = UserFactory(email="newcomer@example.org", name="Dr. New Comer")
    make_mentee(user=user, time_zone="")
    context = browser.new_context(locale="en-CA", timezone_id="America/Edmonton")
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => (window.__csp ="
        " window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    blocked: list[str] = []
    page.on("console", lambda m: "Content Security Policy" in m.text and blocked.append(m.text))
    try:
        log_in(page, base, "newcomer@example.org")

        page.goto(base + "/profile/edit/availability/")
        assert page.get_by_label("Time zone").input_value() == "America/Edmonton"
        page.get_by_role("button", name="Save and continue").click()
        page.wait_for_url(re.compile(r"/profile/edit/privacy/$"))
        assert Profile.objects.get(user=user).time_zone == "America/Edmonton"
        Profile.objects.filter(user=user).update(time_zone="America/Halifax")
        page.goto(base + "/profile/edit/availability/")
        assert page.get_by_label("Time zone").input_value() == "America/Halifax"

        page.goto(base + "/profile/edit/roles/")
        capacity = page.get_by_label("Mentees at once")
        assert not capacity.is_visible()
        page.get_by_label("I offer to mentor").check()
        assert capacity.is_visible()

        page.goto(base + "/profile/edit/about/")
        search = page.locator("#id_other_specialties-ts-control")
        search.click()
        search.press_sequentially("cardiology")
        active = page.locator(".ts-dropdown .option.active")
        active.filter(has_text=re.compile("^Cardiology$")).wait_for()
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        page.get_by_role("button", name="Save and continue").click()
        page.wait_for_url(re.compile(r"/profile/edit/roles/$"))
        codes = Profile.objects.get(user=user).other_specialties.values_list("code", flat=True)
        assert "cardiology" in set(codes)

        assert page.evaluate("window.__csp || []") == []
        assert blocked == []
    finally:
        context.close()
