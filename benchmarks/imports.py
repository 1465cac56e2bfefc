"""Benchmark of the participant CSV import, written to benchmarks/results/imports.md.

A coordinator's two steps, through the services the pages call: *check* (parse and
check every row, keep the rows for the preview: ``import_prepare``) and *import* (one
transaction: accounts, profiles, memberships, invitations queued: ``import_confirm``),
for files of 200, 1,000 and 5,000 new people, then the same file again (every row an
update that changes nothing). Invitations are queued for the worker (the database task
backend), as in production; sending them is not timed.

    python benchmarks/imports.py [--sizes 200,1000,5000] [--postgres]

SQLite: ``benchmarks/var/imports.sqlite3`` (made afresh). PostgreSQL (``--postgres``):
``BENCH_IMPORTS_POSTGRES_URL`` (default ``postgres://postgres@127.0.0.1:5432/bench_imports``),
emptied of earlier imported people first.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BENCH_VAR = HERE / "var"
POSTGRES_URL = os.environ.get(
    "BENCH_IMPORTS_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bench_imports"
)
DOMAIN = "bench-import.example.org"


def _timed(step: Any) -> tuple[Any, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        value = step()
        elapsed = time.perf_counter() - started
    return value, round(elapsed, 3), len(queries)


def worker(sizes: list[int]) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command

    from medmentor.accounts.models import User
    from medmentor.imports.services import import_confirm, import_prepare
    from medmentor.programs.models import Program
    from medmentor.programs.services.enrolment import coordinator_add
    from tests.imports.import_data import participants_csv

    call_command("migrate", interactive=False, verbosity=0)
    sys.path.insert(0, str(ROOT))
    from benchmarks.search import _machine

    User.objects.filter(email__endswith=f"@{DOMAIN}").delete()
    coordinator, _ = User.objects.get_or_create(
        email=f"coordinator@{DOMAIN}", defaults={"name": "Bench Coordinator"}
    )
    load_before = os.getloadavg()[0]
    rows = []
    for size in sizes:
        Program.objects.filter(name_en=f"Import benchmark {size}").delete()
        program = Program.objects.create(
            name_en=f"Import benchmark {size}", audience="mixed", region="ON"
        )
        coordinator_add(program=program, user=coordinator)
        data = participants_csv(size, domain=DOMAIN, start=size * 10)
        for attempt in ("new people", "the same file again"):
            batch, check_s, check_q = _timed(
                partial(import_prepare, program=program, coordinator=coordinator, data=data)
            )
            outcome, import_s, import_q = _timed(
                partial(import_confirm, batch=batch, by=coordinator)
            )
            row = {
                "rows": size,
                "file": attempt,
                "bytes": len(data),
                "check_s": check_s,
                "check_queries": check_q,
                "import_s": import_s,
                "import_queries": import_q,
                "invited": outcome.invited,
            }
            rows.append(row)
            print(f"  {row}", flush=True)
    return {
        "rows": rows,
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "machine": _machine(),
    }


def run_engine(engine: str, sizes: list[int]) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from benchmarks.search import run_django_worker

    return run_django_worker(
        __file__,
        engine,
        ["--sizes", ",".join(map(str, sizes))],
        name="imports",
        var=BENCH_VAR,
        postgres_url=POSTGRES_URL,
        fresh_sqlite=True,
        env={
            "TASKS_BACKEND": "db",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        },
    )


def report(results: dict[str, dict[str, Any]]) -> str:
    machine = next(iter(results.values()))["machine"]
    lines = [
        "# Participant import benchmark",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory']} RAM, "
        f"Python {machine['python']}.",
        "",
        "Files from `tests/imports/import_data.py` (every fifth person a mentor, every "
        "tenth both). *Check*: parse and check every row, keep them for the preview. "
        "*Import*: the all-or-nothing transaction, invitations queued. One run each.",
        "",
    ]
    for data in results.values():
        lines += [
            f"## {data['machine']['database']}",
            "",
            f"Load average (1 min) before and after: {data['load'][0]} / {data['load'][1]} "
            f"on {data['machine']['cores']} cores.",
            "",
            "| rows | file | check | queries | import | queries | invited |",
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        lines += [
            f"| {r['rows']:,} | {r['file']} | {r['check_s']} s | {r['check_queries']} "
            f"| {r['import_s']} s | {r['import_queries']} | {r['invited']:,} |"
            for r in data["rows"]
        ]
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,1000,5000")
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    if args.worker:
        Path(args.out).write_text(json.dumps(worker(sizes), indent=1))
        return 0
    engines = ["sqlite", "postgres"] if args.postgres else ["sqlite"]
    results = {engine: run_engine(engine, sizes) for engine in engines}
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "imports.json").write_text(json.dumps(results, indent=1))
    (HERE / "results" / "imports.md").write_text(report(results))
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
