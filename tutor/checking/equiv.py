"""Equivalence of two real expressions, decided in named stages, cheap first, all bounded.

1. ``structural``: the same sympy tree.
2. ``exact_rational``: rational functions with rational coefficients are compared exactly at
   random integer points (Schwartz-Zippel: a nonzero numerator of degree D vanishes at a
   random point of a range of size N with probability at most D/N; we use N = 2^64).
3. ``numeric``: values at random real points at 30 digits, differences confirmed at 70 and
   110 digits; a difference where both sides are defined is a proof, so is a region where
   only one side is defined (unless the domain policy is relaxed).
4. ``symbolic``: sympy proves the difference is zero (or a nonzero constant) in the worker
   process under the time budget.
5. ``high_precision``: before the symbolic stage, a look at 110 digits for tiny differences;
   when neither proves anything the outcome is undetermined (None), never a guess.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy

from .._budget import TIMEOUT, Deadline, run_bounded
from . import numeric

__all__ = ["Outcome", "compare", "equivalent", "plain", "names_of"]

SEED = 20260101


@dataclass
class Outcome:
    """A decision: ``equal`` True/False/None, the ``code``, the ``stage`` that decided."""

    equal: bool | None
    code: str
    stage: str
    details: dict[str, Any] = field(default_factory=dict)


def plain(expr: Any) -> Any:
    """``expr`` with every symbol a plain ``Symbol(name)`` (engines may add assumptions)."""
    try:
        syms = expr.free_symbols
    except AttributeError:
        return expr
    # only symbols that differ from a plain one: xreplace rebuilds (and re-evaluates) the
    # tree, which would undo the parser's unevaluated sqrt(x)^2
    rep = {s: sympy.Symbol(s.name) for s in syms if s.is_Symbol and s != sympy.Symbol(s.name)}
    return expr.xreplace(rep) if rep else expr


def names_of(*exprs: Any) -> list[str]:
    """Sorted names of the free symbols of ``exprs``."""
    out: set[str] = set()
    for e in exprs:
        out |= {s.name for s in getattr(e, "free_symbols", set()) if s.is_Symbol}
    return sorted(out)


def stage_structural(a: Any, b: Any) -> Outcome | None:
    """Identical trees are equal."""
    if a == b:
        return Outcome(True, "equivalent", "structural")
    return None


_MAX_DEGREE = 10_000


def _degree(e: Any) -> int | None:
    """A bound on numerator+denominator degree of a rational function, or None if not one."""
    if e.is_Symbol:
        return 1
    if e.is_Rational:
        return 0
    if e.is_Add or e.is_Mul:
        total = 0
        for t in e.args:
            d = _degree(t)
            if d is None:
                return None
            total += d
        return total
    if e.is_Pow and e.exp.is_Integer and abs(int(e.exp)) <= 256:
        d = _degree(e.base)
        return None if d is None else d * abs(int(e.exp))
    return None


def _exact(e: Any, env: dict[str, int]) -> Fraction:
    if e.is_Symbol:
        return Fraction(env[e.name])
    if e.is_Rational:
        return Fraction(int(e.p), int(e.q))
    if e.is_Add:
        return sum((_exact(t, env) for t in e.args), Fraction(0))
    if e.is_Mul:
        r = Fraction(1)
        for t in e.args:
            r *= _exact(t, env)
        return r
    b = _exact(e.base, env)
    n = int(e.exp)
    if n < 0 and b == 0:
        raise ZeroDivisionError
    return b**n


def stage_exact_rational(a: Any, b: Any, names: list[str]) -> Outcome | None:
    """Rational functions: exact comparison at random integer points (a proof either way)."""
    da, db = _degree(a), _degree(b)
    if da is None or db is None or da + db > _MAX_DEGREE:
        return None
    rng = random.Random(SEED)
    agree = 0
    for _ in range(12):
        env = {n: rng.randrange(1, 2**64) * (1 if rng.random() < 0.5 else -1) for n in names}
        try:
            va, vb = _exact(a, env), _exact(b, env)
        except ZeroDivisionError:
            continue
        if va != vb:
            return Outcome(False, "not_equivalent", "exact_rational")
        agree += 1
        if agree >= 2:
            return Outcome(True, "equivalent", "exact_rational", {"points": agree})
    return None


def stage_numeric(
    a: Any, b: Any, names: list[str], deadline: Deadline, domain: str = "strict"
) -> tuple[Outcome | None, numeric.NumericResult]:
    """Random points at high precision: a difference where both are defined is a proof."""
    res = numeric.compare_numeric(a, b, names, seed=SEED, deadline=deadline)
    info = {"agree": res.agree, "only_answer": res.only_a, "only_expected": res.only_b}
    if res.verdict == "differ":
        info["example"] = res.example
        return Outcome(False, "not_equivalent", "numeric", info), res
    if res.verdict == "domain" and domain == "strict":
        info["example"] = res.example
        return Outcome(False, "domain_differs", "numeric", info), res
    return None, res


def stage_symbolic(a: Any, b: Any, deadline: Deadline, positive: bool = False) -> Outcome | None:
    """sympy proves ``a - b`` is zero (or a nonzero constant) within the budget."""
    try:
        left = deadline.left()
        r = run_bounded("tutor.checking.symbolic:prove_zero", (a - b, positive, left - 0.15), left)
    except RuntimeError as exc:
        return Outcome(None, "undetermined", "symbolic", {"error": str(exc)})
    if r is TIMEOUT or r == "timeout":
        return Outcome(None, "timeout", "symbolic")
    if r == "zero":
        return Outcome(True, "equivalent", "symbolic")
    if r == "nonzero_constant":
        return Outcome(False, "not_equivalent", "symbolic", {"difference": "nonzero constant"})
    return None


def stage_high_precision(a: Any, b: Any, names: list[str], deadline: Deadline) -> Outcome | None:
    """A final look at 110 digits and at tiny and huge scales for a small difference."""
    rng = random.Random(SEED + 1)
    for i in range(6):
        if deadline.expired():
            return None
        point = numeric.sample(names, rng, i) if names else {}
        for name in names:
            point[name] *= (1e-6, 1e-3, 1.0, 1.0, 1e3, 1e6)[i]
        try:
            ra = numeric.evaluate(a, point, 110)
            rb = numeric.evaluate(b, point, 110)
        except Exception:
            continue
        scale = max(ra[1], rb[1])
        if abs(ra[0] - rb[0]) > scale * sympy.Float("1e-95"):
            # confirm with more digits: rounding noise would shrink
            try:
                ra2 = numeric.evaluate(a, point, 160)
                rb2 = numeric.evaluate(b, point, 160)
            except Exception:
                continue
            if abs(ra2[0] - rb2[0]) > scale * sympy.Float("1e-140"):
                return Outcome(False, "not_equivalent", "high_precision", {"point": point})
    return None


def compare(
    a: Any,
    b: Any,
    *,
    names: list[str] | None = None,
    deadline: Deadline | None = None,
    domain: str = "strict",
) -> Outcome:
    """Decide whether the real expressions ``a`` (answer) and ``b`` (expected) are equal.

    ``domain="strict"`` counts a region where only one side is defined as a difference;
    ``"common"`` compares only where both are defined.
    """
    deadline = deadline or Deadline(2.0)
    a, b = plain(a), plain(b)
    names = names if names is not None else names_of(a, b)
    out = stage_structural(a, b)
    if out:
        return out
    out = stage_exact_rational(a, b, names)
    if out:
        return out
    out, res = stage_numeric(a, b, names, deadline, domain)
    if out:
        return out
    evidence = {"agree": res.agree}
    if res.unsupported:
        evidence["unsupported"] = res.unsupported
    else:
        # a difference too small for 30 digits (x + e^-100) is found in milliseconds here,
        # where sympy would spend the budget failing to simplify it
        hp = stage_high_precision(a, b, names, deadline)
        if hp:
            return hp
    out = stage_symbolic(a, b, deadline)
    # One variable, both sides defined only for positive values (no agreeing point below
    # zero): a proof for positive values covers the whole common domain.
    positive_only = len(names) == 1 and res.agree >= 4 and not res.agree_negative
    if out is None and res.verdict == "agree" and positive_only:
        out = stage_symbolic(a, b, deadline, positive=True)
        if out is not None and out.equal is False:
            out = None
    if out is None and domain == "common" and res.verdict in ("agree", "domain"):
        out = stage_symbolic(a, b, deadline, positive=True)
        if out is not None and out.equal is False:
            out = None  # a difference for positive values only is no proof on the common domain
    if out is not None and out.equal is not None:
        out.details.update(evidence)
        return out
    timed_out = out is not None and out.code == "timeout"
    code = "timeout" if timed_out or deadline.expired() else "undetermined"
    return Outcome(None, code, "symbolic", evidence)


def equivalent(a: Any, b: Any, *, variables: Any = None, timeout: float = 2.0) -> bool | None:
    """True/False when ``a`` and ``b`` are provably equal/different real expressions, else None.

    Same policy as ``tutor.check`` for expressions (domains must agree except at isolated
    points); the answer comes within ``timeout`` seconds.
    """
    try:
        names = sorted({str(v) for v in variables}) if variables else None
        if names is not None:
            names = sorted(set(names) | set(names_of(a, b)))
        return compare(
            _as_expr(a, variables),
            _as_expr(b, variables),
            names=names,
            deadline=Deadline(timeout),
        ).equal
    except Exception:
        return None


def _as_expr(v: Any, variables: Any) -> Any:
    if isinstance(v, str):
        from ..parse import parse

        return parse(v, variables=variables)
    from .values import to_value

    return to_value(v)
