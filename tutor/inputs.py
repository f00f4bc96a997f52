"""One reading of the arguments people pass to the public functions and the CLI.

Each converter works like click's ``ParamType.convert``: ``convert(value, param)`` returns the
typed value or raises :class:`InputError` naming the parameter.  Every public function that
takes such an argument reads it here, so that it means the same everywhere:

- names (``variables``, ``wrt``, ``positive``, ...): ``"x,y"``, ``"x y"``, ``"x, y"``,
  ``["x", "y"]`` and ``[Symbol("x"), Symbol("y")]`` are all ``("x", "y")``; a set is read in
  name order, so that the same call gives the same bytes in every process;
- points (``at``): ``"x=1, y=2"`` and ``{"x": 1, "y": 2}`` are ``{"x": 1, "y": 2}`` (names
  to numbers); ``"1, 2"``, ``(1, 2)`` and ``"(1, 2)"`` are the coordinates ``(1, 2)``;
- numbers, with one decimal policy: text goes through ``tutor.parse`` and is exact (``"0.1"``
  is 1/10, ``"pi/4"`` stays π/4); an ``int`` is an Integer and a ``Fraction`` a Rational; a
  ``float`` that is a decimal of at most 12 places is that decimal exactly (``0.1`` is 1/10),
  any other float stays a Float; a ``bool`` is refused.

Text is never evaluated: numbers are read by ``tutor.parse``.  sympy is imported only when a
number is converted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, NoReturn

__all__ = ["InputError", "Names", "Number", "Point", "names", "number", "point"]

_SEPARATORS = re.compile(r"[\s,]+")


class InputError(TypeError, ValueError):
    """A public function's argument that cannot be read (its text: "variables must be ...").
    It is both a ``TypeError`` (the contract of ``tutor.check``'s options) and a
    ``ValueError`` (the engines' contract)."""

    def __init__(self, message: str, param: str) -> None:
        super().__init__(f"{param} {message}" if param else message)
        self.message, self.param = message, param


class Converter:
    """A parameter type: ``convert(value, param)`` gives the typed value or fails."""

    name = "value"

    def convert(self, value: Any, param: str) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def fail(self, message: str, param: str) -> NoReturn:
        raise InputError(message, param)

    def __call__(self, value: Any, param: str = "") -> Any:
        return self.convert(value, param)


class Names(Converter):
    """Letters of a question: text split at commas and spaces, or names or symbols in any
    collection (a set in name order, a mapping's keys in order); ``None`` stays ``None``.
    A name is what the user wrote (no other check)."""

    name = "names"

    def convert(self, value: Any, param: str) -> tuple[str, ...] | None:
        if value is None:
            return None
        if isinstance(value, str):
            return tuple(n for n in _SEPARATORS.split(value) if n)
        if getattr(value, "is_Symbol", False):
            return (value.name,)
        if isinstance(value, (set, frozenset)):
            value = sorted(value, key=lambda n: str(getattr(n, "name", n)))
        if isinstance(value, Iterable):
            out = []
            for n in value:
                name = getattr(n, "name", n)
                if not isinstance(name, str):
                    self.fail(f"must be names (strings), not {type(n).__name__}", param)
                out.append(name)
            return tuple(out)
        self.fail("must be a list of names or a string such as 'x, y'", param)


class Number(Converter):
    """A sympy number by the decimal policy of this module (see the module docstring)."""

    name = "number"

    def convert(self, value: Any, param: str) -> Any:
        import sympy

        if isinstance(value, bool):
            self.fail("must be a number, not True or False", param)
        if isinstance(value, int):
            return sympy.Integer(value)
        if isinstance(value, Fraction):
            return sympy.Rational(value.numerator, value.denominator)
        if isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                self.fail(f"must be a finite number, not {value}", param)
            if value == round(value, 12):
                return sympy.nsimplify(value, rational=True)
            return sympy.Float(value)
        if isinstance(value, str):
            from .parse import ParseError, parse

            try:
                value = parse(value)
            except ParseError as exc:
                self.fail(f"must be a number; {value!r} cannot be read: {exc.message}", param)
        if hasattr(value, "item") and not isinstance(value, sympy.Basic):  # numpy scalars
            return self.convert(value.item(), param)
        if isinstance(value, sympy.Expr) and value.is_number:
            return value
        self.fail(f"must be a number, not {value!r}", param)


class Point(Converter):
    """A point: names to numbers (``"x=1, y=2"``, a mapping) or coordinates (``"1, 2"``,
    ``"(1, 2)"``, a sequence, one number); every value read by :class:`Number`."""

    name = "point"

    def convert(self, value: Any, param: str) -> dict[str, Any] | tuple[Any, ...]:
        if isinstance(value, Mapping):
            out = {}
            for k, v in value.items():
                key = getattr(k, "name", k)
                if not isinstance(key, str):
                    self.fail(f"must name each coordinate, not {k!r}", param)
                out[key] = number(v, param)
            return out
        if isinstance(value, str):
            text = value.strip()
            if text[:1] == "(" and text[-1:] == ")":
                text = text[1:-1]
            parts = [p.strip() for p in text.split(",")]
            if any(not p for p in parts):
                self.fail(
                    f"must be numbers or name=value separated by commas, not {value!r}", param
                )
            if all("=" in p for p in parts):
                pairs = [p.partition("=") for p in parts]
                if any(not k.strip() or not v.strip() for k, _eq, v in pairs):
                    self.fail(f"must be name=value pairs, not {value!r}", param)
                return {k.strip(): number(v.strip(), param) for k, _eq, v in pairs}
            if any("=" in p for p in parts):
                self.fail(
                    f"must give every coordinate as name=value, or none, not {value!r}", param
                )
            return tuple(number(p, param) for p in parts)
        if isinstance(value, Sequence) or getattr(value, "is_Tuple", False):
            return tuple(number(v, param) for v in value)
        return (number(value, param),)


names = Names()
number = Number()
point = Point()
