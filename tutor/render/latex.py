"""Worked solutions as LaTeX: maths through sympy's LaTeX printer, steps as nested lists."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..core import Problem, Solution, Table
from ..substitute import lead_unbracketed
from .base import (
    Arrow,
    Code,
    board,
    display,
    explanation,
    fill,
    rule_title,
    shown_answer,
    statement,
    subscripts,
)
from .mathtext import float_parts, written_terms

_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


# Unicode that pdflatex's utf8 input does not know, as maths.
_UNICODE_MATH = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon",
    "η": r"\eta", "θ": r"\theta", "λ": r"\lambda", "μ": r"\mu", "π": r"\pi", "σ": r"\sigma",
    "τ": r"\tau", "φ": r"\varphi", "ω": r"\omega", "Δ": r"\Delta", "Σ": r"\Sigma",
    "∇": r"\nabla", "∂": r"\partial", "∞": r"\infty", "−": "-", "×": r"\times", "·": r"\cdot",
    "÷": r"\div", "≤": r"\le", "≥": r"\ge", "≠": r"\ne", "≈": r"\approx", "→": r"\to",
    "←": r"\leftarrow", "⟶": r"\longrightarrow", "⇒": r"\Rightarrow", "√": r"\surd",
    "∈": r"\in", "∪": r"\cup", "ℝ": r"\mathbb{R}", "±": r"\pm", "²": "^{2}", "³": "^{3}",
    "⁻": "^{-}", "¹": "^{1}", "₀": "_{0}", "₁": "_{1}", "₂": "_{2}", "₃": "_{3}", "ᵀ": "^{T}",
    "‖": r"\|", "∑": r"\sum", "∏": r"\prod", "≡": r"\equiv", "✓": r"\checkmark",
    "′": "'", "″": "''", "‴": "'''", "∫": r"\int", "∘": r"\circ", "⋅": r"\cdot",
    "∓": r"\mp", "∅": r"\emptyset", "⊂": r"\subset", "∉": r"\notin", "∀": r"\forall",
    "∃": r"\exists", "⟹": r"\Longrightarrow", "↦": r"\mapsto", "≪": r"\ll", "≫": r"\gg",
    "↑": r"\uparrow", "↓": r"\downarrow", "↔": r"\leftrightarrow", "⇔": r"\Leftrightarrow",
    "∝": r"\propto", "∼": r"\sim", "≃": r"\simeq", "⊤": r"\top", "ℓ": r"\ell",
    "ϵ": r"\epsilon", "ρ": r"\rho", "ξ": r"\xi", "ζ": r"\zeta", "ϕ": r"\phi",
    "κ": r"\kappa", "ν": r"\nu", "χ": r"\chi", "ψ": r"\psi", "Ω": r"\Omega",
    "Θ": r"\Theta", "Λ": r"\Lambda", "Φ": r"\Phi", "Π": r"\Pi", "Γ": r"\Gamma",
    "☐": r"\square", "□": r"\square", "✗": r"\times", "…": r"\ldots", "⋯": r"\cdots",
}  # fmt: skip

# What pdflatex's utf8 input reads in text without help (T1 fonts): anything else is maths
# above, a sub/superscript spelled out, or a visible "?", never a failed build.
_TEXT_SAFE = set("—–‘’“”„«»•€†‡§¶°")


# combining accents as LaTeX maths accents (ŷ, x̄, θ̃)
_ACCENTS = {"0302": r"\hat", "0304": r"\bar", "0303": r"\tilde", "0307": r"\dot"}


def _fallback(ch: str) -> str:
    import unicodedata

    decomposed = unicodedata.decomposition(ch)
    parts = decomposed.split()
    if len(parts) == 2 and parts[1] in _ACCENTS and not parts[0].startswith("<"):
        base = chr(int(parts[0], 16))
        inner = _UNICODE_MATH.get(base, base if base.isascii() else "?")
        return f"${_ACCENTS[parts[1]]}{{{inner}}}$"
    plain = unicodedata.normalize("NFKC", ch)
    if decomposed.startswith("<sub>") and plain.isascii():
        return f"$_{{{plain}}}$"
    if decomposed.startswith("<super>") and plain.isascii():
        return f"$^{{{plain}}}$"
    if plain != ch and (plain.isascii() or plain in _UNICODE_MATH):
        return escape(plain)
    return "?"


def escape(text: str) -> str:
    """Plain text made safe for pdflatex (unicode maths symbols set as maths)."""
    import unicodedata

    text = unicodedata.normalize("NFC", text)  # y + combining hat is ŷ
    out: list[str] = []
    for i, ch in enumerate(text):
        mark = f"{ord(text[i + 1]):04X}" if i + 1 < len(text) else ""
        if mark in _ACCENTS and (ch.isalpha() or ch in _UNICODE_MATH):
            out.append(
                f"${_ACCENTS[mark]}{{{_UNICODE_MATH.get(ch, ch if ch.isascii() else '?')}}}$"
            )
        elif f"{ord(ch):04X}" in _ACCENTS and out and out[-1].endswith("}$"):
            continue  # the accent set with the letter before it
        elif ch in _SPECIALS:
            out.append(_SPECIALS[ch])
        elif ch in _UNICODE_MATH:
            out.append(f"${_UNICODE_MATH[ch]}$")
        elif ord(ch) > 0xFF and ch not in _TEXT_SAFE:
            out.append(_fallback(ch))
        else:
            out.append(ch)
    return "".join(out).replace("$$", " ")


def words(text: str) -> str:
    """Prose escaped for pdflatex, with ``x_0`` set as a subscript (see ``subscripts``)."""
    return subscripts(
        text,
        escape,
        lambda base, index: rf"{base}\textsubscript{{{index}}}",
        r"\textsuperscript{{{}}}".format,
    )


def _text(words: str) -> str:
    return rf"\text{{{escape(words)}}}"


def tex(obj: Any, text: Callable[[str], str] = _text) -> str:
    """Maths as LaTeX (no surrounding ``$``): sympy objects, numbers, tuples, DNE, text.

    ``text`` sets words inside maths (by default ``\\text{...}`` escaped for pdflatex;
    HTML passes its own, as ``latex2mathml`` takes ``\\text`` literally)."""
    import sympy

    def sub(v: Any) -> str:
        return tex(v, text)

    if isinstance(obj, Arrow):
        sign = " = " if obj.sign == "=" else " \\;\\longrightarrow\\; "
        return sign.join(sub(p) for p in obj.parts)
    if isinstance(obj, str):
        return text(obj)
    if isinstance(obj, bool):
        return text(str(obj).lower())
    if isinstance(obj, float):
        mant, exp = float_parts(obj)
        return mant if exp is None else rf"{mant} \times 10^{{{exp}}}"
    if isinstance(obj, int):
        return str(obj)
    if type(obj).__name__ == "_DoesNotExist":
        return text("does not exist")
    if isinstance(obj, dict):
        # the colon inside the words, so it reads "value: 3" and not "value :3"
        return r",\quad ".join(
            rf"{text(str(k).replace('_', ' ') + ':')}\ {sub(v)}" for k, v in obj.items()
        )
    if isinstance(obj, tuple):
        return r"\left(" + ", ".join(sub(v) for v in obj) + r"\right)"
    if isinstance(obj, list):
        return ", ".join(sub(v) for v in obj)
    if isinstance(obj, (set, frozenset)):
        items = sorted(obj, key=sympy.default_sort_key)
        return r"\left\{" + ", ".join(sub(v) for v in items) + r"\right\}"
    if isinstance(obj, (sympy.Basic, sympy.MatrixBase)):
        return _printer().doprint(obj)
    return text(str(obj))


@functools.cache
def _printer() -> Any:
    """sympy's LaTeX printer, with derivatives of sums and products bracketed."""
    from sympy.printing.latex import LatexPrinter

    class _Printer(LatexPrinter):
        def _as_ordered_terms(self, expr: Any, order: Any = None) -> list[Any]:
            return written_terms(expr) or super()._as_ordered_terms(expr, order=order)

        def _print_Add(self, expr: Any, order: Any = None) -> str:
            return lead_unbracketed(self, expr, super()._print_Add(expr, order=order))

        def _print_Derivative(self, expr: Any) -> str:
            body = self._print(expr.expr)
            if not (expr.expr.is_Atom or expr.expr.is_Function):
                body = rf"\left[ {body} \right]"
            partial = len(expr.expr.free_symbols) > 1 or len(expr.variable_count) > 1
            d = r"\partial" if partial else "d"
            total = sum(n for _, n in expr.variable_count)
            top = d if total == 1 else f"{d}^{{{total}}}"
            bottom = " ".join(
                f"{d} {self._print(v)}" + (f"^{{{n}}}" if n > 1 else "")
                for v, n in expr.variable_count
            )
            return rf"\frac{{{top}}}{{{bottom}}} {body}"

        def _print_Substituted(self, expr: Any) -> str:
            s = self._print(expr.value)
            return rf"\left({s}\right)" if expr.bracketed else s

        def _print_Mul(self, expr: Any) -> str:
            # an engine's unevaluated quotient a/(−2/x): sympy would write (−1) 2 1/x below
            # the line; the bottom is printed as one expression
            import sympy

            below = [
                a.base
                for a in expr.args
                if isinstance(a, sympy.Pow) and a.exp == -1 and isinstance(a.base, sympy.Mul)
            ]
            if not below:
                return super()._print_Mul(expr)
            above = [a for a in expr.args if not (isinstance(a, sympy.Pow) and a.base in below)]
            top = sympy.Mul(*above, evaluate=False) if len(above) > 1 else (above or [1])[0]
            bottom = sympy.Mul(*below, evaluate=False) if len(below) > 1 else below[0]
            return rf"\frac{{{self._print(top)}}}{{{self._print(bottom)}}}"

        def _print_Heaviside(self, expr: Any, exp: Any = None) -> str:
            return rf"\mathbb{{1}}\left[{self._print(expr.args[0])} > 0\right]"

        def _print_And(self, expr: Any) -> str:
            # conditions as a teacher writes them, "x + 5 ≥ 0 and x + 6 ≠ 0" (sympy: ∧)
            return r" \text{ and } ".join(self._print(a) for a in expr.args)

        def _print_Or(self, expr: Any) -> str:
            return r" \text{ or } ".join(self._print(a) for a in expr.args)

    return _Printer({"ln_notation": True, "inv_trig_style": "full"})


