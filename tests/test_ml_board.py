"""The ML worked solutions read like a teacher's board: maths in placeholders, LaTeX compiles."""

import re
import shutil
import subprocess

import pytest
import sympy

from tutor import ml
from tutor.core import Problem, Table
from tutor.ml import training
from tutor.render.base import explanation, statement
from tutor.render.document import Document, render
from tutor.render.mathtext import math_text

x, y = sympy.symbols("x y")


def _cases() -> list[tuple[str, object]]:
    xs, ys = training.make_data("linear", 8, seed=1)
    lx, ly = training.make_data("logistic", 10, seed=1)
    return [
        ("gradient_descent", lambda: ml.gradient_descent(x**2 - 4 * x, 0, "0.1", 4)),
        (
            "gradient_descent_momentum",
            lambda: ml.gradient_descent(x**2 + 3 * y**2, (1, 1), "0.1", 3, momentum="0.9"),
        ),
        ("gradient_descent_floats", lambda: ml.gradient_descent(x**2 - 4 * x, 0.0, 0.1, 3)),
        ("diagnose", lambda: ml.diagnose(x**2 + 10 * y**2, (1, 1), "0.098", 15)),
        ("diagnose_diverging", lambda: ml.diagnose(x**2, 1, "1.5", 6)),
        ("max_stable_lr", lambda: ml.max_stable_lr(x**2 + 3 * x * y + 5 * y**2)),
        ("max_stable_lr_1d", lambda: ml.max_stable_lr(3 * x**2)),
        (
            "backprop",
            lambda: ml.backprop(
                sympy.Symbol("w") * x + sympy.Symbol("b"), {"w": "0.5", "x": 2, "b": -1}
            ),
        ),
        ("neuron", lambda: ml.neuron([0.5], [2], -1, target=1)),
        ("network", lambda: ml.network([[[0.5, -0.3]], [[1.0]]], [1, 2], target=1)),
        ("loss_mse", lambda: ml.loss("mse", ["0.5", "0.8"], [1, 0])),
        ("loss_mae", lambda: ml.loss("mae", ["0.5", "1"], [1, 1])),
        ("loss_bce", lambda: ml.loss("bce", ["0.5", "0.8"], [1, 0])),
        ("loss_bce_logits", lambda: ml.loss("bce", [0, 1], [1, 0], logits=True)),
        ("loss_softmax_ce", lambda: ml.loss("softmax_ce", [1, 2, 0], 1)),
        ("sigmoid_bce_gradient", ml.sigmoid_bce_gradient),
        ("softmax_ce_gradient", ml.softmax_ce_gradient),
        ("l2", lambda: ml.l2((x - 3) ** 2, "0.5", at=1)),
        ("l2_2d", lambda: ml.l2((x - 1) ** 2 + (y + 2) ** 2, 1)),
        ("l1", lambda: ml.l1((x - 3) ** 2, 2, at=0)),
        ("constrained_minimum", lambda: ml.constrained_minimum(x**2 + y**2, x + y - 1)),
        (
            "constrained_minimum_lagrange",
            lambda: ml.constrained_minimum(x**2 + y**2, x**2 + y - 1, method="lagrange"),
        ),
        ("vanishing_gradient", lambda: ml.vanishing_gradient(4)),
        (
            "vectorised_least_squares",
            lambda: ml.vectorised_least_squares([[1, 2], [3, 4], [5, 6]], [1, 2, 3], [0, 1]),
        ),
        ("mode_costs", lambda: ml.mode_costs(x * y + sympy.sin(x))),
        ("train_linear", lambda: ml.train_linear(xs, ys, 0.1, 20, seed=0)),
        ("train_logistic", lambda: ml.train_logistic(lx, ly, 0.5, 30, seed=0)),
        *[
            (f"broken_{s}", lambda s=s: ml.broken_setup(s, seed=1))
            for s in training.BROKEN_SCENARIOS
        ],
        (
            "gradient_check",
            lambda: ml.gradient_check(
                x**2 + 3 * x * y, lambda p: [2 * p[0] + 3 * p[1], 3 * p[0] + 1], (1, 2)
            ),
        ),
    ]


CASES = _cases()
IDS = [name for name, _ in CASES]

# Raw code, or maths pasted into the words instead of a placeholder.
_CODE = ("**", "sqrt(", "Sum(", "Eq(", "Abs(", "Max(", "Tuple(", "Matrix(", "lambda")
_MATHS_IN_WORDS = re.compile(r"[←→∇∂²³·≤≥≈Σ‖±ᵀŷ√]|\b[a-z]_[a-z0-9]|[=<>]")


def _own_steps(sol) -> list:
    """The steps the ML engines write: the derivative engine's sub-steps of a descent's
    gradient step are another engine's words."""
    out = []
    for s in sol.steps:
        if sol.task.kind in ("gradient_descent", "descent_diagnosis") and s.rule == "gradient":
            out.append(s)
        else:
            out.extend(s.walk())
    return out


def _words(template: str) -> str:
    """The words of an explanation template, placeholders removed."""
    return re.sub(r"\{[^{}]*\}", " ", template)


@pytest.mark.parametrize("name, make", CASES, ids=IDS)
def test_explanations_put_maths_in_placeholders(name, make):
    sol = make()
    templates = [(s.rule, s.explanation, s.data) for s in _own_steps(sol)]
    templates.append(("statement", sol.task.statement, sol.task.params))
    for rule, template, data in templates:
        words = _words(template)
        assert not _MATHS_IN_WORDS.search(words), (rule, words)
        assert "**" not in words, (rule, words)
        # every placeholder names an entry, so no renderer shows "{key}"
        for key in re.findall(r"\{([^{}]*)\}", template):
            assert key in data, (rule, key)


@pytest.mark.parametrize("name, make", CASES, ids=IDS)
def test_text_rendering_has_no_raw_code(name, make):
    sol = make()
    lines = [statement(sol.task, math_text)]
    for s in sol.walk():
        lines.append(explanation(s, math_text))
        for item in s.data.get("show", []):
            if isinstance(item, Table):
                assert all(h and len(h) <= 20 for h in item.headers), item.headers
                lines += [math_text(c) for row in item.rows for c in row]
            else:
                lines.append(math_text(item))
    for line in lines:
        assert not any(code in line for code in _CODE), (name, line)
        assert "{" not in line.replace("{k+1}", ""), (name, line)


def test_ml_explanations_have_no_power_operator():
    """``Step.text()`` of the ML engines' own words never shows Python's ``**``."""
    for name, make in CASES:
        for s in _own_steps(make()):
            words = _words(s.explanation)
            assert "**" not in words, (name, s.rule)


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_every_solution_compiles_with_pdflatex(tmp_path):
    problems = []
    for name, make in CASES:
        sol = make()
        problems.append(Problem(name, "Work this out.", {}, sol.answer, "number", sol, seed=0))
    out = render(Document("ML check", problems, show="solutions"), "tex")
    (tmp_path / "ml.tex").write_bytes(out.data)
    for fname, data in out.files.items():
        (tmp_path / fname).write_bytes(data)
    run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "ml.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    errors = [line for line in run.stdout.splitlines() if line.startswith("!")]
    assert run.returncode == 0, errors[:5]


def test_step_text_has_no_power_operator():
    for name, make in CASES:
        for s in make().walk():
            assert "**" not in s.text(), (name, s.rule, s.text())
