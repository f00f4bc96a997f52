"""`tutor exam --versions`: papers that can be marked, and bad input for sheet/exam."""

from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner

from tutor.cli import main

# its module fixtures are costly: keep the module on one xdist worker (--dist loadgroup)
pytestmark = pytest.mark.xdist_group("exam")


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path_factory.mktemp("exam") / "exam.pdf"
    result = CliRunner().invoke(
        main, ["exam", "--versions", "2", "--seed", "7", "-q", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    pages = {}
    for label in "AB":
        for stem in (f"exam-{label}", f"exam-{label}-solutions"):
            data = (out.parent / f"{stem}.pdf").read_bytes()
            pages[stem] = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages]
    return pages


def test_exam_writes_paper_and_booklet(versions):
    """The paper has the marks and the candidate's box, the booklet the answers."""
    paper, booklet = "\n".join(versions["exam-A"]), "\n".join(versions["exam-A-solutions"])
    assert "Total: 100 marks" in paper and "[9 marks]" in paper and "Name:" in paper
    assert "Answer:" not in paper and "Answer:" in booklet


@pytest.mark.parametrize(
    "stem, label, seed",
    [
        ("exam-A", "A", 7),
        ("exam-B", "B", 8),
        ("exam-A-solutions", "A", 7),
        ("exam-B-solutions", "B", 8),
    ],
)
def test_version_and_seed_on_every_page(versions, stem, label, seed):
    for text in versions[stem]:
        assert f"Version {label}" in text and f"seed {seed}" in text


@pytest.mark.parametrize("stem", ["exam-A", "exam-B"])
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


@pytest.mark.parametrize("stem", ["exam-A", "exam-B"])
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

    assert len(versions["exam-A"]) == len(versions["exam-B"])
    assert starts("exam-A") == starts("exam-B")
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


# -- questions with parts: one answer box per part, sized by the part's marks -------------


def _parted(seed: int):
    import tutor
    from tutor.render.document import Document

    problems = [
        tutor.generate(t, seed=seed)
        for t in ("derivative-power", "limit-hole", "limit-trig", "chain-rule", "evaluate")
    ]
    return Document(
        "Parts",
        problems,
        kind="exam",
        seed=seed,
        marks=(3, 2, 6, 10, 4),
        questions=(1, 2, 2, 3, 3),
        version="A",
    )


def test_each_part_has_its_own_box_sized_by_its_marks():
    from tutor.render.document import _exam_box_cm, to_typst

    typ = to_typst(_parted(3)).data.decode()
    boxes = re.findall(
        r"height: ([\d.]+)cm\)\[#text\(size: 8pt[^\]]*\[Working for problem ([^\]]+)\]", typ
    )
    assert boxes == [
        (f"{_exam_box_cm(m):.1f}", name)
        for m, name in zip((3, 2, 6, 10, 4), ("1", "2(a)", "2(b)", "3(a)", "3(b)"))
    ]
    # each part a real heading under its question's heading, with the part's marks
    assert (
        "#heading(level: 2, outlined: false)[Problem 2. #h(1fr) #text(fill: luma(80))[\\[8 marks\\]]]"
        in typ
    )
    assert (
        "#heading(level: 3, outlined: false)[(b) #h(1fr) #text(fill: luma(80))[\\[6 marks\\]]]"
        in typ
    )


def test_parts_are_spread_over_pages_by_marks_alone():
    pypdf = pytest.importorskip("pypdf")
    from tutor.render.document import _exam_pages, to_pdf

    a, b = _parted(3), _parted(4)
    assert _exam_pages(a, [4, 5]) == _exam_pages(b, [4, 5]) == [[4], [5]]  # 15 + 6 cm of boxes
    assert _exam_pages(a, [2, 3]) == [[2, 3]]
    texts = {
        d.seed: [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(to_pdf(d).data)).pages]
        for d in (a, b)
    }
    assert len(texts[3]) == len(texts[4]) == 1 + 1 + 1 + 2
    for pages in texts.values():
        assert "Working for problem 2(a)" in pages[2] and "Working for problem 2(b)" in pages[2]
        assert "Problem 3 (continued)." in pages[4] and "Working for problem 3(b)" in pages[4]
        for row in ("2(a)", "2(b)", "3(a)", "3(b)"):
            assert row in pages[0]  # the marks grid has a row per part


