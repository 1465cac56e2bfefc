"""A coordinator's letter recognising a mentor's contribution."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecognitionLetter(models.Model):
    """The figures are frozen when the letter is issued; the public page verifies them."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentor_name = models.CharField(_("mentor"), max_length=150)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    coordinator_name = models.CharField(_("coordinator"), max_length=150)
    issued_at = models.DateTimeField(_("issued"))
    mentees = models.PositiveIntegerField(_("mentees"))
    meetings = models.PositiveIntegerField(_("meetings"))
    hours = models.DecimalField(_("hours"), max_digits=7, decimal_places=2, default=Decimal(0))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))

    class Meta:
        ordering = ("-issued_at", "-id")
        verbose_name = _("letter of recognition")
        verbose_name_plural = _("letters of recognition")

    def __str__(self) -> str:
        return f"{self.mentor_name} · {self.issued_at:%Y-%m-%d}"
