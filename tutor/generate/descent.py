"""Lectures 08, 09 and 15–17: gradient descent by hand and in code.

Quadratics and 2-D bowls with rational learning rates (1/4, 1/10, ...) keep every iterate
exact, so an iteration table is checkable to the last digit. Worked solutions come from
``tutor.ml.descent`` (runs, diagnoses) and ``tutor.ml.gradcheck`` (gradient checks); a family
whose question differs from the engine's redraws when the engine's answer does not agree.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import sympy
from sympy import Rational

from .._diff import diff
from ..core import Solution, Step, Table, Task
from .builders import X, Y, coeff, nz, phrase, small_rational
from .engines import engine_solution, run_engine
from .registry import Draft, Redraw, family

_LRS = [(1, 4), (1, 10), (1, 5), (1, 8), (1, 3), (1, 20)]


def _iterate(
    f: sympy.Expr, variables: Sequence[sympy.Symbol], start: Sequence[Any], lr: Any, steps: int
) -> list[tuple]:
    points = [tuple(sympy.Integer(s) if isinstance(s, int) else s for s in start)]
    try:  # a polynomial with rational coefficients: its gradient as polynomials, 10x cheaper
        poly = sympy.Poly(f, *variables, domain="QQ")
        fast = [poly.diff(v) for v in variables]
    except (sympy.PolynomialError, sympy.CoercionFailed):
        fast = None
    grad: list[Any] = []
    for _ in range(steps):
        sub = dict(zip(variables, points[-1]))
        if fast is not None and all(isinstance(c, sympy.Rational) for c in points[-1]):
            g = [gi.eval(sub) for gi in fast]  # exact: the same numbers as diff and subs
        else:
            grad = grad or [diff(f, v) for v in variables]
            g = [gi.subs(sub) for gi in grad]
        points.append(tuple(p - lr * gi for p, gi in zip(points[-1], g)))
    return points


def _descent_solution(
    f: sympy.Expr,
    variables: Sequence[sympy.Symbol],
    start: Any,
    lr: Any,
    steps: int,
    answer: Any,
    extract: Any,
) -> Solution:
    return engine_solution(
        "tutor.ml.descent:gradient_descent",
        (f,),
        {"start": start, "lr": lr, "steps": steps, "variables": [str(v) for v in variables]},
        answer=answer,
        kind="gradient_descent",
        params={"expr": f, "start": start, "lr": lr, "steps": steps},
        statement="Run gradient descent.",
        extract=extract,
    )


def _path(sol: Solution, fallback: Sequence[tuple]) -> list[list[Any]]:
    """The iterates a figure draws: the engine's (the iteration table of the worked
    solution), so the plotted path is the path the solution computes."""
    step = next((s for s in sol.walk() if s.rule == "iteration_table"), None)
    its = step.data.get("iterates") if step is not None else None
    return [list(p) if isinstance(p, (tuple, list)) else [p] for p in (its or fallback)]


def _final(iterates: Any) -> Any:
    last = list(iterates)[-1]
    if isinstance(last, (tuple, list, sympy.Tuple)) and len(last) == 1:
        return last[0]
    if isinstance(last, sympy.MatrixBase):
        return tuple(last)
    return last


def _all_1d(iterates: Any) -> list:
    return [p[0] if isinstance(p, (tuple, list, sympy.Tuple)) else p for p in iterates]


@family(
    "descent-1d",
    8,
    "Gradient descent steps x ← x − η f'(x) on a 1-D loss, kept exact.",
    {1: "2 steps on a quadratic", 2: "3 steps, list every iterate", 3: "2 steps on a quartic"},
)
def descent_1d(rng: random.Random, d: int) -> Draft:
    m = nz(rng, -4, 4, ())
    a = nz(rng, 1, 3)
    lr = small_rational(rng, _LRS)
    if d < 3:
        f = sympy.expand(a * (X - m) ** 2 + nz(rng, -5, 5, ()))
        r = 1 - 2 * a * lr
        if r == 0 or abs(r) >= 1:
            raise Redraw("jumps straight to the minimum or diverges")
    else:
        c = nz(rng, 1, 3)
        f = X**4 / 4 - c * X**2 + coeff(rng, 1) * X
        lr = small_rational(rng, [(1, 10), (1, 20)])
    x0 = nz(rng, -5, 5, (m,) if d < 3 else (0,))
    steps = {1: 2, 2: 3, 3: 2}[d]
    its = [p[0] for p in _iterate(f, [X], [x0], lr, steps)]
    if len(set(its)) < len(its):
        raise Redraw("stalled")
    if d == 2:
        answer: Any = its[1:]
        kind = "list"
        extract = lambda r: _all_1d(r)[1:]  # noqa: E731
        ask = "List x_1, x_2 and x_3."
    else:
        answer, kind, extract = its[-1], "number", _final
        ask = f"What is x_{steps}?"
    sol = _descent_solution(f, [X], (x0,), lr, steps, answer, extract)
    prompt = phrase(
        rng,
        [
            "Run gradient descent on f(x) = {f} from x_0 = {x0} with learning rate η = {lr}, for "
            + str(steps)
            + " steps. "
            + ask,
            "Start at x_0 = {x0} and take "
            + str(steps)
            + " gradient descent steps x ← x − η f'(x) on f(x) = {f}, with η = {lr}. "
            + ask,
            "A model's loss is f(x) = {f}. Training starts at x_0 = {x0} with learning rate {lr}. "
            + ask,
        ],
    )
    return Draft(
        prompt,
        {"f": f, "x0": x0, "lr": lr},
        answer,
        kind,
        sol,
        {},
        {"kind": "descent", "expr": f, "start": x0, "lr": lr, "steps": steps},
    )


@family(
    "descent-2d",
    8,
    "Gradient descent on a 2-D bowl: the point after a few steps downhill.",
    {
        1: "a round-ish bowl, 1 step",
        2: "an elongated bowl, 2 steps",
        3: "a tilted bowl with an xy term, 2 steps",
    },
)
def descent_2d(rng: random.Random, d: int) -> Draft:
    p, q = nz(rng, -3, 3, ()), nz(rng, -3, 3, ())
    a, c = nz(rng, 1, 2), nz(rng, 1, 3)
    bxy = nz(rng, -1, 1) if d == 3 else 0
    f = sympy.expand(a * (X - p) ** 2 + c * (Y - q) ** 2 + bxy * (X - p) * (Y - q))
    lr = small_rational(rng, [(1, 4), (1, 10), (1, 8), (1, 5)])
    start = (nz(rng, -4, 4, (p,)), nz(rng, -4, 4, (q,)))
    steps = 1 if d == 1 else 2
    pts = _iterate(f, [X, Y], start, lr, steps)
    answer = pts[-1]
    if answer == (p, q) or len(set(pts)) < len(pts):
        raise Redraw("landed on the minimum")
    sol = _descent_solution(f, [X, Y], start, lr, steps, answer, _final)
    prompt = phrase(
        rng,
        [
            "Take "
            + _steps(steps, "gradient descent step")
            + " on f(x, y) = {f} from {start} with η = {lr}. Where do you land?",
            "The loss surface is f(x, y) = {f}. Starting at {start} with learning rate {lr}, find the point after "
            + _steps(steps)
            + " of (x, y) ← (x, y) − η∇f.",
        ],
    )
    return Draft(
        prompt,
        {"f": f, "start": start, "lr": lr},
        answer,
        "point",
        sol,
        {},
        {"kind": "contour", "expr": f, "path": _path(sol, pts)},
    )


@family(
    "stable-lr",
    9,
    "The largest stable learning rate 2/L for a quadratic loss (L = largest curvature).",
    {
        1: "1-D quadratic",
        2: "2-D bowl without xy term",
        3: "2-D bowl with an xy term (eigenvalues)",
    },
)
def stable_lr(rng: random.Random, d: int) -> Draft:
    a = nz(rng, 1, 6)
    if d == 1:
        f = a * X**2 + coeff(rng, 1) * X + nz(rng, -5, 5, ())
        curv = 2 * a
    elif d == 2:
        c = nz(rng, 1, 6, (a,))
        f = a * X**2 + c * Y**2 + coeff(rng, 1) * X
        curv = 2 * max(a, c)
    else:
        b = nz(rng, 1, 2 * a - 1) if a > 1 else None
        if b is None:
            raise Redraw("need a > 1")
        # linear terms move the bowl's centre, not its curvature: the threshold stays 2/(2a + b)
        f = a * X**2 + b * X * Y + a * Y**2 + nz(rng, -6, 6, ()) * X + nz(rng, -6, 6, ()) * Y
        curv = 2 * a + b
    answer = Rational(2, curv)
    sol = engine_solution(
        "tutor.ml.descent:max_stable_lr",
        (f,),
        {},
        answer=answer,
        kind="max_stable_lr",
        params={"expr": f},
        statement="Largest stable learning rate.",
    )
    prompt = phrase(
        rng,
        [
            "For the loss f = {f}, gradient descent converges exactly when η < η_max. Find η_max.",
            "What is the largest learning rate for which gradient descent on f = {f} does not blow up (the threshold 2/L)?",
            "Gradient descent on the loss f = {f} settles for small η and blows up for large η. Where is the threshold η_max?",
        ],
    )
    # the picture: just below the threshold the loss settles, just above it blows up
    start = [1] * len(f.free_symbols)
    lrs = [answer * Rational(9, 10), answer * Rational(11, 10)]
    figure = {"kind": "loss-curve", "expr": f, "lr": lrs, "start": start, "steps": 20}
    return Draft(prompt, {"f": f}, answer, "number", sol, {}, figure)


_DIAGNOSES = ["converges smoothly", "converges while oscillating", "oscillates forever", "diverges"]
# The descent engine's labels (tutor.ml.descent.DIAGNOSES) that agree with each of ours: its
# "oscillating" covers η near 2/L on either side, its "converged" any run settling in.
_ENGINE_FITS = {
    "converges smoothly": ("converged", "slow"),
    "converges while oscillating": ("converged", "oscillating"),
    "oscillates forever": ("oscillating",),
    "diverges": ("diverging",),
}


@family(
    "diagnose-descent",
    9,
    "Predict what gradient descent does for a given learning rate: converge, oscillate or diverge.",
    {1: "a quadratic and η", 2: "bigger curvature", 3: "from the first iterates only"},
)
def diagnose_descent(rng: random.Random, d: int) -> Draft:
    a = nz(rng, 1, 2 + d)
    m = nz(rng, -3, 3, ())
    f = sympy.expand(a * (X - m) ** 2)
    target = rng.choice(_DIAGNOSES)
    lo, hi = {
        "converges smoothly": (0, Rational(1, 2 * a)),
        "converges while oscillating": (Rational(1, 2 * a), Rational(1, a)),
        "oscillates forever": (Rational(1, a), Rational(1, a)),
        "diverges": (Rational(1, a), Rational(2, a)),
    }[target]
    if lo == hi:
        lr = lo
    else:
        cands = [Rational(k, 20 * a) for k in range(1, 40) if lo < Rational(k, 20 * a) < hi]
        lr = rng.choice(cands)
    r = 1 - 2 * a * lr
    x0 = m + nz(rng, -3, 3)
    its = [x0]
    for _ in range(4):
        its.append(its[-1] - lr * 2 * a * (its[-1] - m))
    # The engine runs the iterations and names what the run does in its own (coarser) words;
    # the contraction factor 1 − η·f'' then tells the four behaviours apart exactly.
    eng = run_engine("tutor.ml.descent:diagnose", f, x0, lr, 4)
    if eng is None or eng.answer not in _ENGINE_FITS[target]:
        raise Redraw("the descent engine reads this run differently")
    answer = target
    steps = (
        *eng.steps,
        Step(
            "contraction_factor",
            before=f,
            after=r,
            explanation="Each step multiplies the distance to the minimum by 1 − η·f'' = 1 − {lr}·{curv} = {r}.",
            data={"lr": lr, "curv": 2 * a, "r": r},
        ),
        Step(
            "diagnose",
            before=r,
            after=answer,
            explanation="A factor between 0 and 1 shrinks the error steadily; between −1 and 0 it flips sign but shrinks; exactly −1 bounces forever; below −1 the error grows: here the run {verdict}.",
            data={"verdict": answer},
        ),
    )
    sol = Solution(
        Task("diagnose_descent", {"expr": f, "lr": lr, "start": x0}, "Diagnose a descent run."),
        steps,
        answer,
    )
    if d < 3:
        prompt = phrase(
            rng,
            [
                "Gradient descent runs on f(x) = {f} with learning rate η = {lr} from x_0 = {x0}. Does it converge smoothly, converge while oscillating, oscillate forever or diverge?",
                "With η = {lr}, what does gradient descent do on f(x) = {f}? Choose: converges smoothly, converges while oscillating, oscillates forever, diverges.",
            ],
        )
        given = {"f": f, "lr": lr, "x0": x0}
    else:
        prompt = "A run of gradient descent on a quadratic loss produced x_0, x_1, x_2, x_3 = {trace}. What happens if it keeps going? Choose: converges smoothly, converges while oscillating, oscillates forever, diverges."
        given = {"trace": tuple(its[:4]), "f": f, "lr": lr}
    return Draft(
        prompt,
        given,
        answer,
        "choice",
        sol,
        {"choices": list(_DIAGNOSES)},
        {"kind": "loss-curve", "expr": f, "lr": lr, "start": x0},
    )


_BUGS = (
    "missing_factor",
    "power",
    "sign",
)  # planted bugs: a dropped factor, an unlowered power, a sign


@family(
    "gradient-check",
    15,
    "Check a gradient function against central finite differences.",
    {
        1: "compute the central difference",
        2: "is the coded gradient right? (polynomial)",
        3: "is it right? (exp and trig)",
    },
)
def gradient_check(rng: random.Random, d: int) -> Draft:
    k = nz(rng, -2, 2)
    a, b, c = coeff(rng, 1), coeff(rng, 1), coeff(rng, 1)
    if d < 3:
        f = a * X**3 + b * X**2 + c * X
        good = [3 * a * X**2, 2 * b * X, c]
        buggy = {
            "missing_factor": [a * X**2, b * X, c],
            "sign": [3 * a * X**2, -2 * b * X, c],
            "power": [3 * a * X**3, 2 * b * X**2, c * X],
        }
    else:
        f = a * sympy.exp(k * X / 2) + b * sympy.sin(X)
        good = [a * Rational(k, 2) * sympy.exp(k * X / 2), b * sympy.cos(X)]
        buggy = {
            "missing_factor": [a * sympy.exp(k * X / 2), b * sympy.cos(X)],
            "sign": [a * Rational(k, 2) * sympy.exp(k * X / 2), -b * sympy.sin(X)],
            "power": [a * Rational(k, 2) * sympy.exp(k * X / 2), -b * sympy.cos(X)],
        }
    x0 = sympy.Integer(nz(rng, -2, 2, ()) if d < 3 else nz(rng, 0, 2, ()))
    h = Rational(1, 100) if d == 1 else Rational(1, 1000)
    estimate = (f.subs(X, x0 + h) - f.subs(X, x0 - h)) / (2 * h)
    steps = [
        Step(
            "central_difference",
            before=f,
            after=estimate,
            explanation="Nudge the input both ways and measure the change: (f({x0} + h) − f({x0} − h)) / (2h) with h = {h} gives {estimate}.",
            data={"x0": x0, "h": h, "estimate": estimate if d < 3 else estimate.evalf(10)},
        )
    ]
    if d == 1:
        answer, kind, opts = estimate, "number", {}
        given = {"f": f, "x0": x0, "h": h}
        prompt = phrase(
            rng,
            [
                "Estimate the slope of f(x) = {f} at x = {x0} with the central difference (f(x + h) − f(x − h))/(2h), h = {h}. Give the exact value.",
                "Gradient checking: compute the central finite difference of f(x) = {f} at x = {x0} with step h = {h}.",
            ],
        )
    else:
        bug = rng.choice([None, *_BUGS])
        g = sympy.Add(*(good if bug is None else buggy[bug]))
        gx = g.subs(X, x0)
        rel = abs(gx - estimate) / max(abs(gx), abs(estimate), sympy.Rational(1, 10**12))
        rel_f = rel.evalf(6)
        answer = "correct" if rel_f < 1e-4 else "incorrect"
        if (bug is None) != (answer == "correct"):
            raise Redraw("bug invisible at this point")
        # The gradient-check engine measures the slope in floating point with the same h and
        # flags a relative error above 1e-4; it must reach our exact verdict.
        eng = run_engine(
            "tutor.ml.gradcheck:gradient_check",
            f,
            lambda t: float(g.subs(X, t)),
            float(x0),
            float(h),
            tol=1e-4,
        )
        if eng is None or eng.answer["ok"] != (answer == "correct"):
            raise Redraw("the gradient-check engine disagrees at this point")
        steps[0] = Step(
            "central_difference_value",
            before=f,
            after=estimate,
            explanation=steps[0].explanation,
            data=steps[0].data,
        )
        steps = [
            eng.steps[0],
            steps[0],
            *eng.steps[1:],
            Step(
                "read_answer",
                before=eng.answer["ok"],
                after=answer,
                explanation="The relative error is {rel}, so the coded gradient is {answer}.",
                data={"rel": rel_f, "answer": answer},
            ),
        ]
        kind, opts = "choice", {"choices": ["correct", "incorrect"]}
        given = {"f": f, "g": g, "x0": x0, "h": h}
        prompt = phrase(
            rng,
            [
                "A student coded the gradient of f(x) = {f} as g(x) = {g}. Check it at x = {x0} with a central difference (h = {h}): is it correct or incorrect?",
                "Gradient check: f(x) = {f}, claimed derivative g(x) = {g}. Compare g({x0}) with (f(x + h) − f(x − h))/(2h) for h = {h}. Is the claimed gradient correct?",
            ],
        )
    sol = Solution(
        Task("gradient_check", {"expr": f, "at": x0, "h": h}, "Gradient check."), steps, answer
    )
    return Draft(prompt, given, answer, kind, sol, opts, {"kind": "secants", "expr": f, "a": x0})


@family(
    "train-linear",
    16,
    "Train y = wx + b on a small data set by gradient descent on the mean squared error.",
    {1: "1 step on 3 points", 2: "2 steps on 3 points", 3: "2 steps on 4 points"},
)
def train_linear(rng: random.Random, d: int) -> Draft:
    w, b = sympy.symbols("w b")
    n = 4 if d == 3 else 3
    xs = sorted(rng.sample(range(-2, 4), n))
    ws, bs = nz(rng, -3, 3), nz(rng, -3, 3, ())
    ys = [ws * v + bs + nz(rng, -1, 1, ()) for v in xs]
    loss = sympy.Add(*[(w * xv + b - yv) ** 2 for xv, yv in zip(xs, ys)]) / n
    lr = small_rational(rng, [(1, 10), (1, 20), (1, 5)])
    steps = 1 if d == 1 else 2
    pts = _iterate(loss, [w, b], (0, 0), lr, steps)
    answer = pts[-1]
    if 0 in answer:
        raise Redraw("a parameter did not move")
    sol = _descent_solution(sympy.expand(loss), [w, b], (0, 0), lr, steps, answer, _final)
    prompt = phrase(
        rng,
        [
            "Train the model ŷ = wx + b on the data x = {xs}, y = {ys} with the mean squared error loss, starting from w = b = 0 with learning rate {lr}. Give (w, b) after "
            + _steps(steps, "gradient descent step")
            + ".",
            "One pass of training is: compute the MSE gradient (∂L/∂w, ∂L/∂b) on x = {xs}, y = {ys}, then step downhill with η = {lr}. From (w, b) = (0, 0), where are the parameters after "
            + _steps(steps)
            + "?",
        ],
    )
    given = {"xs": tuple(xs), "ys": tuple(ys), "lr": lr, "loss": loss}
    return Draft(
        prompt,
        given,
        answer,
        "point",
        sol,
        {},
        {"kind": "loss-curve", "expr": loss, "path": _path(sol, pts)},
    )


@family(
    "lab-descent",
    17,
    "Lab: code gradient descent and report the iterate after many steps (to 4 decimals).",
    {1: "10 steps on a quadratic", 2: "15 steps on a quartic", 3: "20 steps in 2-D"},
)
def lab_descent(rng: random.Random, d: int) -> Draft:
    lr = Rational(1, 10) if d < 3 else Rational(1, 20)
    if d == 1:
        f, variables, start = (
            sympy.expand(nz(rng, 1, 3) * (X - nz(rng, -4, 4)) ** 2 + nz(rng, -3, 3, ())),
            [X],
            (nz(rng, -5, 5, ()),),
        )
        steps = 10
    elif d == 2:
        f, variables, start = (
            X**4 / 4 - nz(rng, 1, 3) * X**2 + coeff(rng, 1) * X,
            [X],
            (nz(rng, -2, 2, ()),),
        )
        steps = 15
    else:
        f = sympy.expand(
            nz(rng, 1, 3) * (X - nz(rng, -3, 3)) ** 2
            + nz(rng, 1, 4) * (Y - nz(rng, -3, 3)) ** 2
            + X * Y
        )
        variables, start, steps = [X, Y], (nz(rng, -3, 3, ()), nz(rng, -3, 3, ())), 20
    at = dict(zip(variables, start))
    if any(diff(f, v).subs(at) == 0 for v in variables):
        # a start where the gradient (or one slope of it) is zero: a program that steps the
        # wrong way would still print the right numbers, so the lab could not tell
        raise Redraw("starts where a slope is zero")
    pts = _iterate_float(f, variables, start, lr, steps)
    final = pts[-1]
    # asked for decimals, answered in decimals (6 places, checked to the 4 asked for)
    if len(final) == 1:
        answer: Any = _decimals(final[0])
        ask = "the value of x after " + str(steps) + " steps"
    else:
        answer = _decimals(float(f.subs(dict(zip(variables, final)))))
        ask = "the loss f after " + str(steps) + " steps"
    table = Table(
        tuple(["k", *[str(v) for v in variables]]),
        [(k, *[round(v, 6) for v in p]) for k, p in enumerate(pts) if k % 5 == 0 or k == steps],
    )
    code = "x = start\nfor k in range(steps):\n    x = x - lr * grad_f(x)\n"  # the reference loop the lab asks for
    sol = Solution(
        Task(
            "lab_descent",
            {"expr": f, "start": start, "lr": lr, "steps": steps},
            "Implement gradient descent.",
        ),
        (
            Step(
                "gradient",
                before=f,
                after=tuple(diff(f, v) for v in variables),
                explanation="First the gradient by hand: {grad}.",
                data={"grad": tuple(diff(f, v) for v in variables)},
            ),
            Step(
                "reference_code",
                before=None,
                after=code,
                explanation="The update rule in code: step against the gradient, scaled by the learning rate.",
                data={},
            ),
            Step(
                "run",
                before=start,
                after=table,
                explanation="Running it gives the iterates (every 5th shown).",
                data={"table": table},
            ),
        ),
        answer,
    )
    prompt = phrase(
        rng,
        [
            "Write a Python function that runs gradient descent on f = {f} from {start} with η = {lr}. Report "
            + ask
            + ", to 4 decimal places.",
            "Lab task: implement x ← x − η∇f(x) for f = {f}, start {start}, learning rate {lr}. What is "
            + ask
            + " (4 decimals)?",
        ],
    )
    return Draft(
        prompt,
        {"f": f, "start": start, "lr": lr},
        answer,
        "number",
        sol,
        {"tol": 1e-4},
        {"kind": "descent", "expr": f, "start": list(start), "lr": lr, "steps": steps},
    )


def _decimals(v: float, places: int = 6) -> Any:
    """A decimal answer that prints as one (3.570503, not 3570503/1000000)."""
    text = f"{v:.{places}f}"
    return sympy.Float(text, max(1, len(text.lstrip("-").replace(".", "").lstrip("0"))))


def _iterate_float(
    f: sympy.Expr, variables: Sequence[sympy.Symbol], start: Sequence[int], lr: Any, steps: int
) -> list[tuple[float, ...]]:
    """The iterates of ``tutor.gradient_descent`` in its float mode (what the lab's code gives)."""
    from ..ml.descent import descent_path

    point = start[0] if len(start) == 1 else list(start)
    path, _ = descent_path(f, point, float(lr), steps, [v.name for v in variables], limit=1e300)
    return [tuple(float(c) for c in p) for p in path]


def _steps(n: int, noun: str = "step") -> str:
    """``1 step``, ``3 steps``."""
    return f"{n} {noun}" + ("" if n == 1 else "s")
