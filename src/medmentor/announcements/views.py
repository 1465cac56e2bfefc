"""The coordinator's messages to the cohort (write, sent log, one message as sent), the
reader's copy, and the unsubscribe page an e-mail links to."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from medmentor.accounts.http import AuthenticatedHttpRequest
from medmentor.announcements import selectors
from medmentor.announcements.forms import AnnouncementForm
from medmentor.announcements.services import (
    ANNOUNCEMENTS_PER_DAY,
    announcement_emails_resume,
    announcement_emails_stop,
    announcement_queue,
)
from medmentor.core.forms import add_service_errors
from medmentor.notifications.services import notification_mark_read
from medmentor.programs.selectors import get_program_for
from medmentor.segments.selectors import Segment, segment_label, segment_rounds


@login_required
@require_GET
def announcement_list(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = get_program_for(request.user, program_uuid, manage=True).program
    return render(
        request,
        "announcements/list.html",
        {
            "program": program,
            "tab": "announcements",
            "announcements": selectors.announcements_of(program),
            "small_count": selectors.SMALL_COUNT,
            "per_day": ANNOUNCEMENTS_PER_DAY,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def announcement_new(request: AuthenticatedHttpRequest, program_uuid: UUID) -> HttpResponse:
    program = get_program_for(request.user, program_uuid, manage=True).program
    rounds = list(segment_rounds(program))
    posted = request.method == "POST"
    preview = posted and "preview" in request.POST
    if preview:  # the coordinator asked how many it reaches: the text stays, unjudged
        form = AnnouncementForm(rounds=rounds, initial=request.POST.dict())
    else:
        form = AnnouncementForm(
            request.POST if posted else None, rounds=rounds, initial={"segment": Segment.EVERYONE}
        )
    # Who the chosen segment reaches now: on the page, and alone when htmx asks for it.
    source = request.POST if posted else request.GET
    segment = source.get("segment") or Segment.EVERYONE
    chosen_round = form.rounds.get(source.get("match_round", ""))
    reach = selectors.segment_reach(program, segment, chosen_round)
    context = {"program": program, "tab": "announcements", "form": form, "reach": reach}
    if request.htmx and not posted:
        return render(request, "announcements/new.html#reach", context)
    if posted and not preview and form.is_valid():
        try:
            announcement_queue(
                program=program,
                author=request.user,
                segment=form.cleaned_data["segment"],
                match_round=form.chosen_round(),
                subject_en=form.cleaned_data["subject_en"],
                body_en=form.cleaned_data["body_en"],
                subject_fr=form.cleaned_data["subject_fr"],
                body_fr=form.cleaned_data["body_fr"],
                essential=form.cleaned_data["essential"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your message is queued: it goes out in a moment."))
            return redirect("announcements:list", program.uuid)
    invalid = posted and not preview
    return render(request, "announcements/new.html", context, status=422 if invalid else 200)


@login_required
@require_GET
def announcement_detail(
    request: AuthenticatedHttpRequest, program_uuid: UUID, announcement_uuid: UUID
) -> HttpResponse:
    program = get_program_for(request.user, program_uuid, manage=True).program
    announcement = selectors.get_announcement_of(program, announcement_uuid)
    return render(
        request,
        "announcements/detail.html",
        {
            "program": program,
            "tab": "announcements",
            "announcement": announcement,
            "segment": segment_label(announcement.segment, announcement.match_round),
            "small_count": selectors.SMALL_COUNT,
        },
    )


@login_required
@require_GET
def announcement_read(request: AuthenticatedHttpRequest, announcement_uuid: UUID) -> HttpResponse:
    """The reader's own copy, in the language they read the site in; opening it marks the
    in-site notification read."""
    delivery = selectors.get_delivery_for(request.user, announcement_uuid)
    if delivery.notification is not None:
        notification_mark_read(notification=delivery.notification)
    announcement = delivery.announcement
    subject, body = announcement.text_in(get_language() or "en")
    return render(
        request,
        "announcements/read.html",
        {"announcement": announcement, "subject": subject, "body": body},
    )


# The link is the credential (signed, one person and one program): mail programs post to
# it without a session or a CSRF token ("one-click" unsubscribe, RFC 8058).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, unsubscribe_token: str) -> HttpResponse:
    subscription = selectors.subscription_from_token(unsubscribe_token)
    if request.method == "POST":
        if request.POST.get("action") == "resubscribe":
            announcement_emails_resume(user=subscription.user, program=subscription.program)
        else:
            announcement_emails_stop(user=subscription.user, program=subscription.program)
        return redirect("announcements:unsubscribe", unsubscribe_token)
    return render(
        request,
        "announcements/unsubscribe.html",
        {
            "program": subscription.program,
            "opted_out": subscription.opted_out,
            "token": unsubscribe_token,
        },
    )
