"""Benchmark of program reports (issue 14), written to benchmarks/results/reports.md.

Seeds (idempotently, with bulk inserts) a program of 20,000 participants (14,000 mentees,
6,000 mentors, realistic people from the profiles app's seeding) with a year of history:
10,000 mentorships started over the year (6,000 of them ended, by each kind of closure),
about six logged meetings each with post-meeting ratings, check-ins, goals, the starting
self-rating of 70 % of people and closure evaluations, a published round, direct
requests. A second program of a tenth of that size shows that a report's number of
queries does not grow with the program. Then times what a coordinator does:

- the report page (``/reports/programs/<uuid>/``) through Django's test client,
- the API (``/api/programs/<uuid>/report``),
- the CSV export of every table (``.../csv/all.csv``),

each after warm-up runs, and counts their queries.

    python benchmarks/reports.py [--runs 30] [--engines postgres,sqlite]

PostgreSQL: ``BENCH_REPORTS_POSTGRES_URL`` (default
``postgres://postgres@127.0.0.1:5432/bench_reports``), created when missing and never
shared with the test suite. SQLite: ``benchmarks/var/reports.sqlite3``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
BENCH_VAR = HERE / "var"
POSTGRES_URL = os.environ.get(
    "BENCH_REPORTS_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/bench_reports"
)
SEED = 14  # the profiles seeding's seed: its own people, apart from other benchmarks
COORDINATOR = "bench-reports-coordinator@seed.medmentor.example"
PAGE_GOAL_MS, EXPORT_GOAL_S = 300, 2.0
SIZES = {  # program name -> (mentees, mentors, mentorships)
    "Benchmark reports program": (14_000, 6_000, 10_000),
    "Benchmark reports program (a tenth)": (1_400, 600, 1_000),
}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


# --- worker: runs inside Django with one database -----------------------------------


def _people(needed: int) -> list[int]:
    from medmentor.profiles.models import Profile
    from medmentor.profiles.seed import seed_people

    people = needed + needed // 4
    while True:
        seed_people(people, seed=SEED)
        ids = list(
            Profile.objects.filter(user__email__endswith=f".s{SEED}@seed.medmentor.example")
            .order_by("id")
            .values_list("user_id", flat=True)
        )
        if len(ids) >= needed:
            return ids[:needed]
        people *= 2


def _seed_program(name: str, people: list[int], size: tuple[int, int, int]) -> Any:
    """One program and its year; a second run finds it and adds nothing."""
    from django.db import transaction
    from django.utils import timezone

    from medmentor.accounts.models import User
    from medmentor.matchrounds.models import (
        MatchRound,
        Proposal,
        ProposalStatus,
        RoundStatus,
        UnmatchedEntry,
    )
    from medmentor.mentorships.evaluation import dimensions_for
    from medmentor.mentorships.models import (
        Baseline,
        CheckIn,
        ClosureReason,
        Evaluation,
        Goal,
        GoalStatus,
        Meeting,
        MeetingRating,
        Mentorship,
        MentorshipStatus,
        Modality,
        Moment,
        SelfRating,
        Source,
    )
    from medmentor.programs.models import Membership, Program, Role, Status
    from medmentor.requests.models import Request, RequestCascade, RequestStatus

    program = Program.objects.filter(name_en=name).first()
    if program is not None:
        return program
    mentees_n, mentors_n, pairs_n = size
    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate()

    def at(day: Any, hour: int = 18) -> datetime:
        return timezone.make_aware(datetime.combine(day, clock(hour)))

    coordinator = User.objects.filter(email=COORDINATOR).first() or User.objects.create_user(
        COORDINATOR, None, name="Bench Coordinator"
    )
    mentees, mentors = people[:mentees_n], people[mentees_n : mentees_n + mentors_n]
    with transaction.atomic():
        program = Program.objects.create(name_en=name, audience="mixed", region="ON")
        rows = [
            Membership(program=program, user=coordinator, role=Role.COORDINATOR,
                       status=Status.ACTIVE, activated_at=now)
        ]  # fmt: skip
        enrolled = {}
        for uid, role in [(u, Role.MENTEE) for u in mentees] + [(u, Role.MENTOR) for u in mentors]:
            status = rng.choices([Status.ACTIVE, Status.PENDING, Status.WITHDRAWN], [90, 5, 5])[0]
            when = now - timedelta(days=rng.randint(20, 420))
            enrolled[uid] = when
            rows.append(
                Membership(program=program, user_id=uid, role=role, status=status,
                           activated_at=None if status == Status.PENDING else when)
            )  # fmt: skip
        Membership.objects.bulk_create(rows, batch_size=5000)

        # The pairs: a mentor has up to three, one after another; 60 % have ended.
        mentorships = []
        for k in range(pairs_n):
            mentee, mentor = mentees[k % mentees_n], mentors[k % mentors_n]
            started = (enrolled[mentee] + timedelta(days=rng.randint(5, 90))).date()
            started = min(started, today - timedelta(days=14))
            ended = None
            reason = ""
            if k % 10 < 6:
                reason = rng.choices(list(ClosureReason), [70, 12, 8, 10])[0]
                last = started + timedelta(
                    days=300 if reason == "completed" else rng.randint(60, 200)
                )
                ended = at(min(last, today - timedelta(days=1)), 12)
            mentorships.append(
                Mentorship(
                    program=program, mentor_id=mentor, mentee_id=mentee,
                    status=MentorshipStatus.ENDED if ended else MentorshipStatus.ACTIVE,
                    source=Source.ROUND, started_on=started,
                    planned_end_on=started + timedelta(days=300), ended_at=ended,
                    closure_reason=reason,
                    last_activity_at=ended or at(today - timedelta(days=rng.randint(1, 120))),
                )
            )  # fmt: skip
        Mentorship.objects.bulk_create(mentorships, batch_size=5000)
        mentorships = list(Mentorship.objects.filter(program=program))

        meetings, checkins, goals, baselines, ratings, evaluations = [], [], [], [], [], []
        for m in mentorships:
            last = timezone.localdate(m.ended_at) if m.ended_at else today
            day = m.started_on + timedelta(days=rng.randint(5, 20))
            while day < last:
                meetings.append(
                    Meeting(mentorship=m, starts_at=at(day), duration_minutes=60,
                            modality=Modality.VIDEO, organizer_id=m.mentee_id,
                            created_at=at(day - timedelta(days=7)),
                            minutes_spent=rng.choice([30, 45, 60, 90]),
                            logged_by_id=m.mentor_id, logged_at=at(day, 20))
                )  # fmt: skip
                day += timedelta(days=rng.randint(25, 50))
            due, number = m.started_on + timedelta(days=30), 1
            while due < last:
                for uid in (m.mentor_id, m.mentee_id):
                    answered = rng.random() < 0.8
                    checkins.append(
                        CheckIn(mentorship=m, user_id=uid, number=number, due_on=due,
                                submitted_at=at(due) if answered else None,
                                score=rng.randint(1, 5) if answered else None,
                                meetings_held=1 if answered else None,
                                shared_with_coordinator=answered and rng.random() < 0.7)
                    )  # fmt: skip
                due += timedelta(days=60)
                number += 1
            for n in range(rng.randint(1, 3)):
                goals.append(
                    Goal(mentorship=m, title=f"Goal {n}", proposed_by_id=m.mentee_id,
                         status=rng.choice(list(GoalStatus)), created_at=at(m.started_on),
                         updated_at=at(m.started_on))
                )  # fmt: skip
            for role, uid in (("mentor", m.mentor_id), ("mentee", m.mentee_id)):
                start: dict[str, int] = {}
                if rng.random() < 0.7:
                    given = at(m.started_on + timedelta(days=3))
                    baselines.append(Baseline(mentorship=m, user_id=uid, role=role, given_at=given))
                    start = {d.code: rng.randint(1, 4) for d in dimensions_for(role)}
                    ratings += [
                        SelfRating(mentorship=m, user_id=uid, role=role,
                                   moment=Moment.BASELINE, dimension=code, score=score,
                                   given_at=given)
                        for code, score in start.items()
                    ]  # fmt: skip
                if m.ended_at and rng.random() < 0.75:
                    given = m.ended_at + timedelta(days=2)
                    evaluations.append(
                        Evaluation(mentorship=m, user_id=uid, role=role, submitted_at=given,
                                   would_recommend=rng.random() < 0.85)
                    )  # fmt: skip
                    ratings += [
                        SelfRating(mentorship=m, user_id=uid, role=role,
                                   moment=Moment.CLOSURE, dimension=d.code,
                                   score=rng.randint(2, 5), given_at=given,
                                   baseline_score=start.get(d.code))
                        for d in dimensions_for(role)
                    ]  # fmt: skip
        for model, objects in (
            (Meeting, meetings), (CheckIn, checkins), (Goal, goals), (Baseline, baselines),
            (SelfRating, ratings), (Evaluation, evaluations),
        ):  # fmt: skip
            model.objects.bulk_create(objects, batch_size=5000)
        meeting_ratings = [
            MeetingRating(meeting_id=pk, user_id=uid, score=rng.randint(3, 5),
                          rated_at=starts + timedelta(hours=3))
            for pk, starts, mentor, mentee in Meeting.objects.filter(
                mentorship__program=program
            ).values_list("pk", "starts_at", "mentorship__mentor_id", "mentorship__mentee_id")
            for uid in (mentor, mentee)
            if rng.random() < 0.5
        ]  # fmt: skip
        MeetingRating.objects.bulk_create(meeting_ratings, batch_size=5000)

        # A round published a month ago, and direct requests.
        match_round = MatchRound.objects.create(
            program=program, status=RoundStatus.PUBLISHED, created_by=coordinator,
            published_at=now - timedelta(days=30), finished_at=now - timedelta(days=31),
        )  # fmt: skip
        unmatched = mentees[pairs_n % mentees_n :][: mentees_n // 5]
        proposed = rng.sample(mentees[: pairs_n % mentees_n or mentees_n], mentees_n // 10)
        Proposal.objects.bulk_create(
            [
                Proposal(round=match_round, mentee_id=uid, mentor_id=rng.choice(mentors),
                         score=rng.random(), status=rng.choice(list(ProposalStatus)))
                for uid in proposed
            ],
            batch_size=5000,
        )  # fmt: skip
        UnmatchedEntry.objects.bulk_create(
            [UnmatchedEntry(round=match_round, user_id=uid, code="mentors_full")
             for uid in unmatched],
            batch_size=5000,
        )  # fmt: skip
        requests = []
        for k in range(mentees_n // 5):
            sent = now - timedelta(days=rng.randint(1, 360))
            cascade = RequestCascade(program=program, mentee_id=mentees[k], message="Hello",
                                     created_at=sent)  # fmt: skip
            status = rng.choice([RequestStatus.DECLINED, RequestStatus.EXPIRED,
                                 RequestStatus.WITHDRAWN])  # fmt: skip
            requests.append((cascade, status, sent))
        RequestCascade.objects.bulk_create([c for c, _s, _t in requests], batch_size=5000)
        Request.objects.bulk_create(
            [
                Request(cascade=c, program=program, mentee_id=c.mentee_id,
                        mentor_id=mentors[k % mentors_n], message="Hello", status=s, sent_at=t,
                        due_at=t + timedelta(days=7),
                        answered_at=t + timedelta(days=rng.randint(1, 6))
                        if s == RequestStatus.DECLINED else None)
                for k, (c, s, t) in enumerate(requests)
            ],
            batch_size=5000,
        )  # fmt: skip
    return program


def _machine() -> dict[str, str]:
    sys.path.insert(0, str(ROOT))
    from benchmarks.search import _machine as machine

    return machine()


def _timed(client: Any, url: str, runs: int, *, cold: bool) -> tuple[list[float], int]:
    """Times of ``runs`` views of ``url``; ``cold``: the report is counted afresh each
    time (the shared cache emptied first), else it was counted by an earlier view."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm Python's and the database's caches
        assert client.get(url).status_code == 200
    times = []
    for _ in range(runs):
        if cold:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    return times, len(queries)


