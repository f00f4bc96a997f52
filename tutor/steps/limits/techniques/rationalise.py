"""Rationalise: multiply by the conjugate factor so that a root in a 0/0 quotient clears.

Square roots use (A − B)(A + B) = A² − B²; cube and higher roots the same identity one
degree up, Aⁿ − Bⁿ = (A − B)(Aⁿ⁻¹ + Aⁿ⁻²B + … + Bⁿ⁻¹), e.g. a³ − b³ = (a − b)(a² + ab + b²).
The technique applies only when that product is free of roots, so it cannot loop.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import sympy
from sympy import Add, Mul, Pow

from ....core import Step
from .base import Case, Result, Rule, Solver, rule

ID = "rationalise"
TITLE = "Rationalise (multiply by the conjugate)"


def root_order(t: Any) -> int | None:
    """n when t is c·u^(m/n) with 1/n the only fractional power in it, else None."""
    orders = {
        int(n.exp.q)
        for n in sympy.preorder_traversal(t)
        if isinstance(n, Pow) and n.exp.is_Rational and not n.exp.is_integer
    }
    return orders.pop() if len(orders) == 1 else None


def conjugate(base: Any) -> tuple[Any, Any, Any, int] | None:
    """For base = A − B with one root term A of order n: (A, B, the conjugate factor,
    n) such that base·conjugate = Aⁿ − Bⁿ is free of roots; None otherwise."""
    roots = [t for t in Add.make_args(base) if root_order(t) is not None]
    for s in roots:
        n = root_order(s)
        b = s - base
        product = sympy.expand(s**n - b**n)
        if _has_root(product) or product == 0:
            continue
        conj = Add(*[s ** (n - 1 - k) * b**k for k in range(n)])
        return s, b, conj, n
    return None


def _has_root(e: Any) -> bool:
    return any(
        isinstance(n, Pow) and n.exp.is_Rational and not n.exp.is_integer
        for n in sympy.preorder_traversal(e)
    )


def recognise(s: Solver, c: Case) -> Rule | None:
    """A 0/0 quotient whose top or bottom has a factor A − B with a root that vanishes."""
    from ..engine import is_zero
    from .power_substitution import orders

    if c.form != "0/0":
        return None
    if len(orders(c.f, s.x) or ()) >= 2:
        return None  # mixed radicals of x: the substitution x = tᵏ is the course's way
    for where, part in (("top", c.num), ("bottom", c.den)):
        for fac in Mul.make_args(part):
            base, e = fac.as_base_exp()
            if not isinstance(base, Add) or e != 1 or not _has_root(base):
                continue
            if not is_zero(base.subs(s.x, c.a)):
                continue
            got = conjugate(base)
            if got is None:
                continue
            return rule(ID, partial(apply, s, c, where, part, base, *got))
    return None


def apply(
    s: Solver, c: Case, where: str, part: Any, base: Any, A: Any, B: Any, conj: Any, n: int
) -> Result | None:  # noqa: N803 - the identity's names
    from ..engine import _tidy, _unevaluated_quotient

    x, a, side, num, den = s.x, c.a, c.side, c.num, c.den
    product = sympy.expand(A**n - B**n)
    if where == "top":
        new_num, new_den = Mul(part / base, product), Mul(den, conj)
    else:
        new_num, new_den = Mul(num, conj), Mul(part / base, product)
    shown = _unevaluated_quotient(new_num, new_den)
    g = _tidy(new_num / new_den, x)
    identity = (
        "(A − B)(A + B) = A² − B²"
        if n == 2
        else "(a − b)(a² + ab + b²) = a³ − b³"
        if n == 3
        else f"(a − b)(a^{n - 1} + … + b^{n - 1}) = a^{n} − b^{n}"
    )
    st1 = Step(
        ID,
        s.L(_unevaluated_quotient(num, den), a, side),
        s.L(shown, a, side),
        "Substituting gives 0/0 and the " + where + " holds a root. Multiply top and "
        "bottom by {conj}: " + identity + " clears the root, giving {product}.",
        data={"conj": conj, "product": product, "shown": shown},
    )
    st2 = Step(
        "factor_and_cancel",
        s.L(shown, a, side),
        s.L(g, a, side),
        "Cancel the common factor (allowed since {x} ≠ {a}): {g}.",
        data={"x": x, "a": a, "g": g},
    )
    v, st = s.lim(g, a, side, c.whole)
    if v is None:
        return None
    return v, [st1, st2, *st]
