"""What every renderer shares: the words for rules, and what line of maths a step shows.

Renderers differ only in how they format maths, text and tables; the structure of a
worked solution (numbered steps, sub-steps, the answer) is decided here once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..core import Step, Table, Task, format_explanation

# Rule ids whose words are not just the id with spaces.
RULE_TITLES: dict[str, str] = {
    "cas": "Computed by the computer algebra system",
    "lhopital": "L'Hôpital's rule",
    "chain_rule": "Chain rule",
    "ln_rule": "Logarithm rule",
    "log_rule": "Logarithm rule",
    "exp_rule": "Exponential rule",
    "sqrt_rule": "Square-root rule",
    "abs_rule": "Absolute-value rule",
    "trig_rule": "Trigonometric rule",
    "inverse_trig_rule": "Inverse-trigonometric rule",
    "hessian_test": "Hessian test",
    "lagrange_multiplier": "Lagrange multiplier",
    "l1_penalty": "L1 penalty",
    "l2_penalty": "L2 penalty",
    "mse": "Mean squared error",
    "mae": "Mean absolute error",
    "bce": "Binary cross-entropy",
    "softmax_ce": "Softmax cross-entropy",
    "sigmoid_bce_gradient": "Sigmoid BCE gradient",
    "softmax_ce_gradient": "Softmax cross-entropy gradient",
    "rationalise": "Rationalise with the conjugate",
    "tidy_up": "Tidy up",
    "exact_cap": "Exact arithmetic stops",
    "one_sided": "One-sided limits",
    "point_slope_form": "Point-slope form",
    "cancel_h": "Cancel h",
    "sides_differ": "The two sides differ",
    "simplify": "Tidy up",
}

# Task kinds whose steps are derivatives: a step shows d/dx[before] = after.
DERIVATIVE_KINDS = {"derivative", "implicit_derivative", "directional_derivative", "gradient"}


def rule_title(rule: str) -> str:
    """The rule id in words: ``"power_rule"`` → ``"Power rule"``."""
    if rule in RULE_TITLES:
        return RULE_TITLES[rule]
    words = rule.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def fill(
    template: str,
    data: Any,
    math: Callable[[Any], str],
    text: Callable[[str], str] = str,
) -> str:
    """A template's ``{placeholders}`` set by ``math`` and the words around them by ``text``
    (each format's escaping), so that neither can spoil the other."""
    marks: list[str] = []

    def mark(value: Any) -> str:
        marks.append(math(value))
        return f"\x00{len(marks) - 1}\x00"

    parts = format_explanation(template, data, mark).split("\x00")
    return "".join(marks[int(p)] if i % 2 else text(p) for i, p in enumerate(parts))


# ``x_0``, ``p_i``, ``η_max``, ``a_(k−1)``, ``lim_(x→−2)`` in plain words: a short name, an
# underscore and a short index (bracketed, or up to four letters and digits); and powers
# ``x^2``, ``(Σx)^2``, ``d^2L``.  Longer snake_case words are left alone.
_SUBSCRIPT = re.compile(
    r"(?<![\w])(lim|(?:[A-Za-zÀ-ɏα-ωΑ-Ω][\u0300-\u036f]?){1,3})_"
    r"(\([^()\s]{1,24}\)|[A-Za-z0-9α-ω]{1,4})(?![\w(])"
)
_POWER = re.compile(r"(?<=[\w)\]])\^(\([^()\s]{1,12}\)|[0-9]{1,2}|[A-Za-z](?![\w]))")


def subscripts(
    text: str,
    plain: Callable[[str], str],
    sub: Callable[[str, str], str],
    sup: Callable[[str], str] | None = None,
) -> str:
    """Plain words with their ``name_index`` written as subscripts (and, given ``sup``,
    their ``^2`` as superscripts).

    Prompts and table headers are words, but the course writes indices in them the way
    it writes them on the board (``x_0``, ``η_max``, ``Σx^2``); ``plain`` escapes the words,
    ``sub(base, index)`` sets one subscript and ``sup(power)`` one power (both given
    escaped text), so no format prints an underscore or caret meant as notation."""
    out: list[str] = []
    at = 0
    for m in _SUBSCRIPT.finditer(text):
        index = m.group(2)
        if index.startswith("("):
            index = index[1:-1]
        glued = at > 0 and at == m.start()  # "f_xy^2": the power follows a subscript
        out += [
            _powers(text[at : m.start()], plain, sup, glued),
            sub(plain(m.group(1)), plain(index)),
        ]
        at = m.end()
    out.append(_powers(text[at:], plain, sup, at > 0))
    return "".join(out)


def _powers(
    text: str, plain: Callable[[str], str], sup: Callable[[str], str] | None, glued: bool
) -> str:
    if sup is None:
        return plain(text)
    out: list[str] = []
    at = 0
    # after a subscript, a power may open the text: the lookbehind cannot see the index
    matches = list(_POWER.finditer("x" + text if glued else text))
    if glued:
        text = "x" + text
        out.append("")
        at = 1
    for m in matches:
        power = m.group(1)
        if power.startswith("("):
            power = power[1:-1]
        out += [plain(text[at : m.start()]), sup(plain(power))]
        at = m.end()
    out.append(plain(text[at:]))
    return "".join(out)


def statement(task: Task, math: Callable[[Any], str], text: Callable[[str], str] = str) -> str:
    """The task's statement, filled (see ``fill``)."""
    return fill(task.statement, task.params, math, text)


def explanation(step: Step, math: Callable[[Any], str], text: Callable[[str], str] = str) -> str:
    """The step's explanation, filled (see ``fill``)."""
    return fill(step.explanation, step.data, math, text)


def display(step: Step, task: Task) -> list[Any]:
    """What the step shows below its title: maths objects, Tables, in order.

    An engine may choose with ``data["show"]`` (one object or a list); otherwise a
    derivative step shows ``d/dx[before] = after`` and any other step ``before → after``.
    """
    if "show" in step.data:
        shown = step.data["show"]
        return list(shown) if isinstance(shown, list) else [shown]
    out: list[Any] = []
    before, after = step.before, step.after
    if isinstance(before, Table):
        out.append(before)
        before = None
    if isinstance(after, Table):
        tables = [after]
        after = None
    else:
        tables = []
    if before is not None and after is not None:
        wrt = _wrt(step, task)
        if wrt is not None and _is_expr(before):
            import sympy

            out.append(sympy.Eq(sympy.Derivative(before, wrt), after, evaluate=False))
        else:
            out.append(Arrow(before, after))
    elif before is not None:
        out.append(before)
    elif after is not None:
        out.append(after)
    table = step.data.get("table")
    if isinstance(table, Table) and table not in tables and table is not step.before:
        tables.append(table)
    return out + tables


class Arrow:
    """``before → after`` in a step (rewrites, substitutions, results)."""

    def __init__(self, before: Any, after: Any) -> None:
        self.before = before
        self.after = after


def _wrt(step: Step, task: Task) -> Any:
    """The variable a derivative step differentiates by (``data["wrt"]``, or the task's
    for derivative tasks), or None for other steps."""
    wrt = step.data.get("wrt")
    if wrt is None and task.kind in DERIVATIVE_KINDS:
        wrt = task.params.get("wrt")
    return wrt if _is_symbol(wrt) else None


def _is_symbol(obj: Any) -> bool:
    return getattr(obj, "is_Symbol", False) is True


def _is_expr(obj: Any) -> bool:
    import sympy

    return isinstance(obj, sympy.Expr)


def numbered(steps: tuple[Step, ...], prefix: str = "") -> list[tuple[str, int, Step]]:
    """Steps with their numbers (``"2.1"``) and depth, depth first."""
    out: list[tuple[str, int, Step]] = []
    for i, s in enumerate(steps, 1):
        num = f"{prefix}{i}"
        out.append((num, num.count("."), s))
        out.extend(numbered(s.substeps, num + "."))
    return out
