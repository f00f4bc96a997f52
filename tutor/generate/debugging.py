"""Lecture 18: a model that won't learn. A broken training setup and its loss trace; the
student names the bug (learning rate too big, gradient with the wrong sign, vanishing
gradient through stacked sigmoids, unscaled features) or picks the learning rate that fixes it.

The traces are real runs of gradient descent, computed exactly and rounded for display.
"""

from __future__ import annotations

import random

import sympy
from sympy import Rational

from ..core import Solution, Step, Table, Task
from .builders import X, nz, phrase
from .registry import Draft, Redraw, family

DIAGNOSES = [
    "learning rate too large",
    "gradient has the wrong sign",
    "vanishing gradient",
    "unscaled features",
]

_HINTS = {
    "learning rate too large": "lr = {lr} on a loss with curvature {curv}",
    "gradient has the wrong sign": "update line: w = w + lr * grad",
    "vanishing gradient": "network: {n} stacked sigmoid layers, weights initialised near 0",
    "unscaled features": "features: x1 in [0, 1] and x2 in [0, 10000], lr = 0.01, no normalisation",
}

_WHY = {
    "learning rate too large": "The loss grows and the weight flips sign each step: each step overshoots the minimum by more than it started (|1 − η·f''| > 1). Fix: lower the learning rate below 2/f''.",
    "gradient has the wrong sign": "The loss grows smoothly without oscillating: every step goes uphill. Fix: subtract the gradient, w ← w − η∇L.",
    "vanishing gradient": "The loss barely moves: the gradient reaching the first layers is a product of many σ' ≤ 1/4 factors. Fix: fewer sigmoid layers, ReLU activations or better initialisation.",
    "unscaled features": "The loss explodes within a few steps although the learning rate looks small: the large feature makes the curvature huge in one direction. Fix: standardise the features.",
}


def _trace(diagnosis: str, rng: random.Random) -> tuple[list[float], dict]:
    """A loss trace for the scenario, from a real run (rounded to 4 significant figures)."""
    a = nz(rng, 1, 3)
    w0 = nz(rng, 2, 5)
    if diagnosis == "learning rate too large":
        lr = Rational(nz(rng, 11, 18), 10 * a)
        ws = [sympy.Integer(w0)]
        for _ in range(5):
            ws.append(ws[-1] - lr * 2 * a * ws[-1])
        losses = [a * w**2 for w in ws]
        info = {"lr": lr, "curv": 2 * a}
    elif diagnosis == "gradient has the wrong sign":
        lr = Rational(1, 10 * a)
        ws = [sympy.Integer(w0)]
        for _ in range(5):
            ws.append(ws[-1] + lr * 2 * a * ws[-1])
        losses = [a * w**2 for w in ws]
        info = {"lr": lr}
    elif diagnosis == "vanishing gradient":
        n = nz(rng, 6, 10)
        base = Rational(6931, 10000)
        losses = [base - Rational(k, 10**6) * nz(rng, 1, 3) for k in range(6)]
        info = {"n": n}
    else:
        scale = 10000
        lr = Rational(1, 100)
        curv = 2 * scale**2 // 1000
        ws = [Rational(1, 1000)]
        for _ in range(5):
            ws.append(ws[-1] - lr * curv * ws[-1])
        losses = [Rational(curv, 2) * w**2 for w in ws]
        info = {}
    return [float(sympy.Float(v, 4)) for v in losses], info


