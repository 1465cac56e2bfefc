"""Bookings: a mentee books a slot with one question; either side cancels before it
starts; after it, each side logs their time and reflection and rates it.

Two mentees booking one slot at once: the slot's row is locked while the booking is
checked and made, and the database keeps one live booking per slot whatever happens
(a partial unique constraint). One mentee booking several slots at once: their user row
is locked first, so the limit of future bookings holds.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from medmentor.accounts.models import User
from medmentor.mentorships.timezones import time_zone_of
from medmentor.officehours.access import BookingAccess
from medmentor.officehours.ics import REQUEST
from medmentor.officehours.models import (
    COMMENT_MAX,
    QUESTION_MAX,
    REASON_MAX,
    REFLECTION_MAX,
    Booking,
    BookingRecord,
    BookingStatus,
    OfficeHours,
    Slot,
)
from medmentor.officehours.selectors import booking_programs, future_booking_count
from medmentor.officehours.services.common import booking_cancel_and_tell, send_invitations
from medmentor.profiles.selectors import is_excluded_pair
from medmentor.programs.models import Program

# Bookings still to come that one mentee may hold at once, with every mentor.
MAX_FUTURE_BOOKINGS = 3


def _already_booked() -> ValidationError:
    return ValidationError(_("This slot is already booked. Choose another one."))


def _week_of(moment: datetime, offer: OfficeHours) -> tuple[datetime, datetime]:
    """Monday to Monday, in the mentor's time zone, around ``moment``."""
    local = timezone.localtime(moment, time_zone_of(offer.mentor))
    monday = (local - timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return monday, monday + timedelta(days=7)


def _check_question(question: str) -> str:
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": _("Ask your question in a few words.")})
    if len(question) > QUESTION_MAX:
        raise ValidationError(
            {
                "question": _("Keep your question to %(limit)s characters (now %(n)s).")
                % {"limit": QUESTION_MAX, "n": len(question)}
            }
        )
    return question


@transaction.atomic
def booking_create(
    *,
    slot: Slot,
    mentee: User,
    program: Program | None,
    question: str,
    now: datetime | None = None,
) -> Booking:
    """Book ``slot`` for ``mentee`` in ``program``. Every refusal says why and saves
    nothing; both sides get the invitation with its .ics once it commits."""
    now = now or timezone.now()
    question = _check_question(question)
    # Lock order, always: the mentee, the offer, the slot.
    User.objects.select_for_update().filter(pk=mentee.pk).first()
    offer = OfficeHours.objects.select_for_update().select_related("mentor").get(pk=slot.offer_id)
    slot = Slot.objects.select_for_update().get(pk=slot.pk)
    mentor = offer.mentor
    if mentor.pk == mentee.pk:
        raise ValidationError(_("You cannot book your own office hours."))
    if slot.is_cancelled or not offer.is_open:
        raise ValidationError(_("This slot is no longer offered."))
    if slot.starts_at <= now:
        raise ValidationError(_("This slot is in the past."))
    if slot.starts_at > now + timedelta(days=offer.horizon_days):
        raise ValidationError(
            ngettext(
                "This slot is not open for booking yet: %(name)s takes bookings %(n)s day ahead.",
                "This slot is not open for booking yet: %(name)s takes bookings %(n)s days ahead.",
                offer.horizon_days,
            )
            % {"name": mentor.get_full_name(), "n": offer.horizon_days}
        )
    if slot.bookings.filter(status=BookingStatus.BOOKED).exists():
        raise _already_booked()
    if is_excluded_pair(mentee, mentor):
        raise ValidationError(
            _("A reporting line, a conflict of interest or a block keeps you apart from %(name)s.")
            % {"name": mentor.get_full_name()}
        )
    allowed = booking_programs(mentee, offer)
    if program is None or program not in allowed:
        raise ValidationError(
            {
                "program": _(
                    "Choose a program where you are a mentee and %(name)s offers office hours."
                )
                % {"name": mentor.get_full_name()}
                if allowed
                else _("You share no program with %(name)s where these office hours are offered.")
                % {"name": mentor.get_full_name()}
            }
        )
    week_start, week_end = _week_of(slot.starts_at, offer)
    that_week = Booking.objects.filter(
        slot__offer=offer,
        status=BookingStatus.BOOKED,
        slot__starts_at__gte=week_start,
        slot__starts_at__lt=week_end,
    ).count()
    if that_week >= offer.max_per_week:
        raise ValidationError(
            _("%(name)s's office hours are fully booked that week. Try another week.")
            % {"name": mentor.get_full_name()}
        )
    if future_booking_count(mentee, now=now) >= MAX_FUTURE_BOOKINGS:
        raise ValidationError(
            _(
                "You already hold %(n)s office-hours bookings still to come: the most one "
                "may hold. Book again after one of them."
            )
            % {"n": MAX_FUTURE_BOOKINGS}
        )
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                slot=slot, mentee=mentee, program=program, question=question, booked_at=now
            )
    except IntegrityError as error:  # the database's last word on a second booking
        raise _already_booked() from error
    send_invitations(booking, REQUEST)
    return booking


