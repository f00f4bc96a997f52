"""Shared helpers of the ml engines: reading inputs exactly, variables, fast numeric versions."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import sympy
from sympy.printing.precedence import PRECEDENCE

from .. import inputs
from ..core import as_sympy

_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,4})?$")
_FRACTION = re.compile(r"^[+-]?\d+/[+-]?\d+$")


def to_expr(expr: Any, variables: Sequence[Any] | None = None) -> sympy.Expr:
    """A sympy expression from a sympy object or from text (through ``tutor.parse``)."""
    if isinstance(expr, str):
        from ..parse import parse

        names = inputs.names(variables, "variables")
        return parse(expr, variables=names) if names else parse(expr)
    if isinstance(expr, (int, float, Fraction)):
        return to_number(expr)
    return as_sympy(expr)  # sympy objects only: strings were handled above


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
    return _numeric(tuple(exprs), tuple(variables))


@functools.lru_cache(maxsize=256)  # lambdify prints and compiles: ~20 ms, asked again and again
def _numeric(exprs: tuple[sympy.Expr, ...], variables: tuple[sympy.Symbol, ...]) -> Any:
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


def dec(value: Any, digits: int = 6) -> Any:
    """A float as a decimal for the board (``digits`` significant figures): a sympy Float, so
    that every format writes 1.4 · 10⁹ rather than 1.4e+09; nan and ±inf stay floats."""
    v = float(value)
    if not math.isfinite(v):
        return v
    text = f"{v:.{digits}g}"
    r = float(text)
    if r == int(r) and abs(r) < 10**digits:
        return sympy.Integer(int(r))  # a whole number is written 8, not 8.0
    # held with at least 6 digits so that no binary noise shows when printed
    return sympy.Float(text, max(digits, 6))


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


# --------------------------------------------------------------------------- board notation


class Notation(sympy.Symbol):
    """A name written as a teacher writes it, in each format: x_{k+1}, f'(x_k), ∇f(x_k), ŷ.

    ``name`` is the plain spelling (``str``, JSON); ``text``, ``latex`` and ``typst`` are what
    the terminal, LaTeX (and MathML) and Typst renderers print; ``key`` is the name it sorts
    by in a product (``"a"`` puts η before L: ηL, as written by hand).
    """

    _forms: dict[str, str]

    def __new__(
        cls,
        name: str,
        *,
        text: str | None = None,
        latex: str | None = None,
        typst: str | None = None,
        key: str | None = None,
    ) -> Notation:
        obj = super().__new__(cls, name)
        obj._forms = {
            "text": text or name,
            "latex": latex or name,
            "typst": typst or name,
            "key": key or name,
        }
        return obj

    @classmethod
    def class_key(cls) -> tuple[int, int, str]:
        return sympy.Symbol.class_key()  # sort among symbols by name, as a Symbol would

    def sort_key(self, order: Any = None) -> Any:
        return self.class_key(), (1, (self._forms["key"],)), sympy.S.One.sort_key(), sympy.S.One

    def _sympystr(self, printer: Any) -> str:
        return self.name

    def _mathtext(self, printer: Any) -> str:
        return self.name if getattr(printer, "ascii", False) else self._forms["text"]

    def _latex(self, printer: Any) -> str:
        return self._forms["latex"]

    def _typst(self, printer: Any) -> str:
        return self._forms["typst"]


class Ordered(sympy.Expr):
    """A sum printed in the order its terms are given (x_k − η·f'(x_k)), as on the board;
    sympy's printers would sort the terms."""

    precedence = PRECEDENCE["Add"]
    is_commutative = True

    def __new__(cls, *args: Any) -> Any:
        return sympy.Expr.__new__(cls, *(as_sympy(a) for a in args))

    def _join(self, printer: Any, left: str, right: str, minus: str) -> str:
        out = []
        for i, t in enumerate(self.args):
            neg = t.could_extract_minus_sign()
            body = -t if neg else t
            s = printer._print(body)
            if neg and (body.is_Add or isinstance(body, Ordered)):
                s = f"{left}{s}{right}"
            if i == 0:
                out.append(("-" if neg else "") + s)
            else:
                out.append((f" {minus} " if neg else " + ") + s)
        return "".join(out)

    def _sympystr(self, printer: Any) -> str:
        return self._join(printer, "(", ")", "-")

    def _mathtext(self, printer: Any) -> str:
        return self._join(printer, "(", ")", "-")

    def _latex(self, printer: Any) -> str:
        return self._join(printer, r"\left(", r"\right)", "-")

    def _typst(self, printer: Any) -> str:
        return self._join(printer, "(", ")", "-")


class Chain(sympy.Expr):
    """A product printed in the order its factors are given (∂L/∂n₂·∂n₂/∂w, the chain rule
    read from the output back); sympy's printers would sort the factors."""

    precedence = PRECEDENCE["Mul"]
    is_commutative = True

    def __new__(cls, *args: Any) -> Any:
        return sympy.Expr.__new__(cls, *(as_sympy(a) for a in args))

    def _join(self, printer: Any, left: str, right: str, dot: str) -> str:
        parts = []
        for a in self.args:
            s = printer._print(a)
            if a.is_Add or isinstance(a, Ordered):
                s = f"{left}{s}{right}"
            parts.append(s)
        return dot.join(parts)

    def _sympystr(self, printer: Any) -> str:
        return self._join(printer, "(", ")", "*")

    def _mathtext(self, printer: Any) -> str:
        return self._join(printer, "(", ")", "*" if getattr(printer, "ascii", False) else "·")

    def _latex(self, printer: Any) -> str:
        return self._join(printer, r"\left(", r"\right)", r" \cdot ")

    def _typst(self, printer: Any) -> str:
        return self._join(printer, "(", ")", " dot ")


class Partial(sympy.Expr):
    """The partial derivative ∂top/∂bottom as a name on the board (a local derivative on an
    edge, ∂L/∂w), not a derivative to evaluate; written with a slash, as in a sentence."""

    precedence = PRECEDENCE["Mul"]
    is_commutative = True

    def __new__(cls, *args: Any) -> Any:
        return sympy.Expr.__new__(cls, *(as_sympy(a) for a in args))

    def _sympystr(self, printer: Any) -> str:
        return f"d{printer._print(self.args[0])}/d{printer._print(self.args[1])}"

    def _mathtext(self, printer: Any) -> str:
        top, bottom = (printer._print(a) for a in self.args)
        return f"d{top}/d{bottom}" if getattr(printer, "ascii", False) else f"∂{top}/∂{bottom}"

    def _latex(self, printer: Any) -> str:
        top, bottom = (printer._print(a) for a in self.args)
        return rf"\partial {top} / \partial {bottom}"

    def _typst(self, printer: Any) -> str:
        top, bottom = (printer._print(a) for a in self.args)
        return f"partial {top} \\/ partial {bottom}"


class Slope(Partial):
    """The derivative dtop/dbottom of a function of one variable, as a name on the board."""

    def _sympystr(self, printer: Any) -> str:
        return f"d{printer._print(self.args[0])}/d{printer._print(self.args[1])}"

    def _mathtext(self, printer: Any) -> str:
        top, bottom = (printer._print(a) for a in self.args)
        return f"d{top}/d{bottom}"

    def _latex(self, printer: Any) -> str:
        top, bottom = (printer._print(a) for a in self.args)
        return rf"d{top} / d{bottom}"

    def _typst(self, printer: Any) -> str:
        top, bottom = (printer._print(a) for a in self.args)
        return f"dif {top} \\/ dif {bottom}"


# the sigmoid's slope, σ'(z)
SIGMA_PRIME = Notation("sigma'(z)", text="σ'(z)", latex=r"\sigma'(z)", typst="sigma'(z)")


def listing(items: Sequence[Any], key: str) -> tuple[str, dict[str, Any]]:
    """``"{key0}, {key1} and {key2}"`` with its data: several maths objects named in a
    sentence, each typeset on its own (a list would be one object)."""
    keys = [f"{key}{i}" for i in range(len(items))]
    marks = ["{" + k + "}" for k in keys]
    if not marks:
        return "", {}
    text = marks[0] if len(marks) == 1 else ", ".join(marks[:-1]) + " and " + marks[-1]
    return text, dict(zip(keys, items))


class _Relation(sympy.Expr):
    """``lhs op rhs`` for relations sympy has no class for (assignment, approximately)."""

    _forms = {"text": "?", "ascii": "?", "latex": "?", "typst": "?"}
    is_commutative = True

    def __new__(cls, lhs: Any, rhs: Any) -> Any:
        return sympy.Expr.__new__(cls, as_sympy(lhs), as_sympy(rhs))

    def _sympystr(self, printer: Any) -> str:
        lhs, rhs = (printer._print(a) for a in self.args)
        return f"{lhs} {self._forms['ascii']} {rhs}"

    def _mathtext(self, printer: Any) -> str:
        lhs, rhs = (printer._print(a) for a in self.args)
        op = self._forms["ascii" if getattr(printer, "ascii", False) else "text"]
        return f"{lhs} {op} {rhs}"

    def _latex(self, printer: Any) -> str:
        lhs, rhs = (printer._print(a) for a in self.args)
        return f"{lhs} {self._forms['latex']} {rhs}"

    def _typst(self, printer: Any) -> str:
        lhs, rhs = (printer._print(a) for a in self.args)
        return f"{lhs} {self._forms['typst']} {rhs}"


class Assign(_Relation):
    """``w ← w − η·∂L/∂w``: the update a training loop performs."""

    _forms = {"text": "←", "ascii": "<-", "latex": r"\leftarrow", "typst": "<-"}


class Approx(_Relation):
    """``lhs ≈ rhs``."""

    _forms = {"text": "≈", "ascii": "~", "latex": r"\approx", "typst": "approx"}


class Sigma(sympy.Sum):
    """A sum Σ over examples; in the terminal written Σ_i (...) rather than Sum(..., (i, 1, n))."""

    def _mathtext(self, printer: Any) -> str:
        body = printer._print(self.function)
        if self.function.is_Add or isinstance(self.function, Ordered):
            body = f"({body})"
        idx = ",".join(printer._print(lim[0]) for lim in self.limits)
        return ("sum_" if getattr(printer, "ascii", False) else "Σ_") + f"{idx} {body}"


# η sorts first in a product (ηL, η·f'(x_k)), as written by hand
ETA = Notation("eta", text="η", latex=r"\eta", typst="eta", key="\x00eta")


def eq(lhs: Any, *rhs: Any) -> sympy.Eq:
    """``lhs = rhs[0] = rhs[1] = ...`` unevaluated (a chain of equal forms on the board)."""
    out = sympy.Eq(lhs, rhs[0], evaluate=False)
    for r in rhs[1:]:
        out = sympy.Eq(out, r, evaluate=False)
    return out
