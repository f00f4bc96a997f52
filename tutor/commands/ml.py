"""``tutor solve descent|backprop|loss`` and ``tutor gradcheck``: the calculus of learning."""

from __future__ import annotations

from typing import Any

import click

from ._common import FORMATS, with_detail
from ._common import parse_failed as _parse_failed
from ._common import read as _read
from ._common import render as _render

_format = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True
)
_format = with_detail(_format)
_ascii = click.option("--ascii", "ascii_", is_flag=True, help="Plain ASCII maths in text output.")


@click.command("descent")
@click.argument("expression")
@click.option("--x0", "x0", required=True, help="Start point: 0, or 1,2 for f(x, y).")
@click.option(
    "--lr", default="0.1", show_default=True, help="Learning rate η (0.1 is read as 1/10)."
)
@click.option("--steps", default=5, show_default=True, type=click.IntRange(0, 10_000))
@click.option(
    "--momentum", default="0", show_default=True, help="Momentum μ (0 for plain descent)."
)
@click.option("--tol", default=None, help="Stop when the gradient's length is below this.")
@click.option("--step-tol", default=None, help="Stop when a step is shorter than this.")
@click.option("--vars", "vars_", default=None, help="Variable order for x0, e.g. x,y.")
@click.option("--diagnose", is_flag=True, help="Name what the run does (diverging, plateau, ...).")
@click.option("--stable-lr", is_flag=True, help="The largest stable learning rate of a quadratic.")
@_format
@_ascii
def descent(
    expression: str,
    x0: str,
    lr: str,
    steps: int,
    momentum: str,
    tol: str | None,
    step_tol: str | None,
    vars_: str | None,
    diagnose: bool,
    stable_lr: bool,
    fmt: str,
    ascii_: bool,
) -> None:
    """Gradient descent on EXPRESSION as an iteration table, with a diagnosis of the run.

    Decimals are read exactly (0.1 is 1/10), so the iterates are exact fractions.

    \b
    Examples:
      tutor solve descent "x^2 - 4x" --x0 0 --lr 0.1 --steps 5
      tutor solve descent "x^2 + 10y^2" --x0 1,1 --lr 0.09 --steps 20 --diagnose
      tutor solve descent "x^2 + 3xy + 5y^2" --x0 0,0 --stable-lr
    """
    from ..ml import descent as engine

    names = _names(vars_)
    expr = _read(expression, names, "EXPRESSION")
    start = [_num(c, "--x0") for c in x0.split(",")]
    try:
        if stable_lr:
            sol = engine.max_stable_lr(expr, names)
        elif diagnose:
            sol = engine.diagnose(expr, start, _num(lr, "--lr"), steps, names)
        else:
            sol = engine.gradient_descent(
                expr,
                start,
                _num(lr, "--lr"),
                steps,
                names,
                momentum=_num(momentum, "--momentum"),
                tol=None if tol is None else _num(tol, "--tol"),
                step_tol=None if step_tol is None else _num(step_tol, "--step-tol"),
            )
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(_render(sol, fmt, ascii_))


@click.command("backprop")
@click.argument("expression")
@click.option("--at", "at", required=True, help="Values of the inputs: w=0.5,x=2,b=-1.")
@_format
@_ascii
def backprop(expression: str, at: str, fmt: str, ascii_: bool) -> None:
    """Forward and backward pass on the computational graph of EXPRESSION.

    \b
    Examples:
      tutor solve backprop "sigmoid(w*x + b)" --at w=0.5,x=2,b=-1
      tutor solve backprop "(w*x + b - y)^2" --at w=1,x=2,b=0,y=3
    """
    from ..ml import backpropagation as engine

    values = {k: _num(v, "--at") for k, v in _pairs(at).items()}
    expr = _read(expression, None, "EXPRESSION")
    try:
        sol = engine.backprop(expr, values)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(_render(sol, fmt, ascii_))


@click.command("loss")
@click.argument("name", type=click.Choice(["mse", "mae", "bce", "softmax_ce"]))
@click.option("--pred", required=True, help="Predictions (logits for softmax_ce): 0.5,0.8.")
@click.option(
    "--target", required=True, help="Targets: 1,0 (softmax_ce: a class index or one-hot)."
)
@click.option("--logits", is_flag=True, help="bce: the predictions are logits z, p = σ(z).")
@_format
@_ascii
def loss(name: str, pred: str, target: str, logits: bool, fmt: str, ascii_: bool) -> None:
    """A loss function's value and gradient for given predictions and targets, in steps.

    \b
    Examples:
      tutor solve loss mse --pred 0.5,0.8 --target 1,0
      tutor solve loss bce --pred 0.9,0.2 --target 1,0
      tutor solve loss softmax_ce --pred 1,2,0 --target 1
    """
    from ..ml import losses as engine

    preds = [_num(v, "--pred") for v in pred.split(",")]
    targets: Any = [_num(v, "--target") for v in target.split(",")]
    if name == "softmax_ce" and "," not in target:
        targets = int(target) if target.strip().isdigit() else targets
    try:
        sol = engine.loss(name, preds, targets, logits=logits)
    except (ValueError, TypeError) as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(_render(sol, fmt, ascii_))


