"""One-line maths for terminals and feedback: ``3x² + 1``, ``x²·sin(3x)``, ``e^(2x)``.

Readable by a student and readable back by ``tutor.parse``; ``ascii=True`` gives
``3x^2 + 1`` and ``x^2*sin(3x)`` for terminals without unicode.
"""

from __future__ import annotations

import re
from typing import Any

import sympy
from sympy.printing.precedence import PRECEDENCE, precedence
from sympy.printing.str import StrPrinter

from ..substitute import WrittenSum, lead_unbracketed

_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_GREEK = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "zeta": "ζ",
    "eta": "η",
    "theta": "θ",
    "iota": "ι",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "rho": "ρ",
    "sigma": "σ",
    "tau": "τ",
    "phi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
    "Delta": "Δ",
    "Gamma": "Γ",
    "Theta": "Θ",
    "Lambda": "Λ",
    "Sigma": "Σ",
    "Phi": "Φ",
    "Psi": "Ψ",
    "Omega": "Ω",
    "eta_": "η",
}
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


_NAMES = {"asin": "arcsin", "acos": "arccos", "atan": "arctan", "acot": "arccot",
          "asec": "arcsec", "acsc": "arccsc"}  # fmt: skip


def written_terms(expr: Any) -> list[Any] | None:
    """The terms of a sum an engine wrote out unevaluated (``4 + 9 + 0 + 1``: two or more
    numbers, which sympy never leaves side by side), in the order written; else None."""
    if expr.is_Add and sum(1 for a in expr.args if a.is_Number) > 1:
        return list(expr.args)
    if isinstance(expr, WrittenSum):
        return list(expr.args)  # a line of a brief chain: the order of the line above
    return None


def _slash(text: str) -> bool:
    """Whether ``text`` has a fraction line outside brackets (``1/x``, not ``(x^(1/3) − 1)``)."""
    depth = 0
    for ch in text:
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == "/" and depth == 0:
            return True
    return False


def _quotient(f: Any) -> bool:
    """Whether ``f`` is a fraction with a variable part below the line (an unevaluated
    factor of an engine's product)."""
    return bool(f.is_Mul) and any(
        a.is_Pow and a.exp.is_negative and not a.base.is_Number for a in f.args
    )


