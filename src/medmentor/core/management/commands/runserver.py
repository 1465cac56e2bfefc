"""``medmentor runserver``: Django's development server (static files by whitenoise),
whose links in e-mails and calendar files point at the address it serves."""

from __future__ import annotations

from typing import Any

from whitenoise.runserver_nostatic.management.commands.runserver import (
    Command as RunserverCommand,
)

from medmentor.core.site import site_url_follow_server


class Command(RunserverCommand):
    def inner_run(self, *args: Any, **options: Any) -> None:
        # Here rather than in handle(): with the autoreloader, this is the serving process.
        site_url_follow_server(self.addr, self.port)
        super().inner_run(*args, **options)
