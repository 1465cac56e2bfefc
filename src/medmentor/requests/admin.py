from django.contrib import admin

from medmentor.accounts.admin import AccessLoggedAdmin
from medmentor.requests.models import Request


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
