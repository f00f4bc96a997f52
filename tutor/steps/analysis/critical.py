"""Critical points and their kind (lecture 07): f'(x) = 0 solved, then tested.

One variable: the zeros of f' (factoring, the quadratic formula, trig equations with k an
integer, numeric roots where algebra stops) and the points where f' does not exist, each
classified by the second-derivative test, or the first-derivative test when f'' is zero there.
Several variables: the gradient set to zero and the Hessian test (the course's loss surfaces).
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import S

from ..._diff import diff
from ...core import Solution, Step, Table, Task
from ._common import (
    Roots,
    decimal,
    derivative_step,
    domain_of,
    interior_contains,
    nice_point,
    num,
    pick_variables,
    realify,
    root_words,
    several,
    sign_at,
    solve_zero,
    to_expr,
    to_interval,
    value_at,
    with_decimals,
)

KINDS = ("minimum", "maximum", "saddle", "neither")


def critical_points(
    expr: Any, var: Any = None, interval: Any = None, *, variables: Any = None
) -> Solution:
    """Critical points of ``expr`` and their kind: a list of ``(point, kind)``, sorted.

    ``interval`` (``(a, b)`` or a sympy Interval) restricts a function of one variable; a
    periodic function given without one is analysed on one period from 0 (the general
    solution, with k an integer, is shown in a step).  ``var`` is a name or a list of names
    (``variables=`` is the older keyword for it).
    """
    variables = var if variables is None else variables
    f = to_expr(expr, variables)
    syms = pick_variables(f, variables)
    if len(syms) == 1:
        return _one_variable(f, syms[0], to_interval(interval))
    return _several_variables(f, syms)


# ---------------------------------------------------------------------------- one variable


class Analysis:
    """f, f', the domain, the critical points (stationary and where f' does not exist)."""

    def __init__(self, f: Any, x0: Any, interval: Any = None) -> None:
        self.f0 = f
        self.f, (self.x,) = realify(f, [x0])
        self.steps: list[Step] = []
        self.dom = domain_of(self.f, self.x, interval)
        if self.dom != S.Reals and interval is None:
            self.steps.append(
                Step(
                    "domain",
                    before=self.f,
                    after=self.dom,
                    explanation="First, where does f live? f(x) = {f} is defined on {dom}.",
                    data={"f": self.f, "dom": self.dom},
                )
            )
        self.d1, st = derivative_step(self.f, self.x)
        self.steps.append(st)
        self._d2: Any = None
        self.singular = singular_points(self.f, self.d1, self.x, self.dom)
        self._roots: Roots | None = None
        self._period: Any = False  # False: not worked out yet

    @property
    def roots(self) -> Roots:
        """The zeros of f', solved on first use (concavity never asks for them)."""
        if self._roots is None:
            # where f′ does not exist it is not 0 either (sympy's sign(0) = 0 would say so)
            where = self.dom - sympy.FiniteSet(*self.singular) if self.singular else self.dom
            self._roots = solve_zero(self.d1, self.x, where)
        return self._roots

    @property
    def period(self) -> Any:
        """The period of f' when its zeros repeat (a general solution), else None."""
        if self._period is False:
            self._period = None
            if self.roots.general:
                try:
                    self._period = sympy.periodicity(self.d1, self.x)
                except Exception:  # noqa: BLE001
                    self._period = None
        return self._period

    @property
    def d2(self) -> Any:
        if self._d2 is None:
            self._d2, self._d2_step = derivative_step(self.f, self.x, 2)
        return self._d2

    @property
    def points(self) -> list[Any]:
        pts = list(self.roots.roots) + [c for c in self.singular if c not in self.roots.roots]
        return sorted(pts, key=num)

    def breakpoints(self) -> list[Any]:
        """Points where f' may change sign: critical points and edges of the domain."""
        pts = list(self.points)
        if self.period is not None and self.roots.window is not None:
            pts += [p + s * self.period for p in self.points for s in (-1, 1)]
        try:
            pts += [b for b in self.dom.boundary if b.is_finite]
        except Exception:  # noqa: BLE001
            pass
        uniq: list[Any] = []
        for p in sorted(pts, key=num):
            if not uniq or abs(num(p) - num(uniq[-1])) > 1e-12:
                uniq.append(p)
        return uniq

    def neighbours(self, c: Any) -> tuple[Any, Any]:
        lo, hi = -sympy.oo, sympy.oo
        fc = num(c)
        for p in self.breakpoints():
            fp = num(p)
            if fp < fc - 1e-12:
                lo = p
            elif fp > fc + 1e-12:
                hi = p
                break
        return lo, hi


