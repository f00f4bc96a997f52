"""The figure of a problem draws that problem (issue 12, "the figures match the problems"):
the plotted path is the engine's iterates, the graph is ml.backprop's graph, the marked
points are what the engines find, the loss curves use the problem's own targets, epochs
and layers.  Each test draws the figure and reads the numbers back off the drawing."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import sympy

import tutor
from tutor.plot import figure

SEEDS = range(3)


def _draw(spec: dict[str, Any]) -> Any:
    spec = dict(spec)
    kind = spec.pop("kind")
    return figure(kind, spec.pop("expr", None), **spec)


def _lines(fig: Any) -> list[tuple[np.ndarray, np.ndarray, str]]:
    return [
        (np.asarray(ln.get_xdata(), float), np.asarray(ln.get_ydata(), float), ln.get_label())
        for ax in fig.axes
        for ln in ax.get_lines()
    ]


def _texts(fig: Any) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))


def _has_line(fig: Any, xs: Any, ys: Any = None) -> bool:
    xs = np.asarray(xs, float)
    for lx, ly, _ in _lines(fig):
        if len(lx) == len(xs) and np.allclose(lx, xs, rtol=1e-9, atol=1e-12):
            if ys is None or np.allclose(ly, np.asarray(ys, float), rtol=1e-9, atol=1e-12):
                return True
    return False


def _iterates(sol: Any) -> list[tuple]:
    step = next(s for s in sol.walk() if s.rule == "iteration_table")
    return [tuple(p) if isinstance(p, (tuple, list)) else (p,) for p in step.data["iterates"]]


# -- descent: the path drawn is gradient_descent's ------------------------------------------


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("seed", SEEDS)
def test_descent_1d_draws_the_engines_iterates(seed: int, difficulty: int) -> None:
    p = tutor.generate("descent-1d", seed=seed, difficulty=difficulty)
    g = p.given
    steps = p.figure["steps"]
    engine = tutor.gradient_descent(g["f"], g["x0"], g["lr"], steps)
    xs = [float(c[0]) for c in _iterates(engine)]
    assert xs[-1] == pytest.approx(float(p.answer[-1] if isinstance(p.answer, list) else p.answer))
    f = sympy.lambdify(sympy.Symbol("x"), g["f"])
    assert _has_line(_draw(p.figure), xs, [f(v) for v in xs])


@pytest.mark.parametrize(("topic", "names"), [("descent-2d", "xy"), ("train-linear", "wb")])
@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("seed", SEEDS)
def test_2d_paths_are_the_engines_iterates(topic: str, names: str, seed: int, difficulty: int):
    p = tutor.generate(topic, seed=seed, difficulty=difficulty)
    its = _iterates(p.solution)
    assert [tuple(q) for q in p.figure["path"]] == its
    assert tuple(its[-1]) == tuple(p.answer)
    if topic == "descent-2d":  # the path is drawn on the level curves
        pts = np.array([[float(c) for c in q] for q in its])
        assert _has_line(_draw(p.figure), pts[:, 0], pts[:, 1])
    else:  # the loss along the engine's path
        w, b = sympy.symbols("w b")
        loss = sympy.lambdify((w, b), p.given["loss"])
        want = [loss(float(q[0]), float(q[1])) for q in its]
        assert _has_line(_draw(p.figure), range(len(its)), want)


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("seed", SEEDS)
def test_fix_learning_rate_draws_the_compared_runs(seed: int, difficulty: int) -> None:
    p = tutor.generate("fix-learning-rate", seed=seed, difficulty=difficulty)
    fig = p.figure
    assert fig["lr"] == [p.given["bad"], *p.given["cands"]]
    table = next(s for s in p.solution.walk() if s.rule == "compare_rates").data["table"]
    assert table.headers[-1].endswith(f"x_0 = {fig['start']}") and fig["steps"] == 5
    drawn = _draw(fig)
    f = sympy.lambdify(sympy.Symbol("x"), p.given["f"])
    for lr in fig["lr"]:
        its = [
            float(c[0])
            for c in _iterates(tutor.gradient_descent(p.given["f"], fig["start"], lr, 5))
        ]
        assert _has_line(drawn, range(6), [f(v) for v in its]), lr


# -- backprop: the graph drawn is the solution's graph --------------------------------------


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("seed", SEEDS)
def test_backprop_figure_is_the_solutions_graph(seed: int, difficulty: int) -> None:
    p = tutor.generate("backprop", seed=seed, difficulty=difficulty)
    g = next(s for s in p.solution.walk() if s.rule == "computational_graph").data["graph"]
    nodes = {n["id"]: n for n in p.figure["nodes"]}
    assert list(nodes) == [n.id for n in g.nodes]
    for n in g.nodes:
        assert (nodes[n.id]["value"], nodes[n.id]["grad"]) == (n.value, n.grad)
    assert [(e["src"], e["dst"], e["local"]) for e in p.figure["edges"]] == [
        (e.source, e.target, e.local_value) for e in g.edges
    ]
    # the gradients asked for are the ones drawn on the input nodes
    asked = ["w1", "w2", "b"] if "w1" in nodes else ["w", "b", "v"] if "v" in nodes else ["w", "b"]
    assert len(asked) == len(p.answer)
    for name, want in zip(asked, p.answer):
        assert float(nodes[name]["grad"]) == pytest.approx(float(want))
    text = _texts(_draw(p.figure))
    for n in g.nodes:
        if n.op == "input":
            assert n.id in text


# -- losses: the problem's own targets and curves -------------------------------------------


@pytest.mark.parametrize(("topic", "difficulty"), [("loss-value", 1), ("loss-gradient", 1)])
@pytest.mark.parametrize("seed", SEEDS)
def test_loss_figures_draw_the_problems_targets(topic: str, difficulty: int, seed: int) -> None:
    p = tutor.generate(topic, seed=seed, difficulty=difficulty)
    targets = sorted({float(t) for t in p.given["t"]})
    fig = _draw(p.figure)
    drawn = sorted(
        float(lx[0])
        for lx, _, lab in _lines(fig)
        if lab.startswith("_") and len(lx) == 2 and lx[0] == lx[1]
    )
    assert drawn == targets  # one dotted line at each target
    text = _texts(fig)
    if 1.0 not in targets:
        assert "target y = 1\n" not in text + "\n"


@pytest.mark.parametrize("seed", SEEDS)
def test_mse_slope_figure_is_the_problems_loss_at_w0(seed: int) -> None:
    p = tutor.generate("loss-gradient", seed=seed, difficulty=2)
    w = sympy.Symbol("w")
    loss = sum((w * a - b) ** 2 for a, b in zip(p.given["xs"], p.given["ys"])) / 3
    assert sympy.expand(p.figure["expr"] - loss) == 0 and p.figure["a"] == p.given["w0"]
    text = _texts(_draw(p.figure))
    assert f"slope {tutor.plot.style.number(float(p.answer))}" in text


@pytest.mark.parametrize("seed", SEEDS)
def test_bce_logit_figure_has_the_answer_as_its_slope(seed: int) -> None:
    p = tutor.generate("loss-gradient", seed=seed, difficulty=3)
    assert p.figure["a"] == p.given["z"]
    text = _texts(_draw(p.figure))
    assert f"slope {tutor.plot.style.number(float(p.answer))}" in text


# -- the vanishing gradient: per layer, this problem's factors ------------------------------


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("seed", SEEDS)
def test_vanishing_gradient_figure_is_its_gradient_per_layer(seed: int, difficulty: int) -> None:
    p = tutor.generate("vanishing-gradient", seed=seed, difficulty=difficulty)
    sizes = [float(v) for v in p.figure["sizes"]]
    assert p.figure["kind"] == "layer-gradients" and sizes[0] == 1.0
    if difficulty < 3:
        assert len(sizes) == len(p.given["weights"]) + 1
        assert sizes[-1] == pytest.approx(abs(float(p.answer)))
        a, factors = float(p.given["a0"]), []  # this problem's own forward pass
        for w, b in zip(p.given["weights"], p.given["biases"]):
            s = 1 / (1 + np.exp(-(float(w) * a + float(b))))
            factors.append(abs(float(w)) * s * (1 - s))
            a = s
        want = np.cumprod([1.0, *factors])
        assert np.allclose(sizes, want)
    else:
        t = float(p.given["t"])
        assert [k for k, v in enumerate(sizes) if v < t][0] == int(p.answer) == len(sizes) - 1
    fig = _draw(p.figure)
    assert _has_line(fig, range(len(sizes)), sizes)
    text = _texts(fig)
    assert "layer k" in text and "Loss per step" not in text


# -- training logs: over the epochs they were logged at ---------------------------------------


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("seed", SEEDS)
def test_broken_setup_plots_the_logged_epochs(seed: int, difficulty: int) -> None:
    p = tutor.generate("broken-setup", seed=seed, difficulty=difficulty)
    fig = _draw(p.figure)
    assert _has_line(fig, p.given["epochs"], p.given["losses"])
    assert "epoch" in _texts(fig)


# -- marked points are what the engines find ------------------------------------------------


def _marks(fig: Any) -> list[tuple[float, float]]:
    return [
        (float(lx[0]), float(ly[0]))
        for lx, ly, _ in _lines(fig)
        if len(lx) == 1 and np.isfinite(lx[0])
    ]


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("seed", SEEDS)
def test_critical_points_figure_marks_the_engines_points(seed: int, difficulty: int) -> None:
    p = tutor.generate("critical-points", seed=seed, difficulty=difficulty)
    found = tutor.critical_points(p.given["f"]).answer
    fig = _draw(p.figure)
    marked = sorted(x for x, _ in _marks(fig))
    assert marked == pytest.approx(sorted(float(c) for c, _ in found))
    text = _texts(fig)
    words = {"minimum": "local minimum", "maximum": "local maximum"}
    for _, kind in found:
        assert words.get(kind, "neither a minimum nor a maximum") in text


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("seed", SEEDS)
def test_constrained_minimum_is_the_marked_point(seed: int, difficulty: int) -> None:
    p = tutor.generate("constrained-min", seed=seed, difficulty=difficulty)
    marked = _marks(_draw(p.figure))
    assert marked == [pytest.approx(tuple(float(c) for c in p.answer))]


@pytest.mark.parametrize("difficulty", [1, 2])
@pytest.mark.parametrize("seed", SEEDS)
def test_concavity_figure_marks_the_inflection_points(seed: int, difficulty: int) -> None:
    p = tutor.generate("concavity", seed=seed, difficulty=difficulty)
    marked = sorted(x for x, _ in _marks(_draw(p.figure)))
    assert marked == pytest.approx(sorted(float(c) for c in p.answer))


@pytest.mark.parametrize("difficulty", [1, 2, 3])
@pytest.mark.parametrize("seed", range(6))
def test_domain_figure_shows_every_end_of_the_domain(seed: int, difficulty: int) -> None:
    p = tutor.generate("domain", seed=seed, difficulty=difficulty)
    fig = _draw(p.figure)
    lo, hi = fig.axes[0].get_xlim()
    for b in p.answer.boundary:
        if b.is_finite:
            assert lo < float(b) < hi, (b, lo, hi)
