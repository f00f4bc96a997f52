"""Verdicts that must not depend on the draw: the example a verdict reports, a domain
difference seen on a special line, and repeats in a reordered list."""

from __future__ import annotations

import random
import subprocess
import sys

import sympy

import tutor
from tutor.check.equiv import _persists


def test_high_precision_example_is_repeatable() -> None:
    """Fresh points find the difference; the point reported is the repeatable one."""
    line = '{"expected": "x", "answer": "x + e^-100"}\n'
    runs = {
        subprocess.run(
            [sys.executable, "-m", "tutor.cli", "check", "--jsonl"],
            input=line,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for _ in range(3)
    }
    assert len(runs) == 1
    assert '"stage": "high_precision"' in runs.pop()


def test_a_special_line_is_not_a_region_of_difference() -> None:
    """b = -42 makes (a^b)^c defined for a < 0 where a^(bc) is not: a set of measure zero,
    gone once b moves, so no difference; a real region of difference stays."""
    a, b, c, x, y = sympy.symbols("a b c x y")
    special = {"point": {"a": -1.0, "b": -42.0, "c": -7.15}, "defined": "answer"}
    assert not _persists((a**b) ** c, a ** (b * c), "a", special, random.Random(1))
    region = {"point": {"x": -2.0, "y": -3.0}, "defined": "answer"}
    assert _persists(
        sympy.sqrt(x * y), sympy.sqrt(x) * sympy.sqrt(y), "x", region, random.Random(1)
    )


def test_power_of_a_power_is_decided_the_same_way_every_time() -> None:
    codes = {tutor.check("(a^b)^c", "a^(b*c)").code for _ in range(40)}
    assert codes == {"equivalent"}
    assert tutor.check("sqrt(x*y)", "sqrt(x)*sqrt(y)").code == "domain_differs"


def test_wrong_order_counts_repeats() -> None:
    assert tutor.check("(3,2,0,2)", "(2,3,0,2)", kind="list").code == "wrong_order"
    v = tutor.check("(3,3,0,2)", "(2,3,0,2)", kind="list")
    assert v.code == "some_entries_wrong" and v.details.get("wrong_positions", [1]) == [1]
