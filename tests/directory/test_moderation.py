"""The moderation queue: staff only (everybody else gets 404), approve, edit, reject with a
reason e-mailed to the submitter, listings due for verification; and the same in the admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from medmentor.directory.models import Listing, Submission, SubmissionState
from tests.directory.factories import ListingFactory, SubmissionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def moderation_urls(submission: Submission, listing: Listing) -> list[tuple[str, str]]:
    return [
        ("get", reverse("directory:moderation")),
        ("get", reverse("directory:moderation_review", args=[submission.uuid])),
        ("post", reverse("directory:moderation_review", args=[submission.uuid])),
        ("post", reverse("directory:moderation_approve", args=[submission.uuid])),
        ("post", reverse("directory:moderation_reject", args=[submission.uuid])),
        ("post", reverse("directory:listing_verify", args=[listing.uuid])),
    ]


@pytest.mark.parametrize("persona", ["anonymous", "member"])
def test_moderation_does_not_exist_for_anyone_but_staff(client, persona):
    submission = SubmissionFactory()
    listing = ListingFactory(last_verified=None)
    if persona == "member":
        client.force_login(UserFactory())
    for method, url in moderation_urls(submission, listing):
        data = {"reason": "spam", "name_en": "Hijacked"} if method == "post" else None
        assert getattr(client, method)(url, data).status_code == 404, url
    submission.refresh_from_db()
    listing.refresh_from_db()
    assert (submission.state, submission.name_en) != (SubmissionState.APPROVED, "Hijacked")
    assert submission.state == SubmissionState.PENDING
    assert listing.last_verified is None
    assert mail.outbox == []


def test_staff_see_the_queue_with_pending_submissions_only(client, staff):
    pending = SubmissionFactory(name_en="Pending one")
    SubmissionFactory(name_en="Unconfirmed one", state=SubmissionState.UNCONFIRMED)
    SubmissionFactory(name_en="Rejected one", state=SubmissionState.REJECTED)
    client.force_login(staff)
    response = client.get(reverse("directory:moderation"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pending one" in html
    assert pending.submitter_email in html
    assert "Unconfirmed one" not in html
    assert "Rejected one" not in html


def test_staff_edit_a_submission_before_approving(
    client, staff, django_capture_on_commit_callbacks
):
    submission = SubmissionFactory(name_en="Tpyo Program")
    client.force_login(staff)
    url = reverse("directory:moderation_review", args=[submission.uuid])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "name_en": "Typo Program",
        "organisation_en": submission.organisation_en,
        "audiences": ["physicians"],
        "region": "NS",
        "contact_email": "program@example.org",
        "status": "active",
    }
    assert client.post(url, {**data, "join_url": "not a url"}).status_code == 200
    submission.refresh_from_db()
    assert submission.name_en == "Tpyo Program"  # the bad edit changed nothing
    assert client.post(url, data).status_code == 302
    submission.refresh_from_db()
    assert submission.name_en == "Typo Program"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory:moderation_approve", args=[submission.uuid]))
    assert Listing.objects.get(name_en="Typo Program").is_public


def test_rejection_needs_a_reason_and_emails_it(client, staff, django_capture_on_commit_callbacks):
    submission = SubmissionFactory(name_en="Not a mentorship program", submitter_language="fr")
    client.force_login(staff)
    url = reverse("directory:moderation_reject", args=[submission.uuid])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == SubmissionState.PENDING
    assert mail.outbox == []

    reason = "It is a job board, not a mentorship program. <b>Sorry</b>"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": reason})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == SubmissionState.REJECTED
    assert submission.rejection_reason == reason
    assert submission.decided_by == staff
    assert not Listing.objects.filter(name_en="Not a mentorship program").exists()
    [message] = mail.outbox
    assert message.to == [submission.submitter_email]
    # In the submitter's language (French here), the reason in both bodies, escaped in HTML.
    assert message.subject == (
        "[MedMentor] Votre proposition au répertoire des programmes n’a pas été publiée"  # noqa: RUF001
    )
    assert reason in message.body
    html = message.alternatives[0][0]
    assert "It is a job board, not a mentorship program. &lt;b&gt;Sorry&lt;/b&gt;" in html


def test_a_decided_submission_cannot_be_decided_again(
    client, staff, django_capture_on_commit_callbacks
):
    submission = SubmissionFactory(state=SubmissionState.REJECTED, rejection_reason="spam")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directory:moderation_approve", args=[submission.uuid]))
    assert response.status_code == 302
    assert "not waiting for moderation" in client.get(response["Location"]).content.decode()
    assert not Listing.objects.filter(name_en=submission.name_en).exists()
    assert mail.outbox == []


def test_a_submission_or_listing_deleted_meanwhile_is_not_found_for_staff_either(client, staff):
    """Another moderator deleted it in the admin while this one had the queue open: every
    moderation page answers 404 and nothing is sent or published."""
    submission = SubmissionFactory()
    listing = ListingFactory(last_verified=None)
    urls = moderation_urls(submission, listing)[1:]
    submission.delete()
    listing.delete()
    listings_before = Listing.objects.count()
    client.force_login(staff)
    for method, url in urls:
        data = {"reason": "spam", "name_en": "Back from the dead"} if method == "post" else None
        assert getattr(client, method)(url, data).status_code == 404, url
    assert Listing.objects.count() == listings_before
    assert mail.outbox == []


def test_listings_unverified_for_a_year_are_flagged_for_review(client, staff):
    Listing.objects.all().delete()
    today = timezone.localdate()
    ListingFactory(name_en="Fresh", last_verified=today - timedelta(days=364))
    stale = ListingFactory(name_en="Stale", last_verified=today - timedelta(days=366))
    ListingFactory(name_en="Never checked", last_verified=None)
    ListingFactory(name_en="Hidden stale", last_verified=None, is_public=False)
    client.force_login(staff)
    html = client.get(reverse("directory:moderation")).content.decode()
    assert "Stale" in html
    assert "Never checked" in html
    assert "Fresh" not in html
    assert "Hidden stale" not in html
    public = client.get(stale.get_absolute_url()).content.decode()
    assert "Not checked in the past year" in public

    assert client.post(reverse("directory:listing_verify", args=[stale.uuid])).status_code == 302
    stale.refresh_from_db()
    assert stale.last_verified == today
    html = client.get(reverse("directory:moderation")).content.decode()
    assert "Stale" not in html


def test_the_admin_approves_and_rejects_with_the_reason_written(
    client, django_capture_on_commit_callbacks
):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    to_approve = SubmissionFactory(name_en="Admin approved")
    to_reject = SubmissionFactory(name_en="Admin rejected", rejection_reason="Duplicate listing.")
    no_reason = SubmissionFactory(name_en="No reason yet")
    changelist = reverse("admin:directory_submission_changelist")
    assert client.get(changelist).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(changelist, {"action": "approve", "_selected_action": [to_approve.pk]})
        response = client.post(
            changelist,
            {"action": "reject", "_selected_action": [to_reject.pk, no_reason.pk]},
            follow=True,
        )
    assert "has no reason for rejection" in response.content.decode()
    assert Listing.objects.get(name_en="Admin approved").is_public
    to_reject.refresh_from_db()
    no_reason.refresh_from_db()
    assert to_reject.state == SubmissionState.REJECTED
    assert no_reason.state == SubmissionState.PENDING
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [to_approve.submitter_email, to_reject.submitter_email]
    )
