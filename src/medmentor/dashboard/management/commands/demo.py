"""``medmentor demo``: migrate, load the demo data, print the logins and serve."""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from medmentor.core.site import server_url, site_url_follow_server
from medmentor.dashboard.demo import demo_build


def mail_destination() -> str:
    """Where the e-mails the site sends end up, as EMAIL_URL (or its default) says."""
    backend = settings.EMAIL_BACKEND
    if backend == "django.core.mail.backends.filebased.EmailBackend":
        # EMAIL_URL sets it through globals().update (settings.py), which django-stubs,
        # reading the settings module's names, cannot see.
        path = settings.EMAIL_FILE_PATH  # type: ignore[misc]
        return f"E-mails the site sends are written to {path}/."
    if backend == "django.core.mail.backends.console.EmailBackend":
        return "E-mails the site sends are printed here."
    if backend == "django.core.mail.backends.smtp.EmailBackend":
        return f"E-mails the site sends go out through {settings.EMAIL_HOST}:{settings.EMAIL_PORT}."
    return "E-mails the site sends are kept in memory (not saved)."


class Command(BaseCommand):
    help = "Prepare the demo database and serve the site (development server)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare the data and print the logins only."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        logins = demo_build()
        # Before the worker starts: it inherits the address for the links it e-mails.
        site_url_follow_server(options["host"], options["port"])
        url = server_url(options["host"], options["port"])
        self.stdout.write(self.style.SUCCESS(f"\nMedMentor demo: {url}/\n"))
        width = max(len(login.role) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.role:<{width}}  {login.email}  /  {login.password}")
        self.stdout.write(f"  {mail_destination()}\n")
        if options["no_serve"]:
            return
        worker = self._start_worker()
        # A plain `kill` (SIGTERM) then stops the worker too, as Ctrl-C does.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            call_command("runserver", f"{options['host']}:{options['port']}", use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=20)

    def _start_worker(self) -> subprocess.Popen[bytes] | None:
        """Background tasks (match rounds, e-mails) need a worker beside the web server."""
        if settings.TASKS_BACKEND == "immediate":
            return None
        self.stdout.write("  Background tasks run in a worker started beside the server.\n")
        return subprocess.Popen([sys.executable, "-m", "medmentor.cli", "worker"])
