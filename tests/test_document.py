"""Documents (sheets, keys, worked solutions, exams) in every format, from hand-made problems.

The generator's own sheets are tested in tests/test_sheet.py; here the layout rules:
students' versions never show answers, every format builds, output is byte-for-byte stable.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
import sympy as sp

from tutor.core import Problem, Solution, Step, Table, Task
from tutor.render.document import FORMATS, Document, render

x = sp.Symbol("x")


def _problem(f, seed: int, figure=None) -> Problem:
    df = sp.diff(f, x)
    sol = Solution(
        Task("derivative", {"expr": f, "wrt": x}, "Differentiate {expr}."),
        [
            Step(
                "sum_rule",
                f,
                df,
                "Differentiate term by term; the slope of {f} is {df}.",
                data={"f": f, "df": df},
            ),
            Step(
                "iteration_table",
                None,
                Table(["k", "x_k"], [[0, 1], [1, sp.Rational(3, 4)]]),
                "L'Hôpital * _x_ #1 $5",
            ),
        ],
        df,
    )
    return Problem(
        "derivatives",
        "Find the slope function of f(x) = {f}.",
        {"f": f},
        df,
        "expression",
        sol,
        seed=seed,
        figure=figure,
    )


PROBLEMS = (_problem(x**3 + 2 * x, 1), _problem(sp.exp(x) / (x + 1), 2))
SECRET = "UNIQUEANSWERMARK"


def _doc(show: str, kind: str = "practice") -> Document:
    return Document(
        "Lecture 05 practice",
        PROBLEMS,
        kind=kind,
        show=show,
        marks=(4, 6) if kind == "exam" else (),
        duration="2 hours",
        instructions="Show your working.",
        seed=7,
    )


def _pdf_text(data: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "typ"])
@pytest.mark.parametrize("show", ["problems", "key", "solutions"])
def test_every_format_builds_and_is_deterministic(fmt, show):
    doc = _doc(show, kind="exam" if show == "problems" else "practice")
    first = render(doc, fmt)
    assert render(doc, fmt).data == first.data
    assert first.data


def test_pdf_has_the_problems_and_only_the_students_part():
    student = _pdf_text(render(_doc("problems", "exam"), "pdf").data)
    assert "Problem 1" in student and "Problem 2" in student
    assert "Total: 10 marks" in student and "[4 marks]" in student and "Name:" in student
    assert "Answer" not in student and "Sum rule" not in student
    worked = _pdf_text(render(_doc("solutions"), "pdf").data)
    assert "Sum rule" in worked and "Answer" in worked and "worked solutions" in worked
    assert "L'Hôpital * _x_ #1 $5" in worked  # typst markup characters in prose stay literal
    key = _pdf_text(render(_doc("key"), "pdf").data)
    assert "Answer" in key and "Sum rule" not in key


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in {
            "meta",
            "br",
            "img",
            "path",
            "use",
            "rect",
            "line",
            "circle",
            "polyline",
            "stop",
            "mspace",
        }:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()


def test_html_is_self_contained_with_mathml():
    page = render(_doc("solutions"), "html").data.decode()
    parser = _Checker()
    parser.feed(page)
    assert "math" in parser.tags and "ol" in parser.tags and "table" in parser.tags
    assert "http://" not in page.replace("http://www.w3.org", "")  # nothing fetched at view time
    assert "L&#x27;Hôpital * _x_ #1 $5" in page or "L'Hôpital * _x_ #1 $5" in page


def test_markdown_and_latex_shape():
    md = render(_doc("solutions"), "md").data.decode()
    assert md.startswith("# Lecture 05 practice — worked solutions")
    assert "## Problem 2" in md and "$" in md
    tex = render(_doc("key"), "tex").data.decode()
    assert tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
    assert r"\textbf{Answer:}" in tex


@pytest.mark.skipif(
    shutil.which("pdflatex") is None, reason="no pdflatex on this machine: the .tex is not compiled"
)
def test_latex_compiles(tmp_path):
    r = render(_doc("solutions"), "tex")
    (tmp_path / "sheet.tex").write_bytes(r.data)
    done = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "sheet.tex"],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout.decode(errors="replace")[-2000:]


def test_marks_must_match_problems():
    with pytest.raises(ValueError):
        Document("x", PROBLEMS, marks=(1,))
    with pytest.raises(ValueError):
        Document("x", PROBLEMS, show="everything")


def test_pictures_that_show_the_answer_stay_out_of_students_sheets():
    shows_answer = _problem(x**2, 3, figure={"kind": "derivative", "expr": x**2})
    part_of_question = _problem(
        x**3, 4, figure={"kind": "function", "expr": x**3, "question": True}
    )
    doc = Document("Pictures", (shows_answer, part_of_question))
    student = render(doc, "html").data.decode()
    assert student.count("<svg") == 1
    worked = render(
        Document("Pictures", (shows_answer, part_of_question), show="solutions"), "html"
    ).data.decode()
    assert worked.count("<svg") == 2


def test_checklist_sheets():
    doc = Document(
        "Project review", (), checklist=("The loss is written down.", "Features are scaled.")
    )
    for fmt in ("html", "md", "tex"):
        assert "Features are scaled." in render(doc, fmt).data.decode()
    assert "Features are scaled." in _pdf_text(render(doc, "pdf").data)


# -- what a teacher checks on the printed page ------------------------------------------------


def _notation_problem(seed: int) -> Problem:
    """A problem whose words carry board notation (x_0, η_max, f′) and a long display line."""
    long = sum(sp.Symbol(f"w{i}") * x**i for i in range(1, 25))
    sol = Solution(
        Task("gradient_descent", {"f": x**2}, "Start at x_0 and find η_max for {f}."),
        [
            Step(
                "update_rule",
                long,
                sp.diff(long, x),
                "Step from x_k to x_(k+1); f′ is the slope & it shrinks.",
                data={"show": [{"value": long, "gradient": sp.diff(long, x), "verdict": "ok"}]},
            ),
            Step(
                "iteration_table",
                None,
                Table(["k", "x_k"], [[0, 1], [1, sp.Rational(1, 2)]], caption="Iterates x_k."),
                "Read the table.",
            ),
        ],
        sp.Rational(1, 2),
    )
    return Problem(
        "descent",
        "Start at x_0 = 1 on f(x) = {f}. What is η_max, and what is a_(k−1)?",
        {"f": x**2},
        sp.Rational(1, 2),
        "expression",
        sol,
        seed=seed,
    )


@pytest.mark.parametrize(
    ("words", "shown"),
    [
        ("Start at x_0 = 1.", "Start at x[0] = 1."),
        ("Find η_max.", "Find η[max]."),
        ("a_k = σ(w_k a_(k−1))", "a[k] = σ(w[k] a[k−1])"),
        ("Find ∂a_5/∂a_0 and ∂L/∂ŷ_1.", "Find ∂a[5]/∂a[0] and ∂L/∂ŷ[1]."),
        ("Evaluate lim_(x→0) of it", "Evaluate lim[x→0] of it"),
        ("learning_rate and snake_case_words stay", "learning_rate and snake_case_words stay"),
        ("f(x_0) then x_k(", "f(x[0]) then x_k("),
    ],
)
def test_board_subscripts_in_words(words, shown):
    from tutor.render.base import subscripts

    assert subscripts(words, str, lambda base, index: f"{base}[{index}]") == shown


@pytest.mark.parametrize(
    ("words", "shown"),
    [
        ("w = Σxy/Σx^2", "w = Σxy/Σx^{2}"),
        ("D = 4(nΣx^2 - (Σx)^2)", "D = 4(nΣx^{2} - (Σx)^{2})"),
        ("d^2L/dw^2", "d^{2}L/dw^{2}"),
        ("e^(-x) and a caret ^ alone", "e^{-x} and a caret ^ alone"),
        ("D = f_xx f_yy - f_xy^2", "D = f[xx] f[yy] - f[xy]^{2}"),
    ],
)
def test_board_powers_in_words(words, shown):
    from tutor.render.base import subscripts

    assert subscripts(words, str, lambda b, i: f"{b}[{i}]", lambda p: f"^{{{p}}}") == shown


def test_no_raw_subscripts_or_markup_in_any_format():
    doc = Document("Notation", (_notation_problem(1),), show="solutions")
    page = render(doc, "html").data.decode()
    assert "x<sub>0</sub>" in page and "η<sub>max</sub>" in page and "a<sub>k−1</sub>" in page
    assert "x<sub>k</sub></th>" in page and "Iterates x<sub>k</sub>." in page
    typ = render(doc, "typ").data.decode()
    assert "x#sub[0];" in typ and "η#sub[max];" in typ and "x_0" not in typ
    md = render(doc, "md").data.decode()
    assert "x<sub>0</sub>" in md and "x\\_0" not in md
    tex = render(doc, "tex").data.decode()
    assert r"x\textsubscript{0}" in tex and r"\eta$\textsubscript{max}" in tex
    text = _pdf_text(render(doc, "pdf").data)
    assert "x_0" not in text and "η_max" not in text and "a_(k" not in text


def test_typst_keeps_a_problem_heading_with_what_follows():
    typ = render(_doc("problems", "exam"), "typ").data.decode()
    # heading, prompt and working space in one block that never breaks across pages
    assert typ.count("breakable: false, sticky: false") == len(PROBLEMS)
    worked = render(_doc("solutions"), "typ").data.decode()
    assert worked.count("breakable: false, sticky: true") == len(PROBLEMS)
    assert '#set enum(numbering: "1.a.i.")' in worked  # sub-steps read 2a, 2b


def test_no_problem_heading_alone_at_the_foot_of_a_pdf_page():
    pypdf = pytest.importorskip("pypdf")
    problems = tuple(_problem(x**k + k * x, k) for k in range(2, 10))
    # this much instruction put problem 5's heading on page 1's last lines before headings
    # and prompts were kept with their solutions
    doc = Document("Many", problems, show="solutions", instructions="Show your working. " * 8)
    pages = pypdf.PdfReader(io.BytesIO(render(doc, "pdf").data)).pages
    assert len(pages) > 1
    for page in pages[:-1]:
        lines = [line for line in page.extract_text().splitlines() if line.strip()][:-1]
        assert not any(line.startswith("Problem ") for line in lines[-2:]), lines[-3:]


def test_typst_long_display_lines_fit_the_page():
    typ = render(Document("Long", (_notation_problem(2),), show="solutions"), "typ").data.decode()
    assert "#let fit(" in typ and "#fit(math.equation(" in typ
    # a table's caption is centred with its table, not run on into the step's words
    assert "stack(spacing: 4pt, text(size: 0.9em)[Iterates x#sub[k];.]" in typ


def test_html_display_lines_are_one_formula_that_wraps_at_the_arrow():
    from tutor.render.base import Arrow
    from tutor.render.document import html_math

    page = render(_doc("solutions"), "html").data.decode()
    # d/dx[f] = f' is one block formula, never a formula, an arrow and a formula stacked
    assert '<div class="display"><math' in page
    limit = sp.Limit(sp.sin(x) / x, x, 0)
    assert "<munder><mo>lim</mo>" in html_math(limit, True)
    arrow = html_math(Arrow(x**2, 2 * x), True)
    assert arrow.count("<math") == 1 and "<mo>&#x027F6;</mo>" in arrow
    long = render(Document("Long", (_notation_problem(3),), show="solutions"), "html").data
    assert b'<div class="display wrap">' in long and b"value:" in long


@pytest.mark.parametrize(
    ("value", "inside"),
    [
        (("∞", "a & b {c}"), "<mtext>a&#x000A0;&amp;&#x000A0;b&#x000A0;(c)</mtext>"),
        ({"lower": -sp.oo}, "<mtext>lower:</mtext>"),
    ],
)
def test_html_words_inside_maths_are_words(value, inside):
    from tutor.render.document import html_math

    markup = html_math(value)
    shown = re.sub(r"<annotation\b.*?</annotation>", "", markup)  # the TeX kept for readers
    assert inside in shown and "$" not in shown and "\\text" not in shown


def test_html_brackets_hug_short_content_and_stretch_round_fractions():
    from tutor.render.document import html_math

    markup = html_math(sp.log(3) / 3 + sp.sin(x / (x + 1)))
    assert markup.count('stretchy="false" fence="true"') == 2  # ln(3)
    assert markup.count('stretchy="true" fence="true"') == 2  # sin(x/(x+1))


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("f′(x)", "f$'$(x)"),
        ("x₀ and xᵏ", "x$_{0}$ and x$^{k}$"),
        ("ϕ ≪ 1", r"$\phi$ $\ll$ 1"),
        ("中", "?"),
        ("— “quoted” café", "— “quoted” café"),
    ],
)
def test_latex_escape_never_leaves_a_character_pdflatex_cannot_set(text, shown):
    from tutor.render.latex import escape

    assert escape(text) == shown


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no pdflatex on this machine")
def test_latex_with_board_notation_compiles(tmp_path):
    r = render(Document("Notation", (_notation_problem(4),), show="solutions"), "tex")
    (tmp_path / "sheet.tex").write_bytes(r.data)
    done = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "sheet.tex"],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout.decode(errors="replace")[-2000:]


def test_typst_figures_are_named_after_their_document():
    """An exam, its booklet and its versions written into one folder keep their own
    figures: the files are named after the document (exam-A-figure-1.svg)."""
    fig = {"kind": "function", "expr": x**3, "question": True}
    probs = (_problem(x**3, 4, figure=fig), _problem(x**2, 5, figure=fig))
    names = set()
    for stem, show in (
        ("exam-A", "problems"),
        ("exam-A-solutions", "solutions"),
        ("exam-B", "problems"),
    ):
        doc = Document("Exam", probs, kind="exam", show=show, marks=(4, 6), seed=7)
        out = render(doc, "typ", stem=stem)
        assert out.files and all(n.startswith(f"{stem}-figure-") for n in out.files)
        assert all(f'image("{n}"' in out.data.decode() for n in out.files)
        assert not names & set(out.files)
        names |= set(out.files)
