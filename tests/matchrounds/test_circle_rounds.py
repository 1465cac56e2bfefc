"""Circle rounds: a coordinator starts one where the program's format allows circles, the
engine forms circles in the program's size range with every reporting line and block kept
apart, the review page names people (never their addresses) and why anyone is left out,
and publishing starts every circle through ``group_start``, all or nothing."""

from __future__ import annotations

import csv
import io
from itertools import combinations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
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
from medmentor.matchrounds.roundinputs import circle_inputs
from medmentor.matchrounds.services.publish import round_publish
from medmentor.matchrounds.services.run import round_rerun, round_start
from medmentor.mentorships.models import Mentorship, Source
from medmentor.mentorships.models.mentorship import MentorshipKind
from medmentor.notifications.models import Notification
from medmentor.profiles.services import block_add, reporting_line_add
from medmentor.programs.models import Membership, Role, Status
from tests.matchrounds.rounds_factories import RoundProgram, round_program
from tests.programs.factories import MembershipFactory, coordinator_of

pytestmark = pytest.mark.django_db


def circle_program(people: int = 0, *, size: tuple[int, int] = (3, 4), **program) -> RoundProgram:
    """A circles program with ``people`` participants (mentees and mentors alternately),
    each with a complete profile."""
    program.setdefault("mentorship_format", "circles")
    world = round_program(group_size_min=size[0], group_size_max=size[1], **program)
    for k in range(people):
        if k % 2:
            world.add_mentor(name=f"Peer {k:02d}")
        else:
            world.add_mentee(name=f"Peer {k:02d}")
    return world


def everyone(world: RoundProgram) -> list[User]:
    return [*world.mentees, *world.mentors]


def run_circles(world: RoundProgram, **kwargs) -> MatchRound:
    with TestCase.captureOnCommitCallbacks(execute=True):
        match_round = round_start(
            program=world.program, by=world.coordinator, kind=RoundKind.CIRCLES, **kwargs
        )
    match_round.refresh_from_db()
    return match_round


def world_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def members_of(match_round: MatchRound) -> list[set[int]]:
    return [
        set(circle.rows.values_list("user_id", flat=True))
        for circle in ProposedGroup.objects.filter(round=match_round).order_by("position")
    ]


def test_a_program_without_circles_refuses_a_circle_round_on_its_field(client):
    world = round_program(mentees=4, mentors=2, mentorship_format="pairs")
    with pytest.raises(ValidationError) as refused:
        round_start(program=world.program, by=world.coordinator, kind=RoundKind.CIRCLES)
    assert set(refused.value.error_dict) == {"kind"}
    assert "no peer circles" in refused.value.messages[0]

    client.force_login(world.coordinator)
    page = client.get(reverse("matchrounds:rounds", args=[world.program.uuid]))
    assert "People for peer circles" not in page.content.decode()
    assert 'value="circles"' not in page.content.decode()  # not offered
    response = client.post(
        reverse("matchrounds:round_run", args=[world.program.uuid]),
        {"kind": "circles", "algorithm": "stable"},
    )
    assert response.status_code == 422
    assert "no peer circles" in response.content.decode()
    assert not MatchRound.objects.exists()


def test_a_circles_only_program_runs_no_pair_round():
    world = circle_program(6)
    with pytest.raises(ValidationError) as refused:
        round_start(program=world.program, by=world.coordinator, kind=RoundKind.PAIRS)
    assert set(refused.value.error_dict) == {"kind"}


def test_a_mixed_program_offers_both_kinds_with_its_size_range(client):
    world = circle_program(6, size=(3, 5), mentorship_format="mixed")
    client.force_login(world.coordinator)
    text = client.get(reverse("matchrounds:rounds", args=[world.program.uuid])).content.decode()
    assert 'value="pairs"' in text
    assert "Peer circles of 3 to 5 members" in text
    assert "People for peer circles" in text
    assert "The pool" in text


def test_the_coordinator_runs_a_circle_round_from_the_rounds_page(
    client, django_capture_on_commit_callbacks
):
    world = circle_program(7)
    client.force_login(world.coordinator)
    page = client.get(reverse("matchrounds:rounds", args=[world.program.uuid]))
    assert page.context["circle_pool"].people == tuple(sorted(u.pk for u in everyone(world)))
    assert page.context["can_run"]
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            reverse("matchrounds:round_run", args=[world.program.uuid]), {"algorithm": "stable"}
        )
    match_round = MatchRound.objects.get(program=world.program)
    assert started["Location"] == reverse(
        "matchrounds:round", args=[world.program.uuid, match_round.uuid]
    )
    assert (match_round.kind, match_round.status, match_round.progress) == ("circles", "ready", 100)
    assert set(match_round.timings) == {"loading", "engine", "engine_cpu", "storing"}


