"""Answer checking: is a student's answer right, and if not, what went wrong?

``check(answer, expected, kind=...)`` reads the answer with ``tutor.parse`` (never
``eval``), compares it with the expected answer by the course's conventions (DESIGN.md,
"Checking conventions") and returns a ``Verdict``.  It never raises and answers within
its time budget: the slow symbolic stage runs in a worker process that is killed when
the budget runs out (``tutor._budget``).  The verdict codes are listed in docs/checking.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ._budget import TIMEOUT, Deadline, run_bounded
from .checking.options import CheckOptions
from .core import ANSWER_KINDS as KINDS
from .core import DNE, Task, Verdict

__all__ = ["check", "equivalent", "CODES", "CheckOptions"]

# Every verdict code the checker can give, with its meaning (docs/checking.md mirrors this).
CODES: dict[str, str] = {
    "equivalent": "right: equal to the expected answer under the checking conventions",
    "within_tolerance": "right: a number within the question's tolerance",
    "not_equivalent": "wrong: a different value (shown at a point where both are defined)",
    "domain_differs": "wrong: equal where both are defined, but defined on a different region",
    "sign_error": "wrong: the negative of the expected answer",
    "constant_factor": "wrong: the expected answer times a constant",
    "differs_by_constant": "wrong: the expected answer plus a nonzero constant",
    "not_exact": "wrong: a decimal close to an exact value; give the exact value",
    "outside_tolerance": "wrong: a number outside the question's tolerance",
    "unexpected_variable": "wrong: uses a variable that the question does not have",
    "still_depends": "wrong: still depends on a variable of the question (a limit left in x)",
    "wrong_kind": "wrong: another kind of answer (a number for an equation, ...)",
    "wrong_label": "wrong: a label that names none of the quantities asked for",
    "wrong_form": "right value, but not in the requested form",
    "not_factored": "right value, but not a product of irreducible factors with contents out",
    "not_expanded": "right value, but a product or power of a sum is left",
    "not_simplified": "right value, but not simplified (a fraction to cancel, an identity left)",
    "not_single_fraction": "right value, but not one numerator over one denominator",
    "not_lowest_terms": "right value, but a fraction has a common factor left",
    "not_partial_fractions": "right value, but not a polynomial plus proper partial fractions",
    "not_completed_square": "right value, but not in the form a(x - h)^2 + k",
    "restates_question": "not accepted: the answer restates the question",
    "missing_elements": "wrong: some expected values are missing",
    "extra_elements": "wrong: values that do not belong",
    "wrong_order": "wrong: the right values in the wrong order",
    "wrong_length": "wrong: a list or point of the wrong length",
    "signs_flipped": "wrong: a list or point with every sign flipped (for a gradient: −∇L)",
    "scaled": "wrong: a list or point that is one factor times the right one",
    "some_entries_wrong": "wrong: some entries wrong (details.wrong_positions), the rest right",
    "endpoints": "wrong: right endpoints, wrong open/closed ends",
    "not_a_choice": "undetermined: the answer is none of the choices",
    "parse_error": "unreadable: the answer could not be read (position, caret, hint)",
    "bad_expected": "undetermined: the expected answer itself could not be read",
    "unknown_kind": "undetermined: no such kind of answer",
    "undetermined": "undetermined: neither proved equal nor shown different",
    "timeout": "undetermined: the time budget ran out",
    "internal_error": "undetermined: an unexpected error inside the checker",
}

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


def check(
    answer: str | Any,
    expected: str | Any,
    *,
    kind: str = "expression",
    variables: Sequence[Any] | str | None = None,
    task: Task | None = None,
    form: str | None = None,
    tol: float | None = None,
    rtol: float | None = None,
    sigfigs: int | None = None,
    timeout: float = 2.0,
    **options: Any,
) -> Verdict:
    """Check ``answer`` (student text) against ``expected`` (text or a sympy value).

    ``kind`` says how to compare (expression, equation, set, list, interval, number,
    point, antiderivative, choice); ``tol``/``rtol``/``sigfigs`` allow numeric slack;
    ``form`` asks for a written form (``checking.options.FORMS``); ``task`` lets the
    checker name a classic mistake.  The options are validated as a ``CheckOptions``
    record (``options=CheckOptions(...)`` passes one whole): an unknown or mistyped option
    raises ``TypeError`` at once.  Otherwise never raises; answers within ``timeout``.
    """
    from .checking.options import CheckOptions

    given = {
        "kind": kind,
        "variables": variables,
        "task": task,
        "form": form,
        "tol": tol,
        "rtol": rtol,
        "sigfigs": sigfigs,
        "timeout": timeout,
    }
    base = options.pop("options", None)
    if base is not None:
        if not isinstance(base, CheckOptions):
            raise TypeError("options= must be a tutor.checking.options.CheckOptions")
        defaults = CheckOptions()
        given = {k: v for k, v in given.items() if v != getattr(defaults, k)}
    opts = CheckOptions.from_mapping({**given, **options}, base)
    try:
        ctx = _Ctx(
            kind=opts.kind,
            variables=list(opts.variables) if opts.variables is not None else None,
            deadline=Deadline(opts.timeout),
            options={f: getattr(opts, f) for f in opts.names()},
            task=opts.task,
            form=opts.form,
            tol=opts.tol,
            rtol=opts.rtol,
            sigfigs=opts.sigfigs,
            domain=opts.domain,
            opts=opts,
        )
        try:
            return _check(answer, expected, ctx)
        except _Undecided as und:
            fb = (
                "Checking took too long, so your answer was not judged; ask your teacher."
                if und.code == "timeout"
                else "I could not decide whether your answer is right; ask your teacher."
            )
            extra = {"error": und.error} if und.error else {}
            return ctx.verdict(None, und.code, fb, und.stage, **extra)
    except Exception as exc:  # noqa: BLE001 - the contract: check never raises
        return Verdict(
            None,
            "internal_error",
            "Something went wrong inside the checker; your answer was not judged.",
            {"kind": str(kind), "stage": "internal", "error": f"{type(exc).__name__}: {exc}"},
        )


def _names(variables: Any) -> list[str] | None:
    if variables is None:
        return None
    if isinstance(variables, str):
        variables = [v for v in re.split(r"[\s,]+", variables) if v]
    return [str(getattr(v, "name", v)) for v in variables]


def _check(answer: Any, expected: Any, ctx: _Ctx) -> Verdict:
    if ctx.kind not in KINDS:
        return ctx.verdict(
            None,
            "unknown_kind",
            f"Unknown kind of answer {ctx.kind!r}.",
            "setup",
            kinds=list(KINDS),
        )
    if ctx.kind == "choice":
        return stage_choice(answer, expected, ctx)
    from .checking.values import Unreadable, read, to_value

    parse_kind = "expression" if ctx.kind == "antiderivative" else ctx.kind
    if isinstance(expected, str):
        try:
            try:
                exp_val = read(expected, ctx.variables, parse_kind).value
            except Unreadable:
                if not ctx.variables and ctx.variables is None:
                    raise
                # the key may hold parameters and constants beside the question's
                # variables (sqrt(L/g), sin(x) + c): read it with every letter it has
                exp_val = read(expected, None, parse_kind).value
        except Unreadable as exc:
            return ctx.verdict(
                None,
                "bad_expected",
                f"The expected answer could not be read: {exc.error}",
                "parse",
                error=str(exc.error),
            )
    else:
        exp_val = to_value(expected)
    if isinstance(answer, str):
        ctx.text = answer
        try:
            got = _read_answer(answer, exp_val, parse_kind, ctx)
        except Unreadable as exc:
            return _parse_error(exc.error, ctx)
        ans_val = got.value
        ctx.notes = got.notes
    else:
        ans_val = to_value(answer)
    return _DISPATCH[ctx.kind](ans_val, exp_val, ctx)


def _read_answer(text: str, exp_val: Any, kind: str, ctx: _Ctx) -> Any:
    """Parse the answer with the question's variables; if a foreign variable makes it
    unreadable, read it freely so that the verdict can name the variable."""
    from .checking.values import Unreadable, read

    names = ctx.variables
    found = sorted(_free_names(exp_val))
    if names is None:
        names = found or None
    elif found:
        names = sorted(set(names) | set(found))
    try:
        return read(text, names, kind)
    except Unreadable:
        if names is None:
            raise
        try:
            free = read(text, None, kind)
        except Unreadable:
            free = None
        # one or two foreign letters are a mistake to name; a word read as letters is not
        if free is not None and len(_free_names(_unlabelled(free.value)) - set(names)) <= 2:
            return free
        raise


def _unlabelled(v: Any) -> Any:
    """``v`` without the labels of ``x_1 = 1.6, x_2 = 1.28`` (only the values)."""
    sp = _sympy()
    if isinstance(v, tuple) and v and all(isinstance(t, sp.Equality) for t in v):
        if all(t.lhs.is_Symbol for t in v):
            return tuple(t.rhs for t in v)
    return v


_FUNCTION_LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_']*)\s*\(\s*([A-Za-z]\w*)\s*\)\s*=")
_INDEXED = re.compile(r"^[A-Za-z]+_?\{?(\d+)\}?$")
_PARTIAL = re.compile(r"^[A-Za-z]+_\{?([A-Za-z]+)\}?$")


def _labels(a: Any, ctx: _Ctx, names: Sequence[str]) -> tuple[Any, Verdict | None]:
    """A list or point written with labels (``x_1 = 1.6, x_2 = 1.28``; ``x = 1, y = 1``;
    ``f_x = ..., f_y = ...``): the values, put in the labels' order, with the labels noted.
    A label that names no asked quantity is a diagnosis (``wrong_label``)."""
    sp = _sympy()
    if not (isinstance(a, tuple) and a and all(isinstance(t, sp.Equality) for t in a)):
        return a, None
    if not all(t.lhs.is_Symbol for t in a):
        return a, None
    labels = [t.lhs.name for t in a]
    order = list(ctx.variables or names)
    keys: list[Any] = []
    for lab in labels:
        m_i, m_p = _INDEXED.match(lab), _PARTIAL.match(lab)
        if lab in order:
            keys.append((0, order.index(lab)))
        elif m_i:
            keys.append((1, int(m_i.group(1))))
        elif m_p and (m_p.group(1) in order or not order):
            keys.append((2, order.index(m_p.group(1)) if m_p.group(1) in order else 0))
        elif not order:
            # coordinates x, y, z in their own order; other labels as written
            keys.append((3, "xyz".index(lab) if lab in ("x", "y", "z") else 3 + len(keys)))
        else:
            return a, ctx.verdict(
                False,
                "wrong_label",
                f"{lab} is not one of the quantities asked for"
                + (f" ({', '.join(order)})." if order else "."),
                "labels",
                labels=labels,
            )
    if len({k[0] for k in keys}) != 1 or len(set(keys)) != len(keys):
        return a, ctx.verdict(
            False, "wrong_label", "The labels do not name the asked quantities.", "labels"
        )
    ranked = sorted(zip(keys, a), key=lambda p: p[0])
    ctx.notes = [*ctx.notes, f"the labels {', '.join(labels)} were taken as naming the values"]
    return tuple(t.rhs for _k, t in ranked), None


def _parse_error(err: Any, ctx: _Ctx) -> Verdict:
    message = getattr(err, "message", None) or str(err).splitlines()[0]
    position = getattr(err, "position", None)
    hint = getattr(err, "hint", None) or ""
    caret = str(err)
    where = f" at position {position}" if isinstance(position, int) else ""
    feedback = f"I could not read your answer{where}: {message}."
    if hint:
        feedback += f" Hint: {hint}."
    feedback = feedback.replace("..", ".")
    return Verdict(
        None,
        "parse_error",
        feedback,
        {
            "kind": ctx.kind,
            "stage": "parse",
            "position": position,
            "message": message,
            "hint": hint,
            "caret": caret,
        },
    )


# ---------------------------------------------------------------------------- helpers


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


def _restates(ans: Any, ctx: _Ctx) -> Verdict | None:
    """An answer holding Derivative/Limit/Integral, or the question itself, is not accepted."""
    sp = _sympy()
    if isinstance(ans, sp.Basic) and ans.has(sp.Derivative, sp.Limit, sp.Integral, sp.Subs):
        return ctx.verdict(
            False,
            "restates_question",
            "Your answer still contains a derivative, limit or integral: work it out.",
            "restates_question",
        )
    question = ctx.options.get("question")
    if question is not None:
        from .checking.values import Unreadable, read, to_value

        try:
            q = (
                read(question, ctx.variables, "expression").value
                if isinstance(question, str)
                else to_value(question)
            )
        except Unreadable:
            return None
        from .checking.equiv import plain

        if plain(q) == plain(ans):
            return ctx.verdict(
                False,
                "restates_question",
                "Your answer is the expression you were asked to transform.",
                "restates_question",
            )
    return None


def _unexpected(ans: Any, exp: Any, ctx: _Ctx, allowed: Sequence[str] = ()) -> Verdict | None:
    extra = _free_names(ans) - _free_names(exp) - set(ctx.variables or ()) - set(allowed)
    if not extra:
        return None
    names = ", ".join(sorted(extra))
    asked = _task_names(ctx)
    if extra <= asked:
        # the letter is the question's own (a limit's x): the answer has not finished with it
        what = {
            "limit": "a limit is a number (or oo, -oo or DNE), so finish by letting "
            + names
            + " approach the point"
        }
        said = what.get(ctx.task.kind if ctx.task is not None else "", "")
        return ctx.verdict(
            False,
            "still_depends",
            f"Your answer still depends on {names}"
            + (f": {said}." if said else ", but the answer here does not."),
            "variables",
            variables=sorted(extra),
        )
    return ctx.verdict(
        False,
        "unexpected_variable",
        f"Your answer uses {names}, which does not appear in this question.",
        "variables",
        variables=sorted(extra),
    )


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


def stage_diagnose(a: Any, b: Any, ctx: _Ctx, names: list[str]) -> Verdict | None:
    """Name the likely mistake of a wrong expression: sign, constant factor or constant."""
    sp = _sympy()
    from .checking import numeric

    if ctx.text and _decimal_near(a, b, ctx):
        return ctx.verdict(
            False,
            "not_exact",
            "Close, but that is a rounded decimal: give the exact value.",
            "diagnose",
        )
    if not isinstance(a, sp.Expr) or not isinstance(b, sp.Expr):
        return None
    try:
        pts = numeric.pairs(a, b, names, seed=7, count=8, deadline=ctx.deadline)
    except Exception:
        return None
    if len(pts) < (4 if names else 1):
        return None
    import mpmath

    eps = mpmath.mpf("1e-20")

    def const(vals: list[Any]) -> Any:
        v0 = vals[0]
        if all(abs(v - v0) <= eps * max(1, abs(v0)) for v in vals):
            return v0
        return None

    if all(abs(va + vb) <= eps * max(1, abs(vb)) for va, vb in pts) and any(
        vb != 0 for _, vb in pts
    ):
        return ctx.verdict(
            False,
            "sign_error",
            "Check the signs: your answer is the negative of the right one.",
            "diagnose",
        )
    if not names:
        return None
    if all(vb != 0 for _, vb in pts):
        k = const([va / vb for va, vb in pts])
        if k is not None and k != 0 and abs(k - 1) > eps:
            kk = _as_rational(mpmath.nstr(k, 15))
            return ctx.verdict(
                False,
                "constant_factor",
                f"Off by a constant factor: your answer is {kk} times the right one.",
                "diagnose",
                factor=kk,
            )
    c = const([va - vb for va, vb in pts])
    if c is not None and abs(c) > eps:
        return ctx.verdict(
            False,
            "differs_by_constant",
            "Your answer differs from the right one by a constant.",
            "diagnose",
            difference=mpmath.nstr(c, 12),
        )
    return None


def _decimal_near(a: Any, b: Any, ctx: _Ctx) -> bool:
    """The answer has a decimal and is within 1% of the expected value: a rounded value."""
    from .checking import numeric
    from .checking.values import has_decimal

    if not has_decimal(ctx.text):
        return False
    sp = _sympy()
    if not isinstance(a, sp.Expr) or not isinstance(b, sp.Expr):
        return False
    try:
        pts = numeric.pairs(
            a, b, sorted(_free_names(a) | _free_names(b)), seed=3, count=6, deadline=ctx.deadline
        )
    except Exception:
        return False
    return bool(pts) and all(abs(va - vb) <= 0.01 * max(abs(vb), 1e-12) for va, vb in pts)


def _task_mistakes(ctx: _Ctx) -> list[Any]:
    """The task's mal-rule answers, computed under the budget (empty when there is no task
    or no time)."""
    if ctx.task is None:
        return []
    try:
        found = run_bounded(
            "tutor.checking.symbolic:task_mistakes", (ctx.task,), ctx.deadline.left() / 2
        )
    except Exception:  # mal-rules are a courtesy: no diagnosis rather than no verdict
        return []
    return [] if found is TIMEOUT else list(found)


def _is_plain_number(v: Any) -> bool:
    sp = _sympy()
    return isinstance(v, (int, float, sp.Number)) or (isinstance(v, sp.Expr) and v.is_number)


def _vector_mistake(ea: list[Any], eb: list[Any], ctx: _Ctx) -> Verdict | None:
    """A wrong vector named: a known mistake of the task (entry by entry), or a pattern
    (every sign flipped, scaled, rounded, reordered, some entries wrong)."""
    from .checking.vectors import diagnose

    for m in _task_mistakes(ctx):
        mv = list(m.expr) if isinstance(m.expr, (list, tuple, _sympy().Tuple)) else None
        if mv is None or len(mv) != len(ea):
            continue
        try:
            if all(_same_value(x, y, ctx, []) is True for x, y in zip(ea, mv)):
                return ctx.verdict(False, m.code, m.feedback, "malrules", rule=m.rule)
        except Exception:  # a candidate that cannot be compared names nothing
            continue
    found = diagnose(ea, eb, ctx.task.kind if ctx.task is not None else None)
    if found is None:
        return None
    code, feedback, extra = found
    return ctx.verdict(False, code, feedback, "componentwise", **extra)


def stage_malrules(a: Any, b: Any, ctx: _Ctx, names: list[str]) -> Verdict | None:
    """A wrong answer equal to a known mistake's answer (and not to the right one) is named."""
    if ctx.task is None:
        return None
    from .checking.equiv import compare

    for m in _task_mistakes(ctx):
        if ctx.deadline.expired():
            return None
        try:
            if compare(a, m.expr, names=None, deadline=ctx.deadline).equal is not True:
                continue
            if compare(m.expr, b, names=None, deadline=ctx.deadline).equal is not False:
                continue
        except Exception:
            continue
        return ctx.verdict(False, m.code, m.feedback, "malrules", rule=m.rule)
    return None


