"""Web requests and the task worker writing to one SQLite file at once.

Run by ``test_sqlite_concurrency.py`` in a process of its own, with ``DATABASE_URL``
naming a new SQLite file::

    python -m tests.core.sqlite_writers NOTIFICATIONS WRITERS ROUNDS

It migrates the file, queues NOTIFICATIONS e-mails, starts the real worker
(``medmentor db_worker``), and meanwhile WRITERS threads each run ROUNDS requests through
Django's request handler, as a threaded server would: save a notification preference (a
transaction that reads, then writes) and read the notifications page. Prints a JSON
summary on the last line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections import Counter

import django


def main(notifications: int, writers: int, rounds: int) -> dict[str, object]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medmentor.settings")
    django.setup()

    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client
    from django_tasks_db.models import DBTaskResult

    from medmentor.accounts.models import User
    from medmentor.notifications.models import Notification
    from medmentor.notifications.services import notification_send

    call_command("migrate", verbosity=0)
    recipient = User.objects.create_user(email="reader@example.org", password="not-used-here")
    for _ in range(notifications):
        notification_send(
            recipient=recipient,
            kind="export_ready",
            template="accounts/email/export_ready",
            context={"export": None},
            url="/",
        )
    people = [
        User.objects.create_user(email=f"writer{k}@example.org", password="not-used-here")
        for k in range(writers)
    ]
    connection.close()

    worker = subprocess.Popen(
        [sys.executable, "-m", "medmentor.cli", "db_worker", "--batch", "--no-startup-delay"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    lock = threading.Lock()

    def browse(person: User) -> None:
        client = Client()
        try:
            client.force_login(person)
            for k in range(rounds):
                channel = ("email", "site")[k % 2]
                for response in (
                    client.post("/notifications/preferences/", {"channel": channel}),
                    client.get("/notifications/"),
                ):
                    with lock:
                        statuses[response.status_code] += 1
        except Exception as exc:  # the failure under test: reported, not raised
            with lock:
                failures.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=browse, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    _, worker_errors = worker.communicate(timeout=300)

    return {
        "statuses": {str(code): count for code, count in sorted(statuses.items())},
        "failures": failures,
        "worker_exit": worker.returncode,
        "worker_errors": worker_errors[-2000:],
        "tasks": dict(Counter(DBTaskResult.objects.values_list("status", flat=True))),
        "emailed": Notification.objects.filter(emailed_at__isnull=False).count(),
    }


if __name__ == "__main__":
    counts = [int(arg) for arg in sys.argv[1:4]]
    print(json.dumps(main(*counts)))
