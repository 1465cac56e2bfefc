from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from medmentor.accounts.http import current_user
from medmentor.core.admin import ReadOnlyModelAdmin
from medmentor.institutions.models import Institution, InstitutionDomain, ScimEvent, ScimToken
from medmentor.institutions.services import (
    ROTATION_GRACE,
    scim_token_create,
    scim_token_revoke,
    scim_token_rotate,
)


class DomainInline(admin.TabularInline):
    model = InstitutionDomain
    extra = 1


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "sso_protocol", "sso_provider_id", "enforce_sso")
    search_fields = ("name", "slug", "domains__domain")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (DomainInline,)


@dataclass(frozen=True)
class _Shown:
    token: ScimToken
    plaintext: str


def _shown(request: HttpRequest, shown: list[_Shown], *, rotated: bool) -> HttpResponse:
    """The new tokens' plaintext, on this one page only (never in a message or a log)."""
    response = TemplateResponse(
        request,
        "institutions/scim_token_shown.html",
        {
            "tokens": shown,
            "rotated": rotated,
            "grace_hours": int(ROTATION_GRACE.total_seconds() // 3600),
            "base_url": request.build_absolute_uri("/scim/v2"),
            "title": _("New SCIM token"),
            "site_header": admin.site.site_header,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@admin.register(ScimToken)
class ScimTokenAdmin(admin.ModelAdmin):
    """Staff make a token for an institution's directory (shown once), rotate it (the old
    one works for a grace period) or revoke it at once."""

    list_display = (
        "institution",
        "hint",
        "created_at",
        "created_by",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    list_filter = ("institution",)
    fields = ("institution", "expires_at")
    actions = ("rotate", "revoke")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ()
        return ("institution", "hint", "created_at", "created_by", "revoked_at", "last_used_at")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return self.fields
        return (*self.get_readonly_fields(request, obj), "expires_at")

    def save_model(self, request: HttpRequest, obj: ScimToken, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        token, plaintext = scim_token_create(
            institution=obj.institution, by=current_user(request), expires_at=obj.expires_at
        )
        obj.pk, obj.hint = token.pk, token.hint
        # On the object, not on this admin (shared by every request): the page shows it.
        obj._plaintext = plaintext  # type: ignore[attr-defined]

    def response_add(
        self, request: HttpRequest, obj: ScimToken, post_url_continue: str | None = None
    ) -> HttpResponse:
        return _shown(request, [_Shown(obj, obj._plaintext)], rotated=False)  # type: ignore[attr-defined]

    @admin.action(
        description=_("Rotate: a new token, the old one works 24 more hours"),
        permissions=["change"],
    )
    def rotate(self, request: HttpRequest, queryset: QuerySet[ScimToken]) -> HttpResponse:
        by = current_user(request)
        shown = [
            _Shown(*scim_token_rotate(token=token, by=by))
            for token in queryset.select_related("institution")
        ]
        return _shown(request, shown, rotated=True)

    @admin.action(description=_("Revoke now"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ScimToken]) -> None:
        for token in queryset:
            scim_token_revoke(token=token)
        self.message_user(request, _("Revoked."))


@admin.register(ScimEvent)
class ScimEventAdmin(ReadOnlyModelAdmin):
    """The SCIM log: read only."""

    list_display = ("at", "institution", "token_hint", "operation", "resource_id", "status")
    list_filter = ("institution", "operation", "status")
    search_fields = ("resource_id", "token_hint")
    date_hierarchy = "at"
