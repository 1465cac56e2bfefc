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


class Moment(models.TextChoices):
    """When a side rates itself on the benefit dimensions: closure is compared with baseline."""

    BASELINE = "baseline", _("At the start")
    CLOSURE = "closure", _("At closure")


class SelfRating(models.Model):
    """One side's score on one benefit dimension (1-5), at the start or at closure.

    One row per score rather than a JSON object, so that reports count and average them in
    the database, and pair each closure score with the same person's baseline.
    """

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="self_ratings"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=8)
    moment = models.CharField(_("when"), max_length=10, choices=Moment.choices)
    dimension = models.CharField(_("dimension"), max_length=40)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    given_at = models.DateTimeField(_("given"))
    # At closure: the same person's starting score on this dimension, if they gave one,
    # so that a report sums the changes without pairing rows.
    baseline_score = models.PositiveSmallIntegerField(_("score at the start"), null=True)

    class Meta:
        ordering = ("mentorship", "user", "moment", "dimension")
        verbose_name = _("self-rating")
        verbose_name_plural = _("self-ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "user", "moment", "dimension"], name="self_rating_once"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="self_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentorship} · {self.role} · {self.moment} · {self.dimension}"


class Baseline(models.Model):
    """One side's answer to the baseline prompt: given (scores in ``SelfRating``) or declined.

    Asked once in the workspace and reminded once; declining is final, so it is not asked
    again.
    """

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="baselines")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=8)
    given_at = models.DateTimeField(_("given"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "user"], name="baseline_once"),
            models.CheckConstraint(
                condition=Q(given_at__isnull=True, declined_at__isnull=False)
                | Q(given_at__isnull=False, declined_at__isnull=True),
                name="baseline_given_or_declined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentorship} · {self.role}"

    @property
    def is_given(self) -> bool:
        return self.given_at is not None


class Evaluation(models.Model):
    """One side's evaluation at closure: the closure self-rating (``SelfRating``), whether
    they would recommend the program's mentoring, and free text."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="evaluations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=8)
    would_recommend = models.BooleanField(
        _("would recommend this mentoring to a colleague"), null=True, blank=True
    )
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
