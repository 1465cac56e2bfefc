"""A person leaves MedMentor: what of their office hours goes with them.

Goes: their offers' slots still to come and their bookings still to come (cancelled, and
the other side told), their questions, reflections, ratings and comments. Stays, for the
other side: a booking that took place, with a "former member" where the person was, and
the other side's own record of it (their CPD hours).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.officehours.models import (
    Booking,
    BookingRecord,
    BookingStatus,
    OfferStatus,
    OfficeHours,
    SlotStatus,
)
from medmentor.officehours.services.common import booking_cancel_and_tell


def office_hours_erase_person(person: User, former: User) -> None:
    now = timezone.now()
    theirs = Booking.objects.filter(Q(mentee=person) | Q(slot__offer__mentor=person))
    for booking in theirs.filter(
        status=BookingStatus.BOOKED, slot__starts_at__gt=now
    ).select_related("slot__offer"):
        booking_cancel_and_tell(booking, by=None, reason="", now=now)
    offers = OfficeHours.objects.filter(mentor=person)
    offers.filter(status=OfferStatus.OPEN).update(status=OfferStatus.CLOSED, closed_at=now)
    for offer in offers:
        offer.slots.filter(status=SlotStatus.OPEN, starts_at__gt=now).update(
            status=SlotStatus.CANCELLED, cancelled_at=now
        )
    BookingRecord.objects.filter(user=person).delete()
    Booking.objects.filter(mentee=person).update(question="", cancel_reason="", mentee=former)
    Booking.objects.filter(cancelled_by=person).update(cancel_reason="", cancelled_by=former)
    offers.update(mentor=former, place="", topic="")
