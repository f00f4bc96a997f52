"""The computational graph of backpropagation: nodes with their forward value and gradient,
edges with their local derivative, inputs on the left and the output on the right."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import compute, style

_DX, _DY = 3.5, 1.7  # spacing between columns and rows, in data units
_W, _H = 2.1, 1.15  # node box size


def _fmt(v: Any) -> str:
    if v is None:
        return "?"
    try:
        return style.number(float(v))
    except (TypeError, ValueError):
        return str(v)


def _get(item: Any, key: str, default: Any = None) -> Any:
    if isinstance(item, Mapping):
        return item.get(key, default)
    return getattr(item, key, default)


def engine_graph(g: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The plain data of ``tutor.ml.backprop``'s graph ``g`` (a ``Graph``): nodes
    [{id, label, value, grad}] and edges [{src, dst, local}] with each edge's local value.

    The figure draws exactly the graph the worked solution walks through; nothing is
    recomputed here.  An operation node is labelled with its operation and, when short,
    the sub-expression it computes (``×: w·x``)."""
    from ..render.mathtext import math_text

    nodes = []
    for n in g.nodes:
        label = n.label
        if n.op not in ("input", "const"):
            text = math_text(n.expr)
            label = f"{n.label}: {text}" if len(text) <= 9 else n.label
        nodes.append({"id": n.id, "label": label, "value": n.value, "grad": n.grad})
    edges = [{"src": e.source, "dst": e.target, "local": e.local_value} for e in g.edges]
    return nodes, edges


def graph(
    expr: Any = None,
    *,
    nodes: Sequence[Any],
    edges: Sequence[Any],
    output_name: str = "L",
    title: str | None = None,
) -> Any:
    """Draw a computational graph from plain data: ``nodes`` [{id, label, value, grad}] and
    ``edges`` [{src, dst, local}] (local = ∂dst/∂src).  ``grad`` is the derivative of the
    output with respect to the node, found by the backward pass."""
    from matplotlib.patches import FancyBboxPatch

    ids = [str(_get(n, "id")) for n in nodes]
    if len(set(ids)) != len(ids):
        raise ValueError("node ids must be unique")
    by_id = {str(_get(n, "id")): n for n in nodes}
    pairs = [(str(_get(e, "src")), str(_get(e, "dst"))) for e in edges]
    for s, d in pairs:
        if s not in by_id or d not in by_id:
            raise ValueError(f"edge {s} → {d} names a node that is not in the graph")
    pos = compute.layers(ids, pairs)
    ncols = max(c for c, _ in pos.values()) + 1
    per_col = {c: sum(1 for cc, _ in pos.values() if cc == c) for c in range(ncols)}
    nrows = max(per_col.values())

    def xy(n: str) -> tuple[float, float]:
        c, r = pos[n]
        return c * _DX, -(r - (per_col[c] - 1) / 2) * _DY

    with style.context():
        fig, (ax,) = style.new_figure(size=(max(4.0, 1.9 * ncols + 0.6), 0.95 * nrows + 1.1))
        for e, (s, d) in zip(edges, pairs):
            (x0, y0), (x1, y1) = xy(s), xy(d)
            ax.annotate(
                "", (x1 - _W / 2, y1), (x0 + _W / 2, y0),
                arrowprops={"arrowstyle": "-|>", "color": style.BLACK, "linewidth": 1.1,
                            "shrinkA": 0, "shrinkB": 0},
            )  # fmt: skip
            local = _get(e, "local")
            if local is not None:
                mx, my = (x0 + x1) / 2, (y0 + y1) / 2
                ax.text(mx, my + 0.12, f"local {_fmt(local)}", ha="center", va="bottom",
                        fontsize=7.5, color=style.VERMILION,
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})  # fmt: skip
        for n in ids:
            node = by_id[n]
            x, y = xy(n)
            is_input = n not in {d for _, d in pairs}
            box = FancyBboxPatch(
                (x - _W / 2, y - _H / 2), _W, _H, boxstyle="round,pad=0.02,rounding_size=0.15",
                facecolor="#E8F1F8" if is_input else "white", edgecolor=style.BLUE, linewidth=1.3,
            )  # fmt: skip
            ax.add_patch(box)
            label = str(_get(node, "label", n) or n)
            size = 9 if len(label) <= 12 else 7.5
            ax.text(x, y + 0.27, label, ha="center", va="center", fontsize=size, weight="bold")
            ax.text(x, y - 0.02, f"value {_fmt(_get(node, 'value'))}", ha="center",
                    va="center", fontsize=8, color=style.BLUE)  # fmt: skip
            ax.text(x, y - 0.3, f"grad {_fmt(_get(node, 'grad'))}", ha="center", va="center",
                    fontsize=8, color=style.VERMILION, style="italic")  # fmt: skip
        ax.set_xlim(-_W / 2 - 0.3, (ncols - 1) * _DX + _W / 2 + 0.3)
        top = (nrows - 1) / 2 * _DY + _H / 2 + 0.35
        ax.set_ylim(-top - 0.25, top)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title(title or "Computational graph: forward values, backward gradients")
        fig.text(
            0.5, 0.01,
            f"value: forward pass   ·   grad: ∂{output_name}/∂node (backward pass)   ·   "
            "local: derivative along the edge",
            ha="center", va="bottom", fontsize=7.5, color=style.GREY,
        )  # fmt: skip
    return fig
