"""Training from scratch: linear and logistic regression by gradient descent on small generated
data (numpy, deterministic), with the loss history; and "a model that won't learn": broken
setups whose diagnosis and fix the engine derives from the run.

``make_data(kind, n, seed=...)`` returns ``(x, y)`` numpy arrays rounded to 2 decimals: x has
shape (n,) for "linear" and "logistic", (n, 2) for "unscaled".
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import sympy

from ..core import Solution, Step, Table, Task
from ._common import (
    SIGMA_PRIME,
    Approx,
    Assign,
    Chain,
    Notation,
    Ordered,
    Partial,
    Sigma,
    board,
    dec,
    eq,
    sig,
)

# Board notation: weights w, bias b, input x, prediction ŷ (or probability p), loss L.
_w, _b, _x, _p, _L, _n, _i = sympy.symbols("w b x p L n i")
_x_i, _y_i, _p_i = sympy.symbols("x_i y_i p_i")
_ETA, _g = sympy.symbols("eta g")
_YHAT = Notation("yhat", text="ŷ", latex=r"\hat{y}", typst="hat(y)")
_YHAT_I = Notation("yhat_i", text="ŷ_i", latex=r"\hat{y}_{i}", typst="hat(y)_i")
_NORM_G = Notation("|g|^2", text="‖g‖²", latex=r"\|g\|^{2}", typst="norm(g)^2")
_TWO_OVER_L = 2 / sympy.Symbol("L")


def _updates(lr: Any, sign: float = 1.0) -> dict[str, Any]:
    """The update rules for w and b with learning rate ``lr`` (a number or η)."""
    step = lr if isinstance(lr, sympy.Basic) else dec(lr)
    sgn = -1 if sign > 0 else 1
    return {
        v.name + "_rule": Assign(v, Ordered(v, sgn * Chain(step, Partial(_L, v)))) for v in (_w, _b)
    }


__all__ = ["BROKEN_SCENARIOS", "broken_setup", "make_data", "train_linear", "train_logistic"]

BROKEN_SCENARIOS = ("lr_too_big", "wrong_sign", "vanishing_gradient", "unscaled_features")


def make_data(kind: str, n: int, *, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A small data set: "linear" (y = w·x + b + noise), "logistic" (two overlapping classes
    0/1 on a line), "unscaled" (two features of scale 1 and 1000, y linear in both) or
    "positive" (like "linear" with x in [0, 2] and a positive slope)."""
    rng = np.random.default_rng(seed)
    n = int(n)
    if not 2 <= n <= 100_000:
        raise ValueError("n must be between 2 and 100000")
    if kind in ("linear", "positive"):
        w = float(rng.choice([1, 2, 3] if kind == "positive" else [-3, -2, -1, 1, 2, 3]))
        b = float(rng.integers(-2, 3))
        lo, hi = (0.0, 2.0) if kind == "positive" else (-2.0, 2.0)
        x = np.round(rng.uniform(lo, hi, n), 2)
        y = np.round(w * x + b + rng.normal(0, 0.3, n), 2)
        return x, y
    if kind == "logistic":
        labels = rng.integers(0, 2, n)
        x = np.round(np.where(labels == 1, 1.0, -1.0) + rng.normal(0, 0.8, n), 2)
        return x, labels.astype(float)
    if kind == "unscaled":
        x1 = rng.uniform(0, 1, n)
        x2 = rng.uniform(0, 1000, n)
        y = 2 * x1 + 0.003 * x2 + rng.normal(0, 0.1, n)
        return np.round(np.column_stack([x1, x2]), 2), np.round(y, 2)
    raise ValueError(f"unknown data kind {kind!r}: use linear, logistic, unscaled or positive")


def _design(xs: Any) -> np.ndarray:
    X = np.asarray(xs, dtype=float)
    return X.reshape(-1, 1) if X.ndim == 1 else X


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1 + np.tanh(0.5 * z))  # stable for large |z|


