"""What the pair works on: the agreement, goals and meetings."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medmentor.accounts.models import User
from medmentor.mentorships.models.mentorship import Mentorship

TEXT_LIMIT = 20_000  # characters in any free text a person writes here
TITLE_LIMIT = 200


class Agreement(models.Model):
    """Drafted from the program's template, edited by either side, signed by both.

    Any edit after a signature clears both signatures: the pair signs the new version.
    """

    mentorship = models.OneToOneField(
        Mentorship, on_delete=models.CASCADE, related_name="agreement"
    )
    text = models.TextField(_("agreement"), max_length=TEXT_LIMIT)
    version = models.PositiveIntegerField(default=1)
    mentor_signed_at = models.DateTimeField(_("signed by the mentor"), null=True, blank=True)
    mentee_signed_at = models.DateTimeField(_("signed by the mentee"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("last edited"))

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return f"{self.mentorship} v{self.version}"

    @property
    def is_signed(self) -> bool:
        """Signed by everyone: both of a pair, every member of a group or a circle."""
        return all(self.signed_at_of(person) for person in self.mentorship.people())

    def signed_at_of(self, user: User) -> datetime | None:
        """When ``user`` signed the current version (a pair's signatures are this row's
        two columns, a group member's is on their membership)."""
        mentorship = self.mentorship
        if mentorship.is_pair:
            signed_at: datetime | None = getattr(
                self, f"{mentorship.role_of(user)}_signed_at", None
            )
            return signed_at
        return next(
            (m.agreement_signed_at for m in mentorship.member_rows if m.user_id == user.pk), None
        )


class GoalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Agreed")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


OPEN_GOAL_STATUSES = (GoalStatus.PROPOSED, GoalStatus.ACTIVE)


class Goal(models.Model):
    """A SMART goal: specific (title, description), measurable (measure), time-bound (due)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=TITLE_LIMIT)
    description = models.TextField(_("what exactly"), max_length=TEXT_LIMIT, blank=True)
    measure = models.CharField(_("how you will know it is reached"), max_length=500, blank=True)
    area = models.CharField(_("what it serves"), max_length=40, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.PROPOSED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("proposed"))
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        ordering = ("due_on", "created_at", "id")
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="goal_progress_at_most_100")
        ]

    def __str__(self) -> str:
        # Never the title: this shows wherever the pair's things are listed (the admin's
        # delete confirmations among them), and a goal's words are the pair's.
        return f"{self.mentorship} · #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_GOAL_STATUSES


class GoalMilestone(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("step"), max_length=TITLE_LIMIT)
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ("due_on", "id")
        verbose_name = _("goal step")
        verbose_name_plural = _("goal steps")

    def __str__(self) -> str:
        return f"{self.goal} · #{self.pk}"  # never the step's words


class GoalComment(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("comment"), max_length=TEXT_LIMIT)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("goal comment")
        verbose_name_plural = _("goal comments")

    def __str__(self) -> str:
        return f"{self.author} · {self.created_at:%Y-%m-%d}"


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Telephone")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    """A meeting of the pair. ``sequence`` counts the invitation's revisions (RFC 5545)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), default=60, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    modality = models.CharField(_("how"), max_length=12, choices=Modality.choices)
    place = models.CharField(_("place or link"), max_length=500, blank=True)
    agenda = models.TextField(_("agenda"), max_length=TEXT_LIMIT, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    sequence = models.PositiveIntegerField(default=0)
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()
    # The log, written after the meeting.
    discussed = models.TextField(_("what was discussed"), max_length=TEXT_LIMIT, blank=True)
    next_steps = models.TextField(_("next steps"), max_length=TEXT_LIMIT, blank=True)
    minutes_spent = models.PositiveSmallIntegerField(
        _("time spent (minutes)"), null=True, blank=True, validators=[MaxValueValidator(1440)]
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    logged_at = models.DateTimeField(_("logged"), null=True, blank=True)

    class Meta:
        ordering = ("starts_at", "id")
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5), name="meeting_lasts_at_least_5_minutes"
            ),
            models.CheckConstraint(
                condition=Q(logged_at__isnull=True) | Q(logged_at__gte=F("starts_at")),
                name="meeting_logged_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentorship} · {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def has_begun(self) -> bool:
        """Loggable and ratable from its start (as ``meeting_log`` and ``meeting_rate`` say)."""
        return self.starts_at <= timezone.now()

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def is_logged(self) -> bool:
        return self.logged_at is not None

    @property
    def hours(self) -> float:
        return round((self.minutes_spent or 0) / 60, 2)


class MeetingRating(models.Model):
    """The one-click rating each side gives a meeting (1-5)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("meeting rating")
        verbose_name_plural = _("meeting ratings")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="meeting_rating_once"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="meeting_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.score}"
