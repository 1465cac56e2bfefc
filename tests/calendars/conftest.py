"""The calendar feed's world: a pair (Jean mentors Amira) with a meeting, Jean's office
hours with Amira's booking, and people outside both. Times are fixed: Monday 2 March
2026, 10:00 in Toronto (the site's zone). Jean lives in Vancouver."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from medmentor.accounts.models import User
from medmentor.mentorships.access import get_mentorship_for
from medmentor.mentorships.models import Meeting, Mentorship
from medmentor.mentorships.services.meetings import meeting_schedule
from medmentor.officehours.models import Booking
from medmentor.officehours.services.bookings import booking_create
from medmentor.officehours.services.offers import office_hours_open
from medmentor.profiles.models import Profile
from medmentor.programs.models import Role
from tests.factories import UserFactory, logged_in_client
from tests.mentorships.factories import start_mentorship
from tests.officehours.conftest import offer_values
from tests.programs.factories import MembershipFactory, ProgramFactory
from tests.requests.requests_support import make_mentee, mentor_in

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
AGENDA = "Residency choices, and my divorce"  # the pair's own words: never in a feed
QUESTION = "How do I negotiate my first contract?"


def set_zone(user: User, zone: str) -> None:
    Profile.objects.filter(user=user).update(time_zone=zone)


def make_feed(client: Client) -> tuple[str, str]:
    """Make (or reset) the logged-in person's feed on their page: (https, webcal) address."""
    response = client.post(reverse("calendars:reset"))
    assert response.status_code == 200
    https, webcal = response.context["https_url"], response.context["webcal_url"]
    assert https.startswith("http")
    assert webcal.startswith("webcal://")
    return https, webcal


def path_of(address: str) -> str:
    return "/" + address.split("://", 1)[1].split("/", 1)[1]


def read_feed(address: str) -> Calendar:
    """The feed as a calendar app reads it: no session, no cookie."""
    response = Client().get(path_of(address))
    assert response.status_code == 200, response.status_code
    return Calendar.from_ical(response.content)


def attachments(mailoutbox, user: User) -> list[Calendar]:
    return [
        Calendar.from_ical(content)
        for message in mailoutbox
        if user.email in message.to
        for name, content, _mimetype in message.attachments
        if name.endswith(".ics")
    ]


def uids(calendar: Calendar) -> set[str]:
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


def by_uid(calendar: Calendar, uid: str):
    [event] = [event for event in calendar.walk("VEVENT") if str(event["UID"]) == uid]
    return event


@dataclass
class World:
    mentor: User
    mentee: User
    other_mentee: User
    outsider: User
    mentorship: Mentorship
    meeting: Meeting
    booking: Booking

    def client_for(self, persona: str) -> Client:
        return logged_in_client(None if persona == "anonymous" else getattr(self, persona))


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(db, clock, django_capture_on_commit_callbacks) -> World:
    program = ProgramFactory(
        name_en="Ottawa Residents Mentorship", cycle_start=None, cycle_end=None
    )
    mentor = mentor_in(program, "Jean Tremblay")
    mentee = make_mentee(
        MembershipFactory(program=program, role=Role.MENTEE, user__name="Amira Haddad").user
    )
    other_mentee = make_mentee(
        MembershipFactory(program=program, role=Role.MENTEE, user__name="Omar Other").user
    )
    set_zone(mentor, "America/Vancouver")
    mentorship = start_mentorship(mentor=mentor, mentee=mentee, program=program)
    offer = office_hours_open(mentor=mentor, programs=[program], **offer_values())
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_schedule(
            access=get_mentorship_for(mentee, mentorship.uuid),
            starts_at=NOW + timedelta(days=8),  # Tuesday 10 March, 11:00 in Toronto (EDT)
            duration_minutes=45,
            modality="video",
            place="https://meet.example.org/amira",
            agenda=AGENDA,
        )
        booking = booking_create(
            slot=offer.slots.order_by("starts_at").first(),
            mentee=mentee,
            program=program,
            question=QUESTION,
        )
    return World(
        mentor=mentor,
        mentee=mentee,
        other_mentee=other_mentee,
        outsider=UserFactory(name="Olivia Outsider"),
        mentorship=mentorship,
        meeting=meeting,
        booking=booking,
    )
