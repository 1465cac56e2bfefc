"""The database queue forgets finished tasks: successes after two weeks, failures after a
month; tasks still waiting or running are never touched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from medmentor.core.tasks import run_periodic_job, task_results_prune

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def task_finished(days_ago: int, *, failed: bool = False) -> DBTaskResult:
    """A task the worker ran ``days_ago`` days before NOW, as the worker records it."""
    with time_machine.travel(NOW - timedelta(days=days_ago), tick=False):
        row = DBTaskResult.objects.get(id=run_periodic_job.enqueue(0).id)
        row.claim("worker-1")
        if failed:
            row.set_failed(RuntimeError("the mail server hung up"))
        else:
            row.set_successful("")
    return row


@override_settings(TASKS=DATABASE_QUEUE)
def test_finished_tasks_go_after_their_time_and_waiting_ones_stay():
    recent = task_finished(13)
    task_finished(15)
    recent_failure = task_finished(29, failed=True)
    task_finished(31, failed=True)
    with time_machine.travel(NOW - timedelta(days=90), tick=False):
        waiting = DBTaskResult.objects.get(id=run_periodic_job.enqueue(0).id)

    with time_machine.travel(NOW, tick=False):
        assert task_results_prune() == "2 finished task(s) pruned"

    kept = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert kept == {recent.pk, recent_failure.pk, waiting.pk}


def test_without_a_database_queue_there_is_nothing_to_prune():
    assert task_results_prune() == "no database queue"
