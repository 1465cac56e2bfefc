"""The admin: listings, and the same moderation as the queue (approve, reject) as actions."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from medmentor.accounts.http import current_user
from medmentor.directory import services
from medmentor.directory.models import Listing, Submission, SubmissionState


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin[Listing]):
    list_display = (
        "name_en",
        "organisation_en",
        "region",
        "status",
        "source",
        "is_public",
        "last_verified",
    )
    list_filter = ("is_public", "status", "source", "region")
    search_fields = ("name_en", "name_fr", "organisation_en", "organisation_fr")
    readonly_fields = ("uuid", "source", "platform_key", "published_at", "created_at", "updated_at")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin[Submission]):
    list_display = ("name_en", "kind", "state", "submitter_email", "created_at")
    list_filter = ("state", "kind")
    search_fields = ("name_en", "organisation_en", "submitter_email")
    readonly_fields = (
        "uuid",
        "kind",
        "listing",
        "state",
        "submitter_email",
        "submitter_language",
        "created_at",
        "confirmed_at",
        "decided_at",
        "decided_by",
    )
    actions = ("approve", "reject")

    @admin.action(description=_("Approve the selected submissions (publish them)"))
    def approve(self, request: HttpRequest, queryset: QuerySet[Submission]) -> None:
        done = 0
        for submission in queryset.filter(state=SubmissionState.PENDING):
            services.submission_approve(submission=submission, moderator=current_user(request))
            done += 1
        self.message_user(request, _("%(count)d approved.") % {"count": done}, messages.SUCCESS)

    @admin.action(
        description=_("Reject the selected submissions (with the reason written on each)")
    )
    def reject(self, request: HttpRequest, queryset: QuerySet[Submission]) -> None:
        done = 0
        for submission in queryset.filter(state=SubmissionState.PENDING):
            try:
                services.submission_reject(
                    submission=submission,
                    moderator=current_user(request),
                    reason=submission.rejection_reason,
                )
            except ValidationError:
                self.message_user(
                    request,
                    _("“%(name)s” has no reason for rejection: write one first.")
                    % {"name": submission.name_en},
                    messages.ERROR,
                )
            else:
                done += 1
        self.message_user(request, _("%(count)d rejected.") % {"count": done}, messages.SUCCESS)
