"""Worked derivatives, rule by rule: single variable, higher order, partial, gradient,
implicit and directional.

Each solution is a tree of Steps built by the recogniser table in :mod:`.rules`; its answer is
the evaluation of that tree followed by a named tidy-up (:mod:`.tidy`).  Gradients are answered
as a ``tuple`` of partial derivatives, in the order of ``wrt``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sympy
from sympy import Derivative, Eq, Function, Symbol, Tuple, sqrt

from ... import inputs
from ...core import Solution, Step, Task
from .names import parse_with_names
from .notation import Partial, Total
from .rules import Context, derive
from .tidy import tidy

__all__ = [
    "differentiate",
    "gradient",
    "implicit_derivative",
    "directional_derivative",
    "derivative_tree",
]


def differentiate(expr: Any, wrt: Any = "x", *, order: int = 1) -> Solution:
    """Differentiate ``expr`` rule by rule; ``wrt`` a list gives the partials (the gradient).

    A string is read with ``tutor.parse``; one that is an equation is differentiated
    implicitly (dy/dx).  The answer is an Expr, or a tuple of partials for a list ``wrt``
    (``"x,y"`` and ``"x y"`` are the list, as everywhere: ``tutor.inputs.names``).
    """
    if isinstance(wrt, str):
        given = inputs.names(wrt, "wrt")
        wrt = given[0] if len(given) == 1 else list(given)
    if isinstance(expr, str):
        # one variable: any other letter is a constant or y; several: they declare the letters
        names = None if isinstance(wrt, (str, Symbol)) else [str(w) for w in wrt]
        given = [str(wrt)] if names is None else names
        if any(any(c.isdigit() for c in g) for g in given):
            expr = parse_with_names(expr, given)
        else:
            expr = _parse(expr, names)
    if isinstance(expr, sympy.Equality):
        if not isinstance(wrt, (str, Symbol)) or order != 1:
            raise ValueError("implicit differentiation takes one variable and order 1")
        others = sorted(
            (s.name for s in expr.free_symbols if s.name != str(wrt)),
        )
        y = "y" if "y" in others or not others else others[0]
        return implicit_derivative(expr, x=wrt, y=y)
    expr = _number(expr)
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"order must be a positive whole number, not {order!r}")
    if isinstance(wrt, (str, Symbol)):
        x = _symbol(wrt, expr)
        steps, answer = _single(expr, x, order, held=_held(expr, (x,)))
        nth = {1: "", 2: "second ", 3: "third "}.get(order, f"{order}th ")
        statement = f"Find the {nth}derivative of {{expr}} with respect to {{wrt}}."
        return Solution(
            Task("derivative", {"expr": expr, "wrt": x, "order": order}, statement), steps, answer
        )
    xs = tuple(_symbol(w, expr) for w in wrt)
    if not xs:
        raise ValueError("wrt must name at least one variable")
    steps, partials = _gradient_steps(expr, xs, order)
    statement = "Find the gradient of {expr} with respect to {wrt}."
    task = Task("derivative", {"expr": expr, "wrt": xs, "order": order}, statement)
    return Solution(task, steps, tuple(partials))


def gradient(expr: Any, variables: Sequence[Any]) -> Solution:
    """The gradient vector: ``differentiate(expr, wrt=list(variables))``."""
    return differentiate(expr, wrt=list(variables))


def derivative_tree(expr: Any, x: Symbol, ctx: Context | None = None, order: int = 1) -> Any:
    """The untidied evaluation of the rule tree for the ``order``-th derivative (used by the
    mal-rules, which pass a Context carrying one wrong rule)."""
    ctx = ctx or Context(x)
    cur = expr
    for _ in range(order):
        cur = derive(cur, ctx).after
    return cur


def implicit_derivative(equation: Any, var: Any = "x", y: Any = "y", *, x: Any = None) -> Solution:
    """dy/dx from an equation in ``var`` (x) and y: differentiate both sides, collect, solve.

    The steps are written in y and dy/dx, as on the board; ``before``/``after`` keep y as a
    function y(x), so each step can still be checked by differentiating."""
    x = var if x is None else x
    if isinstance(equation, str):
        equation = _parse(equation, None)
    if not isinstance(equation, sympy.Equality):
        equation = Eq(equation, 0)
    xs = _symbol(x, equation)
    ys = _symbol(y, equation)
    yf = Function(ys.name)(xs)
    lhs, rhs = (side.xreplace({ys: yf}) for side in (equation.lhs, equation.rhs))
    avoid = frozenset(s.name for s in equation.free_symbols)
    left = derive(lhs, Context(xs, avoid=avoid))
    right = derive(rhs, Context(xs, avoid=avoid))
    d = Derivative(yf, xs)
    both = Step(
        "differentiate_both_sides",
        Eq(lhs, rhs),
        Eq(left.after, right.after),
        "{y} changes with {x}, so treat it as a function of {x} and differentiate both sides; "
        "each derivative of {y} brings the factor {dydx} by the chain rule.",
        (left, right),
        {"x": xs, "y": ys, "dydx": d},
    )
    p = sympy.Dummy("p")
    diff_eq = sympy.expand((left.after - right.after).xreplace({d: p}))
    a = sympy.factor_terms(diff_eq.diff(p))
    b = diff_eq.subs(p, 0)
    if a == 0 or a.has(p):
        raise ValueError("the equation does not determine dy/dx")
    collect = Step(
        "collect_terms",
        both.after,
        Eq(a * d, -b),
        "Gather the terms with {dydx} on one side and everything else on the other.",
        data={"dydx": d, "a": a},
    )
    raw = (-b / a).xreplace({yf: ys})
    answer, how = tidy(raw, (xs, ys))
    solve = Step(
        "solve_for_derivative",
        collect.after,
        Eq(d, raw),
        "Divide both sides by {a} to get {dydx} on its own.",
        data={"dydx": d, "a": a.xreplace({yf: ys}), "x": xs, "y": ys},
    )
    steps = [both, collect, solve]
    if how:
        steps.append(_tidy_step(raw, answer, how))
    steps = [_in_y(s, yf, ys, xs) for s in steps]
    statement = "Find d{y}/d{x} by implicit differentiation of {equation}."
    task = Task("implicit_derivative", {"equation": equation, "x": xs, "y": ys}, statement)
    return Solution(task, steps, answer)


def directional_derivative(
    expr: Any,
    point: Mapping[Any, Any] | Sequence[Any] | None = None,
    direction: Sequence[Any] | None = None,
    variables: Sequence[Any] | None = None,
    *,
    at: Mapping[Any, Any] | Sequence[Any] | None = None,
    var: Sequence[Any] | None = None,
) -> Solution:
    """D_u f at a point: the gradient there, dotted with the unit direction; also the
    direction of steepest ascent ∇f/|∇f| and its rate |∇f|.  ``at`` and ``var`` are the
    common names for ``point`` and ``variables``."""
    point = at if point is None else point
    variables = inputs.names(var if variables is None else variables, "variables")
    if isinstance(point, str):
        point = inputs.point(point, "at")  # "x=1, y=2" or "1, 2"
    if point is None or direction is None:
        raise ValueError("give the point (at=...) and the direction")
    if isinstance(expr, str):
        names = [str(v) for v in variables] if variables else None
        if names is None and isinstance(point, Mapping):
            names = [str(k) for k in point]
        expr = _parse(expr, names)
    if variables is None:
        if isinstance(point, Mapping):
            variables = list(point)
        else:
            variables = sorted(expr.free_symbols, key=sympy.default_sort_key)
    xs = tuple(_symbol(v, expr) for v in variables)
    if isinstance(point, Mapping):
        by_name = {str(k): v for k, v in point.items()}
        values = [by_name[v.name] for v in xs]
    else:
        values = list(point)
    values = [_number(v) for v in values]
    vec = [_number(v) for v in direction]
    if len(values) != len(xs) or len(vec) != len(xs):
        raise ValueError(
            f"point and direction need {len(xs)} coordinates, one per variable "
            f"({', '.join(v.name for v in xs)})"
        )
    norm_v = sqrt(sum(c**2 for c in vec))
    if norm_v == 0:
        raise ValueError("the direction must not be the zero vector")
    steps, partials = _gradient_steps(expr, xs, 1)
    at = dict(zip(xs, values))
    grad_p = [sympy.simplify(g.subs(at)) for g in partials]
    steps.append(
        Step(
            "evaluate_gradient",
            Tuple(*partials),
            Tuple(*grad_p),
            "Put in the point {p}: the gradient there is {g}.",
            data={"p": Tuple(*values), "g": Tuple(*grad_p)},
        )
    )
    unit = [sympy.radsimp(c / norm_v) for c in vec]
    steps.append(
        Step(
            "unit_vector",
            Tuple(*vec),
            Tuple(*unit),
            "Only the direction matters, not its length: divide {v} by its length {n} to get "
            "the unit vector {u}.",
            data={"v": Tuple(*vec), "n": norm_v, "u": Tuple(*unit)},
        )
    )
    value = sympy.radsimp(sympy.simplify(sum(g * u for g, u in zip(grad_p, unit))))
    steps.append(
        Step(
            "dot_product",
            Tuple(*grad_p),
            value,
            "The rate of change in direction {u} is the gradient dotted with it: "
            "D_u f = ∇f · u = {value}.",
            data={"u": Tuple(*unit), "value": value},
        )
    )
    rate = sympy.radsimp(sympy.simplify(sqrt(sum(g**2 for g in grad_p))))
    if rate == 0:
        steps.append(
            Step(
                "steepest_ascent",
                Tuple(*grad_p),
                Tuple(*grad_p),
                "The gradient is zero here: the surface is flat to first order, so no direction "
                "climbs fastest.",
                data={"rate": rate},
            )
        )
    else:
        up = Tuple(*[sympy.radsimp(g / rate) for g in grad_p])
        steps.append(
            Step(
                "steepest_ascent",
                Tuple(*grad_p),
                up,
                "The gradient points where f climbs fastest: the direction of steepest ascent is "
                "∇f/|∇f| = {up}, with rate |∇f| = {rate} (and −∇f is steepest descent).",
                data={"up": up, "rate": rate},
            )
        )
    statement = (
        "Find the directional derivative of {expr} at the point {point} in the direction "
        "{direction}, and the direction of steepest ascent there."
    )
    params = {
        "expr": expr,
        "variables": xs,
        "point": Tuple(*values),
        "direction": Tuple(*vec),
    }
    return Solution(Task("directional_derivative", params, statement), steps, value)


# ---------------------------------------------------------------- internals


def _partial(step: Step, x: Symbol) -> Step:
    """The step written with ∂/∂x wherever it differentiates by ``x`` (a partial derivative:
    the other variables are held constant even in the parts where none of them appears)."""
    data = dict(step.data)
    if "show" not in data and data.get("wrt") == x and isinstance(step.before, sympy.Expr):
        data["show"] = [
            sympy.Eq(Partial(step.before, x, evaluate=False), step.after, evaluate=False)
        ]
    text = step.explanation
    if step.rule == "chain_rule" and data.get("wrt") == x:
        text = text.replace(
            "dy/dx = dy/d{name} · d{name}/dx", f"∂f/∂{x.name} = df/d{{name}} · ∂{{name}}/∂{x.name}"
        )
    subs = tuple(_partial(s, x) for s in step.substeps)
    return Step(step.rule, step.before, step.after, text, subs, data)


def _in_y(step: Step, yf: Any, ys: Symbol, xs: Symbol) -> Step:
    """The step shown in y and dy/dx (the data a renderer fills and displays), while
    ``before``/``after`` keep y(x) for checking."""
    dydx = Total(ys, xs, evaluate=False)

    def plain(v: Any) -> Any:
        if isinstance(v, sympy.Basic):
            return v.xreplace({Derivative(yf, xs): dydx}).xreplace({yf: ys})
        if isinstance(v, tuple):
            return tuple(plain(e) for e in v)
        return v

    data = {k: plain(v) for k, v in step.data.items()}
    if "show" not in data and isinstance(step.before, sympy.Basic):
        b, a = plain(step.before), plain(step.after)
        wrt = step.data.get("wrt")
        if isinstance(b, sympy.Eq) or wrt is None:
            data["show"] = [sympy.Eq(b, a, evaluate=False) if not isinstance(b, sympy.Eq) else b]
            if isinstance(b, sympy.Eq) and isinstance(a, sympy.Eq):
                data["show"] = [b, a]
        else:
            data["show"] = [sympy.Eq(Total(b, wrt, evaluate=False), a, evaluate=False)]
    subs = tuple(
        _in_y(s, yf, ys, xs)
        for s in step.substeps
        if not (s.rule == "dependent_variable" and step.rule == "chain_rule")
    )
    return Step(step.rule, step.before, step.after, step.explanation, subs, data)


def _single(expr: Any, x: Symbol, order: int, held: tuple[Any, ...]) -> tuple[list[Step], Any]:
    """Steps and answer for d^n/dx^n expr: one block (rule tree, tidy-up) per order."""
    blocks: list[list[Step]] = []
    cur = expr
    avoid = frozenset(s.name for s in expr.free_symbols)
    variables = tuple(sorted(expr.free_symbols, key=sympy.default_sort_key)) or (x,)
    for _ in range(order):
        tree = derive(cur, Context(x, held=held, avoid=avoid))
        result, how = tidy(tree.after, variables)
        block = [tree]
        if how:
            block.append(_tidy_step(tree.after, result, how))
        blocks.append(block)
        cur = result
    if order == 1:
        return blocks[0], cur
    steps = []
    before = expr
    for k, block in enumerate(blocks, start=1):
        after = block[-1].after
        text = (
            "Start with the first derivative, the slope of {f}."
            if k == 1
            else "Differentiate again: the {k}th derivative is the slope of the one before."
        )
        if k in (2, 3):
            text = text.replace("{k}th", {2: "second", 3: "third"}[k])
        steps.append(
            Step(
                "higher_derivative",
                before,
                after,
                text,
                tuple(block),
                {"f": before, "k": k, "wrt": x},
            )
        )
        before = after
    return steps, cur


def _gradient_steps(expr: Any, xs: tuple[Symbol, ...], order: int) -> tuple[list[Step], list[Any]]:
    steps: list[Step] = []
    partials = []
    for x in xs:
        held = _held(expr, (x,))
        block, d = _single(expr, x, order, held)
        others = held[0] if len(held) == 1 else Tuple(*held)
        if len(held) == 1:
            text = (
                "Partial derivative with respect to {x}: hold {others} constant and let only {x} "
                "change."
            )
        elif held:
            text = (
                "Partial derivative with respect to {x}: hold each of {others} constant and let "
                "only {x} change."
            )
        else:
            text = "Partial derivative with respect to {x}: the only variable present is {x}."
        data: dict[str, Any] = {"x": x, "others": others, "wrt": x}
        if order > 1:
            data["order"] = order
            data["show"] = Eq(Derivative(expr, (x, order)), d, evaluate=False)
        block = [_partial(s, x) for s in block]
        steps.append(Step("partial_derivative", expr, d, text, tuple(block), data))
        partials.append(d)
    if len(xs) > 1:
        steps.append(
            Step(
                "gradient",
                expr,
                Tuple(*partials),
                "Stack the partial derivatives into the gradient ∇f = {grad}: it points in the "
                "direction of steepest increase.",
                data={"grad": Tuple(*partials), "variables": Tuple(*xs)},
            )
        )
    return steps, partials


def _tidy_step(before: Any, after: Any, how: str) -> Step:
    return Step(
        "simplify",
        before,
        after,
        f"{how[:1].upper()}{how[1:]}, giving {{result}}.",
        data={"result": after, "show": Eq(before, after, evaluate=False)},
    )


def _held(expr: Any, xs: tuple[Symbol, ...]) -> tuple[Any, ...]:
    return tuple(s for s in sorted(expr.free_symbols, key=sympy.default_sort_key) if s not in xs)


def _symbol(name: Any, expr: Any) -> Symbol:
    if isinstance(name, Symbol):
        return name
    name = str(name).strip()
    for s in getattr(expr, "free_symbols", ()):
        if s.name == name:
            return s
    for s in getattr(expr, "free_symbols", ()):  # z1 given, z_1 written (or the reverse)
        if s.name.replace("_", "") == name.replace("_", ""):
            return s
    if not name.isidentifier():
        raise ValueError(f"{name!r} is not a variable name")
    return Symbol(name)


def _number(value: Any) -> Any:
    if isinstance(value, str):
        return _parse(value, None)
    if isinstance(value, bool):
        raise ValueError("expected a number")
    if isinstance(value, int):
        return sympy.Integer(value)
    return sympy.Float(value) if isinstance(value, float) else value


def _parse(text: str, names: Sequence[str] | None) -> Any:
    from ...parse import parse

    return parse(text, variables=names) if names else parse(text)
