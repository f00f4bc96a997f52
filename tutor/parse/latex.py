"""LaTeX and Maxima input for :mod:`tutor.parse`, translated into the parser's own syntax.

The text is read command by command and rewritten (``\\frac{a}{b}`` → ``((a)/(b))``,
``\\sqrt[3]{x}`` → ``cbrt(x)``, ``%pi`` → ``π``); nothing is expanded, defined or run, and a
command that is not in the tables below is refused.  Every translated character remembers
the typed character it came from, so an error found later still points at what the person
typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexer import ParseError
from .names import DNE_WORDS, EMPTY_WORDS, GREEK, REAL_WORDS

__all__ = ["Translation", "translate"]

_GREEK = {name: ch for ch, name in reversed(GREEK.items())}
_GREEK.update({"varepsilon": "ε", "vartheta": "θ", "varphi": "φ"})

_FUNCS = frozenset(
    "sin cos tan sec csc cot arcsin arccos arctan arcsec arccsc arccot sinh cosh tanh coth "
    "sech csch arsinh arcosh artanh ln log exp max min".split()
)
_SYMBOLS = {
    "cdot": "*", "times": "*", "ast": "*", "div": "/", "pm": "±",
    "le": "<=", "leq": "<=", "leqslant": "<=", "ge": ">=", "geq": ">=", "geqslant": ">=",
    "ne": "!=", "neq": "!=", "lt": "<", "gt": ">",
    "infty": "∞", "emptyset": "∅", "varnothing": "∅", "cup": "∪",
    "{": "{", "}": "}", "lbrace": "{", "rbrace": "}", "vert": "|", "lvert": "|", "rvert": "|",
    "lfloor": " floor(", "rfloor": ")", "lceil": " ceiling(", "rceil": ")",
    "lor": " or ", "vee": " or ", "land": " and ", "wedge": " and ",
}  # fmt: skip
_SPACES = {
    ",", ";", ":", " ", "\n", "\t", "quad", "qquad", "enspace", "thinspace", "medspace",
    "thickspace", "displaystyle", "textstyle", "scriptstyle",
}  # fmt: skip
_SIZES = {
    "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl",
    "biggr", "Biggl", "Biggr",
}  # fmt: skip
_FRACS = {"frac", "dfrac", "tfrac", "cfrac"}
_BOXES = {"boxed", "fbox"}  # unwrapped as they are
_NAMES = {"mathrm", "mathit", "mathbf", "mathsf", "mathnormal", "operatorname"}  # a name
_TEXTS = {"text", "textrm", "textnormal", "textit", "textbf", "textsf", "mbox"}  # words
_WORDS = _NAMES | _TEXTS
_DEGREES = {"circ", "degree"}

_VALUE_HINT = "write the value itself"
_HINTS = {
    "mp": "write both answers, as x = 2 or x = -2",
    "approx": "give the exact value",
    "to": "write only the value of the limit",
    "rightarrow": "write only the value of the limit",
    "lim": _VALUE_HINT,
    "int": _VALUE_HINT,
    "sum": _VALUE_HINT,
    "prod": _VALUE_HINT,
    "partial": "write the derivative itself, e.g. 2*x",
    "cap": "only unions (\\cup) of intervals are read",
    "setminus": "only unions (\\cup) of intervals are read",
    "%": "write a percentage as a number, as 0.5",
    "dots": "write all the values",
    "ldots": "write all the values",
    "cdots": "write all the values",
    "begin": "type a single answer, without environments",
    "\\": "type the answer on one line",
    "binom": "write the number itself",
    "$": "leave out units such as $",
}
_GENERIC_HINT = (
    "the commands read include \\frac, \\sqrt, \\pi, \\infty, \\cdot, \\sin, \\ln, \\le, "
    "\\pm, \\cup and \\text"
)
_DELIMS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))
_NUMBER = re.compile(r"\d+(?:\.\d*)?")
_THOUSANDS = re.compile(r"\d{1,3}(?:(?:\{,\}|\\,|,\\!)\d{3})+(?![\d.])")
_DERIV_NUM = re.compile(r"\s*\(?\s*d(?![A-Za-z]{2})")
_DERIV_DEN = re.compile(r"\s*\(\s*d\s*[A-Za-z]\s*(\^\s*\(?\s*\d\s*\)?)?\s*\)\s*")
_NAME = re.compile(r"\s*([A-Za-z]+(_\{?[A-Za-z0-9]+\}?)?|[" + "".join(GREEK) + r"])\s*")
_MAXIMA_WORD = re.compile(r"%|#|(?<![A-Za-z])minf(?![A-Za-z])")


@dataclass(frozen=True)
class Translation:
    """Text in the parser's syntax, where each character came from (``starts``, one entry
    more than the text), and notes on readings that LaTeX itself would not give."""

    text: str
    starts: tuple[int, ...]
    notes: tuple[str, ...]

    def remap(self, err: ParseError, original: str) -> ParseError:
        """The same error, pointing into the text as it was typed."""
        pos = err.position if err.text == self.text else 0
        pos = self.starts[min(max(pos, 0), len(self.starts) - 1)]
        return ParseError(err.message, original, pos, err.hint)


def translate(
    text: str, *, max_depth: int = 100, d_is_variable: bool = False, e_is_variable: bool = False
) -> Translation | None:
    """LaTeX (a backslash command or ``$``) or Maxima (``%pi``, ``minf``, ``#``) as the
    parser's syntax; ``None`` when the text is neither.  Raises :class:`ParseError`."""
    if "\\" in text or "$" in text or "{,}" in text:
        r = _Reader(text, max_depth, d_is_variable)
        r.run()
        return r.result()
    if _MAXIMA_WORD.search(text):
        return _maxima(text, e_is_variable)
    return None


class _Reader:
    """One translation of LaTeX text: output pieces with the typed position of each."""

    def __init__(self, s: str, max_depth: int, d_is_variable: bool) -> None:
        self.s = s
        self.i = 0
        self.end = len(s)
        self.max_depth = max_depth
        self.d_is_variable = d_is_variable
        self.out: list[tuple[str, int, bool]] = []  # (text, typed position, copied as typed)
        self.notes: list[str] = []

    # ---------------------------------------------------------------- output
    def emit(self, piece: str, at: int, verbatim: bool = False) -> None:
        if piece:
            self.out.append((piece, at, verbatim))

    def word(self, w: str, at: int) -> None:
        """A name, kept apart from its neighbours (``x\\sin`` is not ``xsin``); no space
        before a subscript, so that ``\\log_2`` stays one name, or a power."""
        tail = "" if self.s.startswith(("_", "^"), self.i) else " "
        self.emit(" " + w + tail, at)

    def since(self, mark: int) -> str:
        return "".join(p for p, _, _ in self.out[mark:])

    def result(self) -> Translation:
        starts: list[int] = []
        for piece, at, verbatim in self.out:
            starts.extend(range(at, at + len(piece)) if verbatim else [at] * len(piece))
        starts.append(self.end)
        return Translation(self.since(0), tuple(starts), tuple(self.notes))

    def fail(self, message: str, at: int, hint: str = "") -> ParseError:
        return ParseError(message, self.s, at, hint)

    # ---------------------------------------------------------------- reading
    def run(self) -> None:
        s = self.s
        body = s.strip()
        lead = len(s) - len(s.lstrip())
        for opener, closer in _DELIMS:
            if body.startswith(opener):
                body = body.removesuffix(".").rstrip()  # $x$. ends a sentence
                if len(body) < len(opener) + len(closer) or not body.endswith(closer):
                    raise self.fail(
                        f"this '{opener}' is never closed",
                        lead,
                        f"end the answer with '{closer}', or leave the delimiters out",
                    )
                self.i = lead + len(opener)
                self.end = lead + len(body) - len(closer)
                break
        self.seq(0, None)

    def skip_spaces(self) -> None:
        while self.i < self.end and self.s[self.i].isspace():
            self.i += 1

    def seq(self, depth: int, stop: str | None) -> None:
        s = self.s
        while self.i < self.end:
            c = s[self.i]
            if c == stop:
                return
            at = self.i
            if c == "\\":
                self.command(depth)
            elif c == "{":
                if s.startswith("{,}", at):
                    raise self.fail(
                        "'{,}' is read only as a thousands separator, as in 1{,}000",
                        at,
                        "write a decimal with a point, as 3.5",
                    )
                self.group(depth)
            elif c == "}":
                raise self.fail(
                    "unbalanced brace: '}' has no matching '{'", at, "remove it or add the '{'"
                )
            elif c == "$":
                raise self.fail(
                    "a '$' inside the answer", at, "put $ signs only around the whole answer"
                )
            elif c == "%":
                raise self.fail(
                    "'%' starts a comment in LaTeX", at, "write a percentage as a number, as 0.5"
                )
            elif c == "^":
                self.superscript(depth)
            elif c == "_":
                self.subscript()
            elif c.isdigit() and c.isascii():
                self.number()
            elif c == "~":
                self.emit(" ", at)
                self.i += 1
            else:
                j = at + 1
                while j < self.end and s[j] not in "\\{}$%^_~0123456789" and s[j] != stop:
                    j += 1
                self.emit(s[at:j], at, True)
                self.i = j

    def group(self, depth: int) -> None:
        """``{…}`` groups like brackets; with a comma at its top it is a set, as typed."""
        at = self.i
        if depth >= self.max_depth:
            raise self.fail(
                f"braces are nested more than {self.max_depth} deep",
                at,
                "simplify the expression before typing it",
            )
        self.i += 1
        mark = len(self.out)
        self.emit("(", at)
        self.seq(depth + 1, "}")
        if self.i >= self.end:
            raise self.fail("unbalanced brace: this '{' is never closed", at, "add '}'")
        self.emit(")", self.i)
        self.i += 1
        inner = self.since(mark + 1)[:-1]
        if _top_comma(inner):
            self.out[mark] = ("{", at, False)
            self.out[-1] = ("}", self.i - 1, False)
            shown = " ".join(self.s[at : self.i].split())
            self.notes.append(f"{shown} was read as a set; in LaTeX a set is written \\{{…\\}}")

    def argument(self, depth: int, at: int, name: str) -> None:
        """One argument of a command, in brackets: a ``{group}``, a command, or a single
        character (``\\frac12``)."""
        self.skip_spaces()
        if self.i >= self.end or self.s[self.i] in "}]$":
            raise self.fail(
                f"\\{name} is missing an argument",
                at,
                "write \\frac{1}{2}" if name in _FRACS else f"write \\{name}{{x}}",
            )
        c = self.s[self.i]
        if c == "{":
            self.group(depth)
            return
        self.emit("(", self.i)
        if c == "\\":
            if depth >= self.max_depth:
                raise self.fail(
                    f"commands are nested more than {self.max_depth} deep",
                    self.i,
                    "simplify the expression before typing it",
                )
            self.command(depth + 1)
        else:
            self.emit(c, self.i, True)
            self.i += 1
        self.emit(")", self.i - 1)

    def command(self, depth: int) -> None:
        s, at = self.s, self.i
        j = at + 1
        if j >= self.end:
            raise self.fail("a '\\' on its own", at, "a command is a name such as \\frac")
        if s[j].isascii() and s[j].isalpha():
            while j < self.end and s[j].isascii() and s[j].isalpha():
                j += 1
        else:
            j += 1
        name = s[at + 1 : j]
        self.i = j
        if name in _SPACES:
            self.emit(" ", at)
        elif name == "!":
            pass  # a negative thin space joins what it separates
        elif name in _SIZES:
            self.skip_spaces()
            if name in ("left", "right") and s.startswith(".", self.i):
                self.i += 1  # an empty delimiter
        elif name in _SYMBOLS:
            self.emit(_SYMBOLS[name], at)
        elif name in _GREEK:
            if s.startswith("_", self.i):
                self.word(name, at)
            else:
                self.emit(_GREEK[name], at)
        elif name in _FUNCS:
            self.word(name, at)
        elif name in _FRACS:
            self.fraction(at, name, depth)
        elif name == "sqrt":
            self.root(at, depth)
        elif name in _BOXES or name in _WORDS:
            self.unwrap(at, name, depth)
        elif name == "mathbb":
            self.skip_spaces()
            if not s.startswith(("{R}", "R"), self.i):
                raise self.fail("only \\mathbb{R} (all real numbers) is read", at, "")
            self.i += 3 if s[self.i] == "{" else 1
            self.emit("ℝ", at)
        elif name in _DEGREES:
            raise self.degrees(at)
        elif name == "in":
            self.element_of(at)
        else:
            shown = name if name.isprintable() else repr(name)
            raise self.fail(f"\\{shown} is not a command this tutor reads", at, _unknown_hint(name))

    def degrees(self, at: int) -> ParseError:
        return self.fail(
            "angles in degrees are not read",
            at,
            "give the angle in radians (as pi/6), or the number without the degree sign",
        )

    def fraction(self, at: int, name: str, depth: int) -> None:
        """\\frac{a}{b} → ((a)/(b)); \\frac12 takes one character for each part."""
        self.emit("(", at)
        mark = len(self.out)
        self.argument(depth, at, name)
        num = self.since(mark)
        self.skip_spaces()
        self.emit("/", self.i)
        mark = len(self.out)
        self.argument(depth, at, name)
        den = self.since(mark)
        self.emit(")", self.i - 1)
        if not self.d_is_variable and _DERIV_NUM.match(num) and _DERIV_DEN.fullmatch(den):
            raise self.fail(
                "derivative notation such as dy/dx is not read",
                at,
                "write the derivative itself, e.g. 2*x",
            )

    def root(self, at: int, depth: int) -> None:
        """\\sqrt{x} → sqrt(x), \\sqrt[3]{x} → cbrt(x) (as cbrt would read), \\sqrt[n]{x} →
        root(x, n)."""
        self.skip_spaces()
        index: list[tuple[str, int, bool]] = []
        if self.s.startswith("[", self.i):
            start = self.i
            self.i += 1
            mark = len(self.out)
            self.seq(depth + 1, "]")
            if self.i >= self.end:
                raise self.fail("this '[' is never closed", start, "write \\sqrt[3]{x}")
            self.i += 1
            index = self.out[mark:]
            del self.out[mark:]
        n = "".join(p for p, _, _ in index).strip()
        general = bool(index) and n not in ("2", "3")
        self.emit(" root(" if general else " cbrt" if n == "3" else " sqrt", at)
        self.argument(depth, at, "sqrt")
        if general:
            self.emit(", ", at)
            self.out.extend(index)
            self.emit(")", self.i - 1)

    def unwrap(self, at: int, name: str, depth: int) -> None:
        """\\boxed{…} is its content; \\text{…}, \\mathrm{…} and \\operatorname{…} are a
        word (``\\text{DNE}``, ``\\mathrm{e}``, ``\\operatorname{sigmoid}``)."""
        self.skip_spaces()
        if not self.s.startswith("{", self.i):
            raise self.fail(f"\\{name} needs braces", at, f"write \\{name}{{…}}")
        if depth >= self.max_depth:
            raise self.fail(
                f"braces are nested more than {self.max_depth} deep",
                at,
                "simplify the expression before typing it",
            )
        start = self.i
        pad = "" if name in _BOXES else " "
        self.i += 1
        self.emit(pad, at)
        mark = len(self.out)
        self.seq(depth + 1, "}")
        if self.i >= self.end:
            raise self.fail("unbalanced brace: this '{' is never closed", start, "add '}'")
        self.i += 1
        self.emit(pad, self.i - 1)
        if name in _TEXTS:
            self.words(self.since(mark), at)

    def words(self, text: str, at: int) -> None:
        """Words in \\text{…} are read only when they are an answer (DNE, no solution) or
        join answers (or, and): units and sentences are refused, not multiplied out."""
        said = " ".join(text.lower().split()).rstrip(".!")
        if said in DNE_WORDS or said in EMPTY_WORDS or said in REAL_WORDS:
            return
        if said in ("or", "and") or not re.search("[a-z]{2}", said):
            return
        raise self.fail(
            f"the words '{' '.join(text.split())}' are not read",
            at,
            "leave out units and words; type DNE if a limit does not exist",
        )

    def element_of(self, at: int) -> None:
        """``x \\in [0, 1)`` is the interval: a variable before \\in is dropped."""
        if not _NAME.fullmatch(self.since(0)):
            raise self.fail(
                "'\\in' is read only after the variable, as in x \\in [0, 1)",
                at,
                "write the interval or set itself",
            )
        self.out.clear()

    def superscript(self, depth: int) -> None:
        s, at = self.s, self.i
        self.i += 1
        self.skip_spaces()
        if s.startswith(("\\circ", "{\\circ}", "\\degree", "{\\degree}"), self.i):
            raise self.degrees(at)
        self.emit("^", at)
        m = _NUMBER.match(s, self.i, self.end)
        if m and len(m.group()) > 1:
            # LaTeX puts only the first digit up: x^12 shows as x¹2, but 12 was meant
            self.notes.append(f"^{m.group()} was read as the power {m.group()}")
            self.emit(m.group(), self.i, True)
            self.i = m.end()

    def subscript(self) -> None:
        s, at = self.s, self.i
        if s.startswith("{", at + 1):
            j = at + 2
            while j < self.end and s[j].isascii() and s[j].isalnum():
                j += 1
            if j == at + 2 or j >= self.end or s[j] != "}":
                raise self.fail(
                    "a subscript in braces must be letters or digits", at, "write w_{0} or x_1"
                )
            self.emit(s[at : j + 1], at, True)
            self.i = j + 1
            return
        m = _NUMBER.match(s, at + 1, self.end)
        if m and "." not in m.group():  # x_10 is x_{10}
            j = m.end()
        else:
            j = min(at + 2, self.end)  # one character, as LaTeX takes it
        self.emit("_{", at)
        self.emit(s[at + 1 : j], at + 1, True)
        self.emit("}", j - 1)
        self.i = j

    def number(self) -> None:
        s, at = self.s, self.i
        m = _THOUSANDS.match(s, at, self.end)
        if m:
            digits = re.sub(r"\D", "", m.group())
            if "{,}" in m.group():  # also a decimal comma in some countries
                self.notes.append(f"{m.group()} was read as {digits}")
            self.emit(digits, at)
            self.i = m.end()
            return
        m = _NUMBER.match(s, at, self.end)
        assert m is not None
        if s.startswith("{,}", m.end()):
            raise self.fail(
                "'{,}' is read only as a thousands separator, as in 1{,}000",
                m.end(),
                "write a decimal with a point, as 3.5",
            )
        self.emit(m.group(), at, True)
        self.i = m.end()


def _unknown_hint(name: str) -> str:
    """\\sinx → did you mean \\sin x?"""
    if name in _HINTS:
        return _HINTS[name]
    known = sorted(_FUNCS | set(_GREEK) | {"frac", "sqrt", "cdot", "infty"}, key=len)
    for k in reversed(known):
        if name.startswith(k) and len(name) > len(k):
            return f"did you mean \\{k} {name[len(k) :]}? (a space ends a command's name)"
    return _GENERIC_HINT


def _top_comma(text: str) -> bool:
    depth = 0
    for c in text:
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            return True
    return False


_MAXIMA_CONSTANTS = {"pi": "π", "and": " and ", "or": " or "}
_MAXIMA_REFUSED = {
    "i": ("complex numbers are not read", "the answers in this course are real numbers"),
    "gamma": ("'%gamma' is not a constant this tutor reads", "write its value"),
    "phi": ("'%phi' is not a constant this tutor reads", "write (1 + sqrt(5))/2"),
}


def _maxima(s: str, e_is_variable: bool) -> Translation:
    """Maxima's %pi, %e, minf (−∞) and # (≠) as the parser's syntax; %i is refused."""
    out: list[tuple[str, int, bool]] = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c == "%":
            j = i + 1
            while j < n and s[j].isascii() and s[j].isalpha():
                j += 1
            name = s[i + 1 : j]
            if name == "e":
                out.append((" exp(1) " if e_is_variable else " e ", i, False))
            elif name in _MAXIMA_CONSTANTS:
                out.append((_MAXIMA_CONSTANTS[name], i, False))
            elif name in _MAXIMA_REFUSED:
                message, hint = _MAXIMA_REFUSED[name]
                raise ParseError(message, s, i, hint)
            elif not name:
                raise ParseError("'%' is not read", s, i, "write a percentage as a number, as 0.5")
            else:
                raise ParseError(
                    f"'%{name}' is not a constant this tutor reads",
                    s,
                    i,
                    "the constants read are %pi and %e",
                )
            i = j
        elif c == "#":
            out.append(("!=", i, False))
            i += 1
        elif c.isascii() and c.isalpha():
            j = i + 1
            while j < n and s[j].isascii() and (s[j].isalnum() or s[j] == "_"):
                j += 1
            if s[i:j] == "minf":  # −∞; bracketed only where a power follows
                out.append(("(-∞)" if s[j:].lstrip().startswith("^") else "-∞", i, False))
            else:
                out.append((s[i:j], i, True))
            i = j
        else:
            out.append((c, i, True))
            i += 1
    starts: list[int] = []
    for piece, at, verbatim in out:
        starts.extend(range(at, at + len(piece)) if verbatim else [at] * len(piece))
    starts.append(n)
    return Translation("".join(p for p, _, _ in out), tuple(starts), ())
