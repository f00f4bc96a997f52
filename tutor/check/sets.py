"""Sets of values (``{1, 2}``, ``x = 1 or x = 2``), compared element by element."""

from __future__ import annotations

from typing import Any

from ..core import DNE, Verdict
from .context import _Ctx, _free_names, _sympy
from .diagnosis import _unexpected
from .matching import _match_sets
from .reading import _labels


def stage_set(a: Any, b: Any, ctx: _Ctx) -> Verdict:
    """Sets: order and repeats do not matter."""
    from .values import elements

    a, bad = _labels(a, ctx, sorted(_free_names(b)))
    if bad is not None:
        return bad
    ea, eb = elements(a), elements(b)
    if eb is None:
        eb = [b]
    if ea is None:
        if a is DNE or isinstance(a, _sympy().Expr):
            ea = [a]
        else:
            return ctx.verdict(False, "wrong_kind", "The answer should be a set of values.", "kind")
    u = _unexpected(tuple(ea), tuple(eb), ctx)
    if u is not None:
        return u
    names = sorted(_free_names(tuple(ea)) | _free_names(tuple(eb)))
    return _match_sets(ea, eb, ctx, "set", names=names)


# the kinds this module serves: kind -> (how the answer is read, how it is compared)
KINDS = {
    "set": ("set", stage_set),
}
