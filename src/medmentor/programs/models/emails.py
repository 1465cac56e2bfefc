"""A program's own wording of the e-mails it sends (invitation, round published,
reminders). No row: the default wording; a field left blank: the default for it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from medmentor.programs.models.programs import Program

SUBJECT_MAX = 200
BODY_MAX = 5000


class EmailKey(models.TextChoices):
    INVITATION = "invitation", _("Invitation to join")
    ROUND_PUBLISHED = "round_published", _("Match round published")
    CHECKIN_REMINDER = "checkin_reminder", _("Check-in reminder")


class ProgramEmail(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="emails")
    key = models.CharField(_("e-mail"), max_length=40, choices=EmailKey.choices)
    subject_en = models.CharField(_("subject (English)"), max_length=SUBJECT_MAX, blank=True)
    body_en = models.TextField(_("text (English)"), max_length=BODY_MAX, blank=True)
    subject_fr = models.CharField(_("subject (French)"), max_length=SUBJECT_MAX, blank=True)
    body_fr = models.TextField(_("text (French)"), max_length=BODY_MAX, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("program e-mail")
        verbose_name_plural = _("program e-mails")
        constraints = [
            models.UniqueConstraint(fields=["program", "key"], name="program_email_one_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.program} · {self.key}"

    def text(self, field: str, language: str) -> str:
        """``subject`` or ``body`` in ``language`` as the coordinator wrote it ('' = default)."""
        return str(getattr(self, f"{field}_{language[:2]}", "") or "")
