# ruff: noqa: E501
"""Benchmark of the matching engine (issue 4), written to benchmarks/results/.

Every measurement runs in its own child process, so its peak memory (``ru_maxrss``)
is that of the whole process. Instances are random and correlated (provinces with
their institutions and time zones, specialty families, interests that follow the
specialty, French in Quebec, ...), with mentors x capacity 4 = 1.1 x mentees.

The ``people`` section writes the instance as PEOPLE.csv (features only, exclusions on
both sides) in two shapes, one seat per mentee and 1.1 seats per mentee, and times
the whole ``medmentor match`` process (wall, CPU, peak memory of the child) and
``solve()`` alone, stable and optimal (optimal stopped after ``--optimal-timeout``).
``--sections`` runs some sections only; the others keep their last results.

    python benchmarks/matching.py [--sizes 1000,5000,20000,60000] [--complete-sizes 1000,5000]
        [--package-timeout 300] [--repeats 3] [--people-sizes 60000,200000]
        [--optimal-timeout 120] [--sections features,lists20,complete,people]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from medmentor.matching import Mentee, Mentor, Preference, Problem, Rules, solve
from medmentor.matching.candidates import preference_lists
from medmentor.matching.encode import encode
from medmentor.matching.parallel import map_blocks
from medmentor.matching.scoring import block_rows, mentor_keys, raw_block

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
PROVINCES = {"ON": (38, -5.0), "QC": (22, -5.0), "BC": (14, -8.0), "AB": (12, -7.0),
             "MB": (4, -6.0), "SK": (3, -6.0), "NS": (3, -4.0), "NB": (2, -4.0),
             "NL": (1.5, -3.5), "PE": (0.5, -4.0), "YT": (0.2, -7.0), "NT": (0.2, -7.0),
             "NU": (0.1, -5.0)}  # fmt: skip
FAMILIES = 6
SPECIALTIES = 24
INTERESTS = 20
GOALS = ("career", "expectations", "work-life", "wellness", "leadership", "research",
         "clinical", "teaching", "practice")  # fmt: skip


def instance(n: int, seed: int = 1, *, seats: str = "spare") -> Problem:
    """A random correlated instance of ``n`` mentees and mentors of capacity 4:
    ceil(1.1 n / 4) of them (``seats="spare"``) or exactly one seat per mentee
    (``seats="mentees"``: n // 4 mentors, one more with the remainder)."""
    rng = np.random.default_rng(seed)
    m = -(-11 * n // 40) if seats == "spare" else -(-n // 4)
    provs = list(PROVINCES)
    weights = np.array([PROVINCES[p][0] for p in provs])
    weights = weights / weights.sum()

    def people(count: int, mentor: bool) -> list[dict[str, Any]]:
        prov = rng.choice(len(provs), size=count, p=weights)
        spec = rng.integers(0, SPECIALTIES, size=count)
        out = []
        for k in range(count):
            p = provs[prov[k]]
            s = int(spec[k])
            langs = {"fr"} if p == "QC" and rng.random() < 0.6 else {"en"}
            if rng.random() < 0.2:
                langs |= {"en", "fr"}
            base = (s * 3) % INTERESTS
            picks = {f"i{(base + int(x)) % INTERESTS}" for x in rng.integers(0, 5, size=2)}
            picks.add(f"i{int(rng.integers(0, INTERESTS))}")
            goals = rng.choice(len(GOALS), size=3 if mentor else 2, replace=False)
            out.append(
                {
                    "career_stage": int(rng.integers(3, 8) if mentor else rng.integers(1, 5)),
                    "specialty": f"s{s}",
                    "specialty_parent": f"f{s % FAMILIES}",
                    "province": p,
                    "institution": f"{p}-{int(rng.integers(0, 3))}",
                    "languages": frozenset(langs),
                    "interests": frozenset(picks),
                    "goals": frozenset(GOALS[g] for g in goals),
                    "modality": ("virtual", "in_person", "either")[int(rng.integers(0, 3))],
                    "cadence": ("monthly", "biweekly", "quarterly")[int(rng.integers(0, 3))],
                    "utc_offset": PROVINCES[p][1],
                    "gender": ("woman", "man", "nonbinary")[
                        int(rng.choice(3, p=[0.5, 0.47, 0.03]))
                    ],
                }
            )
        return out

    mentees = []
    for k, f in enumerate(people(n, False)):
        prefs: tuple[Preference, ...] = ()
        if rng.random() < 0.3:
            prefs = (Preference("gender", frozenset({f["gender"]}), float(rng.choice([0.5, 1]))),)
        conf = "institution" if rng.random() < 0.2 else None
        mentees.append(Mentee(f"e{k}", **f, preferences=prefs, confidentiality=conf))
    capacities = [4] * m
    if seats == "mentees" and n % 4:
        capacities[-1] = n % 4
    mentors = [
        Mentor(f"t{k}", **f, capacity=c)
        for k, (f, c) in enumerate(zip(people(m, True), capacities, strict=True))
    ]
    return Problem(tuple(mentees), tuple(mentors), rules=Rules(require_shared_language=True))


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- child measurements -----------------------------------------------------------
def child_scores(n: int) -> dict[str, Any]:
    problem = instance(n)
    c0, t0 = time.process_time(), time.perf_counter()
    enc = encode(problem)
    t1 = time.perf_counter()
    step = block_rows(enc)
    blocks = [np.arange(a, min(enc.n, a + step), dtype=np.int64) for a in range(0, enc.n, step)]
    _ = enc.kernel
    # As the engine does: blocks on every core, BLAS on one thread per block.
    best = max(map_blocks(lambda rows: float(raw_block(enc, rows).max()), blocks))
    t2 = time.perf_counter()
    return {"encode_s": t1 - t0, "score_all_pairs_s": t2 - t1, "seconds": t2 - t0,
            "cpu_s": time.process_time() - c0, "pairs": enc.n * enc.m, "best_score": best,
            "columns": int(enc.kernel.U.shape[1])}  # fmt: skip


def child_solve(n: int, algorithm: str) -> dict[str, Any]:
    problem = instance(n)
    c0, t0 = time.process_time(), time.perf_counter()
    result = solve(problem, algorithm, seed=1)
    t1 = time.perf_counter()
    s = result.summary
    return {"seconds": t1 - t0, "cpu_s": time.process_time() - c0,
            "matched_share": s.matched_share, "mean_score": s.mean_score,
            "total_score": s.total_score, "extensions": s.extensions}  # fmt: skip


def _lists_instance(
    n: int, k: int = 20
) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, int]]:
    """20-long lists from the feature instance: each mentee's exact top 20, each mentor
    ranking (by its own preference) the mentees who listed it."""
    problem = instance(n)
    enc = encode(problem, 1)
    lists = preference_lists(enc, k)
    keys = mentor_keys(enc, lists.i, lists.j, lists.q)
    e_ids = [x.id for x in problem.mentees]
    t_ids = [x.id for x in problem.mentors]
    resident = {e_ids[i]: [] for i in range(enc.n)}
    for i, j in zip(lists.i.tolist(), lists.j.tolist(), strict=True):
        resident[e_ids[i]].append(t_ids[j])
    order = np.lexsort((-keys, lists.j))
    hospital: dict[str, list[str]] = {t: [] for t in t_ids}
    for x in order.tolist():
        hospital[t_ids[int(lists.j[x])]].append(e_ids[int(lists.i[x])])
    resident = {r: p for r, p in resident.items() if p}
    hospital = {h: p for h, p in hospital.items() if p}
    return resident, hospital, dict.fromkeys(hospital, 4)


