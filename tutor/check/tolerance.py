"""Numeric slack: absolute/relative tolerance and significant figures, and the value
comparison the element-wise kinds share."""

from __future__ import annotations

from typing import Any

from .context import _Ctx, _free_names, _sympy


def _has_tolerance(ctx: _Ctx) -> bool:
    return ctx.tol is not None or ctx.rtol is not None or ctx.sigfigs is not None


def _within(a: Any, b: Any, ctx: _Ctx) -> tuple[bool | None, dict[str, Any]]:
    """Whether the numbers ``a`` and ``b`` agree within every tolerance the question sets
    (None when one cannot be evaluated), with the figures for the verdict."""
    import mpmath

    from . import numeric

    try:
        va, _ = numeric.evaluate(a, {}, 40)
        vb, _ = numeric.evaluate(b, {}, 40)
    except Exception:
        return None, {}
    diff = abs(va - vb)
    ok = True
    info: dict[str, Any] = {"difference": mpmath.nstr(diff, 6)}
    if ctx.tol is not None:
        ok = ok and diff <= mpmath.mpf(ctx.tol) * (1 + mpmath.mpf("1e-12"))
        info["tol"] = ctx.tol
    if ctx.rtol is not None:
        ok = ok and diff <= mpmath.mpf(ctx.rtol) * abs(vb) * (1 + mpmath.mpf("1e-12"))
        info["rtol"] = ctx.rtol
    if ctx.sigfigs is not None:
        n = int(ctx.sigfigs)
        ok = ok and _round_sig(va, n) == _round_sig(vb, n)
        info["sigfigs"] = n
    return bool(ok), info


def _same_value(x: Any, y: Any, ctx: _Ctx, names: list[str] | None) -> bool | None:
    """One entry of a list, point or set: within the question's tolerance when it sets one
    and both are numbers, otherwise equal by the checking conventions."""
    from .values import compare_values, is_special

    sp = _sympy()
    if (
        _has_tolerance(ctx)
        and isinstance(x, sp.Expr)
        and isinstance(y, sp.Expr)
        and not (is_special(x) or is_special(y))
        and not _free_names(x)
        and not _free_names(y)
    ):
        return _within(x, y, ctx)[0]
    return compare_values(x, y, names=names, deadline=ctx.deadline, domain=ctx.domain).equal


def _round_sig(v: Any, n: int) -> str:
    import mpmath

    if v == 0:
        return "0"
    ctx = mpmath.MPContext()
    ctx.dps = 40
    return mpmath.nstr(ctx.mpf(v), max(1, n), strip_zeros=False, min_fixed=-1000, max_fixed=1000)
