"""Lectures 05 and 10: derivatives by the rules, and the chain rule through composites.

Level 1 needs one rule, level 2 two or three, level 3 nests them (see docs/problems.md).
The answer is sympy's derivative; the worked solution comes from ``tutor.steps.derivatives``.
"""

from __future__ import annotations

import random

import sympy

from .._diff import diff
from ..core import Solution
from .builders import X, basic, chain_depth, coeff, composite, nz, phrase, poly
from .engines import engine_solution
from .registry import Draft, Redraw, family

_DIFF_PROMPTS = [
    "Differentiate f(x) = {f}.",
    "Find f'(x) for f(x) = {f}.",
    "Find the derivative of y = {f} with respect to x.",
    "How fast is f(x) = {f} changing at a general point x? Find f'(x).",
]


def _draft(
    rng: random.Random, f: sympy.Expr, *, prompts: list[str] | None = None, figure: bool = True
) -> Draft:
    if not f.has(X):
        raise Redraw("constant function")
    answer = diff(f, X)
    if answer == 0 or answer == f or not answer.has(X):
        raise Redraw("derivative is trivial or equals the function")
    sol = _solve(f, answer)
    if not sol.uses_cas:
        answer = sol.answer  # the engine's tidy form of the same derivative
    prompt = phrase(rng, prompts or _DIFF_PROMPTS)
    fig = {"kind": "derivative", "expr": f} if figure else None
    return Draft(prompt, {"f": f}, answer, "expression", sol, {"variables": ["x"]}, fig)


def _solve(f: sympy.Expr, answer: sympy.Expr) -> Solution:
    return engine_solution(
        "tutor.steps.derivatives:differentiate",
        (f,),
        {"wrt": "x"},
        answer=answer,
        kind="derivative",
        params={"expr": f, "wrt": X},
        statement="Differentiate with respect to x.",
    )


@family(
    "derivative-power",
    5,
    "Power, constant-multiple and sum rules on polynomials, roots and negative powers.",
    {
        1: "a polynomial of degree 2–3",
        2: "adds 1/x^n and √x terms",
        3: "fractional powers and more terms",
    },
)
def derivative_power(rng: random.Random, d: int) -> Draft:
    if d == 1:
        f = poly(rng, rng.randint(2, 3), 1)
    elif d == 2:
        f = (
            poly(rng, 2, 2, terms=1)
            + coeff(rng, 2) / X ** rng.randint(1, 3)
            + coeff(rng, 2) * sympy.sqrt(X)
        )
    else:
        p = sympy.Rational(rng.choice([3, 5, 7]), rng.choice([2, 3]))
        f = (
            coeff(rng, 3) * X**p
            + coeff(rng, 3) / sympy.sqrt(X)
            + coeff(rng, 3) * X ** rng.randint(3, 6)
            + sympy.Rational(coeff(rng, 2), nz(rng, 2, 5)) / X**2
        )
    return _draft(rng, f)


_ELEMENTARY = ["sin", "cos", "exp", "log", "tan", "atan", "asin", "a^x", "log_b"]


def _elementary(rng: random.Random, d: int, kinds: list[str]) -> sympy.Expr:
    kind = rng.choice(kinds)
    k = 1 if d == 1 else nz(rng, -4, 5)
    table = {
        "sin": sympy.sin(k * X),
        "cos": sympy.cos(k * X),
        "exp": sympy.exp(k * X),
        "log": sympy.log(X),
        "tan": sympy.tan(X),
        "atan": sympy.atan(X),
        "asin": sympy.asin(X),
        "a^x": sympy.Integer(rng.choice([2, 3, 5, 10])) ** X,
        "log_b": sympy.log(X, rng.choice([2, 3, 10])),
    }
    return table[kind]


@family(
    "derivative-elementary",
    5,
    "Derivatives of e^x, ln x, the trig and inverse trig functions, a^x and log_b x.",
    {
        1: "two terms, sin/cos/e^x/ln x",
        2: "three terms with inner multiples kx, a^x, log_b",
        3: "inverse trig and tan mixed in",
    },
)
def derivative_elementary(rng: random.Random, d: int) -> Draft:
    kinds = (
        _ELEMENTARY[:4] if d == 1 else _ELEMENTARY[:4] + ["a^x", "log_b"] if d == 2 else _ELEMENTARY
    )
    n = {1: 2, 2: 3, 3: 3}[d]
    picks = []
    for _ in range(n):
        picks.append(coeff(rng, d) * _elementary(rng, d, kinds))
    f = sympy.Add(*picks)
    if len(f.as_ordered_terms()) < n:
        raise Redraw("terms merged")
    return _draft(rng, f)


