"""Reads of office hours. Who may read a booking is decided by ``access`` first; these
functions return each person their own side only (a record, a rating: its author's)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypedDict
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from medmentor.accounts.models import User
from medmentor.core.periods import Period
from medmentor.mentorships.selectors import ActivityRow
from medmentor.officehours.models import (
    Booking,
    BookingRecord,
    BookingStatus,
    OfferStatus,
    OfficeHours,
    Slot,
    SlotStatus,
)
from medmentor.profiles.models import Profile
from medmentor.profiles.selectors import display_name_of, display_names_of
from medmentor.programs.models import Program, Role, Status
from medmentor.programs.selectors import open_community
from medmentor.programs.selectors.reporting import Cohort, in_cohort
from medmentor.requests.rules import qualifies

# Logged office hours as lines of a CPD record, by the person's side.
ACTIVITY_LABELS = {
    "mentor": gettext_lazy("Office hours (as mentor)"),
    "mentee": gettext_lazy("Office hours (as mentee)"),
}


def mentor_programs(mentor: User) -> list[Program]:
    """The programs where ``mentor`` may offer office hours: where they are an active
    mentor, and the open community when its rules take them as a mentor."""
    programs = list(
        Program.objects.filter(
            memberships__user=mentor,
            memberships__role=Role.MENTOR,
            memberships__status=Status.ACTIVE,
        )
        .distinct()
        .order_by("name_en")
    )
    community = open_community()
    if (
        community is not None
        and community not in programs
        and qualifies(community, mentor, Role.MENTOR)
    ):
        programs.append(community)
    return programs


def booking_programs(mentee: User, offer: OfficeHours) -> list[Program]:
    """The offer's programs where ``mentee`` is an active mentee (in the open community:
    one its rules take) and the mentor still an active mentor."""
    return [
        program
        for program in offer.programs.order_by("name_en")
        if qualifies(program, mentee, Role.MENTEE) and qualifies(program, offer.mentor, Role.MENTOR)
    ]


def _live_booking() -> Exists:
    return Exists(Booking.objects.filter(slot=OuterRef("pk"), status=BookingStatus.BOOKED))


def open_slots_of(mentor: User, *, now: datetime | None = None) -> QuerySet[Slot]:
    """The mentor's slots a mentee may book now: open, not booked, still to come, within
    their offer's horizon."""
    now = now or timezone.now()
    slots = (
        Slot.objects.filter(
            offer__mentor=mentor,
            offer__status=OfferStatus.OPEN,
            status=SlotStatus.OPEN,
            starts_at__gt=now,
        )
        .annotate(booked=_live_booking())
        .filter(booked=False)
        .select_related("offer")
        .order_by("starts_at")
    )
    ids = [s.pk for s in slots if s.starts_at <= now + timedelta(days=s.offer.horizon_days)]
    return slots.filter(pk__in=ids)


def has_open_slots(mentor: User) -> bool:
    return open_slots_of(mentor).exists()


@dataclass(frozen=True)
class MentorOverview:
    offers: list[OfficeHours]
    upcoming: list[Slot]  # with ``live`` (the live booking or None)
    past: list[Booking]  # bookings that took place, with ``own_record``


def _with_live(slots: QuerySet[Slot]) -> list[Slot]:
    slots = slots.select_related("offer")
    live = {
        b.slot_id: b
        for b in Booking.objects.filter(slot__in=slots, status=BookingStatus.BOOKED).select_related(
            "mentee", "program"
        )
    }
    result = list(slots)
    for slot in result:
        slot.live = live.get(slot.pk)  # type: ignore[attr-defined]
    return result


def _with_own_records(bookings: list[Booking], user: User) -> list[Booking]:
    records = {
        r.booking_id: r for r in BookingRecord.objects.filter(booking__in=bookings, user=user)
    }
    for booking in bookings:
        booking.own_record = records.get(booking.pk)  # type: ignore[attr-defined]
    return bookings