def singular_points(f: Any, d1: Any, x: Any, dom: Any) -> list[Any]:
    """Interior points of the domain where f is defined but f' is not (corners, cusps)."""
    cands: list[Any] = []
    _, den = sympy.fraction(sympy.together(d1))
    if not den.is_number:
        cands += solve_zero(den, x, dom).roots
    for a in f.atoms(sympy.Abs, sympy.sign, sympy.Heaviside):
        if a.args[0].has(x):
            cands += solve_zero(a.args[0], x, dom).roots
    for m in f.atoms(sympy.Max, sympy.Min):
        args = [a for a in m.args]
        for i in range(len(args)):
            for j in range(i + 1, len(args)):
                cands += solve_zero(args[i] - args[j], x, dom).roots
    out: list[Any] = []
    for c in sorted(cands, key=num):
        if any(abs(num(c) - num(o)) < 1e-12 for o in out) or not interior_contains(dom, c):
            continue
        fc = f.subs(x, c)
        if fc.has(sympy.zoo, sympy.nan) or num(fc) != num(fc):
            continue
        h = 1e-7 * max(1.0, abs(num(c)))
        left, right = num(d1.subs(x, num(c) - h)), num(d1.subs(x, num(c) + h))
        at = d1.subs(x, c)
        undefined = at.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or num(at) != num(at)
        corner = left == left and right == right and abs(left - right) > 1e-4 * (1 + abs(left))
        if undefined or corner or abs(left) > 1e6 or abs(right) > 1e6:
            out.append(c)
    return out


def classify(an: Analysis, c: Any) -> tuple[str, Step]:
    """The kind of critical point ``c``: second-derivative test, else first-derivative test."""
    x = an.x
    stationary = c in an.roots.roots and c not in an.singular  # sign(0) = 0 is no f′(c) = 0
    if stationary:
        d2 = an.d2
        s = sign_at(d2, x, c)
        v = value_at(d2, x, c)
        if s in (1, -1):
            kind = "minimum" if s > 0 else "maximum"
            words = (
                "positive: the curve bends upward, the slope goes from negative to positive, "
                "so this is a local minimum"
                if s > 0
                else "negative: the curve bends downward, the slope goes from positive to "
                "negative, so this is a local maximum"
            )
            return kind, Step(
                "second_derivative_test",
                before=c,
                after=kind,
                explanation="At x = {c}: f''({c}) = {v} is " + words + ".",
                data={"c": c, "v": v, "approx": decimal(v), "chain": _second_at(d2, x, c, v)},
            )
    kind, fd = first_derivative_test(an, c)
    if stationary:
        fd = Step(
            "first_derivative_test",
            before=c,
            after=kind,
            explanation="At x = {c}: f''({c}) = 0, so the second-derivative test says nothing; "
            "the first-derivative test decides: " + fd.explanation.removeprefix("At x = {c}: "),
            substeps=fd.substeps,
            data=fd.data,
        )
    return kind, fd


def _second_at(d2: Any, x: Any, c: Any, v: Any) -> tuple[Any, ...]:
    """``f''(c) = <f'' with c written in> = value``, the substitution on the board."""
    from ...substitute import written

    return (sympy.Function("f''")(c), written(d2, x, c), v)


def first_derivative_test(an: Analysis, c: Any) -> tuple[str, Step]:
    """Sign of f' just left and just right of ``c``: - to + minimum, + to - maximum."""
    x = an.x
    lo, hi = an.neighbours(c)
    left, right = nice_point(lo, c), nice_point(c, hi)
    sl, sr = sign_at(an.d1, x, left), sign_at(an.d1, x, right)
    # a flat side (f' = 0 on a whole piece) still leaves f(c) lowest or highest nearby
    if sl is None or sr is None:
        kind = "neither"
    elif sl <= 0 <= sr and (sl, sr) != (0, 0):
        kind = "minimum"
    elif sl >= 0 >= sr and (sl, sr) != (0, 0):
        kind = "maximum"
    else:
        kind = "neither"
    sym = {1: "+", -1: "−", 0: "0", None: "undefined"}
    said = {1: "positive", -1: "negative", 0: "zero", None: "undefined"}
    words = {
        "minimum": "the curve comes down (or runs level) and then goes up, so a local minimum",
        "maximum": "the curve goes up (or runs level) and then comes down, so a local maximum",
        "neither": "f' does not change sign, so the curve keeps going the same way: "
        "neither a maximum nor a minimum",
    }[kind]
    note = "" if c in an.roots.roots else "f'({c}) does not exist (a corner or cusp). "
    table = Table(
        ("x", "f'(x)", "sign"),
        ((left, value_at(an.d1, x, left), sym[sl]), (right, value_at(an.d1, x, right), sym[sr])),
        caption="test points either side",
    )
    return kind, Step(
        "first_derivative_test",
        before=c,
        after=kind,
        explanation="At x = {c}: "
        + note
        + "f'({left}) is {sl} and f'({right}) is {sr}; "
        + words
        + ".",
        data={"c": c, "left": left, "right": right, "sl": said[sl], "sr": said[sr], "table": table},
    )


