"""The differentiation rules: a recogniser table that turns an expression into a tree of Steps.

Every rule step has ``before`` (the expression), ``after`` (its derivative, computed from the
substeps by the rule's own formula, never by ``sympy.diff``) and ``data["wrt"]`` (the variable),
so ``diff(before, wrt) == after`` can be checked on every node.  A :class:`Context` may carry one
deliberately wrong rule (a mal-rule) to derive the classic wrong answers with the same tree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sympy
from sympy import (
    Abs,
    Add,
    Derivative,
    Heaviside,
    Mul,
    Pow,
    S,
    Symbol,
    acos,
    acosh,
    acot,
    acsc,
    asec,
    asin,
    asinh,
    atan,
    atanh,
    cos,
    cosh,
    cot,
    coth,
    csc,
    csch,
    exp,
    log,
    sec,
    sech,
    sign,
    sin,
    sinh,
    sqrt,
    tan,
    tanh,
)
from sympy.core.function import AppliedUndef

from ...core import Step
from ...functions import relu, sigmoid, softplus

__all__ = ["Context", "derive", "MAL_CODES"]

# Mal-rule codes, most specific first: when two give the same wrong answer the first names it.
MAL_CODES = (
    "exp_missing_factor",
    "log_missing_factor",
    "missing_chain_factor",
    "trig_sign",
    "power_rule_exponent",
    "product_rule_as_product",
    "quotient_rule_sign",
    "quotient_rule_denominator",
    "dropped_constant",
)

_NAMES = ("u", "v", "w", "t", "s", "r", "q", "p")


@dataclass
class Context:
    """Per-derivation state: the variable, the symbols held constant, and an optional mal-rule.

    ``mal`` names one wrong rule to use; ``site`` restricts it to its k-th use (None: every
    use).  ``counts`` records how often each mal-rule site was met, ``hits`` what was there.
    """

    x: Symbol
    held: tuple[Any, ...] = ()
    mal: str | None = None
    site: int | None = None
    avoid: frozenset[str] = frozenset()
    counts: dict[str, int] = field(default_factory=dict)
    hits: list[dict[str, Any]] = field(default_factory=list)
    level: int = 0
    bound: dict[Any, Any] = field(default_factory=dict)  # inner-function name -> what it stands for

    def wrong(self, code: str, **info: Any) -> bool:
        """Count a place where mal-rule ``code`` could strike; True when it strikes here."""
        k = self.counts.get(code, 0)
        self.counts[code] = k + 1
        if self.mal == code and (self.site is None or self.site == k):
            self.hits.append(info)
            return True
        return False

    def fresh(self, inner: Any) -> Symbol:
        """A name for an inner function, one per level of nesting (u, then v, then w, ...)."""
        names = [n for n in _NAMES if n not in self.avoid]
        i = self.level
        name = names[i] if i < len(names) else f"u_{i}"
        # a real inner function gets a real name, so |u|' = sign(u) holds as sympy sees it
        return Symbol(name, real=True) if inner.is_real else Symbol(name)


def derive(expr: Any, ctx: Context) -> Step:
    """The rule tree for d/dx expr: the first recogniser that applies, else a ``cas`` step."""
    x = ctx.x
    if not expr.has(x):
        return _constant(expr, ctx)
    if expr == x:
        return _step("identity", expr, S.One, ctx, "The slope of {x} against itself is 1.")
    for recognise in _TABLE.get(type(expr), ()) + _BY_BASE.get(_base_type(expr), ()):
        step = recognise(expr, ctx)
        if step is not None:
            return step
    return _cas(expr, ctx)


# ---------------------------------------------------------------- helpers


def _step(
    rule: str,
    before: Any,
    after: Any,
    ctx: Context,
    explanation: str,
    substeps: tuple[Step, ...] = (),
    wrt: Any = None,
    **data: Any,
) -> Step:
    v = ctx.x if wrt is None else wrt
    full = {"f": before, "df": after, "x": v, "wrt": v}
    full.update(data)
    return Step(rule, before, after, explanation, substeps, full)


def _base_type(expr: Any) -> type | None:
    for cls in _BY_BASE:
        if isinstance(expr, cls):
            return cls
    return None


def _constant(expr: Any, ctx: Context) -> Step:
    """d/dx c -> 0"""
    held = [s for s in sorted(expr.free_symbols, key=sympy.default_sort_key) if s != ctx.x]
    if held:
        text = (
            "{f} does not change when {x} changes (the other variables are held constant), "
            "so its derivative is 0."
        )
    else:
        text = "{f} is a constant: it never changes, so its slope is 0."
    return _step("constant", expr, S.Zero, ctx, text)


def _cas(expr: Any, ctx: Context) -> Step:
    """d/dx f -> sympy.diff(f, x), honestly marked as done by the CAS."""
    d = sympy.diff(expr, ctx.x)
    text = (
        "No rule from the course fits {f}, so the computer algebra system "
        "differentiated it directly."
    )
    return _step("cas", expr, d, ctx, text)


def _factor_text(name: str, value: Any, first: bool) -> str:
    """The placeholder ``{name}`` as one factor of a written product, bracketed when it is a
    sum (or, after the first factor, negative)."""
    bracket = value.is_Add or (not first and value.could_extract_minus_sign())
    return "({" + name + "})" if bracket else "{" + name + "}"


def _chain(
    expr: Any,
    inner: Any,
    outer_of: Callable[[Any], Any],
    ctx: Context,
    outer_rule: Callable[[Any, Any, Context], Step],
    kind: str = "",
) -> Step:
    """d/dx f(g(x)) -> f'(g(x)) * g'(x), with u = g(x) named and both parts as substeps."""
    implicit = isinstance(inner, AppliedUndef)
    # y(x) in implicit differentiation is already named: y, with derivative dy/dx
    u = Symbol(inner.func.__name__) if implicit else ctx.fresh(inner)
    outer = outer_of(u)
    ctx.bound[u] = inner
    outer_step = outer_rule(outer, u, ctx)
    ctx.level += 1
    try:
        inner_step = derive(inner, ctx)
    finally:
        ctx.level -= 1
    dydu = outer_step.after
    fpg = dydu.xreplace({u: inner})
    # each mal-rule site is counted every time, so site numbers do not depend on the mal-rule
    drop = [
        ctx.wrong("missing_chain_factor", inner=inner, outer=kind, factor=inner_step.after),
        kind == "exp" and ctx.wrong("exp_missing_factor", inner=inner),
        kind == "log" and ctx.wrong("log_missing_factor", inner=inner),
    ]
    after = fpg if any(drop) else fpg * inner_step.after
    # f′(g(x)) · g′(x) as the two factors the rule multiplies, in that order and each whole
    # (a printed product would sort and merge them: 9·3 arctan(u)²/(…) for 3 arctan(u)²·9/(…))
    if any(drop) or inner_step.after == 1:
        product = "{product}"
    else:
        product = (
            _factor_text("fpg", fpg, first=True)
            + " · "
            + _factor_text("dudx", inner_step.after, first=False)
        )
    text = (
        "Work from the outside in: let {name} = {u}, the inner function, so the outside is {y}. "
        "By the chain rule dy/dx = dy/d{name} · d{name}/dx, that is f′(g(x))·g′(x) = "
        + product
        + "."
    )
    if implicit:
        text = (
            "{name} changes with {x}, so by the chain rule the derivative of {y} is its "
            "derivative with respect to {name}, {dydu}, times {dudx}."
        )
    return _step(
        "chain_rule",
        expr,
        after,
        ctx,
        text,
        (outer_step, inner_step),
        name=u,
        u=inner,
        y=outer,
        dydu=dydu,
        fpg=fpg,
        dudx=inner_step.after,
        # the product as mathematics, before it is multiplied out (as the step computes it)
        product=fpg
        if any(drop) or inner_step.after == 1
        else sympy.Mul(fpg, inner_step.after, evaluate=False),
    )


def _function(
    rule: str, text: str, formula: Callable[[Any, Context], Any], kind: str = ""
) -> Callable[[Any, Context], Step]:
    """A recogniser for a one-argument function f(g): the rule alone, or inside the chain rule."""

    def outer(expr: Any, v: Any, ctx: Context) -> Step:
        return _step(rule, expr, formula(v, ctx), ctx, text, wrt=v)

    def recognise(expr: Any, ctx: Context) -> Step:
        g = expr.args[0]
        if g == ctx.x:
            return outer(expr, ctx.x, ctx)
        return _chain(expr, g, expr.func, ctx, outer, kind)

    recognise.__doc__ = text
    return recognise


def _trig_slip(ctx: Context, v: Any, right: Any, wrong: Any, name: str) -> Any:
    return wrong if ctx.wrong("trig_sign", v=v, function=name, right=right) else right


# ---------------------------------------------------------------- sums and constants


def _sum_rule(expr: Any, ctx: Context) -> Step:
    """d/dx (f + g) -> f' + g'"""
    terms = expr.as_ordered_terms()
    subs = tuple(derive(t, ctx) for t in terms)
    after = Add(*[s.after for s in subs])
    minus = any(t.could_extract_minus_sign() for t in terms)
    word = "difference" if minus else "sum"
    text = (
        f"The derivative of a {word} is the {word} of the derivatives: "
        "each term changes on its own, so differentiate term by term."
    )
    return _step("sum_rule", expr, after, ctx, text, subs)


def _constant_multiple(expr: Any, ctx: Context, c: Any, rest: Any) -> Step:
    """d/dx (c f) -> c f'"""
    sub = _log_base(rest, ctx) or derive(rest, ctx)
    dropped = ctx.wrong("dropped_constant", c=c, f=rest)
    after = sub.after if dropped else c * sub.after
    if c == -1:
        text = "A minus sign in front stays in front: differentiate {g} and change the sign."
    else:
        text = (
            "A constant factor stretches the graph and its slope alike: "
            "keep {c} in front and differentiate {g}."
        )
    return _step("constant_multiple", expr, after, ctx, text, (sub,), c=c, g=rest)


