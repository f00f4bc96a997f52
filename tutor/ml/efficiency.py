"""Vanishing gradients and efficiency: the product of sigmoid slopes through n layers, the
vectorised least-squares gradient 2/n · Xᵀ(Xw − y) checked against the loop, and the cost of
forward versus reverse mode on a computational graph."""

from __future__ import annotations

from typing import Any

import sympy

from ..core import Solution, Step, Table, Task
from ._common import (
    SIGMA_PRIME,
    Chain,
    Notation,
    Partial,
    Sigma,
    board,
    dec,
    eq,
    to_expr,
    to_number,
)

# Board notation for the matrix form of least squares.
_L, _n, _i, _j = sympy.symbols("L n i j")
_y_i, _w_j, _x_ij, _x_i, _e_i = sympy.symbols("y_i w_j x_ij x_i e_i")
_XW = Notation("Xw", latex="Xw", typst="X w")
_XT = Notation("X^T", text="Xᵀ", latex="X^{T}", typst="X^T")
_XI_W = Notation("x_i.w", text="x_i·w", latex=r"x_{i} \cdot w", typst="x_i dot w")
_NORM_R = Notation("|Xw - y|^2", text="‖Xw − y‖²", latex=r"\|Xw - y\|^{2}", typst="norm(X w - y)^2")
_SIGMA_PRIME_0 = Notation("sigma'(0)", text="σ'(0)", latex=r"\sigma'(0)", typst="sigma'(0)")
_NABLA_L = Notation("grad L", text="∇L", latex=r"\nabla L", typst="nabla L")

__all__ = ["mode_costs", "vanishing_gradient", "vectorised_least_squares"]


def vanishing_gradient(n_layers: int, z: Any = 0, *, weights: Any = 1) -> Solution:
    """The gradient reaching the first of ``n_layers`` stacked sigmoids: Π w_k σ'(z_k).

    ``z`` is the pre-activation of every layer (a number) or one per layer (a sequence);
    ``weights`` likewise (default 1).  Since σ'(z) = σ(z)(1 − σ(z)) ≤ 1/4, with weights of size
    at most 1 the product is at most (1/4)ⁿ.  Answer: the product (exact for exact inputs).
    """
    from ..functions import sigmoid

    n = int(n_layers)
    if not 1 <= n <= 200:
        raise ValueError("use between 1 and 200 layers")
    zs = [to_number(v) for v in z] if isinstance(z, (list, tuple)) else [to_number(z)] * n
    ws = (
        [to_number(v) for v in weights]
        if isinstance(weights, (list, tuple))
        else [to_number(weights)] * n
    )
    if len(zs) != n or len(ws) != n:
        raise ValueError("give one z and one weight per layer")
    t = sympy.Symbol("z")
    deriv = sigmoid(t) * (1 - sigmoid(t))
    rows = []
    product = sympy.Integer(1)
    for k, (zk, wk) in enumerate(zip(zs, ws), start=1):
        s_k = 1 / (1 + sympy.exp(-zk))  # σ(z_k) worked out: σ(ln 3) = 3/4, not σ(ln(3))
        factor = wk * s_k * (1 - s_k)
        product = product * factor
        rows.append(
            (k, zk, factor, dec(float(sympy.N(factor)), 6), dec(float(sympy.N(product)), 6))
        )
    sizes = [abs(w) for w in ws]
    bound = sympy.Mul(*sizes) * sympy.Rational(1, 4) ** n
    steps = [
        Step(
            "sigmoid_derivative",
            before=sigmoid(t),
            after=deriv,
            explanation="The sigmoid's slope is {slope}: largest in the middle and almost 0 "
            "where the curve is flat (saturated).",
            data={"slope": eq(SIGMA_PRIME, Chain(sigmoid(t), 1 - sigmoid(t)))},
        ),
        Step(
            "maximum",
            before=deriv,
            after=sympy.Rational(1, 4),
            explanation="It is largest at {z0}, where {half}, so the slope is at most one half "
            "times one half: {bound} everywhere.",
            data={
                "z0": eq(t, 0),
                "half": eq(sigmoid(t), sympy.S.Half),
                "bound": sympy.LessThan(SIGMA_PRIME, sympy.Rational(1, 4)),
                # the largest value is an equality at z = 0: σ'(0) = 1/2·1/2 = 1/4, not an
                # arrow from σ'(z) to 1/4
                "chain": (_SIGMA_PRIME_0, Chain(sympy.S.Half, sympy.S.Half), sympy.Rational(1, 4)),
            },
        ),
        Step(
            "chain_rule",
            after=product,
            explanation="Through {n} layers the chain rule multiplies one factor {factor} per "
            "layer, so the gradient reaching the first layer is their product.",
            data={
                "n": n,
                "factor": Chain(
                    sympy.Symbol("w_k"),
                    Notation(
                        "sigma'(z_k)", text="σ'(z_k)", latex=r"\sigma'(z_k)", typst="sigma'(z_k)"
                    ),
                ),
                "table": Table(("layer", "z_k", "factor", "approx.", "product"), rows),
            },
        ),
        Step(
            "vanishing_gradient",
            after=product,
            explanation=(
                "Each factor is at most {quarter} in size, so the product is at most "
                "{bound_is}, about {approx}: the early layers barely learn."
                if all(w == 1 for w in sizes)
                else "Each factor w_k·σ'(z_k) is at most |w_k|/4 in size, so the product is at "
                "most {bound} in size, about {approx}"
                + (
                    ": every |w_k| is below 4, so every factor is below 1 and the gradient "
                    "shrinks layer by layer."
                    if all(w < 4 for w in sizes)
                    else ": a weight of size 4 or more can make up for σ' ≤ 1/4."
                )
            ),
            data={
                "n": n,
                "bound": bound,
                "approx": dec(float(bound), 3),
                "quarter": sympy.Rational(1, 4),
                "bound_is": eq(sympy.Pow(sympy.Rational(1, 4), n, evaluate=False), bound),
            },
        ),
    ]
    task = Task(
        "vanishing_gradient",
        {"n_layers": n, "z": tuple(zs), "weights": tuple(ws)},
        "How big is the gradient that reaches the first of {n_layers} stacked sigmoid layers?",
    )
    return Solution(task, board(steps), product)


