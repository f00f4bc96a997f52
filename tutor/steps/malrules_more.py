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

from ..core import Mistake, Task, as_sympy
from .registry import MISTAKES

__all__ = [
    "backprop_mistakes",
    "critical_mistakes",
    "descent_mistakes",
    "extrema_mistakes",
    "limit_mistakes",
    "loss_mistakes",
]


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
        # (a lab's run is in floats: as sympy numbers, the checker's tolerance can test them)
        last = [as_sympy(v) for v in descent._run(expr, xs, x0, rate, k).xs[-1]]
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
    return _distinct(wrong, lambda: run(f, eta, steps))


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
        out.append(Mistake("loss_sum_not_mean", said, value * n, MISTAKES["loss_sum_not_mean"]))
        if grad is not None:
            out.append(
                Mistake(
                    "loss_sum_not_mean",
                    "That is the gradient of the sum: the mean's gradient has a 1/n.",
                    tuple(g * n for g in grad),
                    MISTAKES["loss_sum_not_mean"],
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
                MISTAKES["loss_log_base"],
            )
        )
        out.append(
            Mistake(
                "loss_missing_minus",
                "The minus sign is missing: log of a probability is negative, and the loss "
                "−log p is positive.",
                -value,
                MISTAKES["loss_missing_minus"],
            )
        )
    return [m for m in out if m.expr != value and m.expr != grad]


def limit_mistakes(task: Task) -> list[Mistake]:
    """The classic wrong limits: the other side's infinity for a one-sided limit; one side's
    limit (or an infinity) for a two-sided limit whose sides disagree, DNE for one that grows
    without bound; 0 or DNE read off a 0/0 substitution; L'Hôpital's quotient f′/g′ where
    the form is not indeterminate; and a 1^∞ limit left as the limit of its logarithm."""
    from ..core import DNE
    from . import limits

    p = task.params
    expr, var, point = p.get("expr"), p.get("var"), p.get("point")
    if expr is None or var is None or point is None:
        return []
    direction = p.get("direction", "+-")

    def lim(e: Any, side: str) -> Any:
        return limits.limit(e, var, point, side).answer

    right = lim(expr, direction)
    out: list[Mistake] = []
    if right in (sympy.oo, -sympy.oo) and direction in ("+", "-"):
        out.append(
            Mistake(
                "limit_side_sign",
                "Check the sign on this side: just "
                + ("left" if direction == "-" else "right")
                + " of the point, is the bottom positive or negative?",
                -right,
                MISTAKES["limit_side_sign"],
            )
        )
    finite = point not in (sympy.oo, -sympy.oo)
    if direction == "+-" and finite:
        out += _two_sided_mistakes(lambda side: lim(expr, side), right, DNE)
    num, den = sympy.fraction(sympy.together(expr)) if finite else (None, None)
    if num is not None and den.has(var):
        top, bottom = _at(num, var, point), _at(den, var, point)
        if top == 0 and bottom == 0:
            said = (
                "Substituting gives 0/0, which is not a value: it says the form is "
                "indeterminate, so the limit is still to be found. Simplify first (factor "
                "and cancel, the conjugate, a standard limit or L'Hôpital), then let x "
                "approach the point."
            )
            out += [
                Mistake("limit_substituted", said, v, MISTAKES["limit_substituted"])
                for v in (sympy.S.Zero, DNE)
            ]
        elif bottom == 0 and top is not None and top != 0:
            try:
                quotient = lim(sympy.diff(num, var) / sympy.diff(den, var), direction)
            except Exception:  # the wrong quotient has no limit the engine can find
                quotient = None
            if quotient is not None and quotient is not DNE:
                out.append(
                    Mistake(
                        "limit_lhopital_not_indeterminate",
                        "L'Hôpital's rule only applies to 0/0 or ∞/∞, and here the top "
                        "does not tend to 0: a nonzero number over something tending to 0. "
                        "Look at the sign of the bottom on each side of the point instead.",
                        quotient,
                        MISTAKES["limit_lhopital_not_indeterminate"],
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
                    MISTAKES["limit_not_exponentiated"],
                )
            )
    return [m for m in out if not _equal(m.expr, right)]


