"""Staff and the admin site: programs, their plans and questions, memberships."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from medmentor.programs.models import IntakeQuestion, Membership, Milestone, Program


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class IntakeQuestionInline(admin.StackedInline):
    model = IntakeQuestion
    extra = 0


class CoordinatorInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "status")
    autocomplete_fields = ("user",)
    verbose_name = _("member")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return super().get_queryset(request).filter(role="coordinator")


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name_en", "audience", "region", "enrolment_mode", "matching_mode", "is_listed")
    list_filter = ("audience", "region", "enrolment_mode", "matching_mode", "is_listed")
    search_fields = ("name_en", "name_fr")
    readonly_fields = ("uuid", "created_by", "duplicated_from", "created_at", "updated_at")
    inlines = (CoordinatorInline, MilestoneInline, IntakeQuestionInline)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "program", "role", "status", "requested_at", "activated_at")
    list_filter = ("role", "status", "program")
    search_fields = ("user__email", "user__name", "program__name_en")
    autocomplete_fields = ("user", "program")
    readonly_fields = ("uuid", "requested_at", "decided_by")
