"""A linter that reads worked solutions as a teacher reads a board, by rule.

Each class of defect the teacher reads found is one rule here; ``lint(problem)`` returns
``(class, where, what)`` findings for one problem at ``standard`` and ``brief`` detail, and
``python tests/_board_lint.py --seeds 10`` prints the figures per thousand board steps.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from typing import Any

import tutor
from tutor.generate import topic_info
from tutor.render.base import Arrow, board, display, explanation, rule_title, statement
from tutor.render.mathtext import math_text
from tutor.render.text import render_solution
from tutor.steps import registry

DETAILS = ("standard", "brief")
CLASSES = (
    "idle step",
    "repeated line",
    "internal data",
    "doubled title",
    "arrow for equality",
    "misprinted maths",
    "unreadable value",
    "out of teaching order",
    "refuted claim",
    "lone line",
    "zero term",
    "hidden substitution",
    "set for a value",
    "number agreement",
    "sign as a symbol",
    "decimal repeats exact",
    "task without its data",
    "restated problem",
    "heading without a line",
    "long line",
)

# what a student must never read in a worked solution (text rules)
INTERNAL = {
    "placeholder": re.compile(r"\bat x = a\b|\{[a-z_]+\}"),
    "python repr": re.compile(
        r"\b(None|Symbol|Integer|Rational|Float|Tuple|Dummy)\(|\bNone\b|<[a-z_.]+ object"
    ),
    "internal id": re.compile(r"\b[a-z]{3,}_[a-z_]{3,}\b"),
    "nested tuple": re.compile(r"\(\(−?[\w/.√]+, |\(−?\d+, \(|: \(−?[\w/]+, \("),
    "nested list": re.compile(r"\[\["),
    "record pair": re.compile(r"\([^()]*, (minimum|maximum|saddle|neither)\)"),
    "heaviside": re.compile(r"\bH\(|Heaviside|DiracDelta"),
}
MISPRINT = {
    "a/1/x": re.compile(r"/1/\w"),
    "(−1)·": re.compile(r"\(−1\)·"),
    "kd/dx": re.compile(r"\dd/d"),
    "x − (3)": re.compile(r"[−+] \((\d+(/\d+)?)\)(?!\s*[²³·(])"),
    "x − (−4)": re.compile(r"\b[a-z] [−+] \(−[^()]*\)"),
}
# "x = {−2, 4}": one letter given a set in words (x = −2 and x = 4, or x ∈ {−2, 4})
SET_VALUE = re.compile(r"(?<![\w(])[a-zα-ω] = \{[^{}]*,[^{}]*\}")
# a plural noun before one thing: "the points (−4, −3).", "its solutions are x = −3."
PLURAL = {
    "the points": re.compile(r"\bthe points \([^()]*\)(?=[.;:]|$)", re.M),
    "solutions are": re.compile(r"\bsolutions are [a-z] = [^,;.]*?(?=[;.]\s|[;.]$)", re.M),
}
# "f'(−5) is -", "from - to +": a sign in words is "negative", "positive" or "zero"
SIGN_SYMBOL = re.compile(r"\b(?:is|are|from|to|stays|turns) [-+−](?=[\s;,.:)]|$)", re.M)
# "x = 3 (≈ 3)": a decimal beside a value that already reads exactly
SAME_DECIMAL = re.compile(r"(?<![\d./])(−?\d+) \(?≈ \1(?:\.0*)?(?![\d./])")
UNREADABLE = re.compile(r"−?\d+/\d{4,}")
LONG_CELL = 8  # digits of p and q beyond which a table cell should read as a decimal
_LECTURE = {i["id"]: i["lecture"] for i in topic_info()}
DERIVATIVES_LECTURE = 5


def steps_shown(sol: Any, detail: str) -> int:
    """How many steps (sub-steps included) the board shows at ``detail``."""
    return sum(1 for s in board(sol, detail) for _ in s.walk())


def _line(item: Any) -> str:
    if isinstance(item, Arrow):
        sign = " = " if item.sign == "=" else " → "
        return sign.join(math_text(p) for p in item.parts)
    return math_text(item)


def _record(obj: Any) -> bool:
    """A value that is engine data, not mathematics: a dict, a one-element tuple, or a
    tuple holding tuples or words."""
    import sympy

    if isinstance(obj, dict):
        return any(isinstance(v, (dict, str)) or _record(v) for v in obj.values())
    if isinstance(obj, (tuple, list, sympy.Tuple)):
        items = list(obj)
        if len(items) == 1:
            return True
        if isinstance(obj, list) and all(isinstance(i, tuple) and not _record(i) for i in items):
            return False  # several points: (1, −34), (4, 11)
        return any(isinstance(i, (tuple, list, dict, str, sympy.Tuple)) for i in items)
    return False


def _vector(obj: Any) -> bool:
    """Partial derivatives as a vector or matrix (a gradient, a Hessian)."""
    import sympy

    if isinstance(obj, sympy.MatrixBase):
        return True
    return (
        isinstance(obj, (tuple, sympy.Tuple))
        and len(obj) > 1
        and all(isinstance(v, sympy.Expr) and v.free_symbols for v in obj)
    )


def _bare_value(obj: Any) -> bool:
    """``f(−2) = 14`` alone on a line of an evaluate step: the substitution is not shown
    (the board writes f(−2) = 3(−2)² − (−2) = 14)."""
    import sympy

    return (
        isinstance(obj, sympy.Equality)
        and isinstance(obj.lhs, sympy.core.function.AppliedUndef)
        and not obj.lhs.free_symbols
        and obj.rhs.is_number
        and not obj.lhs.args[0].is_Symbol
    )


def _numbers(obj: Any) -> bool:
    import sympy

    return isinstance(obj, (tuple, sympy.Tuple)) and all(
        isinstance(v, (int, sympy.Number)) and not isinstance(v, bool) for v in obj
    )


def _conditions(obj: Any) -> bool:
    """A tuple of conditions (``(x − 6 ≠ 0, 9 − x² ≥ 0)``): they read joined by "and"."""
    import sympy

    return isinstance(obj, (tuple, sympy.Tuple)) and any(
        isinstance(v, (sympy.core.relational.Relational, sympy.logic.boolalg.Boolean))
        and not isinstance(v, sympy.Expr)
        for v in obj
    )


def _zero_term(obj: Any) -> bool:
    """``d/dx [x³] + 0``: a sum that kept a zero term (a sum of numbers written out, such
    as 4 + 9 + 0 = 13, is arithmetic and may)."""
    import sympy

    if not isinstance(obj, sympy.Basic):
        return False
    return any(
        a.is_Add and any(t.is_zero for t in a.args) and not all(t.is_number for t in a.args)
        for a in sympy.preorder_traversal(obj)
    )


def _arrow_findings(s: Any, item: Any) -> list[tuple[str, str]]:
    """What an arrow line may not be: numbers as a tuple (a list of values, or x-values
    that read as an interval), points → a number (a formula is an equation), an expression
    → f(3) with the substitution never shown, a leftover ``+ 0``."""
    import sympy

    out: list[tuple[str, str]] = []
    line = f"{s.rule}: {_line(item)}"
    first, last = item.parts[0], item.parts[-1]
    if any(_numbers(p) and len(p) > 2 for p in item.parts) or any(
        _conditions(p) for p in item.parts
    ):
        out.append(("internal data", line))
    elif _numbers(first) and isinstance(last, (list, tuple)) and not _numbers(last):
        out.append(("unreadable value", line))  # x-values (1, 4) → the points: an interval?
    points = isinstance(first, (list, tuple)) and all(isinstance(p, tuple) for p in first)
    if item.sign != "=" and points and isinstance(last, sympy.Expr):
        out.append(("arrow for equality", line))
    if item.sign != "=" and isinstance(last, sympy.Equality) and isinstance(first, sympy.Expr):
        out.append(("arrow for equality", line))  # m → y = mx + c: the line is y = … = …
    if item.sign != "=" and isinstance(last, sympy.core.function.AppliedUndef):
        if not last.free_symbols:
            out.append(("hidden substitution", line))
    value = s.rule.startswith("evaluate")  # f(a), f'(a): an evaluation at a point
    if item.sign != "=" and value and isinstance(first, sympy.Expr) and first.free_symbols:
        if isinstance(last, sympy.Expr) and last.is_number:
            out.append(("hidden substitution", line))  # 3x² − x → 14: f(−2) = 3(−2)² … = 14
    if item.sign != "=" and not value and isinstance(first, sympy.Expr) and first.free_symbols:
        if isinstance(last, sympy.Expr) and last.is_number:
            # σ'(z) → 1/4, 3w + 4 → −4/3: a function is not a number; the board writes the
            # equation it means (σ'(0) = … = 1/4, 3w + 4 = 0 so w = −4/3)
            out.append(("arrow for equality", line))
    line_rule = s.rule in ("point_slope_form", "slope_intercept_form", "point_slope")
    if item.sign != "=" and isinstance(first, sympy.Equality) and isinstance(last, sympy.Equality):
        if line_rule and last.lhs == sympy.Symbol("y") and first.lhs != last.lhs:
            out.append(("arrow for equality", line))  # y − 4 = 2(x − 1) → y = …: y = … = …
    if item.sign == "=" and len(item.parts) > 2 and _false_link(item.parts):
        out.append(("refuted claim", line))
    if item.sign != "=" and isinstance(first, sympy.Expr) and first.free_symbols:
        if _vector(last):
            out.append(("arrow for equality", line))  # f → (…): the gradient is ∇f = (…)
    if item.sign == "=" and any(
        isinstance(a, sympy.Derivative) and isinstance(b, sympy.Derivative)
        for a, b in zip(item.parts, item.parts[1:])
    ):
        out.append(("idle step", line))  # d/dx [3x − 2] = d/dx [3x]: a constant dropped
    if any(_zero_term(p) for p in item.parts):
        out.append(("zero term", line))
    return out


def _false_link(parts: list[Any]) -> bool:
    """A chain ``a = b = c`` with a link that is not an equality at sample points (a brief
    chain that ran an expansion on into its derivative: L = … = L′)."""
    import sympy

    from tutor.substitute import worked

    unchecked = (sympy.Limit, sympy.Integral, sympy.Sum, sympy.core.function.AppliedUndef)
    for a, b in zip(parts, parts[1:]):
        if not (isinstance(a, sympy.Expr) and isinstance(b, sympy.Expr)):
            continue
        if a.is_Symbol or b.is_Symbol or any(p.has(*unchecked) for p in (a, b)):
            continue  # y = …, f'(x) = … name the line; limits are verify's to check
        a, b = worked(a.doit()), worked(b.doit())
        syms = sorted(a.free_symbols | b.free_symbols, key=str)
        for t in (sympy.Rational(7, 10), sympy.Rational(13, 10)):
            at = {v: t + k / 7 for k, v in enumerate(syms)}
            try:
                d = complex(sympy.N((a - b).subs(at), 20))
            except (TypeError, ValueError):
                continue
            if abs(d) > 1e-9 * (1 + abs(complex(sympy.N(a.subs(at), 20)))):
                return True
    return False


def _board_findings(problem: Any, detail: str) -> list[tuple[str, str]]:
    sol = problem.solution
    out: list[tuple[str, str]] = []

    def walk(steps: Any, parent: list[str], partial: str = "") -> None:
        for s in steps:
            shown = display(s, sol.task)
            wrt = s.data.get("wrt") if s.rule == "partial_derivative" else None
            # the variable of the partial ("?" when the step does not say which)
            inside = getattr(wrt, "name", "") or partial
            inside = inside or ("?" if s.rule == "partial_derivative" else "")
            if inside and any(isinstance(i, Arrow) and i.sign != "=" for i in shown):
                out.append(("arrow for equality", f"{s.rule}: a partial derivative as an arrow"))
            # d/du of an outer function is right; d/dx where ∂/∂x is meant is not
            d = re.compile(rf"(?<![∂\w])d[²³]?/d{re.escape(inside)}(?!\w)")
            if inside and any(d.search(_line(i)) for i in shown):
                out.append(("misprinted maths", f"{s.rule}: d/d{inside} in a partial derivative"))
            lines = [_line(i) for i in shown if not hasattr(i, "rows")]
            tables = [i for i in shown if hasattr(i, "rows")]
            for t in tables:
                long = [c for r in t.rows for c in _cells(r) if _long(c)]
                out.extend(("unreadable value", f"{s.rule}: table cell {c}") for c in long)
                out.extend(("decimal repeats exact", f"{s.rule}: {w}") for w in _same_decimals(t))
            for i in shown:
                lone = not isinstance(i, (Arrow, str)) and not hasattr(i, "rows")
                # a limit above its sign chart is what the chart studies
                lone = lone and type(i).__name__ != "Limit" and str(i) == str(s.before)
                if tables and lone:
                    # the step's input alone above its table (a bare 0, a bare 3x)
                    out.append(("lone line", f"{s.rule}: {_line(i)} above a table"))
                if isinstance(i, Arrow):
                    out.extend(_arrow_findings(s, i))
                    if len(i.parts) == 2 and str(i.parts[0]) == str(i.parts[1]):
                        out.append(("idle step", f"{s.rule}: {_line(i)}"))
                    if any(_record(p) for p in i.parts):
                        out.append(("internal data", f"{s.rule}: {_line(i)}"))
                    if i.sign != "=" and type(i.parts[0]).__name__ == "Limit":
                        out.append(("arrow for equality", f"{s.rule}: {_line(i)}"))
                elif _record(i):
                    out.append(("internal data", f"{s.rule}: {_line(i)}"))
                elif _bare_value(i):
                    out.append(("hidden substitution", f"{s.rule}: {_line(i)}"))
            if parent and lines and lines == parent:
                out.append(("repeated line", f"{s.rule}: {lines[0]}"))
            words = explanation(s, math_text)
            title = rule_title(s.rule)
            if re.match(
                rf"\s*{re.escape(title)}(\s*[:.,]| \([a-z]| (with|for) |\s*$)", words, re.I
            ):
                out.append(("doubled title", f"{title}. {words[:60]}"))
            walk(s.substeps, lines, inside)

    walk(board(sol, detail), [])
    used = {s.rule for s in sol.steps for s in s.walk()}
    lecture = _LECTURE.get(problem.topic, 99)
    if "lhopital" in used and lecture < DERIVATIVES_LECTURE and problem.topic != "limit-lhopital":
        out.append(("out of teaching order", f"L'Hôpital in {problem.topic}"))
    return out


DATA_KEYS = ("p1", "p2", "at", "a", "b")  # a task line names the points it is about


def _task_findings(sol: Any) -> list[tuple[str, str]]:
    """A task line that leaves out its data ("Line through two points."): the board names
    the points, the point of tangency, the ends."""
    said = statement(sol.task, math_text)
    out = []
    for k in DATA_KEYS:
        v = sol.task.params.get(k)
        if v is not None and math_text(v) not in said:
            out.append(("task without its data", f"{said!r} lacks {k} = {math_text(v)}"))
    return out


def _restated(problem: Any) -> list[tuple[str, str]]:
    """The solution's task writing the problem's function in another order than the
    prompt does ((−y + σ(b + w·x))² for (y − σ(b + w·x))²): a student reads it as a
    different function; the board keeps the function as given."""
    import sympy

    given = getattr(problem, "given", None) or {}
    params = problem.solution.task.params
    out = []
    for g in given.values():
        if not isinstance(g, sympy.Expr) or not g.free_symbols or g.is_Symbol:
            continue
        for k, v in params.items():
            if not isinstance(v, sympy.Expr) or v.free_symbols != g.free_symbols:
                continue
            shown, asked = math_text(v), math_text(g)
            if shown != asked and sympy.expand(v - g) == 0:
                out.append(("restated problem", f"{k}: {asked!r} written {shown!r}"))
    return out


def _text_findings(problem: Any, text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for name, pat in INTERNAL.items():
        out += [("internal data", f"{name} {m.group(0)!r}") for m in pat.finditer(text)]
    for name, pat in MISPRINT.items():
        out += [("misprinted maths", f"{name} {m.group(0)!r}") for m in pat.finditer(text)]
    out += [("set for a value", repr(m.group(0))) for m in SET_VALUE.finditer(text)]
    out += [("sign as a symbol", repr(m.group(0))) for m in SIGN_SYMBOL.finditer(text)]
    out += [("decimal repeats exact", repr(m.group(0))) for m in SAME_DECIMAL.finditer(text)]
    for name, pat in PLURAL.items():
        found = [m.group(0) for m in pat.finditer(text) if " and " not in m.group(0)]
        out += [("number agreement", f"{name}: {w!r}") for w in found]
    if "decimal" in problem.prompt:
        out += [("unreadable value", repr(m.group(0))) for m in UNREADABLE.finditer(text)]
    return out


def _same_decimals(table: Any) -> list[str]:
    """Cells of an "≈" column beside a value that reads exactly (an integer, a fraction, a
    decimal already): ``−2 │ ≈ −2`` says the same thing twice."""
    import sympy

    out = []
    for j, h in enumerate(table.headers):
        if j == 0 or str(h).strip() != "≈":
            continue
        for r in table.rows:
            left, c = r[j - 1], r[j]
            if c in ("", None):
                continue
            exact = isinstance(left, (int, sympy.Rational, sympy.Float)) and not isinstance(
                left, bool
            )
            if exact or math_text(c) == math_text(left):
                out.append(f"{math_text(left)} ≈ {math_text(c)}")
    return out


def _cells(row: Any) -> list[Any]:
    out: list[Any] = []
    for c in row:
        out.extend(c if isinstance(c, tuple) else (c,))
    return out


def _long(c: Any) -> bool:
    import sympy

    return isinstance(c, sympy.Rational) and len(str(abs(c.p))) + len(str(c.q)) > LONG_CELL


def _heading_findings(sol: Any, detail: str) -> list[tuple[str, str]]:
    """A step title with nothing under it on the board (no words, no line, no sub-step):
    "The two sides differ" alone says nothing a student can check."""
    out = []

    def walk(steps: Any) -> None:
        for s in steps:
            said = explanation(s, math_text).strip()
            if not said and not display(s, sol.task) and not s.substeps:
                out.append(("heading without a line", rule_title(s.rule)))
            walk(s.substeps)

    walk(board(sol, detail))
    return out


TEXT_WIDTH = 88  # the text printer's width (tutor.render.text.WIDTH)


def _long_lines(text: str) -> list[str]:
    """Lines of the worked solution past the page width that are not table rows: a long
    chain of equalities goes on one link a line."""
    body = text.split("\n")[1:]  # the task line above is wrapped prose
    table = re.compile(r"[│─┼]")
    # only a line the printer could break: one with a link (=, →) after its first part
    joins = re.compile(r"\S (=|→) ")
    return [
        ln
        for ln in body
        if len(ln) > TEXT_WIDTH and not table.search(ln) and joins.search(ln.strip()[2:])
    ]


def lint(problem: Any) -> list[tuple[str, str, str]]:
    """Every finding in ``problem``'s worked solution at standard and brief detail, as
    ``(class, detail, what)``."""
    out: list[tuple[str, str, str]] = []
    for detail in DETAILS:
        text = render_solution(problem.solution, detail=detail)
        found = _board_findings(problem, detail) + _text_findings(problem, text)
        found += _task_findings(problem.solution)
        found += _heading_findings(problem.solution, detail)
        found += [("long line", ln.strip()[:60]) for ln in _long_lines(text)]
        out += [(c, detail, w) for c, w in found]
    out += [("restated problem", "any", w) for _, w in _restated(problem)]
    out += [("refuted claim", "any", w) for w in registry.verify(problem.solution)]
    return out


def survey(seeds: range, topics: list[str] | None = None) -> tuple[Counter, int, list]:
    """Findings by class over ``topics`` × difficulties × ``seeds``, the number of board
    steps read, and the findings themselves."""
    counts: Counter = Counter()
    steps = 0
    found: list = []
    for topic in topics or tutor.topics():
        for difficulty in (1, 2, 3):
            for seed in seeds:
                p = tutor.generate(topic, seed=seed, difficulty=difficulty)
                steps += sum(steps_shown(p.solution, d) for d in DETAILS)
                for c, d, w in lint(p):
                    counts[c] += 1
                    found.append((topic, difficulty, seed, c, d, w))
    return counts, steps, found


def main(argv: list[str]) -> None:
    seeds = int(argv[argv.index("--seeds") + 1]) if "--seeds" in argv else 10
    counts, steps, found = survey(range(seeds))
    print(f"{steps} board steps read (standard + brief), {seeds} seeds × 3 difficulties")
    for c in CLASSES:
        print(f"{c:24} {counts[c]:6d}  {1000 * counts[c] / max(steps, 1):8.1f} per 1000 steps")
    if "-v" in argv:
        for f in found:
            print(*f, sep=" | ")


if __name__ == "__main__":
    main(sys.argv[1:])