# ---------------------------------------------------------------- products and quotients


def _split_fraction(expr: Any, x: Any) -> tuple[list[Any], list[Any]]:
    """Numerator and denominator factors of a product as the student wrote it (a/b, not a*b**-1)."""
    num: list[Any] = []
    den: list[Any] = []
    for f in expr.as_ordered_factors():
        if f.is_Pow and f.exp.is_number and f.exp.is_negative and f.base.has(x):
            den.append(f.base if f.exp == -1 else Pow(f.base, -f.exp))
        else:
            num.append(f)
    return num, den


def _mul(expr: Any, ctx: Context) -> Step | None:
    """d/dx (c f) or (f g) or f/g: constant multiple, then quotient or product rule."""
    c, rest = expr.as_independent(ctx.x, as_Add=False)
    if c != 1:
        if isinstance(rest, log):
            # k*log(g)/log(b) is k times log_b(g): keep the base with the logarithm
            for f in Mul.make_args(c):
                if (
                    f.is_Pow
                    and f.exp == -1
                    and isinstance(f.base, log)
                    and f.base.args[0].is_number
                ):
                    c, rest = c / f, rest * f
                    break
        if c == 1:
            return _log_base(rest, ctx)
        return _constant_multiple(expr, ctx, c, rest)
    num, den = _split_fraction(expr, ctx.x)
    if den:
        return _quotient(expr, Mul(*num), Mul(*den), ctx)
    return _product(expr, num, ctx)


