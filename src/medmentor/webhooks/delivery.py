"""Making one attempt of a delivery (the worker's part): claim it, sign it, POST it,
record the answer, and decide what comes next: done, a retry after the backoff, or failed
for good (and the endpoint turned off after too many failed deliveries in a row).

A delivery is claimed by moving its ``next_attempt_at`` past the attempt's longest time
(a lease) in one conditional UPDATE: a duplicated task (a retry queued twice, the
periodic sweep and a deferred task at once) finds it claimed and does nothing.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from medmentor.notifications.services import notification_send
from medmentor.programs.selectors import coordinators_of
from medmentor.webhooks.addresses import url_check
from medmentor.webhooks.models import ERROR_MAX, Delivery, DeliveryStatus, Endpoint
from medmentor.webhooks.signing import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, sign

ANSWER_SHOWN = 200  # characters of a receiver's answer kept in the log
USER_AGENT = "MedMentor-Webhooks/1"


def retry_delay(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: the configured delays in turn,
    the last one repeated."""
    delays = settings.WEBHOOKS_RETRY_DELAYS
    return timedelta(seconds=delays[min(attempts, len(delays)) - 1])


def lease() -> timedelta:
    return timedelta(seconds=settings.WEBHOOKS_TIMEOUT_SECONDS + 60)


def body_of(delivery: Delivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer like any other (a failure): following it could lead the
    site to an address it refuses."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    """POST ``body``; return the status code (None if no answer) and, unless 2xx, why."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with opener.open(request, timeout=settings.WEBHOOKS_TIMEOUT_SECONDS) as response:
            code = int(response.status)
            answer = b"" if 200 <= code < 300 else response.read(ANSWER_SHOWN)
    except urllib.error.HTTPError as error:
        code, answer = int(error.code), error.read(ANSWER_SHOWN)
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        return None, f"No answer: {reason}"[:ERROR_MAX]
    if 200 <= code < 300:
        return code, ""
    text = answer.decode("utf-8", errors="replace")[:ANSWER_SHOWN].strip()
    return code, f"HTTP {code}: {text}" if text else f"HTTP {code}"


def delivery_claim(delivery_id: int, *, now: datetime) -> Delivery | None:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    claimed = Delivery.objects.filter(due, pk=delivery_id, status=DeliveryStatus.PENDING).update(
        next_attempt_at=now + lease()
    )
    if not claimed:
        return None
    return Delivery.objects.select_related("endpoint", "endpoint__program").get(pk=delivery_id)


def delivery_attempt(delivery_id: int, *, now: datetime | None = None) -> Delivery | None:
    """One attempt of a pending, due delivery; None if it is not (already done, not due,
    or taken by another worker)."""
    now = now or timezone.now()
    delivery = delivery_claim(delivery_id, now=now)
    if delivery is None:
        return None
    endpoint = delivery.endpoint
    if not endpoint.active:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED,
            next_attempt_at=None,
            last_error="The endpoint is turned off.",
        )
        delivery.refresh_from_db()
        return delivery
    code: int | None
    try:
        url_check(endpoint.url)  # again now: where the host points may have changed
    except ValidationError as error:
        code, problem = None, f"Refused: {' '.join(error.messages)}"[:ERROR_MAX]
    else:
        body = body_of(delivery)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: sign(endpoint.secret, body, timestamp=int(time.time())),
            EVENT_HEADER: delivery.event_type,
            DELIVERY_HEADER: str(delivery.uuid),
        }
        code, problem = post(endpoint.url, body, headers)
    _record(delivery, code=code, problem=problem, at=timezone.now())
    return delivery


def _record(delivery: Delivery, *, code: int | None, problem: str, at: datetime) -> None:
    delivery.attempts += 1
    delivery.last_attempt_at = at
    delivery.last_status_code = code
    delivery.last_error = problem
    succeeded = code is not None and 200 <= code < 300
    if succeeded:
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.delivered_at = at
        delivery.next_attempt_at = None
    elif delivery.attempts >= settings.WEBHOOKS_MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = at + retry_delay(delivery.attempts)
    with transaction.atomic():
        delivery.save(
            update_fields=[
                "attempts",
                "last_attempt_at",
                "last_status_code",
                "last_error",
                "status",
                "delivered_at",
                "next_attempt_at",
            ]
        )
        endpoints = Endpoint.objects.filter(pk=delivery.endpoint_id)
        if succeeded:
            endpoints.filter(consecutive_failures__gt=0).update(consecutive_failures=0)
        elif delivery.status == DeliveryStatus.FAILED:
            endpoints.update(consecutive_failures=F("consecutive_failures") + 1)
            _disable_if_failing(delivery.endpoint_id)


def _disable_if_failing(endpoint_id: int) -> None:
    limit = settings.WEBHOOKS_DISABLE_AFTER_FAILURES
    endpoint = Endpoint.objects.select_for_update().select_related("program").get(pk=endpoint_id)
    if not limit or not endpoint.active or endpoint.consecutive_failures < limit:
        return
    endpoint.active = False
    endpoint.disabled_reason = f"Turned off after {endpoint.consecutive_failures} failed deliveries"
    endpoint.save(update_fields=["active", "disabled_reason"])
    url = reverse("webhooks:endpoint", args=[endpoint.program.uuid, endpoint.uuid])
    for coordinator in coordinators_of(endpoint.program):
        notification_send(
            recipient=coordinator,
            kind="webhooks.endpoint_disabled",
            template="webhooks/email/endpoint_disabled",
            context={"endpoint": endpoint, "program": endpoint.program, "failures": limit},
            url=url,
        )
