"""plot/ and render/ draw what the engines return and never do mathematics (DESIGN.md,
issue 12 item 5): no differentiating, solving, limits or Hessians there."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "tutor"
FORBIDDEN = {
    "diff", "solve", "solveset", "nsolve", "limit", "hessian", "integrate", "dsolve",
    # evaluating a derivative or limit object, finding roots, solving inequalities
    "doit", "roots", "nroots", "real_roots", "reduce_inequalities",
    "solve_univariate_inequality", "idiff", "is_increasing", "is_decreasing",
    "stationary_points", "function_range",
    # rewriting: the engine hands over the form a board shows (issue 12, item 2)
    "simplify", "trigsimp", "ratsimp", "radsimp",
}  # fmt: skip
FILES = sorted([*(ROOT / "plot").glob("*.py"), *(ROOT / "render").glob("*.py")])


def _calls(tree: ast.AST) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            if name in FORBIDDEN:
                out.append((node.lineno, name))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sympy"):
            out += [(node.lineno, a.name) for a in node.names if a.name in FORBIDDEN]
    return out


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_no_mathematics_in_plot_and_render(path: Path) -> None:
    found = _calls(ast.parse(path.read_text(encoding="utf-8")))
    assert not found, f"{path.relative_to(ROOT.parent)} calls {found}: ask an engine instead"


def test_the_check_sees_a_violation() -> None:
    bad = "import sympy\nsympy.diff(x, x)\nnp.diff(a)\nfrom sympy import solve\nlimit(f, x, 0)\n"
    assert sorted(n for _, n in _calls(ast.parse(bad))) == ["diff", "diff", "limit", "solve"]
    more = "sympy.Derivative(f, x).doit()\nsympy.Poly(p).nroots()\nsympy.stationary_points(f, x)\n"
    assert sorted(n for _, n in _calls(ast.parse(more))) == ["doit", "nroots", "stationary_points"]
