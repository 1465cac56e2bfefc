"""A coordinator's CSV upload, parsed and checked, kept between preview and confirm; and
the invitations its import sent."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medmentor.programs.models.programs import Program

# Long enough to read a preview and fix nothing; short enough that stale files go.
IMPORT_TTL = timedelta(hours=2)


def rows_checksum(rows: list[dict[str, Any]]) -> str:
    """SHA-256 of the rows in a canonical JSON form: what the preview showed is what the
    confirmation imports."""
    canonical = json.dumps(rows, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def import_expiry() -> Any:
    return timezone.now() + IMPORT_TTL


class ParticipantImport(models.Model):
    """The checked rows of one upload, for one program and the coordinator who sent it.

    Kept in the database rather than the session cookie: a file of a thousand rows is
    too big for a cookie, and the rows must not be editable by the browser.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="imports")
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    rows = models.JSONField(_("rows"), default=list)
    checksum = models.CharField(_("checksum"), max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=import_expiry)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "programs_participantimport"  # created in the programs app (decision 0036)
        ordering = ("-created_at", "id")
        verbose_name = _("participant import")
        verbose_name_plural = _("participant imports")
        indexes = [models.Index(fields=["program", "coordinator", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.program} · {self.file_name or self.uuid}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_intact(self) -> bool:
        return rows_checksum(self.rows) == self.checksum


class Invitation(models.Model):
    """The invitation e-mail an import sent to one person new to the site.

    The row is written in the transaction that sends the e-mail, and a person has one row
    per import: a retried task (the mail server failed at the 500th person, the worker
    died) sends the invitations still owed, never a second one."""

    participant_import = models.ForeignKey(
        ParticipantImport, on_delete=models.CASCADE, related_name="invitations"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("import invitation")
        verbose_name_plural = _("import invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["participant_import", "user"], name="import_invitation_once_a_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_import} · {self.user_id}"
