"""Speed-up of ``tutor check --jsonl --jobs N`` for N = 1, 2, 4 on a file of a few hundred lines.

    python benchmarks/bench_jobs.py [--lines 300] [--repeat 1]

The file repeats the answer pairs of benchmarks/bench_check.py (HAND) with a fresh id per
line, so every line is a whole check.  Each run is a fresh ``tutor check`` process (its
start-up included, as a user would see it); every run must give the same verdicts in the
same order.  Prints wall time, lines per second and the speed-up over one job.
"""

from __future__ import annotations

import argparse
import json
import os
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
    out = [json.loads(x) for x in r.stdout.decode("utf-8").splitlines()]
    assert [o["id"] for o in out] == list(range(len(out))), "results out of order"
    return wall, [o["code"] for o in out]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    data = lines(args.lines)
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{args.lines} lines, {cores} cores, load average {load:.1f} at start")
    print(f"{'jobs':>4} {'wall s':>8} {'lines/s':>8} {'speed-up':>8}")
    base, first = None, None
    for jobs in (1, 2, 4):
        runs = [run(data, jobs) for _ in range(args.repeat)]
        wall = min(w for w, _ in runs)
        codes = runs[0][1]
        first = first or codes
        base = base or wall
        differ = sum(a != b for a, b in zip(first, codes)) + abs(len(first) - len(codes))
        print(
            f"{jobs:>4} {wall:>8.2f} {args.lines / wall:>8.1f} {base / wall:>7.2f}x"
            f"   ({len(codes)} lines answered, {differ} verdicts differ from 1 job)"
        )


if __name__ == "__main__":
    main()
