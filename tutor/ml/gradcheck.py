"""Gradient checking: compare a gradient function (a Python callable, e.g. a student's own, run
locally) with central finite differences, component by component."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy

from ..core import Solution, Step, Table, Task
from ._common import Chain, Ordered, board, dec, eq, listing, sig

__all__ = ["gradient_check"]


def _as_function(f: Any, variables: Sequence[Any] | None) -> tuple[Callable, list[str] | None]:
    """A float function of a point from a callable, a sympy expression or text."""
    if callable(f) and not hasattr(f, "free_symbols"):
        return f, None
    import sympy

    from ._common import numeric, to_expr, variables_of

    expr = to_expr(f, variables)
    xs = variables_of(expr, variables) or (sympy.Symbol("x"),)
    fn = numeric([expr], xs)

    def call(x: Any) -> float:
        pt = np.atleast_1d(np.asarray(x, dtype=float))
        return fn(*pt)[0]

    return call, [v.name for v in xs]


def _call(func: Callable, x: np.ndarray, what: str) -> np.ndarray:
    arg: Any = float(x[0]) if len(x) == 1 else x.copy()
    try:
        out = func(arg)
    except TypeError as first:
        if len(x) == 1:
            raise ValueError(f"the {what} raised TypeError: {first}") from first
        try:
            out = func(*[float(c) for c in x])  # gradient written as g(x, y) instead of g(p)
        except Exception as exc:
            raise ValueError(f"the {what} raised {type(first).__name__}: {first}") from exc
    except Exception as exc:
        raise ValueError(f"the {what} raised {type(exc).__name__}: {exc}") from exc
    try:
        return np.atleast_1d(np.asarray(out, dtype=float)).ravel()
    except (TypeError, ValueError) as exc:
        raise ValueError(f"the {what} returned {out!r}, not numbers") from exc


def gradient_check(
    f: Any,
    grad: Callable[..., Any],
    x0: Any,
    eps: float = 1e-6,
    *,
    tol: float = 1e-5,
    variables: Sequence[Any] | None = None,
) -> Solution:
    """Compare ``grad(x0)`` with central differences (f(x + h·e_i) − f(x − h·e_i)) / 2h.

    ``f`` is a callable of the point (a float in 1-D, a numpy array in n-D), a sympy expression
    or text; ``grad`` is called the same way (or as ``grad(x, y, ...)``).  A component is flagged
    when its relative error |a − n| / max(|a|, |n|) exceeds ``tol`` and the absolute error
    exceeds 1e-7.  Answer: ``{"ok": bool, "relative_errors": tuple, "flagged": tuple of names}``.
    """
    func, names = _as_function(f, variables)
    x = np.atleast_1d(np.asarray(x0, dtype=float)).ravel()
    if names is None:
        names = ["x"] if len(x) == 1 else [f"x{i + 1}" for i in range(len(x))]
    if len(names) != len(x):
        raise ValueError(f"the point has {len(x)} coordinates but f has {len(names)} variables")
    analytic = _call(grad, x, "gradient function")
    if len(analytic) != len(x):
        raise ValueError(
            f"the gradient function returned {len(analytic)} components, expected {len(x)}"
        )
    numeric_ = np.zeros(len(x))
    for i in range(len(x)):
        e = np.zeros(len(x))
        e[i] = eps
        up = float(_call(func, x + e, "function")[0])
        down = float(_call(func, x - e, "function")[0])
        numeric_[i] = (up - down) / (2 * eps)
    rows, rel, flagged = [], [], []
    for name, a, n in zip(names, analytic, numeric_):
        diff = abs(a - n)
        scale = max(abs(a), abs(n))
        r = 0.0 if scale == 0 else diff / scale
        if not math.isfinite(r):
            r = math.inf
        bad = (r > tol and diff > 1e-7) or not math.isfinite(a)
        rel.append(sig(r, 3))
        if bad:
            flagged.append(name)
        rows.append(
            (
                sympy.Symbol(name),
                dec(float(a), 10),
                dec(float(n), 10),
                dec(diff, 3),
                dec(r, 3),
                "check this" if bad else "ok",
            )
        )
    ok = not flagged
    named, bad_names = listing([sympy.Symbol(v) for v in flagged], "bad")
    fn, h, e_i, xv = sympy.Function("f"), sympy.Symbol("h"), sympy.Symbol("e_i"), sympy.Symbol("x")
    at = float(x[0]) if len(x) == 1 else tuple(float(c) for c in x)
    steps = [
        Step(
            "central_difference",
            explanation="Nudge one coordinate a little each way and watch f: the slope along "
            "{e_i} is about {diff} with {h_is}. Going both ways cancels the curvature, so the "
            "error is about {h2}, far below what we test for.",
            data={
                "h": eps,
                "e_i": e_i,
                "diff": Ordered(fn(Ordered(xv, Chain(h, e_i))), -fn(Ordered(xv, -Chain(h, e_i))))
                / (2 * h),
                "h_is": eq(h, dec(eps, 3)),
                "h2": h**2,
            },
        ),
        Step(
            "gradient_check",
            explanation="Compare each component of the gradient function at {at} with the slope "
            "measured this way; the relative error (the difference divided by the larger of the "
            "two sizes) should be below {tol}.",
            data={
                "at": sympy.Tuple(*(dec(c, 10) for c in x)) if len(x) > 1 else dec(x[0], 10),
                "tol": dec(tol, 3),
                "table": Table(
                    (
                        "component",
                        "your gradient",
                        "finite difference",
                        "abs error",
                        "rel error",
                        "verdict",
                    ),
                    rows,
                ),
            },
        ),
        Step(
            "verdict",
            after=ok,
            explanation=(
                "Every component agrees: the gradient function looks right at this point."
                if ok
                else "The "
                + ("component " if len(flagged) == 1 else "components ")
                + named
                + (" disagrees" if len(flagged) == 1 else " disagree")
                + " with the measured slope: look for a missing factor, a wrong sign or a wrong "
                "index there."
            ),
            data={"bad": ", ".join(flagged), **bad_names},
        ),
    ]
    # the task line states its data: the function (when it is given as maths), the point
    # and the step h, as the question does
    from ._common import to_expr

    expr = None if callable(f) and not hasattr(f, "free_symbols") else to_expr(f, variables)
    point = sympy.Tuple(*(sympy.Symbol(v) for v in names)) if len(names) > 1 else xv
    params: dict[str, Any] = {"at": at, "eps": eps, "tol": tol, "variables": tuple(names)}
    params["at_is"] = eq(point, sympy.Tuple(*(dec(c, 10) for c in x)) if len(x) > 1 else at)
    params["h_is"] = eq(h, dec(eps, 3))
    if expr is not None:
        params |= {"expr": expr, "f_is": eq(fn(*(sympy.Symbol(v) for v in names)), expr)}
        said = "Check a gradient function of {f_is} at {at_is} with central differences, {h_is}."
    else:
        said = "Check a gradient function at {at_is} with central differences, {h_is}."
    task = Task("gradient_check", params, said)
    return Solution(
        task, board(steps), {"ok": ok, "relative_errors": tuple(rel), "flagged": tuple(flagged)}
    )
