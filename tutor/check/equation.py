"""Equations: compared by their solution sets (solved for the asked letter, or as
constant multiples of each other), keeping the excluded points of both sides."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

from ..core import Verdict
from .context import _Ctx, _free_names, _right, _run, _sympy
from .diagnosis import _unexpected
from .equiv import SEED
from .matching import _match_sets


def stage_equation(a: Any, b: Any, ctx: _Ctx) -> Verdict:
    """Equations: equal when their real solution sets are equal.  In several letters a
    verdict of equal (or none) is put to one more test: points on one solution set, found by
    fixing every letter but one, that the other equation misses (y·z = 2x·z − 5z holds on the
    whole plane z = 0, which y = 2x − 5 does not)."""
    v = _stage_equation(a, b, ctx)
    if v.correct is False or (v.correct is None and v.code != "undetermined"):
        return v
    fa, fb = _sides(a), _sides(b)
    names = sorted(_free_names(a) | _free_names(b) | set(ctx.variables or ()))
    if ctx.variables:
        # the other letters are parameters, generic (c u = c v is u = v for a parameter c):
        # each is fixed at one fresh nonzero value, never at a special one
        sp = _sympy()
        rng = random.Random()
        fixed = {
            sp.Symbol(n): sp.Rational(rng.choice((-1, 1)) * rng.randint(1, 97), rng.randint(1, 89))
            for n in names
            if n not in ctx.variables
        }
        if fa is not None and fb is not None:
            fa, fb = [f.xreplace(fixed) for f in fa], [f.xreplace(fixed) for f in fb]
        names = [n for n in names if n in ctx.variables]
    if fa is None or fb is None or len(names) < 2 or ctx.deadline.expired():
        return v
    if not all(_small(f) for f in fa + fb):
        return v  # (x - a)^6000 is not expanded here, in the calling process
    from .numeric import fresh_rng

    try:
        off = _point_off_the_other(fa, fb, names, ctx, fresh_rng())
        # found at fresh points; the example shown comes from repeatable ones when they
        # show one, so the same answer gets the same text
        off = off and (_point_off_the_other(fa, fb, names, ctx, random.Random(SEED)) or off)
    except Exception:  # a set that cannot be sampled says nothing
        off = None
    if off is None:
        return v
    return ctx.verdict(
        False,
        "not_equivalent",
        "Not correct: your equation describes a different set of points than the expected one.",
        "points",
        example={"point": off[0], "on": off[1]},
    )


def _point_off_the_other(
    fa: list[Any], fb: list[Any], names: list[str], ctx: _Ctx, rng: random.Random
) -> tuple[dict[str, str], str] | None:
    """A point on one solution set that is not on the other, with the side it lies on.

    Every letter but one is fixed at a fresh random rational (or at a zero of a denominator
    of the other equation, where its excluded points are); the last letter is then a root of
    a polynomial, found exactly.  A point off the other set is a proof of difference."""
    sp = _sympy()
    syms = {n: sp.Symbol(n) for n in names}
    for one, other, side in ((fa, fb, "answer"), (fb, fa, "expected")):
        dens = [sp.fraction(sp.together(g))[1] for g in other]
        for f in one:
            num = sp.fraction(sp.together(f))[0]
            for v in names:
                rest = [syms[n] for n in names if n != v]
                for trial in range(2 + len(rest)):
                    if ctx.deadline.left() < 0.3:
                        return None
                    fixed = {
                        o: sp.Rational(rng.randint(-40, 40) or 1, rng.randint(1, 9)) for o in rest
                    }
                    if trial >= 2:  # one letter at an excluded point of the other equation
                        o = rest[trial - 2]
                        zs = [
                            r
                            for d in dens
                            for r in _real_roots(
                                d.xreplace({k: w for k, w in fixed.items() if k != o}), o
                            )
                        ]
                        if not zs:
                            continue
                        fixed[o] = zs[0]
                    for r in _real_roots(num.xreplace(fixed), syms[v])[:4]:
                        pt = {**fixed, syms[v]: r}
                        if _zero_at(f, pt) and not any(_zero_at(g, pt) for g in other):
                            return {str(k): str(w) for k, w in pt.items()}, side
    return None


def _small(f: Any) -> bool:
    """Whether ``f`` is small enough to expand and solve here: a short tree whose integer
    powers are at most 6 (the points test then costs milliseconds)."""
    sp = _sympy()
    if sp.count_ops(f, visual=False) > 200:
        return False
    return all(
        not (t.is_Pow and t.exp.is_Integer and abs(t.exp) > 6) for t in sp.preorder_traversal(f)
    )


def _real_roots(p: Any, x: Any) -> list[Any]:
    """The exact real roots of ``p``, a polynomial in ``x`` alone (else none)."""
    sp = _sympy()
    if p.free_symbols - {x} or not p.has(x) or not p.is_polynomial(x):
        return []
    poly = sp.Poly(p, x)
    if poly.degree() > 6:
        return []
    return list(dict.fromkeys(poly.real_roots()))


def _zero_at(f: Any, pt: dict[Any, Any]) -> bool:
    """Whether ``f`` is defined, real and zero at ``pt`` (to 40 digits at exact points)."""
    sp = _sympy()
    val = sp.N(f.xreplace(pt), 50)
    if val.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or not val.is_number:
        return False
    re, im = val.as_real_imag()
    scale = 1 + max(abs(sp.N(t.xreplace(pt), 50)) for t in sp.Add.make_args(f))
    return bool(abs(im) < 1e-40 * scale and abs(re) < 1e-40 * scale)


def _stage_equation(a: Any, b: Any, ctx: _Ctx) -> Verdict:
    sp = _sympy()
    from .equiv import compare

    fa, fb = _sides(a), _sides(b)
    if fb is None:
        return ctx.verdict(None, "bad_expected", "The expected answer is not an equation.", "kind")
    if fa is None and isinstance(a, (sp.And, sp.Or, sp.core.relational.Relational)):
        # x >= 1 and x <= 1 for x = 1: relations in one letter compared as sets of reals
        from .relation import _as_set

        names = _free_names(a) | _free_names(b)
        if len(names) == 1:
            sa, sb = _as_set(a, ctx), _as_set(b, ctx)
            if sa is not None and sb is not None:
                if sa == sb:
                    ctx.notes = [*ctx.notes, "your relations hold at the same points"]
                    return _right(ctx, "sets")
                return ctx.verdict(
                    False,
                    "not_equivalent",
                    "Not correct: your relations hold on a different set than the equation.",
                    "sets",
                )
    if fa is None:
        what = "a bare value" if isinstance(a, sp.Expr) else "not an equation"
        return ctx.verdict(
            False,
            "wrong_kind",
            f"The answer should be an equation (such as x = 1); yours is {what}.",
            "kind",
        )
    u = _unexpected(a, b, ctx)
    names = sorted(_free_names(a) | _free_names(b) | set(ctx.variables or ()))
    ea, eb = _explicit(a), _explicit(b)
    written = _side_conditions(a), _side_conditions(b)
    if u is not None:
        # a foreign letter that cancels out (y = sin²x + cos²x for y = 1) is no mistake:
        # the same curve whatever it is; else it is the likeliest mistake to name
        if ea is not None and eb is not None and ea[0] == eb[0]:
            out = compare(ea[1], eb[1], names=names, deadline=ctx.deadline, domain="strict")
            if out.equal is True and _plain_equation(ea[1]) and _plain_equation(eb[1]):
                return _right(ctx, "explicit")
        return u
    if ea is not None and eb is not None and ea[0] == eb[0]:
        # y = f(x) against y = g(x): the same curve exactly when f and g are the same
        # function on the same domain, decided without expanding (x - a)^6000
        out = compare(ea[1], eb[1], names=names, deadline=ctx.deadline, domain="strict")
        if out.equal is True and _plain_equation(ea[1]) and _plain_equation(eb[1]):
            return _right(ctx, "explicit")
        if out.equal is False:  # values differ, or a region lies on one curve only
            return ctx.verdict(
                False,
                "not_equivalent",
                "Not correct: your equation describes a different set of points than the "
                "expected one.",
                "explicit",
            )
    # stage: proportional — one equation each, f_a = c * f_b with a nonzero constant c
    plain_sides = written == (frozenset(), frozenset())
    if len(fa) == 1 and len(fb) == 1 and _plain_equation(fa[0]) and _plain_equation(fb[0]):
        c = _ratio_constant(fa[0], fb[0], names)
        if c is not None:
            out = compare(fa[0], c * fb[0], names=names, deadline=ctx.deadline, domain="strict")
            if out.equal is True and plain_sides:
                return _right(ctx, "proportional")
    by_factors = _compare_factors(fa, fb, names, ctx) if plain_sides else None
    if by_factors is not None:
        return by_factors
    if len(names) == 1:
        return _compare_solution_sets(fa, fb, names[0], ctx)
    target = ctx.options.get("solve_for") or ("y" if "y" in names else names[-1])
    if target not in _free_names(a) and all(_depends(f, target) for f in fb):
        return ctx.verdict(
            False,
            "not_equivalent",
            f"Not correct: the expected equation involves {target}, and yours does not.",
            "solve",
        )
    if (
        len(fa) == 1
        and len(fb) == 1
        and written == (frozenset(), frozenset())
        and _skew_planes(fa[0], fb[0], names)
    ):
        return ctx.verdict(
            False,
            "not_equivalent",
            "Not correct: your equation describes a different set of points than the expected one.",
            "linear",
        )
    sols = []
    for fs in (fa, fb):
        got: list[Any] = []
        for f in fs:
            r = _run("tutor.check.symbolic:solve_for", (f, target), ctx, "solve")
            if r is None:
                return ctx.verdict(
                    None, "undetermined", "I could not decide whether the equations agree.", "solve"
                )
            got.extend(r)
        sols.append(got)
    verdict = _match_sets(sols[0], sols[1], ctx, "solve", names=names)
    if verdict.correct is False and verdict.code in (
        "missing_elements",
        "extra_elements",
        "not_equivalent",
    ):
        # the feedback of value sets ("1 value is missing") does not fit equations
        verdict = ctx.verdict(
            False,
            "not_equivalent",
            "Not correct: your equation describes a different set of points than the expected one.",
            "solve",
        )
    if verdict.correct is False and _same_pointwise(sols[0], sols[1], target, names):
        # the solution formulas differ (|x| against x) but not the solution sets
        return ctx.verdict(
            None, "undetermined", "I could not decide whether the equations agree.", "solve"
        )
    if verdict.correct is True and not (
        _solutions_hold(fa, fb, sols[1], target, names)
        and _excluded_points_agree(fa, fb, sols[1], target, names)
    ):
        return ctx.verdict(
            False,
            "domain_differs",
            "The equations agree where both make sense, but not everywhere: check where "
            "each side is defined.",
            "solve",
        )
    lost = any(not (w <= _conditions_of(fs)) for w, fs in zip(written, (fa, fb)))
    if verdict.correct is True and written[0] != written[1] and lost:
        # y = sqrt(x)^2 is y = x only for x >= 0: a side's domain that its difference
        # lost (sympy writes sqrt(x)^2 - y as x - y) leaves no proof from solving
        return ctx.verdict(
            None, "undetermined", "I could not decide whether the equations agree.", "solve"
        )
    return verdict


def _side_conditions(v: Any) -> frozenset[Any]:
    """The domain conditions of the sides as written (roots, logs), before subtracting."""
    sp = _sympy()
    from .domain import conditions

    eqs = [v] if isinstance(v, sp.Equality) else list(getattr(v, "args", ()))
    out: frozenset[Any] = frozenset()
    for q in eqs:
        if isinstance(q, sp.Equality):
            out |= conditions(q.lhs) | conditions(q.rhs)
    return out


def _conditions_of(fs: list[Any]) -> frozenset[Any]:
    from .domain import conditions

    out: frozenset[Any] = frozenset()
    for f in fs:
        out |= conditions(f)
    return out


def _explicit(v: Any) -> tuple[Any, Any] | None:
    """(y, f) for an equation written y = f (or f = y) with y not in f, else None."""
    sp = _sympy()
    if not isinstance(v, sp.Equality):
        return None
    for s, f in ((v.lhs, v.rhs), (v.rhs, v.lhs)):
        if isinstance(s, sp.Symbol) and not f.has(s):
            return s, f
    return None


def _plain_equation(f: Any) -> bool:
    """``f = 0`` has no excluded points: no variable in a denominator, no root or log
    (``(t^2 - 6t + 9)/(t - 3) = 0`` has no solution, so it is not ``t - 3 = 0``)."""
    sp = _sympy()
    from .domain import conditions

    if conditions(f):
        return False
    return not any(
        t.is_Pow and t.exp.is_negative and t.base.free_symbols for t in sp.preorder_traversal(f)
    )


def _depends(f: Any, name: str) -> bool:
    """``f`` (one side minus the other) really involves the variable ``name``."""
    sp = _sympy()
    return sp.expand(f).has(sp.Symbol(name))


def _same_pointwise(sa: list[Any], sb: list[Any], target: str, names: list[str]) -> bool:
    """At random values of the other variables, both lists give the same set of numbers."""
    import random

    from . import numeric

    others = [n for n in names if n != target]
    rng = random.Random(13)

    def values(sols: list[Any], point: dict[str, float]) -> list[Any]:
        out = []
        for g in sols:
            try:
                out.append(numeric.evaluate(g, point, 30)[0])
            except Exception:
                continue
        return out

    for i in range(12):
        point = numeric.sample(others, rng, i)
        va, vb = values(sa, point), values(sb, point)
        near = lambda u, w: abs(u - w) <= 1e-15 * max(1, abs(w))  # noqa: E731
        if not all(any(near(u, w) for w in vb) for u in va) or not all(
            any(near(w, u) for u in va) for w in vb
        ):
            return False
    return True


def _solutions_hold(
    fa: list[Any], fb: list[Any], sols: list[Any], target: str, names: list[str]
) -> bool:
    """At random values of the other variables, each solution satisfies both equations or
    neither (``solve`` forgets domains: sqrt(x) = sqrt(y) is not x = y for x < 0)."""
    import random

    from . import numeric

    sp = _sympy()
    others = [n for n in names if n != target]
    rng = random.Random(11)
    for g in sols:
        for i in range(16):
            point = numeric.sample(others, rng, i)
            try:
                vy, _ = numeric.evaluate(g, point, 30)
            except Exception:
                continue
            full = {**point, target: vy}
            holds = []
            for fs in (fa, fb):
                ok = False
                for f in fs:
                    try:
                        v, scale = numeric.evaluate(f, full, 30)
                    except Exception:
                        continue
                    if abs(v) <= max(scale, 1) * sp.Float("1e-20"):
                        ok = True
                holds.append(ok)
            if holds[0] != holds[1]:
                return False
    return True


def _excluded_points_agree(
    fa: list[Any], fb: list[Any], sols: list[Any], target: str, names: list[str]
) -> bool:
    """Where a denominator of either equation vanishes on the solution curve, the point is
    excluded from both or from neither: (y + 5)/x = 2 is y = 2x - 5 without (0, -5), a
    point random samples never hit (equations keep their excluded points)."""
    sp = _sympy()
    from . import numeric

    others = [sp.Symbol(n) for n in names if n != target]
    if len(others) != 1:
        return True
    x, t = others[0], sp.Symbol(target)
    dens = {
        d.base
        for f in fa + fb
        for d in sp.preorder_traversal(f)
        if d.is_Pow and d.exp.is_negative and d.base.free_symbols
    }

    def holds(fs: list[Any], point: dict[str, Any]) -> bool:
        for f in fs:
            try:
                v, scale = numeric.evaluate(f, point, 30)
            except Exception:
                continue
            if abs(v) <= max(scale, 1) * sp.Float("1e-20"):
                return True
        return False

    for d in dens:
        for g in sols:
            h = sp.expand(d.subs(t, g))
            if not h.free_symbols <= {x} or not h.is_polynomial(x) or h.is_zero:
                continue
            if not h.free_symbols or sp.degree(h, x) > 4:
                continue
            for r in sp.Poly(h, x).real_roots():
                point = {x.name: r, target: g.subs(x, r)}
                if holds(fa, point) != holds(fb, point):
                    return False
    return True


def _compare_factors(fa: list[Any], fb: list[Any], names: list[str], ctx: _Ctx) -> Verdict | None:
    """Polynomial equations: the same irreducible factors (up to constants) is a proof."""
    from .equiv import compare

    pa = _run("tutor.check.symbolic:polynomial_factors", (fa,), ctx, "factors")
    pb = _run("tutor.check.symbolic:polynomial_factors", (fb,), ctx, "factors")
    if pa is None or pb is None:
        return None
    dropped = False
    if ctx.variables:
        # letters that are not the question's variables are parameters with generic
        # (nonzero) values: c·u = c·v is u = v when the variables are u and v
        unknowns = set(ctx.variables)
        keep_a = [f for f in pa if _free_names(f) & unknowns]
        keep_b = [f for f in pb if _free_names(f) & unknowns]
        dropped = (len(keep_a), len(keep_b)) != (len(pa), len(pb))
        pa, pb = keep_a, keep_b
    if len(pa) != len(pb) or len(pa) < (1 if dropped else 2):
        return None

    def same(f: Any, g: Any) -> bool:
        c = _ratio_constant(f, g, names)
        if c is None:
            return False
        return compare(f, c * g, names=names, deadline=ctx.deadline).equal is True

    if all(any(same(f, g) for g in pb) for f in pa) and all(
        any(same(g, f) for f in pa) for g in pb
    ):
        if dropped:
            return _right(ctx, "factors", parameters="nonzero (not among the variables)")
        return _right(ctx, "factors")
    return None


def _sides(v: Any) -> list[Any] | None:
    sp = _sympy()
    if isinstance(v, sp.Equality):
        return [_side(v)]
    if isinstance(v, sp.Or) and all(isinstance(t, sp.Equality) for t in v.args):
        return [_side(t) for t in v.args]
    return None


def _side(eq: Any) -> Any:
    """``lhs - rhs``; for ``|A| = |B|`` the equivalent ``A^2 - B^2`` (both sides are >= 0,
    so squaring neither adds nor loses a solution), which factors as (A - B)(A + B)."""
    sp = _sympy()
    if isinstance(eq.lhs, sp.Abs) and isinstance(eq.rhs, sp.Abs):
        return sp.expand(eq.lhs.args[0] ** 2 - eq.rhs.args[0] ** 2)
    return eq.lhs - eq.rhs


def _skew_planes(f: Any, g: Any, names: list[str]) -> bool:
    """``f = 0`` and ``g = 0`` are linear equations (a·(1 + √2) = b against a = b(√2 − 1)/3)
    whose coefficient vectors are provably not proportional: different lines or planes,
    decided from a nonzero 2×2 minor evaluated with sympy's error control, without solving."""
    sp = _sympy()
    from sympy.core.evalf import PrecisionExhausted

    syms = [sp.Symbol(n) for n in names]
    if not syms or not (f.is_polynomial(*syms) and g.is_polynomial(*syms)):
        return False
    try:
        pf, pg = sp.Poly(f, *syms), sp.Poly(g, *syms)
    except Exception:  # noqa: BLE001 - not a polynomial sympy can read: no claim
        return False
    if pf.total_degree() != 1 or pg.total_degree() != 1:
        return False
    monos = [tuple(int(i == k) for i in range(len(syms))) for k in range(len(syms))]
    monos.append((0,) * len(syms))
    u = [pf.coeff_monomial(m) for m in monos]
    v = [pg.coeff_monomial(m) for m in monos]
    if not all(c.is_number for c in u + v):
        return False
    for i in range(len(u)):
        for j in range(i + 1, len(u)):
            minor = u[i] * v[j] - u[j] * v[i]
            if minor == 0:
                continue
            try:
                m = minor.evalf(15, maxn=200, strict=True)
            except (PrecisionExhausted, ValueError, TypeError):
                continue
            if m.is_Float and m != 0:
                return True
    return False


