"""Relations (inequalities, chains, ``and``/``or``, several letters) compared by their
solution sets, symbolically or at sample points."""

from __future__ import annotations

from typing import Any

from ..core import Verdict
from .context import _Ctx, _free_names, _right, _run, _sympy
from .diagnosis import _unexpected
from .equation import _ratio_constant

_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}


def _atoms(v: Any) -> list[tuple[Any, str]] | None:
    """One relation as ``[(f, op)]`` meaning ``f op 0``; None for and/or of several."""
    sp = _sympy()
    if isinstance(v, sp.core.relational.Relational):
        return [(v.lhs - v.rhs, v.rel_op)]
    return None


def stage_relations(a: Any, b: Any, ctx: _Ctx) -> Verdict:
    """Relations in several variables compared as the regions where they hold.

    Proved equal when each is one relation and ``f_a = c·f_b`` for a constant ``c`` (a
    positive ``c`` keeps the direction, a negative one reverses it: ``b > a`` is ``a < b``);
    proved different by a point inside one region and outside the other, with both margins
    clearly away from zero (so the point is not on a boundary); else undetermined.
    """
    sp = _sympy()
    from .equiv import compare

    rel = (sp.core.relational.Relational, sp.And, sp.Or)
    if not isinstance(a, rel):
        return ctx.verdict(
            False, "wrong_kind", "The answer should be a relation, such as x < y.", "kind"
        )
    u = _unexpected(a, b, ctx)
    if u is not None:
        return u
    names = sorted(_free_names(a) | _free_names(b) | set(ctx.variables or ()))
    ra, rb = _atoms(a), _atoms(b)
    if ra and rb and len(ra) == len(rb) == 1:
        (fa, oa), (fb, ob) = ra[0], rb[0]
        c = _ratio_constant(fa, fb, names)
        if c is not None and c != 0:
            want = ob if c > 0 else _FLIP[ob]
            out = compare(fa, c * fb, names=names, deadline=ctx.deadline, domain="strict")
            if out.equal is True:
                if oa == want:
                    return _right(ctx, "relations", factor=str(c))
                if oa.rstrip("=") == want.rstrip("=") and oa != want:
                    return ctx.verdict(
                        False,
                        "endpoints",
                        "Right boundary, but check strict (<) against non-strict (<=).",
                        "relations",
                    )
    return _relations_by_points(a, b, names, ctx)


def _relations_by_points(a: Any, b: Any, names: list[str], ctx: _Ctx) -> Verdict:
    from . import numeric

    sp = _sympy()
    rng = numeric.fresh_rng()

    def truth(v: Any, point: dict[str, Any]) -> tuple[bool, Any] | None:
        """Whether ``v`` holds at ``point`` and how far it is from its boundary."""
        if isinstance(v, sp.And) or isinstance(v, sp.Or):
            parts = [truth(t, point) for t in v.args]
            if any(p is None for p in parts):
                return None
            margin = min(m for _t, m in parts)
            vals = [t for t, _m in parts]
            return (all(vals) if isinstance(v, sp.And) else any(vals)), margin
        try:
            d, scale = numeric.evaluate(v.lhs - v.rhs, point, 30)
        except Exception:
            return None
        ops = {"<": d < 0, ">": d > 0, "<=": d <= 0, ">=": d >= 0, "==": d == 0, "!=": d != 0}
        return bool(ops[v.rel_op]), abs(d) / max(scale, 1)

    for i in range(80):
        if ctx.deadline.expired():
            break
        point = numeric.sample(names, rng, i, ctx.assume(names))
        ta, tb = truth(a, point), truth(b, point)
        if ta is None or tb is None:
            continue
        if ta[0] != tb[0] and min(ta[1], tb[1]) > 1e-12:
            return ctx.verdict(
                False,
                "not_equivalent",
                "Not correct: your relation does not hold on the same region as the expected one.",
                "relations",
            )
    return ctx.verdict(
        None, "undetermined", "I could not decide whether the relations agree.", "relations"
    )


def _as_set(v: Any, ctx: _Ctx) -> Any:
    sp = _sympy()
    if isinstance(v, sp.Set):
        return v
    if isinstance(v, (sp.core.relational.Relational, sp.And, sp.Or)):
        names = sorted(_free_names(v))
        if len(names) != 1:
            return None
        quick = _linear_set(v, names[0])
        if quick is not None:
            return quick
        return _run("tutor.check.symbolic:relation_to_set", (v, names[0]), ctx, "interval")
    if isinstance(v, sp.Expr) and v.is_number:
        return sp.FiniteSet(v)
    return None


def _linear_set(v: Any, name: str) -> Any:
    """The set where ``v`` holds when every relation in it is linear in ``name`` with
    rational coefficients (``x > 1 and x < 5``, ``-2 > -2x``): exact intervals built here,
    in microseconds, instead of sympy's ``as_set`` in the worker.  None otherwise."""
    sp = _sympy()
    if isinstance(v, (sp.And, sp.Or)):
        parts = [_linear_set(t, name) for t in v.args]
        if any(p is None for p in parts):
            return None
        return sp.Intersection(*parts) if isinstance(v, sp.And) else sp.Union(*parts)
    if not isinstance(v, sp.core.relational.Relational) or v.rel_op not in _FLIP:
        return None
    x = sp.Symbol(name)
    f = sp.expand(v.lhs - v.rhs)
    try:
        poly = sp.Poly(f, x)
    except Exception:
        return None
    if poly.degree() != 1 or not all(c.is_Rational for c in poly.all_coeffs()):
        return None
    p, q = poly.all_coeffs()
    root = -q / p
    op = v.rel_op if p > 0 else _FLIP[v.rel_op]  # p·(x - root) op 0
    return {
        "<": sp.Interval.open(-sp.oo, root),
        "<=": sp.Interval(-sp.oo, root),
        ">": sp.Interval.open(root, sp.oo),
        ">=": sp.Interval(root, sp.oo),
        "==": sp.FiniteSet(root),
        "!=": sp.Union(sp.Interval.open(-sp.oo, root), sp.Interval.open(root, sp.oo)),
    }[op]