def _matrix(rows: Any, name: str) -> sympy.Matrix:
    if hasattr(rows, "tolist"):
        rows = rows.tolist()
    rows = [r if isinstance(r, (list, tuple)) else [r] for r in rows]
    return sympy.Matrix([[to_number(c) for c in r] for r in rows])


def vectorised_least_squares(X: Any, y: Any, w: Any) -> Solution:
    """The gradient of L(w) = (1/n)‖Xw − y‖² in matrix form, 2/n · Xᵀ(Xw − y), derived and
    checked against the loop over examples.  Answer: the gradient as a tuple."""
    Xm = _matrix(X, "X")
    ym = _matrix(y, "y")
    wm = _matrix(w, "w")
    n, d = Xm.shape
    if ym.shape != (n, 1) or wm.shape != (d, 1):
        raise ValueError(f"X is {n}×{d}, so y needs {n} entries and w needs {d}")
    r = Xm * wm - ym
    grad = (sympy.Rational(2, n) if n else 0) * Xm.T * r
    loss = (r.T * r)[0] / n
    loop = [sympy.Integer(0)] * d
    rows = []
    for i in range(n):
        pred = sum(Xm[i, j] * wm[j] for j in range(d))
        err = pred - ym[i]
        for j in range(d):
            loop[j] += sympy.Rational(2, n) * err * Xm[i, j]
        rows.append((i + 1, pred, ym[i], err, tuple(loop)))
    if [sympy.simplify(a - b) for a, b in zip(loop, grad)] != [0] * d:
        raise AssertionError("loop and matrix gradients differ")  # a bug here, never the user's
    answer = tuple(grad)
    steps = [
        Step(
            "loss_value",
            after=loss,
            explanation="The loss averages the squared errors of the predictions {Xw}: {L_is}.",
            data={
                "L": loss,
                "Xw": _XW,
                "L_is": eq(_L, Sigma((_XI_W - _y_i) ** 2, (_i, 1, _n)) / _n, _NORM_R / _n, loss),
            },
        ),
        Step(
            "chain_rule",
            explanation="One weight {w_j} moves every prediction by {x_ij}, so {slope}: a sum "
            "over the examples.",
            data={
                "w_j": _w_j,
                "x_ij": _x_ij,
                "slope": eq(
                    Partial(_L, _w_j),
                    Chain(2 / _n, Sigma(Chain(_XI_W - _y_i, _x_ij), (_i, 1, _n))),
                ),
            },
        ),
        Step(
            "vectorise",
            before=Xm,
            after=grad,
            explanation="That sum over {i} is row {j} of {XT} times the error vector, so all "
            "weights at once: {vec}. Here the errors are {r_is} and {g_is}.",
            data={
                "r": r,
                "g": grad,
                "i": _i,
                "j": _j,
                "XT": _XT,
                "vec": eq(_NABLA_L, Chain(2 / _n, _XT, _XW - sympy.Symbol("y"))),
                "r_is": eq(_XW - sympy.Symbol("y"), r),
                "g_is": eq(_NABLA_L, grad),
            },
        ),
        Step(
            "loop_check",
            after=answer,
            explanation="The loop over examples, adding {term} for each example (with {e_i} its "
            "error), gives the same gradient: the matrix form does the same arithmetic in one "
            "call.",
            data={
                "term": Chain(2 / _n, _e_i, _x_i),
                "e_i": _e_i,
                "table": Table(("i", "prediction", "y_i", "error", "running gradient"), rows),
            },
        ),
    ]
    task = Task(
        "vectorised_gradient",
        {
            "X": Xm,
            "y": ym,
            "w": wm,
            "loss": _NORM_R / _n,
            "X_is": eq(sympy.Symbol("X"), Xm),
            "y_is": eq(sympy.Symbol("y"), ym),
            "w_is": eq(sympy.Symbol("w"), wm),
        },
        "Compute the gradient of the least-squares loss {loss} for {X_is}, {y_is} and {w_is} "
        "with matrices.",
    )
    return Solution(task, board(steps), answer)


