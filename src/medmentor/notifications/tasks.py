"""Background work: the e-mail copy of a notification."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from medmentor.core.email import RenderedEmail, email_send
from medmentor.notifications.models import Notification


@task()
def send_notification_email(notification_id: int) -> bool:
    """Send once: a retried or duplicated task finds ``emailed_at`` set and does nothing."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True, email_wanted=True)
            .first()
        )
        if notification is None:
            return False
        email = RenderedEmail(
            subject=notification.title, text=notification.body, html=notification.body_html
        )
        email_send(email, to=notification.recipient.email)
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True
