"""What every renderer shares: the words for rules, and what line of maths a step shows.

Renderers differ only in how they format maths, text and tables; the structure of a
worked solution (numbered steps, sub-steps, the answer) is decided here once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..core import Step, Table, Task, format_explanation
from ..steps import registry

# Task kinds whose steps are derivatives: a step shows d/dx[before] = after.
DERIVATIVE_KINDS = {"derivative", "implicit_derivative", "directional_derivative", "gradient"}


def rule_title(rule: str) -> str:
    """The rule's title from the registry: ``"power_rule"`` → ``"Power rule"``."""
    return registry.title(rule)


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
    """The step's explanation, filled (see ``fill``) with readable values (``readable``)."""
    data = {k: readable(v) for k, v in step.data.items()}
    return fill(step.explanation, data, math, text)


def display(step: Step, task: Task) -> list[Any]:
    """What the step shows below its title: maths objects, Tables, in order.

    An engine may choose with ``data["show"]`` (one object or a list); otherwise a
    derivative step shows ``d/dx[before] = after`` and any other step ``before → after``.
    """
    chain = step.data.get("chain")
    chains = chain if isinstance(chain, list) else [chain]
    if all(_chain(c) for c in chains):
        # an engine's chain of equalities (y = 7 − 2(x + 1) = 5 − 2x), written with =, or
        # several (f(a) = … and f(b) = …, one line each); a link that changes nothing
        # (x₁ = 0: 8 − 10x/3 = 8 − 10x/3) is written once
        from .mathtext import math_text

        out = []
        for c in chains:
            # as read: −4·4x² − 1 and −16x² − 1 are two lines though sympy's str is one
            said = [math_text(p) for p in c]
            parts = [p for i, p in enumerate(c) if i == 0 or said[i - 1] != said[i]]
            out.append(Arrow(parts[0], parts[-1], "=", parts))
        return out
    if "show" in step.data:
        shown = step.data["show"]
        shown = list(shown) if isinstance(shown, list) else [shown]
        return [rounded(o) if isinstance(o, Table) else o for o in shown]
    out: list[Any] = []
    if step.rule == "gradient" and _vector(step.after):
        import sympy

        # the vector of partial derivatives is the gradient: ∇f = (…), not f → (…)
        name = step.data.get("name", "f")
        return [sympy.Eq(sympy.Symbol("∇" + name), sympy.Tuple(*step.after), evaluate=False)]
    if step.rule == "gradient" and _is_expr(step.before) and _is_expr(step.after):
        import sympy

        free = step.before.free_symbols
        if len(free) == 1:
            # one variable: the gradient is the derivative, d/dx [f] = f′, not f → f′
            (var,) = free
            return [Arrow(sympy.Derivative(step.before, var), step.after, "=")]
    if step.rule == "hessian" and getattr(step.after, "is_Matrix", False):
        import sympy

        return [sympy.Eq(sympy.Symbol("H"), step.after, evaluate=False)]  # H = […], not f → […]
    before, after = readable(step.before, task), readable(step.after, task)
    unknowns = step.data.get("unknowns")
    if _vector(unknowns) and _vector(after) and len(unknowns) == len(after):
        import sympy

        # a system's one solution names its unknowns: (x, y) = (4, −2), not a bare point
        after = sympy.Eq(sympy.Tuple(*unknowns), sympy.Tuple(*after), evaluate=False)
    if _is_id(before):  # an engine's id ("unscaled_features") is data, never shown
        before = None
    if _is_id(after):
        after = None
    if isinstance(before, Table):
        out.append(before)
        before = None
    if isinstance(after, Table):
        tables = [after]
        after = None
        before = None  # the words name what the table is made from; a lone line is not maths
    else:
        tables = []
    if type(after).__name__ == "_DoesNotExist" and type(before).__name__ == "Limit":
        # "lim … = does not exist" is no equation and a lone "lim …" states nothing: the
        # board writes the one-sided limits the engine found, then "lim … does not exist"
        return _no_limit(step, before)
    if before is not None and after is not None:
        wrt = _wrt(step, task)
        var = _differentiated(step, task) if wrt is None else None
        if var is not None:
            import sympy

            lines = [sympy.Derivative(before, (var, step.data.get("order", 1))), after]
            if _is_expr(step.data.get("d")):
                lines.insert(0, step.data["d"])
            lines[-1:-1] = _rule_form(step)
            out.append(Arrow(lines[0], lines[-1], "=", lines))
        elif wrt is not None and _is_expr(before):
            import sympy

            lines = [sympy.Derivative(before, wrt), *_rule_form(step), after]
            if len(lines) > 2:
                out.append(Arrow(lines[0], lines[-1], "=", lines))
            else:
                out.append(sympy.Eq(lines[0], after, evaluate=False))
        else:
            keeps = _keeps_value(step, task) or _is_limit_value(before, after)
            out.append(Arrow(before, after, "=" if keeps else "→"))
    elif before is not None:
        out.append(before)
    elif after is not None:
        out.append(after)
    out = [Code(o) if isinstance(o, str) and "\n" in o.strip() else o for o in out]
    table = step.data.get("table")
    if isinstance(table, Table) and table not in tables and table is not step.before:
        tables.append(table)
    out = [rounded(o) if isinstance(o, Table) else o for o in out]
    return out + [rounded(t) for t in tables]


