"""No wrong answer accepted: adversarial pairs written by someone who has read the source.

Each row is (expected, answer, options, correct, code).  The checker's points are fresh for
every check (nobody can build an answer that vanishes at them), domains are compared over
the whole real line from the expressions' structure, an overflowing evaluation is no
evidence, equations keep their excluded points and the form checks read the written form.
"""

from __future__ import annotations

import random

import pytest

from tutor.check import check

DOMAINS = [
    # outside the window the checker used to sample, or just beside it
    ("t", "t*sqrt(7-t)/sqrt(7-t)", {}, False, "domain_differs"),
    ("3.5-t", "sqrt(3.5-t)^2", {}, False, "domain_differs"),
    ("1.5-t", "sqrt(1.5-t)^2", {}, False, "domain_differs"),
    ("sqrt(t(t+2000))", "sqrt(t)*sqrt(t+2000)", {}, False, "domain_differs"),
    ("t", "t*sqrt(10^6 - t)/sqrt(10^6 - t)", {}, False, "domain_differs"),
    ("t", "t*sqrt(t + 10^9)/sqrt(t + 10^9)", {}, False, "domain_differs"),
    ("sqrt(t^2 - 4)", "sqrt(t-2)*sqrt(t+2)", {}, False, "domain_differs"),
    ("0", "sqrt(-(t-1)^2)", {}, False, "domain_differs"),
    ("t", "exp(ln(t))", {}, False, "domain_differs"),
    # inverse functions defined on part of the line only
    ("t", "sin(asin(t))", {}, False, "domain_differs"),
    ("t", "cos(acos(t))", {}, False, "domain_differs"),
    ("t", "cosh(acosh(t))", {}, False, "domain_differs"),
    ("t", "tanh(atanh(t))", {}, False, "domain_differs"),
    ("t", "tan(atan(t))", {}, True, "equivalent"),
    ("t", "sinh(asinh(t))", {}, True, "equivalent"),
    ("t", "acos(cos(t))", {}, False, "not_equivalent"),
    # the policy: compare only where both are defined when the question says so
    ("t", "cosh(acosh(t))", {"domain": "common"}, True, "equivalent"),
    ("t", "sqrt(t)^2", {"domain": "common"}, True, "equivalent"),
    # isolated removable points are ignored; whole intervals are not
    ("1", "t/t", {}, True, "equivalent"),
    ("t - 3", "(t^2 - 6t + 9)/(t - 3)", {}, True, "equivalent"),
    ("2 ln|t|", "ln(t^2)", {}, True, "equivalent"),
    ("|t|", "sqrt(t^2)", {}, True, "equivalent"),
    ("t", "sqrt(t^2)", {}, False, "not_equivalent"),
    # several variables: the same analysis along lines through every sign pattern
    ("sqrt(x(y+2000))", "sqrt(x)*sqrt(y+2000)", {}, False, "domain_differs"),
    ("x + y", "x*sqrt(7-x)/sqrt(7-x) + y", {}, False, "domain_differs"),
    ("sqrt(x y)", "sqrt(x)*sqrt(y)", {}, False, "domain_differs"),
    ("ln(x y)", "ln(x) + ln(y)", {}, False, "domain_differs"),
    ("|x y|", "sqrt(x^2 y^2)", {}, True, "equivalent"),
    ("e^x e^y", "e^(x+y)", {}, True, "equivalent"),
]

PRECISION = [
    # evaluation that overflows or loses precision is no evidence, never agreement
    ("t", "t + (t-|t|)*exp(10^8*(|t|-t))", {}, False, "not_equivalent"),
    ("t", "t + (t-|t|)*exp(10^5*(|t|-t))", {}, False, "not_equivalent"),
    ("t", "t + 10^-40", {}, False, "not_equivalent"),
    ("t", "t + e^-100", {}, False, "not_equivalent"),
    ("t", "t + 10^-40 t^2", {}, False, "not_equivalent"),
    ("t", "t + (|t| - t)*10^-30", {}, False, "not_equivalent"),
]

