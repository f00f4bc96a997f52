"""Lectures 06 and 07: where f rises and falls, concavity, critical points and their kind,
global extrema on [a, b], least squares in closed form, two-variable critical points.

Polynomials are built from the roots of their derivative, so every critical point is a
small integer and every test comes out clean. Worked solutions: ``tutor.steps.analysis``.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

import sympy
from sympy import Eq, Rational, S

from .._diff import diff
from .builders import X, Y, coeff, distinct_ints, nz, phrase
from .engines import engine_solution
from .registry import Draft, Redraw, family


def _from_derivative_roots(
    rng: random.Random, roots: Sequence[int], lead: int, *, order: int = 1
) -> sympy.Expr:
    """An integer-coefficient f whose ``order``-th derivative is a multiple of ∏(x − r)."""
    g = sympy.expand(sympy.Mul(*[X - r for r in roots]))
    f = g
    for _ in range(order):
        f = sympy.integrate(f, X)
    den = sympy.ilcm(1, *[sympy.Rational(c).q for c in sympy.Poly(f, X).coeffs()])
    const = nz(rng, -9, 9, ())
    return sympy.expand(lead * den * f) + const + (coeff(rng, 2) * X if order == 2 else 0)


def sign_region(g: sympy.Expr, breaks: Sequence[Any], sign: int) -> Any:
    """The union of open intervals between ``breaks`` where ``g`` has ``sign``.

    ``breaks`` holds every zero and pole of ``g``, so its sign is constant between them;
    one test point per gap decides it (the sign chart of the lecture).
    """
    ends = [-sympy.oo, *(sympy.Integer(v) if isinstance(v, int) else v for v in breaks), sympy.oo]
    pieces = []
    for lo, hi in zip(ends, ends[1:]):
        mid = (
            (lo + hi) / 2 if lo.is_finite and hi.is_finite else (hi - 1 if hi.is_finite else lo + 1)
        )
        if lo == -sympy.oo and hi == sympy.oo:
            mid = S.Zero
        if sympy.sign(g.subs(X, mid)) == sign:
            pieces.append(sympy.Interval.open(lo, hi))
    return sympy.Union(*pieces)


def _kind_of(f: sympy.Expr, r: Any) -> str:
    f2 = diff(f, X, 2).subs(X, r)
    if f2 > 0:
        return "minimum"
    if f2 < 0:
        return "maximum"
    fp = diff(f, X)
    eps = Rational(1, 1000)
    left, right = fp.subs(X, r - eps), fp.subs(X, r + eps)
    if left < 0 < right:
        return "minimum"
    if left > 0 > right:
        return "maximum"
    return "neither"


def _poly_f(rng: random.Random, d: int) -> tuple[sympy.Expr, list[int]]:
    if d == 1:
        roots = distinct_ints(rng, 2, -3, 3)
    elif d == 2:
        roots = distinct_ints(rng, 3, -4, 4)
    else:
        r = distinct_ints(rng, 2, -4, 4)
        roots = [r[0], r[0], r[1]] if rng.randrange(2) else distinct_ints(rng, 3, -5, 5)
    lead = nz(rng, -2, 2)
    return _from_derivative_roots(rng, roots, lead), sorted(set(roots))


@family(
    "monotonicity",
    6,
    "Where f increases and where it decreases, from the sign chart of f'.",
    {
        1: "a cubic with two turning points",
        2: "a quartic with three",
        3: "x + a^2/x (a gap in the domain)",
    },
)
def monotonicity(rng: random.Random, d: int) -> Draft:
    if d < 3:
        f, roots = _poly_f(rng, d)  # f' is a multiple of the product of (x - r): its zeros
    else:
        a = nz(rng, 1, 5)
        f = coeff(rng, 1, positive=True) * (X + Rational(a * a) / X)
        roots = [-a, a]  # f' = c(1 - a²/x²), and 0 is out of the domain
    fp = diff(f, X)
    want = rng.choice(["increasing", "decreasing"])
    breaks = sorted({sympy.Integer(r) for r in roots} | ({S.Zero} if d == 3 else set()), key=float)
    answer = sign_region(fp, breaks, 1 if want == "increasing" else -1)
    if answer in (S.EmptySet, S.Reals):
        raise Redraw("monotone everywhere")
    sol = engine_solution(
        "tutor.steps.analysis:monotonicity",
        (f,),
        {},
        answer=answer,
        kind="monotonicity",
        params={"expr": f},
        statement=f"Where is f {want}?",
        extract=lambda a: a[want] if isinstance(a, Mapping) else a,
    )
    prompt = phrase(
        rng,
        [
            "On which intervals is f(x) = {f} " + want + "?",
            "Use the sign of f' to find where f(x) = {f} is " + want + ".",
            "A loss curve is given by f(x) = {f}. Where is it "
            + want
            + "? Give a union of open intervals.",
        ],
    )
    return Draft(prompt, {"f": f}, answer, "interval", sol, {}, {"kind": "slope-sign", "expr": f})


@family(
    "concavity",
    6,
    "Concavity and inflection points from the sign of f''.",
    {
        1: "a cubic: one inflection point",
        2: "a quartic: two inflection points",
        3: "where a quartic is concave up",
    },
)
def concavity(rng: random.Random, d: int) -> Draft:
    roots = [nz(rng, -4, 4, ())] if d == 1 else distinct_ints(rng, 2, -4, 4)
    f = _from_derivative_roots(rng, roots, nz(rng, -2, 2), order=2)
    f2 = diff(f, X, 2)
    if d < 3:
        answer = sympy.FiniteSet(*roots)
        kind = "set"
        prompt = phrase(
            rng,
            [
                "Find the inflection points of f(x) = {f} (the x-values where the concavity changes).",
                "Where does f(x) = {f} switch between bending up and bending down? Give the x-values.",
            ],
        )
        extract = lambda a: sympy.FiniteSet(*[pt[0] for pt in a["inflection_points"]])  # noqa: E731
    else:
        answer = sign_region(f2, sorted(set(roots)), 1)
        kind = "interval"
        prompt = phrase(
            rng,
            [
                "On which intervals is f(x) = {f} concave up?",
                "Where does f(x) = {f} bend upwards (f'' > 0)?",
            ],
        )
        extract = lambda a: a["concave_up"]  # noqa: E731
    sol = engine_solution(
        "tutor.steps.analysis:concavity",
        (f,),
        {},
        answer=answer,
        kind="concavity",
        params={"expr": f},
        statement="Concavity of f.",
        extract=extract,
    )
    # the curve with its inflection points (the roots of f'' the engine agreed with)
    points = [(r, f.subs(X, r)) for r in sorted(set(roots))]
    figure = {
        "kind": "graph",
        "expr": f,
        "points": points,
        "title": "Inflection points: where the bending changes",
    }
    return Draft(prompt, {"f": f}, answer, kind, sol, {}, figure)


@family(
    "tangent-line",
    6,
    "The tangent line at a point: the best straight-line approximation near it.",
    {1: "a quadratic at an integer", 2: "a cubic or a root", 3: "e^(kx), ln x or a quotient"},
)
def tangent_line(rng: random.Random, d: int) -> Draft:
    a = sympy.Integer(nz(rng, -3, 3, ()))
    if d == 1:
        f = coeff(rng, 1) * X**2 + coeff(rng, 1) * X
    elif d == 2:
        f = rng.choice(
            [coeff(rng, 2) * X**3 + coeff(rng, 2) * X, coeff(rng, 2) * sympy.sqrt(X + 5)]
        )
    else:
        k = nz(rng, -3, 3)
        f, a = rng.choice(
            [
                (sympy.exp(k * X) * coeff(rng, 2), S.Zero),
                (coeff(rng, 2) * sympy.log(X), S.One),
                (X / (X**2 + 1) * coeff(rng, 1), a),
            ]
        )
    m = diff(f, X).subs(X, a)
    fa = f.subs(X, a)
    if m == 0 or not fa.is_real:
        raise Redraw("flat tangent")
    answer = Eq(Y, sympy.expand(fa + m * (X - a)))
    sol = engine_solution(
        "tutor.steps.analysis:tangent_line",
        (f, a),
        {},
        answer=answer,
        kind="tangent",
        params={"expr": f, "at": a},
        statement="Tangent line.",
    )
    prompt = phrase(
        rng,
        [
            "Find the equation of the tangent line to y = {f} at x = {a}.",
            "Write the straight line that best approximates y = {f} near x = {a} (the tangent line).",
        ],
    )
    return Draft(
        prompt,
        {"f": f, "a": a},
        answer,
        "equation",
        sol,
        {"variables": ["x", "y"]},
        {"kind": "secants", "expr": f, "a": a},
    )


def _kind_by_slopes(f: sympy.Expr, r: Any) -> str:
    """The kind of critical point ``r`` from the sign of f' just either side of it (the
    first-derivative test: it holds at a corner, where f'' says nothing).  x is taken
    real, so that |x − a|' is sign(x − a)."""
    t = sympy.Dummy("t", real=True)
    fp = diff(f.subs(X, t), t).subs(t, X)
    eps = Rational(1, 1000)
    left, right = fp.subs(X, r - eps), fp.subs(X, r + eps)
    if left < 0 < right:
        return "minimum"
    if left > 0 > right:
        return "maximum"
    return "neither"


