"""The report's one-off mentoring: office-hours sessions and speed-mentoring events held
in the period, the people who came, and nothing about fewer than five people."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from medmentor.core.periods import Period
from medmentor.events.models import EventMeeting
from medmentor.events.selectors import get_event_for
from medmentor.events.services.follow_up import event_follow_up_set
from medmentor.officehours.access import get_booking_for
from medmentor.officehours.services.bookings import booking_cancel
from medmentor.officehours.services.offers import office_hours_open
from medmentor.programs.models import Membership
from medmentor.reports.report import report_of
from medmentor.reports.scope import CohortKind, Scope
from medmentor.reports.tables import Hidden
from tests.events.support import build, event_world, move_to_past, publish
from tests.factories import logged_in_client
from tests.officehours.conftest import World, clock, mentee_in, offer_values, world

__all__ = ["clock", "world"]  # the office hours' fixtures

pytestmark = pytest.mark.django_db

TORONTO = ZoneInfo("America/Toronto")
MARCH = Period(start=date(2026, 3, 1), end=date(2026, 3, 31))


def one_off(scope: Scope) -> dict[str, object]:
    """The table's cells of the one program of ``scope``, by row."""
    column = scope.program_keys[0]
    table = report_of(scope).table("one_off")
    return {row.key: row.cells[column] for row in table.rows}


def book_one_each(world: World, names: list[str]) -> list:
    """Each new mentee books one of the afternoon sessions, in order (Monday to Friday,
    14:00, half an hour), from Tuesday 3 March."""
    offer = office_hours_open(
        mentor=world.mentor,
        programs=[world.program],
        **offer_values(
            weekdays=[0, 1, 2, 3, 4], start_time=time(14, 0), slots_in_row=1, max_per_week=10
        ),
    )
    slots = list(offer.slots.order_by("starts_at"))[: len(names)]
    return [
        world.book(slot, mentee_in(world.program, name))
        for slot, name in zip(slots, names, strict=True)
    ]


def test_office_hours_held_count_their_sessions_people_and_hours(world, clock):
    names = ["Ana", "Ben", "Chloé", "Dev", "Emma", "Farid", "Gia"]
    bookings = book_one_each(world, names)  # 3, 4, 5, 6, 9, 10 and 11 March
    booking_cancel(access=get_booking_for(bookings[1].mentee, bookings[1].uuid))
    # On 11 March at noon, Gia's session is still ahead.
    clock.move_to(datetime(2026, 3, 11, 12, 0, tzinfo=TORONTO))

    figures = one_off(Scope(programs=(world.program,), period=MARCH))
    assert figures["office_hours_sessions"] == 5
    assert figures["office_hours_mentees"] == 5
    assert figures["office_hours_hours"] == 2.5  # five half-hours
    assert figures["office_hours_mentors"] is Hidden.FEW  # one mentor

    # The first week alone: two sessions, so no figure at all about their two mentees.
    first_week = Period(start=date(2026, 3, 1), end=date(2026, 3, 7))
    figures = one_off(Scope(programs=(world.program,), period=first_week))
    assert figures["office_hours_mentees"] is Hidden.FEW
    assert figures["office_hours_sessions"] is Hidden.FEW
    assert figures["office_hours_hours"] is None


def test_an_event_held_counts_its_people_meetings_and_mutual_choices():
    ew = event_world(mentees=6, mentors=3, rotations=3, tables=3)
    build(ew)
    publish(ew)
    move_to_past(ew.event)
    chosen_by_mentor = defaultdict(list)
    for mentee in ew.mentees[:5]:
        meeting = EventMeeting.objects.filter(event=ew.event, mentee=mentee).first()
        event_follow_up_set(access=get_event_for(mentee, ew.event.uuid), chosen=[meeting.mentor])
        chosen_by_mentor[meeting.mentor].append(mentee)
    for mentor, mentees in chosen_by_mentor.items():
        event_follow_up_set(access=get_event_for(mentor, ew.event.uuid), chosen=mentees)

    figures = one_off(Scope(programs=(ew.world.program,)))
    assert figures["events_held"] == 1
    assert figures["events_mentees"] == 6
    assert figures["events_mentors"] is Hidden.FEW  # three mentors
    assert figures["events_meetings"] == EventMeeting.objects.filter(event=ew.event).count()
    assert figures["events_mutual"] == 5


def test_an_event_not_yet_held_or_never_published_counts_nothing():
    ew = event_world(mentees=6, mentors=3, rotations=3, tables=3)
    build(ew)  # built, not published: people were never told
    move_to_past(ew.event)
    figures = one_off(Scope(programs=(ew.world.program,)))
    assert figures["events_held"] == 0
    assert figures["events_mentees"] == 0


def test_the_coordinator_reads_the_table_on_the_report_page():
    ew = event_world(mentees=6, mentors=5, rotations=3, tables=5)
    build(ew)
    publish(ew)
    move_to_past(ew.event)
    page = logged_in_client(ew.coordinator).get(
        reverse("reports:program", args=[ew.world.program.uuid])
    )
    assert page.status_code == 200
    assert "Office hours and speed-mentoring events" in page.content.decode()
    assert "Speed-mentoring events held" in page.content.decode()


def test_a_cohort_keeps_the_sessions_of_its_own_mentees(world, clock):
    bookings = book_one_each(world, ["Ana", "Ben", "Chloé", "Dev", "Emma", "Farid"])
    clock.move_to(datetime(2026, 3, 31, 12, 0, tzinfo=TORONTO))
    everyone = Scope(programs=(world.program,), period=MARCH)
    assert one_off(everyone)["office_hours_mentees"] == 6
    # Three of them enrolled last year: the cohort of March's newcomers leaves them out.
    earlier = [booking.mentee_id for booking in bookings[:3]]
    Membership.objects.filter(program=world.program, user_id__in=earlier).update(
        activated_at=datetime(2025, 9, 1, tzinfo=TORONTO)
    )
    newcomers = Scope(programs=(world.program,), period=MARCH, cohort_kind=CohortKind.ENROLLED)
    assert one_off(newcomers)["office_hours_mentees"] is Hidden.FEW
