"""Numeric evidence: evaluate sympy expressions as real functions with mpmath.

The evaluator walks the expression tree itself (no code generation), works in a private
mpmath context per thread and precision (mpmath's global ``mp`` is shared state), and
follows real-function semantics: a point where a side is undefined (log of a negative
number, even root of a negative number, division by zero) is reported as such, and odd
roots of negative numbers are real (``(-8)^(1/3) = -2``).
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from typing import Any

import mpmath
import sympy

from ..functions import relu, sigmoid, softplus

__all__ = [
    "Undefined",
    "Unsupported",
    "evaluate",
    "compare_numeric",
    "NumericResult",
    "sample",
    "pairs",
    "fresh_rng",
]


class Undefined(Exception):
    """The expression has no real value at this point."""


class Unsupported(Exception):
    """The evaluator does not know a node of the expression."""


class _Overflow(Exception):
    """A value so large or small that the point is useless as evidence."""


_MAX_MAG = 100_000  # |value| beyond 2^100000: treat the point as unusable
_MAX_INT_POWER = 1 << 20  # integer powers above this go through exp(n ln|b|)
_local = threading.local()


def context(dps: int) -> Any:
    """A private mpmath context for this thread at ``dps`` decimal digits."""
    cache = getattr(_local, "ctx", None)
    if cache is None:
        cache = _local.ctx = {}
    ctx = cache.get(dps)
    if ctx is None:
        ctx = mpmath.MPContext()
        ctx.dps = dps
        cache[dps] = ctx
    return ctx


def _check(ctx: Any, v: Any) -> Any:
    if not ctx.isfinite(v):
        raise Undefined
    if v and abs(ctx.mag(v)) > _MAX_MAG:
        raise _Overflow
    return v


def _root(ctx: Any, b: Any, p: int, q: int) -> Any:
    """b^(p/q) for a real b, with real odd roots of negative numbers."""
    if b == 0:
        if p < 0:
            raise Undefined
        return ctx.zero
    if b > 0:
        return ctx.power(b, ctx.mpf(p) / q)
    if q % 2 == 0:
        raise Undefined
    r = ctx.power(-b, ctx.mpf(p) / q)
    return -r if p % 2 else r


def _unary(name: str) -> Any:
    def f(ctx: Any, v: Any) -> Any:
        return getattr(ctx, name)(v)

    return f


def _domain(name: str, ok: Any) -> Any:
    def f(ctx: Any, v: Any) -> Any:
        if not ok(ctx, v):
            raise Undefined
        return getattr(ctx, name)(v)

    return f


def _log(ctx: Any, v: Any) -> Any:
    if v <= 0:
        raise Undefined
    return ctx.ln(v)


def _recip(ctx: Any, v: Any) -> Any:
    if v == 0:
        raise Undefined
    return 1 / v


def _tan(ctx: Any, v: Any) -> Any:
    c = ctx.cos(v)
    if c == 0:
        raise Undefined
    return ctx.sin(v) / c


def _sign(ctx: Any, v: Any) -> Any:
    return ctx.mpf((v > 0) - (v < 0))


def _gamma(ctx: Any, v: Any) -> Any:
    if v <= 0 and v == ctx.floor(v):
        raise Undefined
    if v > 10_000:
        raise _Overflow
    return ctx.gamma(v)


_FUNCS: dict[Any, Any] = {
    sympy.exp: _unary("exp"),
    sympy.log: _log,
    sympy.sin: _unary("sin"),
    sympy.cos: _unary("cos"),
    sympy.tan: _tan,
    sympy.cot: lambda ctx, v: _recip(ctx, _tan(ctx, v)) if ctx.cos(v) != 0 else ctx.zero,
    sympy.sec: lambda ctx, v: _recip(ctx, ctx.cos(v)),
    sympy.csc: lambda ctx, v: _recip(ctx, ctx.sin(v)),
    sympy.asin: _domain("asin", lambda ctx, v: -1 <= v <= 1),
    sympy.acos: _domain("acos", lambda ctx, v: -1 <= v <= 1),
    sympy.atan: _unary("atan"),
    sympy.acot: lambda ctx, v: ctx.atan(1 / v) if v != 0 else ctx.pi / 2,
    sympy.asec: _domain("asec", lambda ctx, v: abs(v) >= 1),
    sympy.acsc: _domain("acsc", lambda ctx, v: abs(v) >= 1),
    sympy.sinh: _unary("sinh"),
    sympy.cosh: _unary("cosh"),
    sympy.tanh: _unary("tanh"),
    sympy.coth: lambda ctx, v: _recip(ctx, ctx.tanh(v)),
    sympy.sech: lambda ctx, v: 1 / ctx.cosh(v),
    sympy.csch: lambda ctx, v: _recip(ctx, ctx.sinh(v)),
    sympy.asinh: _unary("asinh"),
    sympy.acosh: _domain("acosh", lambda ctx, v: v >= 1),
    sympy.atanh: _domain("atanh", lambda ctx, v: -1 < v < 1),
    sympy.acoth: _domain("acoth", lambda ctx, v: abs(v) > 1),
    sympy.Abs: lambda ctx, v: abs(v),
    sympy.sign: _sign,
    sympy.floor: _unary("floor"),
    sympy.ceiling: _unary("ceil"),
    sympy.erf: _unary("erf"),
    sympy.gamma: _gamma,
    sympy.factorial: lambda ctx, v: _gamma(ctx, v + 1),
    sympy.Heaviside: lambda ctx, v: ctx.mpf(1) if v > 0 else (ctx.zero if v < 0 else ctx.mpf(0.5)),
    sympy.re: lambda ctx, v: v,
    sympy.im: lambda ctx, v: ctx.zero,
    sigmoid: lambda ctx, v: 1 / (1 + ctx.exp(-v)),
    softplus: lambda ctx, v: ctx.log1p(ctx.exp(v)) if v < 30 else v + ctx.log1p(ctx.exp(-v)),
    relu: lambda ctx, v: v if v > 0 else ctx.zero,
}

_CONSTANTS: dict[Any, str] = {
    sympy.pi: "pi",
    sympy.E: "e",
    sympy.EulerGamma: "euler",
    sympy.GoldenRatio: "phi",
    sympy.Catalan: "catalan",
}

_REL = {
    sympy.Eq: lambda a, b: a == b,
    sympy.Ne: lambda a, b: a != b,
    sympy.Lt: lambda a, b: a < b,
    sympy.Le: lambda a, b: a <= b,
    sympy.Gt: lambda a, b: a > b,
    sympy.Ge: lambda a, b: a >= b,
}


@dataclass
class _Eval:
    ctx: Any
    env: dict[str, Any]
    scale: Any = None  # the largest magnitude met in a sum: sets the rounding scale

    def note(self, v: Any) -> None:
        a = abs(v)
        if self.scale is None or a > self.scale:
            self.scale = a

    def ev(self, e: Any) -> Any:  # noqa: C901 - one dispatch table
        ctx = self.ctx
        if e.is_Symbol:
            try:
                return self.env[e.name]
            except KeyError:
                raise Unsupported(f"no value for {e.name}") from None
        if e.is_Integer:
            return ctx.mpf(int(e))
        if e.is_Rational:
            return ctx.mpf(int(e.p)) / int(e.q)
        if e.is_Float:
            return ctx.make_mpf(e._mpf_) if ctx.prec >= e._prec else ctx.mpf(e._mpf_)
        if e in _CONSTANTS:
            return getattr(ctx, _CONSTANTS[e])
        if e.is_Add:
            total = ctx.zero
            for t in e.args:
                v = self.ev(t)
                self.note(v)
                total += v
            return _check(ctx, total)
        if e.is_Mul:
            prod = ctx.one
            for t in e.args:
                prod *= self.ev(t)
            return _check(ctx, prod)
        if e.is_Pow:
            return self.pow(e)
        if isinstance(e, sympy.Piecewise):
            for expr, cond in e.args:
                if self.truth(cond):
                    return self.ev(expr)
            raise Undefined
        if isinstance(e, (sympy.Max, sympy.Min)):
            vals = [self.ev(a) for a in e.args]
            return max(vals) if isinstance(e, sympy.Max) else min(vals)
        if e.is_Function:
            f = _FUNCS.get(e.func)
            if f is None:
                raise Unsupported(str(e.func))
            if isinstance(e, sympy.Heaviside) and len(e.args) == 2:
                # Heaviside(x, H0): sympy keeps its value at 0 as a second argument
                v = self.ev(e.args[0])
                return ctx.mpf(v > 0) if v != 0 else self.ev(e.args[1])
            if isinstance(e, sympy.log) and len(e.args) == 2:
                return _check(ctx, _log(ctx, self.ev(e.args[0])) / _log(ctx, self.ev(e.args[1])))
            if len(e.args) != 1:
                raise Unsupported(str(e.func))
            return _check(ctx, f(ctx, self.ev(e.args[0])))
        if e is sympy.nan or e is sympy.zoo or e.is_infinite:
            raise Undefined
        if e is sympy.I:
            raise Undefined
        raise Unsupported(type(e).__name__)

    def pow(self, e: Any) -> Any:
        ctx = self.ctx
        b, x = e.args
        if x.is_Integer:
            n = int(x)
            vb = self.ev(b)
            if vb == 0:
                if n < 0:
                    raise Undefined
                return ctx.one if n == 0 else ctx.zero
            if vb and abs(n) * abs(ctx.mag(vb)) > _MAX_MAG:
                raise _Overflow
            if abs(n) > _MAX_INT_POWER:
                # mpmath raises to a huge power at precision ~ its bit length (minutes for
                # 10^3999); through the logarithm the size is known at once
                sign = -1 if vb < 0 and n % 2 else 1
                y = n * ctx.ln(abs(vb))
                if abs(y) > 200_000:
                    raise _Overflow
                return _check(ctx, sign * ctx.exp(y))
            return _check(ctx, vb**n)
        if x.is_Rational:
            return _check(ctx, _root(ctx, self.ev(b), int(x.p), int(x.q)))
        if b is sympy.E:
            vx = self.ev(x)
            if abs(vx) > 200_000:
                raise _Overflow
            return _check(ctx, ctx.exp(vx))
        vb, vx = self.ev(b), self.ev(x)
        if vb > 0:
            # exp(x ln b), not ctx.power: mpmath computes integer-valued powers exactly
            y = vx * ctx.ln(vb)
            if abs(y) > 200_000:
                raise _Overflow
            return _check(ctx, ctx.exp(y))
        if vb == 0 and vx > 0:
            return ctx.zero
        if vb < 0 and vx == ctx.nint(vx) and abs(vx) <= 100_000:
            # a negative base to an integer exponent ((-3)^k for an integer k) is real
            return _check(ctx, vb ** int(ctx.nint(vx)))
        raise Undefined

    def truth(self, c: Any) -> bool:
        if c is sympy.true:
            return True
        if c is sympy.false:
            return False
        if isinstance(c, sympy.And):
            return all(self.truth(a) for a in c.args)
        if isinstance(c, sympy.Or):
            return any(self.truth(a) for a in c.args)
        if isinstance(c, sympy.Not):
            return not self.truth(c.args[0])
        rel = _REL.get(type(c))
        if rel is None:
            raise Unsupported(type(c).__name__)
        return bool(rel(self.ev(c.args[0]), self.ev(c.args[1])))


def evaluate(expr: Any, env: dict[str, Any], dps: int = 30) -> tuple[Any, Any]:
    """The real value of ``expr`` at the point ``env`` (name -> number) and its rounding scale.

    Raises Undefined where the expression has no real value, Unsupported for unknown nodes.
    """
    ctx = context(dps)
    e = _Eval(ctx, {k: ctx.mpf(v) for k, v in env.items()})
    v = e.ev(expr)
    return v, max(abs(v), e.scale or ctx.zero)


_SCALES = (1.0, 0.1, 10.0, 3.0, 0.5, 100.0, 0.01, 1000.0, 1e-5, 1e5)


def fresh_rng() -> random.Random:
    """A generator seeded from the operating system for one check: the points at which
    answers are compared cannot be read from the source and predicted."""
    return random.Random(random.SystemRandom().getrandbits(64))


def sample(
    names: list[str], rng: random.Random, i: int, assume: dict[str, str] | None = None
) -> dict[str, float]:
    """The ``i``-th random point: each variable at a scale cycling through 1e-5 .. 1e5;
    a name declared ``positive`` is positive, one declared ``integer`` a random integer."""
    point = {}
    few = len(names) <= 4
    for k, name in enumerate(names):
        scale = _SCALES[(i + 3 * k) % len(_SCALES)]
        u = 0.05 + 0.95 * rng.random()
        what = (assume or {}).get(name, "")
        # with a few variables the signs run through every orthant in turn (x < 0 and
        # y < 0 together is where ln(x) + ln(y) and ln(xy) differ)
        neg = (i >> k) & 1 if few else rng.random() < 0.45
        sign = -1.0 if neg and "positive" not in what else 1.0
        if "integer" in what:
            top = 2 + int(min(scale, 40.0))
            n = rng.randint(1 if "positive" in what else -top, top)
            point[name] = float(n)
        else:
            point[name] = sign * scale * u
    return point


@dataclass
class NumericResult:
    """What the random points showed: ``verdict`` is "agree", "differ", "domain", or "none"."""

    verdict: str
    agree: int = 0
    agree_negative: int = 0  # agreeing points with some coordinate below zero
    agree_points: list[dict[str, Any]] = field(default_factory=list)
    only_a: int = 0
    only_b: int = 0
    unsupported: str = ""
    example: dict[str, Any] = field(default_factory=dict)


def _value(expr: Any, point: dict[str, float], dps: int) -> Any:
    try:
        return evaluate(expr, point, dps)
    except Undefined:
        return None
    except (ZeroDivisionError, ValueError, ArithmeticError):
        return None


def _close(va: Any, vb: Any, sa: Any, sb: Any, dps: int) -> bool:
    scale = max(sa, sb, abs(va), abs(vb))
    return abs(va - vb) <= scale * mpmath.mpf(10) ** (-(dps - 8))


def _mismatch(a: Any, b: Any, point: dict[str, float]) -> bool | None:
    """Confirm a difference seen at 30 digits by re-evaluating at 70 and 110."""
    hi = []
    for dps in (70, 110):
        ra, rb = _value(a, point, dps), _value(b, point, dps)
        if ra is None or rb is None:
            return None
        if _close(ra[0], rb[0], ra[1], rb[1], dps):
            return False
        hi.append((ra[0] - rb[0]) / max(ra[1], rb[1], abs(ra[0]), abs(rb[0])))
    d70, d110 = (mpmath.mpf(str(d)) for d in hi)
    if d110 == 0:
        return None
    # A real difference does not move when the precision grows; rounding noise does.
    return bool(abs(d70 - d110) <= abs(d110) * mpmath.mpf("1e-6"))


def compare_numeric(
    a: Any,
    b: Any,
    names: list[str],
    *,
    seed: int = 0,
    want: int = 12,
    tries: int = 60,
    deadline: Any = None,
    scales: bool = True,
    rng: random.Random | None = None,
    assume: dict[str, str] | None = None,
    extra: list[dict[str, Any]] | None = None,
) -> NumericResult:
    """Evaluate ``a`` and ``b`` at random points of the real line (or plane) and compare.

    "differ": a point where both are defined and the values differ (confirmed at higher
    precision) — a proof that they are different functions.  "domain": points where exactly
    one side is defined (a whole region, since random points never hit isolated ones).
    "agree": ``want`` points where both are defined and equal, none against.
    ``rng`` (by default a fresh one: nobody can predict the points) draws the points;
    ``extra`` points (one per gap of the common domain, see ``domain``) come first.
    """
    rng = rng or (random.Random(seed) if seed else fresh_rng())
    res = NumericResult("none")
    n = tries if names else 1
    extra = list(extra or ())
    for i in range(n + len(extra)):
        if deadline is not None and deadline.expired():
            break
        if i < len(extra):
            point = extra[i]
        else:
            point = sample(names, rng, i - len(extra), assume) if names else {}
        try:
            ra, rb = _value(a, point, 30), _value(b, point, 30)
        except _Overflow:
            continue
        except Unsupported as exc:
            res.verdict, res.unsupported = "none", str(exc) or "unsupported"
            return res
        if ra is None and rb is None:
            continue
        if ra is None or rb is None:
            # Confirm at higher precision: rounding can put a borderline argument astray.
            try:
                ha, hb = _value(a, point, 60), _value(b, point, 60)
            except _Overflow:
                continue
            if (ha is None) != (hb is None):
                if ha is None:
                    res.only_b += 1
                else:
                    res.only_a += 1
                if not res.example:
                    res.example = {"point": point, "defined": "answer" if ha else "expected"}
            continue
        if _close(ra[0], rb[0], ra[1], rb[1], 30):
            res.agree += 1
            res.agree_negative += any(v < 0 for v in point.values())
            res.agree_points.append(point)
        else:
            try:
                real = _mismatch(a, b, point)
            except _Overflow:
                continue
            if real is None:
                continue
            if real:
                res.verdict = "differ"
                res.example = {
                    "point": point,
                    "answer": mpmath.nstr(ra[0], 12),
                    "expected": mpmath.nstr(rb[0], 12),
                }
                return res
            res.agree += 1
        if res.agree >= want and i >= len(extra) + min(tries, 4 << min(len(names), 4)):
            break
    if res.only_a or res.only_b:
        res.verdict = "domain"
    elif res.agree:
        res.verdict = "agree"
    return res


def pairs(
    a: Any, b: Any, names: list[str], *, seed: int = 0, count: int = 8, deadline: Any = None
) -> list[Any]:
    """Values ``(a, b)`` at up to ``count`` random points where both are defined."""
    rng = random.Random(seed)
    out = []
    for i in range(count * 4 if names else 1):
        if deadline is not None and deadline.expired():
            break
        point = sample(names, rng, i) if names else {}
        try:
            ra, rb = _value(a, point, 30), _value(b, point, 30)
        except (_Overflow, Unsupported):
            continue
        if ra is not None and rb is not None:
            out.append((ra[0], rb[0]))
            if len(out) >= count:
                break
    return out
