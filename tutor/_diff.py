"""``diff``: ``sympy.diff`` with a fast path for the polynomials the generator is made of.

sympy differentiates ``3x⁴ − 2x + 1`` through ``Derivative`` objects and assumption queries on
every term (about 6 ms for a quartic in a real x, the largest single cost of generating a
problem).  An expanded polynomial with rational coefficients is differentiated here term by
term instead: ``c·x^k·y^j`` gives ``(c·k)·x^(k−1)·y^j``, and the terms are added.  sympy's own
evaluation puts a sum or product of the same terms in one canonical form, so the result is the
expression ``sympy.diff`` returns (equal, and printed the same), about five times faster; a
higher derivative is left to sympy, which writes it in its own way (12(3x² + 14x + 2)).
Anything else (functions, fractions, floats, symbols of a subclass) goes to ``sympy.diff``.
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import Add, Dummy, Mul, Symbol

__all__ = ["diff"]

_PLAIN = (Symbol, Dummy)  # subclasses (board notation) may differentiate in their own way


def diff(expr: Any, x: Any, order: int = 1) -> Any:
    """``sympy.diff(expr, x, order)``: the same expression, faster for a polynomial and
    ``order`` 1 (sympy writes a higher derivative in its own way, e.g. 12(3x² + 14x + 2))."""
    terms = _terms(expr) if order == 1 and type(x) in _PLAIN else None
    if terms is None:
        return sympy.diff(expr, x, order)
    terms = [(c * powers[x], _lower(powers, x)) for c, powers in terms if x in powers]
    return Add(*[Mul(c, *[s**k for s, k in powers.items()]) for c, powers in terms])


def _lower(powers: dict[Any, int], x: Any) -> dict[Any, int]:
    out = dict(powers)
    if out[x] == 1:
        del out[x]
    else:
        out[x] -= 1
    return out


def _terms(expr: Any) -> list[tuple[Any, dict[Any, int]]] | None:
    """``expr`` as [(rational coefficient, {symbol: positive power})], or None when it is not
    an expanded polynomial with rational coefficients in plain symbols."""
    if not isinstance(expr, sympy.Expr):
        return None
    out = []
    for term in Add.make_args(expr):
        c, rest = term.as_coeff_Mul()
        if not c.is_Rational:
            return None
        powers: dict[Any, int] = {}
        for f in Mul.make_args(rest):
            if type(f) in _PLAIN:
                base, k = f, 1
            elif f.is_Pow and type(f.base) in _PLAIN and f.exp.is_Integer and f.exp > 0:
                base, k = f.base, int(f.exp)
            elif f == 1:
                continue
            else:
                return None
            if base in powers:
                return None  # not in sympy's collected form
            powers[base] = k
        out.append((c, powers))
    return out
