"""The public API (issue 12, item 7): engine entry points exported from ``tutor``, one argument
order (expression, var, point or interval, options) with the old order still working."""

from __future__ import annotations

import pytest
import sympy

import tutor

EXPORTED = [
    "global_extrema",
    "monotonicity",
    "concavity",
    "implicit_derivative",
    "tangent_line",
    "derivative_from_definition",
    "continuity",
    "directional_derivative",
    "critical_points",
    "max_stable_lr",
]


@pytest.mark.parametrize("name", EXPORTED)
def test_engine_entry_points_are_exported(name):
    assert callable(getattr(tutor, name)) and name in tutor.__all__


t = sympy.Symbol("t")

SAME = [
    # (new order call, old order call)
    (
        lambda: tutor.monotonicity("t^3 - 3t", "t", (0, 3)),
        lambda: tutor.monotonicity("t^3 - 3t", (0, 3)),
    ),
    (
        lambda: tutor.concavity("t^3", var="t", interval=(-1, 1)),
        lambda: tutor.concavity("t^3", (-1, 1)),
    ),
    (
        lambda: tutor.global_extrema("t^2", "t", (-1, 2)),
        lambda: tutor.global_extrema("t^2", interval=(-1, 2)),
    ),
    (lambda: tutor.tangent_line("t^2", "t", at=1), lambda: tutor.tangent_line("t^2", 1)),
    (
        lambda: tutor.critical_points("t^3 - 3t", var="t"),
        lambda: tutor.critical_points("t^3 - 3t", variables="t"),
    ),
    (
        lambda: tutor.implicit_derivative("x^2 + y^2 = 1", var="x"),
        lambda: tutor.implicit_derivative("x^2 + y^2 = 1", x="x"),
    ),
    (
        lambda: tutor.directional_derivative("x*y", at={"x": 1, "y": 2}, direction=[0, 1]),
        lambda: tutor.directional_derivative("x*y", {"x": 1, "y": 2}, [0, 1]),
    ),
]


@pytest.mark.parametrize("new, old", SAME)
def test_one_argument_order_and_the_old_one(new, old):
    assert new().answer == old().answer


LINES = [tutor.tangent_line, tutor.normal_line]


@pytest.mark.parametrize("line", LINES)
def test_statements_name_the_point_not_a_placeholder(line):
    sol = line("x^2", at=3)
    assert "x = a" not in sol.task.statement and "{at}" in sol.task.statement
    assert sol.task.params["at"] == 3
