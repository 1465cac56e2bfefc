"""Webhooks in the admin: read-only (coordinators manage their endpoints on the site; the
secret is never shown here)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from medmentor.webhooks.models import Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin[Endpoint]):
    list_display = ("url", "program", "active", "consecutive_failures", "created_at")
    list_filter = ("active",)
    search_fields = ("url", "program__name_en")
    fields = (
        "uuid",
        "program",
        "url",
        "description",
        "events",
        "secret_hint",
        "active",
        "disabled_reason",
        "consecutive_failures",
        "created_by",
        "created_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    list_display = (
        "event_type",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "created_at",
    )
    list_filter = ("status", "event_type")
    fields = (
        "uuid",
        "endpoint",
        "event_type",
        "event_id",
        "payload",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "last_error",
        "created_at",
        "last_attempt_at",
        "delivered_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
