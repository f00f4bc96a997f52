"""Loss functions: the value and the gradient for given predictions and targets, in steps.

``loss(name, predictions, targets)`` for "mse", "mae", "bce" and "softmax_ce".  The answer is
a dict: ``"value"`` (an exact number when the inputs are exact; graded with the checker's
``number`` kind) and ``"gradient"`` (a tuple, ∂L/∂prediction_i; graded with ``list``).  For
"bce" and "softmax_ce" it also has ``"logit_gradient"`` (∂L/∂z_i, a tuple), and "softmax_ce"
has ``"probabilities"``.  ``sigmoid_bce_gradient()`` and ``softmax_ce_gradient()`` derive
dL/dz = σ(z) − y and softmax(z) − one-hot symbolically.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import sympy

from ..core import Solution, Step, Table, Task
from ._common import (
    SIGMA_PRIME,
    Chain,
    Ordered,
    Partial,
    Sigma,
    Slope,
    board,
    dec,
    eq,
    is_exact,
    listing,
    to_number,
)

__all__ = ["LOSSES", "loss", "sigmoid_bce_gradient", "softmax_ce_gradient"]

LOSSES = ("mse", "mae", "bce", "softmax_ce")
_TITLES = {
    "mse": "mean squared error",
    "mae": "mean absolute error",
    "bce": "binary cross-entropy",
    "softmax_ce": "softmax cross-entropy",
}


# Board notation: example i (class j) of n (K), prediction p, target y, logit z, loss L.
_i, _j, _n, _K = sympy.symbols("i j n K")
_p, _y, _z, _L = sympy.symbols("p_i y_i z_i L")
_pj, _yj, _zj = sympy.symbols("p_j y_j z_j")


def _numbers(values: Any, what: str) -> list[Any]:
    if isinstance(values, str):
        values = [v for v in values.split(",") if v.strip()]
    if not isinstance(values, (list, tuple)) and not hasattr(values, "tolist"):
        values = [values]
    if hasattr(values, "tolist"):
        values = values.tolist()
    out = [to_number(v) for v in values]
    if not out:
        raise ValueError(f"no {what} given")
    return out


def _approx(v: Any) -> Any:
    if isinstance(v, sympy.Basic) and not v.is_Rational and not isinstance(v, sympy.Float):
        return dec(float(sympy.N(v)), 6)
    return ""


def _finish(v: Any, floats: bool) -> Any:
    if floats:
        return sympy.N(v, 15)
    return _simplified(v) if not v.is_Rational else v


@lru_cache(maxsize=1024)
def _simplified(v: Any) -> Any:
    """``sympy.simplify(v)``, remembered: softmax and cross-entropy simplify the same few exact
    values again and again (the gradient of a class with target 0 is its probability), and one
    simplify of a ratio of exponentials costs a tenth of a second."""
    return sympy.simplify(v)


def loss(name: str, predictions: Any, targets: Any, *, logits: bool = False) -> Solution:
    """The value of loss ``name`` and its gradient with respect to the predictions, in steps.

    "mse" (1/n)Σ(p − y)², "mae" (1/n)Σ|p − y|, "bce" −(1/n)Σ[y log p + (1 − y) log(1 − p)] with
    probabilities p (or logits z with ``logits=True``, p = σ(z)), and "softmax_ce" −log
    softmax(z)_c for one vector of logits z and a target class (index from 0) or one-hot vector.
    """
    key = name.lower().replace("-", "_")
    key = {"cross_entropy": "softmax_ce", "ce": "softmax_ce", "l2": "mse", "l1": "mae"}.get(
        key, key
    )
    if key not in LOSSES:
        raise ValueError(f"unknown loss {name!r}: use one of {', '.join(LOSSES)}")
    p = _numbers(predictions, "predictions")
    if key == "softmax_ce":
        y = _one_hot(targets, len(p))
    else:
        y = _numbers(targets, "targets")
    if len(p) != len(y):
        raise ValueError(f"{len(p)} predictions but {len(y)} targets")
    floats = not all(is_exact(v) for v in (*p, *y))
    task = Task(
        "loss",
        {
            "name": key,
            "predictions": tuple(p),
            "targets": tuple(y),
            "logits": logits,
            "title": _TITLES[key],
            "given": "logits" if logits or key == "softmax_ce" else "predictions",
        },
        "Find the "
        + _TITLES[key]
        + " and its gradient for "
        + ("logits" if logits or key == "softmax_ce" else "predictions")
        + " {predictions} and targets {targets}.",
    )
    builder = {"mse": _mse, "mae": _mae, "bce": _bce, "softmax_ce": _softmax_ce}[key]
    steps, answer = builder(p, y, floats, logits)
    return Solution(task, board(steps), answer)


def _one_hot(targets: Any, k: int) -> list[Any]:
    if isinstance(targets, int) or (isinstance(targets, str) and "," not in targets):
        c = int(to_number(targets))
        if not 0 <= c < k:
            raise ValueError(f"the target class must be between 0 and {k - 1}")
        return [sympy.Integer(int(i == c)) for i in range(k)]
    y = _numbers(targets, "targets")
    if sum(y) != 1 or any(v < 0 for v in y):
        raise ValueError("a softmax target must be a class index or a one-hot (probability) vector")
    return y


def _mse(p: list, y: list, floats: bool, logits: bool) -> tuple[list[Step], dict]:
    n = len(p)
    err = [a - b for a, b in zip(p, y)]
    value = _finish(sympy.Add(*[e**2 for e in err]) / n, floats)
    grad = tuple(_finish(2 * e / n, floats) for e in err)
    rows = [(i + 1, a, b, e, e**2) for i, (a, b, e) in enumerate(zip(p, y, err))]
    steps = [
        Step(
            "loss_value",
            after=value,
            explanation="Mean squared error: square each error (prediction minus target) so big "
            "misses count more, then average: {L_is}.",
            data={
                "value": value,
                "L_is": eq(_L, Sigma((_p - _y) ** 2, (_i, 1, _n)) / _n, value),
                "table": Table(("i", "p_i", "y_i", "error", "squared"), rows),
            },
        ),
        Step(
            "loss_gradient",
            after=grad,
            explanation="Each prediction moves only its own term: {slope}, so the gradient is "
            "{grad}; it points from the targets towards the predictions, and descent pulls each "
            "prediction back.",
            data={"grad": sympy.Tuple(*grad), "slope": eq(Partial(_L, _p), Chain(2 / _n, _p - _y))},
        ),
    ]
    return steps, {"value": value, "gradient": grad}


def _mae(p: list, y: list, floats: bool, logits: bool) -> tuple[list[Step], dict]:
    n = len(p)
    err = [a - b for a, b in zip(p, y)]
    value = _finish(sympy.Add(*[abs(e) for e in err]) / n, floats)
    grad = tuple(_finish(sympy.sign(e) / n, floats) for e in err)
    rows = [(i + 1, a, b, e, abs(e)) for i, (a, b, e) in enumerate(zip(p, y, err))]
    ties = [i + 1 for i, e in enumerate(err) if e == 0]
    tied, tie_data = listing([eq(_i, t) for t in ties], "tie")
    steps = [
        Step(
            "loss_value",
            after=value,
            explanation="Mean absolute error: average the sizes of the errors, every miss counted "
            "in proportion: {L_is}.",
            data={
                "value": value,
                "L_is": eq(_L, Sigma(sympy.Abs(_p - _y), (_i, 1, _n)) / _n, value),
                "table": Table(("i", "p_i", "y_i", "error", "size"), rows),
            },
        ),
        Step(
            "loss_gradient",
            after=grad,
            explanation="The size of an error has slope 1 or −1, whatever the size: {slope}, "
            "giving {grad}."
            + (
                " Where an error is 0 (at " + tied + ") the size has a corner; we use the "
                "subgradient 0."
                if ties
                else ""
            ),
            data={
                "grad": sympy.Tuple(*grad),
                "ties": ", ".join(map(str, ties)),
                "slope": eq(Partial(_L, _p), sympy.sign(_p - _y) / _n),
                **tie_data,
            },
        ),
    ]
    return steps, {"value": value, "gradient": grad}


def _bce(p: list, y: list, floats: bool, logits: bool) -> tuple[list[Step], dict]:
    from ..functions import sigmoid

    P, Y, Z = sympy.symbols("p y z")
    n = len(p)
    z = None
    if logits:
        z = p
        p = [sigmoid(v) if not floats else sympy.N(sigmoid(v), 15) for v in z]
    for v in p:
        if not logits and not (0 < v < 1):
            raise ValueError("binary cross-entropy needs probabilities strictly between 0 and 1")
    terms = [-(b * sympy.log(a) + (1 - b) * sympy.log(1 - a)) for a, b in zip(p, y)]
    value = _finish(sympy.Add(*terms) / n, floats)
    dz = tuple(_finish((a - b) / n, floats) for a, b in zip(p, y))
    dp = tuple(_finish((a - b) / (n * a * (1 - a)), floats) for a, b in zip(p, y))
    rows = [
        (i + 1, a, b, _finish(t, floats), _approx(t))
        for i, (a, b, t) in enumerate(zip(p, y, terms))
    ]
    steps: list[Step] = []
    if logits:
        steps.append(
            Step(
                "sigmoid",
                before=sympy.Tuple(*z),
                after=sympy.Tuple(*p),
                explanation="The logits become probabilities through the sigmoid: {p_is}.",
                data={"p_is": eq(_p, sigmoid(_z))},
            )
        )
    steps += [
        Step(
            "loss_value",
            after=value,
            explanation="Binary cross-entropy charges minus the log of the probability given to "
            "what happened: {hit} when {y1} and {miss} when {y0}; averaged, {L_is}.",
            data={
                "value": value,
                "approx": _approx(value),
                "hit": -sympy.log(P),
                "miss": -sympy.log(1 - P),
                "y1": eq(Y, 1),
                "y0": eq(Y, 0),
                "L_is": eq(_L, value),
                "table": Table(("i", "p_i", "y_i", "loss term", "approx."), rows),
            },
        ),
        Step(
            "loss_gradient",
            after=dp,
            explanation="Differentiating each term in its probability, {slope}, giving {grad}; it "
            "blows up as a confident prediction goes wrong.",
            data={
                "grad": sympy.Tuple(*dp),
                "slope": eq(Partial(_L, _p), (_p - _y) / (_n * Chain(_p, 1 - _p))),
            },
        ),
        Step(
            "chain_rule",
            after=dz,
            explanation="Through the sigmoid {p_is}, whose slope is {slope}, the factors cancel: "
            "{dz}, giving {grad}, just the error.",
            substeps=sigmoid_bce_gradient().steps,
            data={
                "grad": sympy.Tuple(*dz),
                "p_is": eq(P, sigmoid(Z)),
                "slope": eq(SIGMA_PRIME, Chain(P, 1 - P)),
                "dz": eq(Partial(_L, _z), (_p - _y) / _n),
            },
        ),
    ]
    answer = {"value": value, "gradient": dz if logits else dp, "logit_gradient": dz}
    return steps, answer


def _softmax_ce(p: list, y: list, floats: bool, logits: bool) -> tuple[list[Step], dict]:
    z = p
    exps = [sympy.exp(v) for v in z]
    total = sympy.Add(*exps)
    probs = tuple(_finish(e / total, floats) for e in exps)
    value = _finish(sympy.log(total) - sympy.Add(*[b * v for b, v in zip(y, z)]), floats)
    grad = tuple(_finish(e / total - b, floats) for e, b in zip(exps, y))
    rows = [
        (j + 1, v, e, pr, _approx(pr), b) for j, (v, e, pr, b) in enumerate(zip(z, exps, probs, y))
    ]
    steps = [
        Step(
            "softmax",
            before=sympy.Tuple(*z),
            after=sympy.Tuple(*probs),
            explanation="Softmax turns the scores into probabilities: exponentiate (all positive) "
            "and divide by the total {total} so they add up to 1.",
            data={
                "total": total,
                "table": Table(("j", "z_j", "exp(z_j)", "p_j", "approx.", "y_j"), rows),
            },
        ),
        Step(
            "loss_value",
            after=value,
            explanation="Cross-entropy is minus the log of the probability given to the right "
            "class; written in the logits, {L_is}.",
            data={
                "value": value,
                "approx": _approx(value),
                "L_is": eq(
                    _L,
                    Ordered(
                        sympy.log(Sigma(sympy.exp(_zj), (_j, 1, _K))),
                        -Sigma(_yj * _zj, (_j, 1, _K)),
                    ),
                    value,
                ),
            },
        ),
        Step(
            "loss_gradient",
            after=grad,
            explanation="The slope is {slope}: the probabilities minus the one-hot target, so "
            "descent raises the right class's score and lowers the others: {grad}.",
            substeps=softmax_ce_gradient(len(z)).steps,
            data={"grad": sympy.Tuple(*grad), "slope": eq(Partial(_L, _zj), _pj - _yj)},
        ),
    ]
    return steps, {"value": value, "gradient": grad, "logit_gradient": grad, "probabilities": probs}


def sigmoid_bce_gradient() -> Solution:
    """Derive dL/dz = σ(z) − y for the binary cross-entropy of p = σ(z)."""
    from ..functions import sigmoid

    z, y, p = sympy.symbols("z y p")
    L_p = -(y * sympy.log(p) + (1 - y) * sympy.log(1 - p))
    dL_dp = sympy.diff(L_p, p)
    dL_dp_simple = sympy.factor(sympy.together(dL_dp))
    dp_dz = p * (1 - p)
    result = sigmoid(z) - y
    steps = [
        Step(
            "loss_value",
            after=L_p,
            explanation="The loss of one example with probability {p_is}: {L_is}.",
            data={"L": L_p, "p_is": eq(p, sigmoid(z)), "L_is": eq(_L, L_p)},
        ),
        Step(
            "chain_rule",
            explanation="{z} changes {p}, and {p} changes {L}, so {chain}.",
            data={
                "z": z,
                "p": p,
                "L": _L,
                "chain": eq(Slope(_L, z), Chain(Slope(_L, p), Slope(p, z))),
                "show": [],
            },
        ),
        Step(
            "loss_gradient",
            before=L_p,
            after=dL_dp_simple,
            explanation="Differentiating in {p}, {raw}, which over a common denominator is "
            "{simple}.",
            data={"p": p, "raw": eq(Slope(_L, p), dL_dp), "simple": dL_dp_simple},
        ),
        Step(
            "sigmoid_derivative",
            before=sigmoid(z),
            after=dp_dz,
            explanation="The sigmoid's slope is {slope}.",
            data={
                "dp": dp_dz,
                "slope": eq(SIGMA_PRIME, Chain(sigmoid(z), 1 - sigmoid(z)), dp_dz),
            },
        ),
        Step(
            "cancel",
            before=sympy.Mul(dL_dp_simple, dp_dz, evaluate=False),
            after=result,
            explanation="Multiplying, {factor} cancels: {dz}, the error itself.",
            data={
                "result": result,
                "factor": dp_dz,
                "dz": eq(Slope(_L, z), p - y, Ordered(sigmoid(z), -y)),
                "show": [eq(Chain(dL_dp_simple, dp_dz), p - y)],
            },
        ),
    ]
    task = Task(
        "loss_derivation",
        {"name": "bce", "claim": eq(Slope(_L, z), Ordered(sigmoid(z), -y))},
        "Show that {claim}.",
    )
    return Solution(task, board(steps), result)


def softmax_ce_gradient(k: int = 3) -> Solution:
    """Derive ∂L/∂z_j = softmax(z)_j − y_j for cross-entropy with a one-hot target (k classes)."""
    if not 2 <= k <= 10:
        raise ValueError("use between 2 and 10 classes")
    zs = sympy.symbols(f"z1:{k + 1}")
    ys = sympy.symbols(f"y1:{k + 1}")
    total = sympy.Add(*[sympy.exp(v) for v in zs])
    L = -sympy.Add(*[b * (v - sympy.log(total)) for b, v in zip(ys, zs)])
    L_onehot = sympy.log(total) - sympy.Add(*[b * v for b, v in zip(ys, zs)])
    grad = tuple(sympy.exp(v) / total - b for v, b in zip(zs, ys))
    lse = sympy.log(Sigma(sympy.exp(_z), (_i, 1, _K)))
    p_is = eq(_pj, sympy.exp(_zj) / Sigma(sympy.exp(_z), (_i, 1, _K)))
    steps = [
        Step(
            "loss_value",
            explanation="With the softmax probabilities {p_is}, the loss is {L_is}.",
            data={"p_is": p_is, "L_is": eq(_L, -Sigma(_yj * sympy.log(_pj), (_j, 1, _K)))},
        ),
        Step(
            "log_softmax",
            after=L,
            explanation="The log undoes the exponential, {log_p}, so {L_is}.",
            data={
                "L": L,
                "log_p": eq(sympy.log(_pj), Ordered(_zj, -lse)),
                "L_is": eq(_L, L),
            },
        ),
        Step(
            "one_hot",
            before=L,
            after=L_onehot,
            explanation="A one-hot target has {ones}, so {L1}.",
            data={
                "L1": eq(_L, Ordered(sympy.log(total), *[-b * v for b, v in zip(ys, zs)])),
                "ones": eq(Sigma(_yj, (_j, 1, _K)), 1),
                "show": [eq(_L, Ordered(sympy.log(total), *[-b * v for b, v in zip(ys, zs)]))],
            },
        ),
        Step(
            "loss_gradient",
            before=L_onehot,
            after=sympy.Tuple(*grad),
            explanation="The derivative of {lse} in {z_j} is {d_lse}, so {slope}: softmax minus "
            "one-hot.",
            data={
                "lse": lse,
                "z_j": _zj,
                "d_lse": eq(sympy.exp(_zj) / Sigma(sympy.exp(_z), (_i, 1, _K)), _pj),
                "slope": eq(Partial(_L, _zj), _pj - _yj),
                "show": [
                    eq(
                        Partial(_L, sympy.Symbol(v.name)),
                        Ordered(sympy.exp(v) / total, -b),
                    )
                    for v, b in zip(zs, ys)
                ],
            },
        ),
    ]
    task = Task(
        "loss_derivation",
        {
            "name": "softmax_ce",
            "classes": k,
            "claim": eq(Partial(_L, _zj), _pj - _yj),
            "j": _j,
            "p_is": p_is,
        },
        "Show that {claim} for each class {j}, where {p_is} is the softmax.",
    )
    return Solution(task, board(steps), grad)
