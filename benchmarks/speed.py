# ruff: noqa: E501
"""Benchmark of speed-mentoring schedules, written to benchmarks/results/speed.{json,md}.

CP-SAT reference (``exact_schedule``) on small and medium instances; on 600 mentees,
150 mentors and 8 rotations (tables of 1 and of 4) the whole ``schedule_event`` call,
each run in its own child process (median of 5 runs), its quality against the LP
bound of the same selection objective (``scipy.optimize.linprog``, HiGHS) and a naive
greedy (``greedy_schedule``). People: the correlated generator of
``benchmarks/matching.py`` (its first mentors).

Shapes: ``usual``: one exclusion per mentee (a mentor of their institution: a
reporting line), up to five choices per mentee drawn with a Zipf popularity over the
mentors (a few stars). ``hard``: ten exclusions per mentee among the mentors of their
specialty family (the best fits), a required mentor gender for a fifth of the mentees,
and choices concentrated on twelve star mentors. ``scarce``: the usual shape with 40
mentors (the seats run out: tables of 1 give 320 meetings for 600 mentees).

    python benchmarks/speed.py [--cp-time 60] [--repeats 5]
    python benchmarks/speed.py --table   # results/speed.md again from speed.json
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, vstack

from medmentor.matching import Preference, Problem
from medmentor.matching.speed import SpeedSchedule, exact_schedule, greedy_schedule, schedule_event
from medmentor.matching.speed.schedule import Setup, setup
from medmentor.matching.speed.select import levels

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
_spec = importlib.util.spec_from_file_location("bench_matching", HERE / "matching.py")
assert _spec is not None
assert _spec.loader is not None
_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bench)
EXACT = [  # mentees, mentors, rotations, table size, shape
    (8, 4, 3, 1, "usual"),
    (8, 4, 3, 2, "hard"),
    (12, 4, 3, 2, "usual"),
    (16, 6, 4, 2, "hard"),
    (24, 8, 4, 1, "usual"),
    (30, 10, 5, 2, "usual"),
    (40, 12, 5, 2, "hard"),
    (60, 15, 6, 2, "usual"),
]
SPEED = [(600, 150, 8, 1, "usual"), (600, 150, 8, 4, "usual"), (600, 150, 8, 1, "hard"),
         (600, 150, 8, 4, "hard"), (600, 40, 8, 1, "scarce"), (600, 40, 8, 4, "scarce")]  # fmt: skip


def event(n: int, m: int, kind: str, seed: int = 1) -> tuple[Problem, dict[str, list[str]]]:
    """The problem (``m`` of the generator's mentors) and the mentees' choices."""
    p = _bench.instance(n, seed)
    p = dataclasses.replace(p, mentors=p.mentors[:m])
    m = len(p.mentors)
    rng = np.random.default_rng(seed + 100)
    mentor_ids = [t.id for t in p.mentors]
    excl: list[tuple[str, str]] = []
    if kind == "hard":
        family: dict[str | None, list[str]] = {}
        for t in p.mentors:
            family.setdefault(t.specialty_parent, []).append(t.id)
        for e in p.mentees:
            pool = family.get(e.specialty_parent, [])
            excl += [(e.id, t) for t in rng.choice(pool, size=min(10, len(pool)), replace=False)]
        mentees = tuple(
            dataclasses.replace(
                e, preferences=(Preference("gender", frozenset({"woman"}), required=True),)
            )
            if k % 5 == 0
            else e
            for k, e in enumerate(p.mentees)
        )
        p = dataclasses.replace(p, mentees=mentees)
        pop = np.zeros(m)
        pop[rng.choice(m, size=min(12, m), replace=False)] = 1.0
        pop += 0.02
    else:
        by_inst: dict[str | None, list[str]] = {}
        for t in p.mentors:
            by_inst.setdefault(t.institution, []).append(t.id)
        for e in p.mentees:
            pool = by_inst.get(e.institution, [])
            if pool:
                excl.append((e.id, pool[int(rng.integers(0, len(pool)))]))
        pop = 1.0 / np.arange(1, m + 1) ** 0.9
        pop = pop[rng.permutation(m)]
    pop = pop / pop.sum()
    p = dataclasses.replace(p, exclusions=tuple(excl))
    choices = {
        e.id: [
            mentor_ids[int(j)]
            for j in rng.choice(m, size=min(m, int(rng.integers(0, 6))), replace=False, p=pop)
        ]
        for e in p.mentees
    }
    return p, choices


def measure(s: Setup, meetings: list[tuple[str, str, int]]) -> dict[str, Any]:
    """Fit, score, counts and balance of a list of meetings."""
    pos_e = {e.id: k for k, e in enumerate(s.problem.mentees)}
    pos_t = {t.id: k for k, t in enumerate(s.problem.mentors)}
    arcs = np.array([s.arc_of(pos_e[a], pos_t[b]) for a, b, _ in meetings], dtype=np.int64)
    per = Counter(a for a, _, _ in meetings)
    counts = [per[e.id] for e in s.problem.mentees]
    pairs = Counter((a, b) for a, b, _ in meetings)
    _, mentor_bonus = levels(s.enc.n, s.enc.m, len(s.ai), s.rotations, s.table_size)
    load = np.bincount(s.aj[arcs], minlength=s.enc.m)
    spread = int(np.cumsum(mentor_bonus)[load].sum())
    chosen = s.rank > 0
    met_chosen = int((s.rank[arcs] > 0).sum())
    return {"meetings": len(meetings), "fit": int(s.fit[arcs].sum()), "spread": spread,
            "score": float(s.aq[arcs].sum() / 1e6), "unmet": counts.count(0),
            "min_meetings": min(counts), "max_meetings": max(counts),
            "repeated_pairs": sum(c - 1 for c in pairs.values()),
            "choices_met_pct": 100 * met_chosen / max(int(chosen.sum()), 1)}  # fmt: skip


def lp_bound(s: Setup) -> dict[str, Any]:
    """The LP of the same selection objective, lexicographic in two stages (HiGHS):
    first the most mentee balance (the k-th meeting worth R + 1 - k: the same order
    as the engine's bonuses, small integers), then, at that balance, the largest fit
    plus mentor spread. Stage one is a network LP (integral); stage two adds one row,
    so its optimum is an upper bound on any schedule of that balance."""
    n, m, R, t = s.enc.n, s.enc.m, s.rotations, s.table_size
    seats = R * t
    _, mentor_bonus = levels(n, m, len(s.ai), R, t)
    a = len(s.ai)
    # Variables: x (arcs), y (mentee i's k-th meeting), z (mentor j's k-th seat).
    nx, ny, nz = a, n * R, m * seats
    rows_e = coo_matrix((np.ones(a), (s.ai, np.arange(a))), shape=(n, nx + ny + nz))
    ye = np.arange(ny)
    rows_e -= coo_matrix((np.ones(ny), (ye // R, nx + ye)), shape=(n, nx + ny + nz))
    rows_m = coo_matrix((np.ones(a), (s.aj, np.arange(a))), shape=(m, nx + ny + nz))
    zm = np.arange(nz)
    rows_m -= coo_matrix((np.ones(nz), (zm // seats, nx + ny + zm)), shape=(m, nx + ny + nz))
    a_eq = vstack([rows_e, rows_m]).tocsr()
    b_eq = np.zeros(n + m)
    balance = np.zeros(nx + ny + nz)
    balance[nx : nx + ny] = R - (ye % R)  # k = ye % R + 1: R + 1 - k
    t0 = time.perf_counter()
    first = linprog(-balance, A_eq=a_eq, b_eq=b_eq, bounds=(0, 1), method="highs")
    best_balance = -first.fun
    second_c = np.zeros(nx + ny + nz)
    second_c[:nx] = s.fit
    second_c[nx + ny :] = mentor_bonus[1 + zm % seats]
    second = linprog(-second_c, A_ub=-balance[None, :], b_ub=[-(best_balance - 0.5)],
                     A_eq=a_eq, b_eq=b_eq, bounds=(0, 1), method="highs")  # fmt: skip
    x = second.x[:nx]
    return {"bound": -second.fun, "meetings": float(x.sum()), "lp_s": time.perf_counter() - t0,
            "fractional": int(((x > 1e-6) & (x < 1 - 1e-6)).sum())}  # fmt: skip


def triples(sched: SpeedSchedule) -> list[tuple[str, str, int]]:
    return [(x.mentee_id, x.mentor_id, x.rotation) for x in sched.meetings]


def child(n: int, m: int, rotations: int, table: int, kind: str) -> dict[str, Any]:
    problem, choices = event(n, m, kind)
    load = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    r = schedule_event(problem, rotations=rotations, table_size=table, choices=choices, seed=1)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"seconds": seconds, "cpu_s": cpu, "load_1min": load, "meetings": len(r.meetings),
            "peak_mib": _peak_mib()}  # fmt: skip


def _peak_mib() -> float:
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def quality(n: int, m: int, rotations: int, table: int, kind: str) -> dict[str, Any]:
    problem, choices = event(n, m, kind)
    s = setup(problem, rotations, table, choices, (), 1)
    ours = schedule_event(problem, rotations=rotations, table_size=table, choices=choices, seed=1)
    t = time.perf_counter()
    naive = greedy_schedule(problem, rotations=rotations, table_size=table, choices=choices, seed=1)
    greedy_s = time.perf_counter() - t
    got, base = measure(s, triples(ours)), measure(s, triples(naive))
    lp = lp_bound(s)
    value = got["fit"] + got["spread"]
    first_choice_rot = [x.rotation for x in ours.meetings if x.choice == 1]
    return {"n": n, "m": m, "rotations": rotations, "table": table, "kind": kind,
            "eligible_pairs": len(s.ai), "exclusions": len(problem.exclusions),
            "choices": sum(len(c) for c in choices.values()), "ours": got, "greedy": base,
            "greedy_s": greedy_s, "lp": lp,
            "gap_pct": 100 * (lp["bound"] - value) / lp["bound"],
            "greedy_gap_pct": 100 * (lp["bound"] - base["fit"] - base["spread"]) / lp["bound"],
            "first_choice_mean_rotation": statistics.mean(first_choice_rot) if first_choice_rot else None,
            "mean_score": ours.total / max(len(ours.meetings), 1)}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=5)
    parser.add_argument("--cp-time", type=float, default=60.0)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--table", action="store_true")
    args = parser.parse_args()
    if args.table:
        (RESULTS / "speed.md").write_text(table(json.loads((RESULTS / "speed.json").read_text())))
        return 0
    if args.child:
        n, m, rot, tab, kind = args.child
        print(json.dumps(child(int(n), int(m), int(rot), int(tab), kind)))
        return 0
    report: dict[str, Any] = {"machine": _bench.machine(), "date": datetime.date.today().isoformat(),
                              "exact": [], "speed": []}  # fmt: skip
    for n, m, rot, tab, kind in EXACT:
        problem, choices = event(n, m, kind)
        s = setup(problem, rot, tab, choices, (), 1)
        t = time.perf_counter()
        ours = schedule_event(problem, rotations=rot, table_size=tab, choices=choices, seed=1)
        t_ours = time.perf_counter() - t
        t = time.perf_counter()
        best = exact_schedule(
            problem, rotations=rot, table_size=tab, choices=choices, time_limit=args.cp_time
        )
        t_cp = time.perf_counter() - t
        got = measure(s, triples(ours))
        ref = measure(s, list(best.meetings)) if best.objective is not None else None
        row = {"n": n, "m": m, "rotations": rot, "table": tab, "kind": kind,
               "proved": best.proved, "cp_meetings": ref and ref["meetings"],
               "cp_fit": ref and ref["fit"] + ref["spread"], "cp_total": best.total,
               "ours_meetings": got["meetings"], "ours_fit": got["fit"] + got["spread"],
               "ours_total": ours.total,
               "same_objective": best.objective is not None and ref is not None
               and got["meetings"] == ref["meetings"] and got["min_meetings"] == ref["min_meetings"],
               "gap_pct": None if not ref else 100 * (ref["fit"] + ref["spread"] - got["fit"] - got["spread"]) / (ref["fit"] + ref["spread"]),
               "cp_s": t_cp, "ours_s": t_ours}  # fmt: skip
        print(row, flush=True)
        report["exact"].append(row)
    for n, m, rot, tab, kind in SPEED:
        runs = []
        for _ in range(args.repeats):
            done = subprocess.run([sys.executable, __file__, "--child", str(n), str(m), str(rot), str(tab), kind],
                                  check=True, capture_output=True, text=True)  # fmt: skip
            runs.append(json.loads(done.stdout.splitlines()[-1]))
        row = quality(n, m, rot, tab, kind)
        row["seconds"] = statistics.median(r["seconds"] for r in runs)
        row["runs_s"] = [round(r["seconds"], 2) for r in runs]
        row["cpu_s"] = statistics.median(r["cpu_s"] for r in runs)
        row["loads"] = [round(r["load_1min"], 1) for r in runs]
        row["peak_mib"] = max(r["peak_mib"] for r in runs)
        print(row, flush=True)
        report["speed"].append(row)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "speed.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "speed.md").write_text(table(report))
    print(table(report))
    return 0


def _f(x: float | None, fmt: str = "{:.2f}") -> str:
    return "—" if x is None else fmt.format(x)


def table(r: dict[str, Any]) -> str:
    lines = [f"Speed-mentoring schedules, {r['date']}, {r['machine']['cores']} cores ({r['machine']['cpu']})", "",
             "Against CP-SAT (`exact_schedule`: the same objective, mentee balance, then fit + mentor spread, in units of 1e-4 of a perfect score):", "",
             "| mentees | mentors | rotations | table | shape | proved | CP-SAT meetings | ours meetings | same balance | CP-SAT fit | ours fit | gap % | CP-SAT total score | ours | CP-SAT s | ours s |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for e in r["exact"]:
        lines.append(
            f"| {e['n']} | {e['m']} | {e['rotations']} | {e['table']} | {e['kind']} | {e['proved']} | {e['cp_meetings']} | {e['ours_meetings']} | {e['same_objective']} | {e['cp_fit']} | {e['ours_fit']} | {_f(e['gap_pct'], '{:.3f}')} | {_f(e['cp_total'], '{:.4f}')} | {e['ours_total']:.4f} | {e['cp_s']:.1f} | {e['ours_s']:.2f} |"
        )
    lines += ["", "600 mentees, 8 rotations: the whole `schedule_event` call (its own process, median of the runs), quality against the LP bound of the same objective and a naive greedy:", "",
              "| mentors | table | shape | s (median) | runs s | CPU s | 1-min load | peak MiB | meetings | unmet | min-max per mentee | repeated pairs | choices met % | mean score | fit + spread | LP bound | gap % | greedy meetings | greedy unmet | greedy min-max | greedy gap % |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for s in r["speed"]:
        o, g = s["ours"], s["greedy"]
        lines.append(
            f"| {s['m']} | {s['table']} | {s['kind']} | {s['seconds']:.2f} | {' / '.join(map(str, s['runs_s']))} | {s['cpu_s']:.2f} | {' / '.join(map(str, s['loads']))} | {s['peak_mib']:.0f} | {o['meetings']} | {o['unmet']} | {o['min_meetings']}-{o['max_meetings']} | {o['repeated_pairs']} | {o['choices_met_pct']:.1f} | {s['mean_score']:.3f} | {o['fit'] + o['spread']:,} | {s['lp']['bound']:,.0f} | {s['gap_pct']:.3f} | {g['meetings']} | {g['unmet']} | {g['min_meetings']}-{g['max_meetings']} | {s['greedy_gap_pct']:.1f} |"
        )
    lines += [
        "",
        "usual: one exclusion per mentee (a mentor of their institution), up to five choices per mentee (Zipf popularity). hard: ten exclusions per mentee among the mentors of their specialty family, a required mentor gender for a fifth of the mentees, choices concentrated on twelve stars. scarce: the usual shape with 40 mentors.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
