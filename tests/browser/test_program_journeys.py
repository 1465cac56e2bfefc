"""A coordinator sets up a program in a real browser; a person joins by invitation link."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission

from medmentor.programs.models import Membership, Program
from tests.browser.accessibility import assert_accessible
from tests.browser.journeys import LOG_IN_BUTTON, log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_coordinator_creates_a_program_and_a_person_joins_by_invitation(live_server, browser, page):
    creator = UserFactory(email="coordinator@example.org", name="Dr. Claire Roy")
    creator.user_permissions.add(Permission.objects.get(codename="add_program"))
    UserFactory(email="student@example.org", name="Sam Student")

    log_in(page, live_server.url, "coordinator@example.org")
    page.goto(live_server.url + "/programs/new/")
    assert_accessible(page)
    page.get_by_label("Name (English)").fill("Faculty Student Mentorship")
    page.get_by_label("Name (French)").fill("Mentorat étudiant de la faculté")
    page.get_by_label("Audience").select_option("students")
    page.get_by_label("Region").select_option("ON")
    page.get_by_label("Cycle start").fill("2026-09-01")
    page.get_by_label("Cycle end").fill("2027-06-30")
    page.get_by_label("Enrolment").select_option("invitation")
    # The sliders show their value and share as they move.
    page.get_by_label("Commonality").fill("75")
    page.get_by_label("Confidentiality").fill("0")
    commonality = page.locator(".weight", has=page.get_by_label("Commonality"))
    assert commonality.locator("output").text_content() == "75"
    assert commonality.locator("[data-weight-share]").text_content() == "(60 %)"
    assert_accessible(page)
    page.get_by_role("button", name="Create the program").click()
    page.wait_for_url(re.compile(r"/programs/[0-9a-f-]+/manage/$"))
    assert page.get_by_text("You are its coordinator").is_visible()
    assert_accessible(page)

    program = Program.objects.get(name_en="Faculty Student Mentorship")
    assert program.weights == {
        "consideration": 25,
        "camaraderie": 25,
        "commonality": 75,
        "confidentiality": 0,
    }

    page.get_by_role("link", name="Intake questions").click()
    page.get_by_label("Asked of").wait_for()
    assert_accessible(page)
    page.get_by_label("Asked of").select_option("mentee")
    page.get_by_label("Question (English)").fill("How would you like to meet?")
    page.get_by_label("Question (French)").fill("Comment souhaitez-vous vous rencontrer?")
    page.get_by_label("Choices").fill("virtual | Virtually | Virtuellement\nin_person | In person")
    page.get_by_role("button", name="Add the question").click()
    assert page.get_by_role("cell", name="Virtually, In person").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Invitations").click()
    page.locator("#id_role").select_option("mentee")
    page.get_by_role("button", name="Make the link").click()
    link = page.locator("#invitation-link").input_value()
    assert "/programs/invitation/" in link
    assert_accessible(page)

    guest = browser.new_context(locale="en-CA")
    student = guest.new_page()
    student.goto(link)
    assert student.get_by_role(
        "heading", name="You are invited to Faculty Student Mentorship"
    ).is_visible()
    assert_accessible(student)
    student.locator("main").get_by_role("link", name="Log in").click()
    student.locator("input[name=login]").fill("student@example.org")
    student.locator("input[name=password]").fill(PASSWORD)
    student.locator(LOG_IN_BUTTON).click()
    student.wait_for_url(link)
    assert_accessible(student)
    student.get_by_role("button", name="Join").click()
    # The question is required: the form says so and keeps the person on the page.
    assert student.get_by_text("This field is required.").is_visible()
    assert_accessible(student)
    student.get_by_label("Virtually").check()
    student.get_by_role("button", name="Join").click()
    assert student.get_by_text("Welcome to Faculty Student Mentorship.").is_visible()
    assert_accessible(student)
    guest.close()

    membership = Membership.objects.get(user__email="student@example.org")
    assert (membership.role, membership.status) == ("mentee", "active")
    assert list(membership.answers.values()) == [["virtual"]]
