"""Shared machinery for the analysis engines: inputs, f', domains, solving f'(x) = 0.

Every sympy call here works on small inputs; where algebra gives up, a numeric scan of sign
changes on a fine grid (refined by bisection and polished by mpmath) takes over, and the step
says the roots are numeric.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy
from sympy import S

from ... import inputs
from ..._diff import diff
from ...core import Step, as_sympy

# Where a numeric scan looks when the domain is unbounded (documented in docs/analysis.md).
SCAN_WINDOW = (-50, 50)
# Default window for periodic functions given without an interval: one period from 0.
GRID = 4001


def to_expr(expr: Any, variables: Any = None) -> Any:
    """A sympy expression from ``expr``: text goes through ``tutor.parse`` (never eval)."""
    if isinstance(expr, str):
        from ...parse import parse

        names = inputs.names(variables, "variables")
        try:
            return parse(expr, variables=names)
        except TypeError:
            return parse(expr)
    if isinstance(expr, (int, float)):
        return as_sympy(expr)
    return expr


def to_number(value: Any) -> Any:
    """A sympy number from a Python number, a sympy object or text (through the parser)."""
    if isinstance(value, str):
        value = to_expr(value)
    elif isinstance(value, float):
        value = inputs.number(value, "value")  # the decimal policy of tutor.inputs
    elif isinstance(value, int):
        value = sympy.Integer(value)
    return value


def var_first(var: Any, other: Any) -> tuple[Any, Any]:
    """The public argument order is (expression, var, point or interval): a call written in
    the old order ``f(expr, interval)`` or ``f(expr, at)`` is read the same way."""
    if var is None or isinstance(var, (str, sympy.Symbol)):
        if isinstance(var, str) and not var.strip().isidentifier():
            return None, var if other is None else other  # "2", "pi/4": a point
        return var, other
    if other is None:
        return None, var
    raise ValueError(f"var must be a variable name, not {var!r}")


def pick_variables(f: Any, variables: Any = None) -> list[Any]:
    """The variables of ``f``: as given (names or symbols), else its free symbols by name."""
    if variables is None:
        syms = sorted(f.free_symbols, key=lambda s: s.name)
        return syms or [sympy.Symbol("x")]
    variables = inputs.names(variables, "variables")  # "x,y", "x y", ["x", "y"]
    by_name = {s.name: s for s in f.free_symbols}
    out = []
    for name in variables:
        out.append(by_name.get(name, sympy.Symbol(name)))
    return out


def realify(f: Any, syms: list[Any]) -> tuple[Any, list[Any]]:
    """``f`` with its variables replaced by real symbols of the same names."""
    real = [sympy.Symbol(s.name, real=True) for s in syms]
    g = f.xreplace(dict(zip(syms, real)))
    try:
        from ...functions import elementary

        g = elementary(g)
    except ImportError:  # pragma: no cover - functions.py ships with the skeleton
        pass
    return _real_roots(g), real


def _real_roots(f: Any) -> Any:
    """Odd roots of negative numbers are real in this course: x^(2/3) = |x|^(2/3)."""

    def fix(p: Any) -> Any:
        e = p.exp
        if e.is_Rational and not e.is_Integer and e.q % 2 == 1 and not p.base.is_nonnegative:
            mag = sympy.Abs(p.base) ** e
            return mag if e.p % 2 == 0 else sympy.sign(p.base) * mag
        return p

    return f.replace(lambda e: e.is_Pow and e.exp.is_Rational, fix)


def derivative_step(f: Any, x: Any, order: int = 1) -> tuple[Any, Step]:
    """f', f'' ... with a ``differentiate`` step (rule-by-rule substeps when available)."""
    d = _off_jumps(diff(f, x, order))
    d_s = _off_jumps(_tidy(d))
    subs: tuple[Step, ...] = ()
    if order == 1:
        try:
            from ..derivatives import differentiate

            subs = tuple(differentiate(f, x).steps)
        except Exception:  # noqa: BLE001 - the rule engine is optional here
            subs = ()
    names = {1: "f'", 2: "f''", 3: "f'''"}
    name = names.get(order, f"f^({order})")
    expl = {
        1: "{d} = {df} is the slope of the curve at each point.",
        2: "Differentiate again: {d} = {df} says how the slope itself changes (the bending).",
    }.get(order, "Differentiate again: {d} = {df}.")
    step = Step(
        "differentiate",
        before=f,
        after=d_s,
        explanation=expl,
        substeps=subs,
        data={"d": sympy.Symbol(f"{name}({x.name})"), "df": d_s, "f": f, "order": order},
    )
    return d_s, step


