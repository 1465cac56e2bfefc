"""Answering: each kind of question takes its valid answers and refuses the others,
naming the question; nothing is kept on bad input; one answer only; none after closing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from medmentor.surveys.models import Answer, Invitation, QuestionKind, Response, Survey
from medmentor.surveys.services.answering import question_field, survey_answer
from medmentor.surveys.services.authoring import survey_send
from medmentor.surveys.services.sending import survey_invite_segment
from tests.surveys.support import add_question, invitation_of, sent_survey, write_survey

pytestmark = pytest.mark.django_db

# For each kind: answers kept (and how), answers refused.
CASES = {
    QuestionKind.SCALE_5: (["1", "5", 3], ["0", "6", "many", "2.5"]),
    QuestionKind.SCALE_10: (["0", "10", "7"], ["-1", "11", "x"]),
    QuestionKind.SINGLE: (["often", ["rarely"]], ["never", ["often", "rarely"]]),
    QuestionKind.MULTIPLE: (
        [["often"], ["often", "rarely"]],
        [["often", "never"], ["often", "often"]],
    ),
    QuestionKind.SHORT_TEXT: (["Good so far", "x" * 300], ["x" * 301]),
    QuestionKind.LONG_TEXT: (["A long story.\nTwo lines.", "x" * 4000], ["x" * 4001]),
    QuestionKind.YES_NO: (["yes", "no"], ["maybe", "1"]),
}


def _answer(survey: Survey, user, value: object) -> None:
    question = survey.questions.get()
    survey_answer(
        invitation=invitation_of(survey, user), user=user, answers={question_field(question): value}
    )


@pytest.mark.parametrize("kind", list(CASES))
def test_each_kind_takes_valid_answers_and_refuses_others_naming_the_question(world, kind):
    survey = sent_survey(world.program, world.coordinator, (kind,))
    question = survey.questions.get()
    valid, invalid = CASES[kind]
    for value in invalid:
        with pytest.raises(ValidationError) as caught:
            _answer(survey, world.mentee, value)
        messages = caught.value.message_dict[question_field(question)]
        assert question.text in messages[0]
        assert not Response.objects.exists()
        assert not Answer.objects.exists()
        assert not invitation_of(survey, world.mentee).answered
    # A required question left empty is refused too.
    with pytest.raises(ValidationError) as caught:
        _answer(survey, world.mentee, "")
    assert "needs an answer" in caught.value.message_dict[question_field(question)][0]
    for value in valid:
        Invitation.objects.filter(survey=survey).update(answered=False)
        _answer(survey, world.mentee, value)
    assert Answer.objects.filter(question=question).count() == len(valid)
    stored = Answer.objects.filter(question=question).order_by("id").first()
    if kind in (QuestionKind.SCALE_5, QuestionKind.SCALE_10):
        assert stored.number == int(valid[0])
    elif kind == QuestionKind.YES_NO:
        assert stored.number == 1
    elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        assert stored.codes == (valid[0] if isinstance(valid[0], list) else [valid[0]])
    else:
        assert stored.text == valid[0]


def test_an_optional_question_may_be_left_out(world):
    survey = write_survey(world.program, world.coordinator)
    add_question(survey, world.coordinator, QuestionKind.SHORT_TEXT, required=False)
    survey_send(survey=survey, by=world.coordinator)
    survey_invite_segment(survey_id=survey.pk, now=timezone.now())
    _answer(survey, world.mentee, "")
    assert Response.objects.count() == 1
    assert not Answer.objects.exists()


def test_one_bad_answer_keeps_nothing_of_the_good_ones(world):
    survey = sent_survey(
        world.program, world.coordinator, (QuestionKind.SCALE_5, QuestionKind.YES_NO)
    )
    scale, yes_no = survey.questions.all()
    with pytest.raises(ValidationError) as caught:
        survey_answer(
            invitation=invitation_of(survey, world.mentee),
            user=world.mentee,
            answers={question_field(scale): "4", question_field(yes_no): "perhaps"},
        )
    assert list(caught.value.message_dict) == [question_field(yes_no)]
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_a_survey_is_answered_once(world):
    survey = sent_survey(world.program, world.coordinator)
    _answer(survey, world.mentee, "4")
    with pytest.raises(ValidationError, match="already answered"):
        _answer(survey, world.mentee, "5")
    assert Response.objects.count() == 1


def test_a_closed_survey_takes_no_answer(world):
    survey = sent_survey(
        world.program, world.coordinator, closes_on=timezone.localdate() + timedelta(days=2)
    )
    question = survey.questions.get()
    with pytest.raises(ValidationError, match="closed"):
        survey_answer(
            invitation=invitation_of(survey, world.mentee),
            user=world.mentee,
            answers={question_field(question): "3"},
            today=timezone.localdate() + timedelta(days=3),
        )
    assert not Response.objects.exists()


def test_only_the_invited_person_answers_their_invitation(world):
    survey = sent_survey(world.program, world.coordinator)
    with pytest.raises(ValidationError, match="not sent to you"):
        survey_answer(
            invitation=invitation_of(survey, world.mentee), user=world.outsider, answers={}
        )
