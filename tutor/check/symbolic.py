"""Symbolic work that may run long; run it through ``tutor._budget.run_bounded``.

Every function here takes and returns picklable values and never decides alone: the
caller combines its answer with the numeric evidence.
"""

from __future__ import annotations

import signal
import threading
import time
from typing import Any

import sympy

from ..functions import elementary

__all__ = [
    "prove_zero",
    "real_solutions",
    "solve_for",
    "form_facts",
    "relation_to_set",
    "polynomial_factors",
    "set_difference",
    "task_mistakes",
]


def realize(expr: Any, positive: bool = False, assume: dict[str, str] | None = None) -> Any:
    """``expr`` with every symbol declared real (the course's functions are real), and
    positive and/or integer where ``positive`` or ``assume`` (name -> words) says so."""
    syms = getattr(expr, "free_symbols", set())
    rep = {}
    for s in syms:
        if not s.is_Symbol:
            continue
        what = (assume or {}).get(s.name, "")
        kw: dict[str, bool] = {"real": True}
        if positive or "positive" in what:
            kw["positive"] = True
        if "integer" in what:
            kw["integer"] = True
        rep[s] = sympy.Symbol(s.name, **kw)
    return expr.xreplace(rep)


def _nonzero_number(d: Any) -> bool:
    if not d.is_number:
        return False
    try:
        v = sympy.N(d, 50)
    except Exception:
        return False
    return v.is_Number and v != 0 and abs(v) > sympy.Float("1e-40")


