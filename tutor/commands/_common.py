"""What the ``tutor solve`` commands share: reading text safely and printing a Solution."""

from __future__ import annotations

import json
from typing import Any, NoReturn

import click

FORMATS = ("text", "markdown", "latex", "json")


def parse_failed(where: str, exc: Exception) -> NoReturn:
    """Stop with the parser's message (the text with a caret under the place) and exit 2."""
    click.echo(f"Error: cannot read {where}: {exc}", err=True)
    raise SystemExit(2)


def read(text: str, variables: list[str] | None, where: str) -> Any:
    """User text through the safe parser, or stop with its message (exit 2)."""
    from ..parse import ParseError, parse

    try:
        return parse(text, variables=variables) if variables else parse(text)
    except ParseError as exc:
        parse_failed(where, exc)


def render(sol: Any, fmt: str, ascii_: bool = False) -> str:
    """A Solution as text (unicode or ASCII), Markdown, LaTeX or JSON."""
    if fmt == "json":
        return json.dumps(sol.to_dict(), ensure_ascii=False, indent=2)
    if fmt == "markdown":
        from ..render.markdown import render_solution

        return render_solution(sol)
    if fmt == "latex":
        from ..render.latex import render_solution

        return render_solution(sol)
    from ..render.text import render_solution

    return render_solution(sol, ascii=ascii_)
