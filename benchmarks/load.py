"""Load benchmark of the web tier (issue 21), written to benchmarks/results/load.md.

Seeds 100,000 people with ``medmentor seed-demo`` on PostgreSQL (a database of its own,
kept between runs: seeding is idempotent), starts ``medmentor serve`` (gunicorn) as a
deployment would (``DEBUG=false``, Redis cache, behind a TLS proxy), one process per
``--ports`` entry (two ports stand in for two hosts), and drives locust headless on
loopback for a bounded time: ``--users`` signed-in people (50), each asking in turn for
the mentor search, a mentor's profile page, their home (the dashboard) and the public
directory in the ratio 4 : 3 : 1 : 1, spread evenly over the ports.

    python benchmarks/load.py [--users 50] [--duration 60] [--workers 3]
                              [--ports 8701,8702] [--pace 0.75] [--label now]

It reports requests per second, p50/p95/p99 per page, errors, and the CPU time of the
gunicorn processes (master and workers, from /proc) per request. Each ``--label`` keeps
its own figures in results/load.json, so old and new code can be run alternately.

Signed-in users: the Django side creates one database session per person for a seeded
mentee (what ``login()`` writes: user id, backend, the password hash's HMAC), and locust
sends its key as the session cookie. Logging in through the form instead would trip the
login rate limit (five attempts per address, and all users share 127.0.0.1) and measure
password hashing, which is not what this benchmark is about.

Pacing: with ``--pace P`` each user sends at most one request every P seconds (locust's
``constant_pacing``; 50 users at 0.75 s offer 66.7 req/s, just above the 60 req/s goal);
``--pace 0`` sends the next request as soon as the last one is answered (the capacity).

locust is a benchmark dependency only (``pip install locust``). This file is also the
locustfile: locust imports it with ``BENCH_LOAD_PLAN`` naming the plan written here.

PostgreSQL: ``BENCH_POSTGRES_URL`` (default
``postgres://postgres@127.0.0.1:5432/medmentor_bench_load``); Redis: ``BENCH_REDIS_URL``
(default ``redis://127.0.0.1:6379/11``), flushed before each run.
"""

from __future__ import annotations

import argparse
import base64
import csv
import json
import os
import random
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
BENCH_VAR = ROOT / "var" / "bench-load"
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/medmentor_bench_load"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
# Benchmark-only secrets: the sessions made by the Django side must verify in the server.
SECRET_KEY = "medmentor-load-benchmark-not-a-secret-" + "x" * 20
NOTES_KEY = base64.urlsafe_b64encode(b"medmentor-load-benchmark-key-32b").decode("ascii")
PAGES = {"search": 4, "profile": 3, "home": 1, "directory": 1}
PROFILE_PAGES = 500  # distinct mentors whose pages are asked for


