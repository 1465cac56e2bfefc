"""What the directory's new routes refuse, and to whom: the permission matrix asks every
persona once; here each refusal is shown with what it must leave unchanged."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from medmentor.directory.models import ListingClaim, ListingReport, Source, Submission
from medmentor.directory.services import listing_confirmation_token
from tests.directory.factories import ListingFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden():
    return ListingFactory(is_public=False, contact_email="program@example.org")


@pytest.fixture
def platform():
    return ListingFactory(source=Source.MEDMENTOR, platform_key="program:denials")


@pytest.mark.parametrize("kind", ["hidden", "platform"])
def test_a_listing_not_listed_by_the_directory_takes_no_report_claim_or_confirmation(
    client, request, kind, django_capture_on_commit_callbacks
):
    """A withdrawn listing does not exist; a program run on MedMentor is kept current by
    its coordinator, so nobody reports, claims or confirms it here."""
    listing = request.getfixturevalue(kind)
    client.force_login(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        report = client.post(reverse("directory:report", args=[listing.uuid]), {"reason": "wrong"})
        claim = client.post(
            reverse("directory:claim", args=[listing.uuid]), {"email": "lead@example.org"}
        )
        token = listing_confirmation_token(listing)
        confirm = client.post(reverse("directory:listing_confirm", args=[token]), {"confirm": "1"})
    assert (report.status_code, claim.status_code, confirm.status_code) == (404, 404, 400)
    assert ListingReport.objects.count() == 0
    assert ListingClaim.objects.count() == 0
    assert mail.outbox == []
    listing.refresh_from_db()
    assert listing.last_verified == timezone.localdate()  # the factory's, unchanged


def test_anonymous_visitors_are_sent_to_log_in_for_claims_and_owners_pages(client):
    listing = ListingFactory()
    for url in (
        reverse("directory:claim", args=[listing.uuid]),
        reverse("directory:claim_confirm", args=["any-token"]),
        reverse("directory:owner_edit", args=[listing.uuid]),
    ):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("account_login")), url
    assert ListingClaim.objects.count() == 0


@pytest.mark.parametrize("persona", ["unconfirmed_claimant", "other_owner", "staff"])
def test_only_the_confirmed_owner_proposes_changes_as_owner(client, persona):
    listing = ListingFactory(name_en="Owned Program")
    other = ListingFactory()
    person = UserFactory(is_staff=persona == "staff")
    if persona == "unconfirmed_claimant":
        ListingClaim.objects.create(listing=listing, user=person, email="lead@example.org")
    if persona == "other_owner":
        ListingClaim.objects.create(
            listing=other, user=person, email="lead@example.org", confirmed_at=timezone.now()
        )
    client.force_login(person)
    url = reverse("directory:owner_edit", args=[listing.uuid])
    assert client.get(url).status_code == 404
    response = client.post(url, {"name_en": "Hijacked", "organisation_en": "X", "website_url": ""})
    assert response.status_code == 404
    assert Submission.objects.count() == 0


def test_a_forged_claim_link_confirms_nothing(client):
    listing = ListingFactory()
    claimant = UserFactory()
    ListingClaim.objects.create(listing=listing, user=claimant, email="lead@example.org")
    client.force_login(claimant)
    assert client.post(reverse("directory:claim_confirm", args=["forged"])).status_code == 400
    assert ListingClaim.objects.get().confirmed_at is None


@pytest.mark.parametrize("persona", ["anonymous", "member"])
def test_closing_reports_is_for_moderators_only(client, persona):
    listing = ListingFactory()
    ListingReport.objects.create(listing=listing, reason="closed")
    if persona == "member":
        client.force_login(UserFactory())
    response = client.post(reverse("directory:listing_reports", args=[listing.uuid]))
    assert response.status_code == 404
    assert ListingReport.objects.get().resolved_at is None


def test_public_pages_refuse_writes(client):
    """The fit path, the gaps page and the sitemap answer GET only: nothing to change."""
    for name in ("directory:fit", "directory:gaps", "dashboard:sitemap", "dashboard:robots"):
        assert client.post(reverse(name)).status_code == 405, name
    assert client.post("/api/directory/gaps").status_code == 405


def test_the_sitemap_leaves_out_what_is_not_public(client):
    hidden = ListingFactory(is_public=False)
    xml = client.get(reverse("dashboard:sitemap")).content.decode()
    assert str(hidden.uuid) not in xml
    assert "/mentorships/" not in xml
    assert "/accounts/" not in xml
