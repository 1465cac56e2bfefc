"""Building an event's schedule with the speed engine, the coordinator's changes to it
(swap, move, lock) and publishing it: every refusal changes nothing."""

from __future__ import annotations

from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.formats import time_format
from icalendar import Calendar

from medmentor.events.models import EventMeeting, EventParticipant, EventRole, EventStatus
from medmentor.events.selectors import get_event_for, grid_of, schedule_of
from medmentor.events.services.enrolment import event_choices_set, event_unenrol
from medmentor.events.services.publishing import event_publish
from medmentor.events.services.schedule import (
    event_meeting_lock,
    event_meeting_move,
    event_meetings_swap,
    event_problem,
    event_schedule_build,
)
from medmentor.matching.speed import schedule_violations
from medmentor.mentorships.timezones import wall_clock
from medmentor.notifications.models import Notification
from medmentor.profiles.models import Profile, ReportingLine
from medmentor.profiles.selectors import display_name_of
from medmentor.profiles.services import reporting_line_add
from tests.events.support import build, event_world, move_to_past, publish, refused, triples

pytestmark = pytest.mark.django_db


def _valid(event) -> list[str]:
    return schedule_violations(
        event_problem(event),
        [(str(a), str(b), r) for a, b, r in triples(event)],
        rotations=event.rotations,
        table_size=event.table_size,
    )


def test_build_refuses_an_event_without_mentors():
    ew = event_world(mentors=0)
    refused(lambda: build(ew), "mentors")
    assert ew.refresh().status == EventStatus.DRAFT
    assert not EventMeeting.objects.exists()


def test_build_refuses_an_event_without_mentees():
    ew = event_world(mentees=0)
    refused(lambda: build(ew), "mentees")
    assert not EventMeeting.objects.exists()


def test_build_refuses_more_mentors_than_tables():
    ew = event_world(mentors=3, tables=2)
    error = refused(lambda: build(ew), "tables")
    assert "3 mentors" in error.message_dict["tables"][0]
    assert ew.refresh().built_at is None
    assert not EventMeeting.objects.exists()
    assert not EventParticipant.objects.filter(table__isnull=False).exists()


def test_build_stores_a_valid_schedule_and_gives_each_mentor_a_table():
    ew = event_world(mentees=4, mentors=3)
    event = build(ew)
    assert event.status == EventStatus.SCHEDULED
    assert _valid(event) == []
    meetings = list(EventMeeting.objects.filter(event=event))
    # Three mentors, four rotations, one mentee a table: 12 seats, each mentee 3 meetings.
    assert len(meetings) == 12
    assert Counter(m.mentee_id for m in meetings) == {m.pk: 3 for m in ew.mentees}
    assert all(0 <= m.score <= 1 for m in meetings)
    tables = EventParticipant.objects.filter(event=event, role=EventRole.MENTOR)
    assert sorted(tables.values_list("table", flat=True)) == [1, 2, 3]
    assert not EventParticipant.objects.filter(
        event=event, role=EventRole.MENTEE, table__isnull=False
    )


def test_a_reporting_line_keeps_a_mentor_and_a_mentee_apart():
    ew = event_world(mentees=3, mentors=3)
    mentee, supervisor = ew.mentees[0], ew.mentors[0]
    reporting_line_add(person=mentee, kind=ReportingLine.Kind.SUPERVISOR, other=supervisor)
    for seed in range(3):
        ew.event.seed = seed
        ew.event.save(update_fields=["seed"])
        event = build(ew)
        met = triples(event)
        assert met, seed
        assert not {(a, b) for a, b, _r in met} & {(mentee.pk, supervisor.pk)}, seed


def test_the_mentee_s_choices_come_first_and_are_marked():
    ew = event_world(mentees=2, mentors=3, rotations=1)
    mentee, favourite = ew.mentees[0], ew.mentors[2]
    access = get_event_for(mentee, ew.event.uuid)
    event_choices_set(access=access, mentors=[favourite])
    build(ew)
    meeting = EventMeeting.objects.get(event=ew.event, mentee=mentee)
    assert (meeting.mentor_id, meeting.choice) == (favourite.pk, 1)


