"""Lectures 01–03: evaluating functions, errors of a line on data, domains, composition,
transformations of graphs, average rate of change and slopes.

There is no separate engine for these; the worked solution is built here as Steps, with
the maths done by sympy (a Table holds the predictions and errors).
"""

from __future__ import annotations

import random
from typing import Any

import sympy
from sympy import Eq, Rational, S

from ..core import Solution, Step, Table, Task
from ..substitute import written
from .builders import X, Y, coeff, distinct_ints, nz, phrase, poly
from .engines import engine_solution
from .registry import Draft, Redraw, family

# ---------------------------------------------------------------- lecture 01


def _function_to_evaluate(rng: random.Random, d: int) -> sympy.Expr:
    if d == 1:
        return poly(rng, 2, 1)
    if d == 2:
        return rng.choice([poly(rng, 3, 2), coeff(rng, 2) * X**2 + coeff(rng, 2) / X])
    a = nz(rng, 1, 4)
    return rng.choice(
        [
            poly(rng, 2, 2) / (X + a),
            coeff(rng, 2) * sympy.sqrt(X + a**2) + coeff(rng, 2) * X,
            (X**2 + coeff(rng, 2)) * (X - coeff(rng, 2)) ** 2,
        ]
    )


@family(
    "evaluate",
    1,
    "Evaluate a function at a point (input in, output out).",
    {
        1: "quadratic, small integers",
        2: "cubic or a 1/x term",
        3: "rational, root or squared factor",
    },
)
def evaluate(rng: random.Random, d: int) -> Draft:
    f = _function_to_evaluate(rng, d)
    a = nz(rng, -3, 3 if d == 1 else 5)
    value = f.subs(X, a)
    if not value.is_finite or value.has(sympy.I) or not value.is_real:
        raise Redraw("outside the domain")
    fa = sympy.Function("f")(a)
    steps = (
        Step(
            "substitute",
            before=f,
            after=fa,
            explanation="The function is a machine: put the input {a} in place of every x in {f}.",
            data={"a": a, "f": f, "show": Eq(fa, written(f, X, a), evaluate=False)},
        ),
        Step(
            "arithmetic",
            before=fa,
            after=value,
            explanation="Work out the arithmetic to get the output: f({a}) = {value}.",
            data={"a": a, "value": value},
        ),
    )
    prompt = phrase(
        rng,
        [
            "Let f(x) = {f}. Find f({a}).",
            "For f(x) = {f}, what is the output when the input is x = {a}?",
            "Evaluate f(x) = {f} at x = {a}.",
        ],
    )
    sol = Solution(Task("evaluate", {"expr": f, "at": a}, "Evaluate f at x = {at}."), steps, value)
    return Draft(
        prompt,
        {"f": f, "a": a},
        value,
        "number",
        sol,
        {},
        {"kind": "graph", "expr": f, "points": [(a, value)]},
    )


