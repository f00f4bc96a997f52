"""The time budget of a limit: a deadline checked between techniques and recursions.

``within(seconds)`` sets the deadline for the code inside it (nested calls keep the
earliest one); ``check_deadline()`` raises :class:`OutOfTime` once it has passed, and the
public entry points turn that into an honest "could not finish" solution.  The only
long single call, the CAS fallback, runs in the forked worker of ``tutor._budget`` with
what is left of the budget, so the whole call is bounded.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterator
from contextlib import contextmanager

DEFAULT_SECONDS = 5.0

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "limit_deadline", default=None
)


class OutOfTime(Exception):
    """The budget of the current limit ran out."""


@contextmanager
def within(seconds: float | None) -> Iterator[None]:
    """Run the block under a deadline ``seconds`` from now (None: no deadline of its own)."""
    if seconds is None:
        yield
        return
    if seconds <= 0:
        raise ValueError("the time budget must be positive")
    end = time.monotonic() + seconds
    outer = _deadline.get()
    token = _deadline.set(end if outer is None else min(outer, end))
    try:
        yield
    finally:
        _deadline.reset(token)


def left() -> float | None:
    """Seconds left of the current budget (None when there is none)."""
    end = _deadline.get()
    return None if end is None else max(0.0, end - time.monotonic())


def check_deadline() -> None:
    """Raise OutOfTime when the current budget has run out."""
    end = _deadline.get()
    if end is not None and time.monotonic() >= end:
        raise OutOfTime
