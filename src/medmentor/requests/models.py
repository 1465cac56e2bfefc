"""Direct requests: a mentee asks a mentor, and a line-up of up to three mentors in order.

Every request belongs to a ``RequestCascade`` (a single request is a cascade of one). The
cascade holds the mentee's message, goals and ordered mentors; a ``Request`` row is made
for a mentor only when the cascade reaches them, so a mentor never sees a request meant
for someone ahead of them.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from medmentor.programs.models.programs import Program

if TYPE_CHECKING:
    from medmentor.profiles.fit import Fit

MESSAGE_MAX = 1000
GOALS_NOTE_MAX = 500
DECLINE_REASON_MAX = 1000
CASCADE_MAX = 3


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("No answer in time")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SUPERSEDED = "superseded", _("Closed: matched with another mentor")


class CascadeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("A mentor accepted")
    EXHAUSTED = "exhausted", _("No mentor could take it")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SUPERSEDED = "superseded", _("Closed: matched with another mentor")


class RequestCascade(models.Model):
    """What a mentee asks for, and of whom in order; ``position`` is the current mentor."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="request_cascades")
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="request_cascades"
    )
    message = models.TextField(_("message"), max_length=MESSAGE_MAX)
    goals = models.JSONField(_("goals"), default=list, blank=True)
    goals_note = models.CharField(_("goals, in your words"), max_length=GOALS_NOTE_MAX, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=CascadeStatus.choices, default=CascadeStatus.OPEN
    )
    position = models.PositiveSmallIntegerField(_("current mentor"), default=0)
    created_at = models.DateTimeField(_("sent"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    # Not columns: set for the pages by requests.selectors.goal_labels_of (the goals in the
    # reader's language) and the "my requests" view (each stop with its request, if sent).
    goal_labels: list[str]
    rows: list[tuple[CascadeStop, Request | None]]

    class Meta:
        db_table = "programs_requestcascade"  # created in the programs app (decision 0036)
        ordering = ("-created_at", "-id")
        verbose_name = _("request line-up")
        verbose_name_plural = _("request line-ups")
        indexes = [models.Index(fields=["mentee", "program", "status"])]

    def __str__(self) -> str:
        return f"{self.mentee} · {self.program}"

    @property
    def is_open(self) -> bool:
        return self.status == CascadeStatus.OPEN


class CascadeStop(models.Model):
    """One mentor of a line-up, in the mentee's order (0 first)."""

    cascade = models.ForeignKey(RequestCascade, on_delete=models.CASCADE, related_name="stops")
    position = models.PositiveSmallIntegerField()
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "programs_cascadestop"  # created in the programs app (decision 0036)
        ordering = ("cascade", "position")
        constraints = [
            models.UniqueConstraint(fields=["cascade", "position"], name="cascade_stop_position"),
            models.UniqueConstraint(fields=["cascade", "mentor"], name="cascade_stop_mentor_once"),
        ]

    def __str__(self) -> str:
        return f"{self.position + 1}. {self.mentor}"


class Request(models.Model):
    """A mentee's request to one mentor. The decline reason is the mentor's alone."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cascade = models.ForeignKey(RequestCascade, on_delete=models.CASCADE, related_name="requests")
    position = models.PositiveSmallIntegerField(default=0)
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="requests", verbose_name=_("program")
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="requests_sent",
        verbose_name=_("mentee"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="requests_received",
        verbose_name=_("mentor"),
    )
    message = models.TextField(_("message"), max_length=MESSAGE_MAX)
    goals = models.JSONField(_("goals"), default=list, blank=True)
    goals_note = models.CharField(_("goals, in your words"), max_length=GOALS_NOTE_MAX, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decline_reason = models.TextField(
        _("private reason"),
        max_length=DECLINE_REASON_MAX,
        blank=True,
        help_text=_("Seen by the mentor only; the mentee sees “declined”."),
    )
    sent_at = models.DateTimeField(_("sent"))
    due_at = models.DateTimeField(_("answer due"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    mentorship = models.OneToOneField(
        "mentorships.Mentorship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request",
    )

    # Not columns: set for the pages by requests.selectors.goal_labels_of (the goals in the
    # reader's language) and fits_of_requests (how mentee and mentor fit, None without
    # profiles).
    goal_labels: list[str]
    fit: Fit | None

    class Meta:
        db_table = "programs_request"  # created in the programs app (decision 0036)
        ordering = ("-sent_at", "-id")
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")),
                name="request_two_people",
                violation_error_message=_("You cannot ask yourself."),
            ),
            # The database's word on "one live request to the same mentor", even when two
            # sends race.
            models.UniqueConstraint(
                fields=["mentee", "mentor"],
                condition=Q(status="pending"),
                name="request_one_pending_per_pair",
                violation_error_message=_("You already have a request waiting with this mentor."),
            ),
        ]
        indexes = [
            models.Index(fields=["mentor", "status"]),
            models.Index(fields=["status", "due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} → {self.mentor} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == RequestStatus.PENDING

    @property
    def mentee_status_label(self) -> str:
        """What the mentee may see: the status, never the mentor's reason."""
        return str(RequestStatus(self.status).label)
