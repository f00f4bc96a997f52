"""Building an answer: text → :class:`Parsed` (value, shape, notes), with the length limit,
the LaTeX pre-pass and the reading of whole-answer words, ``±`` and comma lists."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..core import DNE
from .lexer import ParseError, tokenize
from .names import DNE_WORDS, EMPTY_WORDS, GREEK, REAL_WORDS

__all__ = ["Parsed", "parse_answer", "SHAPES", "DEFAULT_LIMITS"]

SHAPES = (
    "expression",
    "equation",
    "inequality",
    "compound",
    "list",
    "set",
    "interval",
    "point",
    "dne",
)

DEFAULT_LIMITS = {
    "max_length": 2000,  # characters
    "max_tokens": 1000,
    "max_depth": 100,  # brackets, signs and powers nested
    "max_digits": 100,  # digits in one typed number
    # digits of a number that sympy would evaluate (a power, a factorial, a product); below
    # Python's 4300-digit limit on int -> str, so that every result can be printed
    "max_result_digits": 4000,
}

_WS = re.compile(r"\s+")
_THOUSANDS = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\w.,])")
_LEIBNIZ = re.compile(r"(?<![A-Za-z])d[A-Za-z]?\s*/\s*d[A-Za-z]")


@dataclass(frozen=True)
class Parsed:
    """A parsed answer: the sympy ``value``, its ``shape``, ``notes`` on how ambiguous input
    was read (sentences for the student), and the original ``text``."""

    value: Any
    shape: str
    notes: tuple[str, ...]
    text: str


def parse_answer(
    text: str,
    *,
    variables: Sequence[str] | None = None,
    expect: str | None = None,
    log_base: str = "e",
    **limits: int,
) -> Parsed:
    """Read a student's answer into sympy objects, with its shape and how it was read.

    ``variables`` declares the letters of the question (then ``xy`` is ``x·y`` and any other
    letter is an error); ``expect`` (``"interval"``, ``"set"``, ``"list"``, ``"point"``) decides
    readings that the text alone leaves open, such as ``(1, 2)``; ``log_base`` is what a bare
    ``log`` means (``"e"`` or ``"10"``); ``limits`` override :data:`DEFAULT_LIMITS`.
    Raises :class:`ParseError` and nothing else.
    """
    unknown = set(limits) - set(DEFAULT_LIMITS)
    if unknown:
        raise TypeError(f"unknown parse option(s): {', '.join(sorted(unknown))}")
    lim = {**DEFAULT_LIMITS, **limits}
    if not isinstance(text, str):
        raise ParseError("the answer must be text", "", 0, "type the answer as text")
    if len(text) > lim["max_length"]:
        raise ParseError(
            f"the answer is too long ({len(text)} characters; at most {lim['max_length']})",
            text[: lim["max_length"]],
            lim["max_length"],
            "simplify the expression before typing it",
        )
    try:
        return _parse(text, variables, expect, str(log_base), lim)
    except ParseError:
        raise
    except RecursionError:
        raise ParseError(
            "the answer is nested too deeply", text, 0, "simplify the expression before typing it"
        ) from None
    except Exception as exc:  # noqa: BLE001 - nothing but ParseError may escape
        raise ParseError(
            "this answer could not be read", text, 0, f"{type(exc).__name__}: {exc}"[:200]
        ) from None


def _normal_var(name: Any) -> str:
    s = str(name).strip()
    s = "".join(GREEK.get(c, c) for c in s)
    return s.replace("{", "").replace("}", "")


def _parse(
    text: str, variables: Sequence[str] | None, expect: str | None, log_base: str, lim: dict
) -> Parsed:
    from .latex import translate

    V = None if variables is None else tuple(_normal_var(v) for v in variables)
    tr = translate(
        text,
        max_depth=lim["max_depth"],
        d_is_variable=V is not None and "d" in V,
        e_is_variable=V is not None and "e" in V,
    )
    if tr is None:
        return _parse_plain(text, V, expect, log_base, lim)
    try:
        r = _parse_plain(tr.text, V, expect, log_base, lim)
    except ParseError as exc:
        raise tr.remap(exc, text) from None
    return Parsed(r.value, r.shape, tr.notes + r.notes, text)


def _parse_plain(
    text: str, V: tuple[str, ...] | None, expect: str | None, log_base: str, lim: dict
) -> Parsed:
    from .grammar import Group, Parser

    stripped = text.strip()
    if not stripped:
        raise ParseError("the answer is empty", text, 0, "type an answer")
    words = _WS.sub(" ", stripped.lower()).rstrip(".!")
    if words in DNE_WORDS:
        return Parsed(DNE, "dne", (), text)
    if words in EMPTY_WORDS:
        import sympy

        return Parsed(sympy.S.EmptySet, "set", (), text)
    if words in REAL_WORDS:
        import sympy

        return Parsed(sympy.S.Reals, "interval", (), text)

    _refuse_thousands(text)
    if V is None or "d" not in V:
        m = _LEIBNIZ.search(text)
        if m:
            raise ParseError(
                "derivative notation such as dy/dx is not read",
                text,
                m.start(),
                "write the derivative itself, e.g. 2*x",
            )
    toks = tokenize(
        text,
        e_is_variable=V is not None and "e" in V,
        max_depth=lim["max_depth"],
        max_digits=lim["max_digits"],
        max_tokens=lim["max_tokens"],
        max_result_digits=lim["max_result_digits"],
    )
    p = Parser(
        text,
        toks,
        variables=V,
        log_base=log_base,
        max_depth=lim["max_depth"],
        max_result_digits=lim["max_result_digits"],
    )
    items = p.parse_answer()

    import sympy

    if p.pm_used:
        both = _plus_minus_set(text, toks, p, items, V, log_base, lim, expect)
        if both is None:
            return _plus_minus(text, toks, p, items, V, log_base, lim)
        items = both

    def finish(v: Any, top: bool) -> tuple[Any, str]:
        if isinstance(v, Group):
            infinite = any(
                isinstance(a, sympy.Expr) and a in (sympy.oo, -sympy.oo) for a in v.items
            )
            round_ = v.open == "(" and v.close == ")"
            square = v.open == "[" and v.close == "]"
            if square and (expect == "list" or len(v.items) != 2):
                # [1, 2, 3] cannot be an interval
                return tuple(finish(a, False)[0] for a in v.items), "list"
            if len(v.items) == 2 and (
                not round_ or expect == "interval" or (infinite and expect != "point")
            ):
                if round_ and expect != "interval":
                    p.note(f"{p.src(v.pos, v.end)} was read as an interval")
                return p.group_interval(v), "interval"
            if not round_:
                raise p.error(
                    "an interval has two ends",
                    v.pos,
                    "write it as (a, b), [a, b], (a, b] or [a, b)",
                )
            if not all(isinstance(a, sympy.Expr) for a in v.items):
                raise p.error(
                    "the coordinates of a point are numbers or expressions",
                    v.pos,
                    "write a point as (1, 2)",
                )
            return sympy.Tuple(*v.items), "point"
        if isinstance(v, sympy.Interval) or (
            isinstance(v, sympy.Union) and all(isinstance(a, sympy.Interval) for a in v.args)
        ):
            return v, "interval"
        if isinstance(v, sympy.Set):
            return v, "set"
        if isinstance(v, sympy.Eq):
            return v, "equation"
        if isinstance(v, sympy.core.relational.Relational):
            return v, "inequality"
        if isinstance(v, sympy.And) and all(
            isinstance(a, sympy.core.relational.Relational) and not isinstance(a, sympy.Eq)
            for a in v.args
        ):
            return v, "inequality" if top else "compound"
        if isinstance(v, (sympy.And, sympy.Or)):
            return v, "compound"
        return v, "expression"

    for v in items:
        if isinstance(v, sympy.Basic) and v.has(sympy.nan, sympy.zoo):
            raise p.undefined(0)
    if len(items) == 1:
        value, shape = finish(items[0], True)
    else:
        value = tuple(finish(v, False)[0] for v in items)
        shape = "list"
        if expect in ("set", "list") and _same_variable_equations(value):
            # "x = -3, x = 2" answers "which values?": read the values, and say so
            p.notes.append(
                f"{text.strip()} was read as the values " + ", ".join(str(v.rhs) for v in value)
            )
            value = tuple(v.rhs for v in value)
        if expect == "set":
            if not all(isinstance(v, sympy.Expr) for v in value):
                raise ParseError(
                    "a set holds numbers or expressions", text, 0, "write the values: 1, -1"
                )
            value, shape = sympy.FiniteSet(*value), "set"
    return Parsed(value, shape, tuple(p.notes), text)


def _same_variable_equations(values: tuple) -> bool:
    """Every item is ``name = value`` with one and the same name on the left."""
    import sympy

    return all(
        isinstance(v, sympy.Eq) and v.lhs.is_Symbol and not v.rhs.has(v.lhs) for v in values
    ) and (len({v.lhs for v in values}) == 1)


def _refuse_thousands(text: str) -> None:
    """``1,000`` at the top level is a number with a separator or a list; ask which."""
    for m in _THOUSANDS.finditer(text):
        head = text[: m.start()]
        depth = sum(head.count(o) for o in "([{") - sum(head.count(c) for c in ")]}")
        if depth == 0 and not m.group().startswith("0"):
            raise ParseError(
                f"'{m.group()}' looks like a number with a thousands separator",
                text,
                m.start() + m.group().index(","),
                f"write {m.group().replace(',', '')}, or put a space after each comma for a list",
            )


def _plus_minus_set(text, toks, p, items, V, log_base, lim, expect) -> list | None:  # noqa: ANN001
    """In a set (``{1 ± √5, -2}``, or the values ``x = 1/2, x = (-1 ± √13)/4`` of a set
    answer) each ``±`` item stands for its two values; order does not matter there, so the
    items of the ``+`` and ``-`` readings are merged.  None outside a set."""
    import sympy

    literal = len(items) == 1 and isinstance(items[0], sympy.FiniteSet)
    if not (literal or (len(items) > 1 and expect == "set")):
        return None
    q = _minus_reading(text, toks, V, log_base, lim)
    other = q.parse_answer()
    if len(other) != len(items):
        return None
    p.notes.append(f"{' '.join(text.split())} was read with both signs of ±")
    if literal:
        return [sympy.Union(items[0], other[0])]
    merged: list = []
    for one, two in zip(items, other):
        for v in (one, two):
            if v not in merged:
                merged.append(v)
    return merged


def _minus_reading(text, toks, V, log_base, lim):  # noqa: ANN001, ANN202
    """A parser that reads every ± of ``text`` as −: the second of the two readings."""
    from .grammar import Parser

    return Parser(
        text,
        toks,
        variables=V,
        log_base=log_base,
        max_depth=lim["max_depth"],
        max_result_digits=lim["max_result_digits"],
        pm=-1,
    )


def _plus_minus(text, toks, p, items, V, log_base, lim) -> Parsed:  # noqa: ANN001
    """``x = ±2`` is ``x = 2 or x = -2``; a bare ``±2`` is the two values ``2, -2``."""
    import sympy

    if len(items) != 1:
        raise ParseError(
            "'±' cannot be used in a comma list", text, text.find("±"), "write every value out"
        )
    q = _minus_reading(text, toks, V, log_base, lim)
    (other,) = q.parse_answer()
    (one,) = items
    notes = list(p.notes)
    if isinstance(one, sympy.Eq) and isinstance(other, sympy.Eq) and one.lhs == other.lhs:
        value = sympy.Or(one, other, evaluate=False)
        notes.append(
            f"{' '.join(text.split())} was read as "
            f"{sympy.sstr(one.lhs)} = {sympy.sstr(one.rhs)} or "
            f"{sympy.sstr(other.lhs)} = {sympy.sstr(other.rhs)}"
        )
        return Parsed(value, "compound", tuple(notes), text)
    if isinstance(one, sympy.Expr) and isinstance(other, sympy.Expr):
        notes.append(
            f"{' '.join(text.split())} was read as the two values "
            f"{sympy.sstr(one)}, {sympy.sstr(other)}"
        )
        return Parsed((one, other), "list", tuple(notes), text)
    raise ParseError(
        "'±' is read only in a value or an equation such as x = ±2",
        text,
        text.find("±"),
        "write both answers, as x = 2 or x = -2",
    )
