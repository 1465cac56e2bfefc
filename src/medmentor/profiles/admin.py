from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django.contrib import admin
from django.http import HttpRequest

from medmentor.accounts.admin import AccessLoggedAdmin
from medmentor.profiles.models import (
    Block,
    Cadence,
    CareerStage,
    Goal,
    Identity,
    InterestArea,
    Language,
    Modality,
    Profile,
    Province,
    ReportingLine,
    Specialty,
    Term,
)
from medmentor.profiles.taxonomy import taxonomy_changed

T = TypeVar("T", bound=Term)


class TermAdmin(admin.ModelAdmin[T]):
    """Every vocabulary's admin; the vocabularies with columns of their own add them."""

    list_display: tuple[str, ...] = ("code", "label_en", "label_fr", "position", "active")
    list_editable: ClassVar[tuple[str, ...]] = ("label_en", "label_fr", "position", "active")
    search_fields = ("code", "label_en", "label_fr")
    list_filter: ClassVar[tuple[str, ...]] = ("active",)

    def get_readonly_fields(self, request: HttpRequest, obj: T | None = None) -> tuple[str, ...]:
        # Codes are what the API, imports and matching use: fixed once created.
        return ("code",) if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: T, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        taxonomy_changed()

    def delete_model(self, request: HttpRequest, obj: T) -> None:
        super().delete_model(request, obj)
        taxonomy_changed()


for model in (Goal, InterestArea, Language, Modality, Cadence, Identity):
    admin.site.register(model, TermAdmin)


@admin.register(CareerStage)
class CareerStageAdmin(TermAdmin[CareerStage]):
    list_display = ("code", "label_en", "label_fr", "ordinal", "active")
    list_editable = ("label_en", "label_fr", "ordinal", "active")


@admin.register(Specialty)
class SpecialtyAdmin(TermAdmin[Specialty]):
    list_display = ("code", "label_en", "label_fr", "kind", "parent", "active")
    list_editable = ("label_en", "label_fr", "active")
    list_filter = ("kind", "active")


@admin.register(Province)
class ProvinceAdmin(TermAdmin[Province]):
    list_display = ("code", "label_en", "label_fr", "time_zone", "active")
    list_editable = ("label_en", "label_fr", "time_zone", "active")


@admin.register(Profile)
class ProfileAdmin(AccessLoggedAdmin):
    list_display = ("__str__", "career_stage", "specialty", "province", "is_mentee", "is_mentor")
    list_filter = ("is_mentor", "is_mentee", "is_complete", "career_stage", "province")
    search_fields = ("display_name", "user__email", "user__name")
    raw_id_fields = ("user",)
    list_select_related = ("user", "career_stage", "specialty", "province")
    # Personal fields are the person's to show; staff manage accounts, not identities.
    exclude = ("gender", "identities", "photo", "pronouns", "city")
    readonly_fields = ("uuid", "search_text", "is_complete", "active_mentees")


@admin.register(ReportingLine)
class ReportingLineAdmin(AccessLoggedAdmin):
    list_display = ("person", "other", "other_email", "kind", "source", "created_at")
    list_filter = ("kind", "source")
    raw_id_fields = ("person", "other", "added_by")
    search_fields = ("person__email", "other__email", "other_email")


@admin.register(Block)
class BlockAdmin(AccessLoggedAdmin):
    list_display = ("blocker", "blocked", "created_at")
    raw_id_fields = ("blocker", "blocked")
