"""Gradient descent as a worked solution: the iteration table, stopping rules, the diagnosis of a
run (converged, diverging, oscillating, plateau, local minimum, saddle point, slow) and the
largest stable learning rate of a quadratic.

Exact inputs (integers, fractions, decimal text such as ``"0.1"``) give exact iterates, so the
answers can be checked; float inputs give floats.  Exact fractions grow with every step, so an
exact run switches to 15-digit decimals after ``MAX_EXACT_STEPS`` steps, when numerators grow past
``MAX_EXACT_DIGITS`` digits, or when a value stops being a fraction (``e^x``), and says so.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy

from .._diff import diff
from ..core import Solution, Step, Table, Task
from ._common import (
    ETA,
    Notation,
    Ordered,
    board,
    dec,
    eq,
    is_exact,
    numeric,
    sig,
    to_expr,
    to_number,
    variables_of,
)

# Board notation: the slope and gradient at a point, the next iterate, the velocity.
F_PRIME = Notation("f'(x)", latex="f'(x)", typst="f'(x)")
NABLA_F = Notation("grad f", text="∇f", latex=r"\nabla f", typst="nabla f")
L_SYM = sympy.Symbol("L")
MU = sympy.Symbol("mu")
ONE_OVER_L = Notation("1/L", latex=r"\frac{1}{L}", typst="1/L")
F_SECOND = Notation("f''(x)", latex="f''(x)", typst="f''(x)")
F_SYM = sympy.Symbol("f")


def _at_k(name: str) -> sympy.Symbol:
    return sympy.Symbol(f"{name}_k")


def _next(name: str) -> Notation:
    return Notation(f"{name}_(k+1)", latex=f"{name}_{{k+1}}", typst=f"{name}_(k+1)")


def _slope_at(v: str, one: bool) -> Notation:
    if one:
        return Notation(f"f'({v}_k)", latex=f"f'({v}_k)", typst=f"f'({v}_k)")
    return Notation(
        f"grad f({v}_k)", text=f"∇f({v}_k)", latex=rf"\nabla f({v}_k)", typst=f"nabla f({v}_k)"
    )


__all__ = [
    "DIAGNOSES",
    "MAX_EXACT_DIGITS",
    "MAX_EXACT_STEPS",
    "diagnose",
    "gradient_descent",
    "max_stable_lr",
]

MAX_EXACT_STEPS = 50
MAX_EXACT_DIGITS = 60
MAX_STEPS = 10_000
DIAGNOSES = (
    "converged",
    "diverging",
    "oscillating",
    "plateau",
    "local_minimum",
    "saddle_point",
    "slow",
)
_HUGE = 1e150


@dataclass
class _Run:
    """The record of one run: iterates, values, gradients and steps (floats or sympy numbers)."""

    xs: list[tuple[Any, ...]] = field(default_factory=list)
    fs: list[Any] = field(default_factory=list)
    gs: list[tuple[Any, ...]] = field(default_factory=list)
    steps: list[tuple[Any, ...]] = field(default_factory=list)
    stop: str = "max_steps"
    switched_at: int | None = None
    switch_reason: str = ""
    exact: bool = True


# --------------------------------------------------------------------------- inputs


def _setup(
    expr: Any, start: Any, variables: Any
) -> tuple[sympy.Expr, tuple[sympy.Symbol, ...], tuple[Any, ...]]:
    f = _real(to_expr(expr, variables))
    xs = tuple(sympy.Symbol(v.name, real=True) for v in variables_of(f, variables))
    if isinstance(start, str) and "," in start:
        start = [s for s in start.split(",")]
    pts = start if isinstance(start, (list, tuple)) else [start]
    if hasattr(start, "tolist"):
        pts = start.tolist() if start.ndim else [start.item()]
    x0 = tuple(to_number(p) for p in pts)
    if not xs:
        xs = (sympy.Symbol("x", real=True),)
    if len(x0) != len(xs):
        names = ", ".join(v.name for v in xs)
        raise ValueError(f"the start has {len(x0)} coordinate(s) but f has variables ({names})")
    return f, xs, x0


def _real(f: sympy.Expr) -> sympy.Expr:
    """f with its variables declared real, so that |x|' is sign(x) rather than complex parts."""
    return f.xreplace({v: sympy.Symbol(v.name, real=True) for v in f.free_symbols})


def _rational_small(v: Any) -> bool:
    if not isinstance(v, sympy.Rational):
        return False
    return max(len(str(abs(v.p))), len(str(v.q))) <= MAX_EXACT_DIGITS


