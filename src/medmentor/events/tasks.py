"""Background work: the e-mail of a published schedule, with the person's .ics."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from medmentor.core.email import RenderedEmail, email_send
from medmentor.events.ics import personal_calendar
from medmentor.events.models import Event
from medmentor.notifications.models import Notification


@task()
def send_event_schedule(notification_id: int, event_id: int, recipient_id: int) -> bool:
    """E-mail the notification's text with the recipient's schedule attached, once: a
    retried or duplicated task finds ``emailed_at`` set and does nothing."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(
                pk=notification_id,
                recipient_id=recipient_id,
                recipient__is_active=True,
                emailed_at__isnull=True,
            )
            .first()
        )
        event = Event.objects.select_related("program").filter(pk=event_id).first()
        if notification is None or event is None:
            return False
        recipient = notification.recipient
        email = RenderedEmail(
            subject=notification.title, text=notification.body, html=notification.body_html
        )
        with translation.override(recipient.language):
            calendar = personal_calendar(event, recipient)
        email_send(
            email,
            to=recipient.email,
            attachments=[
                (
                    "schedule.ics",
                    calendar,
                    "text/calendar; method=REQUEST; charset=utf-8",
                )
            ],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True