_FORM_WORDS = {
    "factored": ("not_factored", "fully factored form (take each common factor out)"),
    "expanded": ("not_expanded", "expanded form (multiply out every bracket)"),
    "simplified": ("not_simplified", "simplified form"),
    "single_fraction": ("not_single_fraction", "a single fraction"),
    "lowest_terms": ("not_lowest_terms", "lowest terms (cancel the common factors)"),
    "partial_fractions": ("not_partial_fractions", "partial fractions"),
    "completed_square": ("not_completed_square", "completed-square form a(x - h)^2 + k"),
}


def stage_form(a: Any, ctx: _Ctx) -> Verdict | None:
    """The requested written form (checking.forms), tested on the tree, after the value."""
    if not ctx.form:
        return None
    if ctx.form not in _FORM_WORDS:
        return ctx.verdict(
            None, "unknown_kind", f"Unknown form {ctx.form!r}.", "form", forms=list(_FORM_WORDS)
        )
    if ctx.text:
        names = sorted(set(ctx.variables or ()) | _free_names(a)) or None
        args: tuple[Any, ...] = (ctx.text, names, ctx.form)
        ok = _run("tutor.checking.forms:form_holds_text", args, ctx, "form")
    else:
        ok = _run("tutor.checking.forms:form_holds", (a, ctx.form), ctx, "form")
    if ok:
        return None
    code, words = _FORM_WORDS[ctx.form]
    return ctx.verdict(
        False,
        code,
        f"The value is right, but the answer is not in {words}.",
        "form",
        form=ctx.form,
        value_correct=True,
        family="wrong_form",
    )