def _corner_f(rng: random.Random) -> tuple[sympy.Expr, list[int]]:
    """c(x − b)² ∓ 2cm|x − a| (times ±1): a corner at a, where f' does not exist, besides
    the stationary points.  With −|x − a| and a strictly between b − m and b + m it is the
    W of two valleys and a peak on the corner; with +|x − a| and a outside [b − m, b + m] one
    valley and a corner that is neither a minimum nor a maximum (the slope keeps its sign)."""
    c, m, b = rng.choice([1, 1, 2]), rng.randint(1, 3), rng.randint(-3, 3)
    if rng.randrange(2):
        # a ≠ b: at a = b sympy's sign(0) = 0 makes f'(a) "= 0", and the engine then
        # classifies the corner by f'' (see the report on tutor/steps/analysis/critical.py)
        m = max(m, 2)
        a = b + rng.choice([k for k in range(1 - m, m) if k])
        f = c * (X - b) ** 2 - 2 * c * m * sympy.Abs(X - a)
        roots = [b - m, a, b + m]
    else:
        side = rng.choice([1, -1])
        a = b + side * (m + rng.randint(1, 2))
        f = c * (X - b) ** 2 + 2 * c * m * sympy.Abs(X - a)
        roots = [a, b + side * m]
    return rng.choice([1, -1]) * f + nz(rng, -5, 5, ()), sorted(roots)


