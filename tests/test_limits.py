"""Limits: every strategy on its own, hundreds of limits against sympy.limit, step checks."""

from __future__ import annotations

import random

import pytest
import sympy
from sympy import Limit, Rational, oo

from tutor.core import DNE, Table
from tutor.steps.limits import derivative_from_definition, limit

x = sympy.Symbol("x")


def E(text: str) -> sympy.Expr:  # noqa: N802 - literal test input written here, never user text
    return sympy.sympify(text, locals={"x": x})


def reference(f: sympy.Expr, a: object, direction: str = "+-") -> object:
    """sympy's limit; DNE when the sides differ, the answer is zoo or it oscillates."""
    try:
        v = sympy.limit(f, x, a) if a in (oo, -oo) else sympy.limit(f, x, a, direction)
    except ValueError:
        return DNE
    if v is sympy.zoo or isinstance(v, sympy.AccumBounds):
        return DNE
    return v


def assert_same(got: object, want: object) -> None:
    if want is DNE or got is DNE:
        assert got is want
    elif want in (oo, -oo):
        assert got == want
    else:
        assert sympy.simplify(got - want) == 0, (got, want)


def _near(a: object, direction: str, rng: random.Random) -> list[sympy.Expr]:
    if a == oo:
        return [Rational(rng.randint(50, 400)) for _ in range(3)]
    if a == -oo:
        return [-Rational(rng.randint(50, 400)) for _ in range(3)]
    signs = {"+": (1, 1), "-": (-1, -1)}.get(direction, (1, -1))
    return [a + s * Rational(rng.randint(1, 90), 1000) for s in signs]


def check_steps(sol: object, seed: int = 0) -> None:
    """Rewrites are identities near the point; L'Hôpital only on true indeterminate forms."""
    rng = random.Random(seed)
    for step in sol.walk():
        b, a_ = step.before, step.after
        rewrite = isinstance(b, Limit) and isinstance(a_, Limit) and b.args[1:] == a_.args[1:]
        if rewrite and step.rule != "lhopital":
            var, point = b.args[1], b.args[2]
            for p in _near(point, str(b.args[3]) if len(b.args) > 3 else "+-", rng):
                u = sympy.N(b.args[0].subs(var, p), 30)
                v = sympy.N(a_.args[0].subs(var, p), 30)
                if not (u.is_real and v.is_real):
                    continue
                assert abs(u - v) <= 1e-15 * (1 + abs(u)), (step.rule, b, a_, p)
        if step.rule == "lhopital":
            var, point = b.args[1], b.args[2]
            d = str(b.args[3]) if len(b.args) > 3 and point not in (oo, -oo) else None
            tops = []
            for part in (step.data["top"], step.data["bottom"]):
                lims = (
                    [sympy.limit(part, var, point, s) for s in ("+", "-")]
                    if d == "+-"
                    else [sympy.limit(part, var, point, d) if d else sympy.limit(part, var, point)]
                )
                tops.append(lims)
            flat = [v for lims in tops for v in lims]
            if step.data["form"] == "0/0":
                assert all(v == 0 for v in flat), (b, flat)
            else:
                assert all(abs(v) == oo for v in flat), (b, flat)


def rules(sol: object) -> list[str]:
    return [s.rule for s in sol.walk()]


