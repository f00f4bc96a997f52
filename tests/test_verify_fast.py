"""``verify`` decides most sample points in machine floats (``tutor.steps._numeric``): the
verdicts must be the 30-digit ones, and a corrupted step must still be refuted on that path.

The tests marked "fast path only" replace the 30-digit evaluation by one that fails, so a
refutation they see was made by the float path."""

from __future__ import annotations

import dataclasses
import random

import pytest
import sympy

import tutor
from tutor.core import Solution, Step, Task
from tutor.steps import _numeric, registry

x, y = sympy.symbols("x y")


@pytest.fixture
def fast_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """verify may not fall back to exact substitution and 30-digit evaluation."""

    def refuse(expr: object, subs: object) -> None:
        raise AssertionError("the 30-digit path was used")

    monkeypatch.setattr(registry, "_value", refuse)


def _corrupt(sol: Solution, rule: str, change) -> Solution:  # noqa: ANN001
    """The solution with the first step of ``rule`` given ``change(after)`` as its result."""
    done = False

    def fix(s: Step) -> Step:
        nonlocal done
        if not done and s.rule == rule:
            done = True
            return dataclasses.replace(s, after=change(s.after))
        return dataclasses.replace(s, substeps=tuple(fix(c) for c in s.substeps))

    out = Solution(sol.task, tuple(fix(s) for s in sol.steps), sol.answer)
    assert done, rule
    return out


@pytest.mark.parametrize(
    "text,rule,change",
    [
        ("sin(3x^2 + 1)", "chain_rule", lambda a: a / 2),  # a lost factor
        ("x^3 e^(2x)", "product_rule", lambda a: a + x**2),  # a wrong term
        ("(x^2 + 1)/(x - 3)", "quotient_rule", lambda a: -a),  # the swapped signs
        ("x^4 - 2x", "power_rule", lambda a: a * (1 + sympy.Rational(1, 10**9))),  # 1e-9 off
    ],
)
def test_a_wrong_derivative_step_is_refuted_in_floats(fast_only, text, rule, change) -> None:  # noqa: ANN001
    sol = tutor.differentiate(text)
    assert registry.verify(sol) == []
    bad = registry.verify(_corrupt(sol, rule, change))
    assert bad and any(rule in p for p in bad), bad


def test_a_wrong_limit_rewrite_is_refuted_in_floats(fast_only) -> None:  # noqa: ANN001
    f = (x**2 - 1) / (x - 1)
    task = Task("limit", {"var": x, "point": sympy.Integer(1)})
    good = Step("factor_and_cancel", sympy.Limit(f, x, 1), sympy.Limit(x + 1, x, 1))
    assert registry.verify(Solution(task, (good,), 2)) == []
    for wrong in (x - 1, x + 1 + sympy.Rational(1, 10**8), 2 * x):
        step = Step("factor_and_cancel", sympy.Limit(f, x, 1), sympy.Limit(wrong, x, 1))
        assert registry.verify(Solution(task, (step,), 2)) != [], wrong


def test_a_wrong_limit_value_is_refuted() -> None:
    sol = tutor.limit("(x^2 - 4)/(x - 2)", "x", "2")
    assert registry.verify(sol) == []
    rules = {s.rule for s in sol.walk()}
    rule = next(r for r in ("factor_and_cancel", "cancel") if r in rules)
    bad = registry.verify(_corrupt(sol, rule, lambda a: a.func(a.args[0] + 1, *a.args[1:])))
    assert bad, bad


def test_a_wrong_descent_row_is_refuted() -> None:
    sol = tutor.gradient_descent("x^2 + 3y^2", [1, 1], "1/10", 4)
    assert registry.verify(sol) == []
    steps = []
    for s in sol.steps:
        if s.rule == "iteration_table":
            its = list(s.data["iterates"])
            its[3] = (its[3][0], its[3][1] * (1 + sympy.Rational(1, 10**6)))
            s = dataclasses.replace(s, data={**s.data, "iterates": its})
        steps.append(s)
    bad = registry.verify(Solution(sol.task, tuple(steps), sol.answer))
    assert any("descent step 2" in p for p in bad), bad


def _thirty_digit_verdict(a: sympy.Expr, b: sympy.Expr, subs: dict) -> bool | None:
    va, vb = registry._value(a, subs), registry._value(b, subs)
    if not (va.is_real and vb.is_real and va.is_finite and vb.is_finite):
        return None
    return bool(abs(va - vb) > sympy.Float("1e-12", 30) * (1 + abs(va)))