def inline(obj: Any) -> str:
    return f"${tex(obj)}$"


def render_table(table: Table) -> str:
    """A ``tabular`` with maths cells."""
    cols = "l" * len(table.headers)
    lines = [r"\begin{center}", rf"\begin{{tabular}}{{{cols}}}", r"\hline"]
    lines.append(" & ".join(words(h) for h in table.headers) + r" \\ \hline")
    for row in table.rows:
        lines.append(" & ".join(inline(c) for c in row) + r" \\")
    lines += [r"\hline", r"\end{tabular}", r"\end{center}"]
    if table.caption:
        lines.insert(0, words(table.caption) + r"\par")
    return "\n".join(lines)


LONG_CHAIN = 84  # characters of a chain of equalities (as text) beyond which it is aligned


def display_tex(item: Any) -> str:
    """A displayed line: a long chain of equalities one link a line, aligned at ``=``
    (``aligned``, from amsmath), as a teacher continues a long line; else ``tex``."""
    from .mathtext import math_text

    long = (
        isinstance(item, Arrow)
        and item.sign == "="
        and len(item.parts) > 2
        and len(" = ".join(math_text(p) for p in item.parts)) > LONG_CHAIN
    )
    if not long:
        return tex(item)
    first, *rest = (tex(p) for p in item.parts)
    rows = [rf"{first} &= {rest[0]}"] + [rf"&= {t}" for t in rest[1:]]
    return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"


