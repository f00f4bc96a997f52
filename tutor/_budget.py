"""A hard time budget for slow symbolic work: a persistent worker process per thread.

sympy cannot be interrupted from inside (``signal.alarm`` only works in the main thread
and sympy swallows some exceptions), so work that might run long is sent to a forked
worker process; when the budget runs out the worker is killed and a fresh one is forked
on the next call.  The caller always gets an answer within its budget.
"""

from __future__ import annotations

import importlib
import multiprocessing as mp
import os
import threading
import time
from collections.abc import Callable
from typing import Any

__all__ = ["Deadline", "TIMEOUT", "run_bounded", "shutdown"]

# The worker may call only these functions ("module:function").
ALLOWED: frozenset[str] = frozenset(
    {
        "tutor.checking.symbolic:prove_zero",
        "tutor.checking.symbolic:real_solutions",
        "tutor.checking.symbolic:solve_for",
        "tutor.checking.symbolic:form_facts",
        "tutor.checking.symbolic:relation_to_set",
        "tutor.checking.symbolic:derivative",
        "tutor.checking.symbolic:polynomial_factors",
        "tutor.checking.symbolic:set_difference",
        "tutor.checking.symbolic:task_mistakes",
        "tutor._budget:_sleep",
        "tutor.steps.limits.api:oracle",
    }
)

_MEMORY_LIMIT = 2 * 1024**3
_KILL_MARGIN = 0.1


class _Timeout:
    """The result of work that did not finish within its budget."""

    def __repr__(self) -> str:
        return "TIMEOUT"


TIMEOUT = _Timeout()


class Deadline:
    """A point in time by which a check must answer (monotonic clock)."""

    def __init__(self, seconds: float) -> None:
        self.start = time.monotonic()
        self.end = self.start + max(0.0, float(seconds))

    def left(self) -> float:
        """Seconds remaining (never negative)."""
        return max(0.0, self.end - time.monotonic())

    def expired(self) -> bool:
        """True once the budget is used up."""
        return time.monotonic() >= self.end

    def elapsed(self) -> float:
        """Seconds since the budget started."""
        return time.monotonic() - self.start


def _worker_main(conn: Any) -> None:
    import signal

    # Ctrl-C is the parent's to handle; a worker killed by it would only print a traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > _MEMORY_LIMIT:
            resource.setrlimit(resource.RLIMIT_AS, (_MEMORY_LIMIT, hard))
    except (ImportError, ValueError, OSError):
        pass
    while True:
        try:
            target, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if target not in ALLOWED:
                raise ValueError(f"not allowed in the worker: {target}")
            module_name, attr = target.split(":")
            func = getattr(importlib.import_module(module_name), attr)
            result = ("ok", func(*args))
        except MemoryError:
            result = ("error", "MemoryError: out of memory")
        except BaseException as exc:  # noqa: BLE001 - report, never die silently
            result = ("error", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(result)
        except Exception as exc:  # unpicklable result
            conn.send(("error", f"unpicklable result: {exc}"))


class _Worker:
    def __init__(self) -> None:
        # import what the worker runs before forking: a forked child must not need the
        # import lock, which another thread of the parent may hold at the moment of fork
        for module_name in {t.split(":")[0] for t in ALLOWED}:
            importlib.import_module(module_name)
        ctx = mp.get_context("fork") if hasattr(os, "fork") else mp.get_context()
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child,), daemon=True)
        self.proc.start()
        child.close()
        self.pid = self.proc.pid

    def alive(self) -> bool:
        return self.proc.is_alive()

    def kill(self) -> None:
        try:
            self.proc.kill()
            self.proc.join(0.5)
        except Exception:
            pass
        try:
            self.conn.close()
        except Exception:
            pass


_local = threading.local()
_all_workers: list[_Worker] = []
_lock = threading.Lock()


def _get_worker() -> _Worker:
    w: _Worker | None = getattr(_local, "worker", None)
    if w is None or not w.alive():
        w = _Worker()
        _local.worker = w
        with _lock:
            _all_workers.append(w)
    return w


def _drop_worker() -> None:
    w: _Worker | None = getattr(_local, "worker", None)
    if w is not None:
        w.kill()
        with _lock:
            if w in _all_workers:
                _all_workers.remove(w)
    _local.worker = None


def run_bounded(target: str | Callable[..., Any], args: tuple[Any, ...], seconds: float) -> Any:
    """Run ``target(*args)`` in the worker; its result, ``TIMEOUT``, or raise RuntimeError.

    ``target`` is ``"module:function"`` (or the function itself) from ``ALLOWED``.
    The call returns within ``seconds`` (plus a few milliseconds to kill a stuck worker).
    """
    if callable(target):
        target = f"{target.__module__}:{target.__name__}"
    if seconds <= 0.001:
        return TIMEOUT
    w = _get_worker()
    try:
        w.conn.send((target, args))
    except Exception:
        _drop_worker()
        raise RuntimeError("could not send work to the worker process") from None
    # keep a little of the budget for killing the worker and answering
    if not w.conn.poll(max(0.0, seconds - _KILL_MARGIN)):
        _drop_worker()
        return TIMEOUT
    try:
        status, value = w.conn.recv()
    except Exception:
        _drop_worker()
        raise RuntimeError("the worker process died") from None
    if status == "ok":
        return value
    if value.startswith("MemoryError"):
        _drop_worker()
    raise RuntimeError(value)


def shutdown() -> None:
    """Stop every worker process this module started."""
    with _lock:
        workers = list(_all_workers)
        _all_workers.clear()
    for w in workers:
        w.kill()
    _local.worker = None


def _sleep(seconds: float) -> float:
    """Sleep (used by tests to exercise the budget)."""
    time.sleep(seconds)
    return seconds
