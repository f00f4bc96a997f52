"""Gradient descent in pictures: the path on the curve (1-D), the path on contour lines
(2-D), several learning rates side by side, and the loss per step."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..core import as_sympy
from . import compute, style

DEFAULT_LR = (0.1, 0.9, 1.05)


def _lrs(lr: Any) -> list[float]:
    if lr is None:
        return list(DEFAULT_LR)
    if isinstance(lr, (int, float)):
        return [float(lr)]
    out = [float(v) for v in lr]
    if not out:
        return list(DEFAULT_LR)
    if any(v <= 0 for v in out):
        raise ValueError("learning rates must be positive")
    return out


def behaviour(values: np.ndarray, steps: int, grad_first: float, grad_last: float) -> str:
    """A few words on a run: converges, zig-zags in, oscillates, diverges, or is slow."""
    if compute.diverged(values, steps):
        return "diverges"
    pts = np.asarray(values, dtype=float).reshape(len(values), -1)
    moves = pts[1:] - pts[:-1]
    if len(moves) == 0:
        return "does not move"
    sizes = np.linalg.norm(moves, axis=1)
    if len(moves) >= 3 and sizes[-1] > sizes[0] * 1.01:
        return "diverges"
    flips = int(np.sum(np.sum(moves[1:] * moves[:-1], axis=1) < 0))
    zigzag = flips >= max(2, (len(moves) - 1) // 2)
    if abs(grad_last) <= 1e-3 * max(abs(grad_first), 1e-12) or abs(grad_last) < 1e-6:
        return "zig-zags in, converges" if zigzag else "converges"
    if zigzag:
        return "zig-zags in slowly" if sizes[-1] < 0.9 * sizes[0] else "oscillates"
    return "converges slowly"


def _engine_path(e: Any, vs: list[Any], start: Any, lr: float, steps: int) -> Any:
    """The iterates and gradients of ``tutor.gradient_descent`` in its float mode."""
    from ..ml.descent import descent_path

    start = float(start) if np.ndim(start) == 0 else [float(c) for c in np.ravel(start)]
    return descent_path(e, start, lr, steps, [v.name for v in vs], limit=compute.DIVERGED)


def _gradient_at(e: Any, vs: list[Any], point: Any) -> Any:
    """The engine's gradient at ``point`` (a descent run of no steps)."""
    return _engine_path(e, vs, point, 1.0, 0)[1][0]


def _arrows(ax: Any, xs: np.ndarray, ys: np.ndarray, color: str) -> None:
    for i in range(len(xs) - 1):
        ax.annotate(
            "", (xs[i + 1], ys[i + 1]), (xs[i], ys[i]),
            arrowprops={"arrowstyle": "->", "color": color, "linewidth": 1.1,
                        "shrinkA": 3, "shrinkB": 3},
        )  # fmt: skip


def descent(
    expr: Any,
    *,
    lr: Any = None,
    x0: float = 2.0,
    steps: int = 8,
    on: Any = None,
    var: str | None = None,
    title: str | None = None,
) -> Any:
    """The descent path x_{k+1} = x_k − η f'(x_k) drawn on the curve, one panel per η."""

    (x,) = compute.free_vars(expr, [var] if var else None, 1)
    e = as_sympy(expr)
    f = compute.numeric(e, [x])
    rates = _lrs(lr)
    steps = int(steps)
    x0 = float(x0[0]) if isinstance(x0, (list, tuple)) else float(x0)
    runs = [_engine_path(e, [x], x0, r, steps) for r in rates]
    paths = [p[:, 0] for p, _ in runs]
    slopes = [g[:, 0] for _, g in runs]
    reach = max(3.0, abs(x0) * 1.3)
    with style.context():
        fig, axes = style.new_figure(ncols=len(rates))
        for i, (ax, r, path) in enumerate(zip(axes, rates, paths)):
            shown = path[np.abs(path) <= reach * 2]
            if on is not None:
                lo, hi = (float(v) for v in on)
            else:
                lo = min(-reach, float(shown.min()) - 0.5)
                hi = max(reach, float(shown.max()) + 0.5)
            xs, ys, win = compute.sample(f, lo, hi)
            fy = f(shown)
            win = (min(win[0], float(np.nanmin(fy))), max(win[1], float(np.nanmax(fy))))
            pad = 0.05 * (win[1] - win[0])
            kw = style.series(i)
            ax.plot(xs, ys, color=style.BLACK, linewidth=1.6, label=style.math_label(e, "f"))
            ax.plot(shown, fy, linestyle="none", marker=kw["marker"], color=kw["color"],
                    markersize=6, zorder=5, label="iterates xₖ, joined in order")  # fmt: skip
            _arrows(ax, shown, fy, kw["color"])
            ax.plot([shown[0]], [fy[0]], "o", markersize=10, markerfacecolor="none",
                    markeredgecolor=style.BLACK, zorder=6, label=f"start x₀ = {style.number(x0)}")  # fmt: skip
            ax.set_xlim(lo, hi)
            ax.set_ylim(win[0] - pad, win[1] + pad)
            verdict = behaviour(path, steps, float(slopes[i][0]), float(slopes[i][-1]))
            style.axes_labels(ax, x.name, f"f({x.name})", f"η = {style.number(r)}: {verdict}")
        fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=3)
        fig.suptitle(title or "Gradient descent on the curve: the effect of the learning rate η")
    return fig


