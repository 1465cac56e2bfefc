"""A person can delete their own account (privacy law's right to erasure)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from medmentor.accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("accounts:delete"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_wrong_password_deletes_nothing(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:delete"), {"password": "nope", "confirm": "on"})
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    unconfirmed = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert "confirm" in unconfirmed.context["form"].errors
    assert User.objects.filter(pk=user.pk).exists()
    assert mail.outbox == []


def test_delete_removes_the_account_logs_out_and_says_goodbye(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="leaving@example.org", language="fr")
    other = UserFactory()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"}, follow=True
        )
    assert response.redirect_chain[-1][0] == reverse("dashboard:home")
    assert not User.objects.filter(email="leaving@example.org").exists()
    assert User.objects.filter(pk=other.pk).exists()
    assert "_auth_user_id" not in client.session
    assert mail.outbox[0].to == ["leaving@example.org"]
    assert mail.outbox[0].subject == "Votre compte MedMentor a été supprimé"
    # The old password no longer opens anything.
    login = client.post(
        reverse("account_login"), {"login": "leaving@example.org", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert login.status_code == 200
