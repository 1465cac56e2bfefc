"""``medmentor worker``: runs background tasks with the configured backend."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the background-task worker for TASKS_BACKEND (db or rq)."

    def handle(self, *args: Any, **options: Any) -> None:
        backend = settings.TASKS_BACKEND
        if backend == "db":
            call_command("db_worker")
        elif backend == "rq":
            call_command("rqworker", "default")
        else:
            raise CommandError(f"TASKS_BACKEND={backend} runs tasks in-process; no worker needed")
