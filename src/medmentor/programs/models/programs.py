"""Programs, their settings (milestone plan, intake questions) and who takes part."""

from __future__ import annotations

import secrets
import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from medmentor.core.validators import no_markup
from medmentor.programs.codes import (
    career_stage_label,
    region_label,
    validate_career_stage_codes,
    validate_region,
)

# The standing open community, created by migration 0002; its UUID never changes.
OPEN_COMMUNITY_UUID = uuid.UUID("6f1c0c4e-5b8a-4f39-9d3e-0c0a5e1d7a01")
WEIGHT_MAX = 100
FOUR_CS = ("consideration", "camaraderie", "commonality", "confidentiality")


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def localized(obj: object, field: str) -> str:
    """``<field>_fr`` for French readers when it is filled in, else ``<field>_en``."""
    if (get_language() or "en").startswith("fr"):
        value = getattr(obj, f"{field}_fr", "")
        if value:
            return str(value)
    return str(getattr(obj, f"{field}_en", ""))


class Audience(models.TextChoices):
    STUDENTS = "students", _("Medical students")
    RESIDENTS = "residents", _("Residents")
    PRACTICE = "practice", _("Physicians in practice")
    MIXED = "mixed", _("Mixed")


class EnrolmentMode(models.TextChoices):
    OPEN = "open", _("Open: anyone eligible joins at once")
    INVITATION = "invitation", _("By invitation link")
    APPROVAL = "approval", _("On request, approved by a coordinator")


class MatchingMode(models.TextChoices):
    ROUNDS = "rounds", _("Match rounds")
    REQUESTS = "requests", _("Direct requests")
    BOTH = "both", _("Match rounds and direct requests")


class SeniorityRule(models.TextChoices):
    SENIOR = "senior", _("The mentor's career stage is above the mentee's")
    PEER = "peer", _("Peer mentoring allowed")
    # Reverse mentoring: a resident teaching a senior physician digital tools, say.
    ANY = "any", _("Any seniority: a less senior member may mentor a more senior one")


class MentorshipFormat(models.TextChoices):
    """What a program's mentorships are: pairs, groups (a mentor, or two co-mentors, with
    several mentees), peer circles, or any of them."""

    PAIRS = "pairs", _("One-to-one pairs")
    GROUPS = "groups", _("Groups: a mentor with several mentees")
    CIRCLES = "circles", _("Peer circles")
    MIXED = "mixed", _("Pairs, groups and circles")

    def allows(self, kind: str) -> bool:
        """Whether the format runs mentorships of ``kind`` (pair, group or circle)."""
        return self == MentorshipFormat.MIXED or self.value == f"{kind}s"


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    MENTOR = "mentor", _("Mentor")
    MENTEE = "mentee", _("Mentee")


PARTICIPANT_ROLES = (Role.MENTOR, Role.MENTEE)


class Status(models.TextChoices):
    # A membership's status, shown after a person's name: its own context, so that French
    # names the enrolment (« Inscription retirée ») and not the person in the masculine.
    PENDING = "pending", _("Pending approval")
    ACTIVE = "active", pgettext_lazy("membership status", "Active")
    WITHDRAWN = "withdrawn", pgettext_lazy("membership status", "Withdrawn")
    DECLINED = "declined", pgettext_lazy("membership status", "Declined")


