"""The embedded default: the demo's server and its task worker share one SQLite file. A
web request must wait for the worker's write, never fail with "database is locked"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
NOTIFICATIONS, WRITERS, ROUNDS = 200, 4, 40

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="about the SQLite file of the embedded default",
)


def test_web_requests_and_the_worker_write_one_sqlite_file_at_once_without_failing(tmp_path):
    path = tmp_path / "medmentor.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL=f"sqlite:///{path}",
        TASKS_BACKEND="db",
        EMAIL_URL=f"file://{tmp_path / 'mail'}",
        VAR_DIR=str(tmp_path),
        ALLOWED_HOSTS="testserver",
    )

    run = subprocess.run(
        [sys.executable, "-m", "tests.core.sqlite_writers"]
        + [str(count) for count in (NOTIFICATIONS, WRITERS, ROUNDS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert run.returncode == 0, run.stderr[-3000:]
    summary = json.loads(run.stdout.splitlines()[-1])
    assert summary["failures"] == []
    assert summary["statuses"] == {"200": WRITERS * ROUNDS, "302": WRITERS * ROUNDS}
    assert summary["worker_exit"] == 0, summary["worker_errors"]
    assert summary["tasks"] == {"SUCCESSFUL": NOTIFICATIONS}
    assert summary["emailed"] == NOTIFICATIONS
    sent = "".join(mail.read_text() for mail in (tmp_path / "mail").iterdir())
    assert sent.count("\nSubject: ") == NOTIFICATIONS
