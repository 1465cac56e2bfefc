"""Publishing an event's schedule: each participant gets a notification and an e-mail with
their personal schedule attached as .ics. Publishing again after a change (a swap, a move,
someone leaving, new times) tells everyone again, with the calendar's SEQUENCE one higher
so that calendars replace what they had."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.events.models import Event, EventMeeting, EventParticipant, EventStatus
from medmentor.events.selectors import schedule_of
from medmentor.events.tasks import send_event_schedule
from medmentor.mentorships.timezones import time_zone_label, time_zone_of, wall_clock
from medmentor.notifications.models import Notification
from medmentor.notifications.services import (
    TITLE_MAX,
    notification_texts,
    render_in_languages,
)

KIND = "events.schedule"
TEMPLATE = "events/email/schedule"


def _notify(event: Event, recipient: User, role: str) -> Notification:
    """One person's notice, rendered in every language with their own schedule; its
    e-mail (with the .ics) goes once the publication commits."""
    zone = time_zone_of(recipient)
    meetings = [
        {
            "rotation": view.rotation,
            "starts": wall_clock(view.starts, zone),
            "ends": wall_clock(view.ends, zone),
            "table": view.table,
            "other": view.other_name,
        }
        for view in schedule_of(event, recipient)
    ]
    url = reverse("events:my_schedule", args=[event.uuid])
    rendered = render_in_languages(
        TEMPLATE,
        {
            "event": event,
            "program": event.program,
            "recipient": recipient,
            "role": role,
            "meetings": meetings,
            "time_zone": time_zone_label(zone),
            "republished": event.sequence > 1,
            "url": f"{settings.SITE_URL}{url}",
        },
        also=(recipient.language,),
    )
    email = rendered.get(recipient.language) or next(iter(rendered.values()))
    notification = Notification.objects.create(
        recipient=recipient,
        kind=KIND,
        title=email.subject[:TITLE_MAX],
        body=email.text,
        body_html=email.html,
        texts=notification_texts(rendered),
        url=url,
        email_wanted=True,  # the schedule is the event's ticket: e-mailed to everyone
    )
    others = set(
        EventMeeting.objects.filter(event=event, mentee=recipient).values_list(
            "mentor_id", flat=True
        )
    ) | set(
        EventMeeting.objects.filter(event=event, mentor=recipient).values_list(
            "mentee_id", flat=True
        )
    )
    if others:
        notification.naming.set(User.objects.filter(pk__in=others))
    transaction.on_commit(
        partial(send_event_schedule.enqueue, notification.pk, event.pk, recipient.pk)
    )
    return notification


@transaction.atomic
def event_publish(*, event: Event, by: User | None, now: datetime | None = None) -> int:
    """Publish the built schedule (or the changed one again); how many were told."""
    now = now or timezone.now()
    event = Event.objects.select_for_update().select_related("program").get(pk=event.pk)
    if event.is_over(now):
        raise ValidationError(_("The event is over: its schedule can no longer be published."))
    if event.status == EventStatus.DRAFT:
        raise ValidationError(_("Build the schedule before publishing it."))
    if event.status == EventStatus.PUBLISHED:
        raise ValidationError(
            _("This schedule is published and has not changed since: everyone has it.")
        )
    if not EventMeeting.objects.filter(event=event).exists():
        raise ValidationError(_("The schedule has no meeting: build it again first."))
    event.status = EventStatus.PUBLISHED
    event.sequence += 1
    event.published_at = now
    event.updated_at = now
    event.save(update_fields=["status", "sequence", "published_at", "updated_at"])
    told = 0
    places = EventParticipant.objects.filter(event=event, user__is_active=True).select_related(
        "user"
    )
    for place in places.order_by("pk"):
        _notify(event, place.user, place.role)
        told += 1
    return told