@family(
    "derivative-product",
    5,
    "The product rule: two factors, then three, then factors that need the chain rule.",
    {1: "two simple factors", 2: "a polynomial times a function of kx", 3: "three factors"},
)
def derivative_product(rng: random.Random, d: int) -> Draft:
    if d == 1:
        u = X ** rng.randint(1, 3) * coeff(rng, 1)
        v = basic(rng, 1, kinds=["sin", "cos", "exp", "log", "sqrt"])
        f = u * v
    elif d == 2:
        u = poly(rng, rng.randint(1, 2), 2)
        v = basic(rng, 2, kinds=["sin", "cos", "exp", "log"])
        f = u * v
    else:
        factors = [X ** rng.randint(1, 3)] + [
            basic(rng, 2, kinds=[k]) for k in rng.sample(["sin", "cos", "exp", "log", "sqrt"], 2)
        ]
        f = coeff(rng, 2) * sympy.Mul(*factors)
    if not f.is_Mul or sum(1 for a in f.args if a.has(X)) < (3 if d == 3 else 2):
        raise Redraw("not a product")
    return _draft(rng, f)


@family(
    "derivative-quotient",
    5,
    "The quotient rule: polynomial over polynomial, then functions over polynomials.",
    {1: "linear over linear", 2: "a function over a polynomial", 3: "a product over a quadratic"},
)
def derivative_quotient(rng: random.Random, d: int) -> Draft:
    if d == 1:
        num = coeff(rng, 1) * X + coeff(rng, 1)
        den = X + nz(rng, -5, 5)
    elif d == 2:
        num = basic(rng, 2, kinds=["sin", "cos", "exp", "log", "power"])
        den = poly(rng, rng.randint(1, 2), 2)
    else:
        num = X ** rng.randint(1, 2) * basic(rng, 2, kinds=["sin", "cos", "exp"])
        den = X**2 + nz(rng, 1, 9)
    if den.could_extract_minus_sign():  # −cos(4x)/(7x² − 8x), as a teacher writes it
        num, den = -num, -den
    f = num / den
    if sympy.cancel(f).is_polynomial(X) or not sympy.denom(sympy.together(f)).has(X):
        raise Redraw("quotient cancels to a polynomial")
    if not sympy.cancel(f).has(X):
        raise Redraw("constant quotient")
    return _draft(rng, f)


@family(
    "chain-rule",
    10,
    "The chain rule through composites of 2–4 layers, naming the inner function each time.",
    {1: "one function of a polynomial (2 layers)", 2: "3 layers", 3: "4 layers, negative powers"},
)
def chain_rule(rng: random.Random, d: int) -> Draft:
    f = coeff(rng, 1) * composite(rng, d, d)
    if chain_depth(f) < d:
        raise Redraw("composite too shallow")
    prompts = _DIFF_PROMPTS + [
        "Use the chain rule to differentiate y = {f}. Name each inner function as you go.",
        "The function y = {f} is a chain of simpler functions. Find dy/dx.",
    ]
    return _draft(rng, f, prompts=prompts)


@family(
    "partial-derivatives",
    10,
    "Partial derivatives and the gradient of a function of two variables.",
    {1: "a polynomial in x and y", 2: "a product with e^(ax+by)", 3: "a composite of ax + by"},
)
def partial_derivatives(rng: random.Random, d: int) -> Draft:
    y = sympy.Symbol("y")
    if d == 1:
        f = coeff(rng, 1) * X**2 + coeff(rng, 1) * X * y + coeff(rng, 1) * y ** rng.randint(2, 3)
    elif d == 2:
        f = X ** rng.randint(1, 2) * sympy.exp(coeff(rng, 1) * X + coeff(rng, 1) * y)
    else:
        inner = coeff(rng, 2) * X + coeff(rng, 2) * y**2
        f = rng.choice([sympy.sin, sympy.log, sympy.exp])(inner) * coeff(rng, 1)
    grad = (diff(f, X), diff(f, y))
    if any(g == 0 for g in grad):
        raise Redraw("a variable does not matter")
    sol = engine_solution(
        "tutor.steps.derivatives:differentiate",
        (f,),
        {"wrt": ["x", "y"]},
        answer=grad,
        kind="gradient",
        params={"expr": f, "wrt": (X, y)},
        statement="The gradient of f.",
    )
    prompt = phrase(
        rng,
        [
            "Find the gradient ∇f = (∂f/∂x, ∂f/∂y) of f(x, y) = {f}.",
            "Compute both partial derivatives of f(x, y) = {f}, as the vector (∂f/∂x, ∂f/∂y).",
            "Which way is f(x, y) = {f} steepest? Find its gradient (∂f/∂x, ∂f/∂y).",
        ],
    )
    return Draft(
        prompt,
        {"f": f},
        grad,
        "list",
        sol,
        {"variables": ["x", "y"]},
        {"kind": "contour", "expr": f},
    )
