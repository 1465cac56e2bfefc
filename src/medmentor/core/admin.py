"""The site's own bookkeeping in the admin: which worker ran each period of each periodic
job, and what it did. Read only: the rows are the scheduler's locks."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from medmentor.core.models import PeriodicRun


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    list_display = ("job", "due_at", "claimed_by", "claimed_at", "finished_at", "outcome")
    list_filter = ("job",)
    search_fields = ("job", "claimed_by")
    date_hierarchy = "due_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
