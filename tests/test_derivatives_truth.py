"""Regression tables for statements the derivative engine makes (issue 12, item 3): ∂ in
partial derivatives, implicit steps in y and dy/dx, ln|g| to g'/g, the names a caller gives."""

from __future__ import annotations

import pytest
import sympy
from sympy import Abs, Symbol, log, sin, symbols

import tutor
from tutor.render.latex import render_solution as latex_solution
from tutor.render.text import render_solution
from tutor.steps.derivatives import differentiate, implicit_derivative
from tutor.steps.derivatives.notation import Partial

x, y = symbols("x y")

GRADIENTS = ["x^2*y + sin(x*y)", "exp(x*y) + y^3", "x/y + 3*y", "ln(x^2 + y^2)"]


@pytest.mark.parametrize("f", GRADIENTS)
def test_partial_derivatives_say_partial_throughout(f):
    sol = differentiate(f, wrt=["x", "y"])
    for part in sol.steps[:2]:
        v = part.data["x"]
        for step in part.walk()[1:]:
            if step.data.get("wrt") == v:
                (shown,) = step.data["show"]
                assert isinstance(shown.lhs, Partial), (step.rule, shown)
                assert sympy.simplify(shown.lhs.doit() - step.after) == 0
    text = render_solution(sol)
    assert "d/dx" not in text and "d/dy" not in text, text
    assert r"\frac{d}{d x}" not in latex_solution(sol)


IMPLICIT = ["x^2 + y^2 = 25", "x^3 + y^3 = 6*x*y", "sin(x*y) = x + y", "exp(y) + x*y = 1"]


@pytest.mark.parametrize("eq", IMPLICIT)
def test_implicit_steps_are_in_y_and_dydx(eq):
    sol = implicit_derivative(eq)
    text = render_solution(sol)
    assert "y(x)" not in text and "let u = y" not in text, text
    assert "dy/dx" in text
    # the data keep y(x) out; before/after still check by differentiation
    for step in sol.walk():
        for v in step.data.values():
            if isinstance(v, sympy.Basic):
                assert not v.has(sympy.Function("y")(x)), (step.rule, v)


LOG_ABS = [
    (log(Abs(x)), 1 / x),
    (log(Abs(x**2 - 1)), 2 * x / (x**2 - 1)),
    (log(Abs(sin(x))), sympy.cos(x) / sin(x)),
    (3 * log(Abs(2 * x + 1)), 6 / (2 * x + 1)),
]


@pytest.mark.parametrize("f, want", LOG_ABS)
def test_log_abs_differentiates_to_g_prime_over_g(f, want):
    sol = differentiate(f, "x")
    assert sympy.simplify(sol.answer - want) == 0
    assert not sol.answer.has(sympy.sign, Abs), sol.answer
    assert not sol.uses_cas


NAMES = [
    ("z1^2 + w1*z1", "z1", "2*z1 + w1"),
    ("w1*x1 + b", "w1", "x1"),
    ("w_1*x_1 + b", "w_1", "x_1"),
    ("theta0 + theta1*x", "theta1", "x"),
]


@pytest.mark.parametrize("f, wrt, want", NAMES)
def test_differentiate_treats_given_names_as_variables(f, wrt, want):
    answer = differentiate(f, wrt=wrt).answer
    names = {s.name: s for s in answer.free_symbols}
    expected = sympy.sympify(want, locals={n: Symbol(n) for n in names})
    assert answer == expected, answer


BACKPROP = [
    ("relu(w1*x1 + b1)", {"w1": 2, "x1": 3, "b1": -1}, {"w1": 3, "x1": 2, "b1": 1}),
    ("z1*z2 + w1", {"z1": 2, "z2": 3, "w1": -1}, {"z1": 3, "z2": 2, "w1": 1}),
]


@pytest.mark.parametrize("f, values, grads", BACKPROP)
def test_backprop_treats_given_names_as_variables(f, values, grads):
    assert tutor.backprop(f, values).answer == grads
