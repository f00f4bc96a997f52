"""Question text and worked solutions as HTML with TeX maths in ``\\( \\)`` and ``\\[ \\]``.

Moodle's MathJax filter and Canvas typeset these delimiters; MathML would be stripped by
their HTML cleaners.  The walk over the steps is the one the Markdown renderer uses
(``render.base``), with LaTeX from ``render.latex.tex``; figures come from ``tutor.plot``.
"""

from __future__ import annotations

import html
from typing import Any

from ..core import Problem, Solution, Table
from ..render.base import display, explanation, fill, numbered, rule_title, statement, subscripts
from ..render.latex import tex

__all__ = ["inline", "words", "prompt_html", "solution_html", "figure_svg"]


def inline(obj: Any) -> str:
    """Inline maths, HTML-escaped (``<`` inside TeX would end the element)."""
    return r"\(" + html.escape(tex(obj), quote=False) + r"\)"


def _block(obj: Any) -> str:
    return r"\[" + html.escape(tex(obj), quote=False) + r"\]"


def words(text: str) -> str:
    """Prose escaped for HTML, ``x_0`` as a subscript."""
    return subscripts(
        text,
        lambda t: html.escape(t, quote=False),
        lambda base, index: f"{base}<sub>{index}</sub>",
        "<sup>{}</sup>".format,
    )


def prompt_html(p: Problem, note: str = "") -> str:
    """The problem's prompt as a paragraph (and the note on how to answer, if any)."""
    out = f"<p>{fill(p.prompt, dict(p.given), inline, words)}</p>"
    if note:
        out += f"<p><em>{html.escape(note, quote=False)}</em></p>"
    return out


def _table(t: Table) -> str:
    head = "".join(f"<th>{words(h)}</th>" for h in t.headers)
    rows = "".join("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in r) + "</tr>" for r in t.rows)
    cap = f"<caption>{words(t.caption)}</caption>" if t.caption else ""
    return f'<table border="1">{cap}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def solution_html(sol: Solution) -> str:
    """The worked solution: numbered steps (sub-steps as 2.1, 2.2), maths in TeX, the answer."""
    out = []
    head = statement(sol.task, inline, words)
    if head:
        out.append(f"<p>{head}</p>")
    for num, depth, step in numbered(sol.steps):
        said = explanation(step, inline, words)
        pad = f' style="margin-left:{2 * depth}em"' if depth else ""
        out.append(
            f"<p{pad}><strong>{num}. {html.escape(rule_title(step.rule))}.</strong> {said}</p>"
        )
        for item in display(step, sol.task):
            out.append(_table(item) if isinstance(item, Table) else f"<p{pad}>{_block(item)}</p>")
    out.append(f"<p><strong>Answer:</strong> {inline(sol.answer)}</p>")
    return "\n".join(out)


def figure_svg(p: Problem) -> bytes | None:
    """The problem's figure as SVG bytes, or None when it has none or it cannot be drawn."""
    if not p.figure:
        return None
    from ..plot import render

    try:
        return render({k: v for k, v in p.figure.items() if k != "question"}, fmt="svg")
    except Exception:  # noqa: BLE001 - a picture that fails must not stop the export
        return None
