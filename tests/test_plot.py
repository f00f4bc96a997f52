"""Figures: every kind renders without warnings, byte for byte the same twice; the numbers
behind the pictures (descent paths, critical points, one-sided values, masking at
asymptotes, graph layout) agree with sympy and with the update rule; the CLI is clean."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import sympy
from click.testing import CliRunner
from sympy import Piecewise, symbols

import tutor
from tutor.functions import sigmoid
from tutor.plot import FORMATS, KINDS, compute, figure, render, save, to_bytes

x, y = symbols("x y")

GRAPH = {
    "nodes": [
        {"id": "w", "label": "w", "value": 2, "grad": 3},
        {"id": "x", "label": "x", "value": 3, "grad": 2},
        {"id": "b", "label": "b", "value": 1, "grad": 1},
        {"id": "m", "label": "w·x", "value": 6, "grad": 1},
        {"id": "z", "label": "z = wx + b", "value": 7, "grad": 1},
    ],
    "edges": [
        {"src": "w", "dst": "m", "local": 3},
        {"src": "x", "dst": "m", "local": 2},
        {"src": "m", "dst": "z", "local": 1},
        {"src": "b", "dst": "z", "local": 1},
    ],
}

SPECS = {
    "secants": {"kind": "secants", "expr": x**2, "at": 1},
    "derivative": {"kind": "derivative", "expr": sigmoid(x)},
    "slope-sign": {"kind": "slope-sign", "expr": x**3 - 3 * x, "on": (-2.5, 2.5)},
    "limit": {"kind": "limit", "expr": Piecewise((x**2, x < 1), (x + 2, True)), "at": 1},
    "transform": {"kind": "transform", "expr": x**2, "h": 2, "k": 1},
    "descent": {"kind": "descent", "expr": x**2, "x0": 2, "lr": [0.1, 1.05], "steps": 5},
    "contour": {"kind": "contour", "expr": x**2 + 3 * y**2, "lr": [0.1, 0.3], "steps": 6},
    "loss-curve": {"kind": "loss-curve", "expr": x**2, "lr": [0.1, 0.4], "steps": 8},
    "residuals": {"kind": "residuals", "expr": 2 * x + 1, "data": [(0, 1.5), (1, 2.5), (2, 5.5)]},
    "graph": {"kind": "graph", **GRAPH},
    "loss-vs-prediction": {"kind": "loss-vs-prediction", "target": 1},
    "surface-critical": {"kind": "surface-critical", "expr": x**3 - 3 * x + y**2},
    "function": {"kind": "function", "expr": x**2 + 1, "points": [(1, 2)]},
    "layer-gradients": {"kind": "layer-gradients", "sizes": [1, "1/4", "1/16"], "threshold": 0.1},
}

# The spellings problem generators use (aliases, kinds chosen from the data).
GENERATOR_SPECS = [
    {"kind": "graph", "expr": x**2 + 3 * x, "points": [(1, 4)]},
    {"kind": "graph", "expr": (x * y + 1) ** 2, "values": {"x": 1, "y": 2}},
    {"kind": "residuals", "expr": 2 * x, "xs": [0, 1, 2], "ys": [1, 2, 5]},
    {"kind": "loss-curve", "values": [9.1, 1.2, 1.2, 1.2], "epochs": [0, 33, 67, 100]},
    {"kind": "transform", "expr": x**2, "result": (x + 4) ** 2},
    {"kind": "secants", "expr": x**2, "a": -2, "b": 2},
    {"kind": "limit", "expr": (3 * x**2 + 1) / (2 * x**2 - 5), "point": sympy.oo, "direction": "-"},
    {
        "kind": "descent",
        "expr": x**2 + y**2,
        "start": [2, -1],
        "lr": sympy.Rational(1, 4),
        "steps": 3,
    },
    {"kind": "contour", "expr": x**2 + y**2, "path": [[2, 1], [1, 0.5], [0.5, 0.25]]},
    {"kind": "contour", "expr": x**2 + y**2, "constraint": sympy.Eq(x + y, -1)},
    {"kind": "contour", "expr": x**2 - y**2, "points": [(0, 0)]},
    {"kind": "loss-curve", "values": [4, 2, 1, 0.5]},
    {
        "kind": "loss-curve",
        "expr": (symbols("w") - 1) ** 2 + symbols("b") ** 2,
        "path": [[0, 1], [0.5, 0.5], [0.75, 0.25]],
    },
    {"kind": "loss-vs-prediction", "loss": "mse"},
    {"kind": "surface-critical", "expr": x**3 - 3 * x, "points": [-1, 1]},
    {"kind": "surface-critical", "expr": x**2 - 4 * x, "interval": [0, 3]},
]


def test_every_kind_has_a_spec() -> None:
    assert set(SPECS) == set(KINDS)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("spec", GENERATOR_SPECS, ids=lambda s: s["kind"])
def test_generator_spellings_render(spec: dict) -> None:
    assert render(spec, "svg").startswith(b"<?xml")


def test_loss_along_a_path_uses_the_course_order_w_b() -> None:
    w, b = symbols("w b")
    fig = figure("loss-curve", (w - 1) ** 2 + 4 * b**2, path=[[0, 1], [1, 0]])
    (line,) = fig.axes[0].get_lines()
    assert list(line.get_ydata()) == [5.0, 0.0]  # (w, b) = (0, 1) then (1, 0)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("name", sorted(SPECS))
def test_renders_without_warnings_and_deterministically(name: str) -> None:
    first = render(SPECS[name], "svg")
    second = render(SPECS[name], "svg")
    assert first == second
    root = ET.fromstring(first)
    assert root.tag.endswith("svg")
    assert b"<text" not in first  # glyphs are paths: the same on every viewer
    assert b"<dc:date>" not in first


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG"), ("pdf", b"%PDF")])
def test_png_and_pdf_are_deterministic(fmt: str, magic: bytes) -> None:
    spec = SPECS["secants"]
    a, b = render(spec, fmt), render(spec, fmt)
    assert a.startswith(magic)
    assert a == b
    if fmt == "pdf":
        assert b"CreationDate" not in a


@pytest.mark.parametrize("ext", FORMATS)
def test_save_by_extension(tmp_path: object, ext: str) -> None:
    fig = figure("loss-vs-prediction", losses=["mse"])
    path = save(fig, tmp_path / f"f.{ext}")  # type: ignore[operator]
    assert path.read_bytes() == to_bytes(fig, ext)


def test_bad_requests_raise_value_errors() -> None:
    with pytest.raises(ValueError, match="unknown figure kind"):
        figure("pie", x)
    with pytest.raises(ValueError, match="unknown option 'colour'"):
        figure("secants", x**2, colour="red")
    with pytest.raises(ValueError, match="unknown figure format"):
        to_bytes(figure("loss-vs-prediction"), "gif")
    with pytest.raises(ValueError, match="needs a function"):
        figure("secants")
    with pytest.raises(ValueError, match="one variable"):
        figure("derivative", x + y)
    with pytest.raises(ValueError, match="no tangent"):
        figure("secants", sympy.sqrt(x), at=0)
    with pytest.raises(ValueError, match="a 'kind'"):
        render({"expr": x})


# -- the maths behind the pictures ---------------------------------------------------------


@pytest.mark.parametrize("expr, x0, lr", [(x**2, 2.0, 0.1), (x**4 - 3 * x, 1.5, 0.02),
                                           (sympy.cos(x), 0.5, 0.7)])  # fmt: skip
def test_descent_path_is_the_engine_run(expr: object, x0: float, lr: float) -> None:
    from tutor.ml.descent import descent_path

    path, _ = descent_path(expr, x0, lr, 10)
    expect = [x0]
    d = sympy.diff(expr, x)  # the oracle
    for _ in range(10):
        expect.append(expect[-1] - lr * float(d.subs(x, expect[-1])))
    np.testing.assert_allclose(path[:, 0], expect, rtol=1e-12)
    # the same iterates as the worked solution, where that one is exact
    if expr == x**2:
        worked = tutor.gradient_descent(expr, "2", "0.1", 10).answer
        np.testing.assert_allclose(path[:, 0], [float(v) for v in worked], rtol=1e-12)


def test_descent_stops_when_it_runs_away() -> None:
    from tutor.ml.descent import descent_path

    path, _ = descent_path(x**2, 1.0, 3.0, 100, limit=compute.DIVERGED)  # factor −5 per step
    assert compute.diverged(path, 100)
    assert np.all(np.abs(path) <= compute.DIVERGED)


def test_descent_2d_follows_the_gradient() -> None:
    from tutor.ml.descent import descent_path

    path, _ = descent_path(x**2 + 3 * y**2, (2.0, 1.0), 0.1, 5)
    np.testing.assert_allclose(path[:, 0], 2.0 * 0.8 ** np.arange(6))
    np.testing.assert_allclose(path[:, 1], 1.0 * 0.4 ** np.arange(6))


@pytest.mark.parametrize(
    "expr", [x**3 - 3 * x, x**4 - 2 * x**2, sympy.sin(x), x**3, x * sympy.exp(-x)]
)
def test_critical_points_match_sympy(expr: object) -> None:
    fp = sympy.diff(expr, x)
    found = compute.zeros(compute.numeric(fp, [x]), -4, 4)
    exact = sorted(float(r) for r in sympy.solveset(fp, x, sympy.Interval(-4, 4)))
    np.testing.assert_allclose(found, exact, atol=1e-6)


def test_critical_points_2d_kinds() -> None:
    pts = compute.critical_points_2d(x**3 - 3 * x + y**2, x, y)
    assert pts == [(-1.0, 0.0, "saddle"), (1.0, 0.0, "minimum")]
    assert compute.critical_points_2d(-(x**2) - y**2, x, y) == [(0.0, 0.0, "maximum")]


@pytest.mark.parametrize(
    "expr, a, left, right",
    [
        ((x**2 - 1) / (x - 1), 1, 2.0, 2.0),
        (Piecewise((x**2, x < 1), (x + 2, True)), 1, 1.0, 3.0),
        (1 / (x - 2), 2, -np.inf, np.inf),
        (1 / x**2, 0, np.inf, np.inf),
        (sympy.sin(x) / x, 0, 1.0, 1.0),
    ],
)
def test_one_sided_values_match_sympy(expr: object, a: float, left: float, right: float) -> None:
    f = compute.numeric(expr, [x])
    # sympy 1.14 gets one-sided limits of a Piecewise at its break wrong; use the pieces.
    lhs, rhs = (expr.args[0][0], expr.args[1][0]) if isinstance(expr, Piecewise) else (expr, expr)
    assert float(sympy.limit(lhs, x, a, "-")) == left
    assert float(sympy.limit(rhs, x, a, "+")) == right
    for side, want in ((-1, left), (1, right)):
        got = compute.one_sided(f, a, side, 6.0)
        if np.isinf(want):
            assert got == want
        else:
            assert got == pytest.approx(want, abs=1e-4)


@pytest.mark.parametrize("expr, pole", [(1 / (x - 1), 1.0), (sympy.tan(x), float(sympy.pi / 2))])
def test_no_line_joins_the_branches_of_an_asymptote(expr: object, pole: float) -> None:
    xs, ys, _ = compute.sample(compute.numeric(expr, [x]), -3, 3, n=600)
    i = np.searchsorted(xs, pole)
    # Between the last finite point left of the pole and the first right of it there is a NaN.
    left = i - 1
    while left > 0 and np.isnan(ys[left]):
        left -= 1
    assert np.isnan(ys[left + 1 : i + 1]).any() or np.isnan(ys[i])


def test_jump_is_not_joined() -> None:
    xs, ys, _ = compute.sample(compute.numeric(Piecewise((0, x < 0), (5, True)), [x]), -1, 1, 200)
    finite = np.isfinite(ys)
    jumps = np.abs(np.diff(ys))[finite[1:] & finite[:-1]]
    assert jumps.max() < 1e-9


def test_numeric_is_real_and_nan_outside_the_domain() -> None:
    f = compute.numeric(sympy.sqrt(x) + sympy.log(x), [x])
    vals = f(np.array([-1.0, 1.0]))
    assert np.isnan(vals[0]) and vals[1] == pytest.approx(1.0)
    assert compute.numeric(sympy.Integer(3), [x])(np.zeros(4)).tolist() == [3.0] * 4


def test_graph_layout_is_layered() -> None:
    pairs = [(e["src"], e["dst"]) for e in GRAPH["edges"]]
    pos = compute.layers([n["id"] for n in GRAPH["nodes"]], pairs)
    assert all(pos[s][0] < pos[d][0] for s, d in pairs)
    assert pos["b"][0] == pos["z"][0] - 1  # an input sits just before its first use
    with pytest.raises(ValueError, match="cycle"):
        compute.layers(["a", "b"], [("a", "b"), ("b", "a")])


def test_graph_from_values_is_ml_backprops_graph() -> None:
    from tutor.ml.backpropagation import graph as backprop_graph
    from tutor.plot.graph import engine_graph

    w, b, t = symbols("w b t")
    loss = (sigmoid(w * x + b) - t) ** 2
    at = {"w": 2, "x": 1, "b": -1, "t": 1}
    g = backprop_graph(loss, at)
    nodes, edges = engine_graph(g)
    assert [n["id"] for n in nodes] == [n.id for n in g.nodes]
    assert [(n["value"], n["grad"]) for n in nodes] == [(n.value, n.grad) for n in g.nodes]
    assert [(e["src"], e["dst"], e["local"]) for e in edges] == [
        (e.source, e.target, e.local_value) for e in g.edges
    ]
    subs = {sympy.Symbol(k): v for k, v in at.items()}
    by_id = {n["id"]: n for n in nodes}
    for name in at:
        want = sympy.diff(loss, sympy.Symbol(name)).subs(subs).doit()
        assert float(by_id[name]["grad"]) == pytest.approx(float(want), rel=1e-12)
    # the spec with values draws that same graph
    assert render({"kind": "graph", "expr": loss, "values": at}) == render(
        {"kind": "graph", "nodes": nodes, "edges": edges}
    )
    with pytest.raises(ValueError, match="no value given for t"):
        render({"kind": "graph", "expr": loss, "values": {"w": 1, "x": 1, "b": 0}})


def test_loss_functions() -> None:
    p = np.array([0.25, 0.5])
    np.testing.assert_allclose(compute.bce(p, 1), -np.log(p))
    np.testing.assert_allclose(compute.mse(p, 1), (p - 1) ** 2)
    np.testing.assert_allclose(compute.mae(p, 1), 1 - p)


# -- what the figures say ------------------------------------------------------------------


def _texts(fig: object) -> str:
    out = [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]  # type: ignore[attr-defined]
    return "\n".join(out)


@pytest.mark.parametrize(
    "expr, kind",
    [
        ((x**2 - 1) / (x - 1), "a hole"),
        (Piecewise((x**2, x < 1), (x + 2, True)), "a jump"),
        (1 / (x - 1), "a vertical asymptote"),
        (x**2, "continuous"),
    ],
)
def test_limit_figure_names_what_happens(expr: object, kind: str) -> None:
    assert f"Near x = 1: {kind}" in _texts(figure("limit", expr, at=1))


def test_secant_slopes_close_in_on_the_derivative() -> None:
    text = _texts(figure("secants", x**3, at=1, h=[1, 0.5]))
    # (f(1 + h) − f(1)) / h for h = 1, 0.5 and the tangent slope f'(1) = 3
    assert "slope 7" in text and "slope 4.75" in text and "slope 3" in text


def test_descent_titles_diagnose_the_learning_rate() -> None:
    text = _texts(figure("descent", x**2, x0=2, lr=[0.1, 0.9, 1.05], steps=8))
    assert "η = 0.1: converges slowly" in text
    assert "η = 0.9: zig-zags in" in text
    assert "η = 1.05: diverges" in text


def test_loss_curve_from_data() -> None:
    fig = figure("loss-curve", losses={"before": [4, 3, 2.5], "after": [4, 1, 0.2]})
    assert [ln.get_label() for ln in fig.axes[0].get_lines()] == ["before", "after"]


# -- text input and the command line -------------------------------------------------------


def test_text_expressions_are_parsed() -> None:
    pytest.importorskip("tutor.parse")
    a = render({"kind": "secants", "expr": "x^2", "at": "1/2"})
    b = render({"kind": "secants", "expr": x**2, "at": 0.5})
    assert a == b


def _run(*args: str) -> object:
    from tutor.cli import main

    return CliRunner().invoke(main, ["plot", *args])


def test_cli_writes_each_format(tmp_path: object) -> None:
    pytest.importorskip("tutor.parse")
    for ext in FORMATS:
        out = tmp_path / f"d.{ext}"  # type: ignore[operator]
        r = _run("descent", "x^2", "--x0", "2", "--lr", "0.1", "--lr", "1/2", "-o", str(out))
        assert r.exit_code == 0, r.output
        assert out.stat().st_size > 1000
    out = tmp_path / "c.svg"  # type: ignore[operator]
    r = _run("contour", "x^2 + 3y^2", "--x0", "2", "--x0", "1", "--steps", "5", "-o", str(out))
    assert r.exit_code == 0, r.output
    r = _run("residuals", "2x + 1", "--data", "0,1;1,3.5;2,4", "-o", str(out))
    assert r.exit_code == 0, r.output


def test_cli_graph_from_json(tmp_path: object) -> None:
    src = tmp_path / "g.json"  # type: ignore[operator]
    src.write_text(json.dumps(GRAPH))
    out = tmp_path / "g.svg"  # type: ignore[operator]
    r = _run("graph", str(src), "-o", str(out))
    assert r.exit_code == 0, r.output
    assert out.read_bytes() == render({"kind": "graph", **GRAPH})


@pytest.mark.parametrize(
    "args, message",
    [
        (["secants", "x^^2", "-o", "f.svg"], "cannot draw secants"),
        (["secants", "x^2", "-o", "f.gif"], "use a file ending in"),
        (["pie", "x", "-o", "f.svg"], "Invalid value for 'KIND'"),
        (["derivative", "x + y", "-o", "f.svg"], "one variable"),
        (["graph", "missing.json", "-o", "f.svg"], "cannot read"),
        (["residuals", "2x", "--data", "1;2", "-o", "f.svg"], "x,y;x,y"),
    ],
)
def test_cli_errors_are_clean(tmp_path: object, args: list[str], message: str) -> None:
    pytest.importorskip("tutor.parse")
    r = _run(*[str(tmp_path / a) if a.startswith("f.") else a for a in args])  # type: ignore[operator]
    assert r.exit_code == 2, r.output
    assert message in r.output
    assert "Traceback" not in r.output