def _gd(
    X: np.ndarray,
    y: np.ndarray,
    lr: float,
    epochs: int,
    kind: str,
    w0: np.ndarray,
    sign: float = 1.0,
) -> tuple[np.ndarray, float, list[float], list[tuple[float, ...]]]:
    """Full-batch gradient descent; returns w, b, the loss history and the parameter history."""
    n = len(y)
    w, b = w0.copy(), 0.0
    hist: list[float] = []
    params: list[tuple[float, ...]] = []
    with np.errstate(all="ignore"):
        for epoch in range(epochs + 1):
            z = X @ w + b
            if kind == "linear":
                err = z - y
                loss = float(np.mean(err**2))
                gw, gb = 2 / n * X.T @ err, 2 / n * float(np.sum(err))
            else:
                p = _sigmoid(z)
                eps = 1e-12
                loss = float(-np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)))
                gw, gb = X.T @ (p - y) / n, float(np.sum(p - y)) / n
            hist.append(loss)
            params.append((*map(float, w), b))
            if not math.isfinite(loss) or loss > 1e100 or epoch == epochs:
                break
            w = w - sign * lr * gw
            b = b - sign * lr * gb
    return w, b, hist, params


def _table(hist: list[float], params: list[tuple[float, ...]], d: int) -> Table:
    last = len(hist) - 1
    every = max(1, last // 10)
    picks = sorted(set(range(0, last + 1, every)) | {last})
    wh = "w" if d == 1 else "w (vector)"
    rows = []
    for e in picks:
        p = params[e]
        w = sig(p[0], 6) if d == 1 else tuple(sig(v, 6) for v in p[:d])
        rows.append((e, _num(hist[e]), _nums(w), _num(p[d])))
    return Table(("epoch", "loss", wh, "b"), rows)


def _num(v: float) -> Any:
    """A float for the board: a 6-figure decimal (nan and inf as they are)."""
    return dec(v, 6)


def _nums(v: Any) -> Any:
    return tuple(_num(c) for c in v) if isinstance(v, tuple) else _num(v)


def _seed_w(d: int, seed: int | None) -> np.ndarray:
    if seed is None:
        return np.zeros(d)
    return np.round(np.random.default_rng(seed).normal(0, 0.1, d), 3)


def _loss_wb() -> Any:
    return sympy.Function("L")(_w, _b)


def _names(d: int) -> sympy.Tuple:
    """(w, b) with one feature, (w_1, ..., w_d, b) with several."""
    ws = [_w] if d == 1 else [sympy.Symbol(f"w_{k + 1}") for k in range(d)]
    return sympy.Tuple(*ws, _b)


def _answer(w: np.ndarray, b: float, hist: list[float]) -> dict[str, Any]:
    wv: Any = float(w[0]) if len(w) == 1 else tuple(float(v) for v in w)
    return {"w": wv, "b": float(b), "loss": hist[-1], "history": tuple(hist)}


def train_linear(xs: Any, ys: Any, lr: float, epochs: int, *, seed: int | None = None) -> Solution:
    """Fit y ≈ w·x + b by full-batch gradient descent on the mean squared error.

    Starts from w = 0, b = 0 (or small random weights from ``seed``).  Answer:
    ``{"w": float or tuple, "b": float, "loss": final loss, "history": losses per epoch}``.
    """
    X, y = _design(xs), np.asarray(ys, dtype=float)
    epochs = int(epochs)
    w, b, hist, params = _gd(X, y, float(lr), epochs, "linear", _seed_w(X.shape[1], seed))
    A = np.column_stack([X, np.ones(len(y))])
    best = np.linalg.lstsq(A, y, rcond=None)[0]
    best_loss = float(np.mean((A @ best - y) ** 2))
    steps = [
        Step(
            "model",
            explanation="The model is a line (a plane with several features): {model}.",
            data={"model": eq(_YHAT, Ordered(_w * _x, _b))},
        ),
        Step(
            "loss_value",
            explanation="Its error on the data is the mean squared error {L_is}.",
            data={"L_is": eq(_loss_wb(), Sigma(Ordered(_YHAT_I, -_y_i) ** 2, (_i, 1, _n)) / _n)},
        ),
        Step(
            "loss_gradient",
            explanation="Each weight moves every prediction, so {dw} and {db}.",
            data={
                "dw": eq(
                    Partial(_L, _w),
                    Chain(2 / _n, Sigma(Chain(Ordered(_YHAT_I, -_y_i), _x_i), (_i, 1, _n))),
                ),
                "db": eq(
                    Partial(_L, _b), Chain(2 / _n, Sigma(Ordered(_YHAT_I, -_y_i), (_i, 1, _n)))
                ),
            },
        ),
        Step(
            "update_rule",
            explanation="Each epoch steps against the gradient: {w_rule} and {b_rule}.",
            data={"eta": lr, **_updates(lr)},
        ),
        Step(
            "training_run",
            after=hist[-1],
            explanation="Running {epochs} epochs the loss goes from {first} to {last} (the "
            "table shows a selection of epochs).",
            data={
                "epochs": len(hist) - 1,
                "first": _num(hist[0]),
                "last": _num(hist[-1]),
                "table": _table(hist, params, X.shape[1]),
                "history": tuple(hist),
            },
        ),
        Step(
            "compare_exact",
            after=tuple(sig(v, 6) for v in best),
            explanation="For comparison, the exact least-squares fit (where the gradient is zero) "
            "is {fit} with loss {best_loss}.",
            data={
                "best": tuple(sig(v, 6) for v in best),
                "best_loss": _num(best_loss),
                "fit": eq(_names(X.shape[1]), sympy.Tuple(*(_num(v) for v in best))),
                "show": [],
            },
        ),
    ]
    task = Task(
        "train_linear",
        {"lr": lr, "epochs": epochs, "n": len(y), "seed": seed},
        "Train linear regression by gradient descent.",
    )
    return Solution(task, board(steps), _answer(w, b, hist))


def train_logistic(
    xs: Any, ys: Any, lr: float, epochs: int, *, seed: int | None = None
) -> Solution:
    """Fit P(y = 1 | x) = σ(w·x + b) by full-batch gradient descent on binary cross-entropy.

    Answer: ``{"w", "b", "loss", "history", "accuracy"}`` (accuracy with threshold 1/2).
    """
    from ..functions import sigmoid

    X, y = _design(xs), np.asarray(ys, dtype=float)
    epochs = int(epochs)
    w, b, hist, params = _gd(X, y, float(lr), epochs, "logistic", _seed_w(X.shape[1], seed))
    acc = float(np.mean(((X @ w + b) > 0) == (y > 0.5)))
    steps = [
        Step(
            "model",
            explanation="The model gives a probability: {model}.",
            data={"model": eq(_p, sigmoid(Ordered(_w * _x, _b)))},
        ),
        Step(
            "loss_value",
            explanation="Binary cross-entropy charges minus the log of the probability given to "
            "what happened: {L_is}.",
            data={
                "L_is": eq(
                    _L,
                    -Sigma(
                        Ordered(_y_i * sympy.log(_p_i), (1 - _y_i) * sympy.log(1 - _p_i)),
                        (_i, 1, _n),
                    )
                    / _n,
                )
            },
        ),
        Step(
            "loss_gradient",
            explanation="Through the sigmoid the gradient is just the error times the input: "
            "{dw} and {db}.",
            data={
                "dw": eq(Partial(_L, _w), Sigma(Chain(_p_i - _y_i, _x_i), (_i, 1, _n)) / _n),
                "db": eq(Partial(_L, _b), Sigma(_p_i - _y_i, (_i, 1, _n)) / _n),
            },
        ),
        Step(
            "update_rule",
            explanation="Each epoch steps against the gradient: {w_rule} and {b_rule}.",
            data={"eta": lr, **_updates(lr)},
        ),
        Step(
            "training_run",
            after=hist[-1],
            explanation="Running {epochs} epochs (the table shows a selection) the loss goes "
            "from {first} to {last}; the "
            f"model classifies {acc:.0%} of the examples right.",
            data={
                "epochs": len(hist) - 1,
                "first": _num(hist[0]),
                "last": _num(hist[-1]),
                "acc": f"{acc:.0%}",
                "table": _table(hist, params, X.shape[1]),
                "history": tuple(hist),
            },
        ),
    ]
    task = Task(
        "train_logistic",
        {"lr": lr, "epochs": epochs, "n": len(y), "seed": seed},
        "Train logistic regression by gradient descent.",
    )
    return Solution(task, board(steps), {**_answer(w, b, hist), "accuracy": acc})


# --------------------------------------------------------------------------- broken setups


def _curvature(X: np.ndarray) -> np.ndarray:
    """Eigenvalues of the MSE Hessian (2/n)·AᵀA, A = [X, 1]."""
    A = np.column_stack([X, np.ones(len(X))])
    return np.linalg.eigvalsh(2 / len(X) * A.T @ A)


def _chain(x: np.ndarray, y: np.ndarray, depth: int, act: str, lr: float, epochs: int) -> tuple:
    """A chain of ``depth`` one-unit layers a_k = act(w_k a_(k-1) + b_k) and a linear output,
    trained on MSE; returns the loss history and |∂L/∂w_1|, |∂L/∂w_out| at the start."""
    ws = np.ones(depth)
    bs = np.zeros(depth)
    wo, bo = 1.0, 0.0
    hist = []
    first = None
    n = len(y)
    for epoch in range(epochs + 1):
        a = [x]
        zs = []
        for k in range(depth):
            z = ws[k] * a[-1] + bs[k]
            zs.append(z)
            a.append(_sigmoid(z) if act == "sigmoid" else np.maximum(z, 0))
        out = wo * a[-1] + bo
        err = out - y
        hist.append(float(np.mean(err**2)))
        g_out = 2 / n * err
        gwo, gbo = float(np.sum(g_out * a[-1])), float(np.sum(g_out))
        delta = g_out * wo
        gws, gbs = np.zeros(depth), np.zeros(depth)
        for k in reversed(range(depth)):
            if act == "sigmoid":
                s = a[k + 1]
                delta = delta * s * (1 - s)
            else:
                delta = delta * (zs[k] > 0)
            gws[k] = float(np.sum(delta * a[k]))
            gbs[k] = float(np.sum(delta))
            delta = delta * ws[k]
        if first is None:
            first = (abs(gws[0]), abs(gwo))
        if epoch == epochs:
            break
        ws -= lr * gws
        bs -= lr * gbs
        wo -= lr * gwo
        bo -= lr * gbo
    return hist, first


def _diagnose(facts: dict[str, Any]) -> tuple[str, str]:
    """Name what is wrong from the facts of a run: (label, reason with placeholders)."""
    hist = facts["history"]
    grew = (not math.isfinite(hist[-1])) or hist[-1] > hist[0]
    if grew and facts.get("lr") is not None and facts["lr"] > facts["bound"]:
        return "lr_too_big", (
            "The loss grows by a factor every epoch: the learning rate {lr} is above "
            "{bound_is}, where {L_is} is the largest curvature of the loss, so each step "
            "overshoots the valley by more than it corrects."
        )
    if grew:
        return "wrong_sign", (
            "The loss goes up from the very first step although {lr_is} is below the stable "
            "limit {bound_is}: a small step against the gradient {g} always lowers the loss, "
            "{descent}, so the update must be going with the gradient."
        )
    ratio = facts.get("grad_ratio")
    if ratio is not None and ratio < 1e-2:
        return "vanishing_gradient", (
            "The loss stalls near {const}, what predicting the average gives, and the gradient "
            "reaching the first layer is only {grad_ratio} times the last layer's: each of the "
            "{depth} sigmoids multiplies it by a slope {slope_bound}, so the early layers hardly "
            "learn."
        )
    cond = facts.get("condition")
    if cond is not None and cond > 1e3:
        return "unscaled_features", (
            "The loss crawls: the features have very different scales, so the curvature is "
            "{condition} times larger along one direction than another. The learning rate must "
            "stay below {bound_is} for the steep direction, which is far too small for the flat "
            "one."
        )
    return "none", "The loss goes down steadily: nothing is wrong with this run."


def broken_setup(scenario: str, *, seed: int) -> Solution:
    """A training setup that won't learn, its loss history, the diagnosis derived from the run
    and the fix, run again.  ``scenario`` is one of ``BROKEN_SCENARIOS``; the answer is the
    diagnosis, one of those names (a ``choice``)."""
    if scenario not in BROKEN_SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}: use one of {', '.join(BROKEN_SCENARIOS)}")
    epochs = 20
    facts: dict[str, Any] = {}
    before: list[float]
    after: list[float]
    if scenario in ("lr_too_big", "wrong_sign"):
        x, y = make_data("linear", 20, seed=seed)
        X = _design(x)
        L = float(_curvature(X).max())
        bound = 2 / L
        lr = sig(1.3 * bound, 2) if scenario == "lr_too_big" else sig(0.5 * bound, 2)
        sign = -1.0 if scenario == "wrong_sign" else 1.0
        before = _gd(X, y, lr, epochs, "linear", np.zeros(1), sign)[2]
        fixed_lr = sig(0.5 * bound, 2)
        after = _gd(X, y, fixed_lr, epochs, "linear", np.zeros(1))[2]
        facts = {"lr": lr, "bound": sig(bound, 4), "L": sig(L, 4)}
        setup = (
            "Linear regression on {n} points, learning rate {lr}, {epochs} epochs, update {rule}."
        )
        fix = (
            "Use a learning rate below {two_over_L}, for example {fixed}; the loss then falls."
            if scenario == "lr_too_big"
            else "Step against the gradient, {good_rule} (and the same for {b}); the loss then "
            "falls."
        )
        facts["fixed"] = fixed_lr
        facts["rule"] = _updates(_ETA, sign)["w_rule"]
    elif scenario == "vanishing_gradient":
        x, y = make_data("positive", 20, seed=seed)
        depth = 6
        before, (g1, gout) = _chain(x, y, depth, "sigmoid", 0.1, epochs * 5)
        after, _ = _chain(x, y, depth, "relu", 0.01, epochs * 5)
        lr = 0.1
        facts = {
            "grad_ratio": sig(g1 / gout, 2),
            "depth": depth,
            "const": sig(float(np.var(y)), 4),
            "lr": lr,
        }
        setup = (
            "A chain of {depth} sigmoid layers (one unit each) and a linear output, trained on "
            "{n} points with learning rate {lr}."
        )
        fix = (
            "Replace the hidden sigmoids by ReLU (slope 1 where active) or use fewer layers; "
            "with ReLU the loss falls from {a0} to {a1}, well below {const}, the loss of always "
            "predicting the average."
        )
    else:
        x, y = make_data("unscaled", 30, seed=seed)
        X = _design(x)
        eig = _curvature(X)
        L = float(eig.max())
        bound = 2 / L
        lr = sig(0.9 * bound, 2)
        before = _gd(X, y, lr, epochs * 5, "linear", np.zeros(2))[2]
        Xs = (X - X.mean(axis=0)) / X.std(axis=0)
        bound_s = 2 / float(_curvature(Xs).max())
        after = _gd(Xs, y, sig(0.5 * bound_s, 2), epochs * 5, "linear", np.zeros(2))[2]
        facts = {
            "condition": sig(float(eig.max() / eig.min()), 2),
            "bound": sig(bound, 2),
            "lr": None,
        }
        setup = (
            "Linear regression with two features, one between 0 and 1 and one between 0 and "
            "1000, learning rate {lr2}, {epochs2} epochs."
        )
        facts["lr2"] = lr
        fix = (
            "Standardise each feature (subtract its mean, divide by its standard deviation); "
            "the curvatures become comparable and the loss falls from {a0} to {a1}."
        )
    facts["history"] = before
    label, reason = _diagnose(facts)
    shown = {k: dec(v, 4) if isinstance(v, float) else v for k, v in facts.items()}
    del shown["history"]
    shown.update(
        {
            "n": len(y),
            "epochs": epochs,
            "epochs2": len(before) - 1,
            "a0": dec(after[0], 4),
            "a1": dec(after[-1], 4),
            "two_over_L": _TWO_OVER_L,
            "b": _b,
            "g": _g,
            "good_rule": _updates(_ETA)["w_rule"],
            "slope_bound": sympy.LessThan(SIGMA_PRIME, sympy.Rational(1, 4)),
            "descent": Approx(
                sympy.Function("L")(Ordered(_w, -_ETA * _g)),
                Ordered(sympy.Function("L")(_w), -_ETA * _NORM_G),
            ),
        }
    )
    if facts.get("bound") is not None:
        shown["bound_is"] = eq(_TWO_OVER_L, dec(facts["bound"], 4))
    if facts.get("L") is not None:
        shown["L_is"] = eq(sympy.Symbol("L"), dec(facts["L"], 4))
    if facts.get("lr") is not None:
        shown["lr_is"] = eq(_ETA, dec(facts["lr"], 4))
    steps = [
        Step("setup", explanation=setup, data=shown),
        Step(
            "training_run",
            after=before[-1],
            explanation="The loss per epoch: it goes from {l0} to {l1}.",
            data={
                "l0": dec(before[0], 4),
                "l1": dec(before[-1], 4),
                "history": tuple(before),
                "table": _history_table(before),
            },
        ),
        # the step shows the diagnosis in words; the answer keeps the stable id
        Step("diagnosis", after=label.replace("_", " "), explanation=reason, data=shown),
        Step(
            "fix",
            explanation=fix,
            data={**shown, "history": tuple(after), "table": _history_table(after)},
        ),
    ]
    task = Task(
        "broken_setup",
        {"scenario": scenario, "seed": seed, "lr": lr, "choices": BROKEN_SCENARIOS},
        "This model won't learn: what is wrong, and how do we fix it?",
    )
    return Solution(task, board(steps), label)


def _history_table(hist: list[float]) -> Table:
    last = len(hist) - 1
    every = max(1, last // 10)
    picks = sorted(set(range(0, last + 1, every)) | {last})
    return Table(("epoch", "loss"), [(e, _num(hist[e])) for e in picks])