def _two_sided_mistakes(side: Callable[[str], Any], right: Any, dne: Any) -> list[Mistake]:
    """A two-sided limit answered with one side's limit when the sides disagree, or with
    DNE when both sides grow without bound the same way (∞ is then the limit)."""
    if right is dne:
        try:
            values = [side("+"), side("-")]
        except Exception:  # a side the engine cannot find names nothing
            return []
        said = (
            "That is the limit from one side only. A two-sided limit needs the two one-sided "
            "limits to agree: find the limit from the left and from the right, and compare."
        )
        return [
            Mistake("limit_one_side_only", said, v, MISTAKES["limit_one_side_only"])
            for v in dict.fromkeys(values)
            if v is not dne
        ]
    if right in (sympy.oo, -sympy.oo):
        said = (
            "Both one-sided limits grow without bound in the same direction, and that is a "
            "limit you can write with oo or -oo: DNE is for sides that disagree or "
            "values that keep oscillating."
        )
        return [Mistake("limit_infinite_not_dne", said, dne, MISTAKES["limit_infinite_not_dne"])]
    return []


def _at(e: Any, var: Any, point: Any) -> Any:
    """``e`` at ``var = point`` when that is a finite number, else None."""
    try:
        v = sympy.simplify(e.subs(var, point))
    except Exception:  # a value that cannot be substituted says nothing
        return None
    return v if v.is_number and v.is_finite else None


def _distinct(
    wrong: list[tuple[str, str, Callable[[], Any]]], right: Callable[[], Any]
) -> list[Mistake]:
    """Run each wrong set-up; keep those that differ from the right answer and each other.
    Each mistake sends the student back to the rule the registry's MISTAKES table names."""
    try:
        target = right()
    except Exception:  # no right answer to tell the mistakes from
        return []
    seen: list[tuple[Any, list[complex] | None]] = [(target, _numbers(target))]
    out: list[Mistake] = []
    for code, feedback, make in wrong:
        try:
            value = make()
        except Exception:  # the wrong set-up has no answer (e.g. it leaves the domain)
            continue
        nums = _numbers(value)
        if any(_equal(value, s) or _close(nums, n) for s, n in seen):
            continue
        seen.append((value, nums))
        out.append(Mistake(code, feedback, value, MISTAKES[code]))
    return out


def _equal(a: Any, b: Any) -> bool:
    try:
        return bool(a == b) or bool(sympy.Tuple(a) == sympy.Tuple(b))
    except Exception:  # unlike objects are not equal
        return False


def _numbers(v: Any) -> list[complex] | None:
    """A number or a tuple of numbers as complex values (None for anything else), so that
    candidates written differently (unsimplified) are still told apart by value."""
    items = list(v) if isinstance(v, (tuple, list, sympy.Tuple)) else [v]
    try:
        return [complex(sympy.N(x, 15)) for x in items]
    except (TypeError, ValueError, AttributeError):  # not numbers
        return None


def _close(a: list[complex] | None, b: list[complex] | None) -> bool:
    if a is None or b is None or len(a) != len(b):
        return False
    return all(abs(x - y) <= 1e-12 * max(1.0, abs(y)) for x, y in zip(a, b))


def _real_roots(g: Any, x: Any) -> list[Any] | None:
    """The real roots of a polynomial ``g`` in ``x`` in closed form (None when g is not a
    polynomial or a root has no radical form: no student writes that answer)."""
    if g == 0 or not g.is_polynomial(x):
        return None
    roots = sorted(set(sympy.real_roots(sympy.Poly(g, x))), key=float)
    return None if any(r.has(sympy.CRootOf) for r in roots) else roots


