"""Monotonicity, concavity, global extrema, tangent lines and least squares against oracles:
numeric sampling of f' and f'', dense sampling of f on the interval, finite differences,
numpy.polyfit and lstsq."""

from __future__ import annotations

import random

import numpy as np
import pytest
import sympy
from sympy import Rational as R

from tutor.core import DNE, Table
from tutor.steps.analysis import (
    concavity,
    global_extrema,
    least_squares,
    linear_approximation,
    monotonicity,
    normal_line,
    secant_slope,
    slope_through,
    tangent_line,
)

x, y = sympy.symbols("x y")


def random_poly(rng: random.Random, deg: int):
    roots = [rng.randint(-4, 4) for _ in range(deg - 1)]
    d = rng.choice((-2, -1, 1, 2)) * sympy.Mul(*[(x - r) for r in roots])
    return sympy.expand(sympy.integrate(d, x)) + rng.randint(-3, 3)


def _pieces(s):
    """A union of intervals as float (lo, hi) pairs, for fast membership tests."""
    if s == sympy.S.EmptySet:
        return []
    parts = s.args if isinstance(s, sympy.Union) else (s,)
    return [(float(p.inf), float(p.sup)) for p in parts]


def _samples(s, lo=-30.0, hi=30.0, n=400):
    """Points strictly inside a sympy set of reals, for sampling."""
    ps = _pieces(s)
    return [t for t in np.linspace(lo, hi, n) if any(a < t < b for a, b in ps)]


# ---------------------------------------------------------------------------- monotonicity


@pytest.mark.parametrize("seed", range(40))
def test_monotonicity_matches_sign_of_derivative(seed):
    f = random_poly(random.Random(seed), random.Random(seed).randint(2, 4))
    sol = monotonicity(f)
    inc, dec = sol.answer["increasing"], sol.answer["decreasing"]
    dfn = sympy.lambdify(x, sympy.diff(f, x), "numpy")
    for t in _samples(inc, -6, 6):
        assert dfn(t) >= -1e-9
    for t in _samples(dec, -6, 6):
        assert dfn(t) <= 1e-9
    # together they cover the line except finitely many points
    ts = np.linspace(-6, 6, 241) + 1e-3
    both = _pieces(inc) + _pieces(dec)
    covered = [t for t in ts if any(a < t < b for a, b in both)]
    assert len(covered) >= len(ts) - 6
    charts = [s for s in sol.walk() if s.rule == "sign_chart"]
    assert charts and isinstance(charts[0].after, Table)


@pytest.mark.parametrize(
    "f, inc, dec",
    [
        (
            x**3 - 3 * x,
            "Union(Interval.open(-oo, -1), Interval.open(1, oo))",
            "Interval.open(-1, 1)",
        ),
        (x**3, "Reals", "EmptySet"),
        (1 / x, "EmptySet", "Union(Interval.open(-oo, 0), Interval.open(0, oo))"),
        (x * sympy.exp(-x), "Interval.open(-oo, 1)", "Interval.open(1, oo)"),
        (sympy.log(x) / x, "Interval.open(0, E)", "Interval.open(E, oo)"),
        (
            x**4 - 2 * x**2,
            "Union(Interval.open(-1, 0), Interval.open(1, oo))",
            "Union(Interval.open(-oo, -1), Interval.open(0, 1))",
        ),
    ],
    ids=str,
)
def test_monotonicity_textbook(f, inc, dec):
    sol = monotonicity(f)
    assert sympy.srepr(sol.answer["increasing"]) == sympy.srepr(sympy.sympify(inc))
    assert sympy.srepr(sol.answer["decreasing"]) == sympy.srepr(sympy.sympify(dec))


def test_monotonicity_on_an_interval_and_periodic():
    sol = monotonicity(sympy.sin(x), (0, 2 * sympy.pi))
    assert sol.answer["decreasing"] == sympy.Interval.open(sympy.pi / 2, 3 * sympy.pi / 2)


# ---------------------------------------------------------------------------- concavity


@pytest.mark.parametrize("seed", range(30))
def test_concavity_matches_second_derivative(seed):
    rng = random.Random(100 + seed)
    f = random_poly(rng, rng.randint(3, 5))
    sol = concavity(f)
    d2 = sympy.lambdify(x, sympy.diff(f, x, 2), "numpy")
    for t in _samples(sol.answer["concave_up"], -6, 6):
        assert d2(t) >= -1e-9
    for t in _samples(sol.answer["concave_down"], -6, 6):
        assert d2(t) <= 1e-9
    for px, py in sol.answer["inflection_points"]:
        assert abs(float(d2(float(px)))) < 1e-9
        assert sympy.simplify(f.subs(x, px) - py) == 0
        h = 1e-3
        assert d2(float(px) - h) * d2(float(px) + h) < 0


