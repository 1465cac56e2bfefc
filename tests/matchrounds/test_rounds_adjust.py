"""A coordinator's adjustments before publishing: lock, break, hand pairs (refused inside a
reporting line, warned when breaking another rule), re-run around locks, compare runs."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from medmentor.matchrounds.models import MatchRound, Proposal, UnmatchedEntry
from medmentor.matchrounds.services.adjust import proposal_hand_pair
from medmentor.matchrounds.services.run import round_start
from medmentor.profiles.models import Profile
from medmentor.profiles.services import reporting_line_add
from medmentor.programs.models import Membership, Role, SeniorityRule
from medmentor.programs.services.enrolment import membership_withdraw
from tests.factories import UserFactory
from tests.matchrounds.rounds_factories import (
    full_cycle,
    pairs,
    publish,
    round_program,
    run_round,
)
from tests.profiles.factories import make_profile
from tests.programs.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _url(name, match_round, *extra):
    return reverse(name, args=[match_round.program.uuid, match_round.uuid, *extra])


def test_lock_then_rerun_keeps_the_locked_pair(client, django_capture_on_commit_callbacks):
    world = round_program(mentees=3, mentors=3)
    first = run_round(world.program, world.coordinator)
    client.force_login(world.coordinator)
    kept = Proposal.objects.filter(round=first).order_by("score", "id").first()
    response = client.post(_url("matchrounds:round_lock", first, kept.uuid), {"locked": "1"})
    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.locked
    page = client.get(_url("matchrounds:round", first))
    assert "Unlock" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(_url("matchrounds:round_rerun", first), {"algorithm": "optimal"})
    second = first.reruns.get()
    assert again["Location"] == _url("matchrounds:round", second)
    assert second.algorithm == "optimal"
    assert (kept.mentee_id, kept.mentor_id) in pairs(second)
    carried = Proposal.objects.get(round=second, mentee=kept.mentee)
    assert carried.locked
    assert len(pairs(second)) == 3


def test_break_sends_both_to_unmatched(client):
    world = round_program(mentees=2, mentors=2)
    match_round = run_round(world.program, world.coordinator)
    proposal = Proposal.objects.filter(round=match_round).first()
    client.force_login(world.coordinator)
    client.post(_url("matchrounds:round_break", match_round, proposal.uuid))
    assert not Proposal.objects.filter(pk=proposal.pk).exists()
    broken = UnmatchedEntry.objects.filter(round=match_round, code="broken")
    assert {(e.user_id, e.role) for e in broken} == {
        (proposal.mentee_id, "mentee"),
        (proposal.mentor_id, "mentor"),
    }
    match_round.refresh_from_db()
    assert match_round.summary["matched"] == 1
    page = client.get(_url("matchrounds:round", match_round)).content.decode()
    assert "Broken by the coordinator" in page


def test_a_hand_pair_inside_a_reporting_line_is_refused_and_nothing_is_written(client):
    world = round_program()
    mentee = world.add_mentee()
    supervisor = world.add_mentor()
    reporting_line_add(person=mentee, other=supervisor, kind="supervisor")
    match_round = run_round(world.program, world.coordinator)
    assert pairs(match_round) == set()
    client.force_login(world.coordinator)
    response = client.post(
        _url("matchrounds:round_pair", match_round),
        {"mentee": mentee.pk, "mentor": supervisor.pk, "confirm": "True"},
    )
    assert response.status_code == 422
    assert "reporting line" in response.content.decode()
    assert not Proposal.objects.exists()
    assert UnmatchedEntry.objects.filter(round=match_round, user=mentee).exists()


def test_a_hand_pair_breaking_seniority_shows_the_warning_and_needs_confirmation(client):
    world = round_program(seniority_rule=SeniorityRule.SENIOR)
    mentee = world.add_mentee(name="Rae Resident", stage="resident-pgy3")
    peer = world.add_mentor(name="Pat Peer", stage="resident-pgy2")
    match_round = run_round(world.program, world.coordinator)
    assert pairs(match_round) == set()  # the rule keeps them apart in the round
    client.force_login(world.coordinator)
    url = _url("matchrounds:round_pair", match_round)
    form = client.get(url).content.decode()
    assert "Rae Resident" in form
    assert "Pat Peer" in form
    checked = client.post(url, {"mentee": mentee.pk, "mentor": peer.pk})
    text = checked.content.decode()
    assert checked.status_code == 422
    assert "mentor&#x27;s career stage is not above the mentee&#x27;s" in text
    assert "Pair them anyway" in text
    assert not Proposal.objects.exists()
    confirmed = client.post(url, {"mentee": mentee.pk, "mentor": peer.pk, "confirm": "True"})
    assert confirmed.status_code == 302
    proposal = Proposal.objects.get(round=match_round)
    assert (proposal.mentee, proposal.mentor, proposal.origin, proposal.locked) == (
        mentee,
        peer,
        "hand",
        True,
    )
    assert proposal.warnings == ["mentor's career stage is not above the mentee's"]
    assert not UnmatchedEntry.objects.filter(round=match_round, user=mentee).exists()
    page = client.get(_url("matchrounds:round", match_round)).content.decode()
    assert "Breaks:" in page
    # A re-run keeps the hand pair, with its warning.
    second = run_round(world.program, world.coordinator, rerun_of=match_round)
    carried = Proposal.objects.get(round=second)
    assert (carried.mentee, carried.mentor, carried.origin) == (mentee, peer, "hand")
    assert carried.warnings == proposal.warnings


def test_a_hand_pair_over_capacity_is_a_warning(client):
    world = round_program(mentees=2, mentors=1)
    match_round = run_round(world.program, world.coordinator)
    left = UnmatchedEntry.objects.get(round=match_round).user
    client.force_login(world.coordinator)
    response = client.post(
        _url("matchrounds:round_pair", match_round),
        {"mentee": left.pk, "mentor": world.mentors[0].pk},
    )
    assert "mentor over capacity: 2 mentees, capacity 1" in response.content.decode()
    assert Proposal.objects.filter(round=match_round).count() == 1


def test_no_adjustment_after_publishing(client):
    world = round_program(mentees=2, mentors=2)
    match_round = publish(run_round(world.program, world.coordinator), world.coordinator)
    proposal = Proposal.objects.filter(round=match_round).first()
    client.force_login(world.coordinator)
    client.post(_url("matchrounds:round_break", match_round, proposal.uuid))
    assert Proposal.objects.filter(pk=proposal.pk).exists()
    follow = client.post(
        _url("matchrounds:round_lock", match_round, proposal.uuid), {"locked": "1"}
    )
    proposal.refresh_from_db()
    assert not proposal.locked
    assert follow.status_code == 302
    assert client.get(_url("matchrounds:round_pair", match_round)).status_code == 302


def test_compare_two_runs(client):
    world = round_program(mentees=2, mentors=2)
    a = run_round(world.program, world.coordinator)
    (m1, t1), (m2, t2) = sorted(pairs(a))
    client.force_login(world.coordinator)
    for proposal in Proposal.objects.filter(round=a):
        client.post(_url("matchrounds:round_break", a, proposal.uuid))
    for mentee, mentor in ((m1, t2), (m2, t1)):  # swap the mentors by hand
        client.post(_url("matchrounds:round_pair", a), {"mentee": mentee, "mentor": mentor})
    assert pairs(a) == {(m1, t2), (m2, t1)}
    b = run_round(world.program, world.coordinator)  # same seed: the engine's first choice
    assert pairs(b) == {(m1, t1), (m2, t2)}
    response = client.get(_url("matchrounds:round_compare", a) + f"?with={b.uuid}")
    comparison = response.context["comparison"]
    assert comparison.both == []
    assert {(x.pk, y.pk) for x, y in comparison.only_a} == {(m1, t2), (m2, t1)}
    assert {(x.pk, y.pk) for x, y in comparison.only_b} == {(m1, t1), (m2, t2)}
    text = response.content.decode()
    assert "2 pairs only in round A" in text
    assert "2 / 2 (100 %)" in text


def _pair(client, match_round, mentee, mentor):
    return client.post(
        _url("matchrounds:round_pair", match_round),
        {"mentee": mentee.pk, "mentor": mentor.pk, "confirm": "True"},
    )


def _refused(response, words: str, match_round) -> None:
    assert response.status_code == 422
    assert words in response.content.decode()
    assert not Proposal.objects.filter(round=match_round, origin="hand").exists()


def test_someone_in_both_roles_cannot_be_paired_with_themselves(client):
    """A senior resident is both a mentee and a mentor of the program: the round leaves
    them unmatched as a mentee and offers them as a mentor, but not to themselves."""
    world = round_program()
    both = UserFactory(name="Sam Both")
    make_profile(user=both, mentee=True, mentor=True, stage="resident-pgy3", mentor_capacity=1)
    for role in (Role.MENTEE, Role.MENTOR):
        MembershipFactory(program=world.program, user=both, role=role)
    match_round = run_round(world.program, world.coordinator)
    assert pairs(match_round) == set()
    client.force_login(world.coordinator)
    response = _pair(client, match_round, both, both)
    _refused(response, "A person cannot mentor themselves.", match_round)


def test_a_mentee_who_left_the_program_after_the_run_cannot_be_paired(client):
    world = round_program(mentees=1, mentors=1)
    late = world.add_mentee(name="Lee Late")
    match_round = run_round(world.program, world.coordinator)
    assert UnmatchedEntry.objects.filter(round=match_round, user=late).exists()
    membership_withdraw(
        membership=Membership.objects.get(program=world.program, user=late), by=late
    )
    client.force_login(world.coordinator)
    response = _pair(client, match_round, late, world.mentors[0])
    _refused(response, "This person is not in the pool", match_round)


def test_a_mentor_who_paused_after_the_run_cannot_be_given_a_mentee_by_hand(client):
    world = round_program(mentees=2, mentors=1)
    match_round = run_round(world.program, world.coordinator)
    left = UnmatchedEntry.objects.get(round=match_round, role=Role.MENTEE).user
    Profile.objects.filter(user=world.mentors[0]).update(accepting_mentees=False)
    client.force_login(world.coordinator)
    response = _pair(client, match_round, left, world.mentors[0])
    _refused(response, "This mentor has no place left in the program any more.", match_round)


def test_a_pair_declined_in_an_earlier_round_cannot_be_made_again_by_hand(client):
    world = round_program(mentees=1, mentors=1)
    mentee, mentor = world.mentees[0], world.mentors[0]
    full_cycle(world.program, world.coordinator, decline_mentees=[mentee.pk])
    again = run_round(world.program, world.coordinator)
    assert pairs(again) == set()  # the engine does not propose them again
    client.force_login(world.coordinator)
    response = _pair(client, again, mentee, mentor)
    _refused(response, "One of these two declined this pair in an earlier round.", again)


def test_the_service_refuses_a_second_pair_or_a_mentor_outside_the_round():
    """Two coordinators pairing the same mentee at once, or a mentor who joined after the
    run: the form offers neither, and the service refuses both on its own."""
    world = round_program(mentees=2, mentors=2)
    match_round = run_round(world.program, world.coordinator)
    paired = Proposal.objects.filter(round=match_round).order_by("id").first()
    newcomer = world.add_mentor(name="Nora Newcomer")
    for mentee, mentor, field, words in (
        (paired.mentee, paired.mentor, "mentee", "already has a pair in this round"),
        (world.add_mentee(), newcomer, "mentor", "not one of this round's mentors"),
    ):
        with pytest.raises(ValidationError) as refused:
            proposal_hand_pair(
                match_round=match_round,
                mentee=mentee,
                mentor=mentor,
                by=world.coordinator,
                confirmed=True,
            )
        assert words in " ".join(refused.value.message_dict[field])
    assert Proposal.objects.filter(round=match_round).count() == 2
    assert not Proposal.objects.filter(round=match_round, origin="hand").exists()


def test_a_rerun_needs_a_known_algorithm_and_a_round_still_under_review(client):
    world = round_program(mentees=2, mentors=2)
    first = run_round(world.program, world.coordinator)
    client.force_login(world.coordinator)
    response = client.post(_url("matchrounds:round_rerun", first), {"algorithm": "greedy"})
    assert response["Location"] == _url("matchrounds:round", first)
    assert "Choose stable or optimal." in client.get(response["Location"]).content.decode()
    assert not first.reruns.exists()

    publish(first, world.coordinator)
    response = client.post(_url("matchrounds:round_rerun", first), {"algorithm": "optimal"})
    page = client.get(response["Location"]).content.decode()
    assert "Only a round under review can be run again around its locks." in page
    assert not first.reruns.exists()
    assert MatchRound.objects.filter(program=world.program).count() == 1


@pytest.mark.parametrize("seed", [-1, 2**31])
def test_a_tie_breaker_out_of_range_starts_no_round(seed):
    """The form and the API bound the seed; the service refuses it too."""
    world = round_program(mentees=1, mentors=1)
    with pytest.raises(ValidationError) as refused:
        round_start(program=world.program, by=world.coordinator, seed=seed)
    assert refused.value.message_dict["seed"] == [
        "The seed is a whole number from 0 to 2147483647."
    ]
    assert not MatchRound.objects.exists()
