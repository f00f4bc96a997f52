"""`tutor exam --versions`: papers that can be marked, and bad input for sheet/exam."""

from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner

from tutor.cli import main


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path_factory.mktemp("exam") / "exam.pdf"
    result = CliRunner().invoke(
        main, ["exam", "--versions", "3", "--seed", "7", "-q", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    pages = {}
    for label in "ABC":
        for stem in (f"exam-{label}", f"exam-{label}-solutions"):
            data = (out.parent / f"{stem}.pdf").read_bytes()
            pages[stem] = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages]
    return pages


@pytest.mark.parametrize(
    "stem, label, seed",
    [
        ("exam-A", "A", 7),
        ("exam-B", "B", 8),
        ("exam-C", "C", 9),
        ("exam-A-solutions", "A", 7),
        ("exam-C-solutions", "C", 9),
    ],
)
def test_version_and_seed_on_every_page(versions, stem, label, seed):
    for text in versions[stem]:
        assert f"Version {label}" in text and f"seed {seed}" in text


@pytest.mark.parametrize("stem", ["exam-A", "exam-B", "exam-C"])
def test_cover_has_candidate_box_and_marks_grid(versions, stem):
    cover = versions[stem][0]
    for needle in (
        "Candidate",
        "Name:",
        "Student ID:",
        "Marks (for the examiner)",
        "Awarded",
        "Total",
    ):
        assert needle in cover


@pytest.mark.parametrize("stem", ["exam-A", "exam-B", "exam-C"])
def test_one_answer_box_per_question_on_its_own_page(versions, stem):
    pages = versions[stem]
    n = len(pages) - 1
    for q in range(1, n + 1):
        assert f"Problem {q}." in pages[q] and f"Working for problem {q}" in pages[q]


def test_every_version_has_the_same_layout(versions):
    def starts(stem):
        return [
            (i, m.group(1))
            for i, t in enumerate(versions[stem])
            for m in re.finditer(r"Problem (\d+)\.", t)
        ]

    assert len(versions["exam-A"]) == len(versions["exam-B"]) == len(versions["exam-C"])
    assert starts("exam-A") == starts("exam-B") == starts("exam-C")
    assert versions["exam-A"][1] != versions["exam-B"][1]  # different problems, same place


def test_box_height_follows_marks_not_solution():
    from tutor.render.document import _exam_box_cm

    assert [_exam_box_cm(m) for m in (1, 4, 9, 100)] == [3.0, 6.0, 13.5, 16.0]


@pytest.mark.parametrize(
    "args, needle",
    [
        (["sheet", "-o", "{d}/x.docx"], ".pdf"),
        (["exam", "-o", "{d}/x.docx"], ".pdf"),
        (["sheet", "-o", "{d}/x"], "no extension"),
        (["sheet", "--format", "html", "-o", "{d}/x.pdf"], "does not match"),
        (["sheet", "-o", "{d}/nonexistent/x.pdf"], "does not exist"),
        (["exam", "-o", "{d}/nonexistent/x.pdf"], "does not exist"),
        (["sheet", "--topic", "no-such-topic", "-o", "{d}/x.pdf"], "unknown topic"),
        (["sheet", "--lecture", "99", "-o", "{d}/x.pdf"], "99"),
        (["exam", "--versions", "0", "-o", "{d}/x.pdf"], "versions"),
    ],
)
def test_bad_input_is_a_usage_error(tmp_path, args, needle):
    result = CliRunner().invoke(main, [a.format(d=tmp_path) for a in args] + ["--seed", "1", "-q"])
    assert result.exit_code == 2, result.output
    assert needle in result.output and "Traceback" not in result.output
    assert not (tmp_path / "nonexistent").exists()
