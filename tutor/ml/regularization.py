"""Regularisation and constraints: L2 and L1 penalties, and a constrained minimum.

``l2`` and ``l1`` give the regularised gradient and, for a quadratic loss, the minimiser in
closed form (shrunk towards 0; soft-thresholded for L1, whose subgradient at 0 is an interval).
``constrained_minimum`` minimises f on g = 0 by substitution or with a Lagrange multiplier.
Answers are dicts so that each part can be graded on its own (documented per function).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy

from ..core import Solution, Step, Task
from ._common import Notation, Ordered, Sigma, board, eq, to_expr, to_number, variables_of

# Board notation: the penalty strength λ, the weights w, the regularised loss L.
LAMBDA = sympy.Symbol("lambda")
_L, _F, _G, _A = sympy.symbols("L f g a")
_w_i, _i, _n = sympy.symbols("w_i i n")
NORM2 = Notation("|w|^2", text="‖w‖²", latex=r"\|w\|^{2}", typst="norm(w)^2")
NABLA_F = Notation("grad f", text="∇f", latex=r"\nabla f", typst="nabla f")
NABLA_G = Notation("grad g", text="∇g", latex=r"\nabla g", typst="nabla g", key="~")
PLUS_MINUS_LAMBDA = Notation("+-lambda", text="±λ", latex=r"\pm\lambda", typst="plus.minus lambda")


def _slope_name(fn: str, xs: tuple) -> Notation:
    """f'(x) in one variable, ∇f in several."""
    if len(xs) == 1:
        v = xs[0].name
        return Notation(f"{fn}'({v})", latex=f"{fn}'({v})", typst=f"{fn}'({v})")
    return Notation(f"grad {fn}", text=f"∇{fn}", latex=rf"\nabla {fn}", typst=f"nabla {fn}")


def _star(xs: tuple) -> Notation:
    """The minimiser's name: x* in one variable, w* in several."""
    v = xs[0].name if len(xs) == 1 else "w"
    return Notation(f"{v}*", latex=f"{v}^{{*}}", typst=f"{v}^*")


__all__ = ["constrained_minimum", "l1", "l2"]


def _setup(expr: Any, lam: Any, variables: Any) -> tuple[sympy.Expr, tuple, Any]:
    f = to_expr(expr, variables)
    xs = variables_of(f, variables) or (sympy.Symbol("w"),)
    lam_ = to_number(lam) if not isinstance(lam, sympy.Symbol) else lam
    if lam_.is_number and lam_.is_negative:
        raise ValueError("the penalty strength λ must be 0 or more")
    return f, xs, lam_


def _point(p: Sequence[Any]) -> Any:
    return p[0] if len(p) == 1 else tuple(p)


def _vec(v: Sequence[Any]) -> Any:
    return v[0] if len(v) == 1 else sympy.Tuple(*v)


def _at(exprs: Sequence[Any], xs: tuple, at: Any) -> Any:
    pt = at if isinstance(at, (list, tuple)) else [at]
    sub = {x: to_number(a) for x, a in zip(xs, pt)}
    return _vec([sympy.simplify(e.xreplace(sub)) for e in exprs])


def _given_point(at: Any) -> Any:
    pt = at if isinstance(at, (list, tuple)) else [at]
    return _point([to_number(a) for a in pt])


def _is_quadratic(f: sympy.Expr, xs: tuple) -> bool:
    try:
        return sympy.Poly(f, *xs).total_degree() <= 2
    except sympy.PolynomialError:
        return False