def critical_mistakes(task: Task) -> list[Mistake]:
    """Critical points of one variable: the zeros of f or of f″ for those of f′, every
    critical point when one kind was asked, one kind for another, kinds told by the sign of f,
    points outside the interval, points where f′ does not exist left out."""
    from .analysis import critical_points

    p = task.params
    f, interval = p.get("f", p.get("expr")), p.get("interval")
    xs = tuple(p.get("variables") or ())
    if not isinstance(f, sympy.Expr) or len(f.free_symbols) != 1 or len(xs) > 1:
        return []
    (x,) = f.free_symbols
    found = critical_points(f, x, interval).answer
    points = [pt for pt, _ in found]
    kinds = dict(found)
    inside = (
        (lambda r: True) if interval is None else (lambda r: r in sympy.Interval(*_ends(interval)))
    )

    def pick(kind: str) -> list[Any]:
        return [pt for pt in points if kinds[pt] == kind]

    def as_set(values: list[Any] | None) -> Any:
        if not values:
            raise ValueError("no such points")
        return sympy.FiniteSet(*values)

    def mixed(chosen: list[Any]) -> list[Any]:
        # a set of one kind only is more likely a point missed than a wrong test: not named
        if len({kinds[pt] for pt in chosen}) < 2:
            raise ValueError("one kind only")
        return chosen

    d1 = sympy.diff(f, x)
    wrong: list[tuple[str, str, Callable[[], Any]]] = [
        (
            "critical_not_classified",
            "Those are all the critical points (where f′ = 0), but the question asks for one "
            "kind only: classify each by the sign of f″, or by how f′ changes sign there.",
            lambda: as_set(points),
        ),
        (
            "critical_zeros_of_f",
            "Those are the zeros of f (where f(x) = 0). Critical points are where the slope is "
            "zero: solve f′(x) = 0.",
            lambda: as_set([r for r in _real_roots(f, x) or [] if inside(r)]),
        ),
        (
            "critical_zeros_of_f2",
            "Those are where f″(x) = 0, the candidates for inflection points. Critical points "
            "solve f′(x) = 0.",
            lambda: as_set([r for r in _real_roots(sympy.diff(f, x, 2), x) or [] if inside(r)]),
        ),
        (
            "critical_wrong_kind",
            "Those are the local minima (f″ > 0 there, the graph bends up). Read again which "
            "kind of point the question asks for.",
            lambda: as_set(pick("minimum")),
        ),
        (
            "critical_wrong_kind",
            "Those are the local maxima (f″ < 0 there, the graph bends down). Read again which "
            "kind of point the question asks for.",
            lambda: as_set(pick("maximum")),
        ),
        (
            "critical_classified_by_f",
            "You seem to have classified by the sign of f itself. Whether a point is a minimum "
            "or a maximum depends on f″ (or on how f′ changes sign), not on whether f is "
            "positive or negative there.",
            lambda: as_set(mixed([pt for pt in points if f.subs(x, pt) < 0])),
        ),
        (
            "critical_classified_by_f",
            "You seem to have classified by the sign of f itself. Whether a point is a minimum "
            "or a maximum depends on f″ (or on how f′ changes sign), not on whether f is "
            "positive or negative there.",
            lambda: as_set(mixed([pt for pt in points if f.subs(x, pt) > 0])),
        ),
    ]
    # first: a set that leaves out exactly the points where f′ does not exist says that,
    # rather than naming the kind of the points it kept
    singular = [pt for pt in points if _no_derivative(f, x, pt)]
    if singular:
        wrong.insert(
            0,
            (
                "critical_missed_nondifferentiable",
                "A critical point is also where f′ does not exist (a corner or a vertical "
                "tangent), not only where f′ = 0: check where f′ is undefined.",
                lambda: as_set([pt for pt in points if pt not in singular]),
            ),
        )
    if interval is not None:
        wrong.append(
            (
                "critical_outside_interval",
                "Some of those points lie outside the interval: only the critical points "
                "inside it count.",
                lambda: as_set(_real_roots(d1, x)),
            )
        )
    # every candidate is a set of points: compare them as sets, the right one being all points
    return _distinct(wrong, lambda: None)


def _no_derivative(f: Any, x: Any, pt: Any) -> bool:
    """Whether f′ does not exist at ``pt``: infinite there (a vertical tangent), or with
    one-sided limits that differ (a corner; sympy writes |u|′ as sign(u), 0 at the corner)."""
    t = sympy.Dummy("t", real=True)
    d1 = sympy.diff(f.subs(x, t), t)
    at = d1.subs(t, pt)
    if at.is_finite is False or at.has(sympy.nan, sympy.zoo):
        return True
    if not d1.has(sympy.sign, sympy.Abs, sympy.Heaviside):
        return False
    try:
        return bool(sympy.limit(d1, t, pt, "+") != sympy.limit(d1, t, pt, "-"))
    except Exception:  # a one-sided limit sympy cannot find: no claim
        return False


def _ends(interval: Any) -> tuple[Any, Any]:
    if isinstance(interval, sympy.Interval):
        return interval.start, interval.end
    lo, hi = interval
    return lo, hi


