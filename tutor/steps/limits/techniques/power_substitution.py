"""Substitution x = tᵏ for mixed radicals: (√x − 1)/(∛x − 1) with x = t⁶ becomes
(t³ − 1)/(t² − 1), a rational function of t that factor and cancel finishes."""

from __future__ import annotations

from math import lcm
from typing import Any

import sympy
from sympy import Limit, Pow, S

from ....core import Step
from .base import Case, Result, Rule, Solver, rule

ID = "power_substitution"
TITLE = "Substitution x = tᵏ (mixed radicals)"


def orders(f: Any, x: Any) -> set[int] | None:
    """The root orders q of the powers x^(p/q) in f; None when a root has another radicand."""
    out = set()
    for n in sympy.preorder_traversal(f):
        if isinstance(n, Pow) and n.exp.is_Rational and not n.exp.is_integer:
            if n.base != x:
                return None
            out.add(int(n.exp.q))
    return out


def recognise(s: Solver, c: Case) -> Rule | None:
    """Roots of x of two or more orders, at a point a ≥ 0 whose k-th root is rational."""
    x = s.x
    qs = orders(c.f, x)
    if not qs or len(qs) < 2 or c.a is S.NegativeInfinity:
        return None
    k = lcm(*qs)
    t0 = S.Infinity if c.a is S.Infinity else sympy.root(c.a, k)
    if t0 is not S.Infinity and not (t0.is_Rational and t0 >= 0):
        return None
    return rule(ID, lambda: apply(s, c, k, t0))


def apply(s: Solver, c: Case, k: int, t0: Any) -> Result | None:
    from ..engine import Solver as _Solver

    x = s.x
    t = sympy.Dummy("t", positive=True) if x.name == "t" else sympy.Symbol("t", positive=True)
    g = sympy.powsimp(sympy.powdenest(c.f.subs(x, t**k), force=True), force=True)
    side = "+" if t0 == 0 else ("+-" if c.side == "+-" else c.side)
    sub = _Solver(t, s.depth, method=s.method)
    v, st = sub.lim(g, t0, side, c.whole)
    if v is None:
        return None
    after = Limit(g, t, t0) if t0 is S.Infinity else Limit(g, t, t0, side)
    step = Step(
        ID,
        s.L(c.f, c.a, c.side),
        after,
        "The roots of {x} have different orders; put {x} = {t}^{k}, {k} being a common "
        "multiple of the orders, so that every root becomes a whole power of {t}, and let "
        "{t} → {t0}: {g}.",
        data={"x": x, "t": t, "k": k, "t0": t0, "g": g},
    )
    return v, [step, *st]
