"""What the tests of events share: a program with real profiles (the match rounds'
``round_program``), an event of it with people enrolled, and the steps of its cycle with
the background tasks run at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.events.models import Event, EventMeeting, EventRole
from medmentor.events.services.authoring import event_save
from medmentor.events.services.enrolment import event_enrol
from medmentor.events.services.publishing import event_publish
from medmentor.events.services.schedule import event_schedule_build
from tests.matchrounds.rounds_factories import RoundProgram, round_program


def event_values(**changes: Any) -> dict[str, Any]:
    """A valid event two weeks ahead: 09:00 to 10:00, four rotations of 8 + 2 minutes."""
    starts = (timezone.now() + timedelta(days=14)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    values: dict[str, Any] = {
        "title": "ICRE speed mentoring",
        "description": "Meet four mentors in forty minutes.",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=1),
        "place": "Palais des congrès, room 210",
        "video_url": "",
        "rotations": 4,
        "rotation_minutes": 8,
        "changeover_minutes": 2,
        "tables": 5,
        "table_size": 1,
        "signup_open": True,
        "is_listed": True,
        "seed": 0,
    }
    values.update(changes)
    return values


@dataclass
class EventWorld:
    world: RoundProgram
    event: Event

    @property
    def coordinator(self) -> User:
        return self.world.coordinator

    @property
    def mentees(self) -> list[User]:
        return self.world.mentees

    @property
    def mentors(self) -> list[User]:
        return self.world.mentors

    def refresh(self) -> Event:
        self.event.refresh_from_db()
        return self.event


def event_world(
    *, mentees: int = 4, mentors: int = 3, enrol: bool = True, **event: Any
) -> EventWorld:
    """A program with ``mentees`` and ``mentors``, an event of it, everyone enrolled."""
    world = round_program(mentees=mentees, mentors=mentors, name_en="ICRE Mentorship")
    made = event_save(program=world.program, by=world.coordinator, **event_values(**event))
    if enrol:
        if world.mentors:
            event_enrol(
                event=made, by=world.coordinator, users=world.mentors, role=EventRole.MENTOR
            )
        if world.mentees:
            event_enrol(
                event=made, by=world.coordinator, users=world.mentees, role=EventRole.MENTEE
            )
    return EventWorld(world=world, event=made)


def build(ew: EventWorld) -> Event:
    return event_schedule_build(event=ew.event, by=ew.coordinator)


def publish(ew: EventWorld) -> int:
    """Publish, the e-mails sent at once (as the worker would after the commit)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        told = event_publish(event=ew.event, by=ew.coordinator)
    ew.refresh()
    return told


def triples(event: Event) -> set[tuple[int, int, int]]:
    return set(
        EventMeeting.objects.filter(event=event).values_list("mentee_id", "mentor_id", "rotation")
    )


def move_to_past(event: Event, *, hours: int = 2) -> Event:
    """The event took place ``hours`` ago (the service refuses a start in the past)."""
    length = event.ends_at - event.starts_at
    starts: datetime = timezone.now() - timedelta(hours=hours)
    Event.objects.filter(pk=event.pk).update(starts_at=starts, ends_at=starts + length)
    event.refresh_from_db()
    return event


def refused(call: Callable[[], object], field: str | None = None) -> ValidationError:
    """The ValidationError ``call`` raises (naming ``field``, when given)."""
    with pytest.raises(ValidationError) as error:
        call()
    if field:
        assert field in error.value.message_dict, error.value
    return error.value
