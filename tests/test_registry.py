"""The rule registry: every rule any engine or generator uses is declared, and ``verify``
finds no refuted claim in solutions of every topic, every difficulty, several seeds."""

from __future__ import annotations

import pytest
import sympy
from _problems import problem

import tutor
from tutor.core import Solution, Step, Task
from tutor.steps import registry
from tutor.steps.malrules import RULE_TO_REVISIT

TOPICS = tutor.topics()


@pytest.mark.parametrize("topic", TOPICS)
def test_every_rule_of_every_topic_is_declared(topic: str) -> None:
    for difficulty in (1, 2, 3):
        for seed in (0, 1, 2):
            sol = problem(topic, seed, difficulty).solution
            assert registry.unknown_rules(sol) == [], (topic, difficulty, seed)


@pytest.mark.parametrize("topic", TOPICS)
def test_verify_passes_on_every_topic(topic: str) -> None:
    for difficulty in (1, 2, 3):
        sol = problem(topic, difficulty, difficulty).solution
        assert registry.verify(sol, points=2) == [], (topic, difficulty)


@pytest.mark.parametrize(
    "solve",
    [
        lambda: tutor.differentiate("x^2 sin(3x)"),
        lambda: tutor.differentiate("sin(x)/x^2"),
        lambda: tutor.differentiate("x^2 y + e^(x y)", wrt=["x", "y"]),
        lambda: tutor.limit("(x^2 - 1)/(x - 1)", "x", "1"),
        lambda: tutor.limit("sin(3x)/x", "x", "0"),
        lambda: tutor.critical_points("x^3 - 3x"),
        lambda: tutor.gradient_descent("x^2 - 4x", [0], 0.1, 3),
        lambda: tutor.backprop("sigmoid(w*x + b)", {"w": 0.5, "x": 2, "b": -1}),
    ],
)
def test_engine_solutions_are_declared_and_verified(solve) -> None:  # noqa: ANN001
    sol = solve()
    assert registry.unknown_rules(sol) == []
    assert registry.verify(sol) == []


x = sympy.Symbol("x")


def _unchecked_step(rule: str, before: object, after: object) -> Step:
    """A Step of an undeclared rule, made with the test-suite check off (for ``verify``)."""
    import tutor.core

    tutor.core.STRICT_RULES = False
    try:
        return Step(rule, before, after)
    finally:
        tutor.core.STRICT_RULES = True


WRONG = [
    # (step, task) whose claim is false: verify must say so
    (Step("power_rule", x**3, 3 * x), Task("derivative", {"wrt": x})),
    (Step("expand", (x + 1) ** 2, x**2 + 1), Task("derivative", {"wrt": x})),
    (
        Step(
            "factor_and_cancel", sympy.Limit((x**2 - 1) / (x - 1), x, 1), sympy.Limit(x - 1, x, 1)
        ),
        Task("limit", {"var": x, "point": sympy.Integer(1)}),
    ),
    (_unchecked_step("no_such_rule", x, x), Task("derivative", {"wrt": x})),
]


@pytest.mark.parametrize("step,task", WRONG)
def test_verify_refutes_false_claims(step: Step, task: Task) -> None:
    assert registry.verify(Solution(task, (step,), None)) != []


def test_every_rule_states_itself() -> None:
    for r in registry.RULES.values():
        assert r.claims in registry.CLAIMS and r.title and r.rewrite, r


def test_quiz_and_malrules_read_the_registry() -> None:
    from tutor import quiz

    assert quiz._TRIVIAL is registry.TRIVIAL
    assert RULE_TO_REVISIT is registry.MISTAKES
    assert set(registry.MISTAKES.values()) <= set(registry.RULES)


_X = sympy.Symbol("x")


@pytest.mark.parametrize(
    ("expr", "at"),
    [
        (1 / (_X - 1), 1),  # a pole: the exact path gives zoo, never a huge number
        ((_X - 1) / (_X**2 - 1), 1),  # 0/0: nan, never a value made of rounding noise
        (sympy.sin(_X) / _X, 0),
        (sympy.log(_X), sympy.Rational(-3, 2)),  # not real
        (sympy.sqrt(_X) * sympy.exp(3 * _X), sympy.Rational(7, 4)),
        (sympy.atan(1 / _X), 0),  # AccumBounds on the exact path
        (sympy.Function("f")(_X) + _X, 2),  # not a plain node: substituted
        (sympy.Abs(_X - 2) * sympy.cos(_X) ** 2 / (_X + 3), sympy.Rational(-29, 10)),
    ],
)
def test_sample_value_is_the_substituted_value(expr: sympy.Expr, at: sympy.Rational) -> None:
    exact = sympy.N(expr.subs(_X, at), 30)
    fast = registry._value(expr, {_X: sympy.sympify(at)})
    if isinstance(exact, sympy.Float):
        assert abs(fast - exact) <= sympy.Float("1e-28") * (1 + abs(exact))
    else:
        assert (fast.is_real, fast.is_finite) == (exact.is_real, exact.is_finite)
        assert fast == exact or exact.is_real is False


