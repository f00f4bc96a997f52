"""Run a function over many items in worker processes, with results in input order.

``map_ordered("package.module:function", items, jobs)`` yields ``function(*item)`` for each
item (a tuple of picklable arguments), in the order of ``items``, computed by ``jobs``
forked worker processes, each running whole calls.  It is how ``tutor check --jsonl --jobs``
(and ``tutor dataset --jobs``) use more than one core: the checker is pure Python, so
threads would share one core.

Every item gets exactly one result, whatever happens to a worker:

- the function raises: ``on_error(item, message)`` stands in for its result;
- a worker dies, or an item runs past ``limit(item)`` seconds: the worker is killed and
  replaced, and ``on_error`` answers for the item;
- the caller stops (an exception, a signal, ``close()`` on the generator): every worker is
  killed and reaped.

``items`` is read lazily by a thread, at most a few items ahead of the workers, so a stream
(stdin) is answered line by line as it arrives.  Workers are forked (so they work inside
daemonic processes too), watch their parent and die with it, and are named ``tutor-jobs``.
The function is named by ``"module:function"``, never passed as an object: this is
programmer input, not user input.
"""

from __future__ import annotations

import importlib
import queue
import socket
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import ForkingPickler as _ForkingPickler
from typing import Any

from ._budget import Worker

__all__ = ["map_ordered", "Failed"]

TITLE = "tutor-jobs"
DEPTH = 2  # items sent to a worker ahead of its answers: it never waits for the parent
WINDOW = 16  # items read ahead per worker, at most (read, sent or waiting for their turn)
_SMALL = 32 * 1024  # bytes: only an item this small is queued behind a busy worker
_STARTUP = 120.0  # seconds a worker may take to import and warm up before its first item
_END = object()