def test_the_shipped_exam_has_questions_with_parts(versions):
    from tutor.generate.sheets import load_sheet

    sheet = load_sheet("exam")
    qs = sheet.questions()
    assert len(qs) == len(sheet.marks()) and len(set(qs)) < len(qs)
    for stem in ("exam-A", "exam-B"):
        page = next(t for t in versions[stem] if "Working for problem 4(a)" in t)
        assert "(a)" in page and "(b)" in page and "Working for problem 4(b)" in page


@pytest.mark.parametrize(
    "items, needle",
    [
        ('{ parts = [{ topic = "evaluate", marks = 2 }] }', "2 to 6 problems"),
        ('{ parts = [{ topic = "evaluate", count = 2 }, { topic = "domain" }] }', "count 1"),
        ('{ parts = [{ topic = "evaluate" }, { topic = "domain" }], marks = 3 }', "only parts"),
    ],
)
def test_bad_parts_are_named(tmp_path, items, needle):
    from tutor.generate.sheets import SheetError, load_sheet

    f = tmp_path / "e.toml"
    f.write_text(f'title = "E"\n[exam]\nitems = [{items}]\n')
    with pytest.raises(SheetError, match=needle):
        load_sheet(str(f))


# -- output checked first; families that run out of distinct problems ----------------------


@pytest.mark.parametrize("command", ["sheet", "exam"])
def test_output_is_checked_before_the_seed_is_drawn(tmp_path, command):
    (tmp_path / "taken.pdf").mkdir()
    for target in ("nonexistent/x.pdf", "taken.pdf", "x.docx"):
        result = CliRunner().invoke(main, [command, "-o", str(tmp_path / target)])
        assert result.exit_code == 2, result.output
        assert "seed" not in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.pdf"]  # nothing written


def test_a_sheet_never_repeats_a_problem(tmp_path):
    sheet = tmp_path / "tiny.toml"
    sheet.write_text(
        'title = "Tiny"\n[practice]\nitems = [{ template = "t", count = 5 }]\n'
        '[[templates]]\nid = "t"\ntask = "differentiate"\nf = "a*x^2"\n'
        'prompt = "Differentiate {f}."\n[templates.params]\na = { choices = [2, 3] }\n'
    )
    result = CliRunner().invoke(
        main, ["sheet", str(sheet), "--seed", "1", "-o", str(tmp_path / "t.md")]
    )
    assert result.exit_code == 2
    assert "t (difficulty 1) ran out of distinct problems: it gave 2" in result.output
    assert "ask for at most 2" in result.output and not (tmp_path / "t.md").exists()


@pytest.mark.parametrize(
    "args, needle",
    [
        (["quiz", "--topic", "chain-rul"], "did you mean chain-rule?"),
        (["quiz", "--lecture", "99"], "lectures with topics: 1-18, 20"),
        (["sheet", "--topic", "nope", "-o", "{d}/x.pdf"], "the topics are: evaluate, residuals"),
        (
            ["sheet", "--lecture", "5", "--lab", "-o", "{d}/x.pdf"],
            "lectures with a [lab] sheet: 17, 18",
        ),
        (["export", "moodle", "--topic", "nope", "-o", "{d}/x.xml"], "the topics are: evaluate"),
        (
            ["export", "qti", "--lecture", "19", "-o", "{d}/x.zip"],
            "lectures with a practice sheet: 1-18, 20",
        ),
    ],
)
def test_unknown_lecture_or_topic_names_the_choices(tmp_path, args, needle):
    result = CliRunner().invoke(main, [a.format(d=tmp_path) for a in args], input="q\n")
    assert result.exit_code == 2, result.output
    assert needle in result.output and "Traceback" not in result.output
