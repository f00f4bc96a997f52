"""LaTeX and Maxima input: tables of what is read, where errors point, what is refused."""

from __future__ import annotations

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sympy import (
    Abs,
    E,
    Eq,
    FiniteSet,
    Integer,
    Interval,
    Ne,
    Or,
    Rational,
    S,
    Symbol,
    Union,
    acos,
    atan,
    cbrt,
    cos,
    exp,
    floor,
    log,
    oo,
    pi,
    sin,
    sqrt,
    tan,
)
from test_parse import _check_only_parse_errors as _only_parse_errors  # noqa: E402

from tutor.core import DNE
from tutor.functions import sigmoid
from tutor.parse import ParseError, parse, parse_answer
from tutor.parse import latex as _latex
from tutor.parse.latex import translate

x, y, z, t, d = (Symbol(n) for n in "xyztd")
theta, alpha, beta = Symbol("theta"), Symbol("alpha"), Symbol("beta")
half = Rational(1, 2)


def _same(a, b) -> bool:
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (
            isinstance(a, tuple)
            and isinstance(b, tuple)
            and len(a) == len(b)
            and all(_same(p, q) for p, q in zip(a, b, strict=True))
        )
    if a is DNE or b is DNE:
        return a is b
    if a == b:
        return True
    if isinstance(a, sympy.Expr) and isinstance(b, sympy.Expr):
        return sympy.simplify(a - b) == 0
    return a == b


