"""Office hours over the API: a mentor's open slots, booking one, my bookings (either
side), cancelling one.

The same services and access helpers as the site: a block or a reporting line keeps the
slots of a mentor as hidden as their profile, the booking service says why a booking is
refused, and a booking is seen by its two people only. A slot's place or link is given to
the booked pair only, as on the site. People are named by display name and profile UUID.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from medmentor.accounts.http import current_user
from medmentor.accounts.models import User
from medmentor.api.base import InputSchema, responses
from medmentor.officehours import selectors
from medmentor.officehours.access import get_booking_for, get_slot_to_book
from medmentor.officehours.models import QUESTION_MAX, REASON_MAX, Booking
from medmentor.officehours.services.bookings import booking_cancel, booking_create
from medmentor.profiles.models import Profile
from medmentor.profiles.selectors import display_names_of, get_profile_for_viewer
from medmentor.programs.models import Program

router = Router(tags=["office hours"])

BOOKINGS_MAX = 200  # the most recent a list answers


class SlotOut(Schema):
    uuid: UUID
    starts_at: datetime
    ends_at: datetime
    minutes: int = Field(..., alias="duration_minutes")
    modality: str = Field(..., alias="offer.modality")
    topic: str = Field(..., alias="offer.topic")


class BookingOut(Schema):
    """A booking as one of its two people sees it."""

    uuid: UUID
    role: str  # the reader's side: "mentee" or "mentor"
    partner: UUID | None  # the other person's profile
    partner_name: str
    program: UUID | None
    program_name: str
    starts_at: datetime
    ends_at: datetime
    modality: str
    place: str
    question: str
    status: str
    booked_at: datetime
    cancelled_at: datetime | None
    cancel_reason: str


class BookIn(InputSchema):
    program: UUID | None = None
    question: str = Field(..., max_length=QUESTION_MAX)


class CancelIn(InputSchema):
    reason: str = Field("", max_length=REASON_MAX)


def _out(
    booking: Booking, reader: User, names: dict[int, str], profiles: dict[int, UUID]
) -> dict[str, Any]:
    mentor = booking.slot.offer.mentor
    as_mentor = mentor.pk == reader.pk
    partner = booking.mentee if as_mentor else mentor
    return {
        "uuid": booking.uuid,
        "role": "mentor" if as_mentor else "mentee",
        "partner": profiles.get(partner.pk),
        "partner_name": names.get(partner.pk, ""),
        "program": booking.program.uuid if booking.program else None,
        "program_name": booking.program.name if booking.program else "",
        "starts_at": booking.slot.starts_at,
        "ends_at": booking.slot.ends_at,
        "modality": booking.slot.offer.modality,
        "place": booking.slot.offer.place,
        "question": booking.question,
        "status": booking.status,
        "booked_at": booking.booked_at,
        "cancelled_at": booking.cancelled_at,
        "cancel_reason": booking.cancel_reason,
    }


def _outs(bookings: list[Booking], reader: User) -> list[dict[str, Any]]:
    """The bookings as ``reader`` sees them; names and profiles read once for all."""
    people = {b.mentee for b in bookings} | {b.slot.offer.mentor for b in bookings}
    profiles = dict(Profile.objects.filter(user__in=people).values_list("user_id", "uuid"))
    names = display_names_of(people)
    return [_out(booking, reader, names, profiles) for booking in bookings]


@router.get("/mentors/{profile_uuid}/slots", response=responses(list[SlotOut], 401, 404, 422))
def mentor_slots(request: HttpRequest, profile_uuid: UUID) -> object:
    """The slots of a mentor one may book now (hidden as their profile is)."""
    profile = get_profile_for_viewer(current_user(request), profile_uuid)
    return list(selectors.open_slots_of(profile.user)) if profile.is_mentor else []


@router.get("/bookings", response=responses(list[BookingOut], 401, 422))
def bookings(request: HttpRequest, upcoming: bool = True) -> object:
    """My bookings, as mentee and as mentor: those still to come (soonest first), or with
    ``upcoming=false`` all of them, latest first."""
    user = current_user(request)
    mine = selectors.bookings_of(user, upcoming=upcoming)[:BOOKINGS_MAX]
    return _outs(list(mine), user)


@router.post("/slots/{slot_uuid}/book", response=responses({201: BookingOut}, 401, 403, 404, 422))
def book(request: HttpRequest, slot_uuid: UUID, payload: BookIn) -> Status[dict[str, Any]]:
    """Book a slot in one of the programs one shares with the mentor (the first one when
    none is named)."""
    user = current_user(request)
    slot = get_slot_to_book(slot_uuid)
    mentor_profile = selectors.profile_uuid_of(slot.offer.mentor)
    if mentor_profile is None:
        raise Http404
    get_profile_for_viewer(user, mentor_profile)  # a block hides the slots too
    shared = selectors.booking_programs(user, slot.offer)
    if payload.program is None:
        program = shared[0] if shared else None
    else:
        program = Program.objects.filter(uuid=payload.program).first()
    booking = booking_create(slot=slot, mentee=user, program=program, question=payload.question)
    return Status(201, _outs([booking], user)[0])


@router.post("/bookings/{booking_uuid}/cancel", response=responses(BookingOut, 401, 403, 404, 422))
def cancel(request: HttpRequest, booking_uuid: UUID, payload: CancelIn) -> dict[str, Any]:
    """Either of the two cancels before the start; both get the cancellation."""
    user = current_user(request)
    booking = booking_cancel(access=get_booking_for(user, booking_uuid), reason=payload.reason)
    return _outs([booking], user)[0]
