"""``limit``: the public entry point, with the table of values and the honest fallback."""

from __future__ import annotations

from typing import Any

import sympy
from sympy import Limit, Rational, S, oo

from ...core import DNE, Solution, Step, Table, Task, as_sympy
from . import techniques
from .budget import DEFAULT_SECONDS, OutOfTime, left, within
from .engine import BOUNDED, Solver, is_inf

DIRECTIONS = ("+", "-", "+-")


def as_expr(expr: Any, variables: list[str] | None = None) -> Any:
    """A sympy expression from a str (through ``tutor.parse``) or an Expr."""
    if isinstance(expr, str):
        from ...parse import parse

        return parse(expr, variables=variables) if variables else parse(expr)
    return as_sympy(expr) if isinstance(expr, (int, float)) else expr


def as_point(point: Any) -> Any:
    """The limit point: a number, pi/2, oo or -oo (str through ``tutor.parse``)."""
    if isinstance(point, str):
        p = point.strip().replace(" ", "").lower()
        if p in ("oo", "+oo", "inf", "+inf", "infinity", "∞", "+∞"):
            return oo
        if p in ("-oo", "-inf", "-infinity", "-∞"):
            return -oo
        return as_expr(point)
    if isinstance(point, (int, float)):
        return sympy.nsimplify(point)
    return point


def _elementary(f: Any) -> Any:
    from ...functions import elementary

    return elementary(f)


def oracle(f: Any, x: Any, a: Any, direction: str) -> Any:
    """sympy's answer: a value, ``DNE``, or None when sympy cannot say.

    sympy's one-sided limits of a Piecewise can pick the wrong piece, so each side's piece
    is chosen here first."""
    if f.has(sympy.Piecewise) and not is_inf(a):
        if direction == "+-":
            sides = [oracle(f, x, a, s) for s in ("-", "+")]
            if any(v is None for v in sides):
                return None
            return sides[0] if same(sides[0], sides[1]) else DNE
        eps = Rational(1, 10**9) * (1 if direction == "+" else -1)
        repl = {}
        for n in sympy.preorder_traversal(f):
            if isinstance(n, sympy.Piecewise):
                for expr, cond in n.args:
                    if cond.subs(x, a + eps) in (S.true, True):
                        repl[n] = expr
                        break
        f = f.xreplace(repl)
    try:
        if is_inf(a):
            v = sympy.limit(f, x, a)
        else:
            v = sympy.limit(f, x, a, direction)
    except ValueError:
        return DNE if direction == "+-" else None
    except (NotImplementedError, TypeError, RecursionError):
        return None
    if v is S.ComplexInfinity or v.has(sympy.AccumBounds):
        return DNE
    if isinstance(v, Limit) or v.has(Limit) or v is S.NaN:
        return None
    return v


def same(u: Any, v: Any) -> bool:
    """True when two limit answers agree (DNE, ±∞ or equal numbers)."""
    if u is DNE or v is DNE or u is None or v is None:
        return u is v
    if is_inf(u) or is_inf(v):
        return u == v
    try:
        d = sympy.nsimplify(u - v) if (u - v).is_Float else u - v
        return bool(sympy.simplify(d) == 0) or abs(complex(sympy.N(d, 30))) < 1e-20
    except (TypeError, ValueError):
        return False


def table_of_values(f: Any, x: Any, a: Any, direction: str) -> Table:
    """f at exact inputs closing in on a from each asked side (decimals of f, 6 digits)."""
    if a is S.Infinity:
        xs = [Rational(10) ** k for k in range(1, 6)]
    elif a is S.NegativeInfinity:
        xs = [-(Rational(10) ** k) for k in range(1, 6)]
    else:
        xs = []
        if "-" in direction:
            xs += [a - Rational(1, 10**k) for k in range(1, 5)]
        if "+" in direction:
            xs += [a + Rational(1, 10**k) for k in range(1, 5)]
    fn = sympy.lambdify(x, f, modules=["mpmath"])
    rows = []
    for p in xs:
        try:
            v = complex(fn(_mp(p)))
        except (ZeroDivisionError, ValueError, TypeError, OverflowError, NameError):
            rows.append((p, "undefined"))
            continue
        if abs(v.imag) > 1e-12:
            rows.append((p, "undefined"))
        else:
            rows.append((p, f"{v.real:.6g}"))
    return Table((str(x), "f(" + str(x) + ")"), rows, "values of f closing in on the point")


def _mp(p: Rational) -> Any:
    import mpmath

    with mpmath.workdps(30):
        return mpmath.mpf(p.p) / p.q


