"""Computational graphs and backpropagation, node by node (``tutor.ml.backprop`` is the
function ``backprop`` of this module).

``graph(expr, values)`` breaks an expression into a graph of simple operations (plain data a
picture can be drawn from); ``backprop(expr, values)`` works the forward pass (the value at
every node) and the backward pass (the local derivative on every edge, the gradient at every
node accumulated by the chain rule) as tables.  Values stay exact when the inputs are exact, so
the gradients equal sympy's partial derivatives exactly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sympy

from ..core import Solution, Step, Table, Task, to_jsonable
from ._common import Chain, Ordered, Partial, board, dec, eq, is_exact, listing, to_expr, to_number

__all__ = ["Edge", "Graph", "Node", "backprop", "graph", "network", "neuron"]

_LABELS = {
    "add": "+",
    "mul": "×",
    "neg": "−",
    "sigmoid": "σ",
    "relu": "ReLU",
    "exp": "exp",
    "log": "log",
    "tanh": "tanh",
}


@dataclass(frozen=True)
class Node:
    """One node: ``id`` (a variable's name, or n1, n2, … for operations), ``op`` ("input",
    "const", "add", "mul", "neg", "pow", or a function name such as "sigmoid"), a short
    ``label`` to draw, the ids of its ``inputs``, ``formula`` (the operation written in its
    inputs' ids), ``expr`` (the sub-expression in the original variables), its forward ``value``
    and its ``grad`` (∂output/∂node); value and grad are None when no values were given."""

    id: str
    op: str
    label: str
    inputs: tuple[str, ...]
    formula: Any
    expr: Any
    value: Any = None
    grad: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "op": self.op,
            "label": self.label,
            "inputs": list(self.inputs),
            "formula": to_jsonable(self.formula),
            "expr": to_jsonable(self.expr),
            "value": to_jsonable(self.value),
            "grad": to_jsonable(self.grad),
        }


@dataclass(frozen=True)
class Edge:
    """An edge from ``source`` (an input) to ``target`` (the operation using it), with the
    ``local`` derivative ∂target/∂source as a formula in node ids and its ``local_value``."""

    source: str
    target: str
    local: Any
    local_value: Any = None

    @property
    def src(self) -> str:
        """Alias of ``source`` (the name ``tutor.plot.graph`` reads)."""
        return self.source

    @property
    def dst(self) -> str:
        """Alias of ``target``."""
        return self.target

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "local": to_jsonable(self.local),
            "local_value": to_jsonable(self.local_value),
        }


@dataclass(frozen=True)
class Graph:
    """A computational graph: ``nodes`` in topological ``order`` (inputs first), ``edges``,
    and the ``output`` node's id."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    order: tuple[str, ...]
    output: str

    def node(self, node_id: str) -> Node:
        """The node with this id."""
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": [n.to_dict() for n in self.nodes],
            "edges": [e.to_dict() for e in self.edges],
            "order": list(self.order),
            "output": self.output,
        }


# --------------------------------------------------------------------------- building


def _op_of(e: sympy.Expr) -> tuple[str, str, list[sympy.Expr]]:
    """(op, label, operands) for one sympy node."""
    if isinstance(e, sympy.Symbol):
        return "input", e.name, []
    if e.is_number and not e.free_symbols and not isinstance(e, sympy.Function):
        return "const", sympy.sstr(e), []
    if isinstance(e, sympy.Add):
        return "add", "+", list(e.args)
    if isinstance(e, sympy.Mul):
        coeff, rest = e.as_coeff_Mul()
        if coeff == -1:
            return "neg", "−", [rest]
        return "mul", "×", list(e.args)
    if isinstance(e, sympy.Pow):
        base, ex = e.args
        if ex.is_number:
            label = {sympy.S.Half: "√", -1: "1/·"}.get(ex, f"^{sympy.sstr(ex)}")
            return "pow", label, [base]
        return "pow", "^", [base, ex]
    if isinstance(e, sympy.Function) and len(e.args) == 1:
        name = type(e).__name__
        return name, _LABELS.get(name, name), list(e.args)
    raise ValueError(f"cannot build a graph node for {sympy.sstr(e)}")


