"""A program's webhook endpoints and each signed POST made (or to make) to one of them.

An endpoint's secret signs every delivery; the receiver keeps a copy to verify them, so
we must be able to read it back: it is stored encrypted (``NOTES_ENCRYPTION_KEY``, like
notes) and shown in full once, when it is made or rotated.
"""

from __future__ import annotations

import uuid as uuidlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medmentor.mentorships.crypto import EncryptedTextField
from medmentor.programs.models import Program

URL_MAX = 500
ERROR_MAX = 300


class EventType(models.TextChoices):
    MEMBER_ENROLLED = "member.enrolled", _("A person joins the program")
    MENTORSHIP_STARTED = "mentorship.started", _("A mentorship starts")
    MENTORSHIP_ENDED = "mentorship.ended", _("A mentorship ends")
    SURVEY_ANSWERED = "survey.answered", _("A survey is answered")
    # Sent only by the coordinator's "send a test event", whatever the subscription.
    PING = "ping", _("Test event")


SUBSCRIBABLE = [event for event in EventType if event != EventType.PING]


class Endpoint(models.Model):
    uuid = models.UUIDField(default=uuidlib.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(_("address (URL)"), max_length=URL_MAX)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list)  # EventType values
    secret = EncryptedTextField(_("signing secret"))
    secret_hint = models.CharField(max_length=16, blank=True)  # to tell secrets apart
    active = models.BooleanField(_("active"), default=True)
    # Set when the endpoint was turned off after failing again and again.
    disabled_reason = models.CharField(max_length=200, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    secret_rotated_at = models.DateTimeField(_("secret made"), default=timezone.now)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url

    def subscribes_to(self, event: str) -> bool:
        return event in self.events

    @property
    def event_labels(self) -> list[str]:
        return [str(EventType(event).label) for event in self.events if event in EventType]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One event for one endpoint. ``event_id`` stays the same across the retries of a
    delivery: receivers use it to do nothing twice."""

    uuid = models.UUIDField(default=uuidlib.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField(_("event"), max_length=32, choices=EventType.choices)
    event_id = models.UUIDField(_("event id"), default=uuidlib.uuid4, editable=False)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("answer"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=ERROR_MAX, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["endpoint", "created_at"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint_id}"
