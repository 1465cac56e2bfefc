"""Surveys for tests, written and sent through the services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.programs.models import Program
from medmentor.surveys.models import Invitation, Question, QuestionKind, Survey
from medmentor.surveys.services.answering import question_field, survey_answer
from medmentor.surveys.services.authoring import question_save, survey_save, survey_send
from medmentor.surveys.services.sending import survey_invite_segment

CHOICES = [
    {"code": "often", "en": "Often", "fr": "Souvent"},
    {"code": "rarely", "en": "Rarely", "fr": "Rarement"},
]


def write_survey(program: Program, by: User, **values: Any) -> Survey:
    settings = {"title_en": "How is it going?", "segment": "mentees", "send_mode": "now"}
    settings.update(values)
    return survey_save(program=program, by=by, **settings)


def add_question(
    survey: Survey, by: User, kind: str = QuestionKind.SCALE_5, **values: Any
) -> Question:
    fields: dict[str, Any] = {"kind": kind, "text_en": f"A {kind} question", "required": True}
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        fields["choices"] = CHOICES
    fields.update(values)
    return question_save(survey=survey, by=by, **fields)


def sent_survey(
    program: Program,
    by: User,
    kinds: tuple[str, ...] = (QuestionKind.SCALE_5,),
    now: datetime | None = None,
    questions: tuple[dict[str, Any], ...] = (),
    **values: Any,
) -> Survey:
    """A survey of these question kinds (or ``questions``' fields), sent, its segment
    invited (as the task does)."""
    survey = write_survey(program, by, **values)
    for kind in kinds:
        add_question(survey, by, kind)
    for fields in questions:
        add_question(survey, by, **fields)
    survey = survey_send(survey=survey, by=by, now=now)
    survey_invite_segment(survey_id=survey.pk, now=now or timezone.now())
    survey.refresh_from_db()
    return survey


def invitation_of(survey: Survey, user: User) -> Invitation:
    return Invitation.objects.get(survey=survey, user=user)


def answer(survey: Survey, user: User, **by_kind: object) -> None:
    """Answer each question with the value given for its kind."""
    answers = {
        question_field(question): by_kind[question.kind]
        for question in survey.questions.all()
        if question.kind in by_kind
    }
    survey_answer(invitation=invitation_of(survey, user), user=user, answers=answers)


def named_survey_csv(program: Program, coordinator: User, text: str) -> Any:
    """The survey page's CSV of a named survey whose title, question and every answer is
    ``text`` (for the check that no CSV cell is a formula)."""
    from django.urls import reverse

    from tests.factories import logged_in_client

    survey = sent_survey(
        program,
        coordinator,
        (),
        questions=({"kind": QuestionKind.SHORT_TEXT, "text_en": text},),
        title_en=text,
    )
    for invitation in survey.invitations.select_related("user"):
        answer(survey, invitation.user, short_text=text)
    return logged_in_client(coordinator).get(
        reverse("surveys:results_csv", args=[program.uuid, survey.uuid])
    )