def _rebuild(e: sympy.Expr, op: str, syms: list[sympy.Expr]) -> sympy.Expr:
    """The operation of node ``e`` applied to the symbols standing for its inputs."""
    if op == "add":
        return sympy.Add(*syms)
    if op == "mul":
        return sympy.Mul(*syms)
    if op == "neg":
        return -syms[0]
    if op == "pow":
        return sympy.Pow(syms[0], e.args[1] if len(syms) == 1 else syms[1])
    return e.func(*syms)


class _Builder:
    def __init__(self, expr: sympy.Expr) -> None:
        names = {s.name for s in expr.free_symbols}
        self.prefix = next(
            p
            for p in ("n", "v", "u", "node")
            if not any(re.fullmatch(p + r"\d+", nm) for nm in names)
        )
        self.ids: dict[sympy.Expr, str] = {}
        self.sym: dict[str, sympy.Expr] = {}
        self.info: dict[str, tuple[str, str, list[str], sympy.Expr]] = {}
        self.order: list[str] = []
        self.count = 0
        self.out = self.visit(expr)

    def visit(self, e: sympy.Expr) -> str:
        if e in self.ids:
            return self.ids[e]
        op, label, operands = _op_of(e)
        kids = [self.visit(a) for a in operands]
        if op == "input":
            nid = e.name
            self.sym[nid] = e
        elif op == "const":
            nid = f"c[{sympy.sstr(e)}]"
            self.sym[nid] = e
        else:
            self.count += 1
            nid = f"{self.prefix}{self.count}"
            self.sym[nid] = sympy.Symbol(nid, real=True)
        self.ids[e] = nid
        self.info[nid] = (op, label, kids, e)
        self.order.append(nid)
        return nid


def _value_of(v: Any, floats: bool) -> Any:
    if floats:
        out = sympy.N(v, 15)
        return out
    return v


def readable(local: Any) -> Any:
    """A local derivative as the board writes it: ReLU's step H(u) as "1 if u > 0, else 0"."""
    if not isinstance(local, sympy.Basic) or not local.has(sympy.Heaviside):
        return local
    return local.replace(
        lambda a: isinstance(a, sympy.Heaviside),
        lambda a: sympy.Piecewise((1, a.args[0] > 0), (0, True)),
    )


def graph(expr: Any, values: Mapping[str, Any] | None = None) -> Graph:
    """The computational graph of ``expr``: one node per input, constant and operation (shared
    sub-expressions become one node with several outgoing edges), each edge labelled by its
    local derivative.  With ``values`` (``{"w": 0.5, ...}``) every node also gets its forward
    value and its gradient ∂output/∂node from the backward pass."""
    f = to_expr(expr)
    b = _Builder(f)
    vals = _read_values(f, values) if values is not None else None
    floats = vals is not None and not all(is_exact(v) for v in vals.values())
    forward: dict[str, Any] = {}
    formulas: dict[str, Any] = {}
    edges: list[Edge] = []
    locals_: dict[tuple[str, str], Any] = {}
    for nid in b.order:
        op, label, kids, e = b.info[nid]
        if op in ("input", "const"):
            formulas[nid] = None
            if vals is not None:
                forward[nid] = vals[e] if op == "input" else e
            continue
        kid_syms = [b.sym[k] if b.info[k][0] != "const" else b.info[k][3] for k in kids]
        formula = _rebuild(e, op, kid_syms)
        formulas[nid] = formula
        dummies = [sympy.Dummy(k, real=True) for k in kids]
        dformula = _rebuild(e, op, dummies)
        back = {d: s for d, s in zip(dummies, kid_syms)}
        env = {d: forward[k] for d, k in zip(dummies, kids)} if vals is not None else None
        if env is not None:
            forward[nid] = _value_of(dformula.xreplace(env), floats)
            _defined(
                forward[nid], f"{nid} = {sympy.sstr(formula)} is not defined (as a real number)"
            )
        for d, k in zip(dummies, kids):
            local = sympy.diff(dformula, d)
            lv = None
            if env is not None:
                lv = _value_of(local.xreplace(env), floats)
                _defined(lv, f"{nid} = {sympy.sstr(formula)} has no slope with respect to {k}")
                locals_[(k, nid)] = lv
            edges.append(Edge(k, nid, local.xreplace(back), lv))
    grads: dict[str, Any] = {}
    if vals is not None:
        grads[b.out] = sympy.Integer(1)
        for nid in reversed(b.order):
            if nid == b.out:
                continue
            total = sympy.Integer(0)
            for e in edges:
                if e.source == nid:
                    total += grads[e.target] * locals_[(nid, e.target)]
            grads[nid] = _tidy(total, floats)
    nodes = []
    for nid in b.order:
        op, label, kids, e = b.info[nid]
        nodes.append(
            Node(nid, op, label, tuple(kids), formulas[nid], e, forward.get(nid), grads.get(nid))
        )
    return Graph(tuple(nodes), tuple(edges), tuple(b.order), b.out)


