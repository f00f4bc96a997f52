"""Speed-up of ``tutor check --jsonl --jobs N`` for N = 1, 2, 4 on a file of a few hundred lines.

    python benchmarks/bench_jobs.py [--lines 300] [--repeat 1] [--jobs 1,2,4]

The file repeats the answer pairs of benchmarks/bench_check.py (HAND) with a fresh id per
line, so every line is a whole check.  Each run is a fresh ``tutor check`` process (its
start-up included, as a user would see it); every run must give the same verdicts in the
same order.  Prints wall time, lines per second and the speed-up over one job, and the CPU
time (user + sys) of the whole process tree: this benchmark adopts every orphan of the run
(Linux's child subreaper) and reaps it, so the CPU of workers killed with their parent is
counted too.  On a loaded machine wall times mean little; the CPU time says what a quiet one
would see: ``cpu(1 job) / (start-up + (cpu(N) - start-up) / N)`` on N free cores.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from bench_check import HAND  # noqa: E402


def lines(n: int) -> bytes:
    rows = []
    for i in range(n):
        e, a, kind, _, opts = HAND[i % len(HAND)]
        rows.append(json.dumps({"expected": e, "answer": a, "kind": kind, "id": i, **opts}))
    return ("\n".join(rows) + "\n").encode()


def _adopt_orphans() -> None:
    """Become the child subreaper (Linux): orphans of the run are reaped here, so their
    CPU time is counted in RUSAGE_CHILDREN."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except Exception:
        pass


def _reap(seconds: float = 5.0) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.01)


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def startup_cpu() -> float:
    """CPU seconds of a ``tutor check --jsonl`` run over no line: the serial start-up."""
    before = _cpu()
    run(b"", 1)
    return _cpu() - before


def run(data: bytes, jobs: int) -> tuple[float, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "check", "--jsonl", "--jobs", str(jobs)],
        input=data,
        capture_output=True,
        env=env,
        check=False,
    )
    wall = time.perf_counter() - t
    _reap()
    out = [json.loads(x) for x in r.stdout.decode("utf-8").splitlines()]
    # "line" is in every result, an error object's too (its "id" may be None)
    assert [o["line"] for o in out] == list(range(1, len(out) + 1)), "results out of order"
    return wall, [o["code"] for o in out]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--jobs", default="1,2,4", help="comma-separated job counts (first: base)")
    args = ap.parse_args()
    _adopt_orphans()
    data = lines(args.lines)
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    start = min(startup_cpu() for _ in range(max(1, args.repeat)))
    print(f"{args.lines} lines, {cores} cores, load average {load:.1f} at start")
    print(f"start-up (a run over no line): {start:.2f} s CPU")
    print(f"{'jobs':>4} {'wall s':>8} {'lines/s':>8} {'speed-up':>8} {'cpu s':>7} {'if idle':>8}")
    base = first = base_cpu = None
    counts = [int(j) for j in args.jobs.split(",")]
    # alternating rounds (1, 2, 4, 1, 2, 4, ...): a change of load falls on every count
    rounds: dict[int, list[tuple[float, list[str], float]]] = {j: [] for j in counts}
    for _ in range(args.repeat):
        for jobs in counts:
            before = _cpu()
            wall, codes = run(data, jobs)
            rounds[jobs].append((wall, codes, _cpu() - before))
    for jobs in counts:
        runs = rounds[jobs]
        wall = min(w for w, _, _ in runs)
        cpu = min(c for _, _, c in runs)
        codes = runs[0][1]
        first = first or codes
        base = base or wall
        base_cpu = base_cpu or cpu
        # the wall time N free cores would give: start-up, then the rest shared out
        ideal = start + max(0.0, cpu - start) / min(jobs, cores or 1)
        diff = [(i, a, b) for i, (a, b) in enumerate(zip(first, codes)) if a != b]
        differ = len(diff) + abs(len(first) - len(codes))
        print(
            f"{jobs:>4} {wall:>8.2f} {args.lines / wall:>8.1f} {base / wall:>7.2f}x"
            f" {cpu:>7.2f} {base_cpu / ideal:>7.2f}x"
            f"   ({len(codes)} lines answered, {differ} verdicts differ from {first_jobs(args)} job)"
        )
        for i, a, b in diff[:5]:
            print(f"       line {i + 1}: {a} with {first_jobs(args)} job, {b} with {jobs}")


def first_jobs(args: argparse.Namespace) -> str:
    return args.jobs.split(",")[0]


if __name__ == "__main__":
    main()
