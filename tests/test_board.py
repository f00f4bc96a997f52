"""Boards: a Solution folded by the printer at brief, standard and full detail, and the
typesetting of subscripted exponents, hats, primes and minus signs in every format."""

from __future__ import annotations

import io
import re

import pytest
import sympy
from click.testing import CliRunner

import tutor
from tutor.core import Problem, Solution, Step, Task
from tutor.render.base import board
from tutor.render.text import render_solution

x = sympy.Symbol("x")


@pytest.mark.parametrize(
    "expr,chain",
    [
        ("3 - 4x^2", "d/dx [3 − 4x²] = "),
        (
            "x^2 sin(3x)",
            "d/dx [x²·sin(3x)] = sin(3x)·d/dx [x²] + x²·d/dx [sin(3x)] = 2x·sin(3x) + x²·cos(3x)·d/dx [3x] = ",
        ),
        ("sin(x)/x^2", "= (x·cos(x) − 2 sin(x))/x³"),
    ],
)
def test_brief_derivative_is_one_chain_of_equalities(expr: str, chain: str) -> None:
    sol = tutor.differentiate(expr)
    steps = board(sol, "brief")
    assert len(steps) == 1 and not steps[0].substeps
    text = " ".join(render_solution(sol, detail="brief").split())  # a long chain wraps at =
    assert chain in text and "→" not in text
    assert steps[0].data["show"].parts[-1] == sol.answer or "Tidy up" in text


def test_standard_folds_trivial_steps_and_repeated_titles() -> None:
    sol = tutor.differentiate("x^2 sin(3x)")
    full = {s.rule for s in sol.walk()}
    shown = {s.rule for top in board(sol, "standard") for s in top.walk()}
    assert {"identity", "constant_multiple"} <= full
    assert not shown & {"identity", "constant", "constant_multiple"}
    text = render_solution(sol, detail="standard")
    assert "Power rule\n" in text and "Power rule:" not in text


def test_standard_drops_steps_that_change_nothing() -> None:
    idle = Step("factor", x + 1, x + 1, "Nothing to factor.")
    kept = Step("expand", (x + 1) ** 2, x**2 + 2 * x + 1, "Multiply out.")
    sol = Solution(Task("simplify"), (idle, kept), kept.after)
    assert [s.rule for s in board(sol, "standard")] == ["expand"]
    assert "x² + 2x + 1" in render_solution(sol, detail="standard")
    assert board(sol, "full") == sol.steps


def test_limits_are_chained_with_equals() -> None:
    sol = tutor.limit("(x^2 - 1)/(x - 1)", "x", "1")
    text = render_solution(sol, detail="brief")
    assert "lim(x→1) (x² − 1)/(x − 1) = lim(x→1) (x + 1) = 2" in text


def test_unknown_detail_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="brief, standard, full"):
        board(tutor.differentiate("x"), "short")


@pytest.mark.parametrize("detail", ["brief", "standard", "full"])
def test_solve_takes_detail(detail: str) -> None:
    from tutor.cli import main

    res = CliRunner().invoke(main, ["solve", "derivative", "x^2 sin(3x)", "--detail", detail])
    assert res.exit_code == 0, res.output
    assert ("1.2.2.1. Identity" in res.output) == (detail == "full")


# -- typesetting ---------------------------------------------------------------------------

z1, z2, yhat = sympy.symbols("z_1 z_2 yhat")
SOFTMAX = sympy.exp(z1) / (sympy.exp(z1) + sympy.exp(z2))


@pytest.mark.parametrize(
    "expr,markup",
    [
        (sympy.exp(z1), "e^(z_1)"),
        (sympy.exp(-x), "e^(-x)"),
        (yhat - x, "-x + hat(y)"),
        (sympy.Heaviside(x), "bb(1)[x > 0]"),
        (-x, "-x"),
    ],
)
def test_typst_markup(expr: object, markup: str) -> None:
    from tutor.render.typst import typst

    assert typst(expr) == markup


def _pdf_spans(expr: object) -> list[tuple[str, float]]:
    import pypdf

    from tutor.render.document import Document, to_pdf

    sol = Solution(Task("value"), (), expr)
    p = Problem("t", "Value.", {}, expr, "expression", sol, 0)
    pdf = to_pdf(Document("T", (p,), show="key")).data
    spans: list[tuple[str, float]] = []
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    page.extract_text(visitor_text=lambda t, cm, tm, fd, fs: spans.append((t.strip(), fs)))
    return [s for s in spans if s[0]]


def test_pdf_subscript_stays_on_the_exponent() -> None:
    # e^{z_1}: the 1 is a subscript of the exponent z, set smaller than z (not e₁ᶻ)
    spans = _pdf_spans(sympy.exp(z1))
    sizes = {t: fs for t, fs in spans}
    assert sizes["𝑧"] > sizes["1"]


def test_pdf_hat_prime_minus() -> None:
    text = "".join(t for t, _ in _pdf_spans(yhat - sympy.Symbol("x'")))
    assert "𝑦" in text and "̂" in text and "−" in text and "′" in text


@pytest.mark.parametrize(
    "words,latex",
    [
        ("ŷ", r"$\hat{y}$"),
        ("y\u0302", r"$\hat{y}$"),
        ("θ\u0302", r"$\hat{\theta}$"),
        ("x\u0304", r"$\bar{x}$"),
        ("f′(x) −3", "f$'$(x) $-$3"),
    ],
)
def test_latex_words_never_print_question_marks(words: str, latex: str) -> None:
    from tutor.render.latex import escape

    assert escape(words) == latex


def test_latex_and_html_of_subscripted_exponent_and_hat() -> None:
    from tutor.render.document import html_math
    from tutor.render.latex import tex

    assert tex(sympy.exp(z1)) == "e^{z_{1}}"
    assert tex(yhat) == r"\hat{y}"
    html = html_math(sympy.exp(z1))
    assert re.search(r"<msup><mi>e</mi>(<mrow>)?<msub><mi>z</mi>(<mrow>)?<mn>1</mn>", html), html


def test_lab_code_is_a_monospace_block_keeping_its_indentation() -> None:
    import pypdf

    from tutor.render.document import Document, to_html, to_latex, to_pdf, to_typst
    from tutor.render.markdown import render_solution as markdown_solution

    p = tutor.generate("lab-descent", seed=0)
    loop = "for k in range(steps):\n    x = x - lr * grad_f(x)"
    doc = Document("Lab", (p,), show="solutions", figures=False)
    text = render_solution(p.solution, detail="standard")
    assert re.search(r"\n( +)for k in range\(steps\):\n\1    x = x - lr", text), text
    assert "```python\n    x = start\n    " + loop.replace("\n", "\n    ") in markdown_solution(
        p.solution
    )
    assert "```python\n  x = start\n  " + loop.replace("\n", "\n  ") in to_typst(doc).data.decode()
    assert "<pre><code>x = start\n" + loop in to_html(doc).data.decode()
    assert "\\begin{verbatim}\nx = start\n" + loop in to_latex(doc).data.decode()
    pdf = to_pdf(doc).data
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert loop in text