def test_circles_keep_the_size_range_and_every_reporting_line_and_block_apart():
    world = circle_program(8)
    # The two people of each excluded pair are the closest fits on paper.
    supervisor = world.add_mentor(
        name="Supervisor", specialty="cardiology", interests=("research",)
    )
    resident = world.add_mentee(name="Resident", specialty="cardiology", interests=("research",))
    blocker = world.add_mentee(name="Blocker", specialty="pediatrics", interests=("research",))
    blocked = world.add_mentee(name="Blocked", specialty="pediatrics", interests=("research",))
    reporting_line_add(person=resident, other=supervisor, kind="supervisor")
    block_add(blocker=blocker, blocked=blocked)
    # One person enrolled in both roles is one peer.
    both = world.mentees[3]
    MembershipFactory(program=world.program, user=both, role=Role.MENTOR)

    inputs = circle_inputs(world.program)
    assert [p.id for p in inputs.people] == [
        str(u.pk) for u in sorted(everyone(world), key=lambda u: u.pk)
    ]
    assert set(inputs.exclusions) == {
        tuple(sorted((str(resident.pk), str(supervisor.pk)))),
        tuple(sorted((str(blocker.pk), str(blocked.pk)))),
    }

    for seed in (0, 1, 2):
        match_round = run_circles(world, seed=seed)
        assert match_round.status == RoundStatus.READY, match_round.error
        circles = members_of(match_round)
        assert circles
        assert all(3 <= len(c) <= 4 for c in circles)
        placed = [uid for c in circles for uid in c]
        assert len(placed) == len(set(placed)) == 12  # everyone, each once
        for circle in circles:
            assert not {resident.pk, supervisor.pk} <= circle
            assert not {blocker.pk, blocked.pk} <= circle
        assert match_round.summary["placed"] == 12
        assert match_round.summary["circles"] == len(circles)
        assert sum(n for _, n in match_round.summary["sizes"]) == len(circles)


def test_who_is_left_out_is_listed_with_the_reason(client):
    world = circle_program(4, size=(3, 3))
    loner = world.add_mentee(name="Zoé Loner", languages=("fr",))  # no language in common
    no_profile = MembershipFactory(
        program=world.program, role=Role.MENTEE, user__name="Nadia Noprofile"
    ).user

    match_round = run_circles(world)
    assert [len(c) for c in members_of(match_round)] == [3]
    reasons = dict(UnmatchedEntry.objects.filter(round=match_round).values_list("user", "code"))
    assert reasons[loner.pk] == "no_feasible_circle"
    assert reasons[no_profile.pk] == "no_profile"
    assert sorted(reasons.values()).count("too_few_people") == 1
    assert match_round.summary["people"] == 6
    assert match_round.summary["placed"] == 3

    client.force_login(world.coordinator)
    text = client.get(
        reverse("matchrounds:round", args=[world.program.uuid, match_round.uuid])
    ).content.decode()
    assert "3 people not placed" in text
    assert "Zoé Loner" in text
    assert "No circle can take them without breaking a rule" in text
    assert "Too few people left for another circle" in text
    assert "Nadia Noprofile" in text
    assert "No complete profile" in text
    assert "3 / 6 (50 %)" in text


def test_the_review_page_names_members_never_their_addresses(client):
    world = circle_program(8)
    match_round = run_circles(world)
    client.force_login(world.coordinator)
    page = client.get(reverse("matchrounds:round", args=[world.program.uuid, match_round.uuid]))
    text = page.content.decode()
    assert page.status_code == 200
    circles = page.context["circles"]
    assert len(circles) == len(members_of(match_round))
    for person in everyone(world):
        assert person.name in text
        assert person.email not in text
    assert "all Family Medicine" in text  # what the circle's members share
    # Pair-only controls are not shown.
    for pair_only in ("Lock", "Break", "Pair two people by hand", "Compare with"):
        assert pair_only not in text
    assert 'class="round-proposals' not in text


