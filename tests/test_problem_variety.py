"""Problems worth setting (issue 16, item 5): every family, at every difficulty, over 20 seeds.

Variety: at least 90 % distinct prompts.  Well posed: descent never starts where the gradient
is already zero, sigmoid pre-activations are not always 0, a named loss says whether it is a
mean or a sum, a "which way" question says how the sign gives the direction, a prompt that
asks for a classification has that classification in its answer, and prompts are written
as a teacher writes them (no −(−…), no arctan(tan(…))).  Problems are generated once per
process (``_problems``, shared with test_generate and test_registry), so each check is cheap.
"""

from __future__ import annotations

import functools
import re

import pytest
import sympy
from _problems import problem, same_batch

from tutor.generate import FAMILIES, prompt_text

SEEDS = range(20)
LEVELS = (1, 2, 3)
TOPICS = sorted(FAMILIES)
CASES = [pytest.param(t, d, marks=same_batch(t, d), id=f"{t}-{d}") for t in TOPICS for d in LEVELS]


@functools.cache
def batch(topic: str, difficulty: int) -> tuple:
    return tuple(problem(topic, s, difficulty) for s in SEEDS)


@functools.cache
def texts(topic: str, difficulty: int) -> tuple[str, ...]:
    return tuple(prompt_text(p) for p in batch(topic, difficulty))


def _check_at_least_90_percent_distinct(topic, difficulty):
    seen = texts(topic, difficulty)
    assert len(set(seen)) >= 0.9 * len(seen), (len(set(seen)), sorted(seen)[:4])


def _start(p):
    g = p.given
    if "lr" not in g:
        return None, None
    if "f" in g and ("x0" in g or "start" in g):
        f = g["f"]
        start = g.get("start", (g.get("x0"),))
        names = sorted(f.free_symbols, key=str)
        return f, dict(zip(names, start))
    if "loss" in g:  # train-linear: (w, b) start at (0, 0)
        f = g["loss"]
        return f, {s: 0 for s in f.free_symbols}
    return None, None


def _check_descent_never_starts_at_a_stationary_point(topic, difficulty):
    for p in batch(topic, difficulty):
        f, at = _start(p)
        if f is None or "stationary" in p.prompt:
            continue
        grad = [sympy.diff(f, s).subs(at) for s in sorted(f.free_symbols, key=str)]
        assert any(g != 0 for g in grad), (prompt_text(p), at)


def _sigmoid_arguments(p) -> list:
    expr, vals = p.given.get("L"), p.given.get("values")
    if not isinstance(expr, sympy.Basic) or not isinstance(vals, dict):
        return []
    sub = {s: vals[str(s)] for s in expr.free_symbols if str(s) in vals}
    return [
        sympy.simplify(node.args[0].subs(sub))
        for node in sympy.preorder_traversal(expr)
        if isinstance(node, sympy.Function) and "sigmoid" in type(node).__name__.lower()
    ]


@pytest.mark.parametrize(
    "difficulty", [pytest.param(d, marks=same_batch("backprop", d), id=str(d)) for d in LEVELS]
)
def test_sigmoid_pre_activations_vary(difficulty):
    zs = [z for p in batch("backprop", difficulty) for z in _sigmoid_arguments(p)]
    if zs:
        assert len(set(zs)) >= 3 and any(z != 0 for z in zs), zs


# MSE and MAE say "mean" in their names; the spelled-out losses must say it too
_LOSS_NAMES = re.compile(r"squared error|absolute error|cross-entropy", re.I)
_MEAN_OR_SUM = re.compile(r"mean|sum|Σ|average|total|\(1/\d+\)|1/n|one example", re.I)


def _check_a_named_loss_says_mean_or_sum(topic, difficulty):
    for text in texts(topic, difficulty):
        if _LOSS_NAMES.search(text):
            assert _MEAN_OR_SUM.search(text), text


def _check_which_way_questions_say_how_to_read_the_direction(topic, difficulty):
    for text in texts(topic, difficulty):
        if re.search(r"which way should|direction .*move", text, re.I):
            assert re.search(r"against|opposite|downhill|sign", text, re.I), text


def _check_an_asked_classification_is_graded(topic, difficulty):
    for p in batch(topic, difficulty):
        text = prompt_text(p)
        if re.search(r"classify|say whether each|minimum, maximum or", text, re.I):
            assert p.answer_kind == "choice" or any(
                isinstance(v, str) for v in sympy.flatten([p.answer])
            ), text


_UNNATURAL = [
    ("a double sign", re.compile(r"-\(-|- -|\+ -")),
    ("arctan of tan", re.compile(r"\batan\(tan\(|(?<!a)tan\(atan\(")),
    ("a negative denominator", re.compile(r"/\(-")),
    ("a premise that cannot hold", re.compile(r"every pre-activation is 0")),
]


def _check_prompts_are_written_in_natural_form(topic, difficulty):
    for text in texts(topic, difficulty):
        for what, pattern in _UNNATURAL:
            assert not pattern.search(text), (what, text)


CHECKS = [
    _check_at_least_90_percent_distinct,
    _check_descent_never_starts_at_a_stationary_point,
    _check_a_named_loss_says_mean_or_sum,
    _check_which_way_questions_say_how_to_read_the_direction,
    _check_an_asked_classification_is_graded,
    _check_prompts_are_written_in_natural_form,
]


@pytest.mark.parametrize("topic,difficulty", CASES)
def test_family_is_worth_setting(topic, difficulty):
    # one test per family and level, so that each batch of 20 problems is generated once
    # (on one xdist worker) and every check reads it
    for check in CHECKS:
        check(topic, difficulty)


X, Y = sympy.symbols("x y")


@pytest.mark.parametrize(
    "expr,want",
    [
        (-(-2 * X + sympy.exp(2 * X) - 1) / (4 * X**2), "(2x - exp(2x) + 1)/(4x^2)"),
        (27 / (-9 * X - 3 * Y**2), "-27/(9x + 3y^2)"),
        (-(X - 1) / (X + 2), "(1 - x)/(x + 2)"),
        (-((-3 * X - 1) ** 3), "(3x + 1)^3"),
        (3 * X**2 + 1, "3x^2 + 1"),
    ],
)
def test_natural_form_table(expr, want):
    from tutor.generate.builders import natural, plain

    got = natural(expr)
    assert sympy.simplify(got - expr) == 0
    assert plain(got) == want