def _run(
    f: sympy.Expr,
    xs: tuple[sympy.Symbol, ...],
    x0: tuple[Any, ...],
    lr: Any,
    steps: int,
    momentum: Any = 0,
    tol: Any = None,
    step_tol: Any = None,
    exact: bool | None = None,
) -> _Run:
    grad = [diff(f, v) for v in xs]
    if exact is None:
        exact = is_exact(f) and all(is_exact(v) for v in (*x0, lr, momentum))
    run = _Run(exact=bool(exact))
    fnum = numeric([f, *grad], xs)

    def ev_exact(x: tuple[Any, ...]) -> tuple[Any, tuple[Any, ...]] | None:
        sub = dict(zip(xs, x))
        vals = [sympy.expand(e.xreplace(sub)) for e in (f, *grad)]
        if not all(isinstance(v, sympy.Rational) for v in vals):
            return None
        return vals[0], tuple(vals[1:])

    def ev_float(x: tuple[Any, ...]) -> tuple[float, tuple[float, ...]]:
        vals = fnum(*[float(c) for c in x])
        return vals[0], tuple(vals[1:])

    def to_float() -> None:
        run.exact = False
        run.switched_at = len(run.xs)

    if not run.exact:
        x = tuple(float(c) for c in x0)
        lr_, mu = float(lr), float(momentum)
    else:
        x, lr_, mu = x0, lr, momentum
    v = tuple(0 for _ in xs)
    stop_next = False
    for k in range(steps + 1):
        if run.exact:
            if k >= MAX_EXACT_STEPS + 1 or not all(_rational_small(c) for c in x):
                run.switch_reason = "steps" if k >= MAX_EXACT_STEPS + 1 else "digits"
                to_float()
                x, lr_, mu = tuple(float(c) for c in x), float(lr), float(momentum)
                v = tuple(float(c) for c in v)
        ev = ev_exact(x) if run.exact else None
        shown = x
        if run.exact and ev is None:
            run.switch_reason = run.switch_reason or "irrational"
            to_float()
            x, lr_, mu = tuple(float(c) for c in x), float(lr), float(momentum)
            v = tuple(float(c) for c in v)
        fx, gx = ev if ev is not None else ev_float(x)
        run.xs.append(shown)
        run.fs.append(fx)
        run.gs.append(gx)
        if not run.exact and not all(math.isfinite(c) and abs(c) < _HUGE for c in (*x, fx, *gx)):
            run.stop = "diverged"
            break
        if stop_next:
            run.stop = "step_tol"
            break
        if tol is not None and _norm2(gx) < tol * tol:
            run.stop = "tol"
            break
        if k == steps:
            run.stop = "max_steps"
            break
        v = tuple(mu * vi - lr_ * gi for vi, gi in zip(v, gx))
        new = tuple(xi + vi for xi, vi in zip(x, v))
        run.steps.append(tuple(n - o for n, o in zip(new, x)))
        if step_tol is not None and _norm2(run.steps[-1]) < step_tol * step_tol:
            stop_next = True
        x = new
    return run


def _norm2(v: Sequence[Any]) -> Any:
    return sum(c * c for c in v)


def _show(v: tuple[Any, ...], rounded: bool = False) -> Any:
    """A coordinate tuple as a table cell: a number in 1-D, a tuple in n-D."""
    if len(v) == 1:
        return _cell(v[0], rounded)
    return tuple(_cell(c, rounded) for c in v)


_LONG = 12  # a fraction with more digits than this is hard to read on the board


def _long(c: Any) -> bool:
    return isinstance(c, sympy.Rational) and len(str(abs(c.p))) + len(str(c.q)) > _LONG


def _cell(c: Any, rounded: bool = False) -> Any:
    """A table cell: floats to 10 figures; with ``rounded``, fractions to 6."""
    if isinstance(c, float):
        return dec(c, 10) if math.isfinite(c) else c
    if rounded and isinstance(c, sympy.Rational) and not c.is_Integer:
        return dec(c, 6)
    return c


def _flat(items: Sequence[Any]) -> list[Any]:
    out: list[Any] = []
    for c in items:
        out.extend(c if isinstance(c, tuple) else (c,))
    return out


# --------------------------------------------------------------------------- steps


def _gradient_step(f: sympy.Expr, xs: tuple[sympy.Symbol, ...], grad: list[sympy.Expr]) -> Step:
    one = len(xs) == 1
    g = grad[0] if one else sympy.Tuple(*grad)
    subs: list[Step] = []
    try:
        from ..steps.derivatives import differentiate

        sol = differentiate(f, wrt=xs[0].name if one else [v.name for v in xs])
        theirs = [sol.answer] if one else list(sol.answer)
        if len(theirs) == len(grad) and all(
            _by_name(sympy.expand(a)) == _by_name(sympy.expand(b)) for a, b in zip(theirs, grad)
        ):
            subs = [_pruned(st, _SUB_DEPTH) for st in sol.steps]
    except Exception:  # another engine may not know every function yet: fall back honestly
        subs = []
    if not subs:
        subs = [
            Step(
                "cas",
                before=f,
                after=g,
                explanation="The derivative was computed by the computer algebra system.",
            )
        ]
    text = (
        "The derivative is the slope; where it is positive the function goes up, so we step "
        "against it: {slope}."
        if one
        else "The gradient points uphill, in the steepest direction, so we step against it: "
        "{slope}."
    )
    slope = eq(F_PRIME if one else NABLA_F, g)
    return Step(
        "gradient",
        before=f,
        after=g,
        explanation=text,
        substeps=subs,
        data={"grad": g, "slope": slope},
    )


