"""A coordinator writes a survey (while it is a draft), sends or schedules it, and reads or
exports its results; each of these goes to the access log."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.models import User
from medmentor.programs.models import Program
from medmentor.segments.selectors import SURVEY_SEGMENTS, Segment, segment_rounds
from medmentor.surveys.models import (
    CHOICE_KINDS,
    TRIGGER_SEGMENTS,
    Question,
    QuestionKind,
    SendMode,
    Survey,
    SurveyStatus,
)
from medmentor.surveys.tasks import survey_deliver

SURVEY_FIELDS = (
    "title_en",
    "title_fr",
    "intro_en",
    "intro_fr",
    "anonymous",
    "segment",
    "match_round",
    "send_mode",
    "send_on",
    "trigger_days",
    "reminder_days",
    "closes_on",
)
QUESTION_FIELDS = ("kind", "text_en", "text_fr", "choices", "required")


def _logged(survey: Survey, by: User | None, detail: str, action: str = Action.CHANGE) -> None:
    access_log(actor=by, action=action, what=What.SURVEY, program=survey.program, detail=detail)


def _draft(survey: Survey) -> Survey:
    locked = Survey.objects.select_for_update().get(pk=survey.pk)
    if not locked.is_draft:
        raise ValidationError(_("This survey is sent: it can no longer be changed."))
    return locked


def _settings_errors(survey: Survey) -> dict[str, str]:
    """What is wrong with a survey's audience and timing (also tidies what its mode
    does not use)."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if not (survey.title_en or "").strip():
        errors["title_en"] = _("Give the survey a title in English.")
    if survey.segment not in SURVEY_SEGMENTS:
        errors["segment"] = _("Choose who the survey goes to from the list.")
    if survey.segment == Segment.COHORT:
        rounds = segment_rounds(survey.program)
        if survey.match_round is None or not rounds.filter(pk=survey.match_round.pk).exists():
            errors["match_round"] = _("Choose one of the program's published match rounds.")
    else:
        survey.match_round = None
    if survey.send_mode not in SendMode.values:
        errors["send_mode"] = _("Choose when the survey is sent.")
    if survey.send_mode == SendMode.ON_DATE:
        if survey.send_on is None:
            errors["send_on"] = _("Give the day the survey is sent.")
        elif survey.send_on < today:
            errors["send_on"] = _("This day is past: choose today or a later day.")
    else:
        survey.send_on = None
    if survey.send_mode == SendMode.AFTER_START:
        if not survey.trigger_days or survey.trigger_days < 1:
            errors["trigger_days"] = _(
                "A trigger needs a delay: give the number of days after the start (1 or more)."
            )
    else:
        survey.trigger_days = None
    if survey.is_trigger and survey.segment not in TRIGGER_SEGMENTS:
        errors["segment"] = _(
            "A survey sent on a mentorship's start or closure goes to mentees, mentors or both."
        )
    if survey.reminder_days is not None and survey.reminder_days < 1:
        errors["reminder_days"] = _("Remind after one day or more, or leave it empty.")
    if survey.closes_on is not None:
        if survey.closes_on < today:
            errors["closes_on"] = _("This day is past: choose today or a later day.")
        elif survey.send_on is not None and survey.closes_on < survey.send_on:
            errors["closes_on"] = _("The survey must close after the day it is sent.")
    return errors


@transaction.atomic
def survey_save(
    *, program: Program, by: User | None, survey: Survey | None = None, **values: Any
) -> Survey:
    """Write a new survey or change a draft's title, audience and timing."""
    created = survey is None
    survey = Survey(program=program, created_by=by) if survey is None else _draft(survey)
    for name in SURVEY_FIELDS:
        if name in values:
            setattr(survey, name, values[name])
    survey.title_en = (survey.title_en or "").strip()
    survey.title_fr = (survey.title_fr or "").strip()
    errors = _settings_errors(survey)
    if errors:
        raise ValidationError(errors)
    survey.updated_at = timezone.now()
    survey.save()
    _logged(survey, by, f"survey {'written' if created else 'edited'}: {survey.title_en}")
    return survey


