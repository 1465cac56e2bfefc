"""Reads for surveys: a program's surveys for its coordinators (anyone else gets 404 or
403 through ``get_program_for``), the invitation a participant opens, and the figures of
a survey's answers (counts per answer, means, text of named surveys)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.mentorships.models import Mentorship
from medmentor.programs.models import Program
from medmentor.programs.selectors import get_program_for
from medmentor.segments.selectors import segment_label, segment_members
from medmentor.surveys.models import (
    CHOICE_KINDS,
    SCALES,
    TEXT_KINDS,
    Answer,
    Invitation,
    Question,
    QuestionKind,
    SendMode,
    Survey,
    SurveyStatus,
)


def min_group() -> int:
    """The fewest answers an anonymous survey's figures may describe (the reports' k)."""
    return int(settings.REPORTS_MIN_GROUP)


def get_program_managed(user: User | AnonymousUser, program_uuid: UUID) -> Program:
    return get_program_for(user, program_uuid, manage=True).program


def surveys_of(program: Program) -> QuerySet[Survey]:
    """The program's surveys, newest first, with how many were asked and have answered."""
    return (
        Survey.objects.filter(program=program)
        .select_related("match_round")
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count("invitations", filter=Q(invitations__answered=True), distinct=True),
        )
    )


def get_survey_of(program: Program, survey_uuid: UUID) -> Survey:
    return get_object_or_404(
        Survey.objects.select_related("match_round"), program=program, uuid=survey_uuid
    )


def get_question_of(survey: Survey, question_uuid: UUID) -> Question:
    return get_object_or_404(Question, survey=survey, uuid=question_uuid)


def audience_label(survey: Survey) -> str:
    return segment_label(survey.segment, survey.match_round)


def audience_size(survey: Survey) -> int:
    """How many people the segment holds now."""
    return segment_members(survey.program, survey.segment, match_round=survey.match_round).count()


def get_invitation_for(user: User | AnonymousUser, invitation_uuid: UUID) -> Invitation:
    """The invitation ``user`` opens: only their own (anyone else gets 404)."""
    if not user.is_authenticated:
        raise Http404
    invitation = (
        Invitation.objects.select_related("survey", "survey__program")
        .filter(uuid=invitation_uuid, user=user)
        .first()
    )
    if invitation is None or invitation.survey.status != SurveyStatus.OPEN:
        raise Http404
    return invitation


def waiting_invitations(user: User, today: date | None = None) -> QuerySet[Invitation]:
    """Surveys ``user`` was asked to answer and may still answer."""
    today = today or timezone.localdate()
    return (
        Invitation.objects.filter(user=user, answered=False, survey__status=SurveyStatus.OPEN)
        .filter(Q(survey__closes_on__isnull=True) | Q(survey__closes_on__gte=today))
        .select_related("survey", "survey__program")
    )


def closure_survey_links(mentorship: Mentorship, user: User) -> list[tuple[str, str]]:
    """(title, answer page) of the program's open closure surveys ``user`` still owes
    about ``mentorship``: the closure evaluation links to them."""
    invitations = waiting_invitations(user).filter(
        mentorship=mentorship, survey__send_mode=SendMode.AT_CLOSURE
    )
    return [
        (invitation.survey.title, reverse("surveys:answer", args=[invitation.uuid]))
        for invitation in invitations
    ]


# -- Results ---------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    answered: int  # how many responses answer it
    options: list[tuple[str, str, int]] = field(default_factory=list)  # (key, label, count)
    total_of_scores: int = 0  # the sum of a scale's values
    texts: list[str] = field(default_factory=list)  # named surveys only

    @property
    def is_scale(self) -> bool:
        return self.question.kind in SCALES

    @property
    def is_text(self) -> bool:
        return self.question.kind in TEXT_KINDS

    @property
    def options_add_up(self) -> bool:
        """Each answer picks one option (not a multiple choice)."""
        return self.question.kind != QuestionKind.MULTIPLE

    @property
    def mean(self) -> float | None:
        if not self.is_scale or not self.answered:
            return None
        return round(self.total_of_scores / self.answered, 2)


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    invited: int
    questions: list[QuestionResult]


def option_keys(question: Question) -> list[tuple[str, str]]:
    """(key, label) of each answer a question counts: a scale's values, choices, yes/no."""
    if question.kind in SCALES:
        return [(str(value), str(value)) for value in SCALES[question.kind]]
    return question.choice_pairs()


def survey_results(survey: Survey) -> SurveyResults:
    """Counts of every answer; text answers only for a named survey."""
    answers = Answer.objects.filter(response__survey=survey).values(
        "question_id", "number", "codes", "text"
    )
    counts: dict[int, Counter[str]] = {}
    answered: Counter[int] = Counter()
    sums: Counter[int] = Counter()
    texts: dict[int, list[str]] = {}
    kinds = {q.pk: q.kind for q in survey.questions.all()}
    for answer in answers:
        question_id = answer["question_id"]
        kind = kinds.get(question_id)
        answered[question_id] += 1
        bucket = counts.setdefault(question_id, Counter())
        if kind in SCALES and answer["number"] is not None:
            bucket[str(answer["number"])] += 1
            sums[question_id] += answer["number"]
        elif kind == QuestionKind.YES_NO and answer["number"] is not None:
            bucket["yes" if answer["number"] else "no"] += 1
        elif kind in CHOICE_KINDS:
            for code in answer["codes"] or []:
                bucket[code] += 1
        elif kind in TEXT_KINDS and not survey.anonymous:
            texts.setdefault(question_id, []).append(answer["text"])
    results = []
    for question in survey.questions.all():
        bucket = counts.get(question.pk, Counter())
        results.append(
            QuestionResult(
                question=question,
                answered=answered[question.pk],
                options=(
                    []
                    if question.kind in TEXT_KINDS
                    else [(key, label, bucket[key]) for key, label in option_keys(question)]
                ),
                total_of_scores=sums[question.pk],
                texts=sorted(texts.get(question.pk, []), key=str.casefold),
            )
        )
    return SurveyResults(
        survey=survey,
        responses=survey.responses.count(),
        invited=survey.invitations.count(),
        questions=results,
    )


def named_response_rows(survey: Survey) -> list[tuple[User, date, dict[int, Answer]]]:
    """A named survey's responses: the respondent, the day, their answers by question."""
    if survey.anonymous:
        return []
    rows = []
    responses = survey.responses.select_related("respondent").prefetch_related("answers")
    for response in responses:
        if response.respondent is None:
            continue
        rows.append(
            (
                response.respondent,
                response.submitted_on,
                {answer.question_id: answer for answer in response.answers.all()},
            )
        )
    return rows


def surveys_sent_in(program_ids: list[int], start: date, end: date) -> QuerySet[Survey]:
    """The surveys of these programs that invited someone between ``start`` and ``end``."""
    return (
        Survey.objects.filter(program_id__in=program_ids)
        .filter(invitations__invited_at__date__gte=start, invitations__invited_at__date__lte=end)
        .distinct()
        .select_related("program")
        .prefetch_related("questions")
        .order_by("sent_at", "id")
    )
