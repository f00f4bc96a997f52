"""`tutor sheet` and `tutor exam` end to end, and every generated problem's picture."""

from __future__ import annotations

import io
import warnings

import pytest
from click.testing import CliRunner

import tutor
from tutor.cli import main
from tutor.plot import render


@pytest.mark.parametrize("topic", tutor.topics())
def test_every_topic_picture_renders(topic):
    """The figure a generated problem carries draws cleanly at every difficulty."""
    for difficulty in (1, 2, 3):
        p = tutor.generate(topic, seed=11, difficulty=difficulty)
        if p.figure:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                spec = {k: v for k, v in p.figure.items() if k != "question"}
                assert render(spec, fmt="svg").startswith(b"<?xml")


def _pdf_text(data: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_readme_main_job(tmp_path):
    """The README's command: lecture 05's practice sheet with worked solutions, as PDF."""
    out = tmp_path / "sheet.pdf"
    result = CliRunner().invoke(main, ["sheet", "--solutions", "--seed", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = _pdf_text(out.read_bytes())
    assert "Computing derivatives without fear" in text and "worked solutions" in text
    assert "Problem 12" in text and "Answer" in text and "Power rule" in text


def test_same_seed_same_bytes_and_students_copy_has_no_answers(tmp_path):
    a, b, s = tmp_path / "a.html", tmp_path / "b.html", tmp_path / "s.html"
    for path in (a, b):
        CliRunner().invoke(
            main, ["sheet", "--lecture", "4", "--key", "--seed", "3", "-q", "-o", str(path)]
        )
    assert a.read_bytes() == b.read_bytes()
    CliRunner().invoke(main, ["sheet", "--lecture", "4", "--seed", "3", "-q", "-o", str(s)])
    assert "Answer:" in a.read_text() and "Answer:" not in s.read_text()


@pytest.mark.parametrize("fmt", ["md", "tex", "html"])
def test_topic_drill_in_each_format(tmp_path, fmt):
    out = tmp_path / f"drill.{fmt}"
    result = CliRunner().invoke(
        main,
        [
            "sheet",
            "--topic",
            "chain-rule",
            "--count",
            "2",
            "--seed",
            "5",
            "--solutions",
            "-q",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Problem 2" in out.read_text()


def test_lab_and_checklist_sheets(tmp_path):
    lab = tmp_path / "lab.md"
    assert (
        CliRunner()
        .invoke(main, ["sheet", "--lecture", "17", "--lab", "--seed", "1", "-q", "-o", str(lab)])
        .exit_code
        == 0
    )
    assert "Lab" in lab.read_text()
    review = tmp_path / "review.md"
    assert (
        CliRunner().invoke(main, ["sheet", "--lecture", "19", "-q", "-o", str(review)]).exit_code
        == 0
    )
    assert "- [ ] " in review.read_text()


def test_bad_definition_file_is_named_with_its_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "x"\n[practice]\nitems = [ { topic = "no-such-topic" } ]\n')
    result = CliRunner().invoke(main, ["sheet", str(bad), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert "bad.toml:3" in result.output and "no-such-topic" in result.output


def test_progress_is_reported_once_per_problem():
    from tutor.generate.sheets import build_sheet, load_sheet

    ticks: list[int] = []
    sheet = load_sheet("05")
    problems = build_sheet(sheet, seed=1, progress=lambda: ticks.append(1))
    assert len(ticks) == len(problems) == sum(it.count for it in sheet.items)
