"""Intervals and inequalities in one variable, compared as sets of reals."""

from __future__ import annotations

from typing import Any

from ..core import Verdict
from .context import _Ctx, _free_names, _right, _run, _sympy
from .relation import _as_set, stage_relations


def stage_interval(a: Any, b: Any, ctx: _Ctx) -> Verdict:
    """Intervals compare as sets of reals; open/closed ends are reported.  Relations in
    several variables compare as regions (``stage_relations``)."""
    sp = _sympy()
    rel = (sp.core.relational.Relational, sp.And, sp.Or)
    if isinstance(b, rel) and len(_free_names(b)) > 1:
        return stage_relations(a, b, ctx)
    a_orig = a
    a, b = _as_set(a, ctx), _as_set(b, ctx)
    if a is None and isinstance(a_orig, rel) and len(_free_names(a_orig)) > 1:
        return stage_relations(a_orig, b, ctx)
    if b is None:
        return ctx.verdict(
            None, "bad_expected", "The expected answer is not a set of reals.", "kind"
        )
    if a is None:
        return ctx.verdict(
            False,
            "wrong_kind",
            "The answer should be an interval, such as (1, 3] or (-oo, 0).",
            "kind",
        )
    if a == b:
        return _right(ctx, "interval")
    facts = _run("tutor.check.symbolic:set_difference", (a, b), ctx, "interval")
    if facts[0] == "equal":
        return _right(ctx, "interval")
    if facts[0] == "endpoints" and ctx.options.get("endpoints") == "either":
        # "where is f increasing": [0, 1] and (0, 1) are both accepted when asked
        return _right(
            ctx,
            "interval",
            "Correct (the end points may be open or closed here).",
            endpoints_differ=[str(p) for p in (*facts[1], *facts[2])],
        )
    if facts[0] == "endpoints":
        inc, exc = facts[1], facts[2]
        parts = []
        if inc:
            parts.append(f"include {', '.join(map(str, inc))}")
        if exc:
            parts.append(f"exclude {', '.join(map(str, exc))}")
        return ctx.verdict(
            False,
            "endpoints",
            f"Right endpoints, but check the open/closed ends ({' and '.join(parts)}).",
            "interval",
            include=[str(p) for p in inc],
            exclude=[str(p) for p in exc],
        )
    return ctx.verdict(False, "not_equivalent", "Not correct: the intervals differ.", "interval")


# the kinds this module serves: kind -> (how the answer is read, how it is compared)
KINDS = {
    "interval": ("interval", stage_interval),
    "inequality": ("inequality", stage_interval),
}
