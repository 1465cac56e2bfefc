"""My notifications over the API: list them, mark one read."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema

from medmentor.accounts.http import current_user
from medmentor.api.base import responses
from medmentor.notifications import selectors, services
from medmentor.notifications.models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    uuid: UUID
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None

    # In the language of the request, as the site shows them.
    @staticmethod
    def resolve_title(obj: Notification) -> str:
        return obj.shown_title

    @staticmethod
    def resolve_body(obj: Notification) -> str:
        return obj.shown_body


@router.get("/", response=responses(list[NotificationOut], 401, 422))
def list_notifications(request: HttpRequest, unread: bool = False) -> object:
    notifications = selectors.notifications_for(current_user(request))
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications[:100]


@router.post("/{notification_uuid}/read", response=responses(NotificationOut, 401, 403, 404, 422))
def mark_read(request: HttpRequest, notification_uuid: UUID) -> object:
    notification = selectors.get_notification_for(current_user(request), notification_uuid)
    return services.notification_mark_read(notification=notification)
