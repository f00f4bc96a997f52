"""Problems worth setting (issue 16, item 5), read from what each problem's worked solution
computes (its task), so that they hold for every family that sets such a task, present and
future: descent does not start where the gradient is already zero, backprop's pre-activations
are not all 0, a loss says whether it is a mean or a sum, and no prompt keeps a signed form
(--, + -, -(-) a teacher would not write.  Every topic, levels 1-3, 20 seeds each.

A family that fails is marked xfail(strict=True) with the generator file and the fix, so the
mark has to go when the generator is mended.
"""

from __future__ import annotations

import functools
import re

import pytest
import sympy
from _problems import problem, same_batch

from tutor.generate import FAMILIES, prompt_text, topics
from tutor.render.text import render_prompt

SEEDS = range(20)
LEVELS = (1, 2, 3)


@functools.cache
def batch(topic: str, difficulty: int) -> tuple:
    return tuple(problem(topic, s, difficulty) for s in SEEDS)


def _module(topic: str) -> str:
    return FAMILIES[topic].build.__module__.rsplit(".", 1)[-1]


def _cases(modules: set[str] | None, known: dict[tuple[str, int], str]) -> list:
    """(topic, level) of the families in ``modules`` (all when None); ``known`` failures
    (topic, level) -> the generator's defect and its fix, marked strict xfail."""
    out = []
    for t in topics():
        if modules is not None and _module(t) not in modules:
            continue
        for d in LEVELS:
            why = known.get((t, d))
            marks = [same_batch(t, d)]
            if why:
                marks.append(pytest.mark.xfail(strict=True, reason=why))
            out.append(pytest.param(t, d, marks=marks, id=f"{t}-{d}"))
    return out


# -- descent does not start at a stationary point ------------------------------------------
_DESCENT_TASKS = {"gradient_descent", "lab_descent", "diagnose_descent"}
_ABOUT_A_STATIONARY_START = re.compile(r"stationary|already at (a|the) (minimum|maximum)", re.I)


def _gradient_at_start(p) -> list | None:
    task = p.solution.task
    if task.kind not in _DESCENT_TASKS:
        return None
    t = task.params
    f = t["expr"]
    names = list(t.get("variables") or sorted(f.free_symbols, key=str))
    xs = [v if isinstance(v, sympy.Symbol) else sympy.Symbol(str(v)) for v in names]
    start = t["start"]
    start = list(start) if isinstance(start, (list, tuple, sympy.Tuple)) else [start]
    at = dict(zip(xs, [sympy.nsimplify(v) for v in start]))
    return [sympy.simplify(sympy.diff(f, v).subs(at)) for v in xs]


@pytest.mark.parametrize("topic, difficulty", _cases({"descent", "debugging", "review"}, {}))
def test_descent_does_not_start_at_a_stationary_point(topic, difficulty):
    starts = 0
    for p in batch(topic, difficulty):
        grad = _gradient_at_start(p)
        if grad is None or _ABOUT_A_STATIONARY_START.search(prompt_text(p)):
            continue
        starts += 1
        assert any(g != 0 for g in grad), (prompt_text(p), grad)
    if not starts:
        pytest.skip("no descent from a start point in this family")


# -- backprop: pre-activations are not all 0 -----------------------------------------------
_ACTIVATIONS = ("sigmoid", "tanh", "relu", "softplus")


def _pre_activations(p) -> list:
    task = p.solution.task
    if task.kind == "vanishing_gradient":  # at level 3 a bound on the layers, no z asked
        return [sympy.nsimplify(z) for z in task.params.get("z", ())]
    if task.kind != "backprop":
        return []
    f, values = task.params["expr"], task.params["values"]
    at = {s: sympy.nsimplify(values[str(s)]) for s in f.free_symbols if str(s) in values}
    return [
        sympy.simplify(node.args[0].subs(at))
        for node in sympy.preorder_traversal(f)
        if isinstance(node, sympy.Function)
        and any(a in type(node).__name__.lower() for a in _ACTIVATIONS)
    ]


@pytest.mark.parametrize("topic, difficulty", _cases({"backprop", "review"}, {}))
def test_pre_activations_are_not_all_zero(topic, difficulty):
    zs = [z for p in batch(topic, difficulty) for z in _pre_activations(p)]
    if not zs:
        pytest.skip("no activation in this family")
    assert any(z != 0 for z in zs), zs


# -- a loss says whether it is a mean or a sum ---------------------------------------------
_LOSS_TASKS = {"loss", "loss_gradient", "vectorised_gradient"}
_A_LOSS = re.compile(r"\bloss\b|squared error|absolute error|cross-entropy|\bMSE\b|\bMAE\b", re.I)
_MEAN_OR_SUM = re.compile(
    r"mean|sum|Σ|average|total|\bMSE\b|\bMAE\b|\(1/\d+\)|1/n|/n\b|one example|single example", re.I
)


def _states_a_loss_over_data(p) -> bool:
    """A loss over several examples: its value or gradient is asked, or a loss is fitted."""
    task = p.solution.task
    if task.kind in _LOSS_TASKS:
        return True
    return p.topic == "train-linear"


@pytest.mark.parametrize(
    "topic, difficulty", _cases({"losses", "descent", "backprop", "debugging", "review"}, {})
)
def test_a_loss_prompt_says_mean_or_sum(topic, difficulty):
    asked = [prompt_text(p) for p in batch(topic, difficulty) if _states_a_loss_over_data(p)]
    if not asked:
        pytest.skip("no loss over data in this family")
    for text in asked:
        assert _A_LOSS.search(text) is None or _MEAN_OR_SUM.search(text), text


# -- no odd signed forms -------------------------------------------------------------------
_SIGNED = re.compile(r"--|\+\s*-|-\s+-|-\(-|[−-]\s*[−-](?=\s*\d|\s*[a-z(])|\+\s*−|−\(−")


@pytest.mark.parametrize("topic, difficulty", _cases(None, {}))
def test_prompts_have_no_signed_forms(topic, difficulty):
    for p in batch(topic, difficulty):
        for text in (prompt_text(p), render_prompt(p, False), render_prompt(p, True)):
            assert not _SIGNED.search(text), text


@pytest.mark.parametrize(
    "text, odd",
    [
        ("f(x) = −(−2x + e^(2x) − 1)/(4x²)", True),
        ("f(x) = x + -2", True),
        ("f(x) = x - -2", True),
        ("L = --w", True),
        ("x = (-2, -1, 0, 1), y = (2, 1, -2, -1)", False),
        ("f(x) = −x² − 5x", False),
        ("on [-3, 4] from x0 = -1", False),
    ],
)
def test_the_signed_form_pattern(text, odd):
    assert bool(_SIGNED.search(text)) is odd
