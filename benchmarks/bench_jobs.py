"""Speed-up of ``tutor check --jsonl --jobs N`` for N = 1, 2, 4 on a file of a few hundred lines.

    python benchmarks/bench_jobs.py [--lines 300] [--repeat 3] [--jobs 1,2,4] [--timeout 2]

To re-measure on a quiet machine (what the integrator runs; about a minute)::

    PYTHONPATH=. python benchmarks/bench_jobs.py --lines 300 --repeat 3 --jobs 1,2,4

The file repeats the answer pairs of benchmarks/bench_check.py (HAND) with a fresh id per
line, so every line is a whole check.  Each run is a fresh ``tutor check`` process (its
start-up included, as a user would see it); every run must answer every line, in order, and
give the same verdicts as the first job count.

Printed per job count (the best of ``--repeat`` alternating rounds):

- ``wall``: the run's wall time and its speed-up over the first job count (meaningful on a
  quiet machine only);
- ``cpu``: CPU seconds (user + sys) of the whole process tree, from ``RUSAGE_CHILDREN``; this
  benchmark is the child subreaper (Linux), so a worker orphaned and reaped here counts too;
- ``path``: the critical path in CPU seconds, sampled from ``/proc`` every few milliseconds:
  the parent's CPU before its first worker started plus the CPU of its busiest worker (a
  worker's start-up, its imports and its lines run in sequence, so no core count beats it);
- ``if idle``: ``max(before + (cpu - before) / cores, path)``, where ``before`` is the
  parent's CPU before its first fork (which runs alone: nothing is forked yet to share the
  cores), the wall time an idle machine would give, and the speed-up it implies,
  ``if-idle(first) / if-idle(N)``: the figure to read on a loaded machine (from the run with
  the lowest, among those that replaced no worker).

On a loaded machine a line's 2 s budget runs out where a quiet machine's would not, and its
worker is replaced, so the work differs between runs: give ``--timeout 10`` there to keep the
work the same as a quiet machine's at 2 s, and read ``if idle``.

``--bytecode``: the runs may cache compiled modules (in a temporary ``PYTHONPYCACHEPREFIX``,
primed by one untimed run), as an installed package has them, even where the environment
says ``PYTHONDONTWRITEBYTECODE``; without it, an environment that says so compiles tutor's
modules (about 0.1 s of CPU) in every run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from bench_check import HAND  # noqa: E402

DETAIL = False
ENV: dict[str, str] = {}  # changes to the runs' environment (--bytecode)
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


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


def _own_cpu(pid: int) -> float | None:
    """CPU seconds (user + sys) of one process, its children not included; None once gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime


def _children(pid: int) -> list[int]:
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    out: list[int] = []
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


class Sampler(threading.Thread):
    """Samples the CPU of a ``tutor`` process and of each of its children every few ms."""

    def __init__(self, pid: int, interval: float = 0.005) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.stop = threading.Event()
        self.parent = 0.0
        self.prefork: float | None = None  # the parent's CPU when its first child was seen
        self.workers: dict[int, float] = {}

    def run(self) -> None:
        while not self.stop.is_set():
            own = _own_cpu(self.pid)
            if own is None:
                return
            self.parent = own
            for child in _children(self.pid):
                if self.prefork is None:
                    self.prefork = own
                cpu = _own_cpu(child)
                if cpu is not None:
                    self.workers[child] = max(cpu, self.workers.get(child, 0.0))
            time.sleep(self.interval)

    def path(self) -> float:
        """The critical path: CPU before the first fork, then the busiest worker's."""
        return (self.prefork or self.parent) + max(self.workers.values(), default=0.0)


Run = tuple[float, float, float | None, list[str], float]