def extrema_mistakes(task: Task) -> list[Mistake]:
    """Global extrema on an interval: the end points left out, the other extreme, and the
    place (an x) given for the value."""
    from .analysis import global_extrema

    p = task.params
    f, interval = p.get("f", p.get("expr")), p.get("interval")
    if not isinstance(f, sympy.Expr) or len(f.free_symbols) != 1 or interval is None:
        return []
    (x,) = f.free_symbols
    lo, hi = _ends(interval)
    ans = global_extrema(f, x, (lo, hi)).answer
    if not isinstance(ans, dict) or "none" in (ans.get("maximum"), ans.get("minimum")):
        return []
    inner = [r for r in _real_roots(sympy.diff(f, x), x) or [] if lo < r < hi]
    inner_values = [f.subs(x, r) for r in inner]
    out: list[tuple[str, str, Callable[[], Any]]] = []
    for which, best in (("maximum", max), ("minimum", min)):
        value, at = ans[which]
        other = "largest" if which == "maximum" else "smallest"
        out.append(
            (
                "extrema_wrong_extreme",
                f"That is the {other} value f takes on the interval (its global {which}). "
                "Read again which extreme the question asks for.",
                lambda value=value: value,
            )
        )
        if inner_values:
            out.append(
                (
                    "extrema_forgot_endpoints",
                    f"That is the {other} value at a critical point inside the interval, but "
                    "on a closed interval the end points are candidates too: compare f at "
                    "each end as well.",
                    lambda best=best: best(inner_values),
                )
            )
        if len(at) == 1:
            out.append(
                (
                    "extrema_place_not_value",
                    "That is where the extreme is reached (an x-value). The question asks for "
                    "the value of f there.",
                    lambda at=at: at[0],
                )
            )
    return _distinct(out, lambda: None)


def backprop_mistakes(task: Task) -> list[Mistake]:
    """Backprop at a point: −∇L (the descent step's direction) for ∇L, a node's local
    derivative left out, a node's forward value used as its local derivative.

    Each wrong gradient is the derivative of the same graph with one node g(u) replaced by a
    line through its forward value g(u₀): slope 1 (local derivative left out) or slope g(u₀)
    (forward value taken for the slope), so that every other node still sees the right values.
    Needs ``wrt`` (the parameters asked, in order) in the task.
    """
    p = task.params
    f, values, wrt = p.get("expr"), p.get("values"), p.get("wrt")
    if not isinstance(f, sympy.Expr) or not values or not wrt:
        return []
    syms = {s.name: s for s in f.free_symbols}
    if any(w not in syms for w in wrt) or any(k not in syms for k in values):
        return []
    at = {syms[k]: sympy.nsimplify(v) for k, v in values.items()}
    params = [syms[w] for w in wrt]

    def grad(g: Any) -> tuple[Any, ...]:
        # no simplify: the checker compares values, and simplifying every entry of every
        # candidate costs more than the check's budget on a loaded machine
        return tuple(sympy.diff(g, s).subs(at).doit() for s in params)

    def node_line(node: Any, slope_is_value: bool) -> Callable[[], Any]:
        u = node.base if isinstance(node, sympy.Pow) else node.args[0]
        u0, g0 = u.subs(at), node.subs(at).doit()
        line = g0 + (g0 if slope_is_value else 1) * (u - u0)
        return lambda: grad(f.xreplace({node: line}))

    wrong: list[tuple[str, str, Callable[[], Any]]] = [
        (
            "backprop_negative_gradient",
            "That is −∇L, the direction a descent step moves. Backprop gives the gradient "
            "∇L itself, which points uphill; the update then subtracts it.",
            lambda: tuple(-g for g in grad(f)),
        )
    ]
    nodes = [
        n
        for n in sympy.preorder_traversal(f)
        if (isinstance(n, sympy.Function) and len(n.args) == 1 and n.args[0].has(*params))
        or (isinstance(n, sympy.Pow) and n.exp.is_Number and n.base.has(*params))
    ]
    for node in nodes[:_MAX_NODES]:
        name = _show(node)
        wrong.append(
            (
                "backprop_missing_local",
                f"A local derivative is missing: on the way back through {name} the "
                "gradient must be multiplied by that node's own slope at its input.",
                node_line(node, slope_is_value=False),
            )
        )
        wrong.append(
            (
                "backprop_forward_as_local",
                f"At the node {name} you multiplied by its forward value where its local "
                "derivative (its slope at the input) belongs.",
                node_line(node, slope_is_value=True),
            )
        )
    return _distinct(wrong, lambda: grad(f))


_MAX_NODES = 4  # a few nodes: each candidate is one more derivative of the whole graph


def _show(node: Any) -> str:
    from .derivatives.tidy import show

    return show(node)
