"""Mal-rules: each classic wrong derivative is derived, named, and never confused with a right one."""

from __future__ import annotations

import importlib.util
import math
import random

import pytest
import sympy
from sympy import Rational, Symbol, cos, cot, csc, exp, log, sin, sqrt, tan

from tutor.core import Task
from tutor.functions import sigmoid
from tutor.steps import mistakes
from tutor.steps.derivatives import differentiate
from tutor.steps.malrules import derivative_mistakes

x = Symbol("x")

_PTS = (0.37, 0.81, 1.23, 1.71, 2.43, -0.53, -1.37, 0.12, 3.1, -2.2)


def same(a, b) -> bool:
    """Numerically equal as real functions of x at sample points in both domains."""
    compared = 0
    for p in _PTS:
        try:
            va = complex(sympy.N(sympy.sympify(a).subs(x, p)))
            vb = complex(sympy.N(sympy.sympify(b).subs(x, p)))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if any(not math.isfinite(v.real) or abs(v.imag) > 1e-9 for v in (va, vb)):
            continue
        compared += 1
        if not math.isclose(va.real, vb.real, rel_tol=1e-8, abs_tol=1e-10):
            return False
    return compared >= 3


def named(expr, wrong) -> list[str]:
    """Codes of the mistakes whose wrong answer matches ``wrong``."""
    task = differentiate(expr).task
    return [m.code for m in derivative_mistakes(task) if same(m.expr, wrong)]


# (function, a wrong answer built by hand with the mal-rule, the code that must name it)
CONSTRUCTED = [
    (sin(3 * x**2 + 1), cos(3 * x**2 + 1), "missing_chain_factor"),
    ((3 * x**2 + 1) ** 5, 5 * (3 * x**2 + 1) ** 4, "missing_chain_factor"),
    (sqrt(x**2 + 1), 1 / (2 * sqrt(x**2 + 1)), "missing_chain_factor"),
    (x**2 * sin(x), 2 * x * cos(x), "product_rule_as_product"),
    (exp(x) * (x**3 + 1), exp(x) * 3 * x**2, "product_rule_as_product"),
    ((x + 1) / (x - 1), 2 / (x - 1) ** 2, "quotient_rule_sign"),
    (sin(x) / x, (sin(x) - x * cos(x)) / x**2, "quotient_rule_sign"),
    ((x + 1) / (x - 1), -2 / (x - 1), "quotient_rule_denominator"),
    (x**2 / (x + 3), (2 * x * (x + 3) - x**2) / (x + 3), "quotient_rule_denominator"),
    (x**3, 3 * x**3, "power_rule_exponent"),
    (x**5 + x, 5 * x**5 + 1, "power_rule_exponent"),
    (x ** Rational(1, 2), x ** Rational(1, 2) / 2, "power_rule_exponent"),
    (exp(3 * x), exp(3 * x), "exp_missing_factor"),
    (exp(x**2), exp(x**2), "exp_missing_factor"),
    (log(x**2 + 1), 1 / (x**2 + 1), "log_missing_factor"),
    (log(sin(x)), 1 / sin(x), "log_missing_factor"),
    (cos(x), sin(x), "trig_sign"),
    (sin(x), -cos(x), "trig_sign"),
    (cot(x), csc(x) ** 2, "trig_sign"),
    (x * cos(x), cos(x) + x * sin(x), "trig_sign"),
    (5 * x**2, 2 * x, "dropped_constant"),
    (7 * sin(x), cos(x), "dropped_constant"),
    (-(x**3), 3 * x**2, "dropped_constant"),
    (-cos(x), -sin(x), "trig_sign"),
]


@pytest.mark.parametrize(
    "expr, wrong, code", CONSTRUCTED, ids=[c[2] + ":" + str(c[0]) for c in CONSTRUCTED]
)
def test_constructed_wrong_answer_is_named(expr, wrong, code):
    codes = named(expr, wrong)
    assert codes == [code]


