"""``medmentor demo`` prepares a fresh SQLite database and serves the home page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from medmentor.dashboard.demo import DEMO_PASSWORD


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def demo_server(tmp_path):
    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(VAR_DIR=str(tmp_path / "var"), PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "medmentor.cli", "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process, f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


def wait_for(url: str, process: subprocess.Popen[str], seconds: float = 240) -> bytes:
    # A deadline, not a speed goal: the demo migrates a fresh database (more apps since
    # issue 22) and seeds it before it answers, and CI runs it under coverage beside another
    # test worker; it answers as soon as it is up.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"demo exited early:\n{process.stdout.read()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"{url} did not answer within {seconds} s")


def test_demo_serves_the_home_page_and_prints_logins(demo_server, tmp_path):
    process, base = demo_server
    home = wait_for(base + "/", process).decode()
    assert "Find a mentor. Be a mentor." in home
    health = wait_for(base + "/healthz", process)
    assert b'"database": "ok"' in health
    css = wait_for(base + "/static/css/site.css", process)
    assert b"--brand" in css
    assert (tmp_path / "var" / "medmentor.sqlite3").exists()

    process.terminate()
    output = process.communicate(timeout=20)[0]
    assert "mentee@medmentor.demo" in output
    assert "mentor@medmentor.demo" in output
    assert DEMO_PASSWORD in output
