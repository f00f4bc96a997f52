"""``tutor solve derivative``: a derivative worked rule by rule (gradients, implicit, directional)."""

from __future__ import annotations

import click

from .. import inputs
from ._common import FORMATS, detail_option
from ._common import read as _read
from ._common import render as _render


@click.command("derivative")
@click.argument("expression")
@click.option("--wrt", default="x", show_default=True, help="Variable, or x,y for the gradient.")
@click.option(
    "--order",
    default=1,
    show_default=True,
    type=click.IntRange(1, 20),
    help="Which derivative: 2 for the second, ...",
)
@click.option("--at", "at", default=None, help="Point for a directional derivative: x=1,y=2.")
@click.option("--direction", default=None, help="Direction for a directional derivative: 1,1.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@detail_option
@click.option("--ascii", "ascii_", is_flag=True, help="Plain ASCII maths in text output.")
def derivative(
    expression: str,
    wrt: str,
    order: int,
    at: str | None,
    direction: str | None,
    fmt: str,
    ascii_: bool,
) -> None:
    """Differentiate EXPRESSION step by step, e.g. "x^2 sin(3x)" or "x^2 + y^2 = 25".

    \b
    Examples:
      tutor solve derivative "x^2 sin(3x)"
      tutor solve derivative "x^2 y + e^(xy)" --wrt x,y
      tutor solve derivative "sin(x)" --order 3
      tutor solve derivative "x^2 y + y^3" --at x=1,y=2 --direction 1,1
    """
    from ..steps.derivatives import differentiate, directional_derivative

    names = list(inputs.names(wrt, "--wrt"))  # "x,y" and "x y" alike
    if not names:
        raise click.BadParameter("name at least one variable", param_hint="--wrt")
    if (at is None) != (direction is None):
        raise click.UsageError("a directional derivative needs both --at and --direction")
    try:
        if at is not None and direction is not None:
            point = _point(at)
            variables = list(point) if wrt == "x" else names
            if set(variables) != set(point):
                raise click.BadParameter("give a value for each variable", param_hint="--at")
            sol = directional_derivative(
                _read(expression, variables, "EXPRESSION"),
                point,
                [_read(c, None, "--direction") for c in direction.split(",")],
                variables=variables,
            )
        else:
            expr = _read(expression, names if len(names) > 1 else None, "EXPRESSION")
            sol = differentiate(expr, wrt=names[0] if len(names) == 1 else names, order=order)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(_render(sol, fmt, ascii_))


def _point(text: str) -> dict[str, object]:
    """``x=1,y=2``: each name with its number, read by ``tutor.inputs.point``."""
    try:
        point = inputs.point(text, "--at")
    except inputs.InputError as exc:
        raise click.BadParameter(exc.message, param_hint="--at") from None
    if not isinstance(point, dict):
        raise click.BadParameter(f"expected name=value, got {text!r}", param_hint="--at")
    return point