# How many levels of the derivative's own steps the gradient step keeps: in a descent problem
# the derivative is a means, and printed lists nest at most four deep (LaTeX's limit).
_SUB_DEPTH = 3


def _pruned(step: Step, depth: int) -> Step:
    """``step`` with its sub-steps cut ``depth`` levels down."""
    subs = tuple(_pruned(s, depth - 1) for s in step.substeps) if depth > 1 else ()
    return Step(step.rule, step.before, step.after, step.explanation, subs, step.data)


def _by_name(e: Any) -> Any:
    """``e`` with every symbol replaced by a plain one of the same name (assumptions dropped)."""
    return e.xreplace({v: sympy.Symbol(v.name) for v in e.free_symbols})


def _update_step(
    xs: tuple[sympy.Symbol, ...], grad: list[sympy.Expr], lr: Any, momentum: Any
) -> Step:
    one = len(xs) == 1
    new = [sympy.expand(v - lr * g) for v, g in zip(xs, grad)]
    update = new[0] if one else sympy.Tuple(*new)
    # the board writes iterates with an index: x_k for the current point, x_(k+1) the next
    name = xs[0].name if one else "x"
    now = {v: _at_k(v.name) for v in xs}
    lhs = _next(name) if one else sympy.Tuple(*(_next(v.name) for v in xs))
    here = eq(lhs, update.xreplace(now) if one else sympy.Tuple(*(e.xreplace(now) for e in new)))
    slope = _slope_at(name, one)
    rule = eq(_next(name), Ordered(_at_k(name), -ETA * slope))
    data: dict[str, Any] = {"eta": lr, "mu": momentum, "update": update, "rule": rule}
    if momentum:
        v_next = _next("v")
        data["velocity"] = eq(v_next, Ordered(momentum * _at_k("v"), -lr * slope))
        data["move"] = eq(_next(name), Ordered(_at_k(name), v_next))
        data["show"] = [data["velocity"], data["move"]]
        data["v"] = sympy.Symbol("v")
        text = (
            "With momentum the step remembers the last one: first {velocity}, then {move}; "
            "the velocity {v} builds up along a steady slope and damps zigzags."
        )
    else:
        data["lr"] = eq(ETA, lr)
        data["here"] = here
        data["show"] = [here]
        text = (
            "Each step moves against the "
            + ("slope" if one else "gradient")
            + ": {rule} with {lr}, which here is {here}."
        )
    return Step(
        "update_rule",
        before=None if momentum else (sympy.Tuple(*xs) if not one else xs[0]),
        after=None if momentum else update,
        explanation=text,
        data=data,
    )


def _table_step(run: _Run, xs: tuple[sympy.Symbol, ...], momentum: Any) -> Step:
    one = len(xs) == 1
    grad_head = "f'(x_k)" if one else "gradient"
    step_head = "step v" if momentum else "step"
    raw = [
        (x, fx, g, run.steps[k] if k < len(run.steps) else ())
        for k, (x, fx, g) in enumerate(zip(run.xs, run.fs, run.gs))
    ]
    # exact values: the board rounds long fractions when it prints (render.base.rounded)
    rows = [
        (k, _show(x), _cell(fx), _show(g), _show(s) if s else "")
        for k, (x, fx, g, s) in enumerate(raw)
    ]
    # no caption: the explanation says what the table holds (one row per step)
    table = Table(("k", "x_k", "f(x_k)", grad_head, step_head), rows)
    n = len(run.xs) - 1
    text = "One row per step: each new point is the old one plus the step; we stop after {n} steps."
    if n == 1:
        text = "One step: the new point is the old one plus the step."
    return Step(
        "iteration_table",
        before=_show(run.xs[0]),
        after=_show(run.xs[-1]),
        explanation=text,
        data={"table": table, "n": n, "iterates": list(run.xs)},
    )


def _switch_step(run: _Run) -> Step | None:
    if run.switched_at is None:
        return None
    reason = {
        "steps": "after {cap} exact steps the fractions get unwieldy",
        "digits": "the fractions have grown past {digits} digits",
        "irrational": "the values stop being fractions",
    }[run.switch_reason]
    return Step(
        "exact_cap",
        before=run.switched_at,
        explanation="From row {row} on we work in 15-digit decimals: " + reason + ".",
        data={"row": run.switched_at, "cap": MAX_EXACT_STEPS, "digits": MAX_EXACT_DIGITS},
    )


def _stop_step(run: _Run, tol: Any, step_tol: Any) -> Step:
    """Why the run stopped early: a flat gradient, a short step or a blow-up (a run of the
    steps asked is said by its table)."""
    texts = {
        "tol": "We stop because the gradient is nearly flat: its length {gnorm} is below {tol}.",
        "step_tol": "We stop because the last step, of length {snorm}, is shorter than {step_tol}.",
        "diverged": "We stop because the values have blown up: the run is diverging.",
    }
    g = run.gs[-1]
    s = run.steps[-1] if run.steps else (0,)
    gn = _length(g)
    sn = _length(s)
    return Step(
        "stopping_rule",
        after=run.stop,
        explanation=texts[run.stop],
        data={"gnorm": gn, "snorm": sn, "tol": tol, "step_tol": step_tol, "rule": run.stop},
    )