def _one_variable(f: Any, x0: Any, interval: Any) -> Solution:
    an = Analysis(f, x0, interval)
    steps = list(an.steps)
    steps.append(solve_step(an))
    if an.roots.window is not None:
        steps.append(
            Step(
                "restrict_window",
                before=None,
                after=an.roots.window,
                explanation=(
                    "No interval was given and there are infinitely many solutions, so we "
                    "list those in {window}, one period; the pattern repeats from there."
                    if an.roots.general
                    else "No interval was given, so the numeric search covered {window}; "
                    "give an interval to look elsewhere."
                ),
                data={"window": an.roots.window},
            )
        )
    if an.singular:
        steps.append(
            Step(
                "derivative_undefined",
                before=an.d1,
                after=sympy.FiniteSet(*an.singular),
                explanation="f' does not exist at "
                + several(an.singular)[0]
                + ", where f itself is defined: "
                + (
                    "this is a critical point too."
                    if len(an.singular) == 1
                    else "these are critical points too."
                ),
                data=several(an.singular)[1],
            )
        )
    pts = an.points
    answer: list[tuple[Any, str]] = []
    tests: list[Step] = []
    for c in pts:
        kind, st = classify(an, c)
        answer.append((c, kind))
        tests.append(st)
    if pts and any(c in an.roots.roots for c in pts) and an._d2 is not None:
        steps.append(an._d2_step)
    if tests:
        steps.append(
            Step(
                "classify",
                before=tuple(pts),
                after=tuple(answer),
                explanation="Test each critical point: is it the bottom of a valley, the top of "
                "a hill, or just a flat spot on the way?",
                substeps=tuple(tests),
                data={"show": []},
            )
        )
    rows = [(c, value_at(an.f, an.x, c), kind) for c, kind in answer]
    steps.append(
        Step(
            "summary",
            before=an.f,
            after=tuple(answer),
            explanation=(
                "Critical points and their kind:"
                if answer
                else "f' is never zero and always exists here: no critical points, so no "
                "local extrema."
            ),
            data=_table_data(with_decimals(("x", "f(x)", "kind"), rows, (0, 1))) if answer else {},
        )
    )
    if an.roots.numeric:
        steps[-1] = Step(
            steps[-1].rule,
            steps[-1].before,
            steps[-1].after,
            steps[-1].explanation + " (Values shown as decimals were found numerically.)",
            steps[-1].substeps,
            steps[-1].data,
        )
    task = Task(
        "critical_points",
        {"f": f, "variables": (x0,), "interval": interval},
        "Find the critical points of f and classify each one.",
    )
    answer = [(_tidy_point(c), k) for c, k in answer]
    return Solution(task, steps, answer)


def solve_step(an: Analysis, lead: str = "") -> Step:
    """Solve f'(x) = 0: every real root, then the ones inside the domain or interval."""
    eq = sympy.Eq(an.d1, 0)
    words, data = root_words(an.roots, an.dom)
    lead = lead or "Critical points are where the slope is zero, the flat spots of the curve: "
    return Step(
        "solve_equation",
        before=eq,
        after=sympy.FiniteSet(*an.roots.roots) if an.roots.roots else S.EmptySet,
        explanation=lead + "solve {eq}; " + words + ".",
        substeps=tuple(an.roots.steps),
        data={"eq": eq, **data},
    )


def _table_data(table: Table) -> dict[str, Any]:
    return {"table": table, "show": [table]}


def _tidy_point(c: Any) -> Any:
    return c.xreplace({s: sympy.Symbol(s.name) for s in c.free_symbols})


# ---------------------------------------------------------------------------- several variables


