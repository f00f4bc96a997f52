"""The derivative from first principles: the limit of the slope of secants.

f'(x) = lim_{h→0} (f(x + h) − f(x))/h, worked the way it is taught: substitute, expand,
cancel h, let h → 0 (polynomials, rationals); multiply by the conjugate (roots); the
addition formula with the standard limits (sin, cos).
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import Add, Limit, Mul, Pow, Rational, S, cos, sin

from ...core import Solution, Step, Task
from .api import as_expr, as_point, cas_step, unfinished
from .budget import DEFAULT_SECONDS, OutOfTime, check_deadline, within
from .engine import Solver, _unevaluated_quotient


def _linear(u: Any, x: Any) -> bool:
    return u.is_polynomial(x) and sympy.degree(u, x) == 1


def derivative_from_definition(
    expr: Any, at: Any = None, var: str = "x", *, seconds: float | None = DEFAULT_SECONDS
) -> Solution:
    """f'(x) (or f'(at)) as the limit of the difference quotient (f(x+h) − f(x))/h as h → 0.

    Answers within ``seconds`` (None: no budget); past it the answer is None and a step
    says that the derivation could not be finished."""
    x = sympy.Symbol(var) if isinstance(var, str) else var
    f = as_expr(expr, [x.name])
    a = None if at is None else as_point(at)
    h = sympy.Symbol("h") if x.name != "h" else sympy.Symbol("k")
    p = x if a is None else a
    where = "" if a is None else " at {var} = {at}"
    statement = "Find the derivative of {expr} from the definition" + where + "."
    task = Task("derivative_definition", {"expr": f, "var": x, "at": a}, statement)
    fph, fp = f.subs(x, p + h), f.subs(x, p)
    q = _unevaluated_quotient(_written_difference(f, x, p, h, fp), h)
    with within(seconds):
        try:
            return _derive(task, f, x, a, p, h, fph, fp, q)
        except OutOfTime:
            return unfinished(task, Limit(q, h, 0, "+-"), seconds)


def _written_difference(f: Any, x: Any, p: Any, h: Any, fp: Any) -> Any:
    """f(p + h) − f(p) as a teacher writes it: f with (p + h) put in place of x, in f's own
    order ((x + h)² + 3(x + h)), then minus f(p) in brackets, −(x² + 3x); not the expanded
    sum sympy sorts, (−x² − 3x) + (3h + 3x + (h + x)²)."""
    from ...substitute import WrittenSum, put_in_place

    moved = WrittenSum(p, h, evaluate=False)  # x + h, 4 + h: in the order it is said

    shifted = put_in_place(f, x, moved)
    minus = -fp if fp.is_number or not fp.is_Add else Mul(-1, fp, evaluate=False)
    terms = shifted.as_ordered_terms() if shifted.is_Add else [shifted]
    return WrittenSum(*terms, minus, evaluate=False)


def _derive(
    task: Task, f: Any, x: Any, a: Any, p: Any, h: Any, fph: Any, fp: Any, q: Any
) -> Solution:
    check_deadline()
    steps = [
        Step(
            "difference_quotient",
            # f'(4), as written on the board (sympy's Subs(Derivative(…), x, 4) is no notation)
            sympy.Derivative(f, x) if a is None else sympy.Function("f'")(a),
            Limit(q, h, 0, "+-"),
            "The derivative is the limit of the slopes of secant lines: the slope between "
            "the points at {p} and {p} + {h} is the difference quotient {q}; let {h} → 0.",
            data={"p": p, "h": h, "q": q},
        )
    ]
    truth = sympy.diff(f, x) if a is None else sympy.diff(f, x).subs(x, a)
    worked = _work(f, x, p, h, fph, fp)
    if worked is None:
        g = (fph - fp) / h
        v, st = Solver(h).lim(g, S.Zero, "+-")
        ok = v is not None and sympy.simplify(v - truth) == 0 if v is not None else False
        worked = (v, st) if ok else (truth, [cas_step(g, h, S.Zero, "+-", truth)])
    check_deadline()
    v, st = worked
    if sympy.simplify(v - truth) != 0:
        v, st = truth, [cas_step((fph - fp) / h, h, S.Zero, "+-", truth)]
    answer = sympy.simplify(v) if sympy.count_ops(v) > 12 else v
    return Solution(task, [*steps, *st], answer)


def _work(f: Any, x: Any, p: Any, h: Any, fph: Any, fp: Any) -> tuple[Any, list[Step]] | None:
    if f.is_polynomial(x):
        return _algebraic(x, p, h, sympy.expand(fph - fp), S.One)
    if f.is_rational_function(x):
        num, den = sympy.fraction(sympy.together(fph - fp))
        return _algebraic(x, p, h, sympy.expand(num), den, combined=True)
    root = _as_root(f, x)
    if root is not None:
        return _conjugate(x, p, h, *root)
    trig = _as_trig(f, x)
    if trig is not None:
        return _trig(x, p, h, *trig)
    c, g = f.as_independent(x, as_Add=False)
    if isinstance(g, sympy.exp) and _linear(g.args[0], x):
        return _exp(x, p, h, c, g.args[0])
    return None


def _exp(x: Any, p: Any, h: Any, c: Any, u: Any) -> tuple[Any, list[Step]]:
    """e^(A + B) = e^A·e^B, then (e^B − 1)/h → k."""
    A = u.subs(x, p)  # noqa: N806
    k = sympy.diff(u, x)
    eh = _unevaluated_quotient(sympy.exp(k * h) - 1, h)
    shown = Mul(c * sympy.exp(A), eh, evaluate=False)
    v = c * k * sympy.exp(A)
    steps = [
        Step(
            "exponent_law",
            None,
            Limit(shown, h, 0, "+-"),
            "Split the exponential, e^(A + B) = e^A·e^B, and factor out e^A = {eA}: {shown}.",
            data={"eA": sympy.exp(A), "shown": shown},
        ),
        Step(
            "standard_limit",
            Limit(shown, h, 0, "+-"),
            v,
            "The standard limit gives {eh} → {k} as {h} → 0, so the limit is {value}.",
            data={"eh": eh, "k": k, "h": h, "value": v},
        ),
    ]
    return v, steps


def _algebraic(
    x: Any, p: Any, h: Any, num: Any, den: Any, combined: bool = False
) -> tuple[Any, list[Step]]:
    """(N(h)/D(h))/h with N expanded: every term of N carries h, so h cancels."""
    steps = []
    over = _unevaluated_quotient(num, Mul(den, h, evaluate=False) if den != 1 else h)
    text = (
        "Put f({p} + {h}) − f({p}) over one denominator and expand the top: {shown}. "
        if combined
        else "Expand f({p} + {h}) and subtract f({p}): the terms without {h} cancel, leaving {shown}."
    )
    steps.append(
        Step("expand", None, Limit(over, h, 0, "+-"), text, data={"p": p, "h": h, "shown": over})
    )
    reduced = sympy.expand(num / h)
    after = _unevaluated_quotient(reduced, den)
    steps.append(
        Step(
            "cancel_h",
            Limit(over, h, 0, "+-"),
            Limit(after, h, 0, "+-"),
            "Every term on top has a factor {h}; cancel it (allowed since {h} ≠ 0 while it "
            "approaches 0): {g}.",
            data={"h": h, "g": after},
        )
    )
    v = sympy.cancel(reduced.subs(h, 0) / den.subs(h, 0))
    v = sympy.factor(v) if den != 1 else sympy.expand(v)
    steps.append(
        Step(
            "let_h_tend_to_zero",
            Limit(after, h, 0, "+-"),
            v,
            "Nothing is divided by zero any more, so let {h} → 0 by substituting {h} = 0: {value}.",
            data={"h": h, "value": v},
        )
    )
    return v, steps


def _as_root(f: Any, x: Any) -> tuple[Any, Any] | None:
    """f = c·√g with g a polynomial: (c, g)."""
    c, g = f.as_independent(x, as_Add=False)
    if isinstance(g, Pow) and g.exp == Rational(1, 2) and g.base.is_polynomial(x):
        return c, g.base
    return None


def _conjugate(x: Any, p: Any, h: Any, c: Any, g: Any) -> tuple[Any, list[Step]]:
    """(√A − √B)/h = (A − B)/(h(√A + √B))."""
    big, small = g.subs(x, p + h), g.subs(x, p)
    conj = sympy.sqrt(big) + sympy.sqrt(small)
    diff = sympy.expand(big - small)
    shown = c * _unevaluated_quotient(diff, Mul(h, conj, evaluate=False))
    steps = [
        Step(
            "rationalise",
            None,
            Limit(shown, h, 0, "+-"),
            "The top is a difference of roots. Multiply top and bottom by the conjugate {conj}: "
            "(√A − √B)(√A + √B) = A − B clears the roots: {shown}.",
            data={"conj": conj, "shown": shown},
        )
    ]
    reduced = sympy.expand(diff / h)
    after = c * _unevaluated_quotient(reduced, conj)
    steps.append(
        Step(
            "cancel_h",
            Limit(shown, h, 0, "+-"),
            Limit(after, h, 0, "+-"),
            "The top has a factor {h}; cancel it (allowed since {h} ≠ 0): {g}.",
            data={"h": h, "g": after},
        )
    )
    v = c * reduced.subs(h, 0) / conj.subs(h, 0)
    steps.append(
        Step(
            "let_h_tend_to_zero",
            Limit(after, h, 0, "+-"),
            v,
            "The bottom no longer tends to 0, so substitute {h} = 0: {value}.",
            data={"h": h, "value": v},
        )
    )
    return v, steps


def _as_trig(f: Any, x: Any) -> tuple[Any, Any, Any] | None:
    """f = c·sin(u) or c·cos(u) with u linear in x: (c, func, u)."""
    c, g = f.as_independent(x, as_Add=False)
    if isinstance(g, (sin, cos)) and _linear(g.args[0], x):
        return c, g.func, g.args[0]
    return None


def _trig(x: Any, p: Any, h: Any, c: Any, func: Any, u: Any) -> tuple[Any, list[Step]]:
    """sin(A + B) = sin A cos B + cos A sin B, then (cos B − 1)/h → 0 and sin B / h → k."""
    A = u.subs(x, p)  # noqa: N806 - the addition formula's names
    k = sympy.diff(u, x)
    B = k * h  # noqa: N806
    ch = _unevaluated_quotient(cos(B) - 1, h)
    sh = _unevaluated_quotient(sin(B), h)
    if func is sin:
        grouped = c * Add(
            Mul(sin(A), ch, evaluate=False), Mul(cos(A), sh, evaluate=False), evaluate=False
        )
        v = c * k * cos(A)
        formula = "sin(A + B) = sin A cos B + cos A sin B"
    else:
        grouped = c * Add(
            Mul(cos(A), ch, evaluate=False), Mul(-sin(A), sh, evaluate=False), evaluate=False
        )
        v = -c * k * sin(A)
        formula = "cos(A + B) = cos A cos B − sin A sin B"
    steps = [
        Step(
            "addition_formula",
            None,
            Limit(grouped, h, 0, "+-"),
            "Use " + formula + " with A = {A} and B = {B}, and group the terms: {shown}.",
            data={"A": A, "B": B, "shown": grouped},
        ),
        Step(
            "standard_trig_limit",
            Limit(grouped, h, 0, "+-"),
            v,
            "The standard limits give {ch} → 0 and {sh} → {k} as {h} → 0, so the limit is {value}.",
            data={"ch": ch, "sh": sh, "k": k, "h": h, "value": v},
        ),
    ]
    return v, steps
