"""What every technique shares: the case it is shown and the rule it hands back.

A technique is a module with ``ID``, ``TITLE`` and ``recognise(solver, case)``, which
returns a :class:`Rule` when the technique fits the case and None when it does not.
Running the rule works the limit (value and steps) or returns None when the technique,
tried, does not finish the job, so the table moves on to the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..engine import Solver
else:
    Solver = Any  # the engine's solver (imported lazily: it imports this package)

Result = tuple[Any, list[Any]]


@dataclass(frozen=True)
class Case:
    """The limit of ``f`` as x → ``a`` from ``side``; for a quotient its ``num`` and ``den``
    (``form`` "0/0" or "∞/∞"), the shown sub-limits ``sub`` and the L'Hôpital depth ``lh``."""

    f: Any
    a: Any
    side: str
    whole: bool
    num: Any = None
    den: Any = None
    form: str = ""
    sub: tuple[Any, ...] = ()
    lh: int = 0


@dataclass(frozen=True)
class Rule:
    """A technique that fits a case: ``run()`` works it, giving (value, steps) or None."""

    technique: str
    run: Callable[[], Result | None]


def rule(technique: str, run: Callable[[], Result | None]) -> Rule:
    """The rule of ``technique`` that ``run`` carries out."""
    return Rule(technique, run)


__all__ = ["Case", "Result", "Rule", "rule", "Solver"]
