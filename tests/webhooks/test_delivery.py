"""Deliveries reach a real HTTP server on 127.0.0.1: signed, without confidential text;
a failure is retried after the backoff, the retry arrives; attempts run out into failed;
an endpoint failing again and again is turned off; a refused address is never contacted."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from medmentor.notifications.models import Notification
from medmentor.programs.services.enrolment import membership_join
from medmentor.webhooks.delivery import retry_delay
from medmentor.webhooks.models import Delivery, DeliveryStatus, Endpoint, EventType
from medmentor.webhooks.services import (
    deliveries_retry_due,
    delivery_retry_now,
    endpoint_test_send,
    event_record,
)
from medmentor.webhooks.signing import verify_signature
from medmentor.webhooks.tasks import deliver_webhook
from tests.factories import UserFactory
from tests.webhooks.support import make_endpoint

pytestmark = pytest.mark.django_db


def _ping(endpoint, coordinator, capture) -> Delivery:
    with capture(execute=True):
        delivery = endpoint_test_send(endpoint=endpoint, by=coordinator)
    delivery.refresh_from_db()
    return delivery


def _retry_when_due(delivery: Delivery) -> Delivery:
    """What the worker does when the retry's time comes (here the periodic sweep: the
    tests' ImmediateBackend cannot defer a task)."""
    assert delivery.next_attempt_at is not None
    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1), tick=True):
        assert deliveries_retry_due() == 1
    delivery.refresh_from_db()
    return delivery


