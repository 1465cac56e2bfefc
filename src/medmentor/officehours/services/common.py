"""What the writes of office hours share: telling both sides, with the .ics."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.db import transaction

from medmentor.accounts.models import User
from medmentor.officehours.ics import CANCEL
from medmentor.officehours.models import REASON_MAX, Booking, BookingStatus
from medmentor.officehours.tasks import send_booking_invitation


def send_invitations(booking: Booking, method: str, *, changed: bool = False) -> None:
    """Each side gets the invitation (or the cancellation, or with ``changed`` the updated
    invitation) once the change commits."""
    for person_id in (booking.mentee_id, booking.slot.offer.mentor_id):
        # partial binds this person now (a lambda would see the loop's last one).
        transaction.on_commit(
            partial(send_booking_invitation.enqueue, booking.pk, person_id, method, changed=changed)
        )


def booking_cancel_and_tell(
    booking: Booking, *, by: User | None, reason: str, now: datetime
) -> None:
    """The one way a booking is cancelled: SEQUENCE + 1, both sides get the CANCEL."""
    booking.status = BookingStatus.CANCELLED
    booking.sequence += 1
    booking.cancelled_at = now
    booking.cancelled_by = by
    booking.cancel_reason = reason[:REASON_MAX]
    booking.save(
        update_fields=["status", "sequence", "cancelled_at", "cancelled_by", "cancel_reason"]
    )
    send_invitations(booking, CANCEL)