def _off_jumps(d: Any) -> Any:
    """f' away from the jumps of sign(u): there DiracDelta(u) is 0 and sign(u)^2 is 1 (the
    points u = 0 themselves are examined as points where f' may not exist)."""
    if not isinstance(d, sympy.Basic) or not d.has(sympy.DiracDelta, sympy.sign):
        return d
    d = d.replace(lambda e: isinstance(e, sympy.DiracDelta), lambda e: S.Zero)
    d = d.replace(
        lambda e: e.is_Pow and isinstance(e.base, sympy.sign) and e.exp.is_integer,
        lambda e: S.One if e.exp.is_even else e.base,
    )

    def pair(m: Any) -> Any:  # |u|·sign(u) = u
        args = list(m.args)
        for a in [a for a in args if isinstance(a, sympy.Abs)]:
            s_ = sympy.sign(a.args[0])
            if s_ in args and a in args:
                args.remove(a)
                args.remove(s_)
                args.append(a.args[0])
        return sympy.Mul(*args)

    return d.replace(lambda e: e.is_Mul and e.has(sympy.Abs) and e.has(sympy.sign), pair)


def _tidy(e: Any) -> Any:
    """A short equivalent form (factored when that is shorter); cheap, no ``simplify``."""
    best = e
    for tidy in (sympy.factor_terms, sympy.factor):
        try:
            t = tidy(e)
        except Exception:  # noqa: BLE001
            continue
        if sympy.count_ops(t) < sympy.count_ops(best):
            best = t
    return best


def decimal(v: Any, digits: int = 6) -> Any:
    """A decimal for display beside an exact value."""
    try:
        return sympy.Float(sympy.N(v, 15), digits)
    except (TypeError, ValueError):
        return v


def exact_reads(v: Any) -> bool:
    """True when ``v`` needs no decimal beside it: a rational, a decimal already, or not a
    number (a word); √3/3 or π/2 does need one."""
    if not isinstance(v, sympy.Basic):
        return True
    return bool(v.is_Rational or v.is_Float or not v.is_number)


def with_decimals(
    headers: tuple[str, ...], rows: list[tuple[Any, ...]], cols: tuple[int, ...], caption: str = ""
) -> Any:
    """A Table with an "≈" column after each column of ``cols`` that holds a value needing
    a decimal (exact_reads); its cells beside values that read exactly are left blank, so
    no "≈ −2" repeats an exact −2."""
    from ...core import Table

    keep = [i for i in cols if not all(exact_reads(r[i]) for r in rows)]
    heads: list[str] = []
    for i, h in enumerate(headers):
        heads.append(h)
        if i in keep:
            heads.append("≈")
    out = []
    for r in rows:
        cells: list[Any] = []
        for i, c in enumerate(r):
            cells.append(c)
            if i in keep:
                cells.append("" if exact_reads(c) else decimal(c))
        out.append(tuple(cells))
    return Table(tuple(heads), tuple(out), caption=caption)


def num(v: Any) -> float:
    """A float from a real sympy number (nan when not real)."""
    try:
        c = complex(sympy.N(v, 20))
    except (TypeError, ValueError):
        return float("nan")
    if abs(c.imag) > 1e-9 * max(1.0, abs(c.real)):
        return float("nan")
    return c.real


def lambdify(expr: Any, x: Any):
    """A numpy function of ``x`` that returns nan where ``expr`` is not real."""
    try:
        fn = sympy.lambdify(x, expr, modules=["numpy"])
    except Exception:  # noqa: BLE001 - e.g. derivatives of floor: nothing to evaluate

        def fn(t: Any) -> Any:
            return np.full(np.shape(t), np.nan)

    def call(t: Any) -> Any:
        t = np.asarray(t, dtype=float)
        with np.errstate(all="ignore"):
            try:
                v = fn(t.astype(complex))
            except Exception:  # noqa: BLE001
                v = np.array([_safe(expr, x, ti) for ti in np.atleast_1d(t)])
            v = np.broadcast_to(np.asarray(v, dtype=complex), t.shape)
            ok = np.abs(v.imag) <= 1e-9 * np.maximum(1.0, np.abs(v.real))
            return np.where(ok, v.real, np.nan)

    return call


def _safe(expr: Any, x: Any, t: float) -> complex:
    try:
        return complex(expr.subs(x, t).evalf())
    except (TypeError, ValueError):
        return complex("nan")


def value_at(expr: Any, x: Any, c: Any) -> Any:
    """``expr`` at ``x = c``, exact and tidy when it can be."""
    v = expr.subs(x, c)
    if v.has(sympy.nan, sympy.zoo):
        return sympy.nan
    if v.has(sympy.Float):
        return sympy.Float(v.evalf(15), 15)
    try:
        ops = sympy.count_ops(v)
        if ops == 0:
            return v
        # simplify is costly on nested radicals and inverse trig: only small values get it
        return sympy.simplify(v) if ops <= 14 else sympy.radsimp(v)
    except Exception:  # noqa: BLE001
        return v


def sign_at(expr: Any, x: Any, c: Any) -> int | None:
    """The sign of ``expr`` at ``c`` (0, 1, -1), exact when possible; None when undefined."""
    v = expr.subs(x, c)
    if v.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        return None
    if v.is_zero:
        return 0
    f = num(v)
    if f != f:
        return None
    if abs(f) < 1e-12:
        try:
            if sympy.simplify(v) == 0:
                return 0
        except Exception:  # noqa: BLE001
            return 0
        return 0 if abs(f) < 1e-30 else (1 if f > 0 else -1)
    return 1 if f > 0 else -1


