"""L'Hôpital's rule: lim f/g = lim f′/g′ for a true 0/0 or ∞/∞ form (after derivatives).

Last in the course's order: it is used only when no earlier technique applies, or when
the question asks for it (``method="lhopital"``)."""

from __future__ import annotations

from typing import Any

import sympy

from ....core import DNE, Step
from .base import Case, Result, Rule, Solver, rule

ID = "lhopital"
TITLE = "L'Hôpital's rule"
MAX_ROUNDS = 5


def recognise(s: Solver, c: Case) -> Rule | None:
    """A quotient in the form 0/0 or ∞/∞ whose bottom has a nonzero derivative."""
    if c.form not in ("0/0", "∞/∞") or c.lh >= MAX_ROUNDS:
        return None
    return rule(ID, lambda: apply(s, c))


def apply(s: Solver, c: Case) -> Result | None:
    from ..engine import BOUNDED, _tidy, _unevaluated_quotient, is_inf

    x, a, side, num, den = s.x, c.a, c.side, c.num, c.den
    dn, dd = sympy.diff(num, x), sympy.diff(den, x)
    if dd == 0:
        return None
    g = _tidy(dn / dd, x)
    step = Step(
        ID,
        s.L(_unevaluated_quotient(num, den), a, side),
        s.L(g, a, side),
        "Top and bottom both tend to "
        + ("0" if c.form == "0/0" else "infinity")
        + ": the form "
        + c.form
        + " is truly indeterminate, so L'Hôpital's rule applies. "
        "The ratio of the rates of change, {dnum} over {dden}, has the same limit.",
        substeps=c.sub,
        data={"form": c.form, "top": num, "bottom": den, "dnum": dn, "dden": dd, "g": g},
    )
    gn, gd = sympy.fraction(g)
    if gd != 1 and gd.has(x) and (is_inf(a) or s._continuous_at(g, a) is None):
        v, st = s._quotient(g, gn, gd, a, side, c.whole, c.lh + 1, method=_asked(s))
    else:
        v, st = s.lim(g, a, side, c.whole)
    if v is None or v is BOUNDED:
        return None
    if v is DNE and not (st and st[-1].rule == "sides_differ"):
        return None
    return v, [step, *st]


def _asked(s: Solver) -> Any:
    return s.method
