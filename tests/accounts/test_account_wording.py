"""Every page and e-mail of allauth that MedMentor shows speaks as MedMentor: one spelling
of each word (Log in, Log out, Sign up, e-mail), and no e-mail reads like phishing (no
"Hello from 127.0.0.1:8000!", the site named and its address from SITE_URL)."""

from __future__ import annotations

import html
import os
import re
import time

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://mentor.example.org"
# What reads like another site's, or like a phishing e-mail, or as two spellings of a word.
FORBIDDEN = re.compile(
    r"Sign In|Sign in|sign in|Sign Out|Sign out|sign out|Signin|Hello from|Thank you for using"
    r"|example\.com|127\.0\.0\.1|\bemail\b|\bEmail\b|E-Mail"
    # allauth's Title Case headings and buttons, and its "verify" beside our "confirm":
    r"|Password Reset|Reset My Password|E-mail Addresses|Make Primary|Re-send Verification"
    r"|Add E-mail|Confirm E-mail Address|Verify Your|contact us",
)


def visible_text(page: str) -> str:
    """What a reader sees: the body's text and the title, without tags, scripts or styles."""
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    title = re.search(r"(?s)<title>(.*?)</title>", page)
    body = re.search(r"(?s)<body\b.*?</body>", page)
    text = (title.group(1) if title else "") + " " + (body.group(0) if body else page)
    # Attributes people read: placeholders, labels for screen readers, titles (not the
    # values of hidden fields, which are paths and keys).
    readable = " ".join(re.findall(r'(?:placeholder|aria-label|title)="([^"]*)"', text))
    return html.unescape(re.sub(r"<[^>]+>", " ", text) + " " + readable)


def problems(label: str, text: str) -> list[str]:
    found = sorted({m.group(0) for m in FORBIDDEN.finditer(text)})
    return [f"{label} says {found}: {' '.join(text.split())[:1500]}"] if found else []


def log_in(user, secret: str = "") -> Client:
    """Logged in as a person does, with their code when they use two-factor: recently
    authenticated, so that sensitive pages show instead of asking again."""
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    if secret:
        code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return client


def with_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def reset_key_path(user) -> str:
    return reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )


def coded_email(client: Client) -> str:
    return client.get(reverse("account_email")).context["user"].email


def pages() -> list[tuple[str, Client, str]]:
    """(label, client, path) of each page a person meets, in the state they meet it."""
    anonymous = Client()
    member = UserFactory(name="Ana Member")
    member_client = log_in(member)
    forgetful = UserFactory(name="Fred Forgetful")  # a login would change the reset key
    secured = UserFactory(name="Sam Secure")
    secured_client = log_in(secured, with_totp(secured))
    halfway = Client()  # password given, code asked
    halfway.post(reverse("account_login"), {"login": secured.email, "password": PASSWORD})
    unverified = UserFactory(verified=False)
    address = EmailAddress.objects.create(
        user=unverified, email=unverified.email, primary=True, verified=False
    )
    confirmation_key = EmailConfirmationHMAC(address).key
    invited = UserFactory(password=None)
    invited.set_unusable_password()
    invited.save()
    invited_client = Client()
    invited_client.force_login(invited)
    coded = log_in(UserFactory(name="Cody Code"))
    coded.post(reverse("account_request_reauthentication_code"), {"recipient": coded_email(coded)})
    return [
        ("code asked", member_client, reverse("account_request_reauthentication_code")),
        ("code sent", coded, reverse("account_confirm_reauthentication_code")),
        ("login", anonymous, reverse("account_login")),
        ("signup", anonymous, reverse("account_signup")),
        ("password reset", anonymous, reverse("account_reset_password")),
        ("password reset sent", anonymous, reverse("account_reset_password_done")),
        ("password reset link", Client(), reset_key_path(forgetful)),
        ("password reset bad link", anonymous, "/accounts/password/reset/key/1-bad-key/"),
        ("password reset done", anonymous, reverse("account_reset_password_from_key_done")),
        ("verification sent", anonymous, reverse("account_email_verification_sent")),
        ("confirm e-mail", anonymous, reverse("account_confirm_email", args=[confirmation_key])),
        ("confirm e-mail bad link", anonymous, reverse("account_confirm_email", args=["nope"])),
        ("inactive", anonymous, reverse("account_inactive")),
        ("two-factor code at login", halfway, reverse("mfa_authenticate")),
        ("logout", member_client, reverse("account_logout")),
        ("change password", member_client, reverse("account_change_password")),
        ("e-mail addresses", member_client, reverse("account_email")),
        ("reauthenticate", Client(), reverse("account_reauthenticate")),
        ("two-factor", member_client, reverse("mfa_index")),
        ("two-factor on", member_client, reverse("mfa_activate_totp")),
        ("two-factor set", secured_client, reverse("mfa_index")),
        ("two-factor off", secured_client, reverse("mfa_deactivate_totp")),
        ("recovery codes", secured_client, reverse("mfa_view_recovery_codes")),
        ("new recovery codes", secured_client, reverse("mfa_generate_recovery_codes")),
        ("two-factor reauthenticate", secured_client, reverse("mfa_reauthenticate")),
        ("set password", invited_client, reverse("account_set_password")),
    ]


