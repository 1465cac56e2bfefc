"""The site's own bookkeeping: the periods of the periodic jobs the workers ran, and the
base of the logs nobody may rewrite."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicRun(models.Model):
    """One period of one periodic job, claimed by the worker that queued it. The unique
    (job, due_at) pair is the lock: however many workers run the scheduler, one claims
    each period and the others' inserts fail."""

    job = models.CharField(_("job"), max_length=100)
    due_at = models.DateTimeField(_("period starting"))
    claimed_by = models.CharField(_("claimed by"), max_length=200)
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")
        ordering = ["-due_at", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "due_at"], name="periodic_run_once_a_period")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.due_at:%Y-%m-%d %H:%M:%S}"


class AppendOnlyModel(models.Model):
    """A log written once: saving a row again or deleting it raises ``PermissionError``.

    Only rows one at a time are guarded; the deletions that follow a person's erasure or
    a retention period go through querysets (a cascade, a purge) on purpose."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError(f"{self._meta.label} is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(f"{self._meta.label} is append-only.")
