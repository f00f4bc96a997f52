"""The Typst math printer: every kind of expression the engines emit compiles through Typst,
and the tricky bracket cases print exactly as a teacher would write them."""

from __future__ import annotations

import pytest
import sympy
from sympy import (
    Abs,
    Derivative,
    E,
    Eq,
    FiniteSet,
    Float,
    Function,
    Integral,
    Interval,
    Limit,
    Matrix,
    Max,
    Piecewise,
    Rational,
    S,
    Subs,
    Sum,
    Symbol,
    Tuple,
    acos,
    asin,
    atan,
    cos,
    exp,
    log,
    oo,
    pi,
    root,
    sin,
    sqrt,
    symbols,
    tan,
    tanh,
)

from tutor.core import DNE
from tutor.functions import relu, sigmoid, softplus
from tutor.render.typst import typst

typst_pkg = pytest.importorskip("typst")

x, y, z, n, a, b = symbols("x y z n a b")
w0, w1, eta = Symbol("w_0"), Symbol("w1"), Symbol("eta")
f = Function("f")

# Expressions of every kind the engines emit (shared with tests/test_mathml.py).
CASES = [
    S(7),
    S(-3),
    Rational(3, 4),
    Rational(-1, 2),
    Float("0.25"),
    Float("1e-5"),
    x - y,
    -(x**2) + 3 * x - 1,
    x - 2 * y,
    2 * x * y,
    sympy.Mul(2, 3, evaluate=False),
    2 * 3**x,
    Rational(-3, 4) * x,
    x / (x + 1),
    (x + 1) / (2 * x),
    (x**2 - 1) / (x - 1),
    (x + 1) ** 2,
    (2 * x - 1) ** Rational(3, 2),
    exp(x**2),
    exp(-x),
    E**2,
    x ** (-n),
    1 / x**2,
    sqrt(x + 1),
    root(x, 3),
    1 / sqrt(x),
    sin(x) ** 2 + cos(x) ** 2,
    tan(3 * x),
    log(x),
    log(x + 1, 2),
    asin(x) + acos(x) + atan(x),
    tanh(z),
    sigmoid(z) * (1 - sigmoid(z)),
    relu(x) + softplus(x),
    Abs(x - 1),
    Piecewise((x**2, x < 0), (2 * x + 1, True)),
    Piecewise((1, (x > 0) & (x < 1)), (0, True)),
    Limit(sin(x) / x, x, 0),
    Limit(1 / x, x, 0, "-"),
    Limit((x**2 + 1) / (2 * x**2), x, oo),
    Limit(x + 1, x, 2, "+-"),
    Derivative(x**3 * sin(x), x),
    Derivative(f(x), x, 2),
    Derivative(y, x),
    Derivative(x**2 * y, x, y),
    Derivative(x**2 * y, x),
    Matrix([2 * x, 3 * y**2]),
    Matrix([[2, 0], [0, 6]]),
    Tuple(1, -2),
    Tuple(Rational(1, 2), x + 1),
    FiniteSet(-1, 0, 2),
    Interval.Ropen(0, 1),
    Interval.Lopen(-oo, 3),
    Interval(-oo, 0, True, True) | Interval(1, oo, True, True),
    S.EmptySet,
    oo,
    -oo,
    Eq(y, 2 * x + 1),
    x <= 1,
    sympy.Ne(x, 0),
    (x > 0) & (x < 1),
    (x < 0) | (x > 1),
    w0 + w1 * x,
    eta * Symbol("alpha") * Symbol("lamda"),
    Symbol("yhat") - y,
    Symbol("loss"),
    Float("0.5") * x**2,
    pi * x,
    Integral(x**2, (x, 0, 1)),
    Sum(1 / n**2, (n, 1, oo)),
    Subs(Derivative(f(x), x), x, 1),
    Max(0, x),
    DNE,
    [1, 2, 3],
    (x, 2),
]


def _compile(snippets: list[str]) -> bytes:
    body = "\n".join(f"$ {s} $ #linebreak()" for s in snippets)
    doc = "#set page(width: 16cm, height: auto, margin: 4mm)\n" + body
    out, warnings = typst_pkg.compile_with_warnings(doc.encode(), format="svg")
    assert not warnings, warnings
    return out


def test_table_compiles_in_typst() -> None:
    """The whole table typesets in one Typst document without errors or warnings."""
    snippets = [typst(e) for e in CASES]
    assert len(snippets) >= 60
    svg = _compile(snippets)
    assert svg.startswith(b"<svg")


