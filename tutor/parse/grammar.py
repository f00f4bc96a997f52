"""Grammar of :mod:`tutor.parse`: tokens → sympy objects, by recursive descent.

Precedence, loosest first::

    answer    := item ("," item)*                     a comma list
    item      := relation (("or" | "and") relation)*  "x = 1 or x = -1"
    relation  := union (relop union)*                 "=", "<", "<=", ">", ">=", "!="
    union     := sum ("U" sum)*                       only between intervals and sets
    sum       := term (("+" | "-" | "±") term)*
    term      := unary (("*" | "/" | juxtaposition) unary)*     1/2x is (1/2)·x
    unary     := ("-" | "+") unary | power                      -x^2 is -(x^2)
    power     := postfix ("^" unary)?                           2^3^2 is 2^(3^2)
    postfix   := atom "!"*
    atom      := number | name | function | (…) | […] | {…} | |…| | √atom

Every sympy object is built by calling sympy constructors on tokens; before a numeric power
or factorial is built, the size of its result is estimated and refused if too large.
"""

from __future__ import annotations

import contextvars
import math
from collections.abc import Sequence
from typing import Any

import sympy
from sympy import Expr, Integer, Rational, S

from .. import functions as _act
from .lexer import ParseError, Token
from .names import GREEK, INVERSES, READBACK

# canonical function name -> (sympy builder, min args, max args)
_F1 = {
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "sec": sympy.sec, "csc": sympy.csc,
    "cot": sympy.cot, "asin": sympy.asin, "acos": sympy.acos, "atan": sympy.atan,
    "asec": sympy.asec, "acsc": sympy.acsc, "acot": sympy.acot, "sinh": sympy.sinh,
    "cosh": sympy.cosh, "tanh": sympy.tanh, "sech": sympy.sech, "csch": sympy.csch,
    "coth": sympy.coth, "asinh": sympy.asinh, "acosh": sympy.acosh, "atanh": sympy.atanh,
    "acoth": sympy.acoth,
    "exp": sympy.exp, "sqrt": sympy.sqrt, "cbrt": sympy.cbrt, "abs": sympy.Abs,
    "sigmoid": _act.sigmoid, "softplus": _act.softplus, "relu": _act.relu,
    "floor": sympy.floor, "ceiling": sympy.ceiling, "sign": sympy.sign,
    "heaviside": sympy.Heaviside,
}  # fmt: skip

# what a student may type (lower-cased) -> canonical name
ALIASES = {name: name for name in _F1}
ALIASES.update(
    {
        "arcsin": "asin", "arccos": "acos", "arctan": "atan", "arcsec": "asec",
        "arccsc": "acsc", "arccot": "acot", "arcsinh": "asinh", "arsinh": "asinh",
        "arccosh": "acosh", "arcosh": "acosh", "arctanh": "atanh", "artanh": "atanh",
        "arccoth": "acoth", "arcoth": "acoth",
        "cosec": "csc", "cotan": "cot", "ceil": "ceiling", "sgn": "sign", "logistic": "sigmoid",
        "signum": "sign", "ln": "ln", "log": "log", "log10": "log10", "log2": "log2",
        "max": "max", "min": "min", "root": "root", "factorial": "factorial",
    }
)  # fmt: skip

GREEK_NAMES = frozenset(GREEK.values()) - {"pi"}
_INF_WORDS = {"oo", "inf", "infinity", "infty"}
# function names searched for inside glued runs such as "sinx" (longest first)
_GLUE_FUNCS = sorted(
    (a for a in ALIASES if len(a) >= 2 and a not in {"sign", "root"}), key=len, reverse=True
)
_IMPLICIT_START = frozenset({"NUM", "SYM", "CONST", "FUNC", "SQRT", "CBRT"})
_RELOPS = {"=": "==", "<": "<", "<=": "<=", ">": ">", ">=": ">=", "!=": "!="}


class Group:
    """A bracketed comma list: a point ``(1, 2)`` or an interval ``[1, 2)``, decided later."""

    __slots__ = ("open", "close", "items", "pos", "end")

    def __init__(self, open_: str, close: str, items: list[Any], pos: int, end: int) -> None:
        self.open, self.close, self.items, self.pos, self.end = open_, close, items, pos, end


def _what(v: Any) -> str:
    if isinstance(v, Group):
        return "a point" if (v.open, v.close) == ("(", ")") else "an interval"
    if isinstance(v, sympy.Set):
        return "a set or interval"
    if isinstance(v, sympy.logic.boolalg.Boolean):
        return "an equation or inequality"
    return "this"


