"""The options of ``tutor.check`` as one typed, frozen record.

An autograder that misspells an option (``tolerance=0.01`` for ``tol=``) must hear about it
at once, not get a silently different grade: ``CheckOptions`` refuses unknown names with a
``TypeError`` naming the closest valid one, and checks each value's type.  The same record
reads the options of a ``--jsonl`` line (``CheckOptions.from_mapping``).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from ..inputs import InputError, names

__all__ = ["CheckOptions", "OptionError", "FORMS", "DOMAINS", "ENDPOINTS"]

FORMS = (
    "factored",
    "expanded",
    "simplified",
    "single_fraction",
    "lowest_terms",
    "partial_fractions",
    "completed_square",
)
DOMAINS = ("strict", "common")
ENDPOINTS = ("exact", "either")


class OptionError(TypeError):
    """An unknown option or an option of the wrong type (programmer input)."""


def _names(v: Any, option: str) -> tuple[str, ...] | None:
    """``"x,y"``, ``"x y"``, ``["x", "y"]`` or sympy symbols: the same tuple of names
    (``tutor.inputs.names``)."""
    try:
        return names(v, option)
    except InputError as exc:
        raise OptionError(str(exc)) from None


def _number(v: Any, option: str, *, positive: bool = False) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        try:
            import sympy

            if isinstance(v, sympy.Basic) and v.is_number:
                v = float(v)
            else:
                raise TypeError
        except (TypeError, ValueError):
            raise OptionError(f"{option} must be a number, not {type(v).__name__}") from None
    v = float(v)
    if v != v or v < 0 or (positive and v == 0):
        raise OptionError(f"{option} must be {'positive' if positive else 'at least 0'}")
    return v


@dataclass(frozen=True)
class CheckOptions:
    """How ``tutor.check`` compares an answer (docs/checking.md, "Options")."""

    kind: str = "expression"
    variables: tuple[str, ...] | None = None  # the letters of the question
    task: Any = None  # a tutor.core.Task: names classic mistakes
    form: str | None = None  # one of FORMS, checked after the value
    tol: float | None = None  # absolute tolerance for numbers
    rtol: float | None = None  # relative tolerance
    sigfigs: int | None = None  # significant figures
    timeout: float = 2.0  # seconds
    domain: str = "strict"  # "common": compare only where both sides are defined
    plus_c: bool = False  # remind about + C
    question: Any = None  # an answer equal to this is not accepted
    choices: tuple[str, ...] | None = None  # for kind="choice"
    synonyms: Mapping[str, Any] = field(default_factory=dict)
    var: str | None = None  # the variable of integration
    solve_for: str | None = None  # equations in several variables
    positive: tuple[str, ...] = ()  # names assumed positive
    integer: tuple[str, ...] = ()  # names assumed integer
    parameters_positive: bool = False  # letters not among ``variables`` are positive
    endpoints: str = "exact"  # intervals: "either" accepts [0, 1] for (0, 1)
    constants: tuple[str, ...] = ()  # more names allowed as constants of integration
    label: str | None = None  # the asked quantity's name as written: "k", "f(x)", "|AB|"

    def __post_init__(self) -> None:
        s = object.__setattr__
        if not isinstance(self.kind, str):
            raise OptionError("kind must be a string")
        s(self, "variables", _names(self.variables, "variables"))
        for name in ("tol", "rtol"):
            s(self, name, _number(getattr(self, name), name))
        if self.sigfigs is not None:
            if isinstance(self.sigfigs, bool) or not isinstance(self.sigfigs, int):
                raise OptionError("sigfigs must be a whole number")
            if self.sigfigs < 1:
                raise OptionError("sigfigs must be at least 1")
        s(self, "timeout", _number(self.timeout, "timeout", positive=True))
        if self.form is not None and not isinstance(self.form, str):
            raise OptionError("form must be a string")
        if self.domain not in DOMAINS:
            raise OptionError(f"domain must be one of {', '.join(DOMAINS)}")
        if self.endpoints not in ENDPOINTS:
            raise OptionError(f"endpoints must be one of {', '.join(ENDPOINTS)}")
        for name in ("plus_c", "parameters_positive"):
            if not isinstance(getattr(self, name), bool):
                raise OptionError(f"{name} must be True or False")
        if self.label is not None and not isinstance(self.label, str):
            raise OptionError("label must be a string such as 'k', 'f(x)' or '|AB|'")
        for name in ("var", "solve_for"):
            v = getattr(self, name)
            if v is not None:
                v = getattr(v, "name", v)
                if not isinstance(v, str):
                    raise OptionError(f"{name} must be a name (a string)")
                s(self, name, v)
        if self.choices is not None:
            if isinstance(self.choices, str) or not isinstance(self.choices, Sequence):
                raise OptionError("choices must be a list of strings")
            s(self, "choices", tuple(str(c) for c in self.choices))
        if not isinstance(self.synonyms, Mapping):
            raise OptionError("synonyms must be a mapping of choice -> words")
        s(self, "synonyms", dict(self.synonyms))
        for name in ("positive", "integer", "constants"):
            s(self, name, _names(getattr(self, name), name) or ())

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The valid option names."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any], base: CheckOptions | None = None
    ) -> CheckOptions:
        """The record for a mapping of options (a ``--jsonl`` line's, keyword arguments);
        raises OptionError (a TypeError) naming an unknown option and its closest valid one."""
        if not isinstance(data, Mapping):
            raise OptionError("options must be a mapping of names to values")
        valid = cls.names()
        for key in data:
            if key not in valid:
                close = difflib.get_close_matches(str(key), valid, n=1, cutoff=0.5)
                close = close or [v for v in valid if str(key).startswith(v[:3])][:1]
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise OptionError(f"unknown check option {key!r}{hint} (valid: {', '.join(valid)})")
        values = dict(data)
        for key in ("choices",):
            if isinstance(values.get(key), list):
                values[key] = tuple(values[key])
        return replace(base, **values) if base is not None else cls(**values)

    def assumptions(self, names: Sequence[str]) -> dict[str, str]:
        """name -> "positive" / "integer" / "positive integer" for the names in play."""
        out: dict[str, str] = {}
        params = set(names) - set(self.variables or ()) if self.parameters_positive else set()
        for n in names:
            words = []
            if n in self.positive or n in params:
                words.append("positive")
            if n in self.integer:
                words.append("integer")
            if words:
                out[n] = " ".join(words)
        return out