# (typed, expected value)
LATEX = [
    # fractions
    (r"\frac{1}{2}", half),
    (r"\frac12", half),
    (r"\frac 1 2", half),
    (r"\dfrac{\pi}{4}", pi / 4),
    (r"\tfrac{1}{3}", Rational(1, 3)),
    (r"\cfrac{2}{3}", Rational(2, 3)),
    (r"\frac{x^2-1}{x+1}", (x**2 - 1) / (x + 1)),
    (r"\frac{\frac{1}{2}}{3}", Rational(1, 6)),
    (r"\frac\pi2", pi / 2),
    (r"\frac{1}{2}x", x / 2),
    (r"-\frac{3}{4}", Rational(-3, 4)),
    (r"\frac{\sqrt{3}}{2}", sqrt(3) / 2),
    (r"\frac{1}{x}+\frac{1}{y}", 1 / x + 1 / y),
    # roots
    (r"\sqrt{2}", sqrt(2)),
    (r"\sqrt2", sqrt(2)),
    (r"\sqrt x", sqrt(x)),
    (r"2\sqrt{3}", 2 * sqrt(3)),
    (r"\sqrt{2}\sqrt{3}", sqrt(6)),
    (r"\sqrt{x}^2", x),
    (r"\sqrt{\frac{1}{2}}", sqrt(2) / 2),
    (r"\sqrt[3]{x}", cbrt(x)),
    (r"\sqrt[3]{-8}", Integer(-2)),
    (r"\sqrt[3]{27}", Integer(3)),
    (r"\sqrt[4]{x}", sympy.root(x, 4)),
    (r"\sqrt[2]{9}", Integer(3)),
    # delimiters and wrappers
    (r"$\sqrt{2}$", sqrt(2)),
    (r"$$x^2$$", x**2),
    (r"\(x+1\)", x + 1),
    (r"\[2x\]", 2 * x),
    (r"  $ \frac{1}{2} $ ", half),
    (r"\boxed{x^2}", x**2),
    (r"$\boxed{\frac{\pi}{2}}$", pi / 2),
    (r"\displaystyle \frac{1}{2}", half),
    # powers and subscripts
    (r"e^{-x}", exp(-x)),
    (r"e^{x^2}", exp(x**2)),
    (r"x^{-1}", 1 / x),
    (r"x^{\frac{1}{2}}", sqrt(x)),
    (r"2^{10}", Integer(1024)),
    (r"e^\pi", exp(pi)),
    (r"\mathrm{e}^{2x}", exp(2 * x)),
    (r"\theta_0 + 1", Symbol("theta_0") + 1),
    (r"w_{10}", Symbol("w_10")),
    # functions
    (r"\sin^2 x", sin(x) ** 2),
    (r"\sin^{2}(x)", sin(x) ** 2),
    (r"\sin x \cos x", sin(x) * cos(x)),
    (r"\cos^{-1}(x)", acos(x)),
    (r"\ln(x)", log(x)),
    (r"\ln x", log(x)),
    (r"\ln|x|", log(Abs(x))),
    (r"\log_2 8", Integer(3)),
    (r"\log_{10}(100)", Integer(2)),
    (r"\log(x)", log(x)),
    (r"\exp(x)", exp(x)),
    (r"\arctan(x)", atan(x)),
    (r"\tan\theta", tan(theta)),
    (r"\operatorname{sigmoid}(z)", sigmoid(z)),
    (r"\left|x\right|", Abs(x)),
    (r"\lvert x-1 \rvert", Abs(x - 1)),
    (r"\lfloor 2.5 \rfloor", floor(Rational(5, 2))),
    (r"\max(1, 2)", Integer(2)),
    # operators, spaces, constants
    (r"3\cdot 4", Integer(12)),
    (r"3 \times 4", Integer(12)),
    (r"6\div 3", Integer(2)),
    (r"2\pi", 2 * pi),
    (r"x\pi", pi * x),
    (r"\pi r^2", pi * Symbol("r") ** 2),
    (r"\alpha + \beta", alpha + beta),
    (r"\infty", oo),
    (r"-\infty", -oo),
    (r"2\,x", 2 * x),
    (r"2\;x\!", 2 * x),
    (r"x\quad+\qquad 1", x + 1),
    (r"$2~x$", 2 * x),
    (r"\mathrm{d}", d),
    (r"1{,}000", Integer(1000)),
    (r"1{,}000{,}000", Integer(1000000)),
    (r"2\,500", Integer(2500)),
    (r"12,\!000,\!023", Integer(12000023)),
    (r"$x^2$.", x**2),
    (r"\text{all real numbers}", S.Reals),
    (r"x^12", x**12),
    # equations, inequalities and answers that are not one expression
    (r"x=\frac{1}{2}", Eq(x, half)),
    (r"y = \frac{x}{2}", Eq(y, x / 2)),
    (r"x \le 2", x <= 2),
    (r"x\leq2", x <= 2),
    (r"x \geq 1", x >= 1),
    (r"x \ge 1", x >= 1),
    (r"x \neq 1", Ne(x, 1)),
    (r"0 \lt x \lt 1", sympy.And(sympy.Lt(0, x, evaluate=False), x < 1, evaluate=False)),
    (r"x = \pm 2", Or(Eq(x, 2), Eq(x, -2))),
    (r"x = 1 \text{ or } x = 2", Or(Eq(x, 1), Eq(x, 2))),
    (r"x = 1 \lor x = 2", Or(Eq(x, 1), Eq(x, 2))),
    (r"\left(1, 2\right]", Interval.Lopen(1, 2)),
    (r"\left[1, 2\right)", Interval.Ropen(1, 2)),
    (r"x \in [0, 1)", Interval.Ropen(0, 1)),
    (r"x \in \mathbb{R}", S.Reals),
    (r"\mathbb{R}", S.Reals),
    (r"(-\infty, 0) \cup (2, \infty)", Union(Interval.open(-oo, 0), Interval.open(2, oo))),
    (r"\{1, 2\}", FiniteSet(1, 2)),
    (r"\left\{ -1, 1 \right\}", FiniteSet(-1, 1)),
    (r"\{\}", S.EmptySet),
    (r"\emptyset", S.EmptySet),
    (r"\varnothing", S.EmptySet),
    (r"\text{DNE}", DNE),
    (r"\text{does not exist}", DNE),
    (r"\mathrm{DNE}", DNE),
    (r"\text{no solution}", S.EmptySet),
    (r"\frac{1}{2}, \frac{1}{3}", (half, Rational(1, 3))),
]


@pytest.mark.parametrize(("text", "expected"), LATEX, ids=[c[0] for c in LATEX])
def test_latex_reads(text, expected):
    assert _same(parse(text), expected), parse(text)


def test_latex_table_is_large():
    assert len(LATEX) >= 80


