"""Question banks for learning systems: Moodle XML (with STACK) and QTI 1.2 for Canvas.

``families(sheet, variants=..., seed=...)`` turns a sheet definition into problem families
(one per topic or template and difficulty), each holding that many verified, distinct
variants; ``questions(problem)`` decides how each variant is asked and marked (a number
with a tolerance, a choice among the engine's mal-rule answers, a few accepted forms) and
checks every answer it writes with ``tutor.check``.  The writers in ``moodle``, ``stack``
and ``qti`` only format what this module decided.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from ..core import DNE, Problem

__all__ = [
    "ExportError",
    "Family",
    "Answer",
    "Spec",
    "families",
    "spec",
    "forms",
    "number_answer",
    "verified",
]

MAX_DISTRACTORS = 4
SIGFIGS = 4  # numbers that are not short decimals are asked to this many significant figures


class ExportError(ValueError):
    """Bad input for an export (a family that cannot fill its variants, a bad option)."""


@dataclass(frozen=True)
class Family:
    """One problem family: a topic (or a sheet's template) at a difficulty, with its variants."""

    key: str  # "derivative-power" or the template id
    difficulty: int
    title: str
    lecture: int | None
    problems: tuple[Problem, ...]

    @property
    def name(self) -> str:
        return f"{self.key} (difficulty {self.difficulty})"


@dataclass(frozen=True)
class Answer:
    """One answer a question accepts or names: its text, fraction (0-100), feedback and,
    for numbers, the absolute tolerance."""

    text: str
    fraction: int
    feedback: str = ""
    tolerance: float | None = None
    tex: str = ""  # the answer typeset (choices); "" when the text is shown as it is


@dataclass(frozen=True)
class Spec:
    """How a problem is asked: ``kind`` is ``numerical``, ``multichoice``, ``shortanswer`` or
    ``cloze`` (one numerical or short-answer field per entry of a list, point or set);
    ``note`` is a sentence added to the question (how to give the answer)."""

    kind: str
    answers: tuple[Answer, ...] = ()
    fields: tuple[tuple[Answer, ...], ...] = ()
    note: str = ""
    brackets: tuple[str, str] = ("", "")
    details: dict[str, Any] = field(default_factory=dict)


def _seed(*parts: Any) -> int:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:4], "big") % 1_000_000


def _make(sheet: Any, item: Any, seed: int, rng_for: Any, redraw: Any) -> Problem:
    from ..generate import generate
    from ..generate.sheets import _from_template

    if item.topic:
        return generate(item.topic, seed=seed, difficulty=item.difficulty)
    return _from_template(sheet.templates[item.template], seed, item.difficulty, rng_for, redraw)


def verified(p: Problem) -> bool:
    """Does the checker accept the generator's own answer, as a student would type it?"""
    from ..check import check
    from ..generate.builders import answer_text

    options = dict(p.check_options)
    return (
        check(answer_text(p.answer, p.answer_kind), p.answer, kind=p.answer_kind, **options).correct
        is True
    )


def families(sheet: Any, *, variants: int, seed: int = 0) -> list[Family]:
    """The sheet's problem families, each with ``variants`` verified, distinct problems.

    Items of the same topic (or template) and difficulty make one family.  Raises
    ExportError when a family cannot give that many distinct problems."""
    from ..generate.builders import fill
    from ..generate.registry import Redraw, rng_for

    if variants < 1:
        raise ExportError("the number of variants must be at least 1")
    out: list[Family] = []
    done: set[tuple[str, int]] = set()
    for item in sheet.items:
        key = item.topic or item.template
        if (key, item.difficulty) in done:
            continue
        done.add((key, item.difficulty))
        problems: list[Problem] = []
        seen: set[str] = set()
        attempts = 0
        budget = 4 * variants + 20
        while len(problems) < variants and attempts < budget:
            s = _seed(seed, key, item.difficulty, attempts)
            attempts += 1
            p = _make(sheet, item, s, rng_for, Redraw)
            text = fill(p.prompt, dict(p.given))
            if text in seen or not verified(p):
                continue
            seen.add(text)
            problems.append(p)
        if len(problems) < variants:
            raise ExportError(
                f"{key} (difficulty {item.difficulty}) gave only {len(problems)} distinct "
                f"problems in {attempts} draws; ask for at most {len(problems)} variants"
            )
        out.append(Family(key, item.difficulty, sheet.title, sheet.lecture, tuple(problems)))
    return out


