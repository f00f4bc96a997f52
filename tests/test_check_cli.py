"""Tests for ``tutor check``: exit codes, human and JSON output, the JSONL stream."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tutor.cli import main


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize(
    "args, status, mark",
    [
        (["2x cos(x^2)", "cos(x^2)*2x"], 0, "✔"),
        (["2x", "-2x"], 1, "✘"),
        (["2x", "2x +* 3"], 2, "?"),
        (["y = 2x - 5", "y - 1 = 2(x - 3)", "--kind", "equation"], 0, "✔"),
        (["x = 1", "1", "--kind", "equation"], 1, "✘"),
        (["(1, 3)", "(1, 2] U [2, 3)", "--kind", "interval"], 0, "✔"),
        (["1/3", "0.33", "--kind", "number"], 1, "✘"),
        (["pi", "3.14", "--kind", "number", "--tol", "0.01"], 0, "✔"),
        (["x^2 - 1", "x^2 - 1", "--form", "factored"], 1, "✘"),
        (["2x", "2y", "--var", "x"], 1, "✘"),
        (
            ["minimum", "min", "--kind", "choice", "--choice", "minimum", "--choice", "maximum"],
            0,
            "✔",
        ),
    ],
)
def test_exit_status_and_mark(runner: CliRunner, args: list[str], status: int, mark: str) -> None:
    r = runner.invoke(main, ["check", *args])
    assert r.exit_code == status, r.output
    assert r.output.startswith(mark)


def test_parse_error_shows_caret_block(runner: CliRunner) -> None:
    r = runner.invoke(main, ["check", "2x", "2x +* 3"])
    assert r.exit_code == 2
    assert "parse_error" in r.output
    assert "^" in r.output


def test_json_output(runner: CliRunner) -> None:
    r = runner.invoke(main, ["check", "2x", "-2x", "--json"])
    assert r.exit_code == 1
    data = json.loads(r.output)
    assert data["correct"] is False and data["code"] == "sign_error"


def test_missing_arguments_is_a_usage_error(runner: CliRunner) -> None:
    r = runner.invoke(main, ["check", "2x"])
    assert r.exit_code == 2
    assert "Traceback" not in r.output


def _lines(rows: list[object]) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n"


JSONL = [
    {"id": 1, "expected": "2x", "answer": "2*x"},
    {"id": 2, "expected": "1/3", "answer": "0.33", "kind": "number"},
    "{not json",
    {"id": 4, "expected": "x = 1", "answer": "1", "kind": "equation"},
    [1, 2],
    {"id": 6, "expected": "{1, -1}", "answer": "x = 1 or x = -1", "kind": "set"},
    {"id": 7, "answer": "x"},
    {"id": 8, "expected": "2x", "answer": "(((", "kind": "expression"},
    {"id": 9, "expected": "sin(2x)", "answer": "2 sin(x) cos(x)"},
    {"id": 10, "expected": "pi", "answer": "3.14", "kind": "number", "tol": 0.01},
    "",
    {
        "id": 12,
        "expected": "minimum",
        "answer": "min",
        "kind": "choice",
        "choices": ["minimum", "maximum"],
    },
    {"id": 13, "expected": "x", "answer": "x", "bogus_option": 1, "kind": "nope"},
]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jsonl_one_line_per_input_in_order(runner: CliRunner, jobs: str) -> None:
    r = runner.invoke(main, ["check", "--jsonl", "--jobs", jobs], input=_lines(JSONL))
    assert r.exit_code == 0, r.output
    out = [json.loads(line) for line in r.output.splitlines()]
    assert len(out) == len(JSONL)
    assert [o["line"] for o in out] == list(range(1, len(JSONL) + 1))
    by_line = {o["line"]: o for o in out}
    assert by_line[1]["id"] == 1 and by_line[1]["correct"] is True
    assert by_line[2]["code"] == "not_exact"
    assert by_line[3]["code"] == "bad_input" and by_line[3]["correct"] is None
    assert by_line[4]["code"] == "wrong_kind"
    assert by_line[5]["code"] == "bad_input"
    assert by_line[6]["correct"] is True
    assert by_line[7]["code"] == "bad_input" and by_line[7]["id"] == 7
    assert by_line[8]["code"] == "parse_error"
    assert by_line[9]["correct"] is True
    assert by_line[10]["code"] == "within_tolerance"
    assert by_line[11]["code"] == "bad_input"
    assert by_line[12]["correct"] is True
    # a misspelt option is refused, never silently ignored
    assert by_line[13]["code"] == "bad_input" and "bogus_option" in by_line[13]["feedback"]


def test_jsonl_timeout_line_gives_a_result_and_the_run_goes_on(runner: CliRunner) -> None:
    rows = [
        {
            "id": "slow",
            "expected": "sin(x+y+z)^12",
            "answer": "(sin(x)cos(y+z)+cos(x)sin(y+z))^12",
            "timeout": 0.05,
        },
        {"id": "fast", "expected": "2x", "answer": "2x"},
    ]
    r = runner.invoke(main, ["check", "--jsonl", "--jobs", "2"], input=_lines(rows))
    out = [json.loads(line) for line in r.output.splitlines()]
    assert [o["id"] for o in out] == ["slow", "fast"]
    assert out[0]["correct"] in (None, True)
    assert out[1]["correct"] is True


def test_jsonl_refuses_positional_arguments(runner: CliRunner) -> None:
    r = runner.invoke(main, ["check", "--jsonl", "x", "x"], input="")
    assert r.exit_code == 2
