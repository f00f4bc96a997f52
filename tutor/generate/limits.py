"""Lecture 04: limits that are truly indeterminate (or truly infinite), and the
derivative from first principles.

Each family builds the limit so that its value is known by construction (a hole at the
factor it cancels, the conjugate that clears the root, a standard limit in disguise);
the tests compare every answer with ``sympy.limit``. Worked solutions come from
``tutor.steps.limits``.
"""

from __future__ import annotations

import random
from typing import Any

import sympy
from sympy import Rational, oo

from .._diff import diff
from ..core import DNE
from .builders import X, coeff, natural, nz, phrase, poly
from .engines import engine_solution
from .registry import Draft, Redraw, family

_LIMIT_PROMPTS = [
    "Find the limit of {f} as x → {a}.",
    "Find the limit of {f} as x approaches {a}.",
    "What value does {f} approach as x gets closer and closer to {a}?",
]


def _limit_draft(
    rng: random.Random,
    f: sympy.Expr,
    point: Any,
    answer: Any,
    *,
    direction: str = "+-",
    prompts: list[str] | None = None,
    method: str | None = None,
) -> Draft:
    if answer is sympy.nan:
        raise Redraw("bad limit")
    f = natural(f)
    sol = engine_solution(
        "tutor.steps.limits:limit",
        (f,),
        {"var": "x", "point": point, "direction": direction}
        | ({"method": method} if method else {}),
        answer=answer,
        kind="limit",
        params={"expr": f, "var": X, "point": point, "direction": direction},
        statement="Find the limit.",
    )
    side = {"+": "⁺", "-": "⁻"}.get(direction, "")
    shown = {oo: "∞", -oo: "−∞"}.get(point, point)
    prompt = phrase(rng, prompts or _LIMIT_PROMPTS)
    given = {
        "f": f,
        "a": shown if side == "" else f"{shown}{side}",
        "point": point,
        "direction": direction,
    }
    figure = {"kind": "limit", "expr": f, "point": point, "direction": direction}
    return Draft(prompt, given, answer, "number", sol, {}, figure)


def _indeterminate_at(f: sympy.Expr, a: Any) -> bool:
    num, den = sympy.fraction(sympy.together(f))
    return sympy.simplify(num.subs(X, a)) == 0 and sympy.simplify(den.subs(X, a)) == 0


@family(
    "limit-hole",
    4,
    "0/0 limits of rational functions with a removable hole: factor and cancel.",
    {1: "quadratic over linear", 2: "quadratic over quadratic", 3: "cubic over quadratic"},
)
def limit_hole(rng: random.Random, d: int) -> Draft:
    hi = 3 + 2 * d
    a = nz(rng, -hi, hi, ())
    b = nz(rng, -hi, hi, (a,))
    if d == 1:
        num, den = (X - a) * (X - b), (X - a)
    elif d == 2:
        c = nz(rng, -hi, hi, (a, b))
        num, den = (X - a) * (X - b) * coeff(rng, 1), (X - a) * (X - c)
    else:
        p, q = coeff(rng, 2), coeff(rng, 2)
        c = nz(rng, -hi, hi, (a,))
        num, den = (X - a) * (X**2 + p * X + q), (X - a) * (X - c) * nz(rng, 1, 3)
    reduced = sympy.cancel(num / den)
    answer = reduced.subs(X, a)
    if answer == 0 or not answer.is_finite:
        raise Redraw("zero or infinite limit")
    f = sympy.expand(num) / sympy.expand(den)
    if not _indeterminate_at(f, a):
        raise Redraw("not 0/0")
    return _limit_draft(rng, f, sympy.Integer(a), answer)


@family(
    "limit-conjugate",
    4,
    "0/0 limits with a square root: multiply by the conjugate.",
    {1: "(√(px+q) − r)/(x − a)", 2: "the root in the denominator", 3: "a difference of two roots"},
)
def limit_conjugate(rng: random.Random, d: int) -> Draft:
    a = nz(rng, -4, 4, ())
    r = nz(rng, 1, 3 + d)
    p = nz(rng, -4, 4)
    q = r**2 - p * a
    root = sympy.sqrt(p * X + q)
    if d == 1:
        f, answer = (root - r) / (X - a), Rational(p, 2 * r)
    elif d == 2:
        f, answer = (X - a) / (root - r), Rational(2 * r, p)
    else:
        s = nz(rng, -4, 4, (0, p))
        t = r**2 - s * a
        f, answer = (root - sympy.sqrt(s * X + t)) / (X - a), Rational(p - s, 2 * r)
    if not f.has(sympy.sqrt(p * X + q)) or not _indeterminate_at(f, a):
        raise Redraw("root simplified away")
    return _limit_draft(rng, f, sympy.Integer(a), answer)


