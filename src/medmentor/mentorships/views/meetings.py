"""Meetings: schedule, change, cancel, the .ics, log and rate."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.mentorships import selectors
from medmentor.mentorships.forms import MeetingForm, MeetingLogForm
from medmentor.mentorships.ics import CANCEL, REQUEST, meeting_calendar
from medmentor.mentorships.services import meetings as meeting_services
from medmentor.mentorships.timezones import time_zone_of
from medmentor.mentorships.views.common import act, form_page, party_access, posted


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new(request: AuthenticatedHttpRequest, mentorship_uuid: UUID) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    form = MeetingForm(
        posted(request),
        tz=time_zone_of(request.user),
        initial={"modality": selectors.meeting_modality_default(access.mentorship)},
    )
    return form_page(
        request,
        access,
        form,
        title=_("Schedule a meeting"),
        submit=_("Schedule and send the invitations"),
        intro=_("You both get an e-mail with a calendar invitation."),
        save=lambda data: meeting_services.meeting_schedule(access=access, **data),
        success=_("The meeting is scheduled; the invitations are on their way."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(
    request: AuthenticatedHttpRequest, mentorship_uuid: UUID, meeting_uuid: UUID
) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    meeting = selectors.meeting_of(access, meeting_uuid)
    tz = time_zone_of(request.user)
    form = MeetingForm(posted(request), tz=tz, initial=MeetingForm.initial_for(meeting, tz))
    return form_page(
        request,
        access,
        form,
        title=_("Change the meeting"),
        submit=_("Save and update the invitations"),
        save=lambda data: meeting_services.meeting_update(access=access, meeting=meeting, **data),
        success=_("The meeting is changed; the invitations are updated."),
        meeting=meeting,
    )


@login_required
@require_POST
def meeting_cancel(
    request: AuthenticatedHttpRequest, mentorship_uuid: UUID, meeting_uuid: UUID
) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    meeting = selectors.meeting_of(access, meeting_uuid)
    return act(
        request,
        access,
        lambda: meeting_services.meeting_cancel(access=access, meeting=meeting),
        _("The meeting is cancelled; you both get the cancellation."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_log(
    request: AuthenticatedHttpRequest, mentorship_uuid: UUID, meeting_uuid: UUID
) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    meeting = selectors.meeting_of(access, meeting_uuid)
    initial = {
        "discussed": meeting.discussed,
        "next_steps": meeting.next_steps,
        "minutes_spent": meeting.minutes_spent or meeting.duration_minutes,
    }
    return form_page(
        request,
        access,
        MeetingLogForm(posted(request), initial=initial),
        title=_("Log the meeting"),
        submit=_("Save the log"),
        intro=_(
            "A few words for the two of you, and the time spent (it counts in your "
            "activity record)."
        ),
        save=lambda data: meeting_services.meeting_log(access=access, meeting=meeting, **data),
        success=_("The meeting is logged."),
        meeting=meeting,
    )


@login_required
@require_POST
def meeting_rate(
    request: AuthenticatedHttpRequest, mentorship_uuid: UUID, meeting_uuid: UUID
) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    meeting = selectors.meeting_of(access, meeting_uuid)
    raw = request.POST.get("score", "")
    score = int(raw) if raw.isdigit() else 0
    return act(
        request,
        access,
        lambda: meeting_services.meeting_rate(access=access, meeting=meeting, score=score),
        _("Thank you for rating the meeting."),
    )


@login_required
@require_GET
def meeting_ics(
    request: AuthenticatedHttpRequest, mentorship_uuid: UUID, meeting_uuid: UUID
) -> HttpResponse:
    access = party_access(request, mentorship_uuid)
    meeting = selectors.meeting_of(access, meeting_uuid)
    method = CANCEL if meeting.is_cancelled else REQUEST
    response = HttpResponse(
        meeting_calendar(meeting, request.user, method), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.uuid}.ics"'
    return response
