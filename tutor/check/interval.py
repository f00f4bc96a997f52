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
    if _same_relation(a, b):
        return _right(ctx, "relations")
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


def _same_relation(a: Any, b: Any) -> bool:
    """One polynomial relation each, ``f_a op 0`` and ``f_b op' 0`` with ``f_a − c·f_b``
    expanding to 0 for a rational c (same direction when c > 0, reversed when c < 0): the
    same set of reals, seen without solving (6n + 2n(n − 1) > 19206 against
    n(8 + 4n)/2 > 19206)."""
    sp = _sympy()
    from .equation import _plain_equation
    from .relation import _FLIP

    R = sp.core.relational.Relational
    if not (isinstance(a, R) and isinstance(b, R)) or isinstance(a, (sp.Eq, sp.Ne)):
        return False
    if a.rel_op not in _FLIP or b.rel_op not in _FLIP:
        return False
    fa, fb = sp.expand(a.lhs - a.rhs), sp.expand(b.lhs - b.rhs)
    names = _free_names(fa) | _free_names(fb)
    syms = [sp.Symbol(n) for n in sorted(names)]
    if len(syms) != 1 or not (_plain_equation(fa) and _plain_equation(fb)):
        return False
    if not (fa.is_polynomial(*syms) and fb.is_polynomial(*syms)):
        return False
    try:
        pa, pb = sp.Poly(fa, *syms), sp.Poly(fb, *syms)
    except Exception:  # noqa: BLE001 - not a polynomial sympy can read: no claim
        return False
    if pb.is_zero or pa.degree() != pb.degree() or pa.degree() > 50:
        return False
    c = pa.LC() / pb.LC()
    if not c.is_Rational or c == 0 or (pa - pb * c).is_zero is not True:
        return False
    return a.rel_op == (b.rel_op if c > 0 else _FLIP[b.rel_op])


# the kinds this module serves: kind -> (how the answer is read, how it is compared)
KINDS = {
    "interval": ("interval", stage_interval),
    "inequality": ("inequality", stage_interval),
}