MAXIMA = [
    ("%pi", pi),
    ("%pi/2", pi / 2),
    ("2*%pi", 2 * pi),
    ("%e", E),
    ("%e^x", exp(x)),
    ("%e^(-x^2)", exp(-(x**2))),
    ("inf", oo),
    ("minf", -oo),
    ("(minf, 0)", Interval.open(-oo, 0)),
    ("[0, inf)", Interval(0, oo)),
    ("sqrt(x)", sqrt(x)),
    ("x^2", x**2),
    ("x**2", x**2),
    ("log(x)", log(x)),
    ("exp(x)", exp(x)),
    ("abs(x)", Abs(x)),
    ("[1,2,3]", (Integer(1), Integer(2), Integer(3))),
    ("{1,2}", FiniteSet(1, 2)),
    ("x=1 or x=2", Or(Eq(x, 1), Eq(x, 2))),
    ("x=1 %or x=2", Or(Eq(x, 1), Eq(x, 2))),
    ("x>0 %and x<1", sympy.And(x > 0, x < 1)),
    ("x#1", Ne(x, 1)),
    ("sin(%pi/6)", half),
    ("1/2*x", x / 2),
    ("signum(-3)", Integer(-1)),
]


@pytest.mark.parametrize(("text", "expected"), MAXIMA, ids=[c[0] for c in MAXIMA])
def test_maxima_reads(text, expected):
    assert _same(parse(text), expected), parse(text)


def test_maxima_e_when_e_is_a_variable():
    e = Symbol("e")
    assert parse("%e^x + e", variables=["x", "e"]) == exp(x) + e


def test_cube_roots_are_real_and_agree_with_cbrt():
    for text in (r"\sqrt[3]{-8}", "cbrt(-8)", "∛(-8)", "root(-8, 3)"):
        assert parse(text) == -2, text
    assert parse(r"\sqrt[3]{x}") == parse("cbrt(x)")
    assert parse(r"\sqrt[5]{-32}") == -2


SHAPES = [
    (r"\frac{1}{2}", "expression"),
    (r"x=\frac{1}{2}", "equation"),
    (r"x \le 2", "inequality"),
    (r"x = \pm 2", "compound"),
    (r"\{1, 2\}", "set"),
    (r"\left[0, 1\right)", "interval"),
    (r"\text{DNE}", "dne"),
    ("[1,2,3]", "list"),
]


@pytest.mark.parametrize(("text", "shape"), SHAPES)
def test_latex_shapes(text, shape):
    assert parse_answer(text).shape == shape


NOTES = [
    (r"1{,}000", "1{,}000 was read as 1000"),
    (r"$x^12$", "^12 was read as the power 12"),
    (r"${1, 2}$", "was read as a set"),
    (r"\cos^{-1}(x)", "the inverse function"),
    (r"x = \pm 2", "x = 2 or x = -2"),
]


@pytest.mark.parametrize(("text", "note"), NOTES)
def test_latex_notes(text, note):
    assert any(note in n for n in parse_answer(text).notes), parse_answer(text).notes


@pytest.mark.parametrize(
    "text",
    [r"\frac{1}{2}", r"2\sqrt{3}", r"\left(1, 2\right]", r"e^{-x}", r"\sin^2 x", r"$\pi$"],
)
def test_plain_latex_has_no_notes(text):
    assert parse_answer(text).notes == ()


def test_parsed_text_is_what_was_typed():
    assert parse_answer(r"$\frac{1}{2}$").text == r"$\frac{1}{2}$"


def test_latex_respects_declared_variables():
    assert parse(r"\theta^2", variables=["theta"]) == theta**2
    with pytest.raises(ParseError, match="not a variable"):
        parse(r"\frac{y}{2}", variables=["x"])
    assert parse(r"\frac{d}{2}", variables=["d"]) == d / 2


