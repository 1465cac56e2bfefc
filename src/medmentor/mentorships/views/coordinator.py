"""The coordinator's follow-up: the dashboard, the reasoned and audited view, letters."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmentor.accounts.audit import Action, What, access_log
from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.accounts.models import User
from medmentor.core.forms import add_service_errors
from medmentor.mentorships import selectors
from medmentor.mentorships.access import get_mentorship_for
from medmentor.mentorships.forms import GroupForm, ReasonForm
from medmentor.mentorships.models import RecognitionLetter, Source
from medmentor.mentorships.services.audit import coordinator_view_record
from medmentor.mentorships.services.lifecycle import group_start
from medmentor.mentorships.services.recognition import letter_code, letter_issue, letter_verify
from medmentor.mentorships.views.common import posted
from medmentor.programs.selectors import get_program_for


@login_required
@require_GET
def program_dashboard(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = get_program_for(request.user, program_uuid, manage=True).program
    rows = selectors.program_mentorships_seen_by(request.user, program)
    return render(
        request,
        "mentorships/program_dashboard.html",
        {
            "program": program,
            "rows": rows,
            "attention": [row for row in rows if row.reasons],
            "mentors": selectors.mentors_in(program),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_new(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    """The coordinator forms a group or a circle by hand."""
    program = get_program_for(request.user, program_uuid, manage=True).program
    form = GroupForm(posted(request), program=program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = group_start(
                program=program,
                kind=data["kind"],
                mentors=list(data["mentors"]),
                members=list(data["members"]),
                name=data["name"],
                source=Source.COORDINATOR,
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s has started; its members were told.") % {"name": group}
            )
            return redirect("mentorships:program", program.uuid)
    return render(
        request,
        "mentorships/group_new.html",
        {"program": program, "form": form, "runs_groups": bool(form.fields["kind"].choices)},  # type: ignore[attr-defined]
    )


@login_required
@require_http_methods(["GET", "POST"])
def oversight(request: AuthenticatedHttpRequest, mentorship_uuid: UUID) -> HttpResponse:
    """Asks for a reason first; each view is written to the log the pair reads."""
    access = get_mentorship_for(request.user, mentorship_uuid, oversight=True)
    if access.is_party:
        return redirect("mentorships:workspace", access.mentorship.uuid)
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            coordinator_view_record(access=access, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(
                request,
                "mentorships/oversight.html",
                {
                    "access": access,
                    "mentorship": access.mentorship,
                    "view": selectors.oversight_of(access.mentorship),
                },
            )
    return render(
        request,
        "mentorships/oversight_reason.html",
        {"access": access, "mentorship": access.mentorship, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def letter_new(
    request: AuthenticatedHttpRequest, program_uuid: UUID, user_uuid: UUID
) -> HttpResponse:
    program = get_program_for(request.user, program_uuid, manage=True).program
    mentor = User.objects.filter(uuid=user_uuid).first()
    if mentor is None:
        raise Http404
    try:
        letter = letter_issue(program=program, mentor=mentor, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("mentorships:program", program.uuid)
    return redirect("mentorships:letter", letter.uuid)


@login_required
@require_GET
def letter(request: AuthenticatedHttpRequest, letter_uuid: UUID) -> HttpResponse:
    """The printable letter, for the mentor and the program's coordinators."""
    item = RecognitionLetter.objects.select_related("program").filter(uuid=letter_uuid).first()
    if item is None:
        raise Http404
    is_coordinator = get_program_for(request.user, item.program.uuid).is_coordinator
    if request.user.pk != item.mentor_id and not is_coordinator:
        raise Http404
    access_log(
        actor=request.user,
        action=Action.VIEW,
        what=What.MENTORING_RECORD,
        subjects=[item.mentor_id],
        program=item.program,
    )
    code = letter_code(item)
    return render(
        request,
        "mentorships/letter.html",
        {
            "letter": item,
            "code": code,
            "verify_url": request.build_absolute_uri(reverse("mentorships:verify", args=[code])),
        },
    )


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: anyone holding a letter checks that MedMentor issued it."""
    item = letter_verify(code)
    return render(request, "mentorships/verify.html", {"letter": item}, status=200 if item else 404)
