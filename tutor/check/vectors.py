"""What is wrong with a wrong vector of numbers: every sign flipped, every entry scaled by
one factor, rounded, put in another order, or some entries wrong (and which).

The checker asks this after the entries have been compared one by one and some were wrong;
the words depend on the task (a gradient with every sign flipped is −∇L, the direction a step
moves), so that the student hears what a teaching assistant would say.
"""

from __future__ import annotations

from typing import Any

import sympy

from ..core import as_sympy

__all__ = ["diagnose"]

_FLIPPED = {
    "backprop": "Every sign is flipped: that is −∇L, the direction a step moves. The gradient "
    "itself points uphill, towards a larger loss.",
    "loss": "Every sign is flipped: the gradient of the loss is prediction minus target, not "
    "target minus prediction.",
    "gradient_descent": "Every sign is flipped: check the signs of the coordinates after the "
    "update.",
}


def diagnose(
    answer: list[Any], expected: list[Any], task_kind: str | None = None
) -> tuple[str, str, dict[str, Any]] | None:
    """(code, feedback, details) for a wrong vector of numbers, or None when no pattern fits
    (some entries are not plain numbers, or the lengths differ)."""
    a, b = _numbers(answer), _numbers(expected)
    if a is None or b is None or len(a) != len(b) or len(a) < 2:
        return None
    if any(x != 0 for x in b) and all(x == -y for x, y in zip(a, b)):
        said = _FLIPPED.get(task_kind or "", "Every sign is flipped; the sizes are right.")
        return "signs_flipped", said, {}
    if _rounded(answer, a, b):
        return (
            "not_exact",
            "Close, but those are rounded decimals: give the exact values (fractions).",
            {},
        )
    factor = _common_factor(a, b)
    if factor is not None:
        return "scaled", _scaled_words(factor, task_kind), {"factor": str(factor)}
    if sorted(a, key=float) == sorted(b, key=float) and a != b:
        return "wrong_order", "The right values, but in the wrong order.", {}
    wrong = [i + 1 for i, (x, y) in enumerate(zip(a, b)) if x != y]
    if len(wrong) < len(a):
        which = ", ".join(map(str, wrong))
        entries = "entry" if len(wrong) == 1 else "entries"
        said = f"Not correct: {entries} {which} {'is' if len(wrong) == 1 else 'are'} wrong; the others are right."
        return "some_entries_wrong", said, {"wrong_positions": wrong}
    return None


def _numbers(values: list[Any]) -> list[Any] | None:
    out = []
    for v in values:
        try:
            x = as_sympy(v)
        except (TypeError, ValueError, sympy.SympifyError):
            return None
        if not (x.is_number and x.is_real and x.is_finite):
            return None
        out.append(x)
    return out


def _rounded(raw: list[Any], a: list[Any], b: list[Any]) -> bool:
    """Decimals (read exactly: 0.67 is 67/100) that agree with the exact values to about the
    places they were written with, where the exact values are not such decimals."""

    def decimal(x: Any) -> bool:
        if isinstance(x, sympy.Float):
            return True
        q = sympy.Rational(x) if x.is_Rational else None
        return q is not None and q.q > 1 and all(p in (2, 5) for p in sympy.factorint(q.q))

    off = [(x, y) for x, y in zip(a, b) if x != y]  # entries typed exactly are not rounded
    if not off or not all(decimal(x) for x, _ in off) or any(decimal(y) for _, y in off):
        return False
    return all(abs(float(x) - float(y)) <= 0.005 * max(1.0, abs(float(y))) for x, y in off)


def _common_factor(a: list[Any], b: list[Any]) -> Any | None:
    """The one factor c with a = c·b (c ≠ ±1, at least two nonzero entries), else None."""
    ratios = set()
    nonzero = 0
    for x, y in zip(a, b):
        if y == 0:
            if x != 0:
                return None
            continue
        nonzero += 1
        ratios.add(sympy.nsimplify(x / y))
    if nonzero < 2 or len(ratios) != 1:
        return None
    (c,) = ratios
    return None if c in (1, -1, 0) else c


def _scaled_words(c: Any, task_kind: str | None) -> str:
    if c == sympy.Rational(1, 2):
        return (
            "Each entry is half the right one: a factor of 2 is missing (the power rule brings "
            "the 2 of a square down)."
        )
    if c == 2:
        return "Each entry is twice the right one: check for a factor of 2 counted twice."
    if c == -1:
        return "Every sign is flipped."
    if task_kind == "loss" and c.is_Integer:
        return (
            f"Each entry is {c} times the right one: that is the gradient of the sum; the mean's "
            "gradient divides by n."
        )
    return f"Each entry is {c} times the right one: the direction is right, the size is not."
