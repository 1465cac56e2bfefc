"""The moderation queue, for staff only: everybody else is told it does not exist (404)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmentor.accounts.http import current_user
from medmentor.directory import selectors, services
from medmentor.directory.forms import ListingContentForm, RejectForm
from medmentor.directory.models import SubmissionState

View = Callable[..., HttpResponse]


def staff_only(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.is_authenticated and request.user.is_staff):
            raise Http404("No such page")
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@staff_only
def queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/moderation/queue.html",
        {
            "submissions": selectors.submissions_awaiting_moderation(),
            "stale_listings": selectors.listings_needing_review(),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_only
def review(request: HttpRequest, submission_uuid: uuid.UUID) -> HttpResponse:
    """See a submission, edit it (POST), then approve or reject it."""
    submission = selectors.submission_get_for_moderation(submission_uuid=submission_uuid)
    pending = submission.state == SubmissionState.PENDING
    form = ListingContentForm(
        request.POST if request.method == "POST" and pending else None, instance=submission
    )
    if request.method == "POST" and pending and form.is_valid():
        services.submission_edit(submission=submission, content=form.cleaned_data)
        messages.success(request, _("Your changes are saved."))
        return redirect("directory:moderation_review", submission_uuid=submission.uuid)
    submission.refresh_from_db()
    return render(
        request,
        "directory/moderation/review.html",
        {
            "submission": submission,
            "pending": pending,
            "form": form,
            "reject_form": RejectForm(),
        },
    )


@require_POST
@staff_only
def approve(request: HttpRequest, submission_uuid: uuid.UUID) -> HttpResponse:
    submission = selectors.submission_get_for_moderation(submission_uuid=submission_uuid)
    try:
        listing = services.submission_approve(
            submission=submission, moderator=current_user(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("directory:moderation_review", submission_uuid=submission.uuid)
    messages.success(request, _("Approved: the listing is public."))
    return redirect(listing)


@require_POST
@staff_only
def reject(request: HttpRequest, submission_uuid: uuid.UUID) -> HttpResponse:
    submission = selectors.submission_get_for_moderation(submission_uuid=submission_uuid)
    reject_form = RejectForm(request.POST)
    if reject_form.is_valid():
        try:
            services.submission_reject(
                submission=submission,
                moderator=current_user(request),
                reason=reject_form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("directory:moderation_review", submission_uuid=submission.uuid)
        messages.success(request, _("Rejected: the submitter has been told why."))
        return redirect("directory:moderation")
    return render(
        request,
        "directory/moderation/review.html",
        {
            "submission": submission,
            "pending": submission.state == SubmissionState.PENDING,
            "form": ListingContentForm(instance=submission),
            "reject_form": reject_form,
        },
        status=400,
    )


@require_POST
@staff_only
def verify(request: HttpRequest, listing_uuid: uuid.UUID) -> HttpResponse:
    listing = selectors.listing_get_for_moderation(listing_uuid=listing_uuid)
    services.listing_mark_verified(listing=listing)
    messages.success(request, _("Marked as checked today."))
    return redirect("directory:moderation")


@require_POST
@staff_only
def resolve_reports(request: HttpRequest, listing_uuid: uuid.UUID) -> HttpResponse:
    listing = selectors.listing_get_for_moderation(listing_uuid=listing_uuid)
    services.listing_reports_resolve(listing=listing, moderator=current_user(request))
    messages.success(request, _("The reports about this listing are closed."))
    return redirect("directory:moderation")