# ---------------------------------------------------------------------------- kinds


def stage_expression(a: Any, b: Any, ctx: _Ctx) -> Verdict:
    """Expressions: real functions equal wherever both are defined."""
    sp = _sympy()
    from .checking.equiv import compare

    if isinstance(a, sp.Eq) and isinstance(b, sp.Expr) and a.lhs.is_Symbol:
        if a.lhs.name not in _free_names(b) and a.lhs.name not in (ctx.variables or ()):
            ctx.notes = [*ctx.notes, f"took the right-hand side of {a.lhs} = ..."]
            a = a.rhs
    m = _FUNCTION_LABEL.match(ctx.text or "")
    if isinstance(a, sp.Eq) and isinstance(b, sp.Expr) and m:
        f, v = sp.Symbol(m.group(1)), sp.Symbol(m.group(2))
        if a.lhs == f * v and f.name not in _free_names(b):
            # L(x) = 2x - 1: the label names the function asked for
            ctx.notes = [
                n for n in ctx.notes if "function notation" not in n and "was read as" not in n
            ]
            ctx.notes.append(f"took the right-hand side of {m.group(1)}({m.group(2)}) = ...")
            a = a.rhs
    wrong = _kind_mismatch(a, b, ctx)
    if wrong is not None:
        return wrong
    from .checking.values import compare_values, is_special

    if is_special(a) or is_special(b):
        same = compare_values(a, b, names=[], deadline=ctx.deadline, domain=ctx.domain).equal
        if same:
            return _right(ctx, "special")
        return ctx.verdict(False, "not_equivalent", "Not correct.", "special")
    r = _restates(a, ctx)
    if r is not None:
        return r
    if isinstance(b, sp.Expr) and b.has(sp.Float):
        from .checking.values import exact_decimals

        if not _free_names(a) and not _free_names(b):
            return stage_number(a, b, ctx)
        # a computed coefficient (0.1234*x from a numeric engine) means its decimal
        b = exact_decimals(b)
    names = sorted(_free_names(a) | _free_names(b) | set(ctx.variables or ()))
    assume = ctx.assume(names)
    out = compare(a, b, names=names, deadline=ctx.deadline, domain=ctx.domain, assume=assume)
    if out.equal is True:
        extra = {"assumptions": assume} if assume else {}
        return _first(lambda: stage_form(a, ctx), lambda: _right(ctx, out.stage, **extra))
    # a foreign variable that does not cancel out is the likeliest mistake to name
    u = _unexpected(a, b, ctx) if (ctx.variables or _free_names(b)) else None
    if u is not None:
        return u
    if out.equal is None:
        return _undecided(out, ctx)
    if out.code == "domain_differs":
        ex = out.details.get("example", {})
        where = ex.get("point", {})
        pt = ", ".join(f"{k} = {v:.3g}" for k, v in where.items())
        side = "your answer" if ex.get("defined") == "answer" else "the expected answer"
        return ctx.verdict(
            False,
            "domain_differs",
            f"Your answer agrees where both are defined, but they have different domains "
            f"(at {pt} only {side} is defined).",
            out.stage,
            **out.details,
        )
    if ctx.kind == "expression":
        d = _first(
            lambda: stage_malrules(a, b, ctx, names), lambda: stage_diagnose(a, b, ctx, names)
        )
        if d is not None:
            return d
    return ctx.verdict(False, "not_equivalent", "Not correct.", out.stage, **out.details)