class _Slice(BaseException):
    """One proof attempt used up its share of the budget (BaseException: sympy catches
    Exception in places, and this must get through)."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise _Slice


def _timed(func: Any, arg: Any, seconds: float | None) -> Any:
    """``func(arg)``, interrupted after ``seconds`` (worker process, main thread only)."""
    if seconds is None or threading.current_thread() is not threading.main_thread():
        return func(arg)
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.005))
    try:
        return func(arg)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# (attempt, share of the remaining budget): cheap rewrites first — everything in exp as a
# rational function (an identity of complex functions, so a proof for real ones), trig
# expansion — then simplify with what is left
_ATTEMPTS = (
    (lambda e: sympy.cancel(sympy.together(e)), 0.2),
    (sympy.expand, 0.2),
    (lambda e: sympy.cancel(sympy.together(sympy.expand(e.rewrite(sympy.exp)))), 0.25),
    (lambda e: sympy.cancel(sympy.together(sympy.expand_trig(e))), 0.25),
    (sympy.simplify, 0.8),
    (lambda e: sympy.simplify(sympy.expand_trig(e)), 0.5),
    (lambda e: sympy.simplify(e.rewrite(sympy.exp)), 0.5),
    (lambda e: sympy.simplify(e.rewrite(sympy.log)), 0.5),
    (lambda e: sympy.simplify(sympy.expand_log(e)), 0.6),
    (lambda e: sympy.simplify(sympy.powsimp(sympy.powdenest(e, force=False))), 1.0),
)


def prove_zero(
    d: Any,
    positive: bool = False,
    budget: float | None = None,
    assume: dict[str, str] | None = None,
) -> str:
    """Try to show ``d == 0`` as a real function: "zero", "nonzero_constant", "unknown",
    or "timeout" when the budget cut some attempt short.

    ``positive`` assumes every variable positive (used only when the caller has already
    seen the two sides agree at points of every sign where both are defined); ``budget``
    (seconds) is shared among the attempts, so one slow attempt does not starve the rest.
    """
    end = None if budget is None else time.monotonic() + budget
    d = realize(elementary(d), positive, assume)
    if d == 0:
        return "zero"
    cut = False
    for attempt, share in _ATTEMPTS:
        left = None if end is None else end - time.monotonic()
        if left is not None and left <= 0.005:
            cut = True
            break
        try:
            r = _timed(attempt, d, None if left is None else left * share)
        except _Slice:
            cut = True
            continue
        except Exception:
            continue
        if r == 0:
            return "zero"
        if _nonzero_number(r):
            return "nonzero_constant"
    if d.is_number:
        try:
            if sympy.minimal_polynomial(d, sympy.Dummy("t")).is_Symbol:
                return "zero"
            return "nonzero_constant"
        except (Exception, _Slice):
            pass
    return "timeout" if cut else "unknown"


def derivative(expr: Any, name: str) -> Any:
    """d(expr)/d(name), with activation functions kept by their own rules."""
    v = next((s for s in expr.free_symbols if s.name == name), sympy.Symbol(name))
    # d/dx ln|u| = u'/u wherever it is defined: the same as d/dx ln(u), without sign(u)/|u|
    # (and ln(k|u|) like ln(k·u)): the derivative of ln|g| is g'/g for any g
    expr = expr.replace(
        lambda t: (
            isinstance(t, sympy.log)
            and t.args[0].has(sympy.Abs)
            and (
                isinstance(t.args[0], sympy.Abs)
                or (t.args[0].is_Mul and any(isinstance(f, sympy.Abs) for f in t.args[0].args))
            )
        ),
        lambda t: sympy.log(
            sympy.Mul(
                *[
                    f.args[0] if isinstance(f, sympy.Abs) else f
                    for f in sympy.Mul.make_args(t.args[0])
                ]
            )
        ),
    )
    return sympy.diff(expr, v)


def real_solutions(fs: list[Any], name: str) -> Any:
    """The real solutions of ``f = 0`` for any ``f`` in ``fs``, in ``name`` (a sympy Set)."""
    x = sympy.Symbol(name, real=True)
    out = sympy.S.EmptySet
    for f in fs:
        f = realize(elementary(f))
        out = out | sympy.solveset(f, x, domain=sympy.S.Reals)
    return out.xreplace({x: sympy.Symbol(name)})


def set_difference(a: Any, b: Any) -> tuple[Any, ...]:
    """Compare two sets of reals: ("equal",), ("endpoints", include, exclude) when they differ
    only at finitely many points, or ("different",)."""
    diff = a.symmetric_difference(b)
    if diff is sympy.S.EmptySet or diff.is_empty:
        return ("equal",)
    if isinstance(diff, sympy.FiniteSet):
        inc = [p for p in diff.args if b.contains(p) is sympy.true]
        exc = [p for p in diff.args if a.contains(p) is sympy.true]
        return ("endpoints", inc, exc)
    return ("different",)


def solve_for(f: Any, name: str) -> Any:
    """Solutions of ``f = 0`` for ``name`` as a list, or None when a factor lacks ``name``.

    A factor free of ``name`` would be a whole component that ``solve`` does not list.
    """
    f = realize(elementary(f))
    v = next((s for s in f.free_symbols if s.name == name), sympy.Symbol(name, real=True))
    num, _ = sympy.fraction(sympy.together(f))
    for fac, _m in sympy.factor_list(num)[1]:
        if not fac.has(v):
            return None
    sols = sympy.solve(f, v, dict=False)
    back = {s: sympy.Symbol(s.name) for s in f.free_symbols}
    return [s.xreplace(back) for s in sols]


def relation_to_set(rel: Any, name: str) -> Any:
    """The set of reals where the relation (or And/Or of relations) in ``name`` holds."""
    x = sympy.Symbol(name)
    xr = sympy.Symbol(name, real=True)
    r = rel.xreplace({x: xr})
    s = r.as_set() if hasattr(r, "as_set") else sympy.S.EmptySet
    return s.xreplace({xr: x})


def form_facts(expr: Any) -> dict[str, Any]:
    """Facts about how ``expr`` is written: irreducible factors, lowest terms."""
    facts: dict[str, Any] = {}
    factors = []
    body = expr
    if body.is_Mul:
        factors = list(body.args)
    else:
        factors = [body]
    fully = True
    for f in factors:
        base = f.base if f.is_Pow and f.exp.is_Integer else f
        if base.is_number:
            continue
        if not base.is_polynomial():
            fully = False
            continue
        _c, parts = sympy.factor_list(base)
        nontrivial = [(p, m) for p, m in parts if not p.is_number]
        if len(nontrivial) > 1 or any(m > 1 for _p, m in nontrivial):
            fully = False
    facts["fully_factored"] = fully
    num, den = sympy.fraction(sympy.together(expr))
    g = sympy.gcd(num, den)
    facts["lowest_terms"] = bool(g.is_number)
    return facts


def polynomial_factors(fs: list[Any]) -> list[Any] | None:
    """The distinct irreducible factors of polynomial equations ``f = 0`` (their zero set is
    the union of the factors' zero sets), or None when some ``f`` is not a polynomial."""
    out: list[Any] = []
    for f in fs:
        f = sympy.expand(f) if f.is_polynomial() else None
        if f is None:
            return None
        if f == 0:
            return None
        _c, parts = sympy.factor_list(f)
        for p, _m in parts:
            if not p.is_number and p not in out:
                out.append(p)
    return out


def task_mistakes(task: Any) -> list[Any]:
    """The mal-rule answers of ``task`` (``tutor.steps.mistakes``), run under the budget."""
    from ..steps import mistakes

    return list(mistakes(task))