# ---------------------------------------------------------------- each strategy alone
STRATEGIES = [
    ("x**2 + 3*x", 2, "+-", "direct_substitution"),
    ("sqrt(x + 5)", 4, "+-", "direct_substitution"),
    ("(x**2 - 1)/(x - 1)", 1, "+-", "factor_and_cancel"),
    ("(x**3 - 8)/(x - 2)", 2, "+-", "factor_and_cancel"),
    ("(sqrt(x + 4) - 2)/x", 0, "+-", "rationalise"),
    ("(3 - sqrt(x))/(9 - x)", 9, "+-", "rationalise"),
    ("sin(3*x)/x", 0, "+-", "standard_trig_limit"),
    ("(1 - cos(x))/x", 0, "+-", "standard_trig_limit"),
    ("tan(2*x)/x", 0, "+-", "standard_trig_limit"),
    ("(exp(x) - 1)/x", 0, "+-", "standard_limit"),
    ("(tan(x) - x)/x**3", 0, "+-", "lhopital"),
    ("(x - sin(x))/x**3", 0, "+-", "lhopital"),
    ("(exp(x) - 1 - x)/x**2", 0, "+-", "lhopital"),
    ("log(x)/(x - 1)", 1, "+-", "standard_limit"),
    ("x*log(x)", 0, "+", "rewrite_indeterminate"),
    ("1/x - 1/(exp(x) - 1)", 0, "+", "common_denominator"),
    ("(1 + 1/x)**x", oo, "+-", "log_transform"),
    ("x**x", 0, "+", "log_transform"),
    ("x**(1/x)", oo, "+-", "log_transform"),
    ("(3*x**2 + 1)/(5*x**2 - x)", oo, "+-", "divide_by_highest_power"),
    ("x**3 - 100*x**2", oo, "+-", "dominant_term"),
    ("sqrt(4*x**2 + 1)/(3*x - 2)", oo, "+-", "dominant_term"),
    ("x**2*exp(-x)", oo, "+-", "growth_order"),
    ("log(x)/sqrt(x)", oo, "+-", "growth_order"),
    ("sqrt(x**2 + x) - x", oo, "+-", "rationalise"),
    ("1/x", 0, "+", "sign_analysis"),
    ("1/(x - 2)**2", 2, "+-", "sign_analysis"),
    ("1/x", 0, "+-", "sides_differ"),
    ("Abs(x)/x", 0, "+-", "sides_differ"),
    ("Abs(x - 3)/(x - 3)", 3, "-", "one_sided"),
    ("sin(1/x)", 0, "+-", "oscillation"),
    ("cos(x)", oo, "+-", "oscillation"),
    ("x**2*sin(1/x)", 0, "+-", "squeeze"),
    ("x*cos(1/x)", 0, "+-", "squeeze"),
    ("sin(x)/x", oo, "+-", "squeeze"),
    ("atan(x)", oo, "+-", "composition"),
    ("exp(-x**2)", oo, "+-", "limit_laws"),
    ("cos(1/x)", oo, "+-", "composition"),
    ("(2*x + 1)/(x - 3)", -oo, "+-", "divide_by_highest_power"),
    ("sqrt(x**2 + 1)/x", -oo, "+-", "change_of_variable"),
]


@pytest.mark.parametrize(("text", "point", "direction", "rule"), STRATEGIES)
def test_strategy(text: str, point: object, direction: str, rule: str) -> None:
    f = E(text)
    sol = limit(f, "x", point, direction)
    assert rule in rules(sol), rules(sol)
    assert not sol.uses_cas
    assert_same(sol.answer, reference(f, point, direction))
    check_steps(sol)