def _product(expr: Any, factors: list[Any], ctx: Context) -> Step:
    """d/dx (f g h) -> f' g h + f g' h + f g h'"""
    subs = tuple(derive(f, ctx) for f in factors)
    if ctx.wrong("product_rule_as_product", factors=factors):
        after = Mul(*[s.after for s in subs])
    else:
        after = Add(
            *[
                Mul(*[s.after if j == i else f for j, f in enumerate(factors)])
                for i, s in enumerate(subs)
            ]
        )
    if len(factors) == 2:
        text = (
            "When two factors both change, each takes its turn changing while the other holds "
            "still, so (fg)′ = f′g + fg′ with f = {f1} and g = {f2}."
        )
        data = {"f1": factors[0], "f2": factors[1]}
    else:
        text = (
            "Product rule for {n} factors: each factor takes its turn being differentiated while "
            "the others stay as they are, and the results are added."
        )
        data = {"n": len(factors)}
    return _step("product_rule", expr, after, ctx, text, subs, **data)


def _quotient(expr: Any, top: Any, bottom: Any, ctx: Context) -> Step:
    """d/dx (f/g) -> (f' g - f g') / g**2"""
    ft = derive(top, ctx)
    gt = derive(bottom, ctx)
    df, dg = ft.after, gt.after
    sign_slip = ctx.wrong("quotient_rule_sign", top=top, bottom=bottom)
    square_slip = ctx.wrong("quotient_rule_denominator", top=top, bottom=bottom)
    numer = top * dg - df * bottom if sign_slip else df * bottom - top * dg
    after = numer / bottom if square_slip else numer / bottom**2
    # the rewrite as mathematics, before anything is multiplied out: (f′g − fg′)/g²
    lazy = {"evaluate": False}

    def times(a: Any, b: Any) -> Any:  # 1·(4x − 3) is written 4x − 3
        return b if a == 1 else a if b == 1 else sympy.Mul(a, b, **lazy)

    first = times(top, dg) if sign_slip else times(df, bottom)
    second = times(df, bottom) if sign_slip else times(top, dg)
    below = bottom if square_slip else sympy.Pow(bottom, 2, **lazy)
    rewrite = sympy.Mul(
        sympy.Add(first, sympy.Mul(-1, second, **lazy), **lazy),
        sympy.Pow(below, -1, **lazy),
        **lazy,
    )
    text = (
        "Low d-high minus high d-low, over low squared: with top {top} and bottom {bottom}, "
        "the derivative is {rewrite}."
    )
    return _step(
        "quotient_rule",
        expr,
        after,
        ctx,
        text,
        (ft, gt),
        top=top,
        bottom=bottom,
        dtop=df,
        dbottom=dg,
        rewrite=rewrite,
    )


