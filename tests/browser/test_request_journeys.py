"""Direct requests in a real browser: a mentee finds a mentor in the search and asks for
mentorship; the mentor declines with a private reason; the mentee sees "declined" and
never the reason. Then a line-up that moves on to the second mentor, who accepts; a
mentor who reports a request and blocks, followed up by the coordinator; and the answer
date on the mentor's dashboard."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.core import mail
from playwright.sync_api import expect

from medmentor.accounts.models import User
from medmentor.mentorships.models import Mentorship, Source
from medmentor.programs.models import Program, Role
from medmentor.requests.models import Request, RequestStatus
from medmentor.requests.services import request_send
from tests.browser.accessibility import assert_accessible
from tests.browser.journeys import DASHBOARD, log_in
from tests.factories import UserFactory
from tests.profiles.factories import make_mentee, make_mentor
from tests.programs.factories import MembershipFactory, ProgramFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


PROGRAM = "Ottawa Residents Mentorship"
MESSAGE = "I am a PGY-2 in family medicine and would value your advice on rural practice."
REASON = "I am moving to Vancouver and cannot take anyone this year."


def requests_program(**fields: object) -> Program:
    return ProgramFactory(name_en=PROGRAM, audience="residents", matching_mode="requests", **fields)


def member(program: Program, role: str, email: str, name: str, **profile: object) -> User:
    """A person with a mentee's or a mentor's profile, enrolled in ``program``."""
    user = UserFactory(email=email, name=name)
    (make_mentee if role == Role.MENTEE else make_mentor)(user=user, **profile)
    MembershipFactory(program=program, user=user, role=role)
    return user


def test_mentee_asks_a_mentor_found_in_the_search_who_declines_privately(
    live_server, page, second_page
):
    base = live_server.url
    program = requests_program(request_cascade_days=7)
    member(program, Role.MENTEE, "amira@example.org", "Amira Haddad", interests=["sexual-health"])
    member(
        program,
        Role.MENTOR,
        "jean@example.org",
        "Dr. Jean Tremblay",
        interests=["sexual-health"],
        mentor_capacity=2,
    )

    # The mentee finds the mentor in the search and opens the profile.
    log_in(page, base, "amira@example.org")
    page.goto(base + "/mentors/")
    result = page.locator(".result", has_text="Dr. Jean Tremblay")
    expect(result).to_contain_text("Why:")
    assert_accessible(page)
    result.get_by_role("link", name="Dr. Jean Tremblay", exact=True).click()
    expect(page.get_by_role("heading", name="Dr. Jean Tremblay")).to_be_visible()
    assert_accessible(page)

    # Ask, with a message; an empty message is a field error first.
    page.get_by_role("link", name="Ask for mentorship").click()
    expect(page.get_by_role("heading", name="Ask Dr. Jean Tremblay for mentorship")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_text(f"Program: {PROGRAM}")).to_be_visible()
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your message").fill(MESSAGE)
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_url(re.compile(r"/programs/requests/$"))
    expect(page.get_by_text("Your request is sent to Dr. Jean Tremblay.")).to_be_visible()
    sent = page.locator("section.panel", has_text=PROGRAM)
    expect(sent.get_by_role("row", name=re.compile("Dr. Jean Tremblay"))).to_contain_text("Waiting")
    assert_accessible(page)

    # The mentor sees it on the dashboard, opens "Requests to me" and declines with a
    # private reason.
    jean = second_page
    log_in(jean, base, "jean@example.org")
    assert_accessible(jean)
    todo = jean.locator("section", has=jean.get_by_role("heading", name="Waiting for you"))
    todo.get_by_role("link", name="Amira Haddad asks you to be their mentor").click()
    jean.wait_for_url(re.compile(r"/programs/requests/received/$"))
    assert_accessible(jean)
    asked = jean.locator("section.panel", has_text="Amira Haddad")
    expect(asked).to_contain_text(MESSAGE)
    asked.get_by_label("Why (optional, private)").fill(REASON)
    asked.get_by_role("button", name="Decline").click()
    expect(jean.get_by_text("You declined the request. Thank you for answering.")).to_be_visible()
    expect(jean.get_by_text("No request is waiting for you.")).to_be_visible()
    # The mentor keeps their own reason.
    expect(jean.get_by_role("row", name=re.compile("Amira Haddad"))).to_contain_text(REASON)
    assert_accessible(jean)

    # The mentee sees "declined", never the reason: not on the requests page, not in
    # the notification.
    page.reload()
    expect(sent.get_by_role("row", name=re.compile("Dr. Jean Tremblay"))).to_contain_text(
        "Declined"
    )
    assert "Vancouver" not in page.content()
    page.goto(base + "/notifications/")
    expect(page.get_by_text("No mentor could take your request this time")).to_be_visible()
    assert_accessible(page)
    assert "Vancouver" not in page.content()

    to_mentee = [m for m in mail.outbox if m.to == ["amira@example.org"]]
    assert to_mentee, "the mentee is told by e-mail"
    assert not any("Vancouver" in m.body for m in to_mentee)
    request = Request.objects.get()
    assert request.status == RequestStatus.DECLINED
    assert request.decline_reason == REASON


def test_a_line_up_moves_on_when_the_first_mentor_declines_and_the_second_accepts(
    live_server, page, second_page
):
    base = live_server.url
    program = requests_program(request_cascade_days=7)
    member(program, Role.MENTEE, "amira@example.org", "Amira Haddad")
    for email, name in (
        ("jean@example.org", "Dr. Jean Tremblay"),
        ("marie@example.org", "Dr. Marie Gagnon"),
    ):
        member(program, Role.MENTOR, email, name, mentor_capacity=1)

    # Ask Jean first, then Marie if Jean cannot.
    log_in(page, base, "amira@example.org")
    page.goto(base + "/mentors/")
    assert_accessible(page)
    page.locator(".result").get_by_role("link", name="Dr. Jean Tremblay", exact=True).click()
    page.get_by_role("link", name="Ask for mentorship").click()
    page.get_by_label("Your message").fill(MESSAGE)
    page.get_by_label("If this mentor cannot take you, ask next (optional)").select_option(
        label="Dr. Marie Gagnon · Family Medicine"
    )
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_url(re.compile(r"/programs/requests/$"))
    lineup = page.locator("section.panel", has_text=PROGRAM)
    expect(lineup.locator("tbody tr")).to_have_count(2)
    expect(lineup.get_by_role("row", name=re.compile("Dr. Marie Gagnon"))).to_contain_text(
        "Next if needed"
    )
    assert_accessible(page)

    # Jean declines: the request goes on to Marie, who accepts.
    mentors = second_page
    log_in(mentors, base, "jean@example.org")
    mentors.goto(base + "/programs/requests/received/")
    mentors.get_by_role("button", name="Decline").click()
    expect(mentors.get_by_text("You declined the request.")).to_be_visible()
    assert_accessible(mentors)
    mentors.context.clear_cookies()
    log_in(mentors, base, "marie@example.org")
    mentors.get_by_role("link", name="Amira Haddad asks you to be their mentor").click()
    expect(mentors.locator("section.panel", has_text="Amira Haddad")).to_contain_text(MESSAGE)
    mentors.get_by_role("button", name="Accept").click()
    mentors.wait_for_url(re.compile(r"/mentorships/[0-9a-f-]+/$"))
    assert_accessible(mentors)
    expect(mentors.get_by_text("You are now Amira Haddad's mentor.")).to_be_visible()

    # The mentee was told the request moved on, and now has a mentor.
    page.reload()
    expect(lineup.get_by_role("row", name=re.compile("Dr. Jean Tremblay"))).to_contain_text(
        "Declined"
    )
    expect(lineup.get_by_role("row", name=re.compile("Dr. Marie Gagnon"))).to_contain_text(
        "Accepted"
    )
    expect(lineup).to_contain_text("A mentor accepted")
    page.goto(base + "/notifications/")
    expect(page.get_by_text("Your request has gone to Dr. Marie Gagnon")).to_be_visible()
    page.goto(base + DASHBOARD)
    mine = page.locator("section", has=page.get_by_role("heading", name="My mentorships"))
    expect(mine.get_by_role("link", name="Mentored by Dr. Marie Gagnon")).to_be_visible()
    assert_accessible(page)
    mentorship = Mentorship.objects.get()
    assert (mentorship.mentee.email, mentorship.mentor.email) == (
        "amira@example.org",
        "marie@example.org",
    )
    assert mentorship.source == Source.REQUEST


def test_a_mentor_reports_a_request_and_blocks_the_coordinator_follows_it_up(
    live_server, page, second_page
):
    base = live_server.url
    program = requests_program()
    MembershipFactory(
        program=program,
        role=Role.COORDINATOR,
        user__email="coordinator@example.org",
        user__name="Dr. Claire Roy",
    )
    mentee = member(program, Role.MENTEE, "amira@example.org", "Amira Haddad")
    mentor = member(program, Role.MENTOR, "jean@example.org", "Dr. Jean Tremblay")
    request_send(
        program=program,
        mentee=mentee,
        mentors=[mentor],
        message="Call me tonight, at home.",
        goals=["career-goals"],
    )

    # The mentor reports the request from "Requests to me", and blocks the mentee.
    log_in(page, base, "jean@example.org")
    page.goto(base + "/programs/requests/received/")
    page.locator("section.panel", has_text="Amira Haddad").get_by_role(
        "link", name="Report a concern"
    ).click()
    expect(page.get_by_label("About")).to_contain_text("Amira Haddad")
    assert_accessible(page)
    page.get_by_role("button", name="Send to the coordinators").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    page.get_by_label("What happened").fill("The message asks to meet at home, at night.")
    page.get_by_label(re.compile("^Also block this person")).check()
    page.get_by_role("button", name="Send to the coordinators").click()
    page.wait_for_url(re.compile(r"/programs/concerns/$"))
    expect(page.get_by_text("Your concern is sent to the program's coordinators.")).to_be_visible()
    mine = page.get_by_role("row", name=re.compile("Amira Haddad"))
    expect(mine).to_contain_text("Received")
    expect(mine).to_contain_text("blocked")
    assert_accessible(page)

    # The coordinator sees it waiting on the dashboard and puts it in review.
    coordinator = second_page
    log_in(coordinator, base, "coordinator@example.org")
    assert_accessible(coordinator)
    coordinator.get_by_role("link", name=f"1 concern reported in {PROGRAM} is not resolved").click()
    coordinator.get_by_role("row", name=re.compile("Dr. Jean Tremblay")).get_by_role("link").click()
    expect(coordinator.locator("main")).to_contain_text(
        "The message asks to meet at home, at night."
    )
    expect(coordinator.locator("main")).to_contain_text("From Amira Haddad to Dr. Jean Tremblay")
    assert_accessible(coordinator)
    coordinator.get_by_label("Status").select_option("in_review")
    coordinator.get_by_role("button", name="Save the status").click()
    expect(coordinator.get_by_text("The concern's status is saved.")).to_be_visible()
    assert_accessible(coordinator)

    # The reporter follows the status; the mentee no longer finds the mentor and never
    # sees the report.
    page.reload()
    expect(page.get_by_role("row", name=re.compile("Amira Haddad"))).to_contain_text("In review")
    coordinator.context.clear_cookies()
    log_in(coordinator, base, "amira@example.org")
    coordinator.goto(base + "/mentors/")
    expect(coordinator.locator("#results")).not_to_contain_text("Dr. Jean Tremblay")
    coordinator.goto(base + "/programs/concerns/")
    expect(coordinator.get_by_text("You have not reported any concern.")).to_be_visible()
    assert_accessible(coordinator)
    assert "at home, at night" not in coordinator.content()


def test_the_mentor_sees_the_same_answer_date_on_the_dashboard_and_the_requests_page(
    live_server, page
):
    base = live_server.url
    program = requests_program()
    mentee = member(program, Role.MENTEE, "amira@example.org", "Amira Haddad")
    mentor = member(program, Role.MENTOR, "jean@example.org", "Dr. Jean Tremblay")
    request_send(
        program=program, mentee=mentee, mentors=[mentor], message=MESSAGE, goals=["career-goals"]
    )
    # 21:00 in Toronto on December 1st is already December 2nd in UTC.
    Request.objects.update(due_at=datetime(2026, 12, 2, 2, 0, tzinfo=UTC))

    log_in(page, base, "jean@example.org")
    page.goto(base + "/programs/requests/received/")
    expect(page.get_by_text("Please answer by Dec. 1, 2026")).to_be_visible()
    assert_accessible(page)
    page.goto(base + DASHBOARD)
    todo = page.locator("section", has=page.get_by_role("heading", name="Waiting for you"))
    expect(todo.get_by_role("listitem")).to_contain_text(
        "Amira Haddad asks you to be their mentor · due Dec. 1, 2026"
    )
    assert_accessible(page)