class Failed:
    """The default stand-in result for an item that could not be computed."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __repr__(self) -> str:
        return f"Failed({self.message!r})"


class _ReadError:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def _failed(item: Any, message: str) -> Failed:
    return Failed(message)


def map_ordered(
    func_name: str,
    items: Iterable[tuple[Any, ...]],
    jobs: int,
    *,
    limit: Callable[[tuple[Any, ...]], float | None] | None = None,
    on_error: Callable[[tuple[Any, ...], str], Any] = _failed,
    budget_unit: bool = False,
    key: Callable[[tuple[Any, ...]], str | bytes] | None = None,
) -> Iterator[Any]:
    """Yield ``func(*item)`` for every item, in order, computed in ``jobs`` processes.

    ``func_name`` is ``"module:function"``; ``limit(item)`` is the most seconds one item may
    take before its worker is killed (None: no limit); ``on_error(item, message)`` gives the
    result for an item whose call raised, ran past its limit, or lost its worker.
    ``budget_unit``: each worker runs the budget's bounded work itself (``tutor._budget``,
    stopped by an alarm) instead of in a worker of its own; give a ``limit`` with it, as the
    hard stop for work the alarm cannot interrupt.  This process then imports and warms up
    the checker before it forks, once (``tutor._budget.prepare_units``).  A worker whose bounded work was stopped
    mid-way is replaced after answering.  ``key(item)``: items of the same key go to the same
    worker when it has room (what it has cached serves them again), else to any.
    """
    module_name, _, attr = func_name.partition(":")
    getattr(importlib.import_module(module_name), attr)  # fail early, and import before forking
    jobs = max(1, int(jobs))
    return _run(func_name, iter(items), jobs, limit, on_error, budget_unit, key)


class _Slot:
    """One worker and the items sent to it, oldest (the one it is working on) first."""

    def __init__(self, budget_unit: bool) -> None:
        self.budget_unit = budget_unit
        self.worker = _start(budget_unit)
        # index, item, its own slot, small enough to queue behind another, its limit
        self.sent: deque[tuple[int, tuple[Any, ...], int | None, bool, float | None]] = deque()
        self.head_start = 0.0  # when the oldest item sent began (at the latest)
        # a worker says when it has imported and warmed up: until then its start-up, not
        # the item, is what takes time, and the item's limit has not begun
        self.ready = False
        self.born = time.monotonic()

    def has_room(self) -> bool:
        """Idle, or working on a small item with fewer than DEPTH sent."""
        return not self.sent or (len(self.sent) < DEPTH and self.sent[-1][3])

    def replace(self, gate: threading.Lock) -> list[tuple[int, tuple[Any, ...], int | None]]:
        """Kill the worker, start a fresh one; the items it had not begun, to send again.

        The reader thread holds ``gate`` while it takes an item (the caller's code, which
        might be importing): the fork waits a moment for it, so the child imports with no
        import lock held by a thread it does not have.  If the reader stays inside (a stream
        waiting for input), the parent imports what the worker needs first (once), and forks
        then."""
        self.worker.kill()
        rest = [entry[:3] for entry in self.sent]
        self.sent.clear()
        if gate.acquire(timeout=0.2):
            try:
                self.worker = _start(self.budget_unit)
            finally:
                gate.release()
        else:
            if self.budget_unit:
                from . import _budget

                _budget.prepare_units()  # done before the first fork: nothing left to do
            self.worker = _start(self.budget_unit)
        self.ready = False
        self.born = time.monotonic()
        return rest


def _run(
    func_name: str,
    items: Iterator[tuple[Any, ...]],
    jobs: int,
    limit: Callable[[tuple[Any, ...]], float | None] | None,
    on_error: Callable[[tuple[Any, ...], str], Any],
    budget_unit: bool,
    key: Callable[[tuple[Any, ...]], str | bytes] | None,
) -> Iterator[Any]:
    slots: list[_Slot] = []
    # a thread reads the items, a few ahead, and wakes the loop through a socket
    window = WINDOW * jobs  # items read and not yet answered, at most
    inbox: queue.Queue[Any] = queue.Queue(maxsize=window)
    wake_r, wake_w = socket.socketpair()
    stop = threading.Event()

    gate = threading.Lock()  # held by the reader while it takes an item (see _Slot.replace)

    def read() -> None:
        try:
            while True:
                with gate:
                    item = next(items, _END)
                if item is _END:
                    break
                while not stop.is_set():
                    try:
                        inbox.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
                _poke(wake_w)
        except BaseException as exc:  # noqa: BLE001 - the loop re-raises it
            inbox.put(_ReadError(exc))
        inbox.put(_END)
        _poke(wake_w)

    # read, not yet sent: (index, item, the slot it would rather go to)
    pending: deque[tuple[int, tuple[Any, ...], int | None]] = deque()
    done: dict[int, Any] = {}
    next_out = 0
    read_count = 0
    ended = False

    def take(slot: _Slot) -> tuple[int, tuple[Any, ...], int | None] | None:
        """The first pending item of this slot's own; for an idle slot, else the first one
        whose own slot is full (no worker waits while there is work)."""
        for pos, entry in enumerate(pending):
            if entry[2] is None or slots[entry[2]] is slot:
                del pending[pos]
                return entry
        if slot.sent:
            return None
        for pos, entry in enumerate(pending):
            if not slots[entry[2]].has_room():  # type: ignore[index]
                del pending[pos]
                return entry
        return None

    try:
        if budget_unit:
            # import and warm up the checker once, here, before any fork: every worker (and
            # every replacement) inherits it and starts at once, instead of each importing
            # sympy; and no thread of the caller's is importing at a fork
            from . import _budget

            _budget.prepare_units()
        slots.extend(_Slot(budget_unit) for _ in range(jobs))  # forked before the thread
        reader = threading.Thread(target=read, name="tutor-jobs-reader", daemon=True)
        reader.start()
        while True:
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            # take what the reader has read, a window ahead of what has been answered
            while not ended and read_count - next_out < window:
                try:
                    got = inbox.get_nowait()
                except queue.Empty:
                    break
                if got is _END:
                    ended = True
                elif isinstance(got, _ReadError):
                    raise got.exc
                else:
                    home = None if key is None else _home(key(got), jobs)
                    pending.append((read_count, got, home))
                    read_count += 1
            # keep every worker busy, with the next item queued behind the one it works on
            # (only a small one: a large send could block while the worker is busy)
            for slot in slots:
                while pending and slot.has_room():
                    entry = take(slot)
                    if entry is None:
                        break
                    index, item, home = entry
                    data = _ForkingPickler.dumps((func_name, item))
                    small = len(data) <= _SMALL
                    if slot.sent and not small:
                        pending.appendleft(entry)
                        break
                    try:
                        slot.worker.conn.send_bytes(data)
                    except OSError:
                        done[index] = on_error(item, "the worker process could not be reached")
                        pending.extendleft(reversed(slot.replace(gate)))
                        continue
                    if not slot.sent:
                        slot.head_start = time.monotonic()
                    seconds = limit(item) if limit else None
                    slot.sent.append((index, item, home, small, seconds))
            if ended and not pending and next_out == read_count:
                return
            # wait for an answer, a new item, or the nearest item's limit
            busy = [s for s in slots if s.sent]
            ends = [e for e in (_end(s) for s in busy) if e is not None]
            timeout = max(0.0, min(ends) - time.monotonic()) if ends else None
            ready = wait([s.worker.conn for s in busy] + [wake_r], timeout)
            if wake_r in ready:
                try:
                    wake_r.recv(4096)
                except OSError:
                    pass
            for slot in busy:
                conn = slot.worker.conn
                while slot.sent and conn in ready:
                    index, item = slot.sent[0][:2]
                    try:
                        status, value, retire = conn.recv()
                    except (EOFError, OSError, ValueError):
                        slot.sent.popleft()
                        done[index] = on_error(item, "the worker process died")
                        pending.extendleft(reversed(slot.replace(gate)))
                        break
                    if status == "ready":  # started: the head item's clock starts now
                        slot.ready = True
                        slot.head_start = time.monotonic()
                        if not conn.poll(0):
                            break
                        continue
                    slot.sent.popleft()
                    slot.head_start = time.monotonic()
                    done[index] = value if status == "ok" else on_error(item, value)
                    if retire:
                        pending.extendleft(reversed(slot.replace(gate)))
                        break
                    if not conn.poll(0):
                        break
                end = _end(slot)
                if end is not None and time.monotonic() >= end:
                    index, item = slot.sent.popleft()[:2]
                    done[index] = on_error(item, "took too long; the worker was stopped")
                    pending.extendleft(reversed(slot.replace(gate)))
    finally:
        stop.set()
        for slot in slots:
            slot.worker.kill()
        wake_r.close()
        wake_w.close()


def _end(slot: _Slot) -> float | None:
    """When the item the slot's worker is working on runs past its limit (None: never); a
    worker still starting has ``_STARTUP`` seconds more."""
    seconds = slot.sent[0][4] if slot.sent else None
    if seconds is None:
        return None
    if not slot.ready:
        return max(slot.head_start, slot.born + _STARTUP) + seconds
    return slot.head_start + seconds


def _home(key: str | bytes, jobs: int) -> int:
    """The slot an item of this key goes to when it can (the same in every run)."""
    data = key.encode("utf-8", "surrogatepass") if isinstance(key, str) else key
    return zlib.crc32(data) % jobs


def _serve(conn: Connection, budget_unit: bool) -> None:
    """A worker's loop: ``("ready", None, False)`` once started, then ``(func_name, item)``
    in, ``(status, value, retire)`` out."""
    from . import _budget

    if budget_unit:
        _budget.become_budget_unit()
    try:
        conn.send(("ready", None, False))
    except OSError:
        return
    while True:
        try:
            func_name, item = conn.recv()
        except (EOFError, OSError):
            return
        try:
            module_name, attr = func_name.split(":")
            func = getattr(importlib.import_module(module_name), attr)
            result: tuple[str, Any] = ("ok", func(*item))
        except MemoryError:
            result = ("error", "MemoryError: out of memory")
            _budget._interrupted = True
        except BaseException as exc:  # noqa: BLE001 - report, never die silently
            result = ("error", f"{type(exc).__name__}: {exc}")
        retire = _budget.interrupted() or (result[0] == "error" and "MemoryError" in result[1])
        try:
            conn.send((*result, retire))
        except (BrokenPipeError, ConnectionResetError):
            return
        except Exception as exc:  # unpicklable result
            conn.send(("error", f"unpicklable result: {exc}", retire))
        if retire:
            return


def _start(budget_unit: bool) -> Worker:
    return Worker(allowed=None, title=TITLE, serve=partial(_serve, budget_unit=budget_unit))


def _poke(sock: socket.socket) -> None:
    try:
        sock.send(b"\0")
    except OSError:
        pass
