"""Shared helpers of the ml engines: reading inputs exactly, variables, fast numeric versions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import sympy

_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,4})?$")
_FRACTION = re.compile(r"^[+-]?\d+/[+-]?\d+$")


def to_expr(expr: Any, variables: Sequence[Any] | None = None) -> sympy.Expr:
    """A sympy expression from a sympy object or from text (through ``tutor.parse``)."""
    if isinstance(expr, str):
        from ..parse import parse

        names = None if variables is None else [str(v) for v in variables]
        return parse(expr, variables=names) if names else parse(expr)
    if isinstance(expr, (int, float, Fraction)):
        return to_number(expr)
    return sympy.sympify(expr)  # sympy objects only: strings were handled above


def to_number(value: Any) -> sympy.Expr:
    """An exact sympy number from ``2``, ``"0.1"``, ``"1/3"`` or a Fraction; a Float from a float.

    Decimal text is read exactly (``"0.1"`` is 1/10), because a learning rate typed as 0.1
    means one tenth; other text goes through ``tutor.parse`` and must be a number.
    """
    if isinstance(value, bool):
        raise TypeError("expected a number, got a bool")
    if isinstance(value, sympy.Basic):
        if not value.is_number:
            raise ValueError(f"expected a number, got {value}")
        return value
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, float):
        return sympy.Float(value)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return to_number(value.item())
    if isinstance(value, str):
        text = value.strip()
        if _DECIMAL.match(text) or _FRACTION.match(text):
            frac = Fraction(text)
            return sympy.Rational(frac.numerator, frac.denominator)
        from ..parse import parse

        out = parse(text)
        if not out.is_number:
            raise ValueError(f"expected a number, got {value!r}")
        return out
    raise TypeError(f"expected a number, got {type(value).__name__}")


def is_exact(value: Any) -> bool:
    """True when a sympy object contains no floating-point number."""
    return not any(isinstance(a, sympy.Float) for a in sympy.preorder_traversal(value))


def variables_of(
    expr: sympy.Expr, variables: Sequence[Any] | None = None
) -> tuple[sympy.Symbol, ...]:
    """The variables in the given order, or the free symbols sorted by name."""
    if variables is None:
        return tuple(sorted(expr.free_symbols, key=lambda s: s.name))
    if isinstance(variables, (str, sympy.Symbol)):
        variables = [variables]
    return tuple(v if isinstance(v, sympy.Symbol) else sympy.Symbol(str(v)) for v in variables)


def elementary(expr: Any) -> Any:
    """``expr`` with sigmoid, softplus and relu written in exp, log and Max."""
    from ..functions import elementary as _elementary

    return _elementary(expr)


def numeric(exprs: Sequence[sympy.Expr], variables: Sequence[sympy.Symbol]) -> Any:
    """A fast float function of the variables returning the list of ``exprs``' values."""
    import numpy as np

    # DiracDelta (the second derivative of relu or |x|) is 0 wherever it can be evaluated
    flat = [elementary(e).replace(sympy.DiracDelta, lambda *a: sympy.S.Zero) for e in exprs]
    fn = sympy.lambdify(list(variables), flat, modules="numpy")

    def call(*args: float) -> list[float]:
        with np.errstate(all="ignore"):
            try:
                out = fn(*args)
            except (OverflowError, ZeroDivisionError, ValueError):
                return [float("nan")] * len(exprs)
        return [float(v) for v in out]

    return call


def sig(value: float, digits: int = 6) -> float:
    """A float rounded to ``digits`` significant figures, for tables a person reads."""
    if value != value or value in (float("inf"), float("-inf")) or value == 0:
        return value
    return float(f"{value:.{digits}g}")


def _displayable(v: Any) -> bool:
    if v is None or isinstance(v, bool):
        return False
    if isinstance(v, (int, float, sympy.Basic, sympy.MatrixBase)):
        return True
    if isinstance(v, (list, tuple)):
        return all(_displayable(c) for c in v)
    if isinstance(v, dict):
        return all(_displayable(c) for c in v.values())
    return False


def board(steps: Sequence[Any]) -> list[Any]:
    """Steps with ``data["show"]`` set for the renderers: a step's table when it has one, else
    its maths (``before → after`` when both read as maths), never plain data such as a graph."""
    from ..core import Step

    out = []
    for s in steps:
        subs = board(s.substeps)
        data = dict(s.data)
        if "show" not in data:
            if "table" in data:
                data["show"] = [data["table"]]
            elif not (_displayable(s.before) and _displayable(s.after)):
                data["show"] = [v for v in (s.before, s.after) if _displayable(v)][-1:]
        out.append(Step(s.rule, s.before, s.after, s.explanation, tuple(subs), data))
    return out
