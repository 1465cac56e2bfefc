"""A legal office approving self-hosting finds the licence, and the licence of every
front-end library the project ships."""

from __future__ import annotations

import json
from importlib.metadata import metadata
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_the_project_is_released_under_the_apache_licence():
    assert "Apache License" in (ROOT / "LICENSE").read_text()
    # What `pip show medmentor` prints as License-Expression.
    assert metadata("medmentor")["License-Expression"] == "Apache-2.0"


def test_every_shipped_front_end_library_is_listed_with_its_version_and_licence():
    listed = (ROOT / "THIRD_PARTY.md").read_text()
    locked = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    # Everything npm installs but the test-only tools: the libraries and what they bundle.
    shipped = {
        path.removeprefix("node_modules/"): package
        for path, package in locked.items()
        if path and not package.get("dev")
    }
    assert {"htmx.org", "tom-select"} <= set(shipped)
    for name, package in shipped.items():
        assert f"(`{name}`) | {package['version']} |" in listed, name
        licence = {"0BSD": "0BSD", "Apache-2.0": "Apache License 2.0"}[package["license"]]
        assert licence in listed, name