def _several_variables(f0: Any, syms0: list[Any]) -> Solution:
    f, syms = realify(f0, syms0)
    steps: list[Step] = []
    grads = []
    subs = []
    for v in syms:
        d = diff(f, v)
        grads.append(d)
        subs.append(
            Step(
                "partial_derivative",
                before=f,
                after=d,
                explanation="The slope along the {v}-direction, the others held fixed.",
                data={"wrt": v, "v": v, "d": d},  # wrt: the board writes ∂/∂x [f] = …
            )
        )
    grad = sympy.Matrix(grads)
    steps.append(
        Step(
            "gradient",
            before=f,
            after=tuple(grads),
            explanation="The gradient points uphill; at a critical point it is zero in every "
            "direction.",
            substeps=tuple(subs),
            data={"g": grad.T},
        )
    )
    eqs = [sympy.Eq(g, 0) for g in grads]
    sols, infinite, numeric = _solve_system(grads, syms, f)
    linear = all(sympy.Poly(g, *syms).total_degree() <= 1 for g in grads if g.is_polynomial(*syms))
    found, pts = several([tuple(s) for s in sols], "pt", name=None)
    steps.append(
        Step(
            "solve_system",
            before=tuple(eqs),
            after=tuple(tuple(s) for s in sols),
            explanation=(
                "Solve the system {eqs} ({how}): "
                + ("the point " if len(sols) == 1 else "the points ")
                + found
                + "."
                if sols
                else "Solve the system {eqs}: it has no real solution, so f has no critical points."
            ),
            data={
                "eqs": tuple(eqs),
                "how": "a linear system"
                if linear
                else "found numerically, by Newton's method from many starting points"
                if numeric
                else "solve one equation for a variable and substitute",
                **pts,
                "unknowns": tuple(syms),
            },
        )
    )
    if infinite:
        steps.append(
            Step(
                "non_isolated",
                before=tuple(eqs),
                after=None,
                explanation="Besides these, the gradient vanishes along a whole curve of "
                "points, which the Hessian test cannot classify one by one.",
            )
        )
    H = sympy.hessian(f, syms)
    steps.append(
        Step(
            "hessian",
            before=f,
            after=H,
            explanation="The Hessian holds the second derivatives: how the surface bends in "
            "each direction.",
            data={"H": H, "show": sympy.Eq(sympy.Symbol("H"), H, evaluate=False)},
        )
    )
    answer = []
    tests = []
    for p in sols:
        kind, st = _hessian_test(f, syms, H, p)
        answer.append((tuple(p), kind))
        tests.append(st)
    if tests:
        steps.append(
            Step(
                "classify",
                before=tuple(tuple(p) for p in sols),
                after=tuple(answer),
                explanation="Test each critical point with the Hessian: a bowl (minimum), a "
                "cap (maximum) or a saddle.",
                substeps=tuple(tests),
                data={"show": []},  # each test below says its point's kind
            )
        )
    task = Task(
        "critical_points",
        {"f": f0, "variables": tuple(syms0), "interval": None},
        "Find the critical points of f and classify each one.",
    )
    answer = [(tuple(_tidy_point(c) for c in p), k) for p, k in answer]
    return Solution(task, steps, answer)


def _solve_system(grads: list[Any], syms: list[Any], f: Any) -> tuple[list[list[Any]], bool, bool]:
    """Real solutions of grad = 0 inside the domain of f, sorted; whether a continuum of
    solutions was dropped; whether the points were found numerically."""
    polynomial = all(g.is_polynomial(*syms) for g in grads)
    try:
        raw = sympy.solve(grads, syms, dict=True)
    except Exception:  # noqa: BLE001
        raw = []
    pts: list[list[Any]] = []
    infinite = False
    for d in raw:
        if len(d) < len(syms) or any(d[s].free_symbols for s in syms if s in d):
            infinite = True
            continue
        p = [sympy.simplify(d[s]) for s in syms]
        if all(num(v) == num(v) for v in p) and all(v.is_real is not False for v in p):
            if all(sign_at(g.subs(dict(zip(syms, p))), syms[0], 0) == 0 for g in grads):
                pts.append(p)
    numeric = False
    if not raw and not polynomial:
        pts, numeric = _numeric_system(grads, syms), True
    # the point must lie in the domain: f real and finite there (ln(xy) needs xy > 0)
    pts = [p for p in pts if num(f.subs(dict(zip(syms, p)))) == num(f.subs(dict(zip(syms, p))))]
    pts.sort(key=lambda p: tuple(num(v) for v in p))
    uniq: list[list[Any]] = []
    for p in pts:
        if not uniq or any(abs(num(a) - num(b)) > 1e-9 for a, b in zip(p, uniq[-1])):
            uniq.append(p)
    return uniq, infinite, numeric and bool(uniq)


