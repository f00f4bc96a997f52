"""Least squares in one parameter (lecture 07), and with an intercept: the loss written out,
its derivative set to zero, the minimiser in closed form, in exact arithmetic on exact data."""

from __future__ import annotations

from typing import Any

import sympy

from ...core import Solution, Step, Table, Task
from ._common import to_number

W, B = sympy.symbols("w b", real=True)


def _exact(v: Any) -> Any:
    """Data as exact numbers: 0.1 is 1/10 (decimals are exact decimals)."""
    if isinstance(v, float):
        return sympy.Rational(repr(v))
    return to_number(v)


def _model(model: str) -> bool:
    """True for ``y = w x + b``, False for ``y = w x``."""
    m = model.replace(" ", "").replace("*", "").lower()
    if m in ("y=wx", "wx", "proportional", "origin"):
        return False
    if m in ("y=wx+b", "wx+b", "linear", "affine", "y=b+wx"):
        return True
    raise ValueError(f"unknown model {model!r}: use 'y = w x' or 'y = w x + b'")


LOSS = sympy.Symbol("L")


def least_squares(xs: Any, ys: Any, model: str = "y = w x") -> Solution:
    """Minimise L = sum (model(x_i) - y_i)^2 over the data; answer w, or (w, b) with intercept."""
    xs = [_exact(v) for v in xs]
    ys = [_exact(v) for v in ys]
    if len(xs) != len(ys) or not xs:
        raise ValueError("xs and ys must be non-empty and of the same length")
    affine = _model(model)
    n = len(xs)
    sx, sy = sum(xs), sum(ys)
    sxx = sum(v * v for v in xs)
    sxy = sum(a * b for a, b in zip(xs, ys))
    pred = [W * xi + (B if affine else 0) for xi in xs]
    L = sympy.Add(
        *[sympy.Pow(p - yi, 2, evaluate=False) for p, yi in zip(pred, ys)], evaluate=False
    )
    Lx = sympy.expand(sum((p - yi) ** 2 for p, yi in zip(pred, ys)))
    rows = tuple((i, xi, yi, xi * xi, xi * yi) for i, (xi, yi) in enumerate(zip(xs, ys), 1))
    rows += (("Σ", sx, sy, sxx, sxy),)
    table = Table(("i", "x", "y", "x^2", "x y"), rows, caption="the data and the sums we need")
    steps = [
        Step(
            "loss",
            before=(tuple(xs), tuple(ys)),
            after=L,
            explanation="The loss adds up the squared errors between prediction and data: "
            "L = {L}. Learning means making it as small as possible.",
            data={"L": L, "table": table, "show": [sympy.Eq(LOSS, L, evaluate=False), table]},
        ),
        Step(
            "expand",
            before=L,
            after=Lx,
            explanation="Multiply out: L = {Lx}"
            + (", a bowl in w and b." if affine else ", a parabola in w that opens upward."),
            data={"Lx": Lx, "chain": (LOSS, Lx)},  # L = 38w² − 160w + 171
        ),
    ]
    if not affine:
        if sxx == 0:
            raise ValueError("all x are 0: every w fits equally well")
        dL = sympy.diff(Lx, W)
        w = sxy / sxx
        steps += [
            Step(
                "differentiate",
                before=Lx,
                after=dL,
                explanation="Its slope: dL/dw = {dL} = 2(w Σx^2 - Σxy).",
                data={"dL": dL},
            ),
            Step(
                "solve_linear",
                before=sympy.Eq(dL, 0),
                after=sympy.Eq(W, w),
                explanation="The bottom of the loss curve is where the slope is zero: "
                "{eq}. With Σxy = {sxy} and Σx^2 = {sxx}, w = Σxy/Σx^2 = {w} (≈ {wd}).",
                data={
                    "eq": sympy.Eq(dL, 0),
                    "sxy": sxy,
                    "sxx": sxx,
                    "w": w,
                    "wd": sympy.Float(w, 6),
                },
            ),
            Step(
                "second_derivative_test",
                before=w,
                after="minimum",
                explanation="d^2L/dw^2 = 2Σx^2 = {d2} > 0, so this is the minimum: the best w.",
                data={"d2": 2 * sxx},
            ),
        ]
        answer: Any = w
    else:
        dw, db = sympy.diff(Lx, W), sympy.diff(Lx, B)
        det = n * sxx - sx**2
        if det == 0:
            raise ValueError("all x are equal: the line is not determined by the data")
        w = (n * sxy - sx * sy) / det
        b = (sy - w * sx) / n
        eqs = (sympy.Eq(dw, 0), sympy.Eq(db, 0))
        steps += [
            Step(
                "gradient",
                before=Lx,
                after=(dw, db),
                explanation="Its slopes in each direction: ∂L/∂w = {dw} and ∂L/∂b = {db}.",
                data={"dw": dw, "db": db, "name": "L"},
            ),
            Step(
                "solve_system",
                before=eqs,
                after=(w, b),
                explanation="At the bottom of the bowl both slopes are zero. The normal equations "
                "{eqs} give w = (nΣxy - ΣxΣy)/(nΣx^2 - (Σx)^2) = {w} and b = (Σy - wΣx)/n = {b}.",
                data={"eqs": eqs, "w": w, "b": b, "unknowns": (W, B)},
            ),
            Step(
                "hessian_test",
                before=(w, b),
                after="minimum",
                explanation="The Hessian {H} has D = 4(nΣx^2 - (Σx)^2) = {D} > 0 and "
                "L_ww = {lww} > 0: a bowl, so this is the minimum.",
                data={
                    "H": sympy.hessian(Lx, (W, B)),
                    "D": 4 * det,
                    "lww": 2 * sxx,
                },
            ),
        ]
        answer = (w, b)
    task = Task(
        "least_squares",
        {"xs": tuple(xs), "ys": tuple(ys), "model": "y = w x + b" if affine else "y = w x"},
        "Find the parameters that minimise the squared-error loss on the data.",
    )
    return Solution(task, steps, answer)