def _steps(steps: tuple, task: Any, depth: int = 0) -> list[str]:
    # LaTeX nests lists four deep at most: deeper sub-steps continue as paragraphs.
    nested = depth < 3
    out = [r"\begin{enumerate}"] if nested else []
    for step in steps:
        said = explanation(step, inline, words)
        title = rf"\textbf{{{escape(rule_title(step.rule))}.}} {said}"
        out.append(rf"\item {title}" if nested else rf"\par\noindent {title}")
        for item in display(step, task):
            if isinstance(item, Code):
                out += [r"\begin{verbatim}", item.rstrip(), r"\end{verbatim}"]
                continue
            out.append(
                render_table(item) if isinstance(item, Table) else rf"\[ {display_tex(item)} \]"
            )
        if step.substeps:
            out.extend(_steps(step.substeps, task, depth + 1))
    if nested:
        out.append(r"\end{enumerate}")
    return out


def render_solution(sol: Solution, detail: str = "full", with_task: bool = True) -> str:
    """The worked solution as a LaTeX fragment (needs amsmath); without the task's
    statement when ``with_task`` is False (the problem is printed just above)."""
    out = []
    head = statement(sol.task, inline, words) if with_task else ""
    if head:
        out += [head, ""]
    out += _steps(board(sol, detail), sol.task)
    out += ["", rf"\textbf{{Answer:}} {inline(shown_answer(sol))}"]
    return "\n".join(out)


def render_prompt(problem: Problem) -> str:
    """The problem's prompt with its maths typeset."""
    return fill(problem.prompt, problem.given, inline, words)
