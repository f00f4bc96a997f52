"""Expressions and numbers: the staged equivalence (diagnosis, form, proof or numeric
evidence) and numbers with tolerance or significant figures."""

from __future__ import annotations

from typing import Any

from ..core import DNE, Verdict
from .context import _Ctx, _first, _free_names, _right, _sympy, _undecided
from .diagnosis import (
    _is_plain_number,
    _kind_mismatch,
    _restates,
    _task_mistakes,
    _unexpected,
    stage_diagnose,
    stage_form,
    stage_malrules,
)
from .reading import _value_label
from .tolerance import _has_tolerance, _within


def stage_expression(a: Any, b: Any, ctx: _Ctx) -> Verdict:
    """Expressions: real functions equal wherever both are defined."""
    sp = _sympy()
    from .equiv import compare

    a, bad = _value_label(a, b, ctx)
    if bad is not None:
        return bad
    wrong = _kind_mismatch(a, b, ctx)
    if wrong is not None:
        return wrong
    from .values import compare_values, is_special

    if is_special(a) or is_special(b):
        same = compare_values(a, b, names=[], deadline=ctx.deadline, domain=ctx.domain).equal
        if same:
            return _right(ctx, "special")
        return ctx.verdict(False, "not_equivalent", "Not correct.", "special")
    r = _restates(a, ctx)
    if r is not None:
        return r
    if isinstance(b, sp.Expr) and b.has(sp.Float):
        from .values import exact_decimals

        if not _free_names(a) and not _free_names(b):
            return stage_number(a, b, ctx)
        # a computed coefficient (0.1234*x from a numeric engine) means its decimal
        b = exact_decimals(b)
    names = sorted(_free_names(a) | _free_names(b) | set(ctx.variables or ()))
    assume = ctx.assume(names)
    out = compare(a, b, names=names, deadline=ctx.deadline, domain=ctx.domain, assume=assume)
    if out.equal is True:
        extra = {"assumptions": assume} if assume else {}
        return _first(lambda: stage_form(a, ctx), lambda: _right(ctx, out.stage, **extra))
    # a foreign variable that does not cancel out is the likeliest mistake to name
    u = _unexpected(a, b, ctx) if (ctx.variables or _free_names(b)) else None
    if u is not None:
        return u
    if out.equal is None:
        return _undecided(out, ctx)
    if out.code == "domain_differs":
        ex = out.details.get("example", {})
        where = ex.get("point", {})
        pt = ", ".join(f"{k} = {v:.3g}" for k, v in where.items())
        side = "your answer" if ex.get("defined") == "answer" else "the expected answer"
        return ctx.verdict(
            False,
            "domain_differs",
            f"Your answer agrees where both are defined, but they have different domains "
            f"(at {pt} only {side} is defined).",
            out.stage,
            **out.details,
        )
    if ctx.kind == "expression":
        d = _first(
            lambda: stage_malrules(a, b, ctx, names), lambda: stage_diagnose(a, b, ctx, names)
        )
        if d is not None:
            return d
    return ctx.verdict(False, "not_equivalent", "Not correct.", out.stage, **out.details)


def stage_number(a: Any, b: Any, ctx: _Ctx) -> Verdict:
    """Numbers (and oo, -oo, DNE for limits): exact, or within the question's tolerance."""
    sp = _sympy()
    from .values import compare_values, is_special

    if is_special(a) or is_special(b):
        out = compare_values(a, b, names=[], deadline=ctx.deadline, domain=ctx.domain)
        if out.equal:
            return _right(ctx, "special")
        named = stage_malrules(a, b, ctx, [])
        if named is not None:
            return named
        # feedback names what to look at, never the right answer itself
        hint = ""
        if b is DNE and a is not DNE:
            hint = " Compare the two one-sided limits: do they agree?"
        elif a is DNE and is_special(b):
            hint = (
                " The values grow without bound in one direction, which is a limit you can "
                "write: oo or -oo."
            )
        return ctx.verdict(False, "not_equivalent", "Not correct." + hint, "special")
    a, bad = _value_label(a, b, ctx)
    if bad is not None:
        return bad
    wrong = _kind_mismatch(a, b, ctx)
    if wrong is not None:
        return wrong
    r = _first(lambda: _restates(a, ctx), lambda: _constant_valued(a, b, ctx))
    r = r if r is not None else _unexpected(a, b, ctx)
    if r is not None:
        return r
    if _free_names(b) or _free_names(a):
        return stage_expression(a, b, ctx)
    if not _has_tolerance(ctx) and b.has(sp.Float):
        from .values import float_rtol

        # a floating-point expected value is computed, not exact: equal to its precision
        ctx.rtol = float_rtol(b)
        ok, info = _within(a, b, ctx)
        if ok is None:
            return ctx.verdict(None, "undetermined", "That number could not be evaluated.", "float")
        if ok:
            return _right(ctx, "float", **info)
        return ctx.verdict(False, "not_equivalent", "Not correct.", "float", **info)
    if _has_tolerance(ctx):
        return stage_tolerance(a, b, ctx)
    out = compare_values(a, b, names=[], deadline=ctx.deadline, domain=ctx.domain)
    if out.equal is True:
        # a number asked in lowest terms (12/14 for 6/7) is tested as written, too
        return _first(lambda: stage_form(a, ctx), lambda: _right(ctx, out.stage))
    if out.equal is None:
        return _undecided(out, ctx)
    d = _first(lambda: stage_malrules(a, b, ctx, []), lambda: stage_diagnose(a, b, ctx, []))
    if d is not None:
        return d
    return ctx.verdict(False, "not_equivalent", "Not correct.", out.stage)


def _constant_valued(a: Any, b: Any, ctx: _Ctx) -> Verdict | None:
    """A number written with letters whose value is constant (cos(x)^2 + sin(x)^2 for 1):
    accepted with a note when proved equal on the whole line; None otherwise (the letters
    are then named as unexpected)."""
    from .equiv import compare

    if _free_names(b) or not _free_names(a) or _has_tolerance(ctx):
        return None
    names = sorted(_free_names(a))
    out = compare(a, b, names=names, deadline=ctx.deadline, domain=ctx.domain)
    if out.equal is not True:
        return None
    ctx.notes = [*ctx.notes, f"your answer is written with {', '.join(names)} but is constant"]
    return _right(ctx, out.stage)


def stage_tolerance(a: Any, b: Any, ctx: _Ctx) -> Verdict:
    """A number within an absolute or relative tolerance, or to so many significant figures."""
    ok, info = _within(a, b, ctx)
    if ok is None:
        return ctx.verdict(None, "undetermined", "That number could not be evaluated.", "tolerance")
    if ok:
        return ctx.verdict(
            True, "within_tolerance", "Correct (within the tolerance).", "tolerance", **info
        )
    for m in _task_mistakes(ctx):
        # a known mistake's value, to the same tolerance, is named
        if (
            _is_plain_number(m.expr)
            and _within(a, m.expr, ctx)[0]
            and not _within(m.expr, b, ctx)[0]
        ):
            return ctx.verdict(False, m.code, m.feedback, "malrules", rule=m.rule, **info)
    return ctx.verdict(
        False,
        "outside_tolerance",
        "Not correct: too far from the right value.",
        "tolerance",
        **info,
    )


# the kinds this module serves: kind -> (how the answer is read, how it is compared)
KINDS = {
    "expression": ("expression", stage_expression),
    "number": ("number", stage_number),
}
