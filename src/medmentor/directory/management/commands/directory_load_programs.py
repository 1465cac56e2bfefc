"""Load (again) the programs MedMentor lists itself, after their facts were re-checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from medmentor.directory.known_programs import DATA, known_programs, load_known_programs
from medmentor.directory.models import Listing


class Command(BaseCommand):
    help = (
        "Create or update the directory's listings of known programs from their data file; "
        "a listing checked more recently on the site keeps what it says."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=DATA, help="The JSON file to load.")

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            result = load_known_programs(Listing, known_programs(options["file"]))
        self.stdout.write(
            f"{result.created} listing(s) created, {result.updated} updated, "
            f"{result.kept} kept (checked more recently on the site)."
        )
