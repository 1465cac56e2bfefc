"""What the site tells a person: kept in-site, and e-mailed if they want e-mail."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail and in-site")
    SITE = "site", _("In-site only")


class Preference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    channel = models.CharField(
        _("how to tell me"), max_length=8, choices=Channel.choices, default=Channel.EMAIL
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_channel_display()}"


class Notification(models.Model):
    """Rendered when it is created, in each of the site's languages: the site shows it in
    the language its reader uses at the time, the e-mail goes in the recipient's.

    ``title``, ``body`` and ``body_html`` hold the recipient's language (the e-mail, their
    export, and the fallback for rows older than ``texts``); ``texts`` holds every
    language, ``{"en": {"title": …, "body": …, "body_html": …}, "fr": {…}}``.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    texts = models.JSONField(_("texts in each language"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_wanted = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    # The people its text names, so that a person who leaves can be taken out of it.
    naming = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def _shown(self, field: str) -> str:
        """``field`` in the language active now, else as rendered for the recipient."""
        text = self.texts.get(translation.get_language() or "", {}).get(field)
        return str(text) if text is not None else str(getattr(self, field))

    @property
    def shown_title(self) -> str:
        return self._shown("title")

    @property
    def shown_body(self) -> str:
        return self._shown("body")
