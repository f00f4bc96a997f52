"""Regression tests for the classes of board defect left from the last review (issue 12):
each pins the cause in the engine or the printer, and the linter rule that finds it."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest
import sympy
from _board_lint import _arrow_findings, _heading_findings, _long_lines, _restated, lint

import tutor
from tutor.core import Solution, Step, Task
from tutor.render import latex, markdown, text
from tutor.render.base import Arrow, board, display
from tutor.render.mathtext import math_text

x, h = sympy.symbols("x h")


def _flat(s: str) -> str:
    return " ".join(s.split())


# 1. a limit that does not exist ------------------------------------------------------------


def test_sides_differ_writes_both_sides_and_says_no_limit() -> None:
    """Brief detail: "The two sides differ" is followed by lim⁻ = ∞, lim⁺ = −∞ and
    "lim … does not exist", never a heading above nothing."""
    sol = tutor.limit("(4x + 5)/(x + 4)", "x", "-4")
    brief = text.render_solution(sol, detail="brief")
    assert "lim(x→−4⁻) (4x + 5)/(x + 4) = ∞" in brief
    assert "lim(x→−4⁺) (4x + 5)/(x + 4) = −∞" in brief
    assert "lim(x→−4) (4x + 5)/(x + 4) does not exist" in brief
    tex = latex.render_solution(sol, detail="brief")
    assert r"\lim_{x \to -4}\left(\frac{4 x + 5}{x + 4}\right) \text{ does not exist}" in tex
    assert _heading_findings(sol, "brief") == []
    # one-sided limits already written as lines above are not written again
    sol = tutor.limit("abs(x)/x", "x", "0")
    last = board(sol, "brief")[-1]
    assert [math_text(i) for i in display(last, sol.task)] == ["lim(x→0) |x|/x does not exist"]


def test_linter_finds_a_heading_without_a_line() -> None:
    task = Task("limit", {}, "")
    bare = Step("sides_differ", None, None, "")
    sol = Solution(task, (bare,), None)
    assert _heading_findings(sol, "standard") == [
        ("heading without a line", "The two sides differ")
    ]
    # a step whose words are all it has keeps them at brief detail (a diagnosis)
    p = tutor.generate("descent-1d", seed=0, difficulty=1)
    assert _heading_findings(p.solution, "brief") == []


# 2. brief chains: no constant dropped as its own link, long chains wrapped --------------------


@pytest.mark.parametrize(
    ("expr", "chain"),
    [("3x - 2", "d/dx [3x − 2] = 3"), ("-2x^2 - 4", "d/dx [−2x² − 4] = −2 d/dx [x²] = −4x")],
)
def test_brief_chain_does_not_drop_a_constant_as_a_link(expr: str, chain: str) -> None:
    sol = tutor.differentiate(expr)
    (line,) = [i for i in display(board(sol, "brief")[0], sol.task) if isinstance(i, Arrow)]
    assert " = ".join(math_text(p) for p in line.parts) == chain
    d = sympy.Derivative
    idle = Arrow(d(3 * x - 2, x), 3, "=", [d(3 * x - 2, x), d(3 * x, x), sympy.Integer(3)])
    assert ("idle step", "sum_rule: d/dx [3x − 2] = d/dx [3x] = 3") in _arrow_findings(
        Step("sum_rule", 3 * x - 2, 3), idle
    )


def test_a_long_chain_goes_one_link_a_line() -> None:
    """Each line of a long chain starts with = under the first one (text), and LaTeX
    aligns it (aligned); the linter finds a breakable line past the page width."""
    sol = tutor.differentiate("9sqrt(x) + 2x^2 + 2x + 8/x^2")
    out = text.render_solution(sol, detail="brief")
    assert _long_lines(out) == [] and all(len(ln) <= text.WIDTH for ln in out.splitlines())
    rows = [ln for ln in out.splitlines() if ln.lstrip().startswith("= ")]
    assert len(rows) >= 2 and len({ln.index("=") for ln in rows}) == 1
    assert r"\begin{aligned}" in latex.render_solution(sol, detail="brief")
    assert r"\begin{aligned}" in markdown.render_solution(sol, detail="brief")
    assert _long_lines("task\n   " + " = ".join(["d/dx [x² + 3x]"] * 8))


# 3. a maximum is an equality ---------------------------------------------------------------


def test_sigmoid_maximum_is_an_equality() -> None:
    """σ'(0) = 1/2·1/2 = 1/4, never (1 − σ(z))·σ(z) → 1/4; the linter finds an arrow from
    a function to a number in any rule (it read only evaluate rules)."""
    sol = tutor.generate("vanishing-gradient", seed=0, difficulty=1).solution
    step = next(s for s in sol.steps if s.rule == "maximum")
    (line,) = display(step, sol.task)
    assert line.sign == "=" and math_text(line.parts[0]) == "σ'(0)"
    assert math_text(line.parts[-1]) == "1/4"
    z = sympy.Symbol("z")
    bad = Step("maximum", z * (1 - z), sympy.Rational(1, 4))
    assert ("arrow for equality", "maximum: z·(1 − z) → 1/4") in _arrow_findings(
        bad, Arrow(z * (1 - z), sympy.Rational(1, 4))
    )


def test_a_minimiser_is_the_solution_of_an_equation() -> None:
    """The shrunken minimiser reads 3w + 4 = 0 → w* = −4/3 (not 3w + 4 → −4/3)."""
    from tutor.ml.regularization import l2

    sol = l2("(w + 2)^2", "1/2")
    step = next(s for s in sol.steps if s.rule == "shrunken_minimiser")
    (line,) = display(step, sol.task)
    assert text.render_math(line) == "3w + 4 = 0 → w* = −4/3"
    assert _arrow_findings(step, line) == []


# 4. conditions joined by words in LaTeX ----------------------------------------------------


def test_conditions_read_and_in_latex_and_mathml() -> None:
    from tutor.render.mathml import _latex

    for seed in range(3):
        p = tutor.generate("domain", seed=seed, difficulty=2)
        for out in (
            latex.render_solution(p.solution, detail="standard"),
            markdown.render_solution(p.solution, detail="brief"),
        ):
            assert r"\wedge" not in out and r"\vee" not in out
    both = sympy.And(x > 0, sympy.Ne(x, 1), evaluate=False)
    assert r"\text{ and }" in latex.tex(both) and r"\text{ and }" in _latex(both)


# 5. difference quotients in the order the formula says them --------------------------------


def test_difference_quotient_is_written_as_f_of_x_plus_h_minus_f_of_x() -> None:
    sol = tutor.derivative_from_definition("x^2 + 3x")
    first = display(sol.steps[0], sol.task)[0]
    assert math_text(first.parts[-1]) == "lim(h→0) ((x + h)² + 3(x + h) − (x² + 3x))/h"
    out = _flat(text.render_solution(sol, detail="brief"))
    assert "= lim(h→0) (h² + 2h·x + 3h)/h = lim(h→0) (h + 2x + 3) = 2x + 3" in out
    at = tutor.derivative_from_definition("sqrt(x)", at=4)
    assert "f'(4) = lim(h→0) (√(4 + h) − 2)/h" in text.render_solution(at, detail="brief")
    assert "Subs(" not in text.render_solution(at, detail="standard")


def test_secant_slope_keeps_the_order_of_the_formula() -> None:
    from tutor.steps.analysis import secant_slope

    out = text.render_solution(secant_slope("x^2 + 3x", -2, 2), detail="standard")
    assert "(f(2) − f(−2))/(2 − (−2)) = (10 − (−2))/(2 − (−2)) = 3" in out
    assert out.startswith("Find the average rate of change of f(x) = x² + 3x on [−2, 2].")
    out = text.render_solution(secant_slope("-5x^3 + 5x^2 - 9x - 1", -2, 0), detail="brief")
    assert "(−1 − 77)/(0 − (−2)) = −39" in out


# 7. composition shows every value put in ---------------------------------------------------


def test_composition_shows_each_value_put_in() -> None:
    from tutor.steps import registry
    from tutor.steps.analysis import composition

    sol = composition("3x - 1", "x^2 + 1", at=2)
    out = text.render_solution(sol, detail="brief")
    for line in ("g(2) = 2² + 1 = 5", "f(5) = 3·5 − 1 = 14", "f(g(2)) = f(5) = 14"):
        assert line in out
    assert sol.answer == 14 and registry.verify(sol) == []
    three = composition("sqrt(x + 3)", "x^2", "2x + 1", at=-1)
    assert "f(g(h(−1))) = f(g(−1)) = f(1) = 2" in text.render_solution(three, detail="brief")
    formula = composition("-4x - 1", "4x^2")
    assert "f(4x²) = −4·4x² − 1 = −16x² − 1" in text.render_solution(formula, detail="brief")
    assert sympy.expand(formula.answer - (-16 * x**2 - 1)) == 0
    for s in (sol, three, formula):
        assert lint(SimpleNamespace(solution=s, topic="composition", prompt="")) == []


# 8. the loss as written --------------------------------------------------------------------


def test_backprop_keeps_the_loss_as_given() -> None:
    """The engine writes the loss it is handed, (y − σ(b + w·x))², in the task and the
    graph; the linter finds a solution that writes the problem's function in another order."""
    from tutor.functions import sigmoid
    from tutor.ml.backpropagation import backprop

    w, b, y = sympy.symbols("w b y")
    loss = (y - sigmoid(w * x + b)) ** 2
    sol = backprop(loss, {"w": 2, "b": -6, "x": 3, "y": 1})
    out = text.render_solution(sol, detail="standard")
    assert out.startswith("Find the gradient of (y − σ(b + w·x))²")
    restated = SimpleNamespace(
        given={"L": loss}, solution=Solution(Task("backprop", {"expr": -loss.base * -1}), (), 0)
    )
    assert _restated(SimpleNamespace(given={"L": loss}, solution=sol)) == []
    other = sympy.Pow(sympy.Add(-y, sigmoid(w * x + b), evaluate=False), 2, evaluate=False)
    restated.solution = Solution(Task("backprop", {"expr": other}), (), 0)
    assert _restated(restated)