def mentor_overview(mentor: User, *, now: datetime | None = None) -> MentorOverview:
    now = now or timezone.now()
    offers = list(
        OfficeHours.objects.filter(mentor=mentor)
        .prefetch_related("programs")
        .order_by("status", "-created_at")
    )
    upcoming = Slot.objects.filter(
        offer__mentor=mentor, status=SlotStatus.OPEN, ends_at__gt=now
    ).order_by("starts_at")[:200]
    past = list(
        Booking.objects.filter(
            slot__offer__mentor=mentor, status=BookingStatus.BOOKED, slot__starts_at__lte=now
        )
        .select_related("slot", "mentee", "program")
        .order_by("-slot__starts_at")[:200]
    )
    return MentorOverview(
        offers=offers,
        upcoming=_with_live(Slot.objects.filter(pk__in=[s.pk for s in upcoming])),
        past=_with_own_records(past, mentor),
    )


@dataclass(frozen=True)
class MenteeBookings:
    upcoming: list[Booking]
    past: list[Booking]  # took place, with ``own_record``
    cancelled: list[Booking]


def mentee_bookings(mentee: User, *, now: datetime | None = None) -> MenteeBookings:
    now = now or timezone.now()
    mine = Booking.objects.filter(mentee=mentee).select_related("slot__offer__mentor", "program")
    return MenteeBookings(
        upcoming=list(mine.filter(status=BookingStatus.BOOKED, slot__starts_at__gt=now)),
        past=_with_own_records(
            list(
                mine.filter(status=BookingStatus.BOOKED, slot__starts_at__lte=now).order_by(
                    "-slot__starts_at"
                )[:200]
            ),
            mentee,
        ),
        cancelled=list(mine.filter(status=BookingStatus.CANCELLED).order_by("-cancelled_at")[:50]),
    )


def upcoming_bookings(user: User, *, now: datetime | None = None) -> QuerySet[Booking]:
    """Live bookings still to come, on either side."""
    now = now or timezone.now()
    return (
        Booking.objects.filter(
            Q(mentee=user) | Q(slot__offer__mentor=user),
            status=BookingStatus.BOOKED,
            slot__starts_at__gt=now,
        )
        .select_related("slot__offer__mentor", "mentee")
        .order_by("slot__starts_at")
    )


def bookings_of(
    user: User, *, upcoming: bool = True, now: datetime | None = None
) -> QuerySet[Booking]:
    """The person's bookings on either side: live ones still to come, soonest first, or
    all of them, latest first."""
    if upcoming:
        return upcoming_bookings(user, now=now).select_related("program")
    return (
        Booking.objects.filter(Q(mentee=user) | Q(slot__offer__mentor=user))
        .select_related("slot__offer__mentor", "mentee", "program")
        .order_by("-slot__starts_at", "-pk")
    )


def future_booking_count(mentee: User, *, now: datetime) -> int:
    return Booking.objects.filter(
        mentee=mentee, status=BookingStatus.BOOKED, slot__starts_at__gt=now
    ).count()


def offer_slots(offer: OfficeHours, *, now: datetime | None = None) -> list[Slot]:
    """An offer's slots still to come (cancelled ones too), each with its live booking."""
    now = now or timezone.now()
    return _with_live(offer.slots.filter(ends_at__gt=now).order_by("starts_at"))


def profile_uuid_of(user: User) -> UUID | None:
    uuid: UUID | None = Profile.objects.filter(user=user).values_list("uuid", flat=True).first()
    return uuid


def own_record(booking: Booking, user: User) -> BookingRecord | None:
    return BookingRecord.objects.filter(booking=booking, user=user).first()


def activity_rows(user: User) -> list[ActivityRow]:
    """The person's logged office hours as lines of their CPD record: their own time and
    reflection; the other person by display name only."""
    records = list(
        BookingRecord.objects.filter(
            user=user, logged_at__isnull=False, booking__status=BookingStatus.BOOKED
        )
        .select_related("booking__slot__offer__mentor", "booking__mentee", "booking__program")
        .order_by("booking__slot__starts_at")
    )

    def partner_of(booking: Booking) -> User:
        mentor = booking.slot.offer.mentor
        return booking.mentee if mentor.pk == user.pk else mentor

    names = display_names_of(partner_of(r.booking) for r in records)
    rows = []
    for record in records:
        booking = record.booking
        role = "mentor" if booking.slot.offer.mentor_id == user.pk else "mentee"
        rows.append(
            ActivityRow(
                day=timezone.localdate(booking.slot.starts_at),
                activity=str(ACTIVITY_LABELS[role]),
                role=role,
                partner=names[partner_of(booking).pk],
                program=booking.program.name if booking.program else "",
                hours=record.hours,
                reflection=record.reflection,
            )
        )
    return rows


