"""Factor and cancel: (x − a)·p(x) / ((x − a)·q(x)) → p(x)/q(x) for x ≠ a (lecture 04)."""

from __future__ import annotations

from typing import Any

import sympy

from ....core import Step
from .base import Case, Result, Rule, Solver, rule

ID = "factor_and_cancel"
TITLE = "Factor and cancel"


def _fraction(f: Any) -> tuple[Any, Any]:
    """Top and bottom of f as one fraction (fractions inside the top or bottom cleared)."""
    n1, d1 = sympy.fraction(f)
    n2, d2 = sympy.fraction(sympy.together(n1))
    n3, d3 = sympy.fraction(sympy.together(d1))
    if d2 == 1 and d3 == 1:
        return n1, d1
    return n2 * d3, d2 * n3


def _factored(p: Any) -> Any:
    """p factored with its sign in front: −(x + 5), where sympy's factor gives −x − 5."""
    q = sympy.factor(p)
    if isinstance(q, sympy.Add) and q.could_extract_minus_sign():
        return sympy.Mul(-1, sympy.factor(-p), evaluate=False)
    return q


def recognise(s: Solver, c: Case) -> Rule | None:
    """A 0/0 rational function whose top and bottom share a factor with x in it."""
    if c.form != "0/0" or c.lh or not c.f.is_rational_function(s.x):
        return None
    num, den = _fraction(c.f)
    common = sympy.factor(sympy.gcd(sympy.expand(num), sympy.expand(den)))
    if not common.has(s.x):
        return None
    return rule(ID, lambda: apply(s, c, num, den, common))


def apply(s: Solver, c: Case, num: Any, den: Any, common: Any) -> Result | None:
    from ..engine import _unevaluated_quotient

    x, f, a, side = s.x, c.f, c.a, c.side
    steps = []
    if sympy.fraction(f) != (num, den):
        shown = _unevaluated_quotient(num, den)
        steps.append(
            Step(
                "common_denominator",
                s.L(f, a, side),
                s.L(shown, a, side),
                "Write f as a single fraction: {g}.",
                data={"g": shown},
            )
        )
        f = shown
    g = sympy.cancel(num / den)
    fn, fd = _factored(num), _factored(den)
    factored = _unevaluated_quotient(fn, fd)
    steps.append(
        Step(
            ID,
            s.L(f, a, side),
            s.L(g, a, side),
            "Substituting {x} = {a} gives 0/0, so top and bottom share a factor that "
            "vanishes at {a}. Factor, {factored}, and cancel {common}: this is allowed "
            "because {x} ≠ {a} while it approaches {a}. What is left is {g}.",
            data={"x": x, "a": a, "factored": factored, "common": common, "g": g},
        )
    )
    v, st = s.lim(g, a, side, c.whole)
    if v is None:
        return None
    return v, steps + st
