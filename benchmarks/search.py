"""Benchmark of the mentor search (issue 5), written to benchmarks/results/search.md.

Seeds 100,000 people with ``medmentor seed-demo`` (kept between runs: seeding is
idempotent) in a dedicated database per engine, then times the ten most common searches
of a signed-in mentee, each as the selector alone (database + matching engine) and as
the whole page through Django's test client, and counts the queries of each.

    python benchmarks/search.py [--people 100000] [--runs 30] [--engines sqlite,postgres]

PostgreSQL: ``BENCH_POSTGRES_URL`` (default
``postgres://postgres@127.0.0.1:5432/medmentor_bench_search``); the database is created
when missing and never shared with the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
BENCH_VAR = ROOT / "var" / "bench"
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/medmentor_bench_search"
)
SEARCHER = "bench-mentee@seed.medmentor.example"

# The ten most common searches: what a mentee does first (everything, ranked), the
# filters the search page shows first, alone and combined, the free text, a later page.
SEARCHES: list[tuple[str, dict[str, Any]]] = [
    ("everyone, ranked for me", {}),
    ("my specialty", {"specialty": "family-medicine"}),
    ("my province", {"province": "ON"}),
    ("speaks French", {"language": "fr"}),
    ("accepting now", {"accepting": True}),
    ("specialty + province + language", {"specialty": "family-medicine", "province": "QC",
                                         "language": "fr"}),
    ("interest + goal offered", {"interest": "physician-wellness", "goal": "work-life-balance"}),
    ("free text: sexual health", {"q": "sexual health"}),
    ("free text + accepting: cardiology", {"q": "cardiology", "accepting": True}),
    ("stage + modality, page 3", {"career_stage": "late-career", "modality": "virtual", "page": 3}),
]  # fmt: skip


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


# --- worker: runs inside Django with one database -----------------------------------


def _searcher() -> Any:
    from medmentor.accounts.models import User
    from medmentor.profiles.models import Profile
    from medmentor.profiles.services import (
        block_add,
        profile_get_or_create,
        profile_update_by_codes,
        reporting_line_add,
    )

    user = User.objects.filter(email=SEARCHER).first()
    if user is None:
        user = User.objects.create_user(SEARCHER, None, name="Dr. Bench Mentee")
    profile_update_by_codes(
        profile=profile_get_or_create(user=user),
        data={
            "display_name": "Dr. Bench Mentee",
            "career_stage": "resident-pgy2",
            "specialty": "family-medicine",
            "institution": "University of Ottawa",
            "province": "ON",
            "languages": ["en", "fr"],
            "interests": ["sexual-health", "physician-wellness"],
            "bio": "Resident looking for a mentor.",
            "is_mentee": True,
            "goals_sought": ["career-goals", "wellness"],
            "cadence": "monthly",
            "modality": "virtual",
            "time_zone": "America/Toronto",
            "prefers_same_language": 3,
        },
    )
    # A few reporting lines and blocks, as a real person has.
    others = list(Profile.objects.filter(is_mentor=True).order_by("id")[:8])
    for other in others[:5]:
        reporting_line_add(person=user, other=other.user, kind="evaluator")
    for other in others[5:]:
        block_add(blocker=other.user, blocked=user)
    return user


def _machine() -> dict[str, str]:
    from django.db import connection

    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GB"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "python": platform.python_version(),
        "database": f"{connection.vendor} {version}",
    }


def worker(people: int, runs: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from medmentor.profiles.models import Profile
    from medmentor.profiles.search import SearchFilters, search_mentors
    from medmentor.profiles.seed import seed_people

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    added = seed_people(people, seed=0)
    seeding = time.perf_counter() - started
    with connection.cursor() as cursor:
        # A database at rest: statistics fresh and, on PostgreSQL, the visibility map set
        # (what autovacuum does on its own), so index-only scans can be used.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    user = _searcher()
    client = Client()
    client.force_login(user)
    load_before = os.getloadavg()[0]
    rows = []
    for name, params in SEARCHES:
        filters = SearchFilters(**params)
        url = "/mentors/?" + urlencode(params)
        for _ in range(3):  # warm caches
            search_mentors(user, filters)
            client.get(url)
        selector, page = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            result = search_mentors(user, filters)
            selector.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            response = client.get(url)
            page.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as queries:
            search_mentors(user, filters)
        with CaptureQueriesContext(connection) as page_queries:
            client.get(url)
        rows.append(
            {
                "search": name,
                "params": params,
                "results": result.total,
                "ranked": result.ranked,
                "selector_median_ms": round(statistics.median(selector), 1),
                "selector_p95_ms": round(percentile(selector, 0.95), 1),
                "page_median_ms": round(statistics.median(page), 1),
                "page_p95_ms": round(percentile(page, 0.95), 1),
                "queries": len(queries),
                "page_queries": len(page_queries),
            }
        )
        print(f"  {name}: {rows[-1]}", flush=True)
    return {
        "people": Profile.objects.count(),
        "mentors_listed": Profile.objects.filter(is_mentor=True, is_complete=True).count(),
        "seeded": added,
        "seeding_s": round(seeding, 1),
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "runs": runs,
        "machine": _machine(),
        "rows": rows,
    }


# --- driver ---------------------------------------------------------------------------


def _ensure_postgres_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def run_django_worker(
    script: str,
    engine: str,
    args: list[str],
    *,
    name: str,
    var: Path,
    postgres_url: str,
    fresh_sqlite: bool = False,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run ``script --worker ARGS --out FILE`` in its own process on ``engine``'s
    database (PostgreSQL ``postgres_url``, created when missing, or SQLite
    ``var/<name>.sqlite3``, made afresh with ``fresh_sqlite``) and return the JSON it
    wrote. The benchmarks of imports and rounds run their Django work this way too."""
    var.mkdir(parents=True, exist_ok=True)
    if engine == "postgres":
        _ensure_postgres_database(postgres_url)
        url = postgres_url
    else:
        database = var / f"{name}.sqlite3"
        if fresh_sqlite:
            database.unlink(missing_ok=True)
        url = f"sqlite:///{database}"
    out = var / f"{name}-{engine}.json"
    child_env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "medmentor.settings",
        "VAR_DIR": str(var),
        "LOG_LEVEL": "WARNING",
        **(env or {}),
    }
    command = [sys.executable, script, "--worker", *args, "--out", str(out)]
    subprocess.run(command, env=child_env, check=True)
    return json.loads(out.read_text())


