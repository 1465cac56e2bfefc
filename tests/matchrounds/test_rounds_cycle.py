"""After the review: publish (both told), accept and decline (private reasons), mentorships
from rounds, declined people back in the pool, failures told to both, the CSV export."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from medmentor.matchrounds.models import Proposal, RoundStatus
from medmentor.matchrounds.roundinputs import pool_of
from medmentor.matchrounds.selectors.rounds import my_proposals
from medmentor.matchrounds.services.publish import REASON_MAX, proposal_respond
from medmentor.mentorships.models import Mentorship
from medmentor.notifications.models import Notification
from medmentor.profiles.services import reporting_line_add
from tests.matchrounds.rounds_factories import (
    answer,
    full_cycle,
    pairs,
    publish,
    round_program,
    run_round,
)

pytestmark = pytest.mark.django_db


def test_publishing_notifies_both_people_of_each_pair(client, django_capture_on_commit_callbacks):
    world = round_program(mentees=2, mentors=2)
    match_round = run_round(world.program, world.coordinator)
    world.mentees[0].language = "fr"
    world.mentees[0].save()
    client.force_login(world.coordinator)
    url = reverse("matchrounds:round_publish", args=[world.program.uuid, match_round.uuid])
    # The first click asks to confirm, saying how many people will be told; nothing yet.
    asked = client.post(url)
    assert asked.status_code == 200
    assert "proposes 2 pairs and tells their 4 people" in asked.content.decode()
    assert "Publish and tell 4 people" in asked.content.decode()
    match_round.refresh_from_db()
    assert match_round.status == RoundStatus.READY
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    match_round.refresh_from_db()
    assert match_round.status == RoundStatus.PUBLISHED
    assert match_round.published_by == world.coordinator
    assert set(Proposal.objects.values_list("status", flat=True)) == {"published"}
    told = Notification.objects.filter(kind="programs.proposal")
    assert sorted(n.recipient_id for n in told) == sorted(
        u.pk for u in world.mentees + world.mentors
    )
    assert len(mail.outbox) == 4
    by_address = {m.to[0]: m for m in mail.outbox}
    french = by_address[world.mentees[0].email]
    # Rendered in the recipient's language (the program's French name; the wording follows
    # once the French catalogue has these messages).
    assert "Programme de mentorat" in french.subject
    english = by_address[world.mentors[0].email]
    proposal = Proposal.objects.get(mentor=world.mentors[0])
    assert f"proposes that you mentor {proposal.mentee.name}" in english.body
    assert reverse("matchrounds:proposal", args=[proposal.uuid]) in english.body
    html = english.alternatives[0][0]
    assert "Accept or decline" in html
    # Published twice? No: the round is closed to changes.
    again = client.post(url, {"confirm": "yes"}, follow=True)
    assert "Only a round that ran and is under review can be published." in again.content.decode()


def test_accept_and_accept_start_a_mentorship_from_the_round(client):
    world = round_program(mentees=1, mentors=1)
    match_round = publish(run_round(world.program, world.coordinator), world.coordinator)
    proposal = Proposal.objects.get(round=match_round)
    mentee, mentor = world.mentees[0], world.mentors[0]
    client.force_login(mentee)
    mine = client.get(reverse("matchrounds:proposals"))
    assert mentor.name in mine.content.decode()
    assert reverse("matchrounds:proposals") in client.get(reverse("programs:mine")).content.decode()
    client.post(reverse("matchrounds:proposal_answer", args=[proposal.uuid, "accept"]))
    proposal.refresh_from_db()
    assert (proposal.status, proposal.mentee_response) == ("published", "accepted")
    assert not Mentorship.objects.exists()
    client.force_login(mentor)
    done = client.post(
        reverse("matchrounds:proposal_answer", args=[proposal.uuid, "accept"]), follow=True
    )
    assert "your mentorship has started" in done.content.decode()
    proposal.refresh_from_db()
    mentorship = Mentorship.objects.get()
    assert (mentorship.mentor, mentorship.mentee, mentorship.source, mentorship.program) == (
        mentor,
        mentee,
        "round",
        world.program,
    )
    assert (proposal.status, proposal.mentorship) == ("accepted", mentorship)
    # Answering twice is refused, with the reason.
    twice = client.post(reverse("matchrounds:proposal_answer", args=[proposal.uuid, "decline"]))
    assert twice.status_code == 422
    assert "closed" in twice.content.decode()


def test_an_answer_given_twice_is_refused_while_the_other_side_decides(client):
    """The mentee accepted, then (another tab, the back button) declines: the first answer
    stands, the page says why, the mentor is still to answer."""
    world = round_program(mentees=1, mentors=1)
    match_round = publish(run_round(world.program, world.coordinator), world.coordinator)
    proposal = Proposal.objects.get(round=match_round)
    client.force_login(world.mentees[0])
    url = reverse("matchrounds:proposal_answer", args=[proposal.uuid, "accept"])
    assert client.post(url).status_code == 302
    again = client.post(reverse("matchrounds:proposal_answer", args=[proposal.uuid, "decline"]))
    assert again.status_code == 422
    assert "You have already answered this proposal." in again.content.decode()
    proposal.refresh_from_db()
    assert (proposal.status, proposal.mentee_response, proposal.mentor_response) == (
        "published",
        "accepted",
        "pending",
    )


def test_only_the_two_people_answer_and_a_reason_has_a_limit_in_the_service_too():
    """The pages and the API let only the pair answer and bound the reason; the service
    refuses a third person and an overlong reason by itself, and records nothing."""
    world = round_program(mentees=1, mentors=1)
    match_round = publish(run_round(world.program, world.coordinator), world.coordinator)
    proposal = Proposal.objects.get(round=match_round)
    with pytest.raises(ValidationError) as stranger:
        proposal_respond(proposal=proposal, user=world.coordinator, accept=True)
    assert stranger.value.messages == ["This proposal is not yours."]
    with pytest.raises(ValidationError) as long:
        proposal_respond(
            proposal=proposal, user=proposal.mentee, accept=False, reason="x" * (REASON_MAX + 1)
        )
    assert "Keep the reason under" in " ".join(long.value.message_dict["reason"])
    proposal.refresh_from_db()
    assert (proposal.status, proposal.mentee_response, proposal.mentee_reason) == (
        "published",
        "pending",
        "",
    )
    assert not Notification.objects.filter(kind="programs.proposal_declined").exists()


def test_a_decline_tells_the_other_side_and_both_return_to_the_pool(
    client, django_capture_on_commit_callbacks
):
    world = round_program(mentees=1, mentors=2)
    mentee = world.mentees[0]
    match_round = publish(run_round(world.program, world.coordinator), world.coordinator)
    proposal = Proposal.objects.get(round=match_round)
    assert pool_of(world.program).mentee_ids == ()
    mail.outbox.clear()
    client.force_login(proposal.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("matchrounds:proposal_answer", args=[proposal.uuid, "decline"]),
            {"reason": "I am on leave this term."},
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.mentor_response) == ("declined", "declined")
    assert proposal.mentor_reason == "I am on leave this term."
    told = Notification.objects.get(kind="programs.proposal_declined")
    assert told.recipient == mentee
    assert "I am on leave" not in told.body  # the reason stays private
    assert [m.to for m in mail.outbox] == [[mentee.email]]
    # Back in the pool; the next round proposes another mentor, not the one who declined.
    assert pool_of(world.program).mentee_ids == (mentee.pk,)
    assert proposal.mentor_id in pool_of(world.program).mentor_places
    following = run_round(world.program, world.coordinator)
    other_mentor = next(u for u in world.mentors if u.pk != proposal.mentor_id)
    assert pairs(following) == {(mentee.pk, other_mentor.pk)}


def test_a_refused_start_fails_the_proposal_and_tells_both():
    world = round_program(mentees=1, mentors=1)
    match_round = publish(run_round(world.program, world.coordinator), world.coordinator)
    proposal = Proposal.objects.select_related("mentee", "mentor", "round__program").get(
        round=match_round
    )
    # A reporting line declared after publication: the mentorship must not start.
    reporting_line_add(person=proposal.mentee, other=proposal.mentor, kind="evaluator")
    ended = answer(proposal, mentee=True, mentor=True)
    assert ended.status == "failed"
    assert "reporting line" in ended.failure
    assert not Mentorship.objects.exists()
    told = Notification.objects.filter(kind="programs.proposal_failed")
    assert {n.recipient_id for n in told} == {proposal.mentee_id, proposal.mentor_id}
    assert pool_of(world.program).mentee_ids == (proposal.mentee_id,)


def test_the_round_exports_to_csv(client):
    world = round_program(mentees=3, mentors=1, capacity=2)
    world.mentees[0].name = "=HYPERLINK(1)"
    world.mentees[0].save()
    match_round = run_round(world.program, world.coordinator)
    client.force_login(world.coordinator)
    response = client.get(
        reverse("matchrounds:round_export", args=[world.program.uuid, match_round.uuid])
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 3
    matched = [r for r in rows if r["mentor"]]
    assert len(matched) == 2
    for row in matched:
        proposal = Proposal.objects.get(round=match_round, mentee__name=row["mentee"])
        assert row["mentor"] == world.mentors[0].name
        assert row["score"] == f"{proposal.score:.4f}"
        assert row["consideration"] == f"{proposal.consideration:.4f}"
        assert (row["status"], row["origin"], row["locked"]) == ("proposed", "engine", "no")
    unmatched = next(r for r in rows if not r["mentor"])
    assert unmatched["status"] == "unmatched: mentors_full"
    assert all(not r["mentee"].startswith("=") for r in rows)  # no spreadsheet formula
    assert not any("@" in value for r in rows for value in r.values())  # names, no addresses


def test_the_whole_cycle_helper():
    world = round_program(mentees=4, mentors=2, capacity=2)
    declining = world.mentees[0]
    match_round, ended = full_cycle(
        world.program, world.coordinator, decline_mentees=[declining.pk]
    )
    statuses = sorted(p.status for p in ended)
    assert statuses == ["accepted", "accepted", "accepted", "declined"]
    assert Mentorship.objects.filter(program=world.program, source="round").count() == 3
    assert pool_of(world.program).mentee_ids == (declining.pk,)
    newcomer = world.add_mentor()  # the mentor who was declined is not proposed again
    next_round = run_round(world.program, world.coordinator)
    assert pairs(next_round) == {(declining.pk, newcomer.pk)}
    assert match_round.status == RoundStatus.PUBLISHED


def test_a_mentee_is_never_proposed_twice_by_two_published_rounds():
    world = round_program(mentees=2, mentors=2)
    first = run_round(world.program, world.coordinator)
    second = run_round(world.program, world.coordinator)  # same pool: same mentees
    publish(first, world.coordinator)
    publish(second, world.coordinator)
    failed = Proposal.objects.filter(round=second)
    assert set(failed.values_list("status", flat=True)) == {"failed"}
    assert "already had a proposal" in failed.first().failure
    # The failed copies were never shown: each mentee sees the first round's proposal only.
    assert [p.round_id for p in my_proposals(world.mentees[0])] == [first.pk]


def test_a_round_of_200_participants_keeps_every_rule_through_the_cycle():
    stages = ["medical-student", "resident-pgy1", "resident-pgy3", "fellow"]
    specialties = ["family-medicine", "cardiology", "psychiatry"]
    world = round_program(seniority_rule="senior")
    for k in range(150):
        world.add_mentee(stage=stages[k % 4], specialty=specialties[k % 3])
    for k in range(50):
        world.add_mentor(
            capacity=1 + k % 3,
            stage=["early-career", "mid-career", "late-career"][k % 3],
            specialty=specialties[(k + 1) % 3],
        )
    supervised = [(world.mentees[k], world.mentors[k % 50]) for k in range(0, 150, 7)]
    for mentee, mentor in supervised:
        reporting_line_add(person=mentee, other=mentor, kind="supervisor")
    lines = {(mentee.pk, mentor.pk) for mentee, mentor in supervised}
    declining = {u.pk for u in world.mentees[:10]}
    match_round, ended = full_cycle(world.program, world.coordinator, decline_mentees=declining)
    found = {(p.mentee_id, p.mentor_id) for p in ended}
    assert not found & lines
    capacity = {u.pk: 1 + k % 3 for k, u in enumerate(world.mentors)}
    load = Counter(mentor for _, mentor in found)
    assert all(load[m] <= capacity[m] for m in load)
    assert match_round.summary["matched"] == len(found) == sum(capacity.values())
    started = Mentorship.objects.filter(program=world.program, source="round")
    assert started.count() == len(found) - len(declining & {m for m, _ in found})
    assert set(pool_of(world.program).mentee_ids) >= declining & {m for m, _ in found}
