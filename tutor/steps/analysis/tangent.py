"""Lines that touch and cut a curve (lectures 03, 04, 07): tangent and normal lines, the
linear approximation, the average rate of change on [a, b] and the slope through two points."""

from __future__ import annotations

from typing import Any

import sympy

from ...core import DNE, Solution, Step, Task
from ._common import (
    decimal,
    derivative_step,
    num,
    pick_variables,
    realify,
    to_expr,
    to_number,
    var_first,
)

Y = sympy.Symbol("y")


def _setup(expr: Any, at: Any, var: Any = None) -> tuple[Any, Any, Any, Any, list[Step]]:
    """f, x, a, f(a) with the evaluation step; f(a) must be a real number."""
    var, at = var_first(var, at)
    if at is None:
        raise ValueError("give the point: at=...")
    f = to_expr(expr, var)
    (x,) = pick_variables(f, var)[:1]
    a = to_number(at)
    fa = sympy.simplify(f.subs(x, a))
    if fa.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or fa.is_real is False:
        raise ValueError(f"f is not defined at x = {a}")
    step = Step(
        "evaluate",
        before=f,
        after=fa,
        explanation="Put x = {a} into f: the line touches the curve at the point ({a}, {fa}).",
        data={"a": a, "fa": fa, "chain": _worked("f", f, x, a, fa)},
    )
    return f, x, a, fa, [step]


def _slope_at(f: Any, x: Any, a: Any, steps: list[Step]) -> Any:
    fr, (xr,) = realify(f, [x])
    d1, st = derivative_step(fr, xr)
    d1 = d1.xreplace({xr: x})
    steps.append(st)
    m = sympy.simplify(d1.subs(x, a))
    # one-sided difference quotients catch corners (|x| at 0) and vertical tangents
    fa, scale = num(fr.subs(xr, a)), max(1.0, abs(num(a)))

    def quotients(h: float) -> tuple[float, float]:
        h *= scale
        right = (num(fr.subs(xr, sympy.Float(num(a) + h, 30))) - fa) / h
        left = (fa - num(fr.subs(xr, sympy.Float(num(a) - h, 30)))) / h
        return left, right

    (l1, r1), (l2, r2) = quotients(1e-5), quotients(1e-8)
    growing = abs(l2) > 30 * (1 + abs(l1)) and abs(r2) > 30 * (1 + abs(r1))
    if growing and l2 * r2 > 0:
        m = sympy.oo
    elif growing or abs(l2 - r2) > 1e-3 * (1 + abs(l2)):
        m = sympy.nan
    elif m.has(sympy.nan, sympy.zoo) or m.is_real is False:
        m = sympy.nan
    steps.append(
        Step(
            "evaluate_slope",
            before=d1,
            after=m,
            explanation="The slope of the curve there is f'({a}) = {m}.",
            data={"a": a, "m": m, **({"chain": _worked("f'", d1, x, a, m)} if m.is_finite else {})},
        )
    )
    return m


def tangent_line(expr: Any, var: Any = None, at: Any = None) -> Solution:
    """The tangent line to y = f(x) at x = ``at``: ``Eq(y, m*x + c)`` (``Eq(x, a)`` if vertical)."""
    f, x, a, fa, steps = _setup(expr, at, var)
    m = _slope_at(f, x, a, steps)
    answer = _line_through(x, a, fa, m, steps, "tangent")
    task = Task(
        "tangent_line", {"f": f, "at": a}, "Find the tangent line to the curve at x = {at}."
    )
    return Solution(task, steps, answer)


def normal_line(expr: Any, var: Any = None, at: Any = None) -> Solution:
    """The normal line at x = ``at``: through (a, f(a)), perpendicular to the tangent."""
    f, x, a, fa, steps = _setup(expr, at, var)
    m = _slope_at(f, x, a, steps)
    if m in (sympy.zoo, sympy.oo, -sympy.oo):
        n = sympy.Integer(0)
    elif m == 0:
        n = sympy.zoo
    else:
        n = sympy.simplify(-1 / m)
    steps.append(
        Step(
            "perpendicular_slope",
            before=m,
            after=n,
            explanation=(
                "The normal is perpendicular to the tangent, so its slope is -1/m = {n}."
                if n != sympy.zoo
                else "The tangent is flat, so the normal is vertical."
            ),
            data={"m": m, "n": n},
        )
    )
    answer = _line_through(x, a, fa, n, steps, "normal")
    task = Task("normal_line", {"f": f, "at": a}, "Find the normal line to the curve at x = {at}.")
    return Solution(task, steps, answer)


