"""Pages anyone or any participant sees: the list, a program, my programs, a new program."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.core.http import HtmxHttpRequest
from medmentor.directory.models import ListingClaim
from medmentor.directory.selectors import claim_get_confirmed
from medmentor.institutions.selectors import signed_in_through
from medmentor.programs import selectors
from medmentor.programs.codes import region_choices
from medmentor.programs.forms import ProgramForm
from medmentor.programs.models import (
    PARTICIPANT_ROLES,
    Audience,
    EnrolmentMode,
    Membership,
    Status,
)
from medmentor.programs.services.programs import program_create


@require_GET
def program_list(request: HtmxHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    audience = request.GET.get("audience", "")
    region = request.GET.get("region", "")
    programs = selectors.programs_search(
        query=query,
        audience=audience if audience in Audience.values else "",
        region=region if region in dict(region_choices()) else "",
    )
    page = Paginator(programs, 20).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "audience": audience,
        "region": region,
        "audiences": Audience.choices,
        "regions": region_choices(),
        "can_create": selectors.can_create_programs(request.user),
    }
    template = "programs/list.html#results" if request.htmx else "programs/list.html"
    return render(request, template, context)


def _may_join(membership: Membership | None) -> bool:
    """Not in the role yet, or no longer: joining (again) is open."""
    return membership is None or membership.status in (Status.WITHDRAWN, Status.DECLINED)


@require_GET
def program_detail(request: HttpRequest, program_uuid: UUID) -> HttpResponse:
    access = selectors.get_program_for(request.user, program_uuid)
    program = access.program
    institution = program.sso_institution
    # An SSO-only program: people who have not signed in through its institution are shown
    # the way to do so instead of a Join button that would refuse them.
    sso_needed = institution is not None and not signed_in_through(request.user, institution)
    joinable = program.enrolment_mode != EnrolmentMode.INVITATION and not sso_needed
    roles = [
        {
            "role": role,
            "membership": access.membership(role),
            "can_join": joinable and _may_join(access.membership(role)),
        }
        for role in PARTICIPANT_ROLES
    ]
    return render(
        request,
        "programs/detail.html",
        {
            "access": access,
            "program": program,
            "roles": roles,
            "sso_needed": sso_needed,
            "milestones": program.milestones.all(),
        },
    )


@login_required
@require_GET
def my_programs(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "programs/mine.html",
        {
            "memberships": selectors.memberships_of(request.user),
            "open_community": selectors.open_community(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not selectors.can_create_programs(request.user):
        raise PermissionDenied(_("Ask the MedMentor team for permission to create programs."))
    claim = _listing_claim(request)
    form = ProgramForm(
        request.POST if request.method == "POST" else None,
        initial=ProgramForm.initial_from_listing(claim.listing) if claim else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            program = program_create(
                created_by=request.user, from_listing=claim, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The program is created. You are its coordinator."))
            return redirect("programs:settings", program.uuid)
    return render(
        request,
        "programs/manage/settings.html",
        {"form": form, "creating": True, "listing": claim.listing if claim else None},
        status=422 if form.errors else 200,
    )


def _listing_claim(request: AuthenticatedHttpRequest) -> ListingClaim | None:
    """``?listing=<uuid>``: the owner of a directory listing runs that program here."""
    listing = request.GET.get("listing")
    if not listing:
        return None
    try:
        listing_uuid = UUID(listing)
    except ValueError:
        raise Http404("No such listing") from None
    return claim_get_confirmed(listing_uuid=listing_uuid, user_id=request.user.pk)
