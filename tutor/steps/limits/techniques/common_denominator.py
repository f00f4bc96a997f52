"""Common denominator: a sum of fractions tending to ∞ − ∞ (or 0/0 inside) is written as
one fraction, so that the quotient techniques can work on it."""

from __future__ import annotations

import sympy
from sympy import Add

from ....core import Step
from .base import Case, Result, Rule, Solver, rule

ID = "common_denominator"
TITLE = "Common denominator"


def recognise(s: Solver, c: Case) -> Rule | None:
    """A sum whose terms have denominators with x in them, not yet one fraction."""
    x = s.x
    if not isinstance(c.f, Add):
        return None
    if not any(sympy.fraction(t)[1].has(x) for t in c.f.args):
        return None
    num, den = sympy.fraction(sympy.together(c.f))
    if den == 1 or not den.has(x):
        return None
    return rule(ID, lambda: apply(s, c, num, den))


def apply(s: Solver, c: Case, num: object, den: object) -> Result | None:
    from ..engine import _unevaluated_quotient

    shown = _unevaluated_quotient(num, den)
    step = Step(
        ID,
        s.L(c.f, c.a, c.side),
        s.L(shown, c.a, c.side),
        "Put everything over a common denominator: {shown}.",
        data={"shown": shown},
    )
    v, st = s._quotient(shown, num, den, c.a, c.side, c.whole)
    return (v, [step, *st]) if v is not None else None
