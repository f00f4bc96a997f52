"""Regularisation and constraints against sympy and brute force."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from tutor.ml.regularization import constrained_minimum, l1, l2

w, x, y = sympy.symbols("w x y")
R = sympy.Rational


@pytest.mark.parametrize(
    ("f", "lam"),
    [((w - 3) ** 2, "0.5"), (2 * (w + 1) ** 2 + 4, 3), ((x - 1) ** 2 + (y + 2) ** 2 + x * y, 1)],
)
def test_l2_gradient_and_shrunken_minimiser(f, lam):
    sol = l2(f, lam)
    xs = sorted(f.free_symbols, key=lambda s: s.name)
    lam_ = sympy.Rational(lam)
    reg = f + lam_ * sum(v**2 for v in xs)
    grad = [sympy.diff(reg, v) for v in xs]
    got = sol.answer["gradient"]
    got = list(got) if isinstance(got, sympy.Tuple) else [got]
    assert all(sympy.expand(a - b) == 0 for a, b in zip(got, grad))
    exact = sympy.solve(grad, xs, dict=True)[0]
    m = sol.answer["minimiser"]
    m = m if isinstance(m, tuple) else (m,)
    assert m == tuple(exact[v] for v in xs)
    # the penalty pulls the minimiser towards 0
    plain = sympy.solve([sympy.diff(f, v) for v in xs], xs, dict=True)[0]
    assert sum(c**2 for c in m) < sum(plain[v] ** 2 for v in xs)


def test_l2_at_a_point():
    sol = l2((x - 1) ** 2 + (y + 2) ** 2, 1, at=(1, 1))
    assert tuple(sol.answer["gradient"]) == (2, 8)


@pytest.mark.parametrize(("c", "lam"), [(3, 2), (3, 8), (-3, 2), (R(1, 2), 1), (-5, R(3, 2))])
def test_l1_soft_threshold_matches_brute_force(c, lam):
    f = 2 * (w - c) ** 2 + 1
    sol = l1(f, lam)
    grid = np.linspace(-10, 10, 200001)
    vals = 2 * (grid - float(c)) ** 2 + 1 + float(lam) * np.abs(grid)
    assert float(sol.answer["minimiser"]) == pytest.approx(grid[np.argmin(vals)], abs=1e-4)
    interval = sol.answer["subgradient_at_0"]
    f0 = sympy.diff(f, w).subs(w, 0)
    assert interval == sympy.Interval(f0 - lam, f0 + lam)
    assert (sol.answer["minimiser"] == 0) == interval.contains(0)


def test_l1_gradient_away_from_zero():
    sol = l1((w + 3) ** 2, 2, at=1)
    assert sol.answer["gradient"] == 2 * (1 + 3) + 2


@pytest.mark.parametrize(
    ("f", "g", "point", "value"),
    [
        (x**2 + y**2, sympy.Eq(x + y, 1), (R(1, 2), R(1, 2)), R(1, 2)),
        ((x - 2) ** 2 + (y - 1) ** 2, x - y, (R(3, 2), R(3, 2)), R(1, 2)),
        (x**2 + 2 * y**2, sympy.Eq(x + 2 * y, 3), (1, 1), 3),
    ],
)
def test_substitution_and_lagrange_agree(f, g, point, value):
    sub = constrained_minimum(f, g)
    lag = constrained_minimum(f, g, method="lagrange")
    assert sub.task.params["method"] == "substitution"
    assert sub.answer["point"] == lag.answer["point"] == point
    assert sub.answer["value"] == lag.answer["value"] == value
    assert any(s.rule == "lagrange_multiplier" for s in lag.steps)


def test_lagrange_on_a_circle():
    sol = constrained_minimum(x + y, x**2 + y**2 - 1)
    r = sympy.sqrt(2) / 2
    assert sol.answer["point"] == (-r, -r)
    assert sympy.simplify(sol.answer["value"] + sympy.sqrt(2)) == 0


def test_no_minimum_on_the_constraint():
    assert constrained_minimum(x * y, x + y - 1).answer["point"] is None