def test_pair_only_pages_refuse_a_circle_round(client):
    world = circle_program(6)
    match_round = run_circles(world)
    pair_round = MatchRound.objects.create(program=world.program, status=RoundStatus.READY)
    client.force_login(world.coordinator)
    args = [world.program.uuid, match_round.uuid]
    assert client.get(reverse("matchrounds:round_pair", args=args)).status_code == 404
    assert client.post(reverse("matchrounds:round_pair", args=args)).status_code == 404
    compare = reverse("matchrounds:round_compare", args=args)
    assert client.get(compare, {"with": pair_round.uuid}).status_code == 404
    compare_pairs = reverse("matchrounds:round_compare", args=[world.program.uuid, pair_round.uuid])
    assert client.get(compare_pairs, {"with": match_round.uuid}).status_code == 404
    for name in ("round_lock", "round_break"):
        url = reverse(f"matchrounds:{name}", args=[*args, pair_round.uuid])
        assert client.post(url, {"locked": "1"}).status_code == 404


def test_a_circle_round_runs_again_as_circles():
    world = circle_program(6)
    first = run_circles(world)
    with TestCase.captureOnCommitCallbacks(execute=True):
        again = round_rerun(match_round=first, by=world.coordinator)
    again.refresh_from_db()
    assert (again.kind, again.status, again.rerun_of_id) == ("circles", "ready", first.pk)