# ---------------------------------------------------------------------------- domains


def domain_of(f: Any, x: Any, interval: Any = None) -> Any:
    """The real domain of ``f`` (a sympy set), cut to ``interval`` when given."""
    from sympy.calculus.util import continuous_domain

    try:
        dom = continuous_domain(f, x, S.Reals)
    except Exception:  # noqa: BLE001 - unknown functions: assume all reals, the scan will see nan
        dom = S.Reals
    if interval is not None:
        dom = _cut(dom, interval)
    return dom


def _cut(dom: Any, interval: Any) -> Any:
    """``dom`` ∩ ``interval`` with periodic holes (ImageSets) listed as points on a bounded
    interval, so that the result is a plain union of intervals."""
    if dom == S.Reals:
        return interval
    if isinstance(dom, sympy.Complement) and dom.args[0] == S.Reals:
        holes = dom.args[1]
        lo, hi = interval.inf, interval.sup
        if lo.is_finite and hi.is_finite:
            parts = holes.args if isinstance(holes, sympy.Union) else (holes,)
            pts: list[Any] = []
            for p in parts:
                if isinstance(p, sympy.FiniteSet):
                    pts += list(p)
                elif isinstance(p, sympy.ImageSet) and p.base_sets[0] == S.Integers:
                    e = p.lamda.expr.xreplace({p.lamda.variables[0]: K})
                    pts += _enumerate(e, num(lo), num(hi))
                else:
                    return sympy.Intersection(dom, interval)
            return sympy.Complement(interval, sympy.FiniteSet(*pts))
    return sympy.Intersection(dom, interval)


def _enumerate(e: Any, lo: float, hi: float) -> list[Any]:
    """Values of ``e`` (linear in the integer k) inside [lo, hi]."""
    a0, s = num(e.subs(K, 0)), num(sympy.diff(e, K))
    if s == 0 or s != s:
        return [e.subs(K, 0)] if lo <= a0 <= hi else []
    k1, k2 = sorted(((lo - a0) / s, (hi - a0) / s))
    if k2 - k1 > 1000:
        return []
    return [
        e.subs(K, k)
        for k in range(int(np.floor(k1)) - 1, int(np.ceil(k2)) + 2)
        if lo - 1e-12 <= num(e.subs(K, k)) <= hi + 1e-12
    ]


def to_interval(interval: Any) -> Any:
    """A sympy Interval from ``(a, b)``, ``[a, b]``, an Interval or None (closed for pairs)."""
    if interval is None or isinstance(interval, sympy.Set):
        return interval
    a, b = (to_number(v) for v in interval)
    return sympy.Interval(a, b)


def bounds(dom: Any) -> tuple[Any, Any]:
    """Infimum and supremum of a set (may be infinite)."""
    try:
        return dom.inf, dom.sup
    except Exception:  # noqa: BLE001
        return -sympy.oo, sympy.oo


def interior_contains(dom: Any, c: Any) -> bool:
    """True when ``c`` is an interior point of ``dom`` (critical points are interior)."""
    fc = num(c)
    if fc != fc:
        return False
    h = 1e-9 * max(1.0, abs(fc))
    return all(_in_set(dom, v) for v in (c, sympy.Float(fc - h, 30), sympy.Float(fc + h, 30)))


def _in_set(dom: Any, c: Any) -> bool:
    """Membership that also decides periodic holes (ImageSets) numerically."""
    if isinstance(dom, sympy.Complement):
        return _in_set(dom.args[0], c) and not _in_set(dom.args[1], c)
    if isinstance(dom, sympy.Union):
        return any(_in_set(p, c) for p in dom.args)
    if isinstance(dom, sympy.Intersection):
        return all(_in_set(p, c) for p in dom.args)
    if isinstance(dom, sympy.ImageSet) and dom.base_sets[0] == S.Integers:
        e = dom.lamda.expr.xreplace({dom.lamda.variables[0]: K})
        a0, s = num(e.subs(K, 0)), num(sympy.diff(e, K))
        if s != 0 and s == s:
            k = (num(c) - a0) / s
            return abs(k - round(k)) < 1e-12 * max(1.0, abs(k))
    try:
        inside = dom.contains(c)
    except Exception:  # noqa: BLE001
        return False
    return inside is S.true or inside is True


# ---------------------------------------------------------------------------- f'(x) = 0


@dataclass
class Roots:
    """Zeros of a function found with the algebra shown."""

    roots: list[Any] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    numeric: bool = False
    general: list[Any] = field(default_factory=list)  # general solutions, with k an integer
    window: Any = None  # the set searched (periodic defaults, numeric scans)
    period: Any = None  # period of the whole equation, for the default window
    found: list[Any] = field(default_factory=list)  # every real root, before the domain cut


K = sympy.Symbol("k", integer=True)


