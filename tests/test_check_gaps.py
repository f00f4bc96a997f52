"""Classes of answer pairs the checker used to leave undecided or refuse (the known gaps of
tests/data/peer_pairs and tests/data/adversarial.toml), each with cases of its own: the
verdict, and the wrong answers of the same class still refused."""

from __future__ import annotations

import pytest

from tutor.check import check
from tutor.parse import ParseError, parse, parse_answer

# a difference below the last digit of any fixed precision: found by sympy's own
# error-controlled evaluation of the difference (it raises its precision until it knows)
TINY = [
    ("t", "t + exp(-(t - 5000)^2)"),
    ("t", "t*(1 + exp(-500*(t^2 + 1)))"),
    ("x^2", "x^2 + exp(-(x + 300)^2)/10^5"),
    ("sin(t)", "sin(t) + exp(-1000 - t^2)"),
]


@pytest.mark.parametrize(("expected", "answer"), TINY)
def test_tiny_differences_are_differences(expected: str, answer: str) -> None:
    v = check(answer, expected)
    assert v.correct is False, v
    assert v.code == "not_equivalent"


@pytest.mark.parametrize(
    ("expected", "answer"),
    [
        ("1", "sin(x)^2 + cos(x)^2"),
        ("1", "cosh(x)^2 - sinh(x)^2"),
        ("log(6)", "log(2) + log(3)"),
        ("sin(2x)", "2sin(x)cos(x)"),
        ("x", "sqrt(x)^2"),  # sympy's x at x < 0, undefined in this project's reading
        ("pi/2", "asin(x) + acos(x)"),  # not real at |x| > 1: no value is no evidence
    ],
)
def test_identities_are_not_differences(expected: str, answer: str) -> None:
    """The evalf stage itself: an identity gives it no nonzero difference anywhere."""
    import random

    from tutor._budget import Deadline
    from tutor.check.equiv import stage_exact_difference

    a, b = parse(answer), parse(expected)
    found = stage_exact_difference(a, b, ["x"], Deadline(5.0), random.Random(7))
    assert found is None


def test_a_large_exponent_that_is_small_is_read() -> None:
    # e^(pi·sqrt(163)) has 18 digits: the size guard bounds |exponent| from above only
    assert str(parse("e^(pi*sqrt(163))")) == "exp(sqrt(163)*pi)"
    assert parse("10^((sqrt(13) - 5)/6)") is not None
    v = check("e^(pi*sqrt(163))", "262537412640768744", kind="number")
    assert v.correct is False  # Ramanujan's constant is 7.5e-13 short of an integer
    for huge in ("9^9^9", "e^(10^5)", "exp(exp(100))", "(1 + 10^-20)^(10^20)", "2^(0.5*10^4)"):
        with pytest.raises(ParseError, match="too large"):
            parse(huge)


@pytest.mark.parametrize(
    ("answer", "expected", "correct"),
    [
        ("(-2)^(n + 0.1)", "(-2)^(n + 1.1)", False),  # real where n + 0.1 is an integer
        ("(-3)^(k + 1/2)", "(-3)^(k - 1/2)", False),
        ("(-2)^(n + 2.1)", "4(-2)^(n + 0.1)", True),
    ],
)
def test_powers_of_negative_numbers_at_their_integer_points(
    answer: str, expected: str, correct: bool
) -> None:
    assert check(answer, expected).correct is correct


@pytest.mark.parametrize(
    ("answer", "expected", "correct", "code"),
    [
        ("atan((a*x + 1)/(a - x))", "atan(x)", True, "equivalent"),  # a is a constant
        ("x^2/2 + a*x", "x^2/2", False, "unexpected_variable"),  # a changes the derivative
        ("a*x", "x^2/2", False, "unexpected_variable"),
    ],
)
def test_antiderivative_with_a_letter_of_its_own(
    answer: str, expected: str, correct: bool, code: str
) -> None:
    v = check(answer, expected, kind="antiderivative", var="x")
    assert (v.correct, v.code) == (correct, code)


@pytest.mark.parametrize(
    ("answer", "correct"),
    [("t + floor(t)", False), ("t + sign(t)", False), ("t + heaviside(t - 2)", False)],
)
def test_antiderivative_that_jumps_where_the_integrand_is_continuous(
    answer: str, correct: bool
) -> None:
    v = check(answer, "t", kind="antiderivative", var="t")
    assert v.correct is correct
    assert v.details["stage"] == "jump"


def test_antiderivative_jump_where_the_integrand_has_a_pole_is_not_refused() -> None:
    # ln|t| + sign(t): a different constant on each side of 0 is allowed
    assert check("ln|t| + sign(t)", "ln|t|", kind="antiderivative", var="t").correct is not False


@pytest.mark.parametrize(
    ("answer", "expected", "correct", "code"),
    [
        ("y = sin(x)^2 + cos(x)^2", "y = 1", True, "equivalent"),  # x cancels out
        ("y = 1 + 0*x", "y = 1", True, "equivalent"),
        ("y = x", "y = 1", False, "unexpected_variable"),
    ],
)
def test_equation_with_a_letter_that_cancels(
    answer: str, expected: str, correct: bool, code: str
) -> None:
    v = check(answer, expected, kind="equation")
    assert (v.correct, v.code) == (correct, code)


