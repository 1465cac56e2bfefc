"""Claiming a listing: an address at the program's domain proves control (a link sent
there, opened by the same person, logged in); the owner's changes are moderated."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from medmentor.accounts.export import personal_data_of
from medmentor.directory.models import Listing, ListingClaim, Submission, SubmissionState
from medmentor.directory.selectors import address_proves_control
from medmentor.programs.models import Program
from tests.directory.factories import ListingFactory
from tests.factories import UserFactory
from tests.programs.test_settings import VALID as PROGRAM_SETTINGS

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing():
    return ListingFactory(
        name_en="Surgical Mentorship",
        website_url="https://www.surgeons.example.ca/mentorship/",
        contact_email="",
    )


@pytest.mark.parametrize(
    ("email", "proves"),
    [
        ("lead@surgeons.example.ca", True),
        ("lead@mail.surgeons.example.ca", True),  # a subdomain of the program's domain
        ("LEAD@Surgeons.Example.CA", True),
        ("lead@example.ca", True),  # the organisation the program's host is under
        ("lead@gmail.com", False),
        ("lead@othersurgeons.example.ca", False),
        ("lead@surgeons.example.ca.evil.org", False),
        ("lead@ca", False),
    ],
)
def test_which_addresses_prove_control(listing, email, proves):
    assert address_proves_control(listing=listing, email=email) is proves


def test_a_shared_host_proves_nothing():
    listing = ListingFactory(website_url="https://sites.google.com/view/peer-mentoring")
    assert not address_proves_control(listing=listing, email="me@google.com")
    on_ca = ListingFactory(website_url="https://mentoring.on.ca/")
    assert not address_proves_control(listing=on_ca, email="me@on.ca")


def test_the_published_contact_address_proves_control():
    listing = ListingFactory(website_url="", contact_email="Program@Hospital.example.org")
    assert address_proves_control(listing=listing, email="program@hospital.example.org")


def test_claim_with_a_domain_address_then_propose_changes_through_moderation(
    client, listing, django_capture_on_commit_callbacks
):
    organiser = UserFactory()
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("directory:claim", args=[listing.uuid]), {"email": "lead@surgeons.example.ca"}
        )
    assert response.status_code == 200
    assert "We sent a link to lead@surgeons.example.ca" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["lead@surgeons.example.ca"]
    url = re.search(r"http://\S+/directory/claim/\S+/", message.body).group(0)
    url = url.removeprefix("http://127.0.0.1:8000")

    edit = reverse("directory:owner_edit", args=[listing.uuid])
    assert client.get(edit).status_code == 404  # not before the link is opened
    assert client.get(url).status_code == 200  # GET shows a button, confirms nothing
    assert ListingClaim.objects.get().confirmed_at is None
    assert client.post(url).status_code == 302
    assert ListingClaim.objects.get().confirmed_at is not None

    page = client.get(edit)
    assert page.status_code == 200
    assert "Run the program on MedMentor" in page.content.decode()
    changes = {
        "name_en": "Surgical Mentorship Program",
        "organisation_en": listing.organisation_en,
        "website_url": listing.website_url,
        "audiences": ["residents", "physicians"],
        "region": "ON",
        "status": "active",
    }
    assert client.post(edit, changes).status_code == 302
    submission = Submission.objects.get()
    assert (submission.state, submission.listing, submission.submitter_email) == (
        SubmissionState.PENDING,
        listing,
        "lead@surgeons.example.ca",
    )
    listing.refresh_from_db()
    assert listing.name_en == "Surgical Mentorship"  # unchanged until a moderator approves


def test_an_address_outside_the_domain_is_refused_by_field_and_sends_nothing(
    client, listing, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("directory:claim", args=[listing.uuid]), {"email": "me@gmail.com"}
        )
    assert response.status_code == 400
    assert "surgeons.example.ca" in response.content.decode()
    assert ListingClaim.objects.count() == 0
    assert mail.outbox == []


def test_the_link_works_only_for_the_person_who_claimed(
    client, listing, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory:claim", args=[listing.uuid]), {"email": "lead@surgeons.example.ca"}
        )
    url = re.search(r"/directory/claim/\S+/", mail.outbox[0].body).group(0)
    intruder = UserFactory()
    client.force_login(intruder)
    assert client.post(url).status_code == 400
    assert ListingClaim.objects.get().confirmed_at is None
    assert client.get(reverse("directory:owner_edit", args=[listing.uuid])).status_code == 404


def test_claiming_needs_an_account(client, listing):
    response = client.get(reverse("directory:claim", args=[listing.uuid]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_owner_runs_the_program_on_medmentor_and_the_listing_gets_join_here(client, listing):
    owner = UserFactory()
    owner.user_permissions.add(Permission.objects.get(codename="add_program"))
    ListingClaim.objects.create(
        listing=listing, user=owner, email="lead@surgeons.example.ca", confirmed_at=timezone.now()
    )
    client.force_login(owner)
    create = f"{reverse('programs:create')}?listing={listing.uuid}"
    assert (
        create in client.get(reverse("directory:owner_edit", args=[listing.uuid])).content.decode()
    )

    form = client.get(create).context["form"]
    assert form.initial["name_en"] == "Surgical Mentorship"
    assert form.initial["is_listed"] is True
    response = client.post(
        create,
        {
            **PROGRAM_SETTINGS,
            "name_en": "Surgical Mentorship",
            "name_fr": "",
            "description_en": "Surgeons mentor residents one to one.",
            "audience": "residents",
            "region": "ON",
            "mentee_stages": ["resident"],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    program = Program.objects.get(name_en="Surgical Mentorship")
    listing.refresh_from_db()
    # The same listing (its address unchanged), now the program's, with "Join here".
    assert (listing.source, listing.is_public) == ("medmentor", True)
    assert listing.join_url.endswith(reverse("programs:detail", args=[program.uuid]))
    assert listing.organisation_en == "Ontario Medical Association"
    assert Listing.objects.filter(name_en="Surgical Mentorship").count() == 1
    assert "Join here" in client.get(listing.get_absolute_url()).content.decode()


def test_only_the_confirmed_owner_may_start_a_program_from_a_listing(client, listing):
    someone = UserFactory()
    someone.user_permissions.add(Permission.objects.get(codename="add_program"))
    ListingClaim.objects.create(listing=listing, user=someone, email="lead@surgeons.example.ca")
    client.force_login(someone)
    assert client.get(f"{reverse('programs:create')}?listing={listing.uuid}").status_code == 404
    assert client.get(f"{reverse('programs:create')}?listing=not-a-uuid").status_code == 404


def test_a_claim_is_in_the_persons_export_of_their_own_data(listing):
    person = UserFactory()
    ListingClaim.objects.create(listing=listing, user=person, email="lead@surgeons.example.ca")
    claims = personal_data_of(person)["sections"]["directory"]["listings_claimed"]
    assert claims == [
        {
            "listing": "Surgical Mentorship",
            "address": "lead@surgeons.example.ca",
            "claimed_at": claims[0]["claimed_at"],
            "confirmed_at": None,
        }
    ]
    assert personal_data_of(UserFactory())["sections"]["directory"] == {"listings_claimed": []}


def test_claiming_again_with_another_address_needs_that_address_proven(
    client, listing, django_capture_on_commit_callbacks
):
    owner = UserFactory()
    ListingClaim.objects.create(
        listing=listing, user=owner, email="lead@surgeons.example.ca", confirmed_at=timezone.now()
    )
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("directory:claim", args=[listing.uuid]), {"email": "other@surgeons.example.ca"}
        )
    claim = ListingClaim.objects.get()
    assert (claim.email, claim.confirmed_at) == ("other@surgeons.example.ca", None)
    assert client.get(reverse("directory:owner_edit", args=[listing.uuid])).status_code == 404


def test_asking_for_claim_links_is_throttled_per_person(
    client, listing, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory())
    url = reverse("directory:claim", args=[listing.uuid])
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            assert client.post(url, {"email": "lead@surgeons.example.ca"}).status_code == 200
        throttled = client.post(url, {"email": "lead@surgeons.example.ca"})
    assert throttled.status_code == 429
    assert "too many confirmation links" in throttled.content.decode()
    assert len(mail.outbox) == 5