def _bracketed(text: str) -> bool:
    """Whether one pair of brackets encloses all of ``text``: ``(−2/x)``, not ``(a)(b)``."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for i, ch in enumerate(text):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and i < len(text) - 1:
            return False
    return True


class DoesNotExist(sympy.Expr):
    """``lim … does not exist`` as a line of the board: a limit with no value is no equation
    (``lim … = does not exist``), so the words follow it; every printer has its form."""

    def _words(self, printer: Any, said: str) -> str:
        return f"{printer._print(self.args[0])} {said}"

    def _sympystr(self, printer: Any) -> str:
        return self._words(printer, "does not exist")

    def _mathtext(self, printer: Any) -> str:
        return self._words(printer, "DNE" if getattr(printer, "ascii", False) else "does not exist")

    def _latex(self, printer: Any) -> str:
        return self._words(printer, r"\text{ does not exist}")

    def _typst(self, printer: Any) -> str:
        return self._words(printer, '"does not exist"')

    def _speech(self, printer: Any) -> str:
        return self._words(printer, "does not exist")


class MathTextPrinter(StrPrinter):
    """StrPrinter with the habits of a blackboard: ``^``, implied products, ``√``, ``|x|``."""

    printmethod = "_mathtext"

    def __init__(self, ascii: bool = False, **settings: Any) -> None:
        super().__init__(settings)
        self.ascii = ascii

    def _as_ordered_terms(self, expr: Any, order: Any = None) -> list[Any]:
        return written_terms(expr) or super()._as_ordered_terms(expr, order=order)

    def _print_Add(self, expr: Any, order: Any = None) -> str:
        return lead_unbracketed(self, expr, super()._print_Add(expr, order=order))

    # -- atoms -------------------------------------------------------------------------
    def _print_Substituted(self, expr: Any) -> str:
        s = self._print(expr.value)
        return f"({s})" if expr.bracketed else s

    def _print_Symbol(self, expr: Any) -> str:
        name = expr.name
        if self.ascii:
            return name
        base, _, sub = name.partition("_")
        base = _GREEK.get(base, base)
        if sub:
            return base + (sub.translate(_SUBSCRIPTS) if sub.isdigit() else "_" + sub)
        return base

    _print_Dummy = _print_Symbol

    def _print_Pi(self, expr: Any) -> str:
        return "pi" if self.ascii else "π"

    def _print_Exp1(self, expr: Any) -> str:
        return "e"

    def _print_Infinity(self, expr: Any) -> str:
        return "oo" if self.ascii else "∞"

    def _print_NegativeInfinity(self, expr: Any) -> str:
        return "-oo" if self.ascii else "−∞"

    def _print_ComplexInfinity(self, expr: Any) -> str:
        return "zoo"

    def _print_Rational(self, expr: Any) -> str:
        return f"{expr.p}/{expr.q}" if expr.q != 1 else str(expr.p)

    def _print_Float(self, expr: Any) -> str:
        return float_text(float(expr), self.ascii)

    # -- operators -----------------------------------------------------------------------
    def _times(self) -> str:
        return "*" if self.ascii else "·"

    def _print_Mul(self, expr: Any) -> str:
        if expr.could_extract_minus_sign():
            inner = self._print(-expr)
            if precedence(-expr) < PRECEDENCE["Mul"]:
                inner = f"({inner})"
            return "-" + inner
        quotients = [a for a in expr.args if _quotient(a)]
        if len(quotients) >= 2:
            # an engine's product of quotients (1/12 · 3x/sin(3x) · (1 − cos x)/x²): each
            # stays whole, as the standard limits it names; numbers lead
            parts = sorted(expr.args, key=lambda a: not a.is_Number)
            shown = []
            for i, a in enumerate(parts):
                t = self._print(a)
                low = precedence(a) < PRECEDENCE["Mul"] and not (i == 0 and a.is_Number)
                if low or (i and t.startswith(("-", "−"))):
                    t = f"({t})"
                shown.append(t)
            return " · ".join(shown)
        numer: list[Any] = []
        denom: list[Any] = []
        factors: list[Any] = []
        for f in expr.as_ordered_factors():
            # unevaluated products (h/(h·(...)) kept on purpose by an engine) nest
            factors.extend(f.as_ordered_factors() if f.is_Mul else [f])
        # an unevaluated product's signs are said once in front: −8h, not (−1)·8h
        negative = sum(1 for f in factors if f.is_Number and f.is_negative) % 2 == 1
        factors = [-f if f.is_Number and f.is_negative else f for f in factors]
        if negative or any(f == 1 for f in factors):
            rest = [f for f in factors if f != 1] or [sympy.Integer(1)]
            inner = self._print(sympy.Mul(*rest, evaluate=False)) if len(rest) > 1 else None
            if inner is None:
                inner = self._print(rest[0])
                if precedence(rest[0]) < PRECEDENCE["Mul"]:
                    inner = f"({inner})"
            return ("-" if negative else "") + inner
        for f in factors:
            if f.is_Pow and f.exp.is_Rational and f.exp.is_negative and not f.base.is_Number:
                denom.append(f.base if f.exp == -1 else sympy.Pow(f.base, -f.exp, evaluate=False))
            elif f.is_Rational and f.q != 1:
                if f.p != 1:
                    numer.append(sympy.Integer(f.p))
                denom.append(sympy.Integer(f.q))
            else:
                numer.append(f)
        top = self._product(numer) if numer else "1"
        if not denom:
            return top
        bottom = self._product(denom)
        # a/(1/x), a/(b/c): a fraction below a fraction line keeps its brackets
        needs = len(denom) > 1 or (denom[0].is_Mul and not denom[0].is_Number) or _slash(bottom)
        if needs and not _bracketed(bottom):
            bottom = f"({bottom})"
        return f"{top}/{bottom}"

    def _product(self, factors: list[Any]) -> str:
        out = ""
        prev: Any = None
        for f in factors:
            s = self._print(f)
            if precedence(f) < PRECEDENCE["Mul"] or (f.is_Rational and f.q != 1):
                s = f"({s})"
            if prev is None:
                out = s
            elif prev.is_Number and (
                f.is_Function
                or isinstance(f, (sympy.exp, sympy.Derivative))
                or re.match(r"[A-Za-z]{2,}\(", s)
            ):
                out += " " + s  # 3 cos(3x), 2 e^x, 3 arctan(u)³: a number before a function
            elif prev.is_Number and re.match(r"[d∂][⁰-⁹²³]*/", s):
                out += " " + s  # 9 d/dx […]: a number before an operator
            elif prev.is_Number and (s[0].isalpha() or s[0] in "(√|πθλσ" or not s[0].isascii()):
                out += s
            else:
                out += self._times() + s
            prev = f
        return out

    def _print_Pow(self, expr: Any, rational: bool = False) -> str:
        base, exp = expr.args  # as_base_exp() would turn (1/4)^4 into 4^(-4)
        if base is sympy.E:
            return "e" + self._exponent(exp, force_parens=not (exp.is_Symbol or exp.is_Integer))
        if exp is sympy.S.Half:
            return self._sqrt(base)
        if exp == -sympy.S.Half:
            return f"1/{self._sqrt(base)}"
        if exp.is_Rational and exp.is_negative and not base.is_Number:
            if exp == -1:
                b = self._print(base)
                return f"1/({b})" if precedence(base) <= PRECEDENCE["Mul"] else f"1/{b}"
            return f"1/{self._print(sympy.Pow(base, -exp, evaluate=False))}"
        b = self._print(base)
        if (
            precedence(base) <= PRECEDENCE["Pow"]
            or (base.is_Rational and base.q != 1)
            or (base.is_Number and base.is_negative)
            or b.startswith("-")
        ):
            b = f"({b})"
        return b + self._exponent(exp)

    def _exponent(self, exp: Any, force_parens: bool = False) -> str:
        if not self.ascii and exp.is_Integer and not force_parens:
            return str(exp).translate(_SUPERSCRIPTS)
        s = self._print(exp)
        if force_parens or not (exp.is_Symbol or (exp.is_Integer and exp >= 0)):
            s = f"({s})"
        return "^" + s

    def _sqrt(self, base: Any) -> str:
        b = self._print(base)
        if self.ascii:
            return f"sqrt({b})"
        if base.is_Symbol or (base.is_Integer and base >= 0):
            return "√" + b
        return f"√({b})"

    def _print_exp(self, expr: Any) -> str:
        return self._print_Pow(sympy.Pow(sympy.E, expr.args[0], evaluate=False))

    def _print_Abs(self, expr: Any) -> str:
        return f"|{self._print(expr.args[0])}|"

    def _print_Function(self, expr: Any) -> str:
        name = expr.func.__name__
        if name == "sigmoid" and not self.ascii:
            name = "σ"
        if name == "log" and len(expr.args) == 2:
            return f"log_{self._print(expr.args[1])}({self._print(expr.args[0])})"
        if name == "log":
            name = "ln"
        name = _NAMES.get(name, name)
        args = ", ".join(self._print(a) for a in expr.args)
        return f"{name}({args})"

    def _print_log(self, expr: Any) -> str:
        return self._print_Function(expr)

    def _print_Derivative(self, expr: Any) -> str:
        var_parts = []
        total = 0
        for v, n in expr.variable_count:
            total += n
            var_parts.append(self._print(v) + (self._exponent(sympy.Integer(n)) if n > 1 else ""))
        order = self._exponent(sympy.Integer(total)) if total > 1 else ""
        d = "∂" if len(expr.variable_count) > 1 or len(expr.expr.free_symbols) > 1 else "d"
        if self.ascii:
            d = "d"
        return f"{d}{order}/{d}{(' ' + d).join(var_parts)} [{self._print(expr.expr)}]"

    def _print_Limit(self, expr: Any) -> str:
        e, z, z0, dir_ = expr.args
        arrow = "->" if self.ascii else "→"
        side = "" if str(dir_) == "+-" or z0.is_infinite else str(dir_)
        if side and not self.ascii:
            side = "⁺" if side == "+" else "⁻"  # lim(x→−4⁻), not lim(x→−4−)
        body = self._print(e)
        if precedence(e) < PRECEDENCE["Mul"]:
            body = f"({body})"  # lim(h→0) (h + 2x + 3): the limit is of the whole sum
        return f"lim({self._print(z)}{arrow}{self._print(z0)}{side}) {body}"

    def _relation(self, expr: Any, op: str) -> str:
        return f"{self._print(expr.lhs)} {op} {self._print(expr.rhs)}"

    def _print_Equality(self, expr: Any) -> str:
        return self._relation(expr, "=")

    def _print_Unequality(self, expr: Any) -> str:
        return self._relation(expr, "!=" if self.ascii else "≠")

    def _print_LessThan(self, expr: Any) -> str:
        return self._relation(expr, "<=" if self.ascii else "≤")

    def _print_GreaterThan(self, expr: Any) -> str:
        return self._relation(expr, ">=" if self.ascii else "≥")

    def _print_StrictLessThan(self, expr: Any) -> str:
        return self._relation(expr, "<")

    def _print_Heaviside(self, expr: Any) -> str:
        # the ReLU's slope as the course writes it: 1 where u > 0, else 0 (an indicator)
        inside = self._print(expr.args[0]) + " > 0"
        return f"1[{inside}]" if self.ascii else f"𝟙[{inside}]"

    def _print_StrictGreaterThan(self, expr: Any) -> str:
        return self._relation(expr, ">")

    def _print_Or(self, expr: Any) -> str:
        return " or ".join(self._print(a) for a in expr.args)

    def _print_And(self, expr: Any) -> str:
        return " and ".join(self._print(a) for a in expr.args)

    def _print_Tuple(self, expr: Any) -> str:
        return "(" + ", ".join(self._print(a) for a in expr) + ")"

    _print_tuple = _print_Tuple

    def _print_list(self, expr: Any) -> str:
        return ", ".join(self._print(a) for a in expr)

    def _print_FiniteSet(self, expr: Any) -> str:
        items = sorted(expr.args, key=sympy.default_sort_key)
        return "{" + ", ".join(self._print(a) for a in items) + "}"

    def _print_EmptySet(self, expr: Any) -> str:
        return "{}" if self.ascii else "∅"

    def _print_Reals(self, expr: Any) -> str:
        return "(-oo, oo)" if self.ascii else "ℝ"

    def _print_Interval(self, expr: Any) -> str:
        left = "(" if expr.left_open else "["
        right = ")" if expr.right_open else "]"
        return f"{left}{self._print(expr.start)}, {self._print(expr.end)}{right}"

    def _print_Union(self, expr: Any) -> str:
        sep = " U " if self.ascii else " ∪ "
        return sep.join(self._print(a) for a in expr.args)

    def _print_ImmutableDenseMatrix(self, expr: Any) -> str:
        if expr.cols == 1:
            return "(" + ", ".join(self._print(c) for c in expr) + ")"
        if expr.rows == 1:
            return "(" + ", ".join(self._print(c) for c in expr) + ")"
        # a matrix on one line as a teacher writes it: rows separated by semicolons
        rows = [", ".join(self._print(c) for c in expr.row(i)) for i in range(expr.rows)]
        return "[" + "; ".join(rows) + "]"

    _print_MutableDenseMatrix = _print_ImmutableDenseMatrix
    _print_Matrix = _print_ImmutableDenseMatrix

    def _print_Piecewise(self, expr: Any) -> str:
        parts = []
        for e, c in expr.args:
            cond = "otherwise" if c is sympy.true else "if " + self._print(c)
            parts.append(f"{self._print(e)} {cond}")
        return "{ " + "; ".join(parts) + " }"

    def _print_BooleanTrue(self, expr: Any) -> str:
        return "true"

    def _print_BooleanFalse(self, expr: Any) -> str:
        return "false"


def float_parts(value: float) -> tuple[str, int | None]:
    """A float as 6 significant figures: (mantissa, power of ten or None)."""
    s = f"{value:.6g}"
    if "e" not in s:
        return s, None
    mant, exp = s.split("e")
    return mant, int(exp)


def float_text(value: float, ascii: bool = False) -> str:
    """``2.68e-11`` as ``2.68·10⁻¹¹`` (or ``2.68e-11`` in ASCII)."""
    mant, exp = float_parts(value)
    if ascii:
        return mant if exp is None else f"{mant}e{exp}"
    mant = mant.replace("-", "−")
    return mant if exp is None else f"{mant}·10{str(exp).translate(_SUPERSCRIPTS)}"


def math_text(obj: Any, ascii: bool = False) -> str:
    """``obj`` as one line of readable maths (sympy objects, numbers, tuples, DNE, text)."""
    if obj is None:
        return ""
    if isinstance(obj, str):
        return obj
    if isinstance(obj, bool):
        return str(obj).lower()
    if isinstance(obj, float):
        return float_text(obj, ascii)
    if isinstance(obj, int):
        return ascii_words(str(obj)) if ascii else str(obj).replace("-", "−")
    if type(obj).__name__ == "_DoesNotExist":
        return "DNE" if ascii else "does not exist"
    if isinstance(obj, dict):
        return ", ".join(
            f"{str(k).replace('_', ' ')}: {math_text(v, ascii)}" for k, v in obj.items()
        )
    if isinstance(obj, (list, tuple)) and not isinstance(obj, sympy.Basic):
        inner = ", ".join(math_text(v, ascii) for v in obj)
        return f"({inner})" if isinstance(obj, tuple) else inner
    if isinstance(obj, (set, frozenset)):
        return "{" + ", ".join(sorted(math_text(v, ascii) for v in obj)) + "}"
    if isinstance(obj, (sympy.Basic, sympy.MatrixBase)):
        out = MathTextPrinter(ascii=ascii).doprint(obj)
        return out if ascii else out.replace("-", "−")
    return str(obj)


# Symbols that authors write straight into prose ("as x → 0", "η < η_max"), spelled in ASCII.
_PROSE_ASCII = {
    "→": "->", "←": "<-", "−": "-", "–": "-", "—": "-", "·": "*", "×": "x", "∞": "oo",
    "≤": "<=", "≥": ">=", "≠": "!=", "≈": "~", "±": "+/-", "√": "sqrt", "π": "pi",
    "η": "eta", "σ": "sigma", "θ": "theta", "λ": "lambda", "α": "alpha", "β": "beta",
    "μ": "mu", "Σ": "sum ", "∑": "sum ", "∂": "d", "∇": "grad", "Δ": "Delta", "δ": "delta",
    "ε": "epsilon", "ŷ": "y_hat", "ᵀ": "^T", "⁺": "+", "⁻": "-", "′": "'", "″": "''",
    "⁰": "^0", "¹": "^1", "²": "^2", "³": "^3", "⁴": "^4", "⁵": "^5", "⁶": "^6", "⁷": "^7",
    "⁸": "^8", "⁹": "^9", "₀": "_0", "₁": "_1", "₂": "_2", "₃": "_3", "ℝ": "R", "∈": " in ",
    "∪": " U ", "∅": "{}", "ô": "o", "é": "e", "’": "'", "“": '"', "”": '"', "…": "...", "‖": "||",
}  # fmt: skip
_PROSE_TABLE = str.maketrans(_PROSE_ASCII)


def ascii_words(text: str) -> str:
    """Prose with its unicode maths symbols spelled in ASCII (for ``--ascii`` terminals)."""
    return text.translate(_PROSE_TABLE)
