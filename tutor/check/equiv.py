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
from .domain import (
    DomainReport,
    _roots_here,
    compare_domains,
    conditions,
    critical_points,
    defined,
    implied_positive,
    kink_points,
)

__all__ = ["Outcome", "compare", "equivalent", "plain", "names_of"]

SEED = 20260101  # only for callers that ask for repeatable points; checks use fresh ones


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


def stage_exact_rational(
    a: Any, b: Any, names: list[str], rng: random.Random | None = None
) -> Outcome | None:
    """Rational functions: exact comparison at random integer points (a proof either way:
    the points are fresh for every check, so no answer can be built to vanish at them)."""
    da, db = _degree(a), _degree(b)
    if da is None or db is None or da + db > _MAX_DEGREE:
        return None
    rng = rng or numeric.fresh_rng()
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


def stage_domain(
    a: Any,
    b: Any,
    names: list[str],
    deadline: Deadline,
    rng: random.Random,
    domain: str,
    positive: frozenset[str] = frozenset(),
) -> tuple[Outcome | None, DomainReport | None]:
    """One variable: the domains read from the structure, compared on every gap between
    the critical points over the whole line (``tutor.check.domain``); names declared
    ``positive`` are compared on their positive half only."""
    ca, cb = conditions(a), conditions(b)
    if not (ca or cb) or not names:
        return None, None
    conds = sorted({g for g, _s in ca | cb}, key=sympy.default_sort_key)
    if len(names) > 1:
        out = _domain_lines(a, b, names, conds, deadline, rng, positive) if ca != cb else None
        if out is not None and domain == "strict":
            # the example from repeatable points when they show it: the same text each time
            again = numeric.compare_numeric(a, b, names, seed=SEED, deadline=deadline)
            if again.verdict == "domain":
                out.details["example"] = again.example
            return out, None
        return None, None
    try:
        pts = _critical(conds, names[0], deadline)
    except Exception:
        return None, None
    if pts is None:
        return None, None
    rep = compare_domains(a, b, names[0], pts, rng, positive=names[0] in positive)
    if rep.differs and domain == "strict":
        return Outcome(False, "domain_differs", "domain", {"example": rep.example}), rep
    return None, rep


def _domain_lines(
    a: Any,
    b: Any,
    names: list[str],
    conds: list[Any],
    deadline: Deadline,
    rng: random.Random,
    positive: frozenset[str] = frozenset(),
) -> Outcome | None:
    """Several variables: the one-variable gap analysis along lines parallel to each axis
    through fresh random points (every sign pattern of the other variables).  A gap where
    only one side is defined is an open region of the plane around a generic line (the
    conditions are continuous there), so a difference."""
    lines = []
    for name in names:
        rest = [n for n in names if n != name]
        for signs in range(min(2 ** len(rest), 4)):
            lines.append((name, {n: (signs >> k) & 1 for k, n in enumerate(rest)}))
    for name, negative in lines[:16]:
        if deadline.left() < 0.3:
            return None
        others = {}
        for n, neg in negative.items():
            q = sympy.Rational(rng.randint(1, 999), rng.randint(1, 97))
            others[n] = -q if neg and n not in positive else q
        rep_c = [g.xreplace({sympy.Symbol(n): v for n, v in others.items()}) for g in conds]
        try:
            pts = _critical(rep_c, name, deadline)
        except Exception:
            continue
        if pts is None:
            continue
        fixed = {n: float(v) for n, v in others.items()}
        rep = compare_domains(a, b, name, pts, rng, fixed=fixed, positive=name in positive)
        if rep.differs and _persists(a, b, name, rep.example, rng):
            return Outcome(False, "domain_differs", "domain", {"example": rep.example})
    return None


