"""Real ``medmentor worker`` processes on the rq backend (PostgreSQL + Redis): a worker
killed in the middle of a job loses nothing; another worker runs the job, and its effect
happens once.

Runs where PostgreSQL and a Redis server (``TEST_REDIS_URL``, by default database 14 of
the local one, emptied by the test) are at hand; skipped elsewhere.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import redis
from django.db import connection, transaction
from rq.job import Job
from rq.worker import Worker

from medmentor.notifications.models import Notification
from tests.concurrency import postgresql_only
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    # Like every test with real transactions: the migrations' data is restored after it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HEARTBEAT_SECONDS = 2  # a killed job is run again some 3 heartbeats + a maintenance later


def redis_or_skip(url: str) -> redis.Redis:
    """An emptied Redis database, or the test skipped when no server answers."""
    server = redis.Redis.from_url(url)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis server at {url}")
    server.flushdb()
    return server


def test_database_url() -> str:
    """The address of the test database, for the worker processes."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def worker_environment(tmp_path: Path, redis_url: str, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        {
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": redis_url,
            "TASKS_BACKEND": "rq",
            "TASKS_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS),
            "EMAIL_URL": f"file://{tmp_path / 'mail'}",
            "VAR_DIR": str(tmp_path / "var"),
            "PYTHONUNBUFFERED": "1",
        }
        | settings
    )
    return env


def children_of(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process has gone meanwhile
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


class Workers:
    """``medmentor worker`` processes, each in a process group of its own."""

    def __init__(self, tmp_path: Path, redis_url: str, **settings: str) -> None:
        self.env = worker_environment(tmp_path, redis_url, **settings)
        self.log_dir = tmp_path / "logs"
        self.log_dir.mkdir(exist_ok=True)
        self.processes: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop_all()

    def start(self) -> subprocess.Popen[bytes]:
        log = (self.log_dir / f"worker-{len(self.processes)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "medmentor.cli", "worker"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def kill(self, pid: int) -> None:
        """SIGKILL a worker and its work horse, as losing its machine would. (Killed
        alone, the worker leaves its horse, which RQ puts in a process group of its own,
        to finish the job.)"""
        for process in [pid, *children_of(pid)]:
            os.kill(process, signal.SIGKILL)
        next(p for p in self.processes if p.pid == pid).wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in self.log_dir.glob("*.log"))


def wait_until(condition: Callable[[], Any], *, seconds: float, what: str, logs: Workers) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"{what}: not within {seconds} s\n{logs.logs()}")


def medmentor_shell(env: dict[str, str], code: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "medmentor.cli", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return completed.stdout.strip().splitlines()[-1]  # after the shell's own chatter


def test_a_job_whose_worker_is_killed_is_finished_by_another_and_its_email_goes_once(tmp_path):
    postgresql_only()
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
    server = redis_or_skip(url)
    recipient = UserFactory()
    notification = Notification.objects.create(
        recipient=recipient,
        kind="test",
        title="Your mentor replied",
        body="Hello",
        email_wanted=True,
    )
    with Workers(tmp_path, url, SCHEDULER="false") as group:
        first, second = group.start(), group.start()
        wait_until(
            lambda: len(Worker.all(connection=server)) == 2,
            seconds=30,
            what="two workers listening",
            logs=group,
        )

        # The notification is locked here, so the job that e-mails it blocks in the middle.
        with transaction.atomic():
            Notification.objects.select_for_update().get(pk=notification.pk)
            job_id = medmentor_shell(
                group.env,
                "from medmentor.notifications.tasks import send_notification_email as t; "
                f"print(t.enqueue({notification.pk}).id)",
            )
            job = Job.fetch(job_id, connection=server)
            taken_by = wait_until(
                lambda: job.get_status(refresh=True) == "started" and job.worker_name,
                seconds=20,
                what="a worker takes the job",
                logs=group,
            )
            pids = {worker.name: worker.pid for worker in Worker.all(connection=server)}
            killed = pids[taken_by]
            assert killed in (first.pid, second.pid)
            group.kill(killed)
        # The lock is released; only the worker left can finish the job.

        wait_until(
            lambda: job.get_status(refresh=True) == "finished",
            seconds=40,
            what="the abandoned job finished by the other worker",
            logs=group,
        )
        job.refresh()
        assert job.worker_name != taken_by
        assert job.retries_left == 2  # run again by the retry policy (TASKS_RETRIES=3)
        assert job.return_value() is True
        notification.refresh_from_db()
        assert notification.emailed_at is not None
        mails = [path.read_text() for path in (tmp_path / "mail").glob("*.log")]
        assert sum(mail.count("Subject: Your mentor replied") for mail in mails) == 1
        assert recipient.email in mails[0]
