"""Reporting lines, conflicts of interest and blocks: who must never be paired."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ReportingLine(models.Model):
    """A declared reporting line or conflict of interest between two people.

    Declared by ``person`` about ``other`` (a user) or ``other_email`` (someone not yet on
    the site: it counts as soon as an account with that verified address exists). Both
    directions count: neither may be proposed to, find or request the other.

    A coordinator may enter one between two people of their program (``source`` is
    COORDINATOR, ``program`` says which program's coordinator): then ``person`` is the
    member the line is about and ``other`` their supervisor, program director, assessor or
    the other side of the conflict. Neither side is ever shown who the other is.
    """

    class Kind(models.TextChoices):
        SUPERVISOR = "supervisor", _("Supervises me")
        EVALUATOR = "evaluator", _("Evaluates me")
        PROGRAM_DIRECTOR = "program_director", _("My program director")
        DEPARTMENT_HEAD = "department_head", _("My department head")
        REPORTS_TO_ME = "reports_to_me", _("I supervise or evaluate them")
        CONFLICT = "conflict", _("Other conflict of interest")

    class Source(models.TextChoices):
        SELF = "self", _("Declared by the person")
        COORDINATOR = "coordinator", _("Added by a program coordinator")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="reporting_lines",
    )
    other = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("other person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    other_email = models.EmailField(_("other person's e-mail"), blank=True)
    kind = models.CharField(_("relationship"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    source = models.CharField(
        _("source"), max_length=12, choices=Source.choices, default=Source.SELF
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Which program's coordinator entered it (none for the person's own declaration). A
    # string reference: programs sits above profiles. A program deleted keeps the line.
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reporting_lines",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reporting line or conflict")
        verbose_name_plural = _("reporting lines and conflicts")
        ordering: ClassVar[list[str]] = ["-created_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=~models.Q(other=models.F("person")),
                name="reporting_line_not_to_oneself",
            ),
            models.CheckConstraint(
                condition=models.Q(other__isnull=False) | ~models.Q(other_email=""),
                name="reporting_line_names_someone",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["other_email"], name="reporting_line_email"),
        ]

    def __str__(self) -> str:
        return f"{self.person} / {self.named_other} ({self.get_kind_display()})"

    @property
    def by_coordinator(self) -> bool:
        return self.source == self.Source.COORDINATOR

    @property
    def named_other(self) -> str:
        """How whoever entered it named the other person: the address they typed, or the
        name of the person they picked. Never reveals whose account an address belongs to.
        For the declarer, or the coordinator who entered it; never for a member."""
        if self.other_email:
            return self.other_email
        return self.other.profile.name if self.other is not None else ""

    @property
    def other_label(self) -> str:
        """The other person as the line's ``person`` is shown them: whom they named for
        their own declaration; for a coordinator's line, only that a coordinator added it."""
        if self.by_coordinator:
            return str(self.coordinator_label)
        return self.named_other

    @property
    def coordinator_label(self) -> str:
        """ "Added by a coordinator of <program>" (the program's name, or no name when
        the program is gone)."""
        if self.program is not None:
            return str(_("Added by a coordinator of %(program)s") % {"program": self.program.name})
        return str(_("Added by a program coordinator"))

    @property
    def neutral_kind_label(self) -> str:
        """The kind in words that read the same from either side (a member on the other
        side of "Supervises me" is the supervisor)."""
        return str(NEUTRAL_KIND_LABELS.get(self.kind, self.get_kind_display()))


# How a coordinator names each kind of line they may enter (codes of the page and of the
# import's ``reporting_lines`` column), and the kind stored: ``person`` is supervised,
# directed or assessed by ``other``, or the two have a conflict of interest.
COORDINATOR_KINDS: dict[str, str] = {
    "supervisor": ReportingLine.Kind.SUPERVISOR,
    "program_director": ReportingLine.Kind.PROGRAM_DIRECTOR,
    "assessor": ReportingLine.Kind.EVALUATOR,
    "conflict": ReportingLine.Kind.CONFLICT,
}
COORDINATOR_KIND_LABELS: dict[str, StrOrPromise] = {
    "supervisor": _("Supervisor"),
    "program_director": _("Program director"),
    "assessor": pgettext_lazy("reporting line", "Assessor"),
    "conflict": _("Conflict of interest"),
}
NEUTRAL_KIND_LABELS: dict[str, StrOrPromise] = {
    ReportingLine.Kind.SUPERVISOR: _("Supervisor"),
    ReportingLine.Kind.EVALUATOR: pgettext_lazy("reporting line", "Assessor"),
    ReportingLine.Kind.PROGRAM_DIRECTOR: _("Program director"),
    ReportingLine.Kind.DEPARTMENT_HEAD: _("Department head"),
    ReportingLine.Kind.REPORTS_TO_ME: _("Supervisor or assessor"),
    ReportingLine.Kind.CONFLICT: _("Conflict of interest"),
}


def coordinator_kind_code(kind: str) -> str:
    """The coordinator's code for a stored kind ("evaluator" → "assessor")."""
    for code, stored in COORDINATOR_KINDS.items():
        if stored == kind:
            return code
    return kind


class Block(models.Model):
    """``blocker`` blocked ``blocked``: they never see, request or get proposed each other."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering: ClassVar[list[str]] = ["-created_at"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
            models.CheckConstraint(
                condition=~models.Q(blocked=models.F("blocker")), name="block_not_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blocker} blocked {self.blocked}"
