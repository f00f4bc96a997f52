"""Written-form tests: is the answer *written* factored, expanded, as partial fractions, ...?

These test the tree the parser built, never its value (the value is compared first).  The
semantics follow STACK's answer tests (FacForm, Expanded, SingleFrac, LowestTerms, PartFrac,
CompSquare; docs.stack-assessment.org, "Answer tests"): factored means a product of
factors irreducible over the rationals with the numeric content taken out of each
(``3(x - 3)``, not ``(3x - 9)``); expanded means no product or power of a sum is left;
partial fractions means a polynomial plus terms whose denominator is a power of one
irreducible factor with a numerator of lower degree; a completed square is
``a(x - h)^2 + k`` with the variable only inside the square.
"""

from __future__ import annotations

from typing import Any

import sympy

__all__ = ["FORM_TESTS", "form_holds"]


def _variables(e: Any) -> list[Any]:
    return sorted((s for s in e.free_symbols if s.is_Symbol), key=lambda s: s.name)


def _factors(e: Any) -> list[tuple[Any, Any]]:
    """(base, exponent) of the product ``e`` as written."""
    parts = e.args if e.is_Mul else (e,)
    out = []
    for p in parts:
        if p.is_Pow and p.exp.is_Integer:
            out.append((p.base, p.exp))
        else:
            out.append((p, sympy.Integer(1)))
    return out


def factored(e: Any) -> bool:
    """A product of factors irreducible over Q, each primitive (content taken out)."""
    gens = _variables(e)
    if not gens:
        return True
    if e.is_Add:
        # a sum is factored only when it is itself one irreducible primitive polynomial
        return _irreducible_primitive(e, gens)
    for base, _n in _factors(e):
        if base.is_number:
            continue
        if not base.is_polynomial(*gens):
            return False
        if not _irreducible_primitive(base, gens):
            return False
    return True


def _irreducible_primitive(p: Any, gens: list[Any]) -> bool:
    try:
        poly = sympy.Poly(p, *gens, domain="QQ")
    except Exception:
        return False
    if poly.is_ground:
        return True
    coeffs = poly.coeffs()
    if all(c.is_Integer for c in coeffs):
        content = sympy.igcd(*[int(c) for c in coeffs]) if len(coeffs) > 1 else abs(coeffs[0])
        if content != 1:
            return False
    elif len(coeffs) > 1 or coeffs[0] != 1:
        return False  # (x/2 + 1): a rational content is left inside
    _c, parts = sympy.factor_list(p, *gens)
    nontrivial = [(q, m) for q, m in parts if not q.is_number]
    return len(nontrivial) == 1 and nontrivial[0][1] == 1


def expanded(e: Any) -> bool:
    """No product of a sum, no positive power of a sum (nor of |sum|, which is a sum
    squared when the power is even) is left, and the tree equals its expansion."""
    for t in sympy.preorder_traversal(e):
        if t.is_Mul and any(f.is_Add for f in t.args):
            return False
        if t.is_Pow and t.exp.is_Integer and t.exp > 1:
            if t.base.is_Add:
                return False
            if isinstance(t.base, sympy.Abs) and t.exp % 2 == 0:
                return False
    return sympy.expand(e, deep=False) == e


def _has_denominator(e: Any) -> bool:
    return any(
        (t.is_Pow and t.exp.is_negative) or (t.is_Rational and not t.is_Integer)
        for t in sympy.preorder_traversal(e)
    )


def single_fraction(e: Any) -> bool:
    """One numerator over one denominator, neither holding a fraction."""
    num, den = sympy.fraction(e)
    return not _has_denominator(num) and not _has_denominator(den)


def lowest_terms(e: Any) -> bool:
    """Every fraction written has no common factor between numerator and denominator,
    numeric content included (``2x/(4y)`` is not in lowest terms)."""
    terms = e.args if e.is_Add else (e,)
    for t in terms:
        num, den = sympy.fraction(t)
        if den == 1:
            continue
        g = sympy.gcd(num, den)
        if not g.is_number:
            return False
        cn, _ = sympy.Poly(num, *_variables(t) or [sympy.Dummy()]).primitive()
        cd, _ = sympy.Poly(den, *_variables(t) or [sympy.Dummy()]).primitive()
        if cn.is_Rational and cd.is_Rational and sympy.gcd(cn, cd) not in (1, -1):
            return False
    return True