def _persists(a: Any, b: Any, name: str, example: dict[str, Any], rng: random.Random) -> bool:
    """Whether a difference seen on a line survives moving the line a little.  A line drawn
    at special values of the other variables (b = -42 makes a^b defined for a < 0) can lie
    in a set of measure zero where only one side is defined; an open region of difference
    stays when those values move by a relative 1e-7..1e-6, a special line does not."""
    point, side = example.get("point", {}), example.get("defined")
    for _ in range(3):
        moved = {
            n: (v if n == name else v * (1 + rng.uniform(1e-7, 1e-6) * rng.choice((-1, 1))))
            for n, v in point.items()
        }
        da, db = defined(a, moved), defined(b, moved)
        if (da, db) != ((True, False) if side == "answer" else (False, True)):
            return False
    return True


def _critical(conds: list[Any], name: str, deadline: Deadline) -> list[Any] | None:
    """Critical points here when every condition is a small polynomial, else in the worker."""
    x = sympy.Symbol(name)
    simple = True
    for g in conds:
        for part in sympy.fraction(sympy.together(g)):
            if part.has(x) and _roots_here(part, x) is None:
                simple = False
    if simple:
        return critical_points(conds, name)
    left = min(deadline.left() / 3, 0.5)
    r = run_bounded("tutor.check.domain:critical_points", (conds, name), left)
    return None if r is TIMEOUT else r


def stage_numeric(
    a: Any,
    b: Any,
    names: list[str],
    deadline: Deadline,
    domain: str = "strict",
    *,
    rng: random.Random | None = None,
    assume: dict[str, str] | None = None,
    extra: list[dict[str, Any]] | None = None,
) -> tuple[Outcome | None, numeric.NumericResult]:
    """Random points at high precision: a difference where both are defined is a proof."""
    res = numeric.compare_numeric(
        a, b, names, deadline=deadline, rng=rng, assume=assume, extra=extra
    )
    if res.verdict in ("differ", "domain") and names:
        # the verdict was proved at fresh random points; the example it shows comes from
        # repeatable ones when they show the same, so the same answer gets the same text
        again = numeric.compare_numeric(a, b, names, seed=SEED, deadline=deadline, assume=assume)
        if again.verdict == res.verdict:
            res = again
    info = {"agree": res.agree, "only_answer": res.only_a, "only_expected": res.only_b}
    if res.verdict == "differ":
        info["example"] = res.example
        return Outcome(False, "not_equivalent", "numeric", info), res
    if res.verdict == "domain" and domain == "strict":
        info["example"] = res.example
        return Outcome(False, "domain_differs", "numeric", info), res
    return None, res


def stage_symbolic(
    a: Any,
    b: Any,
    deadline: Deadline,
    positive: bool = False,
    assume: dict[str, str] | None = None,
    share: float = 1.0,
) -> Outcome | None:
    """sympy proves ``a - b`` is zero (or a nonzero constant) within ``share`` of the budget
    left; ``assume`` maps names to "positive", "integer" or "positive integer"."""
    try:
        left = deadline.left() * share
        args: tuple[Any, ...] = (a - b, positive, left - 0.15)
        if assume:
            args = (*args, dict(assume))
        r = run_bounded("tutor.check.symbolic:prove_zero", args, left)
    except RuntimeError as exc:
        return Outcome(None, "undetermined", "symbolic", {"error": str(exc)})
    if r is TIMEOUT or r == "timeout":
        return Outcome(None, "timeout", "symbolic")
    if r == "zero":
        return Outcome(True, "equivalent", "symbolic")
    if r == "nonzero_constant":
        return Outcome(False, "not_equivalent", "symbolic", {"difference": "nonzero constant"})
    return None


def stage_high_precision(
    a: Any,
    b: Any,
    names: list[str],
    deadline: Deadline,
    rng: random.Random | None = None,
    assume: dict[str, str] | None = None,
) -> Outcome | None:
    """A final look at 110 digits and at tiny and huge scales for a small difference.

    The look uses fresh points (no one can aim an answer at them); once it finds a
    difference, the example reported is the one the repeatable points show when they show
    one, so the same answer gets the same verdict text."""
    point = _high_precision_difference(a, b, names, deadline, rng or numeric.fresh_rng(), assume)
    if point is None:
        return None
    again = _high_precision_difference(a, b, names, deadline, random.Random(SEED), assume)
    return Outcome(False, "not_equivalent", "high_precision", {"point": again or point})


