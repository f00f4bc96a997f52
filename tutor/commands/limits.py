"""``tutor solve limit | definition | continuity``: limits worked technique by technique."""

from __future__ import annotations

from typing import Any

import click

from ._common import FORMATS, with_detail
from ._common import read as _read
from ._common import render as _render


def _read_point(text: str, where: str) -> Any:
    from ..steps.limits.api import as_point

    p = text.strip().lower().replace(" ", "")
    if p in ("oo", "+oo", "-oo", "inf", "+inf", "-inf", "infinity", "-infinity", "∞", "-∞"):
        return as_point(p)
    return _read(text, None, where)


_format = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True
)
_format = with_detail(_format)
_ascii = click.option("--ascii", "ascii_", is_flag=True, help="Plain ASCII maths in text output.")
_var = click.option("--var", default="x", show_default=True, help="The variable.")


@click.command("limit")
@click.argument("expression")
@click.option("--at", "at", default="0", show_default=True, help="The point: 2, pi/2, oo, -oo.")
@click.option(
    "--dir",
    "direction",
    type=click.Choice(["+", "-", "+-"]),
    default="+-",
    show_default=True,
    help="From the right (+), the left (-) or both sides.",
)
@click.option("--table", is_flag=True, help="Start with a table of values closing in.")
@_var
@_format
@_ascii
def limit(
    expression: str, at: str, direction: str, table: bool, var: str, fmt: str, ascii_: bool
) -> None:
    """Evaluate the limit of EXPRESSION step by step, naming the technique at each step.

    \b
    Examples:
      tutor solve limit "sin(3x)/x" --at 0
      tutor solve limit "(x^2 - 1)/(x - 1)" --at 1 --table
      tutor solve limit "1/x" --at 0 --dir +
      tutor solve limit "(1 + 1/x)^x" --at oo
    """
    from ..steps.limits import limit as solve_limit

    expr = _read(expression, [var], "EXPRESSION")
    point = _read_point(at, "--at")
    try:
        sol = solve_limit(expr, var, point, direction, table=table)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(_render(sol, fmt, ascii_))


@click.command("definition")
@click.argument("expression")
@click.option("--at", "at", default=None, help="A point, for f'(a) instead of f'(x).")
@_var
@_format
@_ascii
def definition(expression: str, at: str | None, var: str, fmt: str, ascii_: bool) -> None:
    """Differentiate EXPRESSION from first principles: the limit of (f(x+h) − f(x))/h.

    \b
    Examples:
      tutor solve definition "x^2 + 3x"
      tutor solve definition "sqrt(x)" --at 4
    """
    from ..steps.limits import derivative_from_definition

    expr = _read(expression, [var], "EXPRESSION")
    point = None if at is None else _read(at, None, "--at")
    try:
        sol = derivative_from_definition(expr, at=point, var=var)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(_render(sol, fmt, ascii_))


@click.command("continuity")
@click.argument("expression", required=False)
@click.option("--at", "at", required=True, help="The point to test.")
@click.option(
    "--piece",
    "pieces",
    multiple=True,
    help='A piece "EXPR if CONDITION", e.g. --piece "x^2 if x < 1" --piece "2x - 1 if x >= 1".',
)
@_var
@_format
@_ascii
def continuity(
    expression: str | None, at: str, pieces: tuple[str, ...], var: str, fmt: str, ascii_: bool
) -> None:
    """Is EXPRESSION (or the function given by --piece options) continuous at a point?

    \b
    Examples:
      tutor solve continuity "(x^2 - 1)/(x - 1)" --at 1
      tutor solve continuity --piece "x^2 if x < 1" --piece "2x - 1 if x >= 1" --at 1
    """
    from ..steps.limits import continuity as solve_continuity

    if (expression is None) == (not pieces):
        raise click.UsageError("give either EXPRESSION or one or more --piece options")
    if pieces:
        import sympy

        args = []
        for text in pieces:
            body, sep, cond = text.partition(" if ")
            if not sep or not body.strip() or not cond.strip():
                raise click.BadParameter(
                    f'expected "EXPR if CONDITION", got {text!r}', param_hint="--piece"
                )
            e = _read(body.strip(), [var], "--piece")
            c = _read(cond.strip(), [var], "--piece condition")
            if not isinstance(c, (sympy.core.relational.Relational, sympy.logic.boolalg.Boolean)):
                raise click.BadParameter(
                    f"the condition {cond.strip()!r} is not an inequality", param_hint="--piece"
                )
            args.append((e, c))
        f: Any = sympy.Piecewise(*args)
    else:
        f = _read(expression or "", [var], "EXPRESSION")
    point = _read(at, None, "--at")
    try:
        sol = solve_continuity(f, point, var=var)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(_render(sol, fmt, ascii_))
