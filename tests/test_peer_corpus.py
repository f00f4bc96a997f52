"""The checker against other systems' answer tests and against adversarial pairs.

The rows live in tests/data/peer_pairs/<system>.toml (transcribed from STACK, Math-Verify, KAS,
Numbas and WeBWorK, each with its source) and tests/data/adversarial.toml. A row's truth is its
``intended`` verdict where this project's policy differs from the peer's, else the peer's.

Two promises are tested: no wrong answer is ever accepted, and every row without a
``known_gap`` gets its truth. Rows with a ``known_gap`` are what the checker still misses: they
are expected failures (not strict), checked with a short budget to keep the suite fast. A row
whose check runs out of time (a busy machine) is an expected failure too, never a pass.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from tutor import check
from tutor.core import ANSWER_KINDS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DATA = Path(__file__).parent / "data"
PEERS = sorted((DATA / "peer_pairs").glob("*.toml"))
ADVERSARIAL = DATA / "adversarial.toml"
GAP_TIMEOUT = 0.2  # seconds: a known gap only has to stay away from accepting a wrong answer


def load(path: Path) -> list[dict[str, Any]]:
    """The rows of one corpus file, each tagged with the file's stem as ``system``."""
    rows = tomllib.loads(path.read_text(encoding="utf-8"))["pair"]
    for row in rows:
        row["system"] = path.stem
    return rows


def truth(row: dict[str, Any]) -> bool:
    """The verdict this project intends for the row."""
    return row["intended"] if "intended" in row else row["peer"]


ROWS = [row for path in PEERS + [ADVERSARIAL] for row in load(path)]


def _param(row: dict[str, Any]) -> Any:
    marks = []
    if "known_gap" in row:
        marks.append(pytest.mark.xfail(reason=row["known_gap"], strict=False))
    return pytest.param(row, id=row["id"], marks=marks)


@pytest.mark.parametrize("row", [_param(r) for r in ROWS])
def test_row(row: dict[str, Any]) -> None:
    options = dict(row.get("options", {}))
    if "known_gap" in row:
        options["timeout"] = GAP_TIMEOUT
    v = check(row["answer"], row["expected"], kind=row["kind"], **options)
    want = truth(row)
    if want is False:
        assert v.correct is not True, f"wrong answer accepted: {v.code} ({row['source']})"
    if v.code == "timeout":
        # speed is measured in benchmarks/, not asserted: a busy machine may run out of budget
        pytest.xfail("the time budget ran out")
    assert v.correct is want, f"{v.code}: {v.feedback} ({row['source']})"


def test_corpus_shape() -> None:
    """Enough rows, unique ids, a source on each, known kinds, and a reason for each override."""
    peers = [r for r in ROWS if r["system"] != "adversarial"]
    adversarial = [r for r in ROWS if r["system"] == "adversarial"]
    assert len(peers) >= 400
    assert len(adversarial) >= 60
    assert len({r["id"] for r in ROWS}) == len(ROWS)
    assert {p.stem for p in PEERS} >= {"stack", "math_verify", "kas", "numbas", "webwork"}
    for r in ROWS:
        assert r["source"] and r["kind"] in ANSWER_KINDS, r["id"]
        assert isinstance(r["expected"], str) and isinstance(r["answer"], str), r["id"]
        assert isinstance(truth(r), bool), r["id"]
        if "intended" in r and r["system"] != "adversarial":
            assert r["intended"] != r["peer"] and r["reason"], r["id"]
    assert all("reason" in r for r in adversarial)
