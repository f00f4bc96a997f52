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

from .build import DEFAULT_LIMITS, SHAPES, Parsed, parse, parse_answer
from .lexer import ParseError

ParseError.__module__ = __name__  # shown and pickled as tutor.parse.ParseError

__all__ = ["ParseError", "Parsed", "parse", "parse_answer", "SHAPES", "DEFAULT_LIMITS"]
