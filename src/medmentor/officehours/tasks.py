"""Background work of office hours: the invitation (or cancellation) with its .ics, and
the reminder the day before."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from medmentor.accounts.models import User
from medmentor.core.email import send_templated_email
from medmentor.mentorships.timezones import time_zone_label, time_zone_of, wall_clock
from medmentor.notifications.services import notification_send
from medmentor.officehours.ics import CANCEL, booking_calendar, booking_url
from medmentor.officehours.models import Booking
from medmentor.profiles.selectors import display_name_of

INVITATION_TEMPLATE = "officehours/email/booking"
REMINDER_TEMPLATE = "officehours/email/reminder"


def _booking(booking_id: int) -> Booking | None:
    return (
        Booking.objects.select_related("slot__offer__mentor", "mentee", "program")
        .filter(pk=booking_id)
        .first()
    )


def _context(booking: Booking, recipient: User) -> dict[str, object]:
    zone = time_zone_of(recipient)
    mentor = booking.slot.offer.mentor
    partner = booking.mentee if recipient.pk == mentor.pk else mentor
    return {
        "booking": booking,
        "offer": booking.slot.offer,
        "recipient": recipient,
        "as_mentor": recipient.pk == mentor.pk,
        "partner": partner,
        "partner_name": display_name_of(partner),
        "starts": wall_clock(booking.slot.starts_at, zone),
        "time_zone": time_zone_label(zone),
        "minutes": booking.slot.duration_minutes,
    }


@task()
def send_booking_invitation(
    booking_id: int, recipient_id: int, method: str, changed: bool = False
) -> bool:
    """E-mail one side the booking (its cancellation; with ``changed``, its new way or
    place of meeting) with the .ics attached."""
    booking = _booking(booking_id)
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if booking is None or recipient is None:
        return False
    context = _context(booking, recipient) | {
        "cancelled": method == CANCEL,
        "changed": changed and method != CANCEL,
        "url": f"{settings.SITE_URL}{booking_url(booking)}",
    }
    send_templated_email(
        INVITATION_TEMPLATE,
        context,
        to=recipient.email,
        language=recipient.language,
        attachments=[
            (
                "invitation.ics",
                booking_calendar(booking, recipient, method),
                f"text/calendar; method={method}; charset=utf-8",
            )
        ],
    )
    return True


@task()
def send_booking_reminder(booking_id: int, recipient_id: int) -> bool:
    """The reminder the day before: in the site, and by e-mail if the person wants it.
    Never the question: the booking page has it."""
    booking = _booking(booking_id)
    recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
    if booking is None or recipient is None or not booking.is_live:
        return False
    notification_send(
        recipient=recipient,
        kind="officehours.booking_upcoming",
        template=REMINDER_TEMPLATE,
        context=_context(booking, recipient),
        url=booking_url(booking),
    )
    return True
