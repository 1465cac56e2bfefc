"""A program's next cycle: settings, plan and questions copied; people not."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from medmentor.programs.models import Program, ProgramEmail, Role, Status
from medmentor.programs.services.programs import program_duplicate
from tests.programs.factories import (
    IntakeQuestionFactory,
    MembershipFactory,
    MilestoneFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db


def test_duplicate_from_the_site(client, world):
    program = world.program
    program.weight_camaraderie = 70
    program.mentee_stages = ["student"]
    program.save()
    MilestoneFactory(program=program, label_en="Meet", due_after_days=14, position=0)
    MilestoneFactory(program=program, label_en="Agree", due_after_days=30, position=1)
    question = IntakeQuestionFactory(program=program, matching_weight=20)
    ProgramEmail.objects.create(
        program=program, key="invitation", subject_en="Join {program}", body_en="Here: {link}"
    )
    client.force_login(world.coordinator)
    response = client.post(reverse("programs:duplicate", args=[program.uuid]))
    copy = Program.objects.get(duplicated_from=program)
    assert response["Location"] == reverse("programs:settings", args=[copy.uuid])

    assert copy.name_en == "Ottawa Student Mentorship 2027\u20132028"
    # The next cycle starts the day after this one ends and lasts as long (303 days).
    assert (copy.cycle_start, copy.cycle_end) == (
        datetime.date(2027, 7, 1),
        datetime.date(2028, 4, 28),
    )
    assert copy.weight_camaraderie == 70
    assert copy.mentee_stages == ["student"]
    assert list(copy.milestones.values_list("label_en", "due_after_days")) == [
        ("Meet", 14),
        ("Agree", 30),
    ]
    copied = copy.questions.get()
    assert copied.uuid != question.uuid
    assert (copied.text_en, copied.choices, copied.matching_weight) == (
        question.text_en,
        question.choices,
        20,
    )
    # The program's own wording of its e-mails goes on.
    assert list(copy.emails.values_list("key", "subject_en", "body_en")) == [
        ("invitation", "Join {program}", "Here: {link}")
    ]
    # Participants are not copied; the coordinators are.
    assert list(copy.memberships.values_list("user", "role", "status")) == [
        (world.coordinator.pk, Role.COORDINATOR, Status.ACTIVE)
    ]
    assert copy.invitation_nonce != program.invitation_nonce
    # The original is untouched.
    program.refresh_from_db()
    assert program.milestones.count() == 2
    assert program.memberships.count() == 3


@pytest.mark.parametrize(
    ("name", "start", "end", "expected"),
    [
        ("Synergy", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), "Synergy (2027)"),
        ("Synergy 2026", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), "Synergy 2027"),
        (
            "Synergy (2025-26)",
            datetime.date(2025, 9, 1),
            datetime.date(2026, 8, 31),
            "Synergy (2026\u20132027)",
        ),
        ("Standing", None, None, "Standing"),
    ],
)
def test_the_name_takes_the_new_cycle(name, start, end, expected):
    program = ProgramFactory(name_en=name, name_fr="", cycle_start=start, cycle_end=end)
    coordinator = MembershipFactory(program=program, role=Role.COORDINATOR).user
    copy = program_duplicate(program=program, by=coordinator)
    assert copy.name_en == expected
    assert copy.name_fr == ""
