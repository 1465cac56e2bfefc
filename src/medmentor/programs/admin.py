"""Staff and the admin site: programs, their plans and questions, memberships; match rounds
(read-only)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from medmentor.accounts.admin import AccessLoggedAdmin
from medmentor.programs.models import IntakeQuestion, Membership, Milestone, Program, Role, Status


class MilestoneInline(admin.TabularInline[Milestone, Program]):
    model = Milestone
    extra = 0


class IntakeQuestionInline(admin.StackedInline[IntakeQuestion, Program]):
    model = IntakeQuestion
    extra = 0


class CoordinatorForm(forms.ModelForm[Membership]):
    """New rows in the coordinators' inline are coordinators."""

    class Meta:
        model = Membership
        fields = ("user", "role", "status")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].initial = Role.COORDINATOR
        self.fields["status"].initial = Status.ACTIVE


class CoordinatorInline(admin.TabularInline[Membership, Program]):
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
