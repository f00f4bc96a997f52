"""Building blocks for problem families: numbers, polynomials, composites, phrasing.

Everything takes the family's ``random.Random``; nothing touches the global RNG.
Difficulty is an explicit budget (as in mathematics_dataset's entropy): each level has one
number, ``Budget.entropy``, and every size a builder draws -- coefficient range, number of
terms, polynomial degree, inner frequencies, the powers a composite may use -- is derived
from it, and a composite splits it between its layers.  No builder switches on the level.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy
from sympy import Integer, Rational, Symbol

from .registry import Redraw

X = Symbol("x")
Y = Symbol("y")


@dataclass(frozen=True)
class Budget:
    """How much a problem may spend: one number per difficulty, every size derived from it."""

    entropy: float

    @property
    def coeff_max(self) -> int:
        """The largest magnitude of a random coefficient (5, 9, 12 for levels 1, 2, 3)."""
        return max(2, round(self.entropy) + 1)

    @property
    def max_terms(self) -> int:
        """How many terms a random polynomial may have besides its leading one."""
        return max(1, int(self.entropy // 4))

    @property
    def max_degree(self) -> int:
        """The largest degree of an inner polynomial (1 on a small budget)."""
        return 1 if self.entropy < 6 else 2

    @property
    def frequency_max(self) -> int:
        """The largest |k| in sin(kx), e^(kx): 1 (just x) on a small budget."""
        return 1 if self.entropy < 6 else min(5, int(self.entropy // 2))

    def powers(self) -> list[int]:
        """The exponents a composite layer may use: negative ones once the budget allows."""
        base = [2, 3, 4]
        return base + ([5, -1, -2] if self.entropy >= 6 else [])

    def split(self, parts: int) -> list[Budget]:
        """Share the budget between ``parts`` pieces (each layer of a composite gets one)."""
        parts = max(1, parts)
        return [Budget(self.entropy / parts)] * parts


_ENTROPY = {1: 4.0, 2: 8.0, 3: 11.0}


def budget(difficulty: int) -> Budget:
    """The budget of a difficulty level (1, 2 or 3)."""
    return Budget(_ENTROPY.get(difficulty, _ENTROPY[1]))


def size(difficulty: int) -> int:
    """The largest magnitude of a random coefficient at this difficulty."""
    return budget(difficulty).coeff_max


def nz(rng: random.Random, lo: int, hi: int, exclude: Sequence[int] = (0,)) -> int:
    """A random integer in [lo, hi] avoiding ``exclude`` (0 by default)."""
    pool = [k for k in range(lo, hi + 1) if k not in exclude]
    if not pool:
        raise Redraw(f"no integer in [{lo}, {hi}] outside {list(exclude)}")
    return rng.choice(pool)


def coeff(rng: random.Random, difficulty: int, *, positive: bool = False, one: bool = True) -> int:
    """A nonzero coefficient whose size follows the difficulty (±1 allowed when ``one``)."""
    hi = size(difficulty)
    lo = 1 if positive else -hi
    exclude = [0] if one else [0, 1, -1]
    return nz(rng, lo, hi, exclude)


def distinct_ints(rng: random.Random, k: int, lo: int, hi: int) -> list[int]:
    """``k`` distinct integers in [lo, hi], sorted."""
    return sorted(rng.sample(range(lo, hi + 1), k))


def phrase(rng: random.Random, options: Sequence[str]) -> str:
    """One of several phrasings of the same task (the maths does not change with the words)."""
    return rng.choice(list(options))


def poly(rng: random.Random, degree: int, difficulty: int, *, terms: int | None = None) -> Any:
    """A polynomial of exactly ``degree`` with nonzero coefficients on ``terms`` powers."""
    powers = list(range(degree))
    most = min(max(1, degree), budget(difficulty).max_terms + 1)
    k = min(len(powers), terms if terms is not None else rng.randint(1, most))
    chosen = [degree] + rng.sample(powers, k)
    return sympy.Add(*[coeff(rng, difficulty) * X**p for p in chosen])


def linear(rng: random.Random, difficulty: int, *, var: Symbol = X) -> Any:
    """a·x + b with a ∉ {0, 1} at level ≥ 2 and b ≠ 0."""
    a = coeff(rng, difficulty, one=budget(difficulty).entropy < 6)
    return a * var + coeff(rng, difficulty)


def poly_with_roots(roots: Sequence[Any], lead: int = 1, var: Symbol = X) -> Any:
    """lead·∏(x − r), expanded: the roots are exactly ``roots``."""
    return sympy.expand(lead * sympy.Mul(*[var - r for r in roots]))


def rat(q: Fraction | int) -> Any:
    """A Fraction as a sympy Rational."""
    q = Fraction(q)
    return Rational(q.numerator, q.denominator)


def decimal(v: float, places: int = 6) -> Any:
    """A float rounded to ``places`` decimals, as an exact Rational (exact decimals check)."""
    return Rational(round(v * 10**places), 10**places)


def small_rational(rng: random.Random, choices: Sequence[tuple[int, int]]) -> Any:
    """One of a list of friendly rationals, e.g. learning rates 1/4, 1/10."""
    p, q = rng.choice(list(choices))
    return Rational(p, q)


# Outer layers of a composite: name -> u ↦ f(u).  Powers are drawn separately.
OUTER: dict[str, Any] = {
    "sin": sympy.sin,
    "cos": sympy.cos,
    "exp": sympy.exp,
    "log": sympy.log,
    "sqrt": sympy.sqrt,
    "tan": sympy.tan,
    "atan": sympy.atan,
}
# pairs (outer, inner layer) that sympy collapses or that make ugly, misleading questions
_BAD_PAIRS = {
    ("exp", "log"),
    ("log", "exp"),
    ("pow", "sqrt"),
    ("sqrt", "pow"),
    ("pow", "pow"),
    ("sqrt", "sqrt"),
    ("exp", "exp"),  # e^(e^u) and e^(u^n) grow too fast to be a fair exercise (or to evaluate)
    ("exp", "pow"),
    ("atan", "tan"),  # arctan(tan(u)) is u on a strip: a question about nothing
    ("tan", "atan"),
}


def basic(rng: random.Random, difficulty: int, *, kinds: Sequence[str] | None = None) -> Any:
    """One elementary building block: a·x^n, sin(kx), cos(kx), e^(kx), ln(x), √x, ..."""
    kinds = list(kinds or ["power", "sin", "cos", "exp", "log", "sqrt"])
    kind = rng.choice(kinds)
    spend = budget(difficulty)
    top = spend.frequency_max
    k = 1 if top == 1 else nz(rng, -4, top, (0,))
    if kind == "power":
        return X ** rng.randint(2, 2 + spend.max_degree + spend.max_terms)
    if kind == "sin":
        return sympy.sin(k * X)
    if kind == "cos":
        return sympy.cos(k * X)
    if kind == "exp":
        return sympy.exp(k * X)
    if kind == "log":
        return sympy.log(X)
    if kind == "sqrt":
        return sympy.sqrt(X)
    if kind == "poly":
        return poly(rng, rng.randint(1, 2), difficulty, terms=1)
    raise ValueError(kind)


def composite(rng: random.Random, layers: int, difficulty: int) -> Any:
    """A chain of ``layers`` outer functions around a polynomial inner function.

    ``layers`` = 1 gives sin(3x^2 + 1); 3 gives e.g. √(ln(cos(2x) ...)). Pairs that sympy
    collapses (exp∘ln, ln∘exp, powers of roots) are never drawn, so the depth is real.
    """
    spend = budget(difficulty)
    degree = rng.randint(1, spend.max_degree)
    expr = poly(rng, degree, difficulty, terms=1)
    if spend.max_degree == 1:
        expr = coeff(rng, difficulty, one=False) * X + coeff(rng, difficulty)
    prev = "poly"
    for share in spend.split(layers):
        names = [n for n in [*OUTER, "pow", "pow"] if (n, prev) not in _BAD_PAIRS]
        if expr.has(sympy.exp):
            names = [n for n in names if n != "exp"]
        name = rng.choice(names)
        if name == "pow":
            n = rng.choice(spend.powers() if share.entropy * layers >= 6 else [2, 3, 4])
            expr = expr**n
        else:
            expr = OUTER[name](expr)
        prev = name
    if chain_depth(expr) < layers:
        raise Redraw("composite collapsed")
    return natural(expr)


def chain_depth(expr: Any) -> int:
    """Nesting depth of functions and powers above the variable (x has depth 0)."""
    if not expr.has(X):
        return 0
    if expr.is_Symbol:
        return 0
    if expr.is_Add or expr.is_Mul:
        return max(chain_depth(a) for a in expr.args)
    if expr.is_Pow:
        base, e = expr.args
        inner = chain_depth(base)
        if base.is_Symbol and e.is_number:
            return 1
        return inner + 1
    return 1 + max(chain_depth(a) for a in expr.args)


def _leads_negative(add: Any) -> bool:
    """Whether a sum is printed with a leading minus (−7x² + 4x + 1), so it reads better negated."""
    names = sorted(add.free_symbols, key=str)
    if names and add.is_polynomial(*names):
        return bool(sympy.Poly(add, *names).LC() < 0)
    return bool(add.could_extract_minus_sign())


def natural(expr: Any) -> Any:
    """The expression as a teacher writes it: the same function, signs moved where they read best.

    −(−2x + e^(2x) − 1)/(4x²) becomes (2x − e^(2x) + 1)/(4x²), 27/(−9x − 3y²) becomes
    −27/(9x + 3y²), (−3x − 1)³ becomes −(3x + 1)³.  Nothing is cancelled or expanded, so a
    limit's hole or a quotient to differentiate keeps its shape.
    """
    if isinstance(expr, (list, tuple)):
        return type(expr)(natural(v) for v in expr)
    if not isinstance(expr, sympy.Expr) or expr.is_Atom or not expr.free_symbols:
        return expr
    args = [natural(a) for a in expr.args]
    if args != list(expr.args):
        expr = expr.func(*args)
    if expr.is_Pow and expr.base.is_Add and expr.exp.is_Integer:
        if expr.base.could_extract_minus_sign():
            flipped = (-expr.base) ** expr.exp
            return flipped if expr.exp % 2 == 0 else -flipped
        return expr
    if not expr.is_Mul:
        return expr
    num, den = sympy.fraction(expr, exact=True)
    sign = 1
    factors = []
    for fac in sympy.Mul.make_args(den):
        if fac.is_Add and _leads_negative(fac):
            fac, sign = -fac, -sign
        factors.append(fac)
    den = sympy.Mul(*factors)
    if num.is_Mul and num.args[0] == -1 and sum(1 for a in num.args if a.is_Add) == 1:
        # −(a + b)·c: the minus goes into the sum
        rest = [a for a in num.args[1:] if not a.is_Add]
        (add,) = [a for a in num.args if a.is_Add]
        num = sympy.Mul(sympy.Add(*[-t for t in add.args]), *rest)
    if sign < 0:
        num = -num
    if den == 1:
        return num
    return sympy.Mul(num, sympy.Pow(den, -1))


def plain(value: Any) -> str:
    """Plain text in the course's input syntax: 3x^2 sin(2x), not 3*x**2*sin(2*x)."""
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(plain(v) for v in value) + ")"
    if isinstance(value, sympy.Equality):
        return f"{plain(value.lhs)} = {plain(value.rhs)}"
    if not isinstance(value, sympy.Basic):
        return str(value)
    poly_like = isinstance(value, sympy.Expr) and value.is_polynomial()
    text = sympy.sstr(value, order="lex" if poly_like else None)
    text = text.replace("**", "^")
    text = re.sub(r"(?<![\w.^/])(\d+)\*(?=[a-z](?![a-z])|\()", r"\1", text)
    return text


