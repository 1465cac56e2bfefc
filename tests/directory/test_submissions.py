"""Submitting a program or a correction: confirmation by e-mail, spam and flood protection,
clear errors for bad input, and nothing public before a moderator approves."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from medmentor.directory import services
from medmentor.directory.models import Listing, Submission, SubmissionState
from tests.directory.factories import ListingFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

SUBMIT = reverse("directory:submit")


def confirm_link(message) -> str:
    path = re.search(r"http://127\.0\.0\.1:8000(/directory/confirm/[^/\s]+/)", message.body)
    assert path, message.body
    return path.group(1)


def submit(client, capture, data, url=SUBMIT, **extra):
    with capture(execute=True):
        return client.post(url, data, **extra)


def test_submission_confirmation_moderation_published(
    client, django_capture_on_commit_callbacks, program_form, staff
):
    listed_before = Listing.objects.count()
    response = submit(client, django_capture_on_commit_callbacks, program_form)
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:submitted")
    submission = Submission.objects.get()
    assert submission.state == SubmissionState.UNCONFIRMED
    assert submission.submitter_email == "visitor@example.org"
    assert submission.audiences == ["physicians"]
    assert submission.languages == ["en", "fr"]
    assert Listing.objects.count() == listed_before

    # The e-mail: subject, text and HTML, with the signed link.
    [message] = mail.outbox
    assert message.to == ["visitor@example.org"]
    assert message.subject == "[MedMentor] Confirm your submission to the program directory"
    assert "Rural Physicians Peer Mentoring" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    link = confirm_link(message)
    assert f'href="http://127.0.0.1:8000{link}"' in html

    # Following the link shows a button; only the POST confirms (mail scanners GET links).
    page = client.get(link)
    assert page.status_code == 200
    assert "Rural Physicians Peer Mentoring" in page.content.decode()
    submission.refresh_from_db()
    assert submission.state == SubmissionState.UNCONFIRMED
    assert client.post(link).status_code == 302
    submission.refresh_from_db()
    assert submission.state == SubmissionState.PENDING
    assert submission.confirmed_at is not None
    assert client.post(link).status_code == 302  # a second click changes nothing
    assert Listing.objects.filter(name_en="Rural Physicians Peer Mentoring").count() == 0
    search = client.get(reverse("directory:index"), {"q": "rural"})
    assert "Rural Physicians" not in search.content.decode()

    # The moderator approves: the listing is public, verified today, the submitter told.
    client.force_login(staff)
    queue = client.get(reverse("directory:moderation")).content.decode()
    assert "Rural Physicians Peer Mentoring" in queue
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directory:moderation_approve", args=[submission.uuid]))
    listing = Listing.objects.get(name_en="Rural Physicians Peer Mentoring")
    assert response["Location"] == listing.get_absolute_url()
    assert listing.is_public
    assert listing.last_verified == timezone.localdate()
    assert listing.region == "MB"
    assert listing.formats == ["peer"]
    assert listing.source == "submitted"
    submission.refresh_from_db()
    assert (submission.state, submission.decided_by, submission.listing) == (
        SubmissionState.APPROVED,
        staff,
        listing,
    )
    approved = mail.outbox[-1]
    assert approved.to == ["visitor@example.org"]
    assert "published" in approved.subject
    assert listing.get_absolute_url() in approved.body

    client.logout()
    search = client.get(reverse("directory:index"), {"q": "rural", "audience": "physicians"})
    assert "Rural Physicians Peer Mentoring" in search.content.decode()


def test_a_correction_changes_the_listing_only_once_approved(
    client, django_capture_on_commit_callbacks, staff
):
    listing = ListingFactory(name_en="Old Name", contact_email="", join_url="https://example.org/a")
    url = reverse("directory:correct", args=[listing.uuid])
    form = client.get(url)
    assert form.status_code == 200
    assert 'value="Old Name"' in form.content.decode()  # starts from what the listing says
    data = {
        **form.context["form"].initial,
        "name_en": "New Name",
        "submitter_email": "fix@example.org",
    }
    data = {key: value for key, value in data.items() if value not in (None, "")}
    assert submit(client, django_capture_on_commit_callbacks, data, url=url).status_code == 302
    correction = Submission.objects.get()
    assert (correction.kind, correction.listing) == ("correction", listing)
    services.submission_confirm(token=services.confirmation_token(correction))
    listing.refresh_from_db()
    assert listing.name_en == "Old Name"
    services.submission_approve(submission=correction, moderator=staff)
    listing.refresh_from_db()
    assert listing.name_en == "New Name"
    assert Listing.objects.filter(name_en__in=["Old Name", "New Name"]).count() == 1


def test_confirmation_is_in_the_submitters_language(
    client, django_capture_on_commit_callbacks, program_form
):
    client.cookies.load({"django_language": "fr"})
    submit(client, django_capture_on_commit_callbacks, program_form)
    assert Submission.objects.get().submitter_language == "fr"
    [message] = mail.outbox
    assert message.subject == "[MedMentor] Confirmez votre proposition au répertoire des programmes"
    assert "Mentorat entre pairs des médecins ruraux" in message.body
    assert "Confirmer la proposition" in message.alternatives[0][0]


@pytest.mark.parametrize(
    "token",
    ["not-a-token", "InRydWUi:1vMVnh:abc"],
)
def test_a_forged_confirmation_link_is_refused(client, token):
    response = client.get(reverse("directory:confirm", args=[token]))
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert client.post(reverse("directory:confirm", args=[token])).status_code == 400


def test_an_expired_confirmation_link_is_refused(
    client, django_capture_on_commit_callbacks, program_form
):
    submit(client, django_capture_on_commit_callbacks, program_form)
    link = confirm_link(mail.outbox[0])
    with time_machine.travel(
        timezone.now() + services.CONFIRM_WITHIN + timezone.timedelta(minutes=1)
    ):
        assert client.post(link).status_code == 400
    assert Submission.objects.get().state == SubmissionState.UNCONFIRMED


def test_the_honeypot_keeps_nothing_and_sends_nothing(
    client, django_capture_on_commit_callbacks, program_form
):
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        {**program_form, "website": "http://spam.example"},
    )
    assert response.status_code == 302  # the bot is told it worked
    assert Submission.objects.count() == 0
    assert mail.outbox == []


def test_the_honeypot_is_hidden_from_people(client):
    html = client.get(SUBMIT).content.decode()
    hidden = re.search(r'<div class="visually-hidden" aria-hidden="true">(.*?)</div>', html, re.S)
    assert hidden
    assert 'name="website"' in hidden.group(1)
    assert 'tabindex="-1"' in hidden.group(1)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name_en": ""}, "name_en", "This field is required."),
        ({"organisation_en": ""}, "organisation_en", "This field is required."),
        (
            {"website_url": "", "contact_email": ""},
            "website_url",
            "Give the official address of the program or a contact e-mail, "
            "so that people can reach it.",
        ),
        ({"join_url": "not a link"}, "join_url", "Enter a valid URL."),
        ({"join_url": "javascript:alert(1)"}, "join_url", "Enter a valid URL."),
        ({"contact_email": "nobody@"}, "contact_email", "Enter a valid email address."),
        ({"submitter_email": ""}, "submitter_email", "This field is required."),
        (
            {"name_en": "<script>alert(1)</script>"},
            "name_en",
            "Write plain text here, without < or >.",
        ),
        (
            {"organisation_fr": "<b>Org</b>"},
            "organisation_fr",
            "Write plain text here, without < or >.",
        ),
        ({"region": "Atlantis"}, "region", "Select a valid choice."),
        ({"audiences": ["aliens"]}, "audiences", "Select a valid choice."),
    ],
)
def test_bad_input_gets_a_field_error_and_stores_nothing(
    client, django_capture_on_commit_callbacks, program_form, change, field, message
):
    response = submit(client, django_capture_on_commit_callbacks, {**program_form, **change})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(error.startswith(message) for error in errors[field]), errors
    assert (
        message.split(".")[0].replace("<", "&lt;").replace(">", "&gt;") in response.content.decode()
    )
    assert 'aria-invalid="true"' in response.content.decode()
    assert Submission.objects.count() == 0
    assert mail.outbox == []


def test_script_in_a_description_is_kept_as_text(
    client, django_capture_on_commit_callbacks, program_form, staff
):
    script = "<script>alert('x')</script>"
    submit(client, django_capture_on_commit_callbacks, {**program_form, "description_en": script})
    submission = Submission.objects.get()
    assert submission.description_en == script
    services.submission_confirm(token=services.confirmation_token(submission))
    listing = services.submission_approve(submission=submission, moderator=staff)
    html = client.get(listing.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert script not in html


def test_a_flood_from_one_address_is_throttled(
    client, django_capture_on_commit_callbacks, program_form
):
    limit = services.SUBMISSIONS_PER_ADDRESS.limit
    for number in range(limit):
        # Another IP each time: the address alone is limited.
        response = submit(
            client,
            django_capture_on_commit_callbacks,
            {**program_form, "name_en": f"Program {number}"},
            REMOTE_ADDR=f"10.0.0.{number + 1}",
        )
        assert response.status_code == 302
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        {**program_form, "submitter_email": "VISITOR@example.org", "name_en": "One too many"},
        REMOTE_ADDR="10.0.1.1",
    )
    assert response.status_code == 429
    assert "Too many submissions from you for now" in response.content.decode()
    assert Submission.objects.count() == limit
    assert not Submission.objects.filter(name_en="One too many").exists()
    assert len(mail.outbox) == limit
    # Someone else is not held back.
    other = submit(
        client,
        django_capture_on_commit_callbacks,
        {**program_form, "submitter_email": "someone@example.org"},
        REMOTE_ADDR="10.0.1.2",
    )
    assert other.status_code == 302


def test_a_flood_from_one_ip_is_throttled(client, django_capture_on_commit_callbacks, program_form):
    limit = services.SUBMISSIONS_PER_IP.limit
    for number in range(limit):
        response = submit(
            client,
            django_capture_on_commit_callbacks,
            {**program_form, "submitter_email": f"bot{number}@example.org"},
        )
        assert response.status_code == 302
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        {**program_form, "submitter_email": "fresh@example.org"},
    )
    assert response.status_code == 429
    assert Submission.objects.count() == limit


def test_the_limit_is_lifted_after_an_hour(
    client, django_capture_on_commit_callbacks, program_form
):
    for _ in range(services.SUBMISSIONS_PER_ADDRESS.limit):
        submit(client, django_capture_on_commit_callbacks, program_form)
    assert submit(client, django_capture_on_commit_callbacks, program_form).status_code == 429
    with time_machine.travel(timezone.now() + timezone.timedelta(hours=1, minutes=1)):
        assert submit(client, django_capture_on_commit_callbacks, program_form).status_code == 302


def test_no_email_when_the_submission_is_rolled_back(
    django_capture_on_commit_callbacks, program_form
):
    content = {**program_form, "name_en": "x" * 300}  # too long: full_clean refuses it
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        services.submission_create(
            content={**content, "submitter_email": "a@example.org"},
            language="en",
            ip_address="1.2.3.4",
        )
    assert Submission.objects.count() == 0
    assert mail.outbox == []


def test_a_correction_of_a_hidden_listing_is_not_possible(client):
    hidden = ListingFactory(is_public=False)
    assert client.get(reverse("directory:correct", args=[hidden.uuid])).status_code == 404


def test_unconfirmed_submissions_are_purged_once_their_link_expired():
    stale = SubmissionFactory(state=SubmissionState.UNCONFIRMED, confirmed_at=None)
    Submission.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - services.CONFIRM_WITHIN - timezone.timedelta(minutes=1)
    )
    fresh = SubmissionFactory(state=SubmissionState.UNCONFIRMED, confirmed_at=None)
    pending = SubmissionFactory()
    Submission.objects.filter(pk=pending.pk).update(created_at=timezone.now() - timedelta(days=30))
    out = io.StringIO()
    call_command("directory_purge", stdout=out)
    assert "Deleted 1 unconfirmed submission(s)." in out.getvalue()
    assert set(Submission.objects.values_list("pk", flat=True)) == {fresh.pk, pending.pk}


def test_the_form_and_its_errors_in_french(
    client, django_capture_on_commit_callbacks, program_form
):
    client.cookies.load({"django_language": "fr"})
    html = client.get(SUBMIT).content.decode()
    for text in ("Proposer un programme", "Nom (anglais)", "Médecins en exercice", "Obligatoires"):
        assert text in html
    response = submit(
        client, django_capture_on_commit_callbacks, {**program_form, "name_en": "<i>x</i>"}
    )
    assert "Écrivez du texte simple ici, sans &lt; ni &gt;." in response.content.decode()
    for _ in range(services.SUBMISSIONS_PER_ADDRESS.limit):
        submit(client, django_capture_on_commit_callbacks, program_form)
    throttled = submit(client, django_capture_on_commit_callbacks, program_form)
    assert throttled.status_code == 429
    assert "Trop de propositions de votre part" in throttled.content.decode()
