"""Symbolic work that may run long; run it through ``tutor._budget.run_bounded``.

Every function here takes and returns picklable values and never decides alone: the
caller combines its answer with the numeric evidence.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from functools import reduce
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


_MAX_FACTOR_DEGREE = 24


def _log_abs(u: Any) -> Any:
    """``log|u|`` spread over the multiplicative structure of ``u``: products, powers (any
    real power: ``|b^e| = |b|^e`` wherever ``b^e`` is real), ``exp`` and the factors over Q of a
    polynomial, each factor ``f`` giving ``log|f|``.  Equal to ``log|u|`` wherever every factor
    is nonzero, which is wherever ``log|u|`` is defined, up to cancelled isolated points."""
    if isinstance(u, sympy.Abs):
        return _log_abs(u.args[0])
    if isinstance(u, sympy.exp):
        return u.args[0]
    if u.is_number:
        return sympy.log(sympy.Abs(u)) if u != 0 else sympy.log(u)
    if u.is_Mul:
        return sympy.Add(*[_log_abs(f) for f in u.args])
    if u.is_Pow:
        return u.exp * _log_abs(u.base)
    if u.is_Add:
        num, den = sympy.fraction(sympy.together(u))
        if den != 1:
            return _log_abs(num) - _log_abs(den)
        factored = _rational_factors(u)
        if factored is not None:
            c, parts = factored
            if len(parts) > 1 or (parts and (parts[0][1] > 1 or c not in (1, -1))):
                return sympy.log(sympy.Abs(c)) + sympy.Add(
                    *[m * sympy.log(sympy.Abs(f)) for f, m in parts]
                )
            if parts and c == -1:
                return sympy.log(sympy.Abs(parts[0][0]))
    return sympy.log(sympy.Abs(u))


def _real_normal(e: Any) -> Any:
    """``e`` rewritten into a form equal to it wherever it is real-defined (the domains are
    compared elsewhere): ``log(u)`` is ``log|u|`` (``u > 0`` where defined) spread over the
    factors of ``u``; a power with a variable exponent or an even root is ``exp(e·log|b|)``
    (its base is positive where defined, or zero at isolated points); inverse functions of
    their own function (``acosh(cosh(u)) = |u|``, ``asinh(sinh(u)) = u``), other inverse
    hyperbolic functions as logs; ``|u|`` over the factors of ``u``; ``atan`` of a rational
    beyond 1 as ``±π/2 - atan(1/r)``."""
    if not isinstance(e, sympy.Basic) or e.is_Atom:
        return e
    args = [_real_normal(a) for a in e.args]
    if isinstance(e, sympy.log) and len(args) == 1:
        return _log_abs(args[0])
    if e.is_Pow:
        b, x = args
        if b.is_number:
            return sympy.Pow(b, x)
        variable = not x.is_number and not any(s.is_integer for s in x.free_symbols)
        even_root = x.is_Rational and not x.is_Integer and x.q % 2 == 0
        if x == sympy.S.Half:
            root = _denest(b)
            if root is not None:
                return root
        if variable or even_root:
            return sympy.exp(sympy.expand(x * _log_abs(b)))
        return sympy.Pow(b, x)
    if isinstance(e, sympy.acosh) and isinstance(args[0], sympy.cosh):
        return sympy.Abs(args[0].args[0])
    if isinstance(e, sympy.asinh) and isinstance(args[0], sympy.sinh):
        return args[0].args[0]
    if isinstance(e, sympy.atanh) and isinstance(args[0], sympy.tanh):
        return args[0].args[0]
    if isinstance(e, sympy.asinh):
        return _real_normal(sympy.log(args[0] + sympy.sqrt(args[0] ** 2 + 1)))
    if isinstance(e, sympy.acosh):  # u >= 1 where defined
        return _real_normal(sympy.log(args[0] + sympy.sqrt(args[0] ** 2 - 1)))
    if isinstance(e, sympy.atanh):  # |u| < 1 where defined
        return (_log_abs(1 + args[0]) - _log_abs(1 - args[0])) / 2
    if isinstance(e, sympy.acoth):  # |u| > 1 where defined
        return (_log_abs(args[0] + 1) - _log_abs(args[0] - 1)) / 2
    if isinstance(e, sympy.Abs):
        return _abs_factors(args[0])
    if isinstance(e, sympy.atan) and args[0].is_Rational and abs(args[0]) > 1:
        r = args[0]
        return sympy.sign(r) * sympy.pi / 2 - sympy.atan(1 / r)
    if isinstance(e, sympy.exp):
        return sympy.exp(sympy.expand(args[0]))
    return e.func(*args)


def _abs_factors(u: Any) -> Any:
    """``|u|`` spread over the factors over Q of a polynomial ``u`` (``|x^2 - 4|`` is
    ``|x - 2|·|x + 2|``): ``|ab| = |a||b|`` for every real a and b."""
    factored = _rational_factors(u) if u.is_Add else None
    if factored is not None:
        c, parts = factored
        return abs(c) * sympy.Mul(*[sympy.Abs(f) ** m for f, m in parts])
    return sympy.Abs(u)


def _rational_factors(u: Any) -> tuple[Any, list[tuple[Any, int]]] | None:
    """``sympy.factor_list(u)`` for a polynomial of small degree with rational coefficients
    (cheap and exact there); None for anything else."""
    try:
        poly = sympy.Poly(u, *sorted(u.free_symbols, key=sympy.default_sort_key))
    except Exception:  # noqa: BLE001 - not a polynomial in its symbols
        return None
    if poly.total_degree() > _MAX_FACTOR_DEGREE or not all(c.is_Rational for c in poly.coeffs()):
        return None
    return sympy.factor_list(u)


def _denest(u: Any) -> Any:
    """``sqrt(a + b·sqrt(c))`` as ``sqrt(p) + sign(b)·sqrt(q)`` when ``a² - b²c = r²`` for a
    polynomial ``r``, with ``p, q = (a ± r)/2`` and ``q >= 0`` for every real value (sympy
    shows it): then ``(sqrt(p) + sign(b)·sqrt(q))² = a + b·sqrt(c)`` and the left side is
    >= 0, so the two are equal wherever ``c >= 0``.  None when the shape does not fit."""
    if not u.is_Add:
        return None
    roots = {t for t in sympy.preorder_traversal(u) if t.is_Pow and t.exp == sympy.S.Half}
    if len(roots) != 1:
        return None
    (s,) = roots
    c = s.base
    z = sympy.Dummy("s")
    try:
        poly = sympy.Poly(u.xreplace({s: z}), z)
    except Exception:
        return None
    if poly.degree() != 1:
        return None
    b, a = poly.all_coeffs()
    if a.has(z) or b.has(z) or not (a.is_polynomial() and b.is_polynomial() and c.is_polynomial()):
        return None
    d = sympy.factor(sympy.expand(a**2 - b**2 * c))
    r = sympy.sqrt(d)
    if r.has(sympy.Pow) and any(
        t.is_Pow and not t.exp.is_Integer for t in sympy.preorder_traversal(r)
    ):
        return None
    q = sympy.expand((a - r) / 2)
    if q.is_nonnegative is not True:
        return None
    p = sympy.expand((a + r) / 2)
    return sympy.sqrt(p) + sympy.sign(b) * sympy.sqrt(q)


def _normal_zero(e: Any) -> Any:
    """``_real_normal(e)`` as one fraction (``sign(u)`` as ``u/|u|``, isolated points aside)."""
    n = _real_normal(e).replace(sympy.sign, lambda u: u / sympy.Abs(u))
    if n.has(sympy.log, sympy.exp):  # the new atoms; (x - a)^6000 is left to cancel
        n = sympy.expand(n, multinomial=False, power_exp=False)
    return sympy.cancel(sympy.together(n))


# (attempt, share of the remaining budget), see _attempts: cheap rewrites first — the real normal form (logs
# of absolute values spread over factors, powers as exp), everything in exp as a
# rational function (an identity of complex functions, so a proof for real ones), trig
# expansion — then simplify with what is left
_RATIOS = {
    sympy.tan: lambda u: sympy.sin(u) / sympy.cos(u),
    sympy.cot: lambda u: sympy.cos(u) / sympy.sin(u),
    sympy.sec: lambda u: 1 / sympy.cos(u),
    sympy.csc: lambda u: 1 / sympy.sin(u),
    sympy.tanh: lambda u: sympy.sinh(u) / sympy.cosh(u),
    sympy.coth: lambda u: sympy.cosh(u) / sympy.sinh(u),
    sympy.sech: lambda u: 1 / sympy.cosh(u),
    sympy.csch: lambda u: 1 / sympy.sinh(u),
}


def _as_ratios(e: Any) -> Any:
    """tan, cot, sec, csc and their hyperbolic kin as ratios of sin and cos (sinh and
    cosh), put over one denominator: ``tanh(x)^10`` against ``sinh(x)^10/cosh(x)^10``."""
    for f, r in _RATIOS.items():
        e = e.replace(f, r)
    return sympy.cancel(sympy.together(e))


def _algebraic_zero(e: Any) -> Any:
    """0 when the minimal polynomial of the number ``e`` is ``t`` (a proof), else ``e``."""
    return 0 if sympy.minimal_polynomial(e, sympy.Dummy("t")).is_Symbol else e


_CIRCULAR = (sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc)


def _trig_zero(e: Any) -> Any:
    """0 when ``e`` is zero as a rational function of ``sin w`` and ``cos w`` modulo
    ``sin² w + cos² w = 1``, else ``e``: every circular function's argument a rational
    multiple ``k·u`` of one ``u``, written with ``w = u·gcd(k)`` and expanded (``sin 4t`` in
    ``sin t``, ``cos t``); the numerator's remainder by ``s² + c² - 1`` (in ``s``) is its
    normal form ``A(c) + s·B(c)``.  Other letters stay free of ``w``, so the proof holds for
    every value of them, in particular the original ones."""
    args = {t.args[0] for t in sympy.preorder_traversal(e) if isinstance(t, _CIRCULAR)}
    if not args:
        return e
    base, ks = None, []
    for a in args:
        k, rest = a.as_coeff_Mul()
        if not k.is_Rational or rest.is_number or (base is not None and rest != base):
            return e
        base = rest
        ks.append(k)
    unit = sympy.Rational(reduce(math.gcd, [k.p for k in ks]), reduce(math.lcm, [k.q for k in ks]))
    if max(abs(k / unit) for k in ks) > 12:
        return e  # sin(1200 w) expanded is a polynomial of degree 1200
    w = sympy.Dummy("w", real=True)
    f = e.xreplace({a: (a.as_coeff_Mul()[0] / unit) * w for a in args})
    for fn, r in _RATIOS.items():
        f = f.replace(fn, r)
    s_, c_ = sympy.Dummy("s"), sympy.Dummy("c")
    f = sympy.expand_trig(f).xreplace({sympy.sin(w): s_, sympy.cos(w): c_})
    if f.has(w):
        return e
    num = sympy.expand(sympy.fraction(sympy.together(f))[0])
    r = sympy.rem(sympy.Poly(num, s_), sympy.Poly(s_**2 + c_**2 - 1, s_))
    return 0 if r.is_zero else e


_GAMMA = (sympy.factorial, sympy.gamma, sympy.binomial, sympy.RisingFactorial)


def _attempts(d: Any) -> list[tuple[Any, float]]:
    """The proof attempts for ``d`` with their shares of the remaining budget, cheap and
    likely first: a number's minimal polynomial (cheaper than simplify), factorials by
    combsimp, fractions, the real normal form, trig ratios, sin and cos of one angle modulo
    sin² + cos² = 1, trig expansion (fast where they work), everything in exp, then simplify
    in several rewrites."""
    out: list[tuple[Any, float]] = []
    if d.is_number and not d.has(sympy.log, sympy.exp, sympy.E):
        out.append((_algebraic_zero, 0.35))
    if d.has(*_GAMMA):
        out.append((sympy.combsimp, 0.25))
    if d.has(sympy.log):
        # log(6) - log(2) - log(3): split where the factors are known positive (sound
        # without force), long before simplify would try it
        out.append((lambda e: sympy.expand(sympy.expand_log(e)), 0.15))
    out += [
        (lambda e: sympy.cancel(sympy.together(e)), 0.2),
        (_normal_zero, 0.2),
        (sympy.expand, 0.2),
    ]
    if d.has(*_RATIOS):
        out.append((_as_ratios, 0.2))
    if d.has(*_CIRCULAR):
        out.append((_trig_zero, 0.25))
    out.append((lambda e: sympy.cancel(sympy.together(sympy.expand_trig(e))), 0.25))
    out += [
        (lambda e: sympy.cancel(sympy.together(sympy.expand(e.rewrite(sympy.exp)))), 0.25),
        (sympy.simplify, 0.8),
        (lambda e: sympy.simplify(sympy.expand_trig(e)), 0.5),
        (lambda e: sympy.simplify(e.rewrite(sympy.exp)), 0.5),
        (lambda e: sympy.simplify(e.rewrite(sympy.log)), 0.5),
        (lambda e: sympy.simplify(sympy.expand_log(e)), 0.6),
        (lambda e: sympy.simplify(sympy.powsimp(sympy.powdenest(e, force=False))), 1.0),
    ]
    return out


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
    for attempt, share in _attempts(d):
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
        found = sympy.solveset(f, x, domain=sympy.S.Reals)
        if isinstance(found, sympy.FiniteSet):
            found = sympy.FiniteSet(*[p for p in found.args if not _outside(f, x, p)])
        out = out | found
    return out.xreplace({x: sympy.Symbol(name)})


def _outside(f: Any, x: Any, p: Any) -> bool:
    """Whether ``p`` is clearly outside the domain of ``f`` (some condition ``g >= 0`` of a
    log or an even root has ``g(p)`` negative beyond rounding): solveset combines
    ``ln(t) + ln(t - 3)`` into ``ln(t(t - 3))`` and then lists ``t = -1``.  A value at or near
    zero keeps the point: only a certain exclusion removes a solution."""
    from .domain import conditions

    for g, _strict in conditions(f):
        try:
            v = sympy.N(g.xreplace({x: p}), 30)
        except Exception:
            continue
        if v.is_real and v.is_Number and v < -sympy.Float("1e-20"):
            return True
    return False


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