class Parser:
    """One parse of one text (all state lives here; nothing global)."""

    def __init__(
        self,
        text: str,
        toks: list[Token],
        *,
        variables: Sequence[str] | None,
        log_base: str,
        max_depth: int,
        max_result_digits: int,
        max_root_digits: int = 60,
        pm: int = 1,
    ) -> None:
        self.text = text
        self.vars = None if variables is None else frozenset(variables)
        self.log_base = log_base
        self.max_depth = max_depth
        self.max_result_digits = max_result_digits
        self.max_root_digits = max_root_digits
        self.notes: list[str] = []
        self.depth = 0
        self.bars = 0  # open |…| groups whose closing bar is still expected
        self.pm = pm  # the sign that ± stands for in this reading
        self.pm_used = False
        self.toks = self._resolve(toks)
        self.i = 0

    # ------------------------------------------------------------------ errors and notes
    def error(self, message: str, pos: int, hint: str = "") -> ParseError:
        return ParseError(message, self.text, pos, hint)

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    def src(self, a: int, b: int) -> str:
        return " ".join(self.text[a:b].split())

    # ------------------------------------------------------------------ names
    def _resolve(self, toks: list[Token]) -> list[Token]:
        """Turn NAME tokens into SYM / CONST / FUNC / KW tokens, splitting glued runs."""
        out: list[Token] = []
        k = 0
        n = len(toks)
        while k < n:
            t = toks[k]
            if t.kind != "NAME":
                out.append(t)
                k += 1
                continue
            nxt = toks[k + 1]
            # x2 / x1 / log10 / log2: letters glued to digits
            if nxt.kind == "NUM" and not nxt.space and not nxt.dotted and not nxt.sci:
                glued = t.value + nxt.value
                under = t.value + "_" + nxt.value
                if self.vars is not None and (glued in self.vars or under in self.vars):
                    name = glued if glued in self.vars else under
                    out.append(Token("SYM", name, t.pos, nxt.end, t.space))
                    k += 2
                    continue
                if t.value.lower() in ("log10", "log2") or (
                    t.value.lower() == "log" and nxt.value in ("10", "2")
                ):
                    out.append(Token("FUNC", "log", t.pos, nxt.end, t.space, extra=nxt.value))
                    k += 2
                    continue
            out.extend(self._resolve_name(t, nxt))
            k += 1
        return out

    def _resolve_name(self, t: Token, nxt: Token) -> list[Token]:
        full = t.value
        run, _, sub = full.partition("_")
        sub = sub.strip("{}")
        if sub:
            full = run + "_" + sub
        low = run.lower()
        V = self.vars
        paren = nxt.kind == "OP" and nxt.value in ("(", "[", "|")
        mk = lambda kind, value, a=t.pos, b=t.end, extra="": Token(  # noqa: E731
            kind, value, a, b, t.space, extra=extra
        )
        if V is not None:
            if full in V:
                return [mk("SYM", full)]
            if sub and full.replace("_", "") in V:  # x_1 typed, x1 declared
                return [mk("SYM", full.replace("_", ""))]
            greek = self.text[t.pos] in GREEK
            if greek and full != "pi" and not (paren and full == "sigma"):
                raise self.error(
                    f"'{self.text[t.pos : t.end]}' is not a variable of this question",
                    t.pos,
                    _vars_hint(V),
                )
        if sub and low == "log":
            if not (sub.isdigit() or sub == "e"):
                raise self.error(
                    f"'log_{sub}' is not a logarithm base I can read",
                    t.pos,
                    "the base should be a number, as in log_2(x)",
                )
            return [mk("FUNC", "log", extra=sub)]
        if not sub:
            if run in READBACK:
                return [mk("FUNC", run)]
            if low in ("or", "and"):
                return [mk("KW", low)]
            if low == "dne":
                raise self.error(
                    f"'{run}' can only be the whole answer",
                    t.pos,
                    "type DNE on its own when the limit does not exist",
                )
            if low == "undefined":
                raise self.error(
                    "'undefined' is not read as an answer",
                    t.pos,
                    "type DNE if a limit does not exist",
                )
            if run in ("EmptySet", "Reals"):
                return [mk("CONST", run)]
            if low == "pi":
                return [mk("CONST", "pi")]
            if low in _INF_WORDS:
                return [mk("CONST", "oo")]
            if run in ("e", "E") and (V is None or run not in V):
                return [mk("CONST", "E")]
            if low in ("sigma", "sigmoid") and paren:
                return [mk("FUNC", "sigmoid")]
            if low in ALIASES and low != "sigma":
                return [mk("FUNC", ALIASES[low])]
        if run in GREEK_NAMES and (V is None or full in V):
            return [mk("SYM", full)]
        if V is None and len(run) == 1:
            return [mk("SYM", full)]
        return self._split(t, run, sub, paren)

    def _split(self, t: Token, run: str, sub: str, paren: bool) -> list[Token]:
        """Split a glued run of letters (``xy``, ``2pix``, ``xsin``) into names, or refuse."""
        V = self.vars
        low = run.lower()
        # a function name glued to what follows it: sinx, lnx, xsinx
        for f in _GLUE_FUNCS:
            k = low.find(f)
            if k < 0 or low == f:
                continue
            if k + len(f) == len(low) and not sub and k > 0:
                break  # xsin(x): a function at the end, split below
            shown = _glue_hint(run + (("_" + sub) if sub else ""))
            raise self.error(
                f"unknown function '{run}{('_' + sub) if sub else ''}'",
                t.pos,
                f"did you mean {shown}?",
            )
        s = run
        pieces: list[tuple[str, str, int]] = []  # (kind, value, offset)
        i = 0
        pool = set(V) if V is not None else set(GREEK_NAMES)
        cands = sorted((c for c in pool | {"pi", "oo"} if "_" not in c), key=len, reverse=True)
        while i < len(s):
            tail = s[i:].lower()
            if i > 0 and not sub and tail in ALIASES:
                pieces.append(("FUNC", ALIASES[tail], i))
                break
            for c in cands:
                if s.startswith(c, i):
                    if c == "pi":
                        pieces.append(("CONST", "pi", i))
                    elif c == "oo":
                        pieces.append(("CONST", "oo", i))
                    else:
                        pieces.append(("SYM", c, i))
                    i += len(c)
                    break
            else:
                ch = s[i]
                if ch == "e" or (ch == "E" and (V is None or "E" not in V)):
                    if V is None or ch not in V:
                        pieces.append(("CONST", "E", i))
                        i += 1
                        continue
                if V is None:
                    pieces.append(("SYM", ch, i))
                    i += 1
                    continue
                # with declared variables: the subscripted last letter may be declared (xw_0)
                if sub and i == len(s) - 1 and f"{ch}_{sub}" in V:
                    pieces.append(("SYM", f"{ch}_{sub}", i))
                    sub = ""
                    i += 1
                    continue
                raise self.error(
                    f"'{ch if len(s) > 1 else run}' is not a variable of this question",
                    t.pos + i,
                    _vars_hint(V),
                )
        if sub:
            kind, value, off = pieces[-1]
            name = f"{value}_{sub}" if kind == "SYM" else None
            if name is None or (V is not None and name not in V):
                raise self.error(
                    f"'{run}_{sub}' is not a variable of this question"
                    if V is not None
                    else f"'{run}_{sub}' cannot be read",
                    t.pos,
                    _vars_hint(V) if V is not None else "a subscript goes on a single letter: w_0",
                )
            pieces[-1] = ("SYM", name, off)
        if V is None and paren and len(run) >= 3 and pieces[-1][0] != "FUNC":
            raise self.error(
                f"unknown function '{run}'",
                t.pos,
                "known functions include sin, cos, exp, ln, log, sqrt, abs; "
                "put * between letters to multiply",
            )
        if len(pieces) > 1:
            shown = "·".join({"E": "e"}.get(v, v) for _, v, _ in pieces)
            self.note(f"{t.value} was read as {shown}")
        out = []
        for j, (kind, value, off) in enumerate(pieces):
            end = t.pos + (pieces[j + 1][2] if j + 1 < len(pieces) else (t.end - t.pos))
            out.append(Token(kind, value, t.pos + off, end, t.space if j == 0 else False))
        return out

    # ------------------------------------------------------------------ token helpers
    @property
    def tok(self) -> Token:
        return self.toks[self.i]

    def at(self, kind: str, value: str | None = None) -> bool:
        t = self.toks[self.i]
        return t.kind == kind and (value is None or t.value == value)

    def at_op(self, *values: str) -> bool:
        t = self.toks[self.i]
        return t.kind == "OP" and t.value in values

    def advance(self) -> Token:
        t = self.toks[self.i]
        self.i += 1
        return t

    def unexpected(self, t: Token | None = None) -> ParseError:
        t = t or self.tok
        if t.kind == "EOF":
            return self.error(
                "the answer ends too early",
                t.pos,
                "something is missing at the end (a number, a name or a closing bracket)",
            )
        if t.kind == "OP" and t.value in ")]}":
            return self.error(
                f"unbalanced bracket: '{t.value}' has no matching opening bracket",
                t.pos,
                "remove it or add the opening bracket",
            )
        if t.kind == "OP" and t.value == "|" and self.bars:
            return self.error(
                "an absolute value |…| is empty", t.pos, "write |x| with something inside"
            )
        shown = self.text[t.pos : t.end]
        return self.error(f"unexpected '{shown}'", t.pos, _hint_for(t))

    # ------------------------------------------------------------------ grammar
    def parse_answer(self) -> list[Any]:
        items = [self.parse_item()]
        while self.at_op(","):
            self.advance()
            items.append(self.parse_item())
        if not self.at("EOF"):
            raise self.unexpected()
        return items

    def parse_item(self) -> Any:
        start = self.tok.pos
        first = self.parse_relation()
        if not self.at("KW"):
            return first
        parts = [first]
        ops: list[str] = []
        while self.at("KW"):
            ops.append(self.advance().value)
            part = self.parse_relation()
            prev = parts[-1]
            # "x = 1 or -1" means "x = 1 or x = -1"
            if isinstance(part, Expr) and isinstance(prev, sympy.Eq):
                part = sympy.Eq(prev.lhs, part, evaluate=False)
                self.note(
                    f"{self.src(start, self.tok.pos)} was read as "
                    + " or ".join(_eq_words(q) for q in [*parts, part])
                )
            for p_ in (prev, part):
                if not isinstance(p_, sympy.logic.boolalg.Boolean):
                    raise self.error(
                        "'or' and 'and' join equations or inequalities",
                        start,
                        "write each part in full, as x = 1 or x = -1",
                    )
            parts.append(part)
        # 'and' binds tighter than 'or'
        groups: list[list[Any]] = [[parts[0]]]
        for op, p_ in zip(ops, parts[1:], strict=True):
            if op == "and":
                groups[-1].append(p_)
            else:
                groups.append([p_])
        terms = [g[0] if len(g) == 1 else sympy.And(*g, evaluate=False) for g in groups]
        return terms[0] if len(terms) == 1 else sympy.Or(*terms, evaluate=False)

    def parse_relation(self) -> Any:
        start = self.tok.pos
        first = self.parse_union()
        if not (self.tok.kind == "OP" and self.tok.value in _RELOPS):
            return first
        sides = [first]
        ops: list[Token] = []
        while self.tok.kind == "OP" and self.tok.value in _RELOPS:
            ops.append(self.advance())
            sides.append(self.parse_union())
        for s_, t in zip(sides, [None, *ops], strict=True):
            if isinstance(s_, Expr) and s_.has(S.NaN, S.ComplexInfinity):
                raise self.undefined(t.pos if t else start)
            if not isinstance(s_, Expr):
                raise self.error(
                    f"{_what(s_)} cannot be one side of an equation or inequality",
                    t.pos if t else start,
                    "compare numbers or expressions",
                )
        rels = [
            sympy.Rel(a, b, _RELOPS[t.value], evaluate=False)
            for a, b, t in zip(sides, sides[1:], ops, strict=False)
        ]
        return rels[0] if len(rels) == 1 else sympy.And(*rels, evaluate=False)

    def parse_union(self) -> Any:
        left = self.parse_sum()
        if not (self.at("SYM", "U") and not isinstance(left, Expr)):
            return left
        # all parts first, then one merge: sympy's Union compares every pair of parts,
        # and a union built part by part does that again at each "U" (cubic in the parts)
        parts = [(left, self.tok)]
        while self.at("SYM", "U"):
            t = self.advance()
            parts.append((self.parse_sum(), t))
        sets = []
        for v, t in parts:
            for item in getattr(v, "items", None) or getattr(v, "args", ()):
                self.comparable(item, t.pos)
            sets.append(self.as_set(v, t))
        return union(sets)

    def as_set(self, v: Any, t: Token) -> Any:
        if isinstance(v, Group):
            return self.group_interval(v)
        if isinstance(v, sympy.Set):
            return v
        raise self.error("'U' (union) joins intervals or sets", t.pos, "write (-oo, 0) U (2, oo)")

    def group_interval(self, g: Group) -> Any:
        if len(g.items) != 2:
            raise self.error(
                "an interval has two ends", g.pos, "write it as (a, b), [a, b], (a, b] or [a, b)"
            )
        a, b = g.items
        for v in (a, b):
            self.comparable(v, g.pos)
            if not (isinstance(v, Expr) and v.is_extended_real is not False):
                raise self.error("the ends of an interval must be numbers", g.pos, "")
        try:
            return sympy.Interval(a, b, g.open == "(", g.close == ")")
        except (TypeError, ValueError) as exc:
            raise self.error("this interval cannot be read", g.pos, str(exc)) from None

    def parse_sum(self) -> Any:
        left = self.parse_term()
        while self.tok.kind == "OP" and self.tok.value in ("+", "-", "±"):
            t = self.advance()
            right = self.parse_term()
            self.need(left, t)
            self.need(right, t)
            if t.value == "±":
                self.pm_used = True
            plus = t.value == "+" or (t.value == "±" and self.pm > 0)
            keep = KEEP_WRITTEN.get() == "all" or (
                KEEP_WRITTEN.get() and (_zero_term(left) or _zero_term(right))
            )
            if keep and isinstance(left, Expr) and isinstance(right, Expr):
                # lowest terms reads every number as typed: x + 2/6 must not become x + 1/3
                neg = right if plus else sympy.Mul(-1, right, evaluate=False)
                left = sympy.Add(left, neg, evaluate=False)
            elif plus:
                left = left + right
            else:
                left = left - right
        return left

    def need(self, v: Any, t: Token) -> None:
        if not isinstance(v, Expr):
            raise self.error(
                f"{_what(v)} cannot be used in arithmetic",
                t.pos,
                "brackets with a comma make a point or an interval",
            )

    def starts_factor(self) -> bool:
        t = self.tok
        if t.kind in _IMPLICIT_START:
            return True
        if t.kind == "OP":
            if t.value in ("(", "["):
                return True
            if t.value == "|":
                return self.bars == 0
        return False

    def parse_term(self) -> Any:
        start = self.tok.pos
        left = self.parse_unary()
        div_end = -1  # end of the latest divisor, to report 1/2x
        while True:
            t = self.tok
            if t.kind == "OP" and t.value in ("*", "/"):
                self.advance()
                right = self.parse_unary()
                self.need(left, t)
                self.need(right, t)
                if t.value == "*":
                    self.check_radicals(left, right, t)
                    left = _keep_domain(sympy.Mul, (left, right), _product(left, right))
                    self.check_size(left, t)
                else:
                    if right == 0:
                        raise self.error("division by zero", t.pos, "check what you divided by")
                    self.check_radicals(left, right, t)
                    left = _keep_domain(
                        sympy.Mul,
                        (left, _keep_domain(sympy.Pow, (right, -1), 1 / right)),
                        _quotient(left, right),
                    )
                    self.check_size(left, t)
                    div_end = self.toks[self.i - 1].end
                continue
            if isinstance(left, Expr) and self.starts_factor():
                prev = self.toks[self.i - 1]
                if t.kind == "NUM" and prev.kind == "NUM":
                    raise self.error(
                        "two numbers in a row",
                        t.pos,
                        "use * to multiply numbers, and no spaces inside a number",
                    )
                fstart = t.pos
                right = self.parse_unary()
                self.need(right, t)
                if div_end > 0:
                    self.note(
                        f"{self.src(start, self.toks[self.i - 1].end)} was read as "
                        f"({self.src(start, div_end)})·{self.src(fstart, self.toks[self.i - 1].end)}"
                    )
                    div_end = -1
                elif t.kind == "NUM" and prev.kind == "SYM" and not t.space:
                    self.note(f"{self.src(prev.pos, t.end)} was read as {prev.value}·{t.value}")
                self.check_radicals(left, right, t)
                left = _keep_domain(sympy.Mul, (left, right), _product(left, right))
                self.check_size(left, t)
                continue
            return left

    def parse_unary(self) -> Any:
        self.depth += 1
        if self.depth > self.max_depth:
            raise self.error(
                f"the answer is nested more than {self.max_depth} deep",
                self.tok.pos,
                "simplify the expression before typing it",
            )
        try:
            t = self.tok
            if t.kind == "OP" and t.value in ("-", "+"):
                self.advance()
                v = self.parse_unary()
                self.need(v, t)
                return -v if t.value == "-" else v
            if t.kind == "OP" and t.value == "±":
                self.advance()
                v = self.parse_unary()
                self.need(v, t)
                self.pm_used = True
                return v if self.pm > 0 else -v
            return self.parse_power()
        finally:
            self.depth -= 1

    def parse_exponent(self) -> tuple[Any, Token]:
        """The exponent after ^ / **: a signed power (right-associative)."""
        t = self.advance()
        if t.kind == "SUP":
            return self.number(t.value, t), t
        if self.at("EOF"):
            raise self.error("a power needs an exponent after '^'", t.pos, "write x^2")
        nxt = self.toks[self.i + 1] if not self.at("EOF") else self.tok
        if self.at_op("+") or (self.at_op("-") and self.tok.space and nxt.space):
            # x^ + 1 and x^ - 1 are missing exponents, not x^(+1)
            raise self.error("a power needs an exponent after '^'", t.pos, "write x^2")
        if self.at_op("{"):  # x^{2}, e^{2x}: braces group an exponent, as in LaTeX
            return self.parse_braced(), t
        return self.parse_unary(), t

    def parse_braced(self) -> Any:
        opener = self.advance()
        inner = self.parse_inner_item()
        if not self.at_op("}"):
            if self.at("EOF") or self.at_op(")", "]"):
                raise self.error(
                    "unbalanced bracket: this '{' is never closed", opener.pos, "add '}'"
                )
            raise self.unexpected()
        self.advance()
        return inner

    def parse_power(self) -> Any:
        start = self.tok.pos
        base = self.parse_postfix()
        while self.at("SUP") or self.at_op("^", "**"):
            op = self.tok
            ex_start = self.toks[self.i + 1] if op.kind == "OP" else op
            ex, _ = self.parse_exponent()
            self.need(base, op)
            self.need(ex, op)
            last = self.toks[self.i - 1]
            # e^2x, x^1/2, e^-2x, x^-1/2: a bare (signed) number exponent with more glued on
            # is reported
            signed = (
                ex_start.kind == "OP"
                and ex_start.value == "-"
                and self.toks[self.i - 2] is ex_start
                and last.kind == "NUM"
            )
            if (
                op.kind == "OP"
                and (ex_start.kind == "NUM" or signed)
                and (last is ex_start or signed)
            ):
                nxt = self.tok
                if self.starts_factor() and not nxt.space and nxt.kind != "NUM" and base.is_number:
                    self.note(
                        f"{self.src(start, nxt.end)} was read as "
                        f"({self.src(start, last.end)})·{self.src(nxt.pos, nxt.end)}"
                    )
                elif nxt.kind == "OP" and nxt.value == "/" and not nxt.space and ex in (1, -1):
                    # only x^1/2 (x^-1/2) is a likely slip for x^(1/2); x^3/3 is read as everyone means
                    self.note(
                        f"{self.src(start, self.toks[self.i + 1].end)} was read as "
                        f"({self.src(start, last.end)})/{self.src(self.toks[self.i + 1].pos, self.toks[self.i + 1].end)}"
                    )
            base = self.power(base, ex, op)
            if op.kind == "OP":
                break  # the exponent took everything to the right (right-associative)
        return base

    def power(self, base: Expr, ex: Expr, t: Token) -> Expr:
        if ex.is_Rational:
            self.check_power_size(base, ex, t)
        if ex.is_number and base.is_number and _pow_size(base, ex) > self.max_result_digits:
            raise self.too_large(t)
        return _keep_domain(sympy.Pow, (base, ex), base**ex)

    def comparable(self, v: Any, pos: int) -> None:
        """Refuse to compare or round a number so large or deep that sympy would need
        thousands of digits of it (floor(e^(10^999)), max(e^9999, 1), [1, e^9999])."""
        if isinstance(v, Expr) and v.is_number and not v.is_Rational:
            if _log_size(v) > _COMPARE_DIGITS:
                raise self.error(
                    "this number is too large to compare or round",
                    pos,
                    f"numbers that are compared are limited to about {_COMPARE_DIGITS} digits",
                )

    def undefined(self, pos: int) -> ParseError:
        return self.error(
            "this value is undefined",
            pos,
            "something inside divides by zero or is like ∞ − ∞, 0·∞ or ln(0)",
        )

    def too_large(self, t: Token, what: str = "power") -> ParseError:
        return self.error(
            f"this {what} is too large to work with",
            t.pos,
            f"numbers are limited to about {self.max_result_digits} digits",
        )

    def check_power_size(self, base: Expr, ex: Expr, t: Token) -> None:
        """Refuse a power whose evaluation would be huge (9^9^9) or slow (sqrt of 10^999+7)."""
        rationals = [base] if base.is_Rational else list(_coefficients(base))
        width = max((_digits(r) for r in rationals), default=0.0)
        if width == 0:  # 0, 1 and -1 to any power are small
            return
        p, q = abs(int(ex.p)), int(ex.q)
        if q > 1 and (width > self.max_root_digits or q > 1000):
            raise self.error(
                "this root is too large to work with",
                t.pos,
                f"roots are limited to numbers of about {self.max_root_digits} digits",
            )
        if p > 1 and (p.bit_length() > 64 or p / q * width > self.max_result_digits):
            raise self.too_large(t)

    def check_radicals(self, a: Expr, b: Expr, t: Token) -> None:
        """Refuse a product of roots of large numbers: sympy merges √a·√b into √(ab) and
        then looks for square factors of ab, which is slow when ab is long."""
        if _radical_width(a) + _radical_width(b) > self.max_root_digits:
            raise self.error(
                "this product of roots is too large to work with",
                t.pos,
                f"roots are limited to numbers of about {self.max_root_digits} digits",
            )

    def check_size(self, v: Any, t: Token) -> None:
        """Refuse a product whose number part has grown too long (10^3000 · 10^3000)."""
        if isinstance(v, Expr):
            coeff = v if v.is_Rational else v.as_coeff_Mul()[0]
            if coeff.is_Rational and _digits(coeff) > self.max_result_digits:
                raise self.too_large(t, "number")

    def parse_postfix(self) -> Any:
        v = self.parse_atom()
        while self.at_op("!"):
            t = self.advance()
            self.need(v, t)
            v = self.factorial(v, t)
        return v

    def factorial(self, v: Expr, t: Token) -> Expr:
        if v.is_number and not (v.is_Integer and v >= 0):
            raise self.error(
                "a factorial needs a whole number that is not negative", t.pos, "write 5!"
            )
        if v.is_Integer:
            n = int(v)
            if n > 10**6 or (n > 0 and math.lgamma(n + 1) / math.log(10) > self.max_result_digits):
                raise self.too_large(t, "factorial")
        return sympy.factorial(v)

    def number(self, digits: str, t: Token) -> Rational:
        mant, _, exp10 = digits.lower().partition("e")
        sign = -1 if mant.startswith("-") else 1
        mant = mant.lstrip("+-")
        whole, _, frac = mant.partition(".")
        p = int((whole or "0") + frac) * sign
        q = 10 ** len(frac)
        if exp10:
            k = int(exp10)
            if k >= 0:
                p *= 10**k
            else:
                q *= 10 ** (-k)
        if t.sci and "." not in mant:
            self.note(f"{digits} was read as {mant}×10^{exp10} (scientific notation)")
        return Integer(p) if q == 1 else Rational(p, q)

    def parse_atom(self) -> Any:
        t = self.tok
        k = t.kind
        if k == "NUM":
            self.advance()
            return self.number(t.value, t)
        if k == "SYM":
            self.advance()
            if (
                self.vars is None
                and self.at_op("(")
                and not self.tok.space
                and t.value in ("f", "g", "h")
            ):
                self.note(
                    f"{t.value}(…) was read as {t.value}·(…), a product; "
                    "function notation is not read"
                )
            return sympy.Symbol(t.value)
        if k == "CONST":
            self.advance()
            return {
                "pi": S.Pi,
                "E": S.Exp1,
                "oo": S.Infinity,
                "EmptySet": S.EmptySet,
                "Reals": S.Reals,
            }[t.value]
        if k == "FUNC":
            return self.parse_function()
        if k in ("SQRT", "CBRT"):
            self.advance()
            if self.at("EOF"):
                raise self.error(f"'{t.value}' needs something to take the root of", t.pos, "")
            a = self.tok.pos
            bracketed = self.at_op("(", "[", "|")
            arg = self.parse_power()
            self.need(arg, t)
            last = self.toks[self.i - 1]
            if not bracketed and last.pos != a:
                self.note(
                    f"{self.src(t.pos, last.end)} was read as {t.value}({self.src(a, last.end)})"
                )
            elif not bracketed and self.starts_factor() and not self.tok.space:
                self.note(
                    f"{self.src(t.pos, self.tok.end)} was read as "
                    f"{self.src(t.pos, last.end)}·{self.src(self.tok.pos, self.tok.end)}"
                )
            if k == "SQRT":
                return self.power(arg, S.Half, t)
            self.check_power_size(arg, Rational(1, 3), t)
            return _real_root(arg, Integer(3))
        if k == "OP":
            if t.value in ("(", "["):
                return self.parse_group()
            if t.value == "{":
                return self.parse_set()
            if t.value == "|":
                return self.parse_abs()
        raise self.unexpected()

    def parse_group(self) -> Any:
        opener = self.advance()
        if self.at_op(")", "]"):
            raise self.error("empty brackets", opener.pos, "put something inside the brackets")
        items = [self.parse_inner_item()]
        while self.at_op(","):
            self.advance()
            items.append(self.parse_inner_item())
        close = self.tok
        if not (close.kind == "OP" and close.value in (")", "]")):
            if close.kind == "OP" and close.value in "}|":
                raise self.error(
                    f"unbalanced bracket: this '{opener.value}' is closed by '{close.value}'",
                    opener.pos,
                    "check which brackets belong together",
                )
            raise self.error(
                f"unbalanced bracket: this '{opener.value}' is never closed",
                opener.pos,
                f"add '{')' if opener.value == '(' else ']'}' where the group ends",
            )
        self.advance()
        if len(items) == 1:
            if opener.value + close.value not in ("()", "[]"):
                raise self.error(
                    f"unbalanced bracket: '{opener.value}' is closed by '{close.value}'",
                    opener.pos,
                    "an interval needs two ends, as [1, 2)",
                )
            v = items[0]
            if isinstance(v, Group) or not isinstance(v, (Expr, sympy.Set)):
                return v
            return v
        return Group(opener.value, close.value, items, opener.pos, close.end)

    def parse_inner_item(self) -> Any:
        saved = self.bars
        self.bars = 0
        try:
            return self.parse_sum()
        finally:
            self.bars = saved

    def parse_set(self) -> Any:
        opener = self.advance()
        items: list[Any] = []
        if not self.at_op("}"):
            items.append(self.parse_inner_item())
            while self.at_op(","):
                self.advance()
                items.append(self.parse_inner_item())
        if not self.at_op("}"):
            if self.at("EOF") or self.at_op(")", "]"):
                raise self.error(
                    "unbalanced bracket: this '{' is never closed", opener.pos, "add '}'"
                )
            raise self.unexpected()
        self.advance()
        for v in items:
            if not isinstance(v, Expr):
                raise self.error(
                    "a set {…} holds numbers or expressions", opener.pos, "write {1, -1}"
                )
        for v in items:
            self.comparable(v, opener.pos)
        return sympy.FiniteSet(*items) if items else S.EmptySet

    def parse_abs(self) -> Any:
        opener = self.advance()
        self.bars += 1
        saved_depth = self.depth
        try:
            after = self.toks[self.i + 1] if self.at_op("|") else None
            if after is not None and not (
                after.kind in _IMPLICIT_START or (after.kind == "OP" and after.value in "([{|-+")
            ):
                raise self.error("an absolute value |…| is empty", opener.pos, "write |x|")
            inner = self.parse_sum()
        finally:
            self.bars -= 1
            self.depth = saved_depth
        if not self.at_op("|"):
            if self.at("EOF"):
                raise self.error(
                    "unbalanced bars: this '|' is never closed", opener.pos, "close it with '|'"
                )
            raise self.unexpected()
        self.advance()
        self.need(inner, opener)
        return sympy.Abs(inner)

    # ------------------------------------------------------------------ functions
    def parse_function(self) -> Any:
        ft = self.advance()
        name = ft.value
        start = ft.pos
        if name in READBACK and name not in ("Abs", "Max", "Min", "Heaviside"):
            return self.parse_readback(ft)
        power: Expr | None = None
        if self.at("SUP") or self.at_op("^", "**"):
            op = self.advance()
            if op.kind == "SUP":
                power = self.number(op.value, op)
            else:
                neg = False
                if self.at_op("-"):
                    self.advance()
                    neg = True
                if self.at_op("("):
                    # sin^(-1)(x) or sin^(2)(x)
                    self.advance()
                    inner_neg = self.at_op("-")
                    if inner_neg:
                        self.advance()
                    if not self.at("NUM"):
                        raise self.unexpected()
                    power = self.number(self.advance().value, op)
                    if inner_neg:
                        power = -power
                    if not self.at_op(")"):
                        raise self.unexpected()
                    self.advance()
                elif self.at("NUM"):
                    power = self.number(self.advance().value, op)
                else:
                    raise self.error(
                        f"a power of {name} must be a number, as in {name}^2(x)",
                        op.pos,
                        f"for other powers write ({name}(x))^n",
                    )
                if neg:
                    power = -power
            if not (power == -1 or (power.is_Integer and 1 <= power <= 100)):
                raise self.error(
                    f"a power written after '{name}' must be a whole number or -1",
                    op.pos,
                    f"write ({name}(x))^n for other powers",
                )
        if power == -1:
            if name not in INVERSES:
                raise self.error(
                    f"'{name}^-1' is not read as an inverse function",
                    start,
                    f"write 1/{name}(x) for the reciprocal",
                )
            self.note(
                f"{self.src(start, self.tok.pos)}(…) was read as {INVERSES[name]}(…), the inverse function"
            )
            name = INVERSES[name]
        args = self.parse_args(ft, name)
        value = self.apply(name, args, ft)
        if power is not None and power != -1:
            value = self.power(value, power, ft)
        return value

    def parse_args(self, ft: Token, name: str) -> list[Any]:
        if self.at_op("{"):
            return [self.parse_braced()]
        if self.at_op("(", "["):
            opener = self.advance()
            closer = ")" if opener.value == "(" else "]"
            if self.at_op(closer):
                raise self.error(
                    f"{ft.value}() needs an argument", opener.pos, f"write {ft.value}(x)"
                )
            args = [self.parse_inner_item()]
            while self.at_op(","):
                self.advance()
                args.append(self.parse_inner_item())
            if not self.at_op(closer):
                if self.at("EOF") or self.at_op(")", "]", "}"):
                    raise self.error(
                        f"unbalanced bracket: this '{opener.value}' is never closed",
                        opener.pos,
                        f"add '{closer}' after the argument of {ft.value}",
                    )
                raise self.unexpected()
            self.advance()
            return args
        if self.at_op("|"):
            return [self.parse_abs()]
        # no brackets: the argument is the juxtaposed product that follows (sin 2x, ln x)
        if self.at("EOF") or not (self.starts_factor() or self.at_op("-")):
            raise self.error(
                f"'{self.text[ft.pos : ft.end]}' needs an argument",
                self.tok.pos if not self.at("EOF") else ft.pos,
                f"write {ft.value}(x)",
            )
        a = self.tok.pos
        first_i = self.i
        neg = False
        if self.at_op("-"):
            self.advance()
            neg = True
        arg = self.parse_power()
        while (
            self.starts_factor()
            and not self.at("FUNC")
            and not self.at("SQRT", None)
            and not self.at_op("|")
        ):
            if self.at("NUM") and self.toks[self.i - 1].kind == "NUM":
                raise self.error("two numbers in a row", self.tok.pos, "use * to multiply")
            nxt = self.parse_power()
            self.need(nxt, ft)
            self.need(arg, ft)
            self.check_radicals(arg, nxt, ft)
            arg = arg * nxt
        self.need(arg, ft)
        if neg:
            arg = -arg
        b = self.toks[self.i - 1].end
        if self.i - first_i > 1:
            self.note(
                f"{self.src(ft.pos, b)} was read as {self.src(ft.pos, ft.end)}({self.src(a, b)})"
            )
        elif self.at_op("/"):
            self.note(
                f"{self.src(ft.pos, self.toks[self.i + 1].end)} was read as "
                f"{self.src(ft.pos, ft.end)}({self.src(a, b)})/{self.src(self.toks[self.i + 1].pos, self.toks[self.i + 1].end)}"
            )
        return [arg]

    def apply(self, name: str, args: list[Any], ft: Token) -> Any:
        for a in args:
            if not isinstance(a, Expr):
                raise self.error(f"{_what(a)} cannot be the argument of {ft.value}", ft.pos, "")
        n = len(args)
        if name.lower() in _COMPARING:
            for a in args:
                self.comparable(a, ft.pos)
        if name == "exp" and n == 1 and args[0].is_number:
            if _pow_size(S.Exp1, args[0]) > self.max_result_digits:
                raise self.too_large(ft)
        if name in ("max", "min", "Max", "Min"):
            try:
                return (sympy.Max if name.lower() == "max" else sympy.Min)(*args)
            except (ValueError, TypeError):
                raise self.error(
                    f"{ft.value} compares real numbers only", ft.pos, "check its arguments"
                ) from None
        if name in ("log", "ln", "log10", "log2"):
            if name == "ln" and n != 1:
                raise self.error("ln takes one argument", ft.pos, "use log(x, b) for base b")
            if n > 2:
                raise self.error("log takes at most two arguments: log(x, base)", ft.pos, "")
            base: Any = None
            if n == 2:
                base = args[1]
            elif ft.extra:
                base = S.Exp1 if ft.extra == "e" else self.number(ft.extra, ft)
            elif name == "log" and self.log_base not in ("e", "E"):
                base = self.number(str(self.log_base), ft)
            if base is None or base == S.Exp1:
                return sympy.log(args[0])
            if base.is_number and (base.is_positive is False or base == 1):
                raise self.error("a logarithm base must be positive and not 1", ft.pos, "")
            return sympy.log(args[0], base)
        if name == "factorial":
            if n != 1:
                raise self.error("factorial takes one argument", ft.pos, "write factorial(5) or 5!")
            return self.factorial(args[0], ft)
        if name == "root":
            if n != 2:
                raise self.error("root takes two arguments: root(x, n)", ft.pos, "")
            return _real_root(args[0], args[1])
        fn = _F1.get(name.lower() if name != "Heaviside" else "heaviside")
        if fn is None:
            raise self.error(f"unknown function '{ft.value}'", ft.pos, "")
        if n != 1:
            raise self.error(f"{ft.value} takes one argument", ft.pos, f"write {ft.value}(x)")
        if name == "sqrt":
            return self.power(args[0], S.Half, ft)
        if name == "cbrt":
            self.check_power_size(args[0], Rational(1, 3), ft)
            return _real_root(args[0], Integer(3))
        if fn is sympy.exp:
            return _keep_domain(sympy.exp, (args[0],), sympy.exp(args[0]))
        if isinstance(fn, type) and issubclass(fn, sympy.Function):
            # sin(asin(x)) and cosh(acosh(x)) are x only where the inner function is defined
            return _keep_domain(fn, (args[0],), fn(args[0]))
        return fn(args[0])

    def parse_readback(self, ft: Token) -> Any:
        name = ft.value
        if not self.at_op("("):
            raise self.error(f"{name} needs its arguments in brackets", ft.pos, "")
        opener = self.advance()
        args: list[Any] = []
        if not self.at_op(")"):
            args.append(self.parse_inner_item())
            while self.at_op(","):
                self.advance()
                args.append(self.parse_inner_item())
        if not self.at_op(")"):
            raise self.error("unbalanced bracket: this '(' is never closed", opener.pos, "add ')'")
        self.advance()
        if name in ("Eq", "Ne", "Lt", "Le", "Gt", "Ge"):
            if len(args) != 2 or not all(isinstance(a, Expr) for a in args):
                raise self.error(f"{name} takes two expressions", ft.pos, "")
            op = {"Eq": "==", "Ne": "!=", "Lt": "<", "Le": "<=", "Gt": ">", "Ge": ">="}[name]
            return sympy.Rel(args[0], args[1], op, evaluate=False)
        if name.startswith("Interval"):
            kind = name.partition(".")[2]
            g = Group(
                "(" if kind in ("open", "Lopen") else "[",
                ")" if kind in ("open", "Ropen") else "]",
                args,
                ft.pos,
                self.toks[self.i - 1].end,
            )
            return self.group_interval(g)
        if name == "FiniteSet":
            if not all(isinstance(a, Expr) for a in args):
                raise self.error("FiniteSet holds expressions", ft.pos, "")
            for a in args:
                self.comparable(a, ft.pos)
            return sympy.FiniteSet(*args)
        if name == "Union":
            return union([self.as_set(a, ft) for a in args])
        raise self.error(f"unknown function '{name}'", ft.pos, "")  # pragma: no cover


