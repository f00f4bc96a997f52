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
