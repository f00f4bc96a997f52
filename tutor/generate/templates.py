"""Instructor-written problem templates from TOML: a formula with parameters and a task.

```toml
[[templates]]
id = "power-plus-sine"
task = "differentiate"                 # differentiate | limit | critical-points | evaluate | tangent-line
f = "a*x^n + b*sin(c*x)"               # read with tutor.parse, never eval
prompt = "Differentiate f(x) = {f}."   # optional; {f} and the task's values are filled in
params.a = { min = -5, max = 5, exclude = [0] }
params.n = { choices = [2, 3, 4] }
nonzero = ["b - c"]                    # constraints: these must not be 0 after substitution
```
Task options: ``at`` (limit point, evaluation point, tangent point; may use parameters),
``direction`` ("+", "-", "+-") for limits. A bad template raises ``SheetError`` naming the
file, the line and the problem.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy

from .._diff import diff
from .builders import X, phrase
from .registry import Draft, Redraw

__all__ = ["SheetError", "Template", "TASKS", "template_from_toml"]

TASKS = ("differentiate", "limit", "critical-points", "evaluate", "tangent-line")

_PROMPTS = {
    "differentiate": ["Differentiate f(x) = {f}.", "Find f'(x) for f(x) = {f}."],
    "limit": ["Find the limit of {f} as x → {at}.", "Find the limit of {f} as x approaches {at}."],
    "critical-points": [
        "Find the critical points of f(x) = {f}.",
        "Where is the slope of f(x) = {f} zero?",
    ],
    "evaluate": ["Let f(x) = {f}. Find f({at}).", "Evaluate f(x) = {f} at x = {at}."],
    "tangent-line": ["Find the tangent line to y = {f} at x = {at}."],
}


class SheetError(ValueError):
    """A problem in a sheet or template file, with the file and line where it is."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Param:
    """A template parameter: an integer range with exclusions, or a list of choices."""

    name: str
    lo: int | None = None
    hi: int | None = None
    exclude: tuple[Any, ...] = ()
    choices: tuple[Any, ...] = ()

    def sample(self, rng: random.Random) -> Any:
        if self.choices:
            return rng.choice(self.choices)
        pool = [k for k in range(self.lo, self.hi + 1) if k not in self.exclude]  # type: ignore[arg-type]
        return sympy.Integer(rng.choice(pool))


@dataclass(frozen=True)
class Template:
    """A parsed template: formula, parameters, task and the options of the task."""

    id: str
    task: str
    f: Any
    params: tuple[Param, ...]
    prompt: str = ""
    at: Any = None
    direction: str = "+-"
    nonzero: tuple[Any, ...] = ()
    difficulty: int = 1
    source: str = ""
    symbols: Mapping[str, Any] = field(default_factory=dict)

    def build(self, rng: random.Random, difficulty: int = 1) -> Draft:
        """Instantiate: sample the parameters, substitute, reject degenerate draws, solve."""
        values = {self.symbols[p.name]: p.sample(rng) for p in self.params}
        if any(sympy.simplify(c.subs(values)) == 0 for c in self.nonzero):
            raise Redraw("a constraint is zero")
        f = self.f.subs(values)
        at = None if self.at is None else self.at.subs(values)
        return _solve_task(self, rng, f, at)


def _solve_task(t: Template, rng: random.Random, f: Any, at: Any) -> Draft:
    from . import derivatives, limits

    if not f.has(X):
        raise Redraw("constant")
    prompt = t.prompt or phrase(rng, _PROMPTS[t.task])
    given: dict[str, Any] = {"f": f} | ({"at": at} if at is not None else {})
    if t.task == "differentiate":
        d = derivatives._draft(rng, f)
        return Draft(
            prompt, given, d.answer, d.answer_kind, d.solution, d.check_options, d.figure, t.id
        )
    if t.task == "limit":
        right = (
            sympy.limit(f, X, at, "+") if at not in (sympy.oo, -sympy.oo) else sympy.limit(f, X, at)
        )
        left = right if at in (sympy.oo, -sympy.oo) else sympy.limit(f, X, at, "-")
        from ..core import DNE

        answer = {"+": right, "-": left}.get(t.direction, right if right == left else DNE)
        if answer is sympy.nan or (answer is not DNE and answer.has(sympy.AccumBounds)):
            raise Redraw("no limit")
        d = limits._limit_draft(rng, f, at, answer, direction=t.direction, prompts=[prompt])
        given |= {"point": at, "direction": t.direction}
        return Draft(prompt, given, answer, "number", d.solution, {}, d.figure, t.id)
    if t.task == "critical-points":
        roots = sympy.solveset(diff(f, X), X, sympy.S.Reals)
        if not isinstance(roots, sympy.FiniteSet) or not roots:
            raise Redraw("no finite set of critical points")
        from .engines import engine_solution

        sol = engine_solution(
            "tutor.steps.analysis:critical_points",
            (f,),
            {},
            answer=roots,
            kind="critical_points",
            params={"expr": f},
            statement="Critical points.",
            extract=lambda a: sympy.FiniteSet(*[p for p, _ in a]),
        )
        return Draft(
            prompt, given, roots, "set", sol, {}, {"kind": "surface-critical", "expr": f}, t.id
        )
    if t.task == "evaluate":
        value = f.subs(X, at)
        if not value.is_finite:
            raise Redraw("outside the domain")
        from .engines import cas_solution

        sol = cas_solution("evaluate", {"expr": f, "at": at}, "Evaluate.", value)
        return Draft(prompt, given, value, "number", sol, {}, {"kind": "graph", "expr": f}, t.id)
    m = diff(f, X).subs(X, at)
    answer = sympy.Eq(sympy.Symbol("y"), sympy.expand(f.subs(X, at) + m * (X - at)))
    from .engines import engine_solution

    sol = engine_solution(
        "tutor.steps.analysis:tangent_line",
        (f, at),
        {},
        answer=answer,
        kind="tangent",
        params={"expr": f, "at": at},
    )
    return Draft(
        prompt,
        given,
        answer,
        "equation",
        sol,
        {"variables": ["x", "y"]},
        {"kind": "secants", "expr": f, "a": at},
        t.id,
    )