def union(sets: Sequence[Any]) -> Any:
    """The union of ``sets``, as sympy's ``Union`` gives it, in O(n log n) for sets of reals.

    Intervals and finite sets of real numbers are sorted by their left ends and merged in
    one pass; anything else (symbolic ends, ends too close to order in floating point) is
    left to ``sympy.Union``.
    """
    pieces: list[tuple[Any, Any, bool, bool]] = []
    for s_ in sets:
        for part in s_.args if isinstance(s_, sympy.Union) else (s_,):
            if part is S.EmptySet:
                continue
            if isinstance(part, sympy.Interval):
                pieces.append((part.start, part.end, bool(part.left_open), bool(part.right_open)))
            elif isinstance(part, sympy.FiniteSet):
                pieces.extend((v, v, False, False) for v in part.args)
            else:
                return sympy.Union(*sets)
    keys = _order_keys([v for p in pieces for v in p[:2]])
    if keys is None:
        return sympy.Union(*sets)
    # closed left ends first, so that [a, b] absorbs (a, c) and {a}
    pieces.sort(key=lambda p: (keys[p[0]], p[2]))
    merged: list[list[Any]] = []
    for a, b, lo, ro in pieces:
        if merged:
            cur = merged[-1]
            ka, kb = keys[a], keys[cur[1]]
            if ka < kb or (ka == kb and not (cur[3] and lo)):
                if keys[b] > kb:
                    cur[1], cur[3] = b, ro
                elif keys[b] == kb:
                    cur[3] = cur[3] and ro
                continue
        merged.append([a, b, lo, ro])
    points = [a for a, b, lo, ro in merged if keys[a] == keys[b]]
    out = [sympy.Interval(a, b, lo, ro) for a, b, lo, ro in merged if keys[a] != keys[b]]
    if points:
        out.append(sympy.FiniteSet(*points))
    if not out:
        return S.EmptySet
    return out[0] if len(out) == 1 else sympy.Union(*out, evaluate=False)


