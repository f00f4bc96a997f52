"""Where a function rises and falls, how it bends, and its global extrema (lectures 06, 07).

Sign charts are ``tutor.core.Table`` objects: one row per open interval between breakpoints,
with a test point and the sign found there. Answers are sympy sets of reals (open intervals,
merged across points where the behaviour does not change).
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import S

from ...core import Solution, Step, Table, Task
from ._common import (
    derivative_step,
    nice_point,
    num,
    pick_variables,
    several,
    sign_at,
    solve_zero,
    to_expr,
    to_interval,
    value_at,
    var_first,
    with_decimals,
)
from .critical import Analysis, solve_step

SIGN = {1: "+", -1: "−", 0: "0", None: "undefined"}  # a sign chart's column (a minus sign)


def _components(region: Any) -> list[Any]:
    """The intervals making up ``region``, left to right (isolated points dropped)."""
    parts = region.args if isinstance(region, sympy.Union) else (region,)
    out = []
    for p in parts:
        if isinstance(p, sympy.Interval):
            out.append(p)
        elif isinstance(p, sympy.Complement) and isinstance(p.args[0], sympy.Interval):
            holes = sorted(p.args[1], key=num) if isinstance(p.args[1], sympy.FiniteSet) else []
            edges = [p.args[0].start, *holes, p.args[0].end]
            out += [sympy.Interval.open(a, b) for a, b in zip(edges, edges[1:])]
    return sorted(out, key=lambda i: num(i.start) if i.start.is_finite else -1e300)


def _region(an: Analysis) -> Any:
    """The set the chart covers: the domain, or one period when the function repeats."""
    if an.roots.window is not None and an.roots.general:
        w = an.roots.window
        return sympy.Interval(w.inf, w.sup) if isinstance(w, sympy.Interval) else w
    return an.dom


def sign_chart(
    expr: Any, x: Any, region: Any, cuts: list[Any], name: str, words: tuple[str, str]
) -> tuple[Table, list]:
    """Sign of ``expr`` on each open piece of ``region`` between ``cuts``; rows and pieces."""
    rows = []
    pieces = []
    for comp in _components(region):
        a, b = comp.start, comp.end
        inner = [
            c
            for c in cuts
            if (not a.is_finite or num(c) > num(a)) and (not b.is_finite or num(c) < num(b))
        ]
        inner = sorted(set(inner), key=num)
        edges = [a, *inner, b]
        for lo, hi in zip(edges, edges[1:]):
            t = nice_point(lo, hi)
            s = sign_at(expr, x, t)
            say = {1: words[0], -1: words[1]}.get(s, "constant" if s == 0 else "undefined")
            rows.append((sympy.Interval.open(lo, hi), t, value_at(expr, x, t), SIGN[s], say))
            pieces.append((lo, hi, s))
    headers = ("interval", "test point", f"{name} at test point", f"sign of {name}", "f is")
    return Table(headers, rows, caption=f"sign chart of {name}"), pieces


def _union(pieces: list[tuple[Any, Any, int | None]], want: int, keep: Any) -> Any:
    """Open intervals where the sign is ``want``, merged across points of ``keep``."""
    sets = []
    for lo, hi, s in pieces:
        if s != want:
            continue
        if sets and sets[-1][1] == lo and keep(lo):
            sets[-1] = (sets[-1][0], hi)
        else:
            sets.append((lo, hi))
    if sets == [(-sympy.oo, sympy.oo)]:
        return S.Reals
    return sympy.Union(*(sympy.Interval.open(a, b) for a, b in sets)) if sets else S.EmptySet


def monotonicity(expr: Any, var: Any = None, interval: Any = None) -> Solution:
    """Where f increases and decreases, from the sign chart of f'.

    Answer: ``{"increasing": set, "decreasing": set}`` with sympy sets of reals (unions of
    open intervals); local extrema by the first-derivative test are in the steps.
    """
    var, interval = var_first(var, interval)
    f = to_expr(expr, var)
    (x0,) = pick_variables(f, var)[:1]
    an = Analysis(f, x0, to_interval(interval))
    x = an.x
    steps = list(an.steps)
    region = _region(an)
    where, pts = several(an.points, "pt")
    steps.append(
        Step(
            "solve_equation",
            before=sympy.Eq(an.d1, 0),
            after=sympy.FiniteSet(*an.points),
            explanation=(
                "f' can change sign only where it is zero or does not exist: "
                + where
                + (". This cuts" if len(an.points) == 1 else ". These cut")
                + " the line into pieces."
                if an.points
                else "f' is never zero and always exists, so it keeps one sign on each piece "
                "of the domain."
            ),
            substeps=tuple(an.roots.steps),
            data=pts,
        )
    )
    table, pieces = sign_chart(an.d1, x, region, an.points, "f'", ("increasing", "decreasing"))
    steps.append(
        Step(
            "sign_chart",
            before=an.d1,
            after=table,
            explanation="On each piece f' keeps one sign, so one test point tells it: where the "
            "slope is positive f goes up, where it is negative f goes down.",
            data={"table": table},
        )
    )
    defined = lambda c: an.dom.contains(c) is S.true  # noqa: E731
    inc = _union(pieces, 1, defined)
    dec = _union(pieces, -1, defined)
    extrema = []
    for c in an.points:
        kind, _ = classify_first(an, c, pieces)
        if kind != "neither":
            extrema.append((c, kind))
    said, ext = [], {}
    for kind in ("minimum", "maximum"):
        at = [c for c, k in extrema if k == kind]
        if at:
            words, more = several(at, kind[:3])
            said.append(f"a local {kind} at {words}")
            ext.update(more)
    steps.append(
        Step(
            "first_derivative_test",
            before=sympy.FiniteSet(*an.points),  # the critical points: a set, not a tuple
            after=tuple(extrema),
            explanation=(
                "Where f' changes from negative to positive the curve turns from going down to "
                "going up: a local minimum; from positive to negative, a local maximum. Here: "
                + ", and ".join(said)
                + "."
                if extrema
                else "f' never changes sign at a critical point, so there is no local extremum."
            ),
            data=ext,
        )
    )
    steps.append(
        Step(
            "summary",
            before=f,
            after={"increasing": inc, "decreasing": dec},
            explanation="f is increasing on {inc} and decreasing on {dec}.",
            # the result itself, not f → record
            data={"inc": inc, "dec": dec, "show": {"increasing": inc, "decreasing": dec}},
        )
    )
    task = Task(
        "monotonicity",
        {"f": f, "interval": to_interval(interval)},
        "Find where f is increasing and where it is decreasing.",
    )
    return Solution(task, steps, {"increasing": _plain(inc), "decreasing": _plain(dec)})


def classify_first(an: Analysis, c: Any, pieces: list) -> tuple[str, None]:
    """The first-derivative test read off the chart: signs of the pieces either side of c."""
    left = right = None
    for lo, hi, s in pieces:
        if hi == c:
            left = s
        if lo == c:
            right = s
    if left is None or right is None:
        return "neither", None
    if left < 0 < right:
        return "minimum", None
    if left > 0 > right:
        return "maximum", None
    return "neither", None


def concavity(expr: Any, var: Any = None, interval: Any = None) -> Solution:
    """Where f is concave up or down, from the sign chart of f'', and its inflection points.

    Answer: ``{"concave_up": set, "concave_down": set, "inflection_points": [(x, f(x)), ...]}``.
    """
    var, interval = var_first(var, interval)
    f = to_expr(expr, var)
    (x0,) = pick_variables(f, var)[:1]
    an = Analysis(f, x0, to_interval(interval))
    x = an.x
    steps = list(an.steps)
    d2, st = derivative_step(an.f, x, 2)
    steps.append(st)
    zeros = solve_zero(d2, x, an.dom, name="f''")
    _, den = sympy.fraction(sympy.together(d2))
    bad = [] if den.is_number else solve_zero(den, x, an.dom).roots
    cuts = sorted({*zeros.roots, *bad, *[c for c in an.singular]}, key=num)
    region = an.dom
    if zeros.window is not None and zeros.general:
        region = sympy.Interval(zeros.window.inf, zeros.window.sup)
        cuts = [c for c in cuts if region.contains(c) is S.true]
    where, pts = several(cuts, "pt")
    steps.append(
        Step(
            "solve_equation",
            before=sympy.Eq(d2, 0),
            after=sympy.FiniteSet(*cuts),
            explanation=(
                "The bending can change only where f'' is zero or does not exist: " + where + "."
                if cuts
                else "f'' is never zero and always exists, so the bending never changes."
            ),
            substeps=tuple(zeros.steps),
            data=pts,
        )
    )
    table, pieces = sign_chart(d2, x, region, cuts, "f''", ("concave up", "concave down"))
    steps.append(
        Step(
            "sign_chart",
            before=d2,
            after=table,
            explanation="Where f'' > 0 the slope is growing and the curve holds water (concave "
            "up); where f'' < 0 it spills (concave down).",
            data={"table": table},
        )
    )
    defined = lambda c: an.dom.contains(c) is S.true  # noqa: E731
    up = _union(pieces, 1, defined)
    down = _union(pieces, -1, defined)
    infl = []
    for c in cuts:
        kind, _ = classify_first(an, c, pieces)
        if kind != "neither" and defined(c):
            infl.append((c, value_at(an.f, x, c)))
    steps.append(
        Step(
            "inflection_points",
            before=sympy.FiniteSet(*cuts) if cuts else sympy.S.EmptySet,  # x-values: a set
            after=tuple(infl),
            explanation=(
                "Inflection points are where the bending changes sign and f is defined: {pts}."
                if infl
                else "The bending never changes sign at a point of the domain: no inflection "
                "points."
            ),
            data={"pts": tuple(infl)},
        )
    )
    task = Task(
        "concavity",
        {"f": f, "interval": to_interval(interval)},
        "Find where f is concave up or down, and its inflection points.",
    )
    answer = {
        "concave_up": _plain(up),
        "concave_down": _plain(down),
        "inflection_points": [(_plain(a), _plain(b)) for a, b in infl],
    }
    return Solution(task, steps, answer)


def global_extrema(expr: Any, var: Any = None, interval: Any = None) -> Solution:
    """Global maximum and minimum of f on ``interval`` (default: its whole domain).

    Candidates are the critical points inside and the end points that belong to the set;
    ends that do not belong (open or infinite ends, holes) are judged by one-sided limits.
    Answer: ``{"maximum": (value, (x, ...)) or "none", "minimum": ...}``.
    """
    var, interval = var_first(var, interval)
    f = to_expr(expr, var)
    (x0,) = pick_variables(f, var)[:1]
    iv = to_interval(interval)
    an = Analysis(f, x0, iv)
    x = an.x
    steps = list(an.steps)
    crit = [c for c in an.points]
    steps.append(solve_step(an, "A global extreme inside sits where the slope is zero: "))
    region = an.dom
    if an.roots.window is not None and an.roots.general and iv is None:
        region = sympy.Interval(an.roots.window.inf, an.roots.window.sup)
    ends: list[tuple[Any, str]] = []  # (point, side) approached from inside but not attained
    cands = list(crit)
    for comp in _components(region):
        for e, side in ((comp.start, "+"), (comp.end, "-")):
            inside = comp.contains(e) is S.true and e.is_finite
            if inside:
                if not any(abs(num(e) - num(c)) < 1e-12 for c in cands):
                    cands.append(e)
            else:
                ends.append((e, side))
    if isinstance(region, sympy.FiniteSet) or region is S.EmptySet:
        raise ValueError("the interval leaves no room to look for extrema")
    cands.sort(key=num)
    rows = [
        (c, "critical point" if c in crit else "end point", value_at(an.f, x, c)) for c in cands
    ]
    vals = [value_at(an.f, x, c) for c in cands]
    steps.append(
        Step(
            "compare_candidates",
            before=tuple(cands),
            after=tuple(vals),
            explanation="A global extreme sits at a critical point or at an end: evaluate f at "
            "every candidate and compare.",
            data=_shown(with_decimals(("x", "why", "f(x)"), rows, (0, 2), "candidates")),
        )
    )
    limits = []
    for e, side in ends:
        lim = _limit(an.f, x, e, side)
        limits.append((e, side, lim))
    if limits:
        steps.append(
            Step(
                "end_behaviour",
                before=tuple(e for e, _, _ in limits),
                after=tuple(lim for _, _, lim in limits),
                explanation="Ends that are not part of the set can only be approached: the "
                "limits there decide whether a largest or smallest value is reached.",
                data=_shown(
                    Table(
                        ("x approaches", "from", "limit of f"),
                        tuple((e, "right" if s == "+" else "left", lim) for e, s, lim in limits),
                    )
                ),
            )
        )
    answer = {}
    for which, better in (("maximum", 1), ("minimum", -1)):
        if not vals:
            answer[which] = "none"
            continue
        best = max(num(v) * better for v in vals) * better
        at = tuple(
            c for c, v in zip(cands, vals) if abs(num(v) - best) <= 1e-12 * max(1, abs(best))
        )
        value = vals[cands.index(at[0])]
        beaten = any(lim is None or _beats(lim, best, better) for _, _, lim in limits)
        answer[which] = "none" if beaten else (_plain(value), tuple(_plain(a) for a in at))
    words = []
    data: dict[str, Any] = {}
    rows = []
    for which in ("maximum", "minimum"):
        a = answer[which]
        if a == "none":
            words.append(f"no global {which}")
            rows.append((f"global {which}", "none", "not reached"))
        else:
            where, more = several(list(a[1]), which[:3])
            data[which] = a[0]
            data.update(more)
            words.append(f"global {which} {{{which}}} at {where}")
            rows.append((f"global {which}", a[0], sympy.FiniteSet(*a[1])))
    data.update(_shown(Table(("extreme", "value", "at x in"), tuple(rows))))
    steps.append(
        Step(
            "summary",
            before=f,
            after=answer,
            explanation="So f has " + " and ".join(words) + ".",
            data=data,
        )
    )
    task = Task(
        "global_extrema",
        {"f": f, "interval": iv},
        "Find the global maximum and minimum of f" + (" on the interval." if iv else "."),
    )
    return Solution(task, steps, answer)


def _beats(lim: Any, best: float, better: int) -> bool:
    """True when the limit at an end goes beyond ``best`` (an end value never attained)."""
    if isinstance(lim, sympy.AccumBounds):
        lim = lim.max if better == 1 else lim.min
    if lim in (sympy.oo, -sympy.oo):
        return (lim == sympy.oo) == (better == 1)
    v = num(lim)
    if v != v:
        return True
    return v * better > best * better + 1e-12 * max(1, abs(best))


def _limit(f: Any, x: Any, e: Any, side: str) -> Any:
    """One-sided limit at an end (``oo``/``-oo`` for infinite ends); None if unknown."""
    try:
        if e in (sympy.oo, -sympy.oo):
            lim = sympy.limit(f, x, e)
        else:
            lim = sympy.limit(f, x, e, dir=side)
    except Exception:  # noqa: BLE001
        return None
    if isinstance(lim, sympy.AccumBounds):
        return lim
    if lim.has(sympy.Limit) or lim is sympy.zoo:
        return None
    return lim


def _shown(table: Table) -> dict[str, Any]:
    return {"table": table, "show": [table]}


def _plain(e: Any) -> Any:
    """Real dummies back to plain symbols (answers compare with parsed input)."""
    if isinstance(e, sympy.Basic):
        return e.xreplace({s: sympy.Symbol(s.name) for s in e.free_symbols})
    return e