# ---------------------------------------------------------------- classics
CLASSICS = [
    ("(x**2 - 4)/(x - 2)", 2),
    ("(x**2 + x - 6)/(x - 2)", 2),
    ("(x**2 - 9)/(x**2 - 2*x - 3)", 3),
    ("(x**4 - 1)/(x - 1)", 1),
    ("(1/x - 1/3)/(x - 3)", 3),
    ("((2 + x)**2 - 4)/x", 0),
    ("(sqrt(x**2 + 9) - 3)/x**2", 0),
    ("(x - 1)/(sqrt(x) - 1)", 1),
    ("sin(x)**2/x**2", 0),
    ("sin(5*x)/sin(2*x)", 0),
    ("x/tan(x)", 0),
    ("(1 - cos(2*x))/x**2", 0),
    ("sin(x - 1)/(x**2 - 1)", 1),
    ("(exp(2*x) - 1)/x", 0),
    ("log(1 + 3*x)/x", 0),
    ("(exp(x) - 1 - x)/x**2", 0),
    ("(1 + x)**(1/x)", 0),
    ("(1 - 2/x)**x", oo),
    ("x*sin(1/x)", oo),
    ("exp(x)/x**5", oo),
    ("x**3*exp(-x)", oo),
    ("log(x)**2/x", oo),
    ("(2*x**3 - x)/(x**2 + 1)", oo),
    ("(2*x**3 - x)/(x**2 + 1)", -oo),
    ("(x**2 + 1)/(x**3 - 5)", -oo),
    ("sqrt(9*x**2 + x)/(2*x)", -oo),
    ("sqrt(x**2 + 3*x) - x", oo),
    ("x - sqrt(x**2 - 2*x)", oo),
    ("exp(x)", -oo),
    ("atan(x)", -oo),
    ("exp(1/x)", 0),
    ("1/(x - 3)", 3),
    ("(x + 2)/(x**2 - 4)", 2),
    ("1/x**2 - 1/x", 0),
    ("tan(x)", sympy.pi / 2),
    ("floor(x)", 2),
    ("Abs(x**2 - 4)/(x - 2)", 2),
    ("x*log(x)**2", 0),
    ("sin(x)/sqrt(x)", 0),
    ("cos(1/x)", 0),
    ("x**2*cos(1/x**2)", 0),
    ("(cos(x) - 1)/x**2", 0),
    ("(sin(x) - x)/x**3", 0),
    ("(x**x - 1)/log(x)", 1),
]


@pytest.mark.parametrize(("text", "point"), CLASSICS)
def test_classics(text: str, point: object) -> None:
    f = E(text)
    for direction in ("+-",) if point in (oo, -oo) else ("+-", "+", "-"):
        try:
            want = reference(f, point, direction)
        except NotImplementedError:
            continue
        sol = limit(f, "x", point, direction)
        assert_same(sol.answer, want)
        check_steps(sol)


# ---------------------------------------------------------------- random families
def _family(seed: int) -> tuple[sympy.Expr, object]:
    rng = random.Random(seed)
    kind = seed % 6
    a = rng.randint(-4, 4)
    p, q, r, s = (rng.choice([-3, -2, -1, 1, 2, 3]) for _ in range(4))
    if kind == 0:  # rational with a common factor
        f = sympy.expand((x - a) * (p * x + q)) / sympy.expand((x - a) * (r * x + s))
        return f, a
    if kind == 1:  # conjugate form
        c = rng.randint(1, 5)
        return (sympy.sqrt(x + c**2) - c) / (p * x), 0
    if kind == 2:  # standard trig limits
        k, m = rng.randint(1, 5), rng.randint(1, 5)
        g = rng.choice([sympy.sin(k * x), sympy.tan(k * x), 1 - sympy.cos(k * x)])
        h = rng.choice([m * x, sympy.sin(m * x), m * x**2])
        return g / h, 0
    if kind == 3:  # rational at infinity
        dn, dd = rng.randint(0, 3), rng.randint(1, 3)
        num = sum(rng.randint(-5, 5) * x**i for i in range(dn)) + p * x**dn
        den = sum(rng.randint(-5, 5) * x**i for i in range(dd)) + r * x**dd
        return num / den, rng.choice([oo, -oo])
    if kind == 4:  # roots at infinity
        c = rng.randint(1, 4)
        return sympy.sqrt(c**2 * x**2 + p * x + 1) - c * x, oo
    k = rng.randint(1, 3)  # growth order
    return rng.choice([x**k * sympy.exp(-x), sympy.log(x) ** k / x, sympy.exp(x) / x**k]), oo


@pytest.mark.parametrize("seed", range(240))
def test_random_family(seed: int) -> None:
    f, a = _family(seed)
    sol = limit(f, "x", a)
    assert_same(sol.answer, reference(f, a))
    assert not sol.uses_cas, (f, a, rules(sol))
    check_steps(sol, seed)


# ---------------------------------------------------------------- answers and options
def test_answers_are_dne_and_infinities() -> None:
    assert limit(E("1/x"), "x", 0).answer is DNE
    assert limit(E("1/x"), "x", 0, "+").answer == oo
    assert limit(E("1/x"), "x", 0, "-").answer == -oo
    assert limit(E("-1/x**2"), "x", 0).answer == -oo
    assert limit(E("sin(1/x)"), "x", 0).answer is DNE


