"""Calendar invitations (RFC 5545 / iTIP) for meetings, written with ``icalendar``.

One stable UID per meeting; SEQUENCE grows with each change, so calendars replace the
old invitation; METHOD is REQUEST for a new or moved meeting and CANCEL for a cancelled
one. Times carry the recipient's own time zone (TZID with its VTIMEZONE).

:func:`invitation_calendar` writes any one-event invitation the site sends (meetings
here, office hours in their app), so every invitation follows the same rules.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from medmentor.accounts.models import User
from medmentor.mentorships.models import Meeting
from medmentor.mentorships.services.common import workspace_url
from medmentor.mentorships.timezones import time_zone_of

REQUEST, CANCEL = "REQUEST", "CANCEL"
UID_DOMAIN = "medmentor"


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


def invitation_calendar(
    *,
    prodid: str,
    uid: str,
    sequence: int,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    location: str,
    url: str,
    recipient: User,
    method: str,
) -> bytes:
    """One event as ``recipient``'s own invitation: MedMentor organises, the recipient is
    the one attendee with an address, times are in the recipient's time zone. Whoever
    else takes part is named in ``summary``, never by address."""
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    zone = time_zone_of(recipient)  # one look-up for both ends
    event.add("dtstart", timezone.localtime(starts_at, zone))
    event.add("dtend", timezone.localtime(ends_at, zone))
    event.add("summary", summary)
    if location:
        event.add("location", location)
    event.add("description", f"{settings.SITE_URL}{url}")
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    event.add("organizer", organizer_address())
    attendee = attendee_address(recipient, "REQ-PARTICIPANT")
    attendee.params["PARTSTAT"] = vText("NEEDS-ACTION")
    event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()  # icalendar leaves it unannotated; it is the bytes
    return ical


def meeting_calendar(meeting: Meeting, recipient: User, method: str) -> bytes:
    mentorship = meeting.mentorship
    names = " & ".join(person.get_full_name() for person in mentorship.people())
    return invitation_calendar(
        prodid="-//MedMentor//Mentorship meetings//EN",
        uid=meeting_uid(meeting),
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        # A group's partner is the group: named here, never by address.
        summary=f"MedMentor: {names if mentorship.is_pair else mentorship}",
        location=meeting.place,
        url=workspace_url(mentorship),
        recipient=recipient,
        method=method,
    )
