"""The rq backend, set up so that no job is lost when a worker dies in the middle of it.

How RQ (2.x, 3.x) treats a worker killed mid-job: the job sits in its queue's
``StartedJobRegistry`` with a deadline, which the worker pushes forward at each heartbeat
while it waits for its work horse (``Worker.maintain_heartbeats``, every
``job_monitoring_interval``). A worker killed with SIGKILL beats no more. Once the
deadline has passed, the next maintenance of any live worker (``clean_registries``, under
a lock so that one worker does it) runs ``StartedJobRegistry.cleanup``: the abandoned job
is put back on its queue if ``job.retries_left`` is above zero, else it is failed with an
``AbandonedJobError``. Out of the box a job has no retries, so it is lost; the deadline is
the monitoring interval + 60 s, maintenance runs every 10 minutes, and an idle worker
blocks up to 405 s waiting for work before it looks at maintenance.

Here every job gets ``TASKS_RETRIES`` retries (``RetryingQueue``), which also covers a job
that raised, and the deadline, the maintenance and the idle wait all follow
``TASKS_HEARTBEAT_SECONDS`` (``HeartbeatWorker``): a job whose worker falls silent for
three heartbeats is run again by another worker within about five.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_rq.queues import DjangoRQ
from rq import Retry
from rq.job import Job
from rq.worker import Worker


class RetryingQueue(DjangoRQ):
    """django-tasks' rq backend enqueues with no retry policy: every job gets ours."""

    def create_job(self, *args: Any, **kwargs: Any) -> Job:
        if kwargs.get("retry") is None and settings.TASKS_RETRIES:
            kwargs["retry"] = Retry(max=settings.TASKS_RETRIES)
        return super().create_job(*args, **kwargs)


class HeartbeatWorker(Worker):
    """RQ's forking worker with its clocks set by TASKS_HEARTBEAT_SECONDS (at the default
    30 s the deadline of a job is RQ's own: 90 s after the last heartbeat)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        beat = settings.TASKS_HEARTBEAT_SECONDS
        kwargs["job_monitoring_interval"] = beat
        kwargs["maintenance_interval"] = 2 * beat
        # An idle worker waits for work ``worker_ttl - 15`` s at a time, and looks at
        # maintenance only between two waits.
        kwargs["worker_ttl"] = 2 * beat + 15
        super().__init__(*args, **kwargs)

    def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
        """The deadline after a heartbeat: the next one, and two more of grace (RQ's
        fixed 60 s of grace would make a killed job wait a minute at any setting)."""
        beat = int(self.job_monitoring_interval)
        until_next = beat
        if job.timeout and job.timeout > 0:
            until_next = int(min(job.timeout - working_time, beat))
        return until_next + 2 * beat
