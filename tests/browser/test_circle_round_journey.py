"""A circle round in a real browser: the coordinator of a peer-circles program runs a
round from the rounds page, reviews the circles (by name) and publishes; a member opens
their circle's workspace from "My mentorships", sees the other members, schedules a
meeting and every member of the circle receives the .ics invitation."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from medmentor.matchrounds.models import MatchRound, ProposedGroup, RoundStatus
from medmentor.mentorships.models import Meeting
from tests.browser.accessibility import assert_accessible
from tests.browser.journeys import log_in, open_menu
from tests.matchrounds.rounds_factories import round_program

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NAMES = [
    "Amira Haddad",
    "Ben Roy",
    "Chloé Lee",
    "Dr. Ana Silva",
    "Dr. Marc Côté",
    "Élise Gagnon",
    "Farid Nasser",
    "Grace Okafor",
    "Hugo Martin",
    "Inès Tremblay",
]


def test_coordinator_runs_and_publishes_circles_then_a_member_schedules_a_meeting(
    live_server, page
):
    base = live_server.url
    world = round_program(
        mentorship_format="circles", group_size_min=4, group_size_max=6, matching_mode="rounds"
    )
    for k, name in enumerate(NAMES):
        # Mentors and mentees alike: a circle's members are peers.
        (world.add_mentor if k % 3 == 0 else world.add_mentee)(name=name)
    people = {u.name: u for u in [*world.mentees, *world.mentors]}

    # The coordinator sees who circles would take, runs the round and waits for it.
    log_in(page, base, world.coordinator.email)
    page.goto(f"{base}/programs/{world.program.uuid}/manage/rounds/")
    pool = page.locator("section", has=page.get_by_role("heading", name="People for peer circles"))
    expect(pool).to_contain_text("4 to 6 members")
    assert_accessible(page)
    page.get_by_role("button", name="Run the round").click()
    page.wait_for_url(re.compile(r"/manage/rounds/[0-9a-f-]+/$"))
    expect(page.get_by_role("heading", name="2 circles")).to_be_visible()
    circles = page.locator("table.round-circles tbody tr")
    expect(circles).to_have_count(2)
    expect(page.get_by_role("heading", name="0 people not placed")).to_be_visible()
    for name in NAMES:
        expect(circles.filter(has_text=name)).to_have_count(1)
    for person in people.values():
        assert person.email not in page.content()
    expect(page.get_by_role("button", name=re.compile("^Lock"))).to_have_count(0)
    assert_accessible(page)

    # Publish: asked to confirm, with how many circles start and how many are told.
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(
        page.get_by_text("Publishing starts 2 circles and tells their 10 people")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publish and tell 10 people").click()
    expect(
        page.get_by_text(
            "The round is published: every circle has started and its members are told."
        )
    ).to_be_visible()
    assert_accessible(page)
    match_round = MatchRound.objects.get(program=world.program)
    assert match_round.status == RoundStatus.PUBLISHED

    # A member finds their circle under "My mentorships" and opens its workspace.
    member = people["Amira Haddad"]
    circle = ProposedGroup.objects.select_related("mentorship").get(
        round=match_round, rows__user=member
    )
    mentorship = circle.mentorship
    circle_people = [row.user for row in circle.rows.select_related("user")]
    page.context.clear_cookies()
    log_in(page, base, member.email)
    open_menu(page)
    page.get_by_role("link", name="My mentorships").first.click()
    page.get_by_role("link", name=f"Circle {circle.position}").click()
    page.wait_for_url(re.compile(rf"/mentorships/{mentorship.uuid}/$"))
    expect(page.get_by_text("You are a member of this peer circle.")).to_be_visible()
    members = page.locator("section", has=page.get_by_role("heading", name="Members"))
    for person in circle_people:
        expect(members).to_contain_text(person.name)
    for person in people.values():
        if person not in circle_people:
            expect(members).not_to_contain_text(person.name)
    assert_accessible(page)

    # She schedules a meeting; it is listed, and each member gets the invitation.
    mail.outbox.clear()
    page.get_by_role("link", name="Schedule a meeting").click()
    when = timezone.localtime() + timedelta(days=7)
    page.get_by_label("Date and time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_modality").select_option("video")
    page.get_by_label("Place or link").fill("https://meet.example.org/circle")
    page.get_by_role("button", name="Schedule and send the invitations").click()
    expect(
        page.get_by_text("The meeting is scheduled; the invitations are on their way.")
    ).to_be_visible()
    page.goto(f"{base}/mentorships/{mentorship.uuid}/")
    meetings = page.locator("section", has=page.get_by_role("heading", name="Meetings"))
    expect(meetings.get_by_role("link", name=".ics")).to_have_count(1)
    expect(meetings).to_contain_text("Video")
    assert_accessible(page)

    meeting = Meeting.objects.get(mentorship=mentorship)
    assert meeting.place == "https://meet.example.org/circle"
    invited = {
        address
        for message in mail.outbox
        for address in message.to
        if any(name.endswith(".ics") for name, _content, _type in message.attachments)
    }
    assert invited == {person.email for person in circle_people}
