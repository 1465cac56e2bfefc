"""Periodic jobs run by the workers themselves, once a period however many workers run.

Every ``medmentor worker`` runs a ``Scheduler`` thread. At the start of each period of
each job (``settings.PERIODIC_JOBS``), every scheduler tries to claim it by inserting a
``PeriodicRun`` row; the unique (job, period) pair lets one insert through and the
others fail, so the period is queued once, as the ``run_periodic_job`` task, and runs on
whichever worker takes it (with the queue's retries if that worker dies). Periods count
from the Unix epoch, so all workers agree on them without talking to each other. A
period in which no worker runs is skipped, not made up: the jobs catch up on their own
(``remind`` sends whatever is due, however late).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from medmentor.core.models import PeriodicRun
from medmentor.core.tasks import run_periodic_job

logger = logging.getLogger(__name__)

KEEP_RUNS = timedelta(days=30)  # the record of runs (admin), then deleted
LONGEST_SLEEP = 60.0  # seconds: wakes at least this often, whatever the periods


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta


def periodic_jobs() -> list[PeriodicJob]:
    return [
        PeriodicJob(name=name, every=timedelta(seconds=seconds))
        for name, (_function_path, seconds) in settings.PERIODIC_JOBS.items()
    ]


def period_start(now: datetime, every: timedelta) -> datetime:
    """The start of the period ``now`` falls in, periods counted from the Unix epoch."""
    seconds = every.total_seconds()
    return datetime.fromtimestamp(now.timestamp() // seconds * seconds, tz=UTC)


def seconds_to_next_period(now: datetime, jobs: list[PeriodicJob]) -> float:
    starts = [period_start(now, job.every) + job.every for job in jobs]
    return max(0.0, min([(start - now).total_seconds() for start in starts] + [LONGEST_SLEEP]))


def periods_claim(*, now: datetime, claimed_by: str) -> list[PeriodicRun]:
    """Claim and queue the current period of each job nobody has claimed yet. Returns the
    runs this caller claimed."""
    claimed = []
    for job in periodic_jobs():
        due_at = period_start(now, job.every)
        runs = PeriodicRun.objects.filter(job=job.name)
        if runs.filter(due_at=due_at).exists():  # the usual case, without a failed insert
            continue
        try:
            with transaction.atomic():
                run = runs.create(job=job.name, due_at=due_at, claimed_by=claimed_by)
                # Queued inside the claim, not on commit: if the queue refuses it (Redis
                # away), the claim is undone and the next tick claims the period again.
                run_periodic_job.enqueue(run.pk)
        except IntegrityError:  # another worker claimed it between the check and here
            continue
        runs.filter(due_at__lt=now - KEEP_RUNS).delete()
        claimed.append(run)
    return claimed


class Scheduler(threading.Thread):
    """Claims the periods as they begin, in the background of a worker process."""

    def __init__(self, *, claimed_by: str) -> None:
        super().__init__(name="medmentor-scheduler", daemon=True)
        self.claimed_by = claimed_by
        self.stopping = threading.Event()

    def run(self) -> None:
        jobs = periodic_jobs()
        while not self.stopping.is_set():
            try:
                for run in periods_claim(now=timezone.now(), claimed_by=self.claimed_by):
                    logger.info("Queued %s for the period from %s", run.job, run.due_at)
            except Exception:
                # The database or Redis away: the thread lives on, and the next wake-up
                # claims the period instead.
                logger.exception("Could not claim the periodic jobs")
            finally:
                connection.close()  # the thread's own connection: none held while asleep
            self.stopping.wait(seconds_to_next_period(timezone.now(), jobs) + 0.05)

    def stop(self) -> None:
        self.stopping.set()
