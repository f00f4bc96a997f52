"""Notebook helpers: check_answer as an autograder test, displays, and the example notebook."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sympy

import tutor
from tutor.notebook import Shown, check_answer, show

NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "example.ipynb"
x = sympy.Symbol("x")


@pytest.mark.parametrize(
    "answer, expected, options",
    [
        ("2x", "2*x", {}),
        (2 * x, "2*x", {}),
        (0.5, "1/2", {"kind": "number"}),
        ("{2, -2}", "{-2, 2}", {"kind": "set"}),
        ("0.333", "1/3", {"kind": "number", "tol": 0.001}),
    ],
)
def test_a_right_answer_returns_the_verdict(answer, expected, options):
    verdict = check_answer(answer, expected, **options)
    assert isinstance(verdict, tutor.Verdict) and verdict.correct is True


@pytest.mark.parametrize(
    "answer, expected, options, feedback",
    [
        ("2x + 1", "2*x", {}, "differs from the right one by a constant"),
        ("3x", "2*x", {}, "3/2 times the right one"),
        ("x^2", "2*x", {}, "Not correct"),
        ("0.33", "1/3", {"kind": "number"}, "exact"),
        ("x+", "x", {}, "position"),
        ("1", "x = 1", {"kind": "equation"}, "equation"),
    ],
)
def test_a_wrong_answer_raises_with_the_feedback(answer, expected, options, feedback):
    with pytest.raises(AssertionError, match=feedback):
        check_answer(answer, expected, **options)


def test_a_problem_names_the_classic_mistake():
    p = tutor.generate("chain-rule", seed=7)
    assert check_answer("-12cos(4x - 1)", p).correct is True
    with pytest.raises(AssertionError, match="derivative of the inner function"):
        check_answer("-3cos(4x - 1)", p)


def test_show_hides_the_solution_unless_asked():
    p = tutor.generate("chain-rule", seed=7)
    student, teacher = show(p), show(p, solution=True)
    assert isinstance(student, Shown) and "$" in student._repr_markdown_()
    assert "Worked solution" not in student._repr_markdown_()
    assert "Worked solution" in teacher._repr_markdown_()
    assert "**Answer:**" in show(p.solution)._repr_markdown_()
    assert "correct" in show(check_answer("-12cos(4x - 1)", p))._repr_markdown_()


def test_example_notebook_executes(monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    root = str(NOTEBOOK.parents[1])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": root}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(o.get("text", "") for o in outputs)
    assert "Feedback: You forgot to multiply by the derivative of the inner function" in text
    shown = [o["data"].get("text/markdown", "") for o in outputs if "data" in o]
    assert any("chain of simpler functions" in s for s in shown)
    assert any("**Answer:**" in s for s in shown)