def _high_precision_difference(
    a: Any,
    b: Any,
    names: list[str],
    deadline: Deadline,
    rng: random.Random,
    assume: dict[str, str] | None,
) -> dict[str, Any] | None:
    """A point where ``a`` and ``b`` differ beyond rounding at 110 and 160 digits, or None."""
    for i in range(6):
        if deadline.expired():
            return None
        point = numeric.sample(names, rng, i, assume) if names else {}
        for name in names:
            if "integer" not in (assume or {}).get(name, ""):
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
                return point
    return None


def compare(
    a: Any,
    b: Any,
    *,
    names: list[str] | None = None,
    deadline: Deadline | None = None,
    domain: str = "strict",
    assume: dict[str, str] | None = None,
) -> Outcome:
    """Decide whether the real expressions ``a`` (answer) and ``b`` (expected) are equal.

    ``domain="strict"`` counts a region where only one side is defined as a difference;
    ``"common"`` compares only where both are defined.  ``assume`` declares names
    "positive", "integer" or "positive integer" (sampled and proved so).
    """
    deadline = deadline or Deadline(2.0)
    a, b = plain(a), plain(b)
    names = names if names is not None else names_of(a, b)
    assume = {k: v for k, v in (assume or {}).items() if k in names}
    rng = numeric.fresh_rng()
    out = stage_structural(a, b)
    if out:
        return out
    out = stage_exact_rational(a, b, names, rng) if not assume else None
    if out:
        return out
    declared = frozenset(n for n, w in assume.items() if "positive" in w)
    out, rep = stage_domain(a, b, names, deadline, rng, domain, declared)
    if out:
        return out
    extra = list(rep.common) if rep is not None else []
    extra += kink_points(a, b, names, rng, declared)
    out, res = stage_numeric(a, b, names, deadline, domain, rng=rng, assume=assume, extra=extra)
    if out:
        return out
    implied = _integer_exponents(a, b, names, assume)
    if implied:
        # (-2)^n is real only at integer n: a difference there is a difference.  Looked for
        # before any proof, so that a busy machine cannot spend the budget first.
        more = {**assume, **{n: "integer" for n in implied}}
        found, _res = stage_numeric(a, b, names, deadline, domain, rng=rng, assume=more)
        if found is not None and found.code == "not_equivalent":
            found.details["implied_integer"] = sorted(implied)
            return found
        found = _lattice_difference(a, b, names, rng)
        if found is not None:
            return found
    evidence: dict[str, Any] = {"agree": res.agree}
    if assume:
        evidence["assumptions"] = dict(assume)
    if res.unsupported:
        evidence["unsupported"] = res.unsupported
    else:
        # a difference too small for 30 digits (x + e^-100) is found in milliseconds here,
        # where sympy would spend the budget failing to simplify it
        hp = stage_high_precision(a, b, names, deadline, rng, assume)
        if hp:
            return hp
    # Proofs under positivity first (cheap, and sound here): variables that the structure
    # forces to be >= 0 on the common domain (sqrt(x), ln(x), x^q), one variable whose
    # common domain has no point <= 0, or, with domain="common", agreeing points that are
    # all positive.  Only a proof of equality counts from them.
    out = None
    forced = implied_positive(conditions(a) | conditions(b))
    if rep is not None and rep.positive_only and rep.common:
        forced |= set(names)
    forced -= {n for n, w in assume.items() if "positive" in w}
    if domain == "common" and res.verdict in ("agree", "domain"):
        if not res.agree_negative and res.agree:
            out = stage_symbolic(a, b, deadline, positive=True, share=0.5)
            if out is not None and out.equal is not True:
                out = None
    if out is None and res.verdict == "agree" and forced:
        more = dict(assume)
        for n in forced:
            more[n] = "positive integer" if "integer" in more.get(n, "") else "positive"
        out = stage_symbolic(a, b, deadline, assume=more, share=0.5)
        if out is not None and out.equal is not True:
            out = None
        if out is not None:
            evidence["forced_positive"] = sorted(forced)
    split = res.verdict == "agree" and len(names) == 1 and res.agree_negative > 0
    if out is None and split and (a.has(sympy.Abs, sympy.sign) or b.has(sympy.Abs, sympy.sign)):
        out = _split_at_zero(a, b, names[0], deadline, 0.4)
        split = False
    if out is None:
        # a fifth of what is left stays for the evalf look below (a busy machine must not
        # spend all of it on a proof that is out of reach)
        out = stage_symbolic(a, b, deadline, assume=assume, share=1.0 if res.unsupported else 0.8)
    if out is None and split:
        out = _split_at_zero(a, b, names[0], deadline, 1.0)
    if out is not None and out.equal is not None:
        out.details.update(evidence)
        return out
    if not res.unsupported:
        # no proof either way: sympy's own error-controlled evaluation of the difference
        # sees what fixed digits cannot (t + e^-(t - 5000)^2, whose difference underflows)
        found = stage_exact_difference(a, b, names, deadline, rng, assume)
        if found is not None:
            found.details.update(evidence)
            return found
    timed_out = out is not None and out.code == "timeout"
    code = "timeout" if timed_out or deadline.expired() else "undetermined"
    return Outcome(None, code, "symbolic", evidence)