def _kind_mismatch(a: Any, b: Any, ctx: _Ctx) -> Verdict | None:
    sp = _sympy()

    def shape(v: Any) -> str:
        if v is DNE:
            return "DNE"
        if isinstance(v, (sp.Equality, sp.Or, sp.And)) or isinstance(
            v, sp.core.relational.Relational
        ):
            return "an equation"
        if isinstance(v, (tuple, sp.Tuple)):
            return "a list"
        if isinstance(v, sp.Set):
            return "a set"
        if isinstance(v, sp.Expr):
            return "an expression"
        return "something else"

    sa, sb = shape(a), shape(b)
    if sa == sb or (sa, sb) in {("DNE", "an expression"), ("an expression", "DNE")}:
        return None
    return ctx.verdict(
        False,
        "wrong_kind",
        f"The answer should be {sb}, but yours is {sa}.",
        "kind",
        expected_kind=sb,
        answer_kind=sa,
    )


def stage_number(a: Any, b: Any, ctx: _Ctx) -> Verdict:
    """Numbers (and oo, -oo, DNE for limits): exact, or within the question's tolerance."""
    sp = _sympy()
    from .checking.values import compare_values, is_special

    if is_special(a) or is_special(b):
        out = compare_values(a, b, names=[], deadline=ctx.deadline, domain=ctx.domain)
        if out.equal:
            return _right(ctx, "special")
        named = stage_malrules(a, b, ctx, [])
        if named is not None:
            return named
        # feedback names what to look at, never the right answer itself
        hint = ""
        if b is DNE and a is not DNE:
            hint = " Compare the two one-sided limits: do they agree?"
        elif a is DNE and is_special(b):
            hint = (
                " The values grow without bound in one direction, which is a limit you can "
                "write: oo or -oo."
            )
        return ctx.verdict(False, "not_equivalent", "Not correct." + hint, "special")
    wrong = _kind_mismatch(a, b, ctx)
    if wrong is not None:
        return wrong
    r = _first(lambda: _restates(a, ctx), lambda: _unexpected(a, b, ctx))
    if r is not None:
        return r
    if _free_names(b) or _free_names(a):
        return stage_expression(a, b, ctx)
    if not _has_tolerance(ctx) and b.has(sp.Float):
        from .checking.values import float_rtol

        # a floating-point expected value is computed, not exact: equal to its precision
        ctx.rtol = float_rtol(b)
        ok, info = _within(a, b, ctx)
        if ok is None:
            return ctx.verdict(None, "undetermined", "That number could not be evaluated.", "float")
        if ok:
            return _right(ctx, "float", **info)
        return ctx.verdict(False, "not_equivalent", "Not correct.", "float", **info)
    if _has_tolerance(ctx):
        return stage_tolerance(a, b, ctx)
    out = compare_values(a, b, names=[], deadline=ctx.deadline, domain=ctx.domain)
    if out.equal is True:
        # a number asked in lowest terms (12/14 for 6/7) is tested as written, too
        return _first(lambda: stage_form(a, ctx), lambda: _right(ctx, out.stage))
    if out.equal is None:
        return _undecided(out, ctx)
    d = _first(lambda: stage_malrules(a, b, ctx, []), lambda: stage_diagnose(a, b, ctx, []))
    if d is not None:
        return d
    return ctx.verdict(False, "not_equivalent", "Not correct.", out.stage)


def stage_tolerance(a: Any, b: Any, ctx: _Ctx) -> Verdict:
    """A number within an absolute or relative tolerance, or to so many significant figures."""
    ok, info = _within(a, b, ctx)
    if ok is None:
        return ctx.verdict(None, "undetermined", "That number could not be evaluated.", "tolerance")
    if ok:
        return ctx.verdict(
            True, "within_tolerance", "Correct (within the tolerance).", "tolerance", **info
        )
    for m in _task_mistakes(ctx):
        # a known mistake's value, to the same tolerance, is named
        if (
            _is_plain_number(m.expr)
            and _within(a, m.expr, ctx)[0]
            and not _within(m.expr, b, ctx)[0]
        ):
            return ctx.verdict(False, m.code, m.feedback, "malrules", rule=m.rule, **info)
    return ctx.verdict(
        False,
        "outside_tolerance",
        "Not correct: too far from the right value.",
        "tolerance",
        **info,
    )


def _has_tolerance(ctx: _Ctx) -> bool:
    return ctx.tol is not None or ctx.rtol is not None or ctx.sigfigs is not None


def _within(a: Any, b: Any, ctx: _Ctx) -> tuple[bool | None, dict[str, Any]]:
    """Whether the numbers ``a`` and ``b`` agree within every tolerance the question sets
    (None when one cannot be evaluated), with the figures for the verdict."""
    import mpmath

    from .checking import numeric

    try:
        va, _ = numeric.evaluate(a, {}, 40)
        vb, _ = numeric.evaluate(b, {}, 40)
    except Exception:
        return None, {}
    diff = abs(va - vb)
    ok = True
    info: dict[str, Any] = {"difference": mpmath.nstr(diff, 6)}
    if ctx.tol is not None:
        ok = ok and diff <= mpmath.mpf(ctx.tol) * (1 + mpmath.mpf("1e-12"))
        info["tol"] = ctx.tol
    if ctx.rtol is not None:
        ok = ok and diff <= mpmath.mpf(ctx.rtol) * abs(vb) * (1 + mpmath.mpf("1e-12"))
        info["rtol"] = ctx.rtol
    if ctx.sigfigs is not None:
        n = int(ctx.sigfigs)
        ok = ok and _round_sig(va, n) == _round_sig(vb, n)
        info["sigfigs"] = n
    return bool(ok), info


def _same_value(x: Any, y: Any, ctx: _Ctx, names: list[str] | None) -> bool | None:
    """One entry of a list, point or set: within the question's tolerance when it sets one
    and both are numbers, otherwise equal by the checking conventions."""
    from .checking.values import compare_values, is_special

    sp = _sympy()
    if (
        _has_tolerance(ctx)
        and isinstance(x, sp.Expr)
        and isinstance(y, sp.Expr)
        and not (is_special(x) or is_special(y))
        and not _free_names(x)
        and not _free_names(y)
    ):
        return _within(x, y, ctx)[0]
    return compare_values(x, y, names=names, deadline=ctx.deadline, domain=ctx.domain).equal


def _round_sig(v: Any, n: int) -> str:
    import mpmath

    if v == 0:
        return "0"
    ctx = mpmath.MPContext()
    ctx.dps = 40
    return mpmath.nstr(ctx.mpf(v), max(1, n), strip_zeros=False, min_fixed=-1000, max_fixed=1000)