@pytest.mark.parametrize("backend", [_numeric.FLOAT, _numeric.MP])
def test_every_fast_verdict_is_the_thirty_digit_verdict(backend) -> None:  # noqa: ANN001
    rng = random.Random(5)
    claims = []
    for topic in ("chain-rule", "derivative-quotient", "derivative-elementary"):
        for seed in range(4):
            p = tutor.generate(topic, seed=seed, difficulty=1 + seed % 3)
            for s in p.solution.walk():
                if isinstance(s.before, sympy.Expr) and isinstance(s.after, sympy.Expr):
                    d = sympy.diff(s.before, x)
                    claims += [(d, s.after), (d, s.after * (1 + sympy.Rational(1, 10**11)))]
    decided = 0
    for a, b in claims:
        for _ in range(3):
            subs = {x: sympy.Rational(rng.randint(-300, 300), 100) or sympy.Rational(1, 7)}
            fast = _numeric.compare(a, b, subs, 1e-12, backend)
            if fast is not None:
                decided += 1
                assert fast[0] == _thirty_digit_verdict(a, b, subs), (a, b, subs)
    assert decided >= len(claims)  # most points are decided on the fast path


@pytest.mark.parametrize(
    "a,b,at",
    [
        ((x + 10**20) ** 2 - 10**40, x**2 + 4 * 10**20, 2),  # cancellation: the bound is too wide
        (sympy.sqrt(x), sympy.sqrt(x), -2),  # leaves the reals
        (sympy.log(x - 2), sympy.log(x - 2), 2),  # a singular point
        (sympy.Heaviside(x), sympy.Heaviside(x), 1),  # a node the fast path does not know
        (1 / (x - 1), 1 / (x - 1), 1),  # a pole
    ],
)
def test_the_fast_path_declines_what_it_cannot_decide(a, b, at) -> None:  # noqa: ANN001
    assert _numeric.compare(a, b, {x: sympy.Integer(at)}, 1e-12) is None


def test_an_ill_conditioned_point_is_decided_by_the_slower_paths() -> None:
    big = sympy.Integer(10) ** 40  # too much cancellation for floats and for 120 bits
    wrong = Step("expand", (x + big) ** 2 - big**2, 2 * big * x + x**2 + 10**30 * x)
    right = Step("expand", (x + big) ** 2 - big**2, 2 * big * x + x**2)
    task = Task("derivative", {"wrt": x})
    for backend in (_numeric.FLOAT, _numeric.MP):
        assert (
            _numeric.compare(wrong.before, wrong.after, {x: sympy.Integer(2)}, 1e-12, backend)
            is None
        )
    assert registry.verify(Solution(task, (wrong,), None)) != []
    assert registry.verify(Solution(task, (right,), None)) == []


R = sympy.Rational


@pytest.mark.parametrize(
    "expr,at,want",
    [
        (sympy.sqrt(x), R(-2), True),
        (sympy.log(x), R(-3, 2), True),
        (x ** R(1, 3), R(-8), True),  # the principal cube root, as sympy takes it
        (sympy.cos(sympy.log(x)), R(-2), True),
        (sympy.sqrt(x - 1) * sympy.sqrt(x - 2), R(0), False),  # i·i√2: real
        (sympy.Abs(sympy.sqrt(x)), R(-4), False),
        (sympy.asin(x), R(2), False),  # branch conventions differ: never guessed
        (sympy.sqrt(x), R(4), False),
    ],
)
def test_not_real_is_certain_or_silent(expr, at, want) -> None:  # noqa: ANN001
    assert _numeric.not_real(expr, {x: at}) is want
    if want:
        assert sympy.N(expr.subs(x, at), 30).is_real is False


def test_not_real_never_contradicts_thirty_digits() -> None:
    rng = random.Random(3)
    said = 0
    for topic in ("derivative-power", "chain-rule", "derivative-elementary"):
        for seed in range(5):
            p = tutor.generate(topic, seed=seed, difficulty=1 + seed % 3)
            for s in p.solution.walk():
                if not isinstance(s.after, sympy.Expr) or not s.after.free_symbols <= {x}:
                    continue
                for _ in range(3):
                    at = {x: sympy.Rational(rng.randint(-300, 300), 100) or sympy.Rational(1, 7)}
                    if _numeric.not_real(s.after, at):
                        said += 1
                        assert sympy.N(s.after.subs(at), 30).is_real is False, (s.after, at)
    assert said > 0
