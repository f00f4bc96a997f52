"""MathML for HTML pages: sympy's LaTeX printer, converted by ``latex2mathml``.

sympy's own presentation-MathML printer drops brackets (``(x + 1)^2`` loses them) and can
emit malformed XML, so it is not used.  Every result is parsed back as XML before it is
returned; anything that cannot be converted falls back to upright text, so a page never
breaks on one odd expression.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from typing import Any

__all__ = ["mathml", "MATHML_NS"]

MATHML_NS = "http://www.w3.org/1998/Math/MathML"


def _latex(expr: Any) -> str:
    import sympy

    from ..core import DNE
    from ..substitute import Substituted

    if expr is DNE:
        return r"\text{does not exist}"
    if isinstance(expr, str):  # LaTeX already written
        return expr
    if isinstance(expr, sympy.Basic) and (
        expr.atoms(Substituted) or expr.atoms(sympy.And, sympy.Or)
    ):
        from .latex import tex

        # a written substitution (f(−2) = 5(−2)² + …, brackets kept) or conditions joined
        # by "and" (sympy writes ∧)
        return tex(expr)
    return sympy.latex(expr, ln_notation=True)


def _fallback(expr: Any, display: str) -> str:
    import sympy

    text = html.escape(sympy.sstr(expr), quote=False)
    return f'<math xmlns="{MATHML_NS}" display="{display}"><mtext>{text}</mtext></math>'


def _well_formed(markup: str) -> bool:
    try:
        root = ET.fromstring(markup)
    except ET.ParseError:
        return False
    return root.tag == f"{{{MATHML_NS}}}math"


def mathml(expr: Any, *, display: str = "inline") -> str:
    """``expr`` as a ``<math>`` element (``display`` is ``"inline"`` or ``"block"``).

    A ``str`` is taken as LaTeX already written (for values sympy does not print itself).
    The markup is checked to be well-formed XML; when conversion fails the expression is
    shown as plain text inside ``<mtext>`` rather than raising.
    """
    from latex2mathml.converter import convert

    if display not in ("inline", "block"):
        raise ValueError(f"display must be 'inline' or 'block', not {display!r}")
    try:
        markup = convert(_latex(expr), display=display)
    except Exception:  # latex2mathml raises many kinds of errors on input it cannot take
        return _fallback(expr, display)
    if not _well_formed(markup):
        return _fallback(expr, display)
    return markup