def _complete_lists(
    n: int, seed: int = 3
) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, int]]:
    """Complete rank lists on both sides, correlated (shared quality plus noise)."""
    rng = np.random.default_rng(seed)
    m = n // 4
    e_ids = [f"e{i}" for i in range(n)]
    t_ids = [f"t{j}" for j in range(m)]
    tq = rng.normal(size=m)
    eq = rng.normal(size=n)
    er = np.argsort(-(tq[None, :] + rng.normal(size=(n, m))), axis=1)
    tr = np.argsort(-(eq[None, :] + rng.normal(size=(m, n))), axis=1)
    resident = {e_ids[i]: [t_ids[j] for j in er[i]] for i in range(n)}
    hospital = {t_ids[j]: [e_ids[i] for i in tr[j]] for j in range(m)}
    return resident, hospital, dict.fromkeys(t_ids, 4)


def _ours_on_lists(resident: dict[str, list[str]], hospital: dict[str, list[str]],
                   caps: dict[str, int]) -> tuple[float, dict[str, str]]:  # fmt: skip
    mentees = tuple(Mentee(r, ranks=tuple(p)) for r, p in resident.items())
    mentors = tuple(
        Mentor(h, ranks=tuple(hospital.get(h, ())), capacity=c) for h, c in caps.items()
    )
    t0 = time.perf_counter()
    got = solve(Problem(mentees, mentors), "stable", explain=False).mentor_of()
    return time.perf_counter() - t0, got


