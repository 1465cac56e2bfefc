"""The pair, its status history, its timeline, its milestone plan and its access log."""

from __future__ import annotations

import functools
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from medmentor.accounts.models import User
from medmentor.programs.models import MilestoneKind, localized


class MentorshipStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


# Statuses that take a place in the mentor's capacity.
LIVE_STATUSES = (MentorshipStatus.ACTIVE, MentorshipStatus.PAUSED)


class ClosureReason(models.TextChoices):
    """Why a mentorship ended, as a category reports can count (the status change keeps the
    sentence shown to the pair)."""

    COMPLETED = "completed", _("Reached its planned end")
    MENTEE_ENDED = "mentee_ended", _("Ended early by the mentee")
    MENTOR_ENDED = "mentor_ended", _("Ended early by the mentor")
    INACTIVITY = "inactivity", _("Closed for inactivity")


# Closures before the planned end: what "closes early" counts in reports.
EARLY_CLOSURES = (
    ClosureReason.MENTEE_ENDED,
    ClosureReason.MENTOR_ENDED,
    ClosureReason.INACTIVITY,
)


class Source(models.TextChoices):
    ROUND = "round", _("Match round")
    REQUEST = "request", _("Direct request")
    COORDINATOR = "coordinator", _("Set up by a coordinator")


class Mentorship(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentorships",
        verbose_name=_("program"),
        help_text=_(
            "The program the pair came from (the open community for a direct request "
            "outside any other program); blank only for a pair set up without one."
        ),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentorships_as_mentor",
        verbose_name=_("mentor"),
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mentorships_as_mentee",
        verbose_name=_("mentee"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MentorshipStatus.choices,
        default=MentorshipStatus.PROPOSED,
    )
    source = models.CharField(_("formed by"), max_length=12, choices=Source.choices)
    started_on = models.DateField(_("start date"))
    planned_end_on = models.DateField(_("planned end date"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    closure_reason = models.CharField(
        _("why it ended"), max_length=16, choices=ClosureReason.choices, blank=True
    )
    last_activity_at = models.DateTimeField(_("last activity"))
    inactivity_notice_at = models.DateTimeField(_("inactivity notice sent"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-started_on", "-id")
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")),
                name="mentorship_two_people",
                violation_error_message=_("A person cannot mentor themselves."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end_on__gt=F("started_on")),
                name="mentorship_ends_after_start",
                violation_error_message=_("The end date must come after the start date."),
            ),
        ]
        indexes = [models.Index(fields=["mentor", "status"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def is_ended(self) -> bool:
        return self.status == MentorshipStatus.ENDED

    def partner_of(self, user: User) -> User:
        return self.mentee if user.pk == self.mentor_id else self.mentor

    def role_of(self, user: User) -> str:
        if user.pk == self.mentor_id:
            return "mentor"
        if user.pk == self.mentee_id:
            return "mentee"
        return ""


class StatusChange(models.Model):
    """Every change of a mentorship's status: who, when, from, to, why."""

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("from"), max_length=12, choices=MentorshipStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=MentorshipStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty: MedMentor itself (end date, inactivity)."),
    )
    at = models.DateTimeField(_("when"))
    reason = models.CharField(_("why"), max_length=300)

    class Meta:
        ordering = ("at", "id")
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class EventKind(models.TextChoices):
    STARTED = "started", _("The mentorship started")
    STATUS = "status", _("The status changed")
    AGREEMENT_EDITED = "agreement_edited", _("The agreement was edited")
    AGREEMENT_SIGNED = "agreement_signed", _("The agreement was signed")
    AGREEMENT_COMPLETE = "agreement_complete", _("The agreement is signed by both")
    GOAL_PROPOSED = "goal_proposed", _("A goal was proposed")
    GOAL_UPDATED = "goal_updated", _("A goal was updated")
    MEETING_SCHEDULED = "meeting_scheduled", _("A meeting was scheduled")
    MEETING_UPDATED = "meeting_updated", _("A meeting was moved or changed")
    MEETING_CANCELLED = "meeting_cancelled", _("A meeting was cancelled")
    MEETING_LOGGED = "meeting_logged", _("A meeting was logged")
    NOTE_SHARED = "note_shared", _("A shared note was written")
    CHECK_IN = "check_in", _("A check-in was answered")
    INACTIVITY_NOTICE = "inactivity_notice", _("Notice of closure for inactivity")
    BASELINE = "baseline", _("A starting self-rating was given")
    EVALUATION = "evaluation", _("An evaluation was given")
    COORDINATOR_VIEW = "coordinator_view", _("A coordinator viewed the mentorship")


@functools.cache
def _by_english_label(choices: type[models.TextChoices]) -> dict[str, models.TextChoices]:
    """Each choice by its English name, as older timeline rows stored it (once a process)."""
    with translation.override("en"):
        return {str(choice.label): choice for choice in choices}


class MentorshipEvent(models.Model):
    """The workspace's timeline. It names what happened, never what was said."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=24, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("when"))
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        ordering = ("-at", "-id")
        verbose_name = _("mentorship event")
        verbose_name_plural = _("mentorship events")

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def detail_display(self) -> str:
        """The detail in the reader's language: a status is stored as its code and named
        when shown (older rows hold the English name, which is recognised the same way)."""
        from medmentor.mentorships.models.work import GoalStatus

        statuses = {EventKind.STATUS: MentorshipStatus, EventKind.GOAL_UPDATED: GoalStatus}
        choices = statuses.get(EventKind(self.kind)) if self.kind in EventKind.values else None
        if choices is None:
            return self.detail
        choice = _by_english_label(choices).get(self.detail) or (
            choices(self.detail) if self.detail in choices.values else None
        )
        return str(choice.label) if choice is not None else self.detail


class MentorshipMilestone(models.Model):
    """A step of the program's plan, copied when the mentorship starts."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=MilestoneKind.choices)
    label_en = models.CharField(_("label (English)"), max_length=160)
    label_fr = models.CharField(_("label (French)"), max_length=160, blank=True)
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ("position", "due_on", "id")
        verbose_name = _("mentorship milestone")
        verbose_name_plural = _("mentorship milestones")

    def __str__(self) -> str:
        return self.label_en

    @property
    def label(self) -> str:
        return localized(self, "label")


class AccessAudit(models.Model):
    """A coordinator opened the pair's detail page, and why. The pair reads this log."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="access_audits"
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    viewer_name = models.CharField(_("viewer"), max_length=150)
    reason = models.CharField(_("reason"), max_length=500)
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ("-at", "-id")
        verbose_name = _("coordinator access")
        verbose_name_plural = _("coordinator accesses")

    def __str__(self) -> str:
        return f"{self.viewer_name} · {self.at:%Y-%m-%d %H:%M}"
