"""A participant's personal schedule as a calendar (RFC 5545), written with ``icalendar``
and the meetings' helpers (``mentorships.ics``): one VEVENT per meeting, its rotation's
start and end in the recipient's own time zone, the place and table (or the video link)
as LOCATION, the other person by display name in SUMMARY, and the recipient as the only
attendee with an address. A meeting's UID names the event, the rotation and the
recipient, so it stays the same when a swap changes whom they meet: calendars replace it
(SEQUENCE grows with each publication). :func:`schedule_event` writes one meeting both
for the e-mailed schedule and for the person's calendar feed (``medmentor.calendars``)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Event as CalendarEvent

from medmentor.accounts.models import User
from medmentor.events.models import Event
from medmentor.events.selectors import MeetingView, schedule_of
from medmentor.mentorships.ics import (
    REQUEST,
    UID_DOMAIN,
    calendar_of,
    ical_of,
    invitation_event,
)
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


PRODID = "-//MedMentor//Speed-mentoring events//EN"


def schedule_event(
    event: Event, view: MeetingView, recipient: User, zone: ZoneInfo
) -> CalendarEvent:
    """One of ``recipient``'s meetings in ``event``, in ``zone`` (the recipient's)."""
    return invitation_event(
        uid=meeting_uid(event, view.rotation, recipient),
        sequence=event.sequence,
        starts_at=view.starts,
        ends_at=view.ends,
        summary=_("%(event)s: rotation %(rotation)s with %(name)s")
        % {"event": event.title, "rotation": view.rotation, "name": view.other_name},
        location=location_of(event, view.table),
        url=reverse("events:my_schedule", args=[event.uuid]),
        recipient=recipient,
        zone=zone,
    )


def personal_calendar(event: Event, recipient: User) -> bytes:
    """``recipient``'s meetings in ``event``, one VEVENT each."""
    zone = time_zone_of(recipient)
    events = [
        schedule_event(event, view, recipient, zone) for view in schedule_of(event, recipient)
    ]
    return ical_of(calendar_of(events, prodid=PRODID, method=REQUEST))