def _package(resident: dict[str, list[str]], hospital: dict[str, list[str]],
             caps: dict[str, int]) -> tuple[float, dict[str, str]]:  # fmt: skip
    import warnings

    # This file is called matching.py too: look the package up without this folder.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
    if getattr(sys.modules.get("matching"), "__file__", None) == __file__:
        del sys.modules["matching"]
    from matching.games import HospitalResident

    out: dict[str, Any] = {}

    def run() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t0 = time.perf_counter()
            game = HospitalResident.create_from_dictionaries(resident, hospital, caps)
            matching = game.solve(optimal="resident")
            out["seconds"] = time.perf_counter() - t0
            out["match"] = {r.name: h.name for h, rs in matching.items() for r in rs}

    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1 << 29)
    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return out["seconds"], out["match"]


def child_package(n: int, kind: str) -> dict[str, Any]:
    lists = _lists_instance(n) if kind == "lists20" else _complete_lists(n)
    seconds, match = _package(*lists)
    return {"seconds": seconds, "match": match}


def child_ours_lists(n: int, kind: str) -> dict[str, Any]:
    lists = _lists_instance(n) if kind == "lists20" else _complete_lists(n)
    seconds, match = _ours_on_lists(*lists)
    return {"seconds": seconds, "match": match}


def reference_da(resident: dict[str, list[str]], hospital: dict[str, list[str]],
                 caps: dict[str, int]) -> dict[str, str]:  # fmt: skip
    """Plain-Python resident-proposing deferred acceptance (an independent check)."""
    import heapq

    rank = {h: {r: k for k, r in enumerate(p)} for h, p in hospital.items()}
    nxt = dict.fromkeys(resident, 0)
    held: dict[str, list[tuple[int, str]]] = {h: [] for h in caps}
    free = list(resident)
    while free:
        r = free.pop()
        prefs = resident[r]
        while nxt[r] < len(prefs):
            h = prefs[nxt[r]]
            nxt[r] += 1
            if r not in rank.get(h, {}):
                continue
            heap = held[h]
            key = (-rank[h][r], r)
            if len(heap) < caps[h]:
                heapq.heappush(heap, key)
                break
            if heap[0] < key:
                _, out = heapq.heapreplace(heap, key)
                free.append(out)
                break
    return {r: h for h, heap in held.items() for _, r in heap}


# -- the parent ---------------------------------------------------------------------
def run_child(args: list[str], timeout: float | None = None) -> dict[str, Any] | None:
    """Run one measurement in a fresh process; None when it exceeds ``timeout``."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as exc:
        raise RuntimeError(f"{args}: {exc.stderr[-2000:]}") from None
    return json.loads(done.stdout.splitlines()[-1])


def best_of(args: list[str], repeats: int) -> dict[str, Any]:
    """Run a measurement ``repeats`` times; the fastest run, with every run's figures
    and the machine's 1-minute load average before each (the machine is shared)."""
    runs = []
    for _ in range(repeats):
        load = os.getloadavg()[0]
        out = run_child(args)
        assert out is not None
        out["load_1min"] = load
        runs.append(out)
    best = dict(min(runs, key=lambda r: r["seconds"]))
    best["min_cpu_s"] = min(r["cpu_s"] for r in runs)
    best["runs"] = [{k: r[k] for k in ("seconds", "cpu_s", "peak_mib", "load_1min")} for r in runs]
    return best


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cores": str(os.cpu_count()), "cpu": cpu, "python": platform.python_version(),
            "numpy": np.__version__, "platform": platform.platform()}  # fmt: skip


