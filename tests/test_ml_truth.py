"""Regression tables for what the ML engines and their families state (issue 12, item 3):
plateaus are not convergence, no rate converges on a saddle, the logit gradient is σ(z) − y,
the MSE gradient starts from the loss written down and shows its substitution."""

from __future__ import annotations

import pytest
import sympy

import tutor
from tutor.functions import sigmoid
from tutor.ml import diagnose, max_stable_lr

PLATEAUS = [
    ("1 - exp(-x^2)", 2.5, "0.5", 50),
    ("1 - exp(-x^2)", 2.2, "0.5", 10),
    ("(x^2 - 1)^2/(1 + x^4)", 6, "0.1", 100),
    ("1 - exp(-x^2)", 3, "0.1", 20),
    ("x^2/(1 + x^2)", 10, "0.1", 100),
]


@pytest.mark.parametrize("f, start, lr, steps", PLATEAUS)
def test_plateau_runs_are_not_called_converged(f, start, lr, steps):
    assert diagnose(f, start, lr, steps).answer == "plateau"


CONVERGING = [("x^2", 3, "0.4", 20), ("x^2 + 3y^2", (1, 1), "0.1", 40), ("(x - 1)^2", 5, "0.3", 30)]


@pytest.mark.parametrize("f, start, lr, steps", CONVERGING)
def test_real_convergence_is_still_converged(f, start, lr, steps):
    assert diagnose(f, start, lr, steps).answer == "converged"


NO_RATE = ["x^2 - y^2", "-x^2", "x*y", "x^2 + y", "-(x^2 + y^2)"]


@pytest.mark.parametrize("f", NO_RATE)
def test_max_stable_lr_refuses_when_no_rate_converges(f):
    with pytest.raises(ValueError, match="no learning rate converges"):
        max_stable_lr(f)
    with pytest.raises(ValueError, match="no learning rate converges"):
        tutor.max_stable_lr(f)


RATES = [
    ("x^2", 1),
    ("x^2 + 3y^2", sympy.Rational(1, 3)),
    ("x^2 + x*y + y^2", sympy.Rational(2, 3)),
]


@pytest.mark.parametrize("f, bound", RATES)
def test_max_stable_lr_on_bowls(f, bound):
    assert max_stable_lr(f).answer == bound


@pytest.mark.parametrize("seed", range(6))
def test_bce_logit_gradient_is_the_error(seed):
    p = tutor.generate("loss-gradient", seed=seed, difficulty=3)
    steps = p.solution.steps
    z, y = p.given["z"], p.given["y"]
    assert any(
        s.rule == "cancel" and s.after == sigmoid(sympy.Symbol("z")) - sympy.Symbol("y")
        for s in steps
    )
    assert steps[-1].before == sigmoid(sympy.Symbol("z")) - y
    assert sympy.simplify(p.answer - (1 / (1 + sympy.exp(-z)) - y)) == 0


@pytest.mark.parametrize("seed", range(6))
def test_mse_gradient_writes_the_loss_then_substitutes(seed):
    p = tutor.generate("loss-gradient", seed=seed, difficulty=2)
    first, chain, last = p.solution.steps
    assert first.rule == "loss_value" and isinstance(first.data["L_is"].rhs, sympy.Mul)
    # the loss is written as (1/n)Σ(...)², not expanded
    assert any(a.is_Add and all(t.is_Pow for t in a.args) for a in first.after.args)
    w = sympy.Symbol("w")
    assert sympy.expand(chain.data["dl_is"].rhs.doit() - sympy.diff(first.after.doit(), w)) == 0
    shown = last.data["show"][0]
    assert shown.lhs.has(sympy.UnevaluatedExpr) and shown.rhs == p.answer
    assert sympy.simplify(shown.lhs.doit() - p.answer) == 0


RELU_GRAPHS = [
    ("relu(w*x + b)", {"w": 2, "x": 3, "b": -1}),
    ("relu(w1*x1 + b1)", {"w1": -2, "x1": 3, "b1": 1}),
    ("relu(relu(a*b) - c)", {"a": 1, "b": 2, "c": 1}),
]


@pytest.mark.parametrize("f, values", RELU_GRAPHS)
def test_relu_local_derivatives_are_readable(f, values):
    sol = tutor.backprop(f, values)
    for step in sol.walk():
        table = step.data.get("table")
        if table is None:
            continue
        for row in table.rows:
            for cell in row:
                assert not (isinstance(cell, sympy.Basic) and cell.has(sympy.Heaviside)), row


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("seed", range(4))
def test_lab_answers_asked_in_decimals_are_decimals(seed, difficulty):
    p = tutor.generate("lab-descent", seed=seed, difficulty=difficulty)
    assert isinstance(p.answer, sympy.Float) and "/" not in str(p.answer)
    assert tutor.check(
        f"{float(p.answer):.4f}", p.answer, kind=p.answer_kind, **p.check_options
    ).correct


@pytest.mark.parametrize("scenario", ["lr_too_big", "unscaled_features", "vanishing_gradient"])
def test_broken_setup_diagnosis_step_is_words(scenario):
    from tutor.ml import broken_setup

    sol = broken_setup(scenario, seed=1)
    (step,) = [s for s in sol.steps if s.rule == "diagnosis"]
    assert "_" not in step.after and sol.answer == scenario