def stage_antiderivative(a: Any, b: Any, ctx: _Ctx) -> Verdict:
    """Antiderivatives: equal when their derivatives are; the + C is optional."""
    from .checking.equiv import compare, plain

    wrong = _kind_mismatch(a, b, ctx)
    if wrong is not None:
        return wrong
    r = _restates(a, ctx)
    if r is not None:
        return r
    var = ctx.options.get("var") or _main_variable(b, ctx)
    if plain(a) == plain(b):
        return ctx.verdict(True, "equivalent", "Correct.", "structural", compared="identical")
    db = _derivative(b, var, ctx)
    # letters of the key that its derivative loses are its constants (sin(x) + c, ln(c|x|))
    key_consts = {n for n in _free_names(b) - _free_names(db) if n != var}
    key_consts -= set(ctx.variables or ())
    question = (_free_names(b) - key_consts) | set(ctx.variables or ()) | {var}
    candidates = _free_names(a) - question
    da = _derivative(a, var, ctx)
    consts = sorted(candidates - _free_names(da))  # any letter the question does not use
    multiplied = sorted(candidates & _free_names(da))
    if multiplied:
        if set(multiplied) <= set(_CONSTANT_NAMES) | set(ctx.opts.constants if ctx.opts else ()):
            return ctx.verdict(
                False,
                "not_equivalent",
                f"Not correct: {', '.join(multiplied)} changes the derivative; a constant of "
                "integration is added (+ C), not multiplied.",
                "derivative",
                constants=multiplied,
            )
        u = _unexpected(a, b, ctx, allowed=consts)
        if u is not None:
            return u
    has_c = bool(consts)
    names = sorted(_free_names(da) | _free_names(db) | ({var} if var else set()))
    out = compare(plain(da), plain(db), names=names, deadline=ctx.deadline, domain="common")
    if out.equal is True:
        fb = "Correct."
        if ctx.options.get("plus_c") and not has_c:
            fb = "Correct; remember to add the constant of integration, + C."
        extra: dict[str, Any] = {"constants": consts} if consts else {}
        if _log_abs_dropped(a, b):
            fb += " Note: ln|x| is the antiderivative on both sides of 0; ln(x) only for x > 0."
            extra["note"] = "log_without_abs"
        return ctx.verdict(
            True, "equivalent", fb, "derivative", compared="derivatives", plus_c=has_c, **extra
        )
    if out.equal is None:
        return _undecided(out, ctx)
    d = _first(lambda: stage_malrules(a, b, ctx, names), lambda: stage_diagnose(da, db, ctx, names))
    if d is not None and d.code in ("sign_error", "constant_factor"):
        return d
    return ctx.verdict(
        False,
        "not_equivalent",
        "Not correct: the derivative of your answer is not the integrand.",
        "derivative",
    )


def _main_variable(b: Any, ctx: _Ctx) -> str | None:
    """The variable of integration: ``var``, the first of ``variables``, else x, t, or the
    first letter of the key that does not look like a constant."""
    names = sorted(_free_names(b) | set(ctx.variables or ()))
    if ctx.variables:
        return ctx.variables[0]
    if not names:
        return None
    for v in ("x", "t", "u", "y", "z", "s", "theta"):
        if v in names:
            return v
    plain_names = [n for n in names if n not in _CONSTANT_NAMES + ("k",)]
    return (plain_names or names)[0]


def _log_abs_dropped(a: Any, b: Any) -> bool:
    """The key has ln|...| and the answer a log without the absolute value."""
    sp = _sympy()
    logs_b = [t for t in sp.preorder_traversal(b) if isinstance(t, sp.log)]
    logs_a = [t for t in sp.preorder_traversal(a) if isinstance(t, sp.log)]
    return (
        any(t.args[0].has(sp.Abs) for t in logs_b)
        and bool(logs_a)
        and not any(t.args[0].has(sp.Abs) for t in logs_a)
    )


def _derivative(e: Any, var: str | None, ctx: _Ctx) -> Any:
    sp = _sympy()
    from .checking.equiv import plain
    from .checking.symbolic import realize

    if var is None:
        return sp.Integer(0)
    r = _run("tutor.checking.symbolic:derivative", (realize(e), var), ctx, "derivative")
    # the derivative was taken with real symbols; return plain ones
    return plain(r.xreplace({sp.Symbol(var, real=True): sp.Symbol(var)}))


def stage_equation(a: Any, b: Any, ctx: _Ctx) -> Verdict:
    """Equations: equal when their real solution sets are equal."""
    sp = _sympy()
    from .checking.equiv import compare

    fa, fb = _sides(a), _sides(b)
    if fb is None:
        return ctx.verdict(None, "bad_expected", "The expected answer is not an equation.", "kind")
    if fa is None:
        what = "a bare value" if isinstance(a, sp.Expr) else "not an equation"
        return ctx.verdict(
            False,
            "wrong_kind",
            f"The answer should be an equation (such as x = 1); yours is {what}.",
            "kind",
        )
    u = _unexpected(a, b, ctx)
    if u is not None:
        return u
    names = sorted(_free_names(a) | _free_names(b) | set(ctx.variables or ()))
    ea, eb = _explicit(a), _explicit(b)
    written = _side_conditions(a), _side_conditions(b)
    if ea is not None and eb is not None and ea[0] == eb[0]:
        # y = f(x) against y = g(x): the same curve exactly when f and g are the same
        # function on the same domain, decided without expanding (x - a)^6000
        out = compare(ea[1], eb[1], names=names, deadline=ctx.deadline, domain="strict")
        if out.equal is True and _plain_equation(ea[1]) and _plain_equation(eb[1]):
            return _right(ctx, "explicit")
        if out.equal is False:  # values differ, or a region lies on one curve only
            return ctx.verdict(
                False,
                "not_equivalent",
                "Not correct: your equation describes a different set of points than the "
                "expected one.",
                "explicit",
            )
    # stage: proportional — one equation each, f_a = c * f_b with a nonzero constant c
    plain_sides = written == (frozenset(), frozenset())
    if len(fa) == 1 and len(fb) == 1 and _plain_equation(fa[0]) and _plain_equation(fb[0]):
        c = _ratio_constant(fa[0], fb[0], names)
        if c is not None:
            out = compare(fa[0], c * fb[0], names=names, deadline=ctx.deadline, domain="strict")
            if out.equal is True and plain_sides:
                return _right(ctx, "proportional")
    by_factors = _compare_factors(fa, fb, names, ctx) if plain_sides else None
    if by_factors is not None:
        return by_factors
    if len(names) == 1:
        return _compare_solution_sets(fa, fb, names[0], ctx)
    target = ctx.options.get("solve_for") or ("y" if "y" in names else names[-1])
    if target not in _free_names(a) and all(_depends(f, target) for f in fb):
        return ctx.verdict(
            False,
            "not_equivalent",
            f"Not correct: the expected equation involves {target}, and yours does not.",
            "solve",
        )
    sols = []
    for fs in (fa, fb):
        got: list[Any] = []
        for f in fs:
            r = _run("tutor.checking.symbolic:solve_for", (f, target), ctx, "solve")
            if r is None:
                return ctx.verdict(
                    None, "undetermined", "I could not decide whether the equations agree.", "solve"
                )
            got.extend(r)
        sols.append(got)
    verdict = _match_sets(sols[0], sols[1], ctx, "solve", names=names)
    if verdict.correct is False and verdict.code in (
        "missing_elements",
        "extra_elements",
        "not_equivalent",
    ):
        # the feedback of value sets ("1 value is missing") does not fit equations
        verdict = ctx.verdict(
            False,
            "not_equivalent",
            "Not correct: your equation describes a different set of points than the expected one.",
            "solve",
        )
    if verdict.correct is False and _same_pointwise(sols[0], sols[1], target, names):
        # the solution formulas differ (|x| against x) but not the solution sets
        return ctx.verdict(
            None, "undetermined", "I could not decide whether the equations agree.", "solve"
        )
    if verdict.correct is True and not (
        _solutions_hold(fa, fb, sols[1], target, names)
        and _excluded_points_agree(fa, fb, sols[1], target, names)
    ):
        return ctx.verdict(
            False,
            "domain_differs",
            "The equations agree where both make sense, but not everywhere: check where "
            "each side is defined.",
            "solve",
        )
    lost = any(not (w <= _conditions_of(fs)) for w, fs in zip(written, (fa, fb)))
    if verdict.correct is True and written[0] != written[1] and lost:
        # y = sqrt(x)^2 is y = x only for x >= 0: a side's domain that its difference
        # lost (sympy writes sqrt(x)^2 - y as x - y) leaves no proof from solving
        return ctx.verdict(
            None, "undetermined", "I could not decide whether the equations agree.", "solve"
        )
    return verdict