def _rule_form(step: Step) -> list[Any]:
    """The rule's own form of the derivative, when the engine gives it (``rewrite``: the
    quotient rule's (f′g − fg′)/g²) and it is not yet the result: the line writes it,
    then the tidied result, so the working never jumps from the rule to the answer."""
    from .mathtext import math_text

    form = step.data.get("rewrite")
    if not _is_expr(form) or math_text(form) == math_text(step.after):
        return []
    return [form]


def _no_limit(step: Step, lim: Any) -> list[Any]:
    """The lines of a limit that does not exist: each one-sided limit with its value when
    no line above wrote it (the engine's ``sides``, from a sign chart), then
    ``lim … does not exist``."""
    import sympy

    from .mathtext import DoesNotExist

    f, x, a, _ = lim.args
    out: list[Any] = []
    sides = step.data.get("sides")
    for side in ("-", "+"):
        v = sides.get(side) if isinstance(sides, dict) else None
        if isinstance(v, sympy.Expr) and not a.is_infinite:
            out.append(Arrow(sympy.Limit(f, x, a, side), v, "="))
    whole = lim if str(lim.args[3]) == "+-" or a.is_infinite else sympy.Limit(f, x, a, "+-")
    return out + [DoesNotExist(whole)]


def _vector(obj: Any) -> bool:
    """A tuple (or sympy Tuple) of two or more expressions: a gradient's components."""
    import sympy

    return (
        isinstance(obj, (tuple, sympy.Tuple))
        and len(obj) > 1
        and all(isinstance(v, sympy.Expr) for v in obj)
    )


def _chain(chain: Any) -> bool:
    """A chain of equalities an engine gives: a tuple of two or more expressions."""
    return isinstance(chain, tuple) and len(chain) > 1 and all(_is_expr(p) for p in chain)


SIGNIFICANT = 6  # figures a table shows of a long exact fraction
LONG_FRACTION = 8  # digits of p and q beyond which a table cell shows a decimal


def _long(value: Any) -> bool:
    import sympy

    if isinstance(value, (tuple, sympy.Tuple)):
        return any(_long(v) for v in value)
    if not isinstance(value, sympy.Rational) or value.q == 1:
        return False
    return len(str(abs(value.p))) + len(str(value.q)) > LONG_FRACTION


def _decimal(value: Any) -> Any:
    """A long fraction as a decimal to SIGNIFICANT figures (a tuple cell entry by entry)."""
    import sympy

    if isinstance(value, (tuple, sympy.Tuple)):
        return tuple(_decimal(v) for v in value)
    if not _long(value):
        return value
    text = f"{float(value):.{SIGNIFICANT}g}"
    return sympy.Float(text, SIGNIFICANT)


def rounded(table: Table) -> Table:
    """``table`` as a board shows it: an exact fraction too long to read at a glance
    (``561441/10000``) is a decimal to SIGNIFICANT figures (``56.14``), and the caption
    says so; the engine's table keeps the exact values (``verify`` reads those)."""
    if not any(_long(c) for row in table.rows for c in row):
        return table
    rows = [[_decimal(c) for c in r] for r in table.rows]
    note = f"Long fractions are rounded to {SIGNIFICANT} significant figures."
    caption = f"{table.caption} {note}" if table.caption else note
    return Table(table.headers, rows, caption)


