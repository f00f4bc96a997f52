"""Calls into the worked-solution engines, each checked against the generator's own answer.

A family knows its answer (built by construction or computed with sympy); the engine writes
the worked solution. When an engine is missing, fails, or lands on a different answer, the
problem keeps its verified answer and the solution is one honest ``cas`` step instead.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import sympy

from ..core import DNE, Solution, Step, Task
from ..steps._numeric import MP, compare

_log = logging.getLogger(__name__)

__all__ = ["agree", "cas_solution", "engine_solution", "numbers_agree", "run_engine"]


def agree(a: Any, b: Any) -> bool:
    """True when two answers are the same mathematical object (exactly, or at random points)."""
    if a is DNE or b is DNE:
        return a is b
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return set(map(str, a)) == set(map(str, b)) and all(agree(a[k], b[_key(b, k)]) for k in a)
    if isinstance(a, (list, tuple, sympy.Tuple)) and isinstance(b, (list, tuple, sympy.Tuple)):
        return len(a) == len(b) and all(agree(u, v) for u, v in zip(a, b))
    if isinstance(a, sympy.MatrixBase):
        return agree(list(a), b)
    if isinstance(b, sympy.MatrixBase):
        return agree(a, list(b))
    if isinstance(a, (set, frozenset)):
        a = sympy.FiniteSet(*a)
    if isinstance(b, (set, frozenset)):
        b = sympy.FiniteSet(*b)
    a, b = _sym(a), _sym(b)
    if a is None or b is None:
        return False
    if a == b:
        return True
    if isinstance(a, sympy.Set) or isinstance(b, sympy.Set):
        return _sets_agree(a, b)
    if not isinstance(a, sympy.Expr) or not isinstance(b, sympy.Expr):
        return False
    if a.has(sympy.oo, -sympy.oo, sympy.zoo) or b.has(sympy.oo, -sympy.oo, sympy.zoo):
        return False
    return numbers_agree(a, b)


def _sym(v: Any) -> Any:
    """Our own numbers as sympy objects; strings are never converted (they are not maths)."""
    if isinstance(v, bool) or isinstance(v, str):
        return None
    if isinstance(v, int):
        return sympy.Integer(v)
    if isinstance(v, Fraction):
        return sympy.Rational(v.numerator, v.denominator)
    if isinstance(v, float):
        return sympy.Float(v)
    return v if isinstance(v, sympy.Basic) else None


def _key(m: Mapping[Any, Any], k: Any) -> Any:
    for key in m:
        if str(key) == str(k):
            return key
    return k


def _sets_agree(a: Any, b: Any) -> bool:
    if isinstance(a, sympy.FiniteSet) and isinstance(b, sympy.FiniteSet):
        if len(a) != len(b):
            return False
        la = sorted(a, key=sympy.default_sort_key)
        lb = list(b)
        return all(any(agree(u, v) for v in lb) for u in la)
    try:
        return bool(sympy.simplify(sympy.Complement(a, b)) == sympy.S.EmptySet) and bool(
            sympy.simplify(sympy.Complement(b, a)) == sympy.S.EmptySet
        )
    except Exception:  # noqa: BLE001 - an undecidable comparison is a disagreement
        return False


def numbers_agree(a: Any, b: Any) -> bool:
    """Expressions equal at several points to 30 digits (exact numbers compared exactly)."""
    d = a - b
    free = sorted(d.free_symbols, key=sympy.default_sort_key)
    if not free:
        if d == 0:
            return True
        try:
            value = d.evalf(40)
            return bool(value.is_number and abs(value) < sympy.Float("1e-25"))
        except (TypeError, ValueError):
            return False
    points = [sympy.Rational(k, 10) for k in (3, 7, 11, 13)]
    hits = 0
    for p in points:
        sub = {s: p + sympy.Rational(j, 7) for j, s in enumerate(free)}
        if not (_tame(a, sub) and _tame(b, sub)):
            continue
        fast = compare(a, b, sub, 1e-18, MP)  # 120-bit mpmath with an error bound, if decisive
        if fast is not None:
            if fast[0]:
                return False
            hits += 1
            continue
        try:
            u, v = a.evalf(30, subs=sub), b.evalf(30, subs=sub)
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if not (u.is_number and v.is_number) or u.has(sympy.nan, sympy.zoo):
            continue
        if abs(u - v) > sympy.Float("1e-18") * (1 + abs(u)):
            return False
        hits += 1
    return hits >= 2


def _tame(expr: Any, sub: Mapping[Any, Any]) -> bool:
    """False when some exponential is astronomically large at the point (evaluating it
    to 30 digits would take mpmath minutes); inner exponentials are checked first."""
    for node in sympy.postorder_traversal(expr):
        if isinstance(node, sympy.exp):
            v = node.args[0].evalf(8, subs=dict(sub))
            if not v.is_number or abs(v) > 300:
                return False
    return True


def cas_solution(kind: str, params: Mapping[str, Any], statement: str, answer: Any) -> Solution:
    """A one-step solution that says honestly the computer algebra system did the work."""
    step = Step(
        "cas",
        before=params.get("expr"),
        after=answer,
        explanation="The computer algebra system worked this out directly: {answer}.",
        data={"answer": answer},
    )
    return Solution(Task(kind, dict(params), statement), (step,), answer)


def engine_solution(
    target: str,
    args: Sequence[Any],
    kwargs: Mapping[str, Any],
    *,
    answer: Any,
    kind: str,
    params: Mapping[str, Any],
    statement: str = "",
    extract: Callable[[Any], Any] | None = None,
    fallback: Solution | None = None,
) -> Solution:
    """Run the engine ``"module:function"``; keep its Solution when its answer agrees.

    ``extract`` maps the engine's answer onto the problem's answer shape (e.g. the x of
    each (point, kind) pair) before comparing. ``fallback`` is a locally written worked
    solution to use instead of the one-step ``cas`` solution when the engine cannot help.
    """
    module_name, attr = target.split(":")
    try:
        func = getattr(importlib.import_module(module_name), attr)
        sol = func(*args, **kwargs)
        theirs = extract(sol.answer) if extract else sol.answer
        if isinstance(sol, Solution) and agree(theirs, answer):
            if extract is None:
                return sol
            read = Step(
                "read_answer",
                before=sol.answer,
                after=answer,
                explanation="The question asks for this part of the result: {answer}.",
                data={"answer": answer},
            )
            return Solution(sol.task, (*sol.steps, read), answer)
        _log.debug("%s disagrees: engine %r, generator %r", target, theirs, answer)
    except Exception as exc:  # noqa: BLE001 - a missing or failing engine falls back to an honest step
        _log.debug("%s failed: %r", target, exc)
    return fallback if fallback is not None else cas_solution(kind, params, statement, answer)


def run_engine(target: str, *args: Any, **kwargs: Any) -> Solution | None:
    """The engine ``"module:function"``'s Solution, or None when it is missing or fails.

    For families that redraw rather than fall back: the caller compares the engine's answer
    with its own and raises ``Redraw`` when they differ (or when this returns None).
    """
    module_name, attr = target.split(":")
    try:
        sol = getattr(importlib.import_module(module_name), attr)(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - a failing engine makes the draw unusable, not fatal
        _log.debug("%s failed: %r", target, exc)
        return None
    return sol if isinstance(sol, Solution) else None
