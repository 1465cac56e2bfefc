"""Check-ins, closing evaluations and the record of reminders sent."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from medmentor.mentorships.crypto import EncryptedTextField
from medmentor.mentorships.models.mentorship import Mentorship

LOW_SCORE = 2  # a check-in score at or below this puts the pair on the "needs attention" list


class CheckIn(models.Model):
    """One side's check-in, due at the program's schedule.

    ``score`` and ``note_for_coordinator`` reach the coordinator only when
    ``shared_with_coordinator``; ``wants_support`` shows the program's resources at
    once, and alerts the coordinator only with ``alert_consent``.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="checkins")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField(_("check-in number"))
    due_on = models.DateField(_("due"))
    submitted_at = models.DateTimeField(_("answered"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(
        _("how is it going"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    meetings_held = models.PositiveSmallIntegerField(
        _("meetings held since the last check-in"), null=True, blank=True
    )
    note_for_coordinator = EncryptedTextField(_("anything the coordinator should know"), blank=True)
    shared_with_coordinator = models.BooleanField(_("share with the coordinator"), default=False)
    wants_support = models.BooleanField(_("I am struggling and would like support"), default=False)
    alert_consent = models.BooleanField(
        _("tell my program coordinator that I asked for support"), default=False
    )
    coordinator_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("due_on", "id")
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "user", "number"], name="checkin_once_per_number"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="checkin_score_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentorship} · {self.user} · #{self.number}"

    @property
    def is_answered(self) -> bool:
        return self.submitted_at is not None


class Evaluation(models.Model):
    """One side's evaluation at closure: each benefit dimension 1-5, plus free text."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="evaluations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=8)
    ratings = models.JSONField(_("ratings"), default=dict)
    comments = models.TextField(_("comments"), max_length=20_000, blank=True)
    wants_rematch = models.BooleanField(_("I would like a new mentor"), default=False)
    submitted_at = models.DateTimeField(_("given"))

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "user"], name="evaluation_once")
        ]

    def __str__(self) -> str:
        return f"{self.mentorship} · {self.role}"


class ReminderSent(models.Model):
    """What ``medmentor remind`` has already enqueued: a second run skips it."""

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "recipient"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.key}"
