"""Antiderivatives: right up to a constant of integration, checked by differentiating."""

from __future__ import annotations

from typing import Any

from ..core import Verdict
from .context import _CONSTANT_NAMES, _Ctx, _first, _free_names, _run, _sympy, _undecided
from .diagnosis import _kind_mismatch, _restates, _unexpected, stage_diagnose, stage_malrules


def stage_antiderivative(a: Any, b: Any, ctx: _Ctx) -> Verdict:
    """Antiderivatives: equal when their derivatives are; the + C is optional."""
    from .equiv import compare, plain

    wrong = _kind_mismatch(a, b, ctx)
    if wrong is not None:
        return wrong
    r = _restates(a, ctx)
    if r is not None:
        return r
    var = ctx.options.get("var") or _main_variable(b, ctx)
    if plain(a) == plain(b):
        return ctx.verdict(True, "equivalent", "Correct.", "structural", compared="identical")
    db = _derivative(b, var, ctx)
    # letters of the key that its derivative loses are its constants (sin(x) + c, ln(c|x|))
    key_consts = {n for n in _free_names(b) - _free_names(db) if n != var}
    key_consts -= set(ctx.variables or ())
    question = (_free_names(b) - key_consts) | set(ctx.variables or ()) | {var}
    candidates = _free_names(a) - question
    da = _derivative(a, var, ctx)
    consts = sorted(candidates - _free_names(da))  # any letter the question does not use
    multiplied = sorted(candidates & _free_names(da))
    if multiplied:
        if set(multiplied) <= set(_CONSTANT_NAMES) | set(ctx.opts.constants if ctx.opts else ()):
            return ctx.verdict(
                False,
                "not_equivalent",
                f"Not correct: {', '.join(multiplied)} changes the derivative; a constant of "
                "integration is added (+ C), not multiplied.",
                "derivative",
                constants=multiplied,
            )
    has_c = bool(consts)
    names = sorted(_free_names(da) | _free_names(db) | ({var} if var else set()))
    jump = _jump(a, b, db, var)  # before the derivatives: floor's is no function sympy knows
    if jump is not None:
        return ctx.verdict(
            False,
            "not_equivalent",
            f"Not correct: your answer jumps at {var} = {jump}, where the integrand is "
            "continuous, so it is no antiderivative there.",
            "jump",
            point={var: jump},
        )
    out = compare(plain(da), plain(db), names=names, deadline=ctx.deadline, domain="common")
    if multiplied and out.equal is not True:
        # a letter of the answer alone is a constant only if the derivative is the integrand
        # whatever it is (atan((a x + 1)/(a - x)) for atan(x)); else it is a slip to name
        u = _unexpected(a, b, ctx, allowed=consts)
        if u is not None:
            return u
    if out.equal is True:
        # equal derivatives where both are defined; but an answer defined on less of the
        # line than the key (x²/2 + √x² − x for x²/2) is an antiderivative on part of it
        # only.  ln(u) for ln|u| is the one convention allowed, with a note (below).
        narrower = _narrower(_abs_in_logs(a), b, var, ctx)
        if narrower is not None:
            return narrower
    if out.equal is True:
        fb = "Correct."
        if ctx.options.get("plus_c") and not has_c:
            fb = "Correct; remember to add the constant of integration, + C."
        extra: dict[str, Any] = {"constants": consts} if consts else {}
        if multiplied:
            extra["parameters"] = multiplied
        if _log_abs_dropped(a, b):
            fb += " Note: ln|x| is the antiderivative on both sides of 0; ln(x) only for x > 0."
            extra["note"] = "log_without_abs"
        return ctx.verdict(
            True, "equivalent", fb, "derivative", compared="derivatives", plus_c=has_c, **extra
        )
    if out.equal is None:
        return _undecided(out, ctx)
    d = _first(lambda: stage_malrules(a, b, ctx, names), lambda: stage_diagnose(da, db, ctx, names))
    if d is not None and d.code in ("sign_error", "constant_factor"):
        return d
    return ctx.verdict(
        False,
        "not_equivalent",
        "Not correct: the derivative of your answer is not the integrand.",
        "derivative",
    )