def run_engine(engine: str, people: int, runs: int) -> dict[str, Any]:
    args = ["--people", str(people), "--runs", str(runs)]
    env = {"ALLOWED_HOSTS": "testserver", "DEBUG": "true"}
    return run_django_worker(
        __file__, engine, args, name="search", var=BENCH_VAR, postgres_url=POSTGRES_URL, env=env
    )


def report(results: dict[str, dict[str, Any]], goal_ms: float) -> str:
    lines = ["# Mentor search benchmark", ""]
    first = next(iter(results.values()))
    machine = first["machine"]
    lines += [
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory']} RAM, "
        f"Python {machine['python']}.",
        "",
        f"{first['people']:,} profiles ({first['mentors_listed']:,} listed mentors) from "
        "`medmentor seed-demo`; the searcher is a signed-in PGY-2 family-medicine mentee "
        "with 5 reporting lines and 3 blocks, so every search is ranked by the matching "
        f"engine. {first['runs']} timed runs per search after 3 warm-up runs. *Selector*: "
        "`search_mentors()` (database + engine); *page*: the whole `/mentors/` page through "
        "Django's test client (session, search, template).",
        "",
    ]
    for data in results.values():
        lines += [
            f"## {data['machine']['database']}",
            "",
            (
                f"Seeded {data['seeded']:,} people in {data['seeding_s']} s."
                if data["seeded"]
                else "People seeded by an earlier run (seeding is idempotent)."
            )
            + f" Load average (1 min) before and after the timed runs: "
            f"{data['load'][0]} / {data['load'][1]} on {data['machine']['cores']} cores.",
            "",
            "| search | results | selector median | selector p95 | page median | page p95 "
            "| queries (selector / page) |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for row in data["rows"]:
            lines.append(
                f"| {row['search']} | {row['results']:,} | {row['selector_median_ms']} ms "
                f"| {row['selector_p95_ms']} ms | {row['page_median_ms']} ms "
                f"| {row['page_p95_ms']} ms | {row['queries']} / {row['page_queries']} |"
            )
        worst = max(row["page_p95_ms"] for row in data["rows"])
        verdict = "met" if worst < goal_ms else "not met"
        lines += ["", f"Worst page p95: {worst} ms (goal {goal_ms:.0f} ms: {verdict}).", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        sys.path.insert(0, str(ROOT / "src"))
        data = worker(args.people, args.runs)
        Path(args.out).write_text(json.dumps(data, indent=2))
        return 0
    # Engines not run this time keep their last results.
    previous = RESULTS / "search.json"
    results = json.loads(previous.read_text()) if previous.exists() else {}
    for engine in args.engines.split(","):
        print(f"== search on {engine}", flush=True)
        results[engine] = run_engine(engine, args.people, args.runs)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "search.json").write_text(json.dumps(results, indent=2))
    (RESULTS / "search.md").write_text(report(results, goal_ms=150))
    print((RESULTS / "search.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
