"""A coordinator takes the program's lists away as CSV: the columns a spreadsheet user
expects, names never addresses, no private text, every cell safe, every download logged;
nobody else gets them."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from medmentor.accounts.models import AccessLogEntry
from medmentor.mentorships.access import get_mentorship_for
from medmentor.mentorships.services.meetings import meeting_log
from medmentor.requests.services import request_decline
from tests.factories import UserFactory, logged_in_client
from tests.mentorships.factories import past_meeting, start_mentorship
from tests.profiles.factories import make_mentee
from tests.programs.factories import IntakeQuestionFactory, MembershipFactory
from tests.requests.requests_support import send

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","x")'
SECRET = "Please keep this between us: I am struggling."


def download(client, program, key: str) -> list[list[str]]:
    response = client.get(reverse("exports:csv", args=[program.uuid, key]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.getvalue().decode())))


def test_members_list_has_status_roles_completeness_and_intake_answers(rworld):
    program = rworld.program
    question = IntakeQuestionFactory(program=program, kind="text", choices=[], required=False)
    chosen = IntakeQuestionFactory(program=program, text_en="Meet how?")
    newcomer = UserFactory(name=FORMULA)
    MembershipFactory(
        program=program,
        user=newcomer,
        role="mentee",
        status="pending",
        answers={str(question.uuid): ["+1 613 555 0100"], str(chosen.uuid): ["virtual"]},
    )
    complete = UserFactory(name="Dr. Complete")
    make_mentee(user=complete)
    MembershipFactory(program=program, user=complete, role="mentee")
    rows = download(logged_in_client(rworld.coordinator), program, "members")
    header, body = rows[0], rows[1:]
    assert header[:8] == [
        "Name",
        "Role",
        "Status",
        "Asked to join",
        "Active since",
        "Career stage",
        "Profile complete",
        "Profile completeness (%)",
    ]
    assert header[8:] == [
        "How would you like to meet? (Mentee)",
        "Meet how? (Mentee)",
    ]
    by_name = {(row[0], row[1]): row for row in body}
    # A name that reads as a formula comes out as text; so does an answer.
    pending = by_name[("'" + FORMULA, "Mentee")]
    assert pending[2] == "Pending approval"
    assert pending[6:8] == ["no", "0"]
    assert pending[8:] == ["'+1 613 555 0100", "Virtually"]
    assert by_name[("Dr. Complete", "Mentee")][6:8] == ["yes", "100"]
    assert by_name[("Amira Haddad", "Mentee")][6:8] == ["no", "31"]  # 4 of 13 items
    assert by_name[("Claire Coordinator", "Coordinator")][2] == "Active"
    text = "\n".join(",".join(row) for row in rows)
    for person in (newcomer, rworld.mentee, rworld.mentor):
        assert person.email not in text
    entry = AccessLogEntry.objects.filter(what="member_list", action="export").first()
    assert entry is not None
    assert entry.actor == rworld.coordinator


def test_requests_list_names_who_asked_whom_without_the_words(rworld):
    cascade = send(rworld.program, rworld.mentee, rworld.mentor, rworld.second)
    first = cascade.requests.get()
    request_decline(request=first, by=rworld.mentor, reason=SECRET)
    rows = download(logged_in_client(rworld.coordinator), rworld.program, "requests")
    assert rows[0] == [
        "Mentee",
        "Mentor",
        "Place in the mentee's list",
        "Status",
        "Sent",
        "Answer due",
        "Answered",
    ]
    assert [row[:4] for row in rows[1:]] == [
        ["Amira Haddad", "Jean Tremblay", "1", "Declined"],
        ["Amira Haddad", "Marie Gagnon", "2", "Waiting for an answer"],
    ]
    text = "\n".join(",".join(row) for row in rows)
    assert SECRET not in text
    assert first.message not in text
    assert AccessLogEntry.objects.filter(what="requests", action="export").count() == 3


def test_mentorships_list_counts_meetings_and_hours_never_text(rworld):
    mentorship = start_mentorship(
        mentor=rworld.mentor, mentee=rworld.mentee, program=rworld.program
    )
    access = get_mentorship_for(rworld.mentor, mentorship.uuid)
    for minutes in (45, 30):
        meeting_log(
            access=access,
            meeting=past_meeting(access),
            discussed=SECRET,
            next_steps="",
            minutes_spent=minutes,
        )
    # A milestone plan multiplies joins: the hours must not be counted twice.
    rows = download(logged_in_client(rworld.coordinator), rworld.program, "mentorships")
    assert rows[0][:10] == [
        "Mentee",
        "Mentor",
        "Status",
        "Formed by",
        "Start date",
        "Planned end date",
        "Ended",
        "Why it ended",
        "Meetings held",
        "Hours logged",
    ]
    [row] = rows[1:]
    assert row[:4] == ["Amira Haddad", "Jean Tremblay", "Active", "Match round"]
    assert row[8:10] == ["2", "1.25"]
    assert SECRET not in "\n".join(",".join(r) for r in rows)


def test_the_page_lists_the_three_exports(rworld):
    page = logged_in_client(rworld.coordinator).get(
        reverse("exports:list", args=[rworld.program.uuid])
    )
    html = page.content.decode()
    for key in ("members", "requests", "mentorships"):
        assert reverse("exports:csv", args=[rworld.program.uuid, key]) in html


@pytest.mark.parametrize("who", ["mentee", "mentor", "other_coordinator", "outsider"])
def test_nobody_else_takes_the_lists(rworld, who):
    client = logged_in_client(getattr(rworld, who))
    for key in ("members", "requests", "mentorships"):
        response = client.get(reverse("exports:csv", args=[rworld.program.uuid, key]))
        assert response.status_code in (403, 404)
    assert not AccessLogEntry.objects.filter(action="export").exists()


def test_an_unknown_list_is_not_found_and_anonymous_must_log_in(rworld):
    coordinator = logged_in_client(rworld.coordinator)
    assert (
        coordinator.get(f"/programs/{rworld.program.uuid}/manage/exports/secrets.csv").status_code
        == 404
    )
    anonymous = logged_in_client(None).get(reverse("exports:list", args=[rworld.program.uuid]))
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