def l2(expr: Any, lam: Any, variables: Sequence[Any] | None = None, *, at: Any = None) -> Solution:
    """The L2-regularised loss f + λ‖w‖²: its gradient ∇f + 2λw and, when f is quadratic, its
    minimiser (solve ∇f + 2λw = 0), compared with the unregularised one.

    Answer: ``{"gradient": expression (tuple in n-D; a number/tuple when ``at`` is given),
    "minimiser": number or tuple (None when there is no closed form)}``.
    """
    f, xs, lam_ = _setup(expr, lam, variables)
    penalty = lam_ * sympy.Add(*[x**2 for x in xs])
    reg = f + penalty
    w = xs[0] if len(xs) == 1 else sympy.Symbol("w")
    grad_f = [sympy.diff(f, x) for x in xs]
    grad = [sympy.expand(g + 2 * lam_ * x) for g, x in zip(grad_f, xs)]
    steps = [
        Step(
            "l2_penalty",
            before=f,
            after=reg,
            explanation="The L2 penalty adds {lam_sym} times the squared size of the weights, so "
            "large weights cost extra: {L_is}.",
            data={
                "reg": reg,
                "lam": lam_,
                "lam_sym": LAMBDA,
                "L_is": eq(_L, Ordered(f, penalty)),
                # the loss written as it is made, L = f + penalty (not f → sympy's sum)
                "chain": (_L, Ordered(f, penalty)),
            },
        ),
        Step(
            "gradient",
            before=reg,
            after=_vec(grad),
            explanation="The penalty's slope is {pull}, a pull back towards 0 proportional to "
            "the weight (weight decay): {grad_is}.",
            data={
                "grad": _vec(grad),
                "pull": 2 * LAMBDA * w,
                "grad_is": eq(
                    _slope_name("L", xs), Ordered(_slope_name("f", xs), 2 * LAMBDA * w), _vec(grad)
                ),
            },
        ),
    ]
    answer: dict[str, Any] = {"gradient": _vec(grad), "minimiser": None}
    if at is not None:
        val = _at(grad, xs, at)
        steps.append(
            Step(
                "evaluate",
                after=val,
                explanation="At the point {at} the regularised gradient is {val}.",
                data={"at": _given_point(at), "val": val},
            )
        )
        answer["gradient"] = val
    if _is_quadratic(f, xs):
        sol = sympy.solve(grad, xs, dict=True)
        plain = sympy.solve(grad_f, xs, dict=True)
        if len(sol) == 1 and all(x in sol[0] for x in xs):
            w_star = _point([sympy.simplify(sol[0][x]) for x in xs])
            data = {"w": w_star, "plain": None}
            data["w_is"] = eq(_star(xs), w_star)
            text = "Setting the gradient to zero gives the minimiser {w_is}"
            if len(plain) == 1 and all(x in plain[0] for x in xs):
                data["plain"] = _point([plain[0][x] for x in xs])
                text += "; without the penalty it would be {plain}, so L2 shrinks it towards 0."
            else:
                text += "."
            # the equation solved and its solution: 3w + 4 = 0 → w* = −4/3 (never the
            # gradient → a number, which reads as if the function were the number)
            zero = [sympy.Eq(g, 0, evaluate=False) for g in grad]
            steps.append(
                Step(
                    "shrunken_minimiser",
                    before=zero[0] if len(zero) == 1 else tuple(zero),
                    after=data["w_is"],
                    explanation=text,
                    data=data,
                )
            )
            answer["minimiser"] = w_star
    task = Task(
        "l2",
        {
            "expr": f,
            "lam": lam_,
            "variables": xs,
            "at": at,
            "penalty": LAMBDA * NORM2,
            "lam_is": eq(LAMBDA, lam_),
            "f_is": eq(_F, f),
        },
        "Add the L2 penalty {penalty} with {lam_is} to {f_is}: the regularised gradient "
        "and minimiser.",
    )
    return Solution(task, board(steps), answer)