def _order_keys(values: list[Any]) -> dict[Any, Any] | None:
    """Exact sort keys for real numbers (Fractions, floats for irrationals), or None."""
    from fractions import Fraction

    keys: dict[Any, Any] = {}
    for v in values:
        if v in keys:
            continue
        if v.is_Rational:
            keys[v] = Fraction(int(v.p), int(v.q))
        elif v is S.Infinity or v is S.NegativeInfinity:
            keys[v] = float(v)
        elif isinstance(v, Expr) and v.is_number and v.is_extended_real:
            try:
                f = float(v.evalf(30))
            except (TypeError, ValueError):
                return None
            if not math.isfinite(f):
                return None
            keys[v] = f
        else:
            return None
    # two different irrational ends whose floats are (nearly) the same cannot be ordered here
    ordered = sorted(keys.values())
    for k1, k2 in zip(ordered, ordered[1:]):
        if (isinstance(k1, float) or isinstance(k2, float)) and math.isfinite(float(k1)):
            if abs(float(k1) - float(k2)) <= 1e-9 * max(1.0, abs(float(k1))):
                return None
    return keys


def _restrictions(e: Any) -> set[Any]:
    """What limits the real domain of ``e``: radicands of even roots and arguments of logs
    that hold a variable (``sqrt(x)`` needs x >= 0, ``ln(x)`` needs x > 0)."""
    if not isinstance(e, Expr) or e.is_number:
        return set()
    out: set[Any] = set()
    for node in sympy.preorder_traversal(e):
        if node.is_Pow:
            ex = node.exp
            if ex.is_Rational and not ex.is_Integer and ex.q % 2 == 0 and not node.base.is_number:
                out.add(node.base)
        elif isinstance(node, sympy.log) and not node.args[0].is_number:
            out.add(node.args[0])
        elif isinstance(node, _LIMITED) and not node.args[0].is_number:
            out.add(node.args[0])
    return out


