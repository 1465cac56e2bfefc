"""``medmentor seed-demo --people N``: add realistic demo people (see profiles.seed)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from medmentor.profiles.seed import seed_people


class Command(BaseCommand):
    help = "Create N realistic Canadian demo physicians, residents and students (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=300, help="How many people in all.")
        parser.add_argument("--seed", type=int, default=0, help="Same seed, same people.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()

        def progress(done: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"  {done} people")

        added = seed_people(options["people"], seed=options["seed"], progress=progress)
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {added} people ({options['people']} in all) in {seconds:.1f} s."
            )
        )