def _length(v: Sequence[Any]) -> Any:
    if all(isinstance(c, sympy.Basic) for c in v):
        return sympy.sqrt(sum(c * c for c in v))
    return sig(_flen(v), 6)


def _answer(run: _Run, one: bool) -> list[Any]:
    return [x[0] if one else tuple(x) for x in run.xs]


def gradient_descent(
    expr: Any,
    start: Any,
    lr: Any,
    steps: int,
    variables: Sequence[Any] | None = None,
    *,
    momentum: Any = 0,
    tol: Any = None,
    step_tol: Any = None,
) -> Solution:
    """Take ``steps`` steps of x ← x − lr·∇f(x) from ``start``, as a worked iteration table.

    ``start`` is a number (1-D) or a sequence (n-D, in the order of ``variables``, default the
    variables sorted by name); ``lr`` and ``start`` may be text such as ``"0.1"`` (read exactly).
    Stops early when ‖∇f‖ < ``tol`` or the step is shorter than ``step_tol``.  With ``momentum``
    μ the step is v ← μv − lr·∇f, x ← x + v.  The answer is the list of iterates x_0 … x_k
    (numbers in 1-D, tuples in n-D).
    """
    f, xs, x0 = _setup(expr, start, variables)
    eta, mu = to_number(lr), to_number(momentum)
    tol_ = None if tol is None else to_number(tol)
    stol = None if step_tol is None else to_number(step_tol)
    if int(steps) < 0 or int(steps) > MAX_STEPS:
        raise ValueError(f"steps must be between 0 and {MAX_STEPS}")
    if not eta.is_positive:
        raise ValueError("the learning rate must be positive")
    grad = [diff(f, v) for v in xs]
    first = numeric([f, *grad], xs)(*[float(c) for c in x0])
    if not all(math.isfinite(v) for v in first):
        raise ValueError("f or its gradient is not defined at the start point")
    run = _run(f, xs, x0, eta, int(steps), mu, tol_, stol)
    one = len(xs) == 1
    task = Task(
        "gradient_descent",
        {
            "expr": f,
            "start": x0[0] if one else x0,
            "lr": eta,
            "steps": int(steps),
            "variables": xs,
            "momentum": mu,
            "tol": tol_,
            "step_tol": stol,
            "f_is": eq(F_SYM, f),
            "lr_is": eq(ETA, eta),
            "mu_is": eq(MU, mu),
        },
        "Run {steps} steps of gradient descent on {f_is} from {start} with learning rate "
        "{lr_is}" + (" and momentum {mu_is}." if mu else "."),
    )
    body = [_gradient_step(f, xs, grad), _update_step(xs, grad, eta, mu)]
    switch = _switch_step(run)
    if switch is not None:
        body.append(switch)
    body.append(_table_step(run, xs, mu))
    if run.stop != "max_steps":  # the table already says it stops after the steps asked
        body.append(_stop_step(run, tol_, stol))
    label, reason, data = _classify(f, xs, run, eta, mu)
    body.append(_diagnosis_step(label, reason, data))
    return Solution(task, board(body), _answer(run, one))


# --------------------------------------------------------------------------- diagnosis


@dataclass(frozen=True)
class _Crit:
    point: tuple[float, ...]
    exact: Any
    kind: str  # "minimum", "maximum", "saddle", "flat"
    value: float
    curvature: tuple[float, ...]  # Hessian eigenvalues


def _hessian_eigs(h: sympy.Matrix, xs: tuple[sympy.Symbol, ...], p: Sequence[float]) -> tuple:
    import numpy as np

    fn = numeric(list(h), xs)
    vals = np.array(fn(*p), dtype=float).reshape(len(xs), len(xs))
    if not np.all(np.isfinite(vals)):
        return tuple(float("nan") for _ in xs)
    return tuple(float(e) for e in np.linalg.eigvalsh((vals + vals.T) / 2))


def _kind_1d(f: sympy.Expr, x: sympy.Symbol, p: Any) -> str:
    """The kind of a stationary point of a 1-D function by its first nonzero derivative."""
    d = diff(f, x)
    for order in range(2, 9):
        d = diff(d, x)
        val = d.subs(x, p)
        try:
            num = float(sympy.re(sympy.N(val)))
        except TypeError:
            return "flat"
        if abs(num) > 1e-12:
            if order % 2:
                return "saddle"  # an inflection with zero slope: flat, then on downhill
            return "minimum" if num > 0 else "maximum"
    return "flat"


def _critical_points(
    f: sympy.Expr, xs: tuple[sympy.Symbol, ...]
) -> tuple[list[_Crit] | None, bool | None]:
    """The real critical points (when sympy can find them all) and whether f is bounded below
    (True, False or None when unknown)."""
    crits, bounded = _critical_points_of(f, tuple(xs))
    return (None if crits is None else list(crits)), bounded


