"""Office hours in the admin: who, when, which status; never a mentee's question, a
reflection, a rating or its comment (those are their author's alone)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from medmentor.accounts.admin import AccessLoggedAdmin
from medmentor.officehours.models import Booking, BookingRecord, OfficeHours, Slot


class ReadOnlyAdmin(AccessLoggedAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OfficeHours)
class OfficeHoursAdmin(ReadOnlyAdmin):
    list_display = ("uuid", "mentor", "starts_on", "ends_on", "duration_minutes", "status")
    list_filter = ("status", "modality")
    search_fields = ("mentor__email", "uuid")
    fields = (
        "uuid",
        "mentor",
        "duration_minutes",
        "modality",
        "weekdays",
        "start_time",
        "slots_in_row",
        "starts_on",
        "ends_on",
        "horizon_days",
        "max_per_week",
        "status",
        "created_at",
        "closed_at",
    )
    readonly_fields = fields


@admin.register(Slot)
class SlotAdmin(ReadOnlyAdmin):
    list_display = ("uuid", "offer", "starts_at", "ends_at", "one_off", "status")
    list_filter = ("status", "one_off")
    fields = ("uuid", "offer", "starts_at", "ends_at", "one_off", "status", "cancelled_at")
    readonly_fields = fields

    def people_of(self, obj: Model) -> list[int]:
        assert isinstance(obj, Slot)
        return [*super().people_of(obj), obj.offer.mentor_id]


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ("uuid", "slot", "mentee", "program", "status", "booked_at")
    list_filter = ("status",)
    fields = (
        "uuid",
        "slot",
        "mentee",
        "program",
        "status",
        "sequence",
        "booked_at",
        "cancelled_at",
        "cancelled_by",
    )
    readonly_fields = fields

    def people_of(self, obj: Model) -> list[int]:
        assert isinstance(obj, Booking)
        return [*super().people_of(obj), obj.slot.offer.mentor_id]


@admin.register(BookingRecord)
class BookingRecordAdmin(ReadOnlyAdmin):
    """That a side logged it and when; not their time, words or rating."""

    list_display = ("booking", "user", "logged_at", "rated_at")
    fields = ("booking", "user", "logged_at", "rated_at")
    readonly_fields = fields
