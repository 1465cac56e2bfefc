"""Benchmark of a coordinator's announcement to 10,000 members (issue 18), written to
benchmarks/results/announcements.md and .json.

Seeds, with bulk inserts, one program of 10,000 active participants (7,000 mentees and
3,000 mentors; one in four reads the site in French) in a SQLite database made afresh in
a temporary directory, under the production-like settings (``DEBUG`` on for the host
check only; tasks go to the database queue of django-tasks-db, as in production). Then:

* **queue**: the coordinator's POST of the form to "Everyone" (English and French text)
  through Django's test client: session, access check, form, rate limit, the
  announcement saved, the access log, the task queued on commit. The form's GET (which
  counts the segment's reach) is timed too.
* **deliver**: what the worker runs for that task (``announcement_deliver``): resolve the
  segment, 10,000 in-site notifications and delivery rows in bulk, 10,000 access-log
  entries, then the e-mails in batches of 500 over one connection to Django's file
  backend (``EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend``) in a
  temporary directory. E-mails/s and notifications/s are over the whole delivery.

Each timed run is followed by pushing the announcements' dates back a day, so that the
program's daily limit does not refuse the next run (the limit itself is tested).

    python benchmarks/announcements.py [--members 10000] [--runs 5] [--deliveries 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
QUEUE_GOAL_S = 2.0
EMAILS_PER_S_GOAL = 50.0


def _seed(members: int) -> tuple[Any, Any]:
    from medmentor.accounts.models import User
    from medmentor.programs.models import Membership, Program, Role, Status
    from medmentor.programs.services.enrolment import coordinator_add

    program = Program.objects.create(
        name_en="Announcement benchmark", audience="mixed", region="ON"
    )
    coordinator = User.objects.create_user(
        email="coordinator@bench-announcements.example.org",
        password="bench-password-not-secret",
        name="Bench Coordinator",
    )
    coordinator_add(program=program, user=coordinator)
    users = [
        User(
            email=f"member{k:05d}@bench-announcements.example.org",
            name=f"Member {k:05d}",
            language="fr" if k % 4 == 0 else "en",
            password="!",
        )
        for k in range(members)
    ]
    User.objects.bulk_create(users, batch_size=2000)
    ids = User.objects.filter(email__startswith="member").values_list("pk", flat=True)
    Membership.objects.bulk_create(
        [
            Membership(
                program=program,
                user_id=pk,
                role=Role.MENTOR if k % 10 < 3 else Role.MENTEE,
                status=Status.ACTIVE,
            )
            for k, pk in enumerate(ids)
        ],
        batch_size=2000,
    )
    return program, coordinator


def worker(members: int, runs: int, deliveries: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.utils import timezone

    from medmentor.announcements.delivery import announcement_deliver
    from medmentor.announcements.models import Announcement, Delivery

    sys.path.insert(0, str(ROOT))
    from benchmarks.search import _machine

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    started = time.perf_counter()
    program, coordinator = _seed(members)
    seeding_s = round(time.perf_counter() - started, 2)

    client = Client(HTTP_HOST="localhost")
    client.force_login(coordinator)
    url = f"/programs/{program.uuid}/manage/announcements/new/"
    data = {
        "segment": "everyone",
        "match_round": "",
        "subject_en": "Welcome evening on March 3",
        "body_en": "Dear all,\nJoin us at 6 pm in the atrium.\nDetails: https://example.org/e",
        "subject_fr": "Soirée d'accueil le 3 mars",
        "body_fr": "Bonjour,\nRendez-vous à 18 h dans l'atrium.\nDétails : https://example.org/e",
    }

    def make_room() -> None:
        Announcement.objects.filter(program=program).update(
            created_at=timezone.now() - timedelta(days=2)
        )

    load_before = os.getloadavg()[0]
    page = client.get(url)  # warm-up
    assert f"This reaches {members} people now." in page.content.decode()
    get_ms = []
    for _ in range(runs):
        begun = time.perf_counter()
        assert client.get(url).status_code == 200
        get_ms.append((time.perf_counter() - begun) * 1000)
    post_ms = []
    post_queries = 0
    for _ in range(runs):
        make_room()
        with CaptureQueriesContext(connection) as captured:
            begun = time.perf_counter()
            response = client.post(url, data)
            post_ms.append((time.perf_counter() - begun) * 1000)
        assert response.status_code == 302, response.status_code
        post_queries = len(captured)
        print(f"  POST {post_ms[-1]:.0f} ms ({post_queries} queries)", flush=True)

    # Time the e-mail phase apart from the in-site one (the rest of the delivery).
    from medmentor.announcements import delivery as delivery_module

    email_phase: list[float] = []
    send_emails = delivery_module._emails_send

    def timed_emails_send(announcement: Any) -> int:
        begun = time.perf_counter()
        sent = send_emails(announcement)
        email_phase.append(time.perf_counter() - begun)
        return sent

    delivery_module._emails_send = timed_emails_send  # type: ignore[assignment]

    queued = list(Announcement.objects.filter(program=program).order_by("pk"))
    outbox = Path(tempfile.mkdtemp(prefix="bench-announcements-mail-"))
    rows = []
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(outbox),
        ):
            for announcement in queued[:deliveries]:
                begun = time.perf_counter()
                delivered = announcement_deliver(announcement.pk)
                seconds = time.perf_counter() - begun
                assert delivered is not None
                assert delivered.recipients == members, delivered
                emailed = Delivery.objects.filter(
                    announcement=announcement, emailed_at__isnull=False
                ).count()
                mailing = email_phase[-1]
                rows.append(
                    {
                        "seconds": round(seconds, 2),
                        "in_site_s": round(seconds - mailing, 2),
                        "emails_s": round(mailing, 2),
                        "recipients": delivered.recipients,
                        "emailed": emailed,
                        "emails_per_s": round(emailed / seconds, 1),
                        "emails_per_s_sending": round(emailed / mailing, 1),
                        "notifications_per_s": round(delivered.recipients / (seconds - mailing), 1),
                    }
                )
                print(f"  deliver {rows[-1]}", flush=True)
        files = list(outbox.iterdir())
        written = sum(f.read_text(errors="replace").count("\nList-Unsubscribe: ") for f in files)
        mail_bytes = sum(f.stat().st_size for f in files)
    finally:
        shutil.rmtree(outbox, ignore_errors=True)
    return {
        "members": members,
        "runs": runs,
        "seeding_s": seeding_s,
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "machine": _machine(),
        "get_ms": [round(v, 1) for v in get_ms],
        "post_ms": [round(v, 1) for v in post_ms],
        "post_median_ms": round(statistics.median(post_ms), 1),
        "get_median_ms": round(statistics.median(get_ms), 1),
        "post_queries": post_queries,
        "deliveries": rows,
        "deliver_median_s": statistics.median(r["seconds"] for r in rows),
        "emails_per_s_median": statistics.median(r["emails_per_s"] for r in rows),
        "notifications_per_s_median": statistics.median(r["notifications_per_s"] for r in rows),
        "emails_per_s_sending_median": statistics.median(r["emails_per_s_sending"] for r in rows),
        "in_site_median_s": statistics.median(r["in_site_s"] for r in rows),
        "emails_median_s": statistics.median(r["emails_s"] for r in rows),
        "mail_files": len(files),
        "mail_messages_with_unsubscribe": written,
        "mail_mib": round(mail_bytes / 1024 / 1024, 1),
        "date": time.strftime("%Y-%m-%d"),
    }


def report(result: dict[str, Any]) -> str:
    machine = result["machine"]
    queue_ok = result["post_median_ms"] / 1000 < QUEUE_GOAL_S
    rate_ok = result["emails_per_s_median"] >= EMAILS_PER_S_GOAL
    phases = ", ".join(f"{r['in_site_s']}/{r['emails_s']}" for r in result["deliveries"])
    lines = [
        "# Announcements to a whole program (issue 18)",
        "",
        f"One program of {result['members']:,} active participants (seeded in "
        f"{result['seeding_s']} s), SQLite in a temporary file, tasks queued in the "
        f"database; {result['date']}; load average {result['load'][0]} before, "
        f"{result['load'][1]} after.",
        f"Machine: {machine['cores']} cores ({machine['cpu']}), {machine['memory']}, "
        f"Python {machine['python']}, {machine['database']}.",
        "",
        "| what | median | runs | goal | met |",
        "| --- | ---: | --- | --- | --- |",
        f"| coordinator's POST (queue), whole request | {result['post_median_ms']} ms "
        f"({result['post_queries']} queries) | "
        f"{', '.join(f'{v:.0f}' for v in result['post_ms'])} ms | < 2 s | "
        f"{'yes' if queue_ok else 'NO'} |",
        f"| the form's GET (counts the reach) | {result['get_median_ms']} ms | "
        f"{', '.join(f'{v:.0f}' for v in result['get_ms'])} ms | | |",
        f"| worker's delivery, e-mails/s (file backend) | {result['emails_per_s_median']} | "
        f"{', '.join(str(r['emails_per_s']) for r in result['deliveries'])} | ≥ 50 | "
        f"{'yes' if rate_ok else 'NO'} |",
        f"| e-mail phase alone, e-mails/s | {result['emails_per_s_sending_median']} | "
        f"{', '.join(str(r['emails_per_s_sending']) for r in result['deliveries'])} | | |",
        f"| in-site phase, notifications/s | "
        f"{result['notifications_per_s_median']} | "
        f"{', '.join(str(r['notifications_per_s']) for r in result['deliveries'])} | | |",
        f"| worker's delivery, whole (s) | {result['deliver_median_s']} | "
        f"{', '.join(str(r['seconds']) for r in result['deliveries'])} | | |",
        f"| in-site phase / e-mail phase (s) | {result['in_site_median_s']} / "
        f"{result['emails_median_s']} | "
        f"{phases} | | |",
        "",
        f"Each delivery: {result['members']:,} notifications, delivery rows and access-log "
        "entries, and as many e-mails (every member wants e-mail). *Whole delivery* rates "
        "count the e-mails over the task's whole run (segment, in-site copies, e-mails); "
        "the *in-site phase* is the segment, the notifications, delivery rows and access "
        "log in one transaction; the *e-mail phase* renders once per language and sends in "
        "batches of 500 over one connection. "
        f"The file backend wrote {result['mail_files']} files "
        f"({result['mail_mib']} MiB, {result['mail_messages_with_unsubscribe']:,} messages "
        "each with its own List-Unsubscribe link).",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--deliveries", type=int, default=3)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        result = worker(args.members, args.runs, args.deliveries)
        Path(args.out).write_text(json.dumps(result, indent=1))
        return 0
    sys.path.insert(0, str(ROOT))
    from benchmarks.search import run_django_worker

    var = Path(tempfile.mkdtemp(prefix="bench-announcements-"))
    try:
        result = run_django_worker(
            __file__,
            "sqlite",
            [
                "--members",
                str(args.members),
                "--runs",
                str(args.runs),
                "--deliveries",
                str(args.deliveries),
            ],
            name="announcements",
            var=var,
            postgres_url="",
            fresh_sqlite=True,
            env={
                "DEBUG": "true",
                "TASKS_BACKEND": "db",
                "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
            },
        )
    finally:
        shutil.rmtree(var, ignore_errors=True)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "announcements.json").write_text(json.dumps(result, indent=1))
    (HERE / "results" / "announcements.md").write_text(report(result))
    print(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