def test_many_foreign_letters_written_apart_are_named() -> None:
    v = check("v + w + x + y + z", "a + b + c + A + B")
    assert (v.correct, v.code) == (False, "unexpected_variable")
    assert "v, w, x, y, z, which do not appear" in v.feedback
    # a word is not a list of letters to name
    assert check("hello world", "a + b + c + A + B").code == "parse_error"


@pytest.mark.parametrize(
    ("answer", "correct", "code"),
    [
        ("(-793, 10)", True, "equivalent"),
        ("[-793, 10)", False, "endpoints"),
        ("(-793, 11)", False, "not_equivalent"),
    ],
)
def test_interval_for_an_inequality(answer: str, correct: bool, code: str) -> None:
    v = check(answer, "-793 < a < 10", kind="inequality")
    assert (v.correct, v.code) == (correct, code)


def test_plus_minus_in_a_set() -> None:
    p = parse_answer("{1 ± sqrt(5), -2}")
    assert p.shape == "set" and len(p.value) == 3
    p = parse_answer("x = 1/2, x = (-1 ± sqrt(13))/4", expect="set")
    assert p.shape == "set" and len(p.value) == 3
    # an ordered list still refuses it: which value comes first is not written
    with pytest.raises(ParseError):
        parse_answer("1 ± sqrt(5), -2", expect="list")
    assert check("{1+sqrt(5), 1-sqrt(5), -2}", "{1 ± sqrt(5), -2}", kind="set").correct
    assert check("{1+sqrt(5), -2}", "{1 ± sqrt(5), -2}", kind="set").correct is False


@pytest.mark.parametrize(
    ("answer", "correct", "code"),
    [
        ("-5, 14/3", True, "equivalent"),
        ("p = 14/3, x = -5", True, "equivalent"),
        ("14/3, -5", False, "wrong_order"),
        ("q = 14/3, x = -5", False, "wrong_label"),
    ],
)
def test_labelled_expected_list(answer: str, correct: bool, code: str) -> None:
    v = check(answer, "x = -5, p = 14/3", kind="list")
    assert (v.correct, v.code) == (correct, code)


@pytest.mark.parametrize(
    ("answer", "correct"),
    [("$k = \\frac{1}{3}$", True), ("$\\boxed{k = 1/3}$", True), ("$k = \\frac{1}{4}$", False)],
)
def test_labelled_latex_number(answer: str, correct: bool) -> None:
    v = check(answer, "1/3", kind="number")
    assert v.correct is correct
    assert "label" in v.feedback


@pytest.mark.parametrize(
    ("answer", "expected", "correct", "code"),
    [
        ("x^2/2 + sqrt(x)^2 - x", "x^2/2", False, "domain_differs"),  # x > 0 only
        ("ln(x) + sqrt(x - 5)^2 - x", "ln|x|", False, "domain_differs"),  # part of x > 0
        ("-acoth(x/3)/3", "log(abs(x-3))/6 - log(abs(x+3))/6", True, "equivalent"),  # |x| > 3
        ("x^2/2 + sqrt(a)^2 - a + sqrt(x)^2 - x", "x^2/2", False, "domain_differs"),
        ("ln(x)", "ln|x|", True, "equivalent"),  # the dropped bars, with a note
        ("ln(c*|x|)", "ln|x|", True, "equivalent"),  # a constant inside the log
        (
            "2*log(x - 2) - log(abs(x + 2))",
            "2*log(abs(x - 2)) - log(abs(x + 2))",
            True,
            "equivalent",
        ),
    ],
)
def test_antiderivative_defined_on_less_than_the_key(
    answer: str, expected: str, correct: bool, code: str
) -> None:
    v = check(answer, expected, kind="antiderivative", var="x")
    assert (v.correct, v.code) == (correct, code)


@pytest.mark.parametrize(
    ("answer", "expected", "correct"),
    [
        ("a*(1 + sqrt(2)) = b", "a = b*(sqrt(2) - 1)/3", False),
        ("a*(1 + sqrt(2)) = b", "a = b*(sqrt(2) - 1)", True),
        ("x + y = 1", "x + y = 2", False),
        ("y = x", "-y = x", False),
    ],
)
def test_linear_equations(answer: str, expected: str, correct: bool) -> None:
    v = check(answer, expected, kind="equation")
    assert v.correct is correct
    if not correct:
        assert v.details["stage"] == "linear"


@pytest.mark.parametrize(
    ("answer", "expected", "correct"),
    [
        ("(n*(8 + 4n))/2 > 19206", "6n + 2n(n - 1) > 19206", True),
        ("-x < -1", "x > 1", True),
        ("2x > x^2", "x^2 <= 2x", False),
    ],
)
def test_the_same_polynomial_relation(answer: str, expected: str, correct: bool) -> None:
    assert check(answer, expected, kind="inequality").correct is correct