# (typed, position of the caret, words in the message)
ERRORS = [
    (r"\frac{1}{0}", 8, "division by zero"),
    (r"\frac{1}{2", 8, "never closed"),
    (r"x + \frac{1}{2", 12, "never closed"),
    (r"2 + \foo{x}", 4, r"\foo is not a command"),
    (r"$\frac{1}{2} + \bar$", 15, r"\bar is not a command"),
    (r"\sinx", 0, r"\sinx is not a command"),
    (r"\left(x+1", 5, "never closed"),
    (r"x^{2", 2, "never closed"),
    (r"\frac{1}{2}+", 12, "ends too early"),
    (r"\sqrt", 0, "missing an argument"),
    (r"\frac{1}", 0, "missing an argument"),
    (r"2 + \sqrt{}", 9, "needs an argument"),
    (r"x}", 1, "no matching"),
    (r"30^\circ", 2, "degrees"),
    (r"\frac{\pi}{6}^{\circ}", 13, "degrees"),
    (r"\frac{dy}{dx}", 0, "derivative notation"),
    (r"\frac{\mathrm{d}}{\mathrm{d}x} x^2", 0, "derivative notation"),
    (r"$x", 0, "never closed"),
    (r"x $ 2", 2, "'$' inside"),
    (r"50\%", 2, r"\% is not a command"),
    (r"\frac{1}{3} \text{meters}", 12, "the words 'meters' are not read"),
    (r"\$5", 0, "leave out units"),
    (r"3{,}5", 1, "thousands separator"),
    (r"x \pm", 5, "ends too early"),
    (r"1 \mp 2", 2, r"\mp is not a command"),
    (r"\frac{1}{2} \approx 0.5", 12, r"\approx"),
    (r"\lim_{x \to 0} x", 0, r"\lim"),
    (r"\frac{1}{2} \cap [0, 1]", 12, r"\cap"),
    (r"1 + x \in [0, 1]", 6, r"'\in' is read only after the variable"),
    (r"x_{\alpha}", 1, "subscript"),
    (r"\mathbb{Z}", 0, r"\mathbb{R}"),
    (r"\text{x", 5, "never closed"),
    (r"\frac{1}{2}\\", 11, "not a command"),
    (r"%i", 0, "complex numbers"),
    (r"2 + %gamma", 4, "%gamma"),
    (r"50%", 2, "'%' is not read"),
    (r"\frac{x}{x-x}", 8, "division by zero"),
    (r"\sqrt{x} \sqrt{y} z)", 19, "no matching"),
]


@pytest.mark.parametrize(("text", "position", "message"), ERRORS, ids=[e[0] for e in ERRORS])
def test_latex_errors_point_at_what_was_typed(text, position, message):
    with pytest.raises(ParseError) as info:
        parse(text)
    err = info.value
    assert message in err.message or message in err.hint, str(err)
    assert err.text == text
    assert err.position == position, str(err)


def test_error_hints():
    with pytest.raises(ParseError) as info:
        parse(r"\sinx")
    assert r"did you mean \sin x" in info.value.hint
    with pytest.raises(ParseError) as info:
        parse(r"\foo")
    assert r"\frac" in info.value.hint
    with pytest.raises(ParseError) as info:
        parse(r"45^\circ")
    assert "radians" in info.value.hint


def test_translation_maps_every_character_back():
    text = r"$2\sqrt{3} + \frac{x}{y}$"
    tr = translate(text)
    assert tr is not None and len(tr.starts) == len(tr.text) + 1
    assert all(0 <= p <= len(text) for p in tr.starts)
    assert list(tr.starts) == sorted(tr.starts)  # the reading follows the typing, except roots
    assert translate("x^2 + 1") is None


HOSTILE = [
    r"\def\x{1}\x",
    r"\input{/etc/passwd}",
    r"\include{secret}",
    r"\csname x\endcsname",
    r"\newcommand{\x}{1}",
    r"\write18{rm -rf /}",
    r"\immediate\write18{ls}",
    r"\catcode`\@=11",
    r"\expandafter\x",
    r"\begin{pmatrix}1\end{pmatrix}",
    r"\text{" * 300 + "x" + "}" * 300,
    "{" * 10_000 + "x" + "}" * 10_000,
    "{" * 150 + "x" + "}" * 150,
    r"\frac{" * 200 + "1" + "}{2}" * 200,
    r"\sqrt{" * 500 + "2" + "}" * 500,
    r"\frac{1}{2}" * 300,
    r"\frac" * 1000,
    "\\" * 1500,
    "$" * 1500,
    r"2^{9^{9^{9}}}",
    r"10^{10^{10}}",
    r"\sqrt{10^{999}+7}",
    r"x \cdot " * 400 + "x",
    "\\" + "a" * 1_000_000,
    "$" + "x" * 1_000_000 + "$",
]