@functools.lru_cache(maxsize=128)  # diagnose and fix-the-rate ask again for each learning rate
def _critical_points_of(
    f: sympy.Expr, xs: tuple[sympy.Symbol, ...]
) -> tuple[tuple[_Crit, ...] | None, bool | None]:
    grad = [diff(f, v) for v in xs]
    h = sympy.hessian(f, xs)
    pts: list[Any] = []
    bounded: bool | None = None
    try:
        if not all(g.is_polynomial(*xs) for g in grad):
            return None, None
        if len(xs) == 1:
            poly = sympy.Poly(grad[0], xs[0])
            if poly.is_zero:
                return None, None
            pts = [(r,) for r in poly.real_roots()]
            fp = sympy.Poly(f, xs[0])
            lead = fp.LC()
            bounded = bool(fp.degree() % 2 == 0 and lead > 0) if fp.degree() > 0 else True
        else:
            fpoly = sympy.Poly(f, *xs)
            if fpoly.total_degree() > 4 or len(xs) > 3:
                return None, None
            if 1 <= fpoly.total_degree() <= 2 and (fpoly.domain.is_QQ or fpoly.domain.is_ZZ):
                # a quadratic: ∇f = 0 is a linear system, solved exactly as such (the same
                # points as solve, at a fraction of its cost); a line of solutions keeps its
                # free variables, as solve's does
                found = sympy.linsolve(grad, xs)
                points = [tuple(p) for p in found] if isinstance(found, sympy.FiniteSet) else []
            else:
                sols = sympy.solve(grad, xs, dict=True)
                points = [tuple(s.get(v, v) for v in xs) for s in sols]
            for p in points:
                if any(c.free_symbols for c in p):
                    return None, None  # a whole curve of critical points
                vals = [complex(sympy.N(c)) for c in p]
                if all(abs(c.imag) < 1e-12 for c in vals):
                    pts.append(p)
            if sympy.Poly(f, *xs).total_degree() <= 2:
                eig = _hessian_eigs(h, xs, [0.0] * len(xs))
                if all(e > 1e-12 for e in eig):
                    bounded = True
                elif any(e < -1e-12 for e in eig):
                    bounded = False
    except (NotImplementedError, sympy.PolynomialError, TypeError, ValueError):
        return None, None
    out = []
    for p in pts:
        pf = tuple(float(sympy.re(sympy.N(c))) for c in p)
        eig = _hessian_eigs(h, xs, pf)
        if len(xs) == 1:
            kind = _kind_1d(f, xs[0], p[0])
        elif all(e > 1e-9 for e in eig):
            kind = "minimum"
        elif all(e < -1e-9 for e in eig):
            kind = "maximum"
        elif any(e > 1e-9 for e in eig) and any(e < -1e-9 for e in eig):
            kind = "saddle"
        else:
            kind = "flat"
        value = float(sympy.re(sympy.N(f.subs(dict(zip(xs, p))))))
        shown = tuple(_display(c) for c in p)
        out.append(_Crit(pf, shown[0] if len(xs) == 1 else shown, kind, value, eig))
    out.sort(key=lambda c: c.point)
    return tuple(out), bounded


def _flen(v: Sequence[Any]) -> float:
    """The length of a vector in floats (inf rather than an error when it overflows)."""
    return math.sqrt(sum(float(c) * float(c) for c in v))


def _dist(a: Sequence[float], b: Sequence[float]) -> float:
    return _flen([float(x) - float(y) for x, y in zip(a, b)])


