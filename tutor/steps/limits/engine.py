"""Limits worked step by step, one named technique per situation.

The solver looks at the shape of f near the point (continuous there? a quotient tending to
0/0 or ∞/∞? a product 0·∞? a difference ∞ − ∞? a power 1^∞?) and picks the technique a
teacher would: substitution, factor and cancel, the conjugate, the standard limits,
L'Hôpital's rule, dominant terms, sign analysis, the squeeze theorem.  When nothing fits
it says so and lets the CAS answer (rule ``cas``); it never guesses.
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import (
    Abs,
    Add,
    Heaviside,
    Limit,
    Mul,
    Piecewise,
    Pow,
    Rational,
    S,
    ceiling,
    cos,
    exp,
    floor,
    log,
    oo,
    sign,
    sin,
    tan,
)
from sympy.core.function import AppliedUndef

from ...core import DNE, Step
from . import techniques
from .budget import check_deadline
from .techniques import (
    Case,
    common_denominator,
    growth_order,
    rationalise,
    squeeze,
    substitution,
)

MAX_DEPTH = 14
MAX_LHOPITAL = 5
_EPS = Rational(1, 10**9)
_SIDED = (Abs, sign, Heaviside, floor, ceiling, Piecewise)
_PLAIN = frozenset(
    {
        "direct_substitution",
        "dominant_term",
        "growth_order",
        "composition",
        "limit_laws",
        "divide_by_highest_power",
    }
)


class NeedSides(Exception):
    """A part behaves differently on the two sides: solve each side on its own."""


class Bounded:
    """Internal value of a bounded part that keeps oscillating (sin(1/x) near 0)."""

    def __repr__(self) -> str:
        return "BOUNDED"


BOUNDED = Bounded()


def is_inf(v: Any) -> bool:
    return v is S.Infinity or v is S.NegativeInfinity


def is_zero(v: Any) -> bool:
    return isinstance(v, sympy.Expr) and v.is_zero is True


def is_finite(v: Any) -> bool:
    return isinstance(v, sympy.Expr) and v.is_finite is True and v.is_extended_real is True


def _sgn(v: Any) -> int | None:
    if v is S.Infinity:
        return 1
    if v is S.NegativeInfinity:
        return -1
    if isinstance(v, sympy.Expr):
        if v.is_positive:
            return 1
        if v.is_negative:
            return -1
    return None


def _inf(s: int) -> Any:
    return oo if s > 0 else -oo


def _has_root(e: Any) -> bool:
    return any(
        isinstance(n, Pow) and n.exp.is_Rational and not n.exp.is_integer
        for n in sympy.preorder_traversal(e)
    )


def _form(vb: Any, ve: Any) -> str | None:
    """The indeterminate power form of base → vb, exponent → ve, if any."""
    if vb == 1 and is_inf(ve):
        return "1^∞"
    if is_zero(vb) and is_zero(ve):
        return "0^0"
    if vb is S.Infinity and is_zero(ve):
        return "∞^0"
    return None


def _variable_power(e: Any, x: Any) -> bool:
    return any(isinstance(n, Pow) and n.exp.has(x) for n in sympy.preorder_traversal(e))


def _unevaluated_quotient(num: Any, den: Any) -> Any:
    if den == 1:
        return num
    return Mul(num, Pow(den, -1, evaluate=False), evaluate=False)


def _tidy(g: Any, x: sympy.Symbol) -> Any:
    """A lightly simplified form of g (cancel common factors), never a bigger one."""
    try:
        h = sympy.cancel(sympy.together(g))
    except (sympy.PolynomialError, TypeError, ValueError):
        return g
    return h if sympy.count_ops(h) <= sympy.count_ops(g) else g


class Solver:
    """The limit solver for one variable; ``lim`` returns (value, steps)."""

    def __init__(self, x: sympy.Symbol, depth: int = 0, method: str | None = None) -> None:
        self.x = x
        self.depth = depth
        self.method = method

    # ---------------------------------------------------------------- notation
    def L(self, f: Any, a: Any, side: str) -> Any:  # noqa: N802 - the maths' name
        if is_inf(a):
            return Limit(f, self.x, a)
        return Limit(f, self.x, a, side)

    # ---------------------------------------------------------------- driver
    def lim(self, f: Any, a: Any, side: str, whole: bool = True) -> tuple[Any, list[Step]]:
        """The limit of f as x → a from ``side`` ("+", "-", "+-") with its steps.

        ``whole`` is False for a part of a bigger expression: a part whose two sides
        differ then raises NeedSides so the whole expression is split instead.
        """
        check_deadline()
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                return None, []
            if not f.has(self.x):
                return f, []
            if is_inf(a):
                return self._at_infinity(f, a, side, whole)
            found = substitution.recognise(self, Case(f, a, side, whole))
            if found is not None:
                return found.run()
            if side == "+-" and whole:
                try:
                    return self._finite(f, a, side, whole)
                except NeedSides:
                    return self._split(f, a)
            return self._finite(f, a, side, whole)
        finally:
            self.depth -= 1

    # ---------------------------------------------------------------- substitution
    def _continuous_at(self, f: Any, a: Any) -> tuple[Any, bool] | None:
        """(f(a), at_boundary) when f is continuous at a (from its domain side), else None."""
        x = self.x
        v = f.subs(x, a)
        if not is_finite(v):
            return None
        boundary = False
        for n in sympy.preorder_traversal(f):
            if not getattr(n, "free_symbols", None) or x not in n.free_symbols:
                continue
            if isinstance(n, (AppliedUndef, sympy.Derivative, sympy.Integral)):
                return None
            nv = n.subs(x, a)
            if not is_finite(nv):
                return None
            if isinstance(n, Pow):
                bv, ev = n.base.subs(x, a), n.exp.subs(x, a)
                if n.exp.has(x) and not bv.is_positive:
                    return None
                if bv.is_zero:
                    if not ev.is_positive:
                        return None
                    if not ev.is_integer:
                        boundary = True
            elif isinstance(n, (sympy.asin, sympy.acos)):
                if Abs(n.args[0].subs(x, a)) == 1:
                    boundary = True
            elif isinstance(n, (floor, ceiling)):
                if n.args[0].subs(x, a).is_integer is not False:
                    return None
            elif isinstance(n, (sign, Heaviside)):
                if n.args[0].subs(x, a).is_zero is not False:
                    return None
            elif isinstance(n, Piecewise):
                if self._piece(n, a - _EPS) != self._piece(n, a + _EPS) or (
                    self._piece(n, a) != self._piece(n, a + _EPS)
                ):
                    return None
        return v, boundary

    def _piece(self, pw: Any, at: Any) -> Any:
        for expr, cond in pw.args:
            c = cond.subs(self.x, at)
            if c is S.true or c is True:
                return expr
        return None

    def _sided_nodes(self, f: Any, a: Any) -> list[Any]:
        x = self.x
        out = []
        for n in sympy.preorder_traversal(f):
            if not isinstance(n, _SIDED) or x not in n.free_symbols:
                continue
            if isinstance(n, Piecewise):
                out.append(n)
                continue
            u0 = n.args[0].subs(x, a)
            if isinstance(n, (floor, ceiling)):
                if u0.is_integer is not False:
                    out.append(n)
            elif u0.is_zero is not False:
                out.append(n)
        return out

    def side_sign(self, g: Any, a: Any, side: str) -> int | None:
        """The sign of g just to one side of a, where g → 0 (leading derivative, else numbers)."""
        x = self.x
        if not is_inf(a):
            d = g
            for m in range(1, 7):
                d = sympy.diff(d, x)
                v = d.subs(x, a)
                if not is_finite(v):
                    break
                if not v.is_zero:
                    s = _sgn(v)
                    if s is None:
                        break
                    return s * (-1) ** m if side == "-" else s
        pts = (
            [Rational(10) ** k for k in (6, 9, 12)]
            if a is S.Infinity
            else [-(Rational(10) ** k) for k in (6, 9, 12)]
            if a is S.NegativeInfinity
            else [a + (1 if side == "+" else -1) * Rational(1, 10**k) for k in (5, 8, 11)]
        )
        signs = set()
        for p in pts:
            v = sympy.N(g.subs(x, sympy.Float(p, 40)), 30)
            if not v.is_real or v == 0:
                return None
            signs.add(1 if v > 0 else -1)
        return signs.pop() if len(signs) == 1 else None

    def _side_pieces(self, f: Any, a: Any, side: str) -> dict[Any, Any]:
        """What each side-dependent piece of f (|u|, sign u, ⌊u⌋, a case) equals just to
        one side of a."""
        x = self.x
        s = 1 if side == "+" else -1
        repl = {}
        for n in self._sided_nodes(f, a):
            if isinstance(n, Piecewise):
                piece = self._piece(n, a + s * _EPS)
                if piece is not None:
                    repl[n] = piece
                continue
            u = n.args[0]
            if isinstance(n, (floor, ceiling)):
                val = sympy.N(u.subs(x, sympy.Float(a + s * _EPS, 40)), 30)
                repl[n] = sympy.Integer(
                    int(sympy.floor(val) if isinstance(n, floor) else sympy.ceiling(val))
                )
                continue
            sg = self.side_sign(u, a, side)
            if sg is None:
                continue
            if isinstance(n, Abs):
                repl[n] = sg * u
            elif isinstance(n, sign):
                repl[n] = sympy.Integer(sg)
            else:
                repl[n] = S.One if sg > 0 else S.Zero
        return repl

    def _split(self, f: Any, a: Any) -> tuple[Any, list[Step]]:
        x = self.x
        vals, steps = {}, []
        for side, word in (("-", "left"), ("+", "right")):
            v, st = self.lim(f, a, side, whole=True)
            if v is None:
                return None, []
            vals[side] = v
            rel = "<" if side == "-" else ">"
            steps.append(
                Step(
                    "one_sided",
                    self.L(f, a, side),
                    v,
                    "From the " + word + " (" + "{x} " + rel + " {a}) the limit is {value}.",
                    substeps=st,
                    data={"x": x, "a": a, "value": v, "side": word},
                )
            )
        left, right = vals["-"], vals["+"]
        data = {"f": f, "x": x, "a": a, "left": left, "right": right}
        if left is DNE or right is DNE:
            steps.append(
                Step(
                    "one_sided",
                    self.L(f, a, "+-"),
                    DNE,
                    "A one-sided limit does not exist, so the limit does not exist either.",
                    data=data,
                )
            )
            return DNE, steps
        if left == right:
            steps.append(
                Step(
                    "one_sided",
                    self.L(f, a, "+-"),
                    left,
                    "Both one-sided limits equal {left}, so the limit is {left}.",
                    data=data,
                )
            )
            return left, steps
        steps.append(
            Step(
                "sides_differ",
                self.L(f, a, "+-"),
                DNE,
                "The left-hand limit {left} and the right-hand limit {right} are different, "
                "so the two-sided limit does not exist.",
                data=data,
            )
        )
        return DNE, steps

    # ---------------------------------------------------------------- finite point
    def _plain_form(self, f: Any, a: Any) -> Any:
        """f with csc, sec, cot written through sin and cos, and |u| as ±u where u(a) ≠ 0."""
        x = self.x
        repl = {}
        for n in sympy.preorder_traversal(f):
            if isinstance(n, sympy.csc):
                repl[n] = 1 / sin(n.args[0])
            elif isinstance(n, sympy.sec):
                repl[n] = 1 / cos(n.args[0])
            elif isinstance(n, sympy.cot):
                repl[n] = cos(n.args[0]) / sin(n.args[0])
            elif isinstance(n, Abs) and not is_inf(a) and x in n.free_symbols:
                u0 = n.args[0].subs(x, a)
                if is_finite(u0) and not u0.is_zero and _sgn(u0) is not None:
                    repl[n] = _sgn(u0) * n.args[0]
        return f.xreplace(repl) if repl else f

    def _rewritten(self, f: Any, a: Any, side: str, whole: bool) -> Any:
        g = self._plain_form(f, a)
        if g == f:
            return None
        step = Step(
            "rewrite",
            self.L(f, a, side),
            self.L(g, a, side),
            "Rewrite with sine and cosine, and drop absolute values of quantities whose sign "
            "is fixed near {a}: {g}.",
            data={"a": a, "g": g},
        )
        v, st = self.lim(g, a, side, whole)
        return (v, [step, *st]) if v is not None else None

    def _finite(self, f: Any, a: Any, side: str, whole: bool) -> tuple[Any, list[Step]]:
        x = self.x
        r = self._rewritten(f, a, side, whole)
        if r is not None:
            return r
        if self._sided_nodes(f, a):
            if side == "+-":
                raise NeedSides
            pieces = self._side_pieces(f, a, side)
            g = f.xreplace(pieces)
            if g != f:
                word = "right" if side == "+" else "left"
                said = {f"p{i}": _piece_equation(n, v) for i, (n, v) in enumerate(pieces.items())}
                names = ", ".join(
                    "the case {" + k + "} applies" if isinstance(n, Piecewise) else "{" + k + "}"
                    for k, n in zip(said, pieces)
                )
                step = Step(
                    "side_form",
                    self.L(f, a, side),
                    self.L(g, a, side),
                    "Just to the " + word + " of {x} = {a}, " + names + ".",
                    data={"x": x, "a": a, "g": g, "f": f, **said},
                )
                v, st = self.lim(g, a, side, whole)
                return v, [step, *st]
        if side == "+-" and whole and (_has_root(f) or f.has(log) or _variable_power(f, x)):
            real = [self._real_near(f, a, s) for s in ("-", "+")]
            if real[0] != real[1]:
                s = "+" if real[1] else "-"
                word = "right" if s == "+" else "left"
                step = Step(
                    "one_sided",
                    self.L(f, a, side),
                    self.L(f, a, s),
                    "{f} is only defined to the " + word + " of {x} = {a}, so the limit is "
                    "taken from that side.",
                    data={"f": f, "x": x, "a": a},
                )
                v, st = self.lim(f, a, s, whole)
                return v, [step, *st]
        return self._structural(f, a, side, whole)

    def _real_near(self, f: Any, a: Any, side: str) -> bool:
        p = a + (1 if side == "+" else -1) * Rational(1, 10**6)
        try:
            v = sympy.N(f.subs(self.x, sympy.Float(p, 30)), 15)
        except (TypeError, ValueError):
            return False
        return bool(v.is_real)

    # ---------------------------------------------------------------- at ±∞
    def _at_infinity(self, f: Any, a: Any, side: str, whole: bool) -> tuple[Any, list[Step]]:
        x = self.x
        if f.is_rational_function(x):
            return growth_order.recognise(self, Case(f, a, side, whole)).run()
        if a is S.NegativeInfinity:
            t = sympy.Dummy("t") if x.name == "t" else sympy.Symbol("t")
            g = f.subs(x, -t)
            sub = Solver(t, self.depth, self.method)
            v, st = sub.lim(g, oo, side, whole)
            if v is None:
                return None, []
            step = Step(
                "change_of_variable",
                self.L(f, a, side),
                Limit(g, t, oo),
                "Put {x} = −{t}: as {x} → −∞, {t} → ∞, and the limit becomes one at +∞.",
                data={"x": x, "t": t, "g": g},
            )
            return v, [step, *st]
        r = self._rewritten(f, a, side, whole)
        if r is not None:
            return r
        found = growth_order.recognise(self, Case(f, a, side, whole))
        if found is not None:
            return found.run()
        return self._structural(f, a, side, whole)

    # ---------------------------------------------------------------- by shape
    def _structural(self, f: Any, a: Any, side: str, whole: bool) -> tuple[Any, list[Step]]:
        x = self.x
        num, den = sympy.fraction(f)
        if isinstance(f, Add) and not is_inf(a) and f.is_rational_function(x):
            found = common_denominator.recognise(self, Case(f, a, side, whole))
            if found is not None:
                r = found.run()
                return r if r is not None else (None, [])
        if den != 1 and den.has(self.x):
            return self._quotient(f, num, den, a, side, whole)
        if isinstance(f, Mul):
            return self._product(f, a, side, whole)
        if isinstance(f, Add):
            return self._sum(f, a, side, whole)
        if isinstance(f, Pow):
            return self._power(f, a, side, whole)
        if isinstance(f, sympy.Function) and len(f.args) == 1:
            return self._composition(f, a, side, whole)
        return None, []

    def _parts(self, parts: list[Any], a: Any, side: str) -> tuple[list[Any], list[Step]] | None:
        vals, steps = [], []
        for p in parts:
            v, st = self.lim(p, a, side, whole=False)
            if v is None:
                return None
            vals.append(v)
            steps.extend(st)
        return vals, steps

    @staticmethod
    def _keep(steps: list[Step]) -> list[Step]:
        """Sub-limits worth showing (plain substitutions and dominant terms of parts are not)."""
        return [s for s in steps if s.rule not in _PLAIN]

    # ---------------------------------------------------------------- quotients
    def _quotient(
        self,
        f: Any,
        num: Any,
        den: Any,
        a: Any,
        side: str,
        whole: bool,
        lh: int = 0,
        method: str | None = None,
    ) -> tuple[Any, list[Step]]:
        got = self._parts([num, den], a, side)
        if got is None:
            return None, []
        (vn, vd), sub = got
        if vn is DNE or vd is DNE:
            return None, []
        x = self.x
        sub = self._keep(sub)
        data = {"f": f, "x": x, "a": a, "top": vn, "bottom": vd}
        if (is_zero(vn) and is_zero(vd)) or (is_inf(vn) and is_inf(vd)):
            form = "0/0" if is_zero(vn) else "∞/∞"
            table = techniques.ZERO_OVER_ZERO if form == "0/0" else techniques.INF_OVER_INF
            case = Case(f, a, side, whole, num, den, form, tuple(sub), lh)
            return self._try(techniques.table(table, self.method), case)
        if vn is BOUNDED or vd is BOUNDED:
            if vn is BOUNDED and is_inf(vd):
                r = squeeze.quotient(self, f, num, den, a, side, sub)
                if r is not None:
                    return r
            return None, []
        if is_zero(vd):
            return self._sign_analysis(f, den, vn, a, side, whole, sub)
        if is_inf(vd):
            v = S.Zero
        elif is_inf(vn):
            s = _sgn(vd)
            if s is None:
                return None, []
            v = _inf(_sgn(vn) * s)
        else:
            v = vn / vd
        step = Step(
            "limit_laws",
            self.L(_unevaluated_quotient(num, den), a, side),
            v,
            "The top {num} tends to {top} and the bottom {den} to {bottom}; the limit of a "
            "quotient is the quotient of the limits when this makes sense, so the limit is "
            "{value}.",
            substeps=sub,
            data={**data, "value": v, "num": num, "den": den},
        )
        return v, [step]

    def _try(self, table: tuple[Any, ...], case: Case) -> tuple[Any, list[Step]]:
        """The first technique of ``table`` that recognises ``case`` and works it."""
        for technique in table:
            check_deadline()
            found = technique.recognise(self, case)
            if found is None:
                continue
            r = found.run()
            if r is not None:
                return r
        return None, []

    def _sign_analysis(
        self, f: Any, den: Any, vn: Any, a: Any, side: str, whole: bool, sub: list[Step]
    ) -> tuple[Any, list[Step]]:
        sn = _sgn(vn)
        if sn is None:
            return None, []
        sides = ["-", "+"] if side == "+-" else [side]
        vals = {}
        for s in sides:
            sd = self.side_sign(den, a, s)
            if sd is None:
                return None, []
            vals[s] = _inf(sn * sd)
        x = self.x
        words = {1: "positive", -1: "negative"}
        rows = [
            ("left" if s == "-" else "right", words[_sgn(vals[s]) * sn], vals[s]) for s in sides
        ]
        table = sympy_table(rows)
        data = {"f": f, "x": x, "a": a, "top": vn, "den": den, "table": table}
        if len(set(vals.values())) == 1:
            v = vals[sides[0]]
            step = Step(
                "sign_analysis",
                self.L(f, a, side),
                v,
                "Near {x} = {a} the top tends to {top} while the bottom {den} tends to 0, so f "
                "grows without bound; the sign of the bottom on each side gives {value}.",
                substeps=sub,
                data={**data, "value": v},
            )
            return v, [step]
        if not whole:
            raise NeedSides
        step = Step(
            "sign_analysis",
            self.L(f, a, side),
            None,
            "Near {x} = {a} the top tends to {top} while the bottom {den} tends to 0, so f "
            "grows without bound, with the sign of the bottom on each side.",
            substeps=sub,
            data=data,
        )
        left, right = vals["-"], vals["+"]
        last = Step(
            "sides_differ",
            self.L(f, a, side),
            DNE,
            "From the left f → {left} and from the right f → {right}: the one-sided limits "
            "differ, so the limit does not exist.",
            # the sign chart gave the sides, no line wrote them: the board writes both
            data={"left": left, "right": right, "sides": {"-": left, "+": right}},
        )
        return DNE, [step, last]

    def _product(self, f: Any, a: Any, side: str, whole: bool) -> tuple[Any, list[Step]]:
        x = self.x
        factors = list(Mul.make_args(f))
        got = self._parts(factors, a, side)
        if got is None:
            return None, []
        vals, sub = got
        if any(v is DNE for v in vals):
            return None, []
        sub = self._keep(sub)
        zeros = [p for p, v in zip(factors, vals) if is_zero(v)]
        infs = [p for p, v in zip(factors, vals) if is_inf(v)]
        bounded = [p for p, v in zip(factors, vals) if v is BOUNDED]
        if bounded:
            if zeros and not infs:
                r = squeeze.product(self, f, Mul(*bounded), a, side, sub)
                if r is not None:
                    return r
            return None, []
        if zeros and infs:
            zero = Mul(*zeros)
            inf = Mul(*infs)
            const = Mul(*[p for p, v in zip(factors, vals) if not is_zero(v) and not is_inf(v)])
            simple = all(
                (p.as_base_exp()[0] == x or isinstance(p.as_base_exp()[0], exp))
                or (isinstance(p.as_base_exp()[0], Add) and p.as_base_exp()[0].is_polynomial(x))
                for p in zeros
            )
            if simple:
                num, den = const * inf, 1 / zero
                form = "∞/∞"
            else:
                num, den = const * zero, 1 / inf
                form = "0/0"
            shown = _unevaluated_quotient(num, den)
            step = Step(
                "rewrite_indeterminate",
                self.L(f, a, side),
                self.L(shown, a, side),
                "The product has the form 0·∞ ({zero} → 0 while {inf} → ±∞), which tells us "
                "nothing yet. Move one factor to the denominator as its reciprocal to get the "
                "form " + form + ": {shown}.",
                substeps=sub,
                data={"zero": zero, "inf": inf, "shown": shown},
            )
            v, st = self._quotient(shown, num, den, a, side, whole)
            if v is None:
                return None, []
            return v, [step, *st]
        v = S.One
        for val in vals:
            v = v * val
        if v is S.NaN or not (is_finite(v) or is_inf(v)):
            return None, []
        step = Step(
            "limit_laws",
            self.L(f, a, side),
            v,
            "The limit of a product is the product of the limits of its factors when these "
            "are determinate: the limit is {value}.",
            substeps=sub,
            data={"value": v},
        )
        return v, [step]

    # ---------------------------------------------------------------- sums
    def _sum(self, f: Any, a: Any, side: str, whole: bool) -> tuple[Any, list[Step]]:
        x = self.x
        terms = list(Add.make_args(f))
        got = self._parts(terms, a, side)
        if got is None:
            return None, []
        vals, sub = got
        if any(v is DNE for v in vals):
            return None, []
        sub = self._keep(sub)
        has_pos = any(v is S.Infinity for v in vals)
        has_neg = any(v is S.NegativeInfinity for v in vals)
        if has_pos and has_neg:
            finite = [p for p, v in zip(terms, vals) if is_finite(v)]
            if finite and len(finite) < len(terms):
                return self._split_sum(f, Add(*finite), a, side, whole)
            return self._inf_minus_inf(f, terms, a, side, whole, sub)
        if any(v is BOUNDED for v in vals):
            if has_pos or has_neg:
                v = oo if has_pos else -oo
            else:
                return None, []
        else:
            v = S.Zero
            for val in vals:
                v = v + val
            if v is S.NaN or not (is_finite(v) or is_inf(v)):
                return None, []
        step = Step(
            "limit_laws",
            self.L(f, a, side),
            v,
            "The limit of a sum is the sum of the limits of its terms when these are "
            "determinate: the limit is {value}.",
            substeps=sub,
            data={"value": v, "x": x},
        )
        return v, [step]

    def _split_sum(
        self, f: Any, finite: Any, a: Any, side: str, whole: bool
    ) -> tuple[Any, list[Step]]:
        """f = (terms with finite limits) + (the ∞ − ∞ part): work the two apart."""
        rest = f - finite
        vf, sf = self.lim(finite, a, side, whole=False)
        vr, sr = self.lim(rest, a, side, whole=False)
        if vf is None or vr is None or not (is_finite(vf) and (is_finite(vr) or is_inf(vr))):
            return None, []
        v = vf + vr
        step = Step(
            "limit_laws",
            self.L(f, a, side),
            v,
            "Take the terms apart: {finite} tends to {vf}, and the ∞ − ∞ part {rest} tends "
            "to {vr}, so the limit is {value}.",
            substeps=[*self._keep(sf), *sr],
            data={"finite": finite, "rest": rest, "vf": vf, "vr": vr, "value": v},
        )
        return v, [step]

    def _inf_minus_inf(
        self, f: Any, terms: list[Any], a: Any, side: str, whole: bool, sub: list[Step]
    ) -> tuple[Any, list[Step]]:
        x = self.x
        roots = [t for t in terms if _has_root(t)]
        logs = all(isinstance(t.as_independent(x, as_Add=False)[1], log) for t in terms)
        common = sympy.factor_terms(f)
        if logs:
            g = sympy.logcombine(f, force=True)
            if isinstance(g, log):
                step = Step(
                    "log_laws",
                    self.L(f, a, side),
                    self.L(g, a, side),
                    "The form is ∞ − ∞. Combine the logarithms, ln A − ln B = ln(A/B): {g}.",
                    substeps=sub,
                    data={"g": g},
                )
                v, st = self.lim(g, a, side, whole)
                return (v, [step, *st]) if v is not None else (None, [])
        if isinstance(common, Mul) and not roots:
            step = Step(
                "factor",
                self.L(f, a, side),
                self.L(common, a, side),
                "The form is ∞ − ∞. Take out the common factor: {g}.",
                substeps=sub,
                data={"g": common},
            )
            v, st = self._product(common, a, side, whole)
            return (v, [step, *st]) if v is not None else (None, [])
        got = rationalise.conjugate(f) if roots else None
        if got is not None:
            s, b, conj, n = got
            num, den = sympy.expand(s**n - b**n), conj
            shown = _unevaluated_quotient(num, den)
            identity = "(A − B)(A + B) = A² − B²" if n == 2 else "(a − b)(a² + ab + b²) = a³ − b³"
            if n > 3:
                identity = f"(a − b)(a^{n - 1} + … + b^{n - 1}) = a^{n} − b^{n}"
            step = Step(
                "rationalise",
                self.L(f, a, side),
                self.L(shown, a, side),
                "The form is ∞ − ∞. Multiply and divide by {conj}: "
                + identity
                + " clears the root, giving {shown}.",
                substeps=sub,
                data={"conj": den, "shown": shown},
            )
        else:
            g = sympy.together(f)
            num, den = sympy.fraction(g)
            if den == 1 or not den.has(x):
                return None, []
            shown = _unevaluated_quotient(num, den)
            step = Step(
                "common_denominator",
                self.L(f, a, side),
                self.L(shown, a, side),
                "The form is ∞ − ∞, which tells us nothing yet. Put everything over a common "
                "denominator: {shown}.",
                substeps=sub,
                data={"shown": shown, "x": x},
            )
        v, st = self._quotient(shown, num, den, a, side, whole)
        if v is None:
            return None, []
        return v, [step, *st]

    # ---------------------------------------------------------------- powers
    def _power(self, f: Any, a: Any, side: str, whole: bool) -> tuple[Any, list[Step]]:
        x = self.x
        b, e = f.args
        if not e.has(x):
            return self._composition(f, a, side, whole)
        if not b.has(x):
            return self._composition(f, a, side, whole)
        try:
            got = self._parts([b, e], a, side)
        except NeedSides:
            # the exponent runs to +∞ on one side and −∞ on the other (1/x): still 1^∞
            per = [self._parts([b, e], a, s) for s in ("-", "+")]
            if any(g is None for g in per) or _form(*per[0][0]) is None:
                raise
            if _form(*per[0][0]) != _form(*per[1][0]):
                raise
            got = (per[0][0], [])
        if got is None:
            return None, []
        (vb, ve), sub = got
        sub = self._keep(sub)
        form = _form(vb, ve)
        if form is None:
            if is_finite(vb) and vb.is_positive and is_finite(ve):
                v = vb**ve
            elif is_finite(vb) and vb.is_positive and is_inf(ve):
                v = vb**ve
            elif vb is S.Infinity and _sgn(ve) is not None:
                v = oo if _sgn(ve) > 0 else S.Zero
            elif is_zero(vb) and _sgn(ve) is not None and _sgn(ve) > 0:
                v = S.Zero
            else:
                return None, []
            step = Step(
                "limit_laws",
                self.L(f, a, side),
                v,
                "The base tends to {base} and the exponent to {power}, a determinate form, "
                "so the limit is {value}.",
                substeps=sub,
                data={"base": vb, "power": ve, "value": v},
            )
            return v, [step]
        y = e * log(b)
        step = Step(
            "log_transform",
            self.L(f, a, side),
            exp(Limit(y, x, a) if is_inf(a) else Limit(y, x, a, side)),
            "The form is " + form + ". Write f = e^(ln f): ln f = {y}. Since exp is "
            "continuous, it is enough to find the limit of {y} and exponentiate back.",
            substeps=sub,
            data={"y": y, "x": x},
        )
        vy, st = self.lim(y, a, side, whole=False)
        if vy is None or vy is DNE or vy is BOUNDED:
            return None, []
        v = exp(vy) if is_finite(vy) else (oo if vy is S.Infinity else S.Zero)
        back = Step(
            "exponentiate",
            Limit(exp(y), x, a) if is_inf(a) else Limit(exp(y), x, a, side),
            v,
            "ln f tends to {ly}, and exp is continuous, so f itself tends to e raised to "
            "that limit.",
            data={"ly": vy, "value": v},
        )
        return v, [step, *st, back]

    # ---------------------------------------------------------------- composition
    def _composition(self, f: Any, a: Any, side: str, whole: bool) -> tuple[Any, list[Step]]:
        x = self.x
        if isinstance(f, Pow):
            b, e = f.args
            if not e.has(x):
                u, outer = b, (lambda t: t**e)
            else:
                u, outer = e, (lambda t: b**t)
        else:
            u, outer = f.args[0], f.func
        bounded_outer = isinstance(f, (sin, cos))
        try:
            vu, st = self.lim(u, a, side, whole=False)
        except NeedSides:
            if not bounded_outer:
                raise
            one = [self.lim(u, a, s, whole=False) for s in ("-", "+")]
            if not all(is_inf(v) for v, _ in one):
                raise
            vu, st = oo, []
        if vu is BOUNDED and not whole:
            keeps = isinstance(f, (exp, sin, cos, sympy.atan, sympy.tanh)) or (
                isinstance(f, Pow) and not f.exp.has(x) and f.exp.is_positive
            )
            return (BOUNDED, []) if keeps else (None, [])
        if vu is None or vu is DNE or vu is BOUNDED:
            return None, []
        data = {"f": f, "u": u, "inner": vu, "x": x, "a": a}
        if is_inf(vu) and bounded_outer:
            if not whole:
                return BOUNDED, []
            step = Step(
                "oscillation",
                self.L(f, a, side),
                DNE,
                "As {x} approaches {a}, the inside {u} runs off to infinity, so {f} keeps "
                "swinging between −1 and 1 and never settles down: the limit does not exist.",
                substeps=st,
                data=data,
            )
            return DNE, [step]
        if isinstance(f, log) and is_zero(vu):
            v = -oo
            text = (
                "The inside {u} tends to 0 through positive values, and ln t → −∞ as "
                "t → 0⁺, so the limit is {value}."
            )
        elif isinstance(f, (tan, sympy.cot, sympy.sec, sympy.csc)) and not is_finite(outer(vu)):
            num, den = {
                tan: (sin(u), cos(u)),
                sympy.cot: (cos(u), sin(u)),
                sympy.sec: (S.One, cos(u)),
                sympy.csc: (S.One, sin(u)),
            }[f.func]
            g = _unevaluated_quotient(num, den)
            step = Step(
                "rewrite",
                self.L(f, a, side),
                self.L(g, a, side),
                "Write {f} with sine and cosine: {g}.",
                data={"f": f, "g": g},
            )
            v, st2 = self._quotient(g, num, den, a, side, whole)
            return (v, [step, *st2]) if v is not None else (None, [])
        else:
            v = outer(vu)
            text = (
                "The inside {u} tends to {inner}, and the outer function is continuous at "
                "{inner}, so the limit is {value}."
                if not is_inf(vu)
                else "The inside {u} tends to {inner}, and the outer function tends to {value} "
                "as its input tends to {inner}, so the limit is {value}."
            )
        if not (is_finite(v) or is_inf(v)):
            return None, []
        step = Step(
            "composition",
            self.L(f, a, side),
            v,
            text,
            substeps=st,
            data={**data, "value": v},
        )
        return v, [step]


def sympy_table(rows: list[tuple[Any, ...]]) -> Any:
    from ...core import Table

    return Table(("side", "sign of bottom", "limit"), rows, "Sign chart near the point")


def _piece_equation(node: Any, value: Any) -> Any:
    """``node = value`` as a teacher writes it: |x + 5| = −(x + 5), not −x − 5."""
    if isinstance(node, Abs) and value == -node.args[0] and isinstance(node.args[0], sympy.Add):
        value = sympy.Mul(-1, node.args[0], evaluate=False)
    if isinstance(node, Piecewise):
        return value
    return sympy.Eq(node, value, evaluate=False)
