# ruff: noqa: E501
"""Benchmark of peer circles (issue 19), written to benchmarks/results/circles.{json,md}.

CP-SAT reference on small instances, engine vs greedy vs random at 1,000 people, and
the whole ``form_circles`` call (instance build included) at 5,000 and 20,000 people,
each in its own child process (peak memory = ``ru_maxrss``). Instances: the correlated
generator of ``benchmarks/matching.py`` (its mentees as participants).

    python benchmarks/circles.py [--cp-time 60]
    python benchmarks/circles.py --table   # results/circles.md again from circles.json
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from medmentor.matching.circles import exact_circles, form_circles

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
_spec = importlib.util.spec_from_file_location("bench_matching", HERE / "matching.py")
assert _spec is not None
assert _spec.loader is not None
_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bench)
SMALL = [
    (12, 1, 3, 4),
    (14, 2, 3, 4),
    (16, 3, 3, 4),
    (20, 5, 3, 4),
    (24, 6, 3, 4),
    (30, 7, 3, 5),
    (32, 10, 3, 5),
    (36, 9, 4, 6),
    (40, 8, 4, 6),
]


def child(n: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    people = _bench.instance(n, 1).mentees
    r = form_circles(people, size_min=5, size_max=8, seed=1, max_per_institution=3)
    return {"n": n, "seconds": time.perf_counter() - t0, "circles": len(r.circles),
            "unplaced": len(r.unplaced), "total": r.total_score,
            "mean_circle_score": sum(c.score for c in r.circles) / max(len(r.circles), 1),
            "peak_mib": peak_mib()}  # fmt: skip


def peak_mib() -> float:
    """This process's peak memory. ``ru_maxrss`` survives ``exec``, so a child forked
    from a parent that held the CP-SAT rows' arrays would report the parent's peak;
    ``VmHWM`` belongs to the new address space (Linux; ``ru_maxrss`` elsewhere)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", type=int)
    parser.add_argument("--cp-time", type=float, default=60.0)
    parser.add_argument("--table", action="store_true")
    args = parser.parse_args()
    if args.table:
        (RESULTS / "circles.md").write_text(
            table(json.loads((RESULTS / "circles.json").read_text()))
        )
        return 0
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    report: dict[str, Any] = {"machine": _bench.machine(), "date": datetime.date.today().isoformat(),
                              "exact": [], "baselines": [], "speed": []}  # fmt: skip
    for n, seed, lo, hi in SMALL:
        people = _bench.instance(n, seed).mentees
        t = time.perf_counter()
        ours = form_circles(people, size_min=lo, size_max=hi, seed=1)
        t_ours = time.perf_counter() - t
        t = time.perf_counter()
        best, bound, proved = exact_circles(
            people, size_min=lo, size_max=hi, time_limit=args.cp_time
        )
        t_cp = time.perf_counter() - t
        row = {"n": n, "seed": seed, "sizes": f"{lo}-{hi}", "cp_best": best, "cp_bound": bound,
               "proved": proved, "ours": ours.total_score, "ours_unplaced": len(ours.unplaced),
               "gap_pct": None if best is None else 100 * (best - ours.total_score) / best,
               "cp_s": t_cp, "ours_s": t_ours}  # fmt: skip
        print(row, flush=True)
        report["exact"].append(row)
    people = _bench.instance(1000, 1).mentees
    for method in ("search", "greedy", "random"):
        t = time.perf_counter()
        r = form_circles(
            people, size_min=5, size_max=8, seed=1, method=method, max_per_institution=3
        )
        row = {"method": method, "total": r.total_score, "unplaced": len(r.unplaced),
               "circles": len(r.circles), "seconds": time.perf_counter() - t}  # fmt: skip
        print(row, flush=True)
        report["baselines"].append(row)
    for n in (5000, 20000):
        done = subprocess.run([sys.executable, __file__, "--child", str(n)], check=True,
                              capture_output=True, text=True)  # fmt: skip
        row = json.loads(done.stdout.splitlines()[-1])
        print(row, flush=True)
        report["speed"].append(row)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "circles.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "circles.md").write_text(table(report))
    print(table(report))
    return 0


def _f(x: float | None, fmt: str = "{:.2f}") -> str:
    return "—" if x is None else fmt.format(x)


def table(r: dict[str, Any]) -> str:
    lines = [f"Peer circles, {r['date']}, {r['machine']['cores']} cores ({r['machine']['cpu']})", "",
             "| people | sizes | CP-SAT best | CP-SAT bound | proved | ours | ours unplaced | gap % | CP-SAT s | ours s |",
             "|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for e in r["exact"]:
        lines.append(
            f"| {e['n']} | {e['sizes']} | {_f(e['cp_best'], '{:.4f}')} | {_f(e['cp_bound'], '{:.4f}')} | {e['proved']} | {e['ours']:.4f} | {e['ours_unplaced']} | {_f(e['gap_pct'])} | {e['cp_s']:.1f} | {e['ours_s']:.2f} |"
        )
    lines += [
        "",
        "| 1,000 people, 5-8, ≤ 3 per institution | total | unplaced | s |",
        "|---|---|---|---|",
    ]
    for b in r["baselines"]:
        lines.append(f"| {b['method']} | {b['total']:.1f} | {b['unplaced']} | {b['seconds']:.2f} |")
    lines += [
        "",
        "| people | whole call s | peak MiB | circles | unplaced | mean circle score |",
        "|---|---|---|---|---|---|",
    ]
    for s in r["speed"]:
        lines.append(
            f"| {s['n']} | {s['seconds']:.1f} | {s['peak_mib']:.0f} | {s['circles']} | {s['unplaced']} | {s['mean_circle_score']:.3f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