def solve_zero(g: Any, x: Any, dom: Any, name: str = "f'") -> Roots:
    """Solve ``g(x) = 0`` on ``dom`` with steps: numerator, factors, formula, trig, numeric."""
    out = Roots()
    if g.is_zero:
        return out
    num_, den = sympy.fraction(sympy.together(g))
    num_ = sympy.expand_power_base(num_, force=False)
    if den != 1 and not den.is_number:
        out.steps.append(
            Step(
                "numerator_zero",
                before=sympy.Eq(g, 0),
                after=sympy.Eq(num_, 0),
                explanation="A fraction is zero exactly where its numerator is zero (and its "
                "denominator is not), so solve {eq}.",
                data={"eq": sympy.Eq(num_, 0)},
            )
        )
    try:
        fac = sympy.factor(num_, deep=False) if num_.is_polynomial(x) else sympy.factor(num_)
    except Exception:  # noqa: BLE001
        fac = num_
    factors = [f for f in sympy.Mul.make_args(fac) if f.has(x)]
    if (len(factors) > 1 or (factors and factors[0].is_Pow)) and fac != num_:
        out.steps.append(
            Step(
                "factor",
                before=num_,
                after=fac,
                explanation="In factors, {fac} = 0. A product is zero exactly when one of its "
                "factors is zero.",
                data={"fac": fac},
            )
        )
    lo, hi = bounds(dom)
    if not (lo.is_finite and hi.is_finite) and g.has(
        sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc
    ):
        try:
            out.period = sympy.periodicity(g, x)
        except Exception:  # noqa: BLE001
            out.period = None
    seen: list[Any] = []
    for f in factors:
        base = f.base if f.is_Pow and f.exp.is_positive else f
        if any(base == s for s in seen):
            continue
        seen.append(base)
        _solve_factor(base, x, dom, out)
    # keep only real interior points of the domain, in order, without repeats
    found: list[Any] = []
    for r in out.roots:
        if num(r) == num(r) and not any(_same(r, k) for k in found):
            found.append(r)
    out.found = sorted(found, key=num)
    kept: list[Any] = []
    for r in out.roots:
        if not interior_contains(dom, r):
            continue
        if den != 1 and not den.is_number and sign_at(den, x, r) in (0, None):
            continue
        if any(_same(r, k) for k in kept):
            continue
        kept.append(r)
    out.roots = sorted(kept, key=num)
    return out


def _same(a: Any, b: Any) -> bool:
    fa, fb = num(a), num(b)
    if abs(fa - fb) > 1e-9 * max(1.0, abs(fa)):
        return False
    if a.is_Float or b.is_Float:
        return True
    return sympy.simplify(a - b) == 0


def _solve_factor(f: Any, x: Any, dom: Any, out: Roots) -> None:
    """Zeros of one factor, appending roots and a step to ``out``."""
    eq = sympy.Eq(f, 0)
    if f.func is sympy.exp:
        out.steps.append(
            Step(
                "exp_never_zero",
                before=eq,
                after=sympy.S.false,
                explanation="{f} is positive for every x (e to any power is), so this "
                "factor is never zero.",
                data={"f": f},
            )
        )
        return
    if f.is_polynomial(x):
        _solve_poly(f, x, dom, out)
        return
    if f.is_Pow and f.exp.is_Rational and f.exp.is_positive and f.base.is_polynomial(x):
        _solve_poly(f.base, x, dom, out)
        return
    if f.is_Pow and f.exp.is_negative:
        out.steps.append(
            Step(
                "never_zero",
                before=eq,
                after=sympy.S.false,
                explanation="{f} is one over something finite, so it is never zero.",
                data={"f": f},
            )
        )
        return
    if f.has(sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc):
        if _solve_trig(f, x, dom, out):
            return
    if f.func is sympy.Abs or f.func is sympy.sign:
        _solve_factor(f.args[0], x, dom, out)
        return
    sol = _bounded_solveset(f, x, dom)
    if sol is not None:
        vals = sorted(sol, key=num)
        out.roots.extend(vals)
        out.steps.append(
            Step(
                "solve_equation",
                before=eq,
                after=sympy.FiniteSet(*vals) if vals else S.EmptySet,
                explanation=(
                    "Solve {eq}: " + several(vals, "sol")[0] + "."
                    if vals
                    else "{eq} has no real solution here."
                ),
                data={"eq": eq, **several(vals, "sol")[1]},
            )
        )
        return
    _numeric(f, x, dom, out)


