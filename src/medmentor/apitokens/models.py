"""API tokens: a secret a person hands to a script, which then calls the API as them.

Only the SHA-256 digest of the secret is kept (``medmentor.core.bearer``); the plaintext is
shown once, on the page after creation. A token is personal, or scoped to one program (made
by a coordinator of that program, accepted only on operations that name it).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medmentor.core.bearer import DIGEST_LENGTH
from medmentor.programs.models import Program

PERSONAL_PREFIX = "mm_pat"
PROGRAM_PREFIX = "mm_prg"


class Scope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiToken(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("owner"),
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("program"),
    )
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices)
    digest = models.CharField(max_length=DIGEST_LENGTH, unique=True, editable=False)
    hint = models.CharField(_("begins with"), max_length=20)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def allows_writes(self) -> bool:
        return self.scope == Scope.WRITE
