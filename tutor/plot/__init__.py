"""The course's pictures, drawn with matplotlib (Agg, no display) in one colour-blind-safe
style that also reads in grey print.

    figure(kind, expr=None, **options) -> matplotlib.figure.Figure
    render(spec, fmt="svg") -> bytes       # spec = {"kind": ..., "expr": ..., options}
    save(fig, path)                        # format from the extension: svg, png, pdf

``KINDS`` lists the kinds with one line each.  Output bytes are deterministic: the same
spec gives the same file on every run (no dates, fixed hash salt, fixed DPI).
"""

from __future__ import annotations

import importlib
import inspect
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["KINDS", "FORMATS", "figure", "render", "save", "to_bytes"]

# kind -> ("module:function", one line for --help and the docs)
KINDS: dict[str, tuple[str, str]] = {
    "secants": ("curves:secants", "curve with secant lines closing in on the tangent at a point"),
    "derivative": ("curves:derivative", "f and f' together"),
    "slope-sign": ("curves:slope_sign", "f coloured by the sign of f', critical points marked"),
    "limit": ("curves:limit", "a hole, jump or vertical asymptote at a point"),
    "transform": ("curves:transform", "a function before and after a shift/stretch"),
    "descent": ("descent:descent", "gradient-descent path on the curve, several learning rates"),
    "contour": ("descent:contour", "2-D descent path on contour lines, several learning rates"),
    "loss-curve": ("descent:loss_curve", "loss per step of gradient descent"),
    "layer-gradients": ("descent:layer_gradients", "the gradient's size after each layer"),
    "residuals": ("data:residuals", "data with a model line and residual segments"),
    "loss-vs-prediction": ("data:loss_vs_prediction", "MSE, MAE and cross-entropy vs prediction"),
    "surface-critical": ("data:surface_critical", "level curves of f(x, y), critical points"),
    "graph": ("graph:graph", "computational graph with forward values and gradients"),
    "function": ("curves:function", "the graph of a function with points marked"),
}

# Other names for options, as problem generators write them: kind -> {alias: option}
_ALIASES: dict[str, dict[str, str]] = {
    "secants": {"a": "at"},
    "limit": {"point": "at"},
    "transform": {"result": "after"},
    "descent": {"start": "x0"},
    "contour": {"start": "x0"},
    "loss-curve": {"start": "x0", "values": "losses"},
    "surface-critical": {"critical": "points", "interval": "on"},
    "loss-vs-prediction": {"loss": "losses"},
}

FORMATS = ("svg", "png", "pdf")

# Options holding numbers (or lists/pairs of numbers); strings there are read by tutor.parse.
_NUMERIC = {
    "at",
    "x0",
    "lr",
    "h",
    "on",
    "a",
    "b",
    "k",
    "w",
    "target",
    "ylim",
    "data",
    "path",
    "critical",
    "epochs",
    "sizes",
    "threshold",
}
_EXPRESSIONS = {"after"}


def _parse(text: str, variables: Any = None) -> Any:
    try:
        from ..parse import parse
    except ImportError as exc:  # pragma: no cover - tutor.parse ships with the package
        raise RuntimeError("reading maths from text needs tutor.parse") from exc
    return parse(text, variables=variables) if variables else parse(text)


def _number(value: Any) -> Any:
    """Numbers, or nested lists of them, from numbers, sympy numbers or text like '1/2'."""
    if isinstance(value, (list, tuple)) or getattr(value, "is_Tuple", False):
        return [_number(v) for v in value]
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {value!r}")
    if isinstance(value, (int, float)):
        return value
    obj = _parse(value) if isinstance(value, str) else value
    try:
        return float(obj)
    except (TypeError, ValueError):
        raise ValueError(f"expected a number, got {value!r}") from None


def _target(kind: str) -> Any:
    if kind not in KINDS:
        known = ", ".join(KINDS)
        raise ValueError(f"unknown figure kind {kind!r}; the kinds are: {known}")
    module_name, attr = KINDS[kind][0].split(":")
    return getattr(importlib.import_module(f"{__name__}.{module_name}"), attr)