def mode_costs(expr: Any) -> Solution:
    """Count the work for the full gradient of ``expr`` in forward mode and in reverse mode.

    On the computational graph with E edges (local derivatives) and n inputs: one forward pass
    evaluates the nodes; forward mode then needs one tangent sweep per input, n·E multiply-adds;
    reverse mode needs one backward sweep, E multiply-adds, whatever n is.  Answer:
    ``{"inputs": n, "edges": E, "forward_mode": n·E, "reverse_mode": E}``.
    """
    from .backpropagation import graph

    f = to_expr(expr)
    g = graph(f)
    inputs = [nd for nd in g.nodes if nd.op == "input"]
    ops = [nd for nd in g.nodes if nd.op not in ("input", "const")]
    edges = [e for e in g.edges if g.node(e.source).op != "const"]
    n, E = len(inputs), len(edges)
    steps = [
        Step(
            "computational_graph",
            before=f,
            after=g,
            explanation="The graph has {ops} operations, {n} inputs and {E} edges that carry a "
            "local derivative.",
            data={"ops": len(ops), "n": n, "E": E, "graph": g},
        ),
        Step(
            "forward_mode",
            after=n * E,
            explanation="Forward mode pushes the change of one input through the graph: one "
            "multiply-add per edge, {E}, and one sweep per input, so {cost_is} for the whole "
            "gradient.",
            data={"n": n, "E": E, "cost": n * E, "cost_is": eq(Chain(n, E), n * E)},
        ),
        Step(
            "reverse_mode",
            after=E,
            explanation="Reverse mode (backpropagation) walks back once from the output and "
            "collects every input's gradient on the way: {E} multiply-adds.",
            data={"E": E},
        ),
        Step(
            "comparison",
            explanation="With one output and many inputs, as in training a network, reverse mode "
            "is about {n} times cheaper (the number of inputs); with one input forward mode "
            "costs the same.",
            data={"n": n},
        ),
    ]
    task = Task(
        "mode_costs",
        {"expr": f},
        "Count the work for the gradient of {expr} in forward and in reverse mode.",
    )
    return Solution(
        task, board(steps), {"inputs": n, "edges": E, "forward_mode": n * E, "reverse_mode": E}
    )
