"""A hard time budget for slow symbolic work: forked worker processes, pooled and fork-safe.

sympy cannot be interrupted from inside (``signal.alarm`` only works in the main thread
and sympy swallows some exceptions), so work that might run long is sent to a worker
process; when the budget runs out the worker is killed.  The caller always gets an answer
within its budget.

The worker is made with ``os.fork`` and a socket pair, not with ``multiprocessing``, so it
can be started anywhere the checker is embedded: daemonic processes (``multiprocessing.Pool``,
Dask and Celery workers may not have ``multiprocessing`` children), threads, forked children.

- Workers are pooled per process: a call takes an idle worker and gives it back, so many
  short-lived threads share a few workers; at most ``MAX_IDLE`` idle ones are kept.
- A worker dies with its parent: it watches ``getppid()`` (and on Linux asks for SIGKILL on
  its parent's death), closes every descriptor it inherited, and exits on end of file.
- A worker belongs to the process that forked it: a child made by ``os.fork`` starts with an
  empty pool (``os.register_at_fork``), and no lock of this module is held across a fork.
- ``Deadline`` makes sure an idle worker exists before its clock starts, so the first check
  in a fresh process has the same budget as the thousandth.
- A process whose parent kills it when it overruns (``tutor.parallel``'s ``--jobs`` workers)
  can be the budget's unit itself (``become_budget_unit``): bounded work then runs in its main
  thread, stopped by a signal (``ALARM``) at its budget, with no second process and no pickling; a
  process whose work was stopped mid-way says so (``interrupted``) and is retired.  Their
  parent imports and warms up what a unit needs first (``prepare_units``), once: the units
  it forks inherit it instead of each importing sympy.

Workers are named ``tutor-budget`` (``ps -o comm``; ``worker_pids()`` lists them).
"""

from __future__ import annotations

import atexit
import gc
import importlib
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

__all__ = [
    "Deadline",
    "TIMEOUT",
    "become_budget_unit",
    "interrupted",
    "prepare_units",
    "run_bounded",
    "shutdown",
    "warm",
    "worker_pids",
]

# The worker may call only these functions ("module:function").
ALLOWED: frozenset[str] = frozenset(
    {
        "tutor.check.symbolic:prove_zero",
        "tutor.check.symbolic:real_solutions",
        "tutor.check.symbolic:solve_for",
        "tutor.check.symbolic:form_facts",
        "tutor.check.symbolic:relation_to_set",
        "tutor.check.symbolic:derivative",
        "tutor.check.symbolic:polynomial_factors",
        "tutor.check.symbolic:set_difference",
        "tutor.check.symbolic:task_mistakes",
        "tutor.check.domain:critical_points",
        "tutor.check.forms:form_holds",
        "tutor.check.forms:form_holds_text",
        "tutor._budget:_sleep",
        "tutor.steps.limits.api:oracle",
    }
)

# what a check imports on first use: imported before the clock starts, with the worker
_ALSO_IMPORT = {"tutor.parse", "tutor.check.equiv", "tutor.check.values", "mpmath"}
# what a budget unit (a ``--jobs`` worker, which runs checks) imports as it starts: what every
# check uses, not the limit engine's oracle (checks never call it; a call imports it itself)
_UNIT_IMPORT = ({t.split(":")[0] for t in ALLOWED} | _ALSO_IMPORT | {"tutor.check.dispatch"}) - {
    "tutor.steps.limits.api"
}
# what checks import on their first use, deep inside sympy or the checker: sympy's simplify
# imports sympy.physics.units (0.15-0.25 s of CPU) the first time it runs, the parser its
# grammar on its first text.  Imported by ``prepare_units``, once, not by every unit
_UNIT_LAZY = {
    "sympy.physics.units",
    "sympy.assumptions.wrapper",
    "sympy.sets.handlers.functions",
    "sympy.sets.handlers.issubset",
    "tutor.parse.build",
    "tutor.parse.grammar",
    "tutor.parse.latex",
}
TITLE = "tutor-budget"
ALARM = signal.SIGUSR2  # stops bounded work in a budget-unit process (become_budget_unit)
MAX_IDLE = max(2, min(8, os.cpu_count() or 2))
_MEMORY_LIMIT = 2 * 1024**3  # address space a worker may add to what it inherited
_KILL_MARGIN = 0.1
_WATCH_INTERVAL = 0.1


class _Timeout:
    """The result of work that did not finish within its budget."""

    def __repr__(self) -> str:
        return "TIMEOUT"


TIMEOUT = _Timeout()


class Deadline:
    """A point in time by which a check must answer (monotonic clock).

    An idle worker is made ready first (``warm``), so starting one is not paid from the
    budget; pass ``warm=False`` for a deadline that will never run bounded work.
    """

    def __init__(self, seconds: float, *, warm: bool = True) -> None:
        if warm and seconds > 0:
            _warm_quietly()
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


