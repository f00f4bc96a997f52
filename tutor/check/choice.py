"""Multiple choice: the text matched against the choices, with synonyms."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from ..core import Verdict
from .context import _Ctx


def stage_choice(answer: Any, expected: Any, ctx: _Ctx) -> Verdict:
    """Multiple choice: the text matched against the choices, ignoring case, spaces, synonyms."""
    choices = [str(c) for c in ctx.options.get("choices") or ()]
    synonyms: dict[str, Any] = dict(ctx.options.get("synonyms") or {})
    canon = _canonical_choice(str(answer), choices, synonyms)
    exp = _canonical_choice(str(expected), choices, synonyms)
    if canon is None:
        return ctx.verdict(
            None,
            "not_a_choice",
            "That is not one of the choices" + (f": {', '.join(choices)}." if choices else "."),
            "choice",
        )
    if canon == exp:
        return ctx.verdict(True, "equivalent", "Correct.", "choice", choice=canon)
    return ctx.verdict(False, "not_equivalent", "Not correct.", "choice", choice=canon)


_SYNONYMS: dict[str, tuple[str, ...]] = {
    "minimum": (
        "min",
        "local min",
        "local minimum",
        "minimum point",
        "relative minimum",
        "minimizer",
    ),
    "maximum": (
        "max",
        "local max",
        "local maximum",
        "maximum point",
        "relative maximum",
        "maximizer",
    ),
    "saddle": ("saddle point", "saddle pt"),
    "neither": ("none", "no extremum", "not an extremum", "neither min nor max"),
    "dne": ("does not exist", "doesnt exist", "undefined", "no limit"),
    "true": ("t", "yes", "y", "correct"),
    "false": ("f", "no", "n", "incorrect"),
    "increasing": ("inc", "increases", "going up"),
    "decreasing": ("dec", "decreases", "going down"),
    "diverges": ("divergent", "diverge", "divergence", "blows up"),
    "converges": ("convergent", "converge", "convergence"),
    "oscillates": ("oscillation", "oscillating", "oscillate"),
}


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).casefold()
    s = re.sub(r"[^\w\s]", " ", s.replace("'", ""))
    return " ".join(s.split())


def _canonical_choice(text: str, choices: list[str], synonyms: dict[str, Any]) -> str | None:
    t = _norm(text)
    table: dict[str, str] = {}
    for key, words in _SYNONYMS.items():
        for w in (key, *words):
            table[_norm(w)] = key
    for key, words in synonyms.items():
        for w in (key, *(words if isinstance(words, (list, tuple)) else [words])):
            table[_norm(str(w))] = _norm(str(key))
    t = table.get(t, t)
    if not choices:
        return t
    normed = [table.get(_norm(c), _norm(c)) for c in choices]
    if t in normed:
        return t
    letters = "abcdefghijklmnopqrstuvwxyz"
    if len(t) == 1 and t in letters[: len(choices)]:
        return normed[letters.index(t)]
    if t.isdigit() and 1 <= int(t) <= len(choices):
        return normed[int(t) - 1]
    return None


# the kinds this module serves: kind -> (how the answer is read, how it is compared)
KINDS = {
    "choice": (None, stage_choice),
}
