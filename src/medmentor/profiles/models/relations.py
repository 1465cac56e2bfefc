"""Reporting lines, conflicts of interest and blocks: who must never be paired."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportingLine(models.Model):
    """A declared reporting line or conflict of interest between two people.

    Declared by ``person`` about ``other`` (a user) or ``other_email`` (someone not yet on
    the site: it counts as soon as an account with that verified address exists). Both
    directions count: neither may be proposed to, find or request the other.
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
        return f"{self.person} / {self.other_label} ({self.get_kind_display()})"

    @property
    def other_label(self) -> str:
        """How the declarer named the other person: the address they typed, or the name
        of the person they picked. Never reveals whose account an address belongs to."""
        if self.other_email:
            return self.other_email
        return self.other.profile.name if self.other is not None else ""


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
