"""Lecture 18: a model that won't learn. A broken training setup and its loss trace; the
student names the bug (learning rate too big, gradient with the wrong sign, vanishing
gradient through stacked sigmoids, unscaled features) or picks the learning rate that fixes it.

The setups, traces, diagnoses and fixes come from ``tutor.ml.training.broken_setup`` (real
numpy runs, rounded to 4 significant figures for display); the learning-rate fix comes from
``tutor.ml.descent``'s runs of each candidate.
"""

from __future__ import annotations

import math
import random

import sympy
from sympy import Rational

from ..core import Solution, Step, Table, Task
from .builders import X, nz, phrase
from .engines import run_engine
from .registry import Draft, Redraw, family

DIAGNOSES = [
    "learning rate too large",
    "gradient has the wrong sign",
    "vanishing gradient",
    "unscaled features",
]

# Our wording of each diagnosis -> the scenario of ``tutor.ml.training.broken_setup``.
_SCENARIO = {
    "learning rate too large": "lr_too_big",
    "gradient has the wrong sign": "wrong_sign",
    "vanishing gradient": "vanishing_gradient",
    "unscaled features": "unscaled_features",
}


def _num(v: object) -> str:
    return f"{float(v):.4g}"  # type: ignore[arg-type]


def _setup_text(diagnosis: str, facts: dict) -> str:
    """What the student sees of the code: the learning rate, the update line, the model."""
    if diagnosis in ("learning rate too large", "gradient has the wrong sign"):
        sign = "+" if diagnosis == "gradient has the wrong sign" else "-"
        return (
            f"linear regression on {facts['n']} points, update line w = w {sign} lr * grad, "
            f"lr = {_num(facts['lr'])}, largest curvature of the loss L = {_num(facts['L'])}"
        )
    if diagnosis == "vanishing gradient":
        return (
            f"a chain of {facts['depth']} sigmoid layers (one unit each) and a linear output, "
            f"lr = {_num(facts['lr'])}"
        )
    return (
        f"linear regression with features x1 in [0, 1] and x2 in [0, 1000], "
        f"lr = {_num(facts['lr2'])}, no normalisation"
    )


@family(
    "broken-setup",
    18,
    "Diagnose a model that won't learn from its setup and loss trace.",
    {
        1: "the setup and the loss at 6 epochs",
        2: "the setup and the loss at 4 epochs",
        3: "the setup and the loss at 3 epochs: read them closely",
    },
)
def broken_setup(rng: random.Random, d: int) -> Draft:
    diagnosis = rng.choice(DIAGNOSES)
    eng = run_engine(
        "tutor.ml.training:broken_setup", _SCENARIO[diagnosis], seed=rng.randrange(10**6)
    )
    if eng is None or eng.answer != _SCENARIO[diagnosis]:
        raise Redraw("the training engine diagnoses this run differently")
    facts = dict(eng.steps[0].data)
    history = next(st.data["history"] for st in eng.steps if st.rule == "training_run")
    k = {1: 6, 2: 4, 3: 3}[d]
    last = len(history) - 1
    epochs = tuple(round(i * last / (k - 1)) for i in range(k))
    losses = tuple(float(f"{history[e]:.4g}") for e in epochs)
    if len(set(losses)) < 2 or not all(math.isfinite(v) for v in losses):
        raise Redraw("flat or overflowing trace")
    hint = _setup_text(diagnosis, facts)
    table = Table(("epoch", "loss"), list(zip(epochs, losses)), caption="The loss during training.")
    steps = (
        Step(
            "read_trace",
            before=None,
            after=table,
            explanation="Read the loss curve first: is it growing, stalling, or crawling?",
            data={"table": table},
        ),
        *eng.steps,
        Step(
            "read_answer",
            before=eng.answer,
            after=diagnosis,
            explanation="In the words of the question: {answer}.",
            data={"answer": diagnosis},
        ),
    )
    sol = Solution(
        Task("diagnose_training", {"losses": losses}, "Diagnose a broken training run."),
        steps,
        diagnosis,
    )
    choices = ", ".join(DIAGNOSES)
    given: dict = {"losses": losses, "epochs": epochs, "setup": hint}
    if diagnosis in ("learning rate too large", "gradient has the wrong sign"):
        given.update({"lr": facts["lr"], "L": facts["L"]})
    prompt = phrase(
        rng,
        [
            "A model won't learn. Setup: {setup}. The loss at epochs {epochs} is {losses}. "
            "What is the problem? Choose one of: " + choices + ".",
            "Your training loop logs the losses {losses} at epochs {epochs}. The setup is: "
            "{setup}. Diagnose it: " + choices + "?",
        ],
    )
    return Draft(
        prompt,
        given,
        diagnosis,
        "choice",
        sol,
        {"choices": list(DIAGNOSES)},
        # the logged losses over the epochs they were logged at
        {"kind": "loss-curve", "values": losses, "epochs": epochs},
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
    # The engines: the stable limit 2/L from the curvature, and a short run of each candidate,
    # whose diagnosis must match |1 − η·f''| (diverging exactly when it exceeds 1).
    stable = run_engine("tutor.ml.descent:max_stable_lr", f)
    if stable is None or stable.answer != Rational(1, a):
        raise Redraw("the stable-rate engine disagrees")
    x0 = m + nz(rng, -2, 2)
    labels = {}
    for c in cands:
        run = run_engine("tutor.ml.descent:diagnose", f, x0, c, 5)
        if run is None or (run.answer == "diverging") != (rates[c] > 1):
            raise Redraw("the descent engine reads a candidate differently")
        labels[c] = run.answer
    table = Table(
        ("η", "|1 − η·f''|", "5 steps from x_0 = " + str(x0)),
        [(c, rates[c], labels[c]) for c in cands],
    )
    steps = (
        *stable.steps,
        Step(
            "compare_rates",
            before=tuple(cands),
            after=table,
            explanation="Each step multiplies the distance to the minimum by 1 − η·{c}; the closer |1 − η·{c}| is to 0, the faster the error dies out. A short run of each candidate confirms it.",
            data={"c": 2 * a, "table": table},
        ),
        Step(
            "choose",
            before=table,
            after=answer,
            explanation="The fastest stable choice is η = {eta}, below the limit {bound}.",
            data={"eta": answer, "bound": stable.answer},
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
        # the runs the solution compares: the diverging rate and each candidate, 5 steps
        # from the solution's x_0
        {
            "kind": "loss-curve",
            "expr": f,
            "lr": [bad, *cands],
            "start": x0,
            "steps": 5,
            "title": f"The diverging η = {bad} and each candidate: 5 steps from x_0 = {x0}",
        },
    )