def cli_process(csv_path: Path) -> tuple[float, float, float, Path]:
    """Time a whole ``medmentor match`` process; peak memory from a fresh parent."""
    out = csv_path.with_suffix(".out.csv")
    cmd = [sys.executable, "-c", "import sys; from medmentor.cli import main; sys.exit(main())",
           "match", str(csv_path), "--out", str(out)]  # fmt: skip
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        f"subprocess.run({cmd!r}, check=True, capture_output=True)\n"
        "s = time.perf_counter() - t\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps([s, u.ru_maxrss / 1024, u.ru_utime + u.ru_stime]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", wrapper], check=True, capture_output=True, text=True
    )
    seconds, peak, cpu = json.loads(done.stdout)
    return seconds, peak, cpu, out


def write_complete_csv(n: int, path: Path) -> dict[str, str]:
    resident, hospital, caps = _complete_lists(n)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("id,role,capacity,ranks\n")
        for r, p in resident.items():
            fh.write(f"{r},mentee,,{';'.join(p)}\n")
        for h, p in hospital.items():
            fh.write(f"{h},mentor,{caps[h]},{';'.join(p)}\n")
    return reference_da(resident, hospital, caps)


SECTIONS = ("features", "lists20", "complete", "people")
PEOPLE_COLUMNS = ("id,role,capacity,career_stage,specialty,specialty_parent,province,institution,"
                  "languages,interests,goals,modality,cadence,time_zone,gender,confidentiality,"
                  "prefers_gender,prefers_gender_importance,exclude")  # fmt: skip


def write_people_csv(n: int, seats: str, path: Path, seed: int = 1) -> None:
    """:func:`instance` as PEOPLE.csv, features only, with exclusions on both sides:
    2 % of mentees exclude one or two mentors, 2 % of mentors one or two mentees."""
    problem = instance(n, seed, seats=seats)
    rng = np.random.default_rng(seed + 100)
    n, m = len(problem.mentees), len(problem.mentors)

    def excluded(count: int, other: int, prefix: str) -> list[str]:
        out = [""] * count
        for k in np.flatnonzero(rng.random(count) < 0.02).tolist():
            picks = rng.choice(other, size=int(rng.integers(1, 3)), replace=False)
            out[k] = ";".join(f"{prefix}{int(x)}" for x in picks)
        return out

    mentee_excl, mentor_excl = excluded(n, m, "t"), excluded(m, n, "e")
    with path.open("w", encoding="utf-8") as fh:
        fh.write(PEOPLE_COLUMNS + "\n")
        for people, role, excl in ((problem.mentees, "mentee", mentee_excl),
                                   (problem.mentors, "mentor", mentor_excl)):  # fmt: skip
            for p, ex in zip(people, excl, strict=True):
                pref = p.preferences[0] if isinstance(p, Mentee) and p.preferences else None
                cells = [p.id, role, str(p.capacity) if isinstance(p, Mentor) else "",
                         str(p.career_stage), p.specialty, p.specialty_parent, p.province,
                         p.institution, ";".join(sorted(p.languages)),
                         ";".join(sorted(p.interests)), ";".join(sorted(p.goals)), p.modality,
                         p.cadence, f"{p.utc_offset:g}", p.gender,
                         (p.confidentiality or "") if isinstance(p, Mentee) else "",
                         ";".join(sorted(pref.values)) if pref else "",
                         f"{pref.importance:g}" if pref else "", ex]  # fmt: skip
                fh.write(",".join(c or "" for c in cells) + "\n")


