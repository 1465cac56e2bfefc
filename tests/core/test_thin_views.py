"""Views and API routes stay thin (decision 0036): they call services, which write inside
their own transactions; no view writes to the database or opens a transaction itself."""

from __future__ import annotations

import ast
from pathlib import Path

import medmentor

SOURCE = Path(medmentor.__file__).parent
WRITES = {"save", "create", "bulk_create", "get_or_create", "update_or_create", "bulk_update"}


def _view_modules() -> list[Path]:
    views = [*SOURCE.glob("*/views.py"), *SOURCE.glob("*/views/*.py"), *SOURCE.glob("api/*.py")]
    assert len(views) > 20
    return views


def _writes_and_transactions(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "django.db":
            found += [f"imports {a.name}" for a in node.names if a.name == "transaction"]
        if isinstance(node, ast.Attribute) and node.attr in ("atomic", "on_commit"):
            found.append(f"line {node.lineno}: transaction.{node.attr}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
        ):
            found.append(f"line {node.lineno}: .{node.func.attr}()")
    return found


def test_no_view_writes_or_opens_a_transaction():
    offending = {
        str(path.relative_to(SOURCE)): found
        for path in _view_modules()
        if (found := _writes_and_transactions(path))
    }
    assert not offending