def _log_base(expr: Any, ctx: Context) -> Step | None:
    """d/dx log_b(g) -> g' / (g ln b)   (sympy stores log_b(g) as log(g)/log(b))"""
    if not (expr.is_Mul and len(expr.args) == 2):
        return None
    logs = [a for a in expr.args if isinstance(a, log) and a.has(ctx.x)]
    inv = [
        a
        for a in expr.args
        if a.is_Pow and a.exp == -1 and isinstance(a.base, log) and a.base.args[0].is_number
    ]
    if not (logs and inv):
        return None
    b = inv[0].base.args[0]
    text = "A logarithm to base {b} is the natural log divided by ln {b}, so d/d{x} {f} = {df}."

    def formula(v: Any, ctx: Context) -> Any:
        return 1 / (v * log(b))

    def outer(e: Any, v: Any, ctx: Context) -> Step:
        return _step("log_base", e, formula(v, ctx), ctx, text, wrt=v, b=b)

    g = logs[0].args[0]
    if g == ctx.x:
        return outer(expr, ctx.x, ctx)
    return _chain(expr, g, lambda u: log(u) / log(b), ctx, outer, "log")


# ---------------------------------------------------------------- powers


def _power(expr: Any, ctx: Context) -> Step | None:
    """Powers: x**n (power rule), 1/g (quotient), g**n (chain), a**g (exponential), f**g (log diff)."""
    base, n = expr.base, expr.exp
    x = ctx.x
    if not n.has(x):
        if base == x:
            return _power_rule(expr, x, n, ctx)
        if n == -1:
            return _quotient(expr, S.One, base, ctx)
        return _chain(
            expr, base, lambda u: Pow(u, n), ctx, lambda e, v, c: _power_rule(e, v, n, c), "power"
        )
    if not base.has(x):
        return _exponential(expr, ctx)
    return _log_differentiation(expr, ctx)


def _power_rule(expr: Any, v: Any, n: Any, ctx: Context) -> Step:
    """d/dx x**n -> n x**(n - 1)"""
    after = (
        n * v**n
        if ctx.wrong("power_rule_exponent", n=n, v=ctx.bound.get(v, v))
        else n * v ** (n - 1)
    )
    if n.is_Rational and not n.is_Integer and n.q == 2:
        text = (
            "A root is a power: {f} is {x} to the power {n}. Bring the exponent {n} down in "
            "front and lower it by one."
        )
    elif n.is_Rational and not n.is_Integer:
        text = (
            "Fractional powers (roots) follow the power rule: bring the exponent {n} down in "
            "front and lower it by one."
        )
    elif n.is_negative:
        text = (
            "{f} is a negative power of {x}, and the power rule still works: bring the exponent "
            "{n} down in front and lower it by one, to {m}."
        )
    else:
        text = "Bring the exponent {n} down in front and lower it by one, to {m}."
    return _step("power_rule", expr, after, ctx, text, wrt=v, n=n, m=n - 1)


def _exponential(expr: Any, ctx: Context) -> Step:
    """d/dx a**g -> a**g ln(a) g'"""
    a = expr.base
    text = (
        "An exponential grows in proportion to itself, at the rate ln {a} for base {a}: "
        "d/d{x} {f} = {df}."
    )

    def outer(e: Any, v: Any, c: Context) -> Step:
        return _step("exponential_rule", e, e * log(a), c, text, wrt=v, a=a)

    if expr.exp == ctx.x:
        return outer(expr, ctx.x, ctx)
    return _chain(expr, expr.exp, lambda u: Pow(a, u), ctx, outer, "exponential")


