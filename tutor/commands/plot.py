"""``tutor plot KIND EXPR -o FILE``: draw one of the course's figures to SVG, PNG or PDF."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ..plot import FORMATS, KINDS

_KIND_HELP = "\n".join(f"  {k:<19} {h}" for k, (_, h) in KINDS.items())


@click.command("plot", epilog="\b\nKinds:\n" + _KIND_HELP)
@click.argument("kind", type=click.Choice(list(KINDS)), metavar="KIND")
@click.argument("expression", required=False)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="File to write; the format comes from the extension (.svg, .png, .pdf).",
)
@click.option("--at", default=None, help="The point a (secants, limit).")
@click.option("--on", nargs=2, default=None, metavar="A B", help="Plot from A to B.")
@click.option(
    "--lr",
    multiple=True,
    metavar="ETA",
    help="Learning rate; repeat for side-by-side panels: --lr 0.1 --lr 0.9.",
)
@click.option(
    "--x0",
    multiple=True,
    metavar="X",
    help="Start of gradient descent; repeat for 2-D: --x0 2 --x0 1.",
)
@click.option("--steps", default=None, type=click.IntRange(0, 10_000), help="Descent steps.")
@click.option("--h", "hs", multiple=True, metavar="H", help="Secant offsets: --h 2 --h 1 --h 0.5.")
@click.option("--shift", default=None, help="transform: shift right by H.")
@click.option("--up", default=None, help="transform: shift up by K.")
@click.option("--stretch", default=None, help="transform: stretch vertically by A.")
@click.option("--squeeze", default=None, help="transform: squeeze horizontally by B.")
@click.option("--data", default=None, metavar="X,Y;X,Y;...", help="residuals: the data points.")
@click.option("--target", default=None, help="loss-vs-prediction: the target value y.")
@click.option("--var", default=None, help="The variable (default: the one in EXPR, else x).")
@click.option("--title", default=None, help="Replace the figure's title.")
def plot(kind: str, expression: str | None, output: str, **raw: Any) -> None:
    """Draw the figure KIND for EXPR, e.g. a descent path or secants closing in on a tangent.

    \b
    Examples:
      tutor plot secants "x^2" --at 1 -o secants.svg
      tutor plot limit "(x^2 - 1)/(x - 1)" --at 1 -o hole.png
      tutor plot descent "x^2" --x0 2 --lr 0.1 --lr 0.9 --lr 1.05 -o descent.svg
      tutor plot contour "x^2 + 3y^2" --x0 2 --x0 1.5 --lr 0.05 --lr 0.3 -o paths.pdf
      tutor plot residuals "2x + 1" --data "0,1.5;1,2.6;2,5.4" -o residuals.svg
      tutor plot graph graph.json -o graph.svg   (JSON: {"nodes": [...], "edges": [...]})
    """
    from ..plot import figure, save

    path = Path(output)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise click.BadParameter(f"use a file ending in {', '.join('.' + f for f in FORMATS)}",
                                 param_hint="-o/--output")  # fmt: skip
    options = _options(kind, raw)
    if kind == "graph":
        options.update(_graph_file(expression))
        expression = None
    errors: tuple[type[BaseException], ...] = (ValueError, TypeError, ArithmeticError)
    try:
        from ..parse import ParseError

        errors += (ParseError,)
    except ImportError:
        errors += (RuntimeError,)  # raised by tutor.plot when it cannot read text
    try:
        fig = figure(kind, expression, **options)
        save(fig, path)
    except OSError as exc:
        raise click.UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    except errors as exc:
        where = getattr(exc, "position", None)
        message = str(exc)
        hint = (
            f" (at character {where + 1})" if isinstance(where, int) and "\n" not in message else ""
        )
        raise click.UsageError(f"cannot draw {kind}: {message}{hint}") from None
    click.echo(f"wrote {path}")


def _options(kind: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Command-line options as ``tutor.plot.figure`` options for this kind."""
    names = {"shift": "h", "up": "k", "stretch": "a", "squeeze": "b"}
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if value is None or value == ():
            continue
        if key == "hs":
            out["h"] = list(value)
        elif key in names:
            out[names[key]] = value
        elif key == "lr":
            out["lr"] = list(value)
        elif key == "x0":
            out["x0"] = value[0] if len(value) == 1 else list(value)
        elif key == "on":
            out["on"] = list(value)
        elif key == "data":
            out["data"] = _points(value)
        elif key == "var" and kind in ("contour", "surface-critical"):
            out["variables"] = [v.strip() for v in value.split(",")]
        else:
            out[key] = value
    return out


def _points(text: str) -> list[list[str]]:
    pts = [p.split(",") for p in text.split(";") if p.strip()]
    if not pts or any(len(p) != 2 for p in pts):
        raise click.BadParameter("write the points as x,y;x,y;...", param_hint="--data")
    return [[a.strip(), b.strip()] for a, b in pts]


def _graph_file(name: str | None) -> dict[str, Any]:
    if not name:
        raise click.UsageError('graph needs a JSON file with {"nodes": [...], "edges": [...]}')
    try:
        data = json.loads(Path(name).read_text(encoding="utf-8"))
    except OSError as exc:
        raise click.BadParameter(f"cannot read {name}: {exc.strerror}", param_hint="EXPR") from None
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"{name} is not JSON: {exc}", param_hint="EXPR") from None
    if not isinstance(data, dict) or "nodes" not in data or "edges" not in data:
        raise click.BadParameter(f"{name} needs the keys 'nodes' and 'edges'", param_hint="EXPR")
    return {"nodes": data["nodes"], "edges": data["edges"]}
