"""Sign-up with e-mail verification, then login: the journey of every new member."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from medmentor.accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)")


def sign_up(
    client,
    email="new.resident@example.org",
    password=PASSWORD,
    confirm=None,
    name="Dr. Nadia Okafor",
):
    return client.post(
        reverse("account_signup"),
        {"name": name, "email": email, "password1": password, "password2": confirm or password},
    )


def test_signup_asks_the_name_others_will_see(client):
    page = client.get(reverse("account_signup")).content.decode()
    assert page.index('name="name"') < page.index('name="email"')  # the name comes first

    refused = sign_up(client, name="   ")
    assert refused.status_code == 200
    assert refused.context["form"].errors["name"]
    assert not User.objects.exists()

    sign_up(client, name="  Dr.  Nadia   Okafor ")
    user = User.objects.get(email="new.resident@example.org")
    assert user.name == "Dr. Nadia Okafor"
    assert str(user) == "Dr. Nadia Okafor"


def test_signup_sends_verification_then_verified_login(client):
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.resident@example.org")
    assert not user.emailaddress_set.get().verified

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.resident@example.org"]
    confirm_path = LINK.search(message.body).group(1)

    # Until the address is verified, a login is sent back to verification.
    client.logout()
    blocked = client.post(
        reverse("account_login"), {"login": "new.resident@example.org", "password": PASSWORD}
    )
    assert blocked["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    assert client.get(confirm_path).status_code == 200
    confirmed = client.post(confirm_path)
    assert confirmed.status_code == 302
    assert user.emailaddress_set.get().verified

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new.resident@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    home = client.get(reverse("dashboard:home"))
    assert b"Log out" in home.content


def test_signup_keeps_the_language_of_the_page(client):
    client.cookies.load({"django_language": "fr"})
    sign_up(client, email="interne@example.org")
    assert User.objects.get(email="interne@example.org").language == "fr"


def test_signup_names_the_field_in_error_and_creates_nothing(client):
    response = sign_up(client, email="not-an-address")
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    response = sign_up(client, email="ok@example.org", confirm="a-different-password-1")
    assert "password2" in response.context["form"].errors
    response = sign_up(client, email="short@example.org", password="short")
    assert "password1" in response.context["form"].errors
    assert b'aria-invalid="true"' in response.content
    assert not User.objects.exists()
    assert mail.outbox == []


def test_signup_with_a_taken_address_does_not_reveal_the_account(client):
    UserFactory(email="taken@example.org")
    response = sign_up(client, email="taken@example.org")
    # Same answer as for a new address; the owner is told by e-mail instead.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email="taken@example.org").count() == 1
    assert mail.outbox[0].to == ["taken@example.org"]
