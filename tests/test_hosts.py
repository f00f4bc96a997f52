"""The checker inside other hosts: real process pools and Dask workers, then killed (issue 14).

Each host is a script run in its own session; it checks through its pool, prints what its
workers saw, and waits.  The test then kills the host and its pool workers (the parents of
the budget's workers) and asserts that no budget worker survives 3 s.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_budget import _gone

pytestmark = pytest.mark.skipif(
    not (hasattr(os, "fork") and os.path.isdir("/proc/self")), reason="needs fork and /proc"
)

ROOT = Path(__file__).resolve().parents[1]

PAIRS = [
    ("sin(x)^2 + cos(x)^2", "1", "equivalent"),
    ("sin(2x)", "2 sin(x) cos(x)", "equivalent"),
    ("x^3/3 + c", "x^3/3 + c", "equivalent"),
    ("2x", "x^2", "not_equivalent"),
]

HOST = textwrap.dedent(
    """
    import json, multiprocessing as mp, os, sys

    PAIRS = {pairs!r}

    def task(i):
        import tutor
        from tutor import _budget
        # a generous budget: the test is about the host, not the speed of a loaded machine
        codes = [tutor.check(a, b, timeout=10).code for a, b, _ in PAIRS]
        return {{"codes": codes, "pid": os.getpid(), "ppid": os.getppid(),
                "budget": _budget.worker_pids()}}

    if __name__ == "__main__":
        kind, end = sys.argv[1], sys.argv[2]
        if kind in ("fork", "spawn"):
            pool = mp.get_context(kind).Pool(2)
            out = pool.map(task, range(4), chunksize=1)
        elif kind == "executor":
            from concurrent.futures import ProcessPoolExecutor
            pool = ProcessPoolExecutor(2)
            out = list(pool.map(task, range(4)))
        elif kind == "billiard":  # Celery's prefork pool: daemonic workers
            import billiard
            pool = billiard.Pool(2)
            out = pool.map(task, range(4), chunksize=1)
        elif kind == "dask":
            from distributed import Client, LocalCluster
            cluster = LocalCluster(n_workers=2, threads_per_worker=2, dashboard_address=None)
            client = Client(cluster)
            out = client.gather(client.map(task, range(4), pure=False))
        print(json.dumps({{"host": os.getpid(), "results": out}}), flush=True)
        if end == "exit":
            os._exit(0)
        sys.stdin.readline()
    """
)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


@pytest.mark.parametrize(
    "kind, end",
    [
        ("fork", "kill"),
        ("spawn", "exit"),
        ("executor", "kill"),
        ("dask", "kill"),
        ("billiard", "kill"),
    ],
)
def test_check_inside_a_pool_then_kill_the_parents(tmp_path: Path, kind: str, end: str) -> None:
    if kind == "dask":
        pytest.importorskip("distributed")
    if kind == "billiard":
        pytest.importorskip("billiard")
    script = tmp_path / "host.py"
    script.write_text(HOST.format(pairs=PAIRS))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, str(script), kind, end],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=tmp_path,
        start_new_session=True,
    )
    try:
        line = proc.stdout.readline()
        report = json.loads(line)
        results = report["results"]
        assert [r["codes"] for r in results] == [[c for _, _, c in PAIRS]] * len(results)
        budget = sorted({p for r in results for p in r["budget"]})
        hosts = sorted({r["pid"] for r in results})
        assert budget and not set(budget) & set(hosts)
        # kill the parents of the budget's workers: the host and its pool's processes
        _kill(report["host"])
        for r in results:
            _kill(r["ppid"])  # a Dask nanny, which would restart its worker
            _kill(r["pid"])
        assert _gone(budget) == []
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        proc.wait()
