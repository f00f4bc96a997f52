"""What the ``tutor solve`` commands share: reading text safely and printing a Solution."""

from __future__ import annotations

import json
from typing import Any, NoReturn

import click

FORMATS = ("text", "markdown", "latex", "json")
DETAILS = ("brief", "standard", "full")  # tutor.render.base.DETAILS, without importing it


def _store_detail(ctx: click.Context, param: click.Parameter, value: str) -> str:
    ctx.meta["tutor.detail"] = value
    return value


def detail_option(func: Any) -> Any:
    """``--detail brief|standard|full``: how much of the worked solution to print."""
    return click.option(
        "--detail",
        type=click.Choice(DETAILS),
        default="standard",
        show_default=True,
        expose_value=False,
        callback=_store_detail,
        help="brief: the chain of working; standard: one line per idea; full: every step.",
    )(func)


def with_detail(option: Any) -> Any:
    """An option decorator that also adds ``--detail``."""
    return lambda func: detail_option(option(func))


def document_detail(standard: bool = True) -> str:
    """The ``--detail`` given to a sheet or exam command (``standard`` when none)."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get("tutor.detail", "standard") if ctx is not None else "standard"


def _detail() -> str:
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get("tutor.detail", "full") if ctx is not None else "full"


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

        return render_solution(sol, _detail())
    if fmt == "latex":
        from ..render.latex import render_solution

        return render_solution(sol, _detail())
    from ..render.text import render_solution

    return render_solution(sol, ascii=ascii_, detail=_detail())


def check_writable(output: Any) -> None:
    """Refuse an output file that cannot be written, before any work is done (exit 2).

    The folder must exist (it is never created) and the file must be writable: tried by
    opening it for appending, and a file that did not exist before is removed again.
    """
    import os
    from pathlib import Path

    path = Path(output)
    folder = path.parent
    if not folder.is_dir():
        raise click.BadParameter(
            f"the folder {str(folder)!r} does not exist (it is not created for you)",
            param_hint="-o/--output",
        )
    if path.is_dir():
        raise click.BadParameter(f"{str(path)!r} is a folder", param_hint="-o/--output")
    existed = path.exists()
    try:
        with open(path, "ab"):
            pass
    except OSError as exc:
        raise click.BadParameter(
            f"cannot write {str(path)!r}: {exc.strerror or exc}", param_hint="-o/--output"
        ) from None
    if not existed:
        os.remove(path)


def unknown_topic(name: str, param_hint: str = "--topic") -> click.BadParameter:
    """The error for a topic that does not exist: the closest names and every valid one."""
    import difflib

    from ..generate import topics

    known = topics()
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return click.BadParameter(
        f"unknown topic {name!r}{hint}; the topics are: {', '.join(known)} "
        "(`tutor topics` describes each)",
        param_hint=param_hint,
    )


def spans(numbers: Any) -> str:
    """Whole numbers as short runs: ``[1, 2, 3, 5]`` -> ``"1-3, 5"``."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)