def _side_conditions(v: Any) -> frozenset[Any]:
    """The domain conditions of the sides as written (roots, logs), before subtracting."""
    sp = _sympy()
    from .checking.domain import conditions

    eqs = [v] if isinstance(v, sp.Equality) else list(getattr(v, "args", ()))
    out: frozenset[Any] = frozenset()
    for q in eqs:
        if isinstance(q, sp.Equality):
            out |= conditions(q.lhs) | conditions(q.rhs)
    return out


def _conditions_of(fs: list[Any]) -> frozenset[Any]:
    from .checking.domain import conditions

    out: frozenset[Any] = frozenset()
    for f in fs:
        out |= conditions(f)
    return out


def _explicit(v: Any) -> tuple[Any, Any] | None:
    """(y, f) for an equation written y = f (or f = y) with y not in f, else None."""
    sp = _sympy()
    if not isinstance(v, sp.Equality):
        return None
    for s, f in ((v.lhs, v.rhs), (v.rhs, v.lhs)):
        if isinstance(s, sp.Symbol) and not f.has(s):
            return s, f
    return None


def _plain_equation(f: Any) -> bool:
    """``f = 0`` has no excluded points: no variable in a denominator, no root or log
    (``(t^2 - 6t + 9)/(t - 3) = 0`` has no solution, so it is not ``t - 3 = 0``)."""
    sp = _sympy()
    from .checking.domain import conditions

    if conditions(f):
        return False
    return not any(
        t.is_Pow and t.exp.is_negative and t.base.free_symbols for t in sp.preorder_traversal(f)
    )


def _depends(f: Any, name: str) -> bool:
    """``f`` (one side minus the other) really involves the variable ``name``."""
    sp = _sympy()
    return sp.expand(f).has(sp.Symbol(name))


def _same_pointwise(sa: list[Any], sb: list[Any], target: str, names: list[str]) -> bool:
    """At random values of the other variables, both lists give the same set of numbers."""
    import random

    from .checking import numeric

    others = [n for n in names if n != target]
    rng = random.Random(13)

    def values(sols: list[Any], point: dict[str, float]) -> list[Any]:
        out = []
        for g in sols:
            try:
                out.append(numeric.evaluate(g, point, 30)[0])
            except Exception:
                continue
        return out

    for i in range(12):
        point = numeric.sample(others, rng, i)
        va, vb = values(sa, point), values(sb, point)
        near = lambda u, w: abs(u - w) <= 1e-15 * max(1, abs(w))  # noqa: E731
        if not all(any(near(u, w) for w in vb) for u in va) or not all(
            any(near(w, u) for u in va) for w in vb
        ):
            return False
    return True


def _solutions_hold(
    fa: list[Any], fb: list[Any], sols: list[Any], target: str, names: list[str]
) -> bool:
    """At random values of the other variables, each solution satisfies both equations or
    neither (``solve`` forgets domains: sqrt(x) = sqrt(y) is not x = y for x < 0)."""
    import random

    from .checking import numeric

    sp = _sympy()
    others = [n for n in names if n != target]
    rng = random.Random(11)
    for g in sols:
        for i in range(16):
            point = numeric.sample(others, rng, i)
            try:
                vy, _ = numeric.evaluate(g, point, 30)
            except Exception:
                continue
            full = {**point, target: vy}
            holds = []
            for fs in (fa, fb):
                ok = False
                for f in fs:
                    try:
                        v, scale = numeric.evaluate(f, full, 30)
                    except Exception:
                        continue
                    if abs(v) <= max(scale, 1) * sp.Float("1e-20"):
                        ok = True
                holds.append(ok)
            if holds[0] != holds[1]:
                return False
    return True


def _excluded_points_agree(
    fa: list[Any], fb: list[Any], sols: list[Any], target: str, names: list[str]
) -> bool:
    """Where a denominator of either equation vanishes on the solution curve, the point is
    excluded from both or from neither: (y + 5)/x = 2 is y = 2x - 5 without (0, -5), a
    point random samples never hit (equations keep their excluded points)."""
    sp = _sympy()
    from .checking import numeric

    others = [sp.Symbol(n) for n in names if n != target]
    if len(others) != 1:
        return True
    x, t = others[0], sp.Symbol(target)
    dens = {
        d.base
        for f in fa + fb
        for d in sp.preorder_traversal(f)
        if d.is_Pow and d.exp.is_negative and d.base.free_symbols
    }

    def holds(fs: list[Any], point: dict[str, Any]) -> bool:
        for f in fs:
            try:
                v, scale = numeric.evaluate(f, point, 30)
            except Exception:
                continue
            if abs(v) <= max(scale, 1) * sp.Float("1e-20"):
                return True
        return False

    for d in dens:
        for g in sols:
            h = sp.expand(d.subs(t, g))
            if not h.free_symbols <= {x} or not h.is_polynomial(x) or h.is_zero:
                continue
            if not h.free_symbols or sp.degree(h, x) > 4:
                continue
            for r in sp.Poly(h, x).real_roots():
                point = {x.name: r, target: g.subs(x, r)}
                if holds(fa, point) != holds(fb, point):
                    return False
    return True


def _compare_factors(fa: list[Any], fb: list[Any], names: list[str], ctx: _Ctx) -> Verdict | None:
    """Polynomial equations: the same irreducible factors (up to constants) is a proof."""
    from .checking.equiv import compare

    pa = _run("tutor.checking.symbolic:polynomial_factors", (fa,), ctx, "factors")
    pb = _run("tutor.checking.symbolic:polynomial_factors", (fb,), ctx, "factors")
    if pa is None or pb is None:
        return None
    dropped = False
    if ctx.variables:
        # letters that are not the question's variables are parameters with generic
        # (nonzero) values: c·u = c·v is u = v when the variables are u and v
        unknowns = set(ctx.variables)
        keep_a = [f for f in pa if _free_names(f) & unknowns]
        keep_b = [f for f in pb if _free_names(f) & unknowns]
        dropped = (len(keep_a), len(keep_b)) != (len(pa), len(pb))
        pa, pb = keep_a, keep_b
    if len(pa) != len(pb) or len(pa) < (1 if dropped else 2):
        return None

    def same(f: Any, g: Any) -> bool:
        c = _ratio_constant(f, g, names)
        if c is None:
            return False
        return compare(f, c * g, names=names, deadline=ctx.deadline).equal is True

    if all(any(same(f, g) for g in pb) for f in pa) and all(
        any(same(g, f) for f in pa) for g in pb
    ):
        if dropped:
            return _right(ctx, "factors", parameters="nonzero (not among the variables)")
        return _right(ctx, "factors")
    return None


def _sides(v: Any) -> list[Any] | None:
    sp = _sympy()
    if isinstance(v, sp.Equality):
        return [_side(v)]
    if isinstance(v, sp.Or) and all(isinstance(t, sp.Equality) for t in v.args):
        return [_side(t) for t in v.args]
    return None


def _side(eq: Any) -> Any:
    """``lhs - rhs``; for ``|A| = |B|`` the equivalent ``A^2 - B^2`` (both sides are >= 0,
    so squaring neither adds nor loses a solution), which factors as (A - B)(A + B)."""
    sp = _sympy()
    if isinstance(eq.lhs, sp.Abs) and isinstance(eq.rhs, sp.Abs):
        return sp.expand(eq.lhs.args[0] ** 2 - eq.rhs.args[0] ** 2)
    return eq.lhs - eq.rhs


