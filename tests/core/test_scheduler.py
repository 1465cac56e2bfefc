"""The periodic jobs the workers run themselves: each period once, however many workers
run the scheduler, and still when one of them is killed."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rq import Queue
from rq.job import Job
from rq.registry import FinishedJobRegistry
from rq.worker import Worker

from medmentor.core.models import PeriodicRun
from medmentor.core.scheduler import (
    PeriodicJob,
    period_start,
    periods_claim,
    seconds_to_next_period,
)
from medmentor.directory.models import Submission, SubmissionState
from tests.concurrency import at_once, postgresql_only
from tests.core.test_settings import PRODUCTION, medmentor
from tests.core.test_workers import Workers, redis_or_skip, wait_until
from tests.directory.factories import SubmissionFactory
from tests.factories import UserFactory, logged_in_client

RUN_TASK = "medmentor.core.tasks.run_periodic_job"
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_periods_count_from_the_epoch_so_every_worker_agrees_on_them():
    every = timedelta(minutes=15)
    assert period_start(NOON + timedelta(minutes=14, seconds=59), every) == NOON
    assert period_start(NOON + timedelta(minutes=15), every) == NOON + every
    fifteen_minutes = PeriodicJob(name="remind", every=every)
    assert seconds_to_next_period(NOON + timedelta(minutes=14, seconds=30), [fifteen_minutes]) == 30
    assert seconds_to_next_period(NOON, [fifteen_minutes]) == 60  # wakes once a minute at least


@pytest.mark.django_db
def test_a_period_is_claimed_and_run_once_by_two_workers_and_the_next_one_again():
    first = periods_claim(now=NOON + timedelta(minutes=3), claimed_by="host-a:1")
    second = periods_claim(now=NOON + timedelta(minutes=4), claimed_by="host-b:2")

    assert {run.job for run in first} == {
        "remind",
        "directory_purge",
        "directory_upkeep",
        "webhooks",
        "tasks_prune",
    }
    assert second == []
    remind = PeriodicRun.objects.get(job="remind")
    assert (remind.due_at, remind.claimed_by) == (NOON, "host-a:1")
    assert remind.finished_at is not None  # the tests run tasks at once
    assert remind.outcome == "nothing due"

    later = periods_claim(now=NOON + timedelta(minutes=15), claimed_by="host-b:2")
    # The directory's jobs and the pruning are daily.
    assert [run.job for run in later] == ["remind", "webhooks"]
    assert PeriodicRun.objects.filter(job="remind").count() == 2


@pytest.mark.django_db
def test_the_purge_deletes_expired_submissions_from_the_scheduler():
    """A job the scheduler runs does its work: here the directory's daily purge."""
    stale = SubmissionFactory(
        state=SubmissionState.UNCONFIRMED, created_at=timezone.now() - timedelta(days=60)
    )
    with override_settings(PERIODIC_JOBS={"directory_purge": DIRECTORY_PURGE}):
        periods_claim(now=NOON, claimed_by="host-a:1")
    assert not Submission.objects.filter(pk=stale.pk).exists()
    assert PeriodicRun.objects.get(job="directory_purge").outcome == "1"


DIRECTORY_PURGE = ("medmentor.directory.services.submissions_purge_unconfirmed", 86400)


@pytest.mark.django_db
def test_staff_read_the_runs_in_the_admin_and_cannot_change_them():
    periods_claim(now=NOON, claimed_by="host-a:1")
    run = PeriodicRun.objects.get(job="remind")
    staff = logged_in_client(UserFactory(is_staff=True, is_superuser=True))
    listing = staff.get(reverse("admin:core_periodicrun_changelist"))
    assert listing.status_code == 200
    assert "host-a:1" in listing.content.decode()
    assert staff.get(reverse("admin:core_periodicrun_change", args=[run.pk])).status_code == 200
    delete = reverse("admin:core_periodicrun_delete", args=[run.pk])
    assert staff.post(delete, {"post": "yes"}).status_code == 403
    assert staff.get(reverse("admin:core_periodicrun_add")).status_code == 403
    assert PeriodicRun.objects.filter(pk=run.pk, claimed_by="host-a:1").exists()
    person = logged_in_client(UserFactory())
    assert person.get(reverse("admin:core_periodicrun_changelist")).status_code == 302


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_claiming_a_period_at_the_same_instant_queue_it_once():
    postgresql_only()
    claims = at_once(
        lambda: periods_claim(now=NOON, claimed_by="host-a:1"),
        lambda: periods_claim(now=NOON, claimed_by="host-b:2"),
    )
    assert not [claim for claim in claims if isinstance(claim, Exception)]
    assert sorted(run.job for claim in claims for run in claim) == [
        "directory_purge",
        "directory_upkeep",
        "remind",
        "tasks_prune",
        "webhooks",
    ]
    assert PeriodicRun.objects.count() == 5