def _line_through(x: Any, a: Any, fa: Any, m: Any, steps: list[Step], name: str) -> Any:
    if m in (sympy.zoo, sympy.oo, -sympy.oo):
        eq = sympy.Eq(x, a)
        steps.append(
            Step(
                "vertical_line",
                before=m,
                after=eq,
                explanation="The slope is infinite there, so the " + name + " is the vertical "
                "line {eq}.",
                data={"eq": eq},
            )
        )
        return eq
    if m is sympy.nan:
        raise ValueError(f"f has no derivative at x = {a} (a corner or cusp), so no {name} line")
    if m == 0:  # a flat line: y = f(a), no 0(x − a) to write
        ps = sympy.Eq(Y, fa, evaluate=False)
    else:
        ps = sympy.Eq(Y - fa, sympy.Mul(m, x - a, evaluate=False), evaluate=False)
    steps.append(
        Step(
            "point_slope_form",
            before=(a, fa, m),
            after=ps,
            explanation="A line through ({a}, {fa}) with slope {m} is {eq}.",
            data={"a": a, "fa": fa, "m": m, "eq": ps, "show": ps},  # not (a, f(a), m) → …
        )
    )
    rhs = sympy.expand(m * x + (fa - m * a))
    eq = sympy.Eq(Y, rhs)
    steps.append(
        Step(
            "slope_intercept_form",
            before=ps,
            after=eq,
            explanation="Solve for y: {eq}.",
            # the board's line: y = f(a) + m(x − a) = mx + c, an equality chain
            data={"eq": eq, "chain": (Y, _point_slope(fa, m, x, a), rhs)},
        )
    )
    return eq


def _point_slope(fa: Any, m: Any, x: Any, a: Any) -> Any:
    """``f(a) + m(x − a)`` as written, unexpanded (``m(x − a)`` alone when f(a) = 0)."""
    if m == 0:
        return fa
    term = sympy.Mul(m, x - a, evaluate=False) if m != 1 else x - a
    return term if fa == 0 else sympy.Add(fa, term, evaluate=False)


def linear_approximation(expr: Any, var: Any = None, at: Any = None, near: Any = None) -> Solution:
    """L(x) = f(a) + f'(a)(x - a), the tangent line used to estimate f near a.

    Answer: the expression L(x); with ``near``, the estimate L(near) (exact).
    """
    if not (var is None or isinstance(var, (str, sympy.Symbol))) and near is None:
        var, at, near = None, var, at  # the old order (expr, at, near)
    f, x, a, fa, steps = _setup(expr, at, var)
    m = _slope_at(f, x, a, steps)
    if m in (sympy.zoo, sympy.oo, -sympy.oo) or m is sympy.nan:
        raise ValueError(f"f has no finite slope at x = {a}, so no linear approximation there")
    L = sympy.expand(fa + m * (x - a))
    steps.append(
        Step(
            "linear_approximation",
            before=f,
            after=L,
            explanation="Near x = {a} the curve looks like its tangent line, "
            "L(x) = f(a) + f'(a)(x - a).",
            data={"a": a, "L": L, "chain": (sympy.Function("L")(x), _point_slope(fa, m, x, a), L)},
        )
    )
    answer = L
    if near is not None:
        b = to_number(near)
        est = sympy.simplify(L.subs(x, b))
        true = f.subs(x, b)
        steps.append(
            Step(
                "evaluate",
                before=L,
                after=est,
                explanation="So f({b}) ≈ L({b}) = {est} (≈ {est_dec}); the true value is ≈ {true}.",
                data={
                    "b": b,
                    "est": est,
                    "est_dec": decimal(est),
                    "true": decimal(true),
                    "chain": _worked("L", L, x, b, est),
                },
            )
        )
        answer = est
    task = Task(
        "linear_approximation",
        {"f": f, "at": a, "near": None if near is None else to_number(near)},
        "Find the linear approximation of f at x = {at}.",
    )
    return Solution(task, steps, answer)


