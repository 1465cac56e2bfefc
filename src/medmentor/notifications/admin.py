from django.contrib import admin
from django.http import HttpRequest

from medmentor.accounts.admin import AccessLoggedAdmin
from medmentor.notifications.models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(AccessLoggedAdmin):
    list_display = ("recipient", "kind", "title", "created_at", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("recipient__email", "title")
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Preference)
class PreferenceAdmin(AccessLoggedAdmin):
    list_display = ("user", "channel")
    search_fields = ("user__email",)
