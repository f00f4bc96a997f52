"""Gradient descent: exact iterates, stopping rules, diagnoses of constructed runs, stable η."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy

from tutor.core import Table
from tutor.functions import sigmoid
from tutor.ml.descent import (
    DIAGNOSES,
    MAX_EXACT_STEPS,
    diagnose,
    gradient_descent,
    max_stable_lr,
)

x, y = sympy.symbols("x y")
R = sympy.Rational


def _direct(f, xs, start, lr, steps, momentum=0):
    grad = [sympy.diff(f, v) for v in xs]
    pt = [sympy.nsimplify(s) for s in start]
    vel = [0] * len(xs)
    out = [tuple(pt)]
    for _ in range(steps):
        g = [gi.subs(dict(zip(xs, pt))) for gi in grad]
        vel = [momentum * v - lr * gi for v, gi in zip(vel, g)]
        pt = [p + v for p, v in zip(pt, vel)]
        out.append(tuple(pt))
    return out


@pytest.mark.parametrize(
    ("f", "start", "lr", "steps"),
    [
        (x**2 - 4 * x, 0, "0.1", 5),
        (x**4 - 3 * x, 1, "1/20", 4),
        (3 * x**2 + 2 * x - 1, -2, "0.25", 6),
        (x**2 + 3 * y**2 + x * y, (1, -1), "0.1", 5),
        ((x - 1) ** 2 + 10 * (y + 2) ** 2, (0, 0), "1/25", 8),
    ],
)
def test_iterates_equal_direct_computation(f, start, lr, steps):
    sol = gradient_descent(f, start, lr, steps)
    xs = sorted(f.free_symbols, key=lambda s: s.name)
    pts = start if isinstance(start, tuple) else (start,)
    expected = _direct(f, xs, pts, R(lr), steps)
    got = [p if isinstance(p, tuple) else (p,) for p in sol.answer]
    assert got == expected
    assert all(isinstance(c, sympy.Rational) for p in got for c in p)
    assert sol.task.kind == "gradient_descent"
    table = next(s for s in sol.steps if s.rule == "iteration_table").data["table"]
    assert isinstance(table, Table) and len(table.rows) == steps + 1
    for row, p in zip(table.rows, expected):
        k, xk, fk, gk, _ = row
        exact = f.subs(dict(zip(xs, p)))
        if isinstance(fk, sympy.Float):  # long fractions are shown rounded on the board
            assert float(fk) == pytest.approx(float(exact), rel=1e-5)
        else:
            assert fk == exact


def test_momentum_iterates():
    sol = gradient_descent(x**2, 1, "0.1", 6, momentum="0.5")
    assert sol.answer == [p[0] for p in _direct(x**2, [x], [1], R(1, 10), 6, R(1, 2))]


def test_float_inputs_give_floats():
    sol = gradient_descent(x**2 - 4 * x, 0.0, 0.1, 3)
    assert all(isinstance(v, float) for v in sol.answer)
    assert sol.answer[-1] == pytest.approx(2 - 2 * 0.8**3)


def test_exact_runs_are_capped_and_say_so():
    sol = gradient_descent(x**2, 1, "0.1", MAX_EXACT_STEPS + 10)
    assert isinstance(sol.answer[MAX_EXACT_STEPS], sympy.Rational)
    assert isinstance(sol.answer[-1], float)
    assert any(s.rule == "exact_cap" for s in sol.steps)
    # fast-growing fractions (x^4) switch to decimals instead of blowing up
    sol = gradient_descent(x**4, R(1, 3), "0.1", 40)
    assert any(s.rule == "exact_cap" for s in sol.steps)
    assert len(sol.answer) == 41


def test_transcendental_f_switches_to_decimals():
    sol = gradient_descent(sympy.exp(x) - 2 * x, 0, "0.1", 3)
    assert sol.answer[0] == 0 and sol.answer[1] == R(1, 10)
    assert isinstance(sol.answer[-1], float)


def test_stopping_rules():
    sol = gradient_descent(x**2, 1, "0.25", 100, tol="0.001")
    assert sol.steps[-2].after == "tol" and len(sol.answer) < 101
    assert abs(2 * sol.answer[-1]) < R(1, 1000)
    sol = gradient_descent(x**2, 1, "0.25", 100, step_tol="0.01")
    assert sol.steps[-2].after == "step_tol"
    sol = gradient_descent(x**2, 1.0, 3.0, 5000)
    assert sol.steps[-2].after == "diverged" and sol.answer[-1] is not None


def test_bad_input():
    with pytest.raises(ValueError):
        gradient_descent(x**2 + y**2, 1, "0.1", 3)
    with pytest.raises(ValueError):
        gradient_descent(x**2, 1, "-0.1", 3)


DIAGNOSIS_CASES = [
    ("converged", x**2 - 4 * x, 0, "0.1", 40),
    ("converged", x**2 + y**2, (1, 1), "0.2", 30),
    ("converged", (x - 1) ** 4 + (x - 1) ** 2, 3, "0.05", 60),
    ("diverging", x**2, 1, "1.1", 10),
    ("diverging", x**2 + 10 * y**2, (1, 1), "0.11", 10),
    ("diverging", x**4, 2, "0.5", 6),
    ("oscillating", x**2, 1, "0.95", 10),
    ("oscillating", x**2, 1, "1", 6),
    ("oscillating", x**2 + 10 * y**2, (1, 1), "0.098", 15),
    ("plateau", 1 - sympy.exp(-(x**2)), 3, "0.1", 20),
    ("plateau", (sigmoid(x) - 1) ** 2, -8, "0.5", 20),
    ("local_minimum", x**4 - 4 * x**2 + x, 2, "0.01", 80),
    ("local_minimum", (x**2 - 1) ** 2 + y**2 + x / 2, (1, 1), "0.05", 100),
    ("local_minimum", x**3 - 3 * x, 2, "0.05", 60),
    ("saddle_point", x**2 - y**2, (1, 0), "0.1", 60),
    ("saddle_point", x**3, 1, "0.1", 40),
    ("saddle_point", x**2 - y**2, (0, 0), "0.1", 3),
    ("saddle_point", x**2 - y**2, (1, "0.001"), "0.1", 30),
    ("diverging", x**2 - y**2, (1, "0.001"), "0.1", 80),
    ("diverging", -x + 1, 0, "0.1", 10),
    ("plateau", x**2 / (1 + x**2), 10, "0.1", 20),
    ("plateau", 1 - sympy.tanh(x), 5, "0.1", 20),
    ("slow", x**2, 1, "0.001", 10),
    ("slow", (x - 3) ** 2 + (y + 1) ** 2, (0, 0), "0.01", 20),
]


@pytest.mark.parametrize(("label", "f", "start", "lr", "steps"), DIAGNOSIS_CASES)
def test_diagnoses_of_constructed_runs(label, f, start, lr, steps):
    sol = diagnose(f, start, lr, steps)
    assert sol.answer == label, sol.steps[-1].text()
    assert sol.answer in DIAGNOSES
    assert sol.task.kind == "descent_diagnosis"
    assert sol.steps[-1].rule == "diagnosis" and sol.steps[-1].explanation


@pytest.mark.parametrize(
    "f",
    [x**2, 3 * x**2 - x + 1, x**2 + 3 * x * y + 5 * y**2, 2 * x**2 + 8 * y**2, x**2 + y**2 + x * y],
)
def test_max_stable_lr_is_two_over_largest_curvature(f):
    xs = sorted(f.free_symbols, key=lambda s: s.name)
    sol = max_stable_lr(f)
    H = np.array(sympy.hessian(f, xs).tolist(), dtype=float)
    assert float(sol.answer) == pytest.approx(2 / max(np.linalg.eigvalsh(H)))
    assert sol.task.kind == "max_stable_lr"
    start = tuple([1] * len(xs)) if len(xs) > 1 else 1
    below = float(sol.answer) * 0.9
    above = float(sol.answer) * 1.1
    assert diagnose(f, start, below, 200).answer in ("converged", "oscillating")
    assert diagnose(f, start, above, 60).answer == "diverging"


def test_max_stable_lr_needs_a_quadratic():
    with pytest.raises(ValueError):
        max_stable_lr(x**4)
    with pytest.raises(ValueError):
        max_stable_lr(-(x**2))


def test_solution_is_jsonable_and_deterministic():
    import json

    s1 = json.dumps(diagnose(x**4 - 4 * x**2 + x, 2, "0.01", 30).to_dict(), sort_keys=True)
    s2 = json.dumps(diagnose(x**4 - 4 * x**2 + x, 2, "0.01", 30).to_dict(), sort_keys=True)
    assert s1 == s2
    assert not math.isnan(len(s1))


def test_undefined_start_is_a_clear_error():
    with pytest.raises(ValueError, match="start"):
        gradient_descent(sympy.log(x), -1, "0.1", 3)


@pytest.mark.parametrize(
    "f", [sympy.Abs(x), sympy.sin(x) + x**2, sympy.exp(x) - 2 * x, sigmoid(x), x**2 * y**2]
)
@pytest.mark.parametrize("lr", ["0.01", "0.5", "3"])
def test_diagnose_always_answers(f, lr):
    start = (1, 2) if len(f.free_symbols) == 2 else "1/2"
    assert diagnose(f, start, lr, 12).answer in DIAGNOSES
