"""The coordinator's survey pages (through ``get_program_for(..., manage=True)``) and the
page where an invited participant answers (only their own invitation)."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.core.forms import add_service_errors
from medmentor.core.spreadsheet import csv_download
from medmentor.profiles.selectors import display_name_of
from medmentor.programs.models import Program
from medmentor.surveys import selectors
from medmentor.surveys.forms import AnswerForm, QuestionForm, SurveyForm
from medmentor.surveys.models import SCALES, Answer, Question, QuestionKind, Survey
from medmentor.surveys.services.answering import survey_answer
from medmentor.surveys.services.authoring import (
    question_delete,
    question_move,
    question_save,
    survey_results_logged,
    survey_save,
    survey_send,
)


def _render(
    request: HttpRequest, template: str, program: Program, invalid: bool, **context: object
) -> HttpResponse:
    return render(
        request,
        f"surveys/{template}",
        {"program": program, "tab": "surveys", **context},
        status=422 if invalid else 200,
    )


@login_required
@require_GET
def survey_list(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = selectors.get_program_managed(request.user, program_uuid)
    surveys = [(s, selectors.audience_label(s)) for s in selectors.surveys_of(program)]
    return _render(request, "manage_list.html", program, False, surveys=surveys)


@login_required
@require_http_methods(["GET", "POST"])
def survey_new(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = selectors.get_program_managed(request.user, program_uuid)
    form = SurveyForm(request.POST if request.method == "POST" else None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            survey = survey_save(program=program, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The survey is saved as a draft: add its questions."))
            return redirect("surveys:survey", program.uuid, survey.uuid)
    return _render(request, "manage_new.html", program, form.is_bound, form=form)


def _detail(
    request: AuthenticatedHttpRequest,
    program: Program,
    survey: Survey,
    *,
    form: SurveyForm | None = None,
    question_form: QuestionForm | None = None,
) -> HttpResponse:
    invalid = bool((form and form.errors) or (question_form and question_form.errors))
    return _render(
        request,
        "manage_survey.html",
        program,
        invalid,
        survey=survey,
        audience=selectors.audience_label(survey),
        questions=list(survey.questions.all()),
        form=form or SurveyForm(instance=survey, program=program),
        question_form=question_form or QuestionForm(),
        counts=selectors.surveys_of(program).get(pk=survey.pk),
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_detail(
    request: AuthenticatedHttpRequest, program_uuid: UUID, survey_uuid: UUID
) -> HttpResponse:
    program = selectors.get_program_managed(request.user, program_uuid)
    survey = selectors.get_survey_of(program, survey_uuid)
    if request.method == "GET":
        return _detail(request, program, survey)
    form = SurveyForm(request.POST, instance=survey, program=program)
    if form.is_valid():
        try:
            survey_save(program=program, by=request.user, survey=survey, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The survey is saved."))
            return redirect("surveys:survey", program.uuid, survey.uuid)
    survey.refresh_from_db()
    return _detail(request, program, survey, form=form)


@login_required
@require_POST
def question_add(
    request: AuthenticatedHttpRequest, program_uuid: UUID, survey_uuid: UUID
) -> HttpResponse:
    program = selectors.get_program_managed(request.user, program_uuid)
    survey = selectors.get_survey_of(program, survey_uuid)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            question_save(survey=survey, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The question is added."))
            return redirect("surveys:survey", program.uuid, survey.uuid)
    return _detail(request, program, survey, question_form=form)


def _question(
    request: AuthenticatedHttpRequest, program_uuid: UUID, survey_uuid: UUID, question_uuid: UUID
) -> tuple[Program, Survey, Question]:
    program = selectors.get_program_managed(request.user, program_uuid)
    survey = selectors.get_survey_of(program, survey_uuid)
    return program, survey, selectors.get_question_of(survey, question_uuid)


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(
    request: AuthenticatedHttpRequest,
    program_uuid: UUID,
    survey_uuid: UUID,
    survey_question_uuid: UUID,
) -> HttpResponse:
    program, survey, question = _question(request, program_uuid, survey_uuid, survey_question_uuid)
    form = QuestionForm(request.POST if request.method == "POST" else None, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            question_save(survey=survey, by=request.user, question=question, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("surveys:survey", program.uuid, survey.uuid)
    return _render(request, "question_edit.html", program, form.is_bound, survey=survey, form=form)


@login_required
@require_POST
def question_remove(
    request: AuthenticatedHttpRequest,
    program_uuid: UUID,
    survey_uuid: UUID,
    survey_question_uuid: UUID,
) -> HttpResponse:
    program, survey, question = _question(request, program_uuid, survey_uuid, survey_question_uuid)
    try:
        question_delete(question=question, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The question is removed."))
    return redirect("surveys:survey", program.uuid, survey.uuid)


@login_required
@require_POST
def question_reorder(
    request: AuthenticatedHttpRequest,
    program_uuid: UUID,
    survey_uuid: UUID,
    survey_question_uuid: UUID,
) -> HttpResponse:
    program, survey, question = _question(request, program_uuid, survey_uuid, survey_question_uuid)
    try:
        question_move(question=question, by=request.user, up=request.POST.get("direction") == "up")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("surveys:survey", program.uuid, survey.uuid)


@login_required
@require_http_methods(["GET", "POST"])
def survey_send_page(
    request: AuthenticatedHttpRequest, program_uuid: UUID, survey_uuid: UUID
) -> HttpResponse:
    program = selectors.get_program_managed(request.user, program_uuid)
    survey = selectors.get_survey_of(program, survey_uuid)
    errors: list[str] = []
    if request.method == "POST":
        try:
            survey_send(survey=survey, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("The survey is sent, or scheduled as you chose."))
            return redirect("surveys:surveys", program.uuid)
    return _render(
        request,
        "send.html",
        program,
        bool(errors),
        survey=survey,
        audience=selectors.audience_label(survey),
        size=selectors.audience_size(survey),
        questions=survey.questions.count(),
        errors=errors,
    )


@login_required
@require_GET
def survey_results_page(
    request: AuthenticatedHttpRequest, program_uuid: UUID, survey_uuid: UUID
) -> HttpResponse:
    program = selectors.get_program_managed(request.user, program_uuid)
    survey = selectors.get_survey_of(program, survey_uuid)
    results = selectors.survey_results(survey)
    k = selectors.min_group()
    withheld = survey.anonymous and results.responses < k
    survey_results_logged(
        survey=survey,
        by=request.user,
        respondents=survey.responses.exclude(respondent=None).values_list(
            "respondent_id", flat=True
        ),
    )
    return _render(
        request,
        "results.html",
        program,
        False,
        survey=survey,
        results=results,
        withheld=withheld,
        k=k,
    )


def _answer_text(question: Question, answer: Answer | None) -> object:
    if answer is None:
        return ""
    if question.kind in SCALES:
        return answer.number
    labels = dict(question.choice_pairs())
    if question.kind == QuestionKind.YES_NO:
        return labels["yes" if answer.number else "no"]
    if answer.codes:
        return "; ".join(labels.get(code, code) for code in answer.codes)
    return answer.text


@login_required
@require_GET
def survey_results_csv(
    request: AuthenticatedHttpRequest, program_uuid: UUID, survey_uuid: UUID
) -> HttpResponse | StreamingHttpResponse:
    """Named: one row per response, the respondent's name then each answer. Anonymous:
    the counts of each answer only, and only from k answers."""
    program = selectors.get_program_managed(request.user, program_uuid)
    survey = selectors.get_survey_of(program, survey_uuid)
    questions = list(survey.questions.all())
    rows: list[list[object]]
    if survey.anonymous:
        results = selectors.survey_results(survey)
        rows = [[_("Question"), _("Answer"), _("Count"), _("Mean")]]
        if results.responses >= selectors.min_group():
            for result in results.questions:
                if result.is_text:
                    continue
                for _key, label, count in result.options:
                    rows.append([result.question.text, label, count, ""])
                rows.append([result.question.text, _("Answers"), result.answered, result.mean])
        respondents: list[int] = []
    else:
        named = selectors.named_response_rows(survey)
        rows = [[_("Respondent"), _("Answered on"), *(q.text for q in questions)]]
        for person, day, answers in named:
            rows.append(
                [
                    display_name_of(person),
                    day.isoformat(),
                    *(_answer_text(q, answers.get(q.pk)) for q in questions),
                ]
            )
        respondents = [person.pk for person, _day, _answers in named]
    survey_results_logged(survey=survey, by=request.user, respondents=respondents, export=True)

    def lines() -> Iterator[list[object]]:
        yield from rows

    name = slugify(survey.title_en) or "survey"
    return csv_download(f"{name}-results.csv", lines())


@login_required
@require_http_methods(["GET", "POST"])
def survey_answer_page(request: AuthenticatedHttpRequest, invitation_uuid: UUID) -> HttpResponse:
    invitation = selectors.get_invitation_for(request.user, invitation_uuid)
    survey = invitation.survey
    if invitation.answered or survey.is_closed():
        return render(
            request,
            "surveys/answer_done.html",
            {"survey": survey, "answered": invitation.answered},
        )
    questions = list(survey.questions.all())
    form = AnswerForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            survey_answer(invitation=invitation, user=request.user, answers=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("surveys:answer", invitation.uuid)
    return render(
        request,
        "surveys/answer.html",
        {"survey": survey, "form": form},
        status=422 if form.is_bound else 200,
    )
