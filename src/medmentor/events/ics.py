"""A participant's personal schedule as a calendar (RFC 5545), written with ``icalendar``
and the meetings' helpers (``mentorships.ics``): one VEVENT per meeting, its rotation's
start and end in the recipient's own time zone, the place and table (or the video link)
as LOCATION, the other person by display name in SUMMARY, and the recipient as the only
attendee with an address. A meeting's UID names the event, the rotation and the
recipient, so it stays the same when a swap changes whom they meet: calendars replace it
(SEQUENCE grows with each publication)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from medmentor.accounts.models import User
from medmentor.events.models import Event
from medmentor.events.selectors import MeetingView, schedule_of
from medmentor.mentorships.ics import REQUEST, UID_DOMAIN, attendee_address, organizer_address
from medmentor.mentorships.timezones import time_zone_of


def meeting_uid(event: Event, rotation: int, recipient: User) -> str:
    return f"event-{event.uuid}-rotation-{rotation}-{recipient.uuid}@{UID_DOMAIN}"


def location_of(event: Event, table: int | None) -> str:
    """Where a meeting is: the place and the table, or the video link."""
    if event.place:
        if table is None:
            return event.place
        return _("%(place)s, table %(table)s") % {"place": event.place, "table": table}
    return event.video_url


def _vevent(event: Event, view: MeetingView, recipient: User) -> CalendarEvent:
    zone = time_zone_of(recipient)
    vevent = CalendarEvent()
    vevent.add("uid", meeting_uid(event, view.rotation, recipient))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", timezone.localtime(view.starts, zone))
    vevent.add("dtend", timezone.localtime(view.ends, zone))
    vevent.add(
        "summary",
        _("%(event)s: rotation %(rotation)s with %(name)s")
        % {"event": event.title, "rotation": view.rotation, "name": view.other_name},
    )
    vevent.add("location", location_of(event, view.table))
    url = settings.SITE_URL + reverse("events:my_schedule", args=[event.uuid])
    vevent.add("description", url)
    vevent.add("status", "CONFIRMED")
    vevent.add("organizer", organizer_address())
    attendee = attendee_address(recipient, "REQ-PARTICIPANT")
    vevent.add("attendee", attendee, encode=False)
    return vevent


def personal_calendar(event: Event, recipient: User) -> bytes:
    """``recipient``'s meetings in ``event``, one VEVENT each."""
    calendar = Calendar()
    calendar.add("prodid", "-//MedMentor//Speed-mentoring events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", REQUEST)
    for view in schedule_of(event, recipient):
        calendar.add_component(_vevent(event, view, recipient))
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical
