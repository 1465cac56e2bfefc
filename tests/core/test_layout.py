"""The shape of the code (decision 0036): no app grows back into a hub holding a large
share of the code, and the lifted apps keep their tests in their own folders."""

from __future__ import annotations

from pathlib import Path

import medmentor

SOURCE = Path(medmentor.__file__).parent
TESTS = Path(__file__).parents[1]
LARGEST_SHARE = 0.20


def _lines(folder: Path) -> int:
    return sum(
        len(path.read_text(encoding="utf-8").splitlines())
        for path in folder.rglob("*.py")
        if "migrations" not in path.parts
    )


def _apps() -> list[Path]:
    return [path for path in SOURCE.iterdir() if (path / "__init__.py").exists()]


def test_no_app_holds_more_than_a_fifth_of_the_source():
    sizes = {app.name: _lines(app) for app in _apps()}
    total = _lines(SOURCE)
    over = {
        name: f"{size / total:.0%}" for name, size in sizes.items() if size > LARGEST_SHARE * total
    }
    assert not over, f"apps over {LARGEST_SHARE:.0%} of {total} lines of Python: {over}"


def test_every_app_has_its_tests_beside_the_others():
    missing = [app.name for app in _apps() if not (TESTS / app.name).is_dir()]
    assert not missing
