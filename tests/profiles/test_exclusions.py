"""Reporting lines, conflicts and blocks: declared people never find each other in the
search, in either direction; a line to oneself is refused."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.urls import reverse

from medmentor.accounts.services import account_delete
from medmentor.matchrounds.models import UnmatchedEntry
from medmentor.profiles.models import Block, ReportingLine
from medmentor.profiles.search import SearchFilters, search_mentors
from medmentor.profiles.selectors import (
    excluded_pairs_among,
    excluded_user_ids,
    is_excluded_pair,
)
from medmentor.profiles.services import block_add, profile_get_or_create, reporting_line_add
from tests.factories import UserFactory
from tests.matchrounds.rounds_factories import pairs, round_program, run_round
from tests.profiles.factories import make_mentee, make_mentor

pytestmark = pytest.mark.django_db


def found(mentee_user, **filters) -> set[int]:
    page = search_mentors(mentee_user, SearchFilters(**filters))
    return {r.profile.user_id for r in page.results}


@pytest.fixture
def people():
    mentee = make_mentee()
    supervisor = make_mentor()
    bystander = make_mentor()
    return mentee.user, supervisor.user, bystander.user


def test_a_mentor_the_mentee_declared_never_appears(people):
    mentee, supervisor, bystander = people
    assert found(mentee) == {supervisor.pk, bystander.pk}
    reporting_line_add(person=mentee, other=supervisor, kind="supervisor")
    assert found(mentee) == {bystander.pk}
    assert is_excluded_pair(mentee, supervisor)
    assert is_excluded_pair(supervisor, mentee)


def test_a_mentor_who_declared_the_mentee_never_appears(people):
    mentee, supervisor, bystander = people
    reporting_line_add(person=supervisor, other=mentee, kind="reports_to_me")
    assert found(mentee) == {bystander.pk}


def test_a_line_declared_by_email_counts_when_the_person_is_on_the_site(people):
    mentee, supervisor, bystander = people
    reporting_line_add(person=supervisor, email=mentee.email.upper(), kind="evaluator")
    line = ReportingLine.objects.get()
    assert line.other == mentee  # linked to the existing account
    assert found(mentee) == {bystander.pk}


def test_declaring_by_email_never_reveals_whose_account_it_is(client, people):
    mentee, supervisor, _ = people
    client.force_login(mentee)
    client.post(
        reverse("profiles:reporting_lines"), {"email": supervisor.email, "kind": "supervisor"}
    )
    page = client.get(reverse("profiles:reporting_lines")).content.decode()
    assert supervisor.email in page
    assert supervisor.profile.name not in page
    api = client.get("/api/profiles/me/reporting-lines").json()
    assert api[0]["other"] == supervisor.email


def test_a_line_to_someone_not_yet_on_the_site_counts_once_they_sign_up(people):
    mentee, _, bystander = people
    reporting_line_add(person=mentee, email="new.chief@hospital.example", kind="department_head")
    line = ReportingLine.objects.get()
    assert line.other is None
    assert line.other_email == "new.chief@hospital.example"

    newcomer = UserFactory(email="new.chief@hospital.example")
    assert newcomer.pk in excluded_user_ids(mentee)
    assert mentee.pk in excluded_user_ids(newcomer)
    make_mentor(user=newcomer)
    line.refresh_from_db()
    assert line.other == newcomer  # linked when their profile was created
    assert newcomer.pk not in found(mentee)
    assert bystander.pk in found(mentee)


def test_a_secondary_verified_address_counts_too(people):
    mentee, supervisor, bystander = people
    EmailAddress.objects.create(user=supervisor, email="chief@clinic.example", verified=True)
    reporting_line_add(person=mentee, email="chief@clinic.example", kind="supervisor")
    assert found(mentee) == {bystander.pk}


def test_blocking_hides_both_ways(people):
    mentee, supervisor, bystander = people
    block_add(blocker=bystander, blocked=mentee)
    assert found(mentee) == {supervisor.pk}
    assert mentee.pk in excluded_user_ids(bystander)


def test_a_blocked_person_gets_404_on_the_blockers_page(client, people):
    mentee, _, bystander = people
    block_add(blocker=bystander, blocked=mentee)
    client.force_login(mentee)
    url = reverse("profiles:detail", args=[bystander.profile.uuid])
    assert client.get(url).status_code == 404
    api = client.get(f"/api/profiles/people/{bystander.profile.uuid}")
    assert api.status_code == 404


def test_reporting_line_to_oneself_is_refused_and_nothing_saved(client, people):
    mentee, _, _ = people
    with pytest.raises(ValidationError):
        reporting_line_add(person=mentee, other=mentee, kind="supervisor")
    with pytest.raises(ValidationError):
        reporting_line_add(person=mentee, email=mentee.email, kind="supervisor")
    client.force_login(mentee)
    response = client.post(
        reverse("profiles:reporting_lines"), {"email": mentee.email, "kind": "supervisor"}
    )
    assert response.status_code == 422
    assert "email" in response.context["form"].errors
    api = client.post(
        "/api/profiles/me/reporting-lines",
        {"email": mentee.email, "kind": "supervisor"},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert api.json()["errors"][0]["field"] == "email"
    assert not ReportingLine.objects.exists()


def test_declare_and_withdraw_through_the_pages(client, people):
    mentee, supervisor, bystander = people
    client.force_login(mentee)
    response = client.post(
        reverse("profiles:declare_line", args=[supervisor.profile.uuid]), {"kind": "supervisor"}
    )
    assert response.status_code == 302
    page = client.get(reverse("profiles:mentor_search")).content.decode()
    assert str(supervisor.profile.uuid) not in page
    assert str(bystander.profile.uuid) in page
    line = ReportingLine.objects.get()
    listing = client.get(reverse("profiles:reporting_lines")).content.decode()
    assert supervisor.profile.name in listing
    client.post(reverse("profiles:reporting_line_delete", args=[line.uuid]))
    assert not ReportingLine.objects.exists()


def test_the_other_person_cannot_withdraw_a_line(client, people):
    mentee, supervisor, _ = people
    line = reporting_line_add(person=mentee, other=supervisor, kind="supervisor")
    client.force_login(supervisor)
    response = client.post(reverse("profiles:reporting_line_delete", args=[line.uuid]))
    assert response.status_code == 404
    assert ReportingLine.objects.filter(pk=line.pk).exists()


def test_a_coordinators_line_cannot_be_withdrawn_by_the_person(client, people):
    mentee, supervisor, bystander = people
    line = reporting_line_add(
        person=mentee, other=supervisor, kind="evaluator", source="coordinator", added_by=bystander
    )
    client.force_login(mentee)
    client.post(reverse("profiles:reporting_line_delete", args=[line.uuid]))
    assert ReportingLine.objects.filter(pk=line.pk).exists()


def test_block_and_unblock_through_the_pages(client, people):
    mentee, supervisor, _ = people
    client.force_login(mentee)
    client.post(reverse("profiles:block", args=[supervisor.profile.uuid]))
    block = Block.objects.get()
    assert supervisor.pk not in found(mentee)
    assert supervisor.profile.name in client.get(reverse("profiles:blocks")).content.decode()
    client.post(reverse("profiles:unblock", args=[block.uuid]))
    assert supervisor.pk in found(mentee)


def test_blocking_oneself_is_refused(people):
    mentee, _, _ = people
    with pytest.raises(ValidationError):
        block_add(blocker=mentee, blocked=mentee)


def test_excluded_pairs_among_a_group_for_match_rounds(people):
    mentee, supervisor, bystander = people
    outsider = UserFactory()
    profile_get_or_create(user=outsider)
    reporting_line_add(person=mentee, other=supervisor, kind="supervisor")
    reporting_line_add(person=bystander, email=outsider.email, kind="conflict")
    block_add(blocker=supervisor, blocked=bystander)
    group = {mentee.pk, supervisor.pk, bystander.pk}
    assert excluded_pairs_among(group) == {
        frozenset((mentee.pk, supervisor.pk)),
        frozenset((supervisor.pk, bystander.pk)),
    }
    assert frozenset((bystander.pk, outsider.pk)) in excluded_pairs_among(group | {outsider.pk})


def test_a_line_to_a_secondary_address_keeps_the_two_apart_in_a_match_round():
    """The resident names their supervisor by the hospital address, which the supervisor
    verified as a second address of their account: a match round never pairs them."""
    world = round_program()
    resident = world.add_mentee(name="Rae Resident")
    supervisor = world.add_mentor(name="Dr. Sam Supervisor")
    EmailAddress.objects.create(user=supervisor, email="chief@hospital.example", verified=True)
    reporting_line_add(person=resident, email="Chief@Hospital.example", kind="supervisor")
    assert ReportingLine.objects.get().other is None  # not the login address: kept as typed
    assert excluded_pairs_among({resident.pk, supervisor.pk}) == {
        frozenset((resident.pk, supervisor.pk))
    }
    match_round = run_round(world.program, world.coordinator)
    assert pairs(match_round) == set()
    assert UnmatchedEntry.objects.filter(round=match_round, user=resident).exists()
    # The address of someone outside the group keeps no one apart.
    assert excluded_pairs_among({resident.pk, world.add_mentor().pk}) == set()


def test_a_coordinators_line_still_says_who_added_it_after_they_left(client, people):
    """The coordinator who declared the line deleted their account: the person's list
    still says a program coordinator added it, and they still cannot withdraw it."""
    mentee, supervisor, _ = people
    coordinator = UserFactory(name="Dr. Claire Coordinator")
    line = reporting_line_add(
        person=mentee,
        other=supervisor,
        kind="evaluator",
        source="coordinator",
        added_by=coordinator,
    )
    account_delete(user=coordinator)
    line.refresh_from_db()
    assert line.added_by is None
    client.force_login(mentee)
    page = client.get(reverse("profiles:reporting_lines")).content.decode()
    assert "Added by a program coordinator" in page
    assert "Dr. Claire Coordinator" not in page
    assert reverse("profiles:reporting_line_delete", args=[line.uuid]) not in page


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"email": "a" * 250 + "@example.org"}, "email", "Enter a valid e-mail address."),
        ({"email": "chief@clinic.example", "note": "x" * 201}, "note", "Keep this under 200"),
    ],
)
def test_the_line_service_bounds_the_address_and_the_note_itself(people, values, field, words):
    """The form and the API bound both; the service refuses overlong ones on its own."""
    mentee, _, _ = people
    with pytest.raises(ValidationError) as refused:
        reporting_line_add(person=mentee, kind="supervisor", **values)
    assert words in refused.value.message_dict[field][0]
    assert not ReportingLine.objects.exists()
