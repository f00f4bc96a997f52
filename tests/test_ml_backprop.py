"""Backpropagation: gradients equal sympy's partial derivatives exactly, on random graphs too."""

from __future__ import annotations

import random

import pytest
import sympy

from tutor.functions import relu, sigmoid
from tutor.ml.backpropagation import backprop, graph, network, neuron

a, b, c, w, x, y = sympy.symbols("a b c w x y")


def _same(u, v) -> bool:
    d = u - v
    if d == 0 or sympy.expand(d) == 0:
        return True
    from tutor.functions import elementary

    return sympy.simplify(elementary(d)) == 0


def _oracle(expr, values):
    sub = {sympy.Symbol(k): sympy.Rational(v) for k, v in values.items()}
    return {s.name: sympy.diff(expr, s).xreplace(sub) for s in expr.free_symbols}


CASES = [
    (sigmoid(w * x + b), {"w": "1/2", "x": 2, "b": -1}),
    ((w * x + b - y) ** 2, {"w": 1, "x": 2, "b": 0, "y": 3}),
    (x * y + sympy.sin(x), {"x": 1, "y": 2}),
    (x * x * x + x / y, {"x": 3, "y": 2}),
    (sympy.exp(w * x) * sympy.log(x), {"w": 1, "x": 2}),
    (sympy.tanh(a * b + c) ** 2, {"a": 1, "b": 2, "c": -1}),
    (relu(w * x + b) + relu(-w * x), {"w": 2, "x": 1, "b": 1}),
    (sigmoid(w * x) * (1 - sigmoid(w * x)), {"w": 1, "x": 1}),
    (sympy.sqrt(x**2 + y**2), {"x": 3, "y": 4}),
    (x**y, {"x": 2, "y": 3}),
]


@pytest.mark.parametrize(("expr", "values"), CASES)
def test_gradients_equal_sympy_partials(expr, values):
    sol = backprop(expr, values)
    oracle = _oracle(expr, values)
    assert set(sol.answer) == set(oracle)
    for name, grad in sol.answer.items():
        assert _same(grad, oracle[name]), name
    assert sol.task.kind == "backprop"
    assert [s.rule for s in sol.steps][:4] == [
        "computational_graph",
        "forward_pass",
        "local_derivative",
        "backward_pass",
    ]


def test_worked_example_values():
    sol = backprop(sigmoid(w * x + b), {"w": "0.5", "x": 2, "b": -1})
    assert sol.answer == {
        "b": sympy.Rational(1, 4),
        "w": sympy.Rational(1, 2),
        "x": sympy.Rational(1, 8),
    }


def _random_expr(rng: random.Random, depth: int):
    syms = [a, b, c, x]
    if depth == 0 or rng.random() < 0.2:
        if rng.random() < 0.8:
            return rng.choice(syms)
        return sympy.Integer(rng.choice([2, 3, -1, 5]))
    kind = rng.choice(["add", "mul", "sub", "pow", "sigmoid", "tanh", "exp", "log", "recip"])
    u = _random_expr(rng, depth - 1)
    if kind in ("add", "mul", "sub"):
        v = _random_expr(rng, depth - 1)
        return {"add": u + v, "mul": u * v, "sub": u - v}[kind]
    if kind == "pow":
        return u ** rng.choice([2, 3])
    if kind == "sigmoid":
        return sigmoid(u)
    if kind == "tanh":
        return sympy.tanh(u)
    if kind == "exp":
        return sympy.exp(u / 4)
    if kind == "log":
        return sympy.log(1 + u**2)
    return 1 / (2 + u**2)


@pytest.mark.parametrize("seed", range(40))
def test_random_graphs_match_sympy(seed):
    rng = random.Random(seed)
    expr = _random_expr(rng, 4)
    while not expr.free_symbols:
        expr = _random_expr(rng, 4)
    values = {
        s.name: str(sympy.Rational(rng.randint(-5, 5), rng.randint(1, 4)))
        for s in expr.free_symbols
    }
    sol = backprop(expr, values)
    oracle = _oracle(expr, values)
    for name, grad in sol.answer.items():
        assert sympy.N(grad - oracle[name], 30) == pytest.approx(0, abs=1e-25)
        assert _same(grad, oracle[name]), (expr, name)


def test_float_values_give_floats_close_to_sympy():
    expr = sigmoid(w * x + b) ** 2
    sol = backprop(expr, {"w": 0.3, "x": 1.7, "b": -0.2})
    oracle = {
        s.name: float(sympy.N(sympy.diff(expr, s).subs({w: 0.3, x: 1.7, b: -0.2})))
        for s in (w, x, b)
    }
    for name, grad in sol.answer.items():
        assert float(grad) == pytest.approx(oracle[name], rel=1e-12)


def test_graph_is_plain_data_with_shared_nodes():
    g = graph(x * y + sympy.sin(x), {"x": 1, "y": 2})
    ids = [n.id for n in g.nodes]
    assert g.order == tuple(ids) and g.output == ids[-1]
    for e in g.edges:  # topological: inputs come before the node using them
        assert ids.index(e.source) < ids.index(e.target)
    x_edges = [e for e in g.edges if e.source == "x"]
    assert len(x_edges) == 2  # x feeds the product and the sine: gradients add up
    d = g.to_dict()
    assert set(d) == {"nodes", "edges", "order", "output"}
    assert {"id", "op", "label", "inputs", "value", "grad"} <= set(d["nodes"][0])
    assert g.node("x").grad == sympy.Integer(2) + sympy.cos(1)


def test_graph_without_values():
    g = graph(sigmoid(w * x + b))
    assert all(n.value is None and n.grad is None for n in g.nodes)
    assert [n.op for n in g.nodes if n.op not in ("input", "const")] == ["mul", "add", "sigmoid"]


def test_missing_value_is_a_clear_error():
    with pytest.raises(ValueError, match="no value given for y"):
        backprop(x * y, {"x": 1})


def test_neuron_matches_oracle():
    sol = neuron([1, 2], [3, 4], bias=1, target=1)
    expr = sol.task.params["expr"]
    oracle = _oracle(expr, {k: v for k, v in sol.task.params["values"].items()})
    for name, grad in sol.answer.items():
        assert _same(grad, oracle[name])


def test_two_layer_network_matches_oracle():
    sol = network([[[1, 2], [3, -1]], [[1, 1]]], [1, "1/2"], biases=[[0, 1], [0]], target=1)
    expr = sol.task.params["expr"]
    oracle = _oracle(expr, sol.task.params["values"])
    assert {"w1_11", "w1_22", "w2_11", "b1_2"} <= set(sol.answer)
    for name, grad in sol.answer.items():
        assert _same(grad, oracle[name]), name


@pytest.mark.parametrize(
    ("expr", "values"),
    [
        (1 / x, {"x": 0}),
        (sympy.log(x), {"x": 0}),
        (sympy.sqrt(x), {"x": -1}),
        (sympy.sqrt(x), {"x": 0}),
    ],
)
def test_undefined_points_are_clear_errors(expr, values):
    with pytest.raises(ValueError, match="at these values"):
        backprop(expr, values)


def test_abs_uses_the_real_sign():
    assert backprop(sympy.Abs(x * y - 3), {"x": 1, "y": 2}).answer == {"x": -2, "y": -1}
