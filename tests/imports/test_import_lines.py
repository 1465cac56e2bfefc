"""The import's ``reporting_lines`` column: coordinator lines of the program, pending for an
address not on the site, kept out of rounds, requests and hand pairs; bad entries named by
row and column, and then nothing is imported."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from medmentor.accounts.models import AccessLogEntry, User
from medmentor.imports.models import ParticipantImport
from medmentor.matchrounds.models import Proposal
from medmentor.profiles.models import Profile, ReportingLine
from medmentor.profiles.selectors import excluded_user_ids
from medmentor.programs.models import Membership, Role
from medmentor.requests.services import request_send
from tests.factories import PASSWORD, logged_in_client
from tests.imports.import_data import participant_rows, to_csv
from tests.imports.test_imports import counts, preview_and_confirm, upload
from tests.matchrounds.rounds_factories import pairs, run_round
from tests.programs.factories import MembershipFactory, ProgramFactory
from tests.requests.requests_support import MESSAGE, goal_code

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)")
MENTEE = "person1@import.example.org"  # participant_rows: person 1 is a mentee
MENTOR = "person5@import.example.org"  # person 5 a mentor, at a later career stage
NEWCOMER = "dr.new@hospital.example"


def two_people(lines: str = "") -> bytes:
    """A mentee and a mentor who would be paired; ``lines`` in the mentee's row."""
    rows = [row for row in participant_rows(6) if row["email"] in (MENTEE, MENTOR)]
    rows[0]["reporting_lines"] = lines
    return to_csv(rows)


def program_with_coordinator(**options):
    program = ProgramFactory(name_en="Ottawa Residents Mentorship", **options)
    coordinator = MembershipFactory(
        program=program, role=Role.COORDINATOR, user__name="Claire Coordinator"
    ).user
    return program, coordinator


def imported(program, coordinator, content: bytes) -> None:
    client = logged_in_client(coordinator)
    _, confirmed = preview_and_confirm(client, program, content)
    assert confirmed.status_code == 302, confirmed.content.decode()[:2000]
    assert confirmed["Location"] == reverse("programs:members", args=[program.uuid])


def people() -> tuple[User, User]:
    return User.objects.get(email=MENTEE), User.objects.get(email=MENTOR)


# --- Lines imported -------------------------------------------------------------------------


def test_imported_lines_are_coordinator_lines_of_the_program_and_logged(db):
    program, coordinator = program_with_coordinator()
    imported(
        program,
        coordinator,
        two_people(f"Supervisor:{MENTOR.upper()} ; conflict:{NEWCOMER};assessor:{MENTOR}"),
    )
    mentee, mentor = people()
    lines = {
        (line.kind, line.other_id, line.other_email): line
        for line in ReportingLine.objects.filter(person=mentee)
    }
    assert set(lines) == {
        ("supervisor", mentor.pk, MENTOR),
        ("evaluator", mentor.pk, MENTOR),
        ("conflict", None, NEWCOMER),  # pending until that address joins
    }
    for line in lines.values():
        assert line.source == ReportingLine.Source.COORDINATOR
        assert (line.program, line.added_by) == (program, coordinator)
    entries = AccessLogEntry.objects.filter(
        what=AccessLogEntry.What.REPORTING_LINE, action=AccessLogEntry.Action.IMPORT
    )
    assert {entry.subject_id for entry in entries} == {mentee.pk, mentor.pk}
    assert all(entry.actor == coordinator for entry in entries)
    assert all(entry.program_uuid == program.uuid for entry in entries)
    # The coordinator's page lists them: names, and the typed address of the pending one.
    html = logged_in_client(coordinator).get(reverse("programs:lines", args=[program.uuid]))
    page = html.content.decode()
    assert page.count(mentee.name) >= 3
    assert NEWCOMER in page
    assert mentor.name in page.split("<tbody>")[-1]
    assert MENTOR not in page  # a member is shown by name, never by address


def test_importing_the_same_file_again_adds_no_line(db):
    program, coordinator = program_with_coordinator()
    content = two_people(f"supervisor:{MENTOR}; conflict:{NEWCOMER}")
    imported(program, coordinator, content)
    imported(program, coordinator, content)
    assert ReportingLine.objects.count() == 2