def _numeric_system(grads: list[Any], syms: list[Any]) -> list[list[Any]]:
    """grad = 0 by Newton's method from a grid of starts on [-3, 3]^n; exact values kept
    when a coordinate is a simple number that checks to 30 digits."""
    import itertools

    import mpmath

    from ._common import simple_numbers

    fns = sympy.lambdify(syms, grads, "mpmath")
    n = len(syms)
    starts = itertools.product(*[[-3 + 1.5 * i for i in range(5)]] * n) if n <= 3 else []
    found: list[list[float]] = []
    for st in starts:
        try:
            r = mpmath.findroot(lambda *v: fns(*v), [s + 0.1 for s in st])
        except (ValueError, ZeroDivisionError, TypeError, OverflowError):
            continue
        vals = [float(mpmath.re(c)) for c in (r if n > 1 else [r])]
        if any(abs(v) > 1e6 for v in vals):
            continue
        if not any(all(abs(a - b) < 1e-8 for a, b in zip(vals, q)) for q in found):
            found.append(vals)
    out = []
    for vals in found:
        guess = [next(iter(simple_numbers(v)), None) for v in vals]
        if all(g is not None for g in guess):
            at = dict(zip(syms, guess))
            if all(abs(complex(g.subs(at).evalf(40))) < 1e-30 for g in grads):
                out.append(guess)
                continue
        out.append([sympy.Float(v, 15) for v in vals])
    return out


def _hessian_test(f: Any, syms: list[Any], H: Any, p: list[Any]) -> tuple[str, Step]:
    """2 variables: D = f_xx f_yy - f_xy^2; more: leading principal minors (Sylvester)."""
    at = dict(zip(syms, p))
    Hp = H.subs(at).applyfunc(sympy.simplify)
    minors = [sympy.simplify(Hp[:k, :k].det()) for k in range(1, len(syms) + 1)]
    signs = [sign_at(m, syms[0], 0) for m in minors]
    D = minors[-1]
    n = len(syms)
    if all(s == 1 for s in signs):
        kind, words = "minimum", "D > 0 and f_xx > 0: the surface is a bowl, a local minimum"
    elif all(s == (-1) ** (k + 1) for k, s in enumerate(signs)):
        kind, words = "maximum", "D > 0 and f_xx < 0: the surface is a cap, a local maximum"
    elif signs[-1] not in (0, None) and (n == 2 or _indefinite(Hp)):
        kind, words = "saddle", "D < 0: up in one direction, down in another, a saddle point"
    else:
        kind = _probe(f, syms, p)
        words = (
            "the test is inconclusive (D = 0); looking at f on a small circle around the "
            "point, it is a " + ("saddle" if kind == "saddle" else "local " + kind)
        )
    if n == 2:
        expl = "At {p}: f_xx = {fxx}, D = f_xx f_yy - f_xy^2 = {D}; " + words + "."
    else:
        expl = "At {p}: the leading minors of the Hessian are {minors}; " + words + "."
    return kind, Step(
        "hessian_test",
        before=tuple(p),
        after=kind,
        explanation=expl,
        data={"p": tuple(p), "fxx": Hp[0, 0], "D": D, "H": Hp, "minors": tuple(minors)},
    )


def _indefinite(Hp: Any) -> bool:
    import numpy as np

    ev = np.linalg.eigvalsh(np.array(Hp.evalf(), dtype=float))
    return bool(ev.min() < -1e-12 and ev.max() > 1e-12)


def _probe(f: Any, syms: list[Any], p: list[Any]) -> str:
    """Classify a degenerate point by the sign of f - f(p) on small spheres around it."""
    import numpy as np

    fn = sympy.lambdify(syms, f - f.subs(dict(zip(syms, p))), "numpy")
    base = np.array([num(v) for v in p])
    n = len(syms)
    rng = np.random.default_rng(0)  # fixed directions: deterministic
    dirs = rng.normal(size=(400, n))
    dirs /= np.linalg.norm(dirs, axis=1, keepdims=True)
    if n == 2:
        t = np.linspace(0, 2 * np.pi, 400, endpoint=False)
        dirs = np.stack([np.cos(t), np.sin(t)], axis=1)
    vals = []
    for r in (1e-2, 1e-3):
        pts = base + r * dirs
        with np.errstate(all="ignore"):
            vals.append(np.asarray(fn(*pts.T), dtype=float))
    v = np.concatenate(vals)
    tol = 1e-14
    pos, neg = (v > tol).any(), (v < -tol).any()
    if pos and neg:
        return "saddle"
    if pos:
        return "minimum"
    if neg:
        return "maximum"
    return "neither"
