"""Expressions in words: the alternative text of every equation in a PDF or HTML page.

A screen reader cannot read typeset mathematics, so each equation carries a spoken form
(``x**2 + 3*x`` -> "x squared plus 3 x").  The printer follows sympy's ``Printer`` style:
one ``_print_<Class>`` method per kind of expression, with unknown kinds falling back to
sympy's string form so alternative text is never missing.
"""

from __future__ import annotations

import re
from typing import Any

import sympy
from sympy.printing.printer import Printer

from .mathtext import written_terms
from .typst import FUNCTIONS, GREEK

__all__ = ["speech", "SpeechPrinter"]

_GREEK = GREEK
_ORDINAL = {2: "second", 3: "third", 4: "fourth", 5: "fifth"}
_RELATION = {
    "==": "equals", "!=": "is not equal to", "<": "is less than", "<=": "is at most",
    ">": "is greater than", ">=": "is at least",
}  # fmt: skip
# the names of the functions, from the table the Typst printer reads
_FUNCTIONS = {name: words for name, (_, words) in FUNCTIONS.items()}


def _simple(expr: Any) -> bool:
    """A number or a single name: read "a over b" rather than "the fraction with ..."."""
    return bool(getattr(expr, "is_Atom", False))


class SpeechPrinter(Printer):
    """Print sympy objects as English words for screen readers."""

    printmethod = "_speech"

    def emptyPrinter(self, expr: Any) -> str:  # noqa: N802 - sympy's name
        if isinstance(expr, str):
            return expr
        if isinstance(expr, (list, tuple)):
            return self._print_Tuple(expr)
        return sympy.sstr(expr)

    def _group(self, expr: Any) -> str:
        """A compound operand, so "2 times the quantity x plus 1" stays unambiguous."""
        words = self._print(expr)
        if isinstance(expr, (sympy.Add, sympy.Mul)) and not _simple(expr):
            if isinstance(expr, sympy.Mul) and expr.could_extract_minus_sign():
                return f"the quantity {words}"
            if isinstance(expr, sympy.Add):
                return f"the quantity {words}"
        return words

    def _print_Substituted(self, expr: Any) -> str:
        return self._print(expr.value)

    def _print_Symbol(self, expr: Any) -> str:
        name = expr.name
        m = re.fullmatch(r"([A-Za-z]+)_?\{?([0-9A-Za-z]+)\}?", name)
        if m and (m.group(2).isdigit() or "_" in name):
            return f"{self._name(m.group(1))} sub {self._name(m.group(2))}"
        return self._name(name)

    _print_Dummy = _print_Symbol

    def _name(self, name: str) -> str:
        if name.lower() in _GREEK:
            return name.lower() if name[0].islower() else f"capital {name.lower()}"
        return name

    def _print_Integer(self, expr: Any) -> str:
        return f"minus {-int(expr)}" if expr < 0 else str(int(expr))

    def _print_Rational(self, expr: Any) -> str:
        sign = "minus " if expr < 0 else ""
        return f"{sign}{abs(expr.p)} over {expr.q}"

    def _print_Float(self, expr: Any) -> str:
        text = sympy.sstr(expr, full_prec=False)
        return f"minus {text[1:]}" if text.startswith("-") else text

    def _print_Exp1(self, expr: Any) -> str:
        return "e"

    def _print_Pi(self, expr: Any) -> str:
        return "pi"

    def _print_ImaginaryUnit(self, expr: Any) -> str:
        return "i"

    def _print_Infinity(self, expr: Any) -> str:
        return "infinity"

    def _print_NegativeInfinity(self, expr: Any) -> str:
        return "minus infinity"

    def _print_ComplexInfinity(self, expr: Any) -> str:
        return "complex infinity"

    def _print_NaN(self, expr: Any) -> str:
        return "undefined"

    def _print_BooleanTrue(self, expr: Any) -> str:
        return "true"

    def _print_BooleanFalse(self, expr: Any) -> str:
        return "false"

    def _print_Add(self, expr: Any) -> str:
        terms = written_terms(expr) or list(expr.as_ordered_terms())
        out = self._print(terms[0])
        for t in terms[1:]:
            if t.could_extract_minus_sign():
                out += f" minus {self._print(-t)}"
            else:
                out += f" plus {self._print(t)}"
        return out

    def _print_Mul(self, expr: Any) -> str:
        if expr.could_extract_minus_sign():
            return f"minus {self._print(-expr)}"
        num, den = sympy.fraction(expr, exact=True)
        if den != 1:
            return self._fraction(num, den)
        coeff, rest = expr.as_coeff_Mul()
        factors = list(sympy.Mul.make_args(rest))
        words = [self._group(f) for f in factors]
        if coeff != 1:
            words.insert(0, self._print(coeff))
        if len(words) == 2 and coeff.is_Number and _simple(factors[0]):
            return " ".join(words)  # 3 x
        return " times ".join(words)

    def _fraction(self, num: Any, den: Any) -> str:
        if _simple(num) and _simple(den):
            return f"{self._print(num)} over {self._print(den)}"
        return f"the fraction with numerator {self._print(num)} and denominator {self._print(den)}"

    def _print_Pow(self, expr: Any) -> str:
        base, e = expr.args
        if e == sympy.S.Half:
            end = "" if _simple(base) else ", end root"
            return f"the square root of {self._print(base)}{end}"
        if e == -sympy.S.Half:
            return self._fraction(sympy.S.One, sympy.sqrt(base))
        if e.is_Rational and e.p == 1 and e.q > 1:
            return f"the {_ORDINAL.get(e.q, f'{e.q}th')} root of {self._print(base)}"
        if e.is_Number and e < 0:
            return self._fraction(sympy.S.One, base**-e)
        if base is sympy.E:
            return f"e to the power {self._print(e)}"
        b = self._print(base) if _simple(base) else f"the quantity {self._print(base)},"
        if e == 2:
            return f"{b} squared"
        if e == 3:
            return f"{b} cubed"
        if _simple(e):
            return f"{b} to the power {self._print(e)}"
        return f"{b} to the power {self._print(e)}, end power"

    def _print_Function(self, expr: Any) -> str:
        name = type(expr).__name__
        if name == "Indicator":
            return self._print_Indicator(expr)
        args = ", ".join(self._print(a) for a in expr.args)
        return f"{_FUNCTIONS.get(name, self._name(name))} of {args}"

    def _print_exp(self, expr: Any) -> str:
        return f"e to the power {self._print(expr.args[0])}"

    def _print_log(self, expr: Any) -> str:
        if len(expr.args) == 2:
            return f"log base {self._print(expr.args[1])} of {self._print(expr.args[0])}"
        return f"the natural log of {self._print(expr.args[0])}"

    def _print_Abs(self, expr: Any) -> str:
        return f"the absolute value of {self._print(expr.args[0])}"

    def _print_factorial(self, expr: Any) -> str:
        return f"{self._group(expr.args[0])} factorial"

    def _print_Heaviside(self, expr: Any) -> str:
        return f"the Heaviside step of {self._print(expr.args[0])}"

    def _print_Derivative(self, expr: Any) -> str:
        out = self._print(expr.expr)
        for var, n in reversed(expr.variable_count):
            order = f"{_ORDINAL.get(int(n), f'{n}th')} " if n != 1 else ""
            out = f"the {order}derivative of {out} with respect to {self._print(var)}"
        return out

    def _print_Integral(self, expr: Any) -> str:
        out = self._print(expr.function)
        for lim in reversed(expr.limits):
            if len(lim) == 3:
                out = (
                    f"the integral from {self._print(lim[1])} to {self._print(lim[2])} "
                    f"of {out} d {self._print(lim[0])}"
                )
            else:
                out = f"the integral of {out} d {self._print(lim[0])}"
        return out

    def _print_Limit(self, expr: Any) -> str:
        e, z, z0, d = expr.args
        side = {"+": " from above", "-": " from below"}.get(str(d), "")
        if z0 in (sympy.oo, -sympy.oo):
            side = ""
        return f"the limit as {self._print(z)} tends to {self._print(z0)}{side} of {self._print(e)}"

    def _print_Sum(self, expr: Any) -> str:
        out = self._print(expr.function)
        for v, a, b in reversed(expr.limits):
            out = f"the sum for {self._print(v)} from {self._print(a)} to {self._print(b)} of {out}"
        return out

    def _print_Product(self, expr: Any) -> str:
        out = self._print(expr.function)
        for v, a, b in reversed(expr.limits):
            out = f"the product for {self._print(v)} from {self._print(a)} to {self._print(b)} of {out}"
        return out

    def _print_Subs(self, expr: Any) -> str:
        pairs = ", ".join(
            f"{self._print(v)} equals {self._print(p)}" for v, p in zip(expr.variables, expr.point)
        )
        return f"{self._print(expr.expr)} evaluated at {pairs}"

    def _print_Piecewise(self, expr: Any) -> str:
        parts = []
        for e, c in expr.args:
            cond = "otherwise" if c is sympy.true else f"if {self._print(c)}"
            parts.append(f"{self._print(e)} {cond}")
        return "piecewise: " + "; ".join(parts) + "; end piecewise"

    def _print_Indicator(self, expr: Any) -> str:
        return f"the indicator of {self._print(expr.args[0])}"

    def _print_Relational(self, expr: Any) -> str:
        rel = _RELATION.get(expr.rel_op, expr.rel_op)
        return f"{self._print(expr.lhs)} {rel} {self._print(expr.rhs)}"

    def _print_And(self, expr: Any) -> str:
        return " and ".join(self._print(a) for a in expr.args)

    def _print_Or(self, expr: Any) -> str:
        return " or ".join(self._print(a) for a in expr.args)

    def _print_Not(self, expr: Any) -> str:
        return f"not {self._print(expr.args[0])}"

    def _print_Tuple(self, expr: Any) -> str:
        return "the tuple " + ", ".join(self._print(a) for a in expr)

    def _print_MatrixBase(self, expr: Any) -> str:
        rows, cols = expr.shape
        if cols == 1 or rows == 1:
            entries = ", ".join(self._print(v) for v in expr)
            kind = "column" if cols == 1 else "row"
            return f"the {kind} vector {entries}"
        body = "; ".join(
            f"row {i + 1}: " + ", ".join(self._print(v) for v in expr.row(i)) for i in range(rows)
        )
        return f"the {rows} by {cols} matrix with {body}"

    def _print_Interval(self, expr: Any) -> str:
        lo = "open" if expr.left_open else "closed"
        hi = "open" if expr.right_open else "closed"
        return (
            f"the interval from {self._print(expr.start)} to {self._print(expr.end)}, "
            f"{lo} at the left and {hi} at the right"
        )

    def _print_FiniteSet(self, expr: Any) -> str:
        return "the set " + ", ".join(self._print(a) for a in sympy.ordered(expr.args))

    def _print_EmptySet(self, expr: Any) -> str:
        return "the empty set"

    def _print_Reals(self, expr: Any) -> str:
        return "the real numbers"

    def _print_Union(self, expr: Any) -> str:
        return " union ".join(self._print(a) for a in expr.args)


def speech(expr: Any) -> str:
    """``expr`` in words, for alternative text; never raises on an expression it can hold."""
    from ..core import DNE

    if expr is DNE:
        return "does not exist"
    if isinstance(expr, str):
        return expr
    try:
        if isinstance(expr, bool):
            expr = sympy.true if expr else sympy.false
        elif isinstance(expr, int):
            expr = sympy.Integer(expr)
        elif isinstance(expr, float):
            expr = sympy.Float(expr)
        words = SpeechPrinter().doprint(expr)
    except Exception:  # an odd object: its plain string form is still better than nothing
        words = sympy.sstr(expr)
    return re.sub(r"\s+", " ", words).strip()
