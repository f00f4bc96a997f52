"""Worked solutions and problems as terminal text: numbered steps, unicode maths, tables."""

from __future__ import annotations

import textwrap
from typing import Any

from ..core import Problem, Solution, Step, Table
from .base import (
    Arrow,
    Code,
    board,
    display,
    explanation,
    fill,
    numbered,
    rule_title,
    shown_answer,
    statement,
)
from .mathtext import ascii_words, math_text

WIDTH = 88


def _words(ascii: bool) -> Any:
    """How the prose around the maths is written: as is, or spelled in ASCII."""
    return ascii_words if ascii else str


def render_math(obj: Any, ascii: bool = False, width: int | None = None) -> str:
    """One object as a line of maths (``Arrow`` as ``before → after``); a chain of
    equalities longer than ``width`` goes on one link a line, each ``=`` under the first,
    as a teacher continues a long line on the board."""
    import sympy

    if isinstance(obj, sympy.Equality) and width is not None:
        obj = Arrow(obj.lhs, obj.rhs, "=")  # d/dx [f] = f′, broken at = when long
    if isinstance(obj, Arrow):
        arrow = " = " if obj.sign == "=" else (" -> " if ascii else " → ")
        texts = [math_text(p, ascii) for p in obj.parts]
        line = arrow.join(texts)
        if width is None or len(line) <= width:
            return line
        sign = arrow.strip()
        head = texts[0] + arrow + texts[1]
        lead = len(texts[0]) + 1 if len(head) <= width and len(texts[0]) <= width // 3 else 2
        first = [head] if lead > 2 else [texts[0], " " * lead + f"{sign} " + texts[1]]
        return "\n".join(first + [" " * lead + f"{sign} " + t for t in texts[2:]])
    return math_text(obj, ascii)


def render_table(table: Table, ascii: bool = False) -> str:
    """A table with aligned columns and a rule under the header."""
    spell = _words(ascii)
    cells = [[spell(math_text(c, ascii)).strip() for c in row] for row in table.rows]
    headers = [ascii_words(h).strip() if ascii else h for h in table.headers]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row):
            if i < len(widths):
                widths[i] = max(widths[i], len(c))
            else:
                widths.append(len(c))
    bar = "-" if ascii else "─"
    sep = " | " if ascii else " │ "
    lines = []
    if table.caption:
        lines.append(ascii_words(table.caption) if ascii else table.caption)
    lines.append(sep.join(h.ljust(w) for h, w in zip(headers, widths)).rstrip())
    lines.append(("-+-" if ascii else "─┼─").join(bar * w for w in widths))
    for row in cells:
        lines.append(sep.join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    return "\n".join(lines)


def _step_lines(steps: tuple[Step, ...], sol: Solution, ascii: bool, prefix: str = "") -> list[str]:
    def fmt(v: Any) -> str:
        return math_text(v, ascii)

    out: list[str] = []
    for num, depth, step in numbered(steps, prefix):
        pad = "   " * depth
        out.append(f"{pad}{num}. {_words(ascii)(rule_title(step.rule))}")
        body_pad = pad + " " * (len(num) + 2)
        words = explanation(step, fmt, _words(ascii))
        if words:
            out.extend(
                textwrap.wrap(words, WIDTH, initial_indent=body_pad, subsequent_indent=body_pad)
            )
        for item in display(step, sol.task):
            if isinstance(item, Code):
                out.extend(body_pad + "    " + line for line in item.rstrip().splitlines())
                continue
            block = (
                render_table(item, ascii)
                if isinstance(item, Table)
                else render_math(item, ascii, WIDTH - len(body_pad))
            )
            out.extend(body_pad + line for line in block.splitlines())
    return out


def render_step(step: Step, sol: Solution, ascii: bool = False) -> str:
    """One step of ``sol`` with its sub-steps, unnumbered at the top (a hint in the quiz)."""
    lines = _step_lines((step,), sol, ascii)
    lines[0] = lines[0].removeprefix("1. ")
    return "\n".join(lines)


def render_hint(step: Step, ascii: bool = False) -> str:
    """A step as a hint: its rule and explanation, not its result."""
    words = explanation(step, lambda v: math_text(v, ascii), _words(ascii))
    text = f"{_words(ascii)(rule_title(step.rule))}. {words}".strip()
    return "\n".join(textwrap.wrap(text, WIDTH)) or text


def render_solution(
    sol: Solution, ascii: bool = False, detail: str = "full", with_task: bool = True
) -> str:
    """The worked solution as a teacher would write it on the board, in plain text, at
    ``detail`` (``brief``, ``standard`` or ``full``: see ``base.board``); without the
    task's statement when ``with_task`` is False (the problem is printed just above)."""
    out: list[str] = []
    head = statement(sol.task, lambda v: math_text(v, ascii), _words(ascii)) if with_task else ""
    if head:
        out.extend(textwrap.wrap(head, WIDTH) or [head])
        out.append("")
    out += _step_lines(board(sol, detail), sol, ascii)
    out.append("")
    out.append(f"Answer: {math_text(shown_answer(sol), ascii)}")
    text = "\n".join(out)
    return ascii_words(text) if ascii else text


def render_prompt(problem: Problem, ascii: bool = False) -> str:
    """The problem's prompt with its maths filled in."""
    text = fill(problem.prompt, problem.given, lambda v: math_text(v, ascii), _words(ascii))
    # symbols inside given values (a "3⁺" side, a "Σ" row) are spelled out too
    return ascii_words(text) if ascii else text


def render_problem(
    problem: Problem, solutions: bool = False, ascii: bool = False, detail: str = "full"
) -> str:
    """A problem as text; with ``solutions`` its answer and worked solution follow."""
    lines = textwrap.wrap(render_prompt(problem, ascii), WIDTH) or [problem.prompt]
    if solutions:
        lines += [
            "",
            "Worked solution:",
            render_solution(problem.solution, ascii, detail, with_task=False),
        ]
    return "\n".join(lines)
