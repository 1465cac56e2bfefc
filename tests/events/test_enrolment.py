"""Who takes part: coordinators pick the program's active mentors and mentees or upload a
CSV file (every problem by row and column, then nobody enrolled); participants sign up
while sign-up is open; a mentee chooses up to five of the event's mentors."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from medmentor.events.models import EventChoice, EventParticipant, EventRole
from medmentor.events.selectors import get_event_for
from medmentor.events.services.csv_enrolment import EnrolmentProblems, event_enrol_csv
from medmentor.events.services.enrolment import (
    event_choices_set,
    event_enrol,
    event_sign_up,
    event_withdraw,
)
from medmentor.programs.models import Role, Status
from tests.events.support import event_world, move_to_past
from tests.factories import UserFactory
from tests.programs.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _csv(*rows: str, header: str = "email,role") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


@pytest.fixture
def ew():
    return event_world(mentees=3, mentors=2, enrol=False)


def test_a_coordinator_enrols_the_program_s_active_participants(ew):
    added = event_enrol(event=ew.event, by=ew.coordinator, users=ew.mentors, role=EventRole.MENTOR)
    assert added == 2
    # Enrolling again in the same role changes nothing.
    assert event_enrol(event=ew.event, by=ew.coordinator, users=ew.mentors, role="mentor") == 0
    assert EventParticipant.objects.filter(event=ew.event, role="mentor").count() == 2


def test_someone_not_an_active_participant_in_that_role_is_refused_and_nobody_is_added(ew):
    outsider = UserFactory(name="Dr. Outside")
    with pytest.raises(ValidationError) as refused:
        event_enrol(
            event=ew.event,
            by=ew.coordinator,
            users=[ew.mentees[0], ew.mentors[0], outsider],
            role=EventRole.MENTEE,
        )
    messages = refused.value.message_dict["people"]
    assert len(messages) == 2
    assert any("Dr. Outside" in m for m in messages)
    assert not EventParticipant.objects.exists()


def test_a_csv_file_enrols_everyone_at_once(ew):
    data = _csv(
        f"{ew.mentors[0].email},mentor",
        f"{ew.mentees[0].email.upper()},Mentee",
        f"{ew.mentees[1].email},mentee",
    )
    assert event_enrol_csv(event=ew.event, by=ew.coordinator, data=data) == 3
    places = dict(EventParticipant.objects.values_list("user_id", "role"))
    assert places == {
        ew.mentors[0].pk: "mentor",
        ew.mentees[0].pk: "mentee",
        ew.mentees[1].pk: "mentee",
    }
    assert set(EventParticipant.objects.values_list("enrolled_by", flat=True)) == {"csv"}


def test_every_bad_cell_is_named_by_row_and_column_and_nobody_is_enrolled(ew):
    withdrawn = UserFactory(name="Dr. Gone")
    MembershipFactory(
        program=ew.world.program, user=withdrawn, role=Role.MENTEE, status=Status.WITHDRAWN
    )
    data = _csv(
        f"{ew.mentors[0].email},mentor",  # 2: fine
        "nobody@example.org,mentee",  # 3: unknown person
        f"{ew.mentees[0].email},mentor",  # 4: a mentee, not a mentor
        f"{ew.mentors[0].email},mentor",  # 5: duplicate of row 2
        f"{ew.mentees[1].email},speaker",  # 6: bad role
        f"{withdrawn.email},mentee",  # 7: not active
        f"{ew.mentees[2].email}",  # 8: a cell missing
    )
    with pytest.raises(EnrolmentProblems) as refused:
        event_enrol_csv(event=ew.event, by=ew.coordinator, data=data)
    found = {(p.row, p.column) for p in refused.value.problems}
    assert found == {(3, "email"), (4, "role"), (5, "email"), (6, "role"), (7, "role"), (8, "")}
    by_row = {p.row: p.message for p in refused.value.problems}
    assert "row 2" in by_row[5]
    assert "nobody@example.org" in by_row[3]
    assert not EventParticipant.objects.exists()


@pytest.mark.parametrize(
    ("data", "column"),
    [
        (b"", ""),
        (_csv(header="email"), "role"),
        (_csv("a@example.org,mentor,x", header="email,role,name"), "name"),
        ("email,role\nd\xe9j\xe0@example.org,mentee\n".encode("latin-1"), ""),
        (b"email,role\n", ""),
    ],
)
def test_a_bad_file_is_refused_whole(ew, data, column):
    with pytest.raises(EnrolmentProblems) as refused:
        event_enrol_csv(event=ew.event, by=ew.coordinator, data=data)
    assert column in {p.column for p in refused.value.problems}
    assert not EventParticipant.objects.exists()


def test_people_cannot_be_enrolled_once_the_event_has_begun(ew):
    move_to_past(ew.event)
    with pytest.raises(ValidationError):
        event_enrol(event=ew.event, by=ew.coordinator, users=ew.mentors, role="mentor")
    with pytest.raises(EnrolmentProblems):
        event_enrol_csv(
            event=ew.event, by=ew.coordinator, data=_csv(f"{ew.mentors[0].email},mentor")
        )
    assert not EventParticipant.objects.exists()


def test_a_participant_signs_up_in_their_program_role_while_sign_up_is_open(ew):
    mentee = ew.mentees[0]
    access = get_event_for(mentee, ew.event.uuid)
    with pytest.raises(ValidationError) as refused:
        event_sign_up(access=access, role=EventRole.MENTOR)
    assert "role" in refused.value.message_dict
    event_sign_up(access=access, role=EventRole.MENTEE)
    assert EventParticipant.objects.get(event=ew.event, user=mentee).enrolled_by == "self"
    with pytest.raises(ValidationError):
        event_sign_up(access=get_event_for(mentee, ew.event.uuid), role=EventRole.MENTEE)
    event_withdraw(access=get_event_for(mentee, ew.event.uuid))
    assert not EventParticipant.objects.exists()


def test_sign_up_is_refused_when_closed_or_once_the_event_has_begun(ew):
    ew.event.signup_open = False
    ew.event.save()
    with pytest.raises(ValidationError):
        event_sign_up(access=get_event_for(ew.mentees[0], ew.event.uuid), role="mentee")
    ew.event.signup_open = True
    ew.event.save()
    move_to_past(ew.event)
    with pytest.raises(ValidationError):
        event_sign_up(access=get_event_for(ew.mentees[0], ew.event.uuid), role="mentee")
    assert not EventParticipant.objects.exists()


def test_a_mentee_chooses_up_to_five_of_the_event_s_mentors_in_order():
    ew = event_world(mentees=1, mentors=6, tables=6)
    access = get_event_for(ew.mentees[0], ew.event.uuid)
    event_choices_set(access=access, mentors=[ew.mentors[2], ew.mentors[0]])
    assert list(EventChoice.objects.values_list("mentor_id", "rank")) == [
        (ew.mentors[2].pk, 1),
        (ew.mentors[0].pk, 2),
    ]
    for bad in ([*ew.mentors], [ew.mentors[0], ew.mentors[0]], [UserFactory()]):
        with pytest.raises(ValidationError) as refused:
            event_choices_set(access=access, mentors=bad)
        assert "mentors" in refused.value.message_dict
    assert EventChoice.objects.count() == 2
    # A mentor does not choose.
    with pytest.raises(ValidationError):
        event_choices_set(access=get_event_for(ew.mentors[0], ew.event.uuid), mentors=[])