def l1(expr: Any, lam: Any, variables: Sequence[Any] | None = None, *, at: Any = None) -> Solution:
    """The L1-regularised loss f + λΣ|w_i|: gradient ∇f + λ·sign(w) away from 0, the subgradient
    interval [f'(0) − λ, f'(0) + λ] at 0, and for a 1-D quadratic the soft-thresholded minimiser.

    Answer: ``{"gradient": expression (with sign(w); a number when ``at`` is given and nonzero),
    "subgradient_at_0": Interval (1-D), "minimiser": number (1-D quadratic) or None}``.
    """
    f, xs, lam_ = _setup(expr, lam, variables)
    penalty = lam_ * sympy.Add(*[sympy.Abs(x) for x in xs])
    reg = f + penalty
    w = xs[0] if len(xs) == 1 else sympy.Symbol("w")
    grad_f = [sympy.diff(f, x) for x in xs]
    grad = [g + lam_ * sympy.sign(x) for g, x in zip(grad_f, xs)]
    steps = [
        Step(
            "l1_penalty",
            before=f,
            after=reg,
            explanation="The L1 penalty adds {lam_sym} times the sizes of the weights: {L_is}.",
            data={"reg": reg, "lam_sym": LAMBDA, "L_is": eq(_L, Ordered(f, penalty))},
        ),
        Step(
            "gradient",
            before=reg,
            after=_vec(grad),
            explanation="Away from 0 the slope of {pen} is {pm}, a constant push towards 0 "
            "whatever the weight's size: {grad_is}.",
            data={
                "grad": _vec(grad),
                "pen": LAMBDA * sympy.Abs(w),
                "pm": PLUS_MINUS_LAMBDA,
                "grad_is": eq(_slope_name("L", xs), _vec(grad)),
            },
        ),
    ]
    answer: dict[str, Any] = {"gradient": _vec(grad), "subgradient_at_0": None, "minimiser": None}
    if at is not None:
        pt = at if isinstance(at, (list, tuple)) else [at]
        if any(to_number(a) == 0 for a in pt):
            steps.append(
                Step(
                    "evaluate",
                    explanation="At a zero weight the size {size} has a corner: use the "
                    "subgradient below instead of a slope.",
                    data={"size": sympy.Abs(w), "show": []},
                )
            )
        else:
            val = _at(grad, xs, at)
            steps.append(
                Step(
                    "evaluate",
                    after=val,
                    explanation="At {at} the gradient is {val}.",
                    data={"at": _given_point(at), "val": val},
                )
            )
            answer["gradient"] = val
    if len(xs) == 1:
        x = xs[0]
        s0 = sympy.simplify(grad_f[0].subs(x, 0))
        interval = sympy.Interval(s0 - lam_, s0 + lam_)
        fp0 = Notation("f'(0)", latex="f'(0)", typst="f'(0)")
        steps.append(
            Step(
                "l1_subgradient",
                before=reg,
                after=interval,
                explanation="At {zero} the corner of {pen} has every slope between {lo} and {hi}, "
                "so the subgradient is the interval {I_is}; {zero} is the minimum exactly when "
                "this interval contains 0, that is when {cond}.",
                data={
                    "I": interval,
                    "zero": eq(x, 0),
                    "pen": LAMBDA * sympy.Abs(x),
                    "lo": -LAMBDA,
                    "hi": LAMBDA,
                    "I_is": eq(sympy.Interval(fp0 - LAMBDA, fp0 + LAMBDA), interval),
                    "cond": sympy.LessThan(sympy.Abs(fp0), LAMBDA),
                    "show": [interval],
                },
            )
        )
        answer["subgradient_at_0"] = interval
        if _is_quadratic(f, xs) and sympy.Poly(f, x).degree() == 2 and sympy.Poly(f, x).LC() > 0:
            a = sympy.Poly(f, x).LC()
            m = sympy.solve(grad_f[0], x)[0]
            shrink = lam_ / (2 * a)
            w_star = sympy.Piecewise(
                (0, sympy.Abs(m) <= shrink), (m - sympy.sign(m) * shrink, True)
            )
            w_star = sympy.simplify(w_star)
            steps.append(
                Step(
                    "soft_threshold",
                    before=m,
                    after=w_star,
                    explanation="Without the penalty the minimum is at {m}. The penalty moves it "
                    "by {shift} towards 0, where {a_is} is the coefficient of {sq}, and stops at 0 "
                    "if it would cross it (soft thresholding): {w_is}.",
                    data={
                        "m": m,
                        "shrink": shrink,
                        "w": w_star,
                        "shift": eq(LAMBDA / (2 * _A), shrink),
                        "a_is": eq(_A, a),
                        "sq": x**2,
                        "w_is": eq(_star(xs), w_star),
                    },
                )
            )
            answer["minimiser"] = w_star
    task = Task(
        "l1",
        {
            "expr": f,
            "lam": lam_,
            "variables": xs,
            "at": at,
            "penalty": LAMBDA * Sigma(sympy.Abs(_w_i), (_i, 1, _n)),
            "lam_is": eq(LAMBDA, lam_),
            "f_is": eq(_F, f),
        },
        "Add the L1 penalty {penalty} with {lam_is} to {f_is}: the regularised "
        "gradient, the subgradient at 0 and the minimiser.",
    )
    return Solution(task, board(steps), answer)


def constrained_minimum(
    f: Any,
    constraint: Any,
    variables: Sequence[Any] | None = None,
    *,
    method: str = "auto",
) -> Solution:
    """Minimise f subject to g = 0 (``constraint`` an equation or an expression g).

    ``method`` "substitution" solves the constraint for one variable and minimises in the rest;
    "lagrange" solves ∇f = λ∇g, g = 0; "auto" substitutes when the constraint is linear in some
    variable.  Answer: ``{"point": tuple, "value": number}`` (plus ``"multiplier"`` for Lagrange);
    ``point`` is None when f has no minimum on the constraint.
    """
    fx = to_expr(f, variables)
    g = to_expr(constraint, variables)
    if isinstance(g, sympy.Equality):
        g = g.lhs - g.rhs
    xs = variables_of(fx + g, variables)
    if method not in ("auto", "substitution", "lagrange"):
        raise ValueError("method must be auto, substitution or lagrange")
    solvable = None
    for x in reversed(xs):
        try:
            if sympy.Poly(g, x).degree() == 1:
                solvable = x
                break
        except sympy.PolynomialError:
            continue
    if method == "substitution" and solvable is None:
        raise ValueError(
            "the constraint cannot be solved for one variable: use the Lagrange method"
        )
    use_sub = method == "substitution" or (method == "auto" and solvable is not None)
    task = Task(
        "constrained_minimum",
        {
            "f": fx,
            "constraint": sympy.Eq(g, 0),
            "variables": xs,
            "method": "substitution" if use_sub else "lagrange",
            "f_is": eq(_F, fx),
        },
        "Minimise {f_is} subject to {constraint}.",
    )
    if use_sub:
        steps, answer = _by_substitution(fx, g, xs, solvable)
    else:
        steps, answer = _by_lagrange(fx, g, xs)
    return Solution(task, board(steps), answer)


