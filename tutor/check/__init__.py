"""Answer checking: is a student's answer right, and if not, what went wrong?

``check(answer, expected, kind=...)`` reads the answer with ``tutor.parse`` (never
``eval``), compares it with the expected answer by the course's conventions (DESIGN.md,
"Checking conventions") and returns a ``Verdict``.  It never raises and answers within
its time budget: the slow symbolic stage runs in a worker process that is killed when
the budget runs out (``tutor._budget``).  The verdict codes are listed in docs/checking.md.

Layout: ``check`` (below) hands the work to ``dispatch``, which gives each kind to its
module; a kind module declares in ``KINDS`` how its answer is read and compared: ``expression`` (expressions, numbers),
``antiderivative``, ``equation``, ``sets``, ``lists`` (lists, points), ``interval``
(intervals, inequalities), ``choice``.  They share ``context``, ``reading``, ``diagnosis``,
``tolerance``, ``matching``, ``relation`` and ``codes``; the staged equivalence is
``equiv`` over ``numeric`` evidence, ``symbolic`` proof and ``domain`` comparison, with
``values`` (reading any value), ``vectors``, ``forms`` and ``options``.

``tutor.check`` is also the name of the function (``import tutor; tutor.check(...)``):
reach the submodules with ``from tutor.check import dispatch``.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..core import Task, Verdict

__all__ = ["check", "equivalent", "CODES", "CheckOptions"]

# names read lazily, so that ``import tutor`` stays cheap: name -> submodule
_EXPORTS = {"CODES": "codes", "CheckOptions": "options", "equivalent": "dispatch"}


def check(
    answer: str | Any,
    expected: str | Any,
    *,
    kind: str = "expression",
    variables: Sequence[Any] | str | None = None,
    task: Task | None = None,
    form: str | None = None,
    tol: float | None = None,
    rtol: float | None = None,
    sigfigs: int | None = None,
    timeout: float = 2.0,
    **options: Any,
) -> Verdict:
    """Check ``answer`` (student text) against ``expected`` (text or a sympy value).

    ``kind`` says how to compare (expression, equation, set, list, interval, number,
    point, antiderivative, choice); ``tol``/``rtol``/``sigfigs`` allow numeric slack;
    ``form`` asks for a written form (``check.options.FORMS``); ``task`` lets the
    checker name a classic mistake.  The options are validated as a ``CheckOptions``
    record (``options=CheckOptions(...)`` passes one whole): an unknown or mistyped option
    raises ``TypeError`` at once.  Otherwise never raises; answers within ``timeout``.
    """
    from .dispatch import run

    given = {
        "kind": kind,
        "variables": variables,
        "task": task,
        "form": form,
        "tol": tol,
        "rtol": rtol,
        "sigfigs": sigfigs,
        "timeout": timeout,
    }
    return run(answer, expected, given, options)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'tutor.check' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
