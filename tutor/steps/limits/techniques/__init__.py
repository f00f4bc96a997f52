"""The course's limit techniques, one module each, in the order they are taught.

Each module has ``ID``, ``TITLE`` and ``recognise(solver, case) -> Rule | None``.  The
engine tries the techniques of a table in order and keeps the first that works, so a
limit the course solves by factoring is solved by factoring; L'Hôpital's rule comes last
unless the question asks for it.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    common_denominator,
    factor,
    growth_order,
    lhopital,
    power_substitution,
    rationalise,
    squeeze,
    standard,
    substitution,
)
from .base import Case, Rule

# the course's order (lecture 04, then 05 for L'Hôpital)
ORDER: tuple[ModuleType, ...] = (
    substitution,
    factor,
    rationalise,
    common_denominator,
    standard,
    growth_order,
    power_substitution,
    squeeze,
    lhopital,
)
# what a 0/0 quotient and an ∞/∞ quotient try, in that order
ZERO_OVER_ZERO: tuple[ModuleType, ...] = (
    factor,
    rationalise,
    standard,
    power_substitution,
    lhopital,
)
INF_OVER_INF: tuple[ModuleType, ...] = (growth_order, power_substitution, lhopital)

TITLES: dict[str, str] = {m.ID: m.TITLE for m in ORDER}


def table(techniques: tuple[ModuleType, ...], method: str | None) -> tuple[ModuleType, ...]:
    """The table in teaching order, with the technique the question asks for first."""
    if method is None:
        return techniques
    asked = [m for m in techniques if m.ID == method]
    return (*asked, *[m for m in techniques if m.ID != method])


__all__ = ["Case", "Rule", "ORDER", "ZERO_OVER_ZERO", "INF_OVER_INF", "TITLES", "table"]
