"""Writing a survey: each setting checked naming its field, nothing saved on bad input,
nothing changed once sent; every coordinator action in the access log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from medmentor.accounts.models import AccessLogEntry
from medmentor.matchrounds.models import MatchRound, RoundStatus
from medmentor.surveys.models import Question, QuestionKind, Survey, SurveyStatus
from medmentor.surveys.services.authoring import (
    question_delete,
    question_move,
    question_save,
    survey_save,
    survey_send,
)
from tests.surveys.support import add_question, write_survey

pytestmark = pytest.mark.django_db


def _refused(call, field: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    assert field in caught.value.message_dict, caught.value.message_dict
    return caught.value


def test_a_survey_without_questions_cannot_be_sent(world):
    survey = write_survey(world.program, world.coordinator)
    error = _refused(lambda: survey_send(survey=survey, by=world.coordinator), "questions")
    assert "at least one question" in error.message_dict["questions"][0]
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.DRAFT
    assert survey.launched_at is None


def test_a_trigger_without_delay_is_an_error_on_its_field(world):
    for days in (None, 0):
        error = _refused(
            lambda days=days: write_survey(
                world.program, world.coordinator, send_mode="after_start", trigger_days=days
            ),
            "trigger_days",
        )
        assert "delay" in error.message_dict["trigger_days"][0]
    assert not Survey.objects.exists()


def test_a_choice_question_needs_choices(world):
    survey = write_survey(world.program, world.coordinator)
    for kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        _refused(
            lambda kind=kind: add_question(survey, world.coordinator, kind, choices=[]), "choices"
        )
        _refused(
            lambda kind=kind: add_question(
                survey, world.coordinator, kind, choices=[{"code": "a", "en": "A"}]
            ),
            "choices",
        )
    assert not Question.objects.exists()
    # Other kinds keep no choices.
    question = add_question(survey, world.coordinator, QuestionKind.YES_NO, choices=[{"code": "x"}])
    assert question.choices == []


def test_settings_are_checked_naming_the_field(world):
    program, coordinator = world.program, world.coordinator
    yesterday = timezone.localdate() - timedelta(days=1)
    _refused(lambda: write_survey(program, coordinator, title_en="  "), "title_en")
    _refused(lambda: write_survey(program, coordinator, send_mode="on_date"), "send_on")
    _refused(
        lambda: write_survey(program, coordinator, send_mode="on_date", send_on=yesterday),
        "send_on",
    )
    _refused(lambda: write_survey(program, coordinator, segment="incomplete"), "segment")
    _refused(lambda: write_survey(program, coordinator, segment="cohort"), "match_round")
    _refused(
        lambda: write_survey(program, coordinator, send_mode="at_closure", segment="active_pairs"),
        "segment",
    )
    _refused(lambda: write_survey(program, coordinator, reminder_days=0), "reminder_days")
    _refused(lambda: write_survey(program, coordinator, closes_on=yesterday), "closes_on")
    # A round of another program is not one of this program's rounds.
    elsewhere = MatchRound.objects.create(
        program=world.other_program, status=RoundStatus.PUBLISHED, published_at=timezone.now()
    )
    _refused(
        lambda: write_survey(program, coordinator, segment="cohort", match_round=elsewhere),
        "match_round",
    )
    assert not Survey.objects.exists()
    mine = MatchRound.objects.create(
        program=program, status=RoundStatus.PUBLISHED, published_at=timezone.now()
    )
    survey = write_survey(program, coordinator, segment="cohort", match_round=mine)
    assert survey.match_round == mine


def test_questions_are_added_edited_reordered_and_removed_while_draft(world):
    survey = write_survey(world.program, world.coordinator)
    first = add_question(survey, world.coordinator, text_en="First")
    second = add_question(survey, world.coordinator, QuestionKind.SHORT_TEXT, text_en="Second")
    third = add_question(survey, world.coordinator, QuestionKind.YES_NO, text_en="Third")
    question_move(question=third, by=world.coordinator, up=True)
    assert [q.text_en for q in survey.questions.all()] == ["First", "Third", "Second"]
    question_save(survey=survey, by=world.coordinator, question=first, text_en="First, edited")
    question_delete(question=Question.objects.get(pk=third.pk), by=world.coordinator)
    assert [(q.position, q.text_en) for q in survey.questions.all()] == [
        (1, "First, edited"),
        (2, "Second"),
    ]
    assert second.pk in survey.questions.values_list("pk", flat=True)


def test_nothing_changes_once_sent_anonymity_least_of_all(world):
    survey = write_survey(world.program, world.coordinator, anonymous=True)
    question = add_question(survey, world.coordinator)
    survey_send(survey=survey, by=world.coordinator)
    with pytest.raises(ValidationError):
        survey_save(program=world.program, by=world.coordinator, survey=survey, anonymous=False)
    with pytest.raises(ValidationError):
        add_question(survey, world.coordinator)
    with pytest.raises(ValidationError):
        question_delete(question=question, by=world.coordinator)
    with pytest.raises(ValidationError):
        survey_send(survey=survey, by=world.coordinator)
    survey.refresh_from_db()
    assert survey.anonymous
    assert survey.questions.count() == 1


def test_each_coordinator_action_is_in_the_access_log(world):
    survey = write_survey(world.program, world.coordinator)
    question = add_question(survey, world.coordinator)
    question_save(survey=survey, by=world.coordinator, question=question, text_en="Edited")
    survey_send(survey=survey, by=world.coordinator)
    entries = AccessLogEntry.objects.filter(
        what=AccessLogEntry.What.SURVEY, actor=world.coordinator
    )
    details = list(entries.order_by("id").values_list("detail", flat=True))
    assert details[0].startswith("survey written")
    assert any(d.startswith("survey question 1 saved") for d in details)
    assert details[-1].startswith("survey sent (now)")
    assert all(entry.program_name for entry in entries)
