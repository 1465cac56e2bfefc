from django.contrib import admin

from medmentor.accounts.admin import AccessLoggedAdmin
from medmentor.concerns.models import Concern


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