# -- descent and backprop rows: every step recomputed ----------------------------------------

ROW_TOPICS = ["descent-1d", "descent-2d", "train-linear", "backprop"]


@pytest.mark.parametrize("topic", ROW_TOPICS)
def test_descent_and_backprop_rows_verify_over_many_seeds(topic: str) -> None:
    for difficulty in (1, 2, 3):
        for seed in range(6):
            sol = problem(topic, seed, difficulty).solution
            assert registry.verify(sol, points=1) == [], (topic, difficulty, seed)


ROW_ENGINES = [
    lambda: tutor.gradient_descent("x^2 + 3y^2", [1, 1], "1/10", 5),
    lambda: tutor.gradient_descent("x^2", 3, "0.1", 100),  # many steps, decimals
    lambda: tutor.gradient_descent("x^4", 3, "1/10", 8, momentum="1/2"),
    lambda: tutor.gradient_descent("x^2", 1, "1.5", 6),  # diverging
    lambda: tutor.gradient_descent("(x - 1)^2 + (y + 2)^2", [0, 0], "0.25", 40, tol="1e-6"),
    lambda: tutor.backprop("relu(w1*x) + w1^2", {"w1": "0.5", "x": 3}),
    lambda: tutor.backprop("sigmoid(w*x + b)", {"w": "1/2", "x": 2, "b": -1}),
    lambda: tutor.backprop("(x*y + x)^2", {"x": 2, "y": -1}),  # shared node
    lambda: tutor.backprop("exp(z1)/(exp(z1) + exp(z2))", {"z1": 1, "z2": 0}),
]


@pytest.mark.parametrize("solve", ROW_ENGINES)
def test_descent_and_backprop_engine_rows_verify(solve) -> None:  # noqa: ANN001
    assert registry.verify(solve()) == []


def _tampered_descent() -> Solution:
    import dataclasses

    sol = tutor.gradient_descent("x^2 - 4x", 0, "1/10", 3)
    steps = []
    for s in sol.steps:
        if s.rule == "iteration_table":
            its = list(s.data["iterates"])
            its[2] = (its[2][0] + sympy.Rational(1, 100),)
            s = dataclasses.replace(s, data={**s.data, "iterates": its})
        steps.append(s)
    return Solution(sol.task, tuple(steps), sol.answer)


def _tampered_backprop() -> Solution:
    import dataclasses

    sol = tutor.backprop("sigmoid(w*x + b)", {"w": "1/2", "x": 2, "b": -1})
    steps = []
    for s in sol.steps:
        if s.rule == "computational_graph":
            g = s.data["graph"]
            nodes = tuple(
                dataclasses.replace(n, grad=n.grad * 2) if n.id == "w" else n for n in g.nodes
            )
            s = dataclasses.replace(
                s, data={**s.data, "graph": dataclasses.replace(g, nodes=nodes)}
            )
        steps.append(s)
    return Solution(sol.task, tuple(steps), sol.answer)


@pytest.mark.parametrize(
    "make,says",
    [(_tampered_descent, "descent step 1"), (_tampered_backprop, "gradient of w")],
)
def test_verify_refutes_a_wrong_row(make, says: str) -> None:  # noqa: ANN001
    problems = registry.verify(make())
    assert problems and any(says in p for p in problems), problems


def test_an_undeclared_step_id_is_an_error_in_the_tests() -> None:
    import tutor.core

    assert tutor.core.STRICT_RULES  # turned on by tests/conftest.py
    with pytest.raises(ValueError, match="not declared in tutor/steps/registry.py"):
        Step("no_such_rule_anywhere", x, x)
    assert tutor.core.UNDECLARED == {"no_such_rule_anywhere"}
    tutor.core.UNDECLARED.clear()  # seen here on purpose: the conftest check stays quiet
    Step("chain_rule", x, x)  # a declared id is fine


def test_every_mistake_code_sends_back_to_a_declared_rule() -> None:
    import re
    from pathlib import Path

    import tutor.steps.malrules_more as more

    src = Path(more.__file__).read_text(encoding="utf-8")
    found = re.findall(r'"((?:descent|loss|limit|critical|extrema|backprop)_[a-z_0-9]+)"', src)
    codes = {c for c in found if not c.endswith("_mistakes")}  # not the function names
    assert codes and codes <= set(registry.MISTAKES), codes - set(registry.MISTAKES)
    assert all(registry.MISTAKES[c] in registry.RULES for c in codes)
