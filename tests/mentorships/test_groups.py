"""Groups and circles: one workspace for several people. Who may start one, what every
member shares (agreement, meetings with .ics to all, conversation, shared notes, CPD rows),
and what nobody else sees (another group, the coordinator, staff, the API)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from medmentor.accounts.models import User
from medmentor.mentorships import selectors
from medmentor.mentorships.access import get_mentorship_for
from medmentor.mentorships.models import (
    Mentorship,
    MentorshipKind,
    MentorshipMember,
    NoteVisibility,
    RecognitionLetter,
    Source,
)
from medmentor.mentorships.services import meetings as meeting_services
from medmentor.mentorships.services.agreement import agreement_sign, agreement_update
from medmentor.mentorships.services.closure import mentorship_end
from medmentor.mentorships.services.conversation import message_send, note_write
from medmentor.mentorships.services.lifecycle import group_start, live_mentee_count
from medmentor.profiles.models import Profile, ReportingLine
from medmentor.profiles.services import profile_get_or_create
from medmentor.programs.models import MentorshipFormat, Program, Role
from tests.factories import UserFactory, logged_in_client
from tests.mentorships.factories import past_meeting
from tests.programs.factories import MembershipFactory, ProgramFactory

PRIVATE = "PRIVATE-my-own-worry-about-the-rotation"
SHARED = "SHARED-plan-for-the-group-journal-club"
MESSAGE = "MESSAGE-who-brings-the-case-on-friday"


def _mentor(program: Program, name: str, capacity: int = 6) -> User:
    user = MembershipFactory(program=program, role=Role.MENTOR, user__name=name).user
    profile = profile_get_or_create(user=user)
    Profile.objects.filter(pk=profile.pk).update(is_mentor=True, mentor_capacity=capacity)
    return user


def _mentees(program: Program, prefix: str, n: int) -> list[User]:
    return [
        MembershipFactory(program=program, role=Role.MENTEE, user__name=f"{prefix} {k}").user
        for k in range(n)
    ]


@dataclass
class Groups:
    program: Program
    group: Mentorship
    mentor: User
    co_mentor: User
    mentees: list[User]
    other_group: Mentorship
    other_mentee: User
    coordinator: User
    staff: User
    outsider: User

    def access(self, user: User):
        return get_mentorship_for(user, self.group.uuid)

    @property
    def members(self) -> list[User]:
        return [self.mentor, self.co_mentor, *self.mentees]


@pytest.fixture
def groups(db) -> Groups:
    program = ProgramFactory(
        mentorship_format=MentorshipFormat.GROUPS,
        group_size_min=3,
        group_size_max=5,
        cycle_start=None,
        cycle_end=None,
    )
    mentor, co_mentor = _mentor(program, "Jean Tremblay"), _mentor(program, "Ana Costa")
    mentees = _mentees(program, "Student", 3)
    group = group_start(
        program=program,
        kind=MentorshipKind.GROUP,
        mentors=[mentor, co_mentor],
        members=mentees,
        name="Surgery house",
        source=Source.COORDINATOR,
        by=None,
    )
    other_mentor = _mentor(program, "Other Mentor")
    other_mentees = _mentees(program, "Other", 3)
    other_group = group_start(
        program=program,
        kind=MentorshipKind.GROUP,
        mentors=[other_mentor],
        members=other_mentees,
        source=Source.COORDINATOR,
        by=None,
    )
    coordinator = MembershipFactory(
        program=program, role=Role.COORDINATOR, user__name="Claire Coordinator"
    ).user
    return Groups(
        program=program,
        group=group,
        mentor=mentor,
        co_mentor=co_mentor,
        mentees=mentees,
        other_group=other_group,
        other_mentee=other_mentees[0],
        coordinator=coordinator,
        staff=UserFactory(is_staff=True, is_superuser=True, name="Site Staff"),
        outsider=UserFactory(name="Olivia Outsider"),
    )


@pytest.fixture
def words(groups):
    author = groups.access(groups.mentees[0])
    return {
        "private": note_write(access=author, body=PRIVATE, visibility=NoteVisibility.PRIVATE),
        "shared": note_write(access=author, body=SHARED, visibility=NoteVisibility.SHARED),
        "message": message_send(access=author, body=MESSAGE),
    }


def _pages(groups: Groups, words) -> list[str]:
    uuid = groups.group.uuid
    return [
        reverse("mentorships:workspace", args=[uuid]),
        reverse("mentorships:notes", args=[uuid]),
        reverse("mentorships:messages", args=[uuid]),
        reverse("mentorships:note", args=[uuid, words["shared"].uuid]),
    ]


def _read(client: Client, urls: list[str]) -> str:
    return "".join(client.get(url).content.decode() for url in urls)


# -- forming a group ---------------------------------------------------------------------


def test_a_group_has_its_members_in_their_roles(groups):
    group = groups.group
    assert group.kind == MentorshipKind.GROUP
    assert group.mentor == groups.mentor
    assert group.mentee is None
    assert {group.role_of(m) for m in groups.mentees} == {"mentee"}
    assert group.role_of(groups.co_mentor) == "mentor"
    assert group.role_of(groups.other_mentee) == ""
    assert set(group.people()) == set(groups.members)
    assert group.agreement.is_signed is False
    # Each mentee takes a place of each mentor.
    assert live_mentee_count(groups.mentor) == 3
    assert live_mentee_count(groups.co_mentor) == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ("too_few", "members"),
        ("too_many", "members"),
        ("three_mentors", "mentors"),
        ("pairs_only", "kind"),
        ("not_enrolled", "members"),
        ("reporting_line", "members"),
        ("no_place", "mentors"),
    ],
)
def test_a_group_that_breaks_a_rule_is_refused_and_nothing_is_made(groups, change, field):
    program = groups.program
    mentor = _mentor(program, "New Mentor", capacity=4 if change == "no_place" else 6)
    mentees = _mentees(
        program,
        "New",
        6
        if change == "too_many"
        else 2
        if change == "too_few"
        else 5
        if change == "no_place"
        else 3,
    )
    mentors = [mentor]
    if change == "three_mentors":
        mentors += [_mentor(program, "Second"), _mentor(program, "Third")]
    if change == "pairs_only":
        Program.objects.filter(pk=program.pk).update(mentorship_format=MentorshipFormat.PAIRS)
        program.refresh_from_db()
    if change == "not_enrolled":
        mentees[1] = UserFactory(name="Not Enrolled")
    if change == "reporting_line":
        # Between two mentees, not mentor and mentee: a group keeps every two apart.
        ReportingLine.objects.create(
            person=mentees[0], other=mentees[2], kind=ReportingLine.Kind.SUPERVISOR
        )
    before = Mentorship.objects.count(), MentorshipMember.objects.count()
    with pytest.raises(ValidationError) as refused:
        group_start(
            program=program,
            kind=MentorshipKind.GROUP,
            mentors=mentors,
            members=mentees,
            source=Source.COORDINATOR,
            by=None,
        )
    assert field in refused.value.message_dict
    assert (Mentorship.objects.count(), MentorshipMember.objects.count()) == before


def test_a_circle_has_peers_and_no_mentor(groups):
    program = groups.program
    Program.objects.filter(pk=program.pk).update(mentorship_format=MentorshipFormat.MIXED)
    program.refresh_from_db()
    peers = _mentees(program, "Peer", 4)
    circle = group_start(
        program=program,
        kind=MentorshipKind.CIRCLE,
        members=peers,
        source=Source.COORDINATOR,
        by=None,
    )
    assert circle.mentor is None
    assert {circle.role_of(p) for p in peers} == {"peer"}
    with pytest.raises(ValidationError):
        group_start(
            program=program,
            kind=MentorshipKind.CIRCLE,
            mentors=[groups.mentor],
            members=_mentees(program, "More", 4),
            source=Source.COORDINATOR,
            by=None,
        )
    # Any member of a circle may end it, as either side of a pair may.
    mentorship_end(access=get_mentorship_for(peers[2], circle.uuid))
    circle.refresh_from_db()
    assert circle.is_ended


# -- what the members share --------------------------------------------------------------


def test_the_agreement_is_signed_by_everyone_and_an_edit_asks_everyone_again(groups):
    people = groups.members
    for person in people[:-1]:
        agreement_sign(access=groups.access(person), version=1)
    groups.group.agreement.refresh_from_db()
    assert not Mentorship.objects.get(pk=groups.group.pk).agreement.is_signed
    agreement_sign(access=groups.access(people[-1]), version=1)
    assert Mentorship.objects.get(pk=groups.group.pk).agreement.is_signed
    page = logged_in_client(people[0]).get(
        reverse("mentorships:workspace", args=[groups.group.uuid])
    )
    body = page.content.decode()
    assert "Signed by everyone." in body
    assert "<h1>Surgery house</h1>" in body  # a group is named by its name
    # A group's conversation has many readers: no unread count, no read receipts.
    assert "unread message" not in body
    assert "The group's conversation: every member reads it." in body
    agreement_update(access=groups.access(groups.mentees[1]), text="We meet every second Friday.")
    fresh = Mentorship.objects.get(pk=groups.group.pk)
    assert not any(fresh.agreement.signed_at_of(p) for p in people)
    assert fresh.agreement.version == 2


def test_every_member_reads_the_shared_words_and_only_the_author_the_private_note(groups, words):
    for person in [p for p in groups.members if p != groups.mentees[0]]:
        seen = _read(logged_in_client(person), _pages(groups, words))
        assert SHARED in seen
        assert MESSAGE in seen
        assert PRIVATE not in seen
    author = _read(logged_in_client(groups.mentees[0]), _pages(groups, words))
    assert PRIVATE in author
    private = reverse("mentorships:note", args=[groups.group.uuid, words["private"].uuid])
    assert logged_in_client(groups.mentees[1]).get(private).status_code == 404


@pytest.mark.parametrize("persona", ["other_mentee", "coordinator", "staff", "outsider"])
def test_nobody_outside_the_group_reads_anything(groups, words, persona):
    client = logged_in_client(getattr(groups, persona))
    for url in _pages(groups, words):
        assert client.get(url).status_code == 404, url
    seen = _read(client, [reverse("mentorships:mine")])
    for text in (PRIVATE, SHARED, MESSAGE):
        assert text not in seen
    with pytest.raises(Http404):
        get_mentorship_for(getattr(groups, persona), groups.group.uuid)


def test_a_member_of_one_group_sees_nothing_of_another(groups, words):
    client = logged_in_client(groups.mentees[1])
    for url in (
        reverse("mentorships:workspace", args=[groups.other_group.uuid]),
        reverse("mentorships:messages", args=[groups.other_group.uuid]),
    ):
        assert client.get(url).status_code == 404
    mine = client.get(reverse("mentorships:mine")).content.decode()
    assert "Surgery house" in mine
    assert str(groups.other_group) not in mine


def test_the_coordinator_sees_counts_and_dates_never_text(groups, words):
    client = logged_in_client(groups.coordinator)
    page = client.post(
        reverse("mentorships:oversight", args=[groups.group.uuid]),
        {"reason": "Term review of every group"},
    ).content.decode()
    assert "Surgery house" in page
    for text in (PRIVATE, SHARED, MESSAGE):
        assert text not in page
    dashboard = client.get(reverse("mentorships:program", args=[groups.program.uuid]))
    body = dashboard.content.decode()
    assert "Surgery house" in body
    assert "Student 0" in body  # members by display name...
    assert groups.mentees[0].email not in body  # ...never by address
    for text in (PRIVATE, SHARED, MESSAGE):
        assert text not in body


@pytest.mark.parametrize("persona", ["member", "other_mentee", "coordinator", "staff"])
def test_the_api_keeps_the_group_rules(groups, words, persona):
    user = groups.mentees[2] if persona == "member" else getattr(groups, persona)
    client = logged_in_client(user)
    base = f"/api/mentorships/{groups.group.uuid}"
    notes, messages = client.get(f"{base}/notes"), client.get(f"{base}/messages")
    private = client.get(f"{base}/notes/{words['private'].uuid}")
    if persona == "member":
        assert [n["body"] for n in notes.json()] == [SHARED]
        assert [m["body"] for m in messages.json()] == [MESSAGE]
        assert private.status_code == 404
        detail = client.get(base).json()
        assert detail["kind"] == "group"
        assert sorted(detail["members"]) == sorted(p.name for p in groups.members)
    else:
        assert notes.status_code == 404
        assert messages.status_code == 404
        assert private.status_code == 404
        assert client.get(base).status_code == 404


def test_a_meeting_sends_every_member_their_own_invitation(
    groups, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in_client(groups.mentees[1]).post(
            reverse("mentorships:meeting_new", args=[groups.group.uuid]),
            {
                "starts_at": (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT18:00"),
                "duration_minutes": 60,
                "modality": "in_person",
                "place": "Room 4102",
            },
        )
    assert response.status_code == 302
    invited = {}
    for message in mailoutbox:
        for name, content, _mimetype in message.attachments:
            if name.endswith(".ics"):
                [address] = message.to
                invited[address] = Calendar.from_ical(content).walk("VEVENT")[0]
    assert set(invited) == {p.email for p in groups.members}
    for address, event in invited.items():
        # Each calendar has its own reader as the one attendee; the group is named.
        assert str(event["ATTENDEE"]) == f"mailto:{address}"
        assert "Surgery house" in str(event["SUMMARY"])
        others = {p.email for p in groups.members} - {address}
        assert not any(other in event.to_ical().decode() for other in others)
    assert groups.other_mentee.email not in invited


def test_each_member_gets_the_meeting_hours_in_their_cpd_record(groups):
    access = groups.access(groups.mentor)
    meeting = past_meeting(access, minutes=90)
    meeting_services.meeting_log(
        access=access,
        meeting=meeting,
        discussed="LOG-case-review",
        next_steps="",
        minutes_spent=90,
    )
    for person, label in (
        (groups.mentor, "Mentoring meeting (as mentor)"),
        (groups.co_mentor, "Mentoring meeting (as mentor)"),
        *((m, "Mentoring meeting (as mentee)") for m in groups.mentees),
    ):
        [row] = selectors.activity_of(person)
        assert row.hours == 1.5
        assert row.activity == label
        assert row.partner == "Surgery house"
        # Only the words the person wrote: the log is the mentor's.
        assert ("LOG-case-review" in row.reflection) == (person == groups.mentor)
        response = logged_in_client(person).get(reverse("dashboard:activity_csv"))
        csv = b"".join(response.streaming_content).decode()
        assert "Surgery house" in csv
        assert "1.5" in csv
    assert selectors.activity_of(groups.other_mentee) == []


def test_a_mentee_does_not_end_the_group_its_mentor_does(groups):
    with pytest.raises(PermissionDenied):
        mentorship_end(access=groups.access(groups.mentees[0]))
    page = logged_in_client(groups.mentees[0]).get(
        reverse("mentorships:workspace", args=[groups.group.uuid])
    )
    assert reverse("mentorships:end", args=[groups.group.uuid]) not in page.content.decode()
    mentorship_end(access=groups.access(groups.co_mentor))
    groups.group.refresh_from_db()
    assert groups.group.is_ended
    assert live_mentee_count(groups.mentor) == 0


# -- the coordinator forms one by hand ---------------------------------------------------


def test_the_coordinator_forms_a_group_from_the_page_and_a_refusal_names_the_field(groups):
    client = logged_in_client(groups.coordinator)
    url = reverse("mentorships:group_new", args=[groups.program.uuid])
    page = client.get(url).content.decode()
    assert "Student 0" in page  # participants by display name
    assert groups.mentees[0].email not in page
    mentor = _mentor(groups.program, "Hand Mentor")
    mentees = _mentees(groups.program, "Hand", 3)
    ReportingLine.objects.create(
        person=mentees[0], other=mentees[1], kind=ReportingLine.Kind.EVALUATOR
    )
    data = {
        "kind": "group",
        "name": "Thursday group",
        "mentors": [mentor.pk],
        "members": [m.pk for m in mentees],
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert refused.context["form"].errors["members"]
    assert not Mentorship.objects.filter(name="Thursday group").exists()
    ReportingLine.objects.all().delete()
    assert client.post(url, data).status_code == 302
    group = Mentorship.objects.get(name="Thursday group")
    assert set(group.people()) == {mentor, *mentees}
    assert group.source == Source.COORDINATOR


def test_a_pairs_only_program_offers_no_group(groups):
    Program.objects.filter(pk=groups.program.pk).update(mentorship_format=MentorshipFormat.PAIRS)
    client = logged_in_client(groups.coordinator)
    url = reverse("mentorships:group_new", args=[groups.program.uuid])
    assert "runs one-to-one pairs only" in client.get(url).content.decode()
    response = client.post(url, {"kind": "group", "mentors": [groups.mentor.pk]})
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]


def test_the_program_report_shows_groups_with_their_people_and_hides_few(groups):
    from medmentor.reports.report import report_of
    from medmentor.reports.scope import Scope
    from medmentor.reports.tables import Hidden

    access = groups.access(groups.mentor)
    meeting = past_meeting(access, minutes=120)
    meeting_services.meeting_log(
        access=access, meeting=meeting, discussed="", next_steps="", minutes_spent=120
    )
    table = report_of(Scope(programs=(groups.program,))).table("formats")
    column = str(groups.program.uuid)
    assert table.row("group_people").cells[column] == 9  # 5 + 4 members
    assert table.row("group_hours").cells[column] == 1.0  # 2 hours over 2 groups
    # Counts below k hide, whatever they count (two groups, one meeting).
    assert table.row("group_mentorships").cells[column] is Hidden.FEW
    assert table.row("group_meetings").cells[column] is Hidden.FEW
    assert "pair_mentorships" not in {row.key for row in table.rows}
    # A circle of 4 people: too few to show anything about them.
    Program.objects.filter(pk=groups.program.pk).update(mentorship_format=MentorshipFormat.MIXED)
    groups.program.refresh_from_db()
    group_start(
        program=groups.program,
        kind=MentorshipKind.CIRCLE,
        members=_mentees(groups.program, "Peer", 4),
        source=Source.COORDINATOR,
        by=None,
    )
    table = report_of(Scope(programs=(groups.program,))).table("formats")
    assert table.row("circle_people").cells[column] is Hidden.FEW
    assert table.row("circle_evaluations").cells[column] in (Hidden.FEW, Hidden.COMPLEMENT)


def test_only_the_programs_coordinators_form_groups(groups):
    url = reverse("mentorships:group_new", args=[groups.program.uuid])
    other_coordinator = MembershipFactory(program=ProgramFactory(), role=Role.COORDINATOR).user
    data = {
        "kind": "group",
        "mentors": [groups.mentor.pk],
        "members": [m.pk for m in groups.mentees],
    }
    before = Mentorship.objects.count()
    assert Client().get(url).status_code == 302  # anonymous: log in first
    for person, status in (
        (groups.mentor, 403),
        (groups.mentees[0], 403),
        (other_coordinator, 404),
        (groups.staff, 404),
        (groups.outsider, 404),
    ):
        client = logged_in_client(person)
        assert client.get(url).status_code == status, person
        assert client.post(url, data).status_code == status, person
    assert Mentorship.objects.count() == before


def test_a_co_mentor_is_listed_for_a_letter_that_counts_the_group_s_mentees(groups):
    client = logged_in_client(groups.coordinator)
    dashboard = client.get(reverse("mentorships:program", args=[groups.program.uuid]))
    listed = {str(mentor) for mentor in dashboard.context["mentors"]}
    assert {"Jean Tremblay", "Ana Costa", "Other Mentor"} <= listed
    assert not listed & {str(mentee) for mentee in groups.mentees}

    url = reverse("mentorships:letter_new", args=[groups.program.uuid, groups.co_mentor.uuid])
    letter = RecognitionLetter.objects.get(
        uuid=client.post(url)["Location"].rstrip("/").split("/")[-1]
    )
    assert letter.mentor == groups.co_mentor
    assert letter.mentees == 3  # the group's three students, not its other mentor