def readable(value: Any, task: Task | None = None) -> Any:
    """An engine's value as the mathematics a student reads: a one-element tuple or list is
    its element, conditions or equations are joined by "and", and (point, kind) records
    are grouped by kind, ``minimum: x = 1``."""
    import sympy

    if isinstance(value, (tuple, list)) and not isinstance(value, Table):
        if len(value) == 1:
            return readable(value[0], task)
        if all(isinstance(v, sympy.core.relational.Relational) for v in value):
            return sympy.And(*value, evaluate=False)  # a system: eq₁ and eq₂, not a tuple
        if len(value) == 2 and isinstance(value[1], str) and not isinstance(value[0], str):
            value = [tuple(value)]  # one (point, kind) record
        if value and all(
            isinstance(v, tuple) and len(v) == 2 and isinstance(v[1], str) for v in value
        ):
            kinds: dict[str, list[Any]] = {}
            for point, kind in value:
                kinds.setdefault(kind, []).append(point)
            var = _variable(task)
            out: dict[str, Any] = {}
            for kind, points in kinds.items():
                if len(points) > 1:
                    out[kind] = sympy.FiniteSet(*points) if _all_numbers(points) else points
                elif var is not None and _all_numbers(points):
                    out[kind] = sympy.Eq(var, points[0], evaluate=False)
                else:
                    out[kind] = points[0]
            return out
        if len(value) > 1 and all(isinstance(v, tuple) and len(v) > 1 for v in value):
            return list(value)  # several points: (1, −34), (4, 11), not ((1, −34), (4, 11))
    return value


def shown_answer(sol: Any) -> Any:
    """The answer line's mathematics: the engine's record read as maths (``readable``), a
    global extreme ``(value, (x, …))`` as ``f(x) = value``, never the record itself."""
    import sympy

    value = sol.answer
    if sol.task.kind == "global_extrema" and isinstance(value, dict):
        f = sympy.Function("f")
        out: dict[str, Any] = {}
        for kind, rec in value.items():
            if isinstance(rec, tuple) and len(rec) == 2 and isinstance(rec[1], tuple):
                eqs = [sympy.Eq(f(c), rec[0], evaluate=False) for c in rec[1]]
                out[kind] = eqs[0] if len(eqs) == 1 else sympy.And(*eqs, evaluate=False)
            else:
                out[kind] = rec
        return out
    return readable(value, sol.task)


def _all_numbers(points: list[Any]) -> bool:
    import sympy

    return all(isinstance(p, (int, sympy.Expr)) and not isinstance(p, bool) for p in points)


def _variable(task: Task | None) -> Any:
    """The one variable of a task's function, or None."""
    if task is None:
        return None
    var = task.params.get("var", task.params.get("wrt"))
    if _is_symbol(var):
        return var
    f = task.params.get("f", task.params.get("expr"))
    free = getattr(f, "free_symbols", set())
    return next(iter(free)) if len(free) == 1 else None


def _is_limit_value(before: Any, after: Any) -> bool:
    """A limit written with its value, ``lim … = L`` (±∞ included), never ``lim … → L``."""
    import sympy

    return type(before).__name__ == "Limit" and isinstance(after, sympy.Expr)


class Code(str):
    """Lines of program code in a step (a lab's reference loop): set in a monospace block
    that keeps its indentation, never as maths."""


class Arrow:
    """``before → after`` in a step (rewrites, substitutions, results); with ``sign="="``
    a chain of equalities ``parts[0] = parts[1] = …`` (a rewrite that keeps the value)."""

    def __init__(self, before: Any, after: Any, sign: str = "→", parts: Any = None) -> None:
        self.before = before
        self.after = after
        self.sign = sign
        self.parts = list(parts) if parts is not None else [before, after]


def _wrt(step: Step, task: Task) -> Any:
    """The variable a derivative step differentiates by (``data["wrt"]``, or the task's
    for derivative tasks), or None for other steps."""
    wrt = step.data.get("wrt")
    if wrt is None and task.kind in DERIVATIVE_KINDS:
        wrt = task.params.get("wrt")
    return wrt if _is_symbol(wrt) else None


