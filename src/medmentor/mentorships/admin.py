"""The admin shows counts and dates of confidential things, never their text.

Notes, messages and check-in notes have no text field here, in lists or on change
pages; they cannot be added or edited from the admin.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from medmentor.accounts.admin import AccessLoggedAdmin
from medmentor.mentorships.models import (
    AccessAudit,
    CheckIn,
    Evaluation,
    Meeting,
    Mentorship,
    Message,
    Note,
    RecognitionLetter,
    StatusChange,
)


class ReadOnlyAdmin(AccessLoggedAdmin):
    def people_of(self, obj: Any) -> list[int]:
        """A record of a workspace is about everyone in the mentorship."""
        mentorship = obj if isinstance(obj, Mentorship) else getattr(obj, "mentorship", None)
        people = [person.pk for person in mentorship.people()] if mentorship else []
        return [*super().people_of(obj), *people]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    fields = ("at", "from_status", "to_status", "by", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Mentorship)
class MentorshipAdmin(ReadOnlyAdmin):
    list_display = ("uuid", "mentor", "mentee", "program", "status", "started_on", "planned_end_on")
    list_filter = ("status", "source")
    search_fields = ("mentor__email", "mentee__email", "uuid")
    readonly_fields = (
        "uuid",
        "program",
        "mentor",
        "mentee",
        "status",
        "source",
        "started_on",
        "planned_end_on",
        "ended_at",
        "last_activity_at",
        "inactivity_notice_at",
        "notes_count",
        "messages_count",
    )
    fields = readonly_fields
    inlines = (StatusChangeInline,)

    @admin.display(description="notes")
    def notes_count(self, obj: Mentorship) -> int:
        return obj.notes.count()

    @admin.display(description="messages")
    def messages_count(self, obj: Mentorship) -> int:
        return obj.messages.count()


@admin.register(Note)
class NoteAdmin(ReadOnlyAdmin):
    list_display = ("uuid", "mentorship", "visibility", "created_at", "updated_at")
    list_filter = ("visibility",)
    fields = ("uuid", "mentorship", "author", "visibility", "created_at", "updated_at")
    readonly_fields = fields


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("uuid", "mentorship", "created_at", "read_at")
    fields = ("uuid", "mentorship", "author", "created_at", "read_at")
    readonly_fields = fields


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ("mentorship", "number", "due_on", "submitted_at", "shared_with_coordinator")
    fields = (
        "mentorship",
        "user",
        "number",
        "due_on",
        "submitted_at",
        "shared_with_coordinator",
        "alert_consent",
        "coordinator_alerted_at",
    )
    readonly_fields = fields


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("mentorship", "starts_at", "status", "minutes_spent", "logged_at")
    fields = (
        "uuid",
        "mentorship",
        "starts_at",
        "duration_minutes",
        "modality",
        "status",
        "sequence",
        "minutes_spent",
        "logged_at",
    )
    readonly_fields = fields


@admin.register(AccessAudit)
class AccessAuditAdmin(ReadOnlyAdmin):
    list_display = ("mentorship", "viewer_name", "at", "reason")


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    """When each side evaluated; their scores stay out of the admin (reports count them)."""

    list_display = ("mentorship", "role", "submitted_at", "wants_rematch")
    fields = ("mentorship", "role", "would_recommend", "wants_rematch", "submitted_at")
    readonly_fields = fields


@admin.register(RecognitionLetter)
class RecognitionLetterAdmin(ReadOnlyAdmin):
    list_display = ("mentor_name", "program", "coordinator_name", "issued_at", "hours")
