"""The curriculum files in problems/: every file loads and builds; broken files get
errors that name the file, the line and the problem."""

from __future__ import annotations

import textwrap

import pytest

from tutor.generate import topic_info
from tutor.generate.builders import fill
from tutor.generate.sheets import SheetError, build_sheet, load_sheet, problems_dir, sheet_files

FILES = [p.name for p in sheet_files()]


def test_one_file_per_lecture_and_an_exam():
    lectures = {int(n[:2]) for n in FILES if n[:2].isdigit()}
    assert lectures == set(range(1, 21))
    assert "exam.toml" in FILES


def test_files_ship_inside_the_package():
    assert (problems_dir() / "exam.toml").is_file()


@pytest.mark.parametrize("name", FILES)
def test_every_file_loads(name):
    sheet = load_sheet(name)
    assert sheet.title and sheet.kind in ("practice", "exam", "checklist")
    if sheet.kind == "checklist":
        assert sheet.checklist
    else:
        assert sheet.items and sheet.instructions


@pytest.mark.parametrize("name", ["17", "18"])
def test_lab_sheets(name):
    assert load_sheet(name, "lab").kind == "lab"


def test_every_lecture_topic_appears_on_its_sheet():
    for info in topic_info():
        if info["lecture"] in (17, 18):
            kinds = ("practice", "lab")
        else:
            kinds = ("practice",)
        topics = {it.topic for k in kinds for it in load_sheet(f"{info['lecture']:02d}", k).items}
        assert info["id"] in topics, info["id"]


def test_exam_is_two_hours_and_100_marks():
    exam = load_sheet("exam")
    assert exam.kind == "exam" and exam.duration == 120 and exam.total_marks == 100
    assert len({it.topic for it in exam.items}) >= 15


@pytest.mark.parametrize("name", ["05", "04", "exam"])
def test_build_sheet_is_deterministic_and_has_no_duplicates(name):
    sheet = load_sheet(name)
    a, b = build_sheet(sheet, seed=11), build_sheet(sheet, seed=11)
    assert [p.to_dict() for p in a] == [p.to_dict() for p in b]
    texts = [fill(p.prompt, dict(p.given)) for p in a]
    assert len(set(texts)) == len(texts) == sum(it.count for it in sheet.items)
    assert len(sheet.marks()) == len(a)


def test_template_problems_are_right():
    import sympy

    x = sympy.Symbol("x")
    sheet = load_sheet("05")
    probs = [p for p in build_sheet(sheet, seed=5) if p.template == "power-plus-sine"]
    assert len(probs) == 2
    for p in probs:
        assert sympy.simplify(p.answer - sympy.diff(p.given["f"], x)) == 0
        assert p.given["f"].has(sympy.sin)


def _write(tmp_path, body):
    path = tmp_path / "bad.toml"
    path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return path


BAD = [
    (
        "toml syntax",
        'title = "x"\n[practice]\nitems = [ { topic = "chain-rule" ]\n',
        3,
        "not valid TOML",
    ),
    (
        "unknown topic",
        'title = "x"\n[practice]\ninstructions = "i"\nitems = [\n  { topic = "chain-rules" },\n]\n',
        5,
        "unknown topic 'chain-rules'",
    ),
    (
        "bad difficulty",
        'title = "x"\n[practice]\nitems = [\n  { topic = "chain-rule", difficulty = 5 },\n]\n',
        4,
        "difficulty must be 1, 2 or 3",
    ),
    (
        "template cannot parse",
        'title = "x"\n[practice]\nitems = [{ template = "t" }]\n\n[[templates]]\nid = "t"\ntask = "differentiate"\nf = "a*x^ + 1"\n[templates.params]\na = { min = 1, max = 3 }\n',
        8,
        "cannot read f",
    ),
    (
        "template unknown letter",
        'title = "x"\n[practice]\nitems = [{ template = "t" }]\n\n[[templates]]\nid = "t"\ntask = "differentiate"\nf = "a*x^2 + k"\n[templates.params]\na = { min = 1, max = 3 }\n',
        8,
        "'k' is not a variable",
    ),
    (
        "template all excluded",
        'title = "x"\n[practice]\nitems = [{ template = "t" }]\n\n[[templates]]\nid = "t"\ntask = "differentiate"\nf = "a*x^2"\n[templates.params]\na = { min = 0, max = 0, exclude = [0] }\n',
        10,
        "every value",
    ),
    (
        "template bad task",
        'title = "x"\n[practice]\nitems = [{ template = "t" }]\n\n[[templates]]\nid = "t"\ntask = "integrate"\nf = "x^2"\n',
        7,
        "task must be one of",
    ),
    ("no sheet", 'title = "x"\n', None, "no sheet in the file"),
]


@pytest.mark.parametrize("label,body,line,message", BAD, ids=[b[0] for b in BAD])
def test_malformed_file_names_file_line_and_problem(tmp_path, label, body, line, message):
    path = _write(tmp_path, body)
    with pytest.raises(SheetError) as info:
        load_sheet(str(path))
    err = info.value
    assert str(path) in str(err)
    assert message in str(err)
    assert err.line == line
    if line:
        assert f"bad.toml:{line}:" in str(err)


def test_unknown_sheet_name():
    with pytest.raises(SheetError, match="no such sheet"):
        load_sheet("99")
