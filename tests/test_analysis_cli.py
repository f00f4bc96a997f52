"""``tutor solve extrema | monotonic | concavity | tangent | secant | leastsquares`` via CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

pytest.importorskip("tutor.parse")

from tutor.commands.analysis import (  # noqa: E402
    concavity,
    extrema,
    leastsquares,
    monotonic,
    secant,
    tangent,
)


@pytest.fixture
def runner():
    return CliRunner()


@pytest.mark.parametrize(
    "cmd, args, needle",
    [
        (extrema, ["x^3 - 3x"], "maximum"),
        (extrema, ["x^3 - 3x", "--on", "0", "3"], "18"),
        (extrema, ["x^2 + y^2 - x*y"], "minimum"),
        (monotonic, ["x^3 - 3x", "--ascii"], "increasing"),
        (concavity, ["x e^x"], "concave"),
        (tangent, ["x^2", "--at", "1"], "2x"),
        (tangent, ["x^2", "--at", "1", "--normal"], "3/2"),
        (tangent, ["sqrt(x)", "--at", "4", "--approx", "4.1"], "81/40"),
        (secant, ["x^3", "1", "3"], "13"),
        (leastsquares, ["--x", "1,2,3", "--y", "2,4,7"], "w"),
    ],
)
def test_commands_run(runner, cmd, args, needle):
    res = runner.invoke(cmd, args)
    assert res.exit_code == 0, res.output
    assert needle in res.output


@pytest.mark.parametrize("fmt", ["markdown", "latex", "json"])
def test_formats(runner, fmt):
    res = runner.invoke(extrema, ["x^3 - 3x", "--format", fmt])
    assert res.exit_code == 0, res.output
    if fmt == "json":
        data = json.loads(res.output)
        assert data["task"]["kind"] == "critical_points"
        assert data["answer"] == [[-1, "maximum"], [1, "minimum"]]


@pytest.mark.parametrize(
    "cmd, args",
    [
        (extrema, ["x^3 - 3*"]),
        (extrema, ["x^2", "--on", "3", "1"]),
        (tangent, ["abs(x)", "--at", "0"]),
        (leastsquares, ["--x", "1,2", "--y", "1"]),
        (tangent, ["x^2", "--at", "1+"]),
    ],
)
def test_bad_input_exits_2_without_traceback(runner, cmd, args):
    res = runner.invoke(cmd, args)
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert "Error" in res.output


def test_parse_error_shows_caret(runner):
    res = runner.invoke(extrema, ["x^3 - 3*"])
    assert "^" in res.output