def _log_differentiation(expr: Any, ctx: Context) -> Step:
    """d/dx f**g -> f**g (g ln f)'"""
    f, g = expr.base, expr.exp
    inner = g * log(f)
    sub = derive(inner, ctx)
    after = expr * sub.after
    text = (
        "Both the base and the exponent change, so use logarithmic differentiation: "
        "y = {f} gives ln y = {lny}; differentiate that and multiply by y."
    )
    return _step("logarithmic_differentiation", expr, after, ctx, text, (sub,), lny=inner)


# ---------------------------------------------------------------- named functions


def _exp(v: Any, ctx: Context) -> Any:
    return exp(v)


def _ln(v: Any, ctx: Context) -> Any:
    return 1 / v


_RULES: dict[type, Callable[[Any, Context], Step]] = {
    exp: _function(
        "exp_rule",
        "The exponential grows at the rate of its own size, so it is its own slope: d/d{x} {f} = {df}.",
        _exp,
        "exp",
    ),
    log: _function(
        "log_rule",
        "The natural log grows ever more slowly: d/d{x} {f} = {df}.",
        _ln,
        "log",
    ),
    sin: _function(
        "trig_rule",
        "The slope of sine is cosine: d/d{x} {f} = {df}.",
        lambda v, c: _trig_slip(c, v, cos(v), -cos(v), "sin"),
    ),
    cos: _function(
        "trig_rule",
        "The slope of cosine is minus sine: d/d{x} {f} = {df}.",
        lambda v, c: _trig_slip(c, v, -sin(v), sin(v), "cos"),
    ),
    tan: _function(
        "trig_rule",
        "The slope of tangent is secant squared: d/d{x} {f} = {df}.",
        lambda v, c: sec(v) ** 2,
    ),
    cot: _function(
        "trig_rule",
        "The slope of cotangent is minus cosecant squared: d/d{x} {f} = {df}.",
        lambda v, c: _trig_slip(c, v, -(csc(v) ** 2), csc(v) ** 2, "cot"),
    ),
    sec: _function(
        "trig_rule",
        "The slope of secant is secant times tangent: d/d{x} {f} = {df}.",
        lambda v, c: sec(v) * tan(v),
    ),
    csc: _function(
        "trig_rule",
        "The slope of cosecant is minus cosecant times cotangent: d/d{x} {f} = {df}.",
        lambda v, c: _trig_slip(c, v, -csc(v) * cot(v), csc(v) * cot(v), "csc"),
    ),
    asin: _function(
        "inverse_trig_rule",
        "Inverse sine: d/d{x} {f} = {df}, for {x} between −1 and 1.",
        lambda v, c: 1 / sqrt(1 - v**2),
    ),
    acos: _function(
        "inverse_trig_rule",
        "Inverse cosine falls where inverse sine rises: d/d{x} {f} = {df}.",
        lambda v, c: -1 / sqrt(1 - v**2),
    ),
    atan: _function(
        "inverse_trig_rule",
        "Inverse tangent: d/d{x} {f} = {df}, a slope that fades as {x} grows.",
        lambda v, c: 1 / (1 + v**2),
    ),
    acot: _function(
        "inverse_trig_rule",
        "Inverse cotangent: d/d{x} {f} = {df}.",
        lambda v, c: -1 / (1 + v**2),
    ),
    asec: _function(
        "inverse_trig_rule",
        "Inverse secant: d/d{x} {f} = {df}, for |{x}| > 1.",
        lambda v, c: 1 / (Abs(v) * sqrt(v**2 - 1)),
    ),
    acsc: _function(
        "inverse_trig_rule",
        "Inverse cosecant: d/d{x} {f} = {df}, for |{x}| > 1.",
        lambda v, c: -1 / (Abs(v) * sqrt(v**2 - 1)),
    ),
    sinh: _function(
        "hyperbolic_rule", "The slope of sinh is cosh: d/d{x} {f} = {df}.", lambda v, c: cosh(v)
    ),
    cosh: _function(
        "hyperbolic_rule", "The slope of cosh is sinh: d/d{x} {f} = {df}.", lambda v, c: sinh(v)
    ),
    coth: _function(
        "hyperbolic_rule",
        "The slope of coth is minus csch squared: d/d{x} {f} = {df}.",
        lambda v, c: -(csch(v) ** 2),
    ),
    sech: _function(
        "hyperbolic_rule",
        "The slope of sech is minus sech times tanh: d/d{x} {f} = {df}.",
        lambda v, c: -sech(v) * tanh(v),
    ),
    csch: _function(
        "hyperbolic_rule",
        "The slope of csch is minus csch times coth: d/d{x} {f} = {df}.",
        lambda v, c: -csch(v) * coth(v),
    ),
    asinh: _function(
        "inverse_hyperbolic_rule",
        "Inverse sinh: d/d{x} {f} = {df}.",
        lambda v, c: 1 / sqrt(v**2 + 1),
    ),
    acosh: _function(
        "inverse_hyperbolic_rule",
        "Inverse cosh: d/d{x} {f} = {df}, for {x} > 1.",
        lambda v, c: 1 / (sqrt(v - 1) * sqrt(v + 1)),
    ),
    atanh: _function(
        "inverse_hyperbolic_rule",
        "Inverse tanh: d/d{x} {f} = {df}, for {x} between −1 and 1.",
        lambda v, c: 1 / (1 - v**2),
    ),
    tanh: _function(
        "tanh_rule",
        "The tanh activation's slope is 1 − tanh²: d/d{x} {f} = {df}, largest at 0, "
        "fading where tanh flattens out.",
        lambda v, c: 1 - tanh(v) ** 2,
    ),
    sigmoid: _function(
        "sigmoid_rule",
        "The sigmoid's slope is σ(1 − σ): d/d{x} {f} = {df}, largest at 0 and vanishing "
        "where σ saturates.",
        lambda v, c: sigmoid(v) * (1 - sigmoid(v)),
    ),
    softplus: _function(
        "softplus_rule",
        "The slope of softplus is the sigmoid: d/d{x} {f} = {df}.",
        lambda v, c: sigmoid(v),
    ),
    relu: _function(
        "relu_rule",
        "ReLU has slope 0 for negative inputs and 1 for positive ones: its derivative is 1 "
        "where {x} > 0 and 0 where {x} < 0; at 0 it has a corner, so no derivative there.",
        lambda v, c: Heaviside(v),
    ),
    sign: _function(
        "sign_rule",
        "sign({x}) is −1 left of 0 and +1 right of 0: flat on each side, so its slope is 0 "
        "wherever {x} ≠ 0 (at 0 it jumps, and has no derivative there).",
        lambda v, c: S.Zero,
    ),
    Abs: _function(
        "abs_rule",
        "The absolute value has slope −1 left of 0 and +1 right of 0, that is {df}; "
        "at 0 there is a corner, so no derivative there.",
        lambda v, c: sign(v),
    ),
}


