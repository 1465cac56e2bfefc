"""Staff and the admin site: programs, their plans and questions, memberships; match rounds
(read-only)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from medmentor.accounts.admin import AccessLoggedAdmin
from medmentor.programs.models import (
    Concern,
    IntakeQuestion,
    MatchRound,
    Membership,
    Milestone,
    Program,
    Proposal,
    Request,
    Role,
    Status,
)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class IntakeQuestionInline(admin.StackedInline):
    model = IntakeQuestion
    extra = 0


class CoordinatorForm(forms.ModelForm):
    """New rows in the coordinators' inline are coordinators."""

    class Meta:
        model = Membership
        fields = ("user", "role", "status")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].initial = Role.COORDINATOR
        self.fields["status"].initial = Status.ACTIVE


class CoordinatorInline(admin.TabularInline):
    model = Membership
    form = CoordinatorForm
    extra = 0
    verbose_name_plural = _("coordinators")
    autocomplete_fields = ("user",)
    verbose_name = _("coordinator")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return super().get_queryset(request).filter(role=Role.COORDINATOR)


@admin.register(Program)
class ProgramAdmin(AccessLoggedAdmin):
    list_display = ("name_en", "audience", "region", "enrolment_mode", "matching_mode", "is_listed")
    list_filter = ("audience", "region", "enrolment_mode", "matching_mode", "is_listed")
    search_fields = ("name_en", "name_fr")
    readonly_fields = ("uuid", "created_by", "duplicated_from", "created_at", "updated_at")
    inlines = (CoordinatorInline, MilestoneInline, IntakeQuestionInline)


@admin.register(Membership)
class MembershipAdmin(AccessLoggedAdmin):
    list_display = ("user", "program", "role", "status", "requested_at", "activated_at")
    list_filter = ("role", "status", "program")
    search_fields = ("user__email", "user__name", "program__name_en")
    autocomplete_fields = ("user", "program")
    readonly_fields = ("uuid", "requested_at", "decided_by")


# Direct requests and concerns. The decline reason and a concern's text are the mentor's
# and the coordinators' to read: the admin lists and filters, it does not show them.
@admin.register(Request)
class RequestAdmin(AccessLoggedAdmin):
    list_display = ("mentee", "mentor", "program", "status", "sent_at", "due_at", "answered_at")
    list_filter = ("status", "program")
    search_fields = ("mentee__email", "mentor__email", "program__name_en")
    exclude = ("decline_reason", "message", "goals_note")
    readonly_fields = (
        "uuid",
        "cascade",
        "position",
        "program",
        "mentee",
        "mentor",
        "goals",
        "sent_at",
        "due_at",
        "answered_at",
        "mentorship",
    )


@admin.register(Concern)
class ConcernAdmin(AccessLoggedAdmin):
    list_display = ("program", "status", "created_at", "updated_at")
    list_filter = ("status", "program")
    exclude = ("text",)
    readonly_fields = (
        "uuid",
        "program",
        "reporter",
        "about",
        "request",
        "also_blocked",
        "created_at",
        "updated_at",
        "updated_by",
    )


class ReadOnlyAdmin(AccessLoggedAdmin):
    """Rounds are run, adjusted and published from the coordinator's pages only."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(MatchRound)
class MatchRoundAdmin(ReadOnlyAdmin):
    list_display = ("program", "created_at", "algorithm", "status", "progress", "published_at")
    list_filter = ("status", "algorithm")
    search_fields = ("program__name_en",)
    list_select_related = ("program",)


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("round", "mentee", "mentor", "score", "origin", "locked", "status")
    list_filter = ("status", "origin", "locked")
    search_fields = ("mentee__email", "mentor__email", "round__program__name_en")
    list_select_related = ("round__program", "mentee", "mentor")
    # Each side's reason is private: not shown, even to staff.
    exclude = ("mentee_reason", "mentor_reason")