def test_the_export_lists_each_circle_by_name():
    world = circle_program(6)
    match_round = run_circles(world)
    client = world_client(world.coordinator)
    response = client.get(
        reverse("matchrounds:round_export", args=[world.program.uuid, match_round.uuid])
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["circle", "member", "score", "reasons"]
    assert {row[1] for row in rows[1:]} == {u.name for u in everyone(world)}
    assert not any("@" in cell for row in rows for cell in row)


def test_publishing_starts_every_circle_for_its_members_only(client):
    world = circle_program(8)
    outsider = MembershipFactory(program=world.program, role=Role.MENTEE).user  # no profile
    match_round = run_circles(world)
    mail.outbox.clear()
    client.force_login(world.coordinator)
    url = reverse("matchrounds:round_publish", args=[world.program.uuid, match_round.uuid])
    confirm = client.post(url)
    circles = members_of(match_round)
    assert confirm.context["audience"].pairs == len(circles)
    assert confirm.context["audience"].people == 8
    assert f"Publishing starts {len(circles)} circles and tells their 8 people" in (
        confirm.content.decode()
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        done = client.post(url, {"confirm": "yes"}, follow=True)
    assert "every circle has started" in done.content.decode()

    match_round.refresh_from_db()
    assert match_round.status == RoundStatus.PUBLISHED
    assert match_round.published_by == world.coordinator
    stored = ProposedGroup.objects.filter(round=match_round).select_related("mentorship")
    assert all(c.mentorship is not None for c in stored)
    mentorships = Mentorship.objects.filter(program=world.program)
    assert mentorships.count() == len(circles)
    for circle in stored:
        mentorship = circle.mentorship
        assert (mentorship.kind, mentorship.source, mentorship.status) == (
            MentorshipKind.CIRCLE,
            Source.ROUND,
            "active",
        )
        assert mentorship.name == f"Circle {circle.position}"
        people = {p.pk for p in mentorship.people()}
        assert people == set(circle.rows.values_list("user_id", flat=True))
        assert {m.role for m in mentorship.member_rows} == {"peer"}
        workspace = reverse("mentorships:workspace", args=[mentorship.uuid])
        for person in mentorship.people():
            assert world_client(person).get(workspace).status_code == 200
        strangers = [u for u in everyone(world) if u.pk not in people]
        for person in [*strangers[:1], outsider, world.coordinator]:
            assert world_client(person).get(workspace).status_code == 404
    told = {address for message in mail.outbox for address in message.to}
    assert told == {u.email for u in everyone(world)}

    # The published page links each circle to its oversight; publishing twice is refused.
    text = client.get(
        reverse("matchrounds:round", args=[world.program.uuid, match_round.uuid])
    ).content.decode()
    assert "every circle has started" in text
    for circle in stored:
        assert reverse("mentorships:oversight", args=[circle.mentorship.uuid]) in text
    with pytest.raises(ValidationError):
        round_publish(match_round=match_round, by=world.coordinator)
    # The people now in circles are out of the next circle round's pool.
    assert run_circles(world).summary["people"] == 1  # the outsider, without a profile


def test_publishing_is_all_or_nothing_and_names_the_circle_refused(client):
    world = circle_program(8, size=(4, 4))
    match_round = run_circles(world)
    second = ProposedGroup.objects.get(round=match_round, position=2)
    leaver = second.rows.first().user
    Membership.objects.filter(program=world.program, user=leaver).update(status=Status.WITHDRAWN)
    mail.outbox.clear()
    with (
        pytest.raises(ValidationError) as refused,
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        round_publish(match_round=match_round, by=world.coordinator)
    message = refused.value.messages[0]
    assert message.startswith("Circle 2 cannot start:")
    assert leaver.name in message
    assert "Nothing was published." in message
    assert not Mentorship.objects.exists()  # circle 1 started, then rolled back
    assert not ProposedGroup.objects.filter(mentorship__isnull=False).exists()
    match_round.refresh_from_db()
    assert match_round.status == RoundStatus.READY
    assert mail.outbox == []
    assert not Notification.objects.exists()  # nobody was told of circle 1

    client.force_login(world.coordinator)
    url = reverse("matchrounds:round_publish", args=[world.program.uuid, match_round.uuid])
    shown = client.post(url, {"confirm": "yes"}, follow=True).content.decode()
    assert "Circle 2 cannot start:" in shown
    assert not Mentorship.objects.exists()


def test_someone_put_in_a_circle_meanwhile_refuses_the_publication():
    world = circle_program(8, size=(4, 4))
    first = run_circles(world)
    second = run_circles(world, seed=7)  # computed before the first is published
    with TestCase.captureOnCommitCallbacks(execute=True):
        round_publish(match_round=first, by=world.coordinator)
    with pytest.raises(ValidationError) as refused:
        round_publish(match_round=second, by=world.coordinator)
    assert "Circle 1 cannot start:" in refused.value.messages[0]
    assert "is already in Circle" in refused.value.messages[0]
    assert Mentorship.objects.count() == 2


def test_only_the_programs_coordinators_see_a_circle_round(client):
    world = circle_program(6)
    match_round = run_circles(world)
    url = reverse("matchrounds:round", args=[world.program.uuid, match_round.uuid])
    other = coordinator_of(circle_program(0).program).user
    assert client.get(url).status_code == 302  # to the log-in page
    for person, status in ((world.mentees[0], 403), (world.mentors[0], 403), (other, 404)):
        assert world_client(person).get(url).status_code == status
    assert world_client(world.coordinator).get(url).status_code == 200


def test_every_two_members_of_a_circle_are_checked_by_the_engine_too():
    """The engine's input holds each excluded pair once, in either direction."""
    world = circle_program(6)
    a, b, c = everyone(world)[:3]
    reporting_line_add(person=a, other=b, kind="reports_to_me")
    reporting_line_add(person=b, other=a, kind="supervisor")
    reporting_line_add(person=c, email=a.email, kind="conflict")
    inputs = circle_inputs(world.program)
    assert sorted(inputs.exclusions) == sorted(
        {tuple(sorted((str(x.pk), str(y.pk)))) for x, y in ((a, b), (a, c))}
    )
    for circle in members_of(run_circles(world)):
        for x, y in combinations(circle, 2):
            assert {x, y} not in ({a.pk, b.pk}, {a.pk, c.pk})


def test_the_api_starts_a_circle_round_and_lists_its_circles_by_name(
    django_capture_on_commit_callbacks,
):
    world = circle_program(8)
    client = world_client(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            f"/api/rounds/programs/{world.program.uuid}",
            {"kind": "circles"},
            content_type="application/json",
        )
    assert started.status_code == 202
    detail = client.get(f"/api/rounds/{started.json()['uuid']}").json()
    assert detail["kind"] == "circles"
    assert detail["proposals"] == []
    named = sorted(m["name"] for c in detail["circles"] for m in c["members"])
    assert named == sorted(u.name for u in everyone(world))
    assert all(3 <= len(c["members"]) <= 4 for c in detail["circles"])
    assert not any(u.email in str(detail) for u in everyone(world))
    # A program whose format runs no circles refuses them, on the field.
    pairs = round_program()
    refused = world_client(pairs.coordinator).post(
        f"/api/rounds/programs/{pairs.program.uuid}",
        {"kind": "circles"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert "kind" in refused.content.decode()