def _by_substitution(f: sympy.Expr, g: sympy.Expr, xs: tuple, v: sympy.Symbol) -> tuple:
    expr_v = sympy.solve(g, v)[0]
    rest = [x for x in xs if x != v]
    h = sympy.expand(f.subs(v, expr_v))
    steps = [
        Step(
            "substitution",
            before=sympy.Eq(g, 0),
            after=sympy.Eq(v, expr_v),
            explanation="The constraint fixes {fix}; putting it into {f} leaves a function of "
            "fewer variables, {h}.",
            data={"v": v, "ev": expr_v, "h": h, "fix": eq(v, expr_v), "f": _F},
        )
    ]
    grad = [sympy.diff(h, x) for x in rest]
    sols = sympy.solve(grad, rest, dict=True) if rest else [{}]
    cands = []
    for s in sols:
        p = {x: s.get(x) for x in rest}
        if any(val is None or not val.is_real for val in p.values()):
            continue
        hess = sympy.hessian(h, rest).subs(p)
        if all(ev.is_positive for ev in hess.eigenvals(multiple=True)):
            full = {**p, v: sympy.simplify(expr_v.subs(p))}
            cands.append(full)
    steps.append(
        Step(
            "critical_points",
            before=h,
            after=[tuple(c[x] for x in xs) for c in cands],
            explanation="Setting its derivative to zero and checking that the curve bends up "
            "gives the minimum.",
        )
    )
    if not cands:
        return steps, {"point": None, "value": None}
    best = min(cands, key=lambda c: float(sympy.N(f.subs(c))))
    point = tuple(best[x] for x in xs)
    value = sympy.simplify(f.subs(best))
    steps.append(
        Step(
            "back_substitution",
            after=point,
            explanation="Putting it back into the constraint gives the point {p}, where {f_is}.",
            data={"p": sympy.Tuple(*point), "val": value, "f_is": eq(_F, value)},
        )
    )
    return steps, {"point": point, "value": value}


def _by_lagrange(f: sympy.Expr, g: sympy.Expr, xs: tuple) -> tuple:
    lam = sympy.Symbol("lambda")
    eqs = [sympy.Eq(sympy.diff(f, x), lam * sympy.diff(g, x)) for x in xs] + [sympy.Eq(g, 0)]
    steps = [
        Step(
            "lagrange_multiplier",
            before=f,
            after=sympy.Tuple(*eqs),
            explanation="At the best point on the constraint, {f} cannot decrease along it, so "
            "its gradient must be parallel to the constraint's: {parallel} together with {g0}.",
            data={
                "eqs": sympy.Tuple(*eqs),
                "f": _F,
                "parallel": eq(NABLA_F, LAMBDA * NABLA_G),
                "g0": eq(_G, 0),
            },
        )
    ]
    sols = sympy.solve(eqs, [*xs, lam], dict=True)
    cands = [s for s in sols if all(s.get(x) is not None and s[x].is_real for x in xs)]
    rows = [(tuple(s[x] for x in xs), s.get(lam), sympy.simplify(f.subs(s))) for s in cands]
    steps.append(
        Step(
            "critical_points",
            after=[r[0] for r in rows],
            explanation="Solving the system gives the candidates; the smallest value of {f} "
            "among them is the constrained minimum (when one exists).",
            data={"rows": rows, "f": _F},
        )
    )
    if not rows:
        return steps, {"point": None, "value": None, "multiplier": None}
    best = min(rows, key=lambda r: float(sympy.N(r[2])))
    steps.append(
        Step(
            "compare_values",
            after=best[0],
            explanation="The smallest is {f_is} at {p}, with multiplier {lam_is}.",
            data={
                "val": best[2],
                "p": sympy.Tuple(*best[0]),
                "lam": best[1],
                "f_is": eq(_F, best[2]),
                "lam_is": eq(LAMBDA, best[1]),
            },
        )
    )
    return steps, {"point": best[0], "value": best[2], "multiplier": best[1]}
