"""A coordinator's message to a segment of their program, who it reached, and who asked
for no more of the program's non-essential announcement e-mails."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medmentor.matchrounds.models import MatchRound
from medmentor.notifications.models import Notification
from medmentor.programs.models import Program
from medmentor.segments.selectors import Segment

SUBJECT_MAX = 150
BODY_MAX = 10_000


class AnnouncementStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")


class Announcement(models.Model):
    """The text as written, in English and optionally in French. Who it goes to is the
    segment *at delivery*: the worker resolves it when it sends, not when it is written."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="announcements")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    segment = models.CharField(_("to"), max_length=20, choices=Segment.choices)
    match_round = models.ForeignKey(
        MatchRound, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject_en = models.CharField(_("subject (English)"), max_length=SUBJECT_MAX)
    body_en = models.TextField(_("message (English)"), max_length=BODY_MAX)
    subject_fr = models.CharField(_("subject (French)"), max_length=SUBJECT_MAX, blank=True)
    body_fr = models.TextField(_("message (French)"), max_length=BODY_MAX, blank=True)
    essential = models.BooleanField(_("essential"), default=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AnnouncementStatus.choices,
        default=AnnouncementStatus.QUEUED,
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["program", "created_at"])]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.subject_en

    def text_in(self, language: str) -> tuple[str, str]:
        """Subject and body for a reader of ``language``: French if it was written in
        French, English otherwise."""
        if language.startswith("fr") and self.subject_fr and self.body_fr:
            return self.subject_fr, self.body_fr
        return self.subject_en, self.body_en


class Delivery(models.Model):
    """One recipient of one announcement: at most one per person, so that a delivery run
    again reaches nobody twice, and the sent log counts exactly."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="deliveries"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email_wanted = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "recipient"], name="one_delivery_per_recipient"
            )
        ]
        indexes = [models.Index(fields=["announcement", "emailed_at"])]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.announcement_id} → {self.recipient_id}"


class OptOut(models.Model):
    """``user`` wants no more non-essential announcement e-mails from ``program`` (the
    in-site copies still arrive; essential announcements are still e-mailed)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "program"], name="one_opt_out_per_program")
        ]
        verbose_name = _("announcement opt-out")
        verbose_name_plural = _("announcement opt-outs")

    def __str__(self) -> str:
        return f"{self.user_id} · {self.program_id}"