def partial_fractions(e: Any) -> bool:
    """A polynomial plus terms c/q^k (deg c < deg q, q irreducible), no two over one q^k."""
    gens = _variables(e)
    if len(gens) != 1:
        return single_fraction(e) and not _has_denominator(e)
    x = gens[0]
    seen: set[Any] = set()
    for t in e.args if e.is_Add else (e,):
        num, den = sympy.fraction(t)
        if not den.has(x):
            if not t.is_polynomial(x):
                return False
            continue
        if not (num.is_polynomial(x) and den.is_polynomial(x)):
            return False
        fs = [(b, n) for b, n in _factors(den) if b.has(x)]
        if len(fs) != 1:
            return False
        q, _k = fs[0]
        try:
            pq = sympy.Poly(q, x)
        except Exception:
            return False
        if not pq.is_irreducible:
            return False
        if sympy.Poly(num, x).degree() >= pq.degree():
            return False
        key = sympy.Poly(den, x).monic().as_expr()
        if key in seen:
            return False
        seen.add(key)
    return True


def completed_square(e: Any) -> bool:
    """``a(x - h)^2 + k``: the variable appears only inside one squared linear expression."""
    gens = _variables(e)
    if len(gens) != 1:
        return False
    x = gens[0]
    squares = [
        t
        for t in sympy.preorder_traversal(e)
        if t.is_Pow and t.exp == 2 and t.base.has(x) and sympy.degree(t.base, x) == 1
    ]
    if not squares:
        return False
    u = sympy.Dummy("u")
    rest = e.xreplace({squares[0]: u})
    if rest.has(x):
        return False
    return rest.is_polynomial(u) and sympy.degree(rest, u) == 1


def simplified(e: Any) -> bool:
    """Lowest terms, no fraction inside a fraction, no identity left to apply (sin² + cos²)."""
    if not lowest_terms(e):
        return False
    for t in sympy.preorder_traversal(e):
        if t.is_Pow and t.exp.is_negative and _has_denominator(t.base):
            return False
        if t.is_Add and _pythagorean(t):
            return False
    return True


_PAIRS = ((sympy.sin, sympy.cos, 1), (sympy.cosh, sympy.sinh, -1), (sympy.sec, sympy.tan, -1))


def _pythagorean(s: Any) -> bool:
    """The sum holds c·f(u)² and ±c·g(u)² of an identity f² ± g² = const."""
    squares: dict[tuple[Any, Any], Any] = {}
    for t in s.args:
        c, rest = t.as_coeff_Mul()
        if rest.is_Pow and rest.exp == 2 and isinstance(rest.base, sympy.Function):
            squares[(rest.base.func, rest.base.args)] = c
    for f, g, sign in _PAIRS:
        for (func, args), c in squares.items():
            if func is f and squares.get((g, args)) == sign * c:
                return True
    return False


FORM_TESTS = {
    "factored": factored,
    "expanded": expanded,
    "single_fraction": single_fraction,
    "lowest_terms": lowest_terms,
    "partial_fractions": partial_fractions,
    "completed_square": completed_square,
    "simplified": simplified,
}


def form_holds(expr: Any, form: str) -> bool:
    """Whether ``expr`` is written in ``form`` (a key of FORM_TESTS); run under the budget."""
    return bool(FORM_TESTS[form](expr))


def form_holds_text(text: str, variables: list[str] | None, form: str) -> bool:
    """Whether the answer *text* is written in ``form``: read again keeping the products and
    quotients as typed (sympy would turn 4(t + 1) into 4t + 4 and 2x/(4y) into x/(2y)).
    Takes the text, not the tree, because a sympy tree sent to the worker is rebuilt, and
    rebuilding evaluates it."""
    from .._grammar import KEEP_WRITTEN
    from ..parse import parse

    token = KEEP_WRITTEN.set(True)
    try:
        e = parse(text, variables=variables)
    finally:
        KEEP_WRITTEN.reset(token)
    if isinstance(e, sympy.Equality):
        e = e.rhs
    return form_holds(e, form)
