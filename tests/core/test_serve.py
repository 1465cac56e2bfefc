"""``medmentor serve`` runs gunicorn from its own interpreter, without the virtualenv on
PATH, and two instances on one machine keep out of each other's way."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.dashboard.test_demo import free_port, wait_for


def test_two_servers_run_side_by_side_without_the_virtualenv_on_path(tmp_path):
    processes = []
    try:
        for name in ("one", "two"):
            port = free_port()
            env = {
                k: v
                for k, v in os.environ.items()
                if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "PATH")
            }
            env.update(
                PATH="/usr/bin:/bin",
                VAR_DIR=str(tmp_path / name),
                WEB_CONCURRENCY="1",
                PYTHONUNBUFFERED="1",
            )
            process = subprocess.Popen(
                [sys.executable, "-m", "medmentor.cli", "serve", "--port", str(port)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            processes.append((process, port))
        for process, port in processes:
            assert b'"database"' in wait_for(f"http://127.0.0.1:{port}/healthz", process)
        for name in ("one", "two"):
            assert list((tmp_path / name).glob("gunicorn-*.ctl"))
    finally:
        for process, _port in processes:
            process.terminate()
            process.wait(timeout=20)
