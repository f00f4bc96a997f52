"""Safe reading of what a student types: text → sympy objects, never ``eval``.

A tokenizer (``lexer``) and a recursive-descent grammar (``grammar``) of our own build
sympy objects with sympy's constructors.  Every input is bounded (length, tokens, nesting,
digits, and the size of any power or factorial that sympy would evaluate), so no text can
hang or exhaust the machine, and every failure is a :class:`ParseError` with a position,
a caret line and a hint.  How ambiguous input was read is reported in ``Parsed.notes``.
LaTeX (``\\frac{1}{2}``, ``$\\sqrt{2}$``) and Maxima (``%pi``, ``minf``) are first translated
into this syntax by ``latex``, and errors are mapped back to the typed text.

Modules: ``lexer`` (tokens and their size guards), ``grammar`` (tokens → sympy, with the
guards on evaluated powers), ``names`` (the name tables), ``latex`` (LaTeX/Maxima → this
syntax) and ``build`` (text → :class:`Parsed`).  The accepted syntax is documented for
students in ``docs/input-syntax.md``.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

__all__ = ["ParseError", "Parsed", "parse", "parse_answer", "SHAPES", "DEFAULT_LIMITS"]

# names read lazily, so that ``import tutor`` stays cheap: name -> submodule
_EXPORTS = {
    "ParseError": "lexer",
    "Parsed": "build",
    "parse_answer": "build",
    "SHAPES": "build",
    "DEFAULT_LIMITS": "build",
}


def parse(text: str, *, variables: Sequence[str] | None = None, **options: Any) -> Any:
    """Read ``text`` into a sympy object (see :func:`parse_answer`); raises ``ParseError``."""
    build = importlib.import_module(f"{__name__}.build")  # loaded on the first call
    return build.parse_answer(text, variables=variables, **options).value


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'tutor.parse' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
