"""Randomised problems for every lecture: ``generate(topic, seed=..., difficulty=...)``.

Each topic is a family in one of the modules of this package (registered in
``registry.FAMILIES`` when ``api`` imports them).  The same topic, seed and difficulty give
the same problem on every machine and process.

The package itself is light (sympy is imported on first use), so that ``tutor`` can bind the
name ``tutor.generate`` to the function below; the other names are read lazily from ``api``,
``builders`` and ``sheets``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..core import Problem

__all__ = [
    "FAMILIES",
    "MAX_DIFFICULTY",
    "Sheet",
    "SheetError",
    "answer_text",
    "build_sheet",
    "generate",
    "load_sheet",
    "prompt_text",
    "topic_info",
    "topics",
]

# name -> the submodule it is read from
_EXPORTS: dict[str, str] = {
    "FAMILIES": "api",
    "MAX_DIFFICULTY": "api",
    "prompt_text": "api",
    "topic_info": "api",
    "topics": "api",
    "answer_text": "builders",
    "Sheet": "sheets",
    "SheetError": "sheets",
    "build_sheet": "sheets",
    "load_sheet": "sheets",
}


def generate(topic: str, *, seed: int, difficulty: int = 1) -> Problem:
    """A randomised problem of ``topic`` with its verified answer and worked solution.

    ``difficulty`` is 1, 2 or 3 (more rules, deeper nesting, bigger numbers, more steps).
    """
    from .api import generate as draw

    return draw(topic, seed=seed, difficulty=difficulty)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'tutor.generate' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
