"""Sets of values (``{1, 2}``, ``x = 1 or x = 2``), compared element by element."""

from __future__ import annotations

from typing import Any

from ..core import DNE, Verdict
from .context import _Ctx, _free_names, _run, _sympy
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
        ea = _solutions_of(a, b, ctx)
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


def _solutions_of(a: Any, b: Any, ctx: _Ctx) -> list[Any] | None:
    """The real solutions of an equation (or ``or`` of equations) in one letter that the
    expected set does not use (``t^2 = t`` for ``{0, 1}``), read as the answer's set with a
    note; None for anything else.  ``1 = t^2`` is the set {-1, 1}, not the value 1."""
    sp = _sympy()
    eqs = list(a.args) if isinstance(a, sp.Or) else [a]
    if not eqs or not all(isinstance(q, sp.Equality) for q in eqs):
        return None
    names = _free_names(a)
    if len(names) != 1 or names & _free_names(b):
        return None
    (name,) = names
    found = _run(
        "tutor.check.symbolic:real_solutions", ([q.lhs - q.rhs for q in eqs], name), ctx, "set"
    )
    if not isinstance(found, sp.FiniteSet) and found is not sp.S.EmptySet:
        return None
    ctx.notes = [*ctx.notes, f"the set of the solutions of your equation in {name}"]
    return list(found.args)


# the kinds this module serves: kind -> (how the answer is read, how it is compared)
KINDS = {
    "set": ("set", stage_set),
}
