"""Core data of the engine: Step, Solution, Task, Table, Problem, Verdict and DNE.

All of it is plain, immutable and printable: engines build it, renderers walk it,
tools read it as JSON (``to_dict``).  Nothing here does mathematics.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

__all__ = [
    "DNE",
    "Problem",
    "Solution",
    "Step",
    "Table",
    "Task",
    "Verdict",
    "Mistake",
    "format_explanation",
    "to_jsonable",
]


# The answer kinds tutor.check grades (DESIGN.md), here so that the CLI can list them
# without importing the checker and sympy.
def _no_renderer(what: str, value: Any) -> str:
    raise RuntimeError(f"no renderer installed for {what!r}: import tutor")


# How a value is shown (``"text"``/``"markdown"`` of a Solution, ``"problem_markdown"``,
# ``"latex"`` and ``"ascii"`` of a value) is the renderers' business.  core imports nothing
# of tutor: the package (tutor/__init__.py, always imported before core) installs this hook,
# which reaches tutor.render only when something is shown.
present: Callable[[str, Any], str] = _no_renderer

ANSWER_KINDS = (
    "expression",
    "equation",
    "set",
    "list",
    "interval",
    "number",
    "point",
    "antiderivative",
    "choice",
    "inequality",
)


class _DoesNotExist:
    """The answer "the limit does not exist" (a singleton, printed ``DNE``)."""

    _instance: _DoesNotExist | None = None

    def __new__(cls) -> _DoesNotExist:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "DNE"

    __str__ = __repr__

    def __reduce__(self) -> str:
        return "DNE"

    def _latex(self, printer: Any = None) -> str:
        return r"\text{does not exist}"

    def _sympystr(self, printer: Any = None) -> str:
        return "DNE"


DNE = _DoesNotExist()


@dataclass(frozen=True)
class Table:
    """A small table inside a step: iteration tables, sign charts, values closing in.

    Cells are sympy objects, numbers or short strings; renderers format them.
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    caption: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "headers", tuple(self.headers))
        object.__setattr__(self, "rows", tuple(tuple(r) for r in self.rows))

    def to_dict(self) -> dict[str, Any]:
        return {
            "headers": list(self.headers),
            "rows": [[to_jsonable(c) for c in r] for r in self.rows],
            "caption": self.caption,
        }


# Step ids are checked against tutor.steps.registry when this is on: the test suite turns
# it on (tests/conftest.py, or TUTOR_STRICT_RULES=1 in the environment of any process), so
# an engine that makes a step of an undeclared rule fails there instead of shipping it.
STRICT_RULES: bool = os.environ.get("TUTOR_STRICT_RULES", "") not in ("", "0")
# the undeclared ids met in strict mode, also those whose error an engine caught and
# turned into a fallback: the test suite fails a test that leaves anything here
UNDECLARED: set[str] = set()


def _no_registry() -> Any:
    raise RuntimeError("no rule registry installed: import tutor")


# Where the declared ids come from: core imports nothing of tutor, so the package
# (tutor/__init__.py) installs this hook, which reads tutor.steps.registry on first use.
declared_rules: Callable[[], Any] = _no_registry


def _check_rule(rid: str) -> None:
    if rid not in declared_rules():
        UNDECLARED.add(rid)
        raise ValueError(
            f"step rule {rid!r} is not declared in tutor/steps/registry.py: declare it there"
        )


