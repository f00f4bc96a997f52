"""Lectures 11 and 14: backpropagation on small graphs and neurons, vectorised gradients
and vanishing gradients through stacked sigmoids.

Input values are chosen so that every node is exact: pre-activations of a sigmoid are small
integers (σ(z) = 1/(1 + e^(−z)) stays exact; decimals to 4 places are accepted too) and
ReLUs are active. Worked solutions come from ``tutor.ml.backpropagation``;
the vectorised and vanishing-gradient solutions are written here as steps.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

import sympy
from sympy import Matrix, Rational, S, Symbol, log

from .._diff import diff
from ..core import Solution, Step, Table, Task
from ..functions import relu, sigmoid
from .builders import nz, phrase
from .engines import engine_solution
from .registry import Draft, Redraw, family

# pre-activations of a sigmoid neuron: mostly off the midpoint, where σ' < 1/4
_PRE_ACTIVATIONS = (-2, -1, 0, 1, 2)


def _pick(answer: Any, names: Sequence[str]) -> list:
    if not isinstance(answer, Mapping):
        raise TypeError("engine answer is not a mapping")
    by_name = {str(k): v for k, v in answer.items()}
    return [by_name[n] for n in names]


@family(
    "backprop",
    11,
    "Forward and backward pass on a small computational graph or neuron: the gradients of the loss.",
    {
        1: "squared error of a line (w, b)",
        2: "a sigmoid neuron (w, b)",
        3: "a two-input sigmoid neuron or a ReLU unit feeding a linear layer",
    },
)
def backprop(rng: random.Random, d: int) -> Draft:
    w, b, x, y, v, c = (Symbol(s) for s in "wbxyvc")
    if d == 1:
        expr = (w * x + b - y) ** 2
        vals = {
            "w": nz(rng, -3, 3),
            "b": nz(rng, -3, 3, ()),
            "x": nz(rng, -3, 3),
            "y": nz(rng, -5, 5, ()),
        }
        params = ["w", "b"]
    elif d == 2:
        expr = (sigmoid(w * x + b) - y) ** 2
        xv = nz(rng, -3, 3)
        wv = nz(rng, -3, 3)
        z = rng.choice(_PRE_ACTIVATIONS)  # the neuron is not always at its midpoint
        vals = {"w": wv, "b": z - wv * xv, "x": xv, "y": rng.choice([0, 1])}
        params = ["w", "b"]
    elif rng.randrange(2):
        x1, x2, w1, w2 = (Symbol(s) for s in ("x1", "x2", "w1", "w2"))
        expr = (sigmoid(w1 * x1 + w2 * x2 + b) - y) ** 2
        v1, v2, a1, a2 = nz(rng, -2, 2), nz(rng, -2, 2), nz(rng, -3, 3), nz(rng, -3, 3)
        vals = {
            "w1": v1,
            "w2": v2,
            "b": rng.choice(_PRE_ACTIVATIONS) - (v1 * a1 + v2 * a2),
            "x1": a1,
            "x2": a2,
            "y": rng.choice([0, 1]),
        }
        params = ["w1", "w2", "b"]
    else:
        expr = (v * relu(w * x + b) + c - y) ** 2
        xv, wv = nz(rng, 1, 3), nz(rng, 1, 3)
        vals = {
            "w": wv,
            "b": nz(rng, -1, 2, ()),
            "x": xv,
            "v": nz(rng, -2, 2),
            "c": nz(rng, -2, 2, ()),
            "y": nz(rng, -4, 4, ()),
        }
        params = ["w", "b", "v"]
    syms = {str(s): s for s in expr.free_symbols}
    sub = {syms[k]: sympy.Integer(val) for k, val in vals.items()}
    answer = [
        sympy.simplify(
            diff(expr, syms[p]).subs(sub).doit().replace(sigmoid, lambda z: 1 / (1 + sympy.exp(-z)))
        )
        for p in params
    ]
    if any(g == 0 for g in answer):
        raise Redraw("a zero gradient")
    sol = engine_solution(
        "tutor.ml.backpropagation:backprop",
        (expr, dict(vals)),
        {"wrt": tuple(params)},
        answer=answer,
        kind="backprop",
        params={"expr": expr, "values": dict(vals)},
        statement="Backpropagation.",
        extract=lambda a: _pick(a, params),
    )
    names = ", ".join("∂L/∂" + p for p in params)
    values = ", ".join(f"{k} = {vals[k]}" for k in sorted(vals))
    prompt = phrase(
        rng,
        [
            "Draw the computational graph of L = {L}, run the forward pass at "
            + values
            + ", then backpropagate to find ("
            + names
            + ").",
            "For the loss L = {L} at "
            + values
            + ", find the gradients ("
            + names
            + ") by the chain rule, node by node.",
            "A tiny network computes L = {L}. With "
            + values
            + ", which way should each parameter move? Give the gradient ("
            + names
            + "); each parameter moves against the sign of its entry.",
        ],
    )
    if expr.has(sigmoid):
        prompt += " Give exact values or decimals to 4 places."
    return Draft(
        prompt,
        {"L": expr, "values": dict(vals)},
        answer,
        "list",
        sol,
        {"tol": 1e-4} if expr.has(sigmoid) else {},
        _graph_figure(sol, expr, vals),
    )


def _graph_figure(sol: Solution, expr: Any, vals: Mapping[str, Any]) -> dict[str, Any]:
    """The figure of a backprop problem: the very graph its worked solution walks through
    (``ml.backprop``'s), with the forward values and gradients of the solution."""
    from ..plot.graph import engine_graph

    step = next((s for s in sol.walk() if s.rule == "computational_graph"), None)
    if step is None or "graph" not in step.data:
        return {"kind": "graph", "expr": expr, "values": dict(vals)}  # drawn by ml.backprop
    nodes, edges = engine_graph(step.data["graph"])
    return {"kind": "graph", "nodes": nodes, "edges": edges}


@family(
    "vectorised-gradient",
    14,
    "The least-squares gradient in one line: 2/n · Xᵀ(Xw − y).",
    {1: "3 rows, 2 features", 2: "4 rows, 2 features", 3: "4 rows, 3 features"},
)
def vectorised_gradient(rng: random.Random, d: int) -> Draft:
    n, k = {1: (3, 2), 2: (4, 2), 3: (4, 3)}[d]
    xm = Matrix(n, k, lambda i, j: 1 if j == 0 else nz(rng, -3, 3, ()))
    if xm.rank() < k:
        raise Redraw("collinear features")
    wv = Matrix(k, 1, lambda i, j: nz(rng, -2, 2, ()))
    yv = Matrix(n, 1, lambda i, j: nz(rng, -5, 5, ()))
    r = xm * wv - yv
    g = Rational(2, n) * xm.T * r
    answer = list(g)
    if all(v == 0 for v in answer) or all(v == 0 for v in r):
        raise Redraw("already at the minimum")
    steps = (
        Step(
            "residual_vector",
            before=(xm, wv, yv),
            after=r,
            explanation="All predictions at once: Xw − y = {r}, one error per row.",
            data={"r": r},
        ),
        Step(
            "transpose_product",
            before=r,
            after=xm.T * r,
            explanation="Xᵀ times the errors adds up, for each feature, error × feature value: {xtr}.",
            data={"xtr": xm.T * r},
        ),
        Step(
            "scale",
            before=xm.T * r,
            after=g,
            explanation="Multiply by 2/n = {s} to get the gradient of the mean squared error: {g}.",
            data={"s": Rational(2, n), "g": g},
        ),
    )
    sol = engine_solution(
        "tutor.ml.efficiency:vectorised_least_squares",
        (xm.tolist(), list(yv), list(wv)),
        {},
        answer=answer,
        kind="vectorised_gradient",
        params={"X": xm, "w": wv, "y": yv},
        extract=list,
        fallback=Solution(
            Task("vectorised_gradient", {"X": xm, "w": wv, "y": yv}, "Vectorised MSE gradient."),
            steps,
            answer,
        ),
    )
    prompt = phrase(
        rng,
        [
            "For the design matrix X = {X}, weights w = {w} and targets y = {y}, compute the MSE gradient 2/n · Xᵀ(Xw − y).",
            "Without a loop: with X = {X}, w = {w}, y = {y}, find ∇L = (2/n) Xᵀ(Xw − y) for L = (1/n)‖Xw − y‖².",
        ],
    )
    return Draft(prompt, {"X": xm, "w": wv, "y": yv}, answer, "list", sol)


def _gradient_sizes(sol: Solution) -> list[Any]:
    """|∂a_k/∂a_0| for k = 0, 1, …, n read off the worked solution: the running product of
    the per-layer factors in its table (the engine's, or the one written here)."""
    for step in sol.walk():
        table = step.data.get("table")
        if isinstance(table, Table) and "factor" in [h.split(" ")[0] for h in table.headers]:
            col = [h.split(" ")[0] for h in table.headers].index("factor")
            sizes, g = [sympy.Integer(1)], sympy.Integer(1)
            for row in table.rows:
                g *= row[col]
                sizes.append(abs(g))
            return sizes
    raise ValueError("the vanishing-gradient solution has no table of factors")


@family(
    "vanishing-gradient",
    14,
    "How the gradient shrinks through stacked sigmoids: a product of σ' ≤ 1/4 factors.",
    {
        1: "2-4 layers, weights up to 2, biases that put every z at 0",
        2: "3-6 layers, weights up to 3",
        3: "how many layers of weight w until the gradient bound drops below a threshold",
    },
)
def vanishing_gradient(rng: random.Random, d: int) -> Draft:
    # the pre-activations z_k are drawn from 0, ±ln 2, ±ln 3 (σ(ln r) = r/(r + 1) is exact,
    # so the forward pass is done by hand) and the stated biases b_k = z_k − w_k·a_(k−1)
    # produce them; at least one z_k is not 0, so σ'(z_k) is not always its largest value 1/4
    n = rng.randint(2, 4) if d == 1 else rng.randint(3, 6)
    top = 2 if d == 1 else 3
    weights = [nz(rng, -top, top) for _ in range(n)]
    if d == 3:
        weights = [nz(rng, 1, 3)] * rng.randint(3, 6)
        n = len(weights)
    a0 = nz(rng, -3, 3, ())
    choices = (S.Zero, log(2), -log(2), log(3), -log(3))
    zs = [rng.choice(choices) for _ in range(n)]
    if all(z == 0 for z in zs):
        zs[rng.randrange(n)] = rng.choice(choices[1:])
    acts, biases, prev = [], [], a0
    for wk, zk in zip(weights, zs):
        biases.append(zk - wk * prev)
        prev = 1 / (1 + sympy.exp(-zk))  # σ(z_k) worked out: σ(ln 3) = 3/4
        acts.append(prev)
    slopes = [ak * (1 - ak) for ak in acts]
    factors = [wi * si for wi, si in zip(weights, slopes)]
    table = Table(
        ("layer", "weight w", "z = w·a + b", "a = σ(z)", "σ'(z) = a(1 − a)", "factor w·σ'(z)"),
        [
            (i + 1, wi, zi, ai, si, f)
            for i, (wi, zi, ai, si, f) in enumerate(zip(weights, zs, acts, slopes, factors))
        ],
    )
    if d < 3:
        answer = sympy.Mul(*factors)
        steps = (
            Step(
                "local_gradients",
                before=tuple(weights),
                after=table,
                explanation="The forward pass works layer by layer: z_k = w_k a_(k−1) + b_k, then a_k = σ(z_k) (σ(ln r) = r/(r + 1)). Each layer multiplies the gradient by its weight times σ'(z_k) = a_k(1 − a_k), which is never more than 1/4.",
                data={"table": table},
            ),
            Step(
                "chain_product",
                before=tuple(factors),
                after=answer,
                explanation="The chain rule multiplies all the factors: {g}. Many factors below 1 make the gradient vanish.",
                data={"g": answer},
            ),
        )
        prompt = phrase(
            rng,
            [
                "A signal a_0 = {a0} passes through "
                + str(n)
                + " sigmoid layers a_k = σ(w_k a_(k−1) + b_k) with weights {weights} and biases {biases}. Run the forward pass, then find ∂a_"
                + str(n)
                + "/∂a_0.",
                "Backpropagate through "
                + str(n)
                + " stacked sigmoids a_k = σ(w_k a_(k−1) + b_k), weights {weights}, biases {biases}, input a_0 = {a0}: what is ∂a_"
                + str(n)
                + "/∂a_0, the product of the local gradients?",
            ],
        )
        given: dict[str, Any] = {"weights": tuple(weights), "biases": tuple(biases), "a0": a0}
    else:
        w = weights[0]
        k = rng.randint(2, 8)
        threshold = Rational(rng.choice([1, 2, 5]), 10**k)
        per_layer = Rational(w, 4)
        layers = 1
        while per_layer**layers >= threshold:
            layers += 1
        answer = sympy.Integer(layers)
        factors = [per_layer] * layers
        steps = (
            Step(
                "bound",
                before=None,
                after=per_layer,
                explanation="Each layer multiplies the gradient by w·σ'(z) ≤ {w}·1/4 = {f}.",
                data={"w": w, "f": per_layer},
            ),
            Step(
                "solve_inequality",
                before=threshold,
                after=answer,
                explanation="({f})^n < {t} first holds at n = {n}.",
                data={"f": per_layer, "t": threshold, "n": answer},
            ),
        )
        prompt = phrase(
            rng,
            [
                "Every layer of a deep sigmoid network has weight w = {w}, and σ'(z) ≤ 1/4, so each layer multiplies the gradient by at most w/4. How many layers does it take before this bound (w/4)^n falls below {t}? Give the smallest n.",
                "Stacked sigmoid layers all have weight {w}; since σ'(z) ≤ 1/4 the gradient shrinks by a factor of at most {w}/4 per layer. What is the smallest number of layers n with ({w}/4)^n < {t}?",
                "A gradient passing through n sigmoid layers of weight {w} is at most ({w}/4)^n, because σ'(z) ≤ 1/4. Find the smallest n that guarantees it is below {t}.",
            ],
        )
        given = {"t": threshold, "w": w}
    sol = Solution(
        Task("vanishing_gradient", {"weights": tuple(weights)}, "Vanishing gradient."),
        steps,
        answer,
    )
    if d < 3:
        sol = engine_solution(
            "tutor.ml.efficiency:vanishing_gradient",
            (n, list(zs)),
            {"weights": list(weights)},
            answer=answer,
            kind="vanishing_gradient",
            params={"weights": tuple(weights)},
            fallback=sol,
        )
    return Draft(
        prompt,
        given,
        answer,
        "number",
        sol,
        {},
        # the figure is this problem's gradient: |∂a_k/∂a_0| after each layer k (at level 3
        # its bound (w/4)^k against the threshold asked about)
        {"kind": "layer-gradients", "sizes": _gradient_sizes(sol)}
        if d < 3
        else {
            "kind": "layer-gradients",
            "sizes": [sympy.Rational(weights[0], 4) ** k for k in range(int(answer) + 1)],
            "bound": True,
            "threshold": given["t"],
        },
    )
