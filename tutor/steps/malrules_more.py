"""Mal-rules beyond derivatives: the classic wrong answers to descent, loss and limit tasks.

Each wrong answer is derived by running the engine on a deliberately wrong set-up (descent on
−f climbs, one step fewer, η² for η, a loss summed instead of averaged, a log of the wrong
base), never typed in.  The checker compares a student's wrong answer with these and names the
mistake; a candidate that equals the right answer is dropped, since then it names nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy

from ..core import Mistake, Task

__all__ = ["descent_mistakes", "loss_mistakes", "limit_mistakes"]


def _power_factor_dropped(f: Any, xs: tuple[Any, ...]) -> Any | None:
    """A function whose gradient is f's with the power rule's factor n left out (c·x^n has
    slope c·x^(n−1)): the derivative a student gets who forgets to bring the exponent down.
    None when f is not a sum of one-variable powers (then the mistake has no single form)."""
    out = sympy.S.Zero
    for term in sympy.Add.make_args(sympy.expand(f)):
        used = [v for v in xs if term.has(v)]
        if not used:
            out += term
            continue
        if len(used) > 1:
            return None
        v = used[0]
        coeff, n = term.as_coeff_exponent(v)
        if coeff.has(*xs) or not (n.is_Integer and n >= 2):
            if n == 1 and not coeff.has(*xs):
                out += term
                continue
            return None
        out += term / n
    return out if out != f else None


def descent_mistakes(task: Task) -> list[Mistake]:
    """Ascent for descent, one step short or too many, η applied twice, the power rule's
    factor forgotten in the gradient: each run through the descent engine itself."""
    from ..ml import descent

    p = task.params
    f, start, lr, steps = p.get("expr"), p.get("start"), p.get("lr"), int(p.get("steps", 0))
    if f is None or start is None or lr is None or p.get("momentum"):
        return []
    xs = tuple(p.get("variables") or sorted(f.free_symbols, key=str))
    if isinstance(start, (list, tuple)) and len(start) == 1 and len(xs) == 1:
        start = start[0]
    eta = sympy.nsimplify(lr) if not isinstance(lr, sympy.Basic) else lr

    x0 = tuple(start) if isinstance(start, (list, tuple)) else (start,)

    def run(expr: Any, rate: Any, k: int) -> Any:
        # the engine's own iteration, without building the worked table (mal-rules must be
        # cheap: they run inside the check's budget)
        last = descent._run(expr, xs, x0, rate, k).xs[-1]
        return last[0] if len(xs) == 1 else tuple(last)

    wrong: list[tuple[str, str, Callable[[], Any]]] = [
        (
            "descent_uphill",
            "You moved uphill: the step x ← x − η∇f subtracts the gradient, and adding it "
            "climbs. Check the sign of the update.",
            lambda: run(-f, eta, steps),
        ),
        (
            "descent_one_step_short",
            "That is one step short: count the updates again, from x₀.",
            lambda: run(f, eta, steps - 1) if steps > 1 else start,
        ),
        (
            "descent_one_step_too_many",
            "That is one step too many: x₀ is the start, and each update adds one.",
            lambda: run(f, eta, steps + 1),
        ),
        (
            "descent_rate_twice",
            "The learning rate was applied twice (η² instead of η): the step is η times the "
            "gradient, once.",
            lambda: run(f, eta**2, steps),
        ),
    ]
    dropped = _power_factor_dropped(f, xs)
    if dropped is not None:
        wrong.append(
            (
                "descent_gradient_factor",
                "The gradient is missing the power rule's factor (the 2 of x² comes down): "
                "check ∇f before stepping.",
                lambda: run(dropped, eta, steps),
            )
        )
    return _distinct(wrong, lambda: run(f, eta, steps), rule="gradient_descent")


def loss_mistakes(task: Task) -> list[Mistake]:
    """A loss summed instead of averaged, ln swapped for log₁₀, the minus sign of
    cross-entropy left out: for the loss's value and for its gradient."""
    from ..ml.losses import loss

    p = task.params
    name, preds, targets = p.get("name"), p.get("predictions"), p.get("targets")
    if name is None or preds is None or targets is None:
        return []
    right = loss(name, preds, targets, logits=bool(p.get("logits"))).answer
    if not isinstance(right, dict):
        return []
    n = len(preds)
    out: list[Mistake] = []
    value, grad = right.get("value"), right.get("gradient")
    if name in ("mse", "mae", "bce") and n > 1:
        said = "You added the terms up but did not divide by n: the loss is the mean."
        out.append(Mistake("loss_sum_not_mean", said, value * n, "loss_value"))
        if grad is not None:
            out.append(
                Mistake(
                    "loss_sum_not_mean",
                    "That is the gradient of the sum: the mean's gradient has a 1/n.",
                    tuple(g * n for g in grad),
                    "loss_gradient",
                )
            )
    if name in ("bce", "softmax_ce"):
        out.append(
            Mistake(
                "loss_log_base",
                "Cross-entropy uses the natural log ln, not log₁₀.",
                value / sympy.log(10)
                if isinstance(value, sympy.Basic)
                else value / 2.302585092994046,
                "loss_value",
            )
        )
        out.append(
            Mistake(
                "loss_missing_minus",
                "The minus sign is missing: log of a probability is negative, and the loss "
                "−log p is positive.",
                -value,
                "loss_value",
            )
        )
    return [m for m in out if m.expr != value and m.expr != grad]


