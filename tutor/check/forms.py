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
    """A quotient anywhere outside an exponent (the 1/2 of a square root is no fraction)."""
    if (e.is_Pow and e.exp.is_negative) or (e.is_Rational and not e.is_Integer):
        return True
    if e.is_Pow:
        return _has_denominator(e.base)
    return any(_has_denominator(a) for a in e.args)


def single_fraction(e: Any) -> bool:
    """One numerator over one denominator, neither holding a fraction."""
    num, den = sympy.fraction(e)
    return not _has_denominator(num) and not _has_denominator(den)


def lowest_terms(e: Any) -> bool:
    """Every number written as a fraction is in lowest terms (no common factor, no sign
    common to both) with a denominator clear of surds (STACK's LowestTerms: ``2x/4``,
    ``-1/-3``, ``1/sqrt(3)`` are not), and no fraction has a common factor of its polynomials
    (``x^2/x``, ``(x^2 - 1)/(x - 1)`` are not).  Reads the tree as typed (``form_holds_text``)."""
    for t in sympy.preorder_traversal(e):
        if t.is_Rational and not t.is_Integer and t.q != 1:
            continue  # a fraction sympy made itself is already in lowest terms
        if not t.is_Mul:
            continue
        if any(_negative_number(a) for a in t.args if not a.is_Mul) and any(
            _negative_denominator(a) for a in t.args if a.is_Mul
        ):
            return False
        for i, a in enumerate(t.args):
            if not (a.is_Pow and a.exp.is_negative and a.base.is_number):
                continue
            d = a.base
            if not d.is_Rational:
                return False  # a surd (or another irrational) left in a denominator
            rest = [b for j, b in enumerate(t.args) if j != i]
            if d.is_negative and any(_negative_number(b) for b in rest):
                return False  # -1/-3: a sign common to both (1/-3 is fine, as in STACK)
            if d.is_Integer and sympy.igcd(int(d), _content(rest)) != 1:
                return False
    # and no common factor at all, as STACK's own lowesttermsp((x^2 - 1)/(x - 1)) is false
    return _cancelled(e)


def _negative_number(f: Any) -> bool:
    """A negative number, or a product holding one (x - 1/-4 is x + (-1)·(1/-4))."""
    if f.is_number and f.is_negative:
        return True
    return f.is_Mul and any(_negative_number(a) for a in f.args)


def _negative_denominator(f: Any) -> bool:
    return any(a.is_Pow and a.exp.is_negative and a.base.is_negative for a in f.args)


def _content(factors: list[Any]) -> int:
    """The integer content of a product as written (nested products and sums looked into)."""
    c = 1
    for f in factors:
        if f.is_Integer:
            c *= abs(int(f))
        elif f.is_Mul:
            c *= _content(list(f.args))
        elif f.is_Add:
            k, _ = sympy.Add(*f.args).as_content_primitive()
            c *= abs(int(k.p)) if k.is_Rational else 1
    return c


def _cancelled(e: Any) -> bool:
    """Every fraction has no common factor between numerator and denominator, numeric
    content included (``2x/(4y)`` is not simplified)."""
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
    outside = [f for f in _flat_factors(e) if not f.has(x)]
    inside = [f for f in _flat_factors(e) if f.has(x)]
    if outside and len(inside) == 1 and inside[0].is_Add:
        e = inside[0]  # a constant times partial fractions: 3(1/(x + 1) + 1/(x + 2))
    seen: set[Any] = set()
    for t in e.args if e.is_Add else (e,):
        # a term as written may nest its products (-(1/2)·1/(n + 1)): read flattened too,
        # where its numbers join and its denominator is plain to see
        key = _partial_term(t, x)
        if key is False:
            key = _partial_term(sympy.Mul(*_flat_factors(t)), x)
        if key is False:
            return False
        if key is None:
            continue
        if key in seen:
            return False
        seen.add(key)
    return True


def _partial_term(t: Any, x: Any) -> Any:
    """For one term of partial fractions: None for a polynomial term, the monic q^k of a
    term c/q^k (deg c < deg q, q irreducible), False for anything else."""
    num, den = sympy.fraction(t)
    if not den.has(x):
        return None if t.is_polynomial(x) else False
    if not (num.is_polynomial(x) and den.is_polynomial(x)):
        return False
    fs = [(b, n) for b, n in _factors(den) if b.has(x)]
    if len(fs) != 1:
        return False
    q, _k = fs[0]
    try:
        pq = sympy.Poly(q, x)
        if not pq.is_irreducible or sympy.Poly(num, x).degree() >= pq.degree():
            return False
        return sympy.Poly(den, x).monic().as_expr()
    except Exception:  # not a polynomial in x after all
        return False


def _flat_factors(t: Any) -> list[Any]:
    """The factors of a product as written, nested products opened."""
    if not t.is_Mul:
        return [t]
    return [f for a in t.args for f in _flat_factors(a)]


def completed_square(e: Any) -> bool:
    """``a(x - h)^2 + k``: the variable appears only inside one squared linear expression
    (the other letters are constants, as in STACK's CompSquare).  The variable is x when x
    appears, else the only letter; an expression of degree at most 1 in it (1, x - a) has
    nothing to complete."""
    gens = _variables(e)
    named = [g for g in gens if g.name == "x"]
    if named or len(gens) == 1:
        x = (named or gens)[0]
    elif not gens:
        return True
    else:
        return False
    if e.is_polynomial(x) and sympy.degree(e, x) <= 1:
        return True
    squares = [
        t
        for t in sympy.preorder_traversal(e)
        if t.is_Pow
        and t.exp == 2
        and t.base.has(x)
        and t.base.is_polynomial(x)
        and sympy.degree(t.base, x) == 1
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
    if not _cancelled(e):
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
    from ..parse import parse
    from ..parse.grammar import KEEP_WRITTEN

    token = KEEP_WRITTEN.set("all" if form in ("lowest_terms", "single_fraction") else True)
    try:
        e = parse(text, variables=variables)
    finally:
        KEEP_WRITTEN.reset(token)
    if isinstance(e, sympy.Equality):
        e = e.rhs
    return form_holds(e, form)
