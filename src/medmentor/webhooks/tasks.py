"""Background work: one attempt of a webhook delivery, and the queueing of the next."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from medmentor.webhooks.delivery import delivery_attempt
from medmentor.webhooks.models import DeliveryStatus


@task()
def deliver_webhook(delivery_id: int) -> str:
    """Attempt the delivery if it is due and nobody else is at it; on a failure with
    attempts left, queue the retry for its time. Returns the delivery's status ("" if
    there was nothing to do)."""
    delivery = delivery_attempt(delivery_id)
    if delivery is None:
        return ""
    if delivery.status == DeliveryStatus.PENDING and delivery.next_attempt_at is not None:
        delivery_enqueue(delivery.pk, run_after=delivery.next_attempt_at)
    return str(delivery.status)


def can_defer() -> bool:
    """Whether a retry is queued for its time (``run_after``). The database backend runs
    deferred tasks. RQ accepts them but keeps them in its scheduled registry, which only a
    worker started with RQ's scheduler moves to the queue, and ``medmentor worker`` starts
    none: there, as with a backend that cannot defer (tests' ImmediateBackend), retries
    are left to the periodic sweep (``medmentor.webhooks.services.deliveries_retry_due``)."""
    backend = deliver_webhook.get_backend()
    return bool(backend.supports_defer) and not type(backend).__module__.startswith(
        "django_tasks_rq"
    )


def delivery_enqueue(delivery_id: int, *, run_after: datetime | None = None) -> None:
    if run_after is None:
        deliver_webhook.enqueue(delivery_id)
    elif can_defer():
        deliver_webhook.using(run_after=run_after).enqueue(delivery_id)
