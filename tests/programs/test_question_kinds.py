"""Intake questions answered by a text, a number or a date: asked, checked, stored, shown to
the coordinator and kept out of matching."""

from __future__ import annotations

import pytest
from django.urls import reverse

from medmentor.programs.models import IntakeQuestion, Membership
from tests.factories import UserFactory
from tests.programs.factories import IntakeQuestionFactory

pytestmark = pytest.mark.django_db


def asked(program, kind: str, text: str, required: bool = True) -> IntakeQuestion:
    return IntakeQuestionFactory(
        program=program, kind=kind, text_en=text, choices=[], required=required
    )


@pytest.fixture
def questions(world):
    return (
        asked(world.program, "text", "Your home hospital"),
        asked(world.program, "number", "Years since graduation"),
        asked(world.program, "date", "When can you start?", required=False),
    )


def join(client, program, data):
    person = UserFactory()
    client.force_login(person)
    return person, client.post(reverse("programs:join", args=[program.uuid, "mentee"]), data)


def field(question):
    return f"q_{question.uuid.hex}"


def test_values_are_asked_with_fitting_inputs_and_stored_as_given(client, world, questions):
    text, number, when = questions
    client.force_login(UserFactory())
    page = client.get(reverse("programs:join", args=[world.program.uuid, "mentee"]))
    html = page.content.decode()
    assert 'type="date"' in html
    assert 'type="number"' in html
    person, response = join(
        client,
        world.program,
        {field(text): "  The Ottawa Hospital ", field(number): "3.50", field(when): "2027-01-15"},
    )
    assert response.status_code == 302
    answers = Membership.objects.get(user=person).answers
    assert answers == {
        str(text.uuid): ["The Ottawa Hospital"],
        str(number.uuid): ["3.5"],
        str(when.uuid): ["2027-01-15"],
    }


@pytest.mark.parametrize(
    ("which", "value", "message"),
    [
        (1, "three", "Enter a number."),
        (2, "15/01/2027", "Enter a valid date."),
        (0, "x" * 301, "at most 300 characters"),
        (0, "", "This field is required."),
    ],
)
def test_a_bad_value_names_its_question_and_saves_nothing(
    client, world, questions, which, value, message
):
    data = {field(questions[0]): "Montfort", field(questions[1]): "4"}
    data[field(questions[which])] = value
    _person, response = join(client, world.program, data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert (
        not Membership.objects.filter(program=world.program, role="mentee")
        .exclude(user=world.mentee)
        .exists()
    )


def test_the_service_checks_values_itself(world, questions):
    from django.core.exceptions import ValidationError

    from medmentor.programs.services.enrolment import intake_answers_clean

    text, number, when = questions
    with pytest.raises(ValidationError) as caught:
        intake_answers_clean(
            program=world.program,
            role="mentee",
            answers={
                str(text.uuid): ["one", "two"],
                str(number.uuid): "Infinity",
                str(when.uuid): "2027-02-30",
            },
        )
    errors = caught.value.message_dict
    assert errors[f"answers.{text.uuid}"] == ["Give one answer."]
    assert errors[f"answers.{number.uuid}"] == ["Enter a number."]
    assert errors[f"answers.{when.uuid}"] == ["Enter a date as YYYY-MM-DD."]
    cleaned = intake_answers_clean(
        program=world.program,
        role="mentee",
        answers={str(text.uuid): "Montfort", str(number.uuid): "1e3", str(when.uuid): ""},
    )
    assert cleaned == {str(text.uuid): ["Montfort"], str(number.uuid): ["1000"]}


def test_the_coordinator_reads_the_values_in_the_approval_queue(client, world, questions):
    world.program.enrolment_mode = "approval"
    world.program.save()
    text, number, when = questions
    join(
        client,
        world.program,
        {field(text): "Montfort", field(number): "7", field(when): "2027-01-15"},
    )
    client.force_login(world.coordinator)
    html = client.get(reverse("programs:queue", args=[world.program.uuid])).content.decode()
    assert "Montfort" in html
    assert ">7<" in html
    assert "Jan. 15, 2027" in html


def test_a_coordinator_adds_a_number_question_without_choices(client, world):
    client.force_login(world.coordinator)
    url = reverse("programs:questions", args=[world.program.uuid])
    data = {
        "role": "mentee",
        "text_en": "Years in practice",
        "kind": "number",
        "choices": "",
        "required": "on",
        "matching_weight": "0",
        "matching_rule": "same",
    }
    assert client.post(url, data).status_code == 302
    question = IntakeQuestion.objects.get(program=world.program)
    assert (question.kind, question.choices) == ("number", [])
    # A value question cannot weigh in matching: there is nothing to compare.
    response = client.post(url, {**data, "matching_weight": "40"})
    assert response.status_code == 422
    assert "Only a choice question can count in matching." in response.content.decode()
    assert IntakeQuestion.objects.filter(program=world.program).count() == 1
