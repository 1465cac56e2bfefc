"""Reporting lines and conflicts a coordinator enters on their page: who may, what is
refused, and that such a line keeps the pair out of rounds, requests and hand pairs."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from medmentor.accounts.models import AccessLogEntry
from medmentor.matchrounds.models import Proposal
from medmentor.profiles.models import ReportingLine
from medmentor.profiles.selectors import excluded_user_ids
from medmentor.profiles.services import reporting_line_add
from medmentor.programs.models import Role
from medmentor.programs.services.lines import coordinator_line_add, coordinator_line_remove
from medmentor.requests.services import request_send
from tests.factories import UserFactory
from tests.matchrounds.rounds_factories import pairs, round_program, run_round
from tests.programs.factories import MembershipFactory
from tests.programs.personas import ALLOWED, COORDINATOR_MATRIX, FORBIDDEN, LOGIN, NOT_FOUND
from tests.requests.requests_support import MESSAGE, goal_code

pytestmark = pytest.mark.django_db

STATUS = {ALLOWED: 200, FORBIDDEN: 403, NOT_FOUND: 404}


def lines_url(program):
    return reverse("programs:lines", args=[program.uuid])


def remove_url(program, line):
    return reverse("programs:line_remove", args=[program.uuid, line.uuid])


def named(world):
    """Give the world's two participants names a page would show."""
    world.mentee.name = "Amira Haddad"
    world.mentee.save()
    world.mentor.name = "Jean Tremblay"
    world.mentor.save()
    return world


def line_entries(action=AccessLogEntry.Action.CHANGE):
    return AccessLogEntry.objects.filter(
        what=AccessLogEntry.What.REPORTING_LINE, action=action
    ).order_by("id")


# --- The page ----------------------------------------------------------------------------


def test_a_coordinator_adds_lists_and_removes_a_line_between_two_members(world):
    named(world)
    client = world.client_for("coordinator")
    page = client.get(lines_url(world.program))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Amira Haddad" in html
    assert "Jean Tremblay" in html
    assert world.mentee.email not in html
    assert world.mentor.email not in html
    assert 'aria-current="page"' in html.split("Reporting lines</a>")[0].rsplit("<li>", 1)[1]

    response = client.post(
        lines_url(world.program),
        {"person": world.mentee.uuid, "kind": "supervisor", "other": world.mentor.uuid},
    )
    assert response.status_code == 302
    line = ReportingLine.objects.get()
    assert (line.person, line.other, line.kind) == (world.mentee, world.mentor, "supervisor")
    assert line.source == ReportingLine.Source.COORDINATOR
    assert (line.program, line.added_by) == (world.program, world.coordinator)

    html = client.get(lines_url(world.program)).content.decode()
    row = html.split("<tbody>")[-1].split("</tr>")[0]
    for words in ("Amira Haddad", "Supervisor", "Jean Tremblay", "Dr. Claire Coordinator"):
        assert words in row
    assert world.mentee.email not in html
    assert world.mentor.email not in html

    added = line_entries()  # one entry for each of the two people
    assert {entry.subject_id for entry in added} == {world.mentee.pk, world.mentor.pk}
    for entry in added:
        assert entry.actor == world.coordinator
        assert entry.program_uuid == world.program.uuid
        assert "supervisor added" in entry.detail

    assert client.post(remove_url(world.program, line)).status_code == 302
    assert not ReportingLine.objects.exists()
    removed = line_entries().filter(detail__contains="removed")
    assert set(removed.values_list("subject_id", flat=True)) == {world.mentee.pk, world.mentor.pk}
    assert "None yet." in client.get(lines_url(world.program)).content.decode()


def test_viewing_the_list_is_logged_with_both_people(world):
    coordinator_line_add(
        program=world.program,
        by=world.coordinator,
        person=world.mentee,
        kind="assessor",
        other=world.mentor,
    )
    world.client_for("coordinator").get(lines_url(world.program))
    viewed = line_entries(AccessLogEntry.Action.VIEW)
    assert set(viewed.values_list("subject_id", flat=True)) == {world.mentee.pk, world.mentor.pk}


def test_an_address_for_someone_not_yet_here_is_kept_and_shown_as_typed(world, client):
    coordinator = world.client_for("coordinator")
    response = coordinator.post(
        lines_url(world.program),
        {"person": world.mentee.uuid, "kind": "program_director", "email": "Dr.Lee@Example.org"},
    )
    assert response.status_code == 302
    line = ReportingLine.objects.get()
    assert (line.other, line.other_email, line.kind) == (
        None,
        "dr.lee@example.org",
        "program_director",
    )
    html = coordinator.get(lines_url(world.program)).content.decode()
    assert "dr.lee@example.org" in html
    # Counted as soon as an account with the address exists.
    lee = UserFactory(email="dr.lee@example.org")
    assert lee.pk in excluded_user_ids(world.mentee)
    assert world.mentee.pk in excluded_user_ids(lee)


