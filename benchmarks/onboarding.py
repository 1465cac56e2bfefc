"""Benchmark of the profile's onboarding steps (issue 16), written to
benchmarks/results/onboarding.md.

Builds the demo (``medmentor demo``'s people, program and mentorship, with the seeded
people of ``seed_people``) in its own SQLite database under the development settings
(``DEBUG`` on, the database cache: what ``medmentor demo`` serves), then times each
step's GET and POST for the demo mentee through Django's test client (session, forms,
every query, the template), and counts the queries of each.

    python benchmarks/onboarding.py [--runs 20]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BENCH_VAR = HERE / "var"
MENTEE = "mentee@medmentor.demo"

# What the demo mentee posts at each step: her own answers, so a POST saves and moves on.
STEP_DATA: dict[str, dict[str, Any]] = {
    "about": {
        "display_name": "Dr. Amira Haddad",
        "career_stage": "resident-pgy2",
        "specialty": "family-medicine",
        "other_specialties": ["sexual-health-medicine", "public-health"],
        "institution": "University of Ottawa",
        "province": "ON",
        "city": "Ottawa",
        "languages": ["en", "fr"],
    },
    "roles": {
        "is_mentee": "on",
        "goals_sought": ["career-goals", "work-life-balance"],
        "seeking": "Choosing between a community practice and an academic career.",
    },
    "interests": {"interests": ["sexual-health", "public-health"], "bio": "Resident."},
    "availability": {
        "cadence": "monthly",
        "modality": "virtual",
        "time_zone": "America/Toronto",
        "prefers_same_language": "1",
        "prefers_other_institution": "0",
        "prefers_same_specialty": "0",
    },
    "privacy": {
        "gender": "woman",
        "prefers_same_gender": "3",
        "gender_visibility": "private",
        "pronouns_visibility": "members",
        "city_visibility": "private",
        "photo_visibility": "private",
        "identities_visibility": "private",
    },
}


def worker(runs: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from medmentor.accounts.models import User
    from medmentor.dashboard.demo import demo_build
    from medmentor.profiles.models import Profile, Specialty

    sys.path.insert(0, str(ROOT))
    from benchmarks.search import _machine

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    demo_build()
    # Other specialties by code as the taxonomy has them (the demo's may change).
    codes = list(Specialty.objects.filter(active=True).values_list("code", flat=True)[:2])
    STEP_DATA["about"]["other_specialties"] = codes
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(email=MENTEE))
    load_before = os.getloadavg()[0]
    rows = []
    for step, data in STEP_DATA.items():
        url = f"/profile/edit/{step}/"
        for _ in range(3):  # warm caches
            client.get(url)
            client.post(url, data)
        timings: dict[str, list[float]] = {"GET": [], "POST": []}
        queries: dict[str, int] = {}
        for _ in range(runs):
            for method in ("GET", "POST"):
                send = client.get if method == "GET" else client.post
                args = (url,) if method == "GET" else (url, data)
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = send(*args)
                    timings[method].append((time.perf_counter() - started) * 1000)
                expected = 200 if method == "GET" else 302
                assert response.status_code == expected, (step, method, response.status_code)
                queries[method] = len(captured)
        for method, values in timings.items():
            rows.append(
                {
                    "step": step,
                    "method": method,
                    "median_ms": round(statistics.median(values), 1),
                    "max_ms": round(max(values), 1),
                    "queries": queries[method],
                }
            )
            print(f"  {rows[-1]}", flush=True)
    return {
        "people": Profile.objects.count(),
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "runs": runs,
        "machine": _machine(),
        "rows": rows,
    }


def report(result: dict[str, Any]) -> str:
    machine = result["machine"]
    lines = [
        "# Onboarding steps (issue 16)",
        "",
        f"{result['people']:,} profiles (the demo), SQLite, development settings; "
        f"{result['runs']} runs per request after 3 warm-ups; load average "
        f"{result['load'][0]} to {result['load'][1]}.",
        f"Machine: {machine['cores']} cores ({machine['cpu']}), {machine['memory']}, "
        f"Python {machine['python']}, {machine['database']}.",
        "",
        "| step | request | median ms | max ms | queries |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for row in result["rows"]:
        lines.append(
            f"| {row['step']} | {row['method']} | {row['median_ms']} | {row['max_ms']} "
            f"| {row['queries']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        Path(args.out).write_text(json.dumps(worker(args.runs), indent=1))
        return 0
    sys.path.insert(0, str(ROOT))
    from benchmarks.search import run_django_worker

    result = run_django_worker(
        __file__,
        "sqlite",
        ["--runs", str(args.runs)],
        name="onboarding",
        var=BENCH_VAR,
        postgres_url="",
        fresh_sqlite=True,
        env={"DEBUG": "true", "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])},
    )
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "onboarding.json").write_text(json.dumps(result, indent=1))
    (HERE / "results" / "onboarding.md").write_text(report(result))
    print(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