@family(
    "limit-trig",
    4,
    "Standard trigonometric limits at 0 (sin(kx)/x, (1 − cos x)/x^2, tan x / x) in disguise.",
    {
        1: "sin(ax)/(bx), tan(ax)/(bx)",
        2: "(1 − cos ax)/(bx^2), sin(ax)/sin(bx)",
        3: "products of two standard limits",
    },
)
def limit_trig(rng: random.Random, d: int) -> Draft:
    a = nz(rng, -5, 5, (0, 1) if d > 1 else (0,))
    b = nz(rng, -5, 5, (0, a))
    kind = rng.randrange(2)
    if d == 1:
        fn = [sympy.sin, sympy.tan][kind]
        f, answer = fn(a * X) / (b * X), Rational(a, b)
    elif d == 2:
        if kind == 0:
            f, answer = (1 - sympy.cos(a * X)) / (b * X**2), Rational(a * a, 2 * b)
        else:
            f, answer = sympy.sin(a * X) / sympy.sin(b * X), Rational(a, b)
    else:
        c = nz(rng, -5, 5)
        if kind == 0:
            f, answer = sympy.tan(a * X) * sympy.sin(b * X) / (c * X**2), Rational(a * b, c)
        else:
            f, answer = (
                (1 - sympy.cos(a * X)) / (c * X * sympy.sin(b * X)),
                Rational(a * a, 2 * b * c),
            )
    if answer in (0, 1):
        raise Redraw("trivial value")
    return _limit_draft(rng, f, sympy.Integer(0), answer)


@family(
    "limit-lhopital",
    4,
    "0/0 limits with exponentials, logarithms and powers: L'Hôpital's rule (repeated at level 3).",
    {1: "one application", 2: "two applications or x^n − c^n", 3: "three applications"},
)
def limit_lhopital(rng: random.Random, d: int) -> Draft:
    a = nz(rng, -4, 4, (0,))
    b = nz(rng, -4, 4, (0, a))
    kind = rng.randrange(2)
    point = sympy.Integer(0)
    if d == 1:
        if kind == 0:
            f, answer = (sympy.exp(a * X) - 1) / (b * X), Rational(a, b)
        else:
            f, answer = sympy.log(1 + a * X) / (b * X), Rational(a, b)
    elif d == 2:
        if kind == 0:
            f, answer = (sympy.exp(a * X) - 1 - a * X) / (b * X**2), Rational(a * a, 2 * b)
        else:
            n = rng.randint(3, 5)
            c = nz(rng, -3, 3, (0, 1))
            f, answer, point = (
                (X**n - c**n) / (X - c),
                n * sympy.Integer(c) ** (n - 1),
                sympy.Integer(c),
            )
    else:
        if kind == 0:
            f, answer = (a * X - sympy.sin(a * X)) / (b * X**3), Rational(a**3, 6 * b)
        else:
            f, answer = (
                (sympy.exp(a * X) - 1 - a * X - a * a * X**2 / 2) / (b * X**3),
                Rational(a**3, 6 * b),
            )
    # the family drills L'Hôpital's rule; a polynomial hole is still factored (lecture 04)
    method = None if f.is_rational_function(X) else "lhopital"
    return _limit_draft(rng, f, point, answer, method=method)


@family(
    "limit-infinity",
    4,
    "Limits at ±∞: dominant terms of rationals and roots, ∞ − ∞ and 1^∞ forms.",
    {
        1: "rational, equal degrees",
        2: "a root over a line, at +∞ or −∞",
        3: "√(x² + ax) − x and (1 + a/x)^x",
    },
)
def limit_infinity(rng: random.Random, d: int) -> Draft:
    point = oo
    if d == 1:
        n = rng.randint(1, 3)
        top, bottom = poly(rng, n, 1), poly(rng, n, 1)
        f = top / bottom
        answer = Rational(sympy.LC(top, X), sympy.LC(bottom, X))
        if not sympy.cancel(f).has(X):
            raise Redraw("constant")
    elif d == 2:
        a, c = nz(rng, -6, 6), nz(rng, 1, 5)
        e = nz(rng, -9, 9)
        point = rng.choice([oo, -oo])
        f = (a * X + coeff(rng, 2)) / sympy.sqrt(c * c * X**2 + e)
        answer = Rational(a, c) * (1 if point == oo else -1)
    else:
        a = nz(rng, -6, 6)
        c = nz(rng, 1, 3)
        if rng.randrange(2) == 0:
            f, answer = sympy.sqrt(c * c * X**2 + a * X) - c * X, Rational(a, 2 * c)
        else:
            k = nz(rng, 1, 3)
            f, answer = (1 + Rational(a, c) / X) ** (k * X), sympy.exp(Rational(a * k, c))
    prompts = [
        "Find the limit of {f} as x → {a}.",
        "What happens to {f} as x grows without bound towards {a}? Find the limit.",
        "Find the limit of {f} as x approaches {a}.",
    ]
    return _limit_draft(rng, f, point, answer, prompts=prompts)


