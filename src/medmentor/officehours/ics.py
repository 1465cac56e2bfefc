"""Calendar invitations for office hours: the meetings' rules (``mentorships.ics``) for a
booking. One stable UID per booking; SEQUENCE 0 when booked, 1 when cancelled; METHOD
REQUEST or CANCEL; MedMentor organises; the recipient is the one attendee with an
address; the other person is named by display name only, in the recipient's zone.
:func:`booking_event` writes the booking both for the e-mail and for the person's feed."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.urls import reverse
from icalendar import Event

from medmentor.accounts.models import User
from medmentor.mentorships.ics import (
    CANCEL,
    REQUEST,
    UID_DOMAIN,
    calendar_of,
    ical_of,
    invitation_event,
)
from medmentor.mentorships.timezones import time_zone_of
from medmentor.officehours.models import Booking
from medmentor.profiles.selectors import display_name_of

__all__ = ["CANCEL", "REQUEST", "booking_calendar", "booking_event", "booking_uid"]

PRODID = "-//MedMentor//Office hours//EN"


def booking_uid(booking: Booking) -> str:
    return f"office-hours-{booking.uuid}@{UID_DOMAIN}"


def booking_url(booking: Booking) -> str:
    return reverse("officehours:booking", args=[booking.uuid])


def booking_event(booking: Booking, recipient: User, zone: ZoneInfo, *, cancelled: bool) -> Event:
    """A booking as ``recipient`` (its mentor or its mentee) sees it in their calendar."""
    mentor = booking.slot.offer.mentor
    partner = booking.mentee if recipient.pk == mentor.pk else mentor
    return invitation_event(
        uid=booking_uid(booking),
        sequence=booking.sequence,
        starts_at=booking.slot.starts_at,
        ends_at=booking.slot.ends_at,
        summary=f"MedMentor office hours: {display_name_of(partner)}",
        location=booking.slot.offer.place,
        url=booking_url(booking),
        recipient=recipient,
        zone=zone,
        cancelled=cancelled,
    )


def booking_calendar(booking: Booking, recipient: User, method: str) -> bytes:
    event = booking_event(booking, recipient, time_zone_of(recipient), cancelled=method == CANCEL)
    return ical_of(calendar_of([event], prodid=PRODID, method=method))
