"""SCIM tokens: only a usable token of the institution opens the endpoints (a session
does not); staff make, rotate and revoke them in the admin, the plaintext shown once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.core.bearer import digest_of
from medmentor.institutions.models import ScimEvent, ScimToken
from medmentor.institutions.services import scim_token_rotate
from tests.factories import UserFactory, logged_in_client
from tests.institutions.conftest import SCIM_JSON, entra_user

pytestmark = pytest.mark.django_db


def refused(response) -> None:
    assert response.status_code == 401
    assert response["Content-Type"] == SCIM_JSON
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert body["status"] == "401"


@pytest.mark.parametrize(
    "token",
    ["", "mm_scim_unknown", "mm_pat_something", "Basic dXNlcjpwYXNz"],
)
def test_no_or_unknown_token_is_401_and_logged(directory, token):
    refused(directory.post("/Users", entra_user("jean@uottawa.ca"), token=token))
    assert not User.objects.filter(email="jean@uottawa.ca").exists()
    event = ScimEvent.objects.get()
    assert (event.institution, event.token, event.token_hint) == (None, None, "")
    assert (event.operation, event.status, event.detail) == ("create", 401, "no token")


def test_revoked_and_expired_tokens_are_401_and_logged(directory):
    directory.token.revoked_at = timezone.now()
    directory.token.save()
    refused(directory.get("/Users"))
    directory.token.revoked_at = None
    directory.token.expires_at = timezone.now() - timedelta(seconds=1)
    directory.token.save()
    refused(directory.get("/ServiceProviderConfig"))
    events = ScimEvent.objects.order_by("pk")
    assert [(e.token_id, e.token_hint, e.status, e.detail) for e in events] == [
        (directory.token.pk, directory.token.hint, 401, "revoked or expired token")
    ] * 2
    assert events[0].institution == directory.institution


def test_a_logged_in_session_is_no_token(directory):
    """Session cookies count for nothing, even staff's."""
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = logged_in_client(staff)
    refused(client.get("/scim/v2/Users"))
    refused(client.post("/scim/v2/Users", entra_user("x@uottawa.ca"), content_type=SCIM_JSON))
    assert not User.objects.filter(email="x@uottawa.ca").exists()


def test_the_token_is_kept_as_a_digest_and_its_use_noted(directory):
    token = ScimToken.objects.get()
    assert token.digest == digest_of(directory.plaintext)
    assert directory.plaintext not in (token.hint, token.digest)
    assert token.last_used_at is None
    directory.get("/Users")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_rotation_keeps_the_old_token_for_a_grace_period(directory):
    new, plaintext = scim_token_rotate(token=directory.token, by=None)
    directory.token.refresh_from_db()
    assert directory.token.expires_at is not None
    left = directory.token.expires_at - timezone.now()
    assert timedelta(hours=23) < left <= timedelta(hours=24)
    assert directory.get("/Users").status_code == 200  # the old one still works
    assert directory.get("/Users", token=plaintext).status_code == 200
    assert new.institution == directory.institution
    # After the grace period only the new one does.
    ScimToken.objects.filter(pk=directory.token.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    refused(directory.get("/Users"))
    assert directory.get("/Users", token=plaintext).status_code == 200


def test_staff_make_a_token_in_the_admin_and_see_it_once(directory):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client = logged_in_client(superuser)
    response = client.post(
        reverse("admin:institutions_scimtoken_add"),
        {"institution": directory.institution.pk, "expires_at_0": "", "expires_at_1": ""},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    plaintext = response.context["tokens"][0].plaintext
    assert plaintext.startswith("mm_scim_")
    assert plaintext in response.content.decode()
    token = ScimToken.objects.get(digest=digest_of(plaintext))
    assert token.created_by == superuser
    assert directory.get("/Users", token=plaintext).status_code == 200
    # The token's own page never shows it again.
    page = client.get(reverse("admin:institutions_scimtoken_change", args=[token.pk]))
    assert page.status_code == 200
    assert plaintext not in page.content.decode()
    assert token.hint in page.content.decode()


def test_staff_rotate_and_revoke_in_the_admin(directory):
    client = logged_in_client(UserFactory(is_staff=True, is_superuser=True))
    changelist = reverse("admin:institutions_scimtoken_changelist")
    rotated = client.post(
        changelist, {"action": "rotate", "_selected_action": [directory.token.pk]}
    )
    assert rotated.status_code == 200
    plaintext = rotated.context["tokens"][0].plaintext
    assert directory.get("/Users", token=plaintext).status_code == 200
    assert directory.get("/Users").status_code == 200  # within the grace period

    revoked = client.post(
        changelist, {"action": "revoke", "_selected_action": [directory.token.pk]}
    )
    assert revoked.status_code == 302
    refused(directory.get("/Users"))
    assert directory.get("/Users", token=plaintext).status_code == 200


def test_the_scim_log_cannot_be_changed_in_the_admin(directory):
    directory.get("/Users")
    client = logged_in_client(UserFactory(is_staff=True, is_superuser=True))
    event = ScimEvent.objects.get()
    assert client.get(reverse("admin:institutions_scimevent_changelist")).status_code == 200
    assert client.get(reverse("admin:institutions_scimevent_add")).status_code == 403
    assert (
        client.get(reverse("admin:institutions_scimevent_delete", args=[event.pk])).status_code
        == 403
    )
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert ScimEvent.objects.filter(pk=event.pk).exists()


def test_staff_who_may_only_view_cannot_rotate_or_revoke(directory):
    from django.contrib.auth.models import Permission

    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    client = logged_in_client(viewer)
    changelist = reverse("admin:institutions_scimtoken_changelist")
    assert client.get(changelist).status_code == 200
    for action in ("rotate", "revoke"):
        client.post(changelist, {"action": action, "_selected_action": [directory.token.pk]})
    assert ScimToken.objects.count() == 1
    directory.token.refresh_from_db()
    assert directory.token.revoked_at is None
    assert client.get(reverse("admin:institutions_scimtoken_add")).status_code == 403