def _defined(v: Any, message: str) -> None:
    """Stop with ``message`` (and "at these values") when a value is infinite or not real."""
    if v.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or v.is_real is False:
        raise ValueError(message + " at these values")


def _tidy(v: Any, floats: bool) -> Any:
    if floats:
        return sympy.N(v, 15)
    if v.is_Rational:
        return v
    options = [sympy.expand(v), sympy.factor(v)]
    return min(options, key=lambda e: (sympy.count_ops(e), sympy.default_sort_key(e)))


def _read_values(f: sympy.Expr, values: Mapping[str, Any]) -> dict[sympy.Symbol, Any]:
    given = {str(k): to_number(v) for k, v in values.items()}
    out = {}
    missing = []
    for s in sorted(f.free_symbols, key=lambda s: s.name):
        if s.name in given:
            out[s] = given[s.name]
        else:
            missing.append(s.name)
    if missing:
        raise ValueError("no value given for " + ", ".join(missing))
    return out


# --------------------------------------------------------------------------- the worked solution


def _approx(v: Any) -> Any:
    """A 6-figure decimal beside an exact value that is not a plain fraction ("" otherwise)."""
    if v is None or not isinstance(v, sympy.Basic) or v.is_Rational or isinstance(v, sympy.Float):
        return ""
    try:
        return dec(float(sympy.N(v)), 6)
    except TypeError:
        return ""


def _cell(v: Any) -> Any:
    if isinstance(v, sympy.Float):
        return dec(v, 6)
    return v


def _sym(node_id: str) -> sympy.Symbol:
    """A node's name as maths (n₁, w, x)."""
    return sympy.Symbol(node_id)


def backprop(expr: Any, values: Mapping[str, Any], wrt: Sequence[str] = ()) -> Solution:
    """Forward and backward pass on the computational graph of ``expr`` at ``values``.

    The answer is ``{variable name: ∂expr/∂variable at the values}`` for every variable of
    ``expr``, sorted by name; exact when the values are exact (``"0.5"`` is read as 1/2).
    ``wrt`` names the parameters a question asks for, in its order: kept in the task, so
    that the checker can name the classic wrong gradients.
    """
    if isinstance(expr, str) and isinstance(values, Mapping):
        from ..steps.derivatives.names import parse_with_names

        f = parse_with_names(expr, list(values))
    else:
        f = to_expr(expr)
    if not f.free_symbols:
        raise ValueError("the expression has no variables to differentiate with respect to")
    g = graph(f, values)
    vals = {s.name: v for s, v in _read_values(f, values).items()}
    at, where = listing([eq(sympy.Symbol(k), v) for k, v in vals.items()], "at")
    return _solution(
        f,
        g,
        vals,
        Task(
            "backprop",
            {"expr": f, "values": vals, **where, **({"wrt": tuple(wrt)} if wrt else {})},
            "Find the gradient of {expr} at " + at + " by backpropagation.",
        ),
    )


def _table(headers: tuple[str, ...], rows: list[tuple]) -> Table:
    """A table without its last ("approx.") column when no row needs it; no caption, the
    step's title and explanation say what it holds."""
    if headers[-1] == "approx." and all(r[-1] == "" for r in rows):
        return Table(headers[:-1], [r[:-1] for r in rows])
    return Table(headers, rows)


