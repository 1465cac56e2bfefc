"""Demo data: a residents' program with a published match round (``make demo``).

The demo coordinator runs the program; the demo mentee and mentor take part in it and
each has a proposal to answer, while a few other pairs have already answered, so the
round's page, the participants' pages and the dashboards all have something to show.
The program has a past too: last year's intake, closed and evaluated, this autumn's,
running, and a few people never matched, so that its report shows real figures.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.contrib.auth.models import Permission
from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.dashboard.demo.history import Cohort, demo_cohort
from medmentor.matchrounds.models import MatchRound, Proposal, ProposalStatus
from medmentor.matchrounds.services.execute import round_execute
from medmentor.matchrounds.services.publish import proposal_respond, round_publish
from medmentor.matchrounds.services.run import round_start
from medmentor.profiles.models import Profile
from medmentor.profiles.seed import TRAINEES
from medmentor.programs.models import Membership, Program, Role, Status
from medmentor.programs.services.programs import milestone_plan_set, program_create

PROGRAM_NAME = "Ottawa Family Medicine Residents Mentorship"
SEEDED_MENTEES, SEEDED_MENTORS, WAITING = 24, 9, 2
ANSWERED_PAIRS = 4  # pairs that have already answered: three accept, one declines
# The program's past: (mentees, mentors, days ago the pairs started, months, closed).
LAST_YEAR = (30, 12, 430, 10, True)
THIS_AUTUMN = (12, 6, 95, 10, False)
NEVER_MATCHED = 5
# Seeded mentors this program takes (the round's, then its past intakes'): other demo
# programs take the next ones, so that nobody is in two.
MENTORS_TAKEN = SEEDED_MENTORS + LAST_YEAR[1] + THIS_AUTUMN[1]


def seeded(*, mentor: bool, count: int, offset: int = 0) -> list[User]:
    """Seeded people with complete profiles: trainees as mentees, physicians as mentors."""
    profiles = Profile.objects.filter(is_complete=True, user__email__contains=".s0@")
    if mentor:
        profiles = profiles.filter(is_mentor=True, mentor_capacity__gte=2).exclude(
            career_stage__code__in=TRAINEES
        )
    else:
        profiles = profiles.filter(is_mentee=True, career_stage__code__in=TRAINEES)
    ids = profiles.order_by("id").values_list("user_id", flat=True)[offset : offset + count]
    return list(User.objects.filter(pk__in=list(ids)).order_by("pk"))


def enrol(
    program: Program,
    people: list[User],
    role: str,
    status: str = Status.ACTIVE,
    days_ago: int = 0,
) -> None:
    when = timezone.now() - datetime.timedelta(days=days_ago)
    made = Membership.objects.bulk_create(
        Membership(
            program=program,
            user=user,
            role=role,
            status=status,
            activated_at=when if status == Status.ACTIVE else None,
        )
        for user in people
    )
    if days_ago:  # requested_at is set on creation: move it back too
        Membership.objects.filter(pk__in=[m.pk for m in made]).update(requested_at=when)


def create_program(coordinator: User, **values: Any) -> Program:
    """A program the demo coordinator creates, and so coordinates."""
    coordinator.user_permissions.add(Permission.objects.get(codename="add_program"))
    coordinator = User.objects.get(pk=coordinator.pk)  # drop the cached permissions
    return program_create(created_by=coordinator, **values)


def _create_program(coordinator: User) -> Program:
    program = create_program(
        coordinator,
        name_en=PROGRAM_NAME,
        name_fr="Mentorat des résidents en médecine familiale d'Ottawa",
        description_en=(
            "Family medicine residents in Ottawa matched with physicians in practice, a new "
            "intake every year: career choices, wellness, and a mentor outside the "
            "reporting line."
        ),
        description_fr=(
            "Des résidents en médecine familiale d'Ottawa jumelés avec des médecins en "
            "pratique, une nouvelle cohorte chaque année : choix de carrière, mieux-être, et "
            "un mentor hors de la ligne hiérarchique."
        ),
        audience="residents",
        region="ON",
        mentorship_months=10,
        enrolment_mode="approval",
        matching_mode="both",
        seniority_rule="senior",
        weight_consideration=20,
        weight_camaraderie=25,
        weight_commonality=35,
        weight_confidentiality=20,
    )
    milestone_plan_set(
        program=program,
        steps=[
            {"kind": "first_meeting", "label_en": "First meeting", "due_after_days": 14},
            {"kind": "agreement_signed", "label_en": "Agreement signed", "due_after_days": 30},
            {"kind": "check_in", "label_en": "Mid-point check-in", "due_after_days": 180},
        ],
    )
    return program


def demo_program(*, coordinator: User, mentee: User, mentor: User) -> Program:
    """The program and its published round; a second run finds it and changes nothing."""
    existing = Program.objects.filter(name_en=PROGRAM_NAME).first()
    if existing is not None:
        return existing
    program = _create_program(coordinator)
    enrol(program, [mentee, *seeded(mentor=False, count=SEEDED_MENTEES)], Role.MENTEE)
    enrol(program, [mentor, *seeded(mentor=True, count=SEEDED_MENTORS)], Role.MENTOR)
    waiting = seeded(mentor=False, count=WAITING, offset=SEEDED_MENTEES)
    enrol(program, waiting, Role.MENTEE, status=Status.PENDING)

    # Run the round here rather than through the worker; the task the worker later
    # receives finds the round already done and leaves it.
    match_round = round_start(program=program, by=coordinator, algorithm="stable")
    round_execute(match_round_id=match_round.pk)
    round_publish(match_round=MatchRound.objects.get(pk=match_round.pk), by=coordinator)

    others = (
        Proposal.objects.filter(round=match_round, status=ProposalStatus.PUBLISHED)
        .exclude(mentee=mentee)
        .exclude(mentor=mentor)
        .order_by("-score", "id")[:ANSWERED_PAIRS]
    )
    for k, proposal in enumerate(others):
        accept = k < ANSWERED_PAIRS - 1
        proposal = proposal_respond(proposal=proposal, user=proposal.mentee, accept=accept)
        if accept:
            proposal_respond(proposal=proposal, user=proposal.mentor, accept=True)
    _past_intakes(program)
    return program


def _past_intakes(program: Program) -> None:
    """Last year's intake (closed, evaluated), this autumn's (running), and a few mentees
    who enrolled last year and were never matched: the people the round above did not
    include."""
    mentee_offset, mentor_offset = SEEDED_MENTEES + WAITING, SEEDED_MENTORS
    for seed, (mentees, mentors, days_ago, months, closed) in enumerate((LAST_YEAR, THIS_AUTUMN)):
        mentee_people = seeded(mentor=False, count=mentees, offset=mentee_offset)
        mentor_people = seeded(mentor=True, count=mentors, offset=mentor_offset)
        mentee_offset, mentor_offset = mentee_offset + mentees, mentor_offset + mentors
        waits = random.Random(seed)  # mentees wait from a week to two months for a mentor
        for mentee in mentee_people:
            enrol(program, [mentee], Role.MENTEE, days_ago=days_ago + waits.randint(7, 60))
        enrol(program, mentor_people, Role.MENTOR, days_ago=days_ago + 60)
        pairs = [(mentor_people[n % mentors], mentee) for n, mentee in enumerate(mentee_people)]
        demo_cohort(
            program=program,
            pairs=pairs,
            cohort=Cohort(started_days_ago=days_ago, months=months, closed=closed),
            seed=seed,
        )
    unmatched = seeded(mentor=False, count=NEVER_MATCHED, offset=mentee_offset)
    enrol(program, unmatched, Role.MENTEE, days_ago=LAST_YEAR[2] + 30)