def test_an_imported_line_keeps_the_pair_out_of_a_round_and_a_hand_pair(db):
    program, coordinator = program_with_coordinator(matching_mode="rounds")
    imported(program, coordinator, two_people(f"supervisor:{MENTOR}"))
    mentee, mentor = people()
    match_round = run_round(program, coordinator)
    assert pairs(match_round) == set()
    response = logged_in_client(coordinator).post(
        reverse("matchrounds:round_pair", args=[program.uuid, match_round.uuid]),
        {"mentee": mentee.pk, "mentor": mentor.pk, "confirm": "True"},
    )
    assert response.status_code == 422
    assert "reporting line" in response.content.decode()
    assert not Proposal.objects.exists()


def test_without_a_line_the_two_imported_people_are_paired(db):
    program, coordinator = program_with_coordinator(matching_mode="rounds")
    imported(program, coordinator, two_people())
    mentee, mentor = people()
    assert pairs(run_round(program, coordinator)) == {(mentee.pk, mentor.pk)}


def test_an_imported_line_stops_a_direct_request(db):
    program, coordinator = program_with_coordinator(matching_mode="requests")
    imported(program, coordinator, two_people(f"program_director:{MENTOR}"))
    mentee, mentor = people()
    Profile.objects.filter(user=mentor).update(accepting_mentees=True, is_complete=True)
    with pytest.raises(ValidationError) as refused:
        request_send(
            program=program, mentee=mentee, mentors=[mentor], message=MESSAGE, goals=[goal_code()]
        )
    assert "reporting line" in " ".join(refused.value.message_dict["mentor"])


def test_a_pending_line_applies_when_the_person_signs_up_with_the_address(client):
    program, coordinator = program_with_coordinator()
    imported(program, coordinator, two_people(f"supervisor:{NEWCOMER}"))
    mentee, _ = people()
    client.post(
        reverse("account_signup"),
        {"name": "Dr. New", "email": NEWCOMER, "password1": PASSWORD, "password2": PASSWORD},
    )
    newcomer = User.objects.get(email=NEWCOMER)
    client.post(LINK.search(mail.outbox[-1].body).group(1))
    assert newcomer.emailaddress_set.get().verified
    assert newcomer.pk in excluded_user_ids(mentee)
    assert mentee.pk in excluded_user_ids(newcomer)
    client.force_login(newcomer)
    html = client.get(reverse("profiles:reporting_lines")).content.decode()
    assert "Added by a coordinator of Ottawa Residents Mentorship: Supervisor" in html
    assert mentee.name not in html
    assert MENTEE not in html
    assert ReportingLine.objects.get().other == newcomer


def test_a_pending_address_imported_later_as_a_participant_is_linked(db):
    program, coordinator = program_with_coordinator()
    imported(program, coordinator, two_people(f"conflict:{NEWCOMER}"))
    row = participant_rows(1, start=2)[0] | {"email": NEWCOMER}
    imported(program, coordinator, to_csv([row]))
    assert ReportingLine.objects.get().other == User.objects.get(email=NEWCOMER)


# --- Bad entries -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ("friend:dr.lee@example.org", "“friend” is not a kind of line"),
        ("supervisor:not-an-address", "“not-an-address” is not a valid e-mail address"),
        ("dr.lee@example.org", "is not kind:e-mail"),
        (f"conflict:{MENTEE}", "two different people"),
    ],
)
def test_a_bad_entry_is_named_by_row_and_column_and_nothing_is_imported(db, cell, words):
    program, coordinator = program_with_coordinator()
    before = counts()
    response = upload(logged_in_client(coordinator), program, two_people(cell))
    assert response.status_code == 422
    html = response.content.decode()
    problem = html.split("<td>2</td>")[1].split("</tr>")[0]  # row 2: the mentee's
    assert "<code>reporting_lines</code>" in problem
    assert words in problem
    assert "nothing was imported" in html
    assert counts() == before
    assert not ParticipantImport.objects.exists()
    assert not ReportingLine.objects.exists()
    assert not Membership.objects.filter(role__in=[Role.MENTOR, Role.MENTEE]).exists()


def test_the_import_page_tells_the_column_and_its_kinds(db):
    program, coordinator = program_with_coordinator()
    page = logged_in_client(coordinator).get(reverse("imports:import", args=[program.uuid]))
    html = page.content.decode()
    assert "<code>reporting_lines</code>" in html
    assert "supervisor:dr.lee@example.org; conflict:x@example.org" in html
    for code in ("supervisor", "program_director", "assessor", "conflict"):
        assert f"<code>{code}</code>" in html
