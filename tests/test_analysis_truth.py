"""Regression tables for statements the analysis engines make (issue 12, item 3): a root set
names every root before it says which lie inside; several points are never a tuple."""

from __future__ import annotations

import pytest
import sympy

import tutor
from tutor.steps.analysis import critical_points, global_extrema

ROOT_CASES = [
    # f, interval, every root of f', the ones inside
    ("x^4 - 4x^3 - 2x^2 + 12x", (-2, 3), [-1, 1, 3], [-1, 1]),
    ("x^3 - 3x", (-1, 2), [-1, 1], [1]),
    ("x^3 - 3x", (2, 5), [-1, 1], []),
    ("x^3 - 12x", (-5, 5), [-2, 2], [-2, 2]),
    ("x^4 - 2x^2", (0, 1), [-1, 0, 1], []),
]


def _solve_step(sol):
    return next(s for s in sol.steps if s.rule == "solve_equation")


@pytest.mark.parametrize("engine", [critical_points, global_extrema])
@pytest.mark.parametrize("f, interval, every, inside", ROOT_CASES)
def test_root_set_names_every_root_then_the_inside(engine, f, interval, every, inside):
    step = _solve_step(engine(f, interval=interval))
    text = step.text()
    for r in every:
        assert f"x = {sympy.Integer(r)}" in text.replace("−", "-"), text
    assert step.after == sympy.FiniteSet(*inside)
    if len(inside) < len(every):
        assert "end point" in text or "outside" in text or "none of them" in text


TIES = [
    # f on [a, b] with a global extreme reached at two points
    ("x^4 - 4x^3 - 2x^2 + 12x", (-2, 3), "minimum", [-1, 3]),
    ("x^2", (-2, 2), "maximum", [-2, 2]),
    ("sin(x)", (0, 5 * sympy.pi), "maximum", [sympy.pi / 2, 5 * sympy.pi / 2, 9 * sympy.pi / 2]),
]


@pytest.mark.parametrize("f, interval, which, at", TIES)
def test_several_points_are_named_not_tupled(f, interval, which, at):
    sol = global_extrema(f, interval=interval)
    summary = sol.steps[-1]
    text = summary.text()
    assert " and x = " in text, text
    for value in summary.data.values():
        assert not isinstance(value, (tuple, sympy.Tuple)), summary.data
    assert set(sol.answer[which][1]) == set(at)
    # the public API agrees
    assert tutor.global_extrema(f, interval=interval).answer == sol.answer


ODD_ROOTS = [
    # f, critical points with kinds
    ("x^(1/3)*(x - 4)", [(0, "neither"), (1, "minimum")]),
    ("cbrt(x)", [(0, "neither")]),
    ("x^(2/3)", [(0, "minimum")]),
    ("x^(5/3) - 5x^(2/3)", [(0, "maximum"), (2, "minimum")]),
    ("x^(1/5)", [(0, "neither")]),
]


@pytest.mark.parametrize("f, expected", ODD_ROOTS)
def test_odd_root_extrema_without_dirac_delta(f, expected):
    sol = critical_points(f)
    assert [(sympy.Integer(c), k) for c, k in expected] == sol.answer
    assert not sol.uses_cas, [s.rule for s in sol.walk() if s.rule == "cas"]
    for step in sol.walk():
        for v in (step.before, step.after, *step.data.values()):
            if isinstance(v, sympy.Basic):
                assert not v.has(sympy.DiracDelta), (step.rule, v)
    assert any(s.rule == "derivative_undefined" for s in sol.steps)


def test_a_root_where_f_prime_is_undefined_is_not_called_outside_the_domain():
    text = _solve_step(critical_points("x^(1/3)*(x - 4)")).text()
    assert "outside the domain" not in text


SECANTS = [("x^3 - 3x", 1, 3, 10), ("x^2", -2, 3, 1), ("sqrt(x)", 1, 4, sympy.Rational(1, 3))]


@pytest.mark.parametrize("f, a, b, slope", SECANTS)
def test_secant_steps_show_mathematics_not_tuples(f, a, b, slope):
    sol = tutor.secant_slope(f, a, b)
    assert sol.answer == slope
    from tutor.render.base import Arrow, display

    for step in sol.steps:
        for item in display(step, sol.task):
            # f(a) = <a written in> = value, and the quotient = its value: equalities
            parts = item.parts if isinstance(item, Arrow) and item.sign == "=" else None
            if parts is None:
                assert isinstance(item, sympy.Eq), item
                parts = [item.lhs, item.rhs]
            assert not any(isinstance(p, (tuple, sympy.Tuple)) for p in parts)
    assert "[a, b]" not in sol.task.statement


@pytest.mark.parametrize("seed", range(5))
def test_average_rate_family_uses_the_engine(seed):
    p = tutor.generate("average-rate", seed=seed, difficulty=1 + seed % 3)
    assert [s.rule for s in p.solution.steps] == ["evaluate", "difference_quotient"]
