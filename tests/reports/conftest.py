"""A program with a year behind it, built through the services wherever they allow (a
round run, published and answered; mentorships ended by each side and by their end date;
baselines and evaluations given), with dates moved back afterwards. The tests compute
what the report should say from these rows themselves."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.test import Client, TestCase
from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.matchrounds.models import Proposal, ProposalStatus
from medmentor.mentorships.access import get_mentorship_for
from medmentor.mentorships.evaluation import dimensions_for
from medmentor.mentorships.models import (
    CheckIn,
    Goal,
    GoalStatus,
    MeetingRating,
    Mentorship,
)
from medmentor.mentorships.services.closure import (
    evaluation_submit,
    mentorship_end,
    mentorships_close_due,
)
from medmentor.mentorships.services.selfrating import baseline_submit
from medmentor.programs.models import Membership, Program, Role, Status
from medmentor.requests.models import Request as MentorRequest
from medmentor.requests.models import RequestCascade, RequestStatus
from tests.factories import UserFactory, logged_in_client
from tests.matchrounds.rounds_factories import (
    RoundProgram,
    answer,
    publish,
    round_program,
    run_round,
)
from tests.mentorships.factories import past_meeting
from tests.programs.factories import MembershipFactory, ProgramFactory

GENDERS = ("woman", "woman", "man", "non-binary", "")
PROVINCES = ("ON", "QC", "ON", "BC")
PERSONAS = (
    "anonymous",
    "mentee",
    "mentor",
    "outsider",
    "other_coordinator",
    "coordinator",
    "staff",
)


@dataclass
class ReportWorld:
    program: Program
    coordinator: User
    mentees: list[User]
    mentors: list[User]
    other_program: Program
    other_coordinator: User
    staff: User
    outsider: User
    mentorships: list[Mentorship] = field(default_factory=list)

    @property
    def mentee(self) -> User:
        return self.mentees[0]

    @property
    def mentor(self) -> User:
        return self.mentors[0]

    def client_for(self, persona: str) -> Client:
        return logged_in_client(None if persona == "anonymous" else getattr(self, persona))


def ratings_for(role: str, rng: random.Random, low: int, high: int) -> dict[str, int]:
    return {d.code: rng.randint(low, high) for d in dimensions_for(role)}


def _people(world: RoundProgram, mentees: int, mentors: int) -> None:
    for k in range(mentees):
        world.add_mentee(
            name=f"Mentee {k:02d}",
            gender=GENDERS[k % len(GENDERS)],
            province=PROVINCES[k % len(PROVINCES)],
            stage="medical-student" if k % 3 == 0 else "resident-pgy2",
        )
    for k in range(mentors):
        world.add_mentor(name=f"Mentor {k:02d}", capacity=3, stage="late-career")


def _enrolled_earlier(program: Program, people: list[User], rng: random.Random) -> None:
    now = timezone.now()
    for person in people:
        Membership.objects.filter(program=program, user=person).update(
            activated_at=now - timedelta(days=rng.randint(200, 330))
        )


def _history(mentorship: Mentorship, k: int, rng: random.Random) -> None:
    """Meetings (logged, some rated), two check-ins each side, goals."""
    for access in (
        get_mentorship_for(mentorship.mentor, mentorship.uuid),
        get_mentorship_for(mentorship.mentee, mentorship.uuid),
    ):
        for n in range(2):
            CheckIn.objects.create(
                mentorship=mentorship,
                user=access.user,
                number=n + 1,
                due_on=timezone.localdate() - timedelta(days=40 - 20 * n),
                submitted_at=timezone.now() - timedelta(days=30 - 20 * n),
                score=rng.randint(2, 5),
                meetings_held=1,
                shared_with_coordinator=(k + n) % 4 != 0,
            )
    mentor_access = get_mentorship_for(mentorship.mentor, mentorship.uuid)
    for days_ago in (10 + k, 45 + k, 75 + k):
        meeting = past_meeting(mentor_access, days_ago=days_ago, minutes=60)
        meeting.minutes_spent = rng.choice([30, 45, 60, 90])
        meeting.logged_at = meeting.starts_at + timedelta(hours=2)
        meeting.save()
        for person in (mentorship.mentor, mentorship.mentee):
            if rng.random() < 0.7:
                MeetingRating.objects.create(
                    meeting=meeting,
                    user=person,
                    score=rng.randint(3, 5),
                    rated_at=meeting.starts_at + timedelta(hours=3),
                )
    for n in range(1 + k % 3):
        Goal.objects.create(
            mentorship=mentorship,
            title=f"Goal {n}",
            status=(GoalStatus.ACHIEVED, GoalStatus.ACTIVE, GoalStatus.PROPOSED)[n],
            proposed_by=mentorship.mentee,
            created_at=timezone.now() - timedelta(days=60),
            updated_at=timezone.now(),
        )


def _requests(program: Program, mentees: list[User], mentors: list[User]) -> None:
    """Direct requests declined and unanswered (one row for each mentor asked)."""
    statuses = [RequestStatus.DECLINED] * 6 + [RequestStatus.EXPIRED] * 6
    now = timezone.now()
    for n, status in enumerate(statuses):
        mentee, mentor = mentees[n % len(mentees)], mentors[(n + 3) % len(mentors)]
        sent = now - timedelta(days=30 + n)
        cascade = RequestCascade.objects.create(
            program=program, mentee=mentee, message="Hello", created_at=sent
        )
        answered = sent + timedelta(days=1 + n % 4) if status == RequestStatus.DECLINED else None
        MentorRequest.objects.create(
            cascade=cascade,
            program=program,
            mentee=mentee,
            mentor=mentor,
            message="Hello",
            status=status,
            sent_at=sent,
            due_at=sent + timedelta(days=7),
            answered_at=answered,
        )


def build_report_world(*, mentees: int = 30, mentors: int = 10, seed: int = 7) -> ReportWorld:
    rng = random.Random(seed)
    world = round_program(name_en="Ottawa Residents Mentorship", cycle_start=None, cycle_end=None)
    _people(world, mentees, mentors)
    program = world.program
    for k in range(5):  # three wait for approval, two left after joining
        MembershipFactory(
            program=program,
            role=Role.MENTEE,
            status=Status.PENDING if k < 3 else Status.WITHDRAWN,
            activated_at=None if k < 3 else timezone.now() - timedelta(days=100),
        )

    # A round, published and answered: two in three accept, a quarter of the rest decline,
    # the others wait; of the pairs, a quarter end early on each side, a quarter reach
    # their end date and a quarter go on.
    pairs = mentees * 2 // 3
    quarter = pairs // 4
    match_round = publish(run_round(program, world.coordinator), world.coordinator)
    proposals = list(
        Proposal.objects.filter(round=match_round, status=ProposalStatus.PUBLISHED).order_by(
            "mentee__name"
        )
    )
    for n, proposal in enumerate(proposals):
        if n < pairs:
            answer(proposal, mentee=True, mentor=True)
        elif n < pairs + quarter:
            answer(proposal, mentee=False, mentor=None)

    made = []
    for k, mentorship in enumerate(
        Mentorship.objects.filter(program=program).order_by("mentee__name")
    ):
        mentee_access = get_mentorship_for(mentorship.mentee, mentorship.uuid)
        mentor_access = get_mentorship_for(mentorship.mentor, mentorship.uuid)
        if k < 3 * quarter:  # the starting self-rating, given in the first days
            baseline_submit(access=mentee_access, ratings=ratings_for("mentee", rng, 1, 3))
            baseline_submit(access=mentor_access, ratings=ratings_for("mentor", rng, 2, 4))
        _history(mentorship, k, rng)
        made.append(mentorship)

    # The pairs started in the year, days apart; then three quarters end.
    today = timezone.localdate()
    for k, mentorship in enumerate(made):
        started = today - timedelta(days=200 - (140 * k) // len(made))
        Mentorship.objects.filter(pk=mentorship.pk).update(
            started_on=started, planned_end_on=started + timedelta(days=300)
        )
    with TestCase.captureOnCommitCallbacks(execute=True):
        for k, mentorship in enumerate(made[: 2 * quarter]):
            side = mentorship.mentee if k < quarter else mentorship.mentor
            mentorship_end(access=get_mentorship_for(side, mentorship.uuid))
        for mentorship in made[2 * quarter : 3 * quarter]:
            Mentorship.objects.filter(pk=mentorship.pk).update(planned_end_on=today)
        mentorships_close_due(now=timezone.now())
    for k, mentorship in enumerate(made[: 3 * quarter]):
        for person in (mentorship.mentee, mentorship.mentor):
            if k % 5 == 4 and person == mentorship.mentor:
                continue  # some never evaluate
            access = get_mentorship_for(person, mentorship.uuid)
            evaluation_submit(
                access=access,
                ratings=ratings_for(access.role, rng, 2, 5),
                would_recommend=(k % 4 != 0),
            )
    _enrolled_earlier(program, world.mentees + world.mentors, rng)
    _requests(program, world.mentees, world.mentors)

    other_program = ProgramFactory(name_en="Another Program")
    other_coordinator = MembershipFactory(
        program=other_program, role=Role.COORDINATOR, user__name="Olga Other"
    ).user
    return ReportWorld(
        program=program,
        coordinator=world.coordinator,
        mentees=world.mentees,
        mentors=world.mentors,
        other_program=other_program,
        other_coordinator=other_coordinator,
        staff=UserFactory(is_staff=True, is_superuser=True, name="Site Staff"),
        outsider=UserFactory(name="Olivia Outsider"),
        mentorships=[Mentorship.objects.get(pk=m.pk) for m in made],
    )


@pytest.fixture
def report_world(db) -> ReportWorld:
    return build_report_world()