@family(
    "critical-points",
    7,
    "Critical points (f' = 0 or f' undefined) and their kind: second- or first-derivative test.",
    {
        1: "a cubic: two points",
        2: "a quartic: three points",
        3: "a repeated root where the test fails, or a corner |x − a| where f' does not exist",
    },
)
def critical_points(rng: random.Random, d: int) -> Draft:
    corner = d == 3 and rng.randrange(2) == 0
    if corner:
        f, roots = _corner_f(rng)
        kinds = {r: _kind_by_slopes(f, r) for r in roots}
    else:
        f, roots = _poly_f(rng, d)
        kinds = {r: _kind_of(f, r) for r in roots}
    # "classify" grades the kind of one named point (a choice); "minimum" and "maximum" grade
    # it through the set of points of that kind; "all" asks only for the points and says so
    ask = rng.choice(["all", "all", "minimum", "maximum", "minimum", "maximum", "classify"])
    if ask == "classify":
        return _classify_critical_point(rng, f, roots, kinds)
    chosen = [r for r in roots if ask == "all" or kinds[r] == ask]
    if not chosen:
        raise Redraw("nothing of that kind")
    answer = sympy.FiniteSet(*chosen)
    sol = engine_solution(
        "tutor.steps.analysis:critical_points",
        (f,),
        {},
        answer=answer,
        kind="critical_points",
        params={"expr": f},
        statement="Critical points and their kind.",
        extract=lambda a: sympy.FiniteSet(*[pt for pt, k in a if ask == "all" or k == ask]),
    )
    where = "f'(x) = 0 or f'(x) does not exist" if corner else "f'(x) = 0"
    prompts = {
        "all": [
            "Find the critical points of f(x) = {f}, the x-values where " + where + ".",
            "Where is the slope of f(x) = {f} zero"
            + (" or undefined" if corner else "")
            + "? Find all critical points.",
        ],
        "minimum": [
            "Find every x where f(x) = {f} has a local minimum.",
            "Where does f(x) = {f} have its local minima (the bottoms of its valleys)?",
        ],
        "maximum": [
            "Find every x where f(x) = {f} has a local maximum.",
            "Where does f(x) = {f} have its local maxima (the tops of its hills)?",
        ],
    }[ask]
    return Draft(
        phrase(rng, prompts),
        {"f": f},
        answer,
        "set",
        sol,
        {},
        {"kind": "surface-critical", "expr": f, "points": sorted(roots)},
    )


# The kinds a critical point of one variable can have, in the order the quiz lists them.
POINT_KINDS = ["minimum", "maximum", "neither"]


