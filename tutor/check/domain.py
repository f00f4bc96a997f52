"""Real domains from an expression's structure, compared over the whole real line.

Random points see only a window of the line: ``sqrt(t)·sqrt(t + 2000)`` and
``sqrt(t(t + 2000))`` differ only below -2000.  Here the domain is read from the tree: each
even root, log, inverse trig/hyperbolic function and non-integer power adds a condition
``g >= 0`` or ``g > 0``.  Where no such ``g`` (nor a denominator of one) changes sign, whether a
side is defined cannot change either, so the *critical points* (the real zeros and poles of
every ``g``) cut the line into open gaps on which the definedness of each side is constant.
A few fresh random points in each gap, and beyond the outermost points at several
magnitudes, then decide the domains exactly: a gap where only one side is defined is a
whole interval of difference (DESIGN.md, "Checking conventions"); isolated points are not.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import sympy

from . import numeric

__all__ = [
    "conditions",
    "critical_points",
    "DomainReport",
    "compare_domains",
    "defined",
    "gap_points",
    "implied_positive",
    "kinks",
    "kink_points",
]

# (function, [(g(arg), strict)]): the argument ranges outside of which the function is undefined
_INVERSE: dict[Any, Any] = {
    sympy.asin: lambda u: [(u + 1, False), (1 - u, False)],
    sympy.acos: lambda u: [(u + 1, False), (1 - u, False)],
    sympy.acosh: lambda u: [(u - 1, False)],
    sympy.atanh: lambda u: [(u + 1, True), (1 - u, True)],
    sympy.acoth: lambda u: [(u**2 - 1, True)],
    sympy.asec: lambda u: [(u**2 - 1, False)],
    sympy.acsc: lambda u: [(u**2 - 1, False)],
}


def conditions(expr: Any) -> frozenset[tuple[Any, bool]]:
    """The conditions ``(g, strict)`` (``g > 0`` when strict, else ``g >= 0``) that the
    structure of ``expr`` puts on its real domain; denominators (isolated points) excluded."""
    out: set[tuple[Any, bool]] = set()
    if not isinstance(expr, sympy.Basic):
        return frozenset()
    for node in sympy.preorder_traversal(expr):
        if node.is_Pow:
            b, e = node.args
            if b.is_number:
                continue
            if e.is_Rational and not e.is_Integer:
                if e.q % 2 == 0:
                    out.add((b, bool(e < 0)))
            elif not e.is_Integer:
                out.add((b, True))  # b^x with a variable or irrational exponent: b > 0
        elif isinstance(node, sympy.log):
            if not node.args[0].is_number:
                out.add((node.args[0], True))
        elif node.func in _INVERSE and not node.args[0].is_number:
            for g, strict in _INVERSE[node.func](node.args[0]):
                out.add((g, strict))
    return frozenset(out)


def _roots_here(g: Any, x: Any) -> list[Any] | None:
    """Real zeros of a polynomial ``g`` of low degree with rational coefficients, found here
    (fast); None when ``g`` is not such a polynomial."""
    try:
        p = sympy.Poly(g, x)
    except Exception:
        return None
    if p.degree() > 4 or not all(c.is_Rational for c in p.all_coeffs()):
        return None
    if p.degree() <= 0:
        return []
    return list(p.real_roots())


def critical_points(conds: list[Any], name: str) -> list[Any] | None:
    """The real zeros and poles of every condition ``g`` in one variable ``name`` (exact sympy
    numbers), or None when some set of zeros is not finite or not found (periodic ``g``)."""
    x = sympy.Symbol(name)
    xr = sympy.Symbol(name, real=True)
    out: list[Any] = []
    for g in conds:
        num, den = sympy.fraction(sympy.together(g))
        for part in (num, den):
            if not part.has(x):
                continue
            here = _roots_here(part, x)
            if here is None:
                s = sympy.solveset(part.xreplace({x: xr}), xr, domain=sympy.S.Reals)
                if not isinstance(s, sympy.FiniteSet):
                    return None
                here = list(s.args)
            out.extend(here)
    return out


def gap_points(points: list[Any], rng: random.Random, per_gap: int = 3) -> list[list[Any]]:
    """Random points (mpf at 50 digits) inside each open gap between the sorted critical
    ``points``, and on the two outer rays at distances from 10^-3 to 10^12: one list per gap."""
    ctx = numeric.context(50)
    vals = sorted({ctx.mpf(sympy.N(p, 60)) for p in points})
    gaps: list[list[Any]] = []
    for lo, hi in zip(vals, vals[1:]):
        gaps.append([lo + (hi - lo) * ctx.mpf(0.05 + 0.9 * rng.random()) for _ in range(per_gap)])
    lo, hi = (vals[0], vals[-1]) if vals else (ctx.zero, ctx.zero)
    for side, edge in ((-1, lo), (1, hi)):
        dist = (1e-3, 1.0, 1e3, 1e6, 1e12)
        gaps.append([edge + side * ctx.mpf(m) * ctx.mpf(0.1 + 0.9 * rng.random()) for m in dist])
    return gaps


def defined(expr: Any, point: dict[str, Any]) -> bool | None:
    """Whether ``expr`` has a real value at ``point``; None when that cannot be told
    (overflow, an unknown node)."""
    try:
        numeric.evaluate(expr, point, 50)
        return True
    except numeric.Undefined:
        return False
    except (ZeroDivisionError, ValueError, ArithmeticError):
        return False
    except Exception:
        return None


@dataclass
class DomainReport:
    """What the gaps showed: ``differs`` with an example point, and the points (one list per
    gap) where both sides are defined, for the value comparison."""

    differs: bool = False
    example: dict[str, Any] = field(default_factory=dict)
    common: list[dict[str, Any]] = field(default_factory=list)
    # no point at or below zero where either side is defined (or could not be told)
    positive_only: bool = True


def compare_domains(
    a: Any,
    b: Any,
    name: str,
    points: list[Any],
    rng: random.Random,
    fixed: dict[str, Any] | None = None,
    positive: bool = False,
) -> DomainReport:
    """Definedness of ``a`` and ``b`` on every gap between the critical ``points``.

    A gap where, at every sampled point, exactly one side is defined is a region of
    difference; a gap with mixed answers holds an isolated point (a pole) and proves nothing.
    """
    rep = DomainReport()
    ctx = numeric.context(50)
    vals = sorted({ctx.mpf(sympy.N(p, 60)) for p in points})
    for k, gap in enumerate(gap_points(points, rng)):
        seen = []
        for v in gap:
            if positive and v <= 0:
                continue  # declared positive: the other half of the line is not asked about
            pt = {**(fixed or {}), name: v}
            da, db = defined(a, pt), defined(b, pt)
            if da is None or db is None:
                if v <= 0:
                    rep.positive_only = False
                continue  # overflow or unknown: no evidence either way
            if v <= 0 and (da or db):
                rep.positive_only = False
            seen.append((da, db))
            if da and db and not fixed:  # on a line through the plane: the domains only
                rep.common.append(pt)
        if len(seen) >= 2 and seen[0][0] != seen[0][1]:
            if all(s == seen[0] for s in seen) and not rep.differs:
                rep.differs = True
                # a point that does not depend on the random draw: the same answer, the
                # same verdict text
                rep.example = {
                    "point": {
                        **{n: float(w) for n, w in (fixed or {}).items()},
                        name: _representative(vals, k),
                    },
                    "defined": "answer" if seen[0][0] else "expected",
                }
    return rep


def _representative(vals: list[Any], k: int) -> float:
    """A plain number inside gap ``k`` of ``gap_points`` (the inner gaps, then the rays)."""
    if k < len(vals) - 1:
        lo, hi = vals[k], vals[k + 1]
        return float(lo + (hi - lo) / 2)
    lo, hi = (vals[0], vals[-1]) if vals else (0, 0)
    return float(lo - 1) if k == max(len(vals) - 1, 0) else float(hi + 1)


def implied_positive(conds: frozenset[tuple[Any, bool]]) -> set[str]:
    """Names ``v`` that the conditions force to be >= 0 (``sqrt(v)``, ``ln(3v)``, ``v^q``):
    on the common domain such a variable is positive except on a hyperplane (v = 0), so a
    proof for positive ``v`` covers it."""
    out: set[str] = set()
    for g, _strict in conds:
        c, rest = g.as_coeff_Mul()
        if c.is_Rational and c > 0:
            if rest.is_Symbol:
                out.add(rest.name)
            elif rest.is_Pow and rest.base.is_Symbol and rest.exp.is_Integer and rest.exp % 2:
                out.add(rest.base.name)
    return out


def kinks(expr: Any) -> set[Any]:
    """The expressions ``g`` whose sign switches a piece of ``expr``: ``|g|``, ``sign(g)``,
    ``Heaviside(g)``, ``relu(g)``, ``max(a, b)`` and ``min(a, b)`` (``g = a - b``).  Random
    points see a window of the line; a piece that starts at ``g = 0`` far out is found by
    looking on both sides of every zero of ``g``."""
    from ..functions import relu

    out: set[Any] = set()
    if not isinstance(expr, sympy.Basic):
        return out
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, (sympy.Abs, sympy.sign, sympy.Heaviside, relu)):
            g = node.args[0]
            if not g.is_number:
                out.add(g)
        elif isinstance(node, (sympy.Max, sympy.Min)):
            args = list(node.args)
            for i, u in enumerate(args):
                for w in args[i + 1 :]:
                    if not (u - w).is_number:
                        out.add(u - w)
    return out


def kink_points(
    a: Any,
    b: Any,
    names: list[str],
    rng: random.Random,
    positive: frozenset[str] = frozenset(),
    limit: int = 48,
) -> list[dict[str, Any]]:
    """Fresh points on both sides of every zero of the switching expressions of ``a`` and
    ``b`` (``kinks``), out to 10^12 beyond the outermost: along the axis of each variable,
    the others at random values.  Only small polynomials in the variable are solved (here,
    in a few milliseconds); others give no points."""
    gs = sorted(kinks(a) | kinks(b), key=sympy.default_sort_key)
    if not gs or not names:
        return []
    out: list[dict[str, Any]] = []
    for name in names:
        x = sympy.Symbol(name)
        rest = [n for n in names if n != name]
        for _round in range(2 if rest else 1):
            others = {}
            for n in rest:
                q = sympy.Rational(rng.randint(1, 999), rng.randint(1, 97))
                others[n] = q if n in positive or rng.random() < 0.5 else -q
            roots: list[Any] = []
            for g in gs:
                gx = g.xreplace({sympy.Symbol(n): v for n, v in others.items()})
                if not gx.has(x):
                    continue
                for part in sympy.fraction(sympy.together(gx)):
                    if part.has(x):
                        here = _roots_here(part, x)
                        if here:
                            roots.extend(here)
            if not roots:
                continue
            fixed = {n: float(v) for n, v in others.items()}
            for gap in gap_points(roots, rng, per_gap=2):
                for v in gap:
                    if name in positive and v <= 0:
                        continue
                    out.append({**fixed, name: v})
    if len(out) > limit:
        out = rng.sample(out, limit)
    return out
