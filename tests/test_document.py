"""Documents (sheets, keys, worked solutions, exams) in every format, from hand-made problems.

The generator's own sheets are tested in tests/test_sheet.py; here the layout rules:
students' versions never show answers, every format builds, output is byte-for-byte stable.
"""

from __future__ import annotations

import io
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
