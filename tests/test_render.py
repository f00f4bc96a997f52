"""Renderers of worked solutions: text, Markdown, LaTeX, and the one-line maths printer."""

from __future__ import annotations

import json

import pytest
import sympy as sp

from tutor.core import DNE, Solution, Step, Table, Task
from tutor.functions import sigmoid
from tutor.render import latex, markdown, text
from tutor.render.base import rule_title
from tutor.render.mathtext import math_text

x, y, w_0 = sp.symbols("x y w_0")

MATH_TEXT = [
    (3 * x**2 + 1, "3x² + 1", "3x^2 + 1"),
    (x**2 * sp.sin(3 * x), "x²·sin(3x)", "x^2*sin(3x)"),
    (sp.exp(2 * x), "e^(2x)", "e^(2x)"),
    (sp.exp(x), "e^x", "e^x"),
    (sp.exp(-(x**2)), "e^(−x²)", "e^(-x^2)"),
    ((x + 1) / (x - 1), "(x + 1)/(x − 1)", "(x + 1)/(x - 1)"),
    (x / (2 * y), "x/(2y)", "x/(2y)"),
    (-(x**2), "−x²", "-x^2"),
    (sp.sqrt(x), "√x", "sqrt(x)"),
    (sp.sqrt(x + 1), "√(x + 1)", "sqrt(x + 1)"),
    (1 / sp.sqrt(x), "1/√x", "1/sqrt(x)"),
    (x ** sp.Rational(1, 3), "x^(1/3)", "x^(1/3)"),
    (3 / x**2, "3/x²", "3/x^2"),
    ((x + 1) ** -2, "1/(x + 1)²", "1/(x + 1)^2"),
    (sp.log(x), "ln(x)", "ln(x)"),
    (sp.Abs(x - 1), "|x − 1|", "|x - 1|"),
    (sigmoid(w_0 * x), "σ(w₀·x)", "sigmoid(w_0*x)"),
    (sp.Eq(y, 3 * x - 2), "y = 3x − 2", "y = 3x - 2"),
    (sp.Le(x**2, 2 * x), "x² ≤ 2x", "x^2 <= 2x"),
    (sp.Interval.Ropen(1, 2), "[1, 2)", "[1, 2)"),
    (
        sp.Interval.open(-sp.oo, 0) | sp.Interval.open(2, sp.oo),
        "(−∞, 0) ∪ (2, ∞)",
        "(-oo, 0) U (2, oo)",
    ),
    (sp.FiniteSet(1, -1), "{−1, 1}", "{-1, 1}"),
    ((2 * x + 1) ** 3, "(2x + 1)³", "(2x + 1)^3"),
    (sp.pi / 4, "π/4", "pi/4"),
    (sp.Rational(-1, 2), "−1/2", "-1/2"),
    ((sp.Rational(1, 2)) ** x, "(1/2)^x", "(1/2)^x"),
    ((-2) ** x, "(−2)^x", "(-2)^x"),
    (DNE, "does not exist", "DNE"),
    ((1, sp.Rational(1, 2)), "(1, 1/2)", "(1, 1/2)"),
]


@pytest.mark.parametrize(("expr", "uni", "asc"), MATH_TEXT)
def test_math_text(expr, uni, asc):
    assert math_text(expr) == uni
    assert math_text(expr, ascii=True) == asc


@pytest.mark.parametrize(
    ("expr", "uni", "asc"), [r for r in MATH_TEXT if isinstance(r[0], sp.Expr)]
)
def test_math_text_reads_back(expr, uni, asc):
    """What the text printer writes, the parser reads back as the same expression."""
    parse = pytest.importorskip("tutor.parse").parse
    for written in (uni, asc):
        assert sp.simplify(parse(written) - expr) == 0, written