def _ratio_constant(f: Any, g: Any, names: list[str]) -> Any:
    """The rational constant c with f = c*g suggested by two random points, or None.

    Numeric (mpmath) on purpose: sympy's assumptions on a messy constant can run for minutes.
    """
    import random

    from .checking import numeric

    sp = _sympy()
    rng = random.Random(5)
    found: list[Fraction] = []
    for i in range(12):
        point = numeric.sample(names, rng, i)
        try:
            vf, _ = numeric.evaluate(f, point, 30)
            vg, _ = numeric.evaluate(g, point, 30)
        except Exception:
            continue
        if vg == 0 or vf == 0:
            continue
        r = vf / vg
        c = Fraction(str(r)).limit_denominator(10_000)
        if abs(r - c.numerator / sp.Integer(c.denominator)) > abs(r) * sp.Float("1e-20"):
            return None
        found.append(c)
        if len(found) == 2:
            return sp.Rational(c.numerator, c.denominator) if found[0] == found[1] else None
    return None


def _compare_solution_sets(fa: list[Any], fb: list[Any], var: str, ctx: _Ctx) -> Verdict:
    sp = _sympy()
    sets = [
        _run("tutor.checking.symbolic:real_solutions", (fs, var), ctx, "solution_sets")
        for fs in (fa, fb)
    ]
    sa, sb = sets
    if isinstance(sa, sp.FiniteSet) and isinstance(sb, sp.FiniteSet):
        return _match_sets(list(sa.args), list(sb.args), ctx, "solution_sets", names=[])
    if sa == sb:
        return _right(ctx, "solution_sets")
    simple = all(isinstance(s, (sp.FiniteSet, sp.Interval, sp.Union)) for s in sets)
    if simple or (sa is sp.S.EmptySet) != (sb is sp.S.EmptySet):
        return ctx.verdict(
            False, "not_equivalent", "Not correct: the solutions differ.", "solution_sets"
        )
    return ctx.verdict(
        None, "undetermined", "I could not compare the solution sets.", "solution_sets"
    )


def _dedupe(items: list[Any], ctx: _Ctx, names: list[str] | None) -> list[Any]:
    from .checking.values import compare_values

    out: list[Any] = []
    seen: set[Any] = set()  # exact numbers are equal only when identical: hashed, not compared
    for x in items:
        if ctx.deadline.expired():
            raise _Undecided("timeout", "set")
        if _rational(x) and x in seen:
            continue
        if not any(
            compare_values(x, y, names=names, deadline=ctx.deadline, domain=ctx.domain).equal
            for y in out
            if not (_rational(x) and _rational(y))
        ):
            out.append(x)
            if _rational(x):
                seen.add(x)
    return out


def _set_mistake(ans: list[Any], ctx: _Ctx, names: list[str] | None) -> Verdict | None:
    """A wrong set equal to a known mistake's set (e.g. the zeros of f for the critical
    points) is named: same size, every value matched."""
    sp = _sympy()
    for m in _task_mistakes(ctx):
        if not isinstance(m.expr, sp.FiniteSet) or len(m.expr) != len(ans):
            continue
        try:
            if all(any(_same_value(x, e, ctx, names) is True for x in ans) for e in m.expr.args):
                return ctx.verdict(False, m.code, m.feedback, "malrules", rule=m.rule)
        except Exception:  # a candidate that cannot be compared names nothing
            continue
    return None


def _rational(x: Any) -> bool:
    return getattr(x, "is_Rational", False) is True


def _match_sets(
    ans: list[Any], exp: list[Any], ctx: _Ctx, stage: str, *, names: list[str] | None
) -> Verdict:
    """Match two collections ignoring order and repeats."""

    ans, exp = _dedupe(ans, ctx, names), _dedupe(exp, ctx, names)
    unknown = False
    missing, matched = [], set()
    # without a tolerance, an exact number matches only the same exact number: looked up
    exact = {x: i for i, x in enumerate(ans) if _rational(x)} if not _has_tolerance(ctx) else {}
    for e in exp:
        if ctx.deadline.expired():
            raise _Undecided("timeout", stage)
        hit = False
        if exact and _rational(e) and e in exact:
            hit = True
            matched.add(exact[e])
        for i, x in enumerate(ans):
            if hit:
                break
            if i in matched and _has_tolerance(ctx):
                continue  # within a tolerance, one answer must not stand for two values
            if exact and _rational(x) and _rational(e):
                continue
            same = _same_value(x, e, ctx, names)
            if same is True:
                hit = True
                matched.add(i)
                break
            if same is None:
                unknown = True
        if not hit:
            missing.append(e)
    extra = [x for i, x in enumerate(ans) if i not in matched]
    if not missing and not extra:
        if _has_tolerance(ctx):
            return ctx.verdict(True, "within_tolerance", "Correct (within the tolerance).", stage)
        return _right(ctx, stage)
    if unknown:
        return ctx.verdict(None, "undetermined", "I could not decide every value.", stage)
    named = _set_mistake(ans, ctx, names)
    if named is not None:
        return named
    from .core import to_jsonable

    info = {"missing": to_jsonable(missing), "extra": to_jsonable(extra)}
    if missing:
        n = len(missing)
        return ctx.verdict(
            False,
            "missing_elements",
            f"Not correct: {n} value{'s are' if n > 1 else ' is'} missing"
            + (" and some do not belong." if extra else "."),
            stage,
            **info,
        )
    return ctx.verdict(
        False, "extra_elements", "Not correct: some of your values do not belong.", stage, **info
    )


def stage_set(a: Any, b: Any, ctx: _Ctx) -> Verdict:
    """Sets: order and repeats do not matter."""
    from .checking.values import elements

    a, bad = _labels(a, ctx, sorted(_free_names(b)))
    if bad is not None:
        return bad
    ea, eb = elements(a), elements(b)
    if eb is None:
        eb = [b]
    if ea is None:
        if a is DNE or isinstance(a, _sympy().Expr):
            ea = [a]
        else:
            return ctx.verdict(False, "wrong_kind", "The answer should be a set of values.", "kind")
    u = _unexpected(tuple(ea), tuple(eb), ctx)
    if u is not None:
        return u
    names = sorted(_free_names(tuple(ea)) | _free_names(tuple(eb)))
    return _match_sets(ea, eb, ctx, "set", names=names)


def stage_list(a: Any, b: Any, ctx: _Ctx) -> Verdict:
    """Lists and points: order matters, and so does the length."""
    sp = _sympy()
    from .checking.values import elements

    a, bad = _labels(a, ctx, sorted(_free_names(b)))
    if bad is not None:
        return bad
    ea = elements(a) if not isinstance(a, sp.Tuple) else list(a)
    eb = elements(b) if not isinstance(b, sp.Tuple) else list(b)
    if eb is None:
        eb = [b]
    if ea is None:
        if isinstance(a, sp.Expr):
            ea = [a]
        else:
            return ctx.verdict(
                False, "wrong_kind", "The answer should be a list of values.", "kind"
            )
    if isinstance(a, sp.FiniteSet) and ctx.kind == "point":
        return ctx.verdict(
            False, "wrong_kind", "A point is written with round brackets, (x, y).", "kind"
        )
    if len(ea) != len(eb):
        return ctx.verdict(
            False,
            "wrong_length",
            f"Not correct: expected {len(eb)} value{'s' if len(eb) != 1 else ''}, you gave {len(ea)}.",
            "length",
        )
    u = _unexpected(tuple(ea), tuple(eb), ctx)
    if u is not None:
        return u
    names = sorted(_free_names(tuple(ea)) | _free_names(tuple(eb)))
    results = [_same_value(x, y, ctx, names) for x, y in zip(ea, eb)]
    if all(r is True for r in results):
        if _has_tolerance(ctx):
            return ctx.verdict(
                True, "within_tolerance", "Correct (within the tolerance).", "componentwise"
            )
        return _right(ctx, "componentwise")
    if any(r is None for r in results):
        return ctx.verdict(None, "undetermined", "I could not decide every value.", "componentwise")
    if ctx.kind == "list" and len(ea) > 1:
        unordered = _match_sets(ea, eb, ctx, "componentwise", names=names)
        if unordered.correct:
            return ctx.verdict(
                False, "wrong_order", "The right values, but in the wrong order.", "componentwise"
            )
    named = _vector_mistake(ea, eb, ctx)
    if named is not None:
        return named
    wrong = [i + 1 for i, r in enumerate(results) if r is False]
    what = "coordinate" if ctx.kind == "point" else "entry"
    return ctx.verdict(
        False,
        "not_equivalent",
        f"Not correct: {what} {', '.join(map(str, wrong))} {'is' if len(wrong) == 1 else 'are'} wrong.",
        "componentwise",
        wrong_positions=wrong,
    )