def _differentiated(step: Step, task: Task) -> Any:
    """The variable of a ``derivative`` step outside derivative tasks (``f ↦ f′`` inside an
    analysis), so that it reads ``f′(x) = d/dx […] = …``; None when there is not one."""
    rule = registry.RULES.get(step.rule)
    if rule is None or rule.claims != "derivative" or not _is_expr(step.before):
        return None
    if not _is_expr(step.after) or not isinstance(step.data.get("order", 1), int):
        return None
    free = step.before.free_symbols
    var = _variable(task)
    if var is None or free - {var}:
        var = next(iter(free)) if len(free) == 1 else None
    return var


def _is_id(obj: Any) -> bool:
    return isinstance(obj, str) and re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", obj) is not None


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


def _keeps_value(step: Step, task: Task) -> bool:
    """True when the step's rule claims its before and after are equal (an equality, or a
    limit rewrite between limits), so the board writes ``=`` and not an arrow."""
    claims = registry.RULES[step.rule].claims if step.rule in registry.RULES else ""
    if claims == "equality":
        return _is_expr(step.before) and _is_expr(step.after)
    if claims == "limit":
        return type(step.before).__name__ == "Limit"
    return False


# -- boards: the same tree folded by the printer at a level of detail -----------------------

DETAILS = ("brief", "standard", "full")


def board(sol: Any, detail: str = "standard") -> tuple[Step, ...]:
    """The steps a printer shows at ``detail`` (see DETAILS), folded from ``sol.steps``.

    ``full`` is the engine's tree.  ``standard`` is one line per idea: steps whose before
    equals their after are gone (their sub-steps stay), trivial rules (constants,
    identities, constant multiples, tidying) inside a step fold into the line that uses
    them, and a title repeated at the head of the words is said once.  ``brief`` is an
    answer key with working: a derivative as one chain of equalities with the rules named
    beside it, other solutions as their top-level lines with consecutive rewrites chained
    by ``=``."""
    if detail not in DETAILS:
        raise ValueError(f"detail must be one of {', '.join(DETAILS)}, not {detail!r}")
    if detail == "full":
        return tuple(sol.steps)
    steps = _standard(tuple(sol.steps), 0, sol.task)
    if not steps:
        steps = tuple(sol.steps)
    if detail == "standard":
        return steps
    return _brief(sol, steps)


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None or isinstance(a, Table) or isinstance(b, Table):
        return False
    try:
        return bool(a == b) or str(a) == str(b)
    except Exception:  # noqa: BLE001 - incomparable values are different
        return False


def _standard(steps: tuple[Step, ...], depth: int, task: Task) -> tuple[Step, ...]:
    out: list[Step] = []
    for s in steps:
        subs = _standard(s.substeps, depth + 1, task)
        claims = registry.RULES[s.rule].claims if s.rule in registry.RULES else ""
        idle = (
            _same(s.before, s.after)
            and "show" not in s.data
            and not isinstance(s.data.get("table"), Table)
            and claims != "derivative"  # d/dx eˣ = eˣ says something
        )
        fold = depth > 0 and (
            s.rule in registry.TRIVIAL or s.rule == "constant_multiple" or _constant_slope(s, subs)
        )
        if s.rule == "read_answer" and depth == 0:
            continue  # the answer line says it, without the engine's whole record
        if idle or fold:
            out.extend(subs)
            continue
        subs = tuple(x for c in subs for x in (c.substeps if _repeats(c, s, task) else (c,)))
        out.append(_retitled(s, subs))
    return tuple(out)


def _constant_slope(s: Step, subs: tuple[Step, ...]) -> bool:
    """A derivative that is a plain number (d/dx (4x − 3) = 4) with nothing left under it:
    the line that uses it shows the number, so it needs no line of its own."""
    claims = registry.RULES[s.rule].claims if s.rule in registry.RULES else ""
    return claims == "derivative" and not subs and getattr(s.after, "is_Number", False) is True


def _repeats(child: Step, parent: Step, task: Task) -> bool:
    """True when a sub-step writes the same line as its parent (a sum rule under a
    partial derivative of the same function), so the board says it once."""
    if isinstance(child.data.get("table"), Table):
        return False
    return _lines(child, task) == _lines(parent, task) != []


def _lines(step: Step, task: Task) -> list[str]:
    """The step's lines as read (two ways of writing ∂/∂w […] read the same)."""
    from .mathtext import math_text

    return [
        " = ".join(math_text(p) for p in i.parts) if isinstance(i, Arrow) else math_text(i)
        for i in display(step, task)
    ]


