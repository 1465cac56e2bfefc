"""``medmentor serve``: the production web server (gunicorn), after collectstatic."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Collect static files, then serve with gunicorn (workers from WEB_CONCURRENCY)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "0.0.0.0"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--skip-collectstatic", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["skip_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        workers = os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1))
        var = Path(settings.VAR_DIR)
        var.mkdir(parents=True, exist_ok=True)
        # Replace this process with gunicorn so signals from the supervisor reach it. It
        # runs from this interpreter (no need for the virtualenv on PATH), and its control
        # socket lives under VAR_DIR, so two instances on one machine do not collide.
        os.execv(
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "medmentor.wsgi:application",
                "--bind",
                f"{options['host']}:{options['port']}",
                "--workers",
                workers,
                "--access-logfile",
                "-",
                "--forwarded-allow-ips",
                os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
                "--control-socket",
                str(var / f"gunicorn-{options['port']}.ctl"),
            ],
        )
