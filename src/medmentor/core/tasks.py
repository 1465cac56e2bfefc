"""Background work of the site itself: one period of a periodic job, and the pruning of
the database queue's finished tasks."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus, task, task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

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


KEEP_TASK_RESULTS = timedelta(days=14)
KEEP_FAILED_TASK_RESULTS = timedelta(days=30)  # read longer (admin), to learn why they failed


def task_results_prune(now: datetime | None = None) -> str:
    """The database queue keeps a row for every task run (each e-mail, each webhook):
    finished ones go after two weeks, failed ones after a month. Other queues keep
    nothing to prune (RQ's results expire in Redis)."""
    backend = task_backends["default"]
    if not isinstance(backend, DatabaseBackend):
        return "no database queue"
    now = now or timezone.now()
    deleted, _by_model = (
        DBTaskResult.objects.finished()
        .filter(backend_name=backend.alias)
        .filter(
            Q(status=TaskResultStatus.SUCCESSFUL, finished_at__lte=now - KEEP_TASK_RESULTS)
            | Q(status=TaskResultStatus.FAILED, finished_at__lte=now - KEEP_FAILED_TASK_RESULTS)
        )
        .delete()
    )
    return f"{deleted} finished task(s) pruned"
