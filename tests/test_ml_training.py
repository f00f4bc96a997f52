"""Training from scratch and the broken setups."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.ml.training import (
    BROKEN_SCENARIOS,
    broken_setup,
    make_data,
    train_linear,
    train_logistic,
)


@pytest.mark.parametrize("seed", range(3))
def test_linear_training_reduces_loss_and_reaches_least_squares(seed):
    x, y = make_data("linear", 30, seed=seed)
    sol = train_linear(x, y, 0.1, 200)
    hist = sol.answer["history"]
    assert hist[-1] < hist[0] and len(hist) == 201
    A = np.column_stack([x, np.ones_like(x)])
    best = np.linalg.lstsq(A, y, rcond=None)[0]
    assert sol.answer["w"] == pytest.approx(best[0], abs=1e-3)
    assert sol.answer["b"] == pytest.approx(best[1], abs=1e-3)


def test_training_is_deterministic():
    x, y = make_data("linear", 20, seed=7)
    x2, y2 = make_data("linear", 20, seed=7)
    assert np.array_equal(x, x2) and np.array_equal(y, y2)
    a = train_linear(x, y, 0.05, 30, seed=1).to_dict()
    b = train_linear(x, y, 0.05, 30, seed=1).to_dict()
    assert a == b


@pytest.mark.parametrize("seed", range(3))
def test_logistic_training_learns(seed):
    x, y = make_data("logistic", 40, seed=seed)
    sol = train_logistic(x, y, 0.5, 100)
    hist = sol.answer["history"]
    assert hist[-1] < hist[0]
    assert sol.answer["w"] > 0  # class 1 sits on the right
    assert sol.answer["accuracy"] > 0.7


def test_unscaled_data_has_two_features():
    x, y = make_data("unscaled", 10, seed=0)
    assert x.shape == (10, 2) and x[:, 1].max() > 100 * x[:, 0].max()


@pytest.mark.parametrize("scenario", BROKEN_SCENARIOS)
@pytest.mark.parametrize("seed", range(4))
def test_broken_setups_are_diagnosed_and_fixed(scenario, seed):
    sol = broken_setup(scenario, seed=seed)
    assert sol.answer == scenario
    before = next(s for s in sol.steps if s.rule == "training_run").data["history"]
    after = next(s for s in sol.steps if s.rule == "fix").data["history"]
    assert after[-1] < after[0]
    assert after[-1] < before[-1] or not np.isfinite(before[-1])
    if scenario in ("lr_too_big", "wrong_sign"):
        assert before[-1] > before[0]


def test_unknown_scenario():
    with pytest.raises(ValueError):
        broken_setup("bad_data", seed=0)
