"""Fast numerical comparison of two expressions at a point, with a rigorous error budget.

``verify`` and the generators' answer checks compare two sympy expressions at sample points.
sympy's 30-digit ``evalf`` costs about a millisecond per node; this module evaluates the same
tree in machine floats (or in mpmath at 120 bits) and carries, beside every value, a bound on
its rounding error (running error analysis: each operation adds its own rounding and
propagates its inputs' errors through its derivative). ``compare`` answers only when the
bound makes the answer certain: "clearly different", "certainly within the tolerance", or
``None`` (ill-conditioned, out of the real domain, an unusual node) so that the caller falls
back to exact substitution and 30-digit evaluation. The verdicts are the ones 30-digit
evaluation gives; only the cost changes.

Only real arithmetic is done here: a value that leaves the reals (√ of a negative, ln of a
negative, asin(2)) is never guessed at, it makes the point undecided.
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Callable, Mapping
from typing import Any

import sympy

__all__ = ["compare", "evaluator", "not_real"]


class _Unfit(Exception):
    """The value at this point is outside what the fast path decides."""


# first-order error bounds hold when every singular argument is this far from its singularity
_MARGIN = 1e-6
# the bound is multiplied by this before any decision (libm functions within 1 ulp or so)
_SAFETY = 8.0


class _Backend:
    """Float arithmetic (``math``) or mpmath at a fixed precision, with unit roundoff ``u``."""

    def __init__(self, prec: int | None) -> None:
        if prec is None:
            self.u = 2.0**-53
            self.exact_int = 2**53
            self.exp, self.log, self.sqrt = math.exp, math.log, math.sqrt
            self.sin, self.cos, self.tan = math.sin, math.cos, math.tan
            self.asin, self.acos, self.atan = math.asin, math.acos, math.atan
            self.sinh, self.cosh, self.tanh = math.sinh, math.cosh, math.tanh
            self.asinh, self.acosh, self.atanh = math.asinh, math.acosh, math.atanh
            self.pi, self.e = math.pi, math.e
            self.num = float
            self.rational = lambda p, q: p / q  # int / int is correctly rounded
            self.pow = lambda b, x: b**x
        else:
            import mpmath

            ctx = mpmath.MPContext()
            ctx.prec = prec
            self.u = 2.0**-prec
            self.exact_int = 2**prec
            self.exp, self.log, self.sqrt = ctx.exp, ctx.ln, ctx.sqrt
            self.sin, self.cos, self.tan = ctx.sin, ctx.cos, ctx.tan
            self.asin, self.acos, self.atan = ctx.asin, ctx.acos, ctx.atan
            self.sinh, self.cosh, self.tanh = ctx.sinh, ctx.cosh, ctx.tanh
            self.asinh, self.acosh, self.atanh = ctx.asinh, ctx.acosh, ctx.atanh
            self.pi, self.e = +ctx.pi, +ctx.e
            self.num = ctx.mpf
            self.rational = lambda p, q: ctx.mpf(p) / q
            self.pow = ctx.power


FLOAT = _Backend(None)
MP = _Backend(120)

Value = tuple[Any, float]  # (value, bound on its absolute error)
Fn = Callable[[Mapping[Any, Value]], Value]


def _a(v: Any) -> float:
    return abs(float(v))


def _number(e: sympy.Expr, B: _Backend) -> Fn | None:
    if e.is_Integer:
        p = int(e)
        v = B.num(p)
        err = 0.0 if abs(p) <= B.exact_int else B.u * _a(v)
    elif e.is_Rational:
        v = B.rational(int(e.p), int(e.q))
        err = B.u * _a(v)
    elif e.is_Float:
        v = B.num(float(e)) if B is FLOAT else B.num(e._mpf_)
        err = B.u * _a(v) if B is FLOAT else 2 * B.u * _a(v)
    elif e is sympy.pi:
        v, err = B.pi, B.u * 4
    elif e is sympy.E:
        v, err = B.e, B.u * 3
    else:
        return None
    out = (v, err)
    return lambda env: out


def _sum(parts: list[Fn], B: _Backend) -> Fn:
    u, n = B.u, len(parts)

    def f(env: Mapping[Any, Value]) -> Value:
        vals = [p(env) for p in parts]
        s = sum(v for v, _ in vals)
        return s, sum(e for _, e in vals) + n * u * sum(_a(v) for v, _ in vals)

    return f


def _product(parts: list[Fn], B: _Backend) -> Fn:
    u, n = B.u, len(parts)

    def f(env: Mapping[Any, Value]) -> Value:
        vals = [p(env) for p in parts]
        prod = vals[0][0]
        for v, _ in vals[1:]:
            prod = prod * v
        mags = [_a(v) for v, _ in vals]
        err = 0.0
        for i, (_, e) in enumerate(vals):
            if e:
                others = 1.0
                for j, m in enumerate(mags):
                    if j != i:
                        others *= m + (vals[j][1] if j > i else 0.0)
                err += e * others
        return prod, err + n * u * _a(prod)

    return f


def _power(base: Fn, ex: sympy.Expr, exf: Fn, B: _Backend) -> Fn:
    u = B.u
    if ex.is_Integer:
        n = int(ex)

        def f_int(env: Mapping[Any, Value]) -> Value:
            b, eb = base(env)
            ab = _a(b)
            if ab == 0:
                if eb or n < 0:
                    raise _Unfit  # a pole, or a zero whose power the bound does not track
                return b**n, 0.0
            if eb > _MARGIN * ab:
                raise _Unfit
            v = b**n
            av = _a(v)
            return v, abs(n) * av * eb / ab + (abs(n) + 1) * u * av

        return f_int
    if ex.is_Rational:
        r = B.rational(int(ex.p), int(ex.q))
        ar = abs(float(ex))

        def f_rat(env: Mapping[Any, Value]) -> Value:
            b, eb = base(env)
            if b <= 0 or eb > _MARGIN * _a(b):
                raise _Unfit  # a negative base leaves the reals; 0 is singular
            v = B.pow(b, r)
            av = _a(v)
            return v, ar * av * eb / _a(b) + av * abs(math.log(_a(b))) * u * ar + 3 * u * av

        return f_rat

    def f_gen(env: Mapping[Any, Value]) -> Value:
        b, eb = base(env)
        x, ex_ = exf(env)
        if b <= 0 or eb > _MARGIN * _a(b):
            raise _Unfit
        v = B.pow(b, x)
        av = _a(v)
        return v, av * (_a(x) * eb / _a(b) + abs(math.log(_a(b))) * ex_) + 3 * u * av

    return f_gen


def _function(name: str, arg: Fn, B: _Backend) -> Fn | None:
    """One elementary function: its value and the first-order propagated error."""
    u = B.u

    def make(
        fn: Callable[[Any], Any],
        slope: Callable[[Any, Any], float],
        ok: Callable[[Any, float], bool] = lambda a, e: True,
    ) -> Fn:
        def f(env: Mapping[Any, Value]) -> Value:
            a, ea = arg(env)
            if not ok(a, ea):
                raise _Unfit
            v = fn(a)
            return v, slope(a, v) * ea + 4 * u * max(_a(v), 1.0)

        return f

    far = _MARGIN
    table: dict[str, Fn] = {
        "exp": make(B.exp, lambda a, v: _a(v)),
        "log": make(B.log, lambda a, v: 1 / _a(a), lambda a, e: a > 0 and e <= far * _a(a)),
        "sin": make(B.sin, lambda a, v: 1.0),
        "cos": make(B.cos, lambda a, v: 1.0),
        "tan": make(
            B.tan, lambda a, v: 1 + _a(v) ** 2, lambda a, e: e <= far * _a(B.cos(a))
        ),
        "cot": make(
            lambda a: 1 / B.tan(a), lambda a, v: 1 + _a(v) ** 2,
            lambda a, e: e <= far * _a(B.sin(a)) and _a(B.cos(a)) > 0,
        ),
        "sec": make(
            lambda a: 1 / B.cos(a), lambda a, v: _a(v) * _a(B.tan(a)),
            lambda a, e: e <= far * _a(B.cos(a)),
        ),
        "csc": make(
            lambda a: 1 / B.sin(a), lambda a, v: _a(v) / max(_a(B.tan(a)), 1e-300),
            lambda a, e: e <= far * _a(B.sin(a)),
        ),
        "asin": make(
            B.asin, lambda a, v: 1 / math.sqrt(1 - _a(a) ** 2),
            lambda a, e: e <= far * (1 - _a(a)),
        ),
        "acos": make(
            B.acos, lambda a, v: 1 / math.sqrt(1 - _a(a) ** 2),
            lambda a, e: e <= far * (1 - _a(a)),
        ),
        "atan": make(B.atan, lambda a, v: 1 / (1 + _a(a) ** 2)),
        "sinh": make(B.sinh, lambda a, v: _a(B.cosh(a))),
        "cosh": make(B.cosh, lambda a, v: _a(B.sinh(a)) + _a(v)),
        "tanh": make(B.tanh, lambda a, v: 1.0),
        "asinh": make(B.asinh, lambda a, v: 1 / math.sqrt(1 + _a(a) ** 2)),
        "acosh": make(
            B.acosh, lambda a, v: 1 / math.sqrt(_a(a) ** 2 - 1),
            lambda a, e: a > 1 and e <= far * (_a(a) - 1),
        ),
        "atanh": make(
            B.atanh, lambda a, v: 1 / (1 - _a(a) ** 2), lambda a, e: e <= far * (1 - _a(a))
        ),
        "Abs": make(abs, lambda a, v: 1.0),
        "sigmoid": make(lambda a: 1 / (1 + B.exp(-a)), lambda a, v: 1.0),
        "softplus": make(lambda a: B.log(1 + B.exp(a)), lambda a, v: 1.0),
        "relu": make(lambda a: a if a > 0 else 0 * a, lambda a, v: 1.0),
    }  # fmt: skip
    return table.get(name)


_CACHE: dict[tuple[Any, int], Fn | None] = {}


def evaluator(expr: Any, B: _Backend = FLOAT) -> Fn | None:
    """A function of ``{symbol: (value, error)}`` giving ``(value, error)`` of ``expr``, or
    None when ``expr`` has a node this module does not evaluate."""
    key = (expr, id(B))
    if key in _CACHE:
        return _CACHE[key]
    fn = _compile(expr, B)
    if len(_CACHE) > 4096:
        _CACHE.clear()
    _CACHE[key] = fn
    return fn


def _compile(e: Any, B: _Backend) -> Fn | None:
    if not isinstance(e, sympy.Expr):
        return None
    if e.is_Symbol:
        return lambda env: env[e]
    if e.is_Number or e.is_NumberSymbol:
        return _number(e, B)
    parts = [_compile(a, B) for a in e.args]
    if any(p is None for p in parts):
        return None
    if e.is_Add:
        return _sum(parts, B)
    if e.is_Mul:
        return _product(parts, B)
    if e.is_Pow:
        return _power(parts[0], e.args[1], parts[1], B)
    if isinstance(e, sympy.Function) and len(parts) == 1:
        return _function(type(e).__name__, parts[0], B)
    return None


def compare(
    a: Any, b: Any, subs: Mapping[Any, Any], rtol: float, B: _Backend = FLOAT
) -> tuple[bool, float] | None:
    """``(differ, |a|)`` at the point ``subs`` (sympy numbers), where ``differ`` is whether
    ``|a − b| > rtol·(1 + |a|)`` holds for the exact values; None when rounding could decide
    it either way or the point is outside the reals or the supported nodes."""
    fa, fb = evaluator(a, B), evaluator(b, B)
    if fa is None or fb is None:
        return None
    env: dict[Any, Value] = {}
    try:
        for s, val in subs.items():
            fv = evaluator(val, B)
            if fv is None:
                return None
            env[s] = fv({})
        va, ea = fa(env)
        vb, eb = fb(env)
    except (_Unfit, ArithmeticError, ValueError, TypeError, KeyError):
        return None
    aa = _a(va)
    d = _a(va - vb)
    slack = _SAFETY * (ea + eb + rtol * ea)
    thr = rtol * (1 + aa)
    if not all(map(math.isfinite, (aa, d, slack))):
        return None
    if d > thr + slack:
        return True, aa
    if d + slack < thr:
        return False, aa
    return None


# -- leaving the reals ----------------------------------------------------------------------
# A sample point where a claim's side is not real is skipped by ``verify``; deciding that by
# 30-digit evaluation is the dearest case of all. Here the tree is evaluated in complex floats
# on sympy's principal branches (the only choices the functions below make: √, powers and ln
# of a negative real, cut along the negative axis), with the same error budget; a value whose
# imaginary part clearly exceeds its error is not real. Floats stay ``float`` while the
# arithmetic is real, so a negative base known to be real is told from one that only looks it.

_CUT_FREE = {
    "exp": (math.exp, cmath.exp, lambda z, v: abs(v)),
    "sin": (math.sin, cmath.sin, lambda z, v: abs(cmath.cos(z))),
    "cos": (math.cos, cmath.cos, lambda z, v: abs(cmath.sin(z))),
    "sinh": (math.sinh, cmath.sinh, lambda z, v: abs(cmath.cosh(z))),
    "cosh": (math.cosh, cmath.cosh, lambda z, v: abs(cmath.sinh(z))),
}


def _cval(e: Any, env: Mapping[Any, Value]) -> Value:
    u = FLOAT.u
    if e.is_Symbol:
        return env[e]
    if e.is_Number or e.is_NumberSymbol:
        fn = evaluator(e, FLOAT)
        if fn is None:
            raise _Unfit
        return fn(env)
    if e.is_Add or e.is_Mul:
        vals = [_cval(a, env) for a in e.args]
        if e.is_Add:
            s = sum(v for v, _ in vals)
            return s, sum(x for _, x in vals) + len(vals) * u * sum(abs(v) for v, _ in vals)
        prod, err, mag = vals[0][0], vals[0][1], abs(vals[0][0])
        for v, x in vals[1:]:
            err = err * (abs(v) + x) + mag * x
            prod, mag = prod * v, mag * abs(v)
        return prod, err + len(vals) * u * abs(prod)
    if e.is_Pow:
        b, eb = _cval(e.base, env)
        if e.exp.is_Integer:
            n = int(e.exp)
            if b == 0 or eb > _MARGIN * abs(b):
                raise _Unfit
            v = b**n
            return v, abs(n) * abs(v) * eb / abs(b) + 2 * (abs(n) + 1) * u * abs(v)
        x, ex = _cval(e.exp, env)
        if isinstance(b, float) and b > 0 and isinstance(x, float):
            if eb > _MARGIN * b:
                raise _Unfit
            v = b**x
            return v, abs(v) * (abs(x) * eb / b + abs(math.log(b)) * ex) + 4 * u * abs(v)
        lb, elb = _clog(b, eb)
        v = cmath.exp(x * lb)
        return v, abs(v) * (abs(x) * elb + abs(lb) * ex) + 8 * u * abs(v)
    if isinstance(e, sympy.Function) and len(e.args) == 1:
        name = type(e).__name__
        z, ez = _cval(e.args[0], env)
        if name == "log":
            return _clog(z, ez)
        if name == "Abs":
            return abs(z), ez + 2 * u * abs(z)
        if name in _CUT_FREE:
            real, cplx, slope = _CUT_FREE[name]
            v = real(z) if isinstance(z, float) else cplx(z)
            return v, slope(z, v) * ez + 8 * u * max(abs(v), 1.0)
        if isinstance(z, float):  # every other function only on the real path
            fn = evaluator(e, FLOAT)
            if fn is not None:
                return fn({s: env[s] for s in e.free_symbols})
    raise _Unfit


def _clog(z: Any, ez: float) -> Value:
    """Principal ln z and its error: ln|z| + i·arg z, arg in (−π, π] (sympy's choice)."""
    u = FLOAT.u
    if z == 0 or ez > _MARGIN * abs(z):
        raise _Unfit
    if isinstance(z, float):
        v = complex(math.log(-z), math.pi) if z < 0 else math.log(z)
    elif z.real < 0 and abs(z.imag) <= ez:
        raise _Unfit  # on or beside the cut: which side is not known
    else:
        v = cmath.log(z)
    return v, ez / abs(z) + 8 * u * max(abs(v), 1.0)


def not_real(expr: Any, subs: Mapping[Any, Any]) -> bool:
    """True when ``expr`` is certainly not a real number at the point ``subs`` (sympy numbers);
    False when it may be real or the check cannot tell."""
    try:
        env: dict[Any, Value] = {}
        for s, val in subs.items():
            fv = evaluator(val, FLOAT)
            if fv is None:
                return False
            env[s] = fv({})
        v, err = _cval(expr, env)
    except (_Unfit, ArithmeticError, ValueError, TypeError, KeyError, AttributeError):
        return False
    if not isinstance(v, complex) or not math.isfinite(err):
        return False
    return abs(v.imag) > _SAFETY * err + 1e-300