def _classify(
    f: sympy.Expr, xs: tuple[sympy.Symbol, ...], run: _Run, lr: Any, momentum: Any = 0
) -> tuple[str, str, dict[str, Any]]:
    """Name what the run is doing, with the calculus reason: (label, explanation, data)."""
    X = [tuple(float(c) for c in x) for x in run.xs]
    F = [float(v) for v in run.fs]
    G = [_flen(g) for g in run.gs]
    S = [_flen(s) for s in run.steps]
    n = len(S)
    data: dict[str, Any] = {
        "eta": lr,
        "lr": eq(ETA, lr),
        "fN": sig(F[-1]) if math.isfinite(F[-1]) else F[-1],
    }
    h = sympy.hessian(f, xs)
    finite = all(math.isfinite(v) for v in (*X[-1], F[-1], G[-1]))
    crits, bounded = _critical_points(f, xs)
    L = _largest_curvature(f, xs, crits, X)
    if L is not None and L > 0:
        data["L"] = _nice(L)
        data["bound"] = _nice(2 / L)
        data["L_is"] = eq(L_SYM, dec(L))
        data["bound_is"] = eq(2 / L_SYM, dec(2 / L))
    # 1. blowing up
    if run.stop == "diverged" or not finite:
        return "diverging", _why_diverging(data), data
    growing = n >= 2 and S[-1] > S[-2] * (1 + 1e-12) and (n < 3 or S[-2] > S[-3] * (1 + 1e-12))
    if growing and F[-1] > F[0]:
        return "diverging", _why_diverging(data), data
    flips = sum(
        1
        for a, b in zip(run.steps, run.steps[1:])
        if sum(float(p) * float(q) for p, q in zip(a, b)) < 0
    )
    q = S[-1] / S[-2] if n >= 2 and S[-2] > 0 else None
    data["q"] = None if q is None else sig(q, 4)
    # 2. where is it going?
    near = None
    if crits:
        near = min(crits, key=lambda c: _dist(c.point, X[-1]))
    elif G[-1] < 1e-2 or (q is not None and q < 1):
        near = _numeric_critical(f, xs, h, X[-1])
    d0 = _dist(X[0], near.point) if near else None
    dN = _dist(X[-1], near.point) if near else None
    reached = G[-1] <= 1e-8 or (near is not None and dN <= 1e-4 * max(1.0, d0))
    if not reached and n >= 2 and flips >= max(1, math.ceil(0.6 * (n - 1))) and q and q > 0.5:
        data["flips"] = flips
        return (
            "oscillating",
            "The steps keep changing direction: each one overshoots the bottom of the valley. "
            + _lr_reason(data),
            data,
        )
    if near is not None:
        data["point"] = near.exact
        data["fstar"] = _fvalue(f, xs, near)
        data["f_is"] = eq(F_SYM, _board(data["fstar"]))
        eigs = tuple(_nice(e) for e in near.curvature)
        data["eigs"] = eigs[0] if len(eigs) == 1 else eigs
    heading = near is not None and (reached or (dN < d0 and (q is None or q < 1)))
    if near is not None and near.kind in ("saddle", "maximum") and (reached or dN < 0.5 * d0):
        if len(xs) == 1 and near.kind == "saddle":
            why = (
                "The run stalls at {point}, where the slope vanishes, but it is not a minimum: "
                "the curve flattens there and then keeps going down (the second derivative is "
                "0 there but a higher one is not), the one-variable picture of a saddle point."
            )
        else:
            word = "a maximum" if near.kind == "maximum" else "a saddle point"
            why = (
                "The run stalls near {point}, where the slope vanishes, but it is " + word + ": "
                "the curvatures there, {eigs}, include a negative one, a direction that goes "
                "down; a tiny push that way lets the run continue downhill."
            )
        return "saddle_point", why, data
    runaway = n >= 3 and q is not None and q > 1 + 1e-9 and S[-2] > S[-3] and F[-1] < F[0]
    if bounded is False and (runaway or (crits == [] and F[-1] < F[0])):
        return (
            "diverging",
            "The run keeps going downhill without settling: f has no minimum in this "
            "direction (it is unbounded below), so the iterates run off to infinity.",
            data,
        )
    if heading and near.kind == "minimum":
        lower = [c for c in (crits or []) if c.kind == "minimum" and c.value < near.value - 1e-9]
        if lower or bounded is False:
            if lower:
                best = min(lower, key=lambda c: c.value)
                data["best"] = best.exact
                data["fbest"] = _fvalue(f, xs, best)
                data["fbest_is"] = eq(F_SYM, _board(data["fbest"]))
                why = "the global minimum is at {best}, where the value is lower, {fbest_is}."
            else:
                why = "f keeps going down elsewhere (it is unbounded below)."
            return (
                "local_minimum",
                "The run settles at {point}, where the slope is zero and the curve bends up, "
                "so it is a minimum, {f_is}; but it is only local: " + why,
                data,
            )
    if (
        not reached
        and G[-1] < 1e-2
        and abs(F[0] - F[-1]) < 1e-2 * max(1.0, abs(F[0]))
        and (near is None or (dN is not None and dN > 0.5 * d0))
    ):
        data["g"] = sig(G[-1], 3)
        return (
            "plateau",
            "The gradient is tiny ({g}) although we are not at a minimum: the surface is almost "
            "flat here, so each step barely moves and the loss hardly changes.",
            data,
        )
    if (
        not reached
        and near is not None
        and near.kind == "minimum"
        and dN > 0.5 * d0
        and F[-1] - near.value > 0
        and G[-1] * dN < 0.5 * (F[-1] - near.value)
    ):
        # in a bowl |∇f|·distance ≥ f − f*; far less means the surface is flat on the way
        data["g"] = sig(G[-1], 3)
        return (
            "plateau",
            "The loss is still going down, but slowly: the gradient is small ({g}) because the "
            "surface is almost flat here, not because we are near the minimum at {point} "
            "({f_is}). The run is crossing a plateau and needs many more steps, or a larger "
            "rate, to get off it.",
            data,
        )
    if not reached and q is not None and 0.9 <= q <= 1 + 1e-9:
        return (
            "slow",
            "The run goes the right way but each step is only {q} times the one before "
            "(close to 1): the learning rate is small for this curvature, so progress crawls. "
            + _lr_reason(data, slow=True),
            data,
        )
    if near is not None and near.kind == "flat" and not reached:
        return (
            "slow",
            "The bottom here is very flat (the second derivative is 0 there), so the slope "
            "shrinks as we approach and the steps crawl.",
            data,
        )
    if near is not None and near.kind == "minimum":
        return (
            "converged",
            "The run heads steadily into the minimum at {point}, where {f_is}: the error "
            "shrinks by about the same factor each step."
            if not reached
            else "The run has reached the minimum at {point}, where {f_is}: the slope is zero "
            "and the curve bends up there.",
            data,
        )
    if not reached and q is not None and q > 1 + 1e-9 and F[-1] < F[0]:
        data["g"] = sig(G[-1], 3)
        return (
            "plateau",
            "The loss goes down, but the steps are getting longer, not shorter: the run is "
            "only now coming off a nearly flat stretch (gradient {g}), still far from a "
            "minimum. It has not converged; it needs more steps.",
            data,
        )
    return (
        "converged",
        "The loss goes down and the steps shrink: the run is settling into a minimum.",
        data,
    )