def _solution() -> Solution:
    f = x**2 * sp.sin(3 * x)
    df = sp.diff(f, x)
    return Solution(
        Task("derivative", {"expr": f, "wrt": x}, "Differentiate {expr} with respect to {wrt}."),
        [
            Step(
                "product_rule",
                f,
                df,
                "A product of {u} and {v}: differentiate each factor in turn.",
                substeps=[
                    Step("power_rule", x**2, 2 * x, "Bring the exponent down."),
                    Step(
                        "chain_rule",
                        sp.sin(3 * x),
                        3 * sp.cos(3 * x),
                        "Let u = {u}.",
                        data={"u": 3 * x},
                    ),
                ],
                data={"u": x**2, "v": sp.sin(3 * x)},
            ),
            Step(
                "iteration_table",
                None,
                Table(["k", "x_k"], [[0, 1], [1, sp.Rational(3, 4)]]),
                "Downhill.",
            ),
            Step("lhopital", x, 1, "Literal {{braces}} and an {unknown} key stay as written."),
        ],
        df,
    )


def test_text_solution_reads_like_a_board():
    out = text.render_solution(_solution())
    assert out.splitlines()[0] == "Differentiate x²·sin(3x) with respect to x."
    assert "1. Product rule" in out and "1.1. Power rule" in out and "1.2. Chain rule" in out
    assert "d/dx [x²·sin(3x)] = 3x²·cos(3x) + 2x·sin(3x)" in out
    assert "Let u = 3x." in out
    assert "3. L'Hôpital's rule" in out
    assert "Literal {braces} and an {unknown} key" in out
    assert out.rstrip().endswith("Answer: 3x²·cos(3x) + 2x·sin(3x)")
    assert "3/4" in out and "─┼─" in out
    ascii_out = text.render_solution(_solution(), ascii=True)
    assert ascii_out.isascii() or "Hôpital" in ascii_out


def test_markdown_and_latex():
    md = markdown.render_solution(_solution())
    assert "**Product rule.**" in md and r"\left[ x^{2} \sin{\left(3 x \right)} \right]" in md
    assert "| $0$ | $1$ |" in md
    tex = latex.render_solution(_solution())
    assert tex.count(r"\begin{enumerate}") == tex.count(r"\end{enumerate}") == 2
    assert r"x\textsubscript{k}" in tex and r"\textbf{Answer:}" in tex


def test_solution_serialises_and_displays():
    sol = _solution()
    data = json.loads(json.dumps(sol.to_dict()))
    assert data["steps"][0]["explanation"].startswith("A product of x^2 and sin(3x)")
    assert data["steps"][1]["after"]["rows"] == [[0, 1], [1, "3/4"]]
    assert sol._repr_markdown_() == markdown.render_solution(sol)
    assert str(sol) == text.render_solution(sol)


@pytest.mark.parametrize(
    ("rule", "title"),
    [
        ("power_rule", "Power rule"),
        ("cas", "Computed by the computer algebra system"),
        ("factor_and_cancel", "Factor and cancel"),
    ],
)
def test_rule_titles(rule, title):
    assert rule_title(rule) == title


def test_latex_escape_sets_unicode_maths_for_pdflatex():
    from tutor.render.latex import escape

    assert (
        escape("x ← x − η∇f, 50% of σ(z)²")
        == r"x $\leftarrow$ x $-$ $\eta \nabla$f, 50\% of $\sigma$(z)$^{2}$"
    )


@pytest.mark.parametrize(
    ("expr", "shown"),
    [
        (1 / x, "1/x"),
        (1 / (x + 1), "1/(x + 1)"),
        (
            sp.Mul(x, sp.Pow(sp.Mul(x, sp.sqrt(x) + 1, evaluate=False), -1), evaluate=False),
            "x/(x·(√x + 1))",
        ),
        (sp.Limit(1 / x, x, sp.oo), "lim(x→∞) 1/x"),
        (sp.Limit(1 / x, x, 0, "+"), "lim(x→0⁺) 1/x"),
        (sp.Limit(x + 1, x, 1, "+-"), "lim(x→1) (x + 1)"),  # the limit of the whole sum
    ],
)
def test_math_text_brackets_and_limits(expr, shown):
    """Rows from the limits engine's report: no x¹, bracketed products below a bar."""
    assert math_text(expr) == shown