def limit_mistakes(task: Task) -> list[Mistake]:
    """The other side's infinity for a one-sided limit, and a 1^∞ limit left as the limit of
    its logarithm (the final e^L forgotten)."""
    from . import limits

    p = task.params
    expr, var, point = p.get("expr"), p.get("var"), p.get("point")
    if expr is None or var is None or point is None:
        return []
    right = limits.limit(expr, var, point, p.get("direction", "+-")).answer
    out: list[Mistake] = []
    if right in (sympy.oo, -sympy.oo) and p.get("direction") in ("+", "-"):
        out.append(
            Mistake(
                "limit_side_sign",
                "Check the sign on this side: just "
                + ("left" if p.get("direction") == "-" else "right")
                + " of the point, is the bottom positive or negative?",
                -right,
                "sign_analysis",
            )
        )
    base, ex = expr.as_base_exp() if isinstance(expr, sympy.Pow) else (None, None)
    if (
        base is not None
        and isinstance(right, sympy.Basic)
        and right.is_positive
        and ex.has(var)
        and base.has(var)
    ):
        log_limit = sympy.log(right)
        if log_limit.is_number and log_limit != right:
            out.append(
                Mistake(
                    "limit_not_exponentiated",
                    "That is the limit of the logarithm: the limit of f itself is e to that power.",
                    sympy.simplify(log_limit),
                    "exponential_limit",
                )
            )
    return out


def _distinct(
    wrong: list[tuple[str, str, Callable[[], Any]]], right: Callable[[], Any], rule: str
) -> list[Mistake]:
    """Run each wrong set-up; keep those that differ from the right answer and each other."""
    try:
        target = right()
    except Exception:  # no right answer to tell the mistakes from
        return []
    seen: list[Any] = [target]
    out: list[Mistake] = []
    for code, feedback, make in wrong:
        try:
            value = make()
        except Exception:  # the wrong set-up has no answer (e.g. it leaves the domain)
            continue
        if any(_equal(value, s) for s in seen):
            continue
        seen.append(value)
        out.append(Mistake(code, feedback, value, rule))
    return out


def _equal(a: Any, b: Any) -> bool:
    try:
        return bool(a == b) or bool(sympy.Tuple(a) == sympy.Tuple(b))
    except Exception:  # unlike objects are not equal
        return False
