"""The coordinator's area of one program. Every view goes through ``get_program_for``."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.core.forms import add_service_errors
from medmentor.programs import selectors
from medmentor.programs.forms import (
    DecisionForm,
    IntakeQuestionForm,
    InvitationEmailForm,
    InvitationLinkForm,
    MemberFilterForm,
    MilestoneFormSet,
    ProgramForm,
    milestone_steps,
)
from medmentor.programs.invitations import invitation_expiry, invitation_token
from medmentor.programs.models import IntakeQuestion, Program, Role
from medmentor.programs.services import enrolment, programs
from medmentor.programs.services.invitations import invitation_send, invitation_url

MEMBERS_PAGE_SIZE = 50


def _render(
    request: HttpRequest,
    template: str,
    program: Program,
    tab: str,
    *,
    invalid: bool | None = None,
    **context: object,
) -> HttpResponse:
    """A page of the coordinator's area; invalid input (by default: a POST that lands
    here rather than redirecting) answers 422."""
    if invalid is None:
        invalid = request.method == "POST"
    return render(
        request,
        f"programs/manage/{template}",
        {"program": program, "tab": tab, **context},
        status=422 if invalid else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_settings(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    form = ProgramForm(request.POST if request.method == "POST" else None, instance=program)
    if request.method == "POST" and form.is_valid():
        try:
            programs.program_update(program=program, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The program's settings are saved."))
            return redirect("programs:settings", program.uuid)
        program.refresh_from_db()
    return _render(request, "settings.html", program, "settings", form=form)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_plan(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    formset = MilestoneFormSet(
        request.POST if request.method == "POST" else None,
        queryset=program.milestones.all(),
        prefix="milestones",
    )
    if request.method == "POST" and formset.is_valid():
        try:
            programs.milestone_plan_set(
                program=program, steps=milestone_steps(formset), by=request.user
            )
        except ValidationError as error:
            formset.non_form_errors().extend(error.messages)
        else:
            messages.success(request, _("The milestone plan is saved."))
            return redirect("programs:milestones", program.uuid)
    return _render(request, "milestones.html", program, "milestones", formset=formset)


def _question_form_save(
    request: AuthenticatedHttpRequest,
    program: Program,
    form: IntakeQuestionForm,
    question: IntakeQuestion | None,
) -> bool:
    if not form.is_valid():
        return False
    try:
        programs.intake_question_save(
            program=program, question=question, by=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, _("The question is saved."))
    return True


@login_required
@require_http_methods(["GET", "POST"])
def question_list(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    form = IntakeQuestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and _question_form_save(request, program, form, None):
        return redirect("programs:questions", program.uuid)
    return _render(
        request,
        "questions.html",
        program,
        "questions",
        form=form,
        mentor_questions=program.questions.filter(role=Role.MENTOR),
        mentee_questions=program.questions.filter(role=Role.MENTEE),
    )


def _question_of(program: Program, question_uuid: UUID) -> IntakeQuestion:
    question = program.questions.filter(uuid=question_uuid).first()
    if question is None:
        raise Http404
    return question


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(
    request: AuthenticatedHttpRequest, program_uuid: UUID, question_uuid: UUID
) -> HttpResponse:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    question = _question_of(program, question_uuid)
    form = IntakeQuestionForm(request.POST if request.method == "POST" else None, instance=question)
    if request.method == "POST" and _question_form_save(request, program, form, question):
        return redirect("programs:questions", program.uuid)
    return _render(
        request, "question_edit.html", program, "questions", form=form, question=question
    )


@login_required
@require_POST
def question_delete(
    request: AuthenticatedHttpRequest, program_uuid: UUID, question_uuid: UUID
) -> HttpResponse:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    programs.intake_question_delete(question=_question_of(program, question_uuid), by=request.user)
    messages.success(request, _("The question is deleted."))
    return redirect("programs:questions", program.uuid)


@login_required
@require_http_methods(["GET"])
def member_list(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    filters = MemberFilterForm(request.GET or None)
    role = status = ""
    if filters.is_valid():
        role, status = filters.cleaned_data["role"], filters.cleaned_data["status"]
    page = Paginator(selectors.members_of(program, role=role, status=status), MEMBERS_PAGE_SIZE)
    members = page.get_page(request.GET.get("page"))
    access_log(
        actor=request.user,
        action=Action.VIEW,
        what=What.MEMBER_LIST,
        subjects=[member.user_id for member in members],
        program=program,
    )
    return _render(
        request,
        "members.html",
        program,
        "members",
        filters=filters,
        members=members,
        filter_query=urlencode({"role": role, "status": status}),
    )


@login_required
@require_http_methods(["GET"])
def approval_queue(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    questions = list(program.questions.all())
    queue = [
        (membership, selectors.answer_rows(questions, membership))
        for membership in selectors.approval_queue(program)
    ]
    access_log(
        actor=request.user,
        action=Action.VIEW,
        what=What.ENROLMENT,
        subjects=[membership.user_id for membership, _answers in queue],
        program=program,
    )
    return _render(
        request, "queue.html", program, "queue", queue=queue, decision_form=DecisionForm()
    )


@login_required
@require_POST
def member_decide(
    request: AuthenticatedHttpRequest, program_uuid: UUID, membership_uuid: UUID, decision: str
) -> HttpResponse:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    membership = selectors.get_membership_of(program, membership_uuid)
    if decision not in ("approve", "decline"):
        raise Http404
    form = DecisionForm(request.POST)
    error = ""
    if not form.is_valid():
        error = " ".join(str(m) for messages_ in form.errors.values() for m in messages_)
    else:
        action = {
            "approve": enrolment.membership_approve,
            "decline": enrolment.membership_decline,
        }[decision]
        try:
            membership = action(
                membership=membership, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as problem:
            error = " ".join(problem.messages)
    if request.htmx:
        return render(
            request,
            "programs/manage/queue.html#request",
            {"program": program, "item": membership, "error": error, "decision_form": form},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("%(person)s: %(status)s.")
            % {"person": membership.user, "status": membership.get_status_display()},
        )
    return redirect("programs:queue", program.uuid)


@login_required
@require_POST
def member_remove(
    request: AuthenticatedHttpRequest, program_uuid: UUID, membership_uuid: UUID
) -> HttpResponse:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    membership = selectors.get_membership_of(program, membership_uuid)
    try:
        enrolment.membership_withdraw(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(person)s is removed.") % {"person": membership.user})
    return redirect(reverse("programs:members", args=[program.uuid]))


@login_required
@require_http_methods(["GET", "POST"])
def invitation_links(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    sending = request.method == "POST"
    link_form = InvitationLinkForm(None if sending else (request.GET or None))
    email_form = InvitationEmailForm(request.POST if sending else None, prefix="send")
    link = expires_on = None
    if link_form.is_bound and link_form.is_valid():
        token = invitation_token(
            program, link_form.cleaned_data["role"], valid_days=link_form.cleaned_data["valid_days"]
        )
        link = request.build_absolute_uri(invitation_url(token))
        expires_on = invitation_expiry(token)
    if sending and email_form.is_valid():
        data = email_form.cleaned_data
        existing = invitation_send(
            program=program,
            role=data["role"],
            email=data["email"],
            by=request.user,
            valid_days=data["valid_days"],
        )
        message = (
            _("%(email)s is invited; they are on MedMentor and were notified.")
            if existing
            else _("%(email)s is invited by e-mail, in English and French.")
        )
        messages.success(request, message % {"email": data["email"]})
        return redirect("programs:invitations", program.uuid)
    return _render(
        request,
        "invitations.html",
        program,
        "invitations",
        invalid=(link_form.is_bound and not link_form.is_valid()) or sending,
        link_form=link_form,
        email_form=email_form,
        link=link,
        expires_on=expires_on,
    )


@login_required
@require_POST
def invitations_revoke(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    programs.program_invitations_revoke(program=program, by=request.user)
    messages.success(request, _("Every invitation link given so far no longer works."))
    return redirect("programs:invitations", program.uuid)


@login_required
@require_http_methods(["GET", "POST"])
def program_duplicate(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = selectors.get_program_for(request.user, program_uuid, manage=True).program
    if request.method == "POST":
        copy = programs.program_duplicate(program=program, by=request.user)
        messages.success(
            request,
            _("%(program)s is ready; check its dates and settings.") % {"program": copy.name},
        )
        return redirect("programs:settings", copy.uuid)
    return _render(
        request,
        "duplicate.html",
        program,
        "duplicate",
        questions=program.questions.count(),
        milestones=program.milestones.count(),
    )
