"""A person's calendar feed: the address a calendar app subscribes to.

The address holds a secret (``mm_cal_...``, :mod:`medmentor.core.bearer`) kept only as its
digest: it is shown once, when made. Resetting the address revokes the feed and makes a
new one; stopping revokes it. A person has at most one active feed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from medmentor.core.bearer import DIGEST_LENGTH


class CalendarFeed(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        verbose_name=_("owner"),
    )
    digest = models.CharField(max_length=DIGEST_LENGTH, unique=True, editable=False)
    hint = models.CharField(
        _("address begins"), max_length=16, help_text=_("The first characters of the secret.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_fetched_at = models.DateTimeField(_("last read by a calendar"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["owner"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_feed_one_active_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner} · {self.hint}…"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