def fill(prompt: str, given: dict[str, Any]) -> str:
    """The prompt with its ``{placeholders}`` filled in plain text (for CLI and tests)."""
    from ..core import format_explanation

    return format_explanation(prompt, given, plain)


def is_int(v: Any) -> bool:
    """True for a sympy or Python integer."""
    return isinstance(v, (int, Integer)) or (isinstance(v, sympy.Basic) and v.is_Integer)


def answer_text(value: Any, kind: str) -> str:
    """The answer as a student would type it (``tutor.check`` reads it back)."""
    from ..core import DNE

    if value is DNE:
        return "DNE"
    if isinstance(value, str):
        return value
    if kind == "equation" and isinstance(value, sympy.Equality):
        return f"{plain(value.lhs)} = {plain(value.rhs)}"
    if kind in ("list", "point") or isinstance(value, (list, tuple)):
        return "(" + ", ".join(answer_text(v, "number") for v in value) + ")"
    if isinstance(value, sympy.FiniteSet):
        return "{" + ", ".join(plain(v) for v in sorted(value, key=sympy.default_sort_key)) + "}"
    if isinstance(value, sympy.Union):
        return " U ".join(answer_text(a, kind) for a in value.args)
    if isinstance(value, sympy.Interval):
        lo = "(" if value.left_open else "["
        hi = ")" if value.right_open else "]"
        return f"{lo}{plain(value.start)}, {plain(value.end)}{hi}"
    if isinstance(value, sympy.Complement) and isinstance(value.args[1], sympy.FiniteSet):
        return answer_text(sympy.Complement(*value.args).rewrite(sympy.Union), kind)
    if isinstance(value, sympy.Rational) and value.q >= 1000 and 10**12 % value.q == 0:
        from decimal import Decimal

        return str(Decimal(int(value.p)) / Decimal(int(value.q)))
    return plain(value)
