"""Composite functions worked from the inside out, as a teacher writes them.

At a point every value put in is shown: ``g(2) = 2² + 1 = 5``, ``f(5) = 3·5 − 1 = 14``,
and the line the answer reads, ``f(g(2)) = f(5) = 14``.  As a formula, the inner function
is put in place of x in the outer one before anything is multiplied out:
``f(g(x)) = f(x² + 1) = 3(x² + 1) − 1 = 3x² + 2``.
"""

from __future__ import annotations

from typing import Any

import sympy

from ...core import Solution, Step, Task
from ...substitute import put_in_place, written
from ._common import pick_variables, to_expr, to_number

__all__ = ["composition"]


def composition(f: Any, g: Any, h: Any = None, at: Any = None) -> Solution:
    """f(g(x)) (or f(g(h(x))) with ``h``), or its value at ``at``, from the inside out.

    Answer: the composite as an expression in x, or its value at ``at``."""
    fs = [to_expr(e) for e in (f, g, h) if e is not None]
    xs = {v for e in fs for v in e.free_symbols}
    if len(xs) > 1:
        raise ValueError("the functions must be in one variable")
    (x,) = tuple(xs) or pick_variables(fs[0])[:1]
    names = [sympy.Function(n) for n in "fgh"[: len(fs)]]
    inner_first = list(zip(names, fs))[::-1]  # h, then g, then f
    steps: list[Step] = []
    if at is not None:
        a = to_number(at)
        value: Any = a
        for name, fn in inner_first:
            new = sympy.simplify(fn.subs(x, value))
            if not (new.is_real and new.is_finite):
                raise ValueError(f"{name}({value}) is not a real number: outside the domain")
            steps.append(
                Step(
                    "evaluate",
                    fn,
                    new,
                    "Put {c} into {name}: {name}({c}) = {v}.",
                    data={
                        "c": value,
                        "v": new,
                        "name": sympy.Symbol(str(name)),
                        "chain": (name(value), written(fn, x, value), new),
                    },
                )
            )
            value = new
        # f(g(2)) = f(5) = 14: each value put in shown in the nest
        nest: Any = a
        lines = []
        for name, _ in inner_first:
            nest = name(nest)
        lines.append(nest)
        vals = [s.after for s in steps]
        for k in range(len(names) - 1):
            outer: Any = vals[k]
            for name, _ in inner_first[k + 1 :]:
                outer = name(outer)
            lines.append(outer)
        lines.append(value)
        steps.append(
            Step(
                "composition",
                steps[0].before,
                value,
                "Inside out, each output is the next input.",
                data={"chain": tuple(lines)},
            )
        )
        answer = value
        statement = "Find {target} for {given}."
    else:
        current: Any = x
        shown: Any = x
        for name, fn in inner_first:
            written_in = put_in_place(fn, x, shown) if shown != x else fn
            new = sympy.expand(fn.subs(x, current))
            chain = [name(shown)] if shown != x else [name(x)]
            chain += [written_in] if shown != x else []
            if new != chain[-1]:  # structurally: −4·4x² − 1 is not yet −16x² − 1
                chain.append(new)
            steps.append(
                Step(
                    "compose",
                    fn,
                    new,
                    "Put {inner} in place of x in {name}.",
                    data={"inner": shown, "name": sympy.Symbol(str(name)), "chain": tuple(chain)},
                )
            )
            current = shown = new
        answer = current
        statement = "Write {target} as a formula in x, for {given}."
    target: Any = x if at is None else to_number(at)
    for name in names[::-1]:
        target = name(target)
    eqs = {f"{n}_is": sympy.Eq(n(x), fn, evaluate=False) for n, fn in zip(names, fs)}
    said = ", ".join("{" + k + "}" for k in list(eqs)[:-1]) + " and {" + list(eqs)[-1] + "}"
    params = {"f": fs[0], "g": fs[1], "h": fs[2] if len(fs) > 2 else x, "at": at}
    task = Task(
        "composition",
        {**params, "target": target, **eqs},
        statement.replace("{given}", said),
    )
    return Solution(task, steps, answer)
