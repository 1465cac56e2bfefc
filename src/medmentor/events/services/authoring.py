"""A coordinator writes an event: each bad value is refused naming its field, and then
nothing is saved."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.core.validators import no_markup
from medmentor.events.models import (
    DESCRIPTION_MAX,
    PLACE_MAX,
    ROTATIONS_MAX,
    TABLE_SIZE_MAX,
    TITLE_MAX,
    Event,
    EventMeeting,
    EventParticipant,
    EventStatus,
)
from medmentor.programs.models import Program

EVENT_FIELDS = (
    "title",
    "description",
    "starts_at",
    "ends_at",
    "place",
    "video_url",
    "rotations",
    "rotation_minutes",
    "changeover_minutes",
    "tables",
    "table_size",
    "signup_open",
    "is_listed",
    "seed",
)
# A change to these (or fewer tables) makes the built schedule another: it is dropped.
SHAPE_FIELDS = ("rotations", "table_size")
# A change to these changes what each person's schedule says: publish again.
TIMING_FIELDS = (
    "starts_at",
    "ends_at",
    "place",
    "video_url",
    "rotation_minutes",
    "changeover_minutes",
)
MINUTES_MAX = 120
CHANGEOVER_MAX = 60


def _number(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def event_errors(event: Event, *, moved: bool, now: datetime) -> dict[str, str]:
    """What is wrong with an event's values (``moved``: its start is new or changed)."""
    errors: dict[str, str] = {}
    if not event.title:
        errors["title"] = _("Give the event a title.")
    elif len(event.title) > TITLE_MAX:
        errors["title"] = _("Keep the title to %(n)s characters.") % {"n": TITLE_MAX}
    else:
        try:
            no_markup(event.title)
        except ValidationError as error:
            errors["title"] = " ".join(error.messages)
    if len(event.description) > DESCRIPTION_MAX:
        errors["description"] = _("Keep the description to %(n)s characters.") % {
            "n": DESCRIPTION_MAX
        }
    starts, ends = event.starts_at, event.ends_at
    if not isinstance(starts, datetime):
        errors["starts_at"] = _("Give the date and time the event starts.")
    elif moved and starts <= now:
        errors["starts_at"] = _("This time is past: an event starts in the future.")
    if not isinstance(ends, datetime):
        errors["ends_at"] = _("Give the date and time the event ends.")
    elif isinstance(starts, datetime) and ends <= starts:
        errors["ends_at"] = _("The event must end after it starts.")
    if len(event.place) > PLACE_MAX:
        errors["place"] = _("Keep the place to %(n)s characters.") % {"n": PLACE_MAX}
    elif not event.place and not event.video_url:
        errors["place"] = _(
            "Give the place of an event in person, or the video link of an event online."
        )
    rotations = _number(event.rotations)
    minutes = _number(event.rotation_minutes)
    changeover = _number(event.changeover_minutes)
    if rotations is None or not 1 <= rotations <= ROTATIONS_MAX:
        errors["rotations"] = _("Give from 1 to %(n)s rotations.") % {"n": ROTATIONS_MAX}
    if minutes is None or not 1 <= minutes <= MINUTES_MAX:
        errors["rotation_minutes"] = _("A rotation lasts from 1 to %(n)s minutes.") % {
            "n": MINUTES_MAX
        }
    if changeover is None or not 0 <= changeover <= CHANGEOVER_MAX:
        errors["changeover_minutes"] = _("A changeover lasts from 0 to %(n)s minutes.") % {
            "n": CHANGEOVER_MAX
        }
    tables = _number(event.tables)
    if tables is None or tables < 1:
        errors["tables"] = _("An event needs at least one table or room.")
    size = _number(event.table_size)
    if size is None or not 1 <= size <= TABLE_SIZE_MAX:
        errors["table_size"] = _("From 1 to %(n)s mentees sit at a table.") % {"n": TABLE_SIZE_MAX}
    seed = _number(event.seed)
    if seed is None or seed < 0:
        errors["seed"] = _("The seed is a whole number, 0 or more.")
    if (
        isinstance(starts, datetime)
        and isinstance(ends, datetime)
        and ends > starts
        and "rotations" not in errors
        and rotations is not None
        and minutes is not None
        and changeover is not None
    ):
        needed = rotations * (minutes + changeover)
        available = int((ends - starts).total_seconds() // 60)
        if needed > available:
            errors["rotations"] = _(
                "%(rotations)s rotations of %(minutes)s minutes with %(changeover)s minutes "
                "to change take %(needed)s minutes; the event lasts %(available)s. Give fewer "
                "rotations, shorter ones or a later end."
            ) % {
                "rotations": rotations,
                "minutes": minutes,
                "changeover": changeover,
                "needed": needed,
                "available": available,
            }
    return errors


@transaction.atomic
def event_save(
    *,
    program: Program,
    by: User | None,
    event: Event | None = None,
    now: datetime | None = None,
    **values: Any,
) -> Event:
    """Write a new event (a draft) or change one. Changing the rotations or the mentees
    per table, or taking tables away, drops a built schedule (locks included: build it
    again); changing the times or the place of a published event asks for it to be
    published again."""
    now = now or timezone.now()
    created = event is None
    if event is None:
        event = Event(program=program, created_by=by)
        before: dict[str, Any] = {}
    else:
        event = Event.objects.select_for_update().get(pk=event.pk, program=program)
        before = {name: getattr(event, name) for name in EVENT_FIELDS}
    for name in EVENT_FIELDS:
        if name in values:
            value = values[name]
            if isinstance(value, str):
                value = value.strip()
            setattr(event, name, value)
    event.place = event.place or ""
    event.video_url = event.video_url or ""
    event.description = event.description or ""
    moved = created or before.get("starts_at") != event.starts_at
    errors = event_errors(event, moved=moved, now=now)
    if errors:
        raise ValidationError(errors)
    changed = {name for name in before if before[name] != getattr(event, name)}
    fewer_tables = "tables" in changed and event.tables < before["tables"]
    if changed & set(SHAPE_FIELDS) or fewer_tables:
        EventMeeting.objects.filter(event=event).delete()
        EventParticipant.objects.filter(event=event).update(table=None)
        event.unmet = []
        event.status = EventStatus.DRAFT
        event.built_at = None
    elif changed & set(TIMING_FIELDS) and event.status == EventStatus.PUBLISHED:
        event.status = EventStatus.SCHEDULED
    event.updated_at = now
    event.save()
    return event
