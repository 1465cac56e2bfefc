"""Pages: onboarding and editing in short steps, my profile, profile pages, photos,
reporting lines, blocks and the mentor search. Thin: forms validate, services write."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.profiles import forms
from medmentor.profiles.asking import ask_options
from medmentor.profiles.fit import fit_of
from medmentor.profiles.models import Block, ReportingLine
from medmentor.profiles.search import SearchFilters, search_mentors
from medmentor.profiles.selectors import (
    exclusions_read_once,
    get_profile_for_viewer,
    profile_completeness,
    reporting_lines_of,
)
from medmentor.profiles.services import (
    block_add,
    block_remove,
    profile_get_or_create,
    profile_set_roles,
    profile_step_save,
    reporting_line_add,
    reporting_line_remove,
)
from medmentor.profiles.taxonomy import taxonomy, taxonomy_version
from medmentor.profiles.visibility import visible_fields


@dataclass(frozen=True)
class Step:
    slug: str
    title: str | Promise
    form: type[forms.StepForm] | None  # None: the reporting lines page

    @property
    def url(self) -> str:
        if self.form is None:
            return reverse("profiles:reporting_lines")
        return reverse("profiles:edit", args=[self.slug])


# Every page of the profile, in order: the navigation, "Step n of N" and "Save and
# continue" all read this one list, whatever the person's roles.
STEPS = (
    Step("about", _("About you"), forms.AboutForm),
    Step("roles", _("Mentee, mentor or both"), forms.RolesForm),
    Step("interests", _("Interests and bio"), forms.InterestsForm),
    Step("availability", _("Availability and preferences"), forms.AvailabilityForm),
    Step("privacy", _("Privacy, photo and identity"), forms.PrivacyForm),
    Step("reporting-lines", _("Reporting lines and conflicts"), None),
)
STEP_SLUGS = [s.slug for s in STEPS]
# What a role must say before the profile is complete (see profile_completeness).
ROLE_GOALS = {"is_mentee": "goals_sought", "is_mentor": "goals_offered"}


def _step_context(slug: str) -> dict[str, object]:
    index = STEP_SLUGS.index(slug)
    return {"step": STEPS[index], "steps": STEPS, "position": index + 1}


def _next_url(slug: str, *, new_role_unfinished: bool = False) -> str:
    # A role just ticked without JavaScript had its questions hidden: ask them now.
    if new_role_unfinished:
        return reverse("profiles:edit", args=[slug])
    return STEPS[STEP_SLUGS.index(slug) + 1].url


@login_required
@require_GET
def me(request: AuthenticatedHttpRequest) -> HttpResponse:
    profile = profile_get_or_create(user=request.user)
    return render(
        request,
        "profiles/me.html",
        {"profile": profile, "completeness": profile_completeness(profile), "steps": STEPS},
    )


@login_required
@require_GET
def onboarding(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start, or resume at the first step with something missing."""
    profile = profile_get_or_create(user=request.user)
    missing = profile_completeness(profile).missing
    slug = missing[0].step if missing else STEPS[0].slug
    return redirect("profiles:edit", slug)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedHttpRequest, step: str) -> HttpResponse:
    current = STEPS[STEP_SLUGS.index(step)] if step in STEP_SLUGS else None
    if current is None or current.form is None:
        raise Http404
    profile = profile_get_or_create(user=request.user)
    has_photo = bool(profile.photo)
    photo_form = None
    # Before the form: validating it sets the posted values on the profile.
    roles_before = {role: getattr(profile, role) for role in forms.ROLE_FIELDS}
    if request.method == "POST":
        form = current.form(request.POST, instance=profile)
        if step == "privacy":
            photo_form = forms.PhotoForm(request.POST, request.FILES, has_photo=has_photo)
        if form.is_valid() and (photo_form is None or photo_form.is_valid()):
            photo = photo_form.cleaned_data if photo_form is not None else {}
            profile_step_save(
                profile=profile,
                data=form.cleaned_data,
                photo=photo.get("photo"),
                remove_photo=bool(photo.get("remove")),
            )
            messages.success(request, _("Saved."))
            added = [role for role, was in roles_before.items() if getattr(profile, role) > was]
            missing = {i.field for i in profile_completeness(profile).missing} if added else set()
            unfinished = any(ROLE_GOALS[role] in missing for role in added)
            next_url = _next_url(step, new_role_unfinished=unfinished)
            if request.htmx:
                return HttpResponseClientRedirect(next_url)
            return redirect(next_url)
        profile.refresh_from_db()
    else:
        form = current.form(instance=profile)
        if step == "privacy":
            photo_form = forms.PhotoForm(has_photo=has_photo)
    context = {
        "profile": profile,
        "form": form,
        "photo_form": photo_form,
        **_step_context(step),
        "completeness": profile_completeness(profile),
    }
    template = "profiles/step.html#step-form" if request.htmx else "profiles/step.html"
    return render(request, template, context, status=422 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def become_mentor(request: AuthenticatedHttpRequest) -> HttpResponse:
    profile = profile_get_or_create(user=request.user)
    if request.method == "POST":
        profile_set_roles(profile=profile, is_mentee=profile.is_mentee, is_mentor=True)
        messages.success(request, _("Welcome, mentor. Tell mentees what you offer."))
        return redirect("profiles:edit", "roles")
    return render(request, "profiles/become_mentor.html", {"profile": profile})


@login_required
@require_GET
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The old address of the profile's export: all of a person's data is on one page."""
    return redirect("accounts:data")


@login_required
@require_GET
def detail(request: AuthenticatedHttpRequest, profile_uuid: uuid.UUID) -> HttpResponse:
    profile = get_profile_for_viewer(request.user, profile_uuid)
    user = request.user
    is_me = profile.user_id == user.pk
    context = {
        "profile": profile,
        "visible": visible_fields(user, [profile])[profile.pk],
        "is_me": is_me,
        # Offer "Ask" only when sending would be accepted; else say why and what to join.
        "ask": ask_options(user, [profile.user_id]).get(profile.user_id)
        if profile.is_mentor and not is_me
        else None,
        # How this mentor fits the reader, on the four Cs (the search's engine and rules).
        "fit": fit_of(user, user.pk, profile.user_id) if profile.is_mentor and not is_me else None,
        "kinds": ReportingLine.Kind.choices,
    }
    return render(request, "profiles/detail.html", context)


@login_required
@require_GET
def photo(request: AuthenticatedHttpRequest, profile_uuid: uuid.UUID) -> FileResponse:
    """A person's photo, to those they allow (never a public media URL)."""
    profile = get_profile_for_viewer(request.user, profile_uuid)
    if not profile.photo or "photo" not in visible_fields(request.user, [profile])[profile.pk]:
        raise Http404
    response = FileResponse(profile.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def reporting_lines(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    profile = profile_get_or_create(user=user)
    form = forms.ReportingLineForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                reporting_line_add(
                    person=user,
                    email=form.cleaned_data["email"],
                    kind=form.cleaned_data["kind"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("email", message)
            else:
                messages.success(request, _("Saved. You will never be paired with them."))
                return redirect("profiles:reporting_lines")
        status = 422
    context = {
        "profile": profile,
        "form": form,
        "lines": reporting_lines_of(user),
        **_step_context("reporting-lines"),
        "completeness": profile_completeness(profile),
    }
    return render(request, "profiles/reporting_lines.html", context, status=status)


@login_required
@require_POST
def declare_line(request: AuthenticatedHttpRequest, profile_uuid: uuid.UUID) -> HttpResponse:
    """Declare a reporting line or conflict with the person whose page this is."""
    profile = get_profile_for_viewer(request.user, profile_uuid)
    kind = request.POST.get("kind", "")
    try:
        reporting_line_add(person=request.user, other=profile.user, kind=kind)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("profiles:detail", profile.uuid)
    messages.success(request, _("Saved. You will never be paired with them."))
    return redirect("profiles:reporting_lines")


@login_required
@require_POST
def reporting_line_delete(request: AuthenticatedHttpRequest, line_uuid: uuid.UUID) -> HttpResponse:
    line = get_object_or_404(ReportingLine, uuid=line_uuid, person=request.user)
    try:
        reporting_line_remove(person=request.user, line=line)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("profiles:reporting_lines")


@login_required
@require_GET
def blocks(request: AuthenticatedHttpRequest) -> HttpResponse:
    made = Block.objects.filter(blocker=request.user).select_related("blocked__profile")
    return render(request, "profiles/blocks.html", {"blocks": made})


@login_required
@require_POST
def block(request: AuthenticatedHttpRequest, profile_uuid: uuid.UUID) -> HttpResponse:
    profile = get_profile_for_viewer(request.user, profile_uuid)
    try:
        block_add(blocker=request.user, blocked=profile.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("profiles:me")
    messages.success(request, _("Blocked. You will not see each other in search."))
    return redirect("profiles:blocks")


@login_required
@require_POST
def unblock(request: AuthenticatedHttpRequest, block_uuid: uuid.UUID) -> HttpResponse:
    made = get_object_or_404(Block, uuid=block_uuid, blocker=request.user)
    block_remove(blocker=made.blocker, blocked=made.blocked)
    messages.success(request, _("Unblocked."))
    return redirect("profiles:blocks")


@login_required
@require_GET
def mentor_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = forms.MentorSearchForm(request.GET or None, vocabularies=taxonomy())
    page = None
    status = 200
    if not form.is_bound or form.is_valid():
        filters = SearchFilters.from_cleaned(form.cleaned_data if form.is_bound else {})
        # The search and the "Ask" answers leave out the same people: read them once.
        with exclusions_read_once():
            page = search_mentors(request.user, filters)
            # Whether each mentor can be asked, for the whole page at once (no query per row).
            asks = ask_options(request.user, [r.profile.user_id for r in page.results])
        page = replace(
            page, results=[replace(r, ask=asks.get(r.profile.user_id)) for r in page.results]
        )
    else:
        status = 422
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        # How many filters are in use, shown on the folded filters of a phone.
        "active_filters": sum(
            1 for name in form.fields if name != "page" and request.GET.get(name, "").strip()
        ),
        "taxonomy_version": taxonomy_version(),
    }
    template = "profiles/search.html#results" if request.htmx else "profiles/search.html"
    return render(request, template, context, status=status)
