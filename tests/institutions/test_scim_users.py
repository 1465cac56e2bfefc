"""An institution's directory provisions its people over SCIM 2.0: create, read, list and
filter, replace, patch, delete, as Entra ID and Okta send them."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from medmentor.accounts.models import User
from medmentor.institutions.models import InstitutionMember, ScimEvent
from tests.factories import PASSWORD, UserFactory
from tests.institutions.conftest import SCIM_JSON, entra_user, make_directory, okta_user

pytestmark = pytest.mark.django_db

ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def error_of(response, status: int, scim_type: str | None = None) -> str:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == SCIM_JSON
    body = response.json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    if scim_type is not None:
        assert body["scimType"] == scim_type
    return body["detail"]


def test_discovery_documents(directory):
    config = directory.get("/ServiceProviderConfig")
    assert config.status_code == 200
    assert config["Content-Type"] == SCIM_JSON
    body = config.json()
    assert body["patch"]["supported"] is True
    assert body["bulk"]["supported"] is False
    assert body["filter"] == {"supported": True, "maxResults": 200}
    assert body["authenticationSchemes"][0]["type"] == "oauthbearertoken"

    types = directory.get("/ResourceTypes").json()
    assert [t["name"] for t in types["Resources"]] == ["User"]  # no Groups

    schemas = directory.get("/Schemas").json()
    user_schema = schemas["Resources"][0]
    assert user_schema["id"] == "urn:ietf:params:scim:schemas:core:2.0:User"
    names = {attribute["name"] for attribute in user_schema["attributes"]}
    assert {"userName", "name", "displayName", "emails", "active", "externalId"} <= names


def test_entra_creates_a_user_who_is_verified_and_has_no_password(directory):
    response = directory.post("/Users", entra_user("jean.tremblay@uottawa.ca"))

    assert response.status_code == 201
    assert response["Content-Type"] == SCIM_JSON
    body = response.json()
    assert body["userName"] == "jean.tremblay@uottawa.ca"
    assert body["externalId"] == "jtremblay"
    assert body["active"] is True
    assert body["displayName"] == "Jean Tremblay"
    assert body["emails"] == [
        {"value": "jean.tremblay@uottawa.ca", "type": "work", "primary": True}
    ]
    assert response["Location"] == body["meta"]["location"]
    assert response["Location"].endswith(f"/scim/v2/Users/{body['id']}")

    user = User.objects.get(email="jean.tremblay@uottawa.ca")
    assert user.name == "Jean Tremblay"
    assert not user.has_usable_password()
    address = EmailAddress.objects.get(user=user)
    assert address.verified
    assert address.primary
    member = InstitutionMember.objects.get(user=user)
    assert member.institution == directory.institution
    assert member.provisioned
    assert member.external_id == "jtremblay"
    assert str(member.uuid) == body["id"]
    # It reads back the same.
    assert directory.get(f"/Users/{body['id']}").json() == body


def test_okta_user_name_given_and_family_name_and_its_password_ignored(directory):
    body = okta_user("amira.haddad@med.uottawa.ca")
    del body["displayName"]
    response = directory.post("/Users", body)
    assert response.status_code == 201
    user = User.objects.get(email="amira.haddad@med.uottawa.ca")  # a subdomain counts
    assert user.name == "Amira Haddad"
    assert not user.has_usable_password()


def test_a_user_name_that_is_not_the_address_is_kept_and_filtered_on(directory):
    created = directory.post(
        "/Users", entra_user("jt123@uottawa.onmicrosoft.com", email="jean@uottawa.ca")
    )
    assert created.status_code == 201
    assert created.json()["userName"] == "jt123@uottawa.onmicrosoft.com"
    assert User.objects.filter(email="jean@uottawa.ca").exists()
    found = directory.get('/Users?filter=userName eq "JT123@uottawa.onmicrosoft.com"').json()
    assert [r["id"] for r in found["Resources"]] == [created.json()["id"]]


def test_missing_user_name_is_400_and_nothing_is_created(directory):
    body = entra_user("x@uottawa.ca")
    del body["userName"]
    detail = error_of(directory.post("/Users", body), 400, "invalidValue")
    assert "userName" in detail
    assert not User.objects.filter(email="x@uottawa.ca").exists()
    assert not InstitutionMember.objects.exists()


def test_no_address_at_all_is_400_naming_emails(directory):
    body = entra_user("jtremblay")  # a bare login name, no e-mail
    body["emails"] = []
    assert "emails" in error_of(directory.post("/Users", body), 400, "invalidValue")
    assert User.objects.count() == 0


def test_malformed_json_is_400_invalid_syntax(directory):
    response = directory.call("POST", "/Users", None)
    error_of(response, 400, "invalidSyntax")
    from django.test import Client

    raw = Client().generic(
        "POST",
        "/scim/v2/Users",
        "{not json",
        content_type=SCIM_JSON,
        headers={"Authorization": f"Bearer {directory.plaintext}"},
    )
    error_of(raw, 400, "invalidSyntax")


def test_an_address_outside_the_institutions_domains_is_refused(directory, other_directory):
    detail = error_of(
        directory.post("/Users", entra_user("someone@gmail.com")), 400, "invalidValue"
    )
    assert "emails" in detail
    assert "uottawa.ca" in detail
    # Another institution's domain is not this one's either.
    error_of(directory.post("/Users", entra_user("someone@mcgill.ca")), 400, "invalidValue")
    # Nor a look-alike.
    error_of(directory.post("/Users", entra_user("someone@notuottawa.ca")), 400, "invalidValue")
    assert User.objects.count() == 0


def test_duplicate_user_name_is_409(directory):
    assert directory.post("/Users", entra_user("jean@uottawa.ca")).status_code == 201
    again = directory.post("/Users", entra_user("jean@uottawa.ca", externalId="other"))
    error_of(again, 409, "uniqueness")
    assert InstitutionMember.objects.count() == 1


def test_duplicate_external_id_is_409(directory):
    assert directory.post("/Users", entra_user("jean@uottawa.ca")).status_code == 201
    again = directory.post("/Users", entra_user("paul@uottawa.ca"))  # same externalId
    error_of(again, 409, "uniqueness")
    assert not User.objects.filter(email="paul@uottawa.ca").exists()


def test_an_existing_account_is_attached_not_duplicated(directory):
    """A person who signed up before the directory was connected keeps their account,
    password and name; the address becomes verified."""
    person = UserFactory(email="jean@uottawa.ca", name="Dr. Jean Tremblay", verified=False)
    EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)
    response = directory.post("/Users", entra_user("jean@uottawa.ca"))
    assert response.status_code == 201
    person.refresh_from_db()
    assert person.name == "Dr. Jean Tremblay"
    assert person.check_password(PASSWORD)
    assert EmailAddress.objects.get(user=person).verified
    assert InstitutionMember.objects.get(user=person).provisioned


def test_an_active_member_of_another_institution_is_not_taken(directory, other_directory):
    person = UserFactory(email="jean@uottawa.ca")
    InstitutionMember.objects.create(institution=other_directory.institution, user=person)
    error_of(directory.post("/Users", entra_user("jean@uottawa.ca")), 409, "uniqueness")
    assert not directory.institution.members.exists()


def test_list_filter_and_pagination(directory):
    for index in range(5):
        created = directory.post(
            "/Users", entra_user(f"p{index}@uottawa.ca", externalId=f"ext{index}")
        )
        assert created.status_code == 201

    everyone = directory.get("/Users").json()
    assert everyone["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]
    assert everyone["totalResults"] == 5
    assert [r["userName"] for r in everyone["Resources"]] == [
        f"p{index}@uottawa.ca" for index in range(5)
    ]

    page = directory.get("/Users?startIndex=2&count=2").json()
    assert page["totalResults"] == 5
    assert page["startIndex"] == 2
    assert page["itemsPerPage"] == 2
    assert [r["userName"] for r in page["Resources"]] == ["p1@uottawa.ca", "p2@uottawa.ca"]
    last = directory.get("/Users?startIndex=5&count=10").json()
    assert [r["userName"] for r in last["Resources"]] == ["p4@uottawa.ca"]
    only_total = directory.get("/Users?count=0").json()
    assert only_total["totalResults"] == 5
    assert only_total["Resources"] == []

    by_name = directory.get('/Users?filter=userName eq "P3@uottawa.ca"').json()
    assert [r["userName"] for r in by_name["Resources"]] == ["p3@uottawa.ca"]
    by_external = directory.get('/Users?filter=externalId eq "ext1"').json()
    assert [r["externalId"] for r in by_external["Resources"]] == ["ext1"]
    nobody = directory.get('/Users?filter=userName eq "nobody@uottawa.ca"').json()
    assert nobody["totalResults"] == 0
    assert nobody["Resources"] == []

    error_of(directory.get("/Users?filter=userName eq"), 400, "invalidFilter")
    error_of(directory.get('/Users?filter=title eq "x"'), 400, "invalidFilter")
    assert "count" in error_of(directory.get("/Users?count=many"), 400, "invalidValue")


def test_put_replaces_name_address_and_external_id(directory):
    created = directory.post("/Users", okta_user("amira@uottawa.ca")).json()
    replacement = okta_user(
        "amira.haddad@uottawa.ca",
        name={"givenName": "Amira", "familyName": "Haddad-Roy"},
        displayName="Amira Haddad-Roy",
        externalId="00u9",
        id=created["id"],
    )
    response = directory.put(f"/Users/{created['id']}", replacement)
    assert response.status_code == 200
    body = response.json()
    assert body["userName"] == "amira.haddad@uottawa.ca"
    assert body["displayName"] == "Amira Haddad-Roy"
    assert body["externalId"] == "00u9"
    user = User.objects.get(email="amira.haddad@uottawa.ca")
    assert user.name == "Amira Haddad-Roy"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified")) == [
        ("amira.haddad@uottawa.ca", True)
    ]
    assert not User.objects.filter(email="amira@uottawa.ca").exists()


def test_put_to_an_address_outside_the_domains_changes_nothing(directory):
    created = directory.post("/Users", okta_user("amira@uottawa.ca")).json()
    response = directory.put(
        f"/Users/{created['id']}", okta_user("amira@gmail.com", displayName="Changed")
    )
    error_of(response, 400, "invalidValue")
    user = User.objects.get(email="amira@uottawa.ca")
    assert user.name == "Amira Haddad"


def test_put_without_user_name_is_400(directory):
    created = directory.post("/Users", okta_user("amira@uottawa.ca")).json()
    body = okta_user("amira@uottawa.ca")
    del body["userName"]
    error_of(directory.put(f"/Users/{created['id']}", body), 400, "invalidValue")


def test_entra_patch_operations(directory):
    """Entra's PATCH: capitalised ops, paths, and "False" as a string."""
    created = directory.post("/Users", entra_user("jean@uottawa.ca")).json()
    response = directory.patch(
        f"/Users/{created['id']}",
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "Replace", "path": "displayName", "value": "Jean-Luc Tremblay"},
                {"op": "Add", "path": 'emails[type eq "work"].value', "value": "jl@uottawa.ca"},
                {"op": "Replace", "path": "externalId", "value": "jltremblay"},
                {
                    "op": "Replace",
                    "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
                    "value": "Surgery",
                },
            ],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["displayName"] == "Jean-Luc Tremblay"
    assert body["emails"][0]["value"] == "jl@uottawa.ca"
    assert body["externalId"] == "jltremblay"
    user = User.objects.get(email="jl@uottawa.ca")
    assert user.name == "Jean-Luc Tremblay"

    # One part of the name.
    directory.patch(
        f"/Users/{created['id']}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "replace", "path": "name.familyName", "value": "Roy"}],
        },
    )
    user.refresh_from_db()
    assert user.name == "Jean-Luc Roy"