def run(data: bytes, jobs: int, timeout: float) -> Run:
    """One ``tutor check --jsonl`` run: wall, CPU of the process tree, critical path (None
    when a worker was replaced: which ran after which is not known), codes, the parent's
    CPU before its first fork."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **ENV}
    env = {k: v for k, v in env.items() if k not in ENV or v}  # "": unset
    cmd = [sys.executable, "-m", "tutor.cli", "check", "--jsonl", "--jobs", str(jobs)]
    cmd += ["--timeout", str(timeout)]
    before = _cpu()
    t = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    sampler = Sampler(proc.pid)
    sampler.start()
    stdout, _ = proc.communicate(data)
    wall = time.perf_counter() - t
    sampler.stop.set()
    sampler.join()
    _reap()
    cpu = _cpu() - before
    out = [json.loads(x) for x in stdout.decode("utf-8").splitlines()]
    # "line" is in every result, an error object's too (its "id" may be None)
    assert [o["line"] for o in out] == list(range(1, len(data.splitlines()) + 1)), (
        "a line unanswered or out of order"
    )
    if DETAIL:
        workers = sorted(sampler.workers.values(), reverse=True)
        print(
            f"  jobs {jobs}: wall {wall:.2f}, cpu {cpu:.2f}, parent {sampler.parent:.2f}"
            f" ({sampler.prefork or 0:.2f} before the first fork), {len(workers)} workers:"
            f" {', '.join(f'{w:.2f}' for w in workers)}"
        )
    path = sampler.path() if len(sampler.workers) <= jobs else None
    return wall, cpu, path, [o["code"] for o in out], sampler.prefork or sampler.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", default="1,2,4", help="comma-separated job counts (first: base)")
    ap.add_argument("--timeout", type=float, default=2.0, help="each line's budget (seconds)")
    ap.add_argument("--detail", action="store_true", help="print each run's processes")
    ap.add_argument(
        "--bytecode",
        action="store_true",
        help="let the runs cache compiled modules (in a temp dir)",
    )
    args = ap.parse_args()
    global DETAIL
    DETAIL = args.detail
    _adopt_orphans()
    data = lines(args.lines)
    cache = None
    if args.bytecode:
        cache = tempfile.TemporaryDirectory(prefix="bench-jobs-pyc-")
        ENV.update(PYTHONPYCACHEPREFIX=cache.name, PYTHONDONTWRITEBYTECODE="")
        run(data, 1, args.timeout)  # compiles and caches what a run imports
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cores = cores or 1
    counts = [int(j) for j in args.jobs.split(",")]
    print(f"{args.lines} lines, {cores} cores, load average {load:.1f} at start")
    print(" ".join(["PYTHONPATH=.", "python", *sys.argv]))
    # alternating rounds (1, 2, 4, 1, 2, 4, ...): a change of load falls on every count
    rounds: dict[int, list[Run]] = {j: [] for j in counts}
    for _ in range(max(1, args.repeat)):
        for jobs in counts:
            rounds[jobs].append(run(data, jobs, args.timeout))
    print(
        f"{'jobs':>4} {'wall s':>7} {'speed-up':>8} {'cpu s':>6} {'path s':>6}"
        f" {'if idle':>7} {'speed-up':>8}"
    )

    def if_idle(r: Run) -> float:
        """The wall time on idle cores: the parent alone until its first fork, then the rest
        of the CPU shared by the cores, and never less than the critical path."""
        _, cpu, path, _, before = r
        return max(before + max(0.0, cpu - before) / cores, path or 0.0)

    def best(runs: list[Run]) -> Run:
        """The run an idle machine would make fastest, among those that replaced no worker."""
        whole = [r for r in runs if r[2] is not None] or runs
        return min(whole, key=if_idle)

    first = rounds[counts[0]]
    base_wall = min(r[0] for r in first)
    base_codes = best(first)[3]
    base_idle = if_idle(best(first))
    for jobs in counts:
        runs = rounds[jobs]
        wall = min(r[0] for r in runs)
        _, cpu, path, _, _ = best(runs)
        idle = if_idle(best(runs))
        replaced = sum(r[2] is None for r in runs)
        codes = runs[0][3]
        diff = [(i, a, b) for i, (a, b) in enumerate(zip(base_codes, codes)) if a != b]
        note = f"; {replaced} run(s) replaced a worker" if replaced else ""
        print(
            f"{jobs:>4} {wall:>7.2f} {base_wall / wall:>7.2f}x {cpu:>6.2f} {path or 0:>6.2f}"
            f" {idle:>7.2f} {base_idle / idle:>7.2f}x"
            f"   ({len(codes)} lines in order, {len(diff)} verdicts differ from {counts[0]} job"
            f"{note})"
        )
        for i, a, b in diff[:5]:
            print(f"       line {i + 1}: {a} with {counts[0]} job, {b} with {jobs}")


if __name__ == "__main__":
    main()
