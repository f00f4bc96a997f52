"""The command line: tutor solve descent|backprop|loss and tutor gradcheck."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tutor.cli import main

pytest.importorskip("tutor.parse")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_descent_table_and_answer():
    res = run("solve", "descent", "x^2 - 4x", "--x0", "0", "--lr", "0.1", "--steps", "3")
    assert res.exit_code == 0, res.output
    assert "122/125" in res.output


def test_descent_json_and_momentum():
    res = run(
        "solve",
        "descent",
        "x^2",
        "--x0",
        "1",
        "--lr",
        "0.1",
        "--steps",
        "2",
        "--momentum",
        "0.5",
        "--format",
        "json",
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["answer"] == [1, "4/5", "27/50"]


def test_descent_diagnose_and_stable_lr():
    res = run(
        "solve",
        "descent",
        "x^2",
        "--x0",
        "1",
        "--lr",
        "1.1",
        "--steps",
        "10",
        "--diagnose",
        "--format",
        "json",
    )
    assert json.loads(res.output)["answer"] == "diverging"
    res = run(
        "solve", "descent", "x^2 + 3x y + 5y^2", "--x0", "0,0", "--stable-lr", "--format", "json"
    )
    assert json.loads(res.output)["answer"] == "2/11"


def test_backprop_command():
    res = run("solve", "backprop", "sigmoid(w*x + b)", "--at", "w=0.5,x=2,b=-1", "--format", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["answer"] == {"b": "1/4", "w": "1/2", "x": "1/8"}


def test_loss_command():
    res = run("solve", "loss", "mse", "--pred", "0.5,0.8", "--target", "1,0", "--format", "json")
    assert json.loads(res.output)["answer"] == {"value": "89/200", "gradient": ["-1/2", "4/5"]}
    res = run("solve", "loss", "softmax_ce", "--pred", "1,2,0", "--target", "1")
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize(
    "args",
    [
        ("solve", "descent", "x^2 +* 4x", "--x0", "0"),
        ("solve", "descent", "x^2", "--x0", "1+"),
        ("solve", "backprop", "x*y", "--at", "x=1"),
        ("solve", "backprop", "x*y", "--at", "x1,y=2"),
        ("solve", "loss", "bce", "--pred", "0,1", "--target", "1,0"),
    ],
)
def test_bad_input_exits_2_without_traceback(args):
    res = run(*args)
    assert res.exit_code == 2
    assert "Traceback" not in res.output


def test_gradcheck_runs_local_code(tmp_path, monkeypatch):
    (tmp_path / "student_grad_ok.py").write_text(
        "def grad(p):\n    return (2*p[0] + 3*p[1], 3*p[0])\n"
    )
    (tmp_path / "buggy.py").write_text("def grad(x, y):\n    return (2*x + 3*y, 3*y)\n")
    monkeypatch.chdir(tmp_path)
    res = run("gradcheck", "student_grad_ok:grad", "--f", "x^2 + 3x y", "--at", "1,2")
    assert res.exit_code == 0, res.output
    res = run("gradcheck", "buggy.py:grad", "--f", "x^2 + 3x y", "--at", "1,2", "--format", "json")
    assert res.exit_code == 1
    assert json.loads(res.output)["answer"]["flagged"] == ["y"]
    res = run("gradcheck", "nosuchmodule_xyz:grad", "--f", "x^2", "--at", "1")
    assert res.exit_code == 2


def test_gradcheck_help_says_local_only():
    res = run("gradcheck", "--help")
    words = " ".join(res.output.split())
    assert "LOCAL code only" in words and "nothing is fetched" in words
