"""TOTP multi-factor authentication and the throttle on failed logins."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

import pytest
import time_machine
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def totp(secret: str, at: float) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), written here so the test does not trust allauth."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def login(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_totp_enrolment_then_login_with_a_code(client):
    user = UserFactory(email="secure@example.org")
    now = time.time()
    with time_machine.travel(now, tick=False):
        login(client, "secure@example.org")
        # Turning on MFA is sensitive: allauth asks for the password once more.
        asked = client.get(reverse("mfa_activate_totp"))
        assert asked["Location"].startswith(reverse("account_reauthenticate"))
        client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        page = client.get(reverse("mfa_activate_totp"))
        assert page.status_code == 200
        secret = page.context["form"].secret
        wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
        assert "code" in wrong.context["form"].errors
        activated = client.post(reverse("mfa_activate_totp"), {"code": totp(secret, now)})
        assert activated.status_code == 302
        assert user.authenticator_set.filter(type="totp").exists()
        client.logout()

    later = now + 120
    with time_machine.travel(later, tick=False):
        response = login(client, "secure@example.org")
        # The password alone is not enough any more.
        assert response["Location"] == reverse("mfa_authenticate")
        assert "_auth_user_id" not in client.session
        bad = client.post(reverse("mfa_authenticate"), {"code": "123456"})
        assert "_auth_user_id" not in client.session
        assert bad.status_code == 200
        good = client.post(reverse("mfa_authenticate"), {"code": totp(secret, later)})
        assert good.status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)


def test_repeated_failed_logins_are_throttled(client):
    UserFactory(email="target@example.org")
    for _ in range(5):
        response = login(client, "target@example.org", "not-the-password")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    # Even the right password is refused while the throttle holds.
    response = login(client, "target@example.org")
    assert "_auth_user_id" not in client.session
    assert b"Too many failed login attempts" in response.content


def test_failed_login_says_what_is_wrong_without_naming_the_account(client):
    UserFactory(email="someone@example.org")
    wrong_password = login(client, "someone@example.org", "not-the-password")
    no_account = login(client, "nobody@example.org", "not-the-password")
    assert wrong_password.context["form"].errors == no_account.context["form"].errors


def test_the_admin_login_goes_through_allauth_and_its_throttle(client):
    staff = UserFactory(email="staff@example.org", is_staff=True, is_superuser=True)
    admin_login = reverse("admin:login")
    # Django's own form is gone: the right password posted there logs nobody in.
    posted = client.post(admin_login, {"username": staff.email, "password": PASSWORD})
    assert posted.status_code == 302
    assert posted["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("admin:index")).status_code == 302
    # Guessing is throttled, and the throttle holds for the admin too.
    for _ in range(6):
        login(client, staff.email, "wrong-password")
    blocked = login(client, staff.email)
    assert not blocked.wsgi_request.user.is_authenticated
    assert client.get(reverse("admin:index")).status_code == 302
