"""Keeping listings current: the yearly e-mail to each program's contact (a signed link, no
account), "unverified" when nobody answers (ranked lower, never deleted), the moderators'
flags, and visitors' reports of outdated listings. The clock is moved, not waited for."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from medmentor.directory.models import Listing, ListingReport, Submission, SubmissionState
from medmentor.directory.selectors import ListingFilters, listing_search
from medmentor.directory.services import listings_request_confirmation
from tests.directory.factories import ListingFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHECKED = datetime(2026, 1, 15, 14, 0, tzinfo=UTC)


@pytest.fixture
def listing():
    Listing.objects.all().delete()  # only this test's listings
    with time_machine.travel(CHECKED, tick=False):
        return ListingFactory(
            name_en="Rural Peer Mentoring",
            contact_email="mentoring@ruraldocs.example.org",
            website_url="https://ruraldocs.example.org/mentoring",
            last_verified=timezone.localdate(),
        )


def daily_round(when: datetime, callbacks) -> str:
    with time_machine.travel(when, tick=False), callbacks(execute=True):
        return listings_request_confirmation()


def link_in(message) -> str:
    return re.search(r"http://\S+/directory/still-current/\S+/", message.body).group(0)


def test_a_year_later_the_contact_is_asked_once_and_confirms_without_an_account(
    client, listing, django_capture_on_commit_callbacks
):
    # Within the year: nobody is asked.
    assert daily_round(CHECKED + timedelta(days=300), django_capture_on_commit_callbacks) == (
        "0 asked, 0 unverified"
    )
    assert mail.outbox == []

    a_year_on = CHECKED + timedelta(days=366)
    assert daily_round(a_year_on, django_capture_on_commit_callbacks) == "1 asked, 0 unverified"
    assert daily_round(a_year_on + timedelta(days=1), django_capture_on_commit_callbacks) == (
        "0 asked, 0 unverified"  # asked once, not every day
    )
    (message,) = mail.outbox
    assert message.to == ["mentoring@ruraldocs.example.org"]
    assert "Rural Peer Mentoring" in message.subject
    url = link_in(message).removeprefix("http://127.0.0.1:8000")

    with time_machine.travel(a_year_on + timedelta(days=3), tick=False):
        page = client.get(url)  # a mail scanner's GET confirms nothing
        assert page.status_code == 200
        assert "Is this listing still current?" in page.content.decode()
        listing.refresh_from_db()
        assert listing.last_verified == CHECKED.date()

        assert client.post(url, {"confirm": "1"}).status_code == 302
        listing.refresh_from_db()
        assert listing.last_verified == (a_year_on + timedelta(days=3)).date()
        assert not listing.needs_review
        html = client.get(listing.get_absolute_url()).content.decode()
        assert "Last checked" in html
        assert "Unverified" not in html


def test_without_an_answer_the_listing_is_unverified_ranked_lower_and_kept(
    client, listing, django_capture_on_commit_callbacks
):
    checked_peer = ListingFactory(name_en="A Checked Program", region=listing.region)
    asked_on = CHECKED + timedelta(days=366)
    daily_round(asked_on, django_capture_on_commit_callbacks)
    assert daily_round(asked_on + timedelta(days=29), django_capture_on_commit_callbacks) == (
        "0 asked, 0 unverified"
    )
    assert daily_round(asked_on + timedelta(days=31), django_capture_on_commit_callbacks) == (
        "0 asked, 1 unverified"
    )
    listing.refresh_from_db()
    assert listing.unverified_since == (asked_on + timedelta(days=31)).date()
    assert listing.is_public  # kept, not deleted

    # "Rural Peer Mentoring" sorts after "A Checked Program" anyway: name one that would not.
    Listing.objects.filter(pk=checked_peer.pk).update(name_en="Zebra Checked Program")
    ranked = [found.name_en for found in listing_search(filters=ListingFilters(region="ON"))]
    assert ranked == ["Zebra Checked Program", "Rural Peer Mentoring"]
    html = client.get(listing.get_absolute_url()).content.decode()
    assert "Unverified: the program did not confirm this listing" in html

    # A late answer through the same link clears it.
    (message,) = mail.outbox
    with time_machine.travel(asked_on + timedelta(days=40), tick=False):
        client.post(link_in(message).removeprefix("http://127.0.0.1:8000"), {"confirm": "1"})
    listing.refresh_from_db()
    assert listing.unverified_since is None


def test_the_contact_proposes_changes_that_go_straight_to_the_moderators(
    client, listing, django_capture_on_commit_callbacks
):
    daily_round(CHECKED + timedelta(days=366), django_capture_on_commit_callbacks)
    url = link_in(mail.outbox[0]).removeprefix("http://127.0.0.1:8000")
    changes = {
        "name_en": "Rural Peer Mentoring Network",
        "organisation_en": listing.organisation_en,
        "website_url": listing.website_url,
        "audiences": ["physicians"],
        "region": "ON",
        "status": "active",
    }
    with time_machine.travel(CHECKED + timedelta(days=370), tick=False):
        assert client.post(url, changes).status_code == 302
    submission = Submission.objects.get()
    assert (submission.state, submission.listing, submission.submitter_email) == (
        SubmissionState.PENDING,
        listing,
        "mentoring@ruraldocs.example.org",
    )
    listing.refresh_from_db()
    assert listing.name_en == "Rural Peer Mentoring"  # until a moderator approves


def test_a_forged_or_expired_link_confirms_nothing(
    client, listing, django_capture_on_commit_callbacks
):
    daily_round(CHECKED + timedelta(days=366), django_capture_on_commit_callbacks)
    url = link_in(mail.outbox[0]).removeprefix("http://127.0.0.1:8000")
    forged = url.replace("still-current/", "still-current/x")
    assert client.post(forged, {"confirm": "1"}).status_code == 400
    with time_machine.travel(CHECKED + timedelta(days=366 + 91), tick=False):
        assert client.post(url, {"confirm": "1"}).status_code == 400
    listing.refresh_from_db()
    assert listing.last_verified == CHECKED.date()


def test_moderators_see_stale_unverified_and_reported_listings(client, listing):
    staff = UserFactory(is_staff=True)
    with time_machine.travel(CHECKED + timedelta(days=366), tick=False):
        client.force_login(staff)
        html = client.get(reverse("directory:moderation")).content.decode()
        assert "Rural Peer Mentoring" in html
        assert "Not checked for a year" in html
        client.post(reverse("directory:listing_verify", args=[listing.uuid]))
        html = client.get(reverse("directory:moderation")).content.decode()
        assert "Rural Peer Mentoring" not in html


def test_a_visitor_reports_an_outdated_listing_and_a_moderator_closes_the_report(client, listing):
    url = reverse("directory:report", args=[listing.uuid])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "closed", "details": "The page says it ended in June."})
    assert response.status_code == 302
    report = ListingReport.objects.get()
    assert (report.listing, report.reason, report.resolved_at) == (listing, "closed", None)

    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    html = client.get(reverse("directory:moderation")).content.decode()
    assert "The page says it ended in June." in html
    assert client.post(reverse("directory:listing_reports", args=[listing.uuid])).status_code == 302
    report.refresh_from_db()
    assert report.resolved_by == staff
    assert (
        "The page says it ended in June."
        not in client.get(reverse("directory:moderation")).content.decode()
    )


def test_a_bad_report_names_the_field_and_stores_nothing(client, listing):
    url = reverse("directory:report", args=[listing.uuid])
    response = client.post(url, {"reason": "bored", "details": "<script>x</script>"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"reason", "details"}
    assert ListingReport.objects.count() == 0


def test_reports_are_throttled_per_network(client, listing):
    url = reverse("directory:report", args=[listing.uuid])
    for _ in range(10):
        assert client.post(url, {"reason": "wrong"}).status_code == 302
    throttled = client.post(url, {"reason": "wrong"})
    assert throttled.status_code == 429
    assert "Too many reports from you for now" in throttled.content.decode()
    assert ListingReport.objects.count() == 10


def test_moderation_actions_on_listings_do_not_exist_for_visitors(client, listing):
    ListingReport.objects.create(listing=listing, reason="wrong")
    client.force_login(UserFactory())
    assert client.post(reverse("directory:listing_reports", args=[listing.uuid])).status_code == 404
    assert ListingReport.objects.get().resolved_at is None