def _classify_critical_point(
    rng: random.Random, f: sympy.Expr, roots: list[int], kinds: Mapping[Any, str]
) -> Draft:
    """One critical point of f, named in the prompt, to be classified: a graded choice."""
    r = rng.choice(roots)
    answer = kinds[r]
    sol = engine_solution(
        "tutor.steps.analysis:critical_points",
        (f,),
        {},
        answer=answer,
        kind="critical_points",
        params={"expr": f},
        statement=f"The kind of the critical point x = {r}.",
        extract=lambda a: dict(a).get(r),
    )
    prompt = phrase(
        rng,
        [
            "f(x) = {f} has a critical point at x = {r}. Is it a local minimum, a local "
            "maximum or neither? Choose one of: minimum, maximum, neither.",
            "Classify the critical point x = {r} of f(x) = {f}: does f have a local minimum "
            "there, a local maximum, or neither? Choose one of: minimum, maximum, neither.",
        ],
    )
    return Draft(
        prompt,
        {"f": f, "r": sympy.Integer(r)},
        answer,
        "choice",
        sol,
        {"choices": list(POINT_KINDS)},
        {"kind": "surface-critical", "expr": f, "points": sorted(roots)},
    )


@family(
    "global-extrema",
    7,
    "Global maximum or minimum on a closed interval: critical points against end points.",
    {1: "a quadratic", 2: "a cubic", 3: "a quartic"},
)
def global_extrema(rng: random.Random, d: int) -> Draft:
    if d == 1:
        r = nz(rng, -3, 3, ())
        f = _from_derivative_roots(rng, [r], nz(rng, -3, 3))
        roots = [r]
    else:
        f, roots = _poly_f(rng, d if d == 2 else 2)
        if d == 3:
            roots = distinct_ints(rng, 3, -3, 3)
            f = _from_derivative_roots(rng, roots, nz(rng, -1, 1))
    lo = min(roots) - rng.randint(1, 2)
    hi = max(roots) + rng.randint(0, 2)
    if rng.randrange(3) == 0:
        lo = min(roots) + rng.choice([0, -1])
    if lo >= hi:
        raise Redraw("empty interval")
    which = rng.choice(["maximum", "minimum"])
    candidates = [lo, hi] + [r for r in roots if lo < r < hi]
    values = [f.subs(X, c) for c in candidates]
    answer = max(values) if which == "maximum" else min(values)
    sol = engine_solution(
        "tutor.steps.analysis:global_extrema",
        (f, (lo, hi)),
        {},
        answer=answer,
        kind="global_extrema",
        params={"expr": f, "interval": (lo, hi)},
        statement=f"Global {which} on an interval.",
        extract=lambda a: _extremum_value(a, which),
    )
    prompt = phrase(
        rng,
        [
            "Find the global " + which + " value of f(x) = {f} on the interval [{lo}, {hi}].",
            "What is the "
            + ("largest" if which == "maximum" else "smallest")
            + " value f(x) = {f} takes for {lo} ≤ x ≤ {hi}?",
        ],
    )
    return Draft(
        prompt,
        {"f": f, "lo": lo, "hi": hi},
        answer,
        "number",
        sol,
        {},
        {"kind": "surface-critical", "expr": f, "interval": [lo, hi]},
    )


def _extremum_value(a: Any, which: str) -> Any:
    if isinstance(a, Mapping):
        v = a.get(which, a.get("max" if which == "maximum" else "min"))
        return v[0] if isinstance(v, tuple) else v
    return a


