"""Worked solutions and problems as Markdown with ``$...$`` maths (notes, notebooks)."""

from __future__ import annotations

from typing import Any

from ..core import Problem, Solution, Table
from .base import (
    Code,
    board,
    display,
    explanation,
    fill,
    numbered,
    rule_title,
    shown_answer,
    statement,
    subscripts,
)
from .latex import display_tex, tex


def inline(obj: Any) -> str:
    return f"${tex(obj)}$"


def escape(text: str) -> str:
    """Plain text made literal in Markdown."""
    return "".join("\\" + ch if ch in "\\`*_[]<>#$|" else ch for ch in text)


def words(text: str) -> str:
    """Prose escaped for Markdown, with ``x_0`` set as x<sub>0</sub> (see ``subscripts``)."""
    return subscripts(
        text, escape, lambda base, index: f"{base}<sub>{index}</sub>", "<sup>{}</sup>".format
    )


def render_table(table: Table) -> str:
    """A Markdown table with maths cells."""
    lines = []
    if table.caption:
        lines += [words(table.caption), ""]
    lines.append("| " + " | ".join(words(h) for h in table.headers) + " |")
    lines.append("|" + "|".join("---" for _ in table.headers) + "|")
    for row in table.rows:
        lines.append("| " + " | ".join(inline(c) for c in row) + " |")
    return "\n".join(lines)


def render_solution(sol: Solution, detail: str = "full", with_task: bool = True) -> str:
    """The worked solution as Markdown: numbered steps, sub-steps indented, maths in ``$``;
    without the task's statement when ``with_task`` is False (the problem is just above)."""
    out: list[str] = []
    head = statement(sol.task, inline, words) if with_task else ""
    if head:
        out += [head, ""]
    for num, depth, step in numbered(board(sol, detail)):
        pad = "    " * depth
        said = explanation(step, inline, words)
        out.append(f"{pad}{num.rsplit('.', 1)[-1]}. **{rule_title(step.rule)}.** {said}".rstrip())
        for item in display(step, sol.task):
            if isinstance(item, Code):
                fence = ["```python", *item.rstrip().splitlines(), "```"]
                out += ["", *(pad + "    " + line for line in fence), ""]
            elif isinstance(item, Table):
                out += ["", *(pad + "    " + line for line in render_table(item).splitlines()), ""]
            else:
                out.append(f"{pad}    $${display_tex(item)}$$")
    out += ["", f"**Answer:** {inline(shown_answer(sol))}"]
    return "\n".join(out)


def render_prompt(problem: Problem) -> str:
    """The problem's prompt with its maths in ``$``."""
    return fill(problem.prompt, problem.given, inline, words)


def render_problem(
    problem: Problem, solutions: bool = False, figure: bool = False, detail: str = "full"
) -> str:
    """A problem as Markdown; with ``solutions`` its worked solution (at ``detail``)
    follows, with ``figure`` its picture (an inline SVG image, as a notebook shows it)."""
    out = [render_prompt(problem)]
    if figure and problem.figure:
        import base64

        from ..plot import render as render_figure

        spec = {k: v for k, v in problem.figure.items() if k != "question"}
        data = base64.b64encode(render_figure(spec, fmt="svg")).decode()
        out += ["", f"![figure](data:image/svg+xml;base64,{data})"]
    if solutions:
        out += [
            "",
            "<details><summary>Worked solution</summary>",
            "",
            render_solution(problem.solution, detail=detail, with_task=False),
            "",
            "</details>",
        ]
    return "\n".join(out)
