"""A speed-mentoring event in a real browser: the coordinator builds the schedule, swaps
two mentees of a rotation and publishes it; a mentee opens their own schedule."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from medmentor.events.models import EventMeeting, EventRole, EventStatus
from medmentor.events.services.authoring import event_save
from medmentor.events.services.enrolment import event_enrol
from tests.browser.accessibility import assert_accessible
from tests.browser.journeys import log_in
from tests.events.support import event_values
from tests.matchrounds.rounds_factories import round_program

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_coordinator_builds_swaps_and_publishes_and_a_mentee_sees_their_schedule(
    live_server, page, second_page
):
    base = live_server.url
    world = round_program(name_en="ICRE Mentorship 2027")
    mentees = [world.add_mentee(name=n) for n in ("Amira Haddad", "Ben Roy", "Chloé Lee")]
    mentors = [world.add_mentor(name=n) for n in ("Dr. Ana Silva", "Dr. Marc Côté", "Dr. Li Wei")]
    event = event_save(
        program=world.program,
        by=world.coordinator,
        **event_values(title="ICRE speed mentoring", rotations=1, tables=3),
    )
    event_enrol(event=event, by=world.coordinator, users=mentors, role=EventRole.MENTOR)
    event_enrol(event=event, by=world.coordinator, users=mentees, role=EventRole.MENTEE)

    # The coordinator finds the event from the program's coordinator area.
    log_in(page, base, world.coordinator.email)
    page.goto(f"{base}/programs/{world.program.uuid}/manage/events/")
    page.get_by_role("link", name="ICRE speed mentoring").click()
    page.get_by_role("link", name="Schedule", exact=True).click()
    page.wait_for_url(re.compile(rf"/events/{event.uuid}/schedule/$"))
    page.get_by_role("button", name="Build the schedule").click()
    expect(page.get_by_text("The schedule is built.")).to_be_visible()
    grid = page.locator("table.event-grid")
    for person in mentees + mentors:
        expect(grid).to_contain_text(person.name)
    assert_accessible(page)

    # Swap the first two mentees of rotation 1.
    before = {m.mentee_id: m.mentor_id for m in EventMeeting.objects.filter(event=event)}
    page.locator("summary", has_text="Rotation 1").last.click()
    first = page.get_by_label("Mentee").first
    second = page.get_by_label("Swap with")
    a = first.locator("option").nth(0).get_attribute("value")
    b = first.locator("option").nth(1).get_attribute("value")
    first.select_option(a)
    second.select_option(b)
    page.get_by_role("button", name="Swap in rotation 1").click()
    expect(page.get_by_text("The two mentees are swapped.")).to_be_visible()
    after = {m.mentee_id: m.mentor_id for m in EventMeeting.objects.filter(event=event)}
    swapped = [mentee for mentee in before if before[mentee] != after[mentee]]
    assert len(swapped) == 2
    x, y = swapped
    assert (after[x], after[y]) == (before[y], before[x])

    page.get_by_role("button", name="Publish the schedule").click()
    expect(page.get_by_text("The schedule is published")).to_be_visible()
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED

    # A mentee sees whom they meet, and their printable schedule.
    mentee = mentees[0]
    mentor = next(m for m in mentors if m.pk == after[mentee.pk])
    log_in(second_page, base, mentee.email)
    second_page.goto(f"{base}/events/{event.uuid}/")
    schedule = second_page.locator(
        "section", has=second_page.get_by_role("heading", name="Your schedule")
    )
    expect(schedule).to_contain_text(mentor.name)
    assert_accessible(second_page)
    second_page.get_by_role("link", name="My schedule, to print").click()
    second_page.wait_for_url(re.compile(rf"/events/{event.uuid}/schedule/$"))
    expect(second_page.locator("table.schedule-sheet")).to_contain_text(mentor.name)
    expect(second_page.locator("table.schedule-sheet")).to_contain_text("Palais des congrès")
    assert_accessible(second_page)
