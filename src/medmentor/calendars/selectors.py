"""Reads: a person's feed, the feed an address names, and what the feed lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.calendars.models import CalendarFeed
from medmentor.core.bearer import digest_of
from medmentor.events.models import Event, EventParticipant
from medmentor.events.selectors import MeetingView, schedule_of
from medmentor.mentorships.models import Meeting, Mentorship
from medmentor.mentorships.models.mentorship import involving
from medmentor.mentorships.selectors import with_members
from medmentor.officehours.models import Booking

SECRET_PREFIX = "mm_cal"
# The feed lists the last 90 days and everything ahead: small enough for calendar apps
# that read it every hour, long enough to look back at the last few meetings.
WINDOW = timedelta(days=90)


def active_feed_of(owner: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(owner=owner, revoked_at__isnull=True).first()


def feed_by_secret(secret: str) -> CalendarFeed | None:
    """The active feed of an active person whose address holds ``secret``; else None (a
    revoked, unknown or malformed address is all the same to the caller)."""
    if not secret.startswith(f"{SECRET_PREFIX}_"):
        return None
    return (
        CalendarFeed.objects.select_related("owner")
        .filter(digest=digest_of(secret), revoked_at__isnull=True, owner__is_active=True)
        .first()
    )


def window_start(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - WINDOW


def meetings_in_feed(owner: User, since: datetime) -> list[Meeting]:
    """The meetings of every mentorship ``owner`` is in (either side of a pair, any member
    of a group or a circle), cancelled ones too, from ``since``."""
    return list(
        Meeting.objects.filter(
            mentorship__in=Mentorship.objects.filter(involving(owner)), starts_at__gte=since
        )
        .select_related("mentorship__mentor", "mentorship__mentee")
        .prefetch_related(with_members("mentorship__"))
        .order_by("starts_at", "pk")
    )


def bookings_in_feed(owner: User, since: datetime) -> list[Booking]:
    """Office-hours bookings ``owner`` made or hosts, cancelled ones too, from ``since``."""
    return list(
        Booking.objects.filter(Q(mentee=owner) | Q(slot__offer__mentor=owner))
        .filter(slot__starts_at__gte=since)
        .select_related("slot__offer__mentor", "mentee")
        .order_by("slot__starts_at", "pk")
    )


@dataclass(frozen=True)
class EventSchedule:
    event: Event
    meetings: list[MeetingView]


def schedules_in_feed(owner: User, since: datetime) -> list[EventSchedule]:
    """``owner``'s personal schedule in each published event they take part in, from
    ``since`` (as their schedule page shows it)."""
    events = Event.objects.filter(
        pk__in=EventParticipant.objects.filter(user=owner).values("event_id"),
        published_at__isnull=False,
        starts_at__gte=since - timedelta(days=1),
    ).order_by("starts_at", "pk")
    schedules = [EventSchedule(event, schedule_of(event, owner)) for event in events]
    return [schedule for schedule in schedules if schedule.meetings]
