"""Diagnosis: what went wrong (a restated question, a foreign letter, a sign, a factor, a
constant, a decimal for an exact value, a classic mistake of the task) and the form checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._budget import TIMEOUT, run_bounded
from ..core import DNE, Verdict
from .context import _as_rational, _Ctx, _free_names, _run, _sympy, _task_names
from .tolerance import _same_value


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
        from .values import Unreadable, read, to_value

        try:
            q = (
                read(question, ctx.variables, "expression").value
                if isinstance(question, str)
                else to_value(question)
            )
        except Unreadable:
            return None
        from .equiv import plain

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
        f"Your answer uses {names}, which {'do' if len(extra) > 1 else 'does'} not appear "
        "in this question.",
        "variables",
        variables=sorted(extra),
    )


def stage_diagnose(a: Any, b: Any, ctx: _Ctx, names: list[str]) -> Verdict | None:
    """Name the likely mistake of a wrong expression: sign, constant factor or constant."""
    sp = _sympy()
    from . import numeric

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
    from . import numeric
    from .values import has_decimal

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
            "tutor.check.symbolic:task_mistakes", (ctx.task,), ctx.deadline.left() / 2
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
    from .vectors import diagnose

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
    from .values import compare_values

    def same(u: Any, v: Any) -> bool | None:
        # values of any shape: DNE and the infinities are mistakes' answers too
        out = compare_values(u, v, names=None, deadline=ctx.deadline, domain=ctx.domain)
        return out.equal

    for m in _task_mistakes(ctx):
        if ctx.deadline.expired():
            return None
        try:
            if same(a, m.expr) is not True:
                continue
            if same(m.expr, b) is not False:
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
    """The requested written form (forms), tested on the tree, after the value."""
    if not ctx.form:
        return None
    if ctx.form not in _FORM_WORDS:
        return ctx.verdict(
            None, "unknown_kind", f"Unknown form {ctx.form!r}.", "form", forms=list(_FORM_WORDS)
        )
    if ctx.text:
        names = sorted(set(ctx.variables or ()) | _free_names(a)) or None
        args: tuple[Any, ...] = (ctx.text, names, ctx.form)
        ok = _run("tutor.check.forms:form_holds_text", args, ctx, "form")
    else:
        ok = _run("tutor.check.forms:form_holds", (a, ctx.form), ctx, "form")
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