# ------------------------------------------------------------------ the child's side


def _set_title(name: str) -> None:
    """Name this process (``/proc/PID/comm``) so that people and tests can find it."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(15, name.encode()[:15], 0, 0, 0)  # PR_SET_NAME
    except Exception:
        pass


def _die_with_parent(ppid: int, deathsig: bool) -> None:
    """Exit as soon as the parent is gone, whatever state the main loop is in."""
    if deathsig and sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
        except Exception:
            pass

    def watch() -> None:
        while True:
            if os.getppid() != ppid:
                os._exit(0)
            time.sleep(_WATCH_INTERVAL)

    if os.getppid() != ppid:  # the parent died before the watch began
        os._exit(0)
    threading.Thread(target=watch, name="tutor-watch-parent", daemon=True).start()


def _limit_memory() -> None:
    try:
        import resource

        with open("/proc/self/statm") as f:
            used = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        want = used + _MEMORY_LIMIT
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > want:
            resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    except (ImportError, ValueError, OSError):
        pass


def _child_setup(fd: int, ppid: int, deathsig: bool, title: str) -> None:
    """Make a freshly forked child a clean worker: own descriptors, signals, watch, name."""
    # objects inherited from the host are never collected here, so no finalizer of theirs
    # closes a descriptor number that this process has reused
    gc.freeze()
    try:
        os.closerange(3, fd)
        os.closerange(fd + 1, os.sysconf("SC_OPEN_MAX"))
    except (OSError, ValueError):
        pass
    try:
        signal.set_wakeup_fd(-1)
    except (ValueError, OSError):
        pass
    # Ctrl-C is the parent's to handle (it kills its workers); the host's handlers are not ours
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD, signal.SIGPIPE):
        try:
            signal.signal(sig, signal.SIG_DFL)
        except (OSError, ValueError):
            pass
    _set_title(title)
    _die_with_parent(ppid, deathsig)


def _serve(conn: Connection, allowed: frozenset[str] | None) -> None:
    """Answer ``(target, args)`` requests until end of file (``allowed=None``: any target)."""
    while True:
        try:
            target, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if allowed is not None and target not in allowed:
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
        except (BrokenPipeError, ConnectionResetError):
            return
        except Exception as exc:  # unpicklable result
            conn.send(("error", f"unpicklable result: {exc}"))


# ------------------------------------------------------------------ the parent's side


class Worker:
    """A forked child serving calls over a socket pair; owned by the process that forked it.

    The child answers ``(target, args)`` requests for ``allowed`` targets, or runs
    ``serve(connection)`` when given.
    """

    def __init__(
        self,
        allowed: frozenset[str] | None = ALLOWED,
        title: str = TITLE,
        serve: Callable[[Connection], None] | None = None,
    ) -> None:
        ours, theirs = socket.socketpair()
        ppid = os.getpid()
        deathsig = threading.current_thread() is threading.main_thread()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 0
            try:
                ours.close()
                fd = theirs.detach()
                _child_setup(fd, ppid, deathsig, title)
                if serve is None:
                    _serve(Connection(fd), allowed)
                else:
                    serve(Connection(fd))
            except BaseException:  # noqa: BLE001
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        self.pid = pid
        self.owner = ppid
        self.conn = Connection(ours.detach())
        self.started = time.monotonic()

    def usable(self) -> bool:
        """Owned by this process, running, and with nothing unread on its pipe."""
        if self.owner != os.getpid() or self.conn.closed:
            return False
        try:
            if self.conn.poll(0):  # end of file, or a stale answer
                return False
            done, _ = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:  # reaped by the host
            return False
        except OSError:
            return False
        return done == 0

    def kill(self) -> None:
        """Kill and reap the worker (only if this process owns it) and close the pipe."""
        if self.owner == os.getpid():
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                os.waitpid(self.pid, 0)
            except OSError:
                pass
        self.close()

    def close(self) -> None:
        try:
            self.conn.close()
        except OSError:
            pass


class _Pool:
    def __init__(self) -> None:
        self.pid = os.getpid()
        self.lock = threading.Lock()
        self.idle: list[Worker] = []
        self.busy: set[Worker] = set()


_pool = _Pool()
_imported = False


def _here() -> _Pool:
    """This process's pool (a new, empty one after a fork that bypassed the fork hooks)."""
    global _pool
    if _pool.pid != os.getpid():
        _after_fork_in_child()
    return _pool


