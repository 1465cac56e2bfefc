# ruff: noqa: E501
"""Benchmark of mentoring groups (issue 19), written to benchmarks/results/groups.{json,md}.

CP-SAT reference on small instances, engine vs a naive greedy at 2,000 mentees, and
the whole ``form_groups`` call at 2,000 mentees / 400 mentors and 20,000 / 4,000, each
run in its own child process (peak memory = ``ru_maxrss``; median of 3 runs).
People: the correlated generator of ``benchmarks/matching.py`` (its first mentors).

Shapes: ``easy``: groups of 4-6, every mentor offers 6 seats (1.2 x the mentees), no
exclusions. ``hard``: mentors offer 5 seats (the mentees exactly fill them, so every
group is full), two exclusions per mentee with others of the same specialty (the
people the engine would group together) and at most 2 mentees of one institution
per group.

    python benchmarks/groups.py [--cp-time 30] [--repeats 3]
    python benchmarks/groups.py --table   # results/groups.md again from groups.json
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from medmentor.matching import Problem
from medmentor.matching.groups import exact_groups, form_groups, greedy_groups

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
_spec = importlib.util.spec_from_file_location("bench_matching", HERE / "matching.py")
assert _spec is not None
assert _spec.loader is not None
_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bench)
SMALL = [  # mentees, seed, mentors, size_min, size_max, institution cap
    (12, 1, 4, 2, 4, None),
    (16, 2, 5, 2, 4, 2),
    (20, 3, 5, 3, 5, None),
    (24, 4, 6, 3, 5, 2),
    (30, 5, 8, 3, 5, None),
    (40, 6, 10, 3, 5, 2),
]
SPEED = [(2000, 400, "easy"), (2000, 400, "hard"), (20000, 4000, "easy"), (20000, 4000, "hard")]


def shape(n: int, m: int, kind: str, seed: int = 1) -> tuple[Problem, dict[str, Any]]:
    """The instance and the keyword arguments of ``form_groups`` for one shape."""
    p = _bench.instance(n, seed)
    seats = 6 if kind == "easy" else -(-n // m)
    mentors = tuple(dataclasses.replace(t, capacity=seats) for t in p.mentors[:m])
    p = dataclasses.replace(p, mentors=mentors)
    kw: dict[str, Any] = {"size_min": 4, "size_max": 6}
    if kind == "hard":
        rng = np.random.default_rng(seed)
        by: dict[str | None, list[str]] = {}
        for e in p.mentees:
            by.setdefault(e.specialty, []).append(e.id)
        excl = []
        for e in p.mentees:
            pool = by[e.specialty]
            excl += [(e.id, pool[int(x)]) for x in rng.choice(len(pool), 2) if pool[int(x)] != e.id]
        kw |= {"exclusions": excl, "max_per_institution": 2}
    return p, kw


def small(
    n: int, seed: int, m: int, lo: int, hi: int, cap: int | None
) -> tuple[Problem, dict[str, Any]]:
    """As the tests: ``m`` mentors of ``hi`` seats, every third mentee pair excluded."""
    p = _bench.instance(n, seed)
    p = dataclasses.replace(
        p, mentors=tuple(dataclasses.replace(t, capacity=hi) for t in p.mentors[:m])
    )
    excl = [(f"e{k}", f"e{k + 1}") for k in range(0, n - 1, 3)]
    return p, {"size_min": lo, "size_max": hi, "max_per_institution": cap, "exclusions": excl}


def child(n: int, m: int, kind: str) -> dict[str, Any]:
    problem, kw = shape(n, m, kind)
    load = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    r = form_groups(problem, seed=1, **kw)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    placed = n - len(r.unplaced)
    return {"n": n, "m": m, "kind": kind, "seconds": seconds, "cpu_s": cpu, "load_1min": load, "groups": len(r.groups),
            "unplaced": len(r.unplaced), "total": r.total, "mean_pair_score": r.total / max(placed, 1),
            "exclusions": len(kw.get("exclusions", ())),
            "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=3)
    parser.add_argument("--cp-time", type=float, default=30.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--table", action="store_true")
    args = parser.parse_args()
    if args.table:
        (RESULTS / "groups.md").write_text(table(json.loads((RESULTS / "groups.json").read_text())))
        return 0
    if args.child:
        n, m, kind = args.child
        print(json.dumps(child(int(n), int(m), kind)))
        return 0
    report: dict[str, Any] = {"machine": _bench.machine(), "date": datetime.date.today().isoformat(),
                              "exact": [], "baselines": [], "speed": []}  # fmt: skip
    for n, seed, m, lo, hi, cap in SMALL:
        problem, kw = small(n, seed, m, lo, hi, cap)
        t = time.perf_counter()
        ours = form_groups(problem, seed=1, **kw)
        t_ours = time.perf_counter() - t
        t = time.perf_counter()
        best = exact_groups(problem, time_limit=args.cp_time, **kw)
        t_cp = time.perf_counter() - t
        ref = best.bound if best.bound is not None else best.total
        row = {"n": n, "m": m, "sizes": f"{lo}-{hi}", "cap": cap, "cp_placed": best.placed,
               "cp_best": best.total, "cp_bound": best.bound, "proved": best.proved,
               "ours": ours.total, "ours_placed": n - len(ours.unplaced),
               "gap_pct": None if not ref else 100 * (ref - ours.total) / ref,
               "cp_s": t_cp, "ours_s": t_ours}  # fmt: skip
        print(row, flush=True)
        report["exact"].append(row)
    problem, kw = shape(2000, 400, "hard")
    for name, fn in (("engine", form_groups), ("naive greedy", greedy_groups)):
        t = time.perf_counter()
        r = fn(problem, seed=1, **kw)
        row = {"method": name, "total": r.total, "unplaced": len(r.unplaced),
               "groups": len(r.groups), "seconds": time.perf_counter() - t}  # fmt: skip
        print(row, flush=True)
        report["baselines"].append(row)
    for n, m, kind in SPEED:
        runs = []
        for _ in range(args.repeats):
            done = subprocess.run([sys.executable, __file__, "--child", str(n), str(m), kind],
                                  check=True, capture_output=True, text=True)  # fmt: skip
            runs.append(json.loads(done.stdout.splitlines()[-1]))
        row = dict(runs[0])
        row["seconds"] = statistics.median(r["seconds"] for r in runs)
        row["peak_mib"] = max(r["peak_mib"] for r in runs)
        row["runs_s"] = [round(r["seconds"], 2) for r in runs]
        row["cpu_s"] = statistics.median(r["cpu_s"] for r in runs)
        row["loads"] = [round(r["load_1min"], 1) for r in runs]
        print(row, flush=True)
        report["speed"].append(row)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "groups.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "groups.md").write_text(table(report))
    print(table(report))
    return 0


def _f(x: float | None, fmt: str = "{:.2f}") -> str:
    return "—" if x is None else fmt.format(x)


def table(r: dict[str, Any]) -> str:
    lines = [f"Mentoring groups, {r['date']}, {r['machine']['cores']} cores ({r['machine']['cpu']})", "",
             "Small instances (mentors of size_max seats, every third mentee pair excluded) against CP-SAT (most placed, then best total):", "",
             "| mentees | mentors | sizes | cap | CP-SAT placed | CP-SAT best | CP-SAT bound | proved | ours placed | ours | gap % | CP-SAT s | ours s |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for e in r["exact"]:
        lines.append(
            f"| {e['n']} | {e['m']} | {e['sizes']} | {e['cap'] or '—'} | {e['cp_placed']} | {_f(e['cp_best'], '{:.4f}')} | {_f(e['cp_bound'], '{:.4f}')} | {e['proved']} | {e['ours_placed']} | {e['ours']:.4f} | {_f(e['gap_pct'])} | {e['cp_s']:.1f} | {e['ours_s']:.2f} |"
        )
    lines += [
        "",
        "| 2,000 mentees, 400 mentors, hard shape | total | unplaced | groups | s |",
        "|---|---|---|---|---|",
    ]
    for b in r["baselines"]:
        lines.append(
            f"| {b['method']} | {b['total']:.1f} | {b['unplaced']} | {b['groups']} | {b['seconds']:.2f} |"
        )
    lines += ["", "Whole `form_groups` call, groups of 4-6, median of 3 runs (each in its own process):", "",
              "| mentees | mentors | shape | s (median) | runs s | CPU s (median) | 1-min load | peak MiB | groups | unplaced | mean pair score |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for s in r["speed"]:
        lines.append(
            f"| {s['n']:,} | {s['m']:,} | {s['kind']} | {s['seconds']:.2f} | {' / '.join(map(str, s['runs_s']))} | {s['cpu_s']:.2f} | {' / '.join(map(str, s['loads']))} | {s['peak_mib']:.0f} | {s['groups']} | {s['unplaced']} | {s['mean_pair_score']:.3f} |"
        )
    lines += [
        "",
        "easy: 6 seats per mentor (24,000 / 2,400 seats), no exclusions. hard: seats exactly fill (5 per mentor), two exclusions per mentee within their specialty, at most 2 of one institution per group.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
