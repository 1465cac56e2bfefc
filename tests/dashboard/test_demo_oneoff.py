"""``make demo`` shows one-off mentoring too: the demo mentor's office hours with the demo
mentee's booking, and the residents' program's speed-mentoring evening, published, with
the mentee seated with the mentor she chose first."""

from __future__ import annotations

from django.urls import reverse

from medmentor.accounts.models import User
from medmentor.dashboard.demo import demo_build
from medmentor.dashboard.demo.oneoff import EVENT_TITLE, QUESTION
from medmentor.events.models import Event, EventMeeting, EventParticipant, EventStatus
from medmentor.officehours.models import Booking, OfficeHours, Slot
from tests.factories import logged_in_client

MENTEE, MENTOR = "mentee@medmentor.demo", "mentor@medmentor.demo"


def counts() -> dict[str, int]:
    models = (OfficeHours, Slot, Booking, Event, EventParticipant, EventMeeting)
    return {model.__name__: model.objects.count() for model in models}


def test_the_demo_mentee_has_booked_office_hours_and_a_published_event_schedule(db):
    demo_build()
    mentee, mentor = User.objects.get(email=MENTEE), User.objects.get(email=MENTOR)

    booking = Booking.objects.get(mentee=mentee)
    assert booking.slot.offer.mentor == mentor
    assert booking.question == QUESTION
    page = logged_in_client(mentor).get(reverse("officehours:booking", args=[booking.uuid]))
    assert page.status_code == 200
    assert QUESTION in page.content.decode()

    event = Event.objects.get(title=EVENT_TITLE)
    assert event.status == EventStatus.PUBLISHED
    assert event.is_listed
    mine = EventMeeting.objects.filter(event=event, mentee=mentee)
    assert mine.count() == event.rotations
    assert mine.filter(choice=1).exists()  # her first choice is honoured
    assert not mine.filter(mentor=mentor).exists()  # her own mentor is hers already
    schedule = logged_in_client(mentee).get(reverse("events:my_schedule", args=[event.uuid]))
    assert schedule.status_code == 200
    first = mine.get(choice=1).mentor
    assert first.name in schedule.content.decode()

    before = counts()
    demo_build()  # a second run changes nothing
    assert counts() == before