@family(
    "broken-setup",
    18,
    "Diagnose a model that won't learn from its setup and loss trace.",
    {
        1: "the setup and a 6-step trace",
        2: "the setup and a 4-step trace",
        3: "a 3-step trace: read the first steps closely",
    },
)
def broken_setup(rng: random.Random, d: int) -> Draft:
    diagnosis = rng.choice(DIAGNOSES)
    losses, info = _trace(diagnosis, rng)
    losses = losses[: {1: 6, 2: 4, 3: 3}[d]]
    if len(set(losses)) < 3:
        raise Redraw("flat trace")
    hint = _HINTS[diagnosis].format(**{k: str(v) for k, v in info.items()})
    table = Table(("step", "loss"), list(enumerate(losses)), caption="The loss during training.")
    steps = (
        Step(
            "read_trace",
            before=None,
            after=table,
            explanation="Read the loss curve first: is it growing, flat, or zigzagging?",
            data={"table": table},
        ),
        Step("diagnose", before=hint, after=diagnosis, explanation=_WHY[diagnosis], data={}),
    )
    sol = Solution(
        Task("diagnose_training", {"losses": tuple(losses)}, "Diagnose a broken training run."),
        steps,
        diagnosis,
    )
    choices = ", ".join(DIAGNOSES)
    if d == 3:
        prompt = (
            "A training run logs the losses {losses}. The code: {setup}. What is wrong? Choose one of: "
            + choices
            + "."
        )
        given = {"losses": tuple(losses), "setup": hint}
    else:
        prompt = phrase(
            rng,
            [
                "A model won't learn. Setup: {setup}. Loss per step: {losses}. What is the problem? Choose one of: "
                + choices
                + ".",
                "Your training loop prints the losses {losses}. The setup is: {setup}. Diagnose it: "
                + choices
                + "?",
            ],
        )
        given = {"losses": tuple(losses), "setup": hint}
    return Draft(
        prompt,
        given,
        diagnosis,
        "choice",
        sol,
        {"choices": list(DIAGNOSES)},
        {"kind": "loss-curve", "values": losses},
    )


@family(
    "fix-learning-rate",
    18,
    "Pick the learning rate that makes a diverging quadratic loss converge fastest.",
    {1: "three candidates", 2: "four candidates", 3: "four candidates, some of them diverging too"},
)
def fix_learning_rate(rng: random.Random, d: int) -> Draft:
    a = nz(rng, 1, 4)
    m = nz(rng, -3, 3, ())
    f = sympy.expand(a * (X - m) ** 2 + nz(rng, 0, 5, ()))
    bad = Rational(nz(rng, 11, 20), 10 * a)
    k = 3 if d == 1 else 4
    if d == 3:
        bad = Rational(nz(rng, 21, 30), 20 * a)
    pool = sorted({Rational(j, 20 * a) for j in range(1, 40)} - {Rational(1, 2 * a), bad})
    cands = sorted(rng.sample(pool, k))
    rates = {c: abs(1 - 2 * a * c) for c in cands}
    best = min(rates.values())
    winners = [c for c in cands if rates[c] == best]
    if len(winners) != 1 or best >= 1:
        raise Redraw("tie, or no candidate converges")
    answer = winners[0]
    table = Table(
        ("η", "|1 − η·f''|", "behaviour"),
        [(c, rates[c], "diverges" if rates[c] > 1 else "converges") for c in cands],
    )
    steps = (
        Step(
            "curvature",
            before=f,
            after=2 * a,
            explanation="The curvature is f'' = {c}; each step multiplies the distance to the minimum by 1 − η·{c}.",
            data={"c": 2 * a},
        ),
        Step(
            "compare_rates",
            before=tuple(cands),
            after=table,
            explanation="The closer |1 − η·f''| is to 0, the faster the error dies out.",
            data={"table": table},
        ),
        Step(
            "choose",
            before=table,
            after=answer,
            explanation="The fastest stable choice is η = {eta}.",
            data={"eta": answer},
        ),
    )
    sol = Solution(
        Task(
            "fix_learning_rate", {"expr": f, "candidates": tuple(cands)}, "Fix the learning rate."
        ),
        steps,
        answer,
    )
    prompt = phrase(
        rng,
        [
            "Training on the loss f(w) = {f} with η = {bad} diverges. Which of the learning rates {cands} makes gradient descent converge fastest?",
            "The loss f(w) = {f} blows up with learning rate {bad}. Choose the best replacement among {cands}.",
        ],
    ).replace("f(w) = {f}", "f(x) = {f}")
    return Draft(
        prompt,
        {"f": f, "bad": bad, "cands": tuple(cands)},
        answer,
        "number",
        sol,
        {},
        {"kind": "loss-curve", "expr": f, "lr": answer},
    )