# 9. the quotient rule's own form, then its tidy result -------------------------------------


@pytest.mark.parametrize("expr", ["(5 - x)/(x + 3)", "(-5x - 3)/(x - 4)"])
def test_quotient_rule_line_writes_the_rule_then_the_result(expr: str) -> None:
    sol = tutor.differentiate(expr)
    step = next(s for s in board(sol, "standard") if s.rule == "quotient_rule")
    (line,) = display(step, sol.task)
    assert len(line.parts) == 3, [math_text(p) for p in line.parts]
    assert line.parts[1] == step.data["rewrite"] and line.parts[-1] == step.after


# 10. no raw sympy repr anywhere ------------------------------------------------------------

RAW = re.compile(
    r"\b(Matrix|ImmutableDenseMatrix|MutableDenseMatrix|Piecewise|Symbol|Subs|Dummy|Heaviside"
    r"|DiracDelta|Eq|Ne|And)\(|<[a-z_.]+ object|(?<![\w\\{])_[a-z][a-z_]*\b"
)
JSON_RAW = re.compile(
    r"\b(Matrix|ImmutableDenseMatrix|Symbol|Dummy|Subs)\("
)  # JSON keeps sympy str: Eq(…) reads back


@pytest.mark.parametrize("topic", tutor.topics())
def test_no_raw_repr_in_any_output(topic: str) -> None:
    """Prompts and worked solutions in text, LaTeX and Markdown, brief and standard, and the
    JSON record, for every topic at every difficulty: no repr (Matrix([[…]]), Eq(…)) and
    no engine name with a leading underscore."""
    found = []
    for difficulty in (1, 2, 3):
        for seed in (0, 1):
            p = tutor.generate(topic, seed=seed, difficulty=difficulty)
            outs = [text.render_prompt(p), latex.render_prompt(p), markdown.render_prompt(p)]
            if p.solution is not None:
                for detail in ("brief", "standard"):
                    outs += [
                        mod.render_solution(p.solution, detail=detail)
                        for mod in (text, latex, markdown)
                    ]
            found += [m.group(0) for o in outs for m in RAW.finditer(o)]
            record = json.dumps(p.to_dict(), ensure_ascii=False)
            found += [m.group(0) for m in JSON_RAW.finditer(record)]
    assert found == [], (topic, found[:5])