@family(
    "least-squares",
    7,
    "Fit y = wx (or y = wx + b) to a small data table by minimising the squared error.",
    {1: "y = wx, 3 points", 2: "y = wx, 4 points", 3: "y = wx + b, 4 points"},
)
def least_squares(rng: random.Random, d: int) -> Draft:
    n = 3 if d == 1 else 4
    xs = distinct_ints(rng, n, -3 if d > 1 else 1, 5)
    if 0 in xs and d < 3 and len([v for v in xs if v]) < 2:
        raise Redraw("too few nonzero x")
    w_true = nz(rng, -3, 3)
    ys = [w_true * v + nz(rng, -2, 2, ()) + (2 if d == 3 else 0) for v in xs]
    w, b = sympy.symbols("w b")
    if d < 3:
        model = w * X
        answer = Rational(sum(a * c for a, c in zip(xs, ys)), sum(a * a for a in xs))
        if answer == 0:
            raise Redraw("flat fit")
        kind = "number"
    else:
        model = w * X + b
        # the normal equations ∂L/∂w = ∂L/∂b = 0 solved in closed form (the x are distinct,
        # so the denominator is not 0); the engine sets up and solves them in its steps
        sx, sy = sum(xs), sum(ys)
        sxx, sxy = sum(a * a for a in xs), sum(a * c for a, c in zip(xs, ys))
        slope = Rational(n * sxy - sx * sy, n * sxx - sx * sx)
        answer = (slope, (sy - slope * sx) / n)
        if answer[0] == 0 or answer[1] == 0:
            raise Redraw("degenerate fit")
        kind = "point"
    sol = engine_solution(
        "tutor.steps.analysis:least_squares",
        (tuple(xs), tuple(ys), "y = w x" if d < 3 else "y = w x + b"),
        {},
        answer=answer,
        kind="least_squares",
        params={"xs": tuple(xs), "ys": tuple(ys), "model": model},
        statement="Least-squares fit.",
        extract=lambda a: (
            tuple(a.values())
            if isinstance(a, Mapping) and len(a) > 1
            else (next(iter(a.values())) if isinstance(a, Mapping) else a)
        ),
    )
    target = "w" if d < 3 else "(w, b)"
    prompt = phrase(
        rng,
        [
            "Fit the model y = {model} to the data x = {xs}, y = {ys} by least squares: find the "
            + target
            + " that makes the total squared error smallest.",
            "The loss L = Σ(y − ({model}))^2 measures the misfit on the data x = {xs}, y = {ys}. Set its derivative to zero and find "
            + target
            + ".",
        ],
    )
    given = {"model": model, "xs": tuple(xs), "ys": tuple(ys)}
    return Draft(
        prompt,
        given,
        answer,
        kind,
        sol,
        {},
        {
            "kind": "residuals",
            "expr": model.subs(dict(zip((w, b), answer if d == 3 else (answer, 0)))),
            "xs": xs,
            "ys": ys,
        },
    )


@family(
    "critical-points-2d",
    7,
    "The critical point of a two-variable quadratic and its kind (Hessian test): min, max or saddle.",
    {1: "a bowl or a dome, no xy term", 2: "saddles possible", 3: "an xy term in the Hessian"},
)
def critical_points_2d(rng: random.Random, d: int) -> Draft:
    p, q = nz(rng, -4, 4, ()), nz(rng, -4, 4, ())
    a = nz(rng, 1, 4) * (rng.choice([1, -1]) if d > 1 else 1)
    c = nz(rng, 1, 4) * (rng.choice([1, -1]) if d > 1 else 1)
    if d == 1 and rng.randrange(2):
        a, c = -a, -c
    bxy = nz(rng, -4, 4) if d == 3 else 0
    det = 4 * a * c - bxy * bxy
    if det == 0:
        raise Redraw("degenerate Hessian")
    f = sympy.expand(
        a * (X - p) ** 2 + bxy * (X - p) * (Y - q) + c * (Y - q) ** 2 + nz(rng, -5, 5, ())
    )
    kind_of = "saddle" if det < 0 else ("minimum" if a > 0 else "maximum")
    classify = rng.random() < 0.3
    answer: Any = kind_of if classify else (sympy.Integer(p), sympy.Integer(q))
    sol = engine_solution(
        "tutor.steps.analysis:critical_points",
        (f,),
        {"variables": ["x", "y"]},
        answer=answer,
        kind="critical_points",
        params={"expr": f, "variables": (X, Y)},
        statement="Critical points of f(x, y).",
        extract=(lambda r: r[0][1]) if classify else (lambda r: tuple(r[0][0])),
    )
    if classify:
        prompt = phrase(
            rng,
            [
                "The loss surface f(x, y) = {f} has one critical point. Is it a minimum, a maximum or a saddle?",
                "Use the Hessian to classify the critical point of f(x, y) = {f}: minimum, maximum or saddle?",
            ],
        )
        return Draft(
            prompt,
            {"f": f},
            answer,
            "choice",
            sol,
            {"choices": ["minimum", "maximum", "saddle"]},
            {"kind": "contour", "expr": f},
        )
    prompt = phrase(
        rng,
        [
            "Find the critical point of f(x, y) = {f} (where both partial derivatives are zero).",
            "Where is the gradient of f(x, y) = {f} the zero vector? Give the point (x, y).",
        ],
    )
    return Draft(
        prompt,
        {"f": f},
        answer,
        "point",
        sol,
        {},
        {"kind": "contour", "expr": f, "points": [answer]},
    )
