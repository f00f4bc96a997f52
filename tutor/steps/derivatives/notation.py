"""Derivative notation the board uses: ∂/∂x for partial derivatives, dy/dx for the unknown
derivative of implicit differentiation, d/dx for total derivatives of several letters.

Both are ``sympy.Derivative`` (they evaluate, substitute and compare like one); they only
carry how they are written, because which symbol a derivative takes depends on the task
(a partial holds the other variables constant even where none appears), which the expression
alone does not tell a printer.
"""

from __future__ import annotations

from typing import Any

from sympy import Derivative

__all__ = ["Partial", "Total"]


def _parts(expr: Any, printer: Any) -> tuple[str, str, int]:
    (v, n), *_ = expr.variable_count
    return printer._print(expr.expr), printer._print(v), n


class Partial(Derivative):
    """∂f/∂x: a partial derivative (the other variables held constant)."""

    _d = ("∂", r"\partial", "partial")

    def _mathtext(self, printer: Any) -> str:
        body, v, n = _parts(self, printer)
        d = "d" if getattr(printer, "ascii", False) else self._d[0]
        power = f"^{n}" if n > 1 else ""
        top = d + power
        if self.expr.is_Symbol:
            return f"{d}{power}{body}/{d}{v}{power}"
        return f"{top}/{d}{v}{power} [{body}]"

    def _sympystr(self, printer: Any) -> str:
        body, v, n = _parts(self, printer)
        return (
            f"{self._d[0]}/{self._d[0]}{v} [{body}]"
            if n == 1
            else f"Derivative({body}, ({v}, {n}))"
        )

    def _latex(self, printer: Any) -> str:
        body, v, n = _parts(self, printer)
        d = self._d[1]
        top, bottom = (d, f"{d} {v}") if n == 1 else (f"{d}^{{{n}}}", f"{d} {v}^{{{n}}}")
        if self.expr.is_Symbol:
            return rf"\frac{{{top} {body}}}{{{bottom}}}"
        return rf"\frac{{{top}}}{{{bottom}}} \left[ {body} \right]"

    def _typst(self, printer: Any) -> str:
        body, v, n = _parts(self, printer)
        d = self._d[2]
        top, bottom = (d, f"{d} {v}") if n == 1 else (f"{d}^{n}", f"{d} {v}^{n}")
        if self.expr.is_Symbol:
            return f"frac({top} {body}, {bottom})"
        return f"frac({top}, {bottom}) ({body})"


class Total(Partial):
    """dy/dx: an ordinary (total) derivative, written with d even when other letters appear."""

    _d = ("d", "d", "dif")