def _solution(f: sympy.Expr, g: Graph, vals: dict[str, Any], task: Task) -> Solution:
    ops = [n for n in g.nodes if n.op not in ("input", "const")]
    inputs = sorted((n for n in g.nodes if n.op == "input"), key=lambda n: n.id)
    exact = all(is_exact(v) for v in vals.values())
    steps: list[Step] = []
    out = _sym(g.output)
    named, names = listing([_sym(n.id) for n in inputs], "input")
    steps.append(
        Step(
            "computational_graph",
            before=f,
            after=g,
            explanation="We break {f} into simple operations, one node each, so that every "
            "local derivative is easy: {nodes} operations on the inputs " + named + ", and the "
            "output is {out}.",
            data={
                "f": f,
                "nodes": len(ops),
                "inputs": ", ".join(n.id for n in inputs),
                "out": out,
                "graph": g,
                **names,
            },
        )
    )
    fw_rows = [(_sym(n.id), "input", _cell(n.value), _approx(n.value)) for n in inputs]
    fw_rows += [(_sym(n.id), n.formula, _cell(n.value), _approx(n.value)) for n in ops]
    headers = ("node", "computes", "value") + (("approx.",) if exact else ())
    fw_rows = [r if exact else r[:3] for r in fw_rows]
    out_node = g.node(g.output)
    steps.append(
        Step(
            "forward_pass",
            before=vals,
            after=out_node.value,
            explanation="Feed the inputs in and compute every node from the ones before it, left "
            "to right; the output is {result}.",
            data={
                "table": _table(headers, fw_rows),
                "out": out,
                "value": out_node.value,
                "result": eq(out, _cell(out_node.value)),
            },
        )
    )
    edge_rows = []
    for e in sorted(g.edges, key=lambda e: (g.order.index(e.target), g.order.index(e.source))):
        if g.node(e.source).op == "const":
            continue
        edge_rows.append(
            (Partial(_sym(e.target), _sym(e.source)), readable(e.local), _cell(e.local_value))
            + ((_approx(e.local_value),) if exact else ())
        )
    steps.append(
        Step(
            "local_derivative",
            explanation="Each operation knows its own small derivative: how much its output "
            "moves when one input moves, with the others held still.",
            data={
                "table": _table(
                    ("edge", "local derivative", "value") + (("approx.",) if exact else ()),
                    edge_rows,
                )
            },
        )
    )
    back_rows = [(out, eq(Partial(out, out), 1), 1) + (("",) if exact else ())]
    for nid in reversed(g.order):
        n = g.node(nid)
        if nid == g.output or n.op == "const":
            continue
        uses = [e for e in g.edges if e.source == nid]
        paths = [
            Chain(Partial(out, _sym(e.target)), Partial(_sym(e.target), _sym(nid))) for e in uses
        ]
        how = paths[0] if len(paths) == 1 else Ordered(*paths)
        back_rows.append((_sym(nid), how, _cell(n.grad)) + ((_approx(n.grad),) if exact else ()))
    steps.append(
        Step(
            "backward_pass",
            before=g.output,
            after={n.id: n.grad for n in inputs},
            explanation="Start from the output with gradient 1 and walk the graph in reverse; "
            "by the chain rule each node's gradient is the sum, over the nodes that use it, of "
            "their gradient times the local derivative on the edge, so gradients add up where "
            "paths meet.",
            data={
                "table": _table(
                    ("node", "chain rule", "gradient") + (("approx.",) if exact else ()),
                    back_rows,
                )
            },
        )
    )
    answer = {n.id: n.grad for n in sorted(inputs, key=lambda n: n.id)}
    shared = [
        n.id for n in g.nodes if n.op != "const" and sum(1 for e in g.edges if e.source == n.id) > 1
    ]
    text = (
        "Reading off the inputs' rows gives the gradient, the direction in which the output "
        "grows fastest."
    )
    named, names = listing([_sym(nid) for nid in shared], "shared")
    if shared:
        text += (
            " Where a node feeds several others (" + named + "), its gradient adds up over the "
            "paths."
        )
    steps.append(
        Step(
            "gradient",
            after=answer,
            explanation=text,
            data={"shared": ", ".join(shared), "gradient": answer, **names},
        )
    )
    return Solution(task, board(steps), answer)


# --------------------------------------------------------------------------- neurons and networks


def _activation(name: str | None) -> Any:
    from .. import functions

    table = {
        None: lambda z: z,
        "identity": lambda z: z,
        "linear": lambda z: z,
        "sigmoid": functions.sigmoid,
        "relu": functions.relu,
        "softplus": functions.softplus,
        "tanh": sympy.tanh,
    }
    if name not in table:
        raise ValueError(
            f"unknown activation {name!r}: use one of sigmoid, tanh, relu, softplus, identity"
        )
    return table[name]


