"""Pictures about data and losses: data with a model line and its residuals, loss
against prediction, and the level curves of a surface with its critical points."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core import as_sympy
from . import compute, style


def residuals(
    expr: Any = None,
    *,
    data: Any,
    w: float | None = None,
    b: float | None = None,
    var: str | None = None,
    title: str | None = None,
) -> Any:
    """Data points, the model line y = w x + b (or any model ``expr``), and the residual of
    each point as a vertical segment: the error the model makes there."""
    import sympy

    pts = np.asarray(data, dtype=float)
    if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) == 0:
        raise ValueError("data must be a list of (x, y) points")
    if expr is None:
        if w is None or b is None:
            raise ValueError("give the model (e.g. 2x + 1) or its w and b")
        x = sympy.Symbol(var or "x")
        expr = sympy.nsimplify(w) * x + sympy.nsimplify(b)
    (x,) = compute.free_vars(expr, [var] if var else None, 1)
    e = as_sympy(expr)
    model = compute.numeric(e, [x])
    px, py = pts[:, 0], pts[:, 1]
    pred = model(px)
    sse = float(np.sum((py - pred) ** 2))
    span = max(float(np.ptp(px)), 1.0)
    lo, hi = float(px.min()) - 0.1 * span, float(px.max()) + 0.1 * span
    with style.context():
        fig, (ax,) = style.new_figure()
        xs = np.linspace(lo, hi, 201)
        ax.plot(xs, model(xs), color=style.BLUE, label="model: " + style.math_label(e, "y"))
        for i, (xi, yi, pi) in enumerate(zip(px, py, pred)):
            ax.plot([xi, xi], [pi, yi], color=style.VERMILION, linestyle="-", linewidth=2.2,
                    label="residual (error) y − ŷ" if i == 0 else None)  # fmt: skip
        ax.plot(px, pred, linestyle="none", marker="s", markersize=4, color=style.BLUE,
                label="prediction ŷ")  # fmt: skip
        ax.plot(px, py, linestyle="none", marker="o", markersize=6, color=style.BLACK,
                label="data (x, y)", zorder=5)  # fmt: skip
        ax.set_xlim(lo, hi)
        style.axes_labels(ax, x.name, "y", title or "Data, model line and residuals")
        ax.text(0.98, 0.03, f"sum of squared errors = {style.number(sse)}", ha="right",
                transform=ax.transAxes, fontsize=8.5)  # fmt: skip
        ax.legend(loc="upper left")
    return fig


_LOSSES = {
    "mse": ("Squared error (ŷ − y)²", compute.mse),
    "mae": ("Absolute error |ŷ − y|", compute.mae),
    "bce": ("Binary cross-entropy", compute.bce),
    "softmax_ce": ("Softmax cross-entropy −ln p", None),
}


def loss_vs_prediction(
    expr: Any = None,
    *,
    target: float | Sequence[float] = 1.0,
    losses: Sequence[str] = ("mse", "mae", "bce"),
    title: str | None = None,
) -> Any:
    """Each loss as a function of the prediction for a fixed target: how the penalty grows
    with the error (cross-entropy for both labels 1 and 0)."""
    names = [str(n).lower() for n in losses]
    unknown = [n for n in names if n not in _LOSSES]
    if unknown or not names:
        raise ValueError(
            f"unknown loss {unknown[0] if unknown else ''!r}; use mse, mae, bce, softmax_ce"
        )
    targets = sorted({float(t) for t in np.atleast_1d(np.asarray(target, dtype=float))})
    y = targets[0]
    with style.context():
        fig, axes = style.new_figure(ncols=len(names))
        for ax, name in zip(axes, names):
            label, fn = _LOSSES[name]
            if name == "softmax_ce":
                # only the true class's probability matters: the loss is −ln p
                p = np.linspace(0.005, 1.0, 399)
                ax.plot(p, -np.log(p), color=style.BLUE)
                ax.set_ylim(0, 5.5)
                style.axes_labels(ax, "predicted probability of the true class", "loss", label)
            elif name == "bce":
                p = np.linspace(0.005, 0.995, 399)
                for i, lab in enumerate((1.0, 0.0)):
                    kw = style.series(i)
                    ax.plot(p, fn(p, lab), color=kw["color"], linestyle=kw["linestyle"],
                            label=f"label y = {int(lab)}")  # fmt: skip
                ax.set_ylim(0, 5.5)
                style.axes_labels(ax, "predicted probability p", "loss", label)
                ax.legend(loc="upper center")
            else:
                pred = np.linspace(targets[0] - 3, targets[-1] + 3, 301)
                for i, t in enumerate(targets):  # one curve per target of the problem
                    kw = style.series(i)
                    ax.plot(pred, fn(pred, t), color=kw["color"], linestyle=kw["linestyle"],
                            label=f"target y = {style.number(t)}")  # fmt: skip
                    ax.axvline(t, color=style.GREY, linestyle=":", linewidth=1)
                if len(targets) > 1:
                    ax.legend(loc="upper center")
                else:
                    ax.annotate(f"target y = {style.number(y)}", (y, 0), textcoords="offset points",
                                xytext=(4, 6), fontsize=8)  # fmt: skip
                style.axes_labels(ax, "prediction ŷ", "loss", label)
        fig.suptitle(title or "Loss against prediction: how much each miss costs")
    return fig


def surface_critical(
    expr: Any,
    *,
    on: Any = None,
    points: Any = None,
    constraint: Any = None,
    variables: Sequence[str] | None = None,
    title: str | None = None,
) -> Any:
    """Level curves of f(x, y) with its critical points marked by kind (minimum, maximum,
    saddle).  ``points`` ([((x, y), kind), ...] or [(x, y), ...], e.g. from
    ``critical_points``) skips the solving; ``constraint`` (an equation g(x, y) = c) is
    drawn as a line.  For a function of one variable: the curve with its critical points."""
    import sympy
    from matplotlib.ticker import FuncFormatter

    from .descent import _box

    e = as_sympy(expr)
    if len(e.free_symbols) <= 1 and not variables:
        from .curves import critical_curve

        return critical_curve(e, points=points, on=on, title=title)
    x, y = compute.free_vars(expr, variables, 2)
    f = compute.numeric(e, [x, y])
    if points is None:
        crit = compute.critical_points_2d(e, x, y)
    else:
        crit = [_point_kind(e, x, y, p) for p in points]
    if on is None and crit:
        cx = [a for a, _, _ in crit]
        cy = [b for _, b, _ in crit]
        mx, my = (max(cx) + min(cx)) / 2, (max(cy) + min(cy)) / 2
        half = max(3.0, 0.8 * max(max(cx) - min(cx), max(cy) - min(cy)) + 2.0)
        (xlo, xhi), (ylo, yhi) = (mx - half, mx + half), (my - half, my + half)
    else:
        (xlo, xhi), (ylo, yhi) = _box(on, 3.0)
    gx, gy = np.meshgrid(np.linspace(xlo, xhi, 161), np.linspace(ylo, yhi, 161))
    gz = f(gx, gy)
    with style.context():
        fig, (ax,) = style.new_figure(size=(5.4, 4.6))
        values = [float(f(a, b)) for a, b, _ in crit]
        lv = compute.even_levels(gz, [v for v in values if np.isfinite(v)])
        filled = ax.contourf(gx, gy, gz, levels=lv, cmap="cividis", alpha=0.55, extend="both")
        cs = ax.contour(gx, gy, gz, levels=filled.levels, colors=style.BLACK, linewidths=0.6)
        ax.clabel(cs, inline=True, fontsize=6.5, fmt=style.number)
        fig.colorbar(filled, ax=ax, label=style.math_label(e, f"f({x.name}, {y.name})"),
                     shrink=0.85, format=FuncFormatter(lambda v, _: style.number(v)))  # fmt: skip
        if constraint is not None:
            g = as_sympy(constraint)
            g = g.lhs - g.rhs if isinstance(g, sympy.Equality) else g
            gz_ = compute.numeric(g, [x, y])(gx, gy)
            ax.contour(gx, gy, gz_, levels=[0], colors=style.VERMILION, linewidths=2.2,
                       linestyles="--")  # fmt: skip
            ax.plot([], [], color=style.VERMILION, linestyle="--", linewidth=2.2,
                    label="constraint: " + style.math_label(sympy.Eq(g, 0)))  # fmt: skip
        marks = {"minimum": ("o", style.BLUE), "maximum": ("^", style.VERMILION),
                 "saddle": ("X", style.GREEN)}  # fmt: skip
        seen: set[str] = set()
        for a, b, kind in crit:
            marker, color = marks.get(kind, ("D", style.PURPLE))
            ax.plot([a], [b], marker=marker, color=color, markersize=10, markeredgecolor="white",
                    linestyle="none", zorder=6, label=None if kind in seen else kind)  # fmt: skip
            seen.add(kind)
            ax.annotate(f"({style.number(a)}, {style.number(b)})", (a, b), fontsize=8,
                        textcoords="offset points", xytext=(7, 7),
                        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8,
                              "pad": 1})  # fmt: skip
        ax.set_xlim(xlo, xhi)
        ax.set_ylim(ylo, yhi)
        ax.set_aspect("equal", adjustable="box")
        ax.grid(False)
        default = "Level curves with the critical points" if crit else "Level curves of f"
        if points is not None and any(k not in _KINDS for _, _, k in crit):
            default = "Level curves with the marked points"
        style.axes_labels(ax, x.name, y.name, title or default)
        if crit or constraint is not None:
            ax.legend(loc="upper left", frameon=True)
    return fig


_KINDS = ("minimum", "maximum", "saddle", "critical point")


def _point_kind(e: Any, x: Any, y: Any, p: Any) -> tuple[float, float, str]:
    """(x, y, kind) from ((x, y), kind) or from (x, y), the kind found by the Hessian."""

    if len(p) == 2 and isinstance(p[1], str):
        return float(p[0][0]), float(p[0][1]), p[1]
    a, b = float(p[0]), float(p[1])
    # the kind the engine gives the critical point found there, if any
    kind = "critical point"
    for cx, cy, k in compute.critical_points_2d(e, x, y):
        if abs(cx - a) < 1e-9 and abs(cy - b) < 1e-9:
            kind = "critical point" if k == "undecided" else k
    return a, b, kind