def test_the_address_of_a_member_links_to_them_and_still_shows_as_typed(world):
    coordinator_line_add(
        program=world.program,
        by=world.coordinator,
        person=world.mentee,
        kind="conflict",
        email=world.mentor.email.upper(),
    )
    line = ReportingLine.objects.get()
    assert line.other == world.mentor
    assert line.other_email == world.mentor.email.lower()
    # A member is listed by name, never by the address typed.
    html = world.client_for("coordinator").get(lines_url(world.program)).content.decode()
    assert world.mentor.name in html.split("<tbody>")[-1]
    assert world.mentor.email not in html


def test_the_address_of_someone_outside_the_program_is_never_turned_into_a_name(world):
    outsider = UserFactory(name="Dr. Outside Person", email="outside@example.org")
    coordinator_line_add(
        program=world.program,
        by=world.coordinator,
        person=world.mentee,
        kind="conflict",
        email="outside@example.org",
    )
    assert ReportingLine.objects.get().other == outsider  # counted at once
    html = world.client_for("coordinator").get(lines_url(world.program)).content.decode()
    assert "outside@example.org" in html
    assert "Dr. Outside Person" not in html


# --- Bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "field", "words"),
    [
        ("oneself", "other", "two different people"),
        ("oneself_by_email", "email", "two different people"),
        ("duplicate", "other", "already on the list"),
        ("duplicate_reversed", "other", "already on the list"),
        ("other_program_member", "other", "valid choice"),
        ("other_program_person", "person", "valid choice"),
        ("nobody", "other", "Choose the other person"),
        ("both", "email", "not both"),
        ("bad_kind", "kind", "valid choice"),
        ("bad_email", "email", "valid email"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(world, case, field, words):
    stranger = MembershipFactory(program=world.other_program, role=Role.MENTOR).user
    data = {"person": world.mentee.uuid, "kind": "supervisor", "other": world.mentor.uuid}
    if case in ("duplicate", "duplicate_reversed"):
        coordinator_line_add(
            program=world.program,
            by=world.coordinator,
            person=world.mentee,
            kind="supervisor",
            other=world.mentor,
        )
        if case == "duplicate_reversed":
            data = {"person": world.mentor.uuid, "kind": "supervisor", "other": world.mentee.uuid}
    elif case == "oneself":
        data["other"] = world.mentee.uuid
    elif case == "oneself_by_email":
        data = {"person": world.mentee.uuid, "kind": "conflict", "email": world.mentee.email}
    elif case == "other_program_member":
        data["other"] = stranger.uuid
    elif case == "other_program_person":
        data["person"] = stranger.uuid
    elif case == "nobody":
        del data["other"]
    elif case == "both":
        data["email"] = "someone@example.org"
    elif case == "bad_kind":
        data["kind"] = "friend"
    elif case == "bad_email":
        data = {"person": world.mentee.uuid, "kind": "conflict", "email": "not-an-address"}
    before, logged = ReportingLine.objects.count(), line_entries().count()
    response = world.client_for("coordinator").post(lines_url(world.program), data)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors, errors
    assert words in " ".join(errors[field])
    assert ReportingLine.objects.count() == before
    assert line_entries().count() == logged


def test_the_service_refuses_a_member_of_another_program_on_either_side(world):
    stranger = MembershipFactory(program=world.other_program, role=Role.MENTEE).user
    for person, other, field in (
        (world.mentee, stranger, "other"),
        (stranger, world.mentor, "person"),
    ):
        with pytest.raises(ValidationError) as refused:
            coordinator_line_add(
                program=world.program,
                by=world.coordinator,
                person=person,
                kind="conflict",
                other=other,
            )
        assert field in refused.value.message_dict
    assert not ReportingLine.objects.exists()


def test_another_kind_between_the_same_two_is_a_new_line(world):
    for kind in ("supervisor", "assessor"):
        coordinator_line_add(
            program=world.program,
            by=world.coordinator,
            person=world.mentee,
            kind=kind,
            other=world.mentor,
        )
    assert ReportingLine.objects.count() == 2


# --- Who may ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", COORDINATOR_MATRIX)
def test_the_page_follows_the_coordinator_matrix(world, persona):
    expected = COORDINATOR_MATRIX[persona]
    client = world.client_for(persona)
    page = client.get(lines_url(world.program))
    posted = client.post(
        lines_url(world.program),
        {"person": world.mentee.uuid, "kind": "supervisor", "other": world.mentor.uuid},
    )
    if expected == LOGIN:
        assert page.status_code == 302
        assert "login" in page["Location"]
        assert posted.status_code == 302
        assert "login" in posted["Location"]
    elif expected == ALLOWED:
        assert page.status_code == 200
        assert posted.status_code == 302
    else:
        assert page.status_code == STATUS[expected]
        assert posted.status_code == STATUS[expected]
    assert ReportingLine.objects.count() == (1 if expected == ALLOWED else 0)


@pytest.mark.parametrize("persona", COORDINATOR_MATRIX)
def test_removing_follows_the_coordinator_matrix(world, persona):
    line = coordinator_line_add(
        program=world.program,
        by=world.coordinator,
        person=world.mentee,
        kind="conflict",
        other=world.mentor,
    )
    response = world.client_for(persona).post(remove_url(world.program, line))
    expected = COORDINATOR_MATRIX[persona]
    if expected == LOGIN:
        assert "login" in response["Location"]
    elif expected == ALLOWED:
        assert response.status_code == 302
    else:
        assert response.status_code == STATUS[expected]
    assert ReportingLine.objects.filter(pk=line.pk).exists() == (expected != ALLOWED)


def test_a_line_is_removed_only_through_its_own_program(world):
    line = coordinator_line_add(
        program=world.program,
        by=world.coordinator,
        person=world.mentee,
        kind="conflict",
        other=world.mentor,
    )
    own = reporting_line_add(person=world.mentee, email="chief@example.org", kind="supervisor")
    other = world.client_for("other_coordinator")
    # Through their own program, another coordinator finds neither line.
    assert other.post(remove_url(world.other_program, line)).status_code == 404
    coordinator = world.client_for("coordinator")
    # A member's own declaration is not the coordinator's to remove.
    assert coordinator.post(remove_url(world.program, own)).status_code == 404
    assert ReportingLine.objects.count() == 2
    with pytest.raises(ValidationError):
        coordinator_line_remove(program=world.other_program, by=world.other_coordinator, line=line)
    assert ReportingLine.objects.count() == 2


def test_members_cannot_remove_a_coordinators_line_from_their_own_list(world):
    line = coordinator_line_add(
        program=world.program,
        by=world.coordinator,
        person=world.mentee,
        kind="supervisor",
        other=world.mentor,
    )
    mentee = world.client_for("mentee")
    mentee.post(reverse("profiles:reporting_line_delete", args=[line.uuid]))
    assert mentee.delete(f"/api/profiles/me/reporting-lines/{line.uuid}").status_code == 422
    # The other side's own list has no way to it either.
    world.client_for("mentor").post(reverse("profiles:reporting_line_delete", args=[line.uuid]))
    assert ReportingLine.objects.filter(pk=line.pk).exists()


# --- The pair is kept apart ---------------------------------------------------------------


def test_a_line_entered_on_the_page_keeps_the_pair_out_of_a_round_and_a_hand_pair(client):
    rounds = round_program()
    mentee = rounds.add_mentee(name="Mentee Kept")
    supervisor = rounds.add_mentor(name="Mentor Supervisor")
    client.force_login(rounds.coordinator)
    response = client.post(
        lines_url(rounds.program),
        {"person": mentee.uuid, "kind": "supervisor", "other": supervisor.uuid},
    )
    assert response.status_code == 302
    match_round = run_round(rounds.program, rounds.coordinator)
    assert (mentee.pk, supervisor.pk) not in pairs(match_round)
    assert pairs(match_round) == set()
    response = client.post(
        reverse("matchrounds:round_pair", args=[rounds.program.uuid, match_round.uuid]),
        {"mentee": mentee.pk, "mentor": supervisor.pk, "confirm": "True"},
    )
    assert response.status_code == 422
    assert "reporting line" in response.content.decode()
    assert not Proposal.objects.exists()


def test_without_the_line_the_same_two_are_paired(client):
    rounds = round_program()
    mentee = rounds.add_mentee(name="Mentee Free")
    mentor = rounds.add_mentor(name="Mentor Free")
    match_round = run_round(rounds.program, rounds.coordinator)
    assert pairs(match_round) == {(mentee.pk, mentor.pk)}


def test_a_coordinators_conflict_stops_a_direct_request_either_way_round(rworld):
    # Entered with the mentor as the line's first person: it counts in both directions.
    coordinator_line_add(
        program=rworld.program,
        by=rworld.coordinator,
        person=rworld.mentor,
        kind="conflict",
        other=rworld.mentee,
    )
    with pytest.raises(ValidationError) as refused:
        request_send(
            program=rworld.program,
            mentee=rworld.mentee,
            mentors=[rworld.mentor],
            message=MESSAGE,
            goals=[goal_code()],
        )
    assert "reporting line" in " ".join(refused.value.message_dict["mentor"])
    # Another mentor of the program may still be asked.
    request_send(
        program=rworld.program,
        mentee=rworld.mentee,
        mentors=[rworld.second],
        message=MESSAGE,
        goals=[goal_code()],
    )
