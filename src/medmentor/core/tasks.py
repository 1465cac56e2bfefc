"""Background work of the site itself: one period of a periodic job."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from medmentor.core.models import PeriodicRun


@task()
def run_periodic_job(run_id: int) -> str:
    """Run the job of a claimed period and record what it did. A retried or duplicated
    task finds the period finished and does nothing; a run cut short (its worker killed)
    is run again whole, which the jobs allow: each sends only what it has not sent."""
    run = PeriodicRun.objects.filter(pk=run_id, finished_at__isnull=True).first()
    if run is None or run.job not in settings.PERIODIC_JOBS:
        return ""
    function_path, _seconds = settings.PERIODIC_JOBS[run.job]
    outcome = str(import_string(function_path)())
    PeriodicRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), outcome=outcome)
    return outcome
