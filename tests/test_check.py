"""Tests for tutor.check: tables of (expected, answer, kind, options) -> (correct, code).

The tables double as documentation: docs/checking.md lists what the checker accepts.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor import check
from tutor._budget import TIMEOUT, run_bounded
from tutor.check import CODES, equivalent
from tutor.core import DNE, Task, Verdict

x, y = sympy.symbols("x y")

# (expected, answer, kind, options, correct, code); code None: any code
EXPRESSIONS = [
    ("2x", "2*x", {}, True, "equivalent"),
    ("x^2-1", "(x-1)(x+1)", {}, True, "equivalent"),
    ("(x^2-1)/(x+1)", "x-1", {}, True, "equivalent"),
    ("(x^3-8)/(x-2)", "x^2+2x+4", {}, True, "equivalent"),
    ("x^2/x", "x", {}, True, "equivalent"),
    ("sqrt((x-3)(x-5))", "sqrt(x-3)sqrt(x-5)", {}, False, "domain_differs"),
    ("2ln(x)", "ln(x^2)", {}, False, "domain_differs"),
    ("2ln(x)", "ln(x^2)", {"domain": "common"}, True, "equivalent"),
    ("ln(x)+ln(y)", "ln(xy)", {}, False, "domain_differs"),
    ("x", "sqrt(x^2)", {}, False, "not_equivalent"),
    ("|x|", "sqrt(x^2)", {}, True, "equivalent"),
    ("1", "sin(x)^2+cos(x)^2", {}, True, "equivalent"),
    ("2x cos(x^2)", "cos(x^2)*2x", {}, True, "equivalent"),
    ("2x cos(x^2)", "-2x cos(x^2)", {}, False, "sign_error"),
    ("2x cos(x^2)", "x cos(x^2)", {}, False, "constant_factor"),
    ("x^2", "x^2+1", {}, False, "differs_by_constant"),
    ("x", "x + 10^-40", {}, False, None),
    ("x", "x + e^-100", {}, False, None),
    ("e^x", "exp(x)", {}, True, "equivalent"),
    ("sin(2x)", "2sin(x)cos(x)", {}, True, "equivalent"),
    ("1/x", "x^-1", {}, True, "equivalent"),
    ("tan(x)^2+1", "sec(x)^2", {}, True, "equivalent"),
    ("(x+1)^2", "x^2+2x+1", {}, True, "equivalent"),
    ("(x+1)^2", "x^2+1", {}, False, "not_equivalent"),
    ("x/2", "0.5x", {}, True, "equivalent"),
    ("x/3", "0.33x", {}, False, "not_exact"),
    ("x/3", "0.333333333333x", {}, False, "not_exact"),
    ("3x^2", "3x^2 + y", {}, False, "unexpected_variable"),
    ("e^(2x)", "(e^x)^2", {}, True, "equivalent"),
    ("ln(x)/ln(2)", "log(x, 2)", {}, True, "equivalent"),
    ("asin(x)", "pi/2 - acos(x)", {}, True, "equivalent"),
    ("1/(1+e^-x)", "sigmoid(x)", {}, True, "equivalent"),
    ("sigmoid(x)(1-sigmoid(x))", "e^-x/(1+e^-x)^2", {}, True, "equivalent"),
    ("sin(x)/cos(x)", "tan(x)", {}, True, "equivalent"),
    ("cos(x)", "sin(x + pi/2)", {}, True, "equivalent"),
    ("cos(x)", "sin(x)", {}, False, "not_equivalent"),
    ("e^x", "e^x + 1", {}, False, "differs_by_constant"),
    ("ln(x)", "ln(2x)", {}, False, "differs_by_constant"),
    ("x e^x", "e^x x", {}, True, "equivalent"),
    ("(x-2)(x+3)", "x^2+x-6", {}, True, "equivalent"),
    ("(x-2)(x+3)", "x^2-x-6", {}, False, "not_equivalent"),
    ("1/(x-1)", "-1/(1-x)", {}, True, "equivalent"),
    ("1/(x-1)", "1/(1-x)", {}, False, "sign_error"),
    ("x^2 y + y^3", "y(x^2+y^2)", {}, True, "equivalent"),
    ("x/(x^2+1)", "x/(x^2-1)", {}, False, "not_equivalent"),
    ("2^x ln(2)", "ln(2) 2^x", {}, True, "equivalent"),
    ("-sin(x)", "sin(-x)", {}, True, "equivalent"),
    ("2sin(x)cos(x)", "sin(x)cos(x)", {}, False, "constant_factor"),
    ("ln|x|", "ln(abs(x))", {}, True, "equivalent"),
    ("cosh(x)^2 - sinh(x)^2", "1", {}, True, "equivalent"),
    ("pi/2", "atan(x) + atan(1/x)", {}, False, "not_equivalent"),
    ("sqrt(x)", "x^(1/2)", {}, True, "equivalent"),
    ("cbrt(x)", "x^(1/3)", {}, True, "equivalent"),
    ("3x^2 - 4x", "x(3x - 4)", {}, True, "equivalent"),
    ("1/(2sqrt(x))", "0.5x^(-1/2)", {}, True, "equivalent"),
    ("e^x sin(x) + e^x cos(x)", "e^x (sin(x) + cos(x))", {}, True, "equivalent"),
    ("2x", "y = 2x", {}, True, "equivalent"),
]

NUMBERS = [
    ("1/2", "0.5", {}, True, "equivalent"),
    ("1/3", "0.33", {}, False, "not_exact"),
    ("1/3", "0.333333333333", {}, False, "not_exact"),
    ("pi", "3.14159", {}, False, "not_exact"),
    ("pi", "3.14", {"tol": 0.01}, True, "within_tolerance"),
    ("pi", "3.2", {"tol": 0.01}, False, "outside_tolerance"),
    ("100", "101", {"rtol": 0.02}, True, "within_tolerance"),
    ("100", "103", {"rtol": 0.02}, False, "outside_tolerance"),
    ("e", "2.718", {"sigfigs": 4}, True, "within_tolerance"),
    ("e", "2.719", {"sigfigs": 4}, False, "outside_tolerance"),
    ("sqrt(2)/2", "1/sqrt(2)", {}, True, "equivalent"),
    ("sqrt(8)", "2sqrt(2)", {}, True, "equivalent"),
    ("1.44", "1.2^2", {}, True, "equivalent"),
    ("2", "-2", {}, False, "sign_error"),
    ("3", "4", {}, False, "not_equivalent"),
    ("oo", "oo", {}, True, "equivalent"),
    ("oo", "-oo", {}, False, "not_equivalent"),
    ("DNE", "DNE", {}, True, "equivalent"),
    ("DNE", "does not exist", {}, True, "equivalent"),
    ("oo", "DNE", {}, False, "not_equivalent"),
    ("DNE", "oo", {}, False, "not_equivalent"),
    ("0", "DNE", {}, False, "not_equivalent"),
    ("-oo", "infinity", {}, False, "not_equivalent"),
    ("ln(8)", "3ln(2)", {}, True, "equivalent"),
    ("sin(pi/6)", "1/2", {}, True, "equivalent"),
    ("e^2", "7.389", {}, False, "not_exact"),
    ("2", "x", {}, False, "unexpected_variable"),
    ("1/3", "1/3 + 10^-30", {}, False, None),
]

EQUATIONS = [
    ("y = 2x - 5", "y - 1 = 2(x - 3)", {}, True, "equivalent"),
    ("y = 2x - 5", "2x - y = 5", {}, True, "equivalent"),
    ("y = 2x - 5", "y = 2x + 5", {}, False, None),
    ("x = 1", "1", {}, False, "wrong_kind"),
    ("x^2 = 1", "x = 1 or x = -1", {}, True, "equivalent"),
    ("x = 1 or x = -1", "x^2 = 1", {}, True, "equivalent"),
    ("x = 1", "x^2 = 1", {}, False, "extra_elements"),
    ("x = 1", "x(x-1) = 0", {}, False, "extra_elements"),
    ("x = 1 or x = -1", "x = 1", {}, False, "missing_elements"),
    ("y = x^2", "y - x^2 = 0", {}, True, "equivalent"),
    ("y = 1/x", "xy = 1", {}, True, "equivalent"),
    ("x + y = 1", "y = 1 - x", {}, True, "equivalent"),
    ("2x = 4", "x = 2", {}, True, "equivalent"),
    ("x = 2", "x - 2 = 0", {}, True, "equivalent"),
    ("x = 2", "x = -2", {}, False, None),
    ("x^2 + y^2 = 1", "y^2 = 1 - x^2", {}, True, "equivalent"),
    ("x = 3", "3 = x", {}, True, "equivalent"),
    ("y = 3x + 1", "y = 3x", {}, False, None),
    ("a = 0 or b = 0", "ab = 0", {}, True, "equivalent"),
    ("x = y", "x^2 = y^2", {}, False, None),
    ("x = y", "sqrt(x) = sqrt(y)", {}, False, "domain_differs"),
    ("x^2 + y^2 = 1", "y = sqrt(1 - x^2)", {}, False, None),
    ("x^2 = a", "(x - sqrt(a))(x + sqrt(a)) = 0", {}, True, "equivalent"),
    # (0, 0) lies on y = x/(2x - 1) but is excluded from 1/x + 1/y = 2 (excluded points kept)
    ("y = x/(2x - 1)", "1/x + 1/y = 2", {}, False, "domain_differs"),
    ("x = 2 or x = 3", "x^2 - 5x + 6 = 0", {}, True, "equivalent"),
    ("x = 2 or x = 3", "x = 2", {}, False, "missing_elements"),
]

INEQUALITIES = [
    ("x > 1", "1 < x", {}, True, "equivalent"),
    ("x > 1", "2 < 2x", {}, True, "equivalent"),
    ("x > 1", "-2 > -2x", {}, True, "equivalent"),
    ("x > 1", "x <= 1", {}, False, "not_equivalent"),
    ("x > 1", "x >= 1", {}, False, "endpoints"),
    ("x > 2 or x < -2", "x^2 > 4", {}, True, "equivalent"),
    ("x^2 <= 2x", "2x >= x^2", {}, True, "equivalent"),
    ("x > 1 and x < 5", "5 > x and 1 < x", {}, True, "equivalent"),
]

SETS = [
    ("{1, -1}", "{-1, 1}", {}, True, "equivalent"),
    ("{1, -1}", "{1, 1, -1}", {}, True, "equivalent"),
    ("{1, -1}", "{1}", {}, False, "missing_elements"),
    ("{1, -1}", "{1, -1, 2}", {}, False, "extra_elements"),
    ("{1, -1}", "1, -1", {}, True, "equivalent"),
    ("{1, -1}", "x = 1 or x = -1", {}, True, "equivalent"),
    ("{sqrt(2), -sqrt(2)}", "{-2^(1/2), 2^(1/2)}", {}, True, "equivalent"),
    ("{0}", "0", {}, True, "equivalent"),
    ("{1/2}", "{0.5}", {}, True, "equivalent"),
    ("{1/3}", "{0.33}", {}, False, None),
    ("{0, pi}", "{pi, 0}", {}, True, "equivalent"),
]

LISTS = [
    ("1, 2, 3", "1, 2, 3", {}, True, "equivalent"),
    ("1, 2, 3", "3, 2, 1", {}, False, "wrong_order"),
    ("1, 2, 3", "1, 2", {}, False, "wrong_length"),
    ("1, 2, 3", "1, 2, 4", {}, False, "some_entries_wrong"),
    ("0.5, 0.25", "1/2, 1/4", {}, True, "equivalent"),
]

POINTS = [
    ("(1, 2)", "(1, 2)", {}, True, "equivalent"),
    ("(1, 2)", "(2, 1)", {}, False, "wrong_order"),
    ("(1, 2)", "(1, 2, 3)", {}, False, "wrong_length"),
    ("(1/2, -1)", "(0.5, -1)", {}, True, "equivalent"),
    ("(0, sqrt(2))", "(0, 2^(1/2))", {}, True, "equivalent"),
]

INTERVALS = [
    ("(1, 2] U [2, 3)", "(1, 3)", {}, True, "equivalent"),
    ("(1, 3)", "[1, 3)", {}, False, "endpoints"),
    ("(1, 3)", "(1, 3]", {}, False, "endpoints"),
    ("(-oo, 0) U (2, oo)", "(2, oo) U (-oo, 0)", {}, True, "equivalent"),
    ("(-oo, 0) U (2, oo)", "(-oo, 0]", {}, False, "not_equivalent"),
    ("(2, oo)", "x > 2", {}, True, "equivalent"),
    ("(0, 1)", "(0, 2)", {}, False, "not_equivalent"),
    ("[0, 1]", "[0, 1]", {}, True, "equivalent"),
    ("(-1, 1)", "(-1, 1]", {}, False, "endpoints"),
]

ANTIDERIVATIVES = [
    ("x^3/3", "x^3/3 + C", {}, True, "equivalent"),
    ("x^3/3", "x^3/3 + 5", {}, True, "equivalent"),
    ("-cos(x)^2/2", "sin(x)^2/2", {}, True, "equivalent"),
    ("x^3/3", "x^3", {}, False, "constant_factor"),
    ("x^3/3", "x^2", {}, False, "not_equivalent"),
    ("ln|x|", "ln(x)", {}, True, "equivalent"),
    ("e^(2x)/2", "e^(2x)", {}, False, "constant_factor"),
    ("-cos(x)", "cos(x)", {}, False, "sign_error"),
    ("x^2/2", "x^2/2", {"plus_c": True}, True, "equivalent"),
    ("x sin(x) + cos(x)", "x sin(x) + cos(x) + C", {}, True, "equivalent"),
]

CHOICES = [
    ("minimum", "min", {}, True, "equivalent"),
    ("minimum", "Local  Minimum", {}, True, "equivalent"),
    ("minimum", "max", {}, False, "not_equivalent"),
    ("saddle", "c", {}, True, "equivalent"),
    ("saddle", "3", {}, True, "equivalent"),
    ("minimum", "banana", {}, None, "not_a_choice"),
]
_CHOICES = {"choices": ["minimum", "maximum", "saddle"]}

FORMS = [
    ("x^2-1", "(x-1)(x+1)", {"form": "factored"}, True, "equivalent"),
    ("(x-1)(x+1)", "x^2-1", {"form": "factored"}, False, "not_factored"),
    ("x^3-x", "x(x^2-1)", {"form": "factored"}, False, "not_factored"),
    ("x^3-x", "x(x-1)(x+1)", {"form": "factored"}, True, "equivalent"),
    ("(x+1)^2", "(x+1)^2", {"form": "factored"}, True, "equivalent"),
    ("x^2+2x+1", "(x+1)^2", {"form": "expanded"}, False, "not_expanded"),
    ("(x+1)^2", "x^2+2x+1", {"form": "expanded"}, True, "equivalent"),
    ("(x+1)/x", "1 + 1/x", {"form": "single_fraction"}, False, "not_single_fraction"),
    ("1 + 1/x", "(x+1)/x", {"form": "single_fraction"}, True, "equivalent"),
    ("x+1", "(x^2-1)/(x-1)", {"form": "simplified"}, False, "not_simplified"),
    ("(x^2-1)/(x-1)", "x+1", {"form": "simplified"}, True, "equivalent"),
    ("x^2+2x+1", "(x+1)^2", {"form": "factored", "question": "x^2+2x+1"}, True, "equivalent"),
    (
        "(x+1)^2",
        "x^2+2x+1",
        {"form": "factored", "question": "x^2+2x+1"},
        False,
        "restates_question",
    ),
]

TABLE = (
    [(e, a, "expression", o, c, k) for e, a, o, c, k in EXPRESSIONS]
    + [(e, a, "number", o, c, k) for e, a, o, c, k in NUMBERS]
    + [(e, a, "equation", o, c, k) for e, a, o, c, k in EQUATIONS]
    + [(e, a, "set", o, c, k) for e, a, o, c, k in SETS]
    + [(e, a, "list", o, c, k) for e, a, o, c, k in LISTS]
    + [(e, a, "point", o, c, k) for e, a, o, c, k in POINTS]
    + [(e, a, "interval", o, c, k) for e, a, o, c, k in INTERVALS]
    + [(e, a, "inequality", o, c, k) for e, a, o, c, k in INEQUALITIES]
    + [(e, a, "antiderivative", o, c, k) for e, a, o, c, k in ANTIDERIVATIVES]
    + [(e, a, "choice", {**_CHOICES, **o}, c, k) for e, a, o, c, k in CHOICES]
    + [(e, a, "expression", o, c, k) for e, a, o, c, k in FORMS]
)

_SYMMETRIC = {
    "expression",
    "number",
    "equation",
    "set",
    "list",
    "point",
    "interval",
    "inequality",
    "antiderivative",
}


def _id(row: tuple) -> str:
    e, a, kind, o, _c, _k = row
    extra = ",".join(f"{k}={v}" for k, v in o.items() if k != "choices")
    return f"{kind}:{e}|{a}" + (f"|{extra}" if extra else "")


@pytest.mark.parametrize("row", TABLE, ids=[_id(r) for r in TABLE])
def test_table(row: tuple) -> None:
    expected, answer, kind, options, correct, code = row
    # a generous budget: the table tests decisions, not speed (benchmarks/bench_check.py),
    # and the machine may be busy
    v = check(answer, expected, kind=kind, **{"timeout": 10.0, **options})
    assert isinstance(v, Verdict)
    json.dumps(v.to_dict())
    assert v.correct is correct, v
    if code is not None:
        assert v.code == code, v
    assert v.code in CODES
    assert v.details["stage"]
    assert v.feedback


BOTH_WAYS = [
    r
    for r in TABLE
    if r[2] in _SYMMETRIC and r[4] is True and not r[3] and r[2] != "antiderivative"
]


@pytest.mark.parametrize("row", BOTH_WAYS, ids=[_id(r) for r in BOTH_WAYS])
def test_equal_pairs_both_ways(row: tuple) -> None:
    expected, answer, kind, options, _correct, _code = row
    if "." in expected or "y =" in answer:  # a decimal expected, or a y = ... answer, is one-way
        pytest.skip("one-way row")
    assert check(expected, answer, kind=kind, **options).correct is True


def test_table_is_large_and_covers_every_kind() -> None:
    assert len(TABLE) >= 100
    kinds = {r[2] for r in TABLE}
    assert kinds == {
        "expression",
        "number",
        "equation",
        "set",
        "list",
        "point",
        "interval",
        "antiderivative",
        "choice",
        "inequality",
    }


def test_floats_from_programs_compare_to_their_precision() -> None:
    v = check("0.3", 0.1 + 0.2, kind="number")
    assert (v.correct, v.code, v.details["stage"]) == (True, "equivalent", "float")
    assert check("0.31", 0.1 + 0.2, kind="number").correct is False
    assert check("0.3, 0.09", [0.1 + 0.2, 0.09000000000000001], kind="list").correct is True


def test_sympy_values_as_expected() -> None:
    assert check("2x cos(x^2)", sympy.diff(sympy.sin(x**2), x)).correct is True
    assert check("1, -1", {1, -1}, kind="set").correct is True
    assert check("DNE", DNE, kind="number").correct is True
    assert check("oo", sympy.oo, kind="number").correct is True
    assert check("(1, 2)", (1, 2), kind="point").correct is True
    real = sympy.Symbol("x", real=True)
    assert check("2x", 2 * real).correct is True


def test_restates_question_with_derivative_object() -> None:
    v = check(sympy.Derivative(x**2, x), 2 * x)
    assert v.correct is False and v.code == "restates_question"


def test_parse_error_verdict_has_position_caret_and_hint() -> None:
    v = check("2x +* 3", "2x + 3")
    assert v.correct is None and v.code == "parse_error"
    assert isinstance(v.details["position"], int)
    assert "^" in v.details["caret"]
    assert "position" in v.feedback


MALICIOUS = [
    "__import__('os').system('echo pwned')",
    "().__class__.__bases__",
    "lambda: 0",
    "x.__class__",
    "(" * 10_000 + "x" + ")" * 10_000,
    "9^9^9^9",
    "10^10^10",
    "x" * 1_000_000,
    "exec('1')",
    "import os",
]


@pytest.mark.parametrize("text", MALICIOUS, ids=[t[:30] for t in MALICIOUS])
def test_malicious_answers_are_parse_errors(text: str, capfd: pytest.CaptureFixture) -> None:
    v = check(text, "x")
    assert v.correct is not True
    assert v.code == "parse_error", v
    assert "pwned" not in capfd.readouterr().out


def test_ambiguous_reading_is_reported() -> None:
    v = check("1/2x", "x/2")
    assert v.correct is True
    if v.details.get("notes"):
        assert "Read as" in v.feedback


def test_malrule_is_named() -> None:
    task = Task("derivative", {"expr": sympy.sin(x**2), "wrt": "x"})
    v = check("cos(x^2)", "2x cos(x^2)", task=task)
    assert v.correct is False
    assert v.code == "missing_chain_factor", v
    assert check("2x cos(x^2)", "2x cos(x^2)", task=task).correct is True


def test_unknown_kind_and_internal_errors_do_not_raise() -> None:
    assert check("1", "1", kind="banana").code == "unknown_kind"
    assert check("1", object()).code == "internal_error"
    with pytest.raises(TypeError, match="timeout"):
        check("x", "x", timeout="soon")  # programmer input: refused at once


def test_equivalent_helper() -> None:
    assert equivalent(x**2 - 1, (x - 1) * (x + 1)) is True
    assert equivalent(sympy.sqrt(x**2), x) is False
    assert equivalent(sympy.log(x**2), 2 * sympy.log(x)) is False
    assert equivalent(x, x + sympy.Rational(1, 10**40)) is False
    assert equivalent(sympy.sin(x) ** 2, 1 - sympy.cos(x) ** 2) is True


def test_deterministic() -> None:
    a = [check("sqrt(x-3)sqrt(x-5)", "sqrt((x-3)(x-5))").to_dict() for _ in range(3)]
    assert a[0] == a[1] == a[2]


def test_timeout_pathological_pair_is_undetermined_within_budget() -> None:
    # an identity that sympy cannot prove in 0.3 s (nor in 2 s)
    expected = "sin(x+y+z+w)^10"
    answer = "(sin(x+y)cos(z+w) + cos(x+y)sin(z+w))^10"
    t = time.monotonic()
    v = check(answer, expected, timeout=0.3)
    elapsed = time.monotonic() - t
    assert v.correct is None and v.code == "timeout", v
    assert elapsed < 10  # very generous: without the budget, sympy runs on and on
    assert check("x^2 - 1", "(x-1)(x+1)").correct is True


def test_worker_is_killed_on_timeout_and_restarts() -> None:
    assert run_bounded("tutor._budget:_sleep", (5.0,), 0.2) is TIMEOUT
    assert run_bounded("tutor._budget:_sleep", (0.0,), 2.0) == 0.0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answer=st.text(
        alphabet=st.sampled_from(list("x y 0123456789+-*/^().,=<>{}[]|eπ√sincolgqrtUD ")),
        max_size=30,
    ),
    kind=st.sampled_from(
        [
            "expression",
            "number",
            "equation",
            "set",
            "list",
            "point",
            "interval",
            "antiderivative",
            "choice",
        ]
    ),
)
def test_check_never_raises(answer: str, kind: str) -> None:
    v = check(answer, "x^2 - 1" if kind != "interval" else "(1, 2]", kind=kind, timeout=1.0)
    assert isinstance(v, Verdict)
    assert v.code in CODES


# Regression rows, one per defect fixed (named after it): (name, expected, answer, kind,
# options, correct, code).
_F = sympy.Float
REGRESSIONS = [
    ("point_tol", "(1, 2)", "(1.01, 2)", "point", {"tol": 0.05}, True, "within_tolerance"),
    ("point_tol_outside", "(1, 2)", "(1.2, 2)", "point", {"tol": 0.05}, False, None),
    ("point_rtol", "(100, 2)", "(101, 2)", "point", {"rtol": 0.02}, True, "within_tolerance"),
    ("point_rtol_outside", "(100, 2)", "(103, 2)", "point", {"rtol": 0.02}, False, None),
    ("point_sigfigs", "(pi, e)", "(3.14, 2.72)", "point", {"sigfigs": 3}, True, None),
    ("point_sigfigs_wrong", "(pi, e)", "(3.15, 2.72)", "point", {"sigfigs": 3}, False, None),
    ("list_tol", "1, 2", "1.01, 2", "list", {"tol": 0.05}, True, "within_tolerance"),
    ("list_rtol_outside", "1, 2", "1.1, 2", "list", {"rtol": 0.05}, False, None),
    ("set_tol", "{1, 2}", "{2.01, 1}", "set", {"tol": 0.05}, True, "within_tolerance"),
    ("set_sigfigs_outside", "{pi}", "{3.2}", "set", {"sigfigs": 3}, False, None),
    ("float_expected_expression", _F("0.1234"), "0.1234", "expression", {}, True, "equivalent"),
    ("float_expected_number", _F("0.1234"), "0.1234", "number", {}, True, "equivalent"),
    ("float_expected_wrong", _F("0.1234"), "0.1235", "expression", {}, False, "not_equivalent"),
    ("float_expected_fraction", _F(0.25), "1/4", "number", {}, True, "equivalent"),
    ("float_expected_rounding", _F(0.1 + 0.2), "0.3", "number", {}, True, "equivalent"),
    ("float_expected_coefficient", _F("0.1234") * x, "0.1234x", "expression", {}, True, None),
    ("float_expected_coarse", _F("0.12", 2), "0.12", "number", {}, True, "equivalent"),
    ("float_expected_point", (_F(0.5), _F(1.5)), "(1/2, 3/2)", "point", {}, True, None),
    ("domain_sqrt_squared", "x", "sqrt(x)^2", "expression", {}, False, "domain_differs"),
    ("domain_sqrt_squared_rev", "sqrt(x)^2", "x", "expression", {}, False, "domain_differs"),
    ("domain_sqrt_times_sqrt", "x", "sqrt(x)*sqrt(x)", "expression", {}, False, "domain_differs"),
    ("domain_sqrt_over_sqrt", "1", "sqrt(x)/sqrt(x)", "expression", {}, False, "domain_differs"),
    ("domain_exp_ln", "x", "exp(ln(x))", "expression", {}, False, "domain_differs"),
    ("domain_e_power_ln", "x", "e^(ln(x))", "expression", {}, False, "domain_differs"),
    ("domain_exp_2ln", "x^2", "exp(2ln(x))", "expression", {}, False, "domain_differs"),
    (
        "domain_latex_sqrt_squared",
        "x",
        "\\left(\\sqrt{x}\\right)^2",
        "expression",
        {},
        False,
        "domain_differs",
    ),
    (
        "domain_common_sqrt_squared",
        "x",
        "sqrt(x)^2",
        "expression",
        {"domain": "common"},
        True,
        "equivalent",
    ),
    (
        "domain_common_exp_ln",
        "x",
        "exp(ln(x))",
        "expression",
        {"domain": "common"},
        True,
        "equivalent",
    ),
    ("domain_ln_exp_is_x", "x", "ln(exp(x))", "expression", {}, True, "equivalent"),
    ("domain_fourth_root_squared", "sqrt(x)", "(x^(1/4))^2", "expression", {}, True, None),
    (
        "domain_sqrt_squared_plus_one",
        "x + 1",
        "sqrt(x)^2 + 1",
        "expression",
        {},
        False,
        "domain_differs",
    ),
    ("domain_same_both_sides", "sqrt(x)^2", "sqrt(x)*sqrt(x)", "expression", {}, True, None),
]


@pytest.mark.parametrize("row", REGRESSIONS, ids=[r[0] for r in REGRESSIONS])
def test_regressions(row: tuple) -> None:
    _name, expected, answer, kind, options, correct, code = row
    v = check(answer, expected, kind=kind, **options)
    assert v.correct is correct, v
    if code is not None:
        assert v.code == code, v


def test_parser_keeps_domain_restrictions_only_where_needed() -> None:
    from tutor.parse import parse

    assert parse("sqrt(x)^2", variables=["x"]) != x
    assert parse("exp(ln(x))", variables=["x"]) != x
    # ordinary input is the ordinary evaluated sympy object
    assert parse("x^2 + 3x", variables=["x"]) == x**2 + 3 * x
    assert parse("sqrt(x)^3", variables=["x"]) == x ** sympy.Rational(3, 2)
    assert parse("ln(exp(x))", variables=["x"]) == sympy.log(sympy.exp(x))
    assert parse("exp(ln(2))", variables=["x"]) == 2
    assert parse("(x^(1/4))^2", variables=["x"]) == sympy.sqrt(x)


# STACK answer-test fixtures, rewritten by the course's policy (DESIGN.md): AlgEquiv,
# NumAbsolute/NumRelative/NumSigFigs, Equiv for equations, sets, intervals.
# (test, expected, answer, kind, options, correct)
STACK = [
    ("AlgEquiv", "x^2-1", "(x-1)*(x+1)", "expression", {}, True),
    ("AlgEquiv", "x^2+2*x+1", "(x+1)^2", "expression", {}, True),
    ("AlgEquiv", "x^2+2*x+1", "(x-1)^2", "expression", {}, False),
    ("AlgEquiv", "(x-1)^2", "(1-x)^2", "expression", {}, True),
    ("AlgEquiv", "1/(x+1)", "1/(1+x)", "expression", {}, True),
    ("AlgEquiv", "x/(x^2-1)", "1/(2*(x-1))+1/(2*(x+1))", "expression", {}, True),
    ("AlgEquiv", "x/(x^2-1)", "1/(x-1)+1/(x+1)", "expression", {}, False),
    ("AlgEquiv", "2^(1/2)", "sqrt(2)", "expression", {}, True),
    ("AlgEquiv", "1/sqrt(2)", "sqrt(2)/2", "expression", {}, True),
    ("AlgEquiv", "sqrt(12)", "2*sqrt(3)", "expression", {}, True),
    ("AlgEquiv", "sqrt(12)", "3*sqrt(2)", "expression", {}, False),
    ("AlgEquiv", "a^2*b^3", "b^3*a^2", "expression", {}, True),
    ("AlgEquiv", "(a+b)^3", "a^3+3*a^2*b+3*a*b^2+b^3", "expression", {}, True),
    ("AlgEquiv", "(a+b)^3", "a^3+b^3", "expression", {}, False),
    ("AlgEquiv", "sin(x)^2", "1-cos(x)^2", "expression", {}, True),
    ("AlgEquiv", "cos(2*x)", "cos(x)^2-sin(x)^2", "expression", {}, True),
    ("AlgEquiv", "cos(2*x)", "1-2*sin(x)^2", "expression", {}, True),
    ("AlgEquiv", "cos(2*x)", "2*cos(x)^2", "expression", {}, False),
    ("AlgEquiv", "e^(x+y)", "e^x*e^y", "expression", {}, True),
    ("AlgEquiv", "ln(x*y)", "ln(x)+ln(y)", "expression", {}, False),
    ("AlgEquiv", "ln(a)", "ln(a)", "expression", {}, True),
    ("AlgEquiv", "abs(x)", "sqrt(x^2)", "expression", {}, True),
    ("AlgEquiv", "x", "sqrt(x^2)", "expression", {}, False),
    pytest.param(
        ("AlgEquiv", "x", "(x^3)^(1/3)", "expression", {}, True),
        marks=pytest.mark.xfail(
            strict=True, reason="known gap: real odd roots are not proved symbolically"
        ),
        id="AlgEquiv:x|(x^3)^(1/3)|expression",
    ),
    ("AlgEquiv", "x^(1/2)", "sqrt(x)", "expression", {}, True),
    ("AlgEquiv", "sqrt(x)", "x", "expression", {}, False),
    ("AlgEquiv", "x^2", "sqrt(x)^4", "expression", {}, False),
    ("AlgEquiv", "1/2", "0.5", "expression", {}, True),
    ("AlgEquiv", "1/3", "0.3333", "expression", {}, False),
    ("AlgEquiv", "pi", "3.1415927", "expression", {}, False),
    ("AlgEquiv", "x+y", "y+x", "expression", {}, True),
    ("AlgEquiv", "x+y", "x-y", "expression", {}, False),
    ("AlgEquiv", "(x^2-4)/(x-2)", "x+2", "expression", {}, True),
    ("AlgEquiv", "tan(x)", "sin(x)/cos(x)", "expression", {}, True),
    ("AlgEquiv", "exp(2*ln(x))", "x^2", "expression", {}, False),
    ("AlgEquiv", "atan(1/x)", "pi/2 - atan(x)", "expression", {}, False),
    ("AlgEquiv", "1", "sin(x)^2+cos(x)^2", "expression", {}, True),
    ("AlgEquiv", "0", "sin(x)^2+cos(x)^2-1", "expression", {}, True),
    ("AlgEquiv", "x^3-x", "x*(x-1)*(x+1)", "expression", {}, True),
    ("AlgEquiv", "x^3-x", "x*(x-1)*(x-1)", "expression", {}, False),
    ("NumAbsolute", "1.5", "1.49", "number", {"tol": 0.05}, True),
    ("NumAbsolute", "1.5", "1.4", "number", {"tol": 0.05}, False),
    ("NumAbsolute", "pi", "3.14", "number", {"tol": 0.01}, True),
    ("NumAbsolute", "0", "0.001", "number", {"tol": 0.01}, True),
    ("NumAbsolute", "0", "-0.02", "number", {"tol": 0.01}, False),
    ("NumRelative", "1000", "1040", "number", {"rtol": 0.05}, True),
    ("NumRelative", "1000", "1060", "number", {"rtol": 0.05}, False),
    ("NumRelative", "e", "2.7", "number", {"rtol": 0.01}, True),
    ("NumRelative", "-2", "-2.05", "number", {"rtol": 0.05}, True),
    ("NumRelative", "-2", "2", "number", {"rtol": 0.05}, False),
    ("NumSigFigs", "pi", "3.14", "number", {"sigfigs": 3}, True),
    ("NumSigFigs", "pi", "3.15", "number", {"sigfigs": 3}, False),
    ("NumSigFigs", "0.001234", "0.00123", "number", {"sigfigs": 3}, True),
    ("NumSigFigs", "1234", "1230", "number", {"sigfigs": 3}, True),
    ("NumSigFigs", "1234", "1240", "number", {"sigfigs": 3}, False),
    ("NumSigFigs", "2/3", "0.667", "number", {"sigfigs": 3}, True),
    ("NumSigFigs", "2/3", "0.666", "number", {"sigfigs": 3}, False),
    ("Equiv", "x = 2", "2*x = 4", "equation", {}, True),
    ("Equiv", "x = 2", "x - 2 = 0", "equation", {}, True),
    ("Equiv", "x^2 = 4", "x = 2 or x = -2", "equation", {}, True),
    ("Equiv", "x^2 = 4", "x = 2", "equation", {}, False),
    ("Equiv", "x = 2", "x^2 = 4", "equation", {}, False),
    ("Equiv", "y = 2*x + 1", "2*x - y + 1 = 0", "equation", {}, True),
    ("Equiv", "y = 2*x + 1", "y = 2*x - 1", "equation", {}, False),
    ("Equiv", "x^2 - 5*x + 6 = 0", "(x - 2)*(x - 3) = 0", "equation", {}, True),
    ("Equiv", "x = 1", "x*(x - 1) = 0", "equation", {}, False),
    ("Sets", "{1, 2, 3}", "{3, 2, 1}", "set", {}, True),
    ("Sets", "{1, 2, 3}", "{1, 2}", "set", {}, False),
    ("Sets", "{1, 2}", "{1, 2, 2}", "set", {}, True),
    ("Sets", "{sqrt(2), -sqrt(2)}", "{2^(1/2), -2^(1/2)}", "set", {}, True),
    ("Sets", "{1/2}", "{2/4}", "set", {}, True),
    ("Sets", "{}", "{}", "set", {}, True),
    ("Sets", "{1}", "{}", "set", {}, False),
    ("Intervals", "[1, 2]", "[1, 2]", "interval", {}, True),
    ("Intervals", "[1, 2]", "(1, 2)", "interval", {}, False),
    ("Intervals", "(-oo, 1) U (1, oo)", "x != 1", "interval", {}, True),
    ("Intervals", "[0, 3]", "[0, 1] U [1, 3]", "interval", {}, True),
    ("Intervals", "[0, 3]", "[0, 1) U (1, 3]", "interval", {}, False),
    ("Intervals", "(0, oo)", "x > 0", "interval", {}, True),
    ("Intervals", "[-2, 2]", "x^2 <= 4", "interval", {}, True),
    ("Intervals", "(-2, 2)", "x^2 <= 4", "interval", {}, False),
]

# math-verify style: LaTeX answers (as a model writes them) against plain expected values.
# (expected, answer, kind, correct)
MATH_VERIFY = [
    ("1/2", "\\frac{1}{2}", "number", True),
    ("1/2", "\\dfrac{1}{2}", "number", True),
    ("1/2", "$\\frac12$", "number", True),
    ("1/2", "\\boxed{\\frac{1}{2}}", "number", True),
    ("1/2", "\\boxed{0.5}", "number", True),
    ("1/2", "\\frac{1}{3}", "number", False),
    ("3/4", "\\frac{6}{8}", "number", True),
    ("-3/4", "-\\frac{3}{4}", "number", True),
    ("-3/4", "\\frac{-3}{4}", "number", True),
    ("-3/4", "\\frac{3}{4}", "number", False),
    ("sqrt(2)", "\\sqrt{2}", "number", True),
    ("sqrt(2)/2", "\\frac{\\sqrt{2}}{2}", "number", True),
    ("sqrt(2)/2", "\\frac{1}{\\sqrt{2}}", "number", True),
    ("2*sqrt(3)", "\\sqrt{12}", "number", True),
    ("2*sqrt(3)", "\\sqrt{3}", "number", False),
    ("cbrt(2)", "\\sqrt[3]{2}", "number", True),
    ("pi", "\\pi", "number", True),
    ("pi/2", "\\frac{\\pi}{2}", "number", True),
    ("pi/2", "\\frac{\\pi}{3}", "number", False),
    ("2*pi", "2\\pi", "number", True),
    ("pi", "3.14", "number", False),
    ("e^2", "e^{2}", "number", True),
    ("ln(2)", "\\ln 2", "number", True),
    ("ln(2)", "\\log 2", "number", True),
    ("6", "\\boxed{6}", "number", True),
    ("6", "\\boxed{7}", "number", False),
    ("10", "$10$", "number", True),
    ("1000", "1{,}000", "number", True),
    ("x^2", "x^{2}", "expression", True),
    ("2*x + 1", "2x+1", "expression", True),
    ("(x+1)/2", "\\frac{x+1}{2}", "expression", True),
    ("sqrt(x+1)", "\\sqrt{x+1}", "expression", True),
    ("sin(x)^2", "\\sin^2 x", "expression", True),
    ("sin(x)^2", "\\sin^2(x)", "expression", True),
    ("e^x", "e^{x}", "expression", True),
    ("x = 2", "x=2", "equation", True),
    ("x = 2", "x = 3", "equation", False),
    ("x = 2", "2", "equation", False),
    ("y = 2x + 3", "y=2x+3", "equation", True),
    ("(1, 2)", "\\left(1, 2\\right)", "interval", True),
    ("(1, 2)", "\\left[1, 2\\right)", "interval", False),
    ("[0, oo)", "[0, \\infty)", "interval", True),
    ("(-oo, 0) U (1, oo)", "(-\\infty, 0) \\cup (1, \\infty)", "interval", True),
    ("(-oo, 0) U (1, oo)", "(-\\infty, 0] \\cup (1, \\infty)", "interval", False),
    ("{1, 2}", "\\{1, 2\\}", "set", True),
    ("{1, 2}", "\\{2, 1\\}", "set", True),
    ("{1, 2}", "\\{1, 3\\}", "set", False),
    ("{-1, 1}", "\\pm 1", "set", True),
    ("(1, 2)", "(1,2)", "point", True),
    ("(1, 2)", "(2,1)", "point", False),
]


def _stack_id(r: Any) -> str:
    r = r.values[0] if hasattr(r, "marks") else r
    return f"{r[0]}:{r[1]}|{r[2]}|{r[3]}"


@pytest.mark.parametrize("row", STACK, ids=[_stack_id(r) for r in STACK])
def test_stack_fixtures(row: tuple) -> None:
    _test, expected, answer, kind, options, correct = row
    v = check(answer, expected, kind=kind, **{"timeout": 10.0, **options})
    assert v.correct is correct, v


@pytest.mark.parametrize("row", MATH_VERIFY, ids=[f"{r[2]}:{r[0]}|{r[1]}" for r in MATH_VERIFY])
def test_math_verify_style(row: tuple) -> None:
    expected, answer, kind, correct = row
    v = check(answer, expected, kind=kind)
    assert v.correct is correct, v


def test_tolerance_does_not_let_one_value_stand_for_two() -> None:
    v = check("{1}", "{1, 1.02}", kind="set", tol=0.05)
    assert v.correct is False, v
    v = check("{1, 1.02}", "{1.01, 1}", kind="set", tol=0.05)
    assert v.correct is True, v


def test_coarse_float_expected_uses_its_own_digits() -> None:
    assert check("0.13", sympy.Float("0.12", 2), kind="number").correct is False
    assert check("0.12", sympy.Float("0.12", 2), kind="number").correct is True


@pytest.mark.parametrize(
    ("answer", "expected", "correct", "says"),
    [
        ("y=3x+1", "y = 5 - 6x", False, "different set of points"),
        ("x=1", "y = 5 - 6x", False, "involves y"),
        ("6x + y = 5", "y = 5 - 6x", True, "Correct"),
        ("x = 1", "x + y - y = 1", True, "Correct"),
    ],
)
def test_quiz_report_lines_as_equations(answer, expected, correct, says):
    """From the quiz trial: a wrong tangent line got value-set feedback, x=1 was undecided."""
    v = check(answer, expected, kind="equation")
    assert v.correct is correct and says in v.feedback