class Program(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name_en = models.CharField(_("name (English)"), max_length=160, validators=[no_markup])
    name_fr = models.CharField(
        _("name (French)"), max_length=160, blank=True, validators=[no_markup]
    )
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    region = models.CharField(_("region"), max_length=16, validators=[validate_region])
    is_listed = models.BooleanField(
        _("listed publicly"),
        default=True,
        help_text=_("Listed programs can be found by anyone; others only by their members."),
    )
    sso_institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("members log in through"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
        help_text=_(
            "Only people who signed in through this institution's account may join the program."
        ),
    )
    cycle_start = models.DateField(_("cycle start"), null=True, blank=True)
    cycle_end = models.DateField(_("cycle end"), null=True, blank=True)
    enrolment_mode = models.CharField(
        _("enrolment"), max_length=16, choices=EnrolmentMode.choices, default=EnrolmentMode.OPEN
    )
    matching_mode = models.CharField(
        _("matching"), max_length=16, choices=MatchingMode.choices, default=MatchingMode.ROUNDS
    )
    seniority_rule = models.CharField(
        _("mentor seniority"),
        max_length=16,
        choices=SeniorityRule.choices,
        default=SeniorityRule.SENIOR,
    )
    weight_consideration = models.PositiveSmallIntegerField(
        _("consideration"), default=25, validators=[MaxValueValidator(WEIGHT_MAX)]
    )
    weight_camaraderie = models.PositiveSmallIntegerField(
        _("camaraderie"), default=25, validators=[MaxValueValidator(WEIGHT_MAX)]
    )
    weight_commonality = models.PositiveSmallIntegerField(
        _("commonality"), default=25, validators=[MaxValueValidator(WEIGHT_MAX)]
    )
    weight_confidentiality = models.PositiveSmallIntegerField(
        _("confidentiality"), default=25, validators=[MaxValueValidator(WEIGHT_MAX)]
    )
    mentor_stages = models.JSONField(
        _("career stages accepted as mentors"),
        default=list,
        blank=True,
        validators=[validate_career_stage_codes],
        help_text=_("None ticked: every career stage."),
    )
    mentee_stages = models.JSONField(
        _("career stages accepted as mentees"),
        default=list,
        blank=True,
        validators=[validate_career_stage_codes],
        help_text=_("None ticked: every career stage."),
    )
    requires_self_identification = models.BooleanField(
        _("participants must self-identify"),
        default=False,
        help_text=_(
            "For an identity-based program: people confirm, when they join, that they "
            "belong to the community the description names."
        ),
    )
    mentorship_months = models.PositiveSmallIntegerField(
        _("mentorship length (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    mentorship_format = models.CharField(
        _("mentorships run as"),
        max_length=8,
        choices=MentorshipFormat.choices,
        default=MentorshipFormat.PAIRS,
    )
    group_size_min = models.PositiveSmallIntegerField(
        _("smallest group or circle"),
        default=4,
        validators=[MinValueValidator(2), MaxValueValidator(20)],
        help_text=_("Mentees in a group, or members of a circle."),
    )
    group_size_max = models.PositiveSmallIntegerField(
        _("largest group or circle"),
        default=6,
        validators=[MinValueValidator(2), MaxValueValidator(20)],
    )
    max_open_requests = models.PositiveSmallIntegerField(
        _("open requests per mentee"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    request_cascade_days = models.PositiveSmallIntegerField(
        _("days before an unanswered request moves on"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    # Follow-up of the program's mentorships (the mentorships app reads these).
    checkin_first_days = models.PositiveSmallIntegerField(
        _("first check-in after (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    checkin_every_days = models.PositiveSmallIntegerField(
        _("then a check-in every (days)"),
        default=60,
        validators=[MinValueValidator(7), MaxValueValidator(365)],
    )
    inactivity_days = models.PositiveSmallIntegerField(
        _("days without activity before a mentorship needs attention"),
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(730)],
    )
    closure_notice_days = models.PositiveSmallIntegerField(
        _("notice before an inactive mentorship closes (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    support_resources = models.TextField(
        _("support resources"),
        blank=True,
        help_text=_(
            "Shown at once to a participant whose check-in asks for support: physician "
            "health programs, peer-support groups, crisis lines (one a line; links allowed)."
        ),
    )
    agreement_template = models.TextField(
        _("agreement template"),
        blank=True,
        help_text=_(
            "The program's wording for new agreements: expectations, meeting cadence and "
            "modality, how to reach each other, confidentiality, the no-fault way out. "
            "Blank: MedMentor's standard wording."
        ),
    )
    invitation_nonce = models.CharField(max_length=40, default=new_nonce, editable=False)
    duplicated_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name_en", "id")
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(
                condition=Q(cycle_start__isnull=True, cycle_end__isnull=True)
                | Q(cycle_start__isnull=False, cycle_end__gt=F("cycle_start")),
                name="program_cycle_end_after_start",
                violation_error_message=_("The cycle ends after it starts (give both dates)."),
            ),
            models.CheckConstraint(
                condition=Q(group_size_max__gte=F("group_size_min")),
                name="program_group_size_range",
                violation_error_message=_("The largest group cannot be smaller than the smallest."),
            ),
            models.CheckConstraint(
                condition=Q(weight_consideration__gt=0)
                | Q(weight_camaraderie__gt=0)
                | Q(weight_commonality__gt=0)
                | Q(weight_confidentiality__gt=0),
                name="program_weights_not_all_zero",
                violation_error_message=_("At least one of the four Cs needs a weight."),
            ),
        ]

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def region_label(self) -> str:
        return str(region_label(self.region))

    @property
    def is_open_community(self) -> bool:
        return self.uuid == OPEN_COMMUNITY_UUID

    @property
    def weights(self) -> dict[str, int]:
        return {c: getattr(self, f"weight_{c}") for c in FOUR_CS}

    @property
    def normalised_weights(self) -> dict[str, Decimal]:
        """The four Cs as shares summing to 1 (the engine's input)."""
        weights = self.weights
        total = sum(weights.values())
        if total <= 0:
            return {c: Decimal(1) / len(FOUR_CS) for c in FOUR_CS}
        return {c: Decimal(value) / total for c, value in weights.items()}

    def stages_for(self, role: str) -> list[str]:
        return list(self.mentor_stages if role == Role.MENTOR else self.mentee_stages)

    def stage_labels_for(self, role: str) -> list[str]:
        return [str(career_stage_label(code)) for code in self.stages_for(role)]


class MilestoneKind(models.TextChoices):
    FIRST_MEETING = "first_meeting", _("First meeting")
    AGREEMENT = "agreement_signed", _("Agreement signed")
    CHECK_IN = "check_in", _("Check-in")
    CUSTOM = "custom", _("Other")


class Milestone(models.Model):
    """One step of the plan every new mentorship of the program inherits."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=MilestoneKind.choices)
    label_en = models.CharField(_("label (English)"), max_length=160)
    label_fr = models.CharField(_("label (French)"), max_length=160, blank=True)
    due_after_days = models.PositiveSmallIntegerField(
        _("due after (days)"), validators=[MaxValueValidator(3650)]
    )

    class Meta:
        ordering = ("position", "due_after_days", "id")
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.label_en

    @property
    def label(self) -> str:
        return localized(self, "label")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Short text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")


# Kinds whose answers are codes from ``choices`` (the others store the value itself).
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class MatchingRule(models.TextChoices):
    SAME = "same", _("Same answer")
    DIFFERENT = "different", _("Different answer")
    COVERS = "covers", _("The mentor's answer covers the mentee's")


class IntakeQuestion(models.Model):
    """A question asked when a person joins in one role.

    ``choices`` is a list of ``{"code": ..., "en": ..., "fr": ...}``; answers store codes,
    which stay stable when labels are edited. Text, number and date questions have no
    choices: their answer is the value itself (a number as written, a date in ISO form).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="questions")
    role = models.CharField(
        _("asked of"), max_length=16, choices=[(r.value, r.label) for r in PARTICIPANT_ROLES]
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text_en = models.CharField(_("question (English)"), max_length=300)
    text_fr = models.CharField(_("question (French)"), max_length=300, blank=True)
    kind = models.CharField(
        _("answer"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)
    matching_weight = models.PositiveSmallIntegerField(
        _("weight in matching"),
        default=0,
        validators=[MaxValueValidator(WEIGHT_MAX)],
        help_text=_("0: the answer is not used in matching."),
    )
    matching_rule = models.CharField(
        _("matching rule"), max_length=10, choices=MatchingRule.choices, default=MatchingRule.SAME
    )

    class Meta:
        ordering = ("role", "position", "id")
        verbose_name = _("intake question")
        verbose_name_plural = _("intake questions")

    def __str__(self) -> str:
        return self.text_en

    @property
    def text(self) -> str:
        return localized(self, "text")

    @property
    def codes(self) -> list[str]:
        return [choice["code"] for choice in self.choices]

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    def choice_pairs(self) -> list[tuple[str, str]]:
        """(code, label in the reader's language) for each choice."""
        french = (get_language() or "en").startswith("fr")
        return [
            (c["code"], (c.get("fr") if french and c.get("fr") else c["en"])) for c in self.choices
        ]

    def answer_labels(self, values: list[str]) -> list[str]:
        """A stored answer as its reader reads it: choices by their label, a date in the
        reader's format, text and numbers as given."""
        if self.is_choice:
            labels = dict(self.choice_pairs())
            return [labels.get(value, value) for value in values]
        if self.kind == QuestionKind.DATE:
            return [date_format(date.fromisoformat(value)) for value in values]
        return list(values)


class Membership(models.Model):
    """One person in one role in one program (mentor and mentee are two rows)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    career_stage = models.CharField(_("career stage"), max_length=32, blank=True)
    self_identified = models.BooleanField(_("self-identified"), default=False)
    answers = models.JSONField(
        _("intake answers"),
        default=dict,
        blank=True,
        help_text=_("Question UUID to the list of chosen codes."),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    activated_at = models.DateTimeField(_("active since"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ("program", "role", "requested_at", "id")
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user", "role"],
                name="membership_one_row_per_role",
                violation_error_message=_("This person already has this role in this program."),
            )
        ]
        indexes = [models.Index(fields=["program", "role", "status"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.program}"

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE

    @property
    def career_stage_label(self) -> str:
        return str(career_stage_label(self.career_stage)) if self.career_stage else ""