def test_okta_patch_without_path_and_remove_external_id(directory):
    created = directory.post("/Users", okta_user("amira@uottawa.ca")).json()
    response = directory.patch(
        f"/Users/{created['id']}",
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "replace", "value": {"name": {"givenName": "Amy", "familyName": "Haddad"}}},
                {"op": "remove", "path": "externalId"},
            ],
        },
    )
    assert response.status_code == 200
    assert "externalId" not in response.json()
    assert User.objects.get(email="amira@uottawa.ca").name == "Amy Haddad"


def test_patch_errors_change_nothing(directory):
    created = directory.post("/Users", okta_user("amira@uottawa.ca")).json()
    path = f"/Users/{created['id']}"
    error_of(directory.patch(path, {"schemas": [PATCH]}), 400, "invalidSyntax")
    error_of(
        directory.patch(path, {"Operations": [{"op": "move", "path": "active"}]}),
        400,
        "invalidSyntax",
    )
    error_of(
        directory.patch(path, {"Operations": [{"op": "remove", "path": "userName"}]}),
        400,
        "mutability",
    )
    error_of(
        directory.patch(
            path, {"Operations": [{"op": "replace", "path": "active", "value": "maybe"}]}
        ),
        400,
        "invalidValue",
    )
    outside = {"Operations": [{"op": "replace", "path": "emails", "value": [{"value": "a@b.org"}]}]}
    assert "emails" in error_of(directory.patch(path, outside), 400, "invalidValue")
    user = User.objects.get(email="amira@uottawa.ca")
    assert user.is_active
    assert user.name == "Amira Haddad"