def contour(
    expr: Any,
    *,
    lr: Any = None,
    x0: Any = (2.0, 1.5),
    steps: int = 12,
    path: Any = None,
    on: Any = None,
    variables: Sequence[str] | None = None,
    title: str | None = None,
) -> Any:
    """The 2-D descent path on the level curves of f(x, y), one panel per learning rate;
    or one given ``path`` (a list of points, e.g. a worked solution's iterates)."""

    x, y = compute.free_vars(expr, variables, 2)
    e = as_sympy(expr)
    f = compute.numeric(e, [x, y])
    if path is not None:
        given = np.asarray(path, dtype=float)
        if given.ndim != 2 or given.shape[1] != 2 or len(given) == 0:
            raise ValueError("a path is a list of points (x, y)")
        paths, rates, steps = [given], [float(lr) if lr is not None else None], len(given) - 1
        p0 = [float(v) for v in given[0]]
    else:
        rates = _lrs(lr if lr is not None else (0.05, 0.2, 0.45))
        steps = int(steps)
        p0 = [float(v) for v in np.ravel(x0)]
        if len(p0) != 2:
            raise ValueError("the start point needs two coordinates, e.g. x0 = (2, 1)")
        paths = [_engine_path(e, [x, y], p0, r, steps)[0] for r in rates]
    ends = paths[0] if path is not None else np.array([p0])
    reach = max(3.0, 1.3 * float(np.max(np.abs(ends))))
    (xlo, xhi), (ylo, yhi) = _box(on, reach)
    gx, gy = np.meshgrid(np.linspace(xlo, xhi, 161), np.linspace(ylo, yhi, 161))
    gz = f(gx, gy)
    levels = compute.levels(gz)
    with style.context():
        fig, axes = style.new_figure(ncols=len(rates))
        for i, (ax, r, run) in enumerate(zip(axes, rates, paths)):
            cs = ax.contour(gx, gy, gz, levels=levels, colors=style.GREY, linewidths=0.8)
            ax.clabel(cs, inline=True, fontsize=6.5, fmt=style.number, colors=style.GREY)
            inside = run[(np.abs(run[:, 0]) <= 4 * reach) & (np.abs(run[:, 1]) <= 4 * reach)]
            kw = style.series(i)
            ax.plot(inside[:, 0], inside[:, 1], color=kw["color"], linestyle="none",
                    marker=kw["marker"], markersize=5, zorder=5, label="iterates")  # fmt: skip
            _arrows(ax, inside[:, 0], inside[:, 1], kw["color"])
            ax.plot([p0[0]], [p0[1]], "o", markersize=10, markerfacecolor="none",
                    markeredgecolor=style.BLACK, zorder=6,
                    label=f"start ({style.number(p0[0])}, {style.number(p0[1])})")  # fmt: skip
            ax.set_xlim(xlo, xhi)
            ax.set_ylim(ylo, yhi)
            ax.set_aspect("equal", adjustable="box")
            ax.grid(False)
            g0, g1 = (np.linalg.norm(_gradient_at(e, [x, y], p)) for p in (run[0], run[-1]))
            verdict = behaviour(run, steps, float(g0), float(g1))
            head = f"η = {style.number(r)}: {verdict}" if r is not None else f"{steps} step(s)"
            style.axes_labels(ax, x.name, y.name, head)
        fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2)
        fig.suptitle(title or "Gradient descent on the level curves: each step goes downhill")
    return fig


def _box(on: Any, reach: float) -> tuple[tuple[float, float], tuple[float, float]]:
    if on is None:
        return (-reach, reach), (-reach, reach)
    vals = [float(v) for v in np.ravel(np.array(on, dtype=float))]
    if len(vals) == 2:
        return (vals[0], vals[1]), (vals[0], vals[1])
    if len(vals) == 4:
        return (vals[0], vals[1]), (vals[2], vals[3])
    raise ValueError("the plotting box is (a, b) or ((a, b), (c, d))")