EQUATIONS_AND_SETS = [
    # an equation keeps its excluded points
    ("t = 3", "(t^2-6t+9)/(t-3) = 0", {"kind": "equation"}, False, "not_equivalent"),
    ("(t^2-6t+9)/(t-3) = 0", "t = 3", {"kind": "equation"}, False, "not_equivalent"),
    ("t = 1", "(t - 1)/(t + 2) = 0", {"kind": "equation"}, True, "equivalent"),
    ("t = 2", "sqrt(t) = sqrt(2)", {"kind": "equation"}, True, "equivalent"),
    # an equation for a set is read as its solutions: 1 = t^2 is {-1, 1}, not the value 1
    ("{1, 16}", "1 = t^2 or 16 = t^2", {"kind": "set"}, False, "missing_elements"),
    ("{0, 1}", "t^2 = t", {"kind": "set"}, True, "equivalent"),
    ("{1, 16}", "t = 1 or t = 16", {"kind": "set"}, True, "equivalent"),
    ("{1, 16}", "1 = t or 16 = t", {"kind": "set"}, True, "equivalent"),
]

FORMS = [
    # the written form, not the value
    ("t^2 - 4t + 4", "|t-2|^2", {"form": "expanded"}, False, "not_expanded"),
    ("t + 1", "t + sin(t)^2 + cos(t)^2", {"form": "simplified"}, False, "not_simplified"),
    ("1", "cosh(t)^2 - sinh(t)^2", {"form": "simplified"}, False, "not_simplified"),
    ("3y^2 - 9y", "y(3y - 9)", {"form": "factored"}, False, "not_factored"),
    ("4t^2 + 12t + 8", "(t + 1)(4t + 8)", {"form": "factored"}, False, "not_factored"),
    ("4t^2 + 12t + 8", "4(t + 1)(t + 2)", {"form": "factored"}, True, "equivalent"),
    ("x/(2y)", "2x/(4y)", {"form": "lowest_terms"}, False, "not_lowest_terms"),
]

ROWS = DOMAINS + PRECISION + EQUATIONS_AND_SETS + FORMS


@pytest.fixture(autouse=True, scope="module")
def _warm() -> None:
    """Start the budget's worker before the first timed check (a cold start is issue 13's
    item 4, handled in tutor._budget)."""
    check("sin(2x)", "2sin(x)cos(x)")


@pytest.mark.parametrize(
    ("expected", "answer", "options", "correct", "code"),
    ROWS,
    ids=[f"{r[0]}|{r[1]}|{','.join(map(str, r[2].values()))}" for r in ROWS],
)
def test_adversarial(expected: str, answer: str, options: dict, correct: bool, code: str) -> None:
    # a generous budget: these tables test decisions; speed is benchmarks/bench_check.py's
    v = check(answer, expected, **{"timeout": 10.0, **options})
    assert (v.correct, v.code) == (correct, code), v


def _old_exact_points(n: int) -> list[int]:
    """The integer points the checker used to compare rational functions at (a fixed seed
    anyone could read in the source)."""
    rng = random.Random(20260101)
    return [rng.randrange(1, 2**64) * (1 if rng.random() < 0.5 else -1) for _ in range(n)]


def test_answer_built_to_vanish_at_the_old_points_is_refused() -> None:
    p1, p2 = _old_exact_points(2)
    answer = f"t + (t - ({p1}))*(t - ({p2}))"
    for _ in range(3):
        v = check(answer, "t")
        assert v.correct is False, v


def test_fresh_points_still_give_the_same_verdict_text() -> None:
    texts = {check("sqrt(t)*sqrt(t+2000)", "sqrt(t(t+2000))").feedback for _ in range(4)}
    assert len(texts) == 1, texts
    texts = {str(check("x^2 + 1", "x^2 - 1").to_dict()) for _ in range(4)}
    assert len(texts) == 1, texts