def _retitled(s: Step, subs: tuple[Step, ...]) -> Step:
    """``s`` with folded sub-steps, its words without a repeat of its title."""
    import dataclasses

    words = _untitled(s.explanation, rule_title(s.rule))
    if words == s.explanation and subs == s.substeps:
        return s
    return dataclasses.replace(s, explanation=words, substeps=subs)


def _untitled(words: str, title: str) -> str:
    """``words`` without a repeat of the step's ``title`` at their head: "Quotient rule
    (low d-high …): with top …" under the title "Quotient rule" reads "Low d-high …: with
    top …", "Partial derivative with respect to x: …" reads "With respect to x: …"."""
    import re as _re

    head = _re.escape(title)
    m = _re.match(
        rf"\s*{head}\s*(?:[:.,]\s*|\((?P<aside>[^()]*)\)\s*|(?=(?:with|for) ))",
        words,
        _re.IGNORECASE,
    )
    if not m or len(words) <= m.end():
        return words
    rest = words[m.end() :]
    if m.group("aside"):
        rest = m.group("aside") + rest
    return rest[:1].upper() + rest[1:]


def _brief(sol: Any, steps: tuple[Step, ...]) -> tuple[Step, ...]:
    import dataclasses

    chain = _derivative_chain(sol)
    if chain is not None:
        return (chain,)
    out: list[Step] = []
    parts: list[Any] = []
    names: list[str] = []
    for s in steps:
        shown = display(s, sol.task)
        # a line before = … = after chains on to the line before it when it starts where
        # that one ended; a derivative (d/dx [L] = L′) or f(a) = … is no link of L's chain
        keeps = (
            len(shown) == 1
            and isinstance(shown[0], Arrow)
            and shown[0].sign == "="
            and not s.substeps
            and _same(shown[0].parts[0], readable(s.before, sol.task))
        )
        # a line the engine writes on from the one before (before None: "= lim …", an
        # expansion of the quotient just written) is the next link of that chain
        claims = registry.RULES[s.rule].claims if s.rule in registry.RULES else ""
        goes_on = (
            s.before is None
            and claims in ("equality", "limit")
            and len(shown) == 1
            and _is_expr(shown[0])
            and not s.substeps
        )
        if goes_on and parts:
            parts.append(shown[0])
            names.append(rule_title(s.rule))
            out[-1] = _chained(out[-1], parts, names)
            continue
        if keeps and parts and _same(parts[-1], shown[0].parts[0]):
            parts += shown[0].parts[1:]
            names.append(rule_title(s.rule))
            out[-1] = _chained(out[-1], parts, names)
            continue
        if keeps:
            parts, names = list(shown[0].parts), [rule_title(s.rule)]
        else:
            parts, names = [], []
        # a step that shows nothing itself (a Classify over its tests) keeps its sub-steps'
        # lines; a title above nothing is not a board
        subs = () if shown else tuple(_bare(c) for c in s.substeps)
        # a step whose words are all it has (a diagnosis, a rule stated as a formula)
        # keeps them: a title above nothing is not a board
        said = "" if shown or subs else s.explanation
        out.append(dataclasses.replace(s, explanation=said, substeps=subs))
    return tuple(out)


def _bare(s: Step) -> Step:
    import dataclasses

    return dataclasses.replace(s, explanation="", substeps=())


def _chained(first: Step, parts: list[Any], names: list[str]) -> Step:
    import dataclasses

    said = _margin(names, rule_title(first.rule))
    data = {k: v for k, v in first.data.items() if k != "chain"}
    data["show"] = Arrow(parts[0], parts[-1], "=", parts)
    return dataclasses.replace(first, explanation=said, data=data)


