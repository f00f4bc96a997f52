"""Moodle XML and STACK export: the structure Moodle's importer needs, every answer
re-checked by the engine, STACK answers read back from Maxima, bad input refused."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import sympy
from _export_cases import VARIANTS, exported_problems
from click.testing import CliRunner

import tutor
from tutor.cli import main
from tutor.export.stack import MaximaError, maxima
from tutor.functions import sigmoid

x, y = sympy.symbols("x y")


# its module fixtures are costly: keep the module on one xdist worker (--dist loadgroup)
pytestmark = pytest.mark.xdist_group("moodle")


@pytest.fixture(scope="module")
def problems() -> dict[str, tutor.Problem]:
    return exported_problems()


def _export(tmp_path_factory: pytest.TempPathFactory, *args: str) -> ET.Element:
    out = tmp_path_factory.mktemp("moodle") / "bank.xml"
    argv = ["export", "moodle", "--lecture", "5", "--lecture", "7", "-n", str(VARIANTS)]
    result = CliRunner().invoke(main, [*argv, *args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output
    return ET.parse(out).getroot()


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> ET.Element:
    return _export(tmp_path_factory)


@pytest.fixture(scope="module")
def stack_bank(tmp_path_factory: pytest.TempPathFactory) -> ET.Element:
    return _export(tmp_path_factory, "--stack", "--no-figures")


def _questions(root: ET.Element, qtype: str | None = None) -> list[ET.Element]:
    return [
        q
        for q in root.findall("question")
        if q.get("type") != "category" and (qtype is None or q.get("type") == qtype)
    ]


def _text(q: ET.Element, path: str) -> str:
    el = q.find(path)
    assert el is not None, f"{path} missing in {q.findtext('name/text')}"
    return el.text or ""


def _problem(problems: dict[str, tutor.Problem], q: ET.Element) -> tutor.Problem:
    return problems[_text(q, "idnumber")]


# -- structure ---------------------------------------------------------------------------


def test_each_family_is_a_category_of_distinct_variants(bank):
    groups: list[list[ET.Element]] = []
    for q in bank.findall("question"):
        if q.get("type") == "category":
            assert _text(q, "category/text").startswith("$course$/top/calculus-tutor/Lecture 0")
            groups.append([])
        else:
            groups[-1].append(q)
    assert len(groups) == 13  # the distinct (topic, difficulty) items of lectures 5 and 7
    for group in groups:
        assert len(group) == VARIANTS
        assert len({_text(q, "questiontext/text") for q in group}) == VARIANTS
    ids = [_text(q, "idnumber") for q in _questions(bank)]
    assert len(ids) == len(set(ids))


def test_every_question_has_what_its_type_needs(bank):
    kinds = set()
    for q in _questions(bank):
        qtype = q.get("type")
        kinds.add(qtype)
        assert re.fullmatch(r"[\w-]+ d[123] seed \d+", _text(q, "name/text"))
        assert _text(q, "questiontext/text").strip()
        assert q.find("questiontext").get("format") == "html"
        assert "<strong>Answer:</strong>" in _text(q, "generalfeedback/text")
        assert "<math" not in _text(q, "generalfeedback/text")  # TeX for MathJax, not MathML
        answers = q.findall("answer")
        if qtype == "numerical":
            assert answers and all(a.find("tolerance") is not None for a in answers)
            assert [a.get("fraction") for a in answers] == ["100"]
        elif qtype == "multichoice":
            assert q.findtext("single") == "true"
            fractions = sorted(a.get("fraction") for a in answers)
            assert len(answers) >= 3 and fractions.count("100") == 1
            assert set(fractions) == {"0", "100"}
            assert all(a.findtext("feedback/text") for a in answers)
        elif qtype == "shortanswer":
            assert answers and all(a.get("fraction") == "100" for a in answers)
        elif qtype == "cloze":
            assert re.search(r"\{1:(NUMERICAL|SHORTANSWER):=", _text(q, "questiontext/text"))
        else:
            pytest.fail(f"unexpected type {qtype}")
    assert kinds == {"numerical", "multichoice", "cloze"}


def test_every_pluginfile_reference_has_its_file(bank):
    referenced = 0
    for field in bank.iter():
        text = field.findtext("text")
        if text is None:
            continue
        names = re.findall(r"@@PLUGINFILE@@/([\w.-]+)", text)
        files = {f.get("name"): f for f in field.findall("file")}
        for name in names:
            referenced += 1
            assert name in files
            assert files[name].get("encoding") == "base64"
            assert len(files[name].text or "") > 100
    assert referenced > 0


def test_a_question_regenerates_from_the_seed_in_its_name(bank, problems):
    for q in _questions(bank)[:6]:
        key, level, _, seed = _text(q, "name/text").split()
        if key in tutor.topics():
            again = tutor.generate(key, seed=int(seed), difficulty=int(level[1:]))
            assert again.prompt == _problem(problems, q).prompt


# -- every answer re-checked by the engine -----------------------------------------------


def _verdict(text, p, expected=None, kind=None, **extra):
    options = {**p.check_options, **extra}
    expected = p.answer if expected is None else expected
    return tutor.check(text, expected, kind=kind or p.answer_kind, **options).correct


def _cloze_fields(text: str) -> list[tuple[str, list[str]]]:
    """(type, answers) of each ``{1:TYPE:=a~=b}`` field, with the escapes undone."""
    out = []
    for m in re.finditer(r"\{1:(NUMERICAL|SHORTANSWER):((?:\\.|[^}])*)\}", text):
        parts = re.split(r"(?<!\\)~", m.group(2))
        answers = [re.sub(r"\\(.)", r"\1", a.lstrip("=")) for a in parts]
        out.append((m.group(1), answers))
    return out


def test_every_answer_is_rechecked_by_the_engine(bank, problems):
    for q in _questions(bank):
        p = _problem(problems, q)
        qtype = q.get("type")
        for a in q.findall("answer"):
            text = _text(a, "text")
            if qtype == "numerical":
                tol = float(_text(a, "tolerance"))
                assert _verdict(text, p, kind="number", tol=tol or None) is True, text
            else:
                assert _verdict(text, p) is (a.get("fraction") == "100"), text
        if qtype == "cloze":
            fields = _cloze_fields(_text(q, "questiontext/text"))
            entries = p.answer
            if isinstance(entries, sympy.FiniteSet):
                entries = sorted(entries)
            assert len(fields) == len(entries)
            for (ftype, answers), value in zip(fields, entries):
                if ftype == "NUMERICAL":
                    number, tol = answers[0].rsplit(":", 1)
                    assert _verdict(number, p, value, "number", tol=float(tol) or None) is True
                else:
                    assert all(_verdict(t, p, value, "expression") is True for t in answers)


def test_multichoice_distractors_are_the_malrule_answers(bank, problems):
    seen = 0
    for q in _questions(bank, "multichoice"):
        p = _problem(problems, q)
        if p.answer_kind == "choice":  # "is it a minimum, a maximum or neither?": the other
            continue  # choices are the distractors, not mistakes
        wrong = {tutor.check(_text(a, "text"), p.answer, **p.check_options).code
                 for a in q.findall("answer") if a.get("fraction") == "0"}  # fmt: skip
        mistakes = {m.feedback for m in tutor.steps.mistakes(p.solution.task)}
        for a in q.findall("answer"):
            if a.get("fraction") == "0":
                assert _text(a, "feedback/text") in mistakes
                seen += 1
        assert "equivalent" not in wrong
    assert seen >= 2


# -- STACK -------------------------------------------------------------------------------


def read_maxima(text: str) -> str:
    """A Maxima answer as the tutor's input syntax: a list ``[a, b]`` becomes ``(a, b)``
    (tutor.parse reads ``%pi``, ``%e``, ``^``, ``inf``, sets and equations itself)."""
    text = text.strip().rstrip(";")
    if text.startswith("[") and text.endswith("]"):
        return "(" + text[1:-1] + ")"
    return text


def _variables(q: ET.Element) -> dict[str, str]:
    lines = _text(q, "questionvariables/text").splitlines()
    return dict(line.rstrip(";").split(": ", 1) for line in lines)


def test_stack_answers_read_back_as_the_engines(stack_bank, problems):
    stack = _questions(stack_bank, "stack")
    assert len(stack) >= 10
    malrule_nodes = 0
    for q in stack:
        p = _problem(problems, q)
        v = _variables(q)
        assert _verdict(read_maxima(v["ta"]), p) is True, v["ta"]
        assert "[[input:ans1]]" in _text(q, "questiontext/text")
        assert q.findtext("input/name") == "ans1" and q.findtext("input/tans") == "ta"
        nodes = q.findall("prt/node")
        assert nodes[0].findtext("answertest") in ("AlgEquiv", "NumAbsolute")
        assert (nodes[0].findtext("sans"), nodes[0].findtext("tans")) == ("ans1", "ta")
        assert float(nodes[0].findtext("truescore")) == 1
        for node in nodes[1:]:
            name = node.findtext("tans")
            assert _verdict(read_maxima(v[name]), p) is False, v[name]
            assert node.findtext("truefeedback/text")
            assert float(node.findtext("truescore")) == 0
            malrule_nodes += 1
        # the tree is a chain: each false branch goes to the next node, the last ends
        nexts = [int(n.findtext("falsenextnode")) for n in nodes]
        assert nexts == [*range(1, len(nodes)), -1]
    assert malrule_nodes >= 10


@pytest.mark.parametrize(
    "value, text",
    [
        (3 * x**2 - 2, "3*x^2 - 2"),
        (sympy.pi / 2, "%pi/2"),
        (sympy.E, "%e"),
        (sympy.exp(2 - 3 * x), "exp(2 - 3*x)"),
        (sympy.sqrt(x) + sympy.Abs(x), "sqrt(x) + abs(x)"),
        (sympy.log(x) / x**2, "log(x)/x^2"),
        (sympy.oo, "inf"),
        (-sympy.oo, "minf"),
        (sympy.Eq(y, 18 - 7 * x), "y = 18 - 7*x"),
        ((-1, sympy.Rational(-5, 2)), "[-1, -5/2]"),
        ([2, 1, -3], "[2, 1, -3]"),
        (sympy.FiniteSet(2, -2), "{-2, 2}"),
        (sigmoid(x), "1/(1 + exp(-x))"),
        (x ** sympy.Rational(3, 2), "x^(3/2)"),
    ],
)
def test_maxima_printer(value, text):
    assert maxima(value) == text


@pytest.mark.parametrize(
    "value",
    [sympy.Interval(0, 1), tutor.DNE, "diverges", sympy.Matrix([[1, 2]]), sympy.Symbol("η")],
)
def test_maxima_printer_refuses_what_maxima_cannot_hold(value):
    with pytest.raises(MaximaError):
        maxima(value)


@pytest.mark.parametrize(
    "value",
    [
        x**3 * sympy.sin(2 * x),
        sympy.exp(-(x**2)) / (1 + x),
        sympy.pi * x**-2,
        sympy.log(1 + sympy.E),
    ],
)
def test_maxima_round_trip_through_the_parser(value):
    assert sympy.simplify(tutor.parse(maxima(value)) - value) == 0


# -- bad input ---------------------------------------------------------------------------


def _tiny_sheet(tmp_path):
    sheet = tmp_path / "tiny.toml"
    sheet.write_text(
        'title = "Tiny"\n[practice]\nitems = [{ template = "t", count = 1 }]\n'
        '[[templates]]\nid = "t"\ntask = "differentiate"\nf = "a*x^2"\n'
        'prompt = "Differentiate {f}."\n[templates.params]\na = { choices = [2, 3] }\n'
    )
    return str(sheet)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--topic", "no-such-topic"], "unknown topic 'no-such-topic'"),
        (["--lecture", "19"], "lecture 19 has no problems to export"),
        (["--lecture", "21"], "21 is not in the range"),
        ([], "say what to export"),
        (["--lecture", "5", "-o", "bank.docx"], "a Moodle XML question bank is a .xml file"),
        (["--lecture", "5", "-o", "/nonexistent/dir/bank.xml"], "does not exist"),
        (["no-such-sheet.toml"], "no such sheet file"),
        (["TINY", "-n", "5"], "gave only 2 distinct problems"),
        (["--lecture", "5", "-o", "FILE/bank.xml"], "does not exist"),
    ],
)
def test_bad_input_gets_a_message_not_a_traceback(tmp_path, args, message):
    (tmp_path / "file").write_text("not a folder")
    swap = {"TINY": _tiny_sheet(tmp_path), "FILE/bank.xml": str(tmp_path / "file" / "bank.xml")}
    args = [swap.get(a, a) for a in args]
    result = CliRunner().invoke(main, ["export", "moodle", *args], catch_exceptions=False)
    assert result.exit_code == 2 or result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not Path("/nonexistent").exists()  # the folder is not created


def test_same_seed_same_bytes(tmp_path):
    outs = []
    for name in ("a.xml", "b.xml"):
        out = tmp_path / name
        args = ["export", "moodle", "--topic", "chain-rule", "-n", "2", "--no-figures"]
        assert CliRunner().invoke(main, [*args, "--stack", "-o", str(out)]).exit_code == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_help_lists_export_without_importing_sympy():
    code = (
        "import sys; from click.testing import CliRunner; from tutor.cli import main; "
        "out = CliRunner().invoke(main, ['--help']).output; "
        "print('export' in out, 'sympy' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.stdout.split() == ["True", "False"]


def test_short_answers_are_literal_and_right(tmp_path):
    out = tmp_path / "short.xml"
    args = ["export", "moodle", "--topic", "tangent-line", "--topic", "domain", "-n", "2"]
    result = CliRunner().invoke(main, [*args, "--no-figures", "-o", str(out)])
    assert result.exit_code == 0, result.output
    questions = _questions(ET.parse(out).getroot(), "shortanswer")
    assert len(questions) == 4
    for q in questions:
        key, level, _, seed = _text(q, "name/text").split()
        p = tutor.generate(key, seed=int(seed), difficulty=int(level[1:]))
        for a in q.findall("answer"):
            text = _text(a, "text")
            assert not re.search(r"(?<!\\)\*", text), "a bare * is a wildcard in Moodle"
            assert _verdict(text.replace("\\*", "*"), p) is True, text


@pytest.mark.parametrize("fmt, name", [("moodle", "bank.xml"), ("qti", "bank.zip")])
@pytest.mark.parametrize("target", ["nonexistent/NAME", "taken/NAME", "bank.docx", "NAME"])
def test_output_is_checked_before_any_problem_is_made(tmp_path, monkeypatch, fmt, name, target):
    import tutor.export

    def no_work(*args, **kwargs):
        raise AssertionError("problems were generated before the output was checked")

    monkeypatch.setattr(tutor.export, "families", no_work)
    (tmp_path / "taken" / name).mkdir(parents=True)  # a folder where the file should go
    out = str(tmp_path / target.replace("NAME", name))
    args = ["export", fmt, "--lecture", "5", "-o", out]
    result = CliRunner().invoke(main, args, catch_exceptions=target == "NAME")
    if target == "NAME":  # a good path: the (replaced) generation is reached
        assert result.exit_code != 0 and "before the output was checked" in str(result.exception)
        assert not Path(out).exists()
        return
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "output" in result.output
    assert not (tmp_path / "nonexistent").exists()
