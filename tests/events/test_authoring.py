"""A coordinator writes an event: each bad value is refused naming its field, and then
nothing is saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from medmentor.events.models import Event, EventMeeting, EventStatus
from medmentor.events.services.authoring import event_save
from tests.events.support import build, event_values, event_world
from tests.matchrounds.rounds_factories import round_program

pytestmark = pytest.mark.django_db


@pytest.fixture
def program_world():
    return round_program(name_en="ICRE Mentorship")


def _refused(world, field: str, **changes) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        event_save(program=world.program, by=world.coordinator, **event_values(**changes))
    assert field in refused.value.message_dict, refused.value.message_dict
    assert not Event.objects.exists()
    return refused.value


def test_a_valid_event_is_saved_as_a_draft(program_world):
    event = event_save(
        program=program_world.program, by=program_world.coordinator, **event_values()
    )
    assert event.status == EventStatus.DRAFT
    assert event.program == program_world.program
    assert event.rotation_times(2)[0] - event.starts_at == timedelta(minutes=10)
    assert event.rotation_times(2)[1] - event.starts_at == timedelta(minutes=18)


def test_an_event_that_ends_before_it_starts_is_refused(program_world):
    starts = timezone.now() + timedelta(days=3)
    error = _refused(
        program_world, "ends_at", starts_at=starts, ends_at=starts - timedelta(hours=1)
    )
    assert "must end after it starts" in error.message_dict["ends_at"][0]


def test_an_event_that_starts_in_the_past_is_refused(program_world):
    starts = timezone.now() - timedelta(hours=1)
    _refused(program_world, "starts_at", starts_at=starts, ends_at=starts + timedelta(hours=2))


def test_more_rotations_than_the_time_allows_are_refused(program_world):
    # 7 rotations of 8 + 2 minutes take 70 minutes; the event lasts 60.
    error = _refused(program_world, "rotations", rotations=7)
    assert "70 minutes" in error.message_dict["rotations"][0]
    # 6 fit exactly.
    assert event_save(
        program=program_world.program, by=program_world.coordinator, **event_values(rotations=6)
    )


def test_an_event_with_neither_place_nor_video_link_is_refused(program_world):
    _refused(program_world, "place", place="", video_url="")
    online = event_save(
        program=program_world.program,
        by=program_world.coordinator,
        **event_values(place="", video_url="https://video.example.org/icre"),
    )
    assert online.is_online


def test_an_event_without_tables_is_refused(program_world):
    _refused(program_world, "tables", tables=0)


@pytest.mark.parametrize(
    ("field", "value"),
    [("rotations", 0), ("rotations", 21), ("table_size", 5), ("title", ""), ("title", "<b>x</b>")],
)
def test_other_bad_values_name_their_field(program_world, field, value):
    _refused(program_world, field, **{field: value})


def test_a_refused_change_leaves_the_event_as_it_was(program_world):
    event = event_save(
        program=program_world.program, by=program_world.coordinator, **event_values()
    )
    with pytest.raises(ValidationError):
        event_save(
            program=program_world.program,
            by=program_world.coordinator,
            event=event,
            **event_values(title="Renamed", tables=0),
        )
    event.refresh_from_db()
    assert (event.title, event.tables) == ("ICRE speed mentoring", 5)


def test_changing_the_rotations_drops_the_schedule_and_new_times_ask_to_publish_again():
    ew = event_world()
    build(ew)
    assert EventMeeting.objects.filter(event=ew.event).exists()
    event_save(
        program=ew.event.program, by=ew.coordinator, event=ew.event, **event_values(rotations=3)
    )
    ew.refresh()
    assert ew.event.status == EventStatus.DRAFT
    assert not EventMeeting.objects.filter(event=ew.event).exists()

    build(ew)
    Event.objects.filter(pk=ew.event.pk).update(
        status=EventStatus.PUBLISHED, published_at=timezone.now()
    )
    event_save(
        program=ew.event.program,
        by=ew.coordinator,
        event=ew.refresh(),
        **event_values(rotations=3, place="Room 212"),
    )
    assert ew.refresh().status == EventStatus.SCHEDULED
    assert EventMeeting.objects.filter(event=ew.event).exists()
