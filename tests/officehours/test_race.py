"""Races on PostgreSQL, with real threads, each with its own connection, through the
booking service: several mentees booking one slot at once make one booking; one mentee
booking two slots at once does not pass the limit of future bookings."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.officehours.models import Booking, BookingStatus
from medmentor.officehours.services.bookings import MAX_FUTURE_BOOKINGS, booking_create
from medmentor.officehours.services.offers import office_hours_open
from medmentor.programs.models import Program
from tests.concurrency import at_once, postgresql_only
from tests.officehours.conftest import QUESTION, mentee_in
from tests.programs.factories import ProgramFactory
from tests.requests.requests_support import mentor_in

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _offer(program: Program, mentor: User, *, max_per_week: int = 10):
    tomorrow = timezone.localdate() + timedelta(days=1)
    return office_hours_open(
        mentor=mentor,
        programs=[program],
        duration_minutes=30,
        modality="phone",
        place="",
        weekdays=list(range(7)),
        start_time=time(10, 0),
        slots_in_row=4,
        starts_on=tomorrow,
        ends_on=tomorrow + timedelta(days=20),
        horizon_days=14,
        max_per_week=max_per_week,
    )


def _book(slot, mentee: User, program: Program):
    return lambda: booking_create(
        slot=slot, mentee=User.objects.get(pk=mentee.pk), program=program, question=QUESTION
    )


def test_mentees_booking_one_slot_at_once_make_one_booking():
    postgresql_only()
    program = ProgramFactory()
    offer = _offer(program, mentor_in(program, "Jean Tremblay"))
    slot = offer.slots.order_by("starts_at").first()
    mentees = [mentee_in(program, f"Mentee {n}") for n in range(4)]

    results = at_once(*(_book(slot, mentee, program) for mentee in mentees))

    made = [r for r in results if isinstance(r, Booking)]
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert (len(made), len(refusals)) == (1, 3), results
    for refusal in refusals:
        assert "This slot is already booked." in " ".join(refusal.messages)
    assert Booking.objects.filter(slot=slot, status=BookingStatus.BOOKED).count() == 1


def test_one_mentee_booking_two_slots_at_once_keeps_the_limit():
    postgresql_only()
    program = ProgramFactory()
    offer = _offer(program, mentor_in(program, "Jean Tremblay"))
    slots = list(offer.slots.order_by("starts_at")[: MAX_FUTURE_BOOKINGS + 1])
    mentee = mentee_in(program, "Amira Haddad")
    for slot in slots[: MAX_FUTURE_BOOKINGS - 1]:
        booking_create(slot=slot, mentee=mentee, program=program, question=QUESTION)

    results = at_once(*(_book(slot, mentee, program) for slot in slots[MAX_FUTURE_BOOKINGS - 1 :]))

    made = [r for r in results if isinstance(r, Booking)]
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert (len(made), len(refusals)) == (1, 1), results
    assert "You already hold 3 office-hours bookings" in " ".join(refusals[0].messages)
    assert Booking.objects.filter(mentee=mentee).count() == MAX_FUTURE_BOOKINGS


def test_mentees_booking_the_last_place_of_the_week_at_once_make_one_booking():
    postgresql_only()
    program = ProgramFactory()
    offer = _offer(program, mentor_in(program, "Jean Tremblay"), max_per_week=1)
    first = offer.slots.order_by("starts_at").first()
    # Two different slots of the same week (in the mentor's zone).
    same_day = list(offer.slots.filter(starts_at__date=first.starts_at.date())[:2])
    mentees = [mentee_in(program, f"Mentee {n}") for n in range(2)]

    results = at_once(
        *(_book(slot, mentee, program) for slot, mentee in zip(same_day, mentees, strict=True))
    )

    assert sum(isinstance(r, Booking) for r in results) == 1, results
    assert Booking.objects.count() == 1