# -- how a problem is asked ------------------------------------------------------------------


def _check(
    text: str, p: Problem, expected: Any = None, kind: str | None = None, **extra: Any
) -> Any:
    from ..check import check

    options = {**dict(p.check_options), **extra}
    return check(
        text, p.answer if expected is None else expected, kind=kind or p.answer_kind, **options
    ).correct


def _is_number(value: Any) -> bool:
    import sympy

    if isinstance(value, bool) or value is DNE or isinstance(value, str):
        return False
    if isinstance(value, (int, float)):
        return True
    return (
        isinstance(value, sympy.Expr)
        and value.is_number
        and value.is_real is True
        and value.is_finite is True
    )


def _short_decimal(value: Any) -> str | None:
    """The exact decimal of a rational with at most 8 decimals, else None."""
    import sympy

    from ..core import as_sympy

    if isinstance(value, str):
        return None
    v = sympy.nsimplify(value) if isinstance(value, float) else as_sympy(value)
    if not isinstance(v, sympy.Rational):
        return None
    q = int(v.q)
    for places in range(9):
        if (10**places) % q == 0:
            from decimal import Decimal

            d = Decimal(int(v.p)) / Decimal(q)
            return format(d.quantize(Decimal(1).scaleb(-places)), "f") if places else str(int(v))
    return None


def number_answer(p: Problem, value: Any) -> tuple[Answer, str] | None:
    """A number as a decimal with an absolute tolerance, checked, and the note to ask it
    with; None when the value is not a finite real number."""
    import sympy

    if not _is_number(value):
        return None
    opts = dict(p.check_options)
    exact = _short_decimal(value)
    v = float(sympy.N(value, 20))
    if opts.get("tol") is not None:
        text, tol, note = exact or f"{v:.{SIGFIGS}g}", float(opts["tol"]), ""
        note = f"Your answer is accepted within ±{tol:g}."
    elif opts.get("rtol") is not None:
        text, tol = exact or f"{v:.{SIGFIGS}g}", abs(v) * float(opts["rtol"])
        note = f"Your answer is accepted within {float(opts['rtol']) * 100:g}%."
    elif exact is not None and not opts.get("sigfigs"):
        text, tol = exact, 0.0
        note = "" if "." not in exact else "Give the exact value as a decimal."
    else:
        figs = int(opts.get("sigfigs") or SIGFIGS)
        text = f"{float(f'{v:.{figs}g}'):.{figs}g}"
        magnitude = 10 ** (sympy.floor(sympy.log(abs(sympy.N(value, 20)), 10)) - figs + 1)
        tol = float(magnitude) / 2 if v else 10.0 ** (-figs) / 2
        note = f"Give your answer to {figs} significant figures."
    text = _plain_decimal(text)
    if _check(text, p, value, kind="number", tol=tol) is not True:
        return None
    return Answer(text, 100, tolerance=tol), note


def _plain_decimal(text: str) -> str:
    """``1.5e-05`` as ``0.000015``: Moodle and the checker both read plain decimals."""
    if "e" not in text.lower():
        return text
    from decimal import Decimal

    return format(Decimal(text), "f")


