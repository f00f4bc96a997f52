"""Standard limits: sin u/u → 1, tan u/u → 1, (1 − cos u)/u² → 1/2, (eᵘ − 1)/u → 1,
ln(1 + u)/u → 1 as u → 0, found as factors of a 0/0 quotient and regrouped."""

from __future__ import annotations

from typing import Any

import sympy
from sympy import Add, Mul, Pow, S, cos, exp, log, sin, tan

from ....core import DNE, Step
from .. import growth
from .base import Case, Rule, Solver, rule

ID = "standard_limit"
TITLE = "Standard limits"


def recognise(s: Solver, c: Case) -> Rule | None:
    """A 0/0 quotient with a factor sin u, tan u, 1 − cos u, eᵘ − 1 or ln(1 + u), u → 0."""
    if c.form != "0/0":
        return None
    if not any(factor_of(s, f.as_base_exp()[0], c.a) for f in Mul.make_args(c.num / c.den)):
        return None
    return rule(ID, lambda: _work(s, c.f, c.num, c.den, c.a, c.side, c.whole))


def _work(s: Solver, f: Any, num: Any, den: Any, a: Any, side: str, whole: bool) -> Any:
    """sin(u)/u → 1, tan(u)/u → 1, (1 − cos u)/u² → 1/2, (e^u − 1)/u → 1, ln(1+u)/u → 1."""
    from ..engine import _unevaluated_quotient, is_inf

    x = s.x
    quotients, used, rest = [], [], S.One
    trig = False
    for fac in Mul.make_args(num / den):
        base, e = fac.as_base_exp()
        got = factor_of(s, base, a)
        if got is None or not e.is_integer:
            rest = rest * fac
            continue
        kind, u, m, value, coeff = got
        top, bottom = {
            "sin": (sin(u), u),
            "tan": (tan(u), u),
            "cos": (1 - cos(u), u**2),
            "exp": (exp(u) - 1, u),
            "log": (log(1 + u), u),
        }[kind]
        rest = rest * coeff**e * u ** (m * e)
        if e < 0:  # below the line: the reciprocal standard quotient, 3x/sin(3x) → 1
            top, bottom, value, e = bottom, top, 1 / value, -e
        shown = _unevaluated_quotient(top, bottom)
        q = shown
        quotients.append(Pow(shown, e, evaluate=False) if e != 1 else shown)
        used.append((q, value, e))
        trig = trig or kind in ("sin", "tan", "cos")
    if not used:
        return None
    k = sympy.Mul(*[value**e for _, value, e in used])
    pieces = quotients + ([rest] if rest != 1 else [])
    shown = pieces[0] if len(pieces) == 1 else Mul(*pieces, evaluate=False)
    std = ", ".join([f"{{q{i}}} → {{v{i}}}" for i in range(len(used))])
    data = {"shown": shown, "rest": rest, "x": x, "a": a}
    for i, (q, value, _) in enumerate(used):
        data[f"q{i}"], data[f"v{i}"] = q, value
    step = Step(
        "standard_trig_limit" if trig else "standard_limit",
        s.L(f, a, side),
        s.L(shown, a, side),
        "Substituting gives 0/0. Regroup so that the standard limits appear: "
        "{shown}, where " + std + " as {x} → {a}; what is left is {rest}.",
        data=data,
    )
    v, st = s.lim(rest, a, side, whole)
    if v is None or v is DNE and not (st and st[-1].rule == "sides_differ"):
        return None
    if v is DNE:
        return DNE, [step, *st]
    value = k * v if not is_inf(v) else v
    last = Step(
        "limit_laws",
        s.L(shown, a, side),
        value,
        "Multiply the limits: the standard quotients give {k} and the rest gives {rest_value}, "
        "so the limit is {value}.",
        data={"k": k, "rest_value": v, "value": value},
    )
    return value, [step, *st, last]


def factor_of(s: Solver, base: Any, a: Any) -> tuple[Any, ...] | None:
    from ..engine import is_inf, is_zero

    x = s.x

    def small(u: Any) -> bool:
        if not u.has(x):
            return False
        if is_inf(a):
            lt = growth.lead(u.subs(x, -x) if a is S.NegativeInfinity else u, x)
            return lt is not None and is_zero(growth.lead_limit(lt))
        return is_zero(u.subs(x, a)) and s._continuous_at(u, a) is not None

    if isinstance(base, (sin, tan)) and small(base.args[0]):
        return ("sin" if isinstance(base, sin) else "tan", base.args[0], 1, S.One, S.One)
    if isinstance(base, log) and small(base.args[0] - 1):
        return ("log", base.args[0] - 1, 1, S.One, S.One)
    if isinstance(base, Add) and len(base.args) == 2:
        c0, rest = base.as_independent(x, as_Add=True)
        if c0 == 0:
            return None
        coeff, g = rest.as_independent(x, as_Add=False)
        if isinstance(g, cos) and coeff == -c0 and small(g.args[0]):
            return ("cos", g.args[0], 2, S.Half, c0)
        if isinstance(g, exp) and coeff == -c0 and small(g.args[0]):
            return ("exp", g.args[0], 1, S.One, -c0)
    return None


#####LH