def secant_slope(expr: Any, a: Any, b: Any) -> Solution:
    """Average rate of change on [a, b]: (f(b) - f(a)) / (b - a), the slope of the secant."""
    f = to_expr(expr)
    (x,) = pick_variables(f)[:1]
    a, b = to_number(a), to_number(b)
    if sympy.simplify(b - a) == 0:
        raise ValueError("a and b must differ: a secant needs two points")
    fa, fb = sympy.simplify(f.subs(x, a)), sympy.simplify(f.subs(x, b))
    q = sympy.simplify((fb - fa) / (b - a))
    # (f(b) − f(a))/(b − a) = (10 − (−2))/(2 − (−2)) = 12/4 = 3: the terms in the order
    # the formula says them (f(b) first), not sympy's sorted order (−77 − 1 for −1 − 77)
    from ...substitute import WrittenSum

    def over(top: Any, bottom: Any) -> Any:
        return sympy.Mul(top, sympy.Pow(bottom, -1, evaluate=False), evaluate=False)

    def minus(u: Any, v: Any) -> Any:
        return WrittenSum(u, sympy.Mul(-1, v, evaluate=False), evaluate=False)

    name = sympy.Function("f")
    chain = [over(minus(name(b), name(a)), minus(b, a)), over(minus(fb, fa), minus(b, a)), q]
    quotient = sympy.Eq(chain[1], q, evaluate=False)
    steps = [
        Step(
            "evaluate",
            before=f,
            after=(fa, fb),
            explanation="Evaluate f at both ends of the interval.",
            data={
                "a": a,
                "b": b,
                "fa": fa,
                "fb": fb,
                "chain": [_worked("f", f, x, a, fa), _worked("f", f, x, b, fb)],
            },
        ),
        Step(
            "difference_quotient",
            before=(fa, fb),
            after=q,
            explanation="Average rate of change = change in output over change in input: "
            "{quotient}, the slope of the secant line.",
            data={"q": q, "quotient": quotient, "chain": tuple(chain)},
        ),
    ]
    task = Task(
        "secant_slope",
        {"f": f, "a": a, "b": b},
        "Find the average rate of change of f(x) = {f} on [{a}, {b}].",
    )
    return Solution(task, steps, q)


def _worked(name: str, f: Any, x: Any, c: Any, fc: Any) -> tuple[Any, ...]:
    """``f(c) = <f with c written in> = value``: the substitution shown, then its value (a
    chain the board writes with =, see ``tutor.substitute``)."""
    from ...substitute import written

    return (sympy.Function(name)(c), written(f, x, c), fc)


def _slope(m: Any) -> Any:
    """``m = 1/5``: the slope is an equation on the board, never ``(points) → slope``."""
    return sympy.Eq(sympy.Symbol("m"), m, evaluate=False) if _is_value(m) else []


def _is_value(m: Any) -> bool:
    return isinstance(m, sympy.Expr)


def slope_through(p1: Any, p2: Any) -> Solution:
    """Slope of the line through two points: rise over run, (y2 - y1)/(x2 - x1)."""
    (x1, y1), (x2, y2) = ((to_number(c) for c in p) for p in (p1, p2))
    run, rise = sympy.simplify(x2 - x1), sympy.simplify(y2 - y1)
    if run == 0:
        answer: Any = DNE
        expl = "The run x2 - x1 is 0: the line is vertical and its slope is undefined."
    else:
        answer = sympy.simplify(rise / run)
        expl = "Slope = rise over run = ({y2} - {y1})/({x2} - {x1}) = {m}."
    steps = [
        Step(
            "slope_formula",
            before=((x1, y1), (x2, y2)),
            after=answer,
            explanation=expl,
            data={"x1": x1, "y1": y1, "x2": x2, "y2": y2, "m": answer, "show": _slope(answer)},
        )
    ]
    task = Task(
        "slope_through",
        {"p1": (x1, y1), "p2": (x2, y2)},
        "Find the slope of the line through {p1} and {p2}.",
    )
    return Solution(task, steps, answer)
