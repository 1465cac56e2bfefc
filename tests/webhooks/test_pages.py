"""The coordinator's webhook pages: add an endpoint (its secret shown once, kept
encrypted), change it, turn it off and on, a new secret, a test event, the delivery log,
retry now; bad addresses refused naming the field; everyone else refused, changing
nothing."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from medmentor.webhooks.models import Delivery, DeliveryStatus, Endpoint
from medmentor.webhooks.services import endpoint_create, endpoint_update
from medmentor.webhooks.signing import SignatureError, verify_signature
from tests.factories import logged_in_client
from tests.programs.personas import ALLOWED, COORDINATOR_MATRIX, FORBIDDEN, LOGIN
from tests.webhooks.support import make_endpoint

pytestmark = pytest.mark.django_db


def _url(name, program, *rest):
    return reverse(f"webhooks:{name}", args=[program.uuid, *[o.uuid for o in rest]])


def test_a_coordinator_adds_an_endpoint_and_sees_its_secret_once(world, receiver):
    client = logged_in_client(world.coordinator)
    assert client.get(_url("endpoints", world.program)).status_code == 200
    assert client.get(_url("endpoint_new", world.program)).status_code == 200
    response = client.post(
        _url("endpoint_new", world.program),
        {"url": receiver.url, "description": "Our CRM", "events": ["member.enrolled"]},
    )
    assert response.status_code == 200
    endpoint = Endpoint.objects.get(program=world.program)
    assert endpoint.url == receiver.url
    assert endpoint.events == ["member.enrolled"]
    assert endpoint.created_by == world.coordinator
    secret = endpoint.secret
    assert secret.startswith("mm_whsec_")
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM webhooks_endpoint WHERE id = %s", [endpoint.pk])
        (stored,) = cursor.fetchone()
    assert stored.startswith("fernet:")
    assert secret not in stored
    # Never again in full: the list and the endpoint's page show its first characters.
    for page in (_url("endpoints", world.program), _url("endpoint", world.program, endpoint)):
        text = client.get(page).content.decode()
        assert secret not in text
        assert endpoint.secret_hint in text or page.endswith("/webhooks/")
    assert "Webhooks" in client.get(_url("endpoints", world.program)).content.decode()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"url": "ftp://example.org/x", "events": ["ping"]}, "events", "valid choice"),
        ({"url": "ftp://example.org/x", "events": ["survey.answered"]}, "url", "https://"),
        ({"url": "", "events": ["member.enrolled"]}, "url", "required"),
        ({"url": "https://93.184.215.14/hook"}, "events", "at least one event"),
        ({"url": "https://93.184.215.14/hook", "events": ["ping"]}, "events", "valid choice"),
        ({"url": "http://93.184.215.14/hook", "events": ["survey.answered"]}, "url", "https://"),
        ({"url": "https://127.0.0.1:8000/", "events": ["survey.answered"]}, "url", "private"),
        ({"url": "https://localhost/hook", "events": ["survey.answered"]}, "url", "private"),
        ({"url": "https://10.1.2.3/hook", "events": ["survey.answered"]}, "url", "private"),
        ({"url": "https://[::1]/hook", "events": ["survey.answered"]}, "url", "private"),
        (
            {"url": "https://169.254.169.254/latest", "events": ["survey.answered"]},
            "url",
            "private",
        ),
        ({"url": "https://[::ffff:10.0.0.1]/", "events": ["survey.answered"]}, "url", "private"),
        (
            {"url": "https://user:pw@93.184.215.14/", "events": ["survey.answered"]},
            "url",
            "password",
        ),
    ],
)
def test_a_bad_endpoint_is_refused_naming_the_field_and_nothing_is_made(
    world, settings, values, field, message
):
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = False  # as in production
    response = logged_in_client(world.coordinator).post(_url("endpoint_new", world.program), values)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert not Endpoint.objects.exists()


def test_a_public_https_address_is_taken_without_the_setting(world, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = False
    response = logged_in_client(world.coordinator).post(
        _url("endpoint_new", world.program),
        {"url": "https://93.184.215.14/hook", "events": ["survey.answered"]},
    )
    assert response.status_code == 200
    assert Endpoint.objects.get().url == "https://93.184.215.14/hook"


def test_a_coordinator_changes_turns_off_and_on_an_endpoint(world, receiver):
    endpoint, _secret = make_endpoint(world.program, world.coordinator, receiver.url)
    client = logged_in_client(world.coordinator)
    assert client.get(_url("endpoint_edit", world.program, endpoint)).status_code == 200
    response = client.post(
        _url("endpoint_edit", world.program, endpoint),
        {"url": receiver.url + "/v2", "events": ["mentorship.ended", "member.enrolled"]},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.url == receiver.url + "/v2"
    assert endpoint.events == ["member.enrolled", "mentorship.ended"]

    bad = client.post(_url("endpoint_edit", world.program, endpoint), {"url": "javascript:x"})
    assert bad.status_code == 422
    endpoint.refresh_from_db()
    assert endpoint.url == receiver.url + "/v2"

    client.post(_url("endpoint_active", world.program, endpoint))
    endpoint.refresh_from_db()
    assert not endpoint.active
    client.post(_url("endpoint_active", world.program, endpoint), {"active": "on"})
    endpoint.refresh_from_db()
    assert endpoint.active


def test_a_new_secret_signs_what_follows_and_the_old_one_no_longer_verifies(
    world, receiver, django_capture_on_commit_callbacks
):
    endpoint, old = make_endpoint(world.program, world.coordinator, receiver.url)
    client = logged_in_client(world.coordinator)
    response = client.post(_url("endpoint_secret", world.program, endpoint))
    endpoint.refresh_from_db()
    new = endpoint.secret
    assert new != old
    assert new in response.content.decode()
    assert "no-store" in response["Cache-Control"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("endpoint_test", world.program, endpoint))
    assert response.status_code == 302
    (received,) = receiver.received
    header = received.headers["MedMentor-Signature"]
    verify_signature(new, header, received.body, now=time.time())
    with pytest.raises(SignatureError):
        verify_signature(old, header, received.body, now=time.time())
    assert received.json["type"] == "ping"


def test_the_log_shows_deliveries_latest_first_and_retry_now_sends_again(
    world, receiver, django_capture_on_commit_callbacks
):
    endpoint, _secret = make_endpoint(world.program, world.coordinator, receiver.url)
    client = logged_in_client(world.coordinator)
    receiver.answer(500)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("endpoint_test", world.program, endpoint))
        client.post(_url("endpoint_test", world.program, endpoint))
    failed, delivered = Delivery.objects.order_by("created_at", "id")
    assert failed.status == DeliveryStatus.PENDING
    assert delivered.status == DeliveryStatus.SUCCEEDED
    page = client.get(_url("endpoint", world.program, endpoint))
    assert [d.pk for d in page.context["deliveries"]] == [delivered.pk, failed.pk]
    text = page.content.decode()
    assert "500" in text
    assert "Retry now" in text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("retry", world.program, endpoint, failed))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SUCCEEDED
    assert failed.attempts == 2


def test_a_turned_off_endpoint_sends_no_test_event(world, receiver):
    endpoint, _secret = make_endpoint(world.program, world.coordinator, receiver.url)
    client = logged_in_client(world.coordinator)
    client.post(_url("endpoint_active", world.program, endpoint))
    response = client.post(_url("endpoint_test", world.program, endpoint), follow=True)
    assert "Turn the endpoint on" in response.content.decode()
    assert not Delivery.objects.exists()


@pytest.mark.parametrize("persona", [p for p, e in COORDINATOR_MATRIX.items() if e != ALLOWED])
def test_everyone_but_the_program_s_coordinators_is_refused_and_changes_nothing(
    world, receiver, persona, django_capture_on_commit_callbacks
):
    endpoint, secret = make_endpoint(world.program, world.coordinator, receiver.url)
    receiver.answer(500)
    with django_capture_on_commit_callbacks(execute=True):
        logged_in_client(world.coordinator).post(_url("endpoint_test", world.program, endpoint))
    delivery = Delivery.objects.get()
    client = world.client_for(persona)
    expected = COORDINATOR_MATRIX[persona]
    gets = [
        _url("endpoints", world.program),
        _url("endpoint_new", world.program),
        _url("endpoint", world.program, endpoint),
        _url("endpoint_edit", world.program, endpoint),
    ]
    posts = [
        (
            _url("endpoint_new", world.program),
            {"url": "https://93.184.215.14/", "events": ["ping"]},
        ),
        (_url("endpoint_edit", world.program, endpoint), {"url": "https://93.184.215.14/x"}),
        (_url("endpoint_active", world.program, endpoint), {}),
        (_url("endpoint_secret", world.program, endpoint), {}),
        (_url("endpoint_test", world.program, endpoint), {}),
        (_url("retry", world.program, endpoint, delivery), {}),
    ]
    codes = {LOGIN: 302, FORBIDDEN: 403}
    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.get(url) for url in gets] + [client.post(u, d) for u, d in posts]
    for response in answers:
        assert response.status_code == codes.get(expected, 404)
        assert secret not in response.content.decode()
        if expected == LOGIN:
            assert response["Location"].startswith(reverse("account_login"))
    endpoint.refresh_from_db()
    assert endpoint.secret == secret
    assert endpoint.url == receiver.url
    assert endpoint.active
    assert Endpoint.objects.count() == 1
    assert Delivery.objects.count() == 1
    assert len(receiver.received) == 1


def test_another_program_s_coordinator_cannot_reach_an_endpoint_through_their_own_program(
    world, receiver
):
    endpoint, _secret = make_endpoint(world.program, world.coordinator, receiver.url)
    client = logged_in_client(world.other_coordinator)
    assert client.get(_url("endpoints", world.other_program)).status_code == 200
    assert client.get(_url("endpoint", world.other_program, endpoint)).status_code == 404
    assert client.post(_url("endpoint_secret", world.other_program, endpoint)).status_code == 404


def test_a_delivery_of_another_endpoint_is_not_found(
    world, receiver, django_capture_on_commit_callbacks
):
    first, _ = make_endpoint(world.program, world.coordinator, receiver.url)
    second, _ = make_endpoint(world.program, world.coordinator, receiver.url + "/2")
    with django_capture_on_commit_callbacks(execute=True):
        logged_in_client(world.coordinator).post(_url("endpoint_test", world.program, first))
    delivery = Delivery.objects.get()
    response = logged_in_client(world.coordinator).post(
        _url("retry", world.program, second, delivery)
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"url": "  "}, "url", "Enter the address"),
        ({"url": "https://hooks.example.org/" + "x" * 500}, "url", "Keep the address under"),
        ({"url": "https://10.1.2.3/hook"}, "url", "private"),
        ({"description": "d" * 1000}, "description", "Keep this under"),
        ({"events": []}, "events", "at least one event"),
        ({"events": ["member.enrolled", "ping"]}, "events", "from the list"),
    ],
)
def test_the_service_refuses_what_the_form_refuses_and_changes_nothing(
    world, settings, values, field, message
):
    """A caller other than the page (a script, a future API) meets the same rules."""
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = False
    good = {"url": "https://93.184.215.14/hook", "events": ["member.enrolled"], "description": ""}
    with pytest.raises(ValidationError) as refused:
        endpoint_create(program=world.program, by=world.coordinator, **{**good, **values})
    assert message in " ".join(refused.value.message_dict[field])
    assert not Endpoint.objects.exists()

    endpoint, _secret = endpoint_create(program=world.program, by=world.coordinator, **good)
    with pytest.raises(ValidationError):
        endpoint_update(endpoint=endpoint, **{**good, **values})
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.events) == (good["url"], good["events"])
