"""Benchmark of a match round end to end (issue 6), written to benchmarks/results/round.md.

Seeds (idempotently, with bulk inserts) a program of 5,000 participants, 3,900 mentees
and 1,100 mentors, chosen among realistic people from the profiles app's seeding
(``medmentor seed-demo``: career stages, specialties, languages, capacities 1-5), with an
intake question used in matching and reporting lines for 2 % of the mentees. Then runs
rounds through the real path, ``round_start`` and its background task (in-process),
database to proposals stored, and reads the time split the round records: loading (pool
and profiles -> engine input), engine (``solve``) and storing (``bulk_create``).

    python benchmarks/round.py [--mentees 3900] [--mentors 1100] [--runs 3] [--postgres]

SQLite: ``benchmarks/var/round.sqlite3``. PostgreSQL (``--postgres``):
``BENCH_ROUND_POSTGRES_URL`` (default ``postgres://postgres@127.0.0.1:5432/bench_round``),
created when missing and never shared with the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
BENCH_VAR = HERE / "var"
POSTGRES_URL = os.environ.get(
    "BENCH_ROUND_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bench_round"
)
SEED = 6  # the profiles seeding's seed: its own people, apart from other benchmarks
PROGRAM_NAME = "Benchmark match round program"
COORDINATOR = "bench-round-coordinator@seed.medmentor.example"
LINE_NOTE = "bench-round"


# --- worker: runs inside Django with one database -----------------------------------


def _seed(mentees: int, mentors: int) -> dict[str, Any]:
    """The program, its coordinator and participants; a second run adds nothing."""
    from medmentor.accounts.models import User
    from medmentor.profiles.models import Profile, ReportingLine
    from medmentor.profiles.seed import seed_people
    from medmentor.programs.models import IntakeQuestion, Membership, Program, Role, Status

    started = time.perf_counter()
    people = max(2 * (mentees + mentors), 10_000)
    added = 0
    while True:
        added += seed_people(people, seed=SEED)
        seeded = Profile.objects.filter(user__email__endswith=f".s{SEED}@seed.medmentor.example")
        mentor_ids = list(
            seeded.filter(is_mentor=True).order_by("id").values_list("user_id", flat=True)
        )[:mentors]
        taken = set(mentor_ids)
        mentee_ids = [
            uid
            for uid in seeded.filter(is_mentee=True)
            .order_by("id")
            .values_list("user_id", flat=True)
            if uid not in taken
        ][:mentees]
        if len(mentor_ids) == mentors and len(mentee_ids) == mentees:
            break
        people *= 2
    program, _ = Program.objects.get_or_create(
        name_en=PROGRAM_NAME,
        defaults={"audience": "mixed", "region": "ON", "seniority_rule": "senior"},
    )
    coordinator = User.objects.filter(email=COORDINATOR).first() or User.objects.create_user(
        COORDINATOR, None, name="Bench Coordinator"
    )
    choices = [{"code": "en", "en": "English", "fr": "Anglais"},
               {"code": "fr", "en": "French", "fr": "Français"}]  # fmt: skip
    wish, _ = IntakeQuestion.objects.get_or_create(
        program=program, role=Role.MENTEE, text_en="Mentoring in",
        defaults={"choices": choices, "matching_weight": 25, "matching_rule": "covers"},
    )  # fmt: skip
    offer, _ = IntakeQuestion.objects.get_or_create(
        program=program, role=Role.MENTOR, text_en="I can mentor in",
        defaults={"choices": choices, "kind": "multiple"},
    )  # fmt: skip
    language = dict(
        User.objects.filter(pk__in=mentee_ids + mentor_ids).values_list("pk", "language")
    )
    rng = random.Random(SEED)

    def member(uid: int, role: str) -> Membership:
        if role == Role.MENTEE:
            answers = {str(wish.uuid): [language[uid] or "en"]}
        else:
            spoken = ["en", "fr"] if rng.random() < 0.3 else [language[uid] or "en"]
            answers = {str(offer.uuid): spoken}
        return Membership(
            program=program, user_id=uid, role=role, status=Status.ACTIVE, answers=answers
        )

    rows = [member(uid, Role.MENTEE) for uid in mentee_ids]
    rows += [member(uid, Role.MENTOR) for uid in mentor_ids]
    rows.append(Membership(program=program, user=coordinator, role=Role.COORDINATOR,
                           status=Status.ACTIVE))  # fmt: skip
    Membership.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    if not ReportingLine.objects.filter(note=LINE_NOTE).exists():
        lines = [
            ReportingLine(
                person_id=uid, other_id=rng.choice(mentor_ids), kind="supervisor", note=LINE_NOTE
            )
            for uid in rng.sample(mentee_ids, len(mentee_ids) // 50)
        ]
        ReportingLine.objects.bulk_create(lines)
    return {
        "program": program,
        "coordinator": coordinator,
        "people_added": added,
        "seeding_s": round(time.perf_counter() - started, 1),
    }


def _machine() -> dict[str, str]:
    sys.path.insert(0, str(ROOT))
    from benchmarks.search import _machine as machine

    return machine()


def worker(mentees: int, mentors: int, runs: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from medmentor.matchrounds.models import MatchRound, Proposal, UnmatchedEntry
    from medmentor.matchrounds.roundinputs import pool_of, round_inputs
    from medmentor.matchrounds.services.run import round_start

    call_command("migrate", interactive=False, verbosity=0)
    seeded = _seed(mentees, mentors)
    program, coordinator = seeded["program"], seeded["coordinator"]
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    # Timed runs without the query log (DEBUG would record every query).
    settings.DEBUG = False
    pool = pool_of(program)
    with CaptureQueriesContext(connection) as loading_queries:
        inputs = round_inputs(program)
    load_before = os.getloadavg()[0]
    rows = []
    for algorithm in ("stable", "optimal"):
        for k in range(runs + 1):  # the first run warms caches and counts queries
            MatchRound.objects.filter(program=program).delete()
            started = time.perf_counter()
            if k == 0:
                with CaptureQueriesContext(connection) as queries:
                    match_round = round_start(program=program, by=coordinator, algorithm=algorithm)
                query_count = len(queries)
            else:
                match_round = round_start(program=program, by=coordinator, algorithm=algorithm)
            wall = time.perf_counter() - started
            match_round.refresh_from_db()
            assert match_round.status == "ready", match_round.error
            row = {
                "algorithm": algorithm,
                "run": k,
                "wall_s": round(wall, 3),
                **{
                    f"{phase}_s": match_round.timings[phase]
                    for phase in ("loading", "engine", "engine_cpu", "storing")
                },
                "proposals": Proposal.objects.filter(round=match_round).count(),
                "unmatched": UnmatchedEntry.objects.filter(round=match_round).count(),
                "matched_share": match_round.summary["matched_share"],
                "mean_score": match_round.summary["mean_score"],
            }
            if k == 0:
                row["queries"] = query_count
            rows.append(row)
            print(f"  {row}", flush=True)
    return {
        "mentees": len(pool.mentee_ids),
        "mentors": len(pool.mentor_places),
        "places": pool.places,
        "exclusions": len(inputs.problem.exclusions),
        "loading_queries": len(loading_queries),
        "people_added": seeded["people_added"],
        "seeding_s": seeded["seeding_s"],
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "runs": runs,
        "machine": _machine(),
        "rows": rows,
    }


# --- driver ---------------------------------------------------------------------------


def run_engine(engine: str, mentees: int, mentors: int, runs: int) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    from benchmarks.search import run_django_worker

    args = ["--mentees", str(mentees), "--mentors", str(mentors), "--runs", str(runs)]
    return run_django_worker(
        __file__,
        engine,
        args,
        name="round",
        var=BENCH_VAR,
        postgres_url=POSTGRES_URL,
        env={"TASKS_BACKEND": "immediate", "DEBUG": "true"},
    )


def _median(rows: list[dict[str, Any]], key: str) -> float:
    return round(statistics.median(r[key] for r in rows), 3)


def report(results: dict[str, dict[str, Any]]) -> str:
    first = next(iter(results.values()))
    machine = first["machine"]
    lines = [
        "# Match round benchmark",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory']} RAM, "
        f"Python {machine['python']}.",
        "",
        f"A program of {first['mentees']:,} mentees and {first['mentors']:,} mentors "
        f"({first['places']:,} places) from the profiles app's seeding, with one intake "
        f"question used in matching and {first['exclusions']:,} excluded pairs (reporting "
        "lines). Each round goes through `round_start` and its background task in-process "
        "(database to proposals stored); the split is what the round records in "
        "`MatchRound.timings` (wall seconds; also the engine's CPU seconds, which other work "
        f"on a shared machine disturbs less). Median of {first['runs']} runs after one "
        "warm-up run, which "
        "also counts the queries.",
        "",
    ]
    for data in results.values():
        lines += [
            f"## {data['machine']['database']}",
            "",
            (
                f"Seeded {data['people_added']:,} people in {data['seeding_s']} s."
                if data["people_added"]
                else "People seeded by an earlier run (seeding is idempotent)."
            )
            + f" Load average (1 min) before and after: {data['load'][0]} / {data['load'][1]} "
            f"on {data['machine']['cores']} cores. Loading the engine's input takes "
            f"{data['loading_queries']} queries.",
            "",
            "| algorithm | total | loading | engine | engine CPU | storing | engine share "
            "| queries | proposals | matched | mean score |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for algorithm in ("stable", "optimal"):
            timed = [r for r in data["rows"] if r["algorithm"] == algorithm and r["run"] > 0]
            warm = next(r for r in data["rows"] if r["algorithm"] == algorithm and r["run"] == 0)
            total = _median(timed, "wall_s")
            engine = _median(timed, "engine_s")
            lines.append(
                f"| {algorithm} | {total} s | {_median(timed, 'loading_s')} s | {engine} s "
                f"| {_median(timed, 'engine_cpu_s')} s | {_median(timed, 'storing_s')} s "
                f"| {engine / total:.0%} | {warm['queries']} "
                f"| {warm['proposals']:,} | {warm['matched_share']:.1%} "
                f"| {warm['mean_score']:.3f} |"
            )
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=3900)
    parser.add_argument("--mentors", type=int, default=1100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        sys.path.insert(0, str(ROOT / "src"))
        data = worker(args.mentees, args.mentors, args.runs)
        Path(args.out).write_text(json.dumps(data, indent=2))
        return 0
    previous = RESULTS / "round.json"
    results = json.loads(previous.read_text()) if previous.exists() else {}
    for engine in ["sqlite"] + (["postgres"] if args.postgres else []):
        print(f"== match round on {engine}", flush=True)
        results[engine] = run_engine(engine, args.mentees, args.mentors, args.runs)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "round.json").write_text(json.dumps(results, indent=2))
    (RESULTS / "round.md").write_text(report(results))
    print((RESULTS / "round.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
