from django.contrib import admin

from medmentor.accounts.admin import AccessLoggedAdmin
from medmentor.apitokens.models import ApiToken
from medmentor.core.admin import ReadOnlyModelAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyModelAdmin, AccessLoggedAdmin):
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
