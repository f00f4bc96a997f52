"""Notebook helpers: autograder-style answer checks and displays that need no extras.

``check_answer(answer, expected, **options)`` returns the Verdict when the answer is
right and raises ``AssertionError`` with the student-facing feedback otherwise, which is
what nbgrader and Otter-Grader tests expect (``assert``-style cells).  ``show(obj)`` gives
an object Jupyter displays as Markdown with ``$...$`` maths (MathJax is built in).
"""

from __future__ import annotations

from typing import Any

from .core import Problem, Solution, Verdict

__all__ = ["check_answer", "show", "Shown"]


def check_answer(answer: Any, expected: Any, **options: Any) -> Verdict:
    """The Verdict of ``tutor.check`` when ``answer`` is right; else ``AssertionError``
    carrying the feedback.

    ``expected`` may be a ``Problem``: its answer, answer kind, check options and task
    (for naming a classic mistake) are used, and ``options`` override them.  An answer the
    checker cannot decide fails too: a test must not give marks for a guess.
    """
    from .check import check

    if isinstance(expected, Problem):
        options = {
            "kind": expected.answer_kind,
            "task": expected.solution.task,
            **dict(expected.check_options),
            **options,
        }
        expected = expected.answer
    verdict = check(answer, expected, **options)
    if verdict.correct is not True:
        raise AssertionError(verdict.feedback)
    return verdict


class Shown:
    """Markdown that Jupyter renders (``_repr_markdown_``) and a terminal prints."""

    def __init__(self, markdown: str) -> None:
        self.markdown = markdown

    def _repr_markdown_(self) -> str:
        return self.markdown

    def __repr__(self) -> str:
        return self.markdown

    __str__ = __repr__


def show(obj: Any, *, solution: bool = False) -> Shown:
    """A Problem (its prompt; with ``solution=True`` its worked solution too), a Solution
    or a Verdict, ready to display as the last line of a notebook cell."""
    from .render import markdown

    if isinstance(obj, Problem):
        # a student's view shows a picture only when it belongs to the question
        figure = bool(obj.figure and obj.figure.get("question")) or solution
        return Shown(markdown.render_problem(obj, solutions=solution, figure=figure))
    if isinstance(obj, Solution):
        return Shown(markdown.render_solution(obj))
    if isinstance(obj, Verdict):
        return Shown(obj._repr_markdown_())
    render = getattr(obj, "_repr_markdown_", None)
    if callable(render):
        return Shown(render())
    return Shown(markdown.inline(obj))