@transaction.atomic
def booking_cancel(
    *, access: BookingAccess, reason: str = "", now: datetime | None = None
) -> Booking:
    """Either side cancels before the start, with a reason if they like; both get the
    cancellation (.ics CANCEL, same UID, SEQUENCE + 1)."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().get(pk=access.booking.pk)
    booking.slot = access.booking.slot
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep this under %(n)s characters.") % {"n": REASON_MAX}}
        )
    if not booking.is_live:
        raise ValidationError(_("This booking is already cancelled."))
    if booking.slot.starts_at <= now:
        raise ValidationError(_("This booking has begun: it can no longer be cancelled."))
    booking_cancel_and_tell(booking, by=access.user, reason=reason, now=now)
    return booking


def _require_held(access: BookingAccess, now: datetime) -> None:
    booking = access.booking
    if not booking.is_live:
        raise ValidationError(_("This booking was cancelled."))
    if booking.slot.starts_at > now:
        raise ValidationError(_("Log and rate office hours once they have taken place."))


def _record(access: BookingAccess) -> BookingRecord:
    record, _created = BookingRecord.objects.get_or_create(booking=access.booking, user=access.user)
    return record


@transaction.atomic
def booking_log(
    *,
    access: BookingAccess,
    minutes_spent: int | None,
    reflection: str = "",
    now: datetime | None = None,
) -> BookingRecord:
    """After the slot: the time spent (the slot's length unless said) and a private
    reflection, for the person's own CPD record."""
    now = now or timezone.now()
    _require_held(access, now)
    if minutes_spent is None:
        minutes_spent = access.booking.slot.duration_minutes
    errors: dict[str, str] = {}
    if not 1 <= minutes_spent <= 1440:
        errors["minutes_spent"] = _("Give the time spent, in minutes (1 to 1440).")
    reflection = (reflection or "").strip()
    if len(reflection) > REFLECTION_MAX:
        errors["reflection"] = _("Keep this under %(n)s characters.") % {"n": REFLECTION_MAX}
    if errors:
        raise ValidationError(errors)
    record = _record(access)
    record.minutes_spent = minutes_spent
    record.reflection = reflection
    record.logged_at = now
    record.save(update_fields=["minutes_spent", "reflection", "logged_at"])
    return record


@transaction.atomic
def booking_rate(
    *, access: BookingAccess, score: int | None, comment: str = "", now: datetime | None = None
) -> BookingRecord:
    """A rating from 1 to 5 with an optional comment, both for its author alone."""
    now = now or timezone.now()
    _require_held(access, now)
    errors: dict[str, str] = {}
    if score not in range(1, 6):
        errors["score"] = _("Rate from 1 to 5.")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        errors["comment"] = _("Keep this under %(n)s characters.") % {"n": COMMENT_MAX}
    if errors:
        raise ValidationError(errors)
    record = _record(access)
    record.score = score
    record.comment = comment
    record.rated_at = now
    record.save(update_fields=["score", "comment", "rated_at"])
    return record