def _display(c: Any) -> Any:
    """An exact coordinate when it reads well (a fraction, a short surd), else 6 figures."""
    if isinstance(c, sympy.Rational) or (not c.has(sympy.CRootOf) and len(sympy.sstr(c)) <= 24):
        return c
    return sig(float(sympy.re(sympy.N(c))), 6)


def _fvalue(f: sympy.Expr, xs: tuple[sympy.Symbol, ...], c: _Crit) -> Any:
    pt = c.exact if isinstance(c.exact, tuple) else (c.exact,)
    if all(isinstance(p, sympy.Basic) for p in pt):
        v = sympy.simplify(f.subs(dict(zip(xs, pt))))
        if len(sympy.sstr(v)) <= 24:
            return v
    return _nice(c.value)


def _nice(v: float) -> Any:
    return sig(v, 6)


def _board(v: Any) -> Any:
    return dec(v) if isinstance(v, float) else v


def _why_diverging(data: dict[str, Any]) -> str:
    if "bound" in data:
        return (
            "The values blow up: the learning rate {eta} is above {bound_is}, where {L_is} is "
            "the largest curvature, so every step overshoots by more than it corrects."
        )
    return (
        "The values blow up: every step overshoots by more than it corrects, so the learning "
        "rate is too large."
    )


def _lr_reason(data: dict[str, Any], slow: bool = False) -> str:
    if "bound" not in data:
        return ""
    if slow:
        return "Here {lr} while steps stay stable up to {bound_is}."
    return "Here {lr} is close to {bound_is}, where {L_is} is the largest curvature."


def _largest_curvature(
    f: sympy.Expr, xs: tuple[sympy.Symbol, ...], crits: list[_Crit] | None, X: list[tuple]
) -> float | None:
    """L, the largest curvature: the Hessian's top eigenvalue at the minimum the run is near."""
    h = sympy.hessian(f, xs)
    if all(not e.free_symbols for e in h):
        eig = _hessian_eigs(h, xs, [0.0] * len(xs))
        return max(eig) if eig else None
    if crits:
        mins = [c for c in crits if c.kind == "minimum"]
        if mins:
            best = min(mins, key=lambda c: _dist(c.point, X[-1]))
            return max(best.curvature)
    return None


def _numeric_critical(
    f: sympy.Expr, xs: tuple[sympy.Symbol, ...], h: sympy.Matrix, x: tuple[float, ...]
) -> _Crit | None:
    """A critical point near ``x`` found by Newton's method (for functions sympy cannot solve)."""
    from ._common import elementary

    grad = [elementary(sympy.diff(f, v)) for v in xs]
    try:
        sol = sympy.nsolve(grad, list(xs), list(x), prec=15)
    except Exception:  # Newton's method is best effort: no nearby critical point is an answer
        return None
    p = tuple(float(c) for c in sol)
    if _dist(p, x) > 10 * max(1.0, math.sqrt(sum(c * c for c in x))):
        return None
    eig = _hessian_eigs(h, xs, p)
    if any(math.isnan(e) for e in eig):
        return None
    if all(e > 1e-9 for e in eig):
        kind = "minimum"
    elif all(e < -1e-9 for e in eig):
        kind = "maximum"
    elif any(e > 1e-9 for e in eig) and any(e < -1e-9 for e in eig):
        kind = "saddle"
    else:
        kind = "flat"
    value = numeric([f], xs)(*p)[0]
    pe = tuple(sig(c, 6) for c in p)
    return _Crit(p, pe[0] if len(p) == 1 else pe, kind, value, eig)


def _diagnosis_step(label: str, reason: str, data: dict[str, Any]) -> Step:
    data = dict(data)
    data["label"] = label
    return Step("diagnosis", after=label, explanation=reason, data=data)


def descent_path(
    expr: Any,
    start: Any,
    lr: Any,
    steps: int,
    variables: Sequence[Any] | None = None,
    *,
    momentum: Any = 0,
    limit: float = 1e6,
) -> tuple[Any, Any]:
    """The float mode of ``gradient_descent``, for figures: the iterates x_0 … x_k (rows) and
    the gradients there, as numpy arrays, by the same update rule; the run stops before an
    iterate larger than ``limit`` (it has run away)."""
    import numpy as np

    f, xs, x0 = _setup(expr, start, variables)
    if int(steps) < 0 or int(steps) > 100 * MAX_STEPS:
        raise ValueError(f"steps must be between 0 and {100 * MAX_STEPS}")
    run = _run(f, xs, x0, float(to_number(lr)), int(steps), float(to_number(momentum)), exact=False)
    pts = np.array([[float(c) for c in x] for x in run.xs], dtype=float).reshape(-1, len(xs))
    grads = np.array([[float(c) for c in g] for g in run.gs], dtype=float).reshape(-1, len(xs))
    ok = np.all(np.isfinite(pts), axis=1) & (np.max(np.abs(pts), axis=1) <= limit)
    k = int(np.argmin(ok)) if not ok.all() else len(ok)
    return pts[:k], grads[:k]