def _after_fork_in_child() -> None:
    """Forget the parent's workers: they are not ours to use, reap or kill."""
    global _pool
    old = _pool
    _pool = _Pool()
    for w in [*old.idle, *old.busy]:
        w.close()  # our copy of the parent's end: the worker must see EOF when it goes


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _preimport() -> None:
    # import what the worker runs before forking: a forked child must not need an import
    # lock, which another thread of the parent may hold at the moment of fork
    global _imported
    if not _imported:
        for module_name in sorted({t.split(":")[0] for t in ALLOWED} | _ALSO_IMPORT):
            importlib.import_module(module_name)
        _warm_up_sympy()
        _imported = True


def _warm_up_sympy() -> None:
    """Prove one small identity here, once: the modules sympy imports on first use (trigsimp,
    fu, polys) then come with every forked worker instead of costing its first budget."""
    try:
        import sympy

        from .check.symbolic import prove_zero

        x = sympy.Symbol("x")
        prove_zero(sympy.sin(2 * x) - 2 * sympy.sin(x) * sympy.cos(x), False, None)
    except Exception:
        pass


# ------------------------------------------------------------------ in this process


class _Expired(BaseException):
    """Raised by the alarm in bounded work run here (not an Exception: sympy's handlers
    that catch every Exception let it through)."""


_unit_pid: int | None = None  # the process that is its own budget unit
_units_prepared = False  # prepare_units ran here, or in the process this one was forked from
_armed = False  # the alarm may stop the work under way
_fired = False  # the alarm went off during the call under way
_interrupted = False  # some bounded work was stopped mid-way in this process


def prepare_units() -> None:
    """Import and warm up here what a budget unit needs (``become_budget_unit``), once.

    Called in the parent before it forks its units: they inherit a warm interpreter (copy on
    write) and start at once, instead of each importing sympy and the checker, and so does a
    unit that replaces one.  Starts no thread and no process.  What exists then is frozen
    (``gc.freeze``): no collection here walks the checker's hundred thousand objects again,
    not even the last one at exit, and a unit's collections do not write to pages it shares.
    """
    global _units_prepared
    if _units_prepared:
        return
    # the cyclic collector is off meanwhile: imports make many objects and no garbage
    enabled = gc.isenabled()
    gc.disable()
    try:
        for module_name in sorted(_UNIT_IMPORT | _UNIT_LAZY):
            importlib.import_module(module_name)
        _warm_up_sympy()
    finally:
        if enabled:
            gc.enable()
    gc.freeze()
    _units_prepared = True


def become_budget_unit() -> None:
    """Run this process's bounded work here, in its main thread, stopped by ``ALARM``.

    For a process whose parent enforces a hard limit (it kills the process when a call does
    not come back); its address space is limited as a worker's is.
    """
    global _unit_pid
    _unit_pid = os.getpid()
    _limit_memory()
    # as a worker has: what bounded work imports is not paid from its budget (nothing to do
    # when the parent prepared before forking).  What was imported is frozen after: later
    # collections do not walk sympy's modules again
    prepare_units()
    gc.freeze()


def interrupted() -> bool:
    """True once bounded work run in this process was stopped mid-way (or ran out of
    memory): its state may be inconsistent, so the process should not take more work."""
    return _interrupted and _unit_pid == os.getpid()


def _inline() -> bool:
    return _unit_pid == os.getpid() and threading.current_thread() is threading.main_thread()


def _on_alarm(signum: int, frame: Any) -> None:
    global _armed, _fired, _interrupted
    if _armed:
        _armed = False
        _fired = _interrupted = True
        raise _Expired


