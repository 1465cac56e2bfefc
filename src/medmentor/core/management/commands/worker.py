"""``medmentor worker``: runs background tasks with the configured backend, and the
periodic jobs (medmentor.core.scheduler) unless SCHEDULER is false."""

from __future__ import annotations

import os
import socket
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

from medmentor.core.scheduler import Scheduler


class Command(BaseCommand):
    help = "Run the background-task worker for TASKS_BACKEND (db or rq) and the periodic jobs."

    def handle(self, *args: Any, **options: Any) -> None:
        backend = settings.TASKS_BACKEND
        if backend not in ("db", "rq"):
            raise CommandError(f"TASKS_BACKEND={backend} runs tasks in-process; no worker needed")
        # In development db_worker reloads on code changes: a parent process watches and
        # restarts a child that does the work. Only the child runs the scheduler.
        reloader_parent = (
            backend == "db" and settings.DEBUG and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        )
        scheduler = None
        if settings.SCHEDULER and not reloader_parent:
            scheduler = Scheduler(claimed_by=f"{socket.gethostname()}:{os.getpid()}")
            scheduler.start()
        try:
            if backend == "db":
                call_command("db_worker")
            else:
                call_command(
                    "rqworker",
                    "default",
                    worker_class="medmentor.core.redis_queue.HeartbeatWorker",
                    # The job class that calls a django-tasks Task (RQ's own calls a function).
                    job_class="django_tasks_rq.backend.Job",
                )
        finally:
            # A worker that stops taking tasks claims no more periods: the others will.
            if scheduler is not None:
                scheduler.stop()
                scheduler.join(timeout=10)
