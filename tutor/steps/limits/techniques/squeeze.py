"""The squeeze theorem: a bounded factor times something tending to 0 tends to 0.

The bound is stated exactly (|sin u| ≤ 1, |atan u| ≤ π/2, …), so the step claims
−M·|g| ≤ f ≤ M·|g| with f = b·g, and it is checked at points near the limit point before
it is written down."""

from __future__ import annotations

from typing import Any

import sympy
from sympy import S

from ....core import Step
from .base import Result, Solver

ID = "squeeze"
TITLE = "The squeeze theorem"


def bound(b: Any, x: Any) -> Any:
    """A number M with |b| ≤ M for every x, or None when none is known."""
    if not b.has(x):
        return abs(b) if b.is_real else None
    if isinstance(b, (sympy.sin, sympy.cos, sympy.tanh)):
        return S.One
    if isinstance(b, sympy.atan):
        return sympy.pi / 2
    if isinstance(b, sympy.exp):
        m = bound(b.args[0], x)
        return None if m is None else sympy.exp(m)
    if isinstance(b, sympy.Pow) and b.exp.is_integer and b.exp.is_positive:
        m = bound(b.base, x)
        return None if m is None else m**b.exp
    if isinstance(b, (sympy.Mul, sympy.Add)):
        ms = [bound(t, x) for t in b.args]
        if any(m is None for m in ms):
            return None
        return sympy.Mul(*ms) if isinstance(b, sympy.Mul) else sympy.Add(*ms)
    return None


def holds(f: Any, envelope: Any, x: Any, a: Any, side: str) -> bool:
    """|f| ≤ envelope at twelve points near a (on the asked sides), checked in decimals."""
    if a is S.Infinity or a is S.NegativeInfinity:
        sgn = 1 if a is S.Infinity else -1
        pts = [sgn * sympy.Rational(10) ** k / 3 for k in range(1, 13)]
    else:
        signs = [s for s in (1, -1) if (s > 0 and "+" in side) or (s < 0 and "-" in side)]
        pts = [a + s * sympy.Rational(7, 10**k) for s in signs for k in range(1, 7)]
    for p in pts:
        try:
            u = sympy.N(abs(f.subs(x, p)), 30)
            v = sympy.N(envelope.subs(x, p), 30)
        except (TypeError, ValueError, ZeroDivisionError):
            return False
        if not (u.is_real and v.is_real) or u > v * (1 + sympy.Float("1e-20")):
            return False
    return True


def product(s: Solver, f: Any, b: Any, a: Any, side: str, sub: list[Any]) -> Result | None:
    """f = b·g with b bounded and g → 0: −M|g| ≤ f ≤ M|g| → 0."""
    x = s.x
    m = bound(b, x)
    if m is None:
        return None
    g = sympy.cancel(f / b) if f.is_Mul else f / b
    if not holds(f, m * abs(g), x, a, side):
        return None
    step = Step(
        ID,
        s.L(f, a, side),
        S.Zero,
        (
            "{b} stays bounded, |{b}| ≤ 1, so −|{g}| ≤ {f} ≤ |{g}|. "
            if m == 1
            else "{b} stays bounded, |{b}| ≤ {bound}, so −{bound}·|{g}| ≤ {f} ≤ {bound}·|{g}|. "
        )
        + "Both bounds tend to 0, so {f} is squeezed to 0 too (the squeeze theorem).",
        substeps=sub,
        data={"f": f, "b": b, "g": g, "bound": m, "envelope": m * abs(g), "x": x, "a": a},
    )
    return S.Zero, [step]


def quotient(
    s: Solver, f: Any, num: Any, den: Any, a: Any, side: str, sub: list[Any]
) -> Result | None:
    """f = num/den with num bounded and |den| → ∞: |f| ≤ M/|den| → 0."""
    x = s.x
    m = bound(num, x)
    if m is None:
        return None
    if not holds(f, m / abs(den), x, a, side):
        return None
    step = Step(
        ID,
        s.L(f, a, side),
        S.Zero,
        "The top stays bounded, |{num}| ≤ {bound}, while the bottom {den} grows without "
        "bound, so −{bound}/|{den}| ≤ {f} ≤ {bound}/|{den}|; both bounds tend to 0, so the "
        "limit is 0 (the squeeze theorem).",
        substeps=sub,
        data={"f": f, "num": num, "den": den, "bound": m, "envelope": m / abs(den), "x": x, "a": a},
    )
    return S.Zero, [step]