def test_rebuilding_keeps_the_locked_meetings_and_replaces_the_others():
    ew = event_world(mentees=4, mentors=3)
    build(ew)
    kept = EventMeeting.objects.filter(event=ew.event).order_by("pk").first()
    event_meeting_lock(event=ew.event, by=ew.coordinator, meeting=kept, locked=True)
    for seed in (1, 2):
        ew.event.seed = seed
        ew.event.save(update_fields=["seed"])
        event = build(ew)
        again = EventMeeting.objects.get(pk=kept.pk)
        assert (again.mentee_id, again.mentor_id, again.rotation, again.locked) == (
            kept.mentee_id,
            kept.mentor_id,
            kept.rotation,
            True,
        )
        assert _valid(event) == []
    event_meeting_lock(event=ew.event, by=ew.coordinator, meeting=kept, locked=False)
    assert not EventMeeting.objects.filter(event=ew.event, locked=True).exists()


def _two_of_rotation(event, rotation: int = 1) -> tuple[EventMeeting, EventMeeting]:
    first, second = EventMeeting.objects.filter(event=event, rotation=rotation).order_by("pk")[:2]
    return first, second


def test_a_valid_swap_exchanges_the_two_mentees_tables():
    ew = event_world(mentees=3, mentors=3, rotations=1)
    build(ew)
    a, b = _two_of_rotation(ew.event)
    event_meetings_swap(event=ew.event, by=ew.coordinator, first=a, second=b)
    a2, b2 = EventMeeting.objects.get(pk=a.pk), EventMeeting.objects.get(pk=b.pk)
    assert (a2.mentee_id, a2.mentor_id) == (a.mentee_id, b.mentor_id)
    assert (b2.mentee_id, b2.mentor_id) == (b.mentee_id, a.mentor_id)
    assert _valid(ew.event) == []


def test_a_swap_that_breaks_the_schedule_is_refused_and_changes_nothing():
    # Two rotations: a swap in rotation 1 would seat a mentee with the mentor they meet in
    # rotation 2.
    ew = event_world(mentees=2, mentors=2, rotations=2)
    build(ew)
    before = triples(ew.event)
    a, b = _two_of_rotation(ew.event, 1)
    error = refused(
        lambda: event_meetings_swap(event=ew.event, by=ew.coordinator, first=a, second=b)
    )
    mentee = display_name_of(a.mentee)
    assert any(
        message.startswith(f"{mentee} would meet ") and "twice" in message
        for message in error.messages
    ), error.messages
    assert triples(ew.event) == before


def test_a_swap_across_a_reporting_line_isrefused():
    ew = event_world(mentees=2, mentors=2, rotations=1)
    build(ew)
    a, b = _two_of_rotation(ew.event)
    reporting_line_add(person=a.mentee, kind=ReportingLine.Kind.SUPERVISOR, other=b.mentor)
    before = triples(ew.event)
    error = refused(
        lambda: event_meetings_swap(event=ew.event, by=ew.coordinator, first=a, second=b)
    )
    assert (
        f"{display_name_of(a.mentee)} and {display_name_of(b.mentor)} must not meet: a reporting"
        " line, a conflict of interest, a block or one of the program's rules keeps them apart."
    ) in error.messages
    assert triples(ew.event) == before


def test_a_locked_meeting_is_not_swapped():
    ew = event_world(mentees=3, mentors=3, rotations=1)
    build(ew)
    a, b = _two_of_rotation(ew.event)
    event_meeting_lock(event=ew.event, by=ew.coordinator, meeting=a, locked=True)
    before = triples(ew.event)
    refused(lambda: event_meetings_swap(event=ew.event, by=ew.coordinator, first=a, second=b))
    assert triples(ew.event) == before


def test_a_mentee_moves_to_a_free_seat_of_the_rotation_only():
    ew = event_world(mentees=2, mentors=3, rotations=1)
    build(ew)
    meeting = EventMeeting.objects.filter(event=ew.event).first()
    seated = set(EventMeeting.objects.filter(event=ew.event).values_list("mentor_id", flat=True))
    free = next(m for m in ew.mentors if m.pk not in seated)
    full = next(m for m in ew.mentors if m.pk in seated and m.pk != meeting.mentor_id)
    before = triples(ew.event)
    refused(
        lambda: event_meeting_move(event=ew.event, by=ew.coordinator, meeting=meeting, mentor=full),
        "mentor",
    )
    assert triples(ew.event) == before
    event_meeting_move(event=ew.event, by=ew.coordinator, meeting=meeting, mentor=free)
    assert EventMeeting.objects.get(pk=meeting.pk).mentor_id == free.pk
    assert _valid(ew.event) == []