def _same_reading(e: Any, at: dict[str, float], v: Any) -> bool:
    """Whether this project's real evaluation of ``e`` at ``at`` is defined and near sympy's
    ``v`` (a value too large or small for it to hold is not held against sympy's)."""
    try:
        ours = numeric.evaluate(e, at, 30)[0]
    except numeric._Overflow:
        return True
    except (numeric.Undefined, numeric.Unsupported):
        return False
    return abs(float(ours) - float(v)) <= 1e-9 * max(1.0, abs(float(v)))


_EXACT_DIGITS = 4000  # the most digits sympy may raise its working precision to


def stage_exact_difference(
    a: Any,
    b: Any,
    names: list[str],
    deadline: Deadline,
    rng: random.Random,
    assume: dict[str, str] | None = None,
) -> Outcome | None:
    """A difference proved by sympy's ``evalf(strict=True)`` at exact rational points.

    Fixed precision loses a difference smaller than its last digit (e^-(t - 5000)^2 beside
    t); sympy's evaluation of ``a - b`` raises its working precision until the result has
    the digits asked for, or gives up (PrecisionExhausted), so a nonzero value it returns
    is a proof.  Both sides must be real at the point (checked the same way).  Only run
    when nothing else decided: an identity costs it tens of milliseconds of giving up."""
    from sympy.core.evalf import PrecisionExhausted

    for i in range(4):
        if deadline.left() < 0.2:
            return None
        point = numeric.sample(names, rng, i, assume) if names else {}
        for name in names:
            if "integer" not in (assume or {}).get(name, ""):
                point[name] *= (1.0, 1e-3, 1e3, 1e6)[i]
            else:  # integers far from 0 too: n + floor(n^2/10^4) is n for |n| < 100
                point[name] = float(round(point[name] * (1, 1, 1e3, 1e6)[i]))
        # substituted by evalf, not into the tree: (-2)^(p/q) would be rooted exactly
        rep = {
            sympy.Symbol(n): sympy.Rational(v).limit_denominator(2**20) for n, v in point.items()
        }
        try:
            sides = [e.evalf(15, subs=rep, maxn=_EXACT_DIGITS, strict=True) for e in (a, b)]
            if not all(v.is_Float or v.is_Integer for v in sides):
                continue  # not real here (or not a number sympy can evaluate)
            # and real in this project's reading too, with the same value (sympy's
            # principal branches differ from it: sqrt(x)^2 is x for sympy at x < 0)
            at = {str(n): float(v) for n, v in rep.items()}
            if not all(_same_reading(e, at, v) for e, v in zip((a, b), sides)):
                continue
            d = (a - b).evalf(15, subs=rep, maxn=_EXACT_DIGITS, strict=True)
        except (
            PrecisionExhausted,
            numeric.Undefined,
            numeric.Unsupported,
            ValueError,
            TypeError,
            ZeroDivisionError,
            ArithmeticError,
        ):
            continue
        if (d.is_Float or d.is_Rational) and d != 0:
            return Outcome(False, "not_equivalent", "exact_difference", {"point": at})
    return None


