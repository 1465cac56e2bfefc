"""factory_boy factories for programs, their questions and memberships."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from medmentor.programs.models import (
    IntakeQuestion,
    Membership,
    Milestone,
    Program,
    Role,
    Status,
)
from tests.factories import UserFactory


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    name_en = factory.Sequence(lambda n: f"Mentorship Program {n}")
    name_fr = factory.Sequence(lambda n: f"Programme de mentorat {n}")
    description_en = "Mentoring for the next generation."
    description_fr = "Du mentorat pour la relève."
    audience = "students"
    region = "ON"
    cycle_start = datetime.date(2026, 9, 1)
    cycle_end = datetime.date(2027, 6, 30)
    enrolment_mode = "open"


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    program = factory.SubFactory(ProgramFactory)
    kind = "first_meeting"
    label_en = "First meeting"
    label_fr = "Première rencontre"
    due_after_days = 14


class IntakeQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntakeQuestion

    program = factory.SubFactory(ProgramFactory)
    role = Role.MENTEE
    text_en = "How would you like to meet?"
    text_fr = "Comment souhaitez-vous vous rencontrer?"
    kind = "single"
    required = True
    choices = factory.LazyFunction(
        lambda: [
            {"code": "virtual", "en": "Virtually", "fr": "Virtuellement"},
            {"code": "in_person", "en": "In person", "fr": "En personne"},
        ]
    )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    program = factory.SubFactory(ProgramFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MENTEE
    status = Status.ACTIVE
    activated_at = factory.LazyFunction(timezone.now)


def coordinator_of(program: Program, **user_fields: object) -> Membership:
    return MembershipFactory(program=program, role=Role.COORDINATOR, **user_fields)
