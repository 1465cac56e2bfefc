"""A mentor's offers: open one (its weekly slots generated as far ahead as mentees may
book), change what it says, extend every offer's horizon day by day, add a one-off slot,
cancel a slot, close an offer. A booking on a slot that goes is cancelled, and both sides
are told; a booking whose place changes gets its updated invitation."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.mentorships.models import Modality
from medmentor.mentorships.timezones import time_zone_of
from medmentor.officehours.ics import REQUEST
from medmentor.officehours.models import (
    HORIZON_MAX,
    LENGTH_MAX,
    LENGTH_MIN,
    PLACE_MAX,
    ROW_MAX,
    SPAN_MAX_DAYS,
    TOPIC_MAX,
    WEEKLY_MAX,
    Booking,
    BookingStatus,
    OfferStatus,
    OfficeHours,
    Slot,
    SlotStatus,
)
from medmentor.officehours.selectors import mentor_programs
from medmentor.officehours.services.common import booking_cancel_and_tell, send_invitations
from medmentor.programs.models import Program

Interval = tuple[datetime, datetime]


def _candidates(
    *,
    weekdays: Sequence[int],
    start_time: time,
    slots_in_row: int,
    duration_minutes: int,
    first: date,
    last: date,
    mentor: User,
) -> Iterator[Interval]:
    """The recurrence's slots from ``first`` to ``last``, in the mentor's own time zone
    (a slot at 9:00 stays at 9:00 across a change of summer time), as UTC intervals."""
    zone = time_zone_of(mentor)
    length = timedelta(minutes=duration_minutes)
    day = first
    while day <= last:
        if day.weekday() in weekdays:
            start = datetime.combine(day, start_time, tzinfo=zone)
            for n in range(slots_in_row):
                begins = start + n * length
                yield begins.astimezone(UTC), (begins + length).astimezone(UTC)
        day += timedelta(days=1)


def _overlaps(a: Interval, b: Interval) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _live_slots_of(mentor: User, *, after: datetime) -> list[Interval]:
    return list(
        Slot.objects.filter(
            offer__mentor=mentor, status=SlotStatus.OPEN, ends_at__gt=after
        ).values_list("starts_at", "ends_at")
    )


def _when(moment: datetime, mentor: User) -> str:
    return date_format(timezone.localtime(moment, time_zone_of(mentor)), "DATETIME_FORMAT")


def _horizon(offer_ends_on: date, horizon_days: int, today: date) -> date:
    return min(offer_ends_on, today + timedelta(days=horizon_days))


def _int_in(values: dict[str, Any], errors: dict[str, str], name: str, low: int, high: int) -> None:
    value = values.get(name)
    if not isinstance(value, int) or not low <= value <= high:
        errors[name] = _("Give a number from %(low)s to %(high)s.") % {"low": low, "high": high}


def _details_errors(
    mentor: User, values: dict[str, Any], programs: Sequence[Program]
) -> dict[str, str]:
    """What an offer says besides its recurrence: how and where, the topic, how far ahead
    and how many a week, the programs. Checked when it opens and when it changes."""
    errors: dict[str, str] = {}
    _int_in(values, errors, "horizon_days", 1, HORIZON_MAX)
    _int_in(values, errors, "max_per_week", 1, WEEKLY_MAX)
    modality = values.get("modality")
    if modality not in Modality.values:
        errors["modality"] = _("Choose how you will meet.")
    place = values.get("place") or ""
    if len(place) > PLACE_MAX:
        errors["place"] = _("Keep this under %(n)s characters.") % {"n": PLACE_MAX}
    elif modality in (Modality.IN_PERSON, Modality.VIDEO) and not place.strip():
        errors["place"] = _("Give the place, or the link of the video call.")
    if len(values.get("topic") or "") > TOPIC_MAX:
        errors["topic"] = _("Keep this under %(n)s characters.") % {"n": TOPIC_MAX}
    allowed = {p.pk for p in mentor_programs(mentor)}
    if not programs:
        errors["programs"] = _("Choose at least one program to offer them in.")
    elif any(p.pk not in allowed for p in programs):
        errors["programs"] = _(
            "Offer office hours only in programs where you are an active mentor."
        )
    return errors


def _recurrence_errors(values: dict[str, Any], today: date) -> dict[str, str]:
    """The weekly pattern: length, days, first time, slots in a row, first and last day."""
    errors: dict[str, str] = {}
    _int_in(values, errors, "duration_minutes", LENGTH_MIN, LENGTH_MAX)
    _int_in(values, errors, "slots_in_row", 1, ROW_MAX)
    weekdays = values.get("weekdays") or []
    if not weekdays:
        errors["weekdays"] = _("Choose at least one day of the week.")
    elif any(not isinstance(d, int) or not 0 <= d <= 6 for d in weekdays):
        errors["weekdays"] = _("Choose days of the week from the list.")
    if not isinstance(values.get("start_time"), time):
        errors["start_time"] = _("Give the time the first slot starts.")
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if not isinstance(starts_on, date):
        errors["starts_on"] = _("Give the first day.")
    elif starts_on < today:
        errors["starts_on"] = _("Office hours cannot start in the past.")
    if not isinstance(ends_on, date):
        errors["ends_on"] = _("Give the last day.")
    elif isinstance(starts_on, date) and ends_on < starts_on:
        errors["ends_on"] = _("The last day comes on or after the first.")
    elif isinstance(starts_on, date) and (ends_on - starts_on).days > SPAN_MAX_DAYS:
        errors["ends_on"] = _("Offer office hours for a year at most; open more later.")
    return errors


def _recurrence_overlaps(
    mentor: User, values: dict[str, Any], today: date, now: datetime
) -> dict[str, str]:
    """Within the recurrence (one day's row running into the next) or with the mentor's
    other slots, over the days slots are made for now."""
    last = _horizon(values["ends_on"], values["horizon_days"], today)
    first = max(values["starts_on"], today)
    # A whole week of the pattern, even when the first days are few.
    pattern = sorted(
        _candidates(
            weekdays=values["weekdays"],
            start_time=values["start_time"],
            slots_in_row=values["slots_in_row"],
            duration_minutes=values["duration_minutes"],
            first=first,
            last=max(last, first + timedelta(days=8)),
            mentor=mentor,
        )
    )
    for earlier, later in pairwise(pattern):
        if _overlaps(earlier, later):
            return {
                "slots_in_row": _(
                    "One day's slots run into the next day's: fewer slots in a row, or "
                    "shorter ones."
                )
            }
    taken = _live_slots_of(mentor, after=now)
    for slot in pattern:
        for other in taken:
            if _overlaps(slot, other):
                return {
                    "start_time": _(
                        "This overlaps your office hours of %(when)s: choose another time."
                    )
                    % {"when": _when(other[0], mentor)}
                }
    return {}


@transaction.atomic
def office_hours_open(
    *, mentor: User, programs: Sequence[Program], now: datetime | None = None, **values: Any
) -> OfficeHours:
    """Open office hours and make their slots for the booking horizon. Bad input: every
    field's error at once, nothing saved."""
    now = now or timezone.now()
    User.objects.select_for_update().filter(pk=mentor.pk).first()  # one offer at a time
    today = timezone.localdate(now, time_zone_of(mentor))
    programs = list(programs)
    errors = _recurrence_errors(values, today) | _details_errors(mentor, values, programs)
    if not errors:
        errors = _recurrence_overlaps(mentor, values, today, now)
    if errors:
        raise ValidationError(errors)
    offer = OfficeHours.objects.create(
        mentor=mentor,
        topic=(values.get("topic") or "").strip(),
        duration_minutes=values["duration_minutes"],
        modality=values["modality"],
        place=(values.get("place") or "").strip(),
        weekdays=sorted(set(values["weekdays"])),
        start_time=values["start_time"],
        slots_in_row=values["slots_in_row"],
        starts_on=values["starts_on"],
        ends_on=values["ends_on"],
        horizon_days=values["horizon_days"],
        max_per_week=values["max_per_week"],
        created_at=now,
    )
    offer.programs.set(programs)
    slots_generate(offer=offer, now=now)
    return offer


@transaction.atomic
def office_hours_change(
    *,
    offer: OfficeHours,
    by: User,
    programs: Sequence[Program],
    now: datetime | None = None,
    **values: Any,
) -> OfficeHours:
    """The mentor changes what open office hours say: the topic, how and where, how far
    ahead and how many a week, the programs. The weekly pattern stays (close these and
    open others for new days or times); bookings made stay as they are. A new way or
    place of meeting reaches everyone booked on a slot to come: both sides get the
    updated calendar invitation. Bad input: every field's error, nothing changed."""
    now = now or timezone.now()
    _require_mentor(offer, by)
    offer = OfficeHours.objects.select_for_update().select_related("mentor").get(pk=offer.pk)
    if not offer.is_open:
        raise ValidationError(_("These office hours are closed."))
    programs = list(programs)
    errors = _details_errors(by, values, programs)
    if errors:
        raise ValidationError(errors)
    place = (values.get("place") or "").strip()
    moved = (values["modality"], place) != (offer.modality, offer.place)
    offer.topic = (values.get("topic") or "").strip()
    offer.modality, offer.place = values["modality"], place
    offer.horizon_days, offer.max_per_week = values["horizon_days"], values["max_per_week"]
    offer.save(update_fields=["topic", "modality", "place", "horizon_days", "max_per_week"])
    offer.programs.set(programs)
    slots_generate(offer=offer, now=now)  # a farther horizon opens its days at once
    if moved:
        coming = Booking.objects.select_for_update().filter(
            slot__offer=offer, status=BookingStatus.BOOKED, slot__starts_at__gt=now
        )
        for booking in coming.select_related("slot__offer"):
            booking.sequence += 1
            booking.save(update_fields=["sequence"])
            send_invitations(booking, REQUEST, changed=True)
    return offer


def slots_generate(*, offer: OfficeHours, now: datetime | None = None) -> int:
    """Make the offer's slots still missing up to its horizon; never one in the past, one
    made before (cancelled ones stay cancelled) or one over another of the mentor's."""
    now = now or timezone.now()
    if not offer.is_open:
        return 0
    mentor = offer.mentor
    today = timezone.localdate(now, time_zone_of(mentor))
    first = max(offer.starts_on, today)
    last = _horizon(offer.ends_on, offer.horizon_days, today)
    if last < first:
        return 0
    existing = set(offer.slots.values_list("starts_at", flat=True))
    taken = _live_slots_of(mentor, after=now)
    new = []
    for interval in _candidates(
        weekdays=offer.weekdays,
        start_time=offer.start_time,
        slots_in_row=offer.slots_in_row,
        duration_minutes=offer.duration_minutes,
        first=first,
        last=last,
        mentor=mentor,
    ):
        if interval[0] <= now or interval[0] in existing:
            continue
        if any(_overlaps(interval, other) for other in taken):
            continue
        new.append(Slot(offer=offer, starts_at=interval[0], ends_at=interval[1]))
        taken.append(interval)
    Slot.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def slots_extend(*, now: datetime | None = None) -> int:
    """The periodic job: every open offer's slots made up to its horizon, as days pass."""
    now = now or timezone.now()
    made = 0
    offers = OfficeHours.objects.filter(
        status=OfferStatus.OPEN, ends_on__gte=now.date() - timedelta(days=1)
    ).select_related("mentor")
    for offer in offers:
        made += slots_generate(offer=offer, now=now)
    return made


def _require_mentor(offer: OfficeHours, by: User) -> None:
    if offer.mentor_id != by.pk:
        raise PermissionDenied(_("Only the mentor changes their office hours."))


@transaction.atomic
def slot_add(
    *, offer: OfficeHours, by: User, starts_at: datetime | None, now: datetime | None = None
) -> Slot:
    """A one-off slot of the offer's length, besides the weekly ones."""
    now = now or timezone.now()
    _require_mentor(offer, by)
    offer = OfficeHours.objects.select_for_update().get(pk=offer.pk)
    if not offer.is_open:
        raise ValidationError(_("These office hours are closed."))
    if not isinstance(starts_at, datetime):
        raise ValidationError({"starts_at": _("Give the date and time of the slot.")})
    if starts_at <= now:
        raise ValidationError({"starts_at": _("A slot cannot be in the past.")})
    interval = (starts_at, starts_at + timedelta(minutes=offer.duration_minutes))
    for other in _live_slots_of(offer.mentor, after=now):
        if _overlaps(interval, other):
            raise ValidationError(
                {
                    "starts_at": _(
                        "This overlaps your office hours of %(when)s: choose another time."
                    )
                    % {"when": _when(other[0], offer.mentor)}
                }
            )
    # A cancelled slot at that very time comes back.
    slot, _created = Slot.objects.update_or_create(
        offer=offer,
        starts_at=interval[0],
        defaults={
            "ends_at": interval[1],
            "one_off": True,
            "status": SlotStatus.OPEN,
            "cancelled_at": None,
        },
    )
    return slot


def _slot_cancel(slot: Slot, by: User, now: datetime) -> None:
    slot.status = SlotStatus.CANCELLED
    slot.cancelled_at = now
    slot.save(update_fields=["status", "cancelled_at"])
    for booking in slot.bookings.select_for_update().filter(status=BookingStatus.BOOKED):
        booking_cancel_and_tell(booking, by=by, reason="", now=now)


@transaction.atomic
def slot_cancel(*, slot: Slot, by: User, now: datetime | None = None) -> Slot:
    """The mentor takes a slot back; its booking, if any, is cancelled and both told."""
    now = now or timezone.now()
    _require_mentor(slot.offer, by)
    slot = Slot.objects.select_for_update().select_related("offer").get(pk=slot.pk)
    if slot.is_cancelled:
        raise ValidationError(_("This slot is already cancelled."))
    if slot.starts_at <= now:
        raise ValidationError(_("This slot has already begun."))
    _slot_cancel(slot, by, now)
    return slot


@transaction.atomic
def office_hours_close(*, offer: OfficeHours, by: User, now: datetime | None = None) -> OfficeHours:
    """No more slots: those still to come are cancelled, with their bookings."""
    now = now or timezone.now()
    _require_mentor(offer, by)
    offer = OfficeHours.objects.select_for_update().get(pk=offer.pk)
    if not offer.is_open:
        raise ValidationError(_("These office hours are already closed."))
    offer.status = OfferStatus.CLOSED
    offer.closed_at = now
    offer.save(update_fields=["status", "closed_at"])
    upcoming = offer.slots.select_for_update().filter(Q(status=SlotStatus.OPEN), starts_at__gt=now)
    for slot in upcoming:
        _slot_cancel(slot, by, now)
    return offer