@family(
    "residuals",
    1,
    "Predictions, errors and total squared error of a line y = wx + b on a small data table.",
    {1: "3 points, integer w and b", 2: "4 points, larger numbers", 3: "5 points, fractional w"},
)
def residuals(rng: random.Random, d: int) -> Draft:
    n = {1: 3, 2: 4, 3: 5}[d]
    w = Rational(nz(rng, -3, 3), 2) if d == 3 else coeff(rng, d)
    b = nz(rng, -5, 5, ())
    xs = distinct_ints(rng, n, -3 if d == 1 else -6, 4 if d == 1 else 8)
    if d == 3:
        xs = [2 * (v // 2) for v in xs]  # even inputs keep the predictions whole numbers
        if len(set(xs)) < n:
            raise Redraw("repeated x")
    noise = [nz(rng, -3, 3, ()) for _ in xs]
    if all(e == 0 for e in noise):
        raise Redraw("perfect fit")
    preds = [w * v + b for v in xs]
    ys = [p + e for p, e in zip(preds, noise)]
    errors = [y - p for y, p in zip(ys, preds)]
    total = sum(e**2 for e in errors)
    model = w * X + b
    table = Table(
        ("x", "y", "prediction ŷ = wx + b", "error y − ŷ", "squared error"),
        [(xv, yv, p, e, e**2) for xv, yv, p, e in zip(xs, ys, preds, errors)],
        caption="Predictions and errors of the line on each data point.",
    )
    steps = [
        Step(
            "predictions_table",
            before=model,
            after=table,
            explanation="Feed each input through the model {model} to get its prediction; the error is what the model missed by, observed minus predicted.",
            data={"model": model, "table": table},
        ),
    ]
    ask_list = rng.random() < 0.35
    if ask_list:
        answer = list(errors)
        kind = "list"
        prompt = phrase(
            rng,
            [
                "The model y = {model} is tried on the data x = {xs}, y = {ys}. List the errors (observed minus predicted) in the order of the data.",
                "A line y = {model} is meant to fit the points with x = {xs} and y = {ys}. What are its errors y − ŷ, point by point?",
            ],
        )
    else:
        answer = total
        kind = "number"
        steps.append(
            Step(
                "sum_of_squares",
                before=tuple(e**2 for e in errors),
                after=total,
                explanation="Squaring makes every miss count as positive and punishes big misses more; adding them gives the total squared error {total}.",
                data={
                    "total": total,
                    "show": Eq(
                        sympy.Add(*[e**2 for e in errors], evaluate=False), total, evaluate=False
                    ),
                },
            )
        )
        prompt = phrase(
            rng,
            [
                "The model y = {model} is tried on the data x = {xs}, y = {ys}. Find the total squared error (the sum of (y − ŷ)^2).",
                "How badly does the line y = {model} fit the points x = {xs}, y = {ys}? Give the sum of the squared errors.",
                "For the data x = {xs} and y = {ys}, compute the predictions of y = {model}, the errors and the total squared error.",
            ],
        )
    sol = Solution(
        Task(
            "residuals",
            {"model": model, "xs": tuple(xs), "ys": tuple(ys)},
            "Errors of a line on data.",
        ),
        steps,
        answer,
    )
    given = {"model": model, "xs": tuple(xs), "ys": tuple(ys), "w": w, "b": b}
    figure = {"kind": "residuals", "expr": model, "xs": list(xs), "ys": list(ys)}
    return Draft(prompt, given, answer, kind, sol, {}, figure)


# ---------------------------------------------------------------- lecture 02


def _domain_function(rng: random.Random, d: int) -> sympy.Expr:
    a = nz(rng, -6, 6)
    b = nz(rng, -6, 6, (0, a))
    k = nz(rng, -3, 3, (0,))
    if d == 1:
        return rng.choice([sympy.sqrt(k * (X - a)), 1 / (X - a), sympy.log(X - a)])
    if d == 2:
        return rng.choice(
            [
                sympy.sqrt(X - a) / (X - b),
                sympy.log(k * (X - a)) + 1 / (X - b),
                (X + b) / ((X - a) * (X - b)),
            ]
        )
    lo, hi = sorted((a, b))
    return rng.choice(
        [
            sympy.sqrt(-(X - lo) * (X - hi)),
            sympy.log((X - lo) * (X - hi)),
            sympy.sqrt(X - lo) + sympy.log(hi + 7 - X) if hi + 7 > lo else 1 / (X - lo),
        ]
    )


@family(
    "domain",
    2,
    "The domain of a function: where roots, logarithms and fractions make sense.",
    {
        1: "one root, log or fraction",
        2: "two conditions at once",
        3: "a quadratic condition (an interval or two rays)",
    },
)
def domain(rng: random.Random, d: int) -> Draft:
    from sympy.calculus.util import continuous_domain

    f = _domain_function(rng, d)
    dom = _quick_domain(f)
    if dom is None:
        dom = continuous_domain(f, X, S.Reals)
    if dom in (S.Reals, S.EmptySet) or isinstance(dom, sympy.FiniteSet):
        raise Redraw("trivial domain")
    conds = []
    for node in sorted(sympy.preorder_traversal(f), key=sympy.default_sort_key):
        if isinstance(node, sympy.Pow) and node.exp == S.Half:
            conds.append(
                (
                    "root_condition",
                    node.base >= 0,
                    "A square root only takes inputs that are not negative: {cond}.",
                )
            )
        elif isinstance(node, sympy.log):
            conds.append(
                (
                    "log_condition",
                    node.args[0] > 0,
                    "A logarithm only takes positive inputs: {cond}.",
                )
            )
        elif isinstance(node, sympy.Pow) and node.exp.is_negative and node.base.has(X):
            conds.append(
                (
                    "denominator_condition",
                    sympy.Ne(node.base, 0),
                    "We cannot divide by zero: {cond}.",
                )
            )
    steps = [
        Step(rule, before=f, after=cond, explanation=text, data={"cond": cond})
        for rule, cond, text in conds
    ]
    steps.append(
        Step(
            "solve_conditions",
            before=tuple(c for _, c, _ in conds),
            after=dom,
            explanation="Keep the inputs that satisfy every condition at once: {domain}.",
            data={"domain": dom},
        )
    )
    prompt = phrase(
        rng,
        [
            "Find the domain of f(x) = {f}.",
            "For which real inputs x is f(x) = {f} defined? Give the answer as an interval or union of intervals.",
            "What is the largest set of real numbers on which f(x) = {f} makes sense?",
        ],
    )
    sol = Solution(Task("domain", {"expr": f}, "The domain of f."), steps, dom)
    return Draft(prompt, {"f": f}, dom, "interval", sol, {}, _domain_figure(f, dom))


def _quick_domain(f: sympy.Expr) -> sympy.Set | None:
    """The real domain of ``f`` when it is built from polynomials of degree ≤ 2 with rational
    roots by +, ·, square roots, logarithms and reciprocals, by signs between the roots: the
    same set (as the same sympy object) as ``continuous_domain``, which takes a tenth of a
    second over its inequality solver for a single square root. None for anything else."""
    sets: list[sympy.Set] = []
    for node in sympy.preorder_traversal(f):
        if node.is_Atom or node.is_Add or node.is_Mul:
            continue
        if not node.has(X):
            return None  # e.g. sqrt(2): a constant the walk below would not look inside
        if isinstance(node, sympy.log):
            base, rule = node.args[0], ">"
        elif node.is_Pow and node.exp == S.Half:
            base, rule = node.base, ">="
        elif node.is_Pow and node.exp.is_Integer:
            if node.exp > 0:
                continue
            base, rule = node.base, "!="
        else:
            return None
        where = _sign_set(base, rule)
        if where is None:
            return None
        sets.append(where)
    return sympy.Intersection(S.Reals, *sets) if sets else None


def _sign_set(base: sympy.Expr, rule: str) -> sympy.Set | None:
    """Where the polynomial ``base`` is > 0, ≥ 0 or ≠ 0 (``rule``), as a union of intervals;
    None unless it has degree 1 or 2, rational coefficients and only rational roots."""
    try:
        poly = sympy.Poly(base, X, domain="QQ")
    except (sympy.PolynomialError, sympy.CoercionFailed):
        return None
    if not 1 <= poly.degree() <= 2:
        return None
    roots = sorted(set(poly.real_roots()))
    if not roots or any(not r.is_Rational for r in roots):
        return None  # no real root (a constant sign) or irrational ones: left to sympy
    ends = [S.NegativeInfinity, *roots, S.Infinity]
    pieces: list[sympy.Set] = []
    for lo, hi in zip(ends, ends[1:]):
        if lo.is_finite and hi.is_finite:
            mid = (lo + hi) / 2
        else:
            mid = hi - 1 if lo.is_infinite else lo + 1
        value = poly.eval(mid)
        if (value != 0) if rule == "!=" else (value > 0):
            pieces.append(sympy.Interval.open(lo, hi))
    if rule == ">=":
        pieces.append(sympy.FiniteSet(*roots))
    return sympy.Union(*pieces)


def _domain_figure(f: sympy.Expr, dom: sympy.Set) -> dict[str, Any]:
    """The graph of f over a window that shows every end point of its domain (a pole at
    x = 6 is in view, not cut off at the edge)."""
    ends = (
        sorted(float(b) for b in dom.boundary if b.is_finite) if dom.boundary.is_FiniteSet else []
    )
    if not ends:
        return {"kind": "graph", "expr": f}
    lo, hi = min(ends[0], -1.0), max(ends[-1], 1.0)
    pad = max(3.0, 0.25 * (hi - lo))
    return {"kind": "graph", "expr": f, "on": [lo - pad, hi + pad]}


def _inner_outer(rng: random.Random, d: int) -> tuple[sympy.Expr, sympy.Expr]:
    lin = coeff(rng, d) * X + coeff(rng, d)
    quad = X**2 + coeff(rng, d)
    pool = [lin, quad, coeff(rng, d) * X**2]
    if d >= 2:
        pool += [1 / (X + nz(rng, -4, 4)), sympy.sqrt(X + nz(rng, 1, 9))]
    f, g = rng.sample(pool, 2)
    return f, g


@family(
    "composition",
    2,
    "Compose two functions: write f(g(x)) or evaluate it at a point.",
    {1: "linear and quadratic", 2: "with a root or 1/x", 3: "three functions f(g(h(x)))"},
)
def composition(rng: random.Random, d: int) -> Draft:
    f, g = _inner_outer(rng, d)
    h = coeff(rng, 2) * X + coeff(rng, 2) if d == 3 else X
    inner = g.subs(X, h)
    result = f.subs(X, inner)
    if result == f or result == g or not result.has(X):
        raise Redraw("degenerate composition")
    at_point = rng.random() < 0.3
    steps = []
    if d == 3:
        steps.append(
            Step(
                "compose",
                before=g,
                after=inner,
                explanation="Work from the inside out: first feed h(x) = {h} into g, giving g(h(x)) = {inner}.",
                data={"h": h, "inner": inner},
            )
        )
    steps.append(
        Step(
            "compose",
            before=f,
            after=result,
            explanation="The output of the inner function becomes the input of the outer one: replace x in f(x) = {f} by {inner}.",
            data={"f": f, "inner": inner, "result": result},
        )
    )
    given = {"f": f, "g": g} | ({"h": h} if d == 3 else {})
    target = "f(g(h(x)))" if d == 3 else "f(g(x))"
    if at_point:
        a = nz(rng, -3, 3, ())
        value = result.subs(X, a)
        if not value.is_real or not value.is_finite:
            raise Redraw("outside the domain")
        steps.append(
            Step(
                "substitute",
                before=result,
                after=value,
                explanation="Put x = {a} into the composite: {value}.",
                data={"a": a, "value": value},
            )
        )
        answer, kind, given["a"] = value, "number", a
        at = "f(g(h({a})))" if d == 3 else "f(g({a}))"
        prompt = (
            "Let f(x) = {f} and g(x) = {g}"
            + (" and h(x) = {h}" if d == 3 else "")
            + f". Find {at}."
        )
    else:
        answer, kind = result, "expression"
        lead = phrase(rng, ["Let", "Given", "Take"])
        prompt = (
            lead
            + " f(x) = {f} and g(x) = {g}"
            + (" and h(x) = {h}" if d == 3 else "")
            + f". Write {target} as a formula in x."
        )
    sol = Solution(
        Task("composition", {"f": f, "g": g, "h": h}, f"The composite {target}."), steps, answer
    )
    return Draft(prompt, given, answer, kind, sol, {"variables": ["x"]})


_BASES = [X**2, sympy.sqrt(X), sympy.Abs(X), X**3, sympy.exp(X), 1 / X]


@family(
    "transformation",
    2,
    "Shift, stretch and reflect a graph: write the new function.",
    {1: "one shift", 2: "a shift and a stretch", 3: "reflection, stretch and two shifts"},
)
def transformation(rng: random.Random, d: int) -> Draft:
    base = rng.choice(_BASES)
    h = nz(rng, -5, 5)
    k = nz(rng, -5, 5)
    a = nz(rng, 2, 4)
    moves: list[tuple[str, str, dict]] = []
    if d == 1:
        kinds = [rng.choice(["right", "up"])]
    elif d == 2:
        kinds = ["stretch", rng.choice(["right", "up"])]
    else:
        kinds = ["reflect", "stretch", "right", "up"]
    g = base
    for kind in kinds:
        if kind == "right":
            g = g.subs(X, X - h)
            word = f"{'right' if h > 0 else 'left'} by {abs(h)}"
            moves.append(
                (
                    "shift_horizontal",
                    "Shift the graph " + word + ": replace x by {shifted}, giving {g}.",
                    {"h": h, "shifted": X - h},
                )
            )
        elif kind == "up":
            g = g + k
            word = f"{'up' if k > 0 else 'down'} by {abs(k)}"
            moves.append(
                (
                    "shift_vertical",
                    "Shift the graph " + word + ": add {k} to the output, giving {g}.",
                    {"k": k},
                )
            )
        elif kind == "stretch":
            g = a * g
            word = f"stretch vertically by a factor {a}"
            moves.append(
                (
                    "stretch_vertical",
                    "Stretch vertically by {a}: multiply the output by {a}, giving {g}.",
                    {"a": a},
                )
            )
        else:
            g = -g
            word = "reflect in the x-axis"
            moves.append(("reflect_x", "The outputs change sign, giving {g}.", {}))
        moves[-1][2]["g"] = g
        moves[-1][2]["word"] = word
    if g == base:
        raise Redraw("no change")
    steps = []
    before = base
    for rule, text, data in moves:
        steps.append(Step(rule, before=before, after=data["g"], explanation=text, data=dict(data)))
        before = data["g"]
    words = ", then ".join(m[2]["word"] for m in moves)
    prompt = phrase(
        rng,
        [
            "The graph of f(x) = {f} is moved: "
            + words
            + ". Write the formula of the new function g(x).",
            "Start from y = {f}; " + words + ". What is the new function?",
        ],
    )
    sol = Solution(Task("transformation", {"expr": base}, "Transform a graph."), steps, g)
    return Draft(
        prompt,
        {"f": base},
        g,
        "expression",
        sol,
        {"variables": ["x"]},
        {"kind": "transform", "expr": base, "result": g},
    )


# ---------------------------------------------------------------- lecture 03


@family(
    "average-rate",
    3,
    "Average rate of change of f on [a, b]: the slope of the secant.",
    {1: "quadratic, short interval", 2: "cubic", 3: "roots and fractions"},
)
def average_rate(rng: random.Random, d: int) -> Draft:
    if d == 1:
        f = poly(rng, 2, 1)
    elif d == 2:
        f = poly(rng, 3, 2)
    else:
        c = nz(rng, 1, 4)
        f = rng.choice(
            [
                coeff(rng, 2) * sympy.sqrt(X + c**2 - 1) + coeff(rng, 2) * X,
                coeff(rng, 2) / (X + c) + X**2,
            ]
        )
    a, b = distinct_ints(rng, 2, -3 if d < 3 else 0, 4)
    fa, fb = f.subs(X, a), f.subs(X, b)
    if not (fa.is_real and fb.is_real and fa.is_finite and fb.is_finite):
        raise Redraw("outside the domain")
    slope = sympy.simplify((fb - fa) / (b - a))
    prompt = phrase(
        rng,
        [
            "Find the average rate of change of f(x) = {f} on the interval [{a}, {b}].",
            "How fast does f(x) = {f} change on average between x = {a} and x = {b}?",
            "Find the slope of the secant line of f(x) = {f} through x = {a} and x = {b}.",
        ],
    )
    sol = engine_solution(
        "tutor.steps.analysis:secant_slope",
        (f, a, b),
        {},
        answer=slope,
        kind="average_rate",
        params={"expr": f, "a": a, "b": b},
        statement="Average rate of change.",
    )
    return Draft(
        prompt,
        {"f": f, "a": a, "b": b},
        slope,
        "number",
        sol,
        {},
        {"kind": "secants", "expr": f, "a": a, "b": b},
    )


def _signed(name: str, value: Any) -> str:
    """The placeholder ``{name}`` to subtract: in brackets only when the value is negative,
    so the board reads 3 − 4 and 6 − (−5), never 3 − (4)."""
    return f"({{{name}}})" if value < 0 else f"{{{name}}}"


M = sympy.Symbol("m")  # the slope, as the board names it


@family(
    "slope-two-points",
    3,
    "The slope of the line through two points, and the line itself.",
    {
        1: "slope, small integers",
        2: "the line's equation",
        3: "the line's equation with a fractional slope",
    },
)
def slope_two_points(rng: random.Random, d: int) -> Draft:
    x1, x2 = rng.sample(range(-6, 7), 2)
    y1, y2 = nz(rng, -9, 9, ()), nz(rng, -9, 9, ())
    m = Rational(y2 - y1, x2 - x1)
    if m == 0 or (d == 3 and m.q == 1) or (d < 3 and d > 1 and m.q != 1):
        raise Redraw("want a different slope")
    p1, p2 = (x1, y1), (x2, y2)
    steps = [
        Step(
            "slope_formula",
            before=(p1, p2),
            after=m,
            explanation="Slope = rise over run = "
            + f"({{y2}} − {_signed('y1', y1)})/({{x2}} − {_signed('x1', x1)}) = {{m}}.",
            data={"x1": x1, "y1": y1, "x2": x2, "y2": y2, "m": m, "show": Eq(M, m, evaluate=False)},
        ),
    ]
    if d == 1:
        answer, kind = m, "number"
        prompt = phrase(
            rng,
            [
                "Find the slope of the line through {p1} and {p2}.",
                "A line passes through {p1} and {p2}. How steep is it (its slope)?",
            ],
        )
    else:
        c = y1 - m * x1
        answer = Eq(Y, m * X + c)
        kind = "equation"
        steps.append(
            Step(
                "point_slope",
                before=m,
                after=answer,
                explanation="Use the point {p1}: {point_slope}, so {line}.",
                data={
                    "p1": p1,
                    "y1": y1,
                    "x1": x1,
                    "m": m,
                    "line": answer,
                    "point_slope": Eq(Y - y1, sympy.Mul(m, X - x1, evaluate=False)),
                    # the board's line: y = y₁ + m(x − x₁) = mx + c, an equality chain
                    "chain": (
                        Y,
                        sympy.Add(y1, sympy.Mul(m, X - x1, evaluate=False), evaluate=False),
                        m * X + c,
                    ),
                },
            )
        )
        prompt = phrase(
            rng,
            [
                "Find the equation of the line through {p1} and {p2}.",
                "Write the line through the points {p1} and {p2} in the form y = mx + c.",
            ],
        )
    what = "the slope of the line" if d == 1 else "the line"
    task = Task("slope", {"p1": p1, "p2": p2}, f"Find {what} through {{p1}} and {{p2}}.")
    sol = Solution(task, steps, answer)
    opts = {"variables": ["x", "y"]} if kind == "equation" else {}
    return Draft(
        prompt,
        {"p1": p1, "p2": p2},
        answer,
        kind,
        sol,
        opts,
        {"kind": "graph", "expr": m * X + y1 - m * x1, "points": [p1, p2]},
    )
