"""``tutor solve extrema | monotonic | concavity | tangent | secant | leastsquares``.

Thin click layer: parse the options, call ``tutor.steps.analysis``, render the Solution.
No mathematics here, and nothing heavy imported before a command runs.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from ._common import FORMATS as FORMAT_NAMES
from ._common import detail_option, read, render

FORMATS = click.Choice(list(FORMAT_NAMES))


def _parse(text: str, what: str, variables: list[str] | None = None) -> Any:
    """Text → sympy through the safe parser; a ParseError becomes a caret message, exit 2."""
    return read(text, variables, what)


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(2)


def _emit(sol: Any, fmt: str, ascii_: bool = False) -> None:
    click.echo(render(sol, fmt, ascii_))


def _run(func: Any, *args: Any, **kwargs: Any) -> Any:
    """Call an engine; a ValueError (no tangent at a corner, bad data) is a clean exit 2."""
    try:
        return func(*args, **kwargs)
    except (ValueError, TypeError, NotImplementedError) as err:
        _fail(str(err))


def _interval(on: tuple[str, str] | None, open_: bool) -> Any:
    if not on:
        return None
    import sympy

    a, b = (_parse(t, "the interval end") for t in on)
    if not (a.is_real and b.is_real) and not (a.is_infinite or b.is_infinite):
        _fail("the interval ends must be real numbers")
    if (b - a).is_nonpositive:
        _fail(f"the interval [{on[0]}, {on[1]}] is empty: give the smaller end first")
    return sympy.Interval.open(a, b) if open_ else sympy.Interval(a, b)


_common = [
    click.option("--format", "fmt", type=FORMATS, default="text", show_default=True),
    click.option("--ascii", "ascii_", is_flag=True, help="Plain ASCII text output."),
    detail_option,
]


def _options(func: Any) -> Any:
    for opt in reversed(_common):
        func = opt(func)
    return func


@click.command()
@click.argument("function")
@click.option("--on", nargs=2, default=None, metavar="A B", help="Restrict to the interval [A, B].")
@click.option("--open", "open_", is_flag=True, help="Treat the interval as open (A, B).")
@click.option("--vars", "vars_", default=None, help="Variables, comma separated (e.g. x,y).")
@click.option("--global", "global_", is_flag=True, help="Global extrema (needs no --on).")
@_options
def extrema(
    function: str,
    on: tuple[str, str] | None,
    open_: bool,
    vars_: str | None,
    global_: bool,
    fmt: str,
    ascii_: bool,
) -> None:
    """Critical points of FUNCTION and their kind; with --on A B, also the global extrema."""
    from .. import inputs
    from ..steps.analysis import critical_points, global_extrema

    names = list(inputs.names(vars_, "--vars") or ()) or None
    f = _parse(function, "the function", names)
    interval = _interval(on, open_)
    if len(f.free_symbols) > 1 and interval is not None:
        _fail("--on works for functions of one variable")
    _emit(_run(critical_points, f, names, interval), fmt, ascii_)
    if interval is not None or global_:
        click.echo("")
        _emit(_run(global_extrema, f, interval), fmt, ascii_)


@click.command()
@click.argument("function")
@click.option("--on", nargs=2, default=None, metavar="A B", help="Restrict to the interval [A, B].")
@_options
def monotonic(function: str, on: tuple[str, str] | None, fmt: str, ascii_: bool) -> None:
    """Where FUNCTION increases and decreases: the sign chart of f'."""
    from ..steps.analysis import monotonicity

    f = _parse(function, "the function")
    _emit(_run(monotonicity, f, _interval(on, False)), fmt, ascii_)


@click.command()
@click.argument("function")
@click.option("--on", nargs=2, default=None, metavar="A B", help="Restrict to the interval [A, B].")
@_options
def concavity(function: str, on: tuple[str, str] | None, fmt: str, ascii_: bool) -> None:
    """Where FUNCTION is concave up or down, and its inflection points (sign chart of f'')."""
    from ..steps.analysis import concavity as engine

    f = _parse(function, "the function")
    _emit(_run(engine, f, _interval(on, False)), fmt, ascii_)


@click.command()
@click.argument("function")
@click.option("--at", "at", required=True, help="The x-coordinate of the point of tangency.")
@click.option("--normal", is_flag=True, help="Give the normal line instead.")
@click.option("--approx", default=None, metavar="X", help="Linear approximation, evaluated at X.")
@_options
def tangent(
    function: str, at: str, normal: bool, approx: str | None, fmt: str, ascii_: bool
) -> None:
    """Tangent line to y = FUNCTION at x = AT (or the normal line, or the linear approximation)."""
    from ..steps.analysis import linear_approximation, normal_line, tangent_line

    f = _parse(function, "the function")
    a = _parse(at, "the point")
    if approx is not None:
        sol = _run(linear_approximation, f, a, _parse(approx, "the value"))
    else:
        sol = _run(normal_line if normal else tangent_line, f, a)
    _emit(sol, fmt, ascii_)


@click.command()
@click.argument("function")
@click.argument("a")
@click.argument("b")
@_options
def secant(function: str, a: str, b: str, fmt: str, ascii_: bool) -> None:
    """Average rate of change of FUNCTION on [A, B]: the slope of the secant line."""
    from ..steps.analysis import secant_slope

    f = _parse(function, "the function")
    _emit(_run(secant_slope, f, _parse(a, "a"), _parse(b, "b")), fmt, ascii_)


@click.command()
@click.option("--x", "xs", required=True, help="x data, comma separated: 1,2,3")
@click.option("--y", "ys", required=True, help="y data, comma separated: 2,4,7")
@click.option("--intercept", is_flag=True, help="Fit y = w x + b instead of y = w x.")
@_options
def leastsquares(xs: str, ys: str, intercept: bool, fmt: str, ascii_: bool) -> None:
    """Minimise the squared-error loss of y = w x (or y = w x + b) on a small data table."""
    from ..steps.analysis import least_squares

    xv = [_parse(t.strip(), "an x value") for t in xs.split(",") if t.strip()]
    yv = [_parse(t.strip(), "a y value") for t in ys.split(",") if t.strip()]
    if len(xv) != len(yv):
        _fail(f"--x has {len(xv)} values but --y has {len(yv)}")
    model = "y = w x + b" if intercept else "y = w x"
    _emit(_run(least_squares, xv, yv, model), fmt, ascii_)
