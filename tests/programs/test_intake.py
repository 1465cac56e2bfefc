"""Intake answers and eligibility at join time: bad input is a field error, nothing saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from medmentor.programs.models import Membership
from medmentor.programs.services.enrolment import intake_answers_clean, membership_join
from tests.factories import UserFactory
from tests.programs.factories import IntakeQuestionFactory, ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    program = ProgramFactory(
        mentee_stages=["student", "resident"], requires_self_identification=True
    )
    IntakeQuestionFactory(program=program)  # single, required: virtual / in_person
    IntakeQuestionFactory(
        program=program,
        text_en="What do you want help with?",
        kind="multiple",
        required=False,
        choices=[
            {"code": "research", "en": "Research", "fr": "Recherche"},
            {"code": "wellness", "en": "Wellness", "fr": "Mieux-être"},
        ],
    )
    return program


def fields(program):
    meet, topics = program.questions.order_by("id")
    return f"q_{meet.uuid.hex}", f"q_{topics.uuid.hex}"


def test_good_answers_are_stored_as_codes(client, program):
    meet, topics = fields(program)
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        reverse("programs:join", args=[program.uuid, "mentee"]),
        {
            "career_stage": "resident",
            "self_identified": "on",
            meet: "virtual",
            topics: ["research", "wellness"],
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=person)
    meet_q, topics_q = program.questions.order_by("id")
    assert membership.answers == {
        str(meet_q.uuid): ["virtual"],
        str(topics_q.uuid): ["research", "wellness"],
    }
    assert membership.career_stage == "resident"
    assert membership.self_identified


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"meet": ""}, "meet", "This field is required."),
        ({"meet": "by_pigeon"}, "meet", "Select a valid choice."),
        ({"topics": ["research", "astrology"]}, "topics", "Select a valid choice."),
        ({"career_stage": "late_career"}, "career_stage", "at these career stages only"),
        ({"career_stage": ""}, "career_stage", "This field is required."),
        ({"self_identified": ""}, "self_identified", "This field is required."),
    ],
)
def test_bad_answers_are_field_errors_and_nothing_is_saved(client, program, change, field, message):
    meet, topics = fields(program)
    names = {"meet": meet, "topics": topics}
    data = {"career_stage": "student", "self_identified": "on", meet: "virtual"}
    for key, value in change.items():
        data[names.get(key, key)] = value
    client.force_login(UserFactory())
    response = client.post(reverse("programs:join", args=[program.uuid, "mentee"]), data)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert message in " ".join(errors[names.get(field, field)])
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Membership.objects.filter(program=program).exists()


def test_the_service_checks_answers_itself(program):
    meet_q, _topics_q = program.questions.order_by("id")
    with pytest.raises(ValidationError) as missing:
        intake_answers_clean(program=program, role="mentee", answers={})
    assert list(missing.value.message_dict) == [f"answers.{meet_q.uuid}"]
    with pytest.raises(ValidationError) as two:
        intake_answers_clean(
            program=program, role="mentee", answers={str(meet_q.uuid): ["virtual", "in_person"]}
        )
    assert "Choose one answer." in two.value.message_dict[f"answers.{meet_q.uuid}"]
    with pytest.raises(ValidationError) as stranger:
        intake_answers_clean(
            program=program,
            role="mentee",
            answers={str(meet_q.uuid): "virtual", "not-a-question": ["x"]},
        )
    assert "answers.not-a-question" in stranger.value.message_dict
    # Mentor questions are not asked of mentees.
    assert intake_answers_clean(program=program, role="mentor", answers={}) == {}


def test_eligibility_per_role(program):
    person = UserFactory()
    # Mentors: no stage restriction here; mentees: students and residents only.
    membership_join(program=program, user=person, role="mentor", self_identified=True)
    with pytest.raises(ValidationError) as refused:
        membership_join(
            program=program,
            user=person,
            role="mentee",
            career_stage="mid_career",
            self_identified=True,
            answers={str(program.questions.first().uuid): ["virtual"]},
        )
    assert "career_stage" in refused.value.message_dict
    with pytest.raises(ValidationError) as unknown:
        membership_join(program=program, user=person, role="mentee", career_stage="astronaut")
    assert "career_stage" in unknown.value.message_dict
    assert list(Membership.objects.values_list("role", flat=True)) == ["mentor"]
