"""The ``tutor`` command line: a thin click layer over the library.

Subcommands live in ``tutor/commands/`` and are imported only when run, so that
``tutor --help`` answers without importing sympy or matplotlib.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

import click

# command name -> ("module:attribute", one-line help shown by --help)
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("tutor.commands.check:check", "Check an answer against the expected one."),
    "solve": (
        "tutor.cli:solve",
        "Work a problem step by step (derivative, limit, extrema, descent, ...).",
    ),
    "generate": ("tutor.commands.generate:generate", "Generate randomised problems for a topic."),
    "topics": ("tutor.commands.generate:topics", "List the problem topics with their lectures."),
    "sheet": (
        "tutor.commands.sheet:sheet",
        "Make a practice sheet, answer key or exam as PDF/HTML/LaTeX/Markdown.",
    ),
    "exam": ("tutor.commands.sheet:exam", "Make a written exam paper and its solutions booklet."),
    "plot": ("tutor.commands.plot:plot", "Draw a figure (secants, f and f', descent path, ...)."),
    "quiz": ("tutor.commands.quiz:quiz", "Drill interactively in the terminal."),
    "gradcheck": (
        "tutor.commands.ml:gradcheck",
        "Compare a local gradient function with finite differences.",
    ),
    "export": (
        "tutor.commands.export:export",
        "Question banks for Moodle (XML, STACK) and Canvas (QTI 1.2).",
    ),
    "serve": ("tutor.commands.serve:serve", "Run the JSON HTTP service (check, validate, ...)."),
    "dataset": (
        "tutor.commands.dataset:dataset",
        "Write problems with worked solutions as JSON lines (processes or Dask).",
    ),
}

# ``tutor solve KIND``: kind -> ("module:attribute", help)
SOLVE_COMMANDS: dict[str, tuple[str, str]] = {
    "derivative": (
        "tutor.commands.derivative:derivative",
        "Differentiate rule by rule (gradients with --wrt x,y).",
    ),
    "limit": (
        "tutor.commands.limits:limit",
        "Evaluate a limit with the technique named at each step.",
    ),
    "definition": (
        "tutor.commands.limits:definition",
        "Derivative from first principles (difference quotient).",
    ),
    "continuity": (
        "tutor.commands.limits:continuity",
        "Is f continuous at a point, and what kind of discontinuity.",
    ),
    "extrema": (
        "tutor.commands.analysis:extrema",
        "Critical points, their kind, global extrema on an interval.",
    ),
    "monotonic": (
        "tutor.commands.analysis:monotonic",
        "Where f increases and decreases (sign chart of f').",
    ),
    "concavity": (
        "tutor.commands.analysis:concavity",
        "Concavity and inflection points (sign chart of f'').",
    ),
    "tangent": (
        "tutor.commands.analysis:tangent",
        "Tangent and normal line, linear approximation.",
    ),
    "secant": (
        "tutor.commands.analysis:secant",
        "Average rate of change on [a, b] (slope of the secant).",
    ),
    "leastsquares": (
        "tutor.commands.analysis:leastsquares",
        "Minimise the squared-error loss of y = w x (+ b) on a data table.",
    ),
    "descent": (
        "tutor.commands.ml:descent",
        "Gradient descent as an iteration table, with a diagnosis.",
    ),
    "backprop": (
        "tutor.commands.ml:backprop",
        "Forward and backward pass on the computational graph.",
    ),
    "loss": ("tutor.commands.ml:loss", "A loss function's value and gradient, derived in steps."),
}


_DASH_HINT = (
    "An expression that starts with a minus sign goes last, after -- (options first), so "
    'that it is not read as an option: tutor solve limit --at 0 -- "-1/x^2"'
)


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def __init__(self, *args: Any, lazy: dict[str, tuple[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            target, _ = self.lazy[cmd_name]
            module_name, attr = target.split(":")
            try:
                return getattr(importlib.import_module(module_name), attr)
            except (ImportError, AttributeError):
                return None
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.NoSuchOption as e:
            # "-3 atan(x)" or "-x^2": an expression that starts with a minus sign, read by
            # click as an option; say how to pass it
            if re.match(r"-(\d|\.\d|\(|[a-z]+\(|[a-z]\^|[a-z]$)", e.option_name or "") and (
                _DASH_HINT not in (e.message or "")
            ):
                e.message = f"{(e.message or '').rstrip('.')}. {_DASH_HINT}"
            raise

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Help comes from the table, so listing commands imports nothing.
        rows = [(name, help_) for name, (_, help_) in sorted(self.lazy.items())]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="calculus-tutor", prog_name="tutor")
def main() -> None:
    """calculus-tutor: worked solutions, answer checking, practice sheets and quizzes
    for Calculus for Machine Learning.

    \b
    Try:
      tutor check "2x" "2*x"
      tutor solve derivative "x^2 sin(3x)"
      tutor sheet --lecture 5 -o sheet.pdf
    """


@click.group(cls=LazyGroup, lazy=SOLVE_COMMANDS)
def solve() -> None:
    """Work a problem step by step, the way a teacher writes it on the board."""


if __name__ == "__main__":  # python -m tutor.cli
    main()