def forms(p: Problem, value: Any, kind: str) -> list[str]:
    """A few ways of typing ``value`` that the checker accepts (for string matching)."""
    import sympy

    from ..generate.builders import answer_text

    first = answer_text(value, kind)
    candidates = [first, first.replace(" ", "")]
    if isinstance(value, sympy.Expr) and not value.is_number:
        for alt in (sympy.expand(value), sympy.factor(value)):
            t = answer_text(alt, kind)
            candidates += [t, t.replace(" ", "")]
    if value is DNE:
        candidates += ["does not exist", "dne"]
    out: list[str] = []
    for c in candidates:
        if c and c not in out and _check(c, p, value, kind=kind) is True:
            out.append(c)
    return out


def spec(p: Problem) -> Spec:
    """How ``p`` is asked in a learning system, with every answer checked by the engine."""
    kind, value = p.answer_kind, p.answer
    if kind == "choice" and p.check_options.get("choices"):
        choices = [str(c) for c in p.check_options["choices"]]
        answers = tuple(Answer(c, 100 if _check(c, p) is True else 0) for c in choices)
        if sum(a.fraction == 100 for a in answers) == 1:
            return Spec("multichoice", answers)
    if kind == "number":
        got = number_answer(p, value)
        if got is not None:
            return Spec("numerical", (got[0],), note=got[1])
    if kind == "expression":
        mc = _malrule_choices(p)
        if mc is not None:
            return mc
    if kind in ("list", "point", "set") and _entries(value) is not None:
        cloze = _cloze(p, kind, value)
        if cloze is not None:
            return cloze
    accepted = forms(p, value, kind)
    if not accepted:
        raise ExportError(f"{p.template or p.topic} seed {p.seed}: no answer form reads back")
    return Spec(
        "shortanswer",
        tuple(Answer(t, 100) for t in accepted),
        note="Type your answer as plain text, e.g. 3*x^2 - 2/x or (1, 2).",
    )


def _malrule_choices(p: Problem) -> Spec | None:
    """The right answer among the wrong ones the engine's mal-rules give, each with its
    feedback; None when the task has no mal-rules."""
    from ..render.latex import tex
    from ..steps import mistakes

    right_tex = tex(p.answer)
    if _check(rf"\({right_tex}\)", p) is not True:
        return None
    answers = [Answer(_text(p.answer), 100, "Correct.", tex=right_tex)]
    shown = {right_tex}
    for m in mistakes(p.solution.task):
        t = tex(m.expr)
        if t in shown or _check(rf"\({t}\)", p) is not False:
            continue
        shown.add(t)
        answers.append(Answer(_text(m.expr), 0, m.feedback, tex=t))
        if len(answers) > MAX_DISTRACTORS:
            break
    if len(answers) < 3:
        return None
    return Spec("multichoice", tuple(answers), details={"malrules": True})


def _text(value: Any) -> str:
    from ..generate.builders import answer_text

    return answer_text(value, "expression")


def _entries(value: Any) -> list[Any] | None:
    import sympy

    if isinstance(value, sympy.FiniteSet):
        items = sorted(value, key=lambda v: float(v) if _is_number(v) else 0.0)
        return items if all(_is_number(v) for v in items) else None
    if isinstance(value, (list, tuple, sympy.Tuple)):
        return list(value)
    return None


def _cloze(p: Problem, kind: str, value: Any) -> Spec | None:
    """One field per entry: numbers with a tolerance, expressions with accepted forms."""
    entries = _entries(value) or []
    fields: list[tuple[Answer, ...]] = []
    notes: set[str] = set()
    for v in entries:
        got = number_answer(p, v)
        if got is not None:
            fields.append((got[0],))
            notes.add(got[1])
            continue
        accepted = forms(p, v, "expression")
        if not accepted:
            return None
        fields.append(tuple(Answer(t, 100) for t in accepted))
    if not fields:
        return None
    brackets = {"point": ("(", ")"), "set": ("{", "}")}.get(kind, ("(", ")"))
    note = " ".join(sorted(n for n in notes if n))
    if kind == "set":
        note = ("Give the values in increasing order. " + note).strip()
    return Spec("cloze", fields=tuple(fields), note=note, brackets=brackets)
