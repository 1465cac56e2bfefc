"""The ``medmentor`` command.

``medmentor match PEOPLE.csv`` runs the matching engine on a spreadsheet and needs no
database. Every other sub-command is a Django management command, so
``medmentor migrate``, ``medmentor demo`` or ``medmentor seed-demo`` (hyphens become
underscores) work from any directory once the package is installed.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "match":
        from medmentor.matching.cli import main as match_main

        return match_main(args[1:])

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medmentor.settings")
    from django.core.management import execute_from_command_line

    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["medmentor", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
