"""A mentee and a mentor work in their workspace in a real browser."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from medmentor.mentorships.models import Goal, Meeting, Note
from medmentor.programs.models import Role
from tests.browser.accessibility import assert_accessible, both_widths
from tests.browser.journeys import log_in
from tests.mentorships.factories import start_mentorship
from tests.programs.factories import MembershipFactory, ProgramFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@both_widths
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
    assert_accessible(page)
    page.get_by_role("button", name="Sign the agreement").click()
    assert page.get_by_text("Signed by one of you.").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Read or edit").click()
    expect(page.get_by_role("heading", name="Mentoring agreement")).to_be_visible()
    assert_accessible(page)
    page.go_back()

    page.get_by_role("link", name="Propose a goal").click()
    page.get_by_role("button", name="Propose").click()  # no title: a field error
    assert page.get_by_text("This field is required.").is_visible()
    assert_accessible(page)
    page.locator("#id_title").fill("Choose a residency program")
    page.get_by_role("button", name="Propose").click()
    assert page.get_by_role("link", name="Choose a residency program").is_visible()
    assert_accessible(page)

    # The goal's page: the steps', the comments' and the goal's own forms side by side,
    # each field with its own label (no id used twice).
    page.get_by_role("link", name="Choose a residency program").click()
    expect(page.get_by_role("heading", name="Choose a residency program")).to_be_visible()
    assert_accessible(page)
    edit = page.locator("section", has=page.get_by_role("heading", name="Edit the goal"))
    expect(edit.get_by_label(re.compile(r"^Goal:?$"))).to_have_value("Choose a residency program")
    expect(edit.get_by_label(re.compile(r"^Due:?$"))).to_be_editable()
    page.get_by_label(re.compile(r"^Step:?$")).fill("Visit three programs")
    page.get_by_role("button", name="Add the step").click()
    page.get_by_role("button", name="Mark “Visit three programs” as done").click()
    expect(
        page.get_by_role("button", name="Mark “Visit three programs” as not done")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Workspace of")).click()
    page.wait_for_url(re.compile(rf"/mentorships/{mentorship.uuid}/$"))

    page.get_by_role("link", name="Schedule a meeting").click()
    when = timezone.localtime() + timedelta(days=7)
    page.get_by_label("Date and time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_modality").select_option("video")
    page.get_by_label("Place or link").fill("https://meet.example.org/amira")
    page.get_by_role("button", name="Schedule and send the invitations").click()
    assert page.get_by_text("The meeting is scheduled").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Open the conversation").click()
    page.get_by_label("Message").fill("Could we talk about rural programs first?")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#thread")).to_contain_text("Could we talk about rural programs first?")
    assert_accessible(page)
    page.goto(f"{live_server.url}/mentorships/{mentorship.uuid}/")

    page.get_by_role("link", name="All notes, and write one").click()
    page.locator("#id_body").fill("I worry about my <b>exams</b>")
    page.get_by_role("button", name="Save the note").click()
    assert page.get_by_text("I worry about my <b>exams</b>").is_visible()  # escaped, shown as typed
    assert_accessible(page)

    page.goto(f"{live_server.url}/mentorships/{mentorship.uuid}/")
    page.get_by_role("link", name="Check in").click()
    expect(page.get_by_role("heading", name="Check-in")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send my check-in").click()  # nothing chosen: errors
    expect(page.get_by_role("alert")).to_contain_text("Please correct the fields marked below.")
    assert_accessible(page)
    page.locator("input[name=score][value='4']").check()
    page.get_by_label("Meetings held since the last check-in").fill("1")
    page.get_by_role("button", name="Send my check-in").click()
    expect(page.get_by_text("Thank you for your check-in.")).to_be_visible()
    assert_accessible(page)

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
    assert_accessible(page)

    # The mentor closes the mentorship and gives the evaluation.
    page.get_by_role("link", name="End the mentorship").click()
    assert_accessible(page)
    page.get_by_role("button", name="End the mentorship").click()
    page.wait_for_url(re.compile(rf"/mentorships/{mentorship.uuid}/evaluation/$"))
    assert_accessible(page)
    for name in page.locator("main form input[type=radio]").evaluate_all(
        "radios => [...new Set(radios.map((radio) => radio.name))]"
    ):
        page.locator(f"main form input[type=radio][name={name}]").first.check()
    page.get_by_role("button", name="Send my evaluation").click()
    expect(page.get_by_text("Thank you for your evaluation.")).to_be_visible()
    assert_accessible(page)
    mentorship.refresh_from_db()
    assert mentorship.status == "ended"