def worker(runs: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from medmentor.accounts.models import User
    from medmentor.mentorships.models import Meeting, Mentorship, SelfRating

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    largest = max(mentees + mentors for mentees, mentors, _pairs in SIZES.values())
    people = _people(largest)
    programs = {name: _seed_program(name, people, size) for name, size in SIZES.items()}
    seeding = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    settings.DEBUG = False
    client = Client()
    client.force_login(User.objects.get(email=COORDINATOR))
    load_before = os.getloadavg()[0]
    rows = []
    for name, program in programs.items():
        urls = {
            "page": reverse("reports:program", args=[program.uuid]),
            "api": f"/api/programs/{program.uuid}/report",
            "csv": reverse("reports:program_csv", args=[program.uuid, "all"]),
        }
        for (kind, url), cold in ((item, cold) for item in urls.items() for cold in (True, False)):
            times, queries = _timed(
                client, url, runs if kind != "csv" else max(runs // 4, 5), cold=cold
            )
            rows.append(
                {
                    "program": name,
                    "what": kind,
                    "counted": "afresh" if cold else "earlier",
                    "participants": SIZES[name][0] + SIZES[name][1],
                    "mentorships": Mentorship.objects.filter(program=program).count(),
                    "median_ms": round(statistics.median(times), 1),
                    "p95_ms": round(percentile(times, 0.95), 1),
                    "max_ms": round(max(times), 1),
                    "queries": queries,
                    "runs": len(times),
                }
            )
            print(f"  {rows[-1]}", flush=True)
    big = programs[next(iter(SIZES))]
    return {
        "meetings": Meeting.objects.filter(mentorship__program=big).count(),
        "self_ratings": SelfRating.objects.filter(mentorship__program=big).count(),
        "seeding_s": round(seeding, 1),
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "machine": _machine(),
        "rows": rows,
    }


# --- driver ---------------------------------------------------------------------------


def report(results: dict[str, dict[str, Any]]) -> str:
    first = next(iter(results.values()))
    machine = first["machine"]
    lines = [
        "# Program report benchmark",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory']} RAM, "
        f"Python {machine['python']}.",
        "",
        f"The large program: 20,000 participants, 10,000 mentorships, {first['meetings']:,} "
        f"meetings, {first['self_ratings']:,} self-ratings (plus check-ins, goals, meeting "
        "ratings, evaluations, a round and requests). Times through Django's test client "
        "(session, access, filters, every query, the template or the JSON or the CSV), "
        "after 3 warm-up runs.",
        "",
    ]
    for data in results.values():
        lines += [
            f"## {data['machine']['database']}",
            "",
            f"Load average (1 min) before and after: {data['load'][0]} / {data['load'][1]} "
            f"on {data['machine']['cores']} cores.",
            "",
            "| program | participants | mentorships | what | figures counted | median | p95 "
            "| max | queries | runs |",
            "| --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for row in data["rows"]:
            lines.append(
                f"| {row['program']} | {row['participants']:,} | {row['mentorships']:,} "
                f"| {row['what']} | {row['counted']} | {row['median_ms']} ms "
                f"| {row['p95_ms']} ms | {row['max_ms']} ms | {row['queries']} | {row['runs']} |"
            )
        big = [row for row in data["rows"] if row["participants"] == 20_000]

        def worst(what: tuple[str, ...], counted: str, big: list[dict[str, Any]] = big) -> float:
            return max(r["p95_ms"] for r in big if r["what"] in what and r["counted"] == counted)

        queries = {(row["what"], row["counted"]): row["queries"] for row in big}
        small = {
            (row["what"], row["counted"]): row["queries"] for row in data["rows"] if row not in big
        }
        for counted in ("afresh", "earlier"):
            pages, export = worst(("page", "api"), counted), worst(("csv",), counted) / 1000
            lines.append(
                f"- Figures counted {counted}: page and API p95 {pages} ms (goal "
                f"{PAGE_GOAL_MS} ms: {'met' if pages <= PAGE_GOAL_MS else 'not met'}); CSV export "
                f"p95 {export:.2f} s (goal {EXPORT_GOAL_S:.0f} s: "
                f"{'met' if export <= EXPORT_GOAL_S else 'not met'})."
            )
        lines += [f"- Queries the same at a tenth of the size: {queries == small}.", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--engines", default="postgres")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        sys.path.insert(0, str(ROOT / "src"))
        data = worker(args.runs)
        Path(args.out).write_text(json.dumps(data, indent=2))
        return 0
    sys.path.insert(0, str(ROOT))
    from benchmarks.search import run_django_worker

    previous = RESULTS / "reports.json"
    results = json.loads(previous.read_text()) if previous.exists() else {}
    env = {"ALLOWED_HOSTS": "testserver", "DEBUG": "true"}
    for engine in args.engines.split(","):
        results[engine] = run_django_worker(
            __file__,
            engine,
            ["--runs", str(args.runs)],
            name="reports",
            var=BENCH_VAR,
            postgres_url=POSTGRES_URL,
            env=env,
        )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "reports.json").write_text(json.dumps(results, indent=2))
    (RESULTS / "reports.md").write_text(report(results))
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
