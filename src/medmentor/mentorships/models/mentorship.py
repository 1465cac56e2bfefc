"""The mentorship (a pair, a group or a circle), its members, its status history, its
timeline, its milestone plan and its access log."""

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


class MentorshipKind(models.TextChoices):
    """A pair is one mentor and one mentee (``mentor`` and ``mentee``); a group is one
    mentor, or two co-mentors, with several mentees; a circle is peers who mentor each
    other. A group's and a circle's people are its ``members`` (a group's lead mentor is
    also its ``mentor``, so capacity and search count the group)."""

    PAIR = "pair", _("Pair")
    GROUP = "group", _("Group")
    CIRCLE = "circle", _("Circle")


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
    kind = models.CharField(
        _("format"), max_length=8, choices=MentorshipKind.choices, default=MentorshipKind.PAIR
    )
    name = models.CharField(
        _("name"),
        max_length=120,
        blank=True,
        help_text=_("A group's or a circle's name, as its members and coordinators see it."),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mentorships_as_mentor",
        verbose_name=_("mentor"),
        help_text=_("A group's lead mentor; empty for a circle."),
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mentorships_as_mentee",
        verbose_name=_("mentee"),
        help_text=_("Empty for a group or a circle: their people are its members."),
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
                condition=~Q(kind=MentorshipKind.PAIR)
                | Q(mentor__isnull=False, mentee__isnull=False),
                name="mentorship_pair_has_mentor_and_mentee",
                violation_error_message=_("A pair has one mentor and one mentee."),
            ),
            models.CheckConstraint(
                condition=Q(kind=MentorshipKind.PAIR) | Q(mentee__isnull=True),
                name="mentorship_group_people_are_members",
                violation_error_message=_("A group's or a circle's mentees are its members."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end_on__gt=F("started_on")),
                name="mentorship_ends_after_start",
                violation_error_message=_("The end date must come after the start date."),
            ),
        ]
        indexes = [models.Index(fields=["mentor", "status"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        if self.is_pair:
            return f"{self.mentor} → {self.mentee}"
        return self.name or f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_pair(self) -> bool:
        return self.kind == MentorshipKind.PAIR

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def is_ended(self) -> bool:
        return self.status == MentorshipStatus.ENDED

    @functools.cached_property
    def member_rows(self) -> tuple[MentorshipMember, ...]:
        """A group's or a circle's members (mentors first), read once per instance."""
        if self.is_pair:
            return ()
        if "members" in getattr(self, "_prefetched_objects_cache", {}):
            return tuple(self.members.all())  # a list page prefetched them with their users
        return tuple(self.members.select_related("user"))

    def people(self) -> tuple[User, ...]:
        """Everyone in the mentorship: the pair, or the group's or circle's members."""
        if self.is_pair:
            return self.people_in_role("mentor") + self.people_in_role("mentee")
        return tuple(member.user for member in self.member_rows)

    def people_in_role(self, role: str) -> tuple[User, ...]:
        """The mentors, the mentees or the peers (a circle's members)."""
        if self.is_pair:
            person = {"mentor": self.mentor, "mentee": self.mentee}.get(role)
            return (person,) if person is not None else ()
        return tuple(m.user for m in self.member_rows if m.role == role)

    def names_in_role(self, role: str) -> str:
        """The display names of :meth:`people_in_role`, as one cell or line shows them."""
        return "; ".join(person.get_full_name() for person in self.people_in_role(role))

    @property
    def mentor_names(self) -> str:
        return self.names_in_role("mentor")

    @property
    def member_names(self) -> str:
        """A group's mentees or a circle's members, by display name."""
        return self.names_in_role("mentee") or self.names_in_role("peer")

    def others_of(self, user: User) -> tuple[User, ...]:
        return tuple(person for person in self.people() if person.pk != user.pk)

    def partner_of(self, user: User) -> User | Party:
        """Whom ``user`` works with, as their notices and pages name it: the other one of
        a pair, or the group or circle itself."""
        if self.is_pair:
            return self.mentee if user.pk == self.mentor_id else self.mentor  # type: ignore[return-value]
        return Party(str(self))

    def role_of(self, user: User) -> str:
        if not self.is_pair:
            return next((m.role for m in self.member_rows if m.user_id == user.pk), "")
        if user.pk == self.mentor_id:
            return "mentor"
        if user.pk == self.mentee_id:
            return "mentee"
        return ""


class Party(str):
    """A group or a circle where a page or a notice names "the other person": it reads as
    its name and answers the few questions asked of a person (``get_short_name``...)."""

    __slots__ = ()
    pk = None

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        return str(self)


class MemberRole(models.TextChoices):
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")
    PEER = "peer", _("Peer")


class MentorshipMember(models.Model):
    """One person of a group or a circle, with their own signature of the agreement."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorship_memberships"
    )
    role = models.CharField(_("role"), max_length=8, choices=MemberRole.choices)
    joined_at = models.DateTimeField(_("joined"))
    agreement_signed_at = models.DateTimeField(_("signed the agreement"), null=True, blank=True)

    class Meta:
        ordering = ("role", "joined_at", "id")
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "user"], name="member_once_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.mentorship} · {self.user}"


def involving(user: User | int) -> Q:
    """Mentorships ``user`` is in: one of a pair, or a member of a group or a circle (a
    subquery, not a join, so a group appears once)."""
    return (
        Q(mentor=user)
        | Q(mentee=user)
        | Q(pk__in=MentorshipMember.objects.filter(user=user).values("mentorship_id"))
    )


def mentoring(user: User | int) -> Q:
    """Mentorships ``user`` mentors: a pair's mentor, or one of a group's mentors (its
    lead or a co-mentor)."""
    return Q(mentor=user) | Q(
        pk__in=MentorshipMember.objects.filter(user=user, role=MemberRole.MENTOR).values(
            "mentorship_id"
        )
    )


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
