"""A participant answers a survey they were asked to: once, before it closes. Each bad
answer is refused naming its question, and then nothing is kept."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.surveys.models import (
    CHOICE_KINDS,
    LONG_TEXT_MAX,
    SCALES,
    SHORT_TEXT_MAX,
    Answer,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyStatus,
)
from medmentor.surveys.signals import survey_answered

Parsed = tuple[int | None, list[str], str]  # (number, codes, text)


def question_field(question: Question) -> str:
    """The name a question's answer goes by, in forms and in errors."""
    return f"question_{question.uuid}"


def _empty(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list | tuple):
        return not [item for item in raw if str(item).strip()]
    return False


def _parsed(question: Question, raw: object) -> Parsed:
    """The answer as stored, or ValidationError with a message naming the question."""
    name = question.text
    if question.kind in SCALES:
        values = SCALES[question.kind]
        try:
            number = int(str(raw).strip())
        except ValueError:
            number = None
        if number not in values:
            raise ValidationError(
                _("“%(question)s”: choose a number from %(low)s to %(high)s.")
                % {"question": name, "low": values[0], "high": values[-1]}
            )
        return number, [], ""
    if question.kind == QuestionKind.YES_NO:
        if raw not in ("yes", "no"):
            raise ValidationError(_("“%(question)s”: answer yes or no.") % {"question": name})
        return (1 if raw == "yes" else 0), [], ""
    if question.kind in CHOICE_KINDS:
        codes = [str(item) for item in (raw if isinstance(raw, list | tuple) else [raw])]
        if any(code not in question.codes for code in codes) or len(set(codes)) != len(codes):
            raise ValidationError(_("“%(question)s”: choose from the list.") % {"question": name})
        if question.kind == QuestionKind.SINGLE and len(codes) != 1:
            raise ValidationError(_("“%(question)s”: choose one answer.") % {"question": name})
        return None, codes, ""
    text = str(raw).strip()
    limit = SHORT_TEXT_MAX if question.kind == QuestionKind.SHORT_TEXT else LONG_TEXT_MAX
    if len(text) > limit:
        raise ValidationError(
            _("“%(question)s”: keep it to %(limit)s characters.")
            % {"question": name, "limit": limit}
        )
    return None, [], text


@transaction.atomic
def survey_answer(
    *,
    invitation: Invitation,
    user: User,
    answers: Mapping[str, object],
    today: date | None = None,
) -> None:
    """Keep ``user``'s answers (by question field name, see ``question_field``). For an
    anonymous survey the response holds neither the person nor the mentorship, only the
    day; the invitation only learns that it was answered."""
    today = today or timezone.localdate()
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("survey")
        .filter(pk=invitation.pk, user=user)
        .first()
    )
    if locked is None:
        raise ValidationError(_("This survey was not sent to you."))
    survey = locked.survey
    if locked.answered:
        raise ValidationError(_("You have already answered this survey. Thank you!"))
    if survey.status != SurveyStatus.OPEN or survey.is_closed(today):
        raise ValidationError(_("This survey is closed: answers are no longer taken."))
    errors: dict[str, list[str]] = {}
    kept: list[tuple[Question, Parsed]] = []
    for question in survey.questions.all():
        field = question_field(question)
        raw = answers.get(field)
        if _empty(raw):
            if question.required:
                errors[field] = [
                    _("“%(question)s”: this question needs an answer.")
                    % {"question": question.text}
                ]
            continue
        try:
            kept.append((question, _parsed(question, raw)))
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)
    response = Response.objects.create(
        survey=survey,
        respondent=None if survey.anonymous else user,
        submitted_on=today,
    )
    Answer.objects.bulk_create(
        Answer(response=response, question=question, number=number, codes=codes, text=text)
        for question, (number, codes, text) in kept
    )
    locked.answered = True
    locked.save(update_fields=["answered"])
    survey_id, respondent_id = survey.pk, response.respondent_id
    transaction.on_commit(
        lambda: survey_answered.send_robust(
            sender=Survey, survey_id=survey_id, respondent_id=respondent_id
        )
    )
