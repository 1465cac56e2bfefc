"""``make bench``: run every benchmark module in benchmarks/ (each writes to results/).

A benchmark module is any ``benchmarks/*.py`` other than this file; each is run as
its own process (``python benchmarks/<name>.py``) so that timings and peak memory
are not disturbed by the others. Pass module names to run only those.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def modules(names: list[str]) -> list[Path]:
    found = sorted(p for p in HERE.glob("*.py") if p.name != Path(__file__).name)
    if names:
        found = [p for p in found if p.stem in names]
    return found


def main(argv: list[str] | None = None) -> int:
    names = list(sys.argv[1:] if argv is None else argv)
    (HERE / "results").mkdir(exist_ok=True)
    failed = []
    for path in modules(names):
        print(f"== {path.name}", flush=True)
        start = time.perf_counter()
        code = subprocess.run([sys.executable, str(path)], check=False).returncode
        print(f"== {path.name}: exit {code} in {time.perf_counter() - start:.0f} s", flush=True)
        if code:
            failed.append(path.name)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
