"""The work of ``tutor.check``: validate the options, read the expected answer and the
answer, and hand them to the module of the answer's kind (its ``KINDS`` table)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._budget import Deadline
from ..core import ANSWER_KINDS, Verdict
from . import antiderivative, choice, equation, expression, interval, lists, sets
from .context import _Ctx, _Undecided
from .options import CheckOptions
from .reading import _parse_error, _read_answer

__all__ = ["run", "equivalent"]

# kind -> (how the answer is read, or None for text; how it is compared), from the kind
# modules' own KINDS tables
_DISPATCH: dict[str, tuple[str | None, Callable[[Any, Any, _Ctx], Verdict]]] = {
    kind: entry
    for module in (expression, equation, sets, lists, interval, antiderivative, choice)
    for kind, entry in module.KINDS.items()
}


def run(answer: Any, expected: Any, given: dict[str, Any], options: dict[str, Any]) -> Verdict:
    """The body of ``tutor.check``: ``given`` holds its named arguments, ``options`` the rest."""
    base = options.pop("options", None)
    if base is not None:
        if not isinstance(base, CheckOptions):
            raise TypeError("options= must be a tutor.check.options.CheckOptions")
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
            {
                "kind": str(given["kind"]),
                "stage": "internal",
                "error": f"{type(exc).__name__}: {exc}",
            },
        )


def _check(answer: Any, expected: Any, ctx: _Ctx) -> Verdict:
    if ctx.kind not in ANSWER_KINDS:
        return ctx.verdict(
            None,
            "unknown_kind",
            f"Unknown kind of answer {ctx.kind!r}.",
            "setup",
            kinds=list(ANSWER_KINDS),
        )
    parse_kind, compare = _DISPATCH[ctx.kind]
    if parse_kind is None:  # choice: the text itself is compared
        return compare(answer, expected, ctx)
    from .values import Unreadable, read, to_value

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
    return compare(ans_val, exp_val, ctx)


def equivalent(a: Any, b: Any, *, variables: Any = None, timeout: float = 2.0) -> bool | None:
    """True/False when expressions ``a`` and ``b`` are provably equal/different, else None."""
    from .equiv import equivalent as _equivalent

    return _equivalent(a, b, variables=variables, timeout=timeout)
