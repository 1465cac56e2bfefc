from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from medmentor.accounts.models import User
from medmentor.notifications.models import Notification


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def get_notification_for(user: User, notification_uuid: object) -> Notification:
    """The recipient's own notification; anyone else gets 404, staff included."""
    return get_object_or_404(Notification, uuid=notification_uuid, recipient=user)


def notifications_export(user: User) -> list[dict[str, Any]]:
    """Everything the site told the person, for their export of their own data."""
    return [
        {
            "kind": n.kind,
            "title": n.title,
            "text": n.body,
            "created_at": n.created_at,
            "read_at": n.read_at,
            "emailed_at": n.emailed_at,
        }
        for n in Notification.objects.filter(recipient=user)
    ]
