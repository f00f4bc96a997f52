"""Mal-rules for derivatives: the classic wrong answers, derived rather than guessed.

Each wrong answer comes from running the same rule tree as the worked solution with one rule
deliberately wrong (the chain rule without the inner derivative, (fg)′ = f′g′, ...), either
at every place the rule is used or at one place at a time.  Candidates equal to the right
derivative, or to an earlier candidate, are dropped: a mistake is named only when it is one.
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import Symbol

from ..core import Mistake, Task
from .derivatives import derivative_tree
from .derivatives.rules import MAL_CODES, Context
from .derivatives.tidy import show
from .registry import MISTAKES

__all__ = ["derivative_mistakes", "agree"]

# the rule each mistake sends the student back to (declared with the rules)
RULE_TO_REVISIT = MISTAKES

_MAX_SITES = 6  # one-site-at-a-time variants only for a few sites; beyond that, too many guesses

_TRIG_FEEDBACK = {
    "sin": "Check the sign: the derivative of sin is +cos, with no minus sign.",
    "cos": "Check the sign: the derivative of cos is −sin, so a minus sign belongs in front.",
    "cot": "Check the sign: the derivative of cot is −csc², with a minus sign.",
    "csc": "Check the sign: the derivative of csc is −csc·cot, with a minus sign.",
}


def derivative_mistakes(task: Task) -> list[Mistake]:
    """The classic wrong derivatives for a ``derivative`` task, one Mistake per distinct answer."""
    params = task.params
    expr = params.get("expr")
    x = params.get("wrt", "x")
    order = int(params.get("order", 1) or 1)
    if not isinstance(expr, sympy.Expr):
        return []
    if isinstance(x, str):
        x = next((s for s in expr.free_symbols if s.name == x), Symbol(x))
    if not isinstance(x, Symbol) or not expr.has(x):
        return []
    counting = Context(x)
    right = derivative_tree(expr, x, counting, order)
    symbols = sorted(right.free_symbols | expr.free_symbols, key=sympy.default_sort_key)
    found: list[Mistake] = []
    # the right answer and each mistake found are compared with every later candidate: sample
    # each of them once, at the same points, instead of at every comparison
    right_values = _Samples(right, symbols)
    found_values: list[_Samples] = []
    for code in MAL_CODES:
        n = counting.counts.get(code, 0)
        if n == 0:
            continue
        sites: list[int | None] = [None]
        if order == 1 and 1 < n <= _MAX_SITES:
            sites += list(range(n))
        for site in sites:
            ctx = Context(x, mal=code, site=site)
            wrong = derivative_tree(expr, x, ctx, order)
            if not ctx.hits:
                continue
            # undetermined counts as equal: better silent than a false alarm
            wrong_values = _Samples(wrong, symbols)
            if _compare(wrong_values, right_values) is not False:
                continue
            if any(_compare(wrong_values, m) is not False for m in found_values):
                continue
            found.append(
                Mistake(code, _feedback(code, _named_hit(ctx.hits)), wrong, RULE_TO_REVISIT[code])
            )
            found_values.append(wrong_values)
    return found


def _named_hit(hits: list[dict[str, Any]]) -> dict[str, Any]:
    """The site to name in the feedback: one whose dropped factor is not 1 (leaving out the
    derivative 1 of x − 1 changes nothing, so it is not the mistake), outermost first."""
    for hit in reversed(hits):
        if hit.get("factor", None) != 1:
            return hit
    return hits[0]


def _feedback(code: str, hit: dict[str, Any]) -> str:
    if code == "missing_chain_factor":
        return (
            "You forgot to multiply by the derivative of the inner function "
            f"{show(hit['inner'])} (the chain rule)."
        )
    if code == "exp_missing_factor":
        g = show(hit["inner"])
        return (
            f"The derivative of e^({g}) is e^({g}) times the derivative of the exponent {g}: "
            "you left out that factor."
        )
    if code == "log_missing_factor":
        g = show(hit["inner"])
        return (
            f"The derivative of ln({g}) is 1/({g}) times the derivative of {g}: "
            "you left out that factor."
        )
    if code == "trig_sign":
        return _TRIG_FEEDBACK[hit["function"]]
    if code == "power_rule_exponent":
        n, v = hit["n"], hit["v"]
        return (
            f"The power rule lowers the exponent by one: the derivative of {show(v**n)} is "
            f"{show(n * v ** (n - 1))}, not {show(n * v**n)}."
        )
    if code == "product_rule_as_product":
        return (
            "The derivative of a product is not the product of the derivatives: "
            "use the product rule (fg)′ = f′g + fg′."
        )
    if code == "quotient_rule_sign":
        return (
            "The quotient rule's numerator is (top)′·bottom − top·(bottom)′, in that order: "
            "your signs are swapped."
        )
    if code == "quotient_rule_denominator":
        return (
            "In the quotient rule the bottom is squared: divide by "
            f"({show(hit['bottom'])})², not by {show(hit['bottom'])}."
        )
    if code == "dropped_constant":
        c = hit["c"]
        if c == -1:
            return (
                "You lost the minus sign in front: a constant factor stays when you differentiate."
            )
        return (
            f"You dropped the constant factor {show(c)}: a constant factor stays in front "
            "when you differentiate."
        )
    raise KeyError(code)


# spread out, so that functions defined only for large or negative x still meet some points
_POINTS = (0.37, 0.81, 1.23, 1.71, 2.43, -0.53, -1.37, 0.12, 3.1, -2.2, -4.9, 5.6, -7.3, 8.2)


def agree(a: Any, b: Any, symbols: list[Any]) -> bool | None:
    """Numerically, do ``a`` and ``b`` agree as real functions?  None when fewer than three
    sample points lie in both domains (undetermined)."""
    return _compare(_Samples(a, symbols), _Samples(b, symbols))


class _Samples:
    """The values of an expression at the sample points, each worked out when first asked for."""

    def __init__(self, expr: Any, symbols: list[Any]) -> None:
        self.expr, self.symbols = expr, symbols
        self.values: dict[int, Any] = {}

    def __getitem__(self, i: int) -> Any:
        if i not in self.values:
            n = len(_POINTS)
            at = {
                s: sympy.Float(_POINTS[(i + 3 * k) % n] + 0.1 * k)
                for k, s in enumerate(self.symbols)
            }
            self.values[i] = _value(self.expr, at)
        return self.values[i]


def _compare(a: _Samples, b: _Samples) -> bool | None:
    compared = 0
    for i in range(len(_POINTS)):
        va = a[i]
        if va is None:
            continue
        vb = b[i]
        if vb is None:
            continue
        compared += 1
        # sympy Floats keep huge values (e^6561) finite, where Python floats overflow
        if abs(va - vb) > 1e-8 * max(abs(va), abs(vb)) + 1e-10:
            return False
    return True if compared >= 3 else None


def _value(expr: Any, at: dict[Any, Any]) -> Any:
    try:
        v = sympy.N(expr.xreplace(at) if hasattr(expr, "xreplace") else expr, 15)
        if not v.is_number or v.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            return None
        re, im = (sympy.Float(t) for t in v.as_real_imag())
    except (TypeError, ValueError, ZeroDivisionError, AttributeError):
        return None
    if not (re.is_finite and im.is_finite) or abs(im) > 1e-12 * (1 + abs(re)):
        return None
    return re
