"""What ``medmentor remind`` does for office hours: make the slots that come into the
booking horizon, and remind both sides the day before, once.

A reminder is recorded (``mentorships.ReminderSent``, unique per kind, key and recipient)
in the transaction that enqueues it, so a second run sends nothing twice; a booking moved
to another time would have another key.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from medmentor.mentorships.models import ReminderSent
from medmentor.officehours.models import Booking, BookingStatus
from medmentor.officehours.services.offers import slots_extend
from medmentor.officehours.tasks import send_booking_reminder

REMIND_AHEAD = timedelta(hours=24)
REMINDER_KIND = "officehours_upcoming"


def _remind_once(booking: Booking, recipient_id: int, now: datetime) -> bool:
    key = f"{booking.uuid}:{booking.slot.starts_at.isoformat()}"
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                kind=REMINDER_KIND, key=key, recipient_id=recipient_id, sent_at=now
            )
    except IntegrityError:
        return False
    transaction.on_commit(lambda: send_booking_reminder.enqueue(booking.pk, recipient_id))
    return True


@transaction.atomic
def office_hours_due(*, now: datetime | None = None) -> Counter[str]:
    now = now or timezone.now()
    done: Counter[str] = Counter()
    done["office-hours slots made"] = slots_extend(now=now)
    soon = Booking.objects.filter(
        status=BookingStatus.BOOKED,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + REMIND_AHEAD,
    ).select_related("slot__offer")
    for booking in soon:
        for person_id in (booking.mentee_id, booking.slot.offer.mentor_id):
            done["office-hours reminders"] += _remind_once(booking, person_id, now)
    return done