# inverse functions defined on part of the line only (asin needs -1 <= x <= 1, ...)
_LIMITED = (sympy.asin, sympy.acos, sympy.acosh, sympy.atanh, sympy.acoth, sympy.asec, sympy.acsc)


# Set by a checker that tests the written form (factored, lowest terms): sympy writes
# 4·(t + 1) as 4t + 4 and 2x/(4y) as x/(2y), which hides what the student wrote.
KEEP_WRITTEN = contextvars.ContextVar("keep_written", default=False)


def _product(left: Any, right: Any) -> Any:
    """left·right; as written (a number times a sum kept apart) under KEEP_WRITTEN."""
    if KEEP_WRITTEN.get() and isinstance(left, Expr) and isinstance(right, Expr):
        if (left == 0) != (right == 0):
            return sympy.Mul(left, right, evaluate=False)  # 0·(t + 1)^3 is written, not 0
        if (left.is_Number and right.is_Add) or (right.is_Number and left.is_Add):
            return sympy.Mul(left, right, evaluate=False)
        if left.is_Mul and any(a.is_Add for a in left.args) or right.is_Add:
            return sympy.Mul(*_mul_args(left), *_mul_args(right), evaluate=False)
        if KEEP_WRITTEN.get() == "all" and (_written_fraction(left) or _written_fraction(right)):
            return sympy.Mul(left, right, evaluate=False)  # 2·(1/n) is not the fraction 2/n
    return left * right


