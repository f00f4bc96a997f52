"""Tokenizer for :mod:`tutor.parse`: characters → tokens, with positions into the input.

Unicode maths (``π √ ² · × − ÷ ∞ ≤ ≥ ≠ ∪``, Greek letters) is mapped here, so the grammar
only sees a handful of token kinds.  Nothing in here evaluates anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from .names import GREEK


class ParseError(ValueError):
    """Text that could not be read, with where (``position``), what (``message``) and a ``hint``.

    ``str(error)`` shows the message, the input with a caret under the position, and the hint.
    """

    def __init__(self, message: str, text: str = "", position: int = 0, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.text = text
        self.position = max(0, min(position, len(text)))
        self.hint = hint

    def __str__(self) -> str:
        line, caret = _window(self.text, self.position)
        out = [self.message, "  " + line, "  " + " " * caret + "^"]
        if self.hint:
            out.append("hint: " + self.hint)
        return "\n".join(out)

    def __reduce__(self):  # picklable across processes (the checker's worker pool)
        return (type(self), (self.message, self.text, self.position, self.hint))


ParseError.__module__ = "tutor.parse"  # shown and pickled as tutor.parse.ParseError


def _window(text: str, pos: int, width: int = 70) -> tuple[str, int]:
    """The part of ``text`` shown under an error message, and the caret column in it."""
    flat = "".join(" " if c in "\t\r\n\f\v" else c for c in text[: pos + width])
    start = max(0, pos - width // 2)
    line = flat[start : start + width]
    caret = pos - start
    if start > 0:
        line, caret = "…" + line[1:], caret
    if len(text) > start + width:
        line = line[:-1] + "…"
    return line, caret


@dataclass(slots=True)
class Token:
    kind: str  # NUM NAME SUP OP SQRT CBRT EOF
    value: str
    pos: int
    end: int
    space: bool = False  # whitespace right before this token
    dotted: bool = False  # NUM: written with a decimal point
    sci: bool = False  # NUM: scientific notation
    extra: str = ""  # FUNC: the base of a logarithm (log_2, log10)


# unicode operator → ASCII operator
_UNI_OPS = {
    "−": "-", "–": "-", "—": "-", "‒": "-", "﹣": "-", "－": "-", "＋": "+",
    "·": "*", "⋅": "*", "×": "*", "∗": "*", "•": "*", "÷": "/", "∕": "/",
    "≤": "<=", "⩽": "<=", "≥": ">=", "⩾": ">=", "≠": "!=", "∪": "U", "∣": "|", "±": "±",
    "（": "(", "）": ")",
}  # fmt: skip

_SUPERSCRIPTS = {
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8",
    "⁹": "9", "⁻": "-", "⁺": "+",
}  # fmt: skip

_FRACTIONS = {
    "½": (1, 2), "⅓": (1, 3), "⅔": (2, 3), "¼": (1, 4), "¾": (3, 4), "⅕": (1, 5), "⅖": (2, 5),
    "⅗": (3, 5), "⅘": (4, 5), "⅙": (1, 6), "⅚": (5, 6), "⅛": (1, 8), "⅜": (3, 8), "⅝": (5, 8),
    "⅞": (7, 8),
}  # fmt: skip

_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉", "0123456789", strict=True))


def _unicode_subscript(text: str, name: str, j: int) -> tuple[str, int]:
    """``w₀`` is ``w_0``: read a run of subscript digits after a name."""
    k = j
    while k < len(text) and text[k] in _SUBSCRIPTS:
        k += 1
    return name + "_" + "".join(_SUBSCRIPTS[ch] for ch in text[j:k]), k


_SPACES = " \t\r\n\f\v\u00a0\u2009\u200a\u202f\u2002\u2003\u205f\u3000"
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS = frozenset("0123456789")
_ALNUM = _ASCII_LETTERS | _DIGITS

_STRAY_HINTS = {
    "'": "the prime mark is not read here; write the derivative itself, e.g. 2*x",
    '"': "quotes are not needed; type the maths itself",
    "\\": "a backslash starts a LaTeX command, such as \\frac{1}{2}",
    "_": "a subscript goes right after a name, as in w_0",
    ";": "separate several answers with commas",
    ":": "only numbers, names, brackets and + - * / ^ are read",
    "&": "write 'and' between the parts",
    "#": "only numbers, names, brackets and + - * / ^ are read",
    "$": "put $ signs only around the whole answer, or leave them out",
    "@": "only numbers, names, brackets and + - * / ^ are read",
    "?": "only numbers, names, brackets and + - * / ^ are read",
    "~": "only numbers, names, brackets and + - * / ^ are read",
    "∈": "write the interval or set itself, as [1, 2]",
    "→": "write only the value of the limit",
    "`": "only numbers, names, brackets and + - * / ^ are read",
}

_OPENERS = {"(": ")", "[": "]", "{": "}"}


def tokenize(
    text: str,
    *,
    e_is_variable: bool = False,
    max_depth: int = 100,
    max_digits: int = 100,
    max_tokens: int = 1000,
    max_result_digits: int = 4000,
) -> list[Token]:
    """Split ``text`` into tokens; raise ParseError on a character that has no reading."""
    toks: list[Token] = []
    n = len(text)
    i = 0
    depth = 0
    space = False
    append = toks.append
    while i < n:
        c = text[i]
        if c in _SPACES:
            space = True
            i += 1
            continue
        if c in _DIGITS or (c == "." and i + 1 < n and text[i + 1] in _DIGITS):
            j = i
            while j < n and text[j] in _DIGITS:
                j += 1
            dotted = False
            if j < n and text[j] == "." and not (j + 1 < n and text[j + 1] in _ASCII_LETTERS):
                dotted = True
                j += 1
                while j < n and text[j] in _DIGITS:
                    j += 1
                if j < n and text[j] == "." and j + 1 < n and text[j + 1] in _DIGITS:
                    raise ParseError(
                        "a number has two decimal points", text, j, "write one decimal point"
                    )
            mantissa = text[i:j]
            if sum(ch in _DIGITS for ch in mantissa) > max_digits:
                raise ParseError(
                    f"this number has more than {max_digits} digits",
                    text,
                    i,
                    "round it, or write it with a power of ten such as 1.5e-3",
                )
            sci = False
            # scientific notation: 1.5e-3, 2E5 (not when e is the question's variable, unless dotted)
            if j < n and text[j] in "eE" and (dotted or not e_is_variable):
                k = j + 1
                if k < n and text[k] in "+-":
                    k += 1
                m = k
                while m < n and text[m] in _DIGITS:
                    m += 1
                if m > k and not (m < n and text[m] == "."):
                    if m - k > len(str(max_result_digits)):
                        raise ParseError(
                            "the power of ten in this number is too large",
                            text,
                            i,
                            f"numbers are limited to about {max_result_digits} digits",
                        )
                    if int(text[k:m]) + len(mantissa) > max_result_digits:
                        raise ParseError(
                            "the power of ten in this number is too large",
                            text,
                            i,
                            f"numbers are limited to about {max_result_digits} digits",
                        )
                    sci = True
                    j = m
            append(Token("NUM", text[i:j], i, j, space, dotted, sci))
            i = j
        elif c in _ASCII_LETTERS:
            j = i + 1
            while j < n and text[j] in _ASCII_LETTERS:
                j += 1
            # sympy's printed forms Interval.open(...) etc. read back (the only dotted names)
            if text[i:j] == "Interval" and text.startswith((".open", ".Lopen", ".Ropen"), j):
                j += 1
                while j < n and text[j] in _ASCII_LETTERS:
                    j += 1
            elif j < n and text[j] == "_":
                k = j + 1
                if k < n and text[k] == "{":
                    m = k + 1
                    while m < n and text[m] in _ALNUM:
                        m += 1
                    if m == k + 1 or m >= n or text[m] != "}":
                        raise ParseError(
                            "a subscript in braces must be letters or digits, closed by '}'",
                            text,
                            j,
                            "write w_0 or w_{10}",
                        )
                    j = m + 1
                else:
                    m = k
                    while m < n and text[m] in _ALNUM:
                        m += 1
                    if m == k:
                        raise ParseError(
                            "'_' must be followed by a subscript", text, j, "write w_0 or x_1"
                        )
                    j = m
            name = text[i:j]
            if j < n and text[j] in _SUBSCRIPTS and "_" not in name:
                name, j = _unicode_subscript(text, name, j)
            append(Token("NAME", name, i, j, space))
            i = j
        elif c in GREEK:
            name, j = GREEK[c], i + 1
            if j < n and text[j] in _SUBSCRIPTS:
                name, j = _unicode_subscript(text, name, j)
            append(Token("NAME", name, i, j, space))
            i = j
        elif c in _SUPERSCRIPTS:
            j = i
            while j < n and text[j] in _SUPERSCRIPTS:
                j += 1
            sup = "".join(_SUPERSCRIPTS[ch] for ch in text[i:j])
            if not any(ch in _DIGITS for ch in sup) or any(ch in "+-" for ch in sup[1:]):
                raise ParseError(
                    "this superscript is not a number", text, i, "write the power with ^, as x^(-1)"
                )
            append(Token("SUP", sup, i, j, space))
            i = j
        elif c == "√" or c == "∛":
            append(Token("SQRT" if c == "√" else "CBRT", c, i, i + 1, space))
            i += 1
        elif c in _FRACTIONS:
            if toks and toks[-1].kind == "NUM" and not space:
                raise ParseError(
                    "a mixed number such as 2½ is not read",
                    text,
                    i,
                    "write 5/2 or 2 + 1/2",
                )
            a, b = _FRACTIONS[c]
            for kind, v in (
                ("OP", "("),
                ("NUM", str(a)),
                ("OP", "/"),
                ("NUM", str(b)),
                ("OP", ")"),
            ):
                append(Token(kind, v, i, i + 1, space))
                space = False
            i += 1
        elif c == "∞":
            append(Token("NAME", "oo", i, i + 1, space))
            i += 1
        elif c == "ℝ":
            append(Token("NAME", "Reals", i, i + 1, space))
            i += 1
        elif c == "∅":
            append(Token("NAME", "EmptySet", i, i + 1, space))
            i += 1
        else:
            two = text[i : i + 2]
            if two in ("**", "<=", ">=", "!=", "=="):
                op = {"==": "="}.get(two, two)
                append(Token("OP", op, i, i + 2, space))
                i += 2
            elif two in ("=<", "=>"):
                raise ParseError(
                    f"'{two}' is not a comparison",
                    text,
                    i,
                    f"did you mean '{two[1]}='?",
                )
            elif c in "+-*/^(),[]{}|!=<>":
                if c in _OPENERS:
                    depth += 1
                    if depth > max_depth:
                        raise ParseError(
                            f"brackets are nested more than {max_depth} deep",
                            text,
                            i,
                            "simplify the expression before typing it",
                        )
                elif c in ")]}":
                    depth = max(0, depth - 1)
                append(Token("OP", c, i, i + 1, space))
                i += 1
            elif c in _UNI_OPS:
                op = _UNI_OPS[c]
                append(Token("NAME" if op == "U" else "OP", op, i, i + 1, space))
                i += 1
            elif c == "." and i > 0 and not text[i + 1 :].strip():
                i += 1  # a full stop ending the answer
            elif c == ".":
                raise ParseError(
                    "a '.' that is not part of a number",
                    text,
                    i,
                    "decimals need a digit after the point (0.5); names cannot be followed by '.'",
                )
            elif text.startswith("__", i):
                raise ParseError(
                    "unexpected '__'", text, i, "this looks like program code; only maths is read"
                )
            else:
                hint = _STRAY_HINTS.get(
                    c, "only numbers, names, brackets and + - * / ^ = < > are read"
                )
                shown = c if c.isprintable() else repr(c)
                raise ParseError(f"unexpected character '{shown}'", text, i, hint)
        space = False
        if len(toks) > max_tokens:
            raise ParseError(
                f"the answer is too long (more than {max_tokens} symbols)",
                text,
                toks[-1].pos,
                "simplify the expression before typing it",
            )
    toks.append(Token("EOF", "", n, n, space))
    return toks
