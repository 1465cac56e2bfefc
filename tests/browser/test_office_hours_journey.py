"""Office hours in a real browser: a mentor opens weekly office hours; a mentee finds them
on the mentor's profile, books one slot with a question, and downloads the calendar
invitation; the mentor sees the booking and the question."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from medmentor.accounts.models import User
from medmentor.officehours.models import Booking, OfficeHours
from medmentor.profiles.models import Profile
from medmentor.programs.models import Program, Role
from tests.browser.accessibility import assert_accessible
from tests.browser.journeys import log_in
from tests.factories import UserFactory
from tests.profiles.factories import make_mentee, make_mentor
from tests.programs.factories import MembershipFactory, ProgramFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROGRAM = "Ottawa Residents Mentorship"
QUESTION = "How do I negotiate my first contract?"
LINK = "https://meet.example.org/jean"


def member(program: Program, role: str, email: str, name: str) -> User:
    user = UserFactory(email=email, name=name)
    (make_mentee if role == Role.MENTEE else make_mentor)(user=user)
    MembershipFactory(program=program, user=user, role=role)
    return user


def test_a_mentor_opens_office_hours_and_a_mentee_books_one(
    live_server, page, second_page, tmp_path: Path
):
    base = live_server.url
    program = ProgramFactory(name_en=PROGRAM, audience="residents")
    mentor = member(program, Role.MENTOR, "jean@example.org", "Dr. Jean Tremblay")
    mentee = member(program, Role.MENTEE, "amira@example.org", "Amira Haddad")
    today = timezone.localdate()

    # The mentor opens office hours: every day at 10:00, two slots of 30 minutes.
    log_in(page, base, "jean@example.org")
    page.goto(base + "/office-hours/")
    expect(page.get_by_role("heading", name="My office hours")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Open office hours").click()
    expect(page.get_by_role("heading", name="Open office hours")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Place or video link").fill(LINK)
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        page.get_by_label(day).check()
    page.get_by_label("First slot starts at").fill("10:00")
    page.locator("#id_starts_on").fill((today + timedelta(days=1)).isoformat())
    page.locator("#id_ends_on").fill((today + timedelta(days=14)).isoformat())
    expect(page.get_by_label(PROGRAM)).to_be_checked()
    page.get_by_role("button", name="Open my office hours").click()
    expect(page.get_by_text("Your office hours are open.")).to_be_visible()
    assert_accessible(page)
    offer = OfficeHours.objects.get(mentor=mentor)
    assert offer.slots.count() > 0
    first_slot = offer.slots.order_by("starts_at").first()

    # The mentee finds them on the mentor's profile and books the first slot.
    amira = second_page
    log_in(amira, base, "amira@example.org")
    amira.goto(base + f"/people/{Profile.objects.get(user=mentor).uuid}/")
    office = amira.locator("section", has=amira.get_by_role("heading", name="Office hours"))
    office.get_by_role("link", name="See the open slots").click()
    expect(amira.get_by_role("heading", name="Office hours of Dr. Jean Tremblay")).to_be_visible()
    assert_accessible(amira)
    amira.get_by_role("link", name=re.compile("^Book")).first.click()
    expect(
        amira.get_by_role("heading", name="Book office hours with Dr. Jean Tremblay")
    ).to_be_visible()
    assert_accessible(amira)
    # The question is required: a field error first, nothing booked.
    amira.get_by_role("button", name="Book this slot").click()
    expect(amira.get_by_text("This field is required.")).to_be_visible()
    assert not Booking.objects.exists()
    amira.get_by_label("Your question").fill(QUESTION)
    amira.get_by_role("button", name="Book this slot").click()
    expect(
        amira.get_by_text("Booked. You both get a calendar invitation by e-mail.")
    ).to_be_visible()
    expect(amira.get_by_role("heading", name="Office hours with Dr. Jean Tremblay")).to_be_visible()
    expect(amira.get_by_text(QUESTION)).to_be_visible()
    assert_accessible(amira)
    booking = Booking.objects.get()
    assert (booking.slot, booking.mentee, booking.program) == (first_slot, mentee, program)

    # The calendar invitation, downloaded from the booking page.
    with amira.expect_download() as download_info:
        amira.get_by_role("link", name="Add to my calendar (.ics)").click()
    saved = tmp_path / "invitation.ics"
    download_info.value.save_as(saved)
    raw = saved.read_bytes()
    calendar = Calendar.from_ical(raw)
    assert calendar["METHOD"] == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == f"office-hours-{booking.uuid}@medmentor"
    assert event["SEQUENCE"] == 0
    assert str(event["SUMMARY"]) == "MedMentor office hours: Dr. Jean Tremblay"
    assert str(event["ATTENDEE"]) == "mailto:amira@example.org"
    assert str(event["LOCATION"]) == LINK
    assert event.decoded("DTSTART") == first_slot.starts_at
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=30)
    assert b"jean@example.org" not in raw

    # The mentor sees who booked, with the question.
    page.goto(base + "/office-hours/")
    upcoming = page.locator("section", has=page.get_by_role("heading", name="Slots to come"))
    row = upcoming.get_by_role("row", name=re.compile("Amira Haddad"))
    expect(row).to_contain_text(QUESTION)
    assert_accessible(page)