def _solve_poly(p: Any, x: Any, dom: Any, out: Roots) -> None:
    poly = sympy.Poly(p, x)
    deg = poly.degree()
    eq = sympy.Eq(p, 0)
    if deg <= 0:
        return
    if deg == 1:
        a, b = poly.all_coeffs()
        r = sympy.Rational(-b, a) if a.is_Integer and b.is_Integer else sympy.simplify(-b / a)
        out.roots.append(r)
        out.steps.append(
            Step(
                "solve_linear",
                before=eq,
                after=sympy.Eq(x, r),
                explanation="Solve {eq}: {sol}.",
                data={"eq": eq, "sol": sympy.Eq(x, r)},
            )
        )
        return
    if deg == 2:
        a, b, c = poly.all_coeffs()
        disc = sympy.expand(b**2 - 4 * a * c)
        data = {"eq": eq, "a": a, "b": b, "c": c, "disc": disc}
        if disc.is_negative:
            out.steps.append(
                Step(
                    "quadratic_formula",
                    before=eq,
                    after=S.EmptySet,
                    explanation="For {eq} the discriminant b^2 - 4ac = {disc} is negative, so "
                    "there is no real solution: the slope is never zero here.",
                    data=data,
                )
            )
            return
        rs = sorted(
            {
                sympy.radsimp(sympy.nsimplify((-b + s * sympy.sqrt(disc)) / (2 * a)))
                for s in (1, -1)
            },
            key=num,
        )
        rs = [sympy.simplify(r) for r in rs]
        out.roots.extend(rs)
        said = []
        for i, r in enumerate(rs):
            data[f"sol{i}"] = r
            exact = r.is_Rational
            if not exact:
                data[f"ap{i}"] = decimal(r, 4)
            said.append(f"x = {{sol{i}}}" + ("" if exact else f" ≈ {{ap{i}}}"))
        out.steps.append(
            Step(
                "quadratic_formula",
                before=eq,
                after=sympy.FiniteSet(*rs),
                explanation="Quadratic formula for {eq}: x = (-b ± sqrt(b^2 - 4ac))/(2a) with "
                "discriminant {disc}, so " + " and ".join(said) + ".",
                data=data,
            )
        )
        return
    rat = [r for r in sympy.roots(poly, filter="Q") if r.is_rational]
    real = sympy.real_roots(poly)
    vals: list[Any] = []
    numeric = False
    for r in real:
        if isinstance(r, sympy.CRootOf):
            vals.append(sympy.Float(r.evalf(20), 15))
            numeric = True
        else:
            vals.append(r)
    vals = sorted(set(vals), key=num)
    out.roots.extend(vals)
    if numeric:
        out.numeric = True
    out.steps.append(
        Step(
            "numeric_root" if numeric else "polynomial_roots",
            before=eq,
            after=sympy.FiniteSet(*vals) if vals else S.EmptySet,
            explanation=(
                "{eq} has "
                + (
                    "no rational root other than " + several(sorted(rat, key=num), "rat")[0]
                    if rat
                    else "no rational roots"
                )
                + "; its real roots, found numerically, are "
                + several(vals, "sol", "≈")[0]
                + "."
                if numeric
                else "The real roots of {eq} (try divisors of the constant term) are "
                + several(vals, "sol")[0]
                + "."
            ),
            data={
                "eq": eq,
                **several(vals, "sol")[1],
                **several(sorted(rat, key=num), "rat")[1],
            },
        )
    )


def _bounded_solveset(f: Any, x: Any, dom: Any) -> list[Any] | None:
    """solveset on a small expression; None when it does not give a finite set of reals."""
    if sympy.count_ops(f) > 40:
        return None
    try:
        sol = sympy.solveset(f, x, dom if dom is not None else S.Reals)
    except Exception:  # noqa: BLE001
        return None
    if isinstance(sol, sympy.FiniteSet) and all(v.is_real is not False for v in sol):
        vals = [v for v in sol if num(v) == num(v)]
        return vals
    if sol is S.EmptySet:
        return []
    parts = sol.args if isinstance(sol, sympy.Union) else (sol,)
    if all(isinstance(p, (sympy.Interval, sympy.FiniteSet)) for p in parts):
        # zero on a whole interval (a flat piece): no isolated points there; its ends are
        # corners, which the search for points where f' does not exist picks up
        return [v for p in parts if isinstance(p, sympy.FiniteSet) for v in p]
    return None