class _Alarm:
    """A thread that signals the main thread (``ALARM``) when the bounded call under way runs
    out of time.  Not ``setitimer``: the work itself may use the process's one interval
    timer (``tutor.checking.symbolic`` does, for its proof attempts)."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.cond = threading.Condition()
        self.until: float | None = None
        self.main = threading.main_thread().ident
        threading.Thread(target=self._run, name="tutor-budget-alarm", daemon=True).start()

    def _run(self) -> None:
        with self.cond:
            while True:
                if self.until is None:
                    self.cond.wait()
                    continue
                left = self.until - time.monotonic()
                if left > 0:
                    self.cond.wait(left)
                    continue
                self.until = None
                try:
                    signal.pthread_kill(self.main, ALARM)  # wakes a sleeping main thread
                except (OSError, ValueError):
                    pass

    def arm(self, seconds: float) -> None:
        with self.cond:
            self.until = time.monotonic() + seconds
            self.cond.notify()

    def disarm(self) -> None:
        with self.cond:
            self.until = None
            self.cond.notify()


_alarm: _Alarm | None = None


def _run_here(target: str, args: tuple[Any, ...], seconds: float) -> Any:
    """``run_bounded`` in a budget-unit process: the call, stopped by the alarm at its budget."""
    global _alarm, _armed, _fired, _interrupted
    if target not in ALLOWED:
        raise RuntimeError(f"ValueError: not allowed in the worker: {target}")
    module_name, attr = target.split(":")
    func = getattr(importlib.import_module(module_name), attr)
    budget = seconds - _KILL_MARGIN  # the same share of the budget as a worker gets
    if budget <= 0:
        return TIMEOUT
    if _armed:  # bounded work inside bounded work: the outer alarm bounds both
        return func(*args)
    if _alarm is None or _alarm.pid != os.getpid():
        # the handler stays: a signal sent just as the call returns must find it there
        signal.signal(ALARM, _on_alarm)
        _alarm = _Alarm()
    _fired = False
    try:
        _armed = True
        _alarm.arm(budget)
        try:
            value = func(*args)
        finally:
            _armed = False
            _alarm.disarm()
    except _Expired:
        return TIMEOUT
    except MemoryError:
        _interrupted = True
        raise RuntimeError("MemoryError: out of memory") from None
    except Exception as exc:  # noqa: BLE001 - reported as a worker would report it
        raise RuntimeError(f"{type(exc).__name__}: {exc}") from None
    return TIMEOUT if _fired else value  # the alarm was swallowed: the answer came too late


def _start() -> Worker:
    _preimport()
    try:
        return Worker()
    except OSError as exc:
        raise RuntimeError(f"could not start the budget's worker process: {exc}") from None


def _acquire() -> Worker:
    pool = _here()
    stale: list[Worker] = []
    found: Worker | None = None
    with pool.lock:
        while pool.idle:
            w = pool.idle.pop()
            if w.usable():
                found = w
                pool.busy.add(w)
                break
            stale.append(w)
    for w in stale:
        w.kill()
    if found is not None:
        return found
    w = _start()  # outside the lock: no lock of ours is held across a fork
    with pool.lock:
        pool.busy.add(w)
    return w


def _release(w: Worker) -> None:
    pool = _here()
    with pool.lock:
        pool.busy.discard(w)
        if w.owner == pool.pid and len(pool.idle) < MAX_IDLE:
            pool.idle.append(w)
            return
    w.kill()


def _discard(w: Worker) -> None:
    pool = _here()
    with pool.lock:
        pool.busy.discard(w)
    w.kill()


def warm() -> None:
    """Make sure an idle worker is ready, so that the next bounded call does not start one.

    Raises RuntimeError when no worker can be started (no ``os.fork``, no processes left).
    """
    if _inline():
        return
    pool = _here()
    with pool.lock:
        if pool.idle:
            return
    _release(_start())


def _warm_quietly() -> None:
    try:
        warm()
    except Exception:
        pass  # run_bounded will say why


def run_bounded(target: str | Callable[..., Any], args: tuple[Any, ...], seconds: float) -> Any:
    """Run ``target(*args)`` in a worker; its result, ``TIMEOUT``, or raise RuntimeError.

    ``target`` is ``"module:function"`` (or the function itself) from ``ALLOWED``.
    The call returns within ``seconds`` (plus a few milliseconds to kill a stuck worker).
    RuntimeError says why the work could not be done (no worker, the worker died, the
    function raised).
    """
    if callable(target):
        target = f"{target.__module__}:{target.__name__}"
    if seconds <= 0.001:
        return TIMEOUT
    if _inline():
        return _run_here(target, args, seconds)
    if not hasattr(os, "fork"):
        raise RuntimeError("bounded work needs os.fork, which this platform does not have")
    w = _acquire()
    try:
        try:
            w.conn.send((target, args))
        except Exception:
            _discard(w)
            raise RuntimeError("could not send work to the worker process") from None
        # keep a little of the budget for killing the worker and answering
        if not w.conn.poll(max(0.0, seconds - _KILL_MARGIN)):
            _discard(w)
            return TIMEOUT
        try:
            status, value = w.conn.recv()
        except Exception:
            _discard(w)
            raise RuntimeError("the worker process died") from None
    except BaseException:
        # KeyboardInterrupt, SystemExit from a signal handler: the worker is mid-task
        if not w.conn.closed:
            _discard(w)
        raise
    if status == "ok":
        _release(w)
        return value
    if value.startswith("MemoryError"):
        _discard(w)
    else:
        _release(w)
    raise RuntimeError(value)


def worker_pids() -> list[int]:
    """Process ids of this process's budget workers, idle and busy."""
    pool = _here()
    with pool.lock:
        return sorted(w.pid for w in [*pool.idle, *pool.busy])


def shutdown() -> None:
    """Stop every worker process this process started."""
    pool = _here()
    with pool.lock:
        workers = [*pool.idle, *pool.busy]
        pool.idle.clear()
        pool.busy.clear()
    for w in workers:
        w.kill()


atexit.register(shutdown)


def _sleep(seconds: float) -> float:
    """Sleep (used by tests to exercise the budget)."""
    time.sleep(seconds)
    return seconds
