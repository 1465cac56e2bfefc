"""Demo data: a peer-circles program for physicians in practice (``make demo``).

The demo coordinator runs it too; about twenty seeded physicians and the demo mentor are
enrolled, a circle round has run and is published, so every circle has started as a
mentorship. The demo mentor finds his circle under "My mentorships", with its first
meeting already scheduled, and the coordinator finds the round's circles to review.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.dashboard.demo.program import MENTORS_TAKEN, create_program, enrol, seeded
from medmentor.matchrounds.models import MatchRound, RoundKind
from medmentor.matchrounds.services.execute import round_execute
from medmentor.matchrounds.services.publish import round_publish
from medmentor.matchrounds.services.run import round_start
from medmentor.mentorships.access import get_mentorship_for
from medmentor.mentorships.models import Mentorship, Modality
from medmentor.mentorships.models.mentorship import MentorshipKind
from medmentor.mentorships.services.meetings import meeting_schedule
from medmentor.programs.models import Program, Role

CIRCLES_NAME = "Ottawa Physician Wellness Circles"
CIRCLE_SIZE = (5, 7)
SEEDED_PEERS = 20


def demo_circles(*, coordinator: User, mentor: User) -> Program:
    """The circles program, its published round and a meeting in the demo mentor's
    circle; a second run finds the program and changes nothing."""
    existing = Program.objects.filter(name_en=CIRCLES_NAME).first()
    if existing is not None:
        return existing
    program = create_program(
        coordinator,
        name_en=CIRCLES_NAME,
        name_fr="Cercles de mieux-être des médecins d'Ottawa",
        description_en=(
            "Physicians in practice meet in small peer circles once a month for a year: "
            "burnout, difficult cases, the business of practice, with colleagues outside "
            "their own department."
        ),
        description_fr=(
            "Des médecins en pratique se réunissent chaque mois pendant un an en petits "
            "cercles de pairs : épuisement, cas difficiles, gestion de la pratique, avec "
            "des collègues d'autres services que le leur."
        ),
        audience="practice",
        region="ON",
        mentorship_months=12,
        enrolment_mode="approval",
        matching_mode="rounds",
        mentorship_format="circles",
        group_size_min=CIRCLE_SIZE[0],
        group_size_max=CIRCLE_SIZE[1],
        seniority_rule="peer",
    )
    # Physicians who mentor are peers here: seeded ones no other demo program takes.
    peers = seeded(mentor=True, count=SEEDED_PEERS, offset=MENTORS_TAKEN)
    enrol(program, [mentor, *peers], Role.MENTOR)

    # Run here rather than through the worker, as the residents' round is.
    match_round = round_start(program=program, by=coordinator, kind=RoundKind.CIRCLES)
    round_execute(match_round_id=match_round.pk)
    round_publish(match_round=MatchRound.objects.get(pk=match_round.pk), by=coordinator)
    _first_meeting(program, mentor)
    return program


def _first_meeting(program: Program, mentor: User) -> None:
    """The demo mentor's circle has its first meeting scheduled, so its workspace shows
    one coming up."""
    circle = Mentorship.objects.get(
        program=program, kind=MentorshipKind.CIRCLE, members__user=mentor
    )
    starts = timezone.localtime() + timedelta(days=10)
    meeting_schedule(
        access=get_mentorship_for(mentor, circle.uuid),
        starts_at=starts.replace(hour=18, minute=30, second=0, microsecond=0),
        duration_minutes=90,
        modality=Modality.VIDEO,
        place="https://meet.example.org/wellness-circle",
        agenda="Introductions; what each of us hopes from the circle this year.",
    )
