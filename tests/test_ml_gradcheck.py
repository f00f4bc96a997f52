"""Gradient checking flags planted bugs and passes correct gradients."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from tutor.ml.gradcheck import gradient_check

x, y, z = sympy.symbols("x y z")


def test_correct_gradient_passes():
    sol = gradient_check(x**2 + 3 * x * y, lambda p: (2 * p[0] + 3 * p[1], 3 * p[0]), (1, 2))
    assert sol.answer["ok"] is True and sol.answer["flagged"] == ()
    assert all(r < 1e-6 for r in sol.answer["relative_errors"])


@pytest.mark.parametrize(
    ("grad", "bad"),
    [
        (lambda p: (2 * p[0] + 3 * p[1], 3 * p[1]), ("y",)),  # wrong variable
        (lambda p: (p[0] + 3 * p[1], 3 * p[0]), ("x",)),  # missing factor 2
        (lambda p: (-(2 * p[0] + 3 * p[1]), -3 * p[0]), ("x", "y")),  # wrong sign
    ],
)
def test_planted_bugs_are_flagged(grad, bad):
    sol = gradient_check(x**2 + 3 * x * y, grad, (1, 2))
    assert sol.answer["ok"] is False
    assert sol.answer["flagged"] == bad


def test_callables_and_separate_arguments():
    sol = gradient_check(lambda p: np.sum(p**2), lambda a, b, c: (2 * a, 2 * b, 2 * c), [1, -2, 3])
    assert sol.answer["ok"]
    sol = gradient_check(lambda t: t**3, lambda t: 3 * t * t, 2.0)
    assert sol.answer["ok"]
    sol = gradient_check(
        sympy.exp(x) * sympy.sin(y) + z,
        lambda p: (np.exp(p[0]) * np.sin(p[1]), np.exp(p[0]) * np.cos(p[1]), 1.0),
        (0.3, 0.7, 1.0),
    )
    assert sol.answer["ok"]


def test_a_crashing_gradient_is_reported():
    def grad(p):
        raise ZeroDivisionError("oops")

    with pytest.raises(ValueError, match="ZeroDivisionError"):
        gradient_check(x**2, grad, 1.0)
    with pytest.raises(ValueError, match="components"):
        gradient_check(x**2 + y**2, lambda p: (1.0,), (1, 1))