def _zero_term(e: Any) -> bool:
    """A product kept with a zero factor (its term must stay in the written sum)."""
    if not isinstance(e, Expr):
        return False
    if e.is_Add:
        return any(_zero_term(a) for a in e.args)
    return e.is_Mul and any(a == 0 for a in e.args)


def _written_fraction(e: Any) -> bool:
    return e.is_Mul and any(a.is_Pow and a.exp == -1 for a in e.args)


def _mul_args(e: Any) -> tuple[Any, ...]:
    return e.args if e.is_Mul else (e,)


def _quotient(left: Any, right: Any) -> Any:
    """left/right; as written (no numeric cancelling) under KEEP_WRITTEN."""
    if KEEP_WRITTEN.get() and isinstance(left, Expr) and isinstance(right, Expr):
        return sympy.Mul(left, sympy.Pow(right, -1, evaluate=False), evaluate=False)
    return left / right


def _keep_domain(op: Any, args: tuple[Any, ...], value: Any) -> Any:
    """``value`` (sympy's evaluated ``op(*args)``), or ``op(*args)`` left unevaluated when
    evaluating dropped a domain restriction: sympy turns sqrt(x)^2, sqrt(x)·sqrt(x) and
    exp(ln(x)) into x, defined for all x, so a checker would accept them for x (DESIGN.md,
    "Checking conventions").  Ordinary input comes back as the ordinary evaluated object."""
    before: set[Any] = set()
    for a in args:
        before |= _restrictions(a)
    if not before:
        return value
    after = _restrictions(value)
    if before <= after:
        return value
    return op(*args, evaluate=False)


