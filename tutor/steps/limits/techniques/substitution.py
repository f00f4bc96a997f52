"""Direct substitution: a function continuous at a has the limit f(a)."""

from __future__ import annotations

from ....core import Step
from .base import Case, Result, Rule, Solver, rule

ID = "direct_substitution"
TITLE = "Direct substitution"


def recognise(s: Solver, c: Case) -> Rule | None:
    """f continuous at a finite point a (from its domain side)."""
    from ..engine import is_inf

    if is_inf(c.a):
        return None
    got = s._continuous_at(c.f, c.a)
    if got is None:
        return None
    return rule(ID, lambda: apply(s, c, *got))


def apply(s: Solver, c: Case, v: object, boundary: bool) -> Result:
    if boundary:
        text = (
            "{f} is defined on one side of {x} = {a} only, and is continuous there up to "
            "the end point, so the limit (taken where f is defined) is its value {value}."
        )
    else:
        text = (
            "Every piece of {f} is continuous at {x} = {a}: nothing is divided by zero and "
            "every root and logarithm is defined. So we may substitute: the limit is {value}."
        )
    data = {"f": c.f, "x": s.x, "a": c.a, "value": v}
    return v, [Step(ID, s.L(c.f, c.a, c.side), v, text, data=data)]