@pytest.mark.parametrize(
    ("value", "uni", "asc"),
    [
        (sp.Pow(sp.Rational(1, 4), 4, evaluate=False), "(1/4)⁴", "(1/4)^4"),
        (2.68e-11, "2.68·10⁻¹¹", "2.68e-11"),
        (-0.5, "−0.5", "-0.5"),
        ({"logit_gradient": [1, 2]}, "logit gradient: 1, 2", "logit gradient: 1, 2"),
    ],
)
def test_math_text_numbers_and_answers(value, uni, asc):
    assert math_text(value) == uni
    assert math_text(value, ascii=True) == asc


def test_latex_lists_nest_at_most_four_deep():
    rules = ["setup", "case_split", "sign_chart", "read_trace", "run"]  # declared ids
    deep = Step(rules[4], x, 1)
    for i in range(3, -1, -1):
        deep = Step(rules[i], x, 1, substeps=[deep])
    out = latex.render_solution(Solution(Task("t"), [deep], 1))
    assert out.count(r"\begin{enumerate}") == 3 and r"\par\noindent \textbf{Read the trace.}" in out


def test_as_sympy_never_reads_text():
    from tutor.core import as_sympy

    assert as_sympy(2) == 2 and as_sympy((1, x)) == sp.Tuple(1, x) and as_sympy([1, 2]) == [1, 2]
    with pytest.raises(TypeError):
        as_sympy("__import__('os').system('true')")


def test_notebook_displays():
    problem_md = _problem_with_figure()._repr_markdown_()
    assert "data:image/svg+xml;base64," in problem_md and "<details>" in problem_md
    assert _solution()._repr_latex_().startswith(r"$\displaystyle 3 x^{2}")


def _problem_with_figure():
    from tutor.core import Problem

    sol = _solution()
    return Problem("t", "Differentiate {f}.", {"f": x**2}, sol.answer, "expression", sol, 1,
                   figure={"kind": "derivative", "expr": x**2})  # fmt: skip


@pytest.mark.parametrize("topic", ["limit-asymptote", "limit-infinity", "least-squares", "residuals",
                                   "fix-learning-rate", "limit-lhopital", "critical-points"])  # fmt: skip
def test_ascii_means_ascii_in_prose_tables_and_hints(topic):
    import tutor
    from tutor.quiz import hint_steps

    for level in (1, 3):
        p = tutor.generate(topic, seed=4, difficulty=level)
        shown = text.render_prompt(p, ascii=True) + text.render_solution(p.solution, ascii=True)
        shown += "".join(text.render_hint(s, ascii=True) for s in hint_steps(p))
        assert shown.isascii(), sorted({c for c in shown if not c.isascii()})
    table = Table(["x", "ŷ − y"], [["Σ", sp.Rational(-1, 2)]])
    lines = text.render_table(table, ascii=True).splitlines()
    assert lines[0].startswith("x   | y_hat - y") and lines[2].startswith("sum | -1/2")


# ---------------------------------------------------------------- printers: a teacher's habits
def test_a_number_before_a_function_name_is_spaced_and_brackets_are_not_doubled() -> None:
    from sympy import Mul, Pow

    from tutor.render.latex import tex
    from tutor.render.mathtext import math_text

    x = sp.Symbol("x")
    assert math_text(-3 * sp.atan(9 * x + 5) ** 3) == "−3 arctan(9x + 5)³"
    assert math_text(12 * sp.sin(3 * x) ** 2) == "12 sin(3x)²"
    assert math_text(3 * x) == "3x"
    # a root's exponent or a bracketed quotient below the line is bracketed once
    assert math_text((sp.sqrt(x) - 1) / (sp.cbrt(x) - 1)) == "(√x − 1)/(x^(1/3) − 1)"
    quotient = Mul(sp.log(1 - 2 / x), Pow(Mul(-2, 1 / x), -1, evaluate=False), evaluate=False)
    assert math_text(quotient) == "ln(1 − 2/x)/(−2/x)"
    assert tex(quotient) == r"\frac{\ln{\left(1 - \frac{2}{x} \right)}}{- \frac{2}{x}}"
    assert r"\arctan" in tex(sp.atan(x)) and "operatorname" not in tex(sp.atan(x))