@pytest.mark.parametrize(
    "f, points",
    [
        (x**3, [(0, 0)]),
        (x**4, []),
        (x * sympy.exp(x), [(-2, -2 * sympy.exp(-2))]),
        (
            x / (x**2 + 1),
            [(-sympy.sqrt(3), -sympy.sqrt(3) / 4), (0, 0), (sympy.sqrt(3), sympy.sqrt(3) / 4)],
        ),
        (1 / x, []),
        (
            sympy.exp(-(x**2)),
            [(-sympy.sqrt(2) / 2, sympy.exp(-R(1, 2))), (sympy.sqrt(2) / 2, sympy.exp(-R(1, 2)))],
        ),
    ],
    ids=str,
)
def test_inflection_points_textbook(f, points):
    got = concavity(f).answer["inflection_points"]
    assert len(got) == len(points)
    for (a, b), (c, d) in zip(got, points):
        assert sympy.simplify(a - c) == 0 and sympy.simplify(b - d) == 0


# ---------------------------------------------------------------------------- global extrema


def _dense(f, a, b, n=200001):
    fn = sympy.lambdify(x, f, "numpy")
    ts = np.linspace(float(a), float(b), n)
    with np.errstate(all="ignore"):
        vs = np.asarray(fn(ts), dtype=float) * np.ones_like(ts)
    return vs.max(), vs.min()


def global_family(rng: random.Random):
    forms = [
        lambda: random_poly(rng, rng.randint(2, 4)),
        lambda: x * sympy.exp(-x / rng.randint(1, 3)),
        lambda: sympy.sin(x) + sympy.cos(x) * rng.choice((1, 2, -1)),
        lambda: x / (x**2 + rng.randint(1, 4)),
        lambda: x**2 * sympy.exp(-x) - rng.randint(0, 2),
        lambda: sympy.Abs(x - rng.randint(-2, 2)) + x**2 / 4,
        lambda: x + 4 / (x + 10),
    ]
    return rng.choice(forms)()


@pytest.mark.parametrize("seed", range(50))
def test_global_extrema_against_dense_sampling(seed):
    rng = random.Random(500 + seed)
    f = global_family(rng)
    a = rng.randint(-4, 1)
    b = a + rng.randint(1, 6)
    sol = global_extrema(f, (a, b))
    hi, lo = _dense(f, a, b)
    (M, at_max), (m, at_min) = sol.answer["maximum"], sol.answer["minimum"]
    assert float(M) == pytest.approx(hi, abs=1e-6)
    assert float(m) == pytest.approx(lo, abs=1e-6)
    for p in at_max:
        assert float(sympy.N(f.subs(x, p))) == pytest.approx(float(M), abs=1e-9)
        assert a <= float(p) <= b
    for p in at_min:
        assert float(sympy.N(f.subs(x, p))) == pytest.approx(float(m), abs=1e-9)


@pytest.mark.parametrize(
    "f, interval, maximum, minimum",
    [
        (x**3 - 3 * x, (0, 3), (18, (3,)), (-2, (1,))),
        (x**3 - 3 * x, None, "none", "none"),
        (x * sympy.exp(-x), None, (sympy.exp(-1), (1,)), "none"),
        (sympy.exp(-(x**2)), None, (1, (0,)), "none"),
        (x**2, sympy.Interval.open(-1, 2), "none", (0, (0,))),
        (x + 1 / x, sympy.Interval.open(0, sympy.oo), "none", (2, (1,))),
        (1 / x, (1, 2), (1, (1,)), (R(1, 2), (2,))),
        (sympy.sqrt(4 - x**2), None, (2, (0,)), (0, (-2, 2))),
        (x**2 + 1, None, "none", (1, (0,))),
        (x**4 - 2 * x**2, (-2, 2), (8, (-2, 2)), (-1, (-1, 1))),
        (sympy.Abs(x - 1), (-2, 3), (3, (-2,)), (0, (1,))),
    ],
    ids=str,
)
def test_global_extrema_textbook(f, interval, maximum, minimum):
    sol = global_extrema(f, interval)
    assert sol.answer["maximum"] == _norm(maximum)
    assert sol.answer["minimum"] == _norm(minimum)
    assert any(s.rule == "compare_candidates" for s in sol.walk())
    if "none" in (maximum, minimum):
        assert any(s.rule == "end_behaviour" for s in sol.walk())


