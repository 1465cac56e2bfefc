"""Notes and messages: confidential text, encrypted at rest, for the pair only."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from medmentor.mentorships.crypto import EncryptedTextField
from medmentor.mentorships.models.mentorship import Mentorship
from medmentor.mentorships.models.work import Meeting

NOTE_LIMIT = 20_000  # characters
MESSAGE_LIMIT = 5_000


class NoteVisibility(models.TextChoices):
    PRIVATE = "private", _("Private: only me")
    SHARED = "shared", _("Shared with my mentorship partner")


class Note(models.Model):
    """A private note (its author only, ever) or a shared note (the pair only)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    visibility = models.CharField(
        _("who can read it"), max_length=8, choices=NoteVisibility.choices
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notes",
        verbose_name=_("about the meeting"),
    )
    body = EncryptedTextField(_("note"))
    created_at = models.DateTimeField(_("written"))
    updated_at = models.DateTimeField(_("edited"))

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return f"{self.get_visibility_display()} · {self.created_at:%Y-%m-%d}"

    @property
    def is_private(self) -> bool:
        return self.visibility == NoteVisibility.PRIVATE


class Message(models.Model):
    """A message in the pair's conversation; ``read_at`` is the partner's read receipt."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = EncryptedTextField(_("message"))
    created_at = models.DateTimeField(_("sent"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["mentorship", "read_at"])]

    def __str__(self) -> str:
        return f"{self.author} · {self.created_at:%Y-%m-%d %H:%M}"
