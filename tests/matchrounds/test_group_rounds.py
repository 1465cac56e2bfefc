"""Group rounds: the engine gives each mentor a group of mentees within the program's size
range and the mentor's places, never two people a reporting line or a block keeps apart
(mentee and mentee too); the coordinator reviews by name and publishes all at once."""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from medmentor.accounts.models import User
from medmentor.matchrounds.models import (
    MatchRound,
    ProposedGroup,
    RoundKind,
    RoundStatus,
    UnmatchedEntry,
)
from medmentor.matchrounds.roundinputs import pool_of
from medmentor.matchrounds.services.run import round_start
from medmentor.mentorships.models import Mentorship, MentorshipKind, Source
from medmentor.mentorships.services.lifecycle import live_mentee_count
from medmentor.profiles.services import block_add, reporting_line_add
from tests.matchrounds.rounds_factories import RoundProgram, round_program

pytestmark = pytest.mark.django_db


def group_program(mentors: int, mentees: int, *, capacity: int = 4, **program) -> RoundProgram:
    program.setdefault("mentorship_format", "groups")
    world = round_program(group_size_min=3, group_size_max=4, **program)
    for k in range(mentors):
        world.add_mentor(name=f"Mentor {k:02d}", capacity=capacity, specialty="cardiology")
    for k in range(mentees):
        world.add_mentee(name=f"Mentee {k:02d}", specialty="cardiology")
    return world


def run_groups(world: RoundProgram, **kwargs) -> MatchRound:
    with TestCase.captureOnCommitCallbacks(execute=True):
        match_round = round_start(
            program=world.program, by=world.coordinator, kind=RoundKind.GROUPS, **kwargs
        )
    match_round.refresh_from_db()
    return match_round


def groups_of(match_round: MatchRound) -> list[tuple[int, set[int]]]:
    return [
        (g.mentor_id, set(g.rows.values_list("user_id", flat=True)))
        for g in ProposedGroup.objects.filter(round=match_round).order_by("position")
    ]


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_groups_keep_the_size_range_the_places_and_every_two_people_apart():
    world = group_program(3, 10)
    a, b, c = world.mentees[:3]
    # Two mentees a reporting line or a block keeps apart, and a mentee and a mentor.
    reporting_line_add(person=a, other=b, kind="evaluator")
    block_add(blocker=b, blocked=c)
    reporting_line_add(person=world.mentees[3], other=world.mentors[0], kind="supervisor")
    for seed in (0, 1):
        match_round = run_groups(world, seed=seed)
        assert match_round.status == RoundStatus.READY, match_round.error
        groups = groups_of(match_round)
        assert groups
        placed = [uid for _mentor, members in groups for uid in members]
        assert len(placed) == len(set(placed)) == 10  # everyone, each once
        for mentor_id, members in groups:
            assert 3 <= len(members) <= 4  # the size range and the mentor's 4 places
            assert not {a.pk, b.pk} <= members
            assert not {b.pk, c.pk} <= members
            if mentor_id == world.mentors[0].pk:
                assert world.mentees[3].pk not in members
        assert match_round.summary["groups"] == len(groups)
        assert match_round.summary["placed"] == 10


def test_a_mentee_no_group_can_take_is_listed_with_the_reason():
    world = group_program(1, 6, capacity=4)  # 4 seats for 6 mentees
    match_round = run_groups(world)
    [(mentor_id, members)] = groups_of(match_round)
    assert mentor_id == world.mentors[0].pk
    assert len(members) == 4
    left = UnmatchedEntry.objects.filter(round=match_round)
    assert left.count() == 2
    assert {entry.code for entry in left} <= {"mentors_full", "too_few_for_a_group"}


def test_a_pairs_only_program_refuses_a_group_round_on_its_field():
    from django.core.exceptions import ValidationError

    world = group_program(1, 3, mentorship_format="pairs")
    with pytest.raises(ValidationError) as refused:
        round_start(program=world.program, by=world.coordinator, kind=RoundKind.GROUPS)
    assert "kind" in refused.value.message_dict
    assert not MatchRound.objects.filter(program=world.program).exists()


def test_the_review_names_mentor_and_mentees_and_publishing_starts_every_group(client):
    world = group_program(2, 7)
    match_round = run_groups(world)
    groups = groups_of(match_round)
    client.force_login(world.coordinator)
    page = client.get(
        reverse("matchrounds:round", args=[world.program.uuid, match_round.uuid])
    ).content.decode()
    for person in [*world.mentors, *world.mentees]:
        assert person.name in page
        assert person.email not in page
    export = client.get(
        reverse("matchrounds:round_export", args=[world.program.uuid, match_round.uuid])
    )
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["group", "mentor", "mentee", "score", "reasons"]
    assert len(rows) == 1 + 7

    url = reverse("matchrounds:round_publish", args=[world.program.uuid, match_round.uuid])
    confirm = client.post(url)
    assert confirm.context["audience"].people == 9  # 7 mentees and their 2 mentors
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.post(url, {"confirm": "yes"}, follow=True)
    assert "every group has started" in done.content.decode()
    match_round.refresh_from_db()
    assert match_round.status == RoundStatus.PUBLISHED
    for stored, (mentor_id, members) in zip(
        ProposedGroup.objects.filter(round=match_round).order_by("position"), groups, strict=True
    ):
        mentorship = stored.mentorship
        assert mentorship.kind == MentorshipKind.GROUP
        assert mentorship.source == Source.ROUND
        assert mentorship.mentor_id == mentor_id
        assert {p.pk for p in mentorship.people_in_role("mentee")} == members
        for person in mentorship.people():
            workspace = reverse("mentorships:workspace", args=[mentorship.uuid])
            assert logged_in(person).get(workspace).status_code == 200
    told = {address for message in mail.outbox for address in message.to}
    assert told == {u.email for u in [*world.mentors, *world.mentees]}
    # Each mentee took one of their mentor's places; the next round's pool knows it.
    for mentor in world.mentors:
        assert live_mentee_count(mentor) == len(
            Mentorship.objects.get(mentor=mentor, kind=MentorshipKind.GROUP).people_in_role(
                "mentee"
            )
        )
    pool = pool_of(world.program)
    assert pool.mentee_ids == ()
    assert all(places <= 1 for places in pool.mentor_places.values())
