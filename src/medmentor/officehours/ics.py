"""Calendar invitations for office hours: the meetings' rules (``mentorships.ics``) for a
booking. One stable UID per booking; SEQUENCE 0 when booked, 1 when cancelled; METHOD
REQUEST or CANCEL; MedMentor organises; the recipient is the one attendee with an
address; the other person is named by display name only, in the recipient's zone."""

from __future__ import annotations

from django.urls import reverse

from medmentor.accounts.models import User
from medmentor.mentorships.ics import CANCEL, REQUEST, UID_DOMAIN, invitation_calendar
from medmentor.officehours.models import Booking
from medmentor.profiles.selectors import display_name_of

__all__ = ["CANCEL", "REQUEST", "booking_calendar", "booking_uid"]


def booking_uid(booking: Booking) -> str:
    return f"office-hours-{booking.uuid}@{UID_DOMAIN}"


def booking_url(booking: Booking) -> str:
    return reverse("officehours:booking", args=[booking.uuid])


def booking_calendar(booking: Booking, recipient: User, method: str) -> bytes:
    mentor = booking.slot.offer.mentor
    partner = booking.mentee if recipient.pk == mentor.pk else mentor
    return invitation_calendar(
        prodid="-//MedMentor//Office hours//EN",
        uid=booking_uid(booking),
        sequence=booking.sequence,
        starts_at=booking.slot.starts_at,
        ends_at=booking.slot.ends_at,
        summary=f"MedMentor office hours: {display_name_of(partner)}",
        location=booking.slot.offer.place,
        url=booking_url(booking),
        recipient=recipient,
        method=method,
    )
