"""What a feed lists, for whom, in which zone and under which UIDs: read as a calendar app
reads it (no login), and parsed with icalendar."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from medmentor.events.ics import meeting_uid as event_meeting_uid
from medmentor.mentorships.access import get_mentorship_for
from medmentor.mentorships.services.meetings import meeting_cancel
from medmentor.officehours.access import get_booking_for
from medmentor.officehours.services.bookings import booking_cancel
from tests.calendars.conftest import (
    AGENDA,
    QUESTION,
    attachments,
    by_uid,
    make_feed,
    path_of,
    read_feed,
    set_zone,
    uids,
)
from tests.events.support import build, event_world, publish
from tests.factories import logged_in_client
from tests.mentorships.factories import past_meeting

MEETING = "meeting-{}@medmentor"
BOOKING = "office-hours-{}@medmentor"


def test_the_pair_and_the_booking_appear_for_both_sides_and_for_nobody_else(world, mailoutbox):
    meeting_uid = MEETING.format(world.meeting.uuid)
    booking_uid = BOOKING.format(world.booking.uuid)
    for person in ("mentor", "mentee"):
        https, _webcal = make_feed(world.client_for(person))
        calendar = read_feed(https)
        assert uids(calendar) == {meeting_uid, booking_uid}
        # The same UIDs as the invitations e-mailed to that person: no duplicates.
        mailed = set().union(*(uids(c) for c in attachments(mailoutbox, getattr(world, person))))
        assert mailed == {meeting_uid, booking_uid}
    for person in ("other_mentee", "outsider"):
        calendar = read_feed(make_feed(world.client_for(person))[0])
        assert uids(calendar) == set()


def test_times_are_in_each_persons_own_zone_with_its_vtimezone(world):
    """Jean lives in Vancouver, Amira in Toronto (the site's zone)."""
    for person, zone in (("mentor", "America/Vancouver"), ("mentee", settings.TIME_ZONE)):
        calendar = read_feed(make_feed(world.client_for(person))[0])
        event = by_uid(calendar, MEETING.format(world.meeting.uuid))
        assert event["DTSTART"].params["TZID"] == zone
        start = event.decoded("DTSTART")
        assert str(start.tzinfo) == zone
        assert start.astimezone(UTC) == world.meeting.starts_at
        assert event.decoded("DTEND") - start == timedelta(minutes=45)
        assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} == {zone}
        assert str(calendar["X-WR-TIMEZONE"]) == zone
    # Tuesday 10 March 2026, 15:00 UTC: 08:00 in Vancouver (PDT), 11:00 in Toronto (EDT).
    mentor_feed = read_feed(make_feed(world.client_for("mentor"))[0])
    wall = by_uid(mentor_feed, MEETING.format(world.meeting.uuid)).decoded("DTSTART")
    assert (wall.hour, wall.minute) == (8, 0)


def test_the_calendar_is_named_and_refreshed_hourly(world):
    response = Client().get(path_of(make_feed(world.client_for("mentee"))[0]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("inline")
    assert "private" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    body = response.content.decode()
    assert "X-WR-CALNAME:MedMentor — Amira Haddad" in body
    assert "NAME:MedMentor — Amira Haddad" in body
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in body
    assert "X-PUBLISHED-TTL:PT1H" in body
    assert "METHOD:PUBLISH" in body


def test_no_confidential_text_and_no_partner_address(world):
    for person, partner in (("mentor", world.mentee), ("mentee", world.mentor)):
        body = Client().get(path_of(make_feed(world.client_for(person))[0])).content.decode()
        unfolded = body.replace("\r\n ", "")
        assert AGENDA not in unfolded
        assert QUESTION not in unfolded
        assert partner.email not in unfolded
        # The person's own address is the only one, as in their invitation.
        assert getattr(world, person).email in unfolded


def test_cancelled_meetings_and_bookings_stay_as_cancelled(world, client):
    meeting_cancel(
        access=get_mentorship_for(world.mentor, world.mentorship.uuid), meeting=world.meeting
    )
    booking_cancel(access=get_booking_for(world.mentee, world.booking.uuid))
    calendar = read_feed(make_feed(world.client_for("mentee"))[0])
    meeting = by_uid(calendar, MEETING.format(world.meeting.uuid))
    assert str(meeting["STATUS"]) == "CANCELLED"
    assert meeting["SEQUENCE"] == 1  # as the e-mailed cancellation: it replaces the invitation
    booking = by_uid(calendar, BOOKING.format(world.booking.uuid))
    assert str(booking["STATUS"]) == "CANCELLED"
    assert booking["SEQUENCE"] == 1


def test_the_window_is_the_last_90_days_and_everything_ahead(world):
    access = get_mentorship_for(world.mentee, world.mentorship.uuid)
    recent = past_meeting(access, days_ago=10)
    old = past_meeting(access, days_ago=100)
    calendar = read_feed(make_feed(world.client_for("mentee"))[0])
    assert MEETING.format(recent.uuid) in uids(calendar)
    assert MEETING.format(old.uuid) not in uids(calendar)


@pytest.mark.django_db
def test_an_events_schedule_appears_for_its_participants_once_published(clock, mailoutbox):
    ew = event_world(mentees=2, mentors=2)
    mentee = ew.mentees[0]
    set_zone(mentee, "America/Halifax")
    build(ew)
    feed = make_feed(logged_in_client(mentee))[0]
    assert uids(read_feed(feed)) == set(), "not published yet: nothing shown"
    publish(ew)
    event = ew.event
    calendar = read_feed(feed)
    shown = uids(calendar)
    # Each of the mentee's rotations, under the UID of the schedule e-mailed to them.
    rotations = {int(uid.split("-rotation-")[1].split("-")[0]) for uid in shown}
    assert shown == {event_meeting_uid(event, rotation, mentee) for rotation in rotations}
    assert shown == set().union(*(uids(c) for c in attachments(mailoutbox, mentee)))
    for vevent in calendar.walk("VEVENT"):
        assert vevent["DTSTART"].params["TZID"] == "America/Halifax"
        assert str(vevent["SUMMARY"]).startswith("ICRE speed mentoring: rotation")
    # Someone of the program outside the event sees none of it.
    other = ew.world.add_mentee(name="Not Enrolled")
    assert uids(read_feed(make_feed(logged_in_client(other))[0])) == set()


def test_a_reader_of_the_feed_needs_no_login_but_the_page_does(world):
    https, _ = make_feed(world.client_for("mentee"))
    assert Client().get(path_of(https)).status_code == 200
    assert Client().head(path_of(https)).status_code == 200  # some apps ask first
    assert Client().post(path_of(https)).status_code == 405
    page = Client().get(reverse("calendars:page"))
    assert page.status_code == 302
    assert "/accounts/login/" in page["Location"]
