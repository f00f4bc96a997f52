"""A linter reads every topic's worked solution at ``standard`` and ``brief`` detail, as a
teacher would: no step that changes nothing, no internal data or placeholders in the text.

Topics whose engine puts internal data into a step (owned by the engines' engineers) are
listed in KNOWN_GAPS with the reason; the linter still runs on them and must find the gap,
so a fix shows up as a test to update."""

from __future__ import annotations

import re

import pytest

import tutor
from tutor.render.base import Arrow, board, display
from tutor.render.text import render_solution

SEEDS = (0, 1)
DETAILS = ("standard", "brief")

# what a student must never read in a worked solution
PATTERNS = {
    "placeholder": re.compile(r"\bat x = a\b|\{[a-z_]+\}"),
    "python repr": re.compile(
        r"\b(None|Symbol|Integer|Rational|Float|Tuple|Dummy)\(|\bNone\b|<[a-z_.]+ object"
    ),
    "internal id": re.compile(r"\b[a-z]{3,}_[a-z_]{3,}\b"),
    "nested tuple": re.compile(r"\(−?\d+, \("),
    "heaviside": re.compile(r"\bH\(|Heaviside|DiracDelta"),
}

# topic -> reason; the engine, not the renderer, puts the data there (see the report)
KNOWN_GAPS: dict[str, str] = {
    "global-extrema": "tutor/steps/analysis: the summary's value is (value, (points,)) data",
}


def _findings(topic: str) -> list[str]:
    found = []
    for difficulty in (1, 2, 3):
        for seed in SEEDS:
            sol = tutor.generate(topic, seed=seed, difficulty=difficulty).solution
            for detail in DETAILS:
                for s in board(sol, detail):
                    for t in s.walk():
                        shown = display(t, sol.task)
                        if any(isinstance(i, Arrow) and _same(i.parts) for i in shown):
                            found.append(f"{detail} d{difficulty} s{seed}: idle {t.rule}")
                text = render_solution(sol, detail=detail)
                for name, pat in PATTERNS.items():
                    for m in pat.finditer(text):
                        found.append(f"{detail} d{difficulty} s{seed}: {name} {m.group(0)!r}")
    return found


def _same(parts: list) -> bool:
    return len(parts) == 2 and str(parts[0]) == str(parts[1])


@pytest.mark.parametrize("topic", tutor.topics())
def test_boards_read_clean(topic: str) -> None:
    found = _findings(topic)
    if topic in KNOWN_GAPS:
        assert found, f"{topic} is clean now: remove it from KNOWN_GAPS"
    else:
        assert found == [], found[:5]
