"""Reading answers and comparing values of every kind (numbers, sets, lists, points, ...)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import sympy

from ..core import DNE
from .equiv import Outcome, compare, plain

__all__ = ["Read", "Unreadable", "to_value", "compare_values", "has_decimal", "elements"]


@dataclass
class Read:
    """A parsed answer: the value, the reader's notes, the text it came from."""

    value: Any
    notes: list[str] = field(default_factory=list)
    text: str = ""


class Unreadable(Exception):
    """The text could not be parsed; carries the parser's error."""

    def __init__(self, error: Any) -> None:
        super().__init__(str(error))
        self.error = error


def to_value(v: Any) -> Any:
    """Python values (int, float, list, set, tuple) as the sympy values the checker compares."""
    if v is DNE or isinstance(v, sympy.Basic):
        return v
    if isinstance(v, bool):
        return sympy.Integer(int(v))
    if isinstance(v, int):
        return sympy.Integer(v)
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return {float("inf"): sympy.oo, float("-inf"): -sympy.oo}.get(v, sympy.nan)
        # a float from a program is a computed value: compared to its precision, not exactly
        return sympy.Float(v)
    if isinstance(v, (set, frozenset)):
        return sympy.FiniteSet(*[to_value(x) for x in v])
    if isinstance(v, list):
        return tuple(to_value(x) for x in v)
    if isinstance(v, tuple):
        return tuple(to_value(x) for x in v)
    if isinstance(v, Fraction):
        return sympy.Rational(v.numerator, v.denominator)
    raise TypeError(f"cannot compare a value of type {type(v).__name__}")


def read(text: str, variables: Any, kind: str) -> Read:
    """Parse ``text`` with ``tutor.parse``; raise Unreadable with the parser's error."""
    from ..parse import ParseError

    try:
        from ..parse import parse_answer
    except ImportError:  # an early parser without parse_answer
        parse_answer = None
    try:
        if parse_answer is not None:
            expect = kind if kind in ("interval", "set", "list", "point") else None
            if kind == "inequality":
                expect = "interval"  # (-793, 10) for -793 < a < 10 is the open interval
            p = parse_answer(text, variables=variables, expect=expect)
            return Read(p.value, [str(n) for n in (getattr(p, "notes", None) or ())], text)
        from ..parse import parse

        return Read(parse(text, variables=variables), [], text)
    except ParseError as exc:
        raise Unreadable(exc) from None


_DECIMAL = re.compile(r"\d\.\d|\.\d|\d\.(?!\.)")


def has_decimal(text: str) -> bool:
    """True when the text contains a decimal number such as 0.33."""
    return bool(_DECIMAL.search(text or ""))


def is_special(v: Any) -> bool:
    """DNE, oo, -oo, zoo or nan: values compared by identity."""
    # structural on purpose: an assumption query on a messy constant can run for minutes
    return v is DNE or any(
        v is s for s in (sympy.oo, sympy.S.NegativeInfinity, sympy.zoo, sympy.nan)
    )


def elements(v: Any) -> list[Any] | None:
    """The items of a set-like answer (FiniteSet, tuple, ``x = 1 or x = -1``), else None."""
    if isinstance(v, (tuple, list)):
        return list(v)
    if isinstance(v, sympy.FiniteSet):
        return list(v.args)
    if v is sympy.S.EmptySet:
        return []
    if isinstance(v, sympy.Or) and all(isinstance(a, sympy.Eq) for a in v.args):
        vals = [_value_of(a) for a in v.args]
        return None if any(x is None for x in vals) else vals
    if isinstance(v, sympy.Eq):
        x = _value_of(v)
        return None if x is None else [x]
    return None


def _value_of(eq: Any) -> Any:
    """The value in ``x = 3`` or ``3 = x`` (one side a bare name, the other without it);
    None for a relation such as ``1 = t^2``, which is an equation, not a value."""
    for name, val in ((eq.lhs, eq.rhs), (eq.rhs, eq.lhs)):
        if name.is_Symbol and name not in getattr(val, "free_symbols", set()):
            return val
    return None


def compare_values(
    a: Any, b: Any, *, names: list[str] | None, deadline: Any, domain: str
) -> Outcome:
    """Compare two values of any shape: numbers and expressions, points, DNE and infinities."""
    if is_special(a) or is_special(b):
        same = a is b or (a is not DNE and b is not DNE and a == b)
        return Outcome(same, "equivalent" if same else "not_equivalent", "structural")
    ta = isinstance(a, (tuple, sympy.Tuple))
    tb = isinstance(b, (tuple, sympy.Tuple))
    if ta or tb:
        if not (ta and tb) or len(a) != len(b):
            return Outcome(False, "wrong_kind", "structural")
        decided: bool | None = True
        for x, y in zip(a, b):
            o = compare_values(x, y, names=names, deadline=deadline, domain=domain)
            if o.equal is False:
                return Outcome(False, "not_equivalent", o.stage)
            if o.equal is None:
                decided = None
        return Outcome(decided, "equivalent" if decided else "undetermined", "componentwise")
    if not isinstance(a, sympy.Expr) or not isinstance(b, sympy.Expr):
        same = plain(a) == plain(b)
        return Outcome(
            same if same else None, "equivalent" if same else "undetermined", "structural"
        )
    if b.has(sympy.Float):
        if not a.free_symbols and not b.free_symbols:
            return _float_close(a, b)
        b = exact_decimals(b)
    return compare(a, b, names=names, deadline=deadline, domain=domain)


FLOAT_RTOL = 1e-9


def float_rtol(b: Any) -> float:
    """The relative tolerance for a floating-point expected value: 1e-9 (room for the
    rounding of a numeric engine), or half a unit in the last digit a Float carries when
    that is coarser (``Float("0.12", 2)``)."""
    import mpmath

    digits = min((mpmath.libmp.prec_to_dps(f._prec) for f in b.atoms(sympy.Float)), default=15)
    return max(FLOAT_RTOL, 0.5 * 10.0 ** (1 - digits))


def exact_decimals(e: Any) -> Any:
    """``e`` with each Float replaced by the exact decimal it prints as (0.1234 -> 617/5000)."""
    rep = {}
    for f in e.atoms(sympy.Float):
        if f.is_finite:
            rep[f] = sympy.Rational(sympy.sstr(f, full_prec=False))
    return e.xreplace(rep) if rep else e


def _float_close(a: Any, b: Any) -> Outcome:
    """A computed (floating-point) expected number: equal within its precision (float_rtol)."""
    from .numeric import evaluate

    try:
        va, _ = evaluate(a, {}, 30)
        vb, _ = evaluate(b, {}, 30)
    except Exception:
        return Outcome(None, "undetermined", "float")
    same = bool(abs(va - vb) <= float_rtol(b) * max(abs(vb), 1e-300))
    return Outcome(same, "equivalent" if same else "not_equivalent", "float")
