from __future__ import annotations

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
