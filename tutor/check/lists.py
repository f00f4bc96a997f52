"""Lists and points (a gradient, a vector), compared in order, with the vector mistakes."""

from __future__ import annotations

from typing import Any

from ..core import Verdict
from .context import _Ctx, _free_names, _right, _sympy
from .diagnosis import _unexpected, _vector_mistake
from .reading import _labels, key_labels
from .tolerance import _has_tolerance, _same_value


def stage_list(a: Any, b: Any, ctx: _Ctx) -> Verdict:
    """Lists and points: order matters, and so does the length."""
    sp = _sympy()
    from .values import elements

    asked = key_labels(b)
    if asked is not None:
        b = tuple(t.rhs for t in b)  # the expected values, named by its labels
    a, bad = _labels(a, ctx, sorted(_free_names(b)), order=asked)
    if bad is not None:
        return bad
    ea = elements(a) if not isinstance(a, sp.Tuple) else list(a)
    eb = elements(b) if not isinstance(b, sp.Tuple) else list(b)
    if eb is None:
        eb = [b]
    if ea is None:
        if isinstance(a, sp.Expr):
            ea = [a]
        else:
            return ctx.verdict(
                False, "wrong_kind", "The answer should be a list of values.", "kind"
            )
    if isinstance(a, sp.FiniteSet) and ctx.kind == "point":
        return ctx.verdict(
            False, "wrong_kind", "A point is written with round brackets, (x, y).", "kind"
        )
    if len(ea) != len(eb):
        return ctx.verdict(
            False,
            "wrong_length",
            f"Not correct: expected {len(eb)} value{'s' if len(eb) != 1 else ''}, you gave {len(ea)}.",
            "length",
        )
    u = _unexpected(tuple(ea), tuple(eb), ctx)
    if u is not None:
        return u
    names = sorted(_free_names(tuple(ea)) | _free_names(tuple(eb)))
    results = [_same_value(x, y, ctx, names) for x, y in zip(ea, eb)]
    if all(r is True for r in results):
        if _has_tolerance(ctx):
            return ctx.verdict(
                True, "within_tolerance", "Correct (within the tolerance).", "componentwise"
            )
        return _right(ctx, "componentwise")
    if any(r is None for r in results):
        return ctx.verdict(None, "undetermined", "I could not decide every value.", "componentwise")
    if ctx.kind == "list" and len(ea) > 1:
        if _permutation(ea, eb, ctx, names):
            return ctx.verdict(
                False, "wrong_order", "The right values, but in the wrong order.", "componentwise"
            )
    named = _vector_mistake(ea, eb, ctx)
    if named is not None:
        return named
    wrong = [i + 1 for i, r in enumerate(results) if r is False]
    what = "coordinate" if ctx.kind == "point" else "entry"
    return ctx.verdict(
        False,
        "not_equivalent",
        f"Not correct: {what} {', '.join(map(str, wrong))} {'is' if len(wrong) == 1 else 'are'} wrong.",
        "componentwise",
        wrong_positions=wrong,
    )


# the kinds this module serves: kind -> (how the answer is read, how it is compared)
KINDS = {
    "list": ("list", stage_list),
    "point": ("point", stage_list),
}


def _permutation(ea: list[Any], eb: list[Any], ctx: Any, names: list[str]) -> bool:
    """Whether ``ea`` is ``eb`` reordered, each value used as often as it occurs (so
    (3, 3, 0, 2) is not a reordering of (2, 3, 0, 2))."""
    left = list(eb)
    for x in ea:
        k = next((j for j, y in enumerate(left) if _same_value(x, y, ctx, names) is True), None)
        if k is None:
            return False
        left.pop(k)
    return True
