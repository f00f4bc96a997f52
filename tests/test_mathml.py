"""MathML for HTML: every expression of the printer table gives well-formed MathML that keeps
its brackets, and nothing raises."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import sympy
from sympy import Interval, Rational, Symbol, exp, oo, sqrt
from test_typst_printer import CASES

from tutor.core import DNE
from tutor.render.mathml import MATHML_NS, mathml

x, y = sympy.symbols("x y")
M = f"{{{MATHML_NS}}}"


def _text(markup: str) -> str:
    """All the characters of the MathML, in order (what a reader sees, roughly)."""
    return "".join(ET.fromstring(markup).itertext())


@pytest.mark.parametrize("i", range(len(CASES)))
def test_table_is_well_formed(i: int) -> None:
    markup = mathml(CASES[i])
    root = ET.fromstring(markup)
    assert root.tag == M + "math"
    assert root.get("display") == "inline"
    assert root.find(M + "mtext") is None, markup  # converted, not the text fallback


@pytest.mark.parametrize(
    "expr, chars",
    [
        ((x + 1) ** 2, "(x+1)2"),
        ((x + 1) ** (y + 1), "(x+1)y+1"),
        (exp(-(x**2)), "e−x2"),
        (sympy.sin(x + 1), "sin(x+1)"),
        (-(x - 1) * (x + 2), "(1−x)(x+2)"),
        (Interval.Ropen(0, 1), "[0,1)"),
        (Interval.Lopen(-oo, 3), "(−∞,3]"),
        (sympy.FiniteSet(1, 2), "{1,2}"),
        (sympy.Matrix([1, 2]), "[12]"),
        (sympy.Abs(x - 1), "|x−1|"),
        (Symbol("w_0"), "w0"),
        (Rational(1, 2) * sqrt(x), "x2"),
    ],
)
def test_brackets_survive(expr: object, chars: str) -> None:
    assert chars in _text(mathml(expr)).replace(" ", "")


def test_block_display_and_bad_option() -> None:
    assert ET.fromstring(mathml(x, display="block")).get("display") == "block"
    with pytest.raises(ValueError):
        mathml(x, display="wide")


def test_dne_and_text() -> None:
    assert "does" in _text(mathml(DNE))
    assert "otherwise" in _text(mathml(sympy.Piecewise((x, x > 0), (0, True))))


def test_fallback_is_text_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """When latex2mathml cannot take the LaTeX the expression still shows, as text."""
    import latex2mathml.converter

    def broken(*args: object, **kwargs: object) -> str:
        raise ValueError("cannot convert")

    monkeypatch.setattr(latex2mathml.converter, "convert", broken)
    root = ET.fromstring(mathml(x**2 + 1))
    assert root.find(M + "mtext").text == "x**2 + 1"


def test_malformed_result_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    import latex2mathml.converter

    monkeypatch.setattr(latex2mathml.converter, "convert", lambda *a, **k: "<math><mi>x</math>")
    assert ET.fromstring(mathml(x)).find(M + "mtext").text == "x"


def test_a_string_is_latex_already_written() -> None:
    """Renderers pass LaTeX they built themselves (tables, tuples of mixed values)."""
    assert _text(mathml(r"\left(1, \frac{1}{2}\right)")).replace(" ", "") == "(1,12)"