def _solve_trig(f: Any, x: Any, dom: Any, out: Roots) -> bool:
    """A trig equation: the general solution with k an integer, then the ones in ``dom``."""
    eq = sympy.Eq(f, 0)
    if sympy.count_ops(f) > 40:
        return False
    forms = _trig_general(f, x, out)
    if forms is None:
        try:
            gen = sympy.solveset(f, x, S.Reals)
        except Exception:  # noqa: BLE001
            return False
        parts = gen.args if isinstance(gen, sympy.Union) else (gen,)
        forms = []
        for p in parts:
            if isinstance(p, sympy.ImageSet) and p.base_sets[0] == S.Integers:
                lam = p.lamda
                forms.append(sympy.Eq(x, lam.expr.xreplace({lam.variables[0]: K})))
            elif isinstance(p, sympy.FiniteSet):
                forms.extend(sympy.Eq(x, v) for v in p)
            else:
                return False
    window = dom
    lo, hi = bounds(dom)
    if not (lo.is_finite and hi.is_finite):
        per = out.period
        if per is None:
            try:
                per = sympy.periodicity(f, x)
            except Exception:  # noqa: BLE001
                per = None
        per = per if per is not None and per.is_positive else 2 * sympy.pi
        window = _cut(dom, sympy.Interval.Ropen(0, per))
        out.window = window
    lo_f, hi_f = num(bounds(window)[0]), num(bounds(window)[1])
    if not (np.isfinite(lo_f) and np.isfinite(hi_f)):
        return False
    vals: list[Any] = []
    for form in forms:
        for v in _enumerate(form.rhs, lo_f, hi_f):
            if window.contains(v) is S.true and abs(num(f.subs(x, v))) < 1e-9:
                vals.append(v)
    uniq: list[Any] = []
    for v in sorted(vals, key=num):
        if not any(_same(v, u) for u in uniq):
            uniq.append(v)
    out.roots.extend(uniq)
    out.general.extend(forms)
    out.steps.append(
        Step(
            "trig_equation",
            before=eq,
            after=sympy.FiniteSet(*uniq) if uniq else S.EmptySet,
            explanation=(
                "Solve {eq} in general: {general}, with k any integer. On {window} that gives "
                + (several(uniq, "sol")[0] if uniq else "no solution")
                + "."
            ),
            data={
                "eq": eq,
                "general": forms[0] if len(forms) == 1 else tuple(forms),
                "window": window,
                **several(uniq, "sol")[1],
            },
        )
    )
    return True


_S, _C = sympy.symbols("s c")


def _trig_general(f: Any, x: Any, out: Roots) -> list[Any] | None:
    """General solutions of a trig equation by substitution: the equation is made a polynomial
    in u = sin θ or u = cos θ (double angles expanded, sin^2 + cos^2 = 1), or a linear one in
    tan θ; None when it is not of that shape."""
    trig = f.atoms(sympy.sin, sympy.cos, sympy.tan)
    if not trig or f.has(sympy.cot, sympy.sec, sympy.csc):
        return None
    args = {a.args[0] for a in trig}
    theta = sympy.Dummy("theta")
    if all((a / x).is_Integer for a in args):
        e, lin = sympy.expand_trig(f).xreplace({x: theta}), (S.One, S.Zero)
    elif len(args) == 1:
        (arg,) = args
        if not arg.is_polynomial(x) or sympy.degree(arg, x) != 1:
            return None
        lin = (sympy.diff(arg, x), arg.subs(x, 0))
        e = f.xreplace({arg: theta})
    else:
        return None
    if e.has(x):
        return None
    e = e.xreplace({sympy.sin(theta): _S, sympy.cos(theta): _C, sympy.tan(theta): _S / _C})
    if e.has(theta):
        return None
    numer = sympy.fraction(sympy.together(e))[0]
    if not numer.is_polynomial(_S, _C):
        return None
    thetas: list[Any] = []
    _, facs = sympy.factor_list(sympy.expand(numer), _S, _C)
    for q, _m in facs:
        got = _trig_factor(q)
        if got is None:
            return None
        thetas += got
    a, b = lin
    forms = []
    for t in thetas:
        forms.append(sympy.Eq(x, sympy.expand((t - b) / a)))
    return forms


def _trig_factor(q: Any) -> list[Any] | None:
    """θ (with k) solving one factor q(sin θ, cos θ) = 0."""
    ds, dc = sympy.degree(q, _S), sympy.degree(q, _C)
    if dc > 0 and all(m[1] % 2 == 0 for m in sympy.Poly(q, _S, _C).monoms()):
        q, dc = sympy.expand(q.subs(_C**2, 1 - _S**2)), 0
        q = sympy.expand(sympy.Poly(q, _S, _C).as_expr().subs(_C, sympy.sqrt(1 - _S**2)))
    elif ds > 0 and dc > 0 and all(m[0] % 2 == 0 for m in sympy.Poly(q, _S, _C).monoms()):
        q = sympy.expand(sympy.Poly(q, _S, _C).as_expr().subs(_S**2, 1 - _C**2))
        ds = 0
    two_pi_k = 2 * sympy.pi * K
    if sympy.degree(q, _C) == 0 and sympy.degree(q, _S) > 0:
        out = []
        for u in _unit_roots(q, _S):
            t = sympy.asin(u)
            out.append(t + two_pi_k)
            if abs(abs(num(u)) - 1) > 1e-12:
                out.append(sympy.pi - t + two_pi_k)
        return out
    if sympy.degree(q, _S) == 0 and sympy.degree(q, _C) > 0:
        out = []
        for u in _unit_roots(q, _C):
            t = sympy.acos(u)
            out.append(t + two_pi_k)
            if abs(abs(num(u)) - 1) > 1e-12 and t != 0:
                out.append(-t + two_pi_k)
        return out
    p = sympy.Poly(q, _S, _C)
    if p.total_degree() == 1 and p.coeff_monomial(1) == 0:
        a, b = p.coeff_monomial(_S), p.coeff_monomial(_C)
        return [sympy.atan(-b / a) + sympy.pi * K]
    return None