def process_figures(cmd: list[str], timeout: float | None) -> dict[str, Any] | None:
    """Wall time, CPU time and peak memory of ``cmd`` as a whole process (measured
    from a fresh parent, so RUSAGE_CHILDREN holds only this child); None on timeout."""
    wrapper = (
        "import json, resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        f"done = subprocess.run({cmd!r}, capture_output=True, timeout={timeout!r})\n"
        "s = time.perf_counter() - t\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps([done.returncode, s, u.ru_maxrss / 1024, u.ru_utime + u.ru_stime,"
        " done.stderr.decode()[-2000:]]))\n"
    )
    try:
        done = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True,
                              check=True)  # fmt: skip
    except subprocess.CalledProcessError as exc:
        if "TimeoutExpired" in exc.stderr:
            return None
        raise
    code, seconds, peak, cpu, stderr = json.loads(done.stdout)
    if code != 0:
        raise RuntimeError(f"{cmd}: exit {code}: {stderr}")
    return {"seconds": seconds, "peak_mib": peak, "cpu_s": cpu, "load_1min": os.getloadavg()[0]}


def match_command(csv_path: Path, algorithm: str, out: Path) -> list[str]:
    return [sys.executable, "-c", "import sys; from medmentor.cli import main; sys.exit(main())",
            "match", str(csv_path), "--algorithm", algorithm, "--out", str(out)]  # fmt: skip


def child_people_solve(path: str, algorithm: str) -> dict[str, Any]:
    """``solve()`` alone on a PEOPLE.csv (read first, outside the timing)."""
    from medmentor.matching.csvio import read_people

    problem, _, _ = read_people(Path(path).read_bytes())
    c0, t0 = time.process_time(), time.perf_counter()
    result = solve(problem, algorithm, seed=0)
    return {"seconds": time.perf_counter() - t0, "cpu_s": time.process_time() - c0,
            "matched_share": result.summary.matched_share}  # fmt: skip


