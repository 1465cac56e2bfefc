"""Invitations by e-mail: guests get English and French; members a notification."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from medmentor.notifications.models import Notification
from medmentor.programs.models import Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def invite(client, world, email, role="mentee"):
    return client.post(
        reverse("programs:invitations", args=[world.program.uuid]),
        {"send-email": email, "send-role": role, "send-valid_days": "14"},
    )


def test_a_guest_gets_one_bilingual_email_on_commit(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(client, world, "new.resident@example.org").status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.resident@example.org"]
    assert world.program.name_en in message.subject
    assert world.program.name_fr in message.subject
    for body in (message.body, message.alternatives[0][0]):
        assert "invites you to join" in body  # English
        assert "vous invite" in body  # French
        assert "/programs/invitation/" in body
    assert not Notification.objects.exists()
    link = message.body.split("http://127.0.0.1:8000")[1].split()[0]
    # The guest signs up, then the link lets them in.
    guest = UserFactory(email="new.resident@example.org")
    client.force_login(guest)
    assert client.post(link).status_code == 302
    assert Membership.objects.get(user=guest).status == "active"


def test_a_member_of_the_site_gets_a_notification_in_their_language(
    client, world, django_capture_on_commit_callbacks
):
    french = UserFactory(email="medecin@example.org", language="fr")
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, world, "MEDECIN@example.org", role="mentor")
    notification = Notification.objects.get(recipient=french, kind="programs.invitation")
    assert notification.url.startswith("/programs/invitation/")
    assert len(mail.outbox) == 1
    assert "comme mentor" in mail.outbox[0].body
    assert world.program.name_fr in mail.outbox[0].subject


def test_a_bad_address_is_a_field_error_and_sends_nothing(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, world, "not-an-address")
    assert response.status_code == 422
    assert "email" in response.context["email_form"].errors
    assert mail.outbox == []