def test_publish_tells_each_participant_once_with_their_own_schedule():
    ew = event_world(mentees=3, mentors=2, rotations=2)
    build(ew)
    mail.outbox.clear()
    told = publish(ew)
    people = ew.mentees + ew.mentors
    assert told == len(people)
    assert ew.event.status == EventStatus.PUBLISHED
    assert Counter(n.recipient_id for n in Notification.objects.filter(kind="events.schedule")) == {
        p.pk: 1 for p in people
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    for message in mail.outbox:
        person = next(p for p in people if p.email == message.to[0])
        (name, content, mimetype) = message.attachments[0]
        assert name == "schedule.ics"
        assert mimetype.startswith("text/calendar")
        calendar = Calendar.from_ical(content)
        events = calendar.walk("VEVENT")
        mine = EventMeeting.objects.filter(event=ew.event).filter(
            mentee=person
        ) | EventMeeting.objects.filter(event=ew.event, mentor=person)
        assert len(events) == mine.count()
        others = {p.email for p in people} - {person.email}
        text = (content if isinstance(content, str) else content.decode()).replace("\r\n ", "")
        assert person.email in text
        assert not [address for address in others if address in text]
        html = message.alternatives[0][0]
        assert ew.event.title in message.body
        assert ew.event.title in html


def test_publish_again_only_after_a_change_and_then_everyone_is_told_again():
    ew = event_world(mentees=3, mentors=3, rotations=1)
    build(ew)
    publish(ew)
    refused(lambda: event_publish(event=ew.event, by=ew.coordinator))
    a, b = _two_of_rotation(ew.event)
    event_meetings_swap(event=ew.event, by=ew.coordinator, first=a, second=b)
    assert ew.refresh().status == EventStatus.SCHEDULED
    mail.outbox.clear()
    publish(ew)
    assert ew.event.sequence == 2
    assert len(mail.outbox) == 6
    assert all("changed" in message.subject for message in mail.outbox)


def test_publish_refuses_an_event_without_a_schedule():
    ew = event_world()
    refused(lambda: event_publish(event=ew.event, by=ew.coordinator))
    assert ew.refresh().status == EventStatus.DRAFT
    assert not Notification.objects.exists()


def test_someone_leaving_takes_their_meetings_out_and_asks_to_publish_again():
    ew = event_world(mentees=3, mentors=2, rotations=2)
    build(ew)
    publish(ew)
    place = EventParticipant.objects.get(event=ew.event, user=ew.mentees[0])
    event_unenrol(event=ew.event, by=ew.coordinator, place=place)
    assert not EventMeeting.objects.filter(event=ew.event, mentee=ew.mentees[0]).exists()
    assert ew.refresh().status == EventStatus.SCHEDULED


def test_a_schedule_cannot_be_built_once_the_event_is_over():
    ew = event_world()
    move_to_past(ew.event)
    refused(lambda: event_schedule_build(event=ew.event, by=ew.coordinator))


def test_a_meeting_cannot_be_locked_once_the_event_is_over():
    ew = event_world()
    build(ew)
    meeting = EventMeeting.objects.filter(event=ew.event).first()
    move_to_past(ew.event)
    refused(
        lambda: event_meeting_lock(event=ew.event, by=ew.coordinator, meeting=meeting, locked=True)
    )
    assert not EventMeeting.objects.get(pk=meeting.pk).locked


def test_the_e_mail_says_the_times_on_the_recipient_s_own_clock():
    ew = event_world(mentees=1, mentors=1, rotations=1)
    mentee = ew.mentees[0]
    Profile.objects.filter(user=mentee).update(time_zone="America/Vancouver")
    build(ew)
    mail.outbox.clear()
    publish(ew)
    message = next(m for m in mail.outbox if m.to == [mentee.email])
    starts = wall_clock(ew.event.starts_at, ZoneInfo("America/Vancouver"))
    assert f"Rotation 1, {time_format(starts, 'TIME_FORMAT')} to" in message.body
    assert "Pacific" in message.body or "Vancouver" in message.body


def test_the_grid_and_a_schedule_read_names_in_a_fixed_number_of_queries():
    def queries(mentees: int, mentors: int) -> tuple[int, int]:
        ew = event_world(mentees=mentees, mentors=mentors, rotations=2)
        build(ew)
        with CaptureQueriesContext(connection) as grid:
            grid_of(ew.event)
        with CaptureQueriesContext(connection) as mine:
            schedule_of(ew.event, ew.mentors[0])
        return len(grid), len(mine)

    assert queries(2, 2) == queries(6, 4)  # no query per person or per meeting