def diagnose(
    expr: Any,
    start: Any,
    lr: Any,
    steps: int,
    variables: Sequence[Any] | None = None,
) -> Solution:
    """Say what a run of gradient descent is doing, with the calculus reason.

    The answer is one of ``DIAGNOSES``: "converged" (reached, or heading steadily into, the
    global minimum), "diverging", "oscillating", "plateau", "local_minimum", "saddle_point",
    "slow".  The run is worked as in ``gradient_descent``; the decision uses the step lengths,
    their directions, the critical points of f (solved exactly when f is a polynomial) and the
    Hessian there.
    """
    sol = gradient_descent(expr, start, lr, steps, variables)
    diag = sol.steps[-1]
    task = Task(
        "descent_diagnosis",
        dict(sol.task.params),
        "Run {steps} steps of gradient descent on {f_is} from {start} with {lr_is}: "
        "what does the run do, and why?",
    )
    return Solution(task, sol.steps, diag.after)


# --------------------------------------------------------------------------- stable learning rate


def max_stable_lr(expr: Any, variables: Sequence[Any] | None = None) -> Solution:
    """For a quadratic f, the largest stable learning rate 2/L, L = the largest eigenvalue of the
    Hessian (f'' in 1-D): along that direction the error is multiplied by 1 − ηL each step."""
    f = _real(to_expr(expr, variables))
    xs = tuple(sympy.Symbol(v.name, real=True) for v in variables_of(f, variables))
    xs = xs or (sympy.Symbol("x", real=True),)
    try:
        degree = sympy.Poly(f, *xs).total_degree()
    except sympy.PolynomialError:
        degree = None
    if degree is None or degree > 2:
        raise ValueError(
            "max_stable_lr needs a quadratic: its curvature must be the same everywhere"
        )
    h = sympy.hessian(f, xs)
    one = len(xs) == 1
    task = Task(
        "max_stable_lr",
        {"expr": f, "variables": xs, "f_is": eq(F_SYM, f)},
        "Find the largest learning rate for which gradient descent on {f_is} is stable.",
    )
    steps: list[Step] = []
    if one:
        L = h[0, 0]
        steps.append(
            Step(
                "second_derivative",
                before=f,
                after=L,
                explanation="The curvature of f is its second derivative, here the constant "
                "{curvature}.",
                data={"L": L, "curvature": eq(F_SECOND, L)},
            )
        )
    else:
        eigs = sorted(h.eigenvals(multiple=True), key=lambda e: float(sympy.N(e)))
        L = eigs[-1]
        steps.append(
            Step(
                "hessian",
                before=f,
                after=h,
                explanation="The curvature in every direction is held in the Hessian, the matrix "
                "of second derivatives: {H_is}.",
                data={"H": h, "H_is": eq(sympy.Symbol("H"), h)},
            )
        )
        steps.append(
            Step(
                "eigenvalues",
                before=h,
                after=sympy.Tuple(*eigs),
                explanation="Its eigenvalues {eigs} are the curvatures along the principal "
                "directions; the steepest is {L_is}.",
                data={"eigs": sympy.Tuple(*eigs), "L": L, "L_is": eq(L_SYM, L)},
            )
        )
    low = L if one else eigs[0]
    if low.is_negative or not L.is_positive:
        raise ValueError(
            f"no learning rate converges: f = {f} curves down along some direction "
            f"(curvature {low}), so it has no minimum (a saddle or a cap, unbounded below) and "
            "gradient descent runs away along that direction at every rate"
        )
    if low.is_zero and not sympy.solve(list(sympy.Matrix([f]).jacobian(xs)), xs, dict=True):
        raise ValueError(
            f"no learning rate converges: f = {f} is flat along some direction but still "
            "slopes there, so it is unbounded below and descent never settles"
        )
    bound = sympy.radsimp(2 / L) if is_exact(L) else 2 / L
    factor = Ordered(sympy.S.One, -ETA * L_SYM)
    steps.append(
        Step(
            "stability_condition",
            before=L,
            after=bound,
            explanation="Near the minimum one step multiplies the error along the steepest "
            "direction by {factor}; it shrinks only when {condition}, that is for learning rates "
            "between 0 and {bound_is}. Above it every step overshoots more than it corrects; at "
            "{best_is} that direction is solved in one step.",
            data={
                "L": L,
                "bound": bound,
                "best": sympy.radsimp(1 / L),
                "factor": factor,
                "condition": sympy.StrictLessThan(sympy.Abs(factor), 1),
                "bound_is": eq(2 / L_SYM, bound),
                "best_is": eq(ETA, ONE_OVER_L, sympy.radsimp(1 / L)),
                "show": [sympy.StrictLessThan(ETA, bound)],
            },
        )
    )
    return Solution(task, board(steps), bound)