def _log_abs(expr: Any, ctx: Context) -> Step | None:
    """d/dx ln|g| -> g'/g   (both sides of 0: for g < 0, ln|g| = ln(-g) and the signs cancel)"""
    if not isinstance(expr.args[0], Abs):
        return None
    text = (
        "ln|{x}| has slope 1/{x} on both sides of 0 (left of 0 it is ln(−{x}), and the two "
        "minus signs cancel): d/d{x} {f} = {df}."
    )

    def outer(e: Any, v: Any, c: Context) -> Step:
        return _step("log_rule", e, 1 / v, c, text, wrt=v)

    g = expr.args[0].args[0]
    if g == ctx.x:
        return outer(expr, ctx.x, ctx)
    return _chain(expr, g, lambda u: log(Abs(u)), ctx, outer, "log")


def _dependent(expr: Any, ctx: Context) -> Step | None:
    """d/dx y(x) -> dy/dx   (implicit differentiation: y is an unknown function of x)"""
    if expr.args != (ctx.x,):
        return None
    text = "{f} depends on {x}, so its derivative is left as the unknown {df}."
    return _step("dependent_variable", expr, Derivative(expr, ctx.x), ctx, text)


_TABLE: dict[type, tuple[Callable[[Any, Context], Step | None], ...]] = {
    Add: (_sum_rule,),
    Mul: (_log_base, _mul),
    Pow: (_power,),
    **{cls: (rule,) for cls, rule in _RULES.items()},
    log: (_log_abs, _RULES[log]),
}

# recognisers found by base class rather than exact type
_BY_BASE: dict[type, tuple[Callable[[Any, Context], Step | None], ...]] = {
    AppliedUndef: (_dependent,),
}
