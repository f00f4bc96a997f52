"""Growth at infinity: keep the fastest-growing part of each piece (highest powers,
exponentials ≫ powers ≫ logarithms), or divide top and bottom by it."""

from __future__ import annotations

from typing import Any

import sympy
from sympy import S

from ....core import DNE, Step
from .. import growth
from .base import Case, Result, Rule, Solver, rule

ID = "growth_order"
TITLE = "Growth at infinity (dominant terms)"


def recognise(s: Solver, c: Case) -> Rule | None:
    """At +∞: a rational function, a quotient ∞/∞, or any f whose leading term is known."""
    if c.a is not S.Infinity and not (c.a is S.NegativeInfinity and c.num is None):
        return None
    if c.num is None:
        if c.f.is_rational_function(s.x):
            return rule(ID, lambda: _rational_at_infinity(s, c.f, c.a))
        if c.a is S.NegativeInfinity:
            return None
        lt = growth.lead(c.f, s.x)
        v = None if lt is None else growth.lead_limit(lt)
        if v is None or sympy.expand(growth.lead_expr(lt, s.x) - c.f) == 0:
            return None  # "f behaves like f" would say nothing
        return rule(ID, lambda: _lead(s, c, lt, v))
    if c.form != "∞/∞":
        return None
    return rule(ID, lambda: _quotient_growth(s, c.f, c.num, c.den, c.a, c.side))


def _lead(s: Solver, c: Case, lt: Any, v: Any) -> Result:
    x = s.x
    lead = growth.lead_expr(lt, x)
    if growth.has_growth_functions(c.f, x):
        rule_id = "growth_order"
        text = (
            "For large {x} only the fastest-growing part of each piece matters "
            "(exponentials outgrow powers, and powers outgrow logarithms): f behaves "
            "like {lead}, so the limit is {value}."
        )
    else:
        rule_id = "dominant_term"
        text = (
            "For large {x} only the highest power in each piece matters (inside a root "
            "too): f behaves like {lead}, so the limit is {value}."
        )
    data = {"x": x, "lead": lead, "value": v}
    return v, [Step(rule_id, s.L(c.f, c.a, c.side), v, text, data=data)]


def _quotient_growth(s: Solver, f: Any, num: Any, den: Any, a: Any, side: str) -> Any:

    x = s.x
    if a is S.NegativeInfinity:
        return None
    lt = growth.lead(num / den, x)
    v = None if lt is None else growth.lead_limit(lt)
    if v is None:
        return _divide_by_dominant(s, f, num, den, a, side)
    lead = growth.lead_expr(lt, x)
    step = Step(
        "growth_order" if growth.has_growth_functions(f, x) else "dominant_term",
        s.L(f, a, side),
        v,
        "Top and bottom both grow without bound; compare their fastest-growing parts: "
        "the quotient behaves like {lead} for large {x}, so the limit is {value}.",
        data={"lead": lead, "x": x, "value": v},
    )
    return v, [step]


def _divide_by_dominant(s: Solver, f: Any, num: Any, den: Any, a: Any, side: str) -> Any:
    from ..engine import BOUNDED, _unevaluated_quotient

    x = s.x
    ld = growth.lead(den, x)
    if ld is None or ld[0] != 1:
        return None
    d = growth.lead_expr(ld, x)
    nn, dd = sympy.expand(num / d), sympy.expand(den / d)
    shown = _unevaluated_quotient(nn, dd)
    step = Step(
        "divide_by_highest_power",
        s.L(f, a, side),
        s.L(shown, a, side),
        "Divide top and bottom by {d}, the dominant part of the bottom: {shown}.",
        data={"d": d, "shown": shown},
    )
    v, st = s._quotient(shown, nn, dd, a, side, False)
    if v is None or v is BOUNDED or v is DNE:
        return None
    return v, [step, *st]


def _rational_at_infinity(s: Solver, f: Any, a: Any) -> tuple[Any, list[Step]]:
    from ..engine import _inf, _sgn, _unevaluated_quotient

    x = s.x
    num, den = sympy.fraction(sympy.together(f))
    num, den = sympy.expand(num), sympy.expand(den)
    pn, pd = sympy.Poly(num, x), sympy.Poly(den, x)
    d = pd.degree()
    lead = pn.LC() / pd.LC() * x ** (pn.degree() - d)
    p = pn.degree() - d
    c = pn.LC() / pd.LC()
    if p == 0:
        v = c
    elif p < 0:
        v = S.Zero
    else:
        sg = _sgn(c) * (1 if a is S.Infinity or p % 2 == 0 else -1)
        v = _inf(sg)
    data = {"x": x, "lead": lead, "value": v, "power": x**d}
    if d == 0:
        text = (
            "For large |{x}| a polynomial behaves like its highest-power term {lead}, "
            "so the limit is {value}."
        )
        return v, [Step("dominant_term", s.L(f, a, "+-"), v, text, data=data)]
    nn, dd = sympy.expand(num / x**d), sympy.expand(den / x**d)
    shown = _unevaluated_quotient(nn, dd)
    step1 = Step(
        "divide_by_highest_power",
        s.L(f, a, "+-"),
        s.L(shown, a, "+-"),
        "Divide top and bottom by {power}, the highest power in the denominator: {shown}.",
        data={**data, "shown": shown},
    )
    top = c if p >= 0 else S.Zero
    step2 = Step(
        "limit_laws",
        s.L(shown, a, "+-"),
        v,
        "Every term with {x} left in a denominator tends to 0, so f behaves like {lead} "
        "and the limit is {value}.",
        data={**data, "top": top},
    )
    return v, [step1, step2]
