"""Running a match round: the pool, the rules it keeps (reporting lines, capacity,
seniority), intake questions, progress and failures, as a coordinator sees them."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from medmentor.matchrounds.models import MatchRound, Proposal, RoundStatus, UnmatchedEntry
from medmentor.matchrounds.roundinputs import pool_of, round_inputs
from medmentor.mentorships.models import Source
from medmentor.mentorships.services.lifecycle import mentorship_start
from medmentor.profiles.services import block_add, reporting_line_add
from medmentor.programs.models import IntakeQuestion, MatchingMode, Program, Role, SeniorityRule
from tests.matchrounds.rounds_factories import pairs, round_program, run_round

pytestmark = pytest.mark.django_db


def test_the_coordinator_sees_the_pool_then_runs_a_round(
    client, django_capture_on_commit_callbacks
):
    world = round_program(mentees=5, mentors=2, capacity=2)
    client.force_login(world.coordinator)
    page = client.get(reverse("matchrounds:rounds", args=[world.program.uuid]))
    assert page.status_code == 200
    assert page.context["pool"].mentee_ids == tuple(sorted(u.pk for u in world.mentees))
    assert page.context["pool"].places == 4
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            reverse("matchrounds:round_run", args=[world.program.uuid]), {"algorithm": "optimal"}
        )
    match_round = MatchRound.objects.get(program=world.program)
    assert started["Location"] == reverse(
        "matchrounds:round", args=[world.program.uuid, match_round.uuid]
    )
    assert (match_round.status, match_round.algorithm, match_round.progress) == (
        RoundStatus.READY,
        "optimal",
        100,
    )
    assert set(match_round.timings) == {"loading", "engine", "engine_cpu", "storing"}
    result = client.get(started["Location"])
    text = result.content.decode()
    assert "4 / 5 (80 %)" in text  # matched share
    assert "2 with 2 mentees" in text  # mentors' load
    assert "Every eligible mentor is full" in text  # the unmatched mentee's reason
    assert text.count("<meter") == 16  # four Cs of four pairs as bars
    assert "both Family Medicine" in text


def test_a_bad_choice_of_algorithm_is_refused(client):
    world = round_program(mentees=1, mentors=1)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("matchrounds:round_run", args=[world.program.uuid]), {"algorithm": "greedy"}
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not MatchRound.objects.exists()


def test_a_program_in_direct_request_mode_runs_no_round(client):
    world = round_program(mentees=1, mentors=1, matching_mode=MatchingMode.REQUESTS)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("matchrounds:round_run", args=[world.program.uuid]), {"algorithm": "stable"}
    )
    assert response.status_code == 422
    assert "direct requests only" in response.content.decode()
    assert not MatchRound.objects.exists()


def test_no_pair_inside_a_reporting_line_or_a_block():
    world = round_program()
    mentee = world.add_mentee()
    other_mentee = world.add_mentee(specialty="cardiology")
    supervisor = world.add_mentor()  # the best fit on paper
    blocked = world.add_mentor()
    stranger = world.add_mentor(specialty="cardiology", interests=("research",))
    reporting_line_add(person=mentee, other=supervisor, kind="supervisor")
    block_add(blocker=blocked, blocked=mentee)
    reporting_line_add(person=supervisor, other=other_mentee, kind="reports_to_me")
    for algorithm in ("stable", "optimal"):
        found = pairs(run_round(world.program, world.coordinator, algorithm))
        assert (mentee.pk, supervisor.pk) not in found
        assert (mentee.pk, blocked.pk) not in found
        assert (other_mentee.pk, supervisor.pk) not in found
        assert (mentee.pk, stranger.pk) in found


def test_capacity_counts_live_mentorships_and_waiting_proposals():
    world = round_program(mentees=6)
    busy = world.add_mentor(capacity=2)
    free = world.add_mentor(capacity=2)
    elsewhere = round_program(mentees=1)
    mentorship_start(
        mentor=busy, mentee=elsewhere.mentees[0], program=None, source=Source.REQUEST, by=busy
    )
    match_round = run_round(world.program, world.coordinator)
    load = Counter(mentor for _, mentor in pairs(match_round))
    assert load == {busy.pk: 1, free.pk: 2}
    assert match_round.places == {str(busy.pk): 1, str(free.pk): 2}
    assert match_round.summary["mentors_full"] == 2
    assert UnmatchedEntry.objects.filter(round=match_round, code="mentors_full").count() == 3


def test_seniority_rule_changes_the_result():
    world = round_program(seniority_rule=SeniorityRule.SENIOR)
    mentee = world.add_mentee(stage="resident-pgy2")
    peer = world.add_mentor(stage="resident-pgy2")  # same specialty: the better fit
    senior = world.add_mentor(stage="late-career", specialty="cardiology")
    strict = pairs(run_round(world.program, world.coordinator))
    assert strict == {(mentee.pk, senior.pk)}
    Program.objects.filter(pk=world.program.pk).update(seniority_rule=SeniorityRule.PEER)
    world.program.refresh_from_db()
    assert pairs(run_round(world.program, world.coordinator)) == {(mentee.pk, peer.pk)}


def test_intake_question_weights_change_the_result():
    world = round_program(region="ON")
    choices = [{"code": "en", "en": "English", "fr": "Anglais"},
               {"code": "fr", "en": "French", "fr": "Français"}]  # fmt: skip
    wish = IntakeQuestion.objects.create(
        program=world.program, role=Role.MENTEE, text_en="Mentoring in", choices=choices,
        matching_weight=0, matching_rule="same",
    )  # fmt: skip
    offer = IntakeQuestion.objects.create(
        program=world.program, role=Role.MENTOR, text_en="I mentor in", choices=choices,
        matching_weight=0,
    )  # fmt: skip
    mentee = world.add_mentee(province="ON")
    near = world.add_mentor(province="ON")  # same province: the better fit without questions
    francophone = world.add_mentor(province="QC")
    world.program.memberships.filter(user=mentee).update(answers={str(wish.uuid): ["fr"]})
    world.program.memberships.filter(user=near).update(answers={str(offer.uuid): ["en"]})
    world.program.memberships.filter(user=francophone).update(answers={str(offer.uuid): ["fr"]})
    assert pairs(run_round(world.program, world.coordinator)) == {(mentee.pk, near.pk)}
    IntakeQuestion.objects.filter(pk=wish.pk).update(matching_weight=100)
    weighted = run_round(world.program, world.coordinator)
    assert pairs(weighted) == {(mentee.pk, francophone.pk)}
    inputs = round_inputs(world.program)
    assert [q.code for q in inputs.problem.questions] == [str(wish.uuid)]
    assert inputs.problem.questions[0].weight == 4.0


def test_the_pool_leaves_out_paired_and_proposed_people():
    world = round_program(mentees=3, mentors=1, capacity=3)
    paired, proposed, free = world.mentees
    mentorship_start(
        mentor=world.mentors[0], mentee=paired, program=world.program,
        source=Source.ROUND, by=world.coordinator,
    )  # fmt: skip
    published = MatchRound.objects.create(program=world.program, status=RoundStatus.PUBLISHED)
    Proposal.objects.create(
        round=published, mentee=proposed, mentor=world.mentors[0], score=1, status="published"
    )
    no_profile = world.program.memberships.create(
        user=type(free).objects.create_user("bare@example.org", None), role=Role.MENTEE,
        status="active",
    ).user  # fmt: skip
    pool = pool_of(world.program)
    assert pool.mentee_ids == (free.pk,)
    assert pool.mentees_without_profile == (no_profile.pk,)
    assert pool.mentor_places == {world.mentors[0].pk: 1}  # 3 - 1 live - 1 waiting
    match_round = run_round(world.program, world.coordinator)
    assert pairs(match_round) == {(free.pk, world.mentors[0].pk)}
    assert UnmatchedEntry.objects.get(round=match_round).code == "no_profile"


def test_loading_takes_a_constant_number_of_queries():
    small = round_program(mentees=2, mentors=1)
    large = round_program(mentees=12, mentors=6)
    counts = []
    for world in (small, large):
        with CaptureQueriesContext(connection) as queries:
            round_inputs(world.program)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_progress_is_polled_while_running_and_a_failure_shows_its_error(client, monkeypatch):
    world = round_program(mentees=1, mentors=1)
    client.force_login(world.coordinator)
    queued = MatchRound.objects.create(program=world.program, created_by=world.coordinator)
    url = reverse("matchrounds:round", args=[world.program.uuid, queued.uuid])
    page = client.get(url)
    assert 'hx-trigger="every 1s"' in page.content.decode()
    assert "Refresh" in page.content.decode()  # without JavaScript
    partial = client.get(url, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert 'hx-trigger="every 1s"' in partial.content.decode()
    MatchRound.objects.filter(pk=queued.pk).delete()

    def broken(*args, **kwargs):
        raise RuntimeError("the engine ran out of memory")

    monkeypatch.setattr("medmentor.matchrounds.services.execute.solve", broken)
    failed = run_round(world.program, world.coordinator)
    assert failed.status == RoundStatus.FAILED
    assert not failed.proposals.exists()
    url = reverse("matchrounds:round", args=[world.program.uuid, failed.uuid])
    assert "the engine ran out of memory" in client.get(url).content.decode()
    done = client.get(url, headers={"HX-Request": "true"})
    assert done.status_code == 204
    assert done["HX-Refresh"] == "true"


def test_a_round_delivered_twice_runs_once():
    from medmentor.matchrounds.services.execute import round_execute

    world = round_program(mentees=2, mentors=2)
    match_round = run_round(world.program, world.coordinator)
    round_execute(match_round_id=match_round.pk)
    assert Proposal.objects.filter(round=match_round).count() == 2


def test_only_one_round_runs_at_a_time(client):
    world = round_program(mentees=1, mentors=1)
    MatchRound.objects.create(program=world.program, status=RoundStatus.RUNNING)
    client.force_login(world.coordinator)
    response = client.post(
        reverse("matchrounds:round_run", args=[world.program.uuid]), {"algorithm": "stable"}
    )
    assert response.status_code == 422
    assert "already running" in response.content.decode()


def test_an_empty_pool_gives_an_empty_round_not_an_error():
    world = round_program(mentees=2)
    match_round = run_round(world.program, world.coordinator)
    assert match_round.status == RoundStatus.READY
    assert match_round.summary["matched"] == 0
    codes = set(UnmatchedEntry.objects.filter(round=match_round).values_list("code", flat=True))
    assert codes == {"no_eligible_mentor"}


def test_reasons_and_warnings_read_in_french(client):
    world = round_program(mentees=1, mentors=1)
    match_round = run_round(world.program, world.coordinator)
    Proposal.objects.filter(round=match_round).update(
        warnings=["no shared language", "mentor over capacity: 2 mentees, capacity 1"]
    )
    client.force_login(world.coordinator)
    page = client.get(
        reverse("matchrounds:round", args=[world.program.uuid, match_round.uuid]),
        headers={"Accept-Language": "fr"},
    ).content.decode()
    assert "même domaine : Médecine familiale" in page  # the label in French too
    assert "aucune langue en commun" in page
    assert "mentor au-delà de sa capacité : 2 personnes mentorées, capacité 1" in page


def test_long_results_are_sorted_and_paginated(client):
    world = round_program(mentees=53, mentors=51)
    match_round = run_round(world.program, world.coordinator)
    client.force_login(world.coordinator)
    url = reverse("matchrounds:round", args=[world.program.uuid, match_round.uuid])
    first = client.get(url)
    assert len(first.context["rows"]) == 50
    scores = [row["proposal"].score for row in first.context["rows"]]
    assert scores == sorted(scores, reverse=True)
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(url, {"page": 2, "order": "mentee"})
    assert len(second.context["rows"]) == 1
    by_mentee = client.get(url, {"order": "mentee"}).context["rows"]
    names = [row["proposal"].mentee.name for row in by_mentee]
    assert names == sorted(names)
    assert first.context["unmatched"].paginator.count == 2