def test_unknown_user_is_404_in_scim_shape(directory):
    error_of(directory.get("/Users/00000000-0000-0000-0000-000000000000"), 404)
    error_of(directory.get("/Users/not-a-uuid"), 404)
    error_of(directory.delete("/Users/00000000-0000-0000-0000-000000000000"), 404)


def test_delete_erases_the_account_as_its_owner_would(
    directory, django_capture_on_commit_callbacks
):
    from medmentor.mentorships.models import Mentorship
    from tests.mentorships.factories import start_mentorship

    created = directory.post("/Users", entra_user("jean@uottawa.ca")).json()
    person = User.objects.get(email="jean@uottawa.ca")
    partner = UserFactory()
    start_mentorship(mentor=partner, mentee=person, program=None)

    with django_capture_on_commit_callbacks(execute=True):
        response = directory.delete(f"/Users/{created['id']}")

    assert response.status_code == 204
    assert response.content == b""
    assert not User.objects.filter(email="jean@uottawa.ca").exists()
    assert not InstitutionMember.objects.exists()
    # The partner keeps the mentorship, with "Former member" in the person's place.
    mentorship = Mentorship.objects.get(mentor=partner)
    assert mentorship.mentee.is_former_member
    assert str(mentorship.mentee) == "Former member"
    assert mail.outbox[-1].to == ["jean@uottawa.ca"]  # the same goodbye e-mail
    error_of(directory.get(f"/Users/{created['id']}"), 404)