def loss_curve(
    expr: Any = None,
    *,
    losses: Any = None,
    lr: Any = None,
    x0: Any = 2.0,
    steps: int = 20,
    path: Any = None,
    epochs: Any = None,
    log: bool | None = None,
    variables: Sequence[str] | None = None,
    title: str | None = None,
) -> Any:
    """The loss per step of gradient descent: from ``losses`` (a list, or a mapping of
    name → list), from the loss ``expr`` along a given ``path`` of parameter points (in the
    order of ``variables``, else sorted by name), or by running descent on ``expr`` with
    each learning rate.  ``epochs`` are the steps the ``losses`` were logged at (a log of
    epochs 0, 33, 66, 100 is drawn over those epochs, not over 0, 1, 2, 3)."""

    series: dict[str, np.ndarray] = {}
    if path is not None and expr is not None:
        e = as_sympy(expr)
        pts = np.asarray(path, dtype=float).reshape(len(path), -1)
        vs = compute.free_vars(e, variables, pts.shape[1])
        series = {"loss": compute.numeric(e, vs)(*pts.T)}
    elif losses is not None:
        if isinstance(losses, Mapping):
            series = {str(k): np.asarray(v, dtype=float) for k, v in losses.items()}
        else:
            series = {"loss": np.asarray(losses, dtype=float)}
    elif expr is not None:
        e = as_sympy(expr)
        point = np.atleast_1d(np.asarray(x0, dtype=float))
        vs = compute.free_vars(e, variables, len(point))
        f = compute.numeric(e, vs)
        for r in _lrs(lr):
            if len(vs) in (1, 2):
                run = _engine_path(e, vs, list(point), r, int(steps))[0]
                vals = f(*run.T)
            else:
                raise ValueError("loss curves are drawn for functions of one or two variables")
            series[f"η = {style.number(r)}"] = vals
    else:
        raise ValueError("give a function to descend on, or the losses to draw")
    at: np.ndarray | None = None
    if epochs is not None:
        at = np.asarray(epochs, dtype=float)
        if losses is None or any(len(v) != len(at) for v in series.values()):
            raise ValueError("give one epoch per logged loss")
        if any(b <= a for a, b in zip(at, at[1:])):
            raise ValueError("the epochs must increase")
    allv = np.concatenate([v[np.isfinite(v)] for v in series.values()] or [np.array([1.0])])
    if log is None:
        log = bool(allv.size and allv.min() > 0 and allv.max() / allv.min() > 100)
    with style.context():
        fig, (ax,) = style.new_figure()
        for i, (name, vals) in enumerate(series.items()):
            kw = style.series(i)
            ax.plot(np.arange(len(vals)) if at is None else at, vals, markersize=4, label=name,
                    **kw)  # fmt: skip
        if log:
            ax.set_yscale("log")
        ax.xaxis.get_major_locator().set_params(integer=True)
        if at is not None:
            ax.set_xticks(at)
            ax.set_xticklabels([style.number(v) for v in at])
        style.axes_labels(ax, "step k" if at is None else "epoch",
                          "loss" + (" (log scale)" if log else ""),
                          title or ("Loss per step: is the error going down?" if at is None
                                    else "Loss per epoch: is the error going down?"))  # fmt: skip
        if len(series) > 1 or losses is None:
            ax.legend(loc="best")
    return fig


def layer_gradients(
    expr: Any = None,
    *,
    sizes: Any,
    bound: bool = False,
    threshold: Any = None,
    title: str | None = None,
) -> Any:
    """The size of the gradient after each layer, |∂a_k/∂a_0| for k = 0, 1, …, n (log
    scale): how a product of factors below 1 makes it vanish.  ``sizes`` come from the
    problem's own layers; ``bound`` says they are the upper bound (w/4)^k rather than the
    gradient itself; ``threshold`` draws the level the question asks about."""
    vals = np.abs(np.asarray(sizes, dtype=float))
    if vals.ndim != 1 or len(vals) < 2:
        raise ValueError("give the gradient's size after at least one layer")
    ks = np.arange(len(vals))
    grad = r"$|\partial a_k / \partial a_0|$"
    what = r"bound $(w/4)^k$ on " + grad if bound else grad
    with style.context():
        fig, (ax,) = style.new_figure()
        kw = style.series(0)
        positive = vals > 0
        ax.plot(ks[positive], vals[positive], markersize=5, label=what, **kw)
        if threshold is not None:
            t = float(threshold)
            ax.axhline(t, color=style.VERMILION, linestyle="--", linewidth=1.4,
                       label=f"threshold {style.number(t)}")  # fmt: skip
            below = [int(k) for k, v in zip(ks, vals) if v < t]
            if below:
                ax.plot([below[0]], [vals[below[0]]], marker="o", markersize=11,
                        markerfacecolor="none", markeredgecolor=style.VERMILION,
                        linestyle="none", label=f"first below: n = {below[0]}")  # fmt: skip
        if positive.any():
            ax.set_yscale("log")
        ax.set_xticks(ks)
        style.axes_labels(ax, "layer k", what + " (log scale)",
                          title or "The gradient through the layers: it vanishes")  # fmt: skip
        ax.legend(loc="best")
    return fig
