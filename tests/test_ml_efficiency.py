"""Vanishing gradients, the vectorised least-squares gradient, forward vs reverse mode."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from tutor.functions import sigmoid
from tutor.ml.efficiency import mode_costs, vanishing_gradient, vectorised_least_squares

w, x, b, y = sympy.symbols("w x b y")


@pytest.mark.parametrize("n", [1, 2, 5, 10])
def test_vanishing_gradient_at_zero_is_quarter_power(n):
    sol = vanishing_gradient(n)
    assert sol.answer == sympy.Rational(1, 4) ** n


@pytest.mark.parametrize("zs", [[1, 2], [-3, 0, 1], [5, 5, 5, 5]])
def test_vanishing_gradient_matches_chain_rule(zs):
    sol = vanishing_gradient(len(zs), zs)
    t = sympy.Symbol("t")
    oracle = sympy.prod(sympy.diff(sigmoid(t), t).subs(t, z) for z in zs)
    # the engine works σ(z) out as 1/(1 + e^(−z)); the oracle keeps σ: compare the values
    assert float(sol.answer) == pytest.approx(float(oracle), rel=1e-12)
    assert float(sol.answer) <= 0.25 ** len(zs)


@pytest.mark.parametrize("seed", range(5))
def test_vectorised_gradient_matches_numpy(seed):
    rng = np.random.default_rng(seed)
    n, d = 4, 3
    X = rng.integers(-3, 4, (n, d))
    yv = rng.integers(-3, 4, n)
    wv = rng.integers(-2, 3, d)
    sol = vectorised_least_squares(X.tolist(), yv.tolist(), wv.tolist())
    expected = 2 / n * X.T @ (X @ wv - yv)
    assert [float(g) for g in sol.answer] == pytest.approx(expected.tolist())
    assert all(isinstance(g, sympy.Rational) for g in sol.answer)
    assert any(s.rule == "loop_check" for s in sol.steps)


def test_vectorised_shape_errors():
    with pytest.raises(ValueError):
        vectorised_least_squares([[1, 2]], [1, 2], [1, 1])


@pytest.mark.parametrize(
    ("expr", "inputs", "edges"),
    [((w * x + b - y) ** 2, 4, 7), (sigmoid(w * x + b), 3, 5), (x * y + sympy.sin(x), 2, 5)],
)
def test_mode_costs(expr, inputs, edges):
    sol = mode_costs(expr)
    assert sol.answer == {
        "inputs": inputs,
        "edges": edges,
        "forward_mode": inputs * edges,
        "reverse_mode": edges,
    }
