"""Refresh the French catalogue from the code and templates (needs GNU gettext)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run makemessages for French over the whole package, without line numbers."

    def handle(self, *args: Any, **options: Any) -> None:
        os.chdir(settings.PACKAGE_DIR)
        call_command(
            "makemessages",
            locale=["fr"],
            add_location="file",
            no_obsolete=True,
            ignore_patterns=["static/*", "migrations/*"],
            verbosity=options["verbosity"],
        )
