"""The spoken form of expressions: the alternative text of every equation."""

import pytest
import sympy as sp

from tutor.core import DNE
from tutor.render.speech import speech

x, y, n = sp.symbols("x y n")

CASES = [
    (x**2 + 3 * x, "x squared plus 3 x"),
    ((x + 1) / (x - 1), "the fraction with numerator x plus 1 and denominator x minus 1"),
    (x / 2, "x over 2"),
    (1 / x, "1 over x"),
    (sp.Rational(-3, 4), "minus 3 over 4"),
    (sp.Derivative(sp.sin(x), x), "the derivative of sine of x with respect to x"),
    (sp.Derivative(x**3, (x, 2)), "the second derivative of x cubed with respect to x"),
    (
        sp.Limit(sp.sin(x) / x, x, 0, "-"),
        "the limit as x tends to 0 from below of the fraction with numerator sine of x "
        "and denominator x",
    ),
    (sp.Limit(1 / x, x, sp.oo), "the limit as x tends to infinity of 1 over x"),
    (
        sp.Sum(1 / n**2, (n, 1, sp.oo)),
        "the sum for n from 1 to infinity of the fraction with numerator 1 and "
        "denominator n squared",
    ),
    (sp.sqrt(x + 1), "the square root of x plus 1, end root"),
    (sp.sqrt(x), "the square root of x"),
    (x ** sp.Rational(1, 3), "the third root of x"),
    (sp.exp(2 * x), "e to the power 2 x"),
    (sp.log(x), "the natural log of x"),
    (
        sp.log(x, 2),
        "the fraction with numerator the natural log of x and denominator the natural log of 2",
    ),
    (sp.sin(x) ** 2, "the quantity sine of x, squared"),
    ((x + 1) ** 2, "the quantity x plus 1, squared"),
    (x**n, "x to the power n"),
    (sp.Symbol("z_1"), "z sub 1"),
    (sp.Symbol("z2"), "z sub 2"),
    (sp.Symbol("alpha"), "alpha"),
    (sp.Symbol("Omega"), "capital omega"),
    (sp.Matrix([[1, 2], [3, 4]]), "the 2 by 2 matrix with row 1: 1, 2; row 2: 3, 4"),
    (sp.Matrix([x, y]), "the column vector x, y"),
    (
        sp.Piecewise((x, x > 0), (0, True)),
        "piecewise: x if x is greater than 0; 0 otherwise; end piecewise",
    ),
    (-x, "minus x"),
    ((x + 1) * (x - 1), "the quantity x plus 1 times the quantity x minus 1"),
    (sp.Integral(x, (x, 0, 1)), "the integral from 0 to 1 of x d x"),
    (sp.Integral(sp.cos(x), x), "the integral of cosine of x d x"),
    (sp.Eq(y, 2 * x - 1), "y equals 2 x minus 1"),
    (sp.Abs(x), "the absolute value of x"),
    (sp.Interval.open(0, 1), "the interval from 0 to 1, open at the left and open at the right"),
    (sp.oo, "infinity"),
    (sp.pi / 2, "pi over 2"),
    (3, "3"),
    (2.5, "2.5"),
    (DNE, "does not exist"),
]


@pytest.mark.parametrize(("expr", "words"), CASES, ids=[str(c[0]) for c in CASES])
def test_speech(expr, words):
    assert speech(expr) == words


def test_indicator_is_read_as_such():
    assert speech(sp.Function("Indicator")(x > 0)) == "the indicator of x is greater than 0"


def test_unknown_objects_still_get_words():
    assert speech(object.__new__(type("Odd", (), {"__str__": lambda s: "odd"}))) == "odd"


def test_speech_and_typst_read_one_table_of_names():
    import tutor.functions
    from tutor.render import speech as speech_module
    from tutor.render import typst as typst_module
    from tutor.render.typst import typst

    assert speech_module.GREEK is typst_module.GREEK
    checked = 0
    for name, (markup, words) in typst_module.FUNCTIONS.items():
        make = getattr(sp, name, None) or getattr(tutor.functions, name, None)
        if make is None or name == "Heaviside":  # the step has printers of its own
            continue
        expr = make(sp.Symbol("x"))
        if type(expr).__name__ != name:  # sympy rewrote it (sign, arg, ...)
            continue
        assert typst(expr).startswith(markup), (name, typst(expr))
        assert speech(expr).startswith(words + " of"), (name, speech(expr))
        checked += 1
    assert checked >= 25
