"""tutor.parallel.map_ordered and ``tutor check --jsonl --jobs`` as processes (issue 14)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_budget import _gone

from tutor import _budget
from tutor.cli import main
from tutor.commands.check import check_line
from tutor.parallel import Failed, map_ordered

pytestmark = pytest.mark.skipif(
    not (hasattr(os, "fork") and os.path.isdir("/proc/self")), reason="needs fork and /proc"
)
ROOT = Path(__file__).resolve().parents[1]


def _work(kind: str, value: int, payload: str = "") -> int:
    """What a worker does for one test item."""
    if kind == "die":
        os._exit(3)
    if kind == "raise":
        raise ValueError(f"bad {value}")
    if kind == "slow":
        time.sleep(60)
    return value * value


def _pid(_: int) -> int:
    return os.getpid()


def _bounded(kind: str, seconds: float) -> tuple[str, int, list[int]]:
    """Sleep ``seconds`` as bounded work with a 0.5 s budget; what came back, this process's
    id and its budget workers.  ``deaf``: with the alarm blocked, as C code that never
    returns to the interpreter would be."""
    if kind == "deaf":
        signal.pthread_sigmask(signal.SIG_BLOCK, {_budget.ALARM})
    got = _budget.run_bounded("tutor._budget:_sleep", (seconds,), 0.5)
    return repr(got), os.getpid(), _budget.worker_pids()


def _timed_then_sleep(seconds: float) -> float:
    """Bounded work that uses the interval timer itself, as tutor.checking.symbolic does
    for its proof attempts, then sleeps."""
    old = signal.signal(signal.SIGALRM, lambda *_: None)
    signal.setitimer(signal.ITIMER_REAL, 0.05)
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, old)
    time.sleep(seconds)
    return seconds


def _own_timer(seconds: float) -> str:
    _budget.ALLOWED = _budget.ALLOWED | {f"{__name__}:_timed_then_sleep"}  # this worker only
    return repr(_budget.run_bounded(f"{__name__}:_timed_then_sleep", (seconds,), 0.5))


def _refused(target: str, args: tuple[object, ...]) -> str:
    """How a budget unit reports bounded work it may not or cannot do."""
    try:
        _budget.run_bounded(target, args, 2.0)
    except RuntimeError as exc:
        return str(exc)
    return "no error"


def _limit(item: tuple[str, float]) -> float:
    return 2.0 if item[0] == "deaf" else 30.0


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_results_in_input_order_whatever_happens_to_a_worker(jobs: int) -> None:
    items = [("ok", 1), ("die", 2), ("ok", 3), ("raise", 4), ("slow", 5), ("ok", 6)]
    out = list(
        map_ordered(
            f"{__name__}:_work",
            items,
            jobs,
            limit=lambda item: 0.5 if item[0] == "slow" else 30.0,
        )
    )
    assert [o if not isinstance(o, Failed) else o.message for o in out] == [
        1,
        "the worker process died",
        9,
        "ValueError: bad 4",
        "took too long; the worker was stopped",
        36,
    ]


def test_jobs_are_separate_processes() -> None:
    pids = set(map_ordered(f"{__name__}:_pid", [(i,) for i in range(20)], 2))
    assert os.getpid() not in pids and 1 <= len(pids) <= 2


def test_a_stopped_map_leaves_no_worker() -> None:
    results = map_ordered(f"{__name__}:_pid", [(i,) for i in range(10)], 2)
    pids = [next(results), next(results)]
    results.close()
    assert _gone(pids) == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_budget_unit_runs_bounded_work_itself_and_is_retired_when_stopped(jobs: int) -> None:
    items = [("ok", 0.01), ("ok", 60.0), ("ok", 0.01), ("ok", 0.01)]
    out = list(map_ordered(f"{__name__}:_bounded", items, jobs, limit=_limit, budget_unit=True))
    assert [o[0] for o in out] == ["0.01", "TIMEOUT", "0.01", "0.01"]
    assert all(o[2] == [] for o in out)  # no budget worker: the jobs worker did the work
    assert os.getpid() not in {o[1] for o in out}
    # the worker whose sleep was stopped took no more work
    assert out[1][1] not in {o[1] for o in out[2:]}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_budget_unit_the_alarm_cannot_stop_is_killed_at_its_limit(jobs: int) -> None:
    items = [("ok", 0.01), ("deaf", 60.0), ("ok", 0.02), ("ok", 0.03)]
    t = time.monotonic()
    out = list(map_ordered(f"{__name__}:_bounded", items, jobs, limit=_limit, budget_unit=True))
    assert time.monotonic() - t < 30  # the limit (2 s), not the sleep (60 s)
    assert out[1].message == "took too long; the worker was stopped"
    assert [o[0] for i, o in enumerate(out) if i != 1] == ["0.01", "0.02", "0.03"]


def test_a_budget_unit_stops_work_that_uses_the_interval_timer_itself() -> None:
    out = list(
        map_ordered(f"{__name__}:_own_timer", [(0.01,), (60.0,)], 1, limit=_limit, budget_unit=True)
    )
    assert out == ["0.01", "TIMEOUT"]


def test_a_budget_unit_reports_refusals_and_errors_as_a_worker_does() -> None:
    items = [("os:system", ("true",)), ("tutor._budget:_sleep", (1, 2))]
    here = [_refused(*item) for item in items]  # through a budget worker
    there = list(map_ordered(f"{__name__}:_refused", items, 1, limit=_limit, budget_unit=True))
    assert there == here and "not allowed" in here[0] and "TypeError" in here[1]


def test_items_of_one_key_keep_their_order_and_answers() -> None:
    items = [("ok", i) for i in range(40)]
    plain = list(map_ordered(f"{__name__}:_work", items, 3))
    keyed = list(map_ordered(f"{__name__}:_work", items, 3, key=lambda item: str(item[1] % 2)))
    assert plain == keyed == [i * i for i in range(40)]


def test_items_queued_behind_a_lost_worker_are_answered_in_order() -> None:
    # one worker, each item sent while the one before runs: none is lost when it dies
    big = "x" * 100_000  # too large to queue behind a busy worker: sent when it is free
    items = [("ok", 1), ("die", 2), ("ok", 3), ("slow", 4), ("ok", 5, big), ("ok", 6)]
    out = list(map_ordered(f"{__name__}:_work", items, 1, limit=lambda item: 1.0))
    assert [o if not isinstance(o, Failed) else o.message for o in out] == [
        1,
        "the worker process died",
        9,
        "took too long; the worker was stopped",
        25,
        36,
    ]


LINES = [
    # generous budgets where a verdict is expected: a loaded machine must not make it timeout
    {"expected": "sin(2x)", "answer": "2 sin(x) cos(x)", "id": 1, "timeout": 20},
    {"expected": "x^2", "answer": "x*x", "id": 2},
    {"expected": "1/3", "answer": "0.33", "kind": "number", "id": 3},
    {"expected": "x^(10^3999)", "answer": "x^(10^3999) + 1", "id": 4},
    {
        "expected": " U ".join(f"[{2 * i}, {2 * i + 1}]" for i in range(80)),
        "answer": "[0, 1]",
        "kind": "interval",
        "timeout": 1,
    },
]


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "tutor.cli", "check", *args]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.mark.parametrize(
    "raw, code",
    [
        (b"\xff\xfe not text", "bad_input"),
        (b'{"expected": "x", "answer": "\xc3"}', "bad_input"),
        (b"not json", "bad_input"),
        (b'{"expected": "1", "answer": "\\ud800"}', "parse_error"),
        (b"", "bad_input"),
    ],
)
def test_jsonl_bad_bytes_get_an_error_line_and_the_run_goes_on(raw: bytes, code: str) -> None:
    good = json.dumps(LINES[1]).encode()
    data = good + b"\n" + raw + b"\n" + good + b"\n"
    r = CliRunner().invoke(main, ["check", "--jsonl", "--jobs", "2"], input=data)
    lines = r.stdout_bytes.decode("utf-8").splitlines()  # strict: only valid UTF-8 is written
    assert [json.loads(x)["code"] for x in lines] == ["equivalent", code, "equivalent"]
    assert [json.loads(x)["line"] for x in lines] == [1, 2, 3]


SAME = [
    {"expected": "sin(x)^2 + cos(x)^2", "answer": "1"},
    {"expected": "tan(x)", "answer": "sin(x)/cos(x)"},
    {"expected": "log(x^2)", "answer": "2 log(x)"},
    {"expected": "(x^2 - 1)/(x - 1)", "answer": "x + 1"},
    {"expected": "e^(2x)", "answer": "(e^x)^2"},
    {"expected": "x^2 + 2x + 1", "answer": "(x + 1)^2", "form": "factored"},
    {"expected": "y = 2x - 5", "answer": "y - 1 = 2(x - 3)", "kind": "equation"},
    {"expected": "x^2 - 5x + 6 = 0", "answer": "x = 2 or x = 3", "kind": "equation"},
    {"expected": "(1, 3)", "answer": "(1, 2] U [2, 3)", "kind": "interval"},
    {"expected": "x^3/3 + C", "answer": "x^3/3 + 5", "kind": "antiderivative"},
    {"expected": "2x cos(x^2)", "answer": "-2x cos(x^2)"},
    {"expected": "1/3", "answer": "0.333", "kind": "number", "sigfigs": 3},
]


def test_jsonl_jobs_give_the_verdicts_of_a_plain_process() -> None:
    # each --jobs worker runs the symbolic stage itself; a plain process runs it in a
    # budget worker: the verdicts must be the same
    rows = [{**row, "id": i, "timeout": 20} for i, row in enumerate(SAME)]
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    r = subprocess.run(
        _cli("--jsonl", "--jobs", "2"), input=data, capture_output=True, env=_env(), timeout=300
    )
    got = [json.loads(x) for x in r.stdout.decode().splitlines()]
    plain = [check_line(json.dumps(row), i + 1, 20.0) for i, row in enumerate(rows)]
    assert [(g["id"], g["code"]) for g in got] == [(p["id"], p["code"]) for p in plain]


def _workers_of(pid: int) -> list[int]:
    """Our processes below ``pid`` (jobs workers and their budget workers)."""
    found, frontier = [], [pid]
    while frontier:
        p = frontier.pop()
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                kids = [int(k) for k in f.read().split()]
        except OSError:
            continue
        found += kids
        frontier += kids
    return found


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_jsonl_signals_end_every_process(sig: int) -> None:
    # SIGKILL: the parent cannot clean up; its workers see it gone and end themselves
    proc = subprocess.Popen(
        _cli("--jsonl", "--jobs", "2"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=_env(),
    )
    try:
        proc.stdin.write((json.dumps(LINES[0]) + "\n").encode())
        proc.stdin.flush()
        assert json.loads(proc.stdout.readline())["code"] == "equivalent"
        ours = _workers_of(proc.pid)
        assert len(ours) >= 2  # the two jobs workers
        proc.send_signal(sig)
        proc.wait(timeout=30)
        assert proc.returncode != 0
        end = time.monotonic() + 3.0
        left = ours
        while left and time.monotonic() < end:
            time.sleep(0.05)
            left = [p for p in left if _running(p)]
        assert left == []
    finally:
        proc.kill()
        proc.wait()


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_jsonl_hostile_lines_each_get_their_answer_in_order() -> None:
    data = "".join(json.dumps(x) + "\n" for x in LINES).encode()
    r = subprocess.run(
        _cli("--jsonl", "--jobs", "2", "--timeout", "20"),
        input=data,
        capture_output=True,
        env=_env(),
        timeout=120,
    )
    out = [json.loads(x) for x in r.stdout.decode().splitlines()]
    assert [o["line"] for o in out] == [1, 2, 3, 4, 5]
    allowed = [
        {"equivalent"},
        {"equivalent"},
        {"not_exact"},
        {"not_equivalent"},
        {"not_equivalent", "timeout"},  # decided or honestly out of time, never minutes
    ]
    assert all(o["code"] in a for o, a in zip(out, allowed, strict=True)), out


def test_a_worker_slow_to_start_has_its_first_items_whole_limit(monkeypatch) -> None:
    # a worker slow to start on a loaded machine: its start-up is not charged to the item it
    # was sent (the limit starts when the worker says it is ready)
    monkeypatch.setattr(_budget, "_limit_memory", lambda: time.sleep(1.5))
    out = list(
        map_ordered(
            f"{__name__}:_work",
            [("ok", 2), ("ok", 3), ("ok", 4)],
            1,
            limit=lambda item: 0.5,
            budget_unit=True,
        )
    )
    assert out == [4, 9, 16]


REPLACE_SCRIPT = """
import json, os, sys
from tutor import _budget
from tutor.parallel import map_ordered

def bounded(seconds):
    return repr(_budget.run_bounded("tutor._budget:_sleep", (seconds,), 0.5)), os.getpid()

seen = []

def items():
    yield (5.0,)
    seen.append(set(sys.modules))  # read ahead: after the first fork, before the replacement
    yield (0.0,)

out = list(map_ordered("__main__:bounded", items(), 1, limit=lambda i: 30.0, budget_unit=True))
print(json.dumps({"out": [o[0] for o in out], "pids": [o[1] for o in out],
                  "units": "sympy.physics.units" in seen[0],
                  "imported": sorted(set(sys.modules) - seen[0])}))
"""


def test_a_replacement_is_forked_without_importing_the_checker_in_the_parent() -> None:
    # the stopped worker is retired and replaced; the parent forks the replacement as it is
    # (its loop is not held up importing while the other workers' answers wait): it
    # imported the checker and what checks import on first use before its first fork
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run(
        [sys.executable, "-c", REPLACE_SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert got["out"] == ["TIMEOUT", "0.0"]
    assert got["pids"][0] != got["pids"][1]  # retired after being stopped
    assert got["units"] is True and got["imported"] == []
