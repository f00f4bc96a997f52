"""calculus-tutor: a calculus tutor engine for *Calculus for Machine Learning*.

The public contract (DESIGN.md) is re-exported here lazily, so that ``import tutor``
and ``tutor --help`` stay fast: sympy is imported only when a function is first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> (module, attribute)
_EXPORTS: dict[str, tuple[str, str]] = {
    "Step": ("tutor.core", "Step"),
    "Solution": ("tutor.core", "Solution"),
    "Task": ("tutor.core", "Task"),
    "Table": ("tutor.core", "Table"),
    "Problem": ("tutor.core", "Problem"),
    "Verdict": ("tutor.core", "Verdict"),
    "ParseError": ("tutor.parse", "ParseError"),
    "parse_answer": ("tutor.parse", "parse_answer"),
    "DNE": ("tutor.core", "DNE"),
    "differentiate": ("tutor.steps.derivatives", "differentiate"),
    "limit": ("tutor.steps.limits", "limit"),
    "derivative_from_definition": ("tutor.steps.limits", "derivative_from_definition"),
    "continuity": ("tutor.steps.limits", "continuity"),
    "critical_points": ("tutor.steps.analysis", "critical_points"),
    "gradient_descent": ("tutor.ml.descent", "gradient_descent"),
    "backprop": ("tutor.ml.backpropagation", "backprop"),
    "topics": ("tutor.generate", "topics"),
    "global_extrema": ("tutor.steps.analysis", "global_extrema"),
    "monotonicity": ("tutor.steps.analysis", "monotonicity"),
    "concavity": ("tutor.steps.analysis", "concavity"),
    "tangent_line": ("tutor.steps.analysis", "tangent_line"),
    "normal_line": ("tutor.steps.analysis", "normal_line"),
    "linear_approximation": ("tutor.steps.analysis", "linear_approximation"),
    "secant_slope": ("tutor.steps.analysis", "secant_slope"),
    "least_squares": ("tutor.steps.analysis", "least_squares"),
    "implicit_derivative": ("tutor.steps.derivatives", "implicit_derivative"),
    "directional_derivative": ("tutor.steps.derivatives", "directional_derivative"),
    "gradient": ("tutor.steps.derivatives", "gradient"),
    "max_stable_lr": ("tutor.ml.descent", "max_stable_lr"),
    "diagnose": ("tutor.ml.descent", "diagnose"),
    "loss": ("tutor.ml.losses", "loss"),
    "gradient_check": ("tutor.ml.gradcheck", "gradient_check"),
}


def _present(what: str, value: Any) -> str:
    """How core shows a value (``tutor.core.present``): through tutor.render, on first use."""
    if what == "text":
        from .render import text

        return text.render_solution(value)
    if what == "markdown":
        from .render import markdown

        return markdown.render_solution(value)
    if what == "problem_markdown":
        from .render import markdown

        return markdown.render_problem(value, solutions=True, figure=True)
    if what == "latex":
        from .render.latex import tex

        return tex(value)
    if what == "ascii":
        from .render.mathtext import math_text

        return math_text(value, ascii=True)
    raise ValueError(f"no renderer for {what!r}")


from . import core as _core  # noqa: E402

_core.present = _present


def _declared_rules() -> Any:
    """The declared step ids (``tutor.core.declared_rules``), read from the registry."""
    from .steps.registry import RULES

    return RULES


_core.declared_rules = _declared_rules

# ``tutor.parse``, ``tutor.check`` and ``tutor.generate`` are packages named after their
# public function.  Their __init__ modules are light (the work is imported on the first call),
# so they are imported here and the names bound to the functions afterwards: ``tutor.check``
# is the function whatever was imported before, and the submodules are reached with
# ``from tutor.check import dispatch`` (``import tutor.check.dispatch as d`` cannot work).
from .check import check  # noqa: E402, F401
from .generate import generate  # noqa: E402, F401
from .parse import parse  # noqa: E402, F401

__all__ = sorted([*_EXPORTS, "check", "generate", "parse"]) + ["__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from .core import DNE, Problem, Solution, Step, Table, Task, Verdict  # noqa: F401


def __getattr__(name: str) -> Any:
    try:
        module_name, attr = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'tutor' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module_name), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
