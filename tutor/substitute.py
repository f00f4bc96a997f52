"""A substitution written out before it is worked out: ``f(3) = 3² + 3·3 + 2``.

``written(expr, var, value)`` is ``expr`` with ``var`` replaced by a ``Substituted``
atom, so the terms keep the order and shape the student saw in f, and no arithmetic is
done.  Every printer prints the atom as its number, bracketed when negative or a
fraction (``5(−2)²``, ``3 − (−2)``); ``doit`` gives the value.
"""

from __future__ import annotations

from typing import Any

import sympy

from .core import as_sympy


class WrittenSum(sympy.Add):
    """A sum a board writes in the order of its terms (a brief chain's line, where each
    term sits under the term it came from; x + h in f(x + h)); every printer reads
    ``tutor.render.mathtext.written_terms``."""


class Substituted(sympy.Symbol):
    """A number put in place of a variable and not yet worked into the expression."""

    value: Any

    def __new__(cls, value: Any) -> Substituted:
        value = as_sympy(value)  # a number from an engine; text is refused
        obj = super().__new__(cls, f"[{value}]")
        obj.value = value
        return obj

    def __getnewargs_ex__(self) -> tuple[tuple[Any, ...], dict[str, Any]]:
        return (self.value,), {}

    @property
    def bracketed(self) -> bool:
        """True when the number needs brackets in a product, power or difference."""
        v = self.value
        return bool(v.is_negative) or (v.is_Rational and v.q != 1)

    def doit(self, **hints: Any) -> Any:
        return self.value


def written(expr: Any, var: Any, value: Any) -> Any:
    """``expr`` with ``value`` written in place of ``var``, unevaluated (see module)."""
    return expr.xreplace({var: Substituted(value)})


def put_in_place(f: Any, x: Any, inner: Any) -> Any:
    """``f`` with ``inner`` put in place of ``x``, every node rebuilt unevaluated, so that
    3(x + h) or 3(x² + 1) is not multiplied out before the board has written it."""

    def put(e: Any) -> Any:
        if e == x:
            return inner
        if not e.args or x not in e.free_symbols:
            return e
        args = [put(a) for a in e.args]
        try:
            return e.func(*args, evaluate=False)
        except TypeError:
            return e.func(*args)

    return put(f)


def worked(expr: Any) -> Any:
    """The value of a written substitution (its atoms replaced by their numbers)."""
    return expr.xreplace({a: a.value for a in expr.atoms(Substituted)})


def lead_unbracketed(printer: Any, expr: Any, out: str) -> str:
    """``out`` (a printed sum) without the brackets round a number that leads the sum:
    ``−2 + 4``, not ``(−2) + 4``; brackets stay wherever the number follows a sign."""
    terms = printer._as_ordered_terms(expr)
    first = terms[0] if terms else None
    if isinstance(first, Substituted) and first.bracketed:
        shown, inner = printer._print(first), printer._print(first.value)
        if out.startswith(shown):
            return inner + out[len(shown) :]
    return out
