"""A person's calendar feed (RFC 5545, published): every VEVENT written by its own app's
builder (``mentorships.ics``, ``officehours.ics``, ``events.ics``), so that each carries
the UID, SEQUENCE and words of the invitation e-mailed for it and a calendar holding both
shows one event. Times are in the person's own zone (TZID, with each VTIMEZONE).

A cancelled meeting or booking stays in the feed as STATUS:CANCELLED (with its grown
SEQUENCE) rather than vanishing: the person sees that it was called off, as the e-mailed
cancellation tells them, and a calendar that imported the invitation can match it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import translation
from icalendar import vText

from medmentor.accounts.models import User
from medmentor.calendars.selectors import (
    bookings_in_feed,
    meetings_in_feed,
    schedules_in_feed,
    window_start,
)
from medmentor.events.ics import schedule_event
from medmentor.mentorships.ics import calendar_of, ical_of, meeting_event
from medmentor.mentorships.timezones import time_zone_of
from medmentor.officehours.ics import booking_event
from medmentor.profiles.selectors import display_name_of

PRODID = "-//MedMentor//Calendar feed//EN"
REFRESH = timedelta(hours=1)


def feed_calendar(owner: User, now: datetime | None = None) -> bytes:
    """``owner``'s meetings, office hours and events from :func:`window_start` on."""
    zone = time_zone_of(owner)
    since = window_start(now)
    with translation.override(owner.language or None):
        events = [
            meeting_event(meeting, owner, zone, cancelled=meeting.is_cancelled)
            for meeting in meetings_in_feed(owner, since)
        ]
        events += [
            booking_event(booking, owner, zone, cancelled=not booking.is_live)
            for booking in bookings_in_feed(owner, since)
        ]
        events += [
            schedule_event(schedule.event, view, owner, zone)
            for schedule in schedules_in_feed(owner, since)
            for view in schedule.meetings
        ]
    events.sort(key=lambda event: (event.decoded("dtstart"), str(event["uid"])))
    calendar = calendar_of(events, prodid=PRODID, method="PUBLISH")
    name = f"MedMentor — {display_name_of(owner)}"
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", vText(zone.key))
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vText("PT1H"))
    return ical_of(calendar)