def _line_of(text: str, *needles: str, start: int = 1) -> int | None:
    """The first line (1-based, from ``start``) containing every needle: where to point."""
    for i, line in enumerate(text.splitlines(), 1):
        if i >= start and all(n in line for n in needles):
            return i
    return None


def _line_of_key(text: str, key: str, start: int = 1) -> int | None:
    """The first line from ``start`` that assigns ``key`` (``key = ...`` or ``{ key = ...``)."""
    import re

    pat = re.compile(rf"(^|[{{,\s]){re.escape(key)}\s*=")
    for i, line in enumerate(text.splitlines(), 1):
        if i >= start and pat.search(line.split("#")[0]):
            return i
    return None


def template_from_toml(data: Mapping[str, Any], path: str, text: str) -> Template:
    """Read one ``[[templates]]`` table; errors name the file, the line and the problem."""
    from ..parse import ParseError, parse

    tid = str(data.get("id", ""))
    line = _line_of(text, "id", f'"{tid}"') if tid else None
    if line:  # the [[templates]] header above the id starts this template's block
        line = max(
            (i for i in range(1, line + 1) if "[[templates]]" in text.splitlines()[i - 1]),
            default=line,
        )
    if not tid:
        raise SheetError(path, None, "a template has no id")

    def fail(key: str, msg: str, value: str | None = None) -> SheetError:
        start = line or 1
        where = _line_of(text, value, start=start) if value else _line_of_key(text, key, start)
        return SheetError(path, where or line, f"template {tid!r}: {msg}")

    task = data.get("task")
    if task not in TASKS:
        raise fail("task", f"task must be one of {', '.join(TASKS)}, not {task!r}")
    raw = data.get("params", {})
    if not isinstance(raw, Mapping):
        raise fail("params", "params must be a table of name = {min, max} or {choices}")
    names = sorted(raw)
    for name in names:
        if name == "x" or len(name) != 1 or not name.isalpha():
            raise fail(name, f"parameter {name!r} must be a single letter other than x")
    variables = ["x", *names]

    def read(key: str, value: Any) -> Any:
        if not isinstance(value, (str, int)):
            raise fail(key, f"{key} must be text or a number")
        try:
            return parse(str(value), variables=variables)
        except ParseError as exc:
            raise fail(key, f"cannot read {key} = {value!r}: {exc}", str(value)) from None

    if "f" not in data:
        raise fail("f", "a template needs a formula f")
    f = read("f", data["f"])
    syms = {s.name: s for s in f.free_symbols}
    params = []
    for name in names:
        spec = raw[name]
        if not isinstance(spec, Mapping):
            raise fail(
                name, f"parameter {name} must be {{min = .., max = ..}} or {{choices = [..]}}"
            )
        if "choices" in spec:
            ch = spec["choices"]
            if not isinstance(ch, list) or not ch:
                raise fail(name, f"parameter {name}: choices must be a non-empty list")
            params.append(Param(name, choices=tuple(read(name, c) for c in ch)))
        else:
            lo, hi = spec.get("min"), spec.get("max")
            if not isinstance(lo, int) or not isinstance(hi, int) or lo > hi:
                raise fail(name, f"parameter {name}: min and max must be integers with min ≤ max")
            exclude = tuple(spec.get("exclude", ()))
            if not [k for k in range(lo, hi + 1) if k not in exclude]:
                raise fail(name, f"parameter {name}: every value in [{lo}, {hi}] is excluded")
            params.append(Param(name, lo, hi, exclude))
        syms.setdefault(name, sympy.Symbol(name))
    unknown = sorted(s for s in syms if s not in variables)
    if unknown:
        raise fail("f", f"f uses {', '.join(unknown)}, which are neither x nor parameters")
    at = read("at", data["at"]) if "at" in data else None
    if task in ("limit", "evaluate", "tangent-line") and at is None:
        raise fail("task", f"task {task!r} needs at = ...")
    direction = str(data.get("direction", "+-"))
    if direction not in ("+", "-", "+-"):
        raise fail("direction", 'direction must be "+", "-" or "+-"')
    nonzero = tuple(read("nonzero", c) for c in data.get("nonzero", ()))
    prompt = str(data.get("prompt", ""))
    if prompt and "{f}" not in prompt:
        raise fail("prompt", "the prompt must show the function with {f}")
    all_syms = dict(syms)
    for e in [at, *nonzero]:
        if e is not None:
            all_syms.update({s.name: s for s in e.free_symbols})
    return Template(
        tid,
        task,
        f,
        tuple(params),
        prompt,
        at,
        direction,
        nonzero,
        int(data.get("difficulty", 1)),
        path,
        all_syms,
    )
