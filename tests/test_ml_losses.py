"""Loss functions: exact values and gradients against sympy and finite differences."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from tutor.functions import elementary, sigmoid
from tutor.ml.losses import loss, sigmoid_bce_gradient, softmax_ce_gradient

R = sympy.Rational


def _np_loss(name, p, y):
    p, y = np.asarray(p, float), np.asarray(y, float)
    if name == "mse":
        return np.mean((p - y) ** 2)
    if name == "mae":
        return np.mean(np.abs(p - y))
    if name == "bce":
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    z = p - p.max()
    return -np.sum(y * (z - np.log(np.sum(np.exp(z)))))


CASES = [
    ("mse", [0.5, 0.8], [1, 0]),
    ("mse", [1.5, -2.0, 0.25], [1, 0, 2]),
    ("mae", [0.5, 0.8, -1.0], [1, 0, 2]),
    ("bce", [0.5, 0.75], [1, 0]),
    ("bce", [0.9, 0.2, 0.6], [1, 0, 1]),
    ("softmax_ce", [1.0, 2.0, 0.5], [0, 1, 0]),
    ("softmax_ce", [0.1, -0.3, 2.0, 1.0], [0, 0, 0, 1]),
]


@pytest.mark.parametrize(("name", "p", "y"), CASES)
def test_gradient_equals_finite_differences(name, p, y):
    sol = loss(name, p, y)
    assert float(sol.answer["value"]) == pytest.approx(_np_loss(name, p, y), rel=1e-12)
    h = 1e-6
    for i in range(len(p)):
        up, down = list(p), list(p)
        up[i] += h
        down[i] -= h
        fd = (_np_loss(name, up, y) - _np_loss(name, down, y)) / (2 * h)
        assert float(sol.answer["gradient"][i]) == pytest.approx(fd, rel=1e-5, abs=1e-8)
    assert sol.task.kind == "loss"
    assert [s.rule for s in sol.steps if s.rule.startswith("loss")] == [
        "loss_value",
        "loss_gradient",
    ]


@pytest.mark.parametrize("name", ["mse", "mae", "bce"])
def test_exact_inputs_give_exact_answers_equal_to_sympy(name):
    p = [R(1, 2), R(3, 4), R(1, 5)]
    y = [1, 0, 1]
    ps = sympy.symbols("p1:4", real=True)
    n = 3
    if name == "mse":
        L = sum((a - b) ** 2 for a, b in zip(ps, y)) / n
    elif name == "mae":
        L = sum(sympy.Abs(a - b) for a, b in zip(ps, y)) / n
    else:
        L = -sum(b * sympy.log(a) + (1 - b) * sympy.log(1 - a) for a, b in zip(ps, y)) / n
    sub = dict(zip(ps, p))
    sol = loss(name, ["1/2", "0.75", "0.2"], y)
    assert sympy.simplify(sol.answer["value"] - L.subs(sub)) == 0
    for i, g in enumerate(sol.answer["gradient"]):
        assert sympy.simplify(g - sympy.diff(L, ps[i]).subs(sub)) == 0


def test_bce_logit_gradient_is_error_over_n():
    sol = loss("bce", ["1/2", "3/4"], [1, 0])
    assert sol.answer["logit_gradient"] == (R(-1, 4), R(3, 8))
    sol = loss("bce", [0, 2], [1, 0], logits=True)
    z = sympy.symbols("z1:3")
    L = -(sympy.log(sigmoid(z[0])) + sympy.log(1 - sigmoid(z[1]))) / 2
    for i, g in enumerate(sol.answer["gradient"]):
        exact = sympy.diff(L, z[i]).subs({z[0]: 0, z[1]: 2})
        assert sympy.simplify(elementary(g - exact)) == 0


def test_softmax_with_class_index_and_exact_logits():
    sol = loss("softmax_ce", [1, 2, 3], 2)
    probs = sol.answer["probabilities"]
    assert sympy.simplify(sum(probs) - 1) == 0
    assert sympy.simplify(sum(sol.answer["gradient"])) == 0
    assert sympy.simplify(sol.answer["value"] + sympy.log(probs[2])) == 0


def test_sigmoid_bce_derivation():
    sol = sigmoid_bce_gradient()
    z, y = sympy.symbols("z y")
    L = -(y * sympy.log(sigmoid(z)) + (1 - y) * sympy.log(1 - sigmoid(z)))
    assert sympy.simplify(elementary(sympy.diff(L, z) - sol.answer)) == 0
    assert sol.answer == sigmoid(z) - y


@pytest.mark.parametrize("k", [2, 3, 4])
def test_softmax_ce_derivation(k):
    sol = softmax_ce_gradient(k)
    zs = sympy.symbols(f"z1:{k + 1}")
    ys = sympy.symbols(f"y1:{k + 1}")
    total = sum(sympy.exp(v) for v in zs)
    L = -sum(b * sympy.log(sympy.exp(v) / total) for b, v in zip(ys, zs))
    for j in range(k):
        d = sympy.diff(L, zs[j]) - sol.answer[j]
        # with a one-hot target (sum of y = 1) the difference vanishes
        d = d.subs(ys[-1], 1 - sum(ys[:-1]))
        assert sympy.simplify(d) == 0


@pytest.mark.parametrize(
    ("name", "p", "y"),
    [
        ("bce", [0, 0.5], [1, 0]),
        ("mse", [1, 2], [1]),
        ("huber", [1], [1]),
        ("softmax_ce", [1, 2], 5),
    ],
)
def test_bad_inputs_are_clear_errors(name, p, y):
    with pytest.raises(ValueError):
        loss(name, p, y)
