"""tutor.inputs: one reading of names, points and numbers for every public function."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from click.testing import CliRunner
from sympy import Rational, Symbol, pi

import tutor
from tutor import inputs
from tutor.cli import main
from tutor.inputs import InputError

x, y = Symbol("x"), Symbol("y")
SPELLINGS = ["x,y", "x y", "x, y", " x ,  y ", ["x", "y"], ("x", "y"), [x, y], {"y", "x"}]


@pytest.mark.parametrize("value", SPELLINGS)
def test_every_spelling_of_two_names_is_the_same(value):
    assert inputs.names(value, "variables") == ("x", "y")


def test_names_of_one_symbol_none_and_a_mapping():
    assert inputs.names(x, "wrt") == ("x",)
    assert inputs.names("x", "wrt") == ("x",)
    assert inputs.names(None, "variables") is None
    assert inputs.names({"y": 1, "x": 2}, "variables") == ("y", "x")  # a mapping keeps its order


@pytest.mark.parametrize("bad", [3, [1, 2], ["x", 2.5]])
def test_names_refuse_what_is_not_names(bad):
    with pytest.raises(InputError, match="^variables must be"):
        inputs.names(bad, "variables")


def test_an_input_error_is_both_a_type_and_a_value_error():
    with pytest.raises(TypeError):
        inputs.names(3, "variables")
    with pytest.raises(ValueError):
        inputs.names(3, "variables")


@pytest.mark.parametrize(
    "value, number",
    [
        ("0.1", Rational(1, 10)),
        (0.1, Rational(1, 10)),
        (2, sympy.Integer(2)),
        (Fraction(1, 3), Rational(1, 3)),
        ("1/3", Rational(1, 3)),
        ("pi/4", pi / 4),
        (2.5e-3, Rational(1, 400)),
    ],
)
def test_the_decimal_policy(value, number):
    got = inputs.number(value, "lr")
    assert got == number and type(got) is type(number)


def test_a_float_of_more_than_twelve_places_stays_a_float():
    got = inputs.number(0.1234567890123456, "lr")
    assert isinstance(got, sympy.Float) and float(got) == 0.1234567890123456


@pytest.mark.parametrize(
    "bad, says",
    [(True, "not True"), ("x +", "cannot be read"), ("x", "number"), (float("nan"), "finite")],
)
def test_numbers_refuse_with_the_parameter_named(bad, says):
    with pytest.raises(InputError, match=f"^lr must .*{says}"):
        inputs.number(bad, "lr")


@pytest.mark.parametrize(
    "value, point",
    [
        ("x=1, y=0.5", {"x": 1, "y": Rational(1, 2)}),
        ({"x": 1, y: "1/2"}, {"x": 1, "y": Rational(1, 2)}),
        ("1, 2", (1, 2)),
        ("(1, 2)", (1, 2)),
        ((0.1, "1/3"), (Rational(1, 10), Rational(1, 3))),
        (3, (3,)),
    ],
)
def test_points(value, point):
    assert inputs.point(value, "at") == point


@pytest.mark.parametrize("bad", ["x=1, 2", "x=, y=1", "1,, 2", "x=q"])
def test_points_refuse(bad):
    with pytest.raises(InputError, match="^at must"):
        inputs.point(bad, "at")


@pytest.mark.parametrize("variables", SPELLINGS[:5])
def test_check_reads_variables_the_same_way(variables):
    v = tutor.check("x y + 2", "2 + y x", variables=variables)
    assert v.code == "equivalent"
    assert tutor.check("x z", "x y", variables=variables).code == "unexpected_variable"


@pytest.mark.parametrize("wrt", ["x,y", "x y", ["x", "y"], (x, y)])
def test_differentiate_reads_wrt_the_same_way(wrt):
    assert tutor.differentiate("x^2 y", wrt=wrt).answer == (2 * x * y, x**2)


@pytest.mark.parametrize("var", ["x,y", "x y", ["x", "y"]])
def test_critical_points_read_variables_the_same_way(var):
    assert tutor.critical_points("x^2 + y^2 - 2x", var).answer == [((1, 0), "minimum")]


def test_directional_derivative_reads_a_point_as_text_or_a_mapping():
    a = tutor.directional_derivative("x^2 y", at="x=1, y=2", direction=[3, 4]).answer
    b = tutor.directional_derivative("x^2 y", at={"x": 1, "y": 2}, direction=[3, 4]).answer
    assert a == b == Rational(16, 5)


def test_the_cli_reads_names_the_same_way():
    run = CliRunner().invoke
    both = [run(main, ["check", "x*y + 2", "2 + y*x", "--var", v]) for v in ("x,y", "x y")]
    split = run(main, ["check", "x*y + 2", "2 + y*x", "--var", "x", "--var", "y"])
    assert [r.exit_code for r in both] == [0, 0] and split.exit_code == 0
    assert both[0].output == both[1].output == split.output
    grads = [run(main, ["solve", "derivative", "x^2 y", "--wrt", w]).output for w in ("x,y", "x y")]
    assert grads[0] == grads[1] and "Answer" in grads[0]


def test_the_cli_names_a_bad_point():
    r = CliRunner().invoke(
        main, ["solve", "derivative", "x^2 y", "--at", "x=1,y=q", "--direction", "1,1"]
    )
    assert r.exit_code == 2 and "--at" in r.output and "must be a number" in r.output
