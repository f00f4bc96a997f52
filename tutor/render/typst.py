"""A sympy printer for Typst math: ``typst(x**2/(x + 1))`` gives ``frac(x^2, x + 1)``.

The output goes between ``$ ... $`` in a Typst document.  It covers what the engines
produce (numbers, fractions, powers, roots, the course's functions, limits, derivatives,
piecewise functions, sets, intervals, vectors and matrices, relations) and brackets by
precedence, so that ``(x + 1)^2`` keeps its brackets and ``a - b`` never prints as
``a + -b``.  Typst reads a run of letters as one name, so every product is spaced
(``2 x y``) and multi-letter names are quoted (``"loss"``).
"""

from __future__ import annotations

import re
from typing import Any

import sympy
from sympy.core.function import AppliedUndef
from sympy.printing.conventions import requires_partial, split_super_sub
from sympy.printing.precedence import PRECEDENCE, precedence
from sympy.printing.printer import Printer

from ..substitute import lead_unbracketed
from .mathtext import written_terms

__all__ = ["TypstPrinter", "typst", "GREEK", "FUNCTIONS"]

# The names both printers read: this one for Typst, speech.py for the alternative text.
GREEK = frozenset(
    {
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
        "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi",
        "chi", "psi", "omega",
    }
)  # fmt: skip
_GREEK = GREEK
_GREEK_ALIASES = {"lamda": "lambda", "Lamda": "Lambda"}