@click.command("gradcheck")
@click.argument("target")
@click.option(
    "--f", "f", required=True, help='The function whose gradient is checked: "x^2 + 3xy".'
)
@click.option("--at", "at", required=True, help="The point: 1,2 (one value per variable).")
@click.option("--vars", "vars_", default=None, help="Variable order, e.g. x,y.")
@click.option(
    "--eps", default=1e-6, show_default=True, type=float, help="Finite-difference step h."
)
@click.option("--tol", default=1e-5, show_default=True, type=float, help="Relative error allowed.")
@_format
@_ascii
def gradcheck(
    target: str,
    f: str,
    at: str,
    vars_: str | None,
    eps: float,
    tol: float,
    fmt: str,
    ascii_: bool,
) -> None:
    """Compare YOUR gradient function TARGET with finite differences of --f.

    TARGET is module:function (a module importable from the current directory) or
    path/to/file.py:function.  It is LOCAL code only: your own function is imported and run on
    your own machine, like running it with python; nothing is fetched or sent anywhere.  The
    function gets the point (a number for one variable, a numpy array for several, or one
    argument per variable) and returns the gradient.

    \b
    Examples:
      tutor gradcheck mygrad:grad --f "x^2 + 3x*y" --at 1,2
      tutor gradcheck homework/lab3.py:gradient --f "x^3" --at 2
    """
    from ..ml.gradcheck import gradient_check

    names = _names(vars_)
    expr = _read(f, names, "--f")
    point = [float(_num(v, "--at")) for v in at.split(",")]
    func = _load_local(target)
    try:
        sol = gradient_check(expr, func, point, eps, tol=tol, variables=names)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(_render(sol, fmt, ascii_))
    if not sol.answer["ok"]:
        raise SystemExit(1)


# --------------------------------------------------------------------------- helpers


def _load_local(target: str) -> Any:
    """Import ``module:function`` or ``file.py:function`` from the local file system only."""
    import importlib
    import importlib.util
    import os
    import sys

    module_name, sep, attr = target.rpartition(":")
    if not sep or not module_name or not attr.isidentifier():
        raise click.BadParameter(
            "expected module:function or file.py:function", param_hint="TARGET"
        )
    try:
        if module_name.endswith(".py"):
            path = os.path.abspath(module_name)
            if not os.path.isfile(path):
                raise click.BadParameter(f"no file {module_name}", param_hint="TARGET")
            spec = importlib.util.spec_from_file_location("_tutor_gradcheck_target", path)
            if spec is None or spec.loader is None:
                raise click.BadParameter(f"cannot load {module_name}", param_hint="TARGET")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
        else:
            cwd = os.getcwd()
            if cwd not in sys.path:
                sys.path.insert(0, cwd)
            module = importlib.import_module(module_name)
    except click.BadParameter:
        raise
    except Exception as exc:  # the student's module failed to import: say so plainly
        raise click.UsageError(
            f"importing {module_name} failed: {type(exc).__name__}: {exc}"
        ) from None
    func = getattr(module, attr, None)
    if not callable(func):
        raise click.BadParameter(f"{module_name} has no function {attr}", param_hint="TARGET")
    return func


def _names(vars_: str | None) -> list[str] | None:
    if vars_ is None:
        return None
    names = [v.strip() for v in vars_.split(",") if v.strip()]
    if not names or not all(n.isidentifier() for n in names):
        raise click.BadParameter("expected names such as x,y", param_hint="--vars")
    return names


def _pairs(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in text.split(","):
        name, eq, value = part.partition("=")
        if not eq or not name.strip().isidentifier() or not value.strip():
            raise click.BadParameter(f"expected name=value, got {part!r}", param_hint="--at")
        out[name.strip()] = value.strip()
    return out


def _num(text: str, where: str) -> Any:
    """A number from text, read exactly (0.1 is 1/10)."""
    from ..ml._common import to_number
    from ..parse import ParseError

    try:
        return to_number(text)
    except ParseError as exc:
        _parse_failed(where, exc)
    except (ValueError, TypeError):
        raise click.BadParameter(f"{text!r} is not a number", param_hint=where) from None
