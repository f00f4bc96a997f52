"""`tutor quiz` end to end: piped answers give a plain transcript, and a real terminal
(through a pseudo-terminal) survives Ctrl-C and resumes."""

from __future__ import annotations

import json
import os
import shutil
import sys

import pytest
from click.testing import CliRunner

import tutor
from tutor.cli import main
from tutor.quiz import derive_seed
from tutor.render.mathtext import math_text

TOPIC, SEED = "derivative-power", 5


def answer_for(index: int) -> str:
    p = tutor.generate(TOPIC, seed=derive_seed(SEED, index), difficulty=1)
    return math_text(p.answer, ascii=True)


def run(args: list[str], text: str):
    return CliRunner().invoke(
        main, ["quiz", "--topic", TOPIC, "--seed", str(SEED), *args], input=text
    )


def test_piped_session_grades_like_the_api(tmp_path):
    save = tmp_path / "s.json"
    right = answer_for(0)
    result = run(["--count", "2", "--save", str(save)], f"{right}\n7\nhint\nsolution\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "\x1b[" not in out  # no colours when not at a terminal
    assert f"answer> {right}\nCorrect!" in out
    assert "answer> 7\nNot quite" in out and "Hint 1 of" in out
    assert "Summary" in out and "Right first time: 1 of 2." in out
    # the API says the same of the same answers
    p = tutor.generate(TOPIC, seed=derive_seed(SEED, 1), difficulty=1)
    assert tutor.check("7", p.answer, kind=p.answer_kind, **p.check_options).correct is False
    data = json.loads(save.read_text())
    assert data["finished"] and [r["outcome"] for r in data["records"]] == ["first_try", "given_up"]


def test_end_of_input_saves_and_resume_continues(tmp_path):
    save = tmp_path / "s.json"
    first = run(["--count", "3", "--save", str(save)], f"{answer_for(0)}\n")
    assert first.exit_code == 0 and "Session saved" in first.output and "--resume" in first.output
    again = CliRunner().invoke(
        main, ["quiz", "--resume", "--save", str(save)], input=f"{answer_for(1)}\nskip\n"
    )
    assert again.exit_code == 0, again.output
    assert "Welcome back: 1 of 3 done" in again.output and "Problem 2 of 3" in again.output
    assert json.loads(save.read_text())["finished"]
    done = CliRunner().invoke(main, ["quiz", "--resume", "--save", str(save)], input="")
    assert "already finished" in done.output


def test_bad_options_are_clear(tmp_path):
    result = CliRunner().invoke(main, ["quiz", "--topic", "no-such-topic"])
    assert result.exit_code == 2 and "tutor topics" in result.output
    missing = CliRunner().invoke(main, ["quiz", "--resume", "--save", str(tmp_path / "none.json")])
    assert missing.exit_code == 2 and "no saved session" in missing.output


@pytest.mark.skipif(shutil.which("tutor") is None, reason="the tutor command is not installed")
def test_terminal_session_survives_ctrl_c(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    save = tmp_path / "s.json"
    env = {**os.environ, "TERM": "dumb", "PYTHONUNBUFFERED": "1"}
    child = pexpect.spawn(
        sys.executable,
        [
            "-m",
            "tutor.cli",
            "quiz",
            "--topic",
            TOPIC,
            "--seed",
            str(SEED),
            "--count",
            "2",
            "--save",
            str(save),
        ],
        env=env,
        encoding="utf-8",
        timeout=60,
    )
    child.expect("answer> ")
    child.sendline("x^99")
    child.expect("Not quite")
    child.expect("answer> ")
    child.sendintr()
    child.expect("Summary")
    assert "Traceback" not in child.before  # worker processes keep quiet on Ctrl-C
    child.expect("Session saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    data = json.loads(save.read_text())
    assert data["records"][0]["answers"] == ["x^99"] and not data["finished"]


def test_long_lines_fit_the_terminal_and_resume_is_spelled_out(tmp_path):
    from tutor.commands.quiz import _fit

    line = "  " + "partial-derivatives and limit-infinity " * 4
    fitted = _fit(line + "\n  short", 50).splitlines()
    assert all(len(row) <= 50 and row.startswith("  ") for row in fitted)
    assert "partial-derivatives" in fitted[0] and fitted[-1] == "  short"  # no break at '-'
    save = tmp_path / "s.json"
    out = run(["--count", "2", "--save", str(save)], "").output
    assert f"`tutor quiz --resume --save {save}`" in out


# Session safety: an unfinished session is never replaced without asking; one file per quiz.
def test_an_unfinished_session_is_not_replaced_without_new(tmp_path):
    save = tmp_path / "s.json"
    first = run(["--count", "3", "--save", str(save)], f"{answer_for(0)}\n")
    assert first.exit_code == 0
    kept = save.read_text()
    again = run(["--count", "3", "--save", str(save)], "")
    assert again.exit_code == 2 and "unfinished quiz is saved" in again.output
    assert "--resume" in again.output and "--new" in again.output
    assert save.read_text() == kept  # nothing lost
    fresh = run(["--count", "3", "--save", str(save), "--new"], "")
    assert fresh.exit_code == 0
    assert json.loads(save.read_text())["records"][0]["outcome"] == ""


def test_a_finished_session_may_be_replaced(tmp_path):
    save = tmp_path / "s.json"
    run(["--count", "1", "--save", str(save)], f"{answer_for(0)}\n")
    assert json.loads(save.read_text())["finished"]
    assert run(["--count", "1", "--save", str(save)], "").exit_code == 0


@pytest.mark.parametrize(
    "content, said",
    [
        ("{not json", "not valid JSON"),
        ('{"hello": "world"}', "not a quiz session saved by this version"),
        ("[1, 2, 3]", "not a quiz session saved by this version"),
        ('{"version": 1, "config": {"nope": 1}}', "damaged"),
        # foreign shapes that used to pass the reading and fail later, inside the quiz
        ('{"version": 1, "config": {"topics": "chain-rule"}}', "'topics' is 'chain-rule'"),
        ('{"version": 1, "config": {"topics": ["no-such"]}}', "does not have (no-such)"),
        ('{"version": 1, "config": {"topics": ["chain-rule"], "difficulty": 9}}', "level is 9"),
        ('{"version": 1, "config": {"topics": ["chain-rule"]}, "records": [{}]}', "record 1"),
        ('{"version": 1, "config": {"topics": ["chain-rule"]}, "records": 3}', "not a list"),
    ],
)
def test_a_corrupt_or_foreign_session_file_gets_a_clear_message(tmp_path, content, said):
    save = tmp_path / "s.json"
    save.write_text(content)
    for args in (["--resume"], []):
        result = run(["--save", str(save), *args], "")
        assert result.exit_code == 2 and said in result.output
        assert "Traceback" not in result.output
    assert save.read_text() == content
    assert run(["--save", str(save), "--new"], "").exit_code == 0


def test_each_quiz_keeps_its_own_session(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    from tutor.commands.quiz import default_save_path

    assert default_save_path((TOPIC,)) != default_save_path((), 5)
    assert default_save_path(("b", "a")) == default_save_path(("a", "b"))
    a = run(["--count", "3"], f"{answer_for(0)}\n")  # unfinished, in its own file
    assert a.exit_code == 0
    b = CliRunner().invoke(
        main, ["quiz", "--lecture", "10", "--count", "2", "--seed", "1"], input=""
    )
    assert b.exit_code == 0, b.output  # another quiz: no conflict
    assert default_save_path((TOPIC,)).exists() and default_save_path((), 10).exists()
    # a bare --resume continues the most recent unfinished quiz
    resumed = CliRunner().invoke(main, ["quiz", "--resume"], input="")
    assert resumed.exit_code == 0 and "Problem" in resumed.output


def _spawn(pexpect, args: list[str]):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "TERM": "dumb", "PYTHONUNBUFFERED": "1", "PYTHONPATH": path}
    cmd = ["-m", "tutor.cli", "quiz", "--topic", TOPIC, "--seed", str(SEED), *args]
    return pexpect.spawn(
        sys.executable, cmd, env=env, encoding="utf-8", timeout=90, dimensions=(40, 200)
    )


def test_at_a_terminal_a_misread_answer_is_previewed_and_an_unfinished_quiz_kept(tmp_path):
    """Issue 16 through a pseudo-terminal: `x^-1/2` is shown back and costs no try, and
    starting the same quiz again asks before replacing the unfinished one."""
    pexpect = pytest.importorskip("pexpect")
    save = tmp_path / "s.json"
    child = _spawn(pexpect, ["--count", "2", "--save", str(save)])
    child.expect("answer> ")
    child.sendline("x^-1/2")
    child.expect(r"read as \(x\^-1\)/2")
    child.expect(r"Nothing\s+is\s+counted\s+yet")
    child.expect("answer> ")
    child.sendline("hint")
    child.expect("Hint 1 of")
    child.expect("answer> ")
    child.sendline("quit")
    child.expect("Session saved")
    child.expect(pexpect.EOF)
    child.close()
    saved = save.read_text()
    record = json.loads(saved)["records"][0]
    assert record["tries"] == 0 and record["answers"] == [] and record["hints"] == 1
    # the same quiz again, with another seed: it asks, and 'q' leaves the saved one alone
    again = _spawn(pexpect, ["--count", "2", "--save", str(save), "--seed", "6"])
    again.expect("unfinished quiz is saved")
    again.expect(r"\[c\]")
    again.sendline("q")
    again.expect(pexpect.EOF)
    again.close()
    assert save.read_text() == saved
    # 'c' continues it where it stopped
    cont = _spawn(pexpect, ["--count", "2", "--save", str(save), "--seed", "6"])
    cont.expect(r"\[c\]")
    cont.sendline("c")
    cont.expect("Welcome back: 0 of 2 done")
    cont.expect("answer> ")
    cont.sendline("quit")
    cont.expect(pexpect.EOF)
    cont.close()
    assert json.loads(save.read_text())["config"]["seed"] == SEED
