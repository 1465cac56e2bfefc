"""What the admin pages share, and the site's own bookkeeping there: which worker ran
each period of each periodic job, and what it did."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from medmentor.core.models import PeriodicRun


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """A record staff read and search only: it is written by the site (a log, a lock, a
    token made on its owner's page), never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PeriodicRun)
class PeriodicRunAdmin(ReadOnlyModelAdmin):
    """The periods the workers claimed (the rows are the scheduler's locks)."""

    list_display = ("job", "due_at", "claimed_by", "claimed_at", "finished_at", "outcome")
    list_filter = ("job",)
    search_fields = ("job", "claimed_by")
    date_hierarchy = "due_at"
