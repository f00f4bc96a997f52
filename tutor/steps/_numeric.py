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

import math
from collections.abc import Callable, Mapping
from typing import Any

import sympy

__all__ = ["compare", "evaluator"]


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
