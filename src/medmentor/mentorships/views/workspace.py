"""My mentorships, the pair's workspace, the agreement, pause and resume."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.accounts.models import User
from medmentor.mentorships import selectors
from medmentor.mentorships.forms import AgreementForm, MessageForm, NoteForm
from medmentor.mentorships.models import GoalStatus
from medmentor.mentorships.services import agreement as agreement_services
from medmentor.mentorships.services.lifecycle import mentorship_pause, mentorship_resume
from medmentor.mentorships.timezones import time_zone_label, time_zone_of
from medmentor.mentorships.views.common import act, form_page, party_access, posted
from medmentor.programs.selectors import programs_coordinated_by


@login_required
@require_GET
def my_mentorships(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "mentorships/mine.html",
        {
            "mentorships": selectors.my_mentorships(request.user),
            "coordinated": programs_coordinated_by(request.user),
        },
    )


@login_required
@require_GET
def workspace(request: AuthenticatedHttpRequest, mentorship_uuid: UUID) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    mentorship = access.mentorship
    goals = list(mentorship.goals.prefetch_related("milestones"))
    partner = access.partner
    signatures = selectors.agreement_signatures(access)
    my_zone = time_zone_of(request.user)
    # A pair sees a meeting's time in both zones; a group sees each member's own.
    partner_zone = time_zone_of(partner) if isinstance(partner, User) else my_zone
    return render(
        request,
        "mentorships/workspace.html",
        {
            "access": access,
            "mentorship": mentorship,
            "partner": partner,
            "my_zone": my_zone.key,
            "partner_zone": partner_zone.key,
            "my_zone_label": time_zone_label(my_zone),
            "partner_zone_label": time_zone_label(partner_zone),
            "next_meeting": selectors.next_meeting(mentorship),
            "meetings": mentorship.meetings.order_by("-starts_at")[:20],
            "goals": [g for g in goals if g.status != GoalStatus.DROPPED],
            "agreement": mentorship.agreement,
            "signed_count": sum(1 for s in signatures if s.signed_at),
            "people_count": len(signatures),
            "i_signed": mentorship.agreement.signed_at_of(request.user),
            "notes": selectors.notes_visible_to(access)[:20],
            "open_checkins": selectors.open_checkins(access),
            "milestones": mentorship.milestones.all(),
            "events": mentorship.events.select_related("actor")[:30],
            "audits": mentorship.access_audits.all()[:20],
            "evaluation": selectors.evaluation_of(mentorship, request.user),
            "baseline_asked": selectors.baseline_asked(access),
            "note_form": NoteForm(meetings=mentorship.meetings.all(), tz=my_zone),
            "message_form": MessageForm(),
            "unread": selectors.messages_of(access)
            .filter(read_at__isnull=True)
            .exclude(author=request.user)
            .count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement(request: AuthenticatedHttpRequest, mentorship_uuid: UUID) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    current = access.mentorship.agreement
    form = AgreementForm(posted(request), initial={"text": current.text})
    return form_page(
        request,
        access,
        form,
        title=_("Edit the agreement"),
        submit=_("Save the agreement"),
        save=lambda data: agreement_services.agreement_update(access=access, text=data["text"]),
        success=_("The agreement is saved. Both of you sign the new version."),
        template="mentorships/agreement.html",
        agreement=current,
        signatures=selectors.agreement_signatures(access),
    )


@login_required
@require_POST
def agreement_sign(request: AuthenticatedHttpRequest, mentorship_uuid: UUID) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    version = (
        int(request.POST.get("version") or 0)
        if (request.POST.get("version") or "").isdigit()
        else 0
    )
    # Back where the person signed: the agreement page or the workspace.
    back = "mentorships:agreement" if request.POST.get("back") == "agreement" else ""
    return act(
        request,
        access,
        lambda: agreement_services.agreement_sign(access=access, version=version),
        _("You signed the agreement."),
        next_url=back or "mentorships:workspace",
    )


@login_required
@require_POST
def pause(request: AuthenticatedHttpRequest, mentorship_uuid: UUID) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    return act(
        request,
        access,
        lambda: mentorship_pause(mentorship=access.mentorship, by=request.user),
        _("The mentorship is paused."),
    )


@login_required
@require_POST
def resume(request: AuthenticatedHttpRequest, mentorship_uuid: UUID) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    return act(
        request,
        access,
        lambda: mentorship_resume(mentorship=access.mentorship, by=request.user),
        _("The mentorship is active again."),
    )
