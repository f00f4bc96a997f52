"""`tutor generate` and `tutor topics`, determinism across processes, variety per family."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from tutor.cli import main
from tutor.generate import generate, topic_info, topics


@pytest.fixture
def runner():
    return CliRunner()


def test_topics_table(runner):
    out = runner.invoke(main, ["topics"])
    assert out.exit_code == 0
    for t in topics():
        assert t in out.output
    assert "lecture" in out.output


def test_topics_json(runner):
    data = json.loads(runner.invoke(main, ["topics", "--format", "json"]).output)
    assert [d["id"] for d in data] == topics()
    assert all(d["description"] and 1 <= d["lecture"] <= 20 for d in data)


def test_generate_text_with_solution(runner):
    out = runner.invoke(main, ["generate", "chain-rule", "--seed", "7", "-d", "2", "--solutions"])
    assert out.exit_code == 0, out.output
    assert "seed 7" in out.output and "Answer:" in out.output and "Chain rule" in out.output


def test_generate_count_and_markdown(runner):
    out = runner.invoke(
        main, ["generate", "limit-hole", "--seed", "1", "--count", "3", "--format", "markdown"]
    )
    assert out.exit_code == 0
    assert out.output.count("<!--") == 3 and "$" in out.output


def test_generate_json_reproduces_the_api(runner):
    out = runner.invoke(
        main, ["generate", "backprop", "--seed", "4", "--format", "json", "--solutions"]
    )
    data = json.loads(out.output)
    assert data[0] == {
        **generate("backprop", seed=4).to_dict(),
        "prompt_text": data[0]["prompt_text"],
        "answer_text": data[0]["answer_text"],
    }
    hidden = json.loads(
        runner.invoke(main, ["generate", "backprop", "--seed", "4", "--format", "json"]).output
    )
    assert "answer" not in hidden[0] and "solution" not in hidden[0]


def test_fresh_seed_is_printed(runner):
    out = runner.invoke(main, ["generate", "evaluate"])
    assert out.exit_code == 0 and "--seed" in out.output


@pytest.mark.parametrize(
    "args,message",
    [
        (["generate", "chain-rul"], "unknown topic"),
        (["generate", "chain-rule", "-d", "4"], "4"),
        (["generate", "evaluate", "--seed", "x"], "x"),
    ],
)
def test_bad_input_is_a_usage_error(runner, args, message):
    out = runner.invoke(main, args)
    assert out.exit_code == 2 and message in out.output and "Traceback" not in out.output


_SCRIPT = (
    "import json, tutor\n"
    "out = [tutor.generate(t, seed=7, difficulty=d).to_dict() for t in tutor.topics() for d in (1, 3)]\n"
    "print(json.dumps(out, sort_keys=True))\n"
)


def test_same_problems_in_processes_with_different_hash_seeds():
    """A child with a fixed hash seed makes what this process (another seed) makes."""
    here = json.dumps(
        [generate(t, seed=7, difficulty=d).to_dict() for t in topics() for d in (1, 3)],
        sort_keys=True,
    )
    seed = "12345" if os.environ.get("PYTHONHASHSEED") != "12345" else "0"
    env = {**os.environ, "PYTHONHASHSEED": seed}
    child = subprocess.run(
        [sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert child == here + "\n" and len(here) > 1000


def test_difficulty_levels_are_documented():
    for info in topic_info():
        assert set(info["levels"]) == {1, 2, 3}, info["id"]


def test_levels_differ():
    import sympy

    from tutor.generate.builders import chain_depth

    depth = {
        d: max(
            chain_depth(generate("chain-rule", seed=s, difficulty=d).given["f"]) for s in range(10)
        )
        for d in (1, 2, 3)
    }
    assert depth[1] < depth[2] < depth[3]
    count = {
        d: sum(
            len(sympy.Add.make_args(generate("derivative-power", seed=s, difficulty=d).given["f"]))
            for s in range(10)
        )
        for d in (1, 3)
    }
    assert count[1] < count[3]


def test_solutions_are_printed_at_standard_detail_unless_asked(runner):
    """A sheet's level by default (trivial steps folded), every step with --detail full."""
    args = ["generate", "derivative-product", "--seed", "5", "-d", "2", "--solutions"]
    standard = runner.invoke(main, args)
    full = runner.invoke(main, [*args, "--detail", "full"])
    brief = runner.invoke(main, [*args, "--detail", "brief", "--format", "markdown"])
    assert standard.exit_code == full.exit_code == brief.exit_code == 0, standard.output
    assert "Identity" in full.output and "Identity" not in standard.output
    assert standard.output.count("\n") < full.output.count("\n")
    assert "Answer" in brief.output


def test_an_expression_starting_with_a_minus_sign_gets_a_hint(runner):
    out = runner.invoke(main, ["solve", "derivative", "-3 atan(9x+5)^3"])
    assert out.exit_code == 2 and "after --" in out.output and "Traceback" not in out.output
    ok = runner.invoke(main, ["solve", "derivative", "--", "-3x^2 + 1"])
    assert ok.exit_code == 0 and "−6x" in ok.output
    typo = runner.invoke(main, ["solve", "derivative", "--wrongopt", "x"])
    assert typo.exit_code == 2 and "after --" not in typo.output
