"""A speed-mentoring event of a program: its rotations, who takes part, the mentees'
choices of mentors, the schedule (one ``EventMeeting`` per mentee, mentor and rotation)
and, afterwards, whom each person would like to continue with."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medmentor.core.validators import no_markup
from medmentor.programs.models import Program

TITLE_MAX = 160
DESCRIPTION_MAX = 4000
PLACE_MAX = 300
ROTATIONS_MAX = 20
TABLE_SIZE_MAX = 4
CHOICES_MAX = 5


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Schedule built, not published")
    PUBLISHED = "published", _("Published")
    FINISHED = "finished", _("Finished")


class EventRole(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


class Enrolment(models.TextChoices):
    COORDINATOR = "coordinator", _("Added by a coordinator")
    CSV = "csv", _("Imported from a CSV file")
    SELF = "self", _("Signed up")


class Event(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="events", verbose_name=_("program")
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX, validators=[no_markup])
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(
        _("place"),
        max_length=PLACE_MAX,
        blank=True,
        help_text=_("For an event in person: the building and room."),
    )
    video_url = models.URLField(
        _("video link"), blank=True, help_text=_("For an event online: the meeting's link.")
    )
    rotations = models.PositiveSmallIntegerField(
        _("rotations"), default=4, help_text=_("How many times people change tables (1 to 20).")
    )
    rotation_minutes = models.PositiveSmallIntegerField(_("minutes per rotation"), default=8)
    changeover_minutes = models.PositiveSmallIntegerField(
        _("changeover minutes"), default=2, help_text=_("Between two rotations.")
    )
    tables = models.PositiveSmallIntegerField(
        _("tables or rooms"), default=5, help_text=_("One mentor sits at each.")
    )
    table_size = models.PositiveSmallIntegerField(
        _("mentees per table"),
        default=1,
        help_text=_("1 for one-to-one meetings, up to 4 for a small group."),
    )
    signup_open = models.BooleanField(
        _("sign-up open"),
        default=False,
        help_text=_("The program's participants may sign themselves up."),
    )
    is_listed = models.BooleanField(
        _("listed publicly"),
        default=False,
        help_text=_("The event appears on the public page of upcoming events."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    seed = models.PositiveIntegerField(
        _("seed"), default=0, help_text=_("Another number gives another schedule of equal fit.")
    )
    # The mentees the engine could not seat in every rotation: [{mentee_id, reason, message}].
    unmet = models.JSONField(default=list, blank=True)
    sequence = models.PositiveIntegerField(default=0)  # grows with each publication (.ics)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last change"), default=timezone.now)
    built_at = models.DateTimeField(_("schedule built"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ("starts_at", "id")
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["is_listed", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_online(self) -> bool:
        return not self.place and bool(self.video_url)

    def is_ahead(self, now: datetime | None = None) -> bool:
        return self.starts_at > (now or timezone.now())

    def is_over(self, now: datetime | None = None) -> bool:
        return self.ends_at <= (now or timezone.now())

    @property
    def current_status(self) -> str:
        """The stored status, or "finished" once a published event has ended."""
        if self.status == EventStatus.PUBLISHED and self.is_over():
            return EventStatus.FINISHED
        return self.status

    @property
    def was_published(self) -> bool:
        """Its participants see the schedule once it has been published (a change made
        since shows at once; publishing again tells them)."""
        return self.published_at is not None

    def get_current_status_display(self) -> str:
        return str(EventStatus(self.current_status).label)

    def rotation_times(self, rotation: int) -> tuple[datetime, datetime]:
        """When rotation ``rotation`` (1 to ``rotations``) starts and ends."""
        start = self.starts_at + timedelta(
            minutes=(rotation - 1) * (self.rotation_minutes + self.changeover_minutes)
        )
        return start, start + timedelta(minutes=self.rotation_minutes)


class EventParticipant(models.Model):
    """A person taking part in an event, in one role. A mentor has a table."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_places"
    )
    role = models.CharField(_("role"), max_length=8, choices=EventRole.choices)
    table = models.PositiveSmallIntegerField(_("table"), null=True, blank=True)
    enrolled_by = models.CharField(
        _("enrolled"), max_length=12, choices=Enrolment.choices, default=Enrolment.COORDINATOR
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)

    class Meta:
        ordering = ("role", "table", "id")
        verbose_name = _("event participant")
        verbose_name_plural = _("event participants")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="event_participant_once"),
            models.UniqueConstraint(
                fields=["event", "table"],
                condition=Q(table__isnull=False),
                name="event_table_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.user} ({self.role})"


class EventChoice(models.Model):
    """A mentee's choice of one of the event's mentors, ``rank`` 1 being their first."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="choices")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        ordering = ("event", "mentee", "rank")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "mentee", "rank"], name="event_choice_rank_once"
            ),
            models.UniqueConstraint(
                fields=["event", "mentee", "mentor"], name="event_choice_mentor_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.rank}"


class EventMeeting(models.Model):
    """One mentee at one mentor's table for one rotation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings")
    rotation = models.PositiveSmallIntegerField(_("rotation"))
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("fit"), default=0.0)
    choice = models.PositiveSmallIntegerField(_("mentee's choice"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)  # English, as rounds
    locked = models.BooleanField(_("locked"), default=False)

    class Meta:
        ordering = ("event", "rotation", "id")
        verbose_name = _("event meeting")
        verbose_name_plural = _("event meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "rotation", "mentee"], name="event_mentee_once_a_rotation"
            ),
            models.UniqueConstraint(
                fields=["event", "mentor", "mentee"], name="event_pair_meets_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.rotation}"


class EventFollowUp(models.Model):
    """After the event: ``chooser`` would like to continue with ``chosen``, whom they met."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="follow_ups")
    chooser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    chosen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    chosen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("event", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "chooser", "chosen"], name="event_follow_up_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.chooser_id} → {self.chosen_id}"
