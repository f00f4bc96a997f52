"""The layers of the package, read from the source (every import, also those inside
functions): engines never import a renderer or the CLI, ``core`` imports nothing of
``tutor``, and the checker's and parser's packages have no import cycles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "tutor"

ENGINES = ("tutor.steps", "tutor.ml", "tutor.check", "tutor.parse", "tutor.generate", "tutor.core")
PRESENTATION = ("tutor.render", "tutor.cli", "tutor.commands")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, int, bool]]:
    """(absolute module imported, line, at module level) for every import in ``path``;
    ``from pkg import name`` counts as ``pkg.name`` too (it may be a submodule), and
    ``from . import name`` only as that."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(n) for n in tree.body}
    top |= {id(n) for s in tree.body if isinstance(s, ast.If) for n in s.body}
    out = []
    for node in ast.walk(tree):
        level = id(node) in top
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno, level) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if node.module or not node.level:  # ``from . import x`` imports the submodule x
                out.append((mod, node.lineno, level))
            out += [(f"{mod}.{a.name}", node.lineno, level) for a in node.names]
    return out


MODULES = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}
GRAPH = {m: _imports(p) for m, p in MODULES.items()}


def _under(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def test_the_walk_sees_the_package():
    assert {"tutor.core", "tutor.check.dispatch", "tutor.parse.latex", "tutor.cli"} <= set(MODULES)
    # an import inside a function is seen (core's to_jsonable imports sympy lazily)
    assert any(mod == "sympy" and not top for mod, _l, top in GRAPH["tutor.core"])


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _under(m, ENGINES)))
def test_engines_import_no_renderer_and_no_cli(module):
    bad = [f"{mod} (line {line})" for mod, line, _top in GRAPH[module] if _under(mod, PRESENTATION)]
    assert not bad, f"{module} imports {', '.join(bad)}"


def test_core_imports_nothing_of_tutor():
    bad = [
        f"{mod} (line {line})" for mod, line, _top in GRAPH["tutor.core"] if _under(mod, ("tutor",))
    ]
    assert not bad, f"tutor.core imports {', '.join(bad)}"


def _cycles(package: str, top_only: bool) -> list[list[str]]:
    """Import cycles among the modules of ``package`` (a package's ``__init__`` included)."""
    nodes = [m for m in MODULES if _under(m, (package,))]
    edges = {
        m: sorted(
            {
                mod
                for mod, _l, top in GRAPH[m]
                if mod in nodes and mod != m and (top or not top_only)
            }
        )
        for m in nodes
    }
    # a module that imports its own package's __init__ (which imports it) is a cycle
    found, state = [], {}

    def visit(m: str, path: list[str]) -> None:
        state[m] = "open"
        for n in edges[m]:
            if n == package and m != package:
                found.append([*path, n])
            elif state.get(n) == "open":
                found.append([*path[path.index(n) :], n])
            elif n not in state:
                visit(n, [*path, n])
        state[m] = "done"

    for m in nodes:
        if m not in state:
            visit(m, [m])
    return found


@pytest.mark.parametrize("package", ["tutor.check", "tutor.parse"])
def test_no_import_cycles_in_the_checker_and_the_parser(package):
    assert _cycles(package, top_only=True) == []


def test_latex_reads_the_name_tables_not_the_parser():
    # the old tutor._latex imported tutor.parse, which imported it back
    mods = {mod for mod, _l, _top in GRAPH["tutor.parse.latex"] if _under(mod, ("tutor",))}
    assert mods and all(_under(m, ("tutor.parse.lexer", "tutor.parse.names")) for m in mods), mods


def test_the_checking_package_is_gone():
    # tutor.check and tutor.checking imported each other; the checker is one package now
    assert not (ROOT / "checking").exists() and not (ROOT / "check.py").exists()
    assert not any(_under(mod, ("tutor.checking",)) for deps in GRAPH.values() for mod, *_ in deps)


def test_public_functions_keep_their_names_whatever_is_imported_first():
    """``tutor.check`` etc. are both a package and a function: the function wins, in a fresh
    process where the submodules are imported before the names are used (no sympy yet)."""
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from tutor.check import dispatch, options\n"
        "from tutor.parse import grammar, latex\n"
        "from tutor.generate import sheets\n"
        "import tutor.ml.backpropagation\n"
        "import tutor, tutor.ml\n"
        "from tutor import check, parse\n"
        "print(all(callable(f) and not isinstance(f, type(sys)) for f in (tutor.check,"
        " tutor.parse, tutor.generate, tutor.ml.backprop, check, parse)))\n"
        "print(tutor.check('2x', 'x + x').code, tutor.parse('x^2'))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT.parent)}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert r.stdout.split() == ["True", "equivalent", "x**2"], r.stderr
    r = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "check", "sin(2x)", "2sin(x)cos(x)"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert r.returncode == 0 and "correct" in r.stdout, r.stdout + r.stderr
