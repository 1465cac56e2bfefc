"""The events' other refusals, one by one, as a coordinator or a participant meets them:
each says what is wrong (naming the field where there is one), and nothing changes."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from medmentor.events.models import (
    DESCRIPTION_MAX,
    PLACE_MAX,
    TITLE_MAX,
    Event,
    EventFollowUp,
    EventMeeting,
    EventParticipant,
    EventRole,
    EventStatus,
)
from medmentor.events.selectors import get_event_for, grid_of
from medmentor.events.services.authoring import event_save
from medmentor.events.services.csv_enrolment import (
    MAX_BYTES,
    MAX_ROWS,
    EnrolmentProblems,
    event_enrol_csv,
)
from medmentor.events.services.enrolment import event_enrol, event_sign_up, event_unenrol
from medmentor.events.services.follow_up import event_follow_up_set
from medmentor.events.services.publishing import event_publish
from medmentor.events.services.schedule import (
    event_meeting_lock,
    event_meeting_move,
    event_meetings_swap,
)
from medmentor.notifications.models import Notification
from medmentor.profiles.models import ReportingLine
from medmentor.profiles.selectors import display_name_of
from medmentor.profiles.services import reporting_line_add
from medmentor.programs.models import Membership, Role, Status
from tests.events.support import build, event_values, event_world, move_to_past, refused, triples
from tests.factories import UserFactory, logged_in_client
from tests.matchrounds.rounds_factories import round_program
from tests.programs.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _withdraw(ew, user, role: str) -> None:
    Membership.objects.filter(program=ew.world.program, user=user, role=role).update(
        status=Status.WITHDRAWN
    )


def _manage(ew, name: str, *extra) -> str:
    return reverse(f"events:{name}", args=[ew.world.program.uuid, ew.event.uuid, *extra])


# -- writing an event ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        ("title", "T" * (TITLE_MAX + 1), f"{TITLE_MAX} characters"),
        ("description", "D" * (DESCRIPTION_MAX + 1), f"{DESCRIPTION_MAX} characters"),
        ("starts_at", None, "the event starts"),
        ("ends_at", None, "the event ends"),
        ("place", "P" * (PLACE_MAX + 1), f"{PLACE_MAX} characters"),
        ("rotation_minutes", 0, "from 1 to 120 minutes"),
        ("rotation_minutes", 121, "from 1 to 120 minutes"),
        ("changeover_minutes", -1, "from 0 to 60 minutes"),
        ("changeover_minutes", 61, "from 0 to 60 minutes"),
        ("seed", -1, "0 or more"),
    ],
)
def test_a_bad_value_of_an_event_is_refused_naming_its_field_and_nothing_is_saved(
    field, value, said
):
    world = round_program(name_en="ICRE Mentorship")
    with pytest.raises(ValidationError) as refused:
        event_save(program=world.program, by=world.coordinator, **event_values(**{field: value}))
    errors = refused.value.message_dict
    assert field in errors, errors
    assert said in errors[field][0]
    assert not Event.objects.exists()


# -- enrolling people ---------------------------------------------------------------------
@pytest.fixture
def ew():
    return event_world(mentees=3, mentors=2, enrol=False)


def _csv(*rows: str, header: str = "email,role") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _csvrefused(ew, data: bytes) -> list:
    with pytest.raises(EnrolmentProblems) as refused:
        event_enrol_csv(event=ew.event, by=ew.coordinator, data=data)
    return refused.value.problems


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"email,role\n" + b"x" * MAX_BYTES, "too big"),
        # A cell longer than the csv module reads (131,072 characters) but within the size.
        (b"email,role\n" + b"a" * 140_000 + b",mentee\n", "not a readable CSV file"),
        (
            _csv(*(f"person{n}@example.org,mentee" for n in range(MAX_ROWS + 1))),
            f"at most {MAX_ROWS} people",
        ),
    ],
    ids=["too-big", "unreadable", "too-many-rows"],
)
def test_a_csv_file_refused_whole_says_why_and_nobody_is_enrolled(ew, data, said):
    problems = _csvrefused(ew, data)
    assert [(p.row, p.column) for p in problems] == [(None, "")]
    assert said in problems[0].message
    assert not EventParticipant.objects.exists()


def test_a_csv_header_with_a_column_twice_isrefused(ew):
    problems = _csvrefused(ew, _csv(f"{ew.mentors[0].email},mentor,x", header="email,role,email"))
    assert [(p.row, p.column, p.message) for p in problems] == [
        (1, "email", "This column appears twice.")
    ]
    assert not EventParticipant.objects.exists()


def test_a_csv_row_without_an_e_mail_address_is_named(ew):
    problems = _csvrefused(ew, _csv(f"{ew.mentors[0].email},mentor", ",mentee"))
    assert [(p.row, p.column, p.message) for p in problems] == [
        (3, "email", "An e-mail address is required.")
    ]
    assert not EventParticipant.objects.exists()


def test_a_csv_row_putting_a_mentor_among_the_mentees_isrefused(ew):
    # Dr. Both mentors and is mentored in the program; the event has them as a mentor.
    both = ew.mentors[0]
    MembershipFactory(program=ew.world.program, user=both, role=Role.MENTEE)
    event_enrol(event=ew.event, by=ew.coordinator, users=[both], role=EventRole.MENTOR)
    problems = _csvrefused(ew, _csv(f"{ew.mentees[0].email},mentee", f"{both.email},mentee"))
    assert [(p.row, p.column) for p in problems] == [(3, "role")]
    assert "other role" in problems[0].message
    assert dict(EventParticipant.objects.values_list("user_id", "role")) == {both.pk: "mentor"}


def test_enrolling_in_an_unknown_role_isrefused(ew):
    error = refused(
        lambda: event_enrol(event=ew.event, by=ew.coordinator, users=ew.mentors, role="speaker"),
        "people",
    )
    assert error.message_dict["people"] == ["Choose mentor or mentee."]
    assert not EventParticipant.objects.exists()


def test_enrolling_nobody_isrefused(ew):
    error = refused(
        lambda: event_enrol(event=ew.event, by=ew.coordinator, users=[], role=EventRole.MENTEE),
        "people",
    )
    assert error.message_dict["people"] == ["Choose at least one person."]
    assert not EventParticipant.objects.exists()


def test_a_mentor_of_the_event_is_not_also_enrolled_as_a_mentee(ew):
    both = ew.mentors[0]
    MembershipFactory(program=ew.world.program, user=both, role=Role.MENTEE)
    event_enrol(event=ew.event, by=ew.coordinator, users=[both], role=EventRole.MENTOR)
    error = refused(
        lambda: event_enrol(
            event=ew.event, by=ew.coordinator, users=[both, ew.mentees[0]], role=EventRole.MENTEE
        ),
        "people",
    )
    (message,) = error.message_dict["people"]
    assert "already takes part in this event in the other role" in message
    assert dict(EventParticipant.objects.values_list("user_id", "role")) == {both.pk: "mentor"}


def test_signing_up_after_leaving_the_program_isrefused(ew):
    mentee = ew.mentees[0]
    access = get_event_for(mentee, ew.event.uuid)  # the page, opened while still a mentee
    _withdraw(ew, mentee, Role.MENTEE)
    error = refused(lambda: event_sign_up(access=access, role=EventRole.MENTEE), "role")
    (message,) = error.message_dict["role"]
    assert "is not an active mentee of the program" in message
    assert not EventParticipant.objects.exists()


# -- after the event ----------------------------------------------------------------------
def test_only_the_event_s_participants_say_whom_they_would_continue_with():
    ew = event_world(mentees=2, mentors=2, rotations=1)
    build(ew)
    MembershipFactory(program=ew.world.program, role=Role.MENTEE, user=(other := UserFactory()))
    move_to_past(ew.event)
    error = refused(
        lambda: event_follow_up_set(
            access=get_event_for(other, ew.event.uuid), chosen=[ew.mentors[0]]
        )
    )
    assert "Only the event's participants" in error.messages[0]
    assert not EventFollowUp.objects.exists()


# -- publishing -----------------------------------------------------------------------------
def test_a_schedule_is_not_published_once_the_event_is_over():
    ew = event_world(mentees=2, mentors=2, rotations=1)
    build(ew)
    move_to_past(ew.event)
    error = refused(lambda: event_publish(event=ew.event, by=ew.coordinator))
    assert "The event is over" in error.messages[0]
    assert ew.refresh().status == EventStatus.SCHEDULED
    assert ew.event.published_at is None
    assert not Notification.objects.exists()


def test_a_schedule_everyone_left_is_not_published():
    ew = event_world(mentees=2, mentors=2, rotations=1)
    build(ew)
    for place in EventParticipant.objects.filter(event=ew.event, role=EventRole.MENTEE):
        event_unenrol(event=ew.event, by=ew.coordinator, place=place)
    assert ew.refresh().status == EventStatus.SCHEDULED
    error = refused(lambda: event_publish(event=ew.event, by=ew.coordinator))
    assert "no meeting" in error.messages[0]
    assert ew.refresh().status == EventStatus.SCHEDULED
    assert (ew.event.sequence, ew.event.published_at) == (0, None)
    assert not Notification.objects.exists()


# -- building and changing the schedule ------------------------------------------------------
def test_a_rebuild_takes_a_mentor_who_left_the_program_away_from_their_table():
    ew = event_world(mentees=3, mentors=3, rotations=1)
    build(ew)
    gone = ew.mentors[0]
    assert EventParticipant.objects.get(event=ew.event, user=gone).table is not None
    _withdraw(ew, gone, Role.MENTOR)
    build(ew)
    assert EventParticipant.objects.get(event=ew.event, user=gone).table is None
    assert not EventMeeting.objects.filter(event=ew.event, mentor=gone).exists()
    assert (
        EventParticipant.objects.filter(
            event=ew.event, role=EventRole.MENTOR, table__isnull=False
        ).count()
        == 2
    )


def test_a_rebuild_the_locked_meetings_forbid_is_refused_and_changes_nothing():
    ew = event_world(mentees=3, mentors=3, rotations=1)
    build(ew)
    kept = EventMeeting.objects.filter(event=ew.event).order_by("pk").first()
    event_meeting_lock(event=ew.event, by=ew.coordinator, meeting=kept, locked=True)
    # A reporting line now stands between the two people of the locked meeting.
    reporting_line_add(person=kept.mentee, kind=ReportingLine.Kind.SUPERVISOR, other=kept.mentor)
    before, built_at = triples(ew.event), ew.refresh().built_at
    error = refused(lambda: build(ew))
    assert error.messages[0].startswith("The schedule could not be built: ")
    assert triples(ew.event) == before
    assert ew.refresh().built_at == built_at


def test_a_stale_swap_after_the_schedule_was_dropped_asks_to_build_first():
    ew = event_world(mentees=3, mentors=3, rotations=1)
    build(ew)
    a, b = EventMeeting.objects.filter(event=ew.event, rotation=1).order_by("pk")[:2]
    # Changing the rotations drops the schedule; the page still shows the old meetings.
    event_save(
        program=ew.event.program, by=ew.coordinator, event=ew.event, **event_values(rotations=2)
    )
    error = refused(
        lambda: event_meetings_swap(event=ew.event, by=ew.coordinator, first=a, second=b)
    )
    assert error.messages == ["Build the schedule first."]
    assert ew.refresh().status == EventStatus.DRAFT
    assert not EventMeeting.objects.exists()


def test_swapping_a_meeting_with_itself_is_refused_through_the_page():
    ew = event_world(mentees=3, mentors=3, rotations=1)
    build(ew)
    a = EventMeeting.objects.filter(event=ew.event).order_by("pk").first()
    before = triples(ew.event)
    response = logged_in_client(ew.coordinator).post(
        _manage(ew, "swap"), {"first": a.uuid, "second": a.uuid}, follow=True
    )
    assert "Choose two different meetings of the schedule." in response.content.decode()
    assert triples(ew.event) == before


def test_swapping_meetings_of_two_rotations_isrefused():
    ew = event_world(mentees=2, mentors=2, rotations=2)
    build(ew)
    a = EventMeeting.objects.filter(event=ew.event, rotation=1).first()
    b = EventMeeting.objects.filter(event=ew.event, rotation=2).exclude(mentor=a.mentor).first()
    before = triples(ew.event)
    error = refused(
        lambda: event_meetings_swap(event=ew.event, by=ew.coordinator, first=a, second=b)
    )
    assert error.messages == ["Choose two meetings of the same rotation."]
    assert triples(ew.event) == before


def test_swapping_two_mentees_of_one_table_isrefused():
    ew = event_world(mentees=4, mentors=2, rotations=1, table_size=2)
    build(ew)
    mentor = ew.mentors[0]
    a, b = EventMeeting.objects.filter(event=ew.event, mentor=mentor).order_by("pk")[:2]
    before = triples(ew.event)
    error = refused(
        lambda: event_meetings_swap(event=ew.event, by=ew.coordinator, first=a, second=b)
    )
    assert error.messages == ["These two mentees sit at the same table already."]
    assert triples(ew.event) == before


def test_a_change_to_a_schedule_with_someone_who_left_the_program_isrefused():
    # A mentor left the program after the build: their meetings still stand, and the
    # engine cannot vouch for a schedule with them in it (build it again).
    ew = event_world(mentees=3, mentors=3, rotations=1)
    build(ew)
    a, b, c = EventMeeting.objects.filter(event=ew.event).order_by("pk")
    _withdraw(ew, c.mentor, Role.MENTOR)
    before = triples(ew.event)
    error = refused(
        lambda: event_meetings_swap(event=ew.event, by=ew.coordinator, first=a, second=b)
    )
    assert error.messages == [
        "Someone in this schedule no longer takes part in the program: build the schedule again."
    ]
    assert triples(ew.event) == before


@pytest.fixture
def built():
    ew = event_world(mentees=2, mentors=3, rotations=1)
    build(ew)
    return ew


def _move(ew, meeting, mentor):
    return lambda: event_meeting_move(
        event=ew.event, by=ew.coordinator, meeting=meeting, mentor=mentor
    )


def test_moving_a_meeting_no_longer_in_the_schedule_isrefused(built):
    meeting = EventMeeting.objects.filter(event=built.event).select_related("mentee").first()
    place = EventParticipant.objects.get(event=built.event, user=meeting.mentee)
    event_unenrol(event=built.event, by=built.coordinator, place=place)
    before = triples(built.event)
    free = next(m for m in built.mentors if m.pk != meeting.mentor_id)
    error = refused(_move(built, meeting, free))
    assert error.messages == ["Choose a meeting of the schedule."]
    assert triples(built.event) == before


def test_moving_a_locked_meeting_isrefused(built):
    meeting = EventMeeting.objects.filter(event=built.event).first()
    event_meeting_lock(event=built.event, by=built.coordinator, meeting=meeting, locked=True)
    free = next(m for m in built.mentors if m.pk != meeting.mentor_id)
    before = triples(built.event)
    error = refused(_move(built, meeting, free))
    assert error.messages == ["A locked meeting stays as it is: unlock it first."]
    assert triples(built.event) == before


def test_moving_a_mentee_to_someone_not_a_mentor_of_the_event_isrefused(built):
    meeting = EventMeeting.objects.filter(event=built.event).first()
    before = triples(built.event)
    for stranger in (built.mentees[1], UserFactory()):
        error = refused(_move(built, meeting, stranger), "mentor")
        assert error.message_dict["mentor"] == ["Choose one of the event's mentors."]
    assert triples(built.event) == before


def test_moving_a_mentee_to_their_own_table_isrefused(built):
    meeting = EventMeeting.objects.filter(event=built.event).select_related("mentor").first()
    before = triples(built.event)
    error = refused(_move(built, meeting, meeting.mentor), "mentor")
    assert error.message_dict["mentor"] == ["The mentee already sits at this table."]
    assert triples(built.event) == before


# -- what is not there is not found ------------------------------------------------------------
def test_an_anonymous_visitor_does_not_get_an_event():
    ew = event_world(mentees=1, mentors=1)
    with pytest.raises(Http404):
        get_event_for(AnonymousUser(), ew.event.uuid)


def test_an_unknown_event_is_not_found():
    ew = event_world(mentees=1, mentors=1)
    url = reverse("events:detail", args=[uuid.uuid4()])
    assert logged_in_client(ew.mentees[0]).get(url).status_code == 404


def test_locking_an_unknown_meeting_is_not_found_and_locks_nothing(built):
    response = logged_in_client(built.coordinator).post(_manage(built, "lock", uuid.uuid4()))
    assert response.status_code == 404
    assert not EventMeeting.objects.filter(locked=True).exists()


def test_removing_an_unknown_participant_is_not_found_and_removes_nobody(built):
    count = EventParticipant.objects.filter(event=built.event).count()
    response = logged_in_client(built.coordinator).post(_manage(built, "unenrol", uuid.uuid4()))
    assert response.status_code == 404
    assert EventParticipant.objects.filter(event=built.event).count() == count


# -- the pages around these rules ---------------------------------------------------------
def test_the_coordinator_removes_someone_through_the_people_page(built):
    place = EventParticipant.objects.get(event=built.event, user=built.mentees[0])
    response = logged_in_client(built.coordinator).post(
        _manage(built, "unenrol", place.uuid), follow=True
    )
    assert "They no longer take part in the event." in response.content.decode()
    assert not EventParticipant.objects.filter(pk=place.pk).exists()
    assert not EventMeeting.objects.filter(event=built.event, mentee=built.mentees[0]).exists()


def test_withdrawing_from_an_event_one_is_not_in_is_refused_through_the_page(built):
    MembershipFactory(program=built.world.program, role=Role.MENTEE, user=(other := UserFactory()))
    count = EventParticipant.objects.filter(event=built.event).count()
    response = logged_in_client(other).post(
        reverse("events:withdraw", args=[built.event.uuid]), follow=True
    )
    assert "You are not signed up for this event." in response.content.decode()
    assert EventParticipant.objects.filter(event=built.event).count() == count


def test_a_mentor_enrolled_after_the_build_has_no_table_yet_in_the_grid(built):
    newcomer = UserFactory()
    MembershipFactory(program=built.world.program, role=Role.MENTOR, user=newcomer)
    event_enrol(event=built.event, by=built.coordinator, users=[newcomer], role=EventRole.MENTOR)
    free = dict(grid_of(built.event).rotations[0].free)
    assert free[str(newcomer.uuid)] == display_name_of(newcomer)
    assert all(", table " in label for uid, label in free.items() if uid != str(newcomer.uuid))


def test_my_events_lists_the_events_one_takes_part_in(built):
    page = logged_in_client(built.mentees[0]).get(reverse("events:mine")).content.decode()
    assert built.event.title in page
    assert built.event.title not in (
        logged_in_client(UserFactory()).get(reverse("events:mine")).content.decode()
    )
