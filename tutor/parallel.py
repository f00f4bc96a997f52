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
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import wait
from typing import Any

from ._budget import Worker

__all__ = ["map_ordered", "Failed"]

TITLE = "tutor-jobs"
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
) -> Iterator[Any]:
    """Yield ``func(*item)`` for every item, in order, computed in ``jobs`` processes.

    ``func_name`` is ``"module:function"``; ``limit(item)`` is the most seconds one item may
    take before its worker is killed (None: no limit); ``on_error(item, message)`` gives the
    result for an item whose call raised, ran past its limit, or lost its worker.
    """
    module_name, _, attr = func_name.partition(":")
    getattr(importlib.import_module(module_name), attr)  # fail early, and import before forking
    jobs = max(1, int(jobs))
    return _run(func_name, iter(items), jobs, limit, on_error)


def _run(
    func_name: str,
    items: Iterator[tuple[Any, ...]],
    jobs: int,
    limit: Callable[[tuple[Any, ...]], float | None] | None,
    on_error: Callable[[tuple[Any, ...], str], Any],
) -> Iterator[Any]:
    workers: list[Worker] = [Worker(allowed=None, title=TITLE) for _ in range(jobs)]
    # a thread reads the items, a few ahead, and wakes the loop through a socket
    inbox: queue.Queue[Any] = queue.Queue(maxsize=2 * jobs)
    wake_r, wake_w = socket.socketpair()
    stop = threading.Event()

    def read() -> None:
        try:
            for item in items:
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

    reader = threading.Thread(target=read, name="tutor-jobs-reader", daemon=True)
    reader.start()
    pending: list[tuple[int, tuple[Any, ...]]] = []  # read, not yet sent
    running: dict[Worker, tuple[int, tuple[Any, ...], float | None]] = {}
    done: dict[int, Any] = {}
    next_out = 0
    read_count = 0
    ended = False
    try:
        while True:
            # take what the reader has read
            while True:
                try:
                    got = inbox.get_nowait()
                except queue.Empty:
                    break
                if got is _END:
                    ended = True
                    break
                if isinstance(got, _ReadError):
                    raise got.exc
                pending.append((read_count, got))
                read_count += 1
            # give idle workers work
            for w in list(workers):
                if w in running or not pending:
                    continue
                index, item = pending.pop(0)
                seconds = limit(item) if limit else None
                try:
                    w.conn.send((func_name, item))
                except OSError:
                    done[index] = on_error(item, "the worker process could not be reached")
                    workers[workers.index(w)] = _replace(w)
                    continue
                end = None if seconds is None else time.monotonic() + seconds
                running[w] = (index, item, end)
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            if ended and not pending and not running and next_out == read_count:
                return
            # wait for an answer, a new item, or the nearest item's limit
            ends = [e for _, _, e in running.values() if e is not None]
            timeout = max(0.0, min(ends) - time.monotonic()) if ends else None
            ready = wait([w.conn for w in running] + [wake_r], timeout)
            if wake_r in ready:
                try:
                    wake_r.recv(4096)
                except OSError:
                    pass
            now = time.monotonic()
            for w, (index, item, end) in list(running.items()):
                if w.conn in ready:
                    try:
                        status, value = w.conn.recv()
                    except (EOFError, OSError):
                        del running[w]
                        done[index] = on_error(item, "the worker process died")
                        workers[workers.index(w)] = _replace(w)
                        continue
                    del running[w]
                    done[index] = value if status == "ok" else on_error(item, value)
                elif end is not None and now >= end:
                    del running[w]
                    done[index] = on_error(item, "took too long; the worker was stopped")
                    workers[workers.index(w)] = _replace(w)
    finally:
        stop.set()
        for w in workers:
            w.kill()
        wake_r.close()
        wake_w.close()


def _poke(sock: socket.socket) -> None:
    try:
        sock.send(b"\0")
    except OSError:
        pass


def _replace(w: Worker) -> Worker:
    w.kill()
    return Worker(allowed=None, title=TITLE)
