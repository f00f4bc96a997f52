"""Lectures 12 and 13: loss functions (value and gradient) and regularisation / constraints.

Predictions are friendly fractions (1/2, 1/4, 3/4) so cross-entropies stay exact logs.
Loss values come from ``tutor.ml.losses``; penalty and constraint solutions are steps here.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

import sympy
from sympy import Rational, Symbol

from .._diff import diff
from ..core import Solution, Step, Task
from .builders import X, Y, nz, phrase
from .engines import engine_solution
from .registry import Draft, Redraw, family

_PROBS = [
    Rational(1, 2),
    Rational(1, 4),
    Rational(3, 4),
    Rational(1, 5),
    Rational(4, 5),
    Rational(1, 3),
    Rational(2, 3),
]


def _value(a: Any) -> Any:
    if isinstance(a, Mapping):
        return a.get("value", a.get("loss"))
    if isinstance(a, (tuple, list)):
        return a[0]
    return a


@family(
    "loss-value",
    12,
    "The value of a loss on given predictions and targets: MSE, MAE, binary and softmax cross-entropy.",
    {
        1: "MSE or MAE on 3 points",
        2: "binary cross-entropy",
        3: "softmax cross-entropy from logits",
    },
)
def loss_value(rng: random.Random, d: int) -> Draft:
    if d == 1:
        name = rng.choice(["mse", "mae"])
        targets = [nz(rng, -5, 5, ()) for _ in range(3)]
        preds = [t + nz(rng, -3, 3, ()) for t in targets]
        errs = [p - t for p, t in zip(preds, targets)]
        if all(e == 0 for e in errs):
            raise Redraw("perfect predictions")
        value = (
            Rational(sum(e * e for e in errs), 3)
            if name == "mse"
            else Rational(sum(abs(e) for e in errs), 3)
        )
        what = {"mse": "mean squared error", "mae": "mean absolute error"}[name]
    elif d == 2:
        name, what = "bce", "mean binary cross-entropy (averaged over the examples)"
        n = rng.randint(2, 3)
        preds = [rng.choice(_PROBS) for _ in range(n)]
        targets = [rng.choice([0, 1]) for _ in range(n)]
        value = (
            -sympy.Add(
                *[t * sympy.log(p) + (1 - t) * sympy.log(1 - p) for p, t in zip(preds, targets)]
            )
            / n
        )
    else:
        name, what = "softmax_ce", "softmax cross-entropy of this one example"
        preds = [nz(rng, -2, 3, ()) for _ in range(3)]
        if len(set(preds)) < 2:
            raise Redraw("equal logits")
        k = rng.randrange(3)
        targets = [1 if i == k else 0 for i in range(3)]
        value = sympy.log(sympy.Add(*[sympy.exp(z) for z in preds])) - preds[k]
    value = sympy.expand_log(value, force=True)
    sol = engine_solution(
        "tutor.ml.losses:loss",
        (name, tuple(preds), tuple(targets)),
        {},
        answer=value,
        kind="loss",
        params={"name": name, "predictions": tuple(preds), "targets": tuple(targets)},
        statement=f"The {what}.",
        extract=_value,
    )
    label = "logits z" if d == 3 else "predictions ŷ"
    prompt = phrase(
        rng,
        [
            "Compute the " + what + " for " + label + " = {p} and targets y = {t}.",
            "A model outputs "
            + label
            + " = {p}; the true values are y = {t}. How big is the "
            + what
            + "?",
        ],
    )
    # the figure draws this problem's targets (each distinct one), not a stock y = 1
    fig = {"kind": "loss-vs-prediction", "loss": name, "target": [float(t) for t in targets]}
    return Draft(prompt, {"p": tuple(preds), "t": tuple(targets)}, value, "number", sol, {}, fig)


@family(
    "loss-gradient",
    12,
    "The gradient of a loss: ∂MSE/∂ŷ, ∂L/∂w of a model, and σ(z) − y for sigmoid with cross-entropy.",
    {
        1: "∂MSE/∂ŷ for each prediction",
        2: "∂MSE/∂w for ŷ = wx on data",
        3: "dL/dz for sigmoid + BCE at given z, y",
    },
)
def loss_gradient(rng: random.Random, d: int) -> Draft:
    if d == 1:
        n = 3
        targets = [nz(rng, -5, 5, ()) for _ in range(n)]
        preds = [t + nz(rng, -3, 3, ()) for t in targets]
        answer: Any = [Rational(2, n) * (p - t) for p, t in zip(preds, targets)]
        if all(a == 0 for a in answer):
            raise Redraw("zero gradient")
        kind = "list"
        formula = Rational(2, n) * (Symbol("ŷ_i") - Symbol("y_i"))
        steps = (
            Step(
                "power_rule",
                before=(Symbol("ŷ_i") - Symbol("y_i")) ** 2 / n,
                after=formula,
                explanation="Only the i-th term of the mean depends on ŷ_i; the power rule gives {g}.",
                data={"g": formula},
            ),
            Step(
                "substitute",
                before=formula,
                after=tuple(answer),
                explanation="Put in the numbers: {g}. A positive entry means that prediction is too high.",
                data={"g": tuple(answer)},
            ),
        )
        given: dict[str, Any] = {"p": tuple(preds), "t": tuple(targets)}
        prompt = phrase(
            rng,
            [
                "For predictions ŷ = {p} and targets y = {t}, find the gradient of the mean squared error with respect to each prediction, (∂L/∂ŷ_1, ∂L/∂ŷ_2, ∂L/∂ŷ_3).",
                "The MSE of ŷ = {p} against y = {t} is L = (1/3)Σ(ŷ_i − y_i)^2. Give ∂L/∂ŷ_i for i = 1, 2, 3.",
            ],
        )
    elif d == 2:
        w = Symbol("w")
        xs = [nz(rng, -3, 3) for _ in range(3)]
        ys = [nz(rng, -6, 6, ()) for _ in range(3)]
        w0 = nz(rng, -2, 2, ())
        loss = sympy.Add(*[(w * xv - yv) ** 2 for xv, yv in zip(xs, ys)]) / 3
        dl = sympy.expand(diff(loss, w))
        answer = dl.subs(w, w0)
        if answer == 0:
            raise Redraw("zero gradient")
        kind = "number"
        steps = _mse_w_steps(w, xs, ys, w0, dl, answer)
        given = {"xs": tuple(xs), "ys": tuple(ys), "w0": w0}
        prompt = phrase(
            rng,
            [
                "The model ŷ = wx is fitted to x = {xs}, y = {ys} with the mean squared error. Find dL/dw at w = {w0}.",
                "With data x = {xs}, y = {ys} and loss L(w) = (1/3)Σ(wx − y)^2, how steep is the loss at w = {w0}? Find L'({w0}).",
            ],
        )
    else:
        z = Symbol("z")
        # z = ±ln k gives σ(z) = k/(k + 1) or 1/(k + 1): exact, and varied
        k = rng.randint(1, 9)
        zv = rng.choice([1, -1]) * sympy.log(k)
        yv = rng.choice([0, 1])
        sig = 1 / (1 + sympy.exp(-z))
        answer = sympy.simplify(sig.subs(z, zv) - yv)
        if answer == 0:
            raise Redraw("zero gradient")
        kind = "number"
        steps = _bce_logit_steps(z, zv, yv, answer)
        given = {"z": zv, "y": yv}
        prompt = phrase(
            rng,
            [
                "A sigmoid output p = σ(z) is scored by the binary cross-entropy with target y = {y}. Find dL/dz at z = {z}.",
                "For L = −(y ln σ(z) + (1 − y) ln(1 − σ(z))) with y = {y}, compute dL/dz at z = {z}.",
                "One example with label y = {y} has logit z = {z}. Find the derivative of its binary cross-entropy with respect to z.",
                "The cross-entropy of one example, L = −(y ln p + (1 − y) ln(1 − p)) with p = σ(z), has y = {y}. Give dL/dz at z = {z}.",
            ],
        )
    sol = Solution(Task("loss_gradient", dict(given), "Gradient of a loss."), steps, answer)
    if d == 1:
        sol = engine_solution(
            "tutor.ml.losses:loss",
            ("mse", given["p"], given["t"]),
            {},
            answer=answer,
            kind="loss_gradient",
            params=dict(given),
            statement="Gradient of the MSE.",
            extract=lambda r: list(r["gradient"]),
            fallback=sol,
        )
    return Draft(
        prompt,
        given,
        answer,
        kind,
        sol,
        {},
        _loss_figure(d, given),
    )


def _loss_figure(d: int, given: Mapping[str, Any]) -> dict[str, Any]:
    """The figure of a loss-gradient problem, drawn with its own targets."""
    if d == 1:
        return {
            "kind": "loss-vs-prediction",
            "loss": "mse",
            "target": [float(t) for t in given["t"]],
        }
    if d == 2:
        # the question is the slope of L(w) at w0: the loss curve and its tangent there
        w = Symbol("w")
        loss = sympy.Add(*[(w * xv - yv) ** 2 for xv, yv in zip(given["xs"], given["ys"])]) / 3
        return {"kind": "secants", "expr": loss, "a": given["w0"]}
    # dL/dz of the cross-entropy of σ(z) with the problem's label: L(z) and its tangent at z
    z = Symbol("z")
    p = 1 / (1 + sympy.exp(-z))
    y = given["y"]
    loss = -(y * sympy.log(p) + (1 - y) * sympy.log(1 - p))
    return {"kind": "secants", "expr": loss, "a": given["z"]}


def _mse_w_steps(w: Any, xs: list, ys: list, w0: Any, dl: Any, answer: Any) -> tuple[Step, ...]:
    """dL/dw of L(w) = (1/n)Σ(w x_i − y_i)^2: the loss written down, differentiated as written
    (chain rule on each square), then w put in, each substitution shown."""
    n = len(xs)
    L, dL = sympy.Function("L")(w), sympy.Derivative(sympy.Function("L")(w), w)
    third = Rational(1, n)
    written = sympy.Mul(
        third, sympy.Add(*[(w * xv - yv) ** 2 for xv, yv in zip(xs, ys)]), evaluate=False
    )
    chain = sympy.Mul(
        Rational(2, n),
        sympy.Add(*[sympy.Mul(w * xv - yv, xv, evaluate=False) for xv, yv in zip(xs, ys)]),
        evaluate=False,
    )
    put = dl.xreplace({w: sympy.UnevaluatedExpr(w0)})
    return (
        Step(
            "loss_value",
            after=written,
            explanation="Write the loss down first: the mean of the squared errors of the "
            "model ŷ = wx over the {n} data points, {L_is}.",
            data={"n": n, "L_is": sympy.Eq(L, written, evaluate=False)},
        ),
        Step(
            "chain_rule",
            before=written,
            after=dl,
            explanation="Differentiate it as written: each square (wx − y)^2 gives 2(wx − y)·x "
            "by the chain rule (the inner function wx − y has slope x), so {dl_is}.",
            data={
                "dl_is": sympy.Eq(dL, chain, evaluate=False),
                "show": [sympy.Eq(dL, chain, evaluate=False), sympy.Eq(dL, dl, evaluate=False)],
            },
        ),
        Step(
            "substitute",
            before=dl,
            after=answer,
            explanation="Put in w = {w0}: {put_is}; the sign says which way w should move "
            "(the opposite way).",
            # the value at w0, shown in the expanded derivative: L'(w0) = a·w0 + b
            data={
                "w0": w0,
                "g": answer,
                "put_is": sympy.Eq(sympy.Function("L'")(w0), put, evaluate=False),
                "show": [sympy.Eq(put, answer, evaluate=False)],
            },
        ),
    )


def _bce_logit_steps(z: Any, zv: Any, yv: Any, answer: Any) -> tuple[Step, ...]:
    """dL/dz of the binary cross-entropy of σ(z): the engine's derivation (σ(z) − y), then
    the values put in."""
    from ..functions import sigmoid
    from ..ml.losses import sigmoid_bce_gradient

    error = sigmoid(z) - yv
    at = sympy.Add(sigmoid(zv), -yv, evaluate=False) if yv else sigmoid(zv)
    return (
        *sigmoid_bce_gradient().steps,
        Step(
            "substitute",
            before=error,
            after=answer,
            explanation="At z = {z} and y = {y}: {put_is}.",
            data={
                "z": zv,
                "y": yv,
                "g": answer,
                "put_is": sympy.Eq(at, answer, evaluate=False),
                "show": [sympy.Eq(at, answer, evaluate=False)],
            },
        ),
    )


@family(
    "regularisation",
    13,
    "L2 and L1 penalties: the minimiser of a regularised loss, shrunk towards 0.",
    {
        1: "(w − a)^2 + λw^2",
        2: "(w − a)^2 + λ|w| (soft thresholding)",
        3: "least squares on data with an L2 penalty",
    },
)
def regularisation(rng: random.Random, d: int) -> Draft:
    w = Symbol("w")
    lam = rng.choice([Rational(1, 2), 1, 2, 3, Rational(1, 4)])
    lam = sympy.Integer(lam) if isinstance(lam, int) else lam
    if d == 1:
        a = nz(rng, -6, 6)
        loss = (w - a) ** 2 + lam * w**2
        answer = a / (1 + lam)
        steps = (
            Step(
                "differentiate",
                before=loss,
                after=diff(loss, w),
                explanation="The slope of the penalised loss is {dl}; the penalty adds a pull towards 0.",
                data={"dl": sympy.expand(diff(loss, w))},
            ),
            Step(
                "solve_zero_slope",
                before=diff(loss, w),
                after=answer,
                explanation="Setting it to zero gives w = a/(1 + λ) = {w}, smaller than {a}: the penalty shrinks the weight.",
                data={"w": answer, "a": a},
            ),
        )
    elif d == 2:
        a = nz(rng, -6, 6)
        loss = (w - a) ** 2 + lam * sympy.Abs(w)
        shrink = abs(a) - lam / 2
        answer = sympy.sign(a) * shrink if shrink > 0 else sympy.Integer(0)
        steps = (
            Step(
                "case_split",
                before=loss,
                after=sympy.Piecewise((2 * (w - a) + lam, w > 0), (2 * (w - a) - lam, True)),
                explanation="|w| has slope +1 for w > 0 and −1 for w < 0; at 0 any slope between −1 and 1 counts (the subgradient).",
                data={},
            ),
            Step(
                "soft_threshold",
                before=a,
                after=answer,
                explanation="So the minimiser is a moved towards 0 by λ/2 = {h}, and stuck at 0 if |a| ≤ λ/2: w = {w}.",
                data={"h": lam / 2, "w": answer},
            ),
        )
    else:
        xs = [nz(rng, -3, 3) for _ in range(3)]
        ys = [nz(rng, -6, 6, ()) for _ in range(3)]
        loss = sympy.Add(*[(yv - w * xv) ** 2 for xv, yv in zip(xs, ys)]) + lam * w**2
        sxy = sum(xv * yv for xv, yv in zip(xs, ys))
        answer = Rational(sxy) / (sum(xv * xv for xv in xs) + lam)
        if answer == 0:
            raise Redraw("zero fit")
        steps = (
            Step(
                "differentiate",
                before=loss,
                after=sympy.expand(diff(loss, w)),
                explanation="dL/dw = −2Σx(y − wx) + 2λw = {dl}.",
                data={"dl": sympy.expand(diff(loss, w))},
            ),
            Step(
                "solve_zero_slope",
                before=diff(loss, w),
                after=answer,
                explanation="Zero slope at w = Σxy/(Σx² + λ) = {w}: the penalty λ in the denominator shrinks the fit.",
                data={"w": answer},
            ),
        )
    if d < 3 and answer == 0 and rng.random() < 0.5:
        raise Redraw("fewer zero answers")
    local = Solution(
        Task("regularisation", {"expr": loss}, "Minimise a regularised loss."), steps, answer
    )
    data_part = (w - a) ** 2 if d < 3 else loss - lam * w**2
    sol = engine_solution(
        "tutor.ml.regularization:" + ("l1" if d == 2 else "l2"),
        (data_part, lam, ["w"]),
        {},
        answer=answer,
        kind="regularisation",
        params={"expr": loss},
        statement="Minimise a regularised loss.",
        extract=lambda r: r["minimiser"],
        fallback=local,
    )
    prompt = phrase(
        rng,
        [
            "Find the weight w that minimises the regularised loss L(w) = {L}.",
            "Where is L(w) = {L} smallest? The penalty trades fit for small weights.",
        ],
    )
    return Draft(
        prompt,
        {"L": loss, "lam": lam},
        answer,
        "number",
        sol,
        {},
        {"kind": "function", "expr": loss, "points": [(answer, loss.subs(w, answer))]},
    )


@family(
    "constrained-min",
    13,
    "Minimise a quadratic subject to a linear constraint, by substitution or a Lagrange multiplier.",
    {
        1: "x^2 + y^2 on a line x + y = c",
        2: "x^2 + y^2 on px + qy = r",
        3: "ax^2 + cy^2 on px + qy = r",
    },
)
def constrained_min(rng: random.Random, d: int) -> Draft:
    a, c = (1, 1) if d < 3 else (nz(rng, 1, 4), nz(rng, 1, 4))
    p, q = (1, rng.choice([1, -1])) if d == 1 else (nz(rng, -3, 3), nz(rng, -3, 3))
    r = nz(rng, -12, 12) if d == 1 else nz(rng, -8, 8)
    f = a * X**2 + c * Y**2
    lam_den = Rational(p * p, 2 * a) + Rational(q * q, 2 * c)
    lam = r / lam_den
    point = (lam * p / (2 * a), lam * q / (2 * c))
    value = f.subs({X: point[0], Y: point[1]})
    constraint = sympy.Eq(p * X + q * Y, r)
    steps = (
        Step(
            "lagrange_condition",
            before=(f, constraint),
            after=(2 * a * X, 2 * c * Y),
            explanation="At the best point the level curve of f just touches the line, so ∇f is parallel to the line's normal ({p}, {q}): 2a x = λp and 2c y = λq.",
            data={"p": p, "q": q},
        ),
        Step(
            "solve_multiplier",
            before=constraint,
            after=lam,
            explanation="Put x = λp/(2a), y = λq/(2c) into the constraint: λ = {lam}.",
            data={"lam": lam},
        ),
        Step(
            "constrained_point",
            before=lam,
            after=point,
            explanation="So the closest point is {pt}, where f = {v}.",
            data={"pt": point, "v": value},
        ),
    )
    local = Solution(
        Task("constrained_minimum", {"expr": f, "constraint": constraint}, "Constrained minimum."),
        steps,
        point,
    )
    sol = engine_solution(
        "tutor.ml.regularization:constrained_minimum",
        (f, constraint, ["x", "y"]),
        {},
        answer=point,
        kind="constrained_minimum",
        params={"expr": f, "constraint": constraint},
        statement="Constrained minimum.",
        extract=lambda r: r["point"],
        fallback=local,
    )
    prompt = phrase(
        rng,
        [
            "Minimise f(x, y) = {f} subject to {g}. Give the point (x, y).",
            "Among the points on the line {g}, which one makes f(x, y) = {f} smallest?",
            "Find the point of the line {g} where f(x, y) = {f} is smallest (use substitution or a Lagrange multiplier).",
        ],
    )
    return Draft(
        prompt,
        {"f": f, "g": constraint},
        point,
        "point",
        sol,
        {},
        # the answer on the constraint line, not the free minimum of f
        {
            "kind": "contour",
            "expr": f,
            "constraint": constraint,
            "points": [(tuple(point), "constrained minimum")],
        },
    )
