"""A person can delete their own account (privacy law's right to erasure)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from medmentor.accounts.erasure import former_member
from medmentor.accounts.models import User
from medmentor.accounts.services import account_delete
from medmentor.mentorships.models import Mentorship
from tests.factories import PASSWORD, UserFactory
from tests.mentorships.factories import start_mentorship

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


def test_the_former_member_placeholder_is_not_an_account_to_delete():
    """The one "Former member" account stands in the records of everyone who left: deleting
    it is refused before anything is erased, and partners keep what it stands in."""
    mentor, mentee = UserFactory(), UserFactory()
    start_mentorship(mentor=mentor, mentee=mentee, program=None)
    account_delete(user=mentee)
    placeholder = former_member()
    assert Mentorship.objects.get(mentor=mentor).mentee == placeholder

    with pytest.raises(ValueError, match="not an account to delete"):
        account_delete(user=placeholder)

    assert User.objects.filter(pk=placeholder.pk).exists()
    assert Mentorship.objects.get(mentor=mentor).mentee == placeholder


def test_staff_cannot_delete_the_former_member_in_the_admin():
    """Staff may click "Delete" on the placeholder's row (it was a server error): the
    admin refuses, one by one or in a bulk delete that includes it, and it stays."""
    placeholder = former_member()
    other = UserFactory(name="Leaving Person")
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    response = client.post(
        reverse("admin:accounts_user_delete", args=[placeholder.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    selected = {"action": "delete_selected", "_selected_action": [placeholder.pk, other.pk]}
    asked = client.post(reverse("admin:accounts_user_changelist"), selected)
    assert "Cannot delete users" in asked.content.decode()
    bulk = client.post(reverse("admin:accounts_user_changelist"), {**selected, "post": "yes"})
    assert bulk.status_code == 403
    assert User.objects.filter(pk__in=[placeholder.pk, other.pk]).count() == 2
