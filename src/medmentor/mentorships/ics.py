"""Calendar invitations (RFC 5545 / iTIP) for meetings, written with ``icalendar``.

One stable UID per meeting; SEQUENCE grows with each change, so calendars replace the
old invitation; METHOD is REQUEST for a new or moved meeting and CANCEL for a cancelled
one. Times carry the recipient's own time zone (TZID with its VTIMEZONE).

:func:`invitation_event` writes any one event the site puts in a person's calendar
(meetings here, office hours and events in their apps), whether it travels as an
e-mail's invitation (:func:`calendar_of` with a METHOD) or in the person's calendar feed
(``medmentor.calendars``): the same UID, times and words in both.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from medmentor.accounts.models import User
from medmentor.mentorships.models import Meeting
from medmentor.mentorships.services.common import workspace_url
from medmentor.mentorships.timezones import time_zone_of

REQUEST, CANCEL = "REQUEST", "CANCEL"
UID_DOMAIN = "medmentor"
MEETINGS_PRODID = "-//MedMentor//Mentorship meetings//EN"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.uuid}@{UID_DOMAIN}"


def attendee_address(user: User, role: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["CN"] = vText(user.get_full_name())
    address.params["ROLE"] = vText(role)
    return address


def organizer_address() -> vCalAddress:
    # MedMentor sends the invitation: naming a member as organizer would give the partner
    # their address, which only the person and staff see.
    address = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    address.params["CN"] = vText("MedMentor")
    return address


def invitation_event(
    *,
    uid: str,
    sequence: int,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    location: str,
    url: str,
    recipient: User,
    zone: ZoneInfo,
    cancelled: bool = False,
) -> Event:
    """One event as ``recipient`` sees it: MedMentor organises, the recipient is the one
    attendee with an address, times are in ``zone`` (the recipient's). Whoever else takes
    part is named in ``summary``, never by address."""
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(starts_at, zone))
    event.add("dtend", timezone.localtime(ends_at, zone))
    event.add("summary", summary)
    if location:
        event.add("location", location)
    event.add("description", f"{settings.SITE_URL}{url}")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("organizer", organizer_address())
    attendee = attendee_address(recipient, "REQ-PARTICIPANT")
    attendee.params["PARTSTAT"] = vText("NEEDS-ACTION")
    event.add("attendee", attendee, encode=False)
    return event


def calendar_of(events: Iterable[Event], *, prodid: str, method: str | None) -> Calendar:
    """A calendar of ``events`` with the VTIMEZONE of each zone they use (``method``:
    REQUEST or CANCEL for an invitation, None for a published feed)."""
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar


def ical_of(calendar: Calendar) -> bytes:
    ical: bytes = calendar.to_ical()  # icalendar leaves it unannotated; it is the bytes
    return ical


def meeting_event(meeting: Meeting, recipient: User, zone: ZoneInfo, *, cancelled: bool) -> Event:
    """A meeting as ``recipient``'s calendar shows it, in their invitation and their feed."""
    mentorship = meeting.mentorship
    names = " & ".join(person.get_full_name() for person in mentorship.people())
    return invitation_event(
        uid=meeting_uid(meeting),
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        # A group's partner is the group: named here, never by address.
        summary=f"MedMentor: {names if mentorship.is_pair else mentorship}",
        location=meeting.place,
        url=workspace_url(mentorship),
        recipient=recipient,
        zone=zone,
        cancelled=cancelled,
    )


def meeting_calendar(meeting: Meeting, recipient: User, method: str) -> bytes:
    event = meeting_event(meeting, recipient, time_zone_of(recipient), cancelled=method == CANCEL)
    return ical_of(calendar_of([event], prodid=MEETINGS_PRODID, method=method))