def _narrower(a: Any, b: Any, var: str | None, ctx: _Ctx) -> Verdict | None:
    """The verdict when the answer is undefined on part of an interval of the key's domain
    where it is defined elsewhere (x²/2 + √x² − x for x²/2), else None.  An answer that
    leaves out whole intervals is an antiderivative on the others: ln(x) for ln|x|,
    −acoth(x/3)/3 for ln|x − 3|/6 − ln|x + 3|/6 (|x| > 3).  One variable; the domains read
    from the structure over the whole line, between the critical points."""
    from . import numeric
    from .domain import conditions, critical_points, defined, gap_points
    from .equiv import plain

    sp = _sympy()
    if var is None or var not in _free_names(a) | _free_names(b):
        return None
    # the other letters are constants: the domain in the variable is read at one value of
    # them (ln(c|x|) is an antiderivative for each c > 0; √a² − a + √x² − x is not for any)
    others = {sp.Symbol(n): sp.Rational(17, 10) for n in _free_names(a) | _free_names(b)}
    others.pop(sp.Symbol(var), None)
    A, B = plain(a).xreplace(others), plain(b).xreplace(others)
    conds = [g for g, _s in conditions(A) | conditions(B)]
    if not conds:
        return None
    conds += [sp.fraction(sp.together(B))[1]]  # the key's poles split its intervals too
    try:
        pts = critical_points(conds, var)
    except Exception:  # noqa: BLE001 - no critical points, no claim
        return None
    if pts is None:
        return None
    mp = numeric.context(50)
    cuts = sorted({mp.mpf(sp.N(p, 60)) for p in pts if p.is_real})
    gaps = gap_points(pts, numeric.fresh_rng())
    if len(gaps) != len(cuts) + 1 and not (not cuts and len(gaps) == 2):
        return None
    inner, rays = gaps[: len(cuts) - 1] if cuts else [], gaps[-2:]
    ordered = [rays[0], *inner, rays[1]] if cuts else [rays[0] + rays[1]]

    def status(e: Any, vals: list[Any]) -> bool | None:
        seen = [defined(e, {var: v}) for v in vals]
        return None if None in seen else any(seen)

    intervals: list[list[tuple[bool | None, Any]]] = [[]]  # (answer defined, a point)
    for k, vals in enumerate(ordered):
        kb = status(B, vals)
        if kb:
            intervals[-1].append((status(A, vals), vals[0]))
        if not kb or (k < len(cuts) and defined(B, {var: cuts[k]}) is not True):
            intervals.append([])  # the key's domain breaks here
    for part in intervals:
        where = [pt for ok, pt in part if ok is False]
        if where and any(ok for ok, _pt in part):
            x0 = float(where[0])
            return ctx.verdict(
                False,
                "domain_differs",
                "Your answer has the right derivative where it is defined, but it is "
                "undefined on part of an interval where the antiderivative is defined "
                f"(at {var} = {x0:.3g}).",
                "domain",
                example={"point": {var: x0}, "defined": "expected"},
            )
    return None