def figure(kind: str, expr: Any = None, **options: Any) -> Any:
    """Draw the figure ``kind`` for ``expr`` (a sympy object, or text read by
    ``tutor.parse``) and return the matplotlib Figure.

    Options depend on the kind (``at``, ``on``, ``lr``, ``x0``, ``steps``, ``data``,
    ``nodes``/``edges``, ``title``, ...); unknown options raise ``ValueError``.
    """
    opts = {str(k).replace("-", "_"): v for k, v in options.items()}
    if isinstance(expr, str):
        names = opts.get("variables") or ([opts["var"]] if opts.get("var") else None)
        expr = _parse(expr, names)
    kind, expr, opts = _normalise(kind, expr, opts)
    func = _target(kind)
    params = inspect.signature(func).parameters
    unknown = sorted(set(opts) - set(params))
    if unknown:
        allowed = ", ".join(p for p in params if p != "expr")
        raise ValueError(f"unknown option {unknown[0]!r} for {kind!r}; options: {allowed}")
    for key in list(opts):
        if (key in _NUMERIC or (key, kind) == ("points", "function")) and opts[key] is not None:
            opts[key] = _number(opts[key])
        elif key in _EXPRESSIONS and isinstance(opts[key], str):
            opts[key] = _parse(opts[key])
        elif key == "steps":
            opts[key] = int(_number(opts[key]))
    if expr is None and params["expr"].default is inspect.Parameter.empty:
        raise ValueError(f"the figure {kind!r} needs a function to draw")
    return func(expr, **opts)


def _normalise(kind: str, expr: Any, opts: dict[str, Any]) -> tuple[str, Any, dict[str, Any]]:
    """Accept the spellings problem generators use: aliases of options, ``xs``/``ys`` for
    data, ``graph`` with only an expression (a function plot) or with ``values`` (the
    computational graph), and ``descent`` of a function of two variables (contour)."""
    for alias, name in _ALIASES.get(kind, {}).items():
        if alias in opts and name not in opts:
            opts[name] = opts.pop(alias)
    if kind == "residuals" and "xs" in opts and "ys" in opts:
        opts["data"] = [list(p) for p in zip(opts.pop("xs"), opts.pop("ys"))]
    if kind == "graph" and "nodes" not in opts:
        if "values" in opts:
            from ..ml.backpropagation import graph as backprop_graph
            from .graph import engine_graph

            # the graph ml.backprop builds for the worked solution, with its passes
            nodes, edges = engine_graph(backprop_graph(expr, dict(opts.pop("values"))))
            opts.update(nodes=nodes, edges=edges)
        else:
            kind = "function"
    if kind == "loss-vs-prediction" and isinstance(opts.get("losses"), str):
        opts["losses"] = [opts["losses"]]
    if kind == "contour" and not {"path", "x0", "lr", "start"} & set(opts):
        kind = "surface-critical"  # level curves with points or a constraint, no descent
    if kind == "descent":
        start = opts.get("x0")
        if isinstance(start, (list, tuple)) and len(start) == 2:
            kind = "contour"
        elif expr is not None and len(getattr(expr, "free_symbols", ())) == 2:
            kind = "contour"
    return kind, expr, opts


def to_bytes(fig: Any, fmt: str = "svg") -> bytes:
    """The figure as an SVG, PNG or PDF file's bytes, identical on every run."""
    from . import style

    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"unknown figure format {fmt!r}; use one of {', '.join(FORMATS)}")
    metadata: dict[str, Any] = {
        "svg": {"Date": None, "Creator": style.CREATOR},
        "pdf": {"CreationDate": None, "Creator": style.CREATOR, "Producer": style.CREATOR},
        "png": {"Software": style.CREATOR},
    }[fmt]
    buf = io.BytesIO()
    with style.context():
        fig.savefig(buf, format=fmt, dpi=style.DPI, metadata=metadata)
    return buf.getvalue()


def render(spec: Mapping[str, Any], fmt: str = "svg") -> bytes:
    """Render a figure spec ``{"kind": ..., "expr": ..., **options}`` (what a
    ``Problem.figure`` holds) to the bytes of an SVG, PNG or PDF file."""
    opts = dict(spec)
    try:
        kind = opts.pop("kind")
    except KeyError:
        raise ValueError("a figure spec needs a 'kind'") from None
    expr = opts.pop("expr", None)
    return to_bytes(figure(kind, expr, **opts), fmt)


def save(fig: Any, path: str | Path) -> Path:
    """Write the figure to ``path``; the format comes from the extension (svg, png, pdf)."""
    path = Path(path)
    data = to_bytes(fig, path.suffix.lower().lstrip(".") or "svg")
    path.write_bytes(data)
    return path


def render_described(spec: Mapping[str, Any], fmt: str = "svg") -> tuple[bytes, str]:
    """``render(spec, fmt)`` and the figure's alternative text, from one drawing."""
    from .describe import describe

    opts = dict(spec)
    try:
        kind = opts.pop("kind")
    except KeyError:
        raise ValueError("a figure spec needs a 'kind'") from None
    expr = opts.pop("expr", None)
    fig = figure(kind, expr, **opts)
    return to_bytes(fig, fmt), describe(fig, kind)