def test_each_request_is_logged_without_the_token(directory):
    created = directory.post("/Users", entra_user("jean@uottawa.ca")).json()
    directory.get(f"/Users/{created['id']}")
    directory.post("/Users", entra_user("jean@uottawa.ca"))  # 409
    directory.patch(
        f"/Users/{created['id']}",
        {"Operations": [{"op": "replace", "path": "active", "value": False}]},
    )
    directory.delete(f"/Users/{created['id']}")

    rows = list(
        ScimEvent.objects.order_by("pk").values_list(
            "institution__slug", "token_hint", "operation", "resource_id", "status", "detail"
        )
    )
    hint = directory.token.hint
    assert hint.startswith("mm_scim_")
    assert len(hint) < len(directory.plaintext)
    assert rows == [
        ("uottawa", hint, "create", created["id"], 201, ""),
        ("uottawa", hint, "get", created["id"], 200, ""),
        ("uottawa", hint, "create", "", 409, "uniqueness"),
        ("uottawa", hint, "update", created["id"], 200, ""),
        ("uottawa", hint, "delete", created["id"], 204, ""),
    ]
    secret = directory.plaintext.split("_", 2)[2]
    for event in ScimEvent.objects.all():
        assert secret not in " ".join(str(value) for value in event.__dict__.values())


def test_a_token_sees_and_changes_only_its_own_institution(directory, other_directory):
    ours = directory.post("/Users", entra_user("jean@uottawa.ca")).json()
    theirs = other_directory.post("/Users", entra_user("anne@mcgill.ca")).json()

    assert [r["id"] for r in directory.get("/Users").json()["Resources"]] == [ours["id"]]
    assert directory.get('/Users?filter=userName eq "anne@mcgill.ca"').json()["totalResults"] == 0
    path = f"/Users/{theirs['id']}"
    error_of(directory.get(path), 404)
    error_of(directory.put(path, entra_user("anne@mcgill.ca", displayName="Hacked")), 404)
    error_of(
        directory.patch(
            path, {"Operations": [{"op": "replace", "path": "active", "value": False}]}
        ),
        404,
    )
    error_of(directory.delete(path), 404)

    anne = User.objects.get(email="anne@mcgill.ca")
    assert anne.is_active
    assert anne.name == "Jean Tremblay"
    assert other_directory.get(path).status_code == 200


def test_a_third_institution_token_cannot_reach_either(directory, other_directory):
    third = make_directory("ubc", "ubc.ca")
    directory.post("/Users", entra_user("jean@uottawa.ca"))
    assert third.get("/Users").json()["totalResults"] == 0


def test_a_member_who_signed_in_through_sso_is_taken_over(directory):
    """Someone who came in through the institution's sign-in before its directory was
    connected: the directory's POST provisions that member rather than failing."""
    person = UserFactory(email="sso@uottawa.ca")
    member = InstitutionMember.objects.create(institution=directory.institution, user=person)
    response = directory.post("/Users", entra_user("sso@uottawa.ca"))
    assert response.status_code == 201
    assert response.json()["id"] == str(member.uuid)
    member.refresh_from_db()
    assert member.provisioned
    assert member.external_id == "jtremblay"
    assert InstitutionMember.objects.count() == 1
