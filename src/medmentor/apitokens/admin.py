from django.contrib import admin
from django.http import HttpRequest

from medmentor.accounts.admin import AccessLoggedAdmin
from medmentor.apitokens.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(AccessLoggedAdmin):
    """A read-only list: tokens are made and revoked on their owners' pages. The digest is
    never shown."""

    list_display = (
        "name",
        "owner",
        "program",
        "scope",
        "hint",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("scope",)
    search_fields = ("name", "hint", "owner__email", "program__name_en")
    list_select_related = ("owner", "program")
    exclude = ("digest",)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