@family(
    "limit-asymptote",
    4,
    "One-sided and two-sided limits at a vertical asymptote or a jump: ±∞ or does not exist.",
    {
        1: "one side of a simple pole",
        2: "both sides (the limit may not exist)",
        3: "poles of a factored rational, jumps of |x − a|/(x − a)",
    },
)
def limit_asymptote(rng: random.Random, d: int) -> Draft:
    a = nz(rng, -5, 5, ())
    b = nz(rng, -5, 5)
    c = nz(rng, -9, 9, (-b * a,))  # numerator b·a + c ≠ 0 at the pole
    num = b * X + c
    if d == 1:
        direction = rng.choice(["+", "-"])
        f = num / (X - a)
    elif d == 2:
        direction = "+-"
        f = num / (X - a) ** rng.choice([1, 2])
    else:
        e = nz(rng, -5, 5, (a,))
        kind = rng.randrange(2)
        if kind == 0:
            if num.subs(X, e) == 0:
                raise Redraw("second pole cancels")
            direction = rng.choice(["+", "-", "+-"])
            f = num / sympy.expand((X - a) * (X - e))
        else:
            direction = "+-" if rng.randrange(2) else rng.choice(["+", "-"])
            f = b * sympy.Abs(X - a) / (X - a)
    jump = b if f.has(sympy.Abs) else None
    answer = _one_or_two_sided(f, a, direction, jump)
    prompts = (
        [
            "Find the limit of {f} as x → {a}, or explain why it does not exist.",
            "Find the limit of {f} as x → {a}. If it does not exist, answer DNE.",
        ]
        if direction == "+-"
        else [
            "Find the one-sided limit of {f} as x → {a}.",
            "What does {f} do as x → {a}? Give the limit (it may be ∞ or −∞).",
        ]
    )
    return _limit_draft(rng, f, sympy.Integer(a), answer, direction=direction, prompts=prompts)


def _one_or_two_sided(f: sympy.Expr, a: int, direction: str, jump: int | None = None) -> Any:
    """The limit by construction: a jump b·|x − a|/(x − a) tends to ±b; at a pole the
    sign of f just beside a decides between ∞ and −∞."""
    eps = Rational(1, 10**6)
    if jump is not None:
        sides = {"+": sympy.Integer(jump), "-": sympy.Integer(-jump)}
    else:
        sides = {s: oo if f.subs(X, a + (eps if s == "+" else -eps)) > 0 else -oo for s in "+-"}
    if direction != "+-":
        return sides[direction]
    return sides["+"] if sides["+"] == sides["-"] else DNE


@family(
    "derivative-definition",
    4,
    "The derivative from first principles: the limit of (f(x + h) − f(x))/h.",
    {1: "a quadratic", 2: "a cubic or a/(x + b)", 3: "√(ax + b) or at a given point"},
)
def derivative_definition(rng: random.Random, d: int) -> Draft:
    if d == 1:
        f = poly(rng, 2, 1)
    elif d == 2:
        f = rng.choice([poly(rng, 3, 1, terms=1), coeff(rng, 2) / (X + nz(rng, -5, 5))])
    else:
        f = rng.choice(
            [
                sympy.sqrt(nz(rng, 1, 5) * X + nz(rng, 1, 9)),
                coeff(rng, 2) * X**3 + coeff(rng, 2) * X,
            ]
        )
    at = None
    if d == 3 and rng.randrange(2):
        at = sympy.Integer(nz(rng, 0, 4, ()))
    deriv = diff(f, X)
    answer = deriv if at is None else deriv.subs(X, at)
    if (
        answer == 0
        or (at is None and not answer.has(X))
        or answer.has(sympy.zoo, sympy.nan, sympy.oo)
    ):
        raise Redraw("degenerate derivative")
    sol = engine_solution(
        "tutor.steps.limits:derivative_from_definition",
        (f,),
        {"at": at},
        answer=answer,
        kind="derivative_definition",
        params={"expr": f, "at": at},
        statement="Differentiate from first principles.",
    )
    if at is None:
        prompt = phrase(
            rng,
            [
                "Use the definition f'(x) = lim_(h→0) (f(x + h) − f(x))/h to find the derivative of f(x) = {f}.",
                "From first principles (the limit of the slope of secants), find f'(x) for f(x) = {f}.",
            ],
        )
        kind, opts = "expression", {"variables": ["x"]}
    else:
        prompt = phrase(
            rng,
            [
                "Use the limit of the difference quotient to find the slope of f(x) = {f} at x = {at}.",
                "From first principles, find f'({at}) for f(x) = {f}.",
            ],
        )
        kind, opts = "number", {}
    given = {"f": f} | ({"at": at} if at is not None else {})
    return Draft(
        prompt,
        given,
        answer,
        kind,
        sol,
        opts,
        {"kind": "secants", "expr": f, "a": at if at is not None else 1},
    )
