"""Mentee picks: browse eligible people ranked by the engine, name up to five in order."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.urls import reverse

from medmentor.matchrounds.models import Pick
from medmentor.matchrounds.selectors.picks import get_picker, picks_by_user
from medmentor.matchrounds.services.picks import pick_add
from medmentor.profiles.models import Block, Profile, ReportingLine
from medmentor.programs.models import MatchingMode, Membership, Role, SeniorityRule, Status
from tests.factories import UserFactory
from tests.profiles.factories import make_mentee, make_mentor
from tests.programs.factories import MembershipFactory


def join(program, user, role: str, status: str = Status.ACTIVE) -> Membership:
    return MembershipFactory(program=program, user=user, role=role, status=status)


def mentor_in(program, **profile):
    user = UserFactory()
    make_mentor(user=user, **profile)
    join(program, user, Role.MENTOR)
    return user


def mentee_in(program, **profile):
    user = UserFactory()
    make_mentee(user=user, **profile)
    join(program, user, Role.MENTEE)
    return user


@pytest.fixture
def people(world):
    """The world's mentee (a family-medicine resident in Ontario) and mentor, with
    profiles, and five more mentors of the program."""
    make_mentee(user=world.mentee, specialty="family-medicine", province="ON")
    make_mentor(user=world.mentor, specialty="psychiatry", province="BC", stage="early-career")
    world.mentors = [
        mentor_in(world.program, specialty="family-medicine", province="ON", stage="late-career"),
        *(mentor_in(world.program, specialty="pediatrics", province="SK") for _ in range(4)),
    ]
    return world


def page(client, program, role: str = ""):
    url = reverse("matchrounds:picks", args=[program.uuid])
    return client.get(f"{url}?as={role}" if role else url)


def change(client, program, person, action: str = "add", role: str = ""):
    return client.post(
        reverse("matchrounds:pick_change", args=[program.uuid]),
        {"person": str(person.uuid), "action": action, "as": role},
    )


def listed(response) -> list[str]:
    return re.findall(r'data-person="([0-9a-f-]+)"', response.content.decode())


def chosen(world, user=None) -> list[int]:
    user = user or world.mentee
    return list(
        Pick.objects.filter(program=world.program, chooser=user)
        .order_by("rank")
        .values_list("chosen_id", flat=True)
    )


# --- Access -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("mentee", 200),
        ("mentor", 200),
        ("coordinator", 404),
        ("other_coordinator", 404),
        ("staff", 404),
        ("outsider", 404),
    ],
)
def test_the_picks_page_is_for_the_programs_active_participants(people, persona, status):
    client = people.client_for(persona)
    assert page(client, people.program).status_code == status
    response = change(client, people.program, people.mentors[0])
    # A mentor names mentees, not another mentor.
    expected = {"anonymous": 302, "mentee": 302, "mentor": 422}.get(persona, 404)
    assert response.status_code == expected
    if persona != "mentee":
        assert not Pick.objects.exists()


def test_no_picks_in_a_direct_request_program_or_while_pending(people):
    client = people.client_for("mentee")
    people.program.matching_mode = MatchingMode.REQUESTS
    people.program.save()
    assert page(client, people.program).status_code == 404
    assert change(client, people.program, people.mentors[0]).status_code == 404
    people.program.matching_mode = MatchingMode.BOTH
    people.program.save()
    assert page(client, people.program).status_code == 200
    Membership.objects.filter(user=people.mentee).update(status=Status.PENDING)
    assert page(client, people.program).status_code == 404
    assert not Pick.objects.exists()


def test_the_participants_program_page_links_to_the_picks(people):
    detail = people.client_for("mentee").get(reverse("programs:detail", args=[people.program.uuid]))
    assert reverse("matchrounds:picks", args=[people.program.uuid]) in detail.content.decode()


# --- Browsing ---------------------------------------------------------------------------


def test_eligible_mentors_are_ranked_by_the_engine(people):
    response = page(people.client_for("mentee"), people.program)
    order = listed(response)
    best = people.mentors[0]  # same specialty and province, a senior stage
    assert order[0] == str(best.uuid)
    assert set(order) == {str(u.uuid) for u in [people.mentor, *people.mentors]}
    assert "Why:" in response.content.decode()


def test_excluded_full_and_junior_mentors_are_not_offered(people):
    blocked, lined, full, junior = people.mentors[1:5]
    Block.objects.create(blocker=blocked, blocked=people.mentee)
    ReportingLine.objects.create(person=people.mentee, other=lined, kind="supervisor")
    Profile.objects.filter(user=full).update(active_mentees=2, mentor_capacity=2)
    junior_profile = Profile.objects.get(user=junior)
    junior_profile.career_stage_id = Profile.objects.get(user=people.mentee).career_stage_id
    junior_profile.save()
    client = people.client_for("mentee")
    order = listed(page(client, people.program))
    for person in (blocked, lined, full, junior):
        assert str(person.uuid) not in order
        response = change(client, people.program, person)
        assert response.status_code == 422
        assert "cannot be named" in response.content.decode()
    assert not Pick.objects.exists()
    # Peer mentoring allows the same stage.
    people.program.seniority_rule = SeniorityRule.PEER
    people.program.save()
    assert change(client, people.program, junior).status_code == 302
    assert chosen(people) == [junior.pk]


def test_another_programs_member_cannot_be_picked(people):
    elsewhere = mentor_in(people.other_program, specialty="family-medicine", province="ON")
    client = people.client_for("mentee")
    assert str(elsewhere.uuid) not in listed(page(client, people.program))
    response = change(client, people.program, elsewhere)
    assert response.status_code == 422
    assert "cannot be named" in response.content.decode()
    assert not Pick.objects.exists()
    # Nor a mentee of the same program, nor oneself.
    other_mentee = mentee_in(people.program)
    for person in (other_mentee, people.mentee):
        assert change(client, people.program, person).status_code == 422
    assert not Pick.objects.exists()


# --- Choosing ---------------------------------------------------------------------------


def test_picks_keep_their_order_and_move_up_and_down(people):
    client = people.client_for("mentee")
    a, b, c = people.mentors[:3]
    for person in (a, b, c):
        assert change(client, people.program, person).status_code == 302
    assert chosen(people) == [a.pk, b.pk, c.pk]
    assert list(Pick.objects.filter(chooser=people.mentee).values_list("rank", flat=True)) == [
        1,
        2,
        3,
    ]
    change(client, people.program, c, "up")
    assert chosen(people) == [a.pk, c.pk, b.pk]
    change(client, people.program, a, "down")
    assert chosen(people) == [c.pk, a.pk, b.pk]
    change(client, people.program, c, "up")  # already first: nothing moves
    assert chosen(people) == [c.pk, a.pk, b.pk]
    change(client, people.program, a, "remove")
    assert chosen(people) == [c.pk, b.pk]
    assert set(Pick.objects.values_list("role", flat=True)) == {Role.MENTEE}
    listing = page(client, people.program).content.decode()
    assert listing.index("Your choices") < listing.index("Mentors you can name")
    assert str(c.uuid) not in listed(page(client, people.program))  # picked: not offered again
    assert picks_by_user(people.program) == {people.mentee.pk: [c.pk, b.pk]}


def test_at_most_five_with_a_clear_message(people):
    client = people.client_for("mentee")
    for person in [people.mentor, *people.mentors[:4]]:
        assert change(client, people.program, person).status_code == 302
    sixth = people.mentors[4]
    response = change(client, people.program, sixth)
    assert response.status_code == 422
    assert "You can name up to 5 people; remove one before adding another." in (
        response.content.decode()
    )
    assert len(chosen(people)) == 5
    assert sixth.pk not in chosen(people)
    assert "remove one to add another" in page(client, people.program).content.decode()
    # Adding twice is refused too.
    change(client, people.program, people.mentor, "remove")
    assert change(client, people.program, people.mentors[0]).status_code == 422


def test_a_mentor_names_mentees(people):
    mentee = mentee_in(people.program, specialty="psychiatry", province="BC")
    make_mentee(user=UserFactory())  # not in the program
    client = people.client_for("mentor")
    response = page(client, people.program)
    assert "Mentees you can name" in response.content.decode()
    assert set(listed(response)) == {str(people.mentee.uuid), str(mentee.uuid)}
    assert listed(response)[0] == str(mentee.uuid)  # same specialty and province
    assert change(client, people.program, mentee).status_code == 302
    assert Pick.objects.get().role == Role.MENTOR
    assert picks_by_user(people.program, role=Role.MENTOR) == {people.mentor.pk: [mentee.pk]}
    assert picks_by_user(people.program, role=Role.MENTEE) == {}


def test_someone_in_both_roles_shares_five_places(people):
    join(people.program, people.mentee, Role.MENTOR)
    Profile.objects.filter(user=people.mentee).update(is_mentor=True, mentor_capacity=1)
    junior = mentee_in(people.program, stage="medical-student")
    client = people.client_for("mentee")
    for person in people.mentors[:4]:
        change(client, people.program, person)
    assert "As a mentor" in page(client, people.program).content.decode()
    assert change(client, people.program, junior, role="mentor").status_code == 302
    response = change(client, people.program, people.mentor)
    assert response.status_code == 422
    by_role = Pick.objects.filter(chooser=people.mentee)
    assert by_role.filter(role=Role.MENTOR).get().rank == 5
    assert picks_by_user(people.program, role=Role.MENTOR) == {people.mentee.pk: [junior.pk]}


def test_one_person_is_named_once_across_both_roles(people):
    """Two people who are each both a mentee and a mentor: naming the other as a mentor
    leaves no room to name them again as a mentee, and the page says why."""
    join(people.program, people.mentee, Role.MENTOR)
    Profile.objects.filter(user=people.mentee).update(is_mentor=True, mentor_capacity=1)
    other = people.mentors[0]
    join(people.program, other, Role.MENTEE)
    Profile.objects.filter(user=other).update(is_mentee=True)
    client = people.client_for("mentee")
    assert change(client, people.program, other).status_code == 302
    response = change(client, people.program, other, role="mentor")
    assert response.status_code == 422
    assert "You have already named this person in your other role." in response.content.decode()
    assert list(Pick.objects.filter(chooser=people.mentee).values_list("role", flat=True)) == [
        Role.MENTEE
    ]


def test_moving_someone_not_on_the_list_changes_nothing(people):
    client = people.client_for("mentee")
    first, stranger = people.mentors[:2]
    change(client, people.program, first)
    for action in ("up", "down"):
        response = change(client, people.program, stranger, action)
        assert response.status_code == 422
        assert "This person is not among your choices." in response.content.decode()
    assert chosen(people) == [first.pk]


def test_a_picker_who_left_the_program_meanwhile_names_no_one(people):
    """The person left the program between opening the page and the click: the service,
    which re-reads the membership under its lock, refuses the change."""
    picker = get_picker(people.mentee, people.program.uuid, Role.MENTEE)
    Membership.objects.filter(program=people.program, user=people.mentee).update(
        status=Status.WITHDRAWN
    )
    with pytest.raises(ValidationError) as refused:
        pick_add(picker=picker, chosen=people.mentors[0])
    assert refused.value.messages == ["You cannot name preferences in this program."]
    assert not Pick.objects.exists()


def test_a_forged_person_or_action_writes_nothing(people):
    client = people.client_for("mentee")
    url = reverse("matchrounds:pick_change", args=[people.program.uuid])
    for data in (
        {"person": "not-a-uuid", "action": "add"},
        {"person": str(people.mentors[0].uuid), "action": "promote"},
    ):
        assert client.post(url, data).status_code == 422
    assert change(client, people.program, people.mentors[0], "remove").status_code == 422
    assert not Pick.objects.exists()


# --- What a round reads -------------------------------------------------------------------


def test_picks_by_user_leaves_out_inactive_and_newly_excluded_people(
    people, django_assert_num_queries
):
    a, b, c, d = people.mentors[:4]
    client = people.client_for("mentee")
    for person in (a, b, c, d):
        change(client, people.program, person)
    mentee_two = mentee_in(people.program, specialty="pediatrics", province="SK")
    other = people.client_for("outsider")
    other.force_login(mentee_two)
    change(other, people.program, a)
    change(other, people.program, b)
    with django_assert_num_queries(1):
        assert picks_by_user(people.program) == {
            people.mentee.pk: [a.pk, b.pk, c.pk, d.pk],
            mentee_two.pk: [a.pk, b.pk],
        }
    # a leaves the program; b blocks the first mentee; c is declared by e-mail (a verified
    # second address) as the first mentee's supervisor; mentee two withdraws.
    Membership.objects.filter(user=a, program=people.program).update(status=Status.WITHDRAWN)
    Block.objects.create(blocker=b, blocked=people.mentee)
    EmailAddress.objects.create(user=c, email="c.at.work@example.org", verified=True)
    ReportingLine.objects.create(
        person=people.mentee, other=None, other_email="c.at.work@example.org", kind="supervisor"
    )
    Membership.objects.filter(user=mentee_two, program=people.program).update(
        status=Status.WITHDRAWN
    )
    with django_assert_num_queries(1):
        assert picks_by_user(people.program) == {people.mentee.pk: [d.pk]}
    assert picks_by_user(people.other_program) == {}