@pytest.mark.parametrize("i", range(len(CASES)))
def test_each_case_compiles_alone(i: int) -> None:
    """Compiling one at a time pins a failure to its expression (cheap: ~5 ms each)."""
    _compile([typst(CASES[i])])


def test_bad_markup_is_caught_by_typst() -> None:
    """The compile check can fail: an unknown name is an error in Typst."""
    with pytest.raises(typst_pkg.TypstError):
        _compile(["xy + 1"])


@pytest.mark.parametrize(
    "expr, expected",
    [
        (x - y, "x - y"),
        (x - 2 * y, "x - 2 y"),
        (-(x**2) + 3 * x - 1, "-x^2 + 3 x - 1"),
        ((x + 1) ** 2, "(x + 1)^2"),
        ((x + 1) ** (n + 1), "(x + 1)^(n + 1)"),
        (exp(x**2), "e^(x^2)"),
        (exp(-x), "e^(-x)"),
        (x ** (-n), "x^(-n)"),
        ((-2) ** x, "(-2)^x"),
        (Rational(1, 2) ** x, "(frac(1, 2))^x"),
        ((2 * x) ** y, "(2 x)^y"),
        (sympy.Pow(x**2, 3, evaluate=False), "(x^2)^3"),
        (sqrt(x + 1), "sqrt(x + 1)"),
        (root(x, 3), "root(3, x)"),
        (1 / sqrt(x), "frac(1, sqrt(x))"),
        (x / (x + 1), "frac(x, x + 1)"),
        ((x + 1) / (2 * x), "frac(x + 1, 2 x)"),
        (-1 / (x + 1), "-frac(1, x + 1)"),
        (Rational(-3, 4) * x, "-frac(3 x, 4)"),
        (Rational(1, 2), "frac(1, 2)"),
        (sympy.Mul(2, 3, evaluate=False), "2 dot 3"),
        (2 * 3**x, "2 dot 3^x"),
        (-x * (x + 1), "-x (x + 1)"),
        (x * (x - 1) * (x + 1), "x (x - 1) (x + 1)"),
        (sin(x) ** 2, "sin^2 (x)"),
        (sin(x**2), "sin(x^2)"),
        (sigmoid(z), "sigma(z)"),
        (sigmoid(z) ** 2, "sigma(z)^2"),
        (Abs(x - 1), "abs(x - 1)"),
        (log(x), "ln(x)"),
        (oo, "infinity"),
        (-oo, "-infinity"),
        (Interval.Ropen(0, 1), "lr([0, 1))"),
        (Interval.Lopen(0, 1), "lr((0, 1])"),
        (Interval(0, oo), "lr([0, infinity))"),
        (FiniteSet(2, -1), "{-1, 2}"),
        (S.EmptySet, "emptyset"),
        (Matrix([1, 2]), "vec(1, 2)"),
        (Matrix([[1, 2], [3, 4]]), "mat(1, 2; 3, 4)"),
        (Limit(sin(x) / x, x, 0, "+-"), "lim_(x -> 0) frac(sin(x), x)"),
        (Limit(1 / x, x, 0, "-"), "lim_(x -> 0^-) frac(1, x)"),
        (Limit(x + 1, x, 2, "+-"), "lim_(x -> 2) (x + 1)"),
        (Derivative(y, x), "frac(dif y, dif x)"),
        (Derivative(x**2, x), "frac(dif, dif x) (x^2)"),
        (Derivative(x**2 * y, x), "frac(partial, partial x) (x^2 y)"),
        (Derivative(f(x), x, 2), "frac(dif^2, dif x^2) f(x)"),
        (Piecewise((x**2, x < 0), (1, True)), 'cases(x^2 & "if" x < 0, 1 & "otherwise")'),
        ((x > 0) & (x < 1), "0 < x < 1"),
        (w0, "w_0"),
        (w1, "w_1"),
        (Symbol("x_12"), "x_12"),
        (eta, "eta"),
        (Symbol("lamda"), "lambda"),
        (Symbol("loss"), '"loss"'),
        (Symbol("yhat"), "hat(y)"),
        (DNE, '"does not exist"'),
        (Float("0.5") * x, "0.5 x"),
        (Float("1e-5"), "1.0 times 10^(-5)"),
    ],
)
def test_exact_strings(expr: object, expected: str) -> None:
    assert typst(expr) == expected


def test_no_plus_minus_and_no_bare_slash() -> None:
    """Subtraction never prints as ``+ -``, and division always goes through ``frac``."""
    for e in CASES:
        s = typst(e)
        assert "+ -" not in s, s
        assert "/" not in s, s
