"""The tidy-up at the end of a derivation: cheap algebra that lands on a form a teacher accepts.

Each candidate move is named in words, so the step can say what it did; the shortest result
(by operation count) wins, and the raw rule result wins ties.
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import cancel, count_ops, expand, factor, factor_terms, together

__all__ = ["tidy", "show"]

_MAX_OPS = 80  # beyond this, heavier algebra costs more time than it saves reading


def tidy(expr: Any, variables: tuple[Any, ...]) -> tuple[Any, str]:
    """A simpler form of ``expr`` equal to it as a function, and the algebra done, in words."""
    if not isinstance(expr, sympy.Expr) or expr.is_Atom:
        return expr, ""
    best, best_cost, how = expr, _cost(expr), ""

    def consider(candidate: Any, words: str, margin: int = 0) -> None:
        nonlocal best, best_cost, how
        if candidate is None or candidate == best:
            return
        cost = _cost(candidate)
        if cost[0] + margin < best_cost[0] or (margin == 0 and cost < best_cost):
            best, best_cost, how = candidate, cost, words

    ops = count_ops(expr)
    pulled = factor_terms(expr)
    if _worth_pulling(pulled):
        consider(pulled, "take out the factor the terms have in common")
    # cancel and factor expand exponentials and can take seconds on big expressions, so
    # they only see small ones whose exponents are constants
    algebraic = ops <= _MAX_OPS and not any(
        isinstance(a, sympy.exp) or (a.is_Pow and not a.exp.is_number)
        for a in sympy.preorder_traversal(expr)
    )
    denominators = any(a.is_Pow and a.exp.is_negative for a in sympy.preorder_traversal(expr))
    if algebraic and all(expr.is_polynomial(v) for v in variables):
        consider(expand(expr), "multiply out and collect like terms")
    if denominators and not algebraic:
        joined = together(expr)
        consider(factor_terms(joined), "combine the fractions over a common denominator")
        if ops <= _MAX_OPS:
            top, bottom = sympy.fraction(joined)
            consider(
                factor_terms(expand(top)) / bottom,
                "combine the fractions over a common denominator and multiply out the top",
            )
    elif denominators:
        combined = cancel(together(expr))
        consider(combined, "combine the fractions over a common denominator and cancel")
        if ops <= _MAX_OPS // 2:
            consider(
                factor(combined),
                "combine the fractions over a common denominator, cancel and factor",
            )
    elif algebraic and expr.is_Add and ops <= _MAX_OPS // 2:
        factored = factor(expr)
        if _worth_pulling(factored):
            consider(factored, "factor")
    if algebraic and ops <= _MAX_OPS // 3 and expr.has(sympy.sin) and expr.has(sympy.cos):
        first = f"{how}, then " if how else ""
        consider(_pythagoras(best), first + "use sin² + cos² = 1", margin=2)
    return best, how


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


def _cost(expr: Any) -> tuple[int, int]:
    return (count_ops(expr), len(sympy.sstr(expr)))


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