@dataclass(frozen=True)
class Step:
    """One move of a worked solution: a rule applied to ``before`` giving ``after``.

    ``rule`` is a stable id (``"chain_rule"``; ``"cas"`` when the computer algebra
    system did it without a teachable rule); ``explanation`` is one or two sentences
    in plain words; ``substeps`` are the parts (the derivative of each factor, ...).
    ``data`` holds small extras for renderers and tools (e.g. ``{"u": inner}``).

    Maths inside the explanation is written as ``{key}`` placeholders naming entries of
    ``data`` (``"Let u = {u}, the inner function."``), so that each renderer typesets it
    in its own format; literal braces are doubled (``{{``).
    """

    rule: str
    before: Any = None
    after: Any = None
    explanation: str = ""
    substeps: tuple[Step, ...] = ()
    data: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if STRICT_RULES:
            _check_rule(self.rule)
        object.__setattr__(self, "substeps", tuple(self.substeps))
        object.__setattr__(self, "data", dict(self.data))

    def walk(self) -> list[Step]:
        """This step and all its substeps, depth first."""
        out = [self]
        for s in self.substeps:
            out.extend(s.walk())
        return out

    def text(self) -> str:
        """The explanation with its ``{placeholders}`` filled in plain text."""
        return format_explanation(self.explanation, self.data, _plain)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "before": to_jsonable(self.before),
            "after": to_jsonable(self.after),
            "explanation": self.text(),
            "substeps": [s.to_dict() for s in self.substeps],
            "data": {k: to_jsonable(v) for k, v in self.data.items()},
        }

    def __hash__(self) -> int:  # dict field makes the default hash fail
        return hash((self.rule, str(self.before), str(self.after), self.explanation))


@dataclass(frozen=True)
class Task:
    """What was asked, as data: ``kind`` (``"derivative"``, ``"limit"``, ...), the
    ``params`` the engine was called with (sympy objects), and ``statement`` in words.

    The checker uses it to diagnose mistakes in context (mal-rules)."""

    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)
    statement: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", dict(self.params))

    def __hash__(self) -> int:
        return hash(
            (self.kind, self.statement, tuple(sorted((k, str(v)) for k, v in self.params.items())))
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "params": {k: to_jsonable(v) for k, v in self.params.items()},
            "statement": self.statement,
        }


@dataclass(frozen=True)
class Solution:
    """A worked solution: the ``task``, the ``steps`` read top to bottom, the ``answer``."""

    task: Task
    steps: tuple[Step, ...]
    answer: Any

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple(self.steps))

    def walk(self) -> list[Step]:
        """Every step and substep, depth first."""
        out: list[Step] = []
        for s in self.steps:
            out.extend(s.walk())
        return out

    @property
    def uses_cas(self) -> bool:
        """True when some step was done by the CAS without a teachable rule."""
        return any(s.rule == "cas" for s in self.walk())

    def to_dict(self) -> dict[str, Any]:
        return {
            "task": self.task.to_dict(),
            "steps": [s.to_dict() for s in self.steps],
            "answer": to_jsonable(self.answer),
        }

    def _repr_markdown_(self) -> str:
        return present("markdown", self)

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {present('latex', self.answer)}$"

    def __str__(self) -> str:
        return present("text", self)


@dataclass(frozen=True)
class Problem:
    """A generated problem: the prompt, the given objects, the verified answer, how to
    check it (``answer_kind`` plus ``check_options``), and its worked solution."""

    topic: str
    prompt: str
    given: Mapping[str, Any]
    answer: Any
    answer_kind: str
    solution: Solution
    seed: int
    difficulty: int = 1
    template: str = ""
    check_options: Mapping[str, Any] = field(default_factory=dict)
    figure: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "given", dict(self.given))
        object.__setattr__(self, "check_options", dict(self.check_options))
        if self.figure is not None:
            object.__setattr__(self, "figure", dict(self.figure))

    def __hash__(self) -> int:
        return hash((self.topic, self.prompt, self.seed, self.difficulty, self.template))

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "prompt": self.prompt,
            "given": {k: to_jsonable(v) for k, v in self.given.items()},
            "answer": to_jsonable(self.answer),
            "answer_kind": self.answer_kind,
            "check_options": {k: to_jsonable(v) for k, v in self.check_options.items()},
            "solution": self.solution.to_dict(),
            "seed": self.seed,
            "difficulty": self.difficulty,
            "template": self.template,
            "figure": None
            if self.figure is None
            else {k: to_jsonable(v) for k, v in self.figure.items()},
        }

    def _repr_markdown_(self) -> str:
        return present("problem_markdown", self)