def _ratio_constant(f: Any, g: Any, names: list[str]) -> Any:
    """The rational constant c with f = c*g suggested by two random points, or None.

    Numeric (mpmath) on purpose: sympy's assumptions on a messy constant can run for minutes.
    """
    import random

    from . import numeric

    sp = _sympy()
    rng = random.Random(5)
    found: list[Fraction] = []
    for i in range(12):
        point = numeric.sample(names, rng, i)
        try:
            vf, _ = numeric.evaluate(f, point, 30)
            vg, _ = numeric.evaluate(g, point, 30)
        except Exception:
            continue
        if vg == 0 or vf == 0:
            continue
        r = vf / vg
        c = Fraction(str(r)).limit_denominator(10_000)
        if abs(r - c.numerator / sp.Integer(c.denominator)) > abs(r) * sp.Float("1e-20"):
            return None
        found.append(c)
        if len(found) == 2:
            return sp.Rational(c.numerator, c.denominator) if found[0] == found[1] else None
    return None


def _compare_solution_sets(fa: list[Any], fb: list[Any], var: str, ctx: _Ctx) -> Verdict:
    sp = _sympy()
    sets = [
        _run("tutor.check.symbolic:real_solutions", (fs, var), ctx, "solution_sets")
        for fs in (fa, fb)
    ]
    sa, sb = sets
    if isinstance(sa, sp.FiniteSet) and isinstance(sb, sp.FiniteSet):
        return _match_sets(list(sa.args), list(sb.args), ctx, "solution_sets", names=[])
    if sa == sb:
        return _right(ctx, "solution_sets")
    simple = all(isinstance(s, (sp.FiniteSet, sp.Interval, sp.Union)) for s in sets)
    if simple or (sa is sp.S.EmptySet) != (sb is sp.S.EmptySet):
        return ctx.verdict(
            False, "not_equivalent", "Not correct: the solutions differ.", "solution_sets"
        )
    return ctx.verdict(
        None, "undetermined", "I could not compare the solution sets.", "solution_sets"
    )


# the kinds this module serves: kind -> (how the answer is read, how it is compared)
KINDS = {
    "equation": ("equation", stage_equation),
}