def test_task_records_the_question() -> None:
    sol = limit(E("sin(x)/x"), "x", 0)
    assert sol.task.kind == "limit"
    assert set(sol.task.params) == {"expr", "var", "point", "direction"}
    assert sol.to_dict()["answer"] == 1


def test_point_strings() -> None:
    assert limit(E("atan(x)"), "x", "oo").answer == sympy.pi / 2
    assert limit(E("exp(x)"), "x", "-oo").answer == 0


def test_table_of_values_is_deterministic() -> None:
    sol = limit(E("sin(x)/x"), "x", 0, table=True)
    first = sol.steps[0]
    assert first.rule == "table_of_values"
    table = first.after
    assert isinstance(table, Table)
    assert len(table.rows) == 8
    assert table.rows[0][0] == Rational(-1, 10)
    assert all(abs(float(r[1]) - 1) < 0.01 for r in table.rows)
    again = limit(E("sin(x)/x"), "x", 0, table=True)
    assert again.to_dict() == sol.to_dict()


def test_table_at_infinity() -> None:
    sol = limit(E("(1 + 1/x)**x"), "x", oo, table=True)
    rows = sol.steps[0].after.rows
    assert rows[-1][0] == 10**5
    assert abs(float(rows[-1][1]) - 2.71827) < 1e-4


def test_activation_functions() -> None:
    from tutor.functions import sigmoid, softplus

    assert limit(sigmoid(x), "x", oo).answer == 1
    assert limit(sigmoid(x), "x", -oo).answer == 0
    assert limit(softplus(x) - x, "x", oo).answer == 0


def test_bad_direction() -> None:
    with pytest.raises(ValueError):
        limit(E("x"), "x", 0, "up")


def test_explanations_use_placeholders() -> None:
    for text, point, direction, _ in STRATEGIES:
        for step in limit(E(text), "x", point, direction).walk():
            assert "**" not in step.explanation, (step.rule, step.explanation)


# ---------------------------------------------------------------- first principles
DEFINITIONS = [
    ("x**2 + 3*x", None),
    ("x**2 + 3*x", 1),
    ("5*x**3 - x", None),
    ("7", None),
    ("1/x", None),
    ("1/(2*x + 1)", 3),
    ("x/(x + 1)", None),
    ("sqrt(x)", None),
    ("sqrt(x)", 4),
    ("3*sqrt(2*x + 1)", None),
    ("sin(x)", None),
    ("cos(x)", None),
    ("2*sin(3*x)", None),
    ("cos(2*x + 1)", 0),
    ("exp(x)", None),
    ("exp(-2*x)", None),
]


@pytest.mark.parametrize(("text", "at"), DEFINITIONS)
def test_derivative_from_definition(text: str, at: object) -> None:
    f = E(text)
    sol = derivative_from_definition(f, at)
    want = sympy.diff(f, x) if at is None else sympy.diff(f, x).subs(x, at)
    assert sympy.simplify(sol.answer - want) == 0
    assert sol.task.kind == "derivative_definition"
    assert sol.steps[0].rule == "difference_quotient"
    assert not sol.uses_cas
    h = sympy.Symbol("h")
    q = sol.steps[0].after.args[0]
    rng = random.Random(1)
    p = Rational(rng.randint(1, 9), 7)
    for step in sol.walk()[1:]:
        if isinstance(step.after, Limit):  # every rewrite equals the difference quotient
            hv = Rational(1, 37)
            u = sympy.N(q.subs(x, p).subs(h, hv), 30)
            v = sympy.N(step.after.args[0].subs(x, p).subs(h, hv), 30)
            assert abs(u - v) < 1e-20, (step.rule, step.after)


def test_definition_polynomial_steps() -> None:
    sol = derivative_from_definition(E("x**2 + 3*x"))
    assert rules(sol) == ["difference_quotient", "expand", "cancel_h", "let_h_tend_to_zero"]
    assert sol.answer == 2 * x + 3