@dataclass(frozen=True)
class Verdict:
    """The checker's decision: ``correct`` (True, False, or None when undetermined),
    a stable ``code``, one sentence of ``feedback`` for the student, ``details`` for tools."""

    correct: bool | None
    code: str
    feedback: str
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "details", dict(self.details))

    def __bool__(self) -> bool:
        return self.correct is True

    def __hash__(self) -> int:
        return hash((self.correct, self.code, self.feedback))

    def to_dict(self) -> dict[str, Any]:
        return {
            "correct": self.correct,
            "code": self.code,
            "feedback": self.feedback,
            "details": {k: to_jsonable(v) for k, v in self.details.items()},
        }

    def _repr_markdown_(self) -> str:
        mark = {True: "✔ correct", False: "✘ not correct", None: "? undetermined"}[self.correct]
        return f"**{mark}** (`{self.code}`): {self.feedback}"


@dataclass(frozen=True)
class Mistake:
    """A classic wrong answer to a task, derived with a deliberately wrong rule (a mal-rule).

    ``code`` is the verdict code (``missing_chain_factor``), ``feedback`` the sentence for
    the student, ``expr`` the wrong answer the mal-rule produces, ``rule`` what to revisit.
    """

    code: str
    feedback: str
    expr: Any
    rule: str = ""


def format_explanation(template: str, data: Mapping[str, Any], fmt: Any) -> str:
    """Fill ``{key}`` placeholders of an explanation with ``fmt(data[key])``.

    Unknown keys are left as written, so a bad template never raises in a renderer.
    """
    if "{" not in template:
        return template

    class _Fill(dict):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    try:
        return template.format_map(_Fill({k: _Formatted(fmt(v)) for k, v in data.items()}))
    except (ValueError, IndexError, KeyError, AttributeError):
        return template


class _Formatted(str):
    """A formatted value that ignores format specs (``{u:...}``)."""

    def __format__(self, spec: str) -> str:
        return str(self)


def _plain(value: Any) -> str:
    """A value in one line of ASCII maths, readable back by ``tutor.parse``."""
    return present("ascii", value)


def to_jsonable(value: Any) -> Any:
    """Turn engine values (sympy objects, tuples, dataclasses, DNE) into JSON-ready data.

    sympy objects become their string form (``str``), which ``tutor.parse`` reads back.
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value
    if value is DNE:
        return "DNE"
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict) and not _is_sympy(value):
        return to_dict()
    if _is_sympy(value):
        return _sympy_str(value)
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        items = [to_jsonable(v) for v in value]
        return sorted(items, key=str)
    if isinstance(value, Sequence):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in fields(value)}
    return str(value)


def _is_sympy(value: Any) -> bool:
    mod = type(value).__module__ or ""
    return mod.startswith("sympy")


def _sympy_str(value: Any) -> Any:
    import sympy

    if isinstance(value, sympy.Integer):
        return int(value)
    if isinstance(value, sympy.MatrixBase):
        return [[_sympy_str(c) for c in value.row(i)] for i in range(value.rows)]
    if isinstance(value, sympy.Equality) and any(
        isinstance(side, sympy.MatrixBase) for side in value.args
    ):
        # H = [[4, 0], [0, 2]]: sstr would write the repr Eq(H, Matrix([...]))
        lhs, rhs = (_sympy_str(side) for side in value.args)
        return f"{lhs} = {rhs}".replace("'", "")
    return sympy.sstr(value)


def as_sympy(value: Any) -> Any:
    """``sympy.sympify`` for values that are not text (numbers, tuples, sympy objects).

    Text from a person goes through ``tutor.parse``; a ``str`` reaching this point is a
    programming error, never evaluated.
    """
    import sympy

    if isinstance(value, str):
        raise TypeError("text must be read with tutor.parse, not sympify")
    if isinstance(value, list):
        return [as_sympy(v) for v in value]
    return sympy.sympify(value, strict=True)
