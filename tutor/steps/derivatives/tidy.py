"""The tidy-up at the end of a derivation: cheap algebra that lands on a form a teacher accepts.

Each candidate move is named in words, so the step can say what it did; the shortest result
(by operation count, then by printed length) wins, and the raw rule result wins ties.

Speed matters here (a worked solution should cost about as much as a bare answer), so the
candidates share one scan of the expression, each candidate's cost is computed once (its printed
length only when the operation counts tie), the heavy rational algebra is skipped where it can
only blow up, and a sum of powers of x is put over its common denominator directly.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import sympy
from sympy import cancel, count_ops, expand, factor, factor_terms, together

__all__ = ["tidy", "show"]

_MAX_OPS = 80  # beyond this, heavier algebra costs more time than it saves reading
# Beyond this degree (bounded from the tree) putting everything over one denominator multiplies
# out polynomials of dozens of terms: seconds of work for a form that never wins.
_MAX_DEGREE = 24


def tidy(expr: Any, variables: tuple[Any, ...]) -> tuple[Any, str]:
    """A simpler form of ``expr`` equal to it as a function, and the algebra done, in words."""
    if not isinstance(expr, sympy.Expr) or expr.is_Atom:
        return expr, ""
    return _tidy(expr, tuple(variables))


class _Best:
    """The best form so far; its printed length is worked out only when a tie needs it."""

    def __init__(self, expr: Any) -> None:
        self.expr, self.ops, self.how = expr, count_ops(expr), ""
        self._length: int | None = None

    def length(self) -> int:
        if self._length is None:
            self._length = len(sympy.sstr(self.expr))
        return self._length

    def consider(self, candidate: Any, words: str, margin: int = 0) -> None:
        if candidate is None or candidate == self.expr:
            return
        ops = count_ops(candidate)
        if ops + margin < self.ops:
            length = None
        elif margin == 0 and ops == self.ops:
            length = len(sympy.sstr(candidate))
            if length >= self.length():
                return
        else:
            return
        self.expr, self.ops, self.how, self._length = candidate, ops, words, length


@lru_cache(maxsize=512)
def _tidy(expr: Any, variables: tuple[Any, ...]) -> tuple[Any, str]:
    best = _Best(expr)
    ops = best.ops
    pulled = factor_terms(expr)
    if _worth_pulling(pulled):
        best.consider(pulled, "take out the factor the terms have in common")
    transcendental, denominators, trig = _scan(expr)
    # cancel and factor expand exponentials and can take seconds on big expressions, so
    # they only see small ones whose exponents are constants
    algebraic = ops <= _MAX_OPS and not transcendental
    # multiplying out or factoring (x³ − 1)⁹⁹ or 75x⁷⁴ − 1 takes longer than all the rest
    moderate = algebraic and _degree(expr, variables) <= _MAX_DEGREE
    if moderate and all(expr.is_polynomial(v) for v in variables):
        best.consider(expand(expr), "multiply out and collect like terms")
    if denominators and not algebraic:
        joined = together(expr)
        best.consider(factor_terms(joined), "combine the fractions over a common denominator")
        if ops <= _MAX_OPS:
            top, bottom = sympy.fraction(joined)
            best.consider(
                factor_terms(expand(top)) / bottom,
                "combine the fractions over a common denominator and multiply out the top",
            )
    elif denominators:
        powers = _power_sum(expr, variables)
        if powers is not None:
            # what cancel would give for c1 x^p1 + c2 x^p2 + ..., without the polynomial
            # machinery; term by term is how the power rule reads, so only a clear gain wins
            words = "combine the fractions over a common denominator"
            if count_ops(powers) + 2 < ops:
                best.consider(powers, words + " and cancel")
            if best.expr is powers:
                best.consider(factor(powers), words + ", cancel and factor")
        elif moderate:
            combined = cancel(together(expr))
            best.consider(combined, "combine the fractions over a common denominator and cancel")
            if ops <= _MAX_OPS // 2:
                best.consider(
                    _factor_fraction(combined),
                    "combine the fractions over a common denominator, cancel and factor",
                )
    elif moderate and expr.is_Add and ops <= _MAX_OPS // 2 and not expr.has(sympy.Function):
        # with sin, e^.. as extra unknowns factor costs much and finds no more than the common
        # factor already taken out above
        factored = factor(expr)
        if _worth_pulling(factored):
            best.consider(factored, "factor")
    if algebraic and ops <= _MAX_OPS // 3 and trig:
        first = f"{best.how}, then " if best.how else ""
        best.consider(_pythagoras(best.expr), first + "use sin² + cos² = 1", margin=2)
    return best.expr, best.how


def _factor_fraction(expr: Any) -> Any:
    """``factor(expr)`` for a cancelled fraction; a top with sin, e^.. in it only has its common
    factor taken out, since factoring over those as extra unknowns costs much and never pays."""
    top, bottom = sympy.fraction(expr)
    if not top.has(sympy.Function):
        return factor(expr)
    if top.as_ordered_terms()[0].could_extract_minus_sign():
        # as factor does: the leading term inside the bracket is positive
        return -factor_terms(-top) / factor(bottom)
    return factor_terms(top) / factor(bottom)


def _scan(expr: Any) -> tuple[bool, bool, bool]:
    """One walk over ``expr``: (has e^.. or a variable exponent, has a negative power,
    has both sin and cos)."""
    transcendental = negative = has_sin = has_cos = False
    for a in sympy.preorder_traversal(expr):
        if isinstance(a, sympy.exp):
            transcendental = True
        elif a.is_Pow:
            if not a.exp.is_number:
                transcendental = True
            if not negative and a.exp.is_negative:
                negative = True
        elif isinstance(a, sympy.sin):
            has_sin = True
        elif isinstance(a, sympy.cos):
            has_cos = True
    return transcendental, negative, has_sin and has_cos


def _power_sum(expr: Any, variables: tuple[Any, ...]) -> Any:
    """``c1 x^p1 + c2 x^p2 + ...`` over its common denominator ``L x^-m`` (m the lowest power,
    L the common denominator of the coefficients), or None when ``expr`` is not such a sum."""
    if not expr.is_Add or len(variables) != 1:
        return None
    x = variables[0]
    terms = []
    for term in expr.args:
        c, rest = term.as_coeff_Mul()
        if rest == x:
            p = sympy.S.One
        elif rest.is_Pow and rest.base == x and rest.exp.is_Rational:
            p = rest.exp
        elif rest == 1:
            p = sympy.S.Zero
        else:
            return None
        if not c.is_Rational:
            return None
        terms.append((c, p))
    low = min(p for _, p in terms)
    scale = sympy.Integer(math.lcm(*(int(c.q) for c, _ in terms)))
    top = sympy.Add(*[c * scale * x ** (p - low) for c, p in terms])
    return top * x**low / scale


def _degree(expr: Any, variables: tuple[Any, ...]) -> int:
    """A rough upper bound on the degree of the polynomials met when ``expr`` is put over one
    denominator and multiplied out (a function of x counts as degree 1)."""
    if expr.is_Atom:
        return 1 if expr in variables else 0
    if expr.is_Add:
        return max(_degree(a, variables) for a in expr.args)
    if expr.is_Mul:
        return sum(_degree(a, variables) for a in expr.args)
    if expr.is_Pow and expr.exp.is_Rational:
        return _degree(expr.base, variables) * math.ceil(abs(expr.exp))
    return 1 if expr.has(*variables) else 0


def _pythagoras(expr: Any) -> Any:
    """``expr`` with sin(a)² written as 1 − cos(a)², kept only if the result is simpler."""
    swapped = expr.replace(
        lambda t: t.is_Pow and t.exp == 2 and isinstance(t.base, sympy.sin),
        lambda t: 1 - sympy.cos(t.base.args[0]) ** 2,
    )
    if swapped == expr:
        return None
    return factor(cancel(together(expand(swapped))))


def _worth_pulling(expr: Any) -> bool:
    """A common factor is worth taking out when it is more than a number times x^k."""
    if not expr.is_Mul:
        return False
    content = [f for f in expr.args if not f.is_Add]
    return any(
        not (f.is_Number or f.is_Symbol or (f.is_Pow and f.base.is_Symbol and f.exp.is_Integer))
        for f in content
    )


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def show(expr: Any) -> str:
    """Readable one-line unicode for feedback sentences: ``3x² + 1``, ``e^(2x)``, ``sin(x)·cos(x)``."""
    import re

    text = sympy.sstr(expr)
    text = re.sub(r"\bexp\(", "e^(", text)
    text = re.sub(r"\bsqrt\(", "√(", text)
    text = re.sub(r"\blog\(", "ln(", text)
    text = re.sub(r"\*\*(-?\d+)\b(?!\.)", lambda m: m.group(1).translate(_SUPERSCRIPT), text)
    text = text.replace("**", "^")
    text = re.sub(r"(\d)\*(?=[A-Za-z(])", r"\1", text)
    return text.replace("*", "·")
