"""The JSON API: public read-only listings and search, and anonymous submissions that take
the same confirmation, throttling and moderation path as the site's form."""

from __future__ import annotations

import uuid

import pytest
from django.core import mail
from django.test import Client

from medmentor.directory import services
from medmentor.directory.models import Listing, Submission, SubmissionState
from tests.directory.factories import ListingFactory

pytestmark = pytest.mark.django_db

LISTINGS = "/api/directory/listings"
SUBMISSIONS = "/api/directory/submissions"


@pytest.fixture
def payload(program_form):
    return {key: value for key, value in program_form.items() if key != "website"}


def test_anonymous_callers_list_and_search_public_listings(client):
    Listing.objects.all().delete()
    ListingFactory(
        name_en="Quebec residents", region="QC", audiences=["residents"], languages=["fr"]
    )
    ListingFactory(name_en="BC physicians", region="BC", audiences=["physicians"], formats=["peer"])
    ListingFactory(name_en="Hidden", is_public=False)
    everything = client.get(LISTINGS)
    assert everything.status_code == 200
    assert everything.json()["count"] == 2
    assert {item["name"] for item in everything.json()["items"]} == {
        "Quebec residents",
        "BC physicians",
    }
    for query, expected in [
        ({"audience": "physicians"}, ["BC physicians"]),
        ({"region": "QC"}, ["Quebec residents"]),
        ({"language": "fr"}, ["Quebec residents"]),
        ({"format": "peer"}, ["BC physicians"]),
        ({"q": "quebec"}, ["Quebec residents"]),
        ({"specialty": "general-surgery"}, []),
    ]:
        items = client.get(LISTINGS, query).json()["items"]
        assert [item["name"] for item in items] == expected, query
    unknown = client.get(LISTINGS, {"specialty": "surgery"})  # the directory's old group code
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "specialty"
    page = client.get(LISTINGS, {"limit": 1, "offset": 1}).json()
    assert (page["count"], len(page["items"])) == (2, 1)


def test_listing_detail_and_404(client):
    listing = ListingFactory(name_en="Detail", name_fr="Détail", region="ON")
    response = client.get(f"{LISTINGS}/{listing.uuid}")
    assert response.status_code == 200
    data = response.json()
    assert (data["name_en"], data["name_fr"], data["region"], data["source"]) == (
        "Detail",
        "Détail",
        "ON",
        "submitted",
    )
    assert data["url"] == "http://testserver" + listing.get_absolute_url()
    french = client.get(f"{LISTINGS}/{listing.uuid}", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert french["name"] == "Détail"
    hidden = ListingFactory(is_public=False)
    assert client.get(f"{LISTINGS}/{hidden.uuid}").status_code == 404
    assert client.get(f"{LISTINGS}/{uuid.uuid4()}").json()["detail"] == "Not found."


def test_an_unknown_filter_value_is_a_422_naming_the_field(client):
    response = client.get(LISTINGS, {"region": "Atlantis"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "region"


def test_an_anonymous_submission_needs_no_csrf_and_waits_for_confirmation(
    django_capture_on_commit_callbacks, payload, staff
):
    api = Client(enforce_csrf_checks=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(SUBMISSIONS, payload, content_type="application/json")
    assert response.status_code == 202, response.content
    assert "Check your e-mail" in response.json()["detail"]
    submission = Submission.objects.get()
    assert submission.state == SubmissionState.UNCONFIRMED
    assert not Listing.objects.filter(name_en=payload["name_en"]).exists()
    [message] = mail.outbox
    assert message.to == ["visitor@example.org"]
    services.submission_confirm(token=services.confirmation_token(submission))
    listing = services.submission_approve(submission=submission, moderator=staff)
    assert api.get(f"{LISTINGS}/{listing.uuid}").json()["languages"] == ["en", "fr"]


def test_a_correction_through_the_api(client, django_capture_on_commit_callbacks, payload):
    listing = ListingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SUBMISSIONS, {**payload, "listing": str(listing.uuid)}, content_type="application/json"
        )
    assert response.status_code == 202
    assert Submission.objects.get().listing == listing
    hidden = ListingFactory(is_public=False)
    response = client.post(
        SUBMISSIONS, {**payload, "listing": str(hidden.uuid)}, content_type="application/json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name_en": ""}, "name_en"),
        ({"website_url": "", "contact_email": ""}, "website_url"),
        ({"join_url": "ftp:/broken"}, "join_url"),
        ({"name_en": "<script>alert(1)</script>"}, "name_en"),
        ({"audiences": ["aliens"]}, "audiences"),
        ({"submitter_email": "not-an-address"}, "submitter_email"),
    ],
)
def test_bad_submissions_get_field_errors_and_store_nothing(
    client, django_capture_on_commit_callbacks, payload, change, field
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBMISSIONS, {**payload, **change}, content_type="application/json")
    assert response.status_code == 422
    assert field in {error["field"] for error in response.json()["errors"]}
    assert Submission.objects.count() == 0
    assert mail.outbox == []


def test_a_body_that_is_not_json_is_a_clear_error(client):
    response = client.post(SUBMISSIONS, "{not json", content_type="application/json")
    assert 400 <= response.status_code < 500
    assert Submission.objects.count() == 0


def test_a_flood_through_the_api_is_throttled(client, django_capture_on_commit_callbacks, payload):
    for _ in range(services.SUBMISSIONS_PER_ADDRESS.limit):
        with django_capture_on_commit_callbacks(execute=True):
            assert (
                client.post(SUBMISSIONS, payload, content_type="application/json").status_code
                == 202
            )
    response = client.post(SUBMISSIONS, payload, content_type="application/json")
    assert response.status_code == 429
    assert "Too many submissions" in response.json()["detail"]
    assert Submission.objects.count() == services.SUBMISSIONS_PER_ADDRESS.limit


def test_the_routes_are_in_the_openapi_schema_without_auth(client):
    schema = client.get("/api/openapi.json").json()
    for path, method in [
        (LISTINGS, "get"),
        (f"{LISTINGS}/{{listing_uuid}}", "get"),
        (SUBMISSIONS, "post"),
    ]:
        operation = schema["paths"][path][method]
        assert "security" not in operation or operation["security"] == [], path


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"offset": "99999999999999999999"}, "offset"),
        ({"offset": "-1"}, "offset"),
        ({"limit": "0"}, "limit"),
        ({"limit": "100000"}, "limit"),
    ],
)
def test_paging_out_of_bounds_is_a_422_naming_it(client, query, field):
    response = client.get(LISTINGS, query)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_paging_within_bounds_pages(client):
    page = client.get(LISTINGS, {"limit": 2, "offset": 1}).json()
    assert len(page["items"]) == 2
    assert page["count"] >= 3
