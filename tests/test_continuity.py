"""Continuity: the classification table, piecewise functions, and the limits CLI."""

from __future__ import annotations

import json
import re

import pytest
import sympy
from click.testing import CliRunner
from sympy import Piecewise

from tutor.cli import main
from tutor.steps.limits import continuity

x = sympy.Symbol("x")


def E(text: str) -> sympy.Expr:  # noqa: N802 - literal test input written here
    return sympy.sympify(text, locals={"x": x})


CASES = [
    ("x**2 + 1", 2, "continuous"),
    ("sqrt(x)", 4, "continuous"),
    ("sin(x)/x", 0, "removable"),
    ("(x**2 - 1)/(x - 1)", 1, "removable"),
    ("(x**2 - 4)/(x - 2)", 2, "removable"),
    ("1/x", 0, "infinite"),
    ("1/(x - 3)**2", 3, "infinite"),
    ("tan(x)", "pi/2", "infinite"),
    ("exp(1/x)", 0, "infinite"),
    ("Abs(x)/x", 0, "jump"),
    ("floor(x)", 2, "jump"),
    ("floor(x)", "5/2", "continuous"),
    ("sin(1/x)", 0, "oscillating"),
    ("x*sin(1/x)", 0, "removable"),
    ("Abs(x)", 0, "continuous"),
]


@pytest.mark.parametrize(("text", "at", "kind"), CASES)
def test_classification(text: str, at: object, kind: str) -> None:
    a = E(at) if isinstance(at, str) else at
    sol = continuity(E(text), a)
    assert sol.answer == kind
    assert sol.task.kind == "continuity"
    rules = [s.rule for s in sol.steps]
    assert rules == ["evaluate", "one_sided", "one_sided", "continuity_test"]
    for step in sol.walk():  # every placeholder filled
        assert not re.search(r"\{[A-Za-z_0-9]+\}", step.text()), (step.rule, step.text())
    left, right = sol.steps[1].after, sol.steps[2].after
    if kind not in ("oscillating",):
        assert left == sympy.limit(E(text), x, a, "-")
        assert right == sympy.limit(E(text), x, a, "+")


PIECES = [
    (((x**2, x < 1), (2 * x - 1, True)), 1, "continuous"),
    (((x**2, x < 1), (2 * x, True)), 1, "jump"),
    (((x + 1, x < 0), (1 / x, True)), 0, "infinite"),
    (((x**2, x < 2), (5, sympy.Eq(x, 2)), (2 * x, True)), 2, "removable"),
    (((sympy.sin(x) / x, x < 0), (1, True)), 0, "continuous"),
]


@pytest.mark.parametrize(("pieces", "at", "kind"), PIECES)
def test_piecewise(pieces: tuple, at: object, kind: str) -> None:
    sol = continuity(Piecewise(*pieces), at)
    assert sol.answer == kind


def test_removable_says_how_to_fill_the_hole() -> None:
    sol = continuity(E("(x**2 - 1)/(x - 1)"), 1)
    assert "removable" in sol.steps[-1].text()
    assert sol.steps[0].after == "undefined"


# ---------------------------------------------------------------- the command line
runner = CliRunner()


def run(*args: str) -> object:
    return runner.invoke(main, ["solve", *args])


def test_cli_limit_text() -> None:
    res = run("limit", "sin(3x)/x", "--at", "0")
    assert res.exit_code == 0, res.output
    assert "Standard trig limit" in res.output or "standard" in res.output.lower()
    assert "3" in res.output.splitlines()[-1]


def test_cli_limit_json_and_direction() -> None:
    res = run("limit", "1/x", "--at", "0", "--dir", "-", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["answer"] == "-oo"
    assert data["task"]["kind"] == "limit"


def test_cli_limit_infinity_and_table() -> None:
    res = run("limit", "(3x^2 + 1)/(5x^2 - x)", "--at", "oo", "--table", "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["answer"] == "3/5"
    assert data["steps"][0]["rule"] == "table_of_values"


def test_cli_limit_dne() -> None:
    res = run("limit", "|x|/x", "--at", "0", "--format", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["answer"] == "DNE"


def test_cli_parse_error() -> None:
    res = run("limit", "sin(3x/", "--at", "0")
    assert res.exit_code == 2
    assert "^" in res.output
    assert "Traceback" not in res.output


def test_cli_definition() -> None:
    res = run("definition", "x^2 + 3x", "--at", "1", "--format", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["answer"] == 5


def test_cli_continuity_pieces() -> None:
    res = run(
        "continuity",
        "--piece",
        "x^2 if x < 1",
        "--piece",
        "2x if x >= 1",
        "--at",
        "1",
        "--format",
        "json",
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["answer"] == "jump"


def test_cli_continuity_expression() -> None:
    res = run("continuity", "(x^2-1)/(x-1)", "--at", "1", "--format", "markdown")
    assert res.exit_code == 0, res.output
    assert "removable" in res.output


def test_cli_continuity_needs_a_function() -> None:
    res = run("continuity", "--at", "1")
    assert res.exit_code == 2
    res = run("continuity", "--piece", "x^2 when x < 1", "--at", "1")
    assert res.exit_code == 2


def test_continuity_under_a_budget() -> None:
    sol = continuity(E("(x**2 - 1)/(x - 1)"), 1, seconds=1e-9)
    assert sol.answer is None
    assert [s.rule for s in sol.steps] == ["out_of_time"]
    assert continuity(E("(x**2 - 1)/(x - 1)"), 1, seconds=None).answer == "removable"


@pytest.mark.parametrize(("text", "at", "kind"), CASES[:6])
def test_one_sided_steps_are_limits(text: str, at: object, kind: str) -> None:
    a = E(at) if isinstance(at, str) else at
    sol = continuity(E(text), a)
    for step, side in zip(sol.steps[1:3], ("-", "+")):
        assert isinstance(step.before, sympy.Limit)
        assert str(step.before.args[3]) == side
