"""Is f continuous at a?  Left limit, right limit, value, then the verdict and its kind.

f is continuous at a when both one-sided limits exist, agree, and equal f(a).  Otherwise
the discontinuity is removable (limits agree, the value is missing or different), a jump
(finite one-sided limits differ), infinite (a side runs off to ±∞) or oscillating.
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import Piecewise, S

from ...core import DNE, Solution, Step, Task
from .api import as_expr, as_point, limit, unfinished
from .budget import DEFAULT_SECONDS, OutOfTime, within
from .engine import is_finite, is_inf

KINDS = ("continuous", "removable", "jump", "infinite", "oscillating")


def _value(f: Any, x: Any, a: Any) -> Any:
    """f(a), or None when f is not defined there."""
    if isinstance(f, Piecewise):
        for expr, cond in f.args:
            c = cond.subs(x, a)
            if c is S.true or c is True:
                return _value(expr, x, a)
        return None
    try:
        v = f.subs(x, a)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if v.has(S.NaN) or not is_finite(v):
        return None
    return v


def continuity(
    expr: Any, at: Any, var: str = "x", *, seconds: float | None = DEFAULT_SECONDS
) -> Solution:
    """Decide whether ``expr`` (an expression or a Piecewise) is continuous at ``at``.

    The answer is one of ``"continuous"``, ``"removable"``, ``"jump"``, ``"infinite"``,
    ``"oscillating"``; None, with a step that says so, when the two one-sided limits
    could not be worked out within ``seconds``.
    """
    x = sympy.Symbol(var) if isinstance(var, str) else var
    f = as_expr(expr, [x.name])
    a = as_point(at)
    statement = "Is {expr} continuous at {var} = {at}? If not, what kind of discontinuity?"
    task = Task("continuity", {"expr": f, "var": x, "at": a}, statement)
    with within(seconds):
        try:
            return _classify(task, f, x, a)
        except OutOfTime:
            return unfinished(task, sympy.Limit(f, x, a), seconds)


def _classify(task: Task, f: Any, x: Any, a: Any) -> Solution:
    value = _value(f, x, a)
    steps = [
        Step(
            "evaluate",
            None,
            value if value is not None else "undefined",
            "First the value at the point: f({a}) = {value}."
            if value is not None
            else "First the value at the point: f is not defined at {x} = {a}.",
            data={"a": a, "x": x, "value": value},
        )
    ]
    sides = {}
    for side, word in (("-", "left"), ("+", "right")):
        sol = limit(f, x, a, side, seconds=None)
        if sol.answer is None:
            raise OutOfTime
        sides[side] = sol.answer
        steps.append(
            Step(
                "one_sided",
                sympy.Limit(f, x, a, side),
                sol.answer,
                "The limit from the " + word + " is {value}.",
                substeps=sol.steps,
                data={"value": sol.answer, "side": word},
            )
        )
    left, right = sides["-"], sides["+"]
    data = {"left": left, "right": right, "value": value, "a": a, "x": x}
    if is_inf(left) or is_inf(right):
        kind = "infinite"
        text = (
            "A one-sided limit is infinite ({left} from the left, {right} from the right): the "
            "graph has a vertical asymptote at {x} = {a}, an infinite discontinuity."
        )
    elif left is DNE or right is DNE:
        kind = "oscillating"
        text = (
            "A one-sided limit does not exist because f keeps oscillating: an essential "
            "(oscillating) discontinuity at {x} = {a}."
        )
    elif left != right and sympy.simplify(left - right) != 0:
        kind = "jump"
        text = (
            "Both one-sided limits exist but differ ({left} from the left, {right} from the "
            "right): the graph jumps at {x} = {a}, a jump discontinuity."
        )
    elif value is not None and sympy.simplify(value - left) == 0:
        kind = "continuous"
        text = (
            "The left limit, the right limit and the value f({a}) are all equal to {value}: "
            "f is continuous at {x} = {a}."
        )
    else:
        kind = "removable"
        text = (
            "Both one-sided limits equal {left}, but f({a}) is "
            + ("undefined" if value is None else "{value}")
            + ": a hole in the graph, a removable discontinuity (define f({a}) = {left} to fill it)."
        )
    steps.append(Step("continuity_test", None, kind, text, data=data))
    return Solution(task, steps, kind)