def _integer_exponents(a: Any, b: Any, names: list[str], assume: dict[str, str]) -> set[str]:
    """Names in the exponent of a negative number ((-2)^n, (-3)^(k + 2)) not declared
    otherwise: such a power is real only where its exponent is an integer."""
    out: set[str] = set()
    for e in (a, b):
        for t in sympy.preorder_traversal(e):
            if t.is_Pow and t.base.is_number and t.base.is_negative:
                out |= {s.name for s in t.exp.free_symbols}
    return {n for n in out if n in names and n not in assume}


def _lattice_difference(a: Any, b: Any, names: list[str], rng: random.Random) -> Outcome | None:
    """(-2)^(n + 1.1) is real only where n + 1.1 is an integer: exact values there (sympy's
    own, at exact rational points) that differ are a difference.  For each power of a
    negative number whose exponent is linear in one name, points making it an integer."""
    if not (_lattice_safe(a) and _lattice_safe(b)):
        return None
    sym_names = {sympy.Symbol(n) for n in names}
    lines: list[tuple[Any, Any, Any]] = []
    for e in (a, b):
        for t in sympy.preorder_traversal(e):
            if not (t.is_Pow and t.base.is_number and t.base.is_negative):
                continue
            free = t.exp.free_symbols & sym_names
            if len(free) != 1 or t.exp.free_symbols - sym_names:
                continue
            (x,) = free
            lin = sympy.expand(t.exp)
            c = lin.coeff(x, 1)
            d = lin.coeff(x, 0)
            if c.is_Rational and d.is_Rational and c != 0 and sympy.expand(lin - c * x - d) == 0:
                lines.append((x, c, d))
    for x, c, d in lines[:4]:
        for _ in range(3):
            point = {x: (rng.randint(-6, 6) - d) / c}
            for n in names:
                s = sympy.Symbol(n)
                if s not in point:
                    point[s] = sympy.Rational(rng.randint(1, 99), rng.randint(1, 9))
            try:
                va, vb = a.xreplace(point), b.xreplace(point)
                if not (va.is_extended_real and vb.is_extended_real):
                    continue
                if not (va.is_finite and vb.is_finite):
                    continue
                at = {str(k): float(v) for k, v in point.items()}
                diff = (va - vb).evalf(15, maxn=_EXACT_DIGITS, strict=True)
            except Exception:  # noqa: BLE001 - no value here is no evidence
                continue
            if (diff.is_Float or diff.is_Rational) and diff != 0:
                return Outcome(False, "not_equivalent", "lattice", {"point": at})
    return None


_EVERYWHERE = (sympy.sin, sympy.cos, sympy.exp, sympy.atan, sympy.sinh, sympy.cosh, sympy.tanh)


def _lattice_safe(e: Any) -> bool:
    """Whether sympy's exact value of ``e`` at a point, when real, is this project's: every
    power is of a number or to an integer, every function defined on the whole line (no
    sqrt(x)^2, which sympy makes x at x < 0, no log of a negative number)."""
    for t in sympy.preorder_traversal(e):
        if t.is_Pow and not (t.base.is_number or t.exp.is_Integer):
            return False
        if isinstance(t, sympy.Function) and not isinstance(t, _EVERYWHERE):
            return False
    return True


def _split_at_zero(a: Any, b: Any, name: str, deadline: Deadline, share: float) -> Outcome | None:
    """One variable, split at zero: zero for every x > 0 and for every x < 0 is a proof
    (|x|, sign(x) and odd roots become plain there); only a proof of equality counts."""
    x = sympy.Symbol(name)
    pos = stage_symbolic(a, b, deadline, positive=True, share=share / 2)
    if pos is None or not pos.equal:
        return None
    neg = stage_symbolic(
        a.xreplace({x: -x}), b.xreplace({x: -x}), deadline, positive=True, share=share
    )
    if neg is None or not neg.equal:
        return None
    return Outcome(True, "equivalent", "symbolic", {"split_at_zero": True})


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