def stage_interval(a: Any, b: Any, ctx: _Ctx) -> Verdict:
    """Intervals compare as sets of reals; open/closed ends are reported.  Relations in
    several variables compare as regions (``stage_relations``)."""
    sp = _sympy()
    rel = (sp.core.relational.Relational, sp.And, sp.Or)
    if isinstance(b, rel) and len(_free_names(b)) > 1:
        return stage_relations(a, b, ctx)
    a_orig = a
    a, b = _as_set(a, ctx), _as_set(b, ctx)
    if a is None and isinstance(a_orig, rel) and len(_free_names(a_orig)) > 1:
        return stage_relations(a_orig, b, ctx)
    if b is None:
        return ctx.verdict(
            None, "bad_expected", "The expected answer is not a set of reals.", "kind"
        )
    if a is None:
        return ctx.verdict(
            False,
            "wrong_kind",
            "The answer should be an interval, such as (1, 3] or (-oo, 0).",
            "kind",
        )
    if a == b:
        return _right(ctx, "interval")
    facts = _run("tutor.checking.symbolic:set_difference", (a, b), ctx, "interval")
    if facts[0] == "equal":
        return _right(ctx, "interval")
    if facts[0] == "endpoints" and ctx.options.get("endpoints") == "either":
        # "where is f increasing": [0, 1] and (0, 1) are both accepted when asked
        return _right(
            ctx,
            "interval",
            "Correct (the end points may be open or closed here).",
            endpoints_differ=[str(p) for p in (*facts[1], *facts[2])],
        )
    if facts[0] == "endpoints":
        inc, exc = facts[1], facts[2]
        parts = []
        if inc:
            parts.append(f"include {', '.join(map(str, inc))}")
        if exc:
            parts.append(f"exclude {', '.join(map(str, exc))}")
        return ctx.verdict(
            False,
            "endpoints",
            f"Right endpoints, but check the open/closed ends ({' and '.join(parts)}).",
            "interval",
            include=[str(p) for p in inc],
            exclude=[str(p) for p in exc],
        )
    return ctx.verdict(False, "not_equivalent", "Not correct: the intervals differ.", "interval")


_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}


def _atoms(v: Any) -> list[tuple[Any, str]] | None:
    """One relation as ``[(f, op)]`` meaning ``f op 0``; None for and/or of several."""
    sp = _sympy()
    if isinstance(v, sp.core.relational.Relational):
        return [(v.lhs - v.rhs, v.rel_op)]
    return None


def stage_relations(a: Any, b: Any, ctx: _Ctx) -> Verdict:
    """Relations in several variables compared as the regions where they hold.

    Proved equal when each is one relation and ``f_a = c·f_b`` for a constant ``c`` (a
    positive ``c`` keeps the direction, a negative one reverses it: ``b > a`` is ``a < b``);
    proved different by a point inside one region and outside the other, with both margins
    clearly away from zero (so the point is not on a boundary); else undetermined.
    """
    sp = _sympy()
    from .checking.equiv import compare

    rel = (sp.core.relational.Relational, sp.And, sp.Or)
    if not isinstance(a, rel):
        return ctx.verdict(
            False, "wrong_kind", "The answer should be a relation, such as x < y.", "kind"
        )
    u = _unexpected(a, b, ctx)
    if u is not None:
        return u
    names = sorted(_free_names(a) | _free_names(b) | set(ctx.variables or ()))
    ra, rb = _atoms(a), _atoms(b)
    if ra and rb and len(ra) == len(rb) == 1:
        (fa, oa), (fb, ob) = ra[0], rb[0]
        c = _ratio_constant(fa, fb, names)
        if c is not None and c != 0:
            want = ob if c > 0 else _FLIP[ob]
            out = compare(fa, c * fb, names=names, deadline=ctx.deadline, domain="strict")
            if out.equal is True:
                if oa == want:
                    return _right(ctx, "relations", factor=str(c))
                if oa.rstrip("=") == want.rstrip("=") and oa != want:
                    return ctx.verdict(
                        False,
                        "endpoints",
                        "Right boundary, but check strict (<) against non-strict (<=).",
                        "relations",
                    )
    return _relations_by_points(a, b, names, ctx)


def _relations_by_points(a: Any, b: Any, names: list[str], ctx: _Ctx) -> Verdict:
    from .checking import numeric

    sp = _sympy()
    rng = numeric.fresh_rng()

    def truth(v: Any, point: dict[str, Any]) -> tuple[bool, Any] | None:
        """Whether ``v`` holds at ``point`` and how far it is from its boundary."""
        if isinstance(v, sp.And) or isinstance(v, sp.Or):
            parts = [truth(t, point) for t in v.args]
            if any(p is None for p in parts):
                return None
            margin = min(m for _t, m in parts)
            vals = [t for t, _m in parts]
            return (all(vals) if isinstance(v, sp.And) else any(vals)), margin
        try:
            d, scale = numeric.evaluate(v.lhs - v.rhs, point, 30)
        except Exception:
            return None
        ops = {"<": d < 0, ">": d > 0, "<=": d <= 0, ">=": d >= 0, "==": d == 0, "!=": d != 0}
        return bool(ops[v.rel_op]), abs(d) / max(scale, 1)

    for i in range(80):
        if ctx.deadline.expired():
            break
        point = numeric.sample(names, rng, i, ctx.assume(names))
        ta, tb = truth(a, point), truth(b, point)
        if ta is None or tb is None:
            continue
        if ta[0] != tb[0] and min(ta[1], tb[1]) > 1e-12:
            return ctx.verdict(
                False,
                "not_equivalent",
                "Not correct: your relation does not hold on the same region as the expected one.",
                "relations",
            )
    return ctx.verdict(
        None, "undetermined", "I could not decide whether the relations agree.", "relations"
    )


def _as_set(v: Any, ctx: _Ctx) -> Any:
    sp = _sympy()
    if isinstance(v, sp.Set):
        return v
    if isinstance(v, (sp.core.relational.Relational, sp.And, sp.Or)):
        names = sorted(_free_names(v))
        if len(names) != 1:
            return None
        return _run("tutor.checking.symbolic:relation_to_set", (v, names[0]), ctx, "interval")
    if isinstance(v, sp.Expr) and v.is_number:
        return sp.FiniteSet(v)
    return None


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


_DISPATCH: dict[str, Callable[[Any, Any, _Ctx], Verdict]] = {
    "expression": stage_expression,
    "equation": stage_equation,
    "set": stage_set,
    "list": stage_list,
    "point": stage_list,
    "interval": stage_interval,
    "inequality": stage_interval,
    "number": stage_number,
    "antiderivative": stage_antiderivative,
}


def equivalent(a: Any, b: Any, *, variables: Any = None, timeout: float = 2.0) -> bool | None:
    """True/False when expressions ``a`` and ``b`` are provably equal/different, else None."""
    from .checking.equiv import equivalent as _equivalent

    return _equivalent(a, b, variables=variables, timeout=timeout)


from .core import callable_module  # noqa: E402

callable_module(__name__, check)