def test_mistake_fields():
    task = differentiate(sin(3 * x**2 + 1)).task
    ms = {m.code: m for m in derivative_mistakes(task)}
    m = ms["missing_chain_factor"]
    assert m.rule == "chain_rule"
    assert "3x² + 1" in m.feedback and "inner function" in m.feedback
    assert "**" not in m.feedback
    assert same(m.expr, cos(3 * x**2 + 1))


def test_registered_in_steps_mistakes():
    task = differentiate(exp(3 * x)).task
    assert [m.code for m in mistakes(task)] == ["exp_missing_factor"]


RIGHT_FUNCS = [
    x**3,
    x,
    sympy.Integer(4),
    exp(x),
    log(x),
    sin(x) * cos(x),
    (x + 1) / (x - 1),
    sqrt(3 * x**2 + 1),
    x**2 * sin(3 * x),
    sigmoid(2 * x),
    tan(x) / x,
    exp(-(x**2)),
    5 * cos(2 * x),
]


@pytest.mark.parametrize("expr", RIGHT_FUNCS, ids=str)
def test_no_candidate_equals_the_right_derivative(expr):
    right = sympy.diff(expr, x)
    for m in derivative_mistakes(differentiate(expr).task):
        assert not same(m.expr, right), (m.code, m.expr)


@pytest.mark.parametrize("expr", RIGHT_FUNCS, ids=str)
def test_candidates_are_distinct(expr):
    ms = derivative_mistakes(differentiate(expr).task)
    for i, a in enumerate(ms):
        for b in ms[i + 1 :]:
            assert not same(a.expr, b.expr), (a.code, b.code)


def test_unrelated_wrong_answers_match_nothing():
    rng = random.Random(7)
    funcs = [x**2 * sin(3 * x), (x + 1) / (x - 1), exp(3 * x), log(x**2 + 1), 5 * cos(x)]
    for f in funcs:
        ms = derivative_mistakes(differentiate(f).task)
        right = sympy.diff(f, x)
        for _ in range(5):
            unrelated = right + rng.choice([1, x, sin(x), x**2, -2]) * rng.randint(2, 5)
            assert not any(same(m.expr, unrelated) for m in ms)


def test_no_mistakes_for_constants_gradients_or_unknown_tasks():
    assert derivative_mistakes(differentiate(sympy.Integer(3)).task) == []
    y = Symbol("y")
    assert derivative_mistakes(differentiate(x * y, wrt=["x", "y"]).task) == []
    assert derivative_mistakes(Task("derivative", {})) == []


def test_higher_order_mistake():
    task = differentiate(sin(2 * x), order=2).task
    codes = [m.code for m in derivative_mistakes(task) if same(m.expr, sin(2 * x))]
    assert codes == []
    dropped = [m for m in derivative_mistakes(task) if same(m.expr, -sin(2 * x))]
    assert dropped and dropped[0].code == "missing_chain_factor"


_check = all(importlib.util.find_spec(m) is not None for m in ("tutor.check", "tutor.parse"))
needs_check = pytest.mark.skipif(
    not _check, reason="tutor.check and tutor.parse are written by other helpers"
)


@needs_check
@pytest.mark.parametrize(
    "expr, wrong, code",
    [
        (sin(3 * x**2 + 1), "cos(3x^2 + 1)", "missing_chain_factor"),
        (x**2 * sin(x), "2x cos(x)", "product_rule_as_product"),
        ((x + 1) / (x - 1), "2/(x - 1)^2", "quotient_rule_sign"),
        (exp(3 * x), "e^(3x)", "exp_missing_factor"),
        (cos(x), "sin(x)", "trig_sign"),
    ],
)
def test_check_names_the_mistake(expr, wrong, code):
    import tutor

    sol = differentiate(expr)
    verdict = tutor.check(wrong, sol.answer, task=sol.task)
    assert verdict.correct is False
    assert verdict.code == code


@needs_check
def test_check_accepts_right_answer_without_naming_a_mistake():
    import tutor

    sol = differentiate(x**2 * sin(3 * x))
    verdict = tutor.check("2x sin(3x) + 3x^2 cos(3x)", sol.answer, task=sol.task)
    assert verdict.correct is True
