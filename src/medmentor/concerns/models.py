"""A participant's confidential report about a person (or a request) to the coordinators."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from medmentor.programs.models.programs import Program
from medmentor.requests.models import Request

CONCERN_TEXT_MAX = 4000


class ConcernStatus(models.TextChoices):
    OPEN = "open", _("Received")
    IN_REVIEW = "in_review", _("In review")
    RESOLVED = "resolved", _("Resolved")


class Concern(models.Model):
    """Seen by the reporter and the program's coordinators; the text never leaves the
    site (e-mails carry a link only, the admin does not show it)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="concerns", verbose_name=_("program")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="concerns_reported",
        verbose_name=_("reported by"),
    )
    about = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="concerns_about",
        verbose_name=_("about"),
    )
    request = models.ForeignKey(
        Request,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="concerns",
        verbose_name=_("request"),
    )
    text = models.TextField(_("what happened"), max_length=CONCERN_TEXT_MAX)
    also_blocked = models.BooleanField(_("the reporter also blocked this person"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=ConcernStatus.choices, default=ConcernStatus.OPEN
    )
    created_at = models.DateTimeField(_("reported"))
    updated_at = models.DateTimeField(_("last change"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )

    class Meta:
        db_table = "programs_concern"  # created in the programs app (decision 0036)
        ordering = ("-created_at", "-id")
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        constraints = [
            models.CheckConstraint(
                condition=~Q(about=F("reporter")),
                name="concern_about_someone_else",
                violation_error_message=_("A concern is about someone else."),
            )
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.program} · {self.get_status_display()}"