def _norm(v):
    if v == "none":
        return v
    return (sympy.sympify(v[0]), tuple(sympy.sympify(p) for p in v[1]))


# ---------------------------------------------------------------------------- lines


@pytest.mark.parametrize("seed", range(30))
def test_tangent_and_normal_lines(seed):
    rng = random.Random(900 + seed)
    f = rng.choice(
        [
            random_poly(rng, rng.randint(2, 4)),
            sympy.exp(rng.randint(1, 2) * x),
            sympy.sin(x) * rng.randint(1, 3),
            sympy.sqrt(x + 5),
        ]
    )
    a = rng.randint(-2, 3)
    eq = tangent_line(f, a).answer
    m = sympy.diff(eq.rhs, x)
    fn = sympy.lambdify(x, f, "mpmath")
    import mpmath

    assert float(m) == pytest.approx(float(mpmath.diff(fn, a)), rel=1e-9, abs=1e-9)
    assert sympy.simplify(eq.rhs.subs(x, a) - f.subs(x, a)) == 0
    assert eq.lhs == y
    nl = normal_line(f, a).answer
    if m != 0:
        assert sympy.simplify(sympy.diff(nl.rhs, x) * m + 1) == 0
        assert sympy.simplify(nl.rhs.subs(x, a) - f.subs(x, a)) == 0
    else:
        assert nl == sympy.Eq(x, a)


def test_lines_textbook():
    assert tangent_line(x**2, 1).answer == sympy.Eq(y, 2 * x - 1)
    assert normal_line(x**2, 1).answer == sympy.Eq(y, R(3, 2) - x / 2)
    assert tangent_line(x ** R(1, 3), 0).answer == sympy.Eq(x, 0)
    assert linear_approximation(sympy.sqrt(x), 4).answer == x / 4 + 1
    assert linear_approximation(sympy.sqrt(x), 4, R(41, 10)).answer == R(81, 40)
    assert secant_slope(x**3, 1, 3).answer == 13
    assert slope_through((1, 2), (3, 8)).answer == 3
    assert slope_through((1, 2), (1, 8)).answer is DNE
    with pytest.raises(ValueError):
        tangent_line(sympy.Abs(x), 0)


@pytest.mark.parametrize("seed", range(20))
def test_secant_slope_oracle(seed):
    rng = random.Random(77 + seed)
    f = random_poly(rng, 3)
    a, b = rng.randint(-3, 0), rng.randint(1, 4)
    q = secant_slope(f, a, b).answer
    assert q == (f.subs(x, b) - f.subs(x, a)) / (b - a)


# ---------------------------------------------------------------------------- least squares


@pytest.mark.parametrize("seed", range(30))
def test_least_squares_matches_numpy(seed):
    rng = random.Random(300 + seed)
    n = rng.randint(2, 7)
    xs = [rng.randint(-5, 5) for _ in range(n)]
    while len(set(xs)) < 2:
        xs = [rng.randint(-5, 5) for _ in range(n)]
    ys = [R(rng.randint(-40, 40), rng.choice((1, 2, 10))) for _ in range(n)]
    w = least_squares(xs, ys).answer
    X = np.array(xs, dtype=float)[:, None]
    Y = np.array([float(v) for v in ys])
    assert float(w) == pytest.approx(np.linalg.lstsq(X, Y, rcond=None)[0][0], rel=1e-9, abs=1e-12)
    assert isinstance(w, sympy.Rational)
    wb = least_squares(xs, ys, "y = w x + b").answer
    slope, icpt = np.polyfit(X[:, 0], Y, 1)
    assert float(wb[0]) == pytest.approx(slope, rel=1e-8, abs=1e-10)
    assert float(wb[1]) == pytest.approx(icpt, rel=1e-8, abs=1e-10)


def test_least_squares_steps_and_exact_decimals():
    sol = least_squares([1, 2, 3], [2, 4.1, 5.9])
    assert sol.answer == R(279, 140)
    rules = [s.rule for s in sol.steps]
    assert rules == ["loss", "expand", "differentiate", "solve_linear", "second_derivative_test"]
    w = sympy.Symbol("w", real=True)
    L = sol.steps[1].after
    assert sympy.diff(L, w).subs(w, sol.answer) == 0
    with pytest.raises(ValueError):
        least_squares([1, 1], [2, 3], "y = w x + b")
    with pytest.raises(ValueError):
        least_squares([1, 2], [2, 3], "y = x^2")
