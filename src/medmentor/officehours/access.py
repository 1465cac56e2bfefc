"""Who may open what: a booking is its two people's; an offer is its mentor's. Anyone
else (coordinators and staff included) gets 404, as if it did not exist."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.http import Http404

from medmentor.accounts.models import User
from medmentor.officehours.models import Booking, OfficeHours, Slot

MENTOR, MENTEE = "mentor", "mentee"


@dataclass(frozen=True)
class BookingAccess:
    booking: Booking
    user: User
    role: str  # MENTOR or MENTEE

    @property
    def is_mentor(self) -> bool:
        return self.role == MENTOR

    @property
    def is_mentee(self) -> bool:
        return self.role == MENTEE

    @property
    def partner(self) -> User:
        booking = self.booking
        return booking.mentee if self.is_mentor else booking.slot.offer.mentor


def get_booking_for(user: User, uuid: UUID) -> BookingAccess:
    """The booking and the reader's side of it; 404 for everyone but its two people."""
    booking = (
        Booking.objects.select_related("slot__offer__mentor", "mentee", "program")
        .filter(uuid=uuid)
        .first()
    )
    if booking is None or not user.is_authenticated:
        raise Http404
    if booking.mentee_id == user.pk:
        return BookingAccess(booking, user, MENTEE)
    if booking.slot.offer.mentor_id == user.pk:
        return BookingAccess(booking, user, MENTOR)
    raise Http404


def get_offer_for(user: User, uuid: UUID) -> OfficeHours:
    """An offer, to its mentor only."""
    offer = OfficeHours.objects.filter(uuid=uuid, mentor_id=user.pk).first()
    if offer is None:
        raise Http404
    return offer


def get_slot_of_mentor(user: User, uuid: UUID) -> Slot:
    """A slot, to the mentor whose it is only."""
    slot = Slot.objects.select_related("offer").filter(uuid=uuid, offer__mentor_id=user.pk).first()
    if slot is None:
        raise Http404
    return slot


def get_slot_to_book(uuid: UUID) -> Slot:
    """A slot any signed-in member may try to book (the booking service says whether
    they may)."""
    slot = Slot.objects.select_related("offer__mentor").filter(uuid=uuid).first()
    if slot is None:
        raise Http404
    return slot