def _choices_checked(kind: str, choices: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    if kind not in CHOICE_KINDS:
        return []
    kept = [c for c in choices if str(c.get("code", "")).strip() and str(c.get("en", "")).strip()]
    codes = [c["code"] for c in kept]
    if len(kept) < 2:
        raise ValidationError({"choices": _("Give at least two choices.")})
    if len(set(codes)) != len(codes):
        raise ValidationError({"choices": _("Each choice needs its own code.")})
    return [{"code": c["code"], "en": c["en"], "fr": c.get("fr", "")} for c in kept]


@transaction.atomic
def question_save(
    *, survey: Survey, by: User | None, question: Question | None = None, **values: Any
) -> Question:
    """Add a question to a draft (at the end) or change one."""
    survey = _draft(survey)
    if question is None:
        last = survey.questions.aggregate(last=Max("position"))["last"]
        question = Question(survey=survey, position=(last or 0) + 1)
    for name in QUESTION_FIELDS:
        if name in values:
            setattr(question, name, values[name])
    if question.kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Choose a kind of answer from the list.")})
    question.text_en = (question.text_en or "").strip()
    if not question.text_en:
        raise ValidationError({"text_en": _("Write the question in English.")})
    question.choices = _choices_checked(question.kind, question.choices or [])
    question.save()
    survey.updated_at = timezone.now()
    survey.save(update_fields=["updated_at"])
    _logged(survey, by, f"survey question {question.position} saved: {survey.title_en}")
    return question


@transaction.atomic
def question_delete(*, question: Question, by: User | None) -> None:
    survey = _draft(question.survey)
    position = question.position
    question.delete()
    for number, kept in enumerate(survey.questions.order_by("position", "id"), start=1):
        if kept.position != number:
            kept.position = number
            kept.save(update_fields=["position"])
    _logged(survey, by, f"survey question {position} removed: {survey.title_en}")


@transaction.atomic
def question_move(*, question: Question, by: User | None, up: bool) -> None:
    """Swap a question with the one before (``up``) or after it."""
    survey = _draft(question.survey)
    ordered = list(survey.questions.order_by("position", "id"))
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for number, kept in enumerate(ordered, start=1):
        if kept.position != number:
            kept.position = number
            kept.save(update_fields=["position"])
    _logged(survey, by, f"survey questions reordered: {survey.title_en}")


@transaction.atomic
def survey_send(*, survey: Survey, by: User | None, now: datetime | None = None) -> Survey:
    """Send now (a background task invites the segment), schedule for a day, or start a
    trigger. Once sent, nothing of the survey changes, its anonymity least of all."""
    now = now or timezone.now()
    survey = _draft(survey)
    if not survey.questions.exists():
        raise ValidationError(
            {"questions": _("Add at least one question before sending the survey.")}
        )
    errors = _settings_errors(survey)
    if errors:
        raise ValidationError(errors)
    survey.launched_at = now
    if survey.send_mode == SendMode.ON_DATE:
        survey.status = SurveyStatus.SCHEDULED
    else:
        survey.status = SurveyStatus.OPEN
        survey.sent_at = now
    survey.updated_at = now
    survey.save()
    if survey.send_mode == SendMode.NOW:
        survey_id = survey.pk
        transaction.on_commit(lambda: survey_deliver.enqueue(survey_id))
    _logged(survey, by, f"survey sent ({survey.send_mode}): {survey.title_en}")
    return survey


def survey_results_logged(
    *, survey: Survey, by: User, respondents: Iterable[User | int], export: bool = False
) -> None:
    """A coordinator read (or exported) a survey's results: logged under each named
    respondent. An export is logged even when it names nobody; reading an anonymous
    survey's counts shows nobody's data, which the access log does not record."""
    detail = f"survey results{' (CSV)' if export else ''}: {survey.title_en}"
    access_log(
        actor=by,
        action=Action.EXPORT if export else Action.VIEW,
        what=What.SURVEY,
        subjects=list(respondents),
        program=survey.program,
        detail=detail,
    )