def neuron(
    weights: Sequence[Any],
    inputs: Sequence[Any],
    bias: Any = 0,
    activation: str = "sigmoid",
    *,
    target: Any = None,
) -> Solution:
    """Backpropagation through one neuron a = act(w1·x1 + … + wn·xn + b), or through its squared
    error (a − y)² when a ``target`` y is given; the answer has ∂/∂w_i, ∂/∂x_i, ∂/∂b (and ∂/∂y)."""
    if len(weights) != len(inputs):
        raise ValueError("a neuron needs one weight per input")
    n = len(weights)
    ws = sympy.symbols(f"w1:{n + 1}") if n > 1 else (sympy.Symbol("w"),)
    xs = sympy.symbols(f"x1:{n + 1}") if n > 1 else (sympy.Symbol("x"),)
    b, y = sympy.symbols("b y")
    act = _activation(activation)
    z = sympy.Add(*[w * x for w, x in zip(ws, xs)]) + b
    expr = act(z)
    values = {w.name: v for w, v in zip(ws, weights)} | {x.name: v for x, v in zip(xs, inputs)}
    values["b"] = bias
    if target is not None:
        expr = (expr - y) ** 2
        values["y"] = target
    sol = backprop(expr, values)
    task = Task(
        "backprop",
        dict(sol.task.params, activation=activation),
        sol.task.statement.replace(
            "Find the gradient of", "Backpropagate through the neuron"
        ).replace(" by backpropagation.", "."),
    )
    return Solution(task, sol.steps, sol.answer)


def network(
    weights: Sequence[Any],
    inputs: Sequence[Any],
    activation: str = "sigmoid",
    *,
    biases: Sequence[Sequence[Any]] | None = None,
    target: Any = None,
    output_activation: str | None = None,
) -> Solution:
    """Backpropagation through a small fully connected network given by its weight matrices.

    ``weights[l][j][k]`` is the weight from unit k of layer l to unit j of layer l+1 (rows are
    units, as in W·x).  Hidden layers use ``activation``; the last layer uses
    ``output_activation`` (linear by default).  With a ``target`` the output is the squared
    error Σ (ŷ_j − y_j)²; without one the network must have a single output.  Weights are named
    w{layer}_{unit}{input} (w1_21: layer 1, unit 2, input 1), biases b{layer}_{unit}.
    """
    act, out_act = _activation(activation), _activation(output_activation)
    big = max(len(inputs), *(len(W) for W in weights)) >= 10
    sep = "_" if big else ""
    xs = [sympy.Symbol(f"x{k + 1}") for k in range(len(inputs))]
    values: dict[str, Any] = {x.name: v for x, v in zip(xs, inputs)}
    layer: list[sympy.Expr] = list(xs)
    for li, W in enumerate(weights, start=1):
        if any(len(row) != len(layer) for row in W):
            raise ValueError(f"layer {li} needs {len(layer)} weights per unit")
        new = []
        for j, row in enumerate(W, start=1):
            z = sympy.Integer(0)
            for k, wv in enumerate(row, start=1):
                w = sympy.Symbol(f"w{li}_{j}{sep}{k}")
                values[w.name] = wv
                z += w * layer[k - 1]
            if biases is not None:
                bsym = sympy.Symbol(f"b{li}_{j}")
                values[bsym.name] = biases[li - 1][j - 1]
                z += bsym
            new.append((out_act if li == len(weights) else act)(z))
        layer = new
    if target is not None:
        ts = [target] if not isinstance(target, (list, tuple)) else list(target)
        if len(ts) != len(layer):
            raise ValueError("one target per output unit")
        ys = [
            sympy.Symbol(f"y{j + 1}") if len(ts) > 1 else sympy.Symbol("y") for j in range(len(ts))
        ]
        values |= {yy.name: t for yy, t in zip(ys, ts)}
        expr = sympy.Add(*[(o - yy) ** 2 for o, yy in zip(layer, ys)])
    elif len(layer) == 1:
        expr = layer[0]
    else:
        raise ValueError("a network with several outputs needs a target to make a single loss")
    sol = backprop(expr, values)
    task = Task(
        "backprop",
        dict(sol.task.params, activation=activation, layers=len(weights)),
        sol.task.statement.replace(
            "Find the gradient of", "Backpropagate through the network"
        ).replace(" by backpropagation.", "."),
    )
    return Solution(task, sol.steps, sol.answer)
