"""Accessible documents (issue 15, item 5): PDFs compiled as PDF/UA-1, with alternative
text on every equation and every figure, read from the expression and the drawing."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from tutor.render.document import Document, to_pdf, to_typst

# the module fixture is costly: one xdist worker for the module (--dist loadgroup)
pytestmark = [pytest.mark.filterwarnings("ignore"), pytest.mark.xdist_group("accessible")]


@pytest.fixture(scope="module")
def documents():
    import tutor

    problems = [
        tutor.generate(t, seed=5) for t in ("derivative-power", "critical-points", "descent-1d")
    ]
    sheet = Document("Accessible sheet", problems, show="solutions", seed=5)
    exam = Document(
        "Accessible exam", problems, kind="exam", show="problems", seed=5, marks=(3, 4, 5)
    )
    return [sheet, exam]


def _equations_without_alt(typ: str) -> list[str]:
    # every piece of maths is a math.equation(..., alt: "...", $...$); a bare $...$ is not
    bare = re.sub(
        r'math\.equation\(block: (?:true|false), alt: "(?:[^"\\]|\\.)*", \$.*?\$\)', "", typ
    )
    return re.findall(r"\$[^$\n]+\$", bare)


def test_every_equation_and_figure_has_alt_text(documents):
    for doc in documents:
        typ = (
            to_typst(doc).data.decode()
            if isinstance(to_typst(doc).data, bytes)
            else to_typst(doc).data
        )
        assert "math.equation(" in typ
        assert _equations_without_alt(typ) == []
        assert 'alt: ""' not in typ
        images = re.findall(r"image\([^)]*\)", typ)
        assert images or doc.kind == "exam", "the sheet should hold a figure"
        assert all('alt: "' in im and 'alt: ""' not in im for im in images), images


@pytest.mark.parametrize("which", [0, 1])
def test_the_pdf_is_tagged_as_pdf_ua_1(documents, which):
    pdf = pypdf.PdfReader(io.BytesIO(to_pdf(documents[which]).data))
    raw = pdf.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8", "replace")
    assert "pdfuaid:part" in raw and re.search(r"pdfuaid:part[^0-9]*1", raw)


def test_html_maths_and_figures_carry_alt_text(documents):
    from tutor.render.document import to_html

    page = to_html(documents[0]).data
    page = page.decode() if isinstance(page, bytes) else page
    maths = re.findall(r"<math\b[^>]*>", page)
    assert maths and all("alttext=" in m for m in maths), [m for m in maths if "alttext" not in m]
    assert 'alttext=""' not in page
    assert 'encoding="application/x-tex"' in page
    svgs = re.findall(r"<svg\b[^>]*>", page)
    assert svgs and all('role="img"' in s and "aria-labelledby=" in s for s in svgs)
    assert page.count("<desc id=") == len(svgs)
    assert '<html lang="en">' in page and "<h1" in page


def test_every_problem_is_a_heading(documents):
    from tutor.render.document import to_html

    for doc in documents:
        page = to_html(doc).data.decode()
        heads = re.findall(r"<h2>(?:<span[^>]*>[^<]*</span>)?Problem (\d+)\.</h2>", page)
        assert heads == [str(i) for i in range(1, len(doc.problems) + 1)]
        typ = to_typst(doc).data.decode()
        assert typ.count("#heading(level: 1") == 1
        assert len(re.findall(r"#heading\(level: 2, outlined: false\)\[Problem \d+\.", typ)) == 3


def test_a_picture_on_the_exam_paper_has_alt_text():
    from dataclasses import replace

    import tutor

    p = tutor.generate("critical-points", seed=5)
    assert p.figure
    pictured = replace(p, figure={**p.figure, "question": True})
    doc = Document("Exam", [pictured], kind="exam", seed=5, marks=(4,))
    typ = to_typst(doc).data.decode()
    alts = re.findall(r'image\("[^"]+", height: 5cm, alt: "((?:[^"\\]|\\.)*)"\)', typ)
    assert len(alts) == 1 and "axis" in alts[0], alts
    assert _equations_without_alt(typ) == []
    to_pdf(doc)  # PDF/UA-1 refuses a picture without alternative text
