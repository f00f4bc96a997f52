"""``tutor dataset`` throughput: problems per second, each with its verified worked solution
(prompt, answer and steps as data and as text), in one process, with ``--jobs`` processes and
on a Dask LocalCluster; beside DeepMind's mathematics_dataset differentiation modules
(answers only, no worked solutions) in the same run, through the shims of bench_generate.

    python benchmarks/bench_dataset.py [--count 240] [--topics chain-rule,derivative-product,...]

Every run also checks that its output is byte-identical to the one-process output.  Each of
our records includes its verification (``verified``: every claim of every step checked at
sample points).  The figure to compare on a loaded machine is problems per CPU second.

    PYTHONPATH=. python benchmarks/bench_dataset.py --count 240
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_generate import Tally, peer_round, peers  # noqa: E402

TOPICS = "derivative-power,derivative-product,derivative-quotient,chain-rule,partial-derivatives"


def _adopt_orphans() -> None:
    """Become the child subreaper (Linux): the processes a run leaves to be reaped (a
    LocalCluster's workers) are reaped here, so their CPU time counts too."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except Exception:
        pass


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(args: list[str], out: Path) -> tuple[float, float]:
    """Wall seconds of one ``tutor dataset`` run (a fresh process, as a user runs it), and
    the CPU seconds of it and of every process it started (reaped by it, or here)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start, cpu = time.perf_counter(), _children_cpu()
    subprocess.run(
        [sys.executable, "-m", "tutor.cli", "dataset", *args, "-o", str(out)],
        check=True,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start, _children_cpu() - cpu


def peer_rate(make: Callable[[], object], seconds: float) -> Tally:
    """Problems a peer's generator makes in about ``seconds`` of wall time, one process."""
    tally = Tally()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        peer_round(make, 10, tally)
    return tally


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=240)
    ap.add_argument("--topics", default=TOPICS)
    ap.add_argument("--seconds", type=float, default=3.0, help="time per peer module")
    a = ap.parse_args()
    _adopt_orphans()
    base = ["--topics", a.topics, "--count", str(a.count), "--seed", "1"]
    print(f"cores: {os.cpu_count()}; {a.count} problems of {a.topics}")
    with tempfile.TemporaryDirectory() as tmp:
        ref = Path(tmp) / "one.jsonl"
        t1, c1 = run(base, ref)
        print(
            f"{'1 process':<24} {a.count / t1:8.1f} problems/s  ({t1:.1f} s, start-up included;"
            f" {a.count / c1:.1f} per CPU second)"
        )
        for label, extra in [
            ("--jobs 2", ["--jobs", "2"]),
            ("--jobs 4", ["--jobs", "4"]),
            ("--scheduler local (2x1)", ["--scheduler", "local"]),
        ]:
            out = Path(tmp) / "x.jsonl"
            t, c = run(base + extra, out)
            same = "same bytes" if out.read_bytes() == ref.read_bytes() else "DIFFERENT BYTES"
            print(
                f"{label:<24} {a.count / t:8.1f} problems/s  ({t:.1f} s, {t1 / t:.2f}x, {same};"
                f" {a.count / c:.1f} per CPU second)"
            )
        lines = ref.read_text(encoding="utf-8").splitlines()
        verified = sum('"verified": true' in line for line in lines)
        print(f"{verified} of {len(lines)} worked solutions verified (every claim of every step)")
    for name, make in peers().items():
        if name.startswith("mathematics_dataset"):
            t = peer_rate(make, a.seconds)
            print(
                f"{name:<40} {t.wall_rate:8.1f} problems/s  ({t.rate:.1f} per CPU second;"
                " 1 process, answers only, no steps)"
            )


if __name__ == "__main__":
    main()