def office_hours_export(user: User) -> dict[str, Any]:
    """The export's part ``programs.office_hours``: see :func:`office_hours_of`."""
    return {"office_hours": office_hours_of(user)}


def _booking_row(booking: Booking, user: User, record: BookingRecord | None) -> dict[str, Any]:
    mentor = booking.slot.offer.mentor
    return {
        "uuid": booking.uuid,
        "with": display_name_of(booking.mentee if mentor.pk == user.pk else mentor),
        "program": booking.program.name if booking.program else "",
        "starts_at": booking.slot.starts_at,
        "ends_at": booking.slot.ends_at,
        "question": booking.question,
        "status": booking.status,
        "booked_at": booking.booked_at,
        "cancelled_at": booking.cancelled_at,
        # Who cancelled and why: both sides read it on the booking's page.
        "cancelled_by": display_name_of(booking.cancelled_by) if booking.cancelled_by else "",
        "cancel_reason": booking.cancel_reason,
        "my_record": {
            "minutes_spent": record.minutes_spent,
            "reflection": record.reflection,
            "rating": record.score,
            "rating_comment": record.comment,
        }
        if record
        else None,
    }


def office_hours_of(user: User) -> dict[str, Any]:
    """The person's office hours for their data export: offers, bookings both sides (a
    booking's question is the mentee's words to the mentor: both have it), their own
    records. The other person by name, never by address; never the other's record."""
    own = {r.booking_id: r for r in BookingRecord.objects.filter(user=user)}
    offers = OfficeHours.objects.filter(mentor=user).prefetch_related("programs")
    booked = Booking.objects.select_related(
        "slot__offer__mentor", "mentee", "program", "cancelled_by"
    )
    return {
        "offers": [
            {
                "uuid": offer.uuid,
                "topic": offer.topic,
                "length_minutes": offer.duration_minutes,
                "modality": offer.modality,
                "place": offer.place,
                "weekdays": offer.weekday_labels,
                "start_time": offer.start_time.isoformat(),
                "slots_in_row": offer.slots_in_row,
                "from": offer.starts_on,
                "until": offer.ends_on,
                "programs": [p.name for p in offer.programs.all()],
                "status": offer.status,
            }
            for offer in offers
        ],
        "bookings_made": [_booking_row(b, user, own.get(b.pk)) for b in booked.filter(mentee=user)],
        "bookings_received": [
            _booking_row(b, user, own.get(b.pk)) for b in booked.filter(slot__offer__mentor=user)
        ],
    }


# -- the reports' counts -----------------------------------------------------------------
class OfficeHoursCount(TypedDict):
    program_id: int
    sessions: int
    mentees: int
    mentors: int
    minutes: int


def office_hours_held(
    program_ids: Collection[int], cohort: Cohort | None, period: Period
) -> list[OfficeHoursCount]:
    """Per program: the booked sessions that took place in the period (neither side
    cancelled, begun by now), the distinct mentees who came (in the cohort, if any) and
    mentors who held them, and the sessions' minutes as offered."""
    held = (
        Booking.objects.filter(
            program_id__in=program_ids,
            status=BookingStatus.BOOKED,
            slot__status=SlotStatus.OPEN,
            slot__starts_at__gte=period.since,
            slot__starts_at__lt=min(period.until, timezone.now()),
        )
        .filter(in_cohort(cohort, program="program_id", user="mentee_id"))
        .values_list(
            "program_id", "mentee_id", "slot__offer__mentor_id", "slot__starts_at", "slot__ends_at"
        )
        .order_by()
    )
    counts: dict[int, OfficeHoursCount] = {}
    mentees: dict[int, set[int]] = defaultdict(set)
    mentors: dict[int, set[int]] = defaultdict(set)
    for program_id, mentee_id, mentor_id, starts_at, ends_at in held:
        count = counts.setdefault(
            program_id,
            OfficeHoursCount(program_id=program_id, sessions=0, mentees=0, mentors=0, minutes=0),
        )
        count["sessions"] += 1
        count["minutes"] += int((ends_at - starts_at) / timedelta(minutes=1))
        mentees[program_id].add(mentee_id)
        mentors[program_id].add(mentor_id)
    for program_id, count in counts.items():
        count["mentees"] = len(mentees[program_id])
        count["mentors"] = len(mentors[program_id])
    return list(counts.values())