PERIOD = 3  # seconds, for remind; the purge keeps its day


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("backend", ["rq", "db"])
def test_two_workers_run_each_period_once_and_one_left_carries_on(backend, tmp_path):
    postgresql_only()
    url = os.environ.get("TEST_SCHEDULER_REDIS_URL", "redis://127.0.0.1:6379/15")
    server = redis_or_skip(url)
    settings = {"SCHEDULER_REMIND_SECONDS": str(PERIOD)}
    if backend == "db":
        # No autoreloading parent process (DEBUG's default for db_worker), as in production.
        settings |= {
            "TASKS_BACKEND": "db",
            "DEBUG": "false",
            "SECRET_KEY": "test-secret-key-" + "x" * 40,
            "NOTES_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        }
    with Workers(tmp_path, url, **settings) as group:
        first, second = group.start(), group.start()
        wait_until(
            lambda: (
                PeriodicRun.objects.filter(job="remind", finished_at__isnull=False).count() >= 3
                and (backend == "db" or len(Worker.all(connection=server)) == 2)
            ),
            seconds=40,
            what="three periods of remind, both workers up",
            logs=group,
        )
        steady_from = datetime.now(UTC)  # both workers up (a period may pass as they start)
        group.kill(first.pid)
        killed_at = datetime.now(UTC)
        checked_until = killed_at + timedelta(seconds=3 * PERIOD)

        def periods_checked() -> list[PeriodicRun]:
            runs = PeriodicRun.objects.filter(
                job="remind", due_at__gte=steady_from - timedelta(seconds=PERIOD)
            ).filter(due_at__lte=checked_until)
            return list(runs.order_by("due_at")) if checked_until < datetime.now(UTC) else []

        def lost(runs: list[PeriodicRun]) -> int:
            return sum(1 for run in runs if not run.finished_at)

        # django-tasks-db leaves the task a killed worker had RUNNING for good: at most one.
        lost_at_most = 0 if backend == "rq" else 1
        wait_until(
            lambda: (runs := periods_checked()) and lost(runs) <= lost_at_most,
            seconds=40,
            what="the periods run, that of the killed worker again (rq)",
            logs=group,
        )

    runs = periods_checked()
    due = [run.due_at for run in runs]
    assert due == [due[0] + timedelta(seconds=PERIOD * k) for k in range(len(due))]  # no gap
    after_the_kill = [run for run in runs if run.due_at > killed_at]
    assert len(after_the_kill) >= 2
    assert {run.claimed_by.rsplit(":", 1)[1] for run in after_the_kill} == {str(second.pid)}
    assert PeriodicRun.objects.filter(job="directory_purge").count() == 1  # its one day
    finished_runs = PeriodicRun.objects.filter(finished_at__isnull=False).count()
    if backend == "rq":
        finished = FinishedJobRegistry(queue=Queue("default", connection=server))
        jobs = Job.fetch_many(finished.get_job_ids(), connection=server)
        ran = [job for job in jobs if job and job.func_name == RUN_TASK]
        assert len(ran) == finished_runs  # each claimed period queued once and run once
    else:
        results = DBTaskResult.objects.filter(task_path=RUN_TASK)
        assert results.count() == PeriodicRun.objects.count()  # each period queued once
        # ... and run once: the killed worker may have finished its run but not marked
        # its task, which django-tasks-db then leaves RUNNING.
        succeeded = results.filter(status="SUCCESSFUL").count()
        assert finished_runs - 1 <= succeeded <= finished_runs


@pytest.mark.parametrize(
    ("variable", "value", "error"),
    [
        ("SCHEDULER", "sometimes", "SCHEDULER must be true or false, not 'sometimes'"),
        ("SCHEDULER_REMIND_SECONDS", "0", "SCHEDULER_REMIND_SECONDS must be at least 1, not 0"),
        ("TASKS_HEARTBEAT_SECONDS", "1m", "TASKS_HEARTBEAT_SECONDS must be a whole number"),
        ("TASKS_RETRIES", "-1", "TASKS_RETRIES must be at least 0, not -1"),
    ],
)
def test_a_bad_scheduler_or_worker_setting_stops_start_up_naming_it(variable, value, error):
    result = medmentor("check", **{**PRODUCTION, variable: value})
    assert result.returncode != 0
    assert error in result.stderr