@override_settings(SITE_URL=SITE)
def test_every_account_page_speaks_one_language():
    found = []
    for label, client, path in pages():
        if label == "reauthenticate":
            client.force_login(UserFactory())
        response = client.get(path, follow=True)
        assert response.status_code == 200, (label, path, response.redirect_chain)
        text = visible_text(response.content.decode())
        if os.environ.get("DUMP_PAGES"):
            with open(f"/tmp/pages/{label}.txt", "w") as f:
                f.write(" ".join(text.split()))
        found += problems(label, text)
    assert not found, "\n\n".join(found)


@override_settings(SITE_URL=SITE, ALLOWED_HOSTS=["mentor.example.org"])
def test_every_account_email_says_medmentor_and_what_to_do_if_it_was_not_you():
    site = {"HTTP_HOST": "mentor.example.org"}
    member = UserFactory(email="ana.member@example.org")
    anonymous = Client(**site)
    anonymous.post(
        reverse("account_signup"),
        {
            "name": "Dr. Nadia Okafor",
            "email": "new.resident@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    Client(**site).post(
        reverse("account_signup"),
        {
            "name": "Dr. Ana Member",
            "email": member.email,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    Client(**site).post(reverse("account_reset_password"), {"email": member.email})
    Client(**site).post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    client = Client(**site)
    client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("account_email"), {"action_add": "", "email": "ana.work@example.org"})
    client.post(reverse("account_request_reauthentication_code"), {"recipient": member.email})

    subjects = {
        "[MedMentor] Confirm your e-mail address to finish signing up": "new.resident@",
        "[MedMentor] You already have a MedMentor account": "ana.member@",
        "[MedMentor] Choose a new password": "ana.member@",
        "[MedMentor] No MedMentor account uses this address": "nobody@",
        "[MedMentor] Confirm your e-mail address": "ana.work@",
        "[MedMentor] Your MedMentor code": "ana.member@",
    }
    assert sorted((m.subject, m.to[0].split("@")[0] + "@") for m in mail.outbox) == sorted(
        subjects.items()
    )
    found = []
    for message in mail.outbox:
        text = message.subject + "\n" + message.body
        assert "MedMentor, the mentorship platform for medicine (mentor.example.org)" in text
        assert "If it was not you" in message.body or "If you did not" in message.body
        # The links' paths are allauth's (/accounts/confirm-email/…): words are checked.
        found += problems(message.subject, re.sub(r"https?://\S+", "", text))
        assert "&#x27;" not in text  # plain text, not HTML-escaped
    assert not found, "\n\n".join(found)
    # The links lead to the site, each to its own page.
    bodies = {m.subject: m.body for m in mail.outbox}
    assert (
        "http://mentor.example.org/accounts/confirm-email/"
        in bodies["[MedMentor] Confirm your e-mail address to finish signing up"]
    )
    assert (
        "http://mentor.example.org/accounts/password/reset/key/"
        in bodies["[MedMentor] Choose a new password"]
    )


def test_the_adapter_names_medmentor_at_site_urls_domain():
    from medmentor.core.site import current_site

    with override_settings(SITE_URL="https://mentor.example.org"):
        site = current_site()
    assert (site.name, site.domain) == ("MedMentor", "mentor.example.org")
    with override_settings(SITE_URL="http://127.0.0.1:8301"):
        assert current_site().domain == "127.0.0.1:8301"