def _real_root(a: Expr, n: Any) -> Expr:
    """The n-th root; of a negative number and an odd n, the real one (∛(-8) is -2, as on
    a calculator), where sympy's principal root would be complex."""
    if n.is_Integer and n % 2 == 1 and a.is_number:
        c, rest = a.as_coeff_Mul()
        if c.is_negative and (rest == 1 or rest.is_positive):
            return -sympy.root(-a, n)
    return sympy.root(a, n)


def _coefficients(e: Any):
    """The rational numbers in ``e`` that a power of ``e`` would multiply out (not exponents,
    not function arguments): sympy expands (2x)^n to 2^n x^n and (√2)^n to 2^(n/2)."""
    if e.is_Rational:
        yield e
    elif e.is_Pow:
        yield from _coefficients(e.base)
    elif e.is_Add or e.is_Mul:
        for a in e.args:
            yield from _coefficients(a)


def _glue_hint(run: str) -> str:
    """How a glued run should have been typed: sinxcosx -> sin(x)*cos(x)."""
    parts: list[str] = []
    i, low = 0, run.lower()
    while i < len(run):
        f = next((f for f in _GLUE_FUNCS if low.startswith(f, i)), None)
        if f is None:
            j = i
            while j < len(run) and not any(low.startswith(g, j) for g in _GLUE_FUNCS):
                j += 1
            if parts and parts[-1].endswith("("):
                parts[-1] += run[i:j] + ")"
            else:
                parts.append(run[i:j])
            i = j
        else:
            if parts and parts[-1].endswith("("):
                parts[-1] += ")"
            parts.append(f + "(")
            i += len(f)
    if parts and parts[-1].endswith("("):
        parts[-1] += "x)"
    return "*".join(parts)


