"""``medmentor serve`` runs gunicorn from its own interpreter, without the virtualenv on
PATH, and two instances on one machine keep out of each other's way; with two of them (two
hosts), a signed-in person carries on when a web process or one of its workers dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from tests.concurrency import postgresql_only
from tests.core.test_workers import children_of, test_database_url
from tests.dashboard.test_demo import free_port, wait_for
from tests.factories import UserFactory


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


def _page(url: str, session_key: str) -> str:
    """The page as the signed-in person sees it (a redirect to log in fails the test)."""
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session_key}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        assert response.geturl() == url, f"sent to {response.geturl()}"
        return response.read().decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_signed_in_person_carries_on_when_a_web_process_or_a_worker_dies(tmp_path):
    postgresql_only()  # the two servers and the test share the test database
    person = UserFactory()
    session = SessionStore()
    session[SESSION_KEY] = str(person.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    session.create()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL=test_database_url(),
        SECRET_KEY=settings.SECRET_KEY,  # one key for the site, whichever host answers
        WEB_CONCURRENCY="2",
        PYTHONUNBUFFERED="1",
    )
    servers = []
    try:
        for name in ("host-a", "host-b"):
            port = free_port()
            process = subprocess.Popen(
                [sys.executable, "-m", "medmentor.cli", "serve", "--port", str(port)],
                env={**env, "VAR_DIR": str(tmp_path / name)},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            servers.append((process, f"http://127.0.0.1:{port}/notifications/"))
        for process, url in servers:
            wait_for(url.replace("/notifications/", "/healthz"), process)
            assert "Notifications" in _page(url, session.session_key)
        (host_a, _), (host_b, url_b) = servers

        # Host A is lost, its workers with it: host B goes on serving the same person.
        for pid in [*children_of(host_a.pid), host_a.pid]:
            os.kill(pid, signal.SIGKILL)
        host_a.wait(timeout=10)
        assert "Notifications" in _page(url_b, session.session_key)

        # One of host B's workers dies: the other answers, and gunicorn starts a new one.
        workers = children_of(host_b.pid)
        assert len(workers) == 2
        os.kill(workers[0], signal.SIGKILL)
        for _ in range(5):
            assert "Notifications" in _page(url_b, session.session_key)
        deadline = time.monotonic() + 30
        while len(set(children_of(host_b.pid)) - {workers[0]}) < 2:
            assert time.monotonic() < deadline, "gunicorn started no new worker within 30 s"
            time.sleep(0.2)
    finally:
        for process, _url in servers:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=20)
