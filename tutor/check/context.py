"""The state of one check (``_Ctx``) and the helpers every stage shares: the bounded
worker call, the undecided verdicts, the free letters of a value."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .._budget import TIMEOUT, Deadline, run_bounded
from ..core import Task, Verdict

# letters that name a constant of integration when they multiply (C·e^x is then refused
# with a reason); as an added constant any letter the question does not use is accepted
_CONSTANT_NAMES = ("C", "K", "c", "k", "C1", "C_1", "C0", "C_0", "A", "B", "D")


@dataclass
class _Ctx:
    kind: str
    variables: list[str] | None
    deadline: Deadline
    options: dict[str, Any]
    task: Task | None
    form: str | None
    tol: float | None
    rtol: float | None
    sigfigs: int | None
    notes: list[str] = field(default_factory=list)
    text: str = ""
    domain: str = "strict"
    opts: Any = None  # the CheckOptions record

    def assume(self, names: Sequence[str]) -> dict[str, str]:
        """The declared assumptions (positive, integer) on ``names``."""
        return self.opts.assumptions(names) if self.opts is not None else {}

    def verdict(
        self, correct: bool | None, code: str, feedback: str, stage: str, **details: Any
    ) -> Verdict:
        d: dict[str, Any] = {"kind": self.kind, "stage": stage}
        if self.notes:
            d["notes"] = list(self.notes)
            if correct is not None or code != "parse_error":
                feedback = f"{feedback} (Read as: {'; '.join(self.notes)}.)"
        d.update(details)
        return Verdict(correct, code, feedback, d)


class _Undecided(Exception):
    """Slow work timed out or failed: the verdict is undetermined."""

    def __init__(self, code: str, stage: str, error: str = "") -> None:
        super().__init__(code)
        self.code, self.stage, self.error = code, stage, error


def _run(target: str, args: tuple[Any, ...], ctx: _Ctx, stage: str) -> Any:
    """Run slow symbolic work in the bounded worker; raise _Undecided when it cannot answer."""
    try:
        r = run_bounded(target, args, ctx.deadline.left())
    except RuntimeError as exc:
        raise _Undecided("undetermined", stage, str(exc)[:200]) from None
    if r is TIMEOUT:
        raise _Undecided("timeout", stage)
    return r


def _first(*stages: Callable[[], Verdict | None]) -> Verdict | None:
    """The first verdict some stage gives (a Verdict is falsy when wrong: test ``is None``)."""
    for stage in stages:
        v = stage()
        if v is not None:
            return v
    return None


def _sympy() -> Any:
    import sympy

    return sympy


def _free_names(v: Any) -> set[str]:
    if isinstance(v, (tuple, list)):
        out: set[str] = set()
        for x in v:
            out |= _free_names(x)
        return out
    return {s.name for s in getattr(v, "free_symbols", set()) if getattr(s, "is_Symbol", False)}


def _task_names(ctx: _Ctx) -> set[str]:
    """The letters of the task's own maths (a limit's variable and expression, ...)."""
    if ctx.task is None:
        return set()
    out: set[str] = set()
    for v in ctx.task.params.values():
        try:
            out |= _free_names(v)
        except Exception:  # a parameter that is not maths has no letters
            continue
    return out


def _undecided(out: Any, ctx: _Ctx) -> Verdict:
    if out.code == "timeout":
        fb = "Checking took too long, so your answer was not judged; ask your teacher."
    else:
        fb = "I could not decide whether your answer is right; ask your teacher."
    return ctx.verdict(None, out.code, fb, out.stage, **out.details)


def _right(ctx: _Ctx, stage: str, feedback: str = "Correct.", **details: Any) -> Verdict:
    return ctx.verdict(True, "equivalent", feedback, stage, **details)


def _as_rational(v: Any) -> str:
    fr = Fraction(str(v)).limit_denominator(1000)
    return str(fr)