def _unit_roots(q: Any, u: Any) -> list[Any]:
    """Real roots of the polynomial q(u) in [-1, 1] (sine and cosine live there)."""
    vals = []
    for r in sympy.real_roots(sympy.Poly(q, u)):
        if isinstance(r, sympy.CRootOf):
            r = sympy.Float(r.evalf(20), 15)
        if -1 - 1e-12 <= num(r) <= 1 + 1e-12:
            vals.append(r)
    return sorted(set(vals), key=num)


def several(
    pts: list[Any], key: str = "p", rel: str = "=", name: str | None = "x"
) -> tuple[str, dict[str, Any]]:
    """Words for several points: "x = {p0}", "x = {p0} and x = {p1}", "x = {p0}, x = {p1}
    and x = {p2}" with the data to fill them (never a set or a tuple after "x =": a tuple
    reads as an interval, a set is not a value of x).  ``rel`` is "=" or "≈"; with
    ``name=None`` the values alone are listed ("(1, 2) and (3, 4)")."""
    data = {f"{key}{i}": p for i, p in enumerate(pts)}
    head = f"{name} {rel} " if name else ""
    parts = [f"{head}{{{key}{i}}}" for i in range(len(pts))]
    if not parts:
        return f"no {name or 'value'}", data
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return text, data


def root_words(roots: Roots, dom: Any, key: str = "r") -> tuple[str, dict[str, Any]]:
    """ "x = … and x = …" for every real root found, then which of them lie inside ``dom``
    (a root at an end point or outside is named, never dropped silently)."""
    found = roots.found or roots.roots
    text, data = several(found, key + "a")
    if not found:
        return "it has no real solution", data
    kept = roots.roots
    are = "its solution is " if len(found) == 1 else "its solutions are "
    if len(kept) == len(found):
        return are + text, data
    lo, hi = bounds(dom)
    out_words = []
    for i, r in enumerate(found):
        if any(_same(r, k) for k in kept):
            continue
        at_end = any(e.is_finite and _same(r, e) for e in (lo, hi))
        if at_end:
            why = "an end point (not a critical point: the ends are compared on their own)"
        elif interior_contains(dom, r):
            why = "a point where f' itself is not defined"
        else:
            why = "outside the domain"
        out_words.append(f"x = {{{key}a{i}}} is " + why)
    inside, data_in = several(kept, key + "i")
    data.update(data_in)
    data[key + "dom"] = dom
    tail = (
        f"inside {{{key}dom}} that leaves {inside}"
        if kept
        else ("it does not lie" if len(found) == 1 else "none of them lies")
        + f" inside {{{key}dom}}"
    )
    return (
        are + text + "; " + " and ".join(out_words) + ", so " + tail,
        data,
    )


def scan_window(dom: Any) -> tuple[float, float]:
    """A finite window for numeric scanning inside ``dom``."""
    lo, hi = bounds(dom)
    a = num(lo) if lo.is_finite else float(SCAN_WINDOW[0])
    b = num(hi) if hi.is_finite else float(SCAN_WINDOW[1])
    if not lo.is_finite and hi.is_finite:
        a = min(a, b - (SCAN_WINDOW[1] - SCAN_WINDOW[0]) / 2)
    if lo.is_finite and not hi.is_finite:
        b = max(b, a + (SCAN_WINDOW[1] - SCAN_WINDOW[0]) / 2)
    return a, b


def numeric_zeros(f: Any, x: Any, a: float, b: float, n: int = GRID) -> list[float]:
    """Zeros of ``f`` on [a, b]: sign changes on a fine grid, bisection, an mpmath polish;
    near-touching minima of |f| are polished too (double roots do not change sign)."""
    import mpmath

    fn = lambdify(f, x)
    ts = np.linspace(a, b, n)
    vs = fn(ts)
    found: list[float] = []
    for i in range(n - 1):
        u, v = vs[i], vs[i + 1]
        if not (np.isfinite(u) and np.isfinite(v)):
            continue
        if u == 0:
            if not (i and vs[i - 1] == 0) and vs[i + 1] != 0:
                found.append(float(ts[i]))
        elif u * v < 0:
            lo, hi, flo = ts[i], ts[i + 1], u
            for _ in range(60):
                mid = 0.5 * (lo + hi)
                fm = fn(np.array([mid]))[0]
                if not np.isfinite(fm):
                    break
                if fm == 0:
                    lo = hi = mid
                    break
                if (fm < 0) == (flo < 0):
                    lo, flo = mid, fm
                else:
                    hi = mid
            r = 0.5 * (lo + hi)
            # a jump across a pole also changes sign: keep only true zeros
            if abs(fn(np.array([r]))[0]) < 1e-6 * (
                1 + np.nanmax(np.abs(vs[max(0, i - 2) : i + 3]))
            ):
                found.append(float(r))
    if np.isfinite(vs[-1]) and vs[-1] == 0:
        found.append(float(ts[-1]))
    absv = np.abs(vs)
    scale = np.nanmax(absv[np.isfinite(absv)]) if np.isfinite(absv).any() else 1.0
    for i in range(1, n - 1):
        if (
            np.isfinite(absv[i])
            and absv[i] <= absv[i - 1]
            and absv[i] <= absv[i + 1]
            and absv[i] < 1e-3 * (1 + scale)
            and vs[i - 1] * vs[i + 1] > 0
        ):
            try:
                r = float(mpmath.findroot(lambda t: fn(np.array([float(t)]))[0], float(ts[i])))
            except (ValueError, ZeroDivisionError, TypeError):
                continue
            if a <= r <= b and abs(fn(np.array([r]))[0]) < 1e-9:
                found.append(r)
    found.sort()
    out: list[float] = []
    for r in found:
        if not out or abs(r - out[-1]) > 1e-7 * max(1.0, abs(r)):
            out.append(r)
    return out


