"""Ask programs to confirm listings not checked for a year; mark unverified those that
did not answer (run daily from cron when the workers do not schedule it themselves)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from medmentor.directory.services import listings_request_confirmation


class Command(BaseCommand):
    help = (
        "E-mail each program whose directory listing was not checked for a year a link to "
        "confirm it; mark unverified the listings whose program did not answer in 30 days."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(listings_request_confirmation())
