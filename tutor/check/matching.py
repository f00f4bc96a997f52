"""Matching the elements of sets and lists: duplicates, missing and extra elements."""

from __future__ import annotations

from typing import Any

from ..core import Verdict
from .context import _Ctx, _right, _sympy, _Undecided
from .diagnosis import _task_mistakes
from .tolerance import _has_tolerance, _same_value


def _dedupe(items: list[Any], ctx: _Ctx, names: list[str] | None) -> list[Any]:
    from .values import compare_values

    out: list[Any] = []
    seen: set[Any] = set()  # exact numbers are equal only when identical: hashed, not compared
    for x in items:
        if ctx.deadline.expired():
            raise _Undecided("timeout", "set")
        if _rational(x) and x in seen:
            continue
        if not any(
            compare_values(x, y, names=names, deadline=ctx.deadline, domain=ctx.domain).equal
            for y in out
            if not (_rational(x) and _rational(y))
        ):
            out.append(x)
            if _rational(x):
                seen.add(x)
    return out


def _set_mistake(ans: list[Any], ctx: _Ctx, names: list[str] | None) -> Verdict | None:
    """A wrong set equal to a known mistake's set (e.g. the zeros of f for the critical
    points) is named: same size, every value matched."""
    sp = _sympy()
    for m in _task_mistakes(ctx):
        if not isinstance(m.expr, sp.FiniteSet) or len(m.expr) != len(ans):
            continue
        try:
            if all(any(_same_value(x, e, ctx, names) is True for x in ans) for e in m.expr.args):
                return ctx.verdict(False, m.code, m.feedback, "malrules", rule=m.rule)
        except Exception:  # a candidate that cannot be compared names nothing
            continue
    return None


def _rational(x: Any) -> bool:
    return getattr(x, "is_Rational", False) is True


def _match_sets(
    ans: list[Any], exp: list[Any], ctx: _Ctx, stage: str, *, names: list[str] | None
) -> Verdict:
    """Match two collections ignoring order and repeats."""

    ans, exp = _dedupe(ans, ctx, names), _dedupe(exp, ctx, names)
    unknown = False
    missing, matched = [], set()
    # without a tolerance, an exact number matches only the same exact number: looked up
    exact = {x: i for i, x in enumerate(ans) if _rational(x)} if not _has_tolerance(ctx) else {}
    for e in exp:
        if ctx.deadline.expired():
            raise _Undecided("timeout", stage)
        hit = False
        if exact and _rational(e) and e in exact:
            hit = True
            matched.add(exact[e])
        for i, x in enumerate(ans):
            if hit:
                break
            if i in matched and _has_tolerance(ctx):
                continue  # within a tolerance, one answer must not stand for two values
            if exact and _rational(x) and _rational(e):
                continue
            same = _same_value(x, e, ctx, names)
            if same is True:
                hit = True
                matched.add(i)
                break
            if same is None:
                unknown = True
        if not hit:
            missing.append(e)
    extra = [x for i, x in enumerate(ans) if i not in matched]
    if not missing and not extra:
        if _has_tolerance(ctx):
            return ctx.verdict(True, "within_tolerance", "Correct (within the tolerance).", stage)
        return _right(ctx, stage)
    if unknown:
        return ctx.verdict(None, "undetermined", "I could not decide every value.", stage)
    named = _set_mistake(ans, ctx, names)
    if named is not None:
        return named
    from ..core import to_jsonable

    info = {"missing": to_jsonable(missing), "extra": to_jsonable(extra)}
    if missing:
        n = len(missing)
        return ctx.verdict(
            False,
            "missing_elements",
            f"Not correct: {n} value{'s are' if n > 1 else ' is'} missing"
            + (" and some do not belong." if extra else "."),
            stage,
            **info,
        )
    return ctx.verdict(
        False, "extra_elements", "Not correct: some of your values do not belong.", stage, **info
    )