def _jump(a: Any, b: Any, db: Any, var: str | None) -> str | None:
    """A point where the answer jumps (floor, ceiling, sign, Heaviside of a linear argument)
    while the key and the integrand are continuous on both sides: an antiderivative is
    differentiable, so continuous, there.  The point as text, or None when none is found."""
    sp = _sympy()
    from . import numeric
    from .domain import conditions, critical_points

    steps = (sp.floor, sp.ceiling, sp.sign, sp.Heaviside, sp.frac)
    if var is None or b.has(*steps):
        return None
    x = sp.Symbol(var)
    candidates: list[Any] = []
    for node in sp.preorder_traversal(a):
        if not (isinstance(node, steps) and node.args[0].has(x)):
            continue
        g = sp.expand(node.args[0])
        c, d = g.coeff(x, 1), g.coeff(x, 0)
        if not (c.is_Rational and d.is_Rational and c != 0 and sp.expand(g - c * x - d) == 0):
            continue
        if isinstance(node, (sp.sign, sp.Heaviside)):
            candidates.append(-d / c)
        else:
            candidates.extend((k - d) / c for k in (1, -1, 2, 7, -3))
    if not candidates:
        return None
    # where the key's domain may end, and its poles and the integrand's
    watch = [g for g, _s in conditions(b) | conditions(db)]
    watch += [sp.fraction(sp.together(e))[1] for e in (b, db)]
    try:
        poles = critical_points(watch, var)
    except Exception:  # noqa: BLE001 - no critical points, no claim
        return None
    if poles is None:
        return None
    for p in candidates[:12]:
        eps = sp.Rational(1, 10**6) * max(1, abs(p))
        lo, hi = p - eps, p + eps
        if any(lo <= q <= hi for q in poles if q.is_real):
            continue
        try:
            left = [numeric.evaluate(e, {var: lo}, 50) for e in (a, b)]
            right = [numeric.evaluate(e, {var: hi}, 50) for e in (a, b)]
        except Exception:  # noqa: BLE001 - not defined there: no evidence
            continue
        d_left, d_right = left[0][0] - left[1][0], right[0][0] - right[1][0]
        scale = max(left[0][1], left[1][1], right[0][1], right[1][1], 1)
        # an antiderivative differs from the key by a constant on an interval where the
        # integrand is continuous: any change beyond the rounding of 50 digits is a proof
        if abs(d_left - d_right) > 1e-30 * scale:
            return str(p)
    return None


def _main_variable(b: Any, ctx: _Ctx) -> str | None:
    """The variable of integration: ``var``, the first of ``variables``, else x, t, or the
    first letter of the key that does not look like a constant."""
    names = sorted(_free_names(b) | set(ctx.variables or ()))
    if ctx.variables:
        return ctx.variables[0]
    if not names:
        return None
    for v in ("x", "t", "u", "y", "z", "s", "theta"):
        if v in names:
            return v
    plain_names = [n for n in names if n not in _CONSTANT_NAMES + ("k",)]
    return (plain_names or names)[0]


def _log_abs_dropped(a: Any, b: Any) -> bool:
    """The key has ln|...| and the answer a log without the absolute value."""
    sp = _sympy()
    logs_b = [t for t in sp.preorder_traversal(b) if isinstance(t, sp.log)]
    logs_a = [t for t in sp.preorder_traversal(a) if isinstance(t, sp.log)]
    return any(t.args[0].has(sp.Abs) for t in logs_b) and any(
        not t.args[0].has(sp.Abs) for t in logs_a
    )


def _abs_in_logs(e: Any) -> Any:
    """``e`` with ln(u) written ln|u| wherever the bars are missing: the answer as it would
    be with the one dropped-bars convention allowed undone, for the domain comparison."""
    sp = _sympy()
    return e.replace(
        lambda t: isinstance(t, sp.log) and not t.args[0].has(sp.Abs),
        lambda t: sp.log(sp.Abs(t.args[0])),
    )


def _derivative(e: Any, var: str | None, ctx: _Ctx) -> Any:
    sp = _sympy()
    from .equiv import plain
    from .symbolic import realize

    if var is None:
        return sp.Integer(0)
    r = _run("tutor.check.symbolic:derivative", (realize(e), var), ctx, "derivative")
    # the derivative was taken with real symbols; return plain ones
    return plain(r.xreplace({sp.Symbol(var, real=True): sp.Symbol(var)}))


# the kinds this module serves: kind -> (how the answer is read, how it is compared)
KINDS = {
    "antiderivative": ("expression", stage_antiderivative),
}