def people_files(sizes: list[int], timeout: float, repeats: int) -> list[dict[str, Any]]:
    """The whole ``medmentor match`` process and ``solve()`` alone on PEOPLE.csv files
    of both shapes, stable and optimal (optimal stopped after ``timeout`` seconds)."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            for seats in ("mentees", "spare"):
                path = Path(tmp) / f"people-{seats}-{n}.csv"
                write_people_csv(n, seats, path)
                row: dict[str, Any] = {"mentees": n, "seats": seats,
                                       "mentors": -(-n // 4) if seats == "mentees" else -(-11 * n // 40),
                                       "file_mib": path.stat().st_size / 2**20}  # fmt: skip
                for algorithm in ("stable", "optimal"):
                    limit = None if algorithm == "stable" else timeout
                    runs = []
                    for _ in range(repeats if algorithm == "stable" else 1):
                        got = process_figures(
                            match_command(path, algorithm, path.with_suffix(".out")), limit
                        )
                        if got is None:
                            break
                        runs.append(got)
                    best = min(runs, key=lambda r: r["seconds"]) if runs else None
                    alone = run_child(["people-solve", str(path), algorithm], timeout=limit)
                    row[algorithm] = {"process": best, "runs": runs, "timeout_s": limit,
                                      "solve_s": None if alone is None else alone["seconds"],
                                      "solve_peak_mib": None if alone is None else alone["peak_mib"]}  # fmt: skip
                    print(n, seats, algorithm, row[algorithm], flush=True)
                rows.append(row)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs="+")
    parser.add_argument("--sizes", default="1000,5000,20000,60000")
    parser.add_argument("--package-timeout", type=float, default=300.0)
    parser.add_argument("--complete-sizes", default="1000,5000")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement (min kept)")
    parser.add_argument("--people-sizes", default="60000,200000",
                        help="PEOPLE.csv files timed as a whole `medmentor match` process")  # fmt: skip
    parser.add_argument("--optimal-timeout", type=float, default=120.0,
                        help="seconds after which an optimal run on a PEOPLE.csv is stopped")  # fmt: skip
    parser.add_argument("--sections", default=",".join(SECTIONS),
                        help="which sections to run; the others keep their last results")  # fmt: skip
    args = parser.parse_args()
    if args.child:
        mode = args.child[0]
        if mode == "people-solve":
            out = child_people_solve(args.child[1], args.child[2])
            out["peak_mib"] = _rss_mib()
            print(json.dumps(out))
            return 0
        n = int(args.child[1])
        if mode == "scores":
            out = child_scores(n)
        elif mode in ("stable", "optimal"):
            out = child_solve(n, mode)
        elif mode == "package":
            out = child_package(n, args.child[2])
        else:
            out = child_ours_lists(n, args.child[2])
        out["peak_mib"] = _rss_mib()
        print(json.dumps(out))
        return 0

    RESULTS.mkdir(exist_ok=True)
    sections = set(args.sections.split(","))
    report: dict[str, Any] = {key: [] for key in SECTIONS}
    if (RESULTS / "matching.json").exists():
        report.update(json.loads((RESULTS / "matching.json").read_text()))
    report["machine"] = machine()
    kept_people = report.get("people", [])
    for name in sections:
        report[name] = []
    sizes = [int(s) for s in args.sizes.split(",") if s] if "features" in sections else []
    for n in sizes:
        row: dict[str, Any] = {"mentees": n, "mentors": -(-11 * n // 40)}
        for mode in ("scores", "stable", "optimal"):
            row[mode] = best_of([mode, str(n)], args.repeats)
            print(n, mode, row[mode], flush=True)
        report["features"].append(row)
    for n in sizes if "lists20" in sections else []:
        ours = run_child(["ours", str(n), "lists20"])
        pkg = run_child(["package", str(n), "lists20"], timeout=args.package_timeout)
        assert ours is not None
        entry = {"mentees": n, "ours_s": ours["seconds"], "ours_peak_mib": ours["peak_mib"],
                 "package_s": None if pkg is None else pkg["seconds"],
                 "identical": None if pkg is None else pkg["match"] == ours["match"]}  # fmt: skip
        print(entry, flush=True)
        report["lists20"].append(entry)
    for n in (
        [int(s) for s in args.complete_sizes.split(",") if s] if "complete" in sections else []
    ):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"complete-{n}.csv"
            expected = write_complete_csv(n, path)
            runs = []
            for _ in range(args.repeats):
                load = os.getloadavg()[0]
                seconds, peak, cpu, out = cli_process(path)
                runs.append({"seconds": seconds, "cpu_s": cpu, "peak_mib": peak, "load_1min": load})
            seconds, peak, cpu = (min(r[k] for r in runs) for k in ("seconds", "peak_mib", "cpu_s"))
            import csv

            with out.open(encoding="utf-8") as fh:
                got = {r["mentee_id"]: r["mentor_id"] for r in csv.DictReader(fh) if r["mentor_id"]}
        pkg = run_child(["package", str(n), "complete"], timeout=args.package_timeout)
        entry = {"mentees": n, "mentors": n // 4, "cli_process_s": seconds, "cli_peak_mib": peak,
                 "cli_cpu_s": cpu, "runs": runs,
                 "identical_to_reference_da": got == expected,
                 "package_s": None if pkg is None else pkg["seconds"],
                 "identical_to_package": None if pkg is None else pkg["match"] == got,
                 "package_timeout_s": args.package_timeout}  # fmt: skip
        print(entry, flush=True)
        report["complete"].append(entry)
    if "people" in sections:
        people_sizes = [int(s) for s in args.people_sizes.split(",") if s]
        # Sizes not run this time keep their last figures (60k and 200k can be run apart).
        kept = [row for row in kept_people if row["mentees"] not in people_sizes]
        fresh = people_files(people_sizes, args.optimal_timeout, args.repeats)
        report["people"] = sorted(kept + fresh, key=lambda row: (row["mentees"], row["seats"]))
    (RESULTS / "matching.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "matching.md").write_text(table(report))
    print(table(report))
    return 0


def _f(x: float | None, fmt: str = "{:.2f}") -> str:
    return "—" if x is None else fmt.format(x)


def table(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [f"Machine: {m['cores']} cores, {m['cpu']}, Python {m['python']}, NumPy {m['numpy']}", "",
             "Features only (min of repeats; wall s / CPU s = user + sys of every thread; 1-min load before the runs):", "",
             "| mentees | mentors | scores s | CPU s | MiB | stable s | CPU s | MiB | matched | optimal s | CPU s | MiB | re-solves | load |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]  # fmt: skip
    for r in report["features"]:
        s, st, op = r["scores"], r["stable"], r["optimal"]
        loads = "/".join(f"{x['load_1min']:.1f}" for m in (s, st, op) for x in m["runs"])
        lines.append(f"| {r['mentees']:,} | {r['mentors']:,} | {s['seconds']:.2f} | {s['min_cpu_s']:.2f} | {s['peak_mib']:.0f} | "
                     f"{st['seconds']:.2f} | {st['min_cpu_s']:.2f} | {st['peak_mib']:.0f} | {100 * st['matched_share']:.1f}% | "
                     f"{op['seconds']:.2f} | {op['min_cpu_s']:.2f} | {op['peak_mib']:.0f} | {op['extensions']} | {loads} |")  # fmt: skip
    lines += ["", "20-long lists (each mentee's exact top 20), stable, same lists to both:", "",
              "| mentees | ours s | `matching` s | ratio | identical |", "|---:|---:|---:|---:|:---:|"]  # fmt: skip
    for r in report["lists20"]:
        if r["package_s"] is None:
            pkg, ratio = "> 300 (stopped)", f"> {300 / r['ours_s']:.0f}x"
        else:
            pkg, ratio = _f(r["package_s"]), f"{r['package_s'] / r['ours_s']:.0f}x"
        lines.append(
            f"| {r['mentees']:,} | {r['ours_s']:.3f} | {pkg} | {ratio} | {'—' if r['identical'] is None else r['identical']} |"
        )
    lines += ["", "Complete rank lists on both sides, whole `medmentor match` process:", "",
              "| mentees x mentors | medmentor match s | CPU s | peak MiB | `matching` s | ratio | identical | load |",
              "|---|---:|---:|---:|---:|---:|:---:|---|"]  # fmt: skip
    for r in report["complete"]:
        if r["package_s"] is None:
            pkg, ratio = (
                f"> {r['package_timeout_s']:.0f} (stopped)",
                f"> {r['package_timeout_s'] / r['cli_process_s']:.0f}x",
            )
            same = f"{r['identical_to_reference_da']} (vs plain DA)"
        else:
            pkg, ratio = f"{r['package_s']:.2f}", f"{r['package_s'] / r['cli_process_s']:.0f}x"
            same = str(r["identical_to_package"])
        lines.append(
            f"| {r['mentees']:,} x {r['mentors']:,} | {r['cli_process_s']:.2f} | {r['cli_cpu_s']:.2f} | {r['cli_peak_mib']:.0f} | {pkg} | {ratio} | {same} | "
            + "/".join(f"{x['load_1min']:.1f}" for x in r["runs"])
            + " |"
        )
    lines += ["", "PEOPLE.csv, features only, exclusions on both sides: whole `medmentor match` process "
              "(min of repeats; optimal once, stopped after its timeout) and `solve()` alone "
              "(its MiB include reading the file):", "",
              "| mentees x mentors | seats | MiB file | algorithm | process s | CPU s | peak MiB | solve() s | solve() MiB | load |",
              "|---|---|---:|---|---:|---:|---:|---:|---:|---|"]  # fmt: skip
    for r in report.get("people", []):
        for algorithm in ("stable", "optimal"):
            a = r[algorithm]
            p = a["process"]
            stopped = f"> {a['timeout_s'] or 0:.0f} (stopped)"
            lines.append(
                f"| {r['mentees']:,} x {r['mentors']:,} | {r['seats']} | {r['file_mib']:.1f} | {algorithm} | "
                + (f"{p['seconds']:.2f} | {p['cpu_s']:.2f} | {p['peak_mib']:.0f}" if p else f"{stopped} | — | —")
                + f" | {_f(a['solve_s'])} | {_f(a['solve_peak_mib'], '{:.0f}')} | "
                + "/".join(f"{x['load_1min']:.1f}" for x in a["runs"]) + " |"
            )  # fmt: skip
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
