"""Leading behaviour at +∞: each piece of f behaves like c·e^K·x^p·(ln x)^q, K a polynomial
in x without constant term (kx, or −x² for e^(−x²)).

Comparing the triples (k, p, q) is the growth-order ladder students learn: exponentials
outgrow powers, powers outgrow logarithms.  ``lead`` returns None whenever the leading
terms cancel or a piece is not of that shape, so callers can try another strategy.
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import Add, Mul, Pow, S, exp, log, oo

Lead = tuple[Any, Any, Any, Any]  # (c, K, p, q)
_X = sympy.Dummy("x")


def _kkey(k: Any) -> tuple[float, float]:
    """Order of growth of e^K: by the sign times degree of K, then its leading coefficient."""
    if k == 0:
        return (0.0, 0.0)
    poly = sympy.Poly(k, *sorted(k.free_symbols, key=str))
    lc = float(poly.LC())
    return (float(poly.total_degree()) * (1 if lc > 0 else -1), lc)


def _key(t: Lead) -> tuple[float, float, float, float]:
    return (*_kkey(t[1]), float(t[2]), float(t[3]))


def lead(e: Any, x: sympy.Symbol) -> Lead | None:
    """The leading term of ``e`` as x → +∞, as (c, k, p, q); None when unknown."""
    if not e.has(x):
        if e.is_zero or not e.is_finite or not e.is_extended_real:
            return None
        return (e, S.Zero, S.Zero, S.Zero)
    if e == x:
        return (S.One, S.Zero, S.One, S.Zero)
    if isinstance(e, Add):
        leads = []
        for t in e.args:
            lt = lead(t, x)
            if lt is None:
                return None
            leads.append(lt)
        top = max(_key(t) for t in leads)
        best = [t for t in leads if _key(t) == top]
        k, p, q = best[0][1:]
        if any(t[1] != k or t[2] != p or t[3] != q for t in best):
            return None
        c = best[0][0]
        if len(best) > 1:
            c = sympy.radsimp(sympy.expand(sum(t[0] for t in best)))
        if c.is_zero or c.is_zero is None:
            return None
        return (c, k, p, q)
    if isinstance(e, Mul):
        c, k, p, q = S.One, S.Zero, S.Zero, S.Zero
        for f in e.args:
            lf = lead(f, x)
            if lf is None:
                return None
            c, k, p, q = c * lf[0], sympy.expand(k + lf[1]), p + lf[2], q + lf[3]
        return (c, k, p, q)
    if isinstance(e, Pow):
        b, r = e.args
        if not r.has(x):
            if not r.is_real or not r.is_finite:
                return None
            lb = lead(b, x)
            if lb is None:
                return None
            if not r.is_integer and not lb[0].is_positive:
                return None
            return (lb[0] ** r, sympy.expand(lb[1] * r), lb[2] * r, lb[3] * r)
        if not b.has(x) and b.is_positive:
            return lead(exp(r * log(b)), x)
        return None
    if isinstance(e, exp):
        g = sympy.expand(e.args[0])
        if not g.is_polynomial(x):
            return None
        poly = sympy.Poly(g, x)
        if poly.degree() < 1 or not all(c.is_number and c.is_real for c in poly.all_coeffs()):
            return None
        c0 = poly.eval(0)
        return (exp(c0), sympy.expand(g - c0), S.Zero, S.Zero)
    if isinstance(e, log):
        lg = lead(e.args[0], x)
        if lg is None or not lg[0].is_positive:
            return None
        c, k, p, q = lg
        if k != 0:
            pk = sympy.Poly(k, x)
            return (pk.LC(), S.Zero, sympy.Integer(pk.degree()), S.Zero)
        if p != 0:
            return (p, S.Zero, S.Zero, S.One)
        if q != 0:
            return None
        lc = log(c)
        return None if lc.is_zero else (lc, S.Zero, S.Zero, S.Zero)
    return None


def lead_expr(t: Lead, x: sympy.Symbol) -> Any:
    """The leading term as an expression c·e^K·x^p·(ln x)^q."""
    c, k, p, q = t
    return c * exp(k) * x**p * log(x) ** q


def lead_limit(t: Lead) -> Any:
    """The limit at +∞ of c·e^K·x^p·(ln x)^q."""
    c, k, p, q = t
    kl = sympy.Integer(int(_kkey(k)[0] > 0) - int(_kkey(k)[0] < 0))
    for v in (kl, p, q):
        if v.is_positive:
            if c.is_positive:
                return oo
            return -oo if c.is_negative else None
        if v.is_negative:
            return S.Zero
    return c


def has_growth_functions(e: Any, x: sympy.Symbol) -> bool:
    """True when e holds exp, log or a power with x in the exponent."""
    return any(
        isinstance(n, (exp, log)) or (isinstance(n, Pow) and n.exp.has(x))
        for n in sympy.preorder_traversal(e)
    )


def lead_at_minus_infinity_rational(e: Any, x: sympy.Symbol) -> Any:
    """The leading term of a rational function as x → −∞ (same shape as at +∞)."""
    num, den = sympy.fraction(sympy.together(e))
    pn, pd = sympy.Poly(num, x), sympy.Poly(den, x)
    return pn.LC() / pd.LC() * x ** (pn.degree() - pd.degree())


__all__ = ["lead", "lead_expr", "lead_limit", "has_growth_functions", "oo"]