def limit(
    expr: Any,
    var: str = "x",
    point: Any = "0",
    direction: str = "+-",
    *,
    table: bool = False,
    method: str | None = None,
    seconds: float | None = DEFAULT_SECONDS,
) -> Solution:
    """The limit of ``expr`` as ``var`` → ``point``, worked with a named technique per step.

    ``direction`` is "+" (from the right), "-" (from the left) or "+-" (both sides).  The
    techniques are tried in the course's order; ``method`` (a technique id such as
    ``"lhopital"``) puts the one a question asks for first.  The answer is the value the
    steps reach: a sympy number, ``oo``, ``-oo`` or ``DNE``.  Where no technique applies an
    honest ``cas`` step evaluates the limit.  The call answers within ``seconds`` (None: no
    budget); past it the solution says so and its answer is None.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    if method is not None and method not in techniques.TITLES:
        raise ValueError(f"unknown technique {method!r}; one of {sorted(techniques.TITLES)}")
    x = sympy.Symbol(var) if isinstance(var, str) else var
    f = as_expr(expr, [x.name])
    a = as_point(point)
    side = "+-" if is_inf(a) else direction
    where = {
        "+-": "",
        "+": " from the right",
        "-": " from the left",
    }[side]
    statement = "Find the limit of {expr} as {var} approaches {point}" + where + "."
    task = Task("limit", {"expr": f, "var": x, "point": a, "direction": side}, statement)
    with within(seconds):
        try:
            return Solution(task, *_work(f, x, a, side, table, method))
        except OutOfTime:
            return unfinished(task, Limit(f, x, a) if is_inf(a) else Limit(f, x, a, side), seconds)


def _work(
    f: Any, x: Any, a: Any, side: str, table: bool, method: str | None
) -> tuple[list[Step], Any]:
    steps: list[Step] = []
    g = _elementary(f)
    if table:
        steps.append(
            Step(
                "table_of_values",
                None,
                table_of_values(g, x, a, side),
                "Before any algebra, watch the values of f as {x} closes in on {a}: they "
                "suggest the limit, which the steps below then find exactly.",
                data={"x": x, "a": a},
            )
        )
    if g != f:
        steps.append(
            Step(
                "rewrite",
                Limit(f, x, a) if is_inf(a) else Limit(f, x, a, side),
                Limit(g, x, a) if is_inf(a) else Limit(g, x, a, side),
                "Write the activation functions with exp and log: {g}.",
                data={"g": g},
            )
        )
    solver = Solver(x, method=method)
    try:
        v, worked = solver.lim(g, a, side)
    except OutOfTime:
        raise
    except Exception:  # noqa: BLE001 - a gap in the techniques falls back to the CAS, never a crash
        v, worked = None, []
    if v is BOUNDED:
        v = None
    if v is None:
        v = bounded_oracle(g, x, a, side)
        if v is None:
            raise ValueError(f"cannot evaluate the limit of {sympy.sstr(f)}")
        worked = [cas_step(g, x, a, side, v)]
    return [*steps, *worked], v


def bounded_oracle(f: Any, x: Any, a: Any, side: str) -> Any:
    """sympy's limit for the ``cas`` step, within what is left of the budget.

    It runs in the forked worker of ``tutor._budget`` so that a slow CAS call cannot
    outlive the budget; OutOfTime when it does not finish."""
    seconds = left()
    if seconds is None:
        return oracle(f, x, a, side)
    from ..._budget import TIMEOUT, run_bounded

    try:
        v = run_bounded("tutor.steps.limits.api:oracle", (f, x, a, side), seconds)
    except RuntimeError:
        raise OutOfTime from None
    if v is TIMEOUT:
        raise OutOfTime
    return v


def unfinished(task: Task, before: Any, seconds: float | None) -> Solution:
    """The honest answer when the budget ran out: a step that says so, answer None."""
    step = Step(
        "out_of_time",
        before,
        None,
        "This limit could not be worked out within the time budget of {seconds} seconds, "
        "so no answer is given.",
        data={"seconds": seconds},
    )
    return Solution(task, [step], None)


def cas_step(f: Any, x: Any, a: Any, side: str, v: Any) -> Step:
    """The honest fallback: the CAS evaluated this limit without a course technique."""
    before = Limit(f, x, a) if is_inf(a) else Limit(f, x, a, side)
    return Step(
        "cas",
        before,
        v,
        "None of the course's techniques applies directly here, so the computer algebra "
        "system evaluated the limit: {value}.",
        data={"value": v},
    )
