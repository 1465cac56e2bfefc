"""Writes of webhooks: a coordinator's endpoints (made, changed, turned off, a new secret),
the deliveries an event makes, a test event, and retries (now, or when due)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.programs.models import Program
from medmentor.webhooks import selectors
from medmentor.webhooks.addresses import url_check
from medmentor.webhooks.models import (
    SUBSCRIBABLE,
    URL_MAX,
    Delivery,
    DeliveryStatus,
    Endpoint,
    EventType,
)
from medmentor.webhooks.tasks import can_defer, delivery_enqueue

SECRET_PREFIX = "mm_whsec"
DESCRIPTION_MAX = 200
# With deferred retries, the sweep only picks up a retry whose task was lost (its worker
# died, the queue was emptied): one this late.
SWEEP_GRACE = timedelta(minutes=5)


def new_secret() -> str:
    return f"{SECRET_PREFIX}_{secrets.token_urlsafe(32)}"


def _hint(secret: str) -> str:
    return secret[: len(SECRET_PREFIX) + 5]


def _cleaned(*, url: str, description: str, events: Sequence[str]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    url = url.strip()
    if not url:
        errors["url"] = [_("Enter the address to send to.")]
    elif len(url) > URL_MAX:
        errors["url"] = [_("Keep the address under %(n)s characters.") % {"n": URL_MAX}]
    else:
        try:
            url_check(url)
        except ValidationError as error:
            errors["url"] = error.messages
    description = description.strip()
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = [_("Keep this under %(n)s characters.") % {"n": DESCRIPTION_MAX}]
    chosen = list(dict.fromkeys(str(event) for event in events))
    if not chosen:
        errors["events"] = [_("Choose at least one event.")]
    elif any(event not in SUBSCRIBABLE for event in chosen):
        errors["events"] = [_("Choose events from the list.")]
    if errors:
        raise ValidationError(errors)
    order = [str(event) for event in SUBSCRIBABLE]
    return {"url": url, "description": description, "events": sorted(chosen, key=order.index)}


@transaction.atomic
def endpoint_create(
    *, program: Program, by: User, url: str, events: Sequence[str], description: str = ""
) -> tuple[Endpoint, str]:
    """A new endpoint and its secret, returned in full this once."""
    secret = new_secret()
    endpoint = Endpoint.objects.create(
        program=program,
        created_by=by,
        secret=secret,
        secret_hint=_hint(secret),
        **_cleaned(url=url, description=description, events=events),
    )
    return endpoint, secret


@transaction.atomic
def endpoint_update(
    *, endpoint: Endpoint, url: str, events: Sequence[str], description: str = ""
) -> Endpoint:
    for field, value in _cleaned(url=url, description=description, events=events).items():
        setattr(endpoint, field, value)
    endpoint.save(update_fields=["url", "description", "events"])
    return endpoint


@transaction.atomic
def endpoint_set_active(*, endpoint: Endpoint, active: bool) -> Endpoint:
    """Turn sending on or off. Turned back on, its count of failures starts again."""
    endpoint.active = active
    endpoint.disabled_reason = ""
    endpoint.consecutive_failures = 0
    endpoint.save(update_fields=["active", "disabled_reason", "consecutive_failures"])
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: Endpoint) -> str:
    """A new secret, returned in full this once; the old one signs nothing more."""
    secret = new_secret()
    endpoint.secret = secret
    endpoint.secret_hint = _hint(secret)
    endpoint.secret_rotated_at = timezone.now()
    endpoint.save(update_fields=["secret", "secret_hint", "secret_rotated_at"])
    return secret


def _queue(deliveries: Sequence[Delivery]) -> None:
    """Each delivery's first attempt, queued once the deliveries are committed."""
    for delivery in deliveries:
        transaction.on_commit(partial(delivery_enqueue, delivery.pk))


@transaction.atomic
def deliveries_record(
    *, program: Program, event: str, data: dict[str, Any], endpoints: Sequence[Endpoint]
) -> list[Delivery]:
    """One delivery of the event per endpoint, one event id for all, each queued."""
    event_id = uuid.uuid4()
    body = selectors.payload(
        event=event, event_id=event_id, occurred_at=timezone.now(), program=program, data=data
    )
    deliveries = Delivery.objects.bulk_create(
        Delivery(endpoint=endpoint, event_type=event, event_id=event_id, payload=body)
        for endpoint in endpoints
    )
    _queue(deliveries)
    return deliveries


def event_record(*, program: Program, event: str, data: dict[str, Any]) -> list[Delivery]:
    """What an event of ``program`` makes: a delivery for each active endpoint subscribed."""
    endpoints = selectors.endpoints_for(program.pk, event)
    if not endpoints:
        return []
    return deliveries_record(program=program, event=event, data=data, endpoints=endpoints)


def endpoint_test_send(*, endpoint: Endpoint, by: User) -> Delivery:
    """A test event (``ping``) to this endpoint, whatever it subscribes to."""
    if not endpoint.active:
        raise ValidationError(_("Turn the endpoint on to send it a test event."))
    data = {"test": True, "endpoint": str(endpoint.uuid), "sent_by": str(by.uuid)}
    (delivery,) = deliveries_record(
        program=endpoint.program, event=EventType.PING, data=data, endpoints=[endpoint]
    )
    return delivery


@transaction.atomic
def delivery_retry_now(*, delivery: Delivery) -> Delivery:
    """Attempt again at once: a failed delivery gets one more attempt."""
    locked = Delivery.objects.select_for_update().select_related("endpoint").get(pk=delivery.pk)
    if locked.status == DeliveryStatus.SUCCEEDED:
        raise ValidationError(_("This delivery has already arrived."))
    if not locked.endpoint.active:
        raise ValidationError(_("Turn the endpoint on to send again."))
    # A failed delivery has used its attempts: this one more is its last.
    locked.status = DeliveryStatus.PENDING
    locked.next_attempt_at = None
    locked.save(update_fields=["status", "next_attempt_at"])
    _queue([locked])
    return locked


def deliveries_retry_due(*, now: datetime | None = None) -> int:
    """Queue the pending deliveries whose attempt is due (the periodic job ``webhooks``):
    every retry when the task backend cannot defer, the lost ones when it can. Returns
    how many were queued."""
    now = now or timezone.now()
    due_before = now - SWEEP_GRACE if can_defer() else now
    due = Q(next_attempt_at__lte=due_before) | Q(
        next_attempt_at__isnull=True, created_at__lte=due_before
    )
    ids = list(
        Delivery.objects.filter(due, status=DeliveryStatus.PENDING, endpoint__active=True)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        delivery_enqueue(pk)
    return len(ids)