def server_env(var: Path, workers: int) -> dict[str, str]:
    """The environment of a production deployment, on loopback."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "medmentor.settings",
        "DATABASE_URL": POSTGRES_URL,
        "REDIS_URL": REDIS_URL,
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "NOTES_ENCRYPTION_KEY": NOTES_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "https://127.0.0.1",
        "VAR_DIR": str(var),
        "WEB_CONCURRENCY": str(workers),
        "LOG_LEVEL": "WARNING",
        "EMAIL_URL": "console://",
    }


# --- worker: runs inside Django, prepares the database and the plan -------------------


def worker(people: int, users: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.db import connection

    from medmentor.profiles.models import Profile
    from medmentor.profiles.search import listed_mentors
    from medmentor.profiles.seed import seed_people

    sys.path.insert(0, str(HERE))
    from search import SEARCHES, _machine

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    added = seed_people(people, seed=0)
    seeding = time.perf_counter() - started
    if added:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    # The sessions of the last run are of no further use.
    plan_file = BENCH_VAR / "plan.json"
    if plan_file.exists():
        old = json.loads(plan_file.read_text())
        Session.objects.filter(session_key__in=old.get("sessions", [])).delete()
    people_in = list(
        Profile.objects.filter(is_mentee=True, is_complete=True, user__is_active=True)
        .select_related("user")
        .order_by("id")[:users]
    )
    backend = settings.AUTHENTICATION_BACKENDS[0]
    sessions = []
    for profile in people_in:
        store = SessionStore()
        store[SESSION_KEY] = str(profile.user.pk)
        store[BACKEND_SESSION_KEY] = backend
        store[HASH_SESSION_KEY] = profile.user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    mentors = list(listed_mentors().order_by("id").values_list("uuid", flat=True))
    chosen = random.Random(0).sample(mentors, min(PROFILE_PAGES, len(mentors)))
    return {
        "people": Profile.objects.count(),
        "mentors_listed": len(mentors),
        "seeded": added,
        "seeding_s": round(seeding, 1),
        "machine": _machine(),
        "sessions": sessions,
        "profiles": [str(u) for u in chosen],
        "searches": ["?" + urlencode(params) if params else "" for _, params in SEARCHES],
    }


# --- locustfile: the simulated people (defined only when locust imports this file) ----

if "locust" in sys.modules and os.environ.get("BENCH_LOAD_PLAN"):
    import itertools

    from locust import FastHttpUser, constant, constant_pacing, task

    _PLAN = json.loads(Path(os.environ["BENCH_LOAD_PLAN"]).read_text())
    _numbers = itertools.count()

    class SignedInPerson(FastHttpUser):
        """One signed-in mentee on one of the hosts, browsing in the issue's ratio."""

        wait_time = constant_pacing(_PLAN["pace"]) if _PLAN["pace"] else constant(0)
        host = _PLAN["hosts"][0]

        def on_start(self) -> None:
            number = next(_numbers)
            self.base = _PLAN["hosts"][number % len(_PLAN["hosts"])]
            session = _PLAN["sessions"][number % len(_PLAN["sessions"])]
            # Behind a TLS proxy (SECURE_PROXY_SSL_HEADER), as the server is deployed.
            self.headers = {"Cookie": f"sessionid={session}", "X-Forwarded-Proto": "https"}

        def _get(self, path: str, name: str) -> None:
            with self.client.get(
                self.base + path,
                name=name,
                headers=self.headers,
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")

        @task(PAGES["search"])
        def search(self) -> None:
            self._get("/mentors/" + random.choice(_PLAN["searches"]), "search")

        @task(PAGES["profile"])
        def profile(self) -> None:
            self._get(f"/people/{random.choice(_PLAN['profiles'])}/", "profile")

        @task(PAGES["home"])
        def home(self) -> None:
            self._get("/dashboard/", "home")

        @task(PAGES["directory"])
        def directory(self) -> None:
            self._get("/directory/", "directory")


# --- driver -------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """CPU time of a gunicorn master, its live workers and the workers it has reaped."""
    ticks = os.sysconf("SC_CLK_TCK")

    def stat(p: int) -> list[str]:
        text = Path(f"/proc/{p}/stat").read_text()
        return text[text.rindex(")") + 2 :].split()  # fields from the 3rd (state) on

    fields = stat(pid)
    total = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            child = stat(int(entry.name))
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
        if int(child[1]) == pid:  # ppid
            total += int(child[11]) + int(child[12])
    return total / ticks


def postgres_cpu_seconds() -> float:
    """CPU time of every PostgreSQL process (the whole server: other users' work too)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        if "(postgres)" in text[: text.rindex(")") + 1]:
            fields = text[text.rindex(")") + 2 :].split()
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"the server at {url} did not answer within {timeout:.0f} s")
        time.sleep(0.5)


def warm_up(plan: dict[str, Any], workers: int) -> None:
    """Every page a few times per worker, so that imports, templates and per-process
    caches are loaded before the measurement (a server that has been up a while)."""
    paths = ["/dashboard/", "/directory/", "/mentors/", *plan["profiles"][:3]]
    paths = [p if p.startswith("/") else f"/people/{p}/" for p in paths]
    for host in plan["hosts"]:
        for index in range(workers * 3):
            for path in paths:
                headers = {
                    "Cookie": f"sessionid={plan['sessions'][index % len(plan['sessions'])]}",
                    "X-Forwarded-Proto": "https",
                }
                request = urllib.request.Request(host + path, headers=headers)
                with urllib.request.urlopen(request, timeout=60) as response:
                    if response.status != 200:
                        raise SystemExit(f"warm-up: {path} answered {response.status}")


def read_stats(prefix: Path) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            name = "all" if row["Name"] == "Aggregated" else row["Name"]
            out[name] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "req_s": round(float(row["Requests/s"]), 1),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
                "mean_ms": round(float(row["Average Response Time"]), 1),
            }
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    sys.path.insert(0, str(HERE))
    from search import run_django_worker

    hosts = [f"http://127.0.0.1:{port}" for port in args.ports]
    env = server_env(BENCH_VAR, args.workers)
    print("== preparing the database and the sessions", flush=True)
    prepared = run_django_worker(
        __file__,
        "postgres",
        ["--people", str(args.people), "--users", str(args.users)],
        name="load",
        var=BENCH_VAR,
        postgres_url=POSTGRES_URL,
        env=env,
    )
    plan = {**prepared, "hosts": hosts, "pace": args.pace}
    plan_file = BENCH_VAR / "plan.json"
    plan_file.write_text(json.dumps(plan))
    subprocess.run(
        [sys.executable, "-m", "medmentor.cli", "collectstatic", "--no-input", "-v0"],
        env=env,
        check=True,
    )
    subprocess.run(
        [sys.executable, "-c", f"import redis; redis.Redis.from_url({REDIS_URL!r}).flushdb()"],
        check=True,
    )
    servers = []
    logs = []
    try:
        for port in args.ports:
            log = open(BENCH_VAR / f"serve-{port}.log", "w")  # noqa: SIM115 (closed below)
            logs.append(log)
            command = [sys.executable, "-m", "medmentor.cli", "serve", "--skip-collectstatic"]
            command += ["--host", "127.0.0.1", "--port", str(port)]
            servers.append(subprocess.Popen(command, env=env, stdout=log, stderr=log))
        for host in hosts:
            wait_until_up(host + "/healthz")
        print(f"== {len(hosts)} server(s) x {args.workers} workers up; warming up", flush=True)
        warm_up(plan, args.workers)
        load_before = os.getloadavg()
        cpu_before = sum(cpu_seconds(s.pid) for s in servers)
        postgres_before = postgres_cpu_seconds()
        prefix = BENCH_VAR / f"locust-{args.label}"
        started = time.perf_counter()
        print(f"== locust: {args.users} users for {args.duration} s", flush=True)
        subprocess.run(
            [
                sys.executable, "-m", "locust", "-f", __file__, "--headless",
                "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.duration}s",
                "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
                "--stop-timeout", "10",
            ],
            env={**os.environ, "BENCH_LOAD_PLAN": str(plan_file)},
            check=False,
        )  # fmt: skip
        wall = time.perf_counter() - started
        cpu = sum(cpu_seconds(s.pid) for s in servers) - cpu_before
        postgres = postgres_cpu_seconds() - postgres_before
        load_after = os.getloadavg()
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        for log in logs:
            log.close()
    stats = read_stats(prefix)
    requests = stats["all"]["requests"]
    return {
        "label": args.label,
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "people": prepared["people"],
        "mentors_listed": prepared["mentors_listed"],
        "seeded": prepared["seeded"],
        "seeding_s": prepared["seeding_s"],
        "machine": prepared["machine"],
        "settings": {
            "users": args.users,
            "spawn_rate": args.spawn_rate,
            "duration_s": args.duration,
            "pace_s": args.pace,
            "ports": args.ports,
            "workers_per_port": args.workers,
        },
        "load": [round(x, 2) for x in (*load_before, *load_after)],
        "wall_s": round(wall, 1),
        "pages": stats,
        "gunicorn_cpu_s": round(cpu, 1),
        "cpu_ms_per_request": round(cpu * 1000 / requests, 1) if requests else None,
        "postgres_cpu_s": round(postgres, 1),
        "postgres_cpu_ms_per_request": round(postgres * 1000 / requests, 1) if requests else None,
    }


def report(results: dict[str, dict[str, Any]]) -> str:
    first = next(iter(results.values()))
    machine = first["machine"]
    lines = [
        "# Web tier load benchmark",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory']} RAM, "
        f"Python {machine['python']}, {machine['database']}, Redis cache. Server, database "
        "and locust share the machine.",
        "",
        f"{first['people']:,} profiles ({first['mentors_listed']:,} listed mentors) from "
        "`medmentor seed-demo`. `medmentor serve` (gunicorn, `DEBUG=false`, Redis cache, "
        "behind a TLS proxy as far as the headers go) on loopback; locust (`FastHttpUser`) "
        "drives signed-in mentees, each on one server, asking for the mentor search (the "
        "ten searches of `benchmarks/search.py`), a mentor's profile page (500 mentors), "
        "their dashboard and the public directory in the ratio 4 : 3 : 1 : 1. "
        "*pace*: each user sends at most one request every *pace* seconds (0: as fast as "
        "answered). CPU per request: user + system time of the gunicorn processes "
        "(master and workers) over the run, divided by the requests; PostgreSQL's is the "
        "whole server's (other users included). Goal: ≥ 60 req/s at p95 ≤ 500 ms, "
        "≤ 25 ms CPU per request.",
        "",
    ]
    for label, data in results.items():
        s = data["settings"]
        load = data["load"]
        lines += [
            f"## {label} ({data['when']})",
            "",
            f"{s['users']} users (spawned {s['spawn_rate']}/s) for {s['duration_s']} s, pace "
            f"{s['pace_s']} s; {len(s['ports'])} server(s) on port(s) "
            f"{', '.join(map(str, s['ports']))}, {s['workers_per_port']} gunicorn workers "
            f"each. Load average (1/5/15 min) before: {load[0]} / {load[1]} / {load[2]}, "
            f"after: {load[3]} / {load[4]} / {load[5]}.",
            "",
            "| page | requests | errors | req/s | p50 | p95 | p99 | mean |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name in [*PAGES, "all"]:
            row = data["pages"].get(name)
            if row is None:
                continue
            lines.append(
                f"| {name} | {row['requests']:,} | {row['failures']} | {row['req_s']} "
                f"| {row['p50_ms']:.0f} ms | {row['p95_ms']:.0f} ms | {row['p99_ms']:.0f} ms "
                f"| {row['mean_ms']:.0f} ms |"
            )
        total = data["pages"]["all"]
        met = total["req_s"] >= 60 and total["p95_ms"] <= 500 and total["failures"] == 0
        cpu_met = (data["cpu_ms_per_request"] or 1e9) <= 25
        lines += [
            "",
            f"CPU per request: gunicorn {data['cpu_ms_per_request']} ms "
            f"({data['gunicorn_cpu_s']} s in all; goal 25 ms: "
            f"{'met' if cpu_met else 'not met'}), PostgreSQL "
            f"{data['postgres_cpu_ms_per_request']} ms. Throughput and latency goal: "
            f"{'met' if met else 'not met'}.",
            "",
        ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--pace", type=float, default=0.75, help="seconds; 0: no pause")
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY", "3")),
        help="gunicorn workers per server (WEB_CONCURRENCY)",
    )
    parser.add_argument(
        "--ports",
        type=lambda text: [int(p) for p in text.split(",")],
        default=[8701],
        help="one server per port, e.g. 8701,8702 for two 'hosts'",
    )
    parser.add_argument("--label", default="now", help="the name these figures are kept under")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        sys.path.insert(0, str(ROOT / "src"))
        data = worker(args.people, args.users)
        Path(args.out).write_text(json.dumps(data, indent=2))
        return 0
    previous = RESULTS / "load.json"
    results = json.loads(previous.read_text()) if previous.exists() else {}
    results[args.label] = run(args)
    RESULTS.mkdir(exist_ok=True)
    previous.write_text(json.dumps(results, indent=2))
    (RESULTS / "load.md").write_text(report(results))
    print((RESULTS / "load.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
