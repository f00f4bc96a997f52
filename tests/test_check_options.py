"""Options of tutor.check are a typed record: unknown names and wrong types are refused."""

from __future__ import annotations

import pytest

from tutor.check import check
from tutor.check.options import CheckOptions, OptionError

MISSPELT = [
    # (keyword, value, the valid option the error must name)
    ("tolerance", 0.01, "tol"),
    ("rtolerance", 0.01, "rtol"),
    ("sig_figs", 3, "sigfigs"),
    ("variable", ["x"], "variables"),
    ("forms", "factored", "form"),
    ("time_out", 1.0, "timeout"),
    ("plusc", True, "plus_c"),
    ("choice", ["a", "b"], "choices"),
    ("solvefor", "y", "solve_for"),
    ("positives", ["k"], "positive"),
    ("integers", ["n"], "integer"),
]


@pytest.mark.parametrize(("key", "value", "closest"), MISSPELT)
def test_unknown_option_raises_naming_the_closest(key: str, value: object, closest: str) -> None:
    with pytest.raises(TypeError, match=f"did you mean '{closest}'"):
        check("3.14", "pi", kind="number", **{key: value})


BAD_VALUES = [
    ("tol", "0.01", "tol must be a number"),
    ("tol", -1, "tol must be at least 0"),
    ("sigfigs", 2.5, "sigfigs must be a whole number"),
    ("sigfigs", 0, "sigfigs must be at least 1"),
    ("timeout", 0, "timeout must be positive"),
    ("domain", "loose", "domain must be one of"),
    ("endpoints", "open", "endpoints must be one of"),
    ("plus_c", "yes", "plus_c must be True or False"),
    ("choices", "abc", "choices must be a list"),
    ("variables", 3, "variables must be"),
]


@pytest.mark.parametrize(("key", "value", "says"), BAD_VALUES)
def test_wrong_types_raise(key: str, value: object, says: str) -> None:
    with pytest.raises(OptionError, match=says):
        CheckOptions(**{key: value})
    with pytest.raises(TypeError, match=says):
        check("1", "1", **{key: value})


VARIABLE_SPELLINGS = ["x,y", "x y", "x, y", ["x", "y"], ("x", "y")]


@pytest.mark.parametrize("spelling", VARIABLE_SPELLINGS)
def test_variables_mean_the_same_however_written(spelling: object) -> None:
    assert CheckOptions(variables=spelling).variables == ("x", "y")


def test_from_mapping_reads_a_jsonl_line() -> None:
    o = CheckOptions.from_mapping(
        {"kind": "set", "tol": 0.05, "choices": ["a", "b"], "variables": "t", "positive": ["k"]}
    )
    assert (o.kind, o.tol, o.choices, o.variables, o.positive) == (
        "set",
        0.05,
        ("a", "b"),
        ("t",),
        ("k",),
    )
    with pytest.raises(OptionError, match="unknown check option 'tolerance'; did you mean 'tol'"):
        CheckOptions.from_mapping({"tolerance": 0.01})
    with pytest.raises(OptionError, match="mapping"):
        CheckOptions.from_mapping(["tol", 0.01])  # type: ignore[arg-type]


def test_record_is_frozen_and_passes_whole() -> None:
    o = CheckOptions(kind="number", tol=0.01)
    with pytest.raises(AttributeError):
        o.tol = 0.5  # type: ignore[misc]
    assert check("3.14", "pi", options=o).code == "within_tolerance"
    # keywords given beside the record override it
    assert check("3.14", "pi", options=o, tol=0.001).code == "outside_tolerance"


ASSUMPTIONS = [
    # (answer, expected, options, correct, assumptions reported)
    (
        "sqrt(L/g)",
        "1/sqrt(g/L)",
        {"positive": ["L", "g"]},
        True,
        {"L": "positive", "g": "positive"},
    ),
    (
        "sqrt(L/g)",
        "1/sqrt(g/L)",
        {"variables": [], "parameters_positive": True},
        True,
        {"L": "positive", "g": "positive"},
    ),
    ("(p^q)^r", "p^(q r)", {"positive": ["p"]}, True, {"p": "positive"}),
    ("(-3)^k", "(-3)^(k+2)", {"integer": ["k"]}, False, None),
    ("9(-3)^k", "(-3)^(k+2)", {"integer": ["k"]}, True, {"k": "integer"}),
    ("sqrt(k^2 m^2)", "k m", {"positive": ["k", "m"]}, True, {"k": "positive", "m": "positive"}),
    ("sqrt(k^2)", "k", {}, False, None),
    ("cos(pi n)", "(-1)^n", {"integer": ["n"]}, True, {"n": "integer"}),
]


@pytest.mark.parametrize(("answer", "expected", "options", "correct", "reported"), ASSUMPTIONS)
def test_declared_assumptions(answer, expected, options, correct, reported) -> None:
    v = check(answer, expected, **options)
    assert v.correct is correct, v
    if reported is not None:
        assert v.details.get("assumptions") == reported, v
