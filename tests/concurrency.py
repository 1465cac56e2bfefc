"""Races with real threads, for the PostgreSQL tests of row locks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection


def postgresql_only() -> None:
    """Skip a race on SQLite, which locks the whole file: only row locks make it mean
    something."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite locks the whole database: row locks need PostgreSQL")


def at_once(*actions: Callable[[], Any]) -> list[Any]:
    """Run each action in its own thread, each with its own database connection, all
    released together by a barrier. Returns, in order, what each returned or the
    exception it raised."""
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(k: int) -> None:
        try:
            barrier.wait()
            results[k] = actions[k]()
        except Exception as error:
            results[k] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
