"""Match rounds: one run of the engine over a program's pool, its proposals (pairs, or
peer circles), and the people it left unmatched."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from medmentor.programs.models.programs import FOUR_CS, Program, Role


class Algorithm(models.TextChoices):
    STABLE = "stable", _("Stable: nobody would rather swap")
    OPTIMAL = "optimal", _("Optimal: the highest total score")


class RoundKind(models.TextChoices):
    """What a round proposes: mentor and mentee pairs, mentoring groups (a mentor with
    several mentees) or peer circles."""

    PAIRS = "pairs", _("Mentor and mentee pairs")
    GROUPS = "groups", _("Mentoring groups")
    CIRCLES = "circles", _("Peer circles")


class RoundStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    READY = "ready", _("Ready for review")
    FAILED = "failed", _("Failed")
    PUBLISHED = "published", _("Published")


class Phase(models.TextChoices):
    WAITING = "", _("Waiting for its turn")
    LOADING = "loading", _("Loading the pool")
    ENGINE = "engine", _("Matching")
    STORING = "storing", _("Storing the proposals")
    DONE = "done", _("Done")


class MatchRound(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="rounds")
    kind = models.CharField(
        _("proposes"), max_length=10, choices=RoundKind.choices, default=RoundKind.PAIRS
    )
    algorithm = models.CharField(
        _("algorithm"), max_length=10, choices=Algorithm.choices, default=Algorithm.STABLE
    )
    seed = models.PositiveIntegerField(_("seed"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices, blank=True)
    rerun_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reruns",
        verbose_name=_("re-run of"),
    )
    # Mentor user id (as text: JSON keys) -> places the mentor had in this round.
    places = models.JSONField(_("mentors' places"), default=dict, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    timings = models.JSONField(_("timings (seconds)"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        db_table = "programs_matchround"  # created in the programs app (decision 0036)
        ordering = ("-created_at", "-id")
        verbose_name = _("match round")
        verbose_name_plural = _("match rounds")
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.program} · {self.created_at:%Y-%m-%d %H:%M} · {self.algorithm}"

    @property
    def is_running(self) -> bool:
        return self.status in (RoundStatus.QUEUED, RoundStatus.RUNNING)

    @property
    def is_editable(self) -> bool:
        """Coordinators adjust a round only between its run and its publication."""
        return self.status == RoundStatus.READY

    @property
    def is_published(self) -> bool:
        return self.status == RoundStatus.PUBLISHED

    @property
    def is_circles(self) -> bool:
        return self.kind == RoundKind.CIRCLES

    @property
    def forms_groups(self) -> bool:
        """Its result is circles or mentoring groups (``ProposedGroup`` rows), published
        all at once, rather than pairs each side answers."""
        return self.kind != RoundKind.PAIRS


class Origin(models.TextChoices):
    ENGINE = "engine", _("Matching engine")
    HAND = "hand", _("Paired by hand")


class Response(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed (not published)")
    PUBLISHED = "published", _("Waiting for answers")
    ACCEPTED = "accepted", _("Accepted: mentorship started")
    DECLINED = "declined", _("Declined")
    FAILED = "failed", _("Could not start")


# Proposals that hold both people: a published one awaiting answers, or an accepted one.
LIVE_PROPOSAL_STATUSES = (ProposalStatus.PUBLISHED, ProposalStatus.ACCEPTED)


class Proposal(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="proposals")
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="proposals_as_mentee",
        verbose_name=_("mentee"),
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="proposals_as_mentor",
        verbose_name=_("mentor"),
    )
    score = models.FloatField(_("score"))
    consideration = models.FloatField(_("consideration"), null=True, blank=True)
    camaraderie = models.FloatField(_("camaraderie"), null=True, blank=True)
    commonality = models.FloatField(_("commonality"), null=True, blank=True)
    confidentiality = models.FloatField(_("confidentiality"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    locked = models.BooleanField(_("locked"), default=False)
    origin = models.CharField(
        _("origin"), max_length=8, choices=Origin.choices, default=Origin.ENGINE
    )
    warnings = models.JSONField(_("rules it breaks"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
    )
    mentee_response = models.CharField(
        _("mentee's answer"), max_length=10, choices=Response.choices, default=Response.PENDING
    )
    mentee_reason = models.TextField(_("mentee's private reason"), blank=True)
    mentee_responded_at = models.DateTimeField(null=True, blank=True)
    mentor_response = models.CharField(
        _("mentor's answer"), max_length=10, choices=Response.choices, default=Response.PENDING
    )
    mentor_reason = models.TextField(_("mentor's private reason"), blank=True)
    mentor_responded_at = models.DateTimeField(null=True, blank=True)
    failure = models.TextField(_("why it could not start"), blank=True)
    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        db_table = "programs_proposal"  # created in the programs app (decision 0036)
        ordering = ("-score", "id")
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "mentee"],
                name="proposal_one_per_mentee_per_round",
                violation_error_message=_("This mentee already has a proposal in this round."),
            ),
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")),
                name="proposal_two_people",
                violation_error_message=_("A person cannot mentor themselves."),
            ),
        ]
        indexes = [
            models.Index(fields=["round", "status"]),
            models.Index(fields=["mentee", "status"]),
            models.Index(fields=["mentor", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee} ({self.score:.2f})"

    @property
    def components(self) -> list[tuple[str, float | None]]:
        return [(c, getattr(self, c)) for c in FOUR_CS]

    def role_of(self, user_id: int) -> str:
        if user_id == self.mentee_id:
            return Role.MENTEE
        if user_id == self.mentor_id:
            return Role.MENTOR
        return ""

    def response_of(self, role: str) -> str:
        return str(getattr(self, f"{role}_response"))


class UnmatchedCode(models.TextChoices):
    NO_ELIGIBLE_MENTOR = "no_eligible_mentor", _("No eligible mentor")
    MENTORS_FULL = "mentors_full", _("Every eligible mentor is full")
    RANKED_NONE_ACCEPTED = "ranked_none_accepted", _("Nobody they ranked accepted")
    NO_PROFILE = "no_profile", _("No complete profile")
    BROKEN = "broken", _("Broken by the coordinator")
    LOCK_DROPPED = "lock_dropped", _("A locked pair no longer fits")
    # Circle rounds (the circles engine's codes).
    NO_FEASIBLE_CIRCLE = (
        "no_feasible_circle",
        _("No circle can take them without breaking a rule (a reporting line, a block, "
          "no shared language)"),
    )  # fmt: skip
    TOO_FEW_PEOPLE = "too_few_people", _("Too few people left for another circle")
    # Group rounds (the groups engine's codes; "no seat" is MENTORS_FULL).
    TOO_FEW_FOR_A_GROUP = "too_few_for_a_group", _("Too few mentees left to fill another group")


class UnmatchedEntry(models.Model):
    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="unmatched")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MENTEE)
    code = models.CharField(_("reason"), max_length=24, choices=UnmatchedCode.choices)
    message = models.CharField(_("details"), max_length=300, blank=True)

    class Meta:
        db_table = "programs_unmatchedentry"  # created in the programs app (decision 0036)
        ordering = ("role", "code", "id")
        verbose_name = _("unmatched person")
        verbose_name_plural = _("unmatched people")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user", "role"], name="unmatched_once_per_round_and_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.code}"


class ProposedGroup(models.Model):
    """One circle or mentoring group a round proposes: its members (a group's mentees),
    its mentor (a group's; none for a circle), score and reasons; once the round is
    published, the mentorship it started."""

    round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="groups")
    position = models.PositiveSmallIntegerField(_("number"))
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mentor"),
    )
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ProposedGroupMember",
        related_name="+",
        verbose_name=_("members"),
    )
    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ("round", "position")
        verbose_name = _("proposed group or circle")
        verbose_name_plural = _("proposed groups and circles")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "position"], name="proposed_group_numbered_once_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.position} ({self.score:.2f})"


class ProposedGroupMember(models.Model):
    """A member of a proposed circle, or a mentee of a proposed group."""

    group = models.ForeignKey(ProposedGroup, on_delete=models.CASCADE, related_name="rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ("group", "id")
        verbose_name = _("member of a proposed group or circle")
        verbose_name_plural = _("members of proposed groups and circles")
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="proposed_group_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.user}"