def _derivative_chain(sol: Any) -> Step | None:
    """A derivative's steps as the chain a teacher writes, ``d/dx f = … = f′``: at each
    level the rules are applied once more, the rest left as derivatives; None when a rule
    of the tree has no known way to combine its parts (the lines are shown instead)."""
    import sympy

    task = sol.task
    if task.kind != "derivative" or not sol.steps:
        return None
    top, rest = sol.steps[0], sol.steps[1:]
    if any(registry.title(s.rule) != "Tidy up" and s.rule != "simplify" for s in rest):
        return None
    wrt = _wrt(top, task)
    if wrt is None or not _is_expr(top.before):
        return None
    depth = max(n.count(".") for n, _, _ in numbered((top,))) + 1
    try:
        lines = [sympy.Derivative(top.before, wrt)]
        for k in range(1, depth + 1):
            e = _expand(top, k, wrt)
            if str(e) != str(lines[-1]):
                lines.append(e)
        if not _same(lines[-1], top.after):
            lines.append(top.after)
        for s in rest:
            if not _same(lines[-1], s.before):
                return None
            lines.append(s.after)
    except _NoCombine:
        return None
    # d/dx [3x − 2] = d/dx [3x] only drops a constant: that is no link of its own, the
    # chain goes on to what the next rule makes of it (d/dx [3x − 2] = 3)
    lines = [
        e
        for i, e in enumerate(lines)
        if not (
            0 < i < len(lines) - 1
            and isinstance(e, sympy.Derivative)
            and isinstance(lines[i - 1], sympy.Derivative)
        )
    ]
    if len(lines) < 2:
        return None
    used = [rule_title(s.rule) for s in top.walk() if s.rule not in registry.TRIVIAL]
    used += [rule_title(s.rule) for s in rest]
    said = _margin(used, rule_title(top.rule))
    show = Arrow(lines[0], lines[-1], "=", lines)
    import dataclasses

    return dataclasses.replace(top, explanation=said, substeps=(), data={"show": show})


def _margin(names: list[str], title: str) -> str:
    """The rules named beside a brief chain, without the step's own title (already its
    heading): "then Direct substitution"."""
    rest = [n for n in dict.fromkeys(names) if n != title]
    return ("then " + ", ".join(rest)).replace("{", "{{").replace("}", "}}") if rest else ""


class _NoCombine(Exception):
    pass


def _op(cls: Any, *args: Any) -> Any:
    """``cls(*args)``, left unevaluated only while a derivative is still to be taken, so
    finished parts read in their usual form (3x², not 1·3·x²)."""
    import sympy

    from .mathtext import WrittenSum

    lazy = any(getattr(a, "has", lambda *_: False)(sympy.Derivative) for a in args)
    if lazy and cls is sympy.Add:
        return WrittenSum(*args, evaluate=False)  # printed term under term
    return cls(*args, evaluate=not lazy)


def _pow(base: Any, exp: Any) -> Any:
    import sympy

    return sympy.Pow(base, exp, evaluate=not base.has(sympy.Derivative))


def _expand(s: Step, k: int, wrt: Any) -> Any:
    """The derivative of ``s.before`` with the rules ``k`` levels deep applied."""
    import sympy

    if k == 0:
        var = s.data.get("wrt", wrt)
        return sympy.Derivative(s.before, var)
    if not s.substeps:
        return s.after
    parts = [
        c.after if c.rule in ("constant", "identity") else _expand(c, k - 1, wrt)
        for c in s.substeps
    ]
    befores = [c.before for c in s.substeps]
    r = s.rule
    add, mul, power = (lambda *a: _op(sympy.Add, *a)), (lambda *a: _op(sympy.Mul, *a)), _pow
    if r == "sum_rule":
        kept = [p for p in parts if not (_is_expr(p) and p.is_zero)]
        return add(*kept) if len(kept) > 1 else (kept[0] if kept else sympy.Integer(0))
    if r == "constant_multiple" and len(parts) == 1:
        c = s.data.get("c")  # the engine's constant (before = c · g), never recomputed here
        if not _is_expr(c) or c.free_symbols & {wrt}:
            raise _NoCombine
        return mul(c, parts[0])
    if r == "product_rule" and len(parts) >= 2:
        terms = []
        for i, p in enumerate(parts):
            others = [b for j, b in enumerate(befores) if j != i]
            terms.append(mul(p, *others))
        return add(*terms)
    if r == "quotient_rule" and len(parts) == 2:
        f, g = befores
        top = add(mul(parts[0], g), mul(-1, f, parts[1]))
        return mul(top, power(power(g, 2), -1))
    if r == "chain_rule" and len(parts) == 2 and "u" in s.data:
        fpg = s.data.get("fpg")  # f′(g(x)), as the engine composed it
        if not _is_expr(fpg):
            raise _NoCombine
        return mul(fpg, parts[1])
    raise _NoCombine