_COMPARE_DIGITS = 100
_COMPARING = {"floor", "ceiling", "sign", "abs", "max", "min", "relu", "heaviside"}


def _log_size(e: Expr) -> float:
    """An upper bound of log10 max(|e|, 1/|e|) for a number, without evaluating it."""
    if e.is_Rational:
        return _digits(e)
    if e.is_Add:
        return max(_log_size(a) for a in e.args) + 1.0
    if e.is_Mul:
        return sum(_log_size(a) for a in e.args)
    if e.is_Pow:
        return _pow_size(e.base, e.exp)
    if isinstance(e, sympy.exp):
        return _pow_size(S.Exp1, e.args[0])
    if e.args:
        return (
            max(_log_size(a) for a in e.args if isinstance(a, Expr))
            if any(isinstance(a, Expr) for a in e.args)
            else 1.0
        )
    return 1.0  # pi, E, oo, I


def _pow_size(base: Expr, ex: Expr) -> float:
    """log10 size of base**ex (both numbers), as in _log_size: |ex|·|log10 |base||, with
    |ex| bounded from above only (a small exponent makes a small power: 163^(1/2))."""
    lx = _log_upper(ex)
    if lx > 300:
        return math.inf
    return max(_log_size(base), 1.0) * 10**lx


def _log_upper(e: Expr) -> float:
    """An upper bound of log10 |e| for a number (-inf for 0), without evaluating it."""
    if e.is_Rational:
        return -math.inf if e == 0 else math.log10(abs(int(e.p))) - math.log10(int(e.q))
    if e.is_Add:
        return max(_log_upper(a) for a in e.args) + math.log10(len(e.args))
    if e.is_Mul:
        parts = [_log_upper(a) for a in e.args]
        return -math.inf if -math.inf in parts else sum(parts)
    if e.is_Pow:
        return _pow_size(e.base, e.exp)
    if isinstance(e, sympy.exp):
        return _pow_size(S.Exp1, e.args[0])
    if e in (S.Pi, S.Exp1):
        return 0.5
    return _log_size(e)


def _radical_width(e: Expr) -> float:
    width = 0.0
    for f in sympy.Mul.make_args(e):
        if f.is_Pow and f.base.is_Rational and f.exp.is_Rational and not f.exp.is_Integer:
            width += _digits(f.base)
    return width


def _digits(r: Rational) -> float:
    m = max(abs(int(r.p)), int(r.q))
    return 0.0 if m <= 1 else math.log10(m)


def _vars_hint(V: frozenset[str] | None) -> str:
    if not V:
        return "this question has no variables"
    return "the variables of this question are " + ", ".join(sorted(V))


def _eq_words(rel: Any) -> str:
    if isinstance(rel, sympy.Eq):
        return f"{sympy.sstr(rel.lhs)} = {sympy.sstr(rel.rhs)}"
    return sympy.sstr(rel)


def _hint_for(t: Token) -> str:
    if t.kind == "OP":
        if t.value in ("*", "/", "^", "**"):
            return "an operator needs something on both sides"
        if t.value in ("=", "<", ">", "<=", ">=", "!="):
            return "a comparison needs something on both sides"
        if t.value == ",":
            return "a comma separates complete answers"
        if t.value == "!":
            return "'!' is a factorial and follows a number, as 5!"
        if t.value == "|":
            return "absolute value bars come in pairs: |x|"
    if t.kind == "KW":
        return "'or'/'and' join complete equations, as x = 1 or x = -1"
    if t.kind == "SYM" and t.value == "U":
        return "'U' joins intervals, as (-oo, 0) U (2, oo)"
    return "check the symbols around here"
