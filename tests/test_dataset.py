"""tutor dataset: the same bytes in one process, in local processes and on a Dask LocalCluster;
grading JSON lines on Dask; no process left behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _procs import descendants as _children

from tutor.dataset import grade_lines, item_seed, plan

ROOT = Path(__file__).resolve().parents[1]
TOPICS = "chain-rule,limit-hole,critical-points,backprop,descent-1d,global-extrema"
FIELDS = {
    "topic", "template", "difficulty", "seed", "index", "prompt", "answer", "answer_kind",
    "check_options", "solution", "solution_text", "uses_cas", "verified", "refuted",
}  # fmt: skip


def _cli(*args: str, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "tutor.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        **kw,
    )


@pytest.mark.parametrize(
    "seed, index, other",
    [(0, 0, (0, 1)), (0, 1, (1, 0)), (7, 3, (7, 4)), (-5, 0, (5, 0))],
)
def test_item_seeds_depend_on_seed_and_index(seed, index, other):
    assert item_seed(seed, index) == item_seed(seed, index)
    assert item_seed(seed, index) != item_seed(*other)
    assert 0 <= item_seed(seed, index) < 2**31


@pytest.mark.parametrize(
    "topics, count, difficulty, expected",
    [
        (["a", "b"], 4, None, [("a", 1), ("b", 1), ("a", 2), ("b", 2)]),
        (["a"], 4, None, [("a", 1), ("a", 2), ("a", 3), ("a", 1)]),
        (["a", "b"], 3, 3, [("a", 3), ("b", 3), ("a", 3)]),
    ],
)
def test_plan_cycles_topics_then_difficulties(topics, count, difficulty, expected):
    items = plan(topics, count, 1, difficulty)
    assert [(t, d) for _, t, _, d in items] == expected
    assert [i for i, *_ in items] == list(range(count))


@pytest.fixture(scope="module")
def single(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("ds") / "one.jsonl"
    r = _cli("dataset", "--topics", TOPICS, "--count", "12", "--seed", "3", "-o", str(out))
    assert r.returncode == 0, r.stderr
    return out.read_bytes()


def test_records_have_every_field(single):
    lines = single.decode("utf-8").splitlines()
    assert len(lines) == 12
    for i, line in enumerate(lines):
        rec = json.loads(line)
        assert set(rec) == FIELDS, line[:200]
        assert rec["index"] == i
        assert rec["topic"] == TOPICS.split(",")[i % 6]
        assert rec["seed"] == item_seed(3, i)
        assert set(rec["prompt"]) == {"text", "latex"} and rec["prompt"]["text"]
        assert set(rec["answer"]) == {"value", "text", "latex"}
        assert rec["solution"]["steps"] and rec["solution_text"]
        assert rec["verified"] is True and rec["refuted"] == []
        assert json.dumps(rec, sort_keys=True, ensure_ascii=False) == line


@pytest.mark.parametrize("how", [["--jobs", "2"], ["--scheduler", "local"]])
def test_same_bytes_whatever_the_workers(single, tmp_path, how):
    before = _children()
    out = tmp_path / "many.jsonl"
    r = _cli("dataset", "--topics", TOPICS, "--count", "12", "--seed", "3", "-o", str(out), *how)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == single
    assert _children() <= before


@pytest.mark.parametrize(
    "args, message",
    [
        (["--topics", "no-such-topic", "--count", "2"], "unknown topic"),
        (["--topics", "chain-rule", "--count", "0"], "--count"),
        (["--topics", "chain-rule", "--count", "2", "--jobs", "2", "--scheduler", "local"], "not both"),
    ],
)  # fmt: skip
def test_bad_arguments_are_refused(args, message):
    from click.testing import CliRunner

    from tutor.commands.dataset import dataset

    r = CliRunner().invoke(dataset, args)
    assert r.exit_code == 2
    assert message in r.output
    assert "Traceback" not in r.output


# pairs the fast stages decide (no symbolic worker needed: the same inside Dask's daemonic
# workers before and after the budget's fix), and lines that are not checks at all
GRADE = [
    (b'{"expected": "2*x", "answer": "2x", "id": 1}', True, "equivalent"),
    (b'{"expected": "2*x", "answer": "3x", "id": 2}', False, None),
    (b'{"expected": "1/2", "answer": "0.5", "kind": "number", "id": 3}', True, "equivalent"),
    (b'{"expected": "x", "answer": "x +", "id": 4}', None, "parse_error"),
    (b"not json", None, "bad_input"),
    (b'{"answer": "x"}', None, "bad_input"),
    (b'{"expected": "x", "answer": "\xff"}', None, "bad_input"),
]


def test_grading_on_dask_answers_every_line_in_order():
    pytest.importorskip("distributed")
    before = _children()
    lines = [raw for raw, _, _ in GRADE] * 3
    results = [json.loads(t) for t in grade_lines(lines, "local", timeout=5.0, chunk=4)]
    assert [r["line"] for r in results] == list(range(1, len(lines) + 1))
    for r, (_, correct, code) in zip(results, GRADE * 3):
        assert r["correct"] is correct, r
        if code:
            assert r["code"] == code, r
    assert _children() <= before


def test_check_jsonl_on_dask_gives_the_same_lines_as_one_process():
    # `tutor check --jsonl --scheduler local`: the same bytes as a plain run, including a
    # check that needs the symbolic worker inside Dask's daemonic worker processes
    pytest.importorskip("distributed")
    lines = [raw for raw, _, _ in GRADE] + [
        b'{"expected": "1", "answer": "sin(x)^2 + cos(x)^2", "id": 9, "timeout": 20}'
    ]
    data = b"\n".join(lines) + b"\n"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    run = [sys.executable, "-m", "tutor.cli", "check", "--jsonl", "--timeout", "10"]
    plain = subprocess.run(run, input=data, capture_output=True, env=env, timeout=300)
    dask = subprocess.run(
        [*run, "--scheduler", "local"], input=data, capture_output=True, env=env, timeout=300
    )
    assert plain.returncode == 0 and dask.returncode == 0, dask.stderr[-2000:]
    assert dask.stdout == plain.stdout
    last = json.loads(plain.stdout.splitlines()[-1])
    assert last["correct"] is True and last["code"] == "equivalent"


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_generate_with_jobs_prints_what_one_process_prints(fmt):
    args = ["generate", "chain-rule", "--count", "5", "--seed", "7", "--solutions"]
    one = _cli(*args, "--format", fmt)
    many = _cli(*args, "--format", fmt, "--jobs", "2")
    assert one.returncode == 0 and many.returncode == 0, many.stderr
    assert many.stdout == one.stdout and one.stdout.count("chain-rule") >= 5
