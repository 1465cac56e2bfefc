"""A mentee and a mentor work in their workspace in a real browser."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from medmentor.mentorships.models import Goal, Meeting, Note
from medmentor.programs.models import Role
from tests.browser.journeys import log_in
from tests.mentorships.factories import start_mentorship
from tests.programs.factories import MembershipFactory, ProgramFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_pair_signs_proposes_a_goal_schedules_and_writes_a_private_note(
    live_server, browser, page
):
    program = ProgramFactory(cycle_start=None, cycle_end=None)
    mentee = MembershipFactory(
        program=program, role=Role.MENTEE, user__email="amira@example.org", user__name="Amira"
    ).user
    mentor = MembershipFactory(
        program=program, role=Role.MENTOR, user__email="jean@example.org", user__name="Jean"
    ).user
    mentorship = start_mentorship(mentor=mentor, mentee=mentee, program=program)

    log_in(page, live_server.url, "amira@example.org")
    page.goto(live_server.url + "/mentorships/")
    page.get_by_role("link", name="Mentored by Jean").click()
    page.wait_for_url(re.compile(rf"/mentorships/{mentorship.uuid}/$"))
    page.get_by_role("button", name="Sign the agreement").click()
    assert page.get_by_text("Signed by one of you.").is_visible()

    page.get_by_role("link", name="Propose a goal").click()
    page.get_by_role("button", name="Propose").click()  # no title: a field error
    assert page.get_by_text("This field is required.").is_visible()
    page.locator("#id_title").fill("Choose a residency program")
    page.get_by_role("button", name="Propose").click()
    assert page.get_by_role("link", name="Choose a residency program").is_visible()

    page.get_by_role("link", name="Schedule a meeting").click()
    when = timezone.localtime() + timedelta(days=7)
    page.get_by_label("Date and time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_modality").select_option("video")
    page.get_by_label("Place or link").fill("https://meet.example.org/amira")
    page.get_by_role("button", name="Schedule and send the invitations").click()
    assert page.get_by_text("The meeting is scheduled").is_visible()

    page.get_by_role("link", name="All notes, and write one").click()
    page.locator("#id_body").fill("I worry about my <b>exams</b>")
    page.get_by_role("button", name="Save the note").click()
    assert page.get_by_text("I worry about my <b>exams</b>").is_visible()  # escaped, shown as typed

    assert Goal.objects.get().title == "Choose a residency program"
    assert Meeting.objects.get().place == "https://meet.example.org/amira"
    assert Note.objects.get().is_private

    # The mentor sees the goal and the meeting, not the private note.
    page.context.clear_cookies()
    log_in(page, live_server.url, "jean@example.org")
    page.goto(f"{live_server.url}/mentorships/{mentorship.uuid}/")
    assert page.get_by_role("link", name="Choose a residency program").is_visible()
    assert page.get_by_text("No meeting planned.").count() == 0
    assert "exams" not in page.content()