@pytest.mark.parametrize("text", HOSTILE, ids=[h[:24] for h in HOSTILE])
def test_hostile_latex_is_refused(text, monkeypatch):
    import builtins
    import os

    def boom(*args, **kwargs):
        raise AssertionError("the parser ran something")

    monkeypatch.setattr(os, "system", boom)
    monkeypatch.setattr(builtins, "open", boom)
    monkeypatch.setattr(builtins, "__import__", boom, raising=True)
    try:
        with pytest.raises(ParseError):
            parse(text)
    finally:
        monkeypatch.undo()


def test_a_megabyte_of_latex_is_refused_before_translation(monkeypatch):
    from tutor.parse import latex

    def boom(*args, **kwargs):
        raise AssertionError("translated before the length check")

    monkeypatch.setattr(latex, "translate", boom)
    with pytest.raises(ParseError, match="too long"):
        parse(r"\frac{1}{2}" * 100_000)


def test_latex_depth_limit_is_an_option():
    assert parse("${{{x}}}$") == x
    with pytest.raises(ParseError, match="nested"):
        parse(r"\frac{{{{x}}}}{2}", max_depth=3)


# ---------------------------------------------------------------- properties
LATEX_ATOMS = st.sampled_from(
    ["x", "y", "2", "0.5", r"\pi", "e", r"\theta", r"\infty", "w_0", "3", "{,}", r"\,", "%"]
)
LATEX_CMDS = st.sampled_from(
    [r"\frac", r"\sqrt", r"\sin", r"\ln", r"\log_2", r"\text", r"\boxed", r"\left(", r"\right)",
     r"\left|", r"\mathrm", r"\operatorname", r"\foo", r"\{", r"\}", r"\sqrt[3]", r"\mathbb",
     r"\cdot", r"\le", r"\pm", r"\cup", r"\in", r"\circ", "^", "_", "$", "\\"]
)  # fmt: skip


def _latexish():
    leaf = LATEX_ATOMS | st.builds(lambda c, a: c + a, LATEX_CMDS, LATEX_ATOMS)
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.builds(lambda a, o, b: f"{a}{o}{b}", inner, st.sampled_from("+-=,/ "), inner),
            st.builds(lambda c, a: c + "{" + a + "}", LATEX_CMDS, inner),
            st.builds(lambda a, b: r"\frac{" + a + "}{" + b + "}", inner, inner),
            st.builds(lambda a: "{" + a + "}", inner),
            st.builds(lambda a: "$" + a + "$", inner),
            st.builds(lambda a: r"\left(" + a + r"\right]", inner),
            st.builds(lambda a: a[: len(a) // 2], inner),
        ),
        max_leaves=10,
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_latexish())
def test_latex_like_text_gives_a_value_or_a_parse_error(text):
    _only_parse_errors(text)
    _only_parse_errors(text, variables=["x", "y", "w_0"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="\\$%{}[]()^_,.x2 fracsqtlnpimbox#", max_size=40))
def test_latex_alphabet_gives_a_value_or_a_parse_error(text):
    _only_parse_errors(text)


_COMMANDS = sorted(
    set(_latex._FUNCS) | set(_latex._SYMBOLS) | set(_latex._GREEK) | _latex._SPACES
    | _latex._SIZES | _latex._FRACS | _latex._BOXES | _latex._WORDS | _latex._DEGREES
    | {"sqrt", "mathbb", "in", "def", "!"}
)  # fmt: skip
_PIECES = st.one_of(
    st.sampled_from(["\\" + n for n in _COMMANDS]),
    st.sampled_from(list("{}[]()^_,.$%#~|+-*/=<> 0123456789xyde")),
    st.sampled_from(["{,}", "\\,", ",\\!", "minf", "%pi", "%e", "DNE", "or", "\\left.", "[3]"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_every_command_in_any_order_gives_a_value_or_a_parse_error(text):
    _only_parse_errors(text)
    _only_parse_errors(text, variables=["x", "y", "d", "e"])
