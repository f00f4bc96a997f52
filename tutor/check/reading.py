"""How a student's answer is read: with the question's letters, with labels
(``x_1 = 1.6``, ``f_x = ...``) put in order, and parse errors turned into verdicts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..core import Verdict
from .context import _Ctx, _free_names, _sympy


def _names(variables: Any) -> list[str] | None:
    if variables is None:
        return None
    if isinstance(variables, str):
        variables = [v for v in re.split(r"[\s,]+", variables) if v]
    return [str(getattr(v, "name", v)) for v in variables]


def _read_answer(text: str, exp_val: Any, kind: str, ctx: _Ctx) -> Any:
    """Parse the answer with the question's variables; if a foreign variable makes it
    unreadable, read it freely so that the verdict can name the variable."""
    from .values import Unreadable, read

    labelled = _point_label(text, names_of(ctx, exp_val), kind)
    if labelled is not None:
        return labelled
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
        if free is not None:
            foreign = _free_names(_unlabelled(free.value)) - set(names)
            if len(foreign) <= 2 or all(_standalone(n, text) for n in foreign):
                return free
        raise


def _standalone(name: str, text: str) -> bool:
    """Whether the letter ``name`` is written on its own in ``text`` (v + w + x), not as part
    of a word (``cat`` read as c·a·t), where naming the letters would not help."""
    return re.search(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", text) is not None


def names_of(ctx: _Ctx, exp_val: Any) -> list[str] | None:
    """The letters an answer is read with: the question's and the expected answer's."""
    found = sorted(_free_names(exp_val))
    if ctx.variables is None:
        return found or None
    return sorted(set(ctx.variables) | set(found))


_POINT_LABEL = re.compile(
    r"^\s*\(\s*([A-Za-z]\w*(?:\s*,\s*[A-Za-z]\w*)+)\s*\)\s*=(?![=<>])(.*)$", re.S
)


def _point_label(text: str, names: list[str] | None, kind: str) -> Any:
    """``(p, q) = (3, 2)`` for a point or list: read as the labelled ``p = 3, q = 2``
    (``_labels`` then orders and notes the labels); None when the text is not so written."""
    from .values import Read, Unreadable, read

    if kind not in ("point", "list"):
        return None
    m = _POINT_LABEL.match(text or "")
    if m is None:
        return None
    labels = [s.strip() for s in m.group(1).split(",")]
    try:
        got = read(m.group(2), names, kind)
    except Unreadable:
        return None
    sp = _sympy()
    v = got.value
    if not isinstance(v, (tuple, sp.Tuple)) or len(v) != len(labels):
        return None
    pairs = tuple(sp.Eq(sp.Symbol(n), x, evaluate=False) for n, x in zip(labels, v))
    return Read(pairs, got.notes, text)


# a label before a single value: a name (k =), a function call (f(x) =), a length (|AB| =)
_VALUE_LABEL = re.compile(
    r"^\s*(?P<label>\|\s*[A-Za-z][A-Za-z0-9_]*\s*\||[A-Za-z][A-Za-z0-9_']*"
    r"(?:\s*\(\s*[A-Za-z0-9_,\s]*\))?)\s*=(?![=<>])"
)


def _value_label(a: Any, b: Any, ctx: _Ctx) -> tuple[Any, Verdict | None]:
    """A single value written with a label (``k = 1/3``, ``f(x) = 1``, ``|AB| = 1``): the
    value, with the label noted.  With a declared label (``label=`` option) the label must
    be it, else the verdict is ``wrong_label``; with none, a bare name must not be a letter
    of the expected answer (``x = x^2`` is an equation, not a label)."""
    from .values import Unreadable, read

    sp = _sympy()
    if not (isinstance(a, sp.Equality) and isinstance(b, sp.Expr)):
        return a, None
    text = _as_typed(ctx.text or "")
    m = _VALUE_LABEL.match(text)
    if m is None or text.count("=") != 1 or re.search(r"[<>]", text):
        return a, None
    label = re.sub(r"\s+", "", m.group("label"))
    declared = ctx.opts.label if ctx.opts is not None else None
    bare = re.fullmatch(r"[A-Za-z][A-Za-z0-9_']*", label) is not None
    head = re.match(r"\|?([A-Za-z][A-Za-z0-9_']*)", label)
    head_name = head.group(1) if head else label
    if declared is not None:
        if label != re.sub(r"\s+", "", declared):
            return a, ctx.verdict(
                False,
                "wrong_label",
                f"Your answer is labelled {label}, but the question asks for {declared}.",
                "labels",
                labels=[label],
                asked=declared,
            )
    elif bare:
        letters = _free_names(b) | (set(ctx.variables or ()) if ctx.kind != "number" else set())
        if label in letters:
            return a, None
    elif head_name in _free_names(b):
        return a, None
    try:
        got = read(text[m.end() :], names_of(ctx, b), ctx.kind)
    except Unreadable:
        return a, None
    value = got.value
    if not isinstance(value, sp.Expr) or (bare and label in _free_names(value)):
        return a, None  # x = x + 1 is an equation
    ctx.notes = [*got.notes, f"took {label} = ... as a label naming the answer"]
    return value, None


def _as_typed(text: str) -> str:
    """LaTeX (``$k = \\frac{1}{3}$``) in the parser's own syntax, so that a label is seen
    the same way however the answer was typed; other text as it is."""
    from ..parse import ParseError
    from ..parse.latex import translate

    try:
        tr = translate(text)
    except ParseError:
        return text
    return text if tr is None else tr.text


def _unlabelled(v: Any) -> Any:
    """``v`` without the labels of ``x_1 = 1.6, x_2 = 1.28`` (only the values)."""
    sp = _sympy()
    if isinstance(v, tuple) and v and all(isinstance(t, sp.Equality) for t in v):
        if all(t.lhs.is_Symbol for t in v):
            return tuple(t.rhs for t in v)
    return v


_INDEXED = re.compile(r"^[A-Za-z]+_?\{?(\d+)\}?$")
_PARTIAL = re.compile(r"^[A-Za-z]+_\{?([A-Za-z]+)\}?$")


def key_labels(b: Any) -> list[str] | None:
    """The labels of a labelled expected list (``x = -5, p = 14/3``): distinct names, none
    used in a value; None for anything else (then ``x = 1, x = 2`` stays as it is)."""
    sp = _sympy()
    if not (isinstance(b, tuple) and b and all(isinstance(t, sp.Equality) for t in b)):
        return None
    if not all(t.lhs.is_Symbol for t in b):
        return None
    labels = [t.lhs.name for t in b]
    if len(set(labels)) != len(labels) or set(labels) & _free_names(tuple(t.rhs for t in b)):
        return None
    return labels


def _labels(
    a: Any, ctx: _Ctx, names: Sequence[str], order: Sequence[str] | None = None
) -> tuple[Any, Verdict | None]:
    """A list or point written with labels (``x_1 = 1.6, x_2 = 1.28``; ``x = 1, y = 1``;
    ``f_x = ..., f_y = ...``): the values, put in the labels' order, with the labels noted.
    A label that names no asked quantity is a diagnosis (``wrong_label``).  ``order`` is
    the expected answer's own labels, when it has them."""
    sp = _sympy()
    if not (isinstance(a, tuple) and a and all(isinstance(t, sp.Equality) for t in a)):
        return a, None
    if not all(t.lhs.is_Symbol for t in a):
        return a, None
    labels = [t.lhs.name for t in a]
    order = list(order or ctx.variables or names)
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