def test_an_enrolment_arrives_signed_and_without_names_or_answers(
    world, receiver, django_capture_on_commit_callbacks
):
    endpoint, secret = make_endpoint(world.program, world.coordinator, receiver.url)
    person = UserFactory(name="Dr. Zoé Quintessence", email="zoe.quintessence@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        membership = membership_join(program=world.program, user=person, role="mentee")

    (received,) = receiver.received
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempts == 1
    assert delivery.last_status_code == 200
    assert received.path == "/hooks"
    assert received.headers["MedMentor-Event"] == "member.enrolled"
    assert received.headers["MedMentor-Delivery"] == str(delivery.uuid)
    assert received.headers["Content-Type"] == "application/json"
    verify_signature(
        secret, received.headers["MedMentor-Signature"], received.body, now=time.time()
    )
    body = received.json
    assert body["id"] == str(delivery.event_id)
    assert body["type"] == "member.enrolled"
    assert body["program"] == {"uuid": str(world.program.uuid), "name": world.program.name_en}
    assert body["data"] == {
        "membership": str(membership.uuid),
        "person": str(person.uuid),
        "role": "mentee",
    }
    text = received.body.decode()
    assert "Quintessence" not in text
    assert "example.org" not in text
    assert secret not in text


def test_a_failure_is_retried_after_the_backoff_and_the_retry_arrives(
    world, receiver, django_capture_on_commit_callbacks
):
    endpoint, secret = make_endpoint(world.program, world.coordinator, receiver.url)
    receiver.answer(500)
    before = timezone.now()
    delivery = _ping(endpoint, world.coordinator, django_capture_on_commit_callbacks)

    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1
    assert delivery.last_status_code == 500
    assert delivery.last_error.startswith("HTTP 500: Internal trouble")
    assert len(delivery.last_error) <= len("HTTP 500: ") + 200  # not the whole answer
    assert delivery.next_attempt_at is not None
    wait = delivery.next_attempt_at - before
    assert timedelta(seconds=60) <= wait < timedelta(seconds=70)
    assert deliveries_retry_due() == 0  # not due yet

    delivery = _retry_when_due(delivery)
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempts == 2
    assert delivery.last_status_code == 200
    assert delivery.last_error == ""
    assert delivery.next_attempt_at is None
    first, second = receiver.received
    assert first.body == second.body  # the same event, the same id: receivers dedupe
    assert first.headers["MedMentor-Delivery"] == second.headers["MedMentor-Delivery"]
    verify_signature(secret, second.headers["MedMentor-Signature"], second.body, now=time.time())


def test_the_backoff_grows_then_repeats_its_last_delay():
    assert [retry_delay(n).total_seconds() for n in range(1, 8)] == [
        60,
        300,
        1800,
        7200,
        43200,
        43200,
        43200,
    ]


def test_attempts_run_out_into_failed(
    world, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_MAX_ATTEMPTS = 3
    endpoint, _secret = make_endpoint(world.program, world.coordinator, receiver.url)
    receiver.answer(503, 503, 503, 503)
    delivery = _ping(endpoint, world.coordinator, django_capture_on_commit_callbacks)
    delivery = _retry_when_due(delivery)
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 2
    delivery = _retry_when_due(delivery)

    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 3
    assert delivery.last_status_code == 503
    assert delivery.next_attempt_at is None
    assert len(receiver.received) == 3
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert deliveries_retry_due() == 0  # failed stays failed

    # "Retry now" gives a failed delivery one more attempt.
    with django_capture_on_commit_callbacks(execute=True):
        delivery_retry_now(delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 4
    with django_capture_on_commit_callbacks(execute=True):
        delivery_retry_now(delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempts == 5


def test_a_redirect_is_a_failure_not_followed(world, receiver, django_capture_on_commit_callbacks):
    endpoint, _secret = make_endpoint(world.program, world.coordinator, receiver.url)
    receiver.answer(302)
    delivery = _ping(endpoint, world.coordinator, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_status_code == 302
    assert len(receiver.received) == 1


def test_no_answer_is_a_failure_retried(world, django_capture_on_commit_callbacks):
    endpoint, _secret = make_endpoint(world.program, world.coordinator, "http://127.0.0.1:9/")
    delivery = _ping(endpoint, world.coordinator, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_status_code is None
    assert delivery.last_error.startswith("No answer")
    assert delivery.next_attempt_at is not None


def test_an_endpoint_failing_again_and_again_is_turned_off_and_coordinators_told(
    world, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_MAX_ATTEMPTS = 1
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 2
    endpoint, _secret = make_endpoint(world.program, world.coordinator, receiver.url)
    receiver.answer(500, 500)
    _ping(endpoint, world.coordinator, django_capture_on_commit_callbacks)
    endpoint.refresh_from_db()
    assert endpoint.active
    assert endpoint.consecutive_failures == 1
    _ping(endpoint, world.coordinator, django_capture_on_commit_callbacks)

    endpoint.refresh_from_db()
    assert not endpoint.active
    assert endpoint.disabled_reason
    notice = Notification.objects.get(
        recipient=world.coordinator, kind="webhooks.endpoint_disabled"
    )
    assert endpoint.url in notice.body
    # Turned off, it gets no more events.
    assert event_record(program=world.program, event=EventType.MEMBER_ENROLLED, data={}) == []
    assert len(receiver.received) == 2


def test_a_success_resets_the_count_of_failures(
    world, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_MAX_ATTEMPTS = 1
    endpoint, _secret = make_endpoint(world.program, world.coordinator, receiver.url)
    receiver.answer(500)
    _ping(endpoint, world.coordinator, django_capture_on_commit_callbacks)
    _ping(endpoint, world.coordinator, django_capture_on_commit_callbacks)
    assert Endpoint.objects.get(pk=endpoint.pk).consecutive_failures == 0


def test_an_address_refused_when_sending_is_never_contacted(
    world, receiver, settings, django_capture_on_commit_callbacks
):
    """Where a host points may change after the endpoint was saved: checked again."""
    endpoint, _secret = make_endpoint(world.program, world.coordinator, receiver.url)
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = False
    delivery = _ping(endpoint, world.coordinator, django_capture_on_commit_callbacks)
    assert receiver.received == []
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error.startswith("Refused")


def test_a_delivery_is_attempted_once_however_many_tasks_run(
    world, receiver, django_capture_on_commit_callbacks
):
    endpoint, _secret = make_endpoint(world.program, world.coordinator, receiver.url)
    delivery = _ping(endpoint, world.coordinator, django_capture_on_commit_callbacks)
    assert deliver_webhook.call(delivery.pk) == ""  # a duplicated task: nothing to do
    assert len(receiver.received) == 1


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_with_the_database_backend_the_retry_is_queued_for_its_time(world, receiver):
    make_endpoint(world.program, world.coordinator, receiver.url)
    receiver.answer(500)
    (delivery,) = event_record(
        program=world.program, event=EventType.MEMBER_ENROLLED, data={"role": "mentee"}
    )
    assert deliver_webhook.call(delivery.pk) == DeliveryStatus.PENDING  # the worker's run
    delivery.refresh_from_db()
    queued = DBTaskResult.objects.get(task_path="medmentor.webhooks.tasks.deliver_webhook")
    assert queued.args_kwargs["args"] == [delivery.pk]
    assert queued.run_after == delivery.next_attempt_at
    # The sweep leaves a deferred retry to its task, unless it is long overdue (lost).
    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
        assert deliveries_retry_due() == 0
    with time_machine.travel(delivery.next_attempt_at + timedelta(minutes=6)):
        assert deliveries_retry_due() == 1