def polish(f: Any, x: Any, r: float) -> Any:
    """A root to 15 digits (mpmath on the sympy expression), or an exact value it matches."""
    exact = recognise(f, x, r)
    if exact is not None:
        return exact
    try:
        v = sympy.nsolve(f, x, r, prec=30, verify=False)
        if abs(float(v) - r) < 1e-6 * max(1.0, abs(r)):
            r = float(v)
    except Exception:  # noqa: BLE001
        pass
    return sympy.Float(r, 15)


def simple_numbers(r: float) -> list[Any]:
    """Simple exact numbers near ``r``: 0, a small rational, a rational multiple of pi, a
    signed square root of a small rational (candidates, to be verified)."""
    from fractions import Fraction

    cands: list[Any] = [S.Zero] if abs(r) < 1e-10 else []
    q = Fraction(r).limit_denominator(60)
    cands.append(sympy.Rational(q.numerator, q.denominator))
    q = Fraction(r / np.pi).limit_denominator(24)
    cands.append(sympy.Rational(q.numerator, q.denominator) * sympy.pi)
    q = Fraction(r * r).limit_denominator(60)
    cands.append(sympy.sign(r) * sympy.sqrt(sympy.Rational(q.numerator, q.denominator)))
    return [c for c in cands if abs(num(c) - r) <= 1e-9 * max(1.0, abs(r))]


def recognise(f: Any, x: Any, r: float) -> Any:
    """An exact number (small rational, rational multiple of pi, ±sqrt of a small rational)
    equal to root ``r``, verified to 30 digits; None when there is none."""
    for c in simple_numbers(r):
        if abs(num(c) - r) > 1e-9 * max(1.0, abs(r)):
            continue
        try:
            v = f.subs(x, c).evalf(40)
        except Exception:  # noqa: BLE001
            continue
        if v.is_number and abs(complex(v)) < 1e-30:
            return c
    return None


def _numeric(f: Any, x: Any, dom: Any, out: Roots) -> None:
    a, b = scan_window(dom)
    rs = [polish(f, x, r) for r in numeric_zeros(f, x, a, b)]
    rs = [r for r in rs if dom.contains(r) is S.true or dom.contains(sympy.Float(num(r))) is S.true]
    numeric = any(r.is_Float for r in rs)
    out.numeric = out.numeric or numeric
    out.roots.extend(rs)
    window = sympy.Interval(sympy.nsimplify(a), sympy.nsimplify(b))
    lo, hi = bounds(dom)
    if not (lo.is_finite and hi.is_finite):
        out.window = out.window or window
    eq = sympy.Eq(f, 0)
    out.steps.append(
        Step(
            "numeric_root",
            before=eq,
            after=sympy.FiniteSet(*rs) if rs else S.EmptySet,
            explanation=(
                "{eq} has no solution by algebra, so we look numerically: where the sign "
                "changes on a fine grid over {window}, bisection closes in on "
                + several(rs, "sol", "≈")[0]
                + "."
                if rs
                else "{eq} has no solution by algebra, and a fine numeric scan over {window} "
                "finds no sign change, so there is no solution there."
            ),
            data={"eq": eq, "window": window, **several(rs, "sol")[1]},
        )
    )


def nice_point(a: Any, b: Any) -> Any:
    """A simple test point strictly between a and b (either may be infinite)."""
    fa = num(a) if a.is_finite else None
    fb = num(b) if b.is_finite else None
    if fa is None and fb is None:
        return S.Zero
    if fa is None:
        return sympy.Integer(int(np.floor(fb)) - 1)
    if fb is None:
        return (
            sympy.Integer(int(np.ceil(fa)) + 1) if fa != np.ceil(fa) else sympy.Integer(int(fa) + 1)
        )
    # the simplest rational in (a, b): integers first, then halves, quarters...
    for den in (1, 2, 4, 10, 100, 1000, 10**6):
        lo = int(np.floor(fa * den)) + 1
        hi = int(np.ceil(fb * den)) - 1
        if lo <= hi:
            mid = (lo + hi) // 2
            cand = [k for k in range(lo, hi + 1)] if hi - lo < 50 else [mid]
            k = min(cand, key=lambda k: (abs(k), k))
            return sympy.Rational(k, den)
    return sympy.nsimplify((fa + fb) / 2)