# sympy function name -> (Typst operator written before the bracketed argument, its words)
FUNCTIONS = {
    "sin": ("sin", "sine"), "cos": ("cos", "cosine"), "tan": ("tan", "tangent"),
    "cot": ("cot", "cotangent"), "sec": ("sec", "secant"), "csc": ("csc", "cosecant"),
    "sinh": ("sinh", "hyperbolic sine"), "cosh": ("cosh", "hyperbolic cosine"),
    "tanh": ("tanh", "hyperbolic tangent"), "coth": ("coth", "hyperbolic cotangent"),
    "asin": ("arcsin", "arc sine"), "acos": ("arccos", "arc cosine"),
    "atan": ("arctan", "arc tangent"),
    "acot": ('op("arccot")', "arc cotangent"), "asec": ('op("arcsec")', "arc secant"),
    "acsc": ('op("arccsc")', "arc cosecant"),
    "asinh": ('op("arsinh")', "inverse hyperbolic sine"), "acosh": ('op("arcosh")', "inverse hyperbolic cosine"),
    "atanh": ('op("artanh")', "inverse hyperbolic tangent"),
    "sigmoid": ("sigma", "sigmoid"), "softplus": ('op("softplus")', "softplus"),
    "relu": ('op("ReLU")', "relu"), "sign": ('op("sgn")', "sign"),
    "Heaviside": ("H", "Heaviside"), "gamma": ("Gamma", "gamma"), "erf": ('op("erf")', "the error function"),
    "re": ('op("Re")', "the real part"), "im": ('op("Im")', "the imaginary part"), "arg": ("arg", "the argument"),
}  # fmt: skip
_FUNCTIONS = {name: markup for name, (markup, _) in FUNCTIONS.items()}
_MODIFIERS = {"hat": "hat", "bar": "overline", "tilde": "tilde", "dot": "dot", "vec": "arrow"}
_RELATIONS = {"==": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def _text(s: str) -> str:
    """A Typst string literal (upright text inside maths)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class TypstPrinter(Printer):
    """Print sympy objects as Typst math markup (the inside of ``$ ... $``)."""

    printmethod = "_typst"
    _default_settings: dict[str, Any] = {"order": None}

    # -- helpers -------------------------------------------------------------------------
    def _as_ordered_terms(self, expr: Any, order: Any = None) -> list[Any]:
        return written_terms(expr) or super()._as_ordered_terms(expr, order=order)

    def parens(self, expr: Any, level: int, strict: bool = False) -> str:
        """``expr`` printed, bracketed when it binds more loosely than ``level``."""
        p = precedence(expr)
        s = self._print(expr)
        if p < level or (strict and p <= level):
            return f"({s})"
        return s

    def _name(self, name: str) -> str:
        """A bare name (no subscripts): a letter, a Greek letter or upright text."""
        name = _GREEK_ALIASES.get(name, name)
        if len(name) > 1 and name[0] == "∇":  # ∇f, ∇L: the gradient of a named function
            return "nabla " + self._name(name[1:])
        bare = name.rstrip("'′")
        if bare and bare != name:  # f' and y'' are primes in maths, not quoted text
            return self._name(bare) + "'" * (len(name) - len(bare))
        for mod, fn in _MODIFIERS.items():
            if len(name) > len(mod) and name.endswith(mod):
                return f"{fn}({self._name(name[: -len(mod)])})"
        if len(name) == 1 and name.isalpha() and name.isascii():
            return name
        if name.lower() in _GREEK:
            return name
        if name.isdigit():
            return name
        return _text(name)

    def _script(self, parts: list[str]) -> str:
        items = [self._name(p) for p in parts]
        s = ", ".join(items)
        if len(items) == 1 and re.fullmatch(r"[A-Za-z]|\d+", s):
            return s
        return f"({s})"

    def _symbol_name(self, name: str) -> str:
        base, sups, subs = split_super_sub(name)
        out = self._name(base)
        if subs:
            out += "_" + self._script(subs)
        if sups:
            out += "^" + self._script(sups)
        return out

    def _exponent(self, expr: Any) -> str:
        s = self._print(expr)
        # a subscripted exponent is bracketed: Typst reads e^z_1 as (e^z)_1
        if re.fullmatch(r"[A-Za-z]|\d+|[a-zA-Z]+", s) and not s.startswith("-"):
            return s
        return f"({s})"

    # -- atoms ---------------------------------------------------------------------------
    def emptyPrinter(self, expr: Any) -> str:  # noqa: N802 - sympy's name
        from ..core import DNE

        if expr is DNE:
            return _text("does not exist")
        if isinstance(expr, str):
            return _text(expr)
        if isinstance(expr, bool):
            return _text("true" if expr else "false")
        if isinstance(expr, int):
            return str(expr) if expr >= 0 else f"-{-expr}"
        if isinstance(expr, float):
            return self._print(sympy.Float(expr))
        if isinstance(expr, (tuple, list)):
            return self._print(sympy.Tuple(*expr))
        if isinstance(expr, (set, frozenset)):
            return self._print(sympy.FiniteSet(*expr))
        return _text(str(expr))

    def _print_Substituted(self, expr: Any) -> str:
        s = self._print(expr.value)
        return f"({s})" if expr.bracketed else s

    def _print_Symbol(self, expr: Any) -> str:
        return self._symbol_name(expr.name)

    _print_Dummy = _print_Symbol

    def _print_Integer(self, expr: Any) -> str:
        return str(expr.p)

    def _print_Rational(self, expr: Any) -> str:
        if expr.q == 1:
            return str(expr.p)
        sign = "-" if expr.p < 0 else ""
        return f"{sign}frac({abs(expr.p)}, {expr.q})"

    def _print_Float(self, expr: Any) -> str:
        s = sympy.sstr(expr, full_prec=False)
        m = re.fullmatch(r"(-?[\d.]+)e([+-]?\d+)", s)
        if m:
            return f"{m.group(1)} times 10^({int(m.group(2))})"
        return s

    def _print_Exp1(self, expr: Any) -> str:
        return "e"

    def _print_Pi(self, expr: Any) -> str:
        return "pi"

    def _print_ImaginaryUnit(self, expr: Any) -> str:
        return "i"

    def _print_Infinity(self, expr: Any) -> str:
        return "infinity"

    def _print_NegativeInfinity(self, expr: Any) -> str:
        return "-infinity"

    def _print_ComplexInfinity(self, expr: Any) -> str:
        return "tilde(infinity)"

    def _print_NaN(self, expr: Any) -> str:
        return _text("undefined")

    def _print_BooleanTrue(self, expr: Any) -> str:
        return _text("true")

    def _print_BooleanFalse(self, expr: Any) -> str:
        return _text("false")

    # -- arithmetic ----------------------------------------------------------------------
    def _print_Add(self, expr: Any) -> str:
        return lead_unbracketed(self, expr, self._sum(expr))

    def _sum(self, expr: Any) -> str:
        terms = self._as_ordered_terms(expr, order=self._settings["order"])
        out = ""
        for i, term in enumerate(terms):
            s = self._print(term)
            if precedence(term) < PRECEDENCE["Add"]:
                s = f"({s})"
            if i == 0:
                out = s
            elif s.startswith("-"):
                out += " - " + s[1:]
            else:
                out += " + " + s
        return out

    def _print_Mul(self, expr: Any) -> str:
        if expr.could_extract_minus_sign():
            inner = -expr
            s = self.parens(inner, PRECEDENCE["Mul"]) if inner.is_Add else self._print(inner)
            return "-" + s
        num, den = [], []
        coeff, rest = expr.as_coeff_Mul()
        factors = rest.as_ordered_factors() if rest.is_Mul else [rest]
        if coeff != 1:
            c = sympy.Rational(coeff) if coeff.is_Rational else coeff
            if c.is_Rational and c.q != 1:
                if c.p != 1:
                    num.append(sympy.Integer(c.p))
                den.append(sympy.Integer(c.q))
            else:
                num.append(c)
        for f in factors:
            b, e = f.as_base_exp()
            if f.is_Pow and e.is_Rational and e.is_negative:
                den.append(b if e == -1 else sympy.Pow(b, -e, evaluate=False))
            elif f.is_Pow and e.is_Mul and e.could_extract_minus_sign() and b is not sympy.E:
                den.append(sympy.Pow(b, -e, evaluate=False))
            else:
                num.append(f)
        if den:
            top = self._product(num) if num else "1"
            return f"frac({top}, {self._product(den)})"
        return self._product(num)

    def _product(self, factors: list[Any]) -> str:
        out = ""
        for f in factors:
            s = self._print(f)
            if len(factors) == 1:
                return s
            if f.is_Add or (precedence(f) < PRECEDENCE["Mul"] and not s.startswith("frac(")):
                s = f"({s})"
            elif s.startswith("-") and out:
                s = f"({s})"
            if not out:
                out = s
            elif out[-1].isdigit() and (s[0].isdigit() or s.startswith("frac(")):
                out += " dot " + s
            elif out.endswith(")") and s.startswith("frac("):
                out += " dot " + s
            else:
                out += " " + s
        return out

    def _print_Pow(self, expr: Any) -> str:
        b, e = expr.args
        if e is sympy.S.Half:
            return f"sqrt({self._print(b)})"
        if e.is_Rational and e.p == 1 and e.q > 1:
            return f"root({e.q}, {self._print(b)})"
        if e.is_Rational and e.is_negative:
            inv = b if e == -1 else sympy.Pow(b, -e, evaluate=False)
            return f"frac(1, {self._print(inv)})"
        if b is sympy.E:
            return f"e^{self._exponent(e)}"
        if isinstance(b, sympy.Function) and not isinstance(b, AppliedUndef) and _is_plain_fn(b):
            # sin^2(x), the way it is written on the board
            name = self._function_head(b)
            return f"{name}^{self._exponent(e)} ({self._print(b.args[0])})"
        base = self._print(b)
        if not (b.is_Symbol or (b.is_Integer and b >= 0) or isinstance(b, sympy.Function)):
            if precedence(b) <= PRECEDENCE["Pow"] or base.startswith(("-", "frac(")):
                base = f"({base})"
        return f"{base}^{self._exponent(e)}"

    # -- functions -----------------------------------------------------------------------
    def _function_head(self, expr: Any) -> str:
        name = type(expr).__name__
        if name in _FUNCTIONS:
            return _FUNCTIONS[name]
        if isinstance(expr, AppliedUndef):
            return self._symbol_name(name)
        return f"op({_text(name)})"

    def _print_Function(self, expr: Any) -> str:
        args = ", ".join(self._print(a) for a in expr.args)
        return f"{self._function_head(expr)}({args})"

    def _print_exp(self, expr: Any) -> str:
        return f"e^{self._exponent(expr.args[0])}"

    def _print_log(self, expr: Any) -> str:
        if len(expr.args) == 2:
            return f"log_{self._exponent(expr.args[1])}({self._print(expr.args[0])})"
        return f"ln({self._print(expr.args[0])})"

    def _print_Heaviside(self, expr: Any) -> str:
        return f"bb(1)[{self._print(expr.args[0])} > 0]"

    def _print_Abs(self, expr: Any) -> str:
        return f"abs({self._print(expr.args[0])})"

    def _print_floor(self, expr: Any) -> str:
        return f"floor({self._print(expr.args[0])})"

    def _print_ceiling(self, expr: Any) -> str:
        return f"ceil({self._print(expr.args[0])})"

    def _print_Max(self, expr: Any) -> str:
        return "max(" + ", ".join(self._print(a) for a in _sorted(expr.args)) + ")"

    def _print_Min(self, expr: Any) -> str:
        return "min(" + ", ".join(self._print(a) for a in _sorted(expr.args)) + ")"

    def _print_factorial(self, expr: Any) -> str:
        return f"{self.parens(expr.args[0], PRECEDENCE['Func'], strict=True)}!"

    # -- calculus ------------------------------------------------------------------------
    def _print_Derivative(self, expr: Any) -> str:
        d = "partial" if requires_partial(expr) else "dif"
        dim = sum(n for _, n in expr.variable_count)
        lower = " ".join(
            f"{d} {self._print(v)}" + (f"^{n}" if n > 1 else "") for v, n in expr.variable_count
        )
        upper = d if dim == 1 else f"{d}^{dim}"
        f = expr.expr
        if f.is_Symbol:
            return f"frac({upper} {self._print(f)}, {lower})"
        body = self._print(f)
        if not (isinstance(f, sympy.Function) or f.is_Atom):
            body = f"({body})"
        return f"frac({upper}, {lower}) {body}"

    def _print_Limit(self, expr: Any) -> str:
        e, z, z0, direction = expr.args
        point = self._print(z0)
        if str(direction) in ("+", "-") and not z0.is_infinite:
            point = f"{point}^{direction}"
        body = self._print(e)
        if precedence(e) < PRECEDENCE["Mul"]:
            body = f"({body})"
        return f"lim_({self._print(z)} -> {point}) {body}"

    def _print_Integral(self, expr: Any) -> str:
        out = ""
        for lim in reversed(expr.limits):
            if len(lim) == 3:
                out += f"integral_({self._print(lim[1])})^({self._print(lim[2])}) "
            else:
                out += "integral "
        body = self.parens(expr.function, PRECEDENCE["Mul"])
        dxs = " ".join(f"dif {self._print(lim[0])}" for lim in expr.limits)
        return f"{out}{body} {dxs}"

    def _print_Sum(self, expr: Any) -> str:
        out = ""
        for v, a, b in reversed(expr.limits):
            out += f"sum_({self._print(v)} = {self._print(a)})^({self._print(b)}) "
        return out + self.parens(expr.function, PRECEDENCE["Mul"])

    def _print_Subs(self, expr: Any) -> str:
        e, olds, news = expr.args
        at = ", ".join(f"{self._print(o)} = {self._print(n)}" for o, n in zip(olds, news))
        return f"lr(({self._print(e)}) |)_({at})"

    # -- piecewise and logic -------------------------------------------------------------
    def _print_Piecewise(self, expr: Any) -> str:
        rows = []
        for e, c in expr.args:
            cond = _text("otherwise") if c is sympy.true else f"{_text('if')} {self._print(c)}"
            rows.append(f"{self._print(e)} & {cond}")
        return "cases(" + ", ".join(rows) + ")"

    def _print_Relational(self, expr: Any) -> str:
        op = _RELATIONS[expr.rel_op]
        return f"{self._print(expr.lhs)} {op} {self._print(expr.rhs)}"

    def _print_And(self, expr: Any) -> str:
        chain = _chain(expr)
        if chain is not None:
            return " ".join(self._print(p) if not isinstance(p, str) else p for p in chain)
        return f" {_text('and')} ".join(self._print(a) for a in _sorted(expr.args))

    def _print_Or(self, expr: Any) -> str:
        return f" {_text('or')} ".join(self._print(a) for a in _sorted(expr.args))

    def _print_Not(self, expr: Any) -> str:
        return f"{_text('not')} ({self._print(expr.args[0])})"

    # -- containers ----------------------------------------------------------------------
    def _print_Tuple(self, expr: Any) -> str:
        items = [self._print(a) for a in expr]
        if len(items) == 1:
            return f"({items[0]},)"
        return "(" + ", ".join(items) + ")"

    def _print_list(self, expr: Any) -> str:
        return "[" + ", ".join(self._print(a) for a in expr) + "]"

    _print_tuple = _print_Tuple

    def _print_dict(self, expr: Any) -> str:
        items = [f"{self._print(k)}: {self._print(v)}" for k, v in expr.items()]
        return "{" + ", ".join(items) + "}"

    def _print_MatrixBase(self, expr: Any) -> str:
        if expr.cols == 1:
            return "vec(" + ", ".join(self._print(a) for a in expr) + ")"
        rows = [
            ", ".join(self._print(expr[i, j]) for j in range(expr.cols)) for i in range(expr.rows)
        ]
        return "mat(" + "; ".join(rows) + ")"

    _print_ImmutableMatrix = _print_MatrixBase
    _print_MutableDenseMatrix = _print_MatrixBase
    _print_ImmutableDenseMatrix = _print_MatrixBase

    # -- sets ----------------------------------------------------------------------------
    def _print_FiniteSet(self, expr: Any) -> str:
        return "{" + ", ".join(self._print(a) for a in _sorted(expr.args)) + "}"

    def _print_set(self, expr: Any) -> str:
        return self._print_FiniteSet(sympy.FiniteSet(*expr))

    _print_frozenset = _print_set

    def _print_EmptySet(self, expr: Any) -> str:
        return "emptyset"

    def _print_Interval(self, expr: Any) -> str:
        if expr.start == expr.end:
            return "{" + self._print(expr.start) + "}"
        left = "(" if expr.left_open else "["
        right = ")" if expr.right_open else "]"
        return f"lr({left}{self._print(expr.start)}, {self._print(expr.end)}{right})"

    def _print_Union(self, expr: Any) -> str:
        return " union ".join(self._print(a) for a in expr.args)

    def _print_Intersection(self, expr: Any) -> str:
        return " inter ".join(self._print(a) for a in expr.args)

    def _print_Complement(self, expr: Any) -> str:
        return " without ".join(self._print(a) for a in expr.args)

    def _print_Reals(self, expr: Any) -> str:
        return "RR"

    def _print_Integers(self, expr: Any) -> str:
        return "ZZ"

    def _print_Naturals(self, expr: Any) -> str:
        return "NN"

    def _print_Naturals0(self, expr: Any) -> str:
        return "NN_0"

    def _print_Complexes(self, expr: Any) -> str:
        return "CC"

    def _print_ConditionSet(self, expr: Any) -> str:
        v = self._print(expr.sym)
        return f"{{{v} in {self._print(expr.base_set)} : {self._print(expr.condition)}}}"

    def _print_ImageSet(self, expr: Any) -> str:
        lam = expr.lamda
        sig = ", ".join(self._print(v) for v in lam.variables)
        sets = ", ".join(self._print(s) for s in expr.base_sets)
        return f"{{{self._print(lam.expr)} : {sig} in {sets}}}"


def _is_plain_fn(f: Any) -> bool:
    name = type(f).__name__
    return (
        name in ("sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh")
        and len(f.args) == 1
    )


def _sorted(items: Any) -> list[Any]:
    return sorted(items, key=sympy.default_sort_key)


def _chain(expr: Any) -> list[Any] | None:
    """``a < x`` and ``x < b`` as the chain ``a < x < b``, else None."""
    if len(expr.args) != 2 or not all(
        isinstance(a, sympy.core.relational.Relational) for a in expr.args
    ):
        return None
    rels = []
    for r in expr.args:
        if r.rel_op in (">", ">="):
            r = r.reversed
        if r.rel_op not in ("<", "<="):
            return None
        rels.append(r)
    r1, r2 = rels
    if r1.rhs == r2.lhs:
        return [r1.lhs, _RELATIONS[r1.rel_op], r1.rhs, _RELATIONS[r2.rel_op], r2.rhs]
    if r2.rhs == r1.lhs:
        return [r2.lhs, _RELATIONS[r2.rel_op], r2.rhs, _RELATIONS[r1.rel_op], r1.rhs]
    return None


def typst(expr: Any, **settings: Any) -> str:
    """``expr`` as Typst math markup, e.g. ``typst(sqrt(x)/2)`` gives ``frac(sqrt(x), 2)``."""
    return TypstPrinter(settings).doprint(expr)
