"""Pictures of one function of one variable: secants closing in on the tangent, f with f',
f coloured by the sign of f', a hole/jump/asymptote at a limit, and a transformation."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import as_sympy
from . import compute, style


def _domain(on: Any, at: float | None = None, half: float = 3.0) -> tuple[float, float]:
    if on is not None:
        lo, hi = (float(v) for v in on)
        if not hi > lo:
            raise ValueError(f"the interval must have a < b, got [{lo}, {hi}]")
        return lo, hi
    if at is not None:
        return at - half, at + half
    return -5.0, 5.0


def _setup(expr: Any, var: Any) -> tuple[Any, Any, compute.Fn]:

    (x,) = compute.free_vars(expr, [var] if var else None, 1)
    return x, as_sympy(expr), compute.numeric(expr, [x])


def secants(
    expr: Any,
    *,
    at: float = 1.0,
    on: Any = None,
    h: Any = (2.0, 1.0, 0.5),
    b: float | None = None,
    var: str | None = None,
    ylim: Any = None,
    title: str | None = None,
) -> Any:
    """The curve with secant lines through (a, f(a)) and (a + h, f(a + h)) for shrinking h,
    closing in on the tangent at a; with ``b``, the one secant over [a, b] (the average
    rate of change) next to the tangent at a."""

    x, e, f = _setup(expr, var)
    at = float(at)
    hs = [float(v) for v in h] if b is None else [float(b) - at]
    if any(v == 0 for v in hs):
        raise ValueError("a secant needs two different points (h ≠ 0)")
    if b is not None and title is None:
        lo_, hi_ = sorted((at, float(b)))
        m = (float(f(float(b))) - float(f(at))) / hs[0]
        title = f"Average rate of change on [{style.number(lo_)}, {style.number(hi_)}]: slope {style.number(m)}"
    lo, hi = _domain(on, at, half=max(3.0, max(abs(v) for v in hs) + 1))
    slope = float(compute.numeric(compute.derivative(e, x), [x])(at))
    fa = float(f(at))
    if not np.isfinite(fa) or not np.isfinite(slope):
        raise ValueError(f"the function has no tangent at {x.name} = {style.number(at)}")
    with style.context():
        fig, (ax,) = style.new_figure()
        xs, ys, win = compute.sample(f, lo, hi, ylim=ylim)
        ax.plot(xs, ys, color=style.BLACK, linewidth=2.2, label=style.math_label(e, "y"))
        for i, hv in enumerate(hs):
            fq = float(f(at + hv))
            m = (fq - fa) / hv
            kw = style.series(i + 1)
            ax.plot(
                xs, fa + m * (xs - at), color=kw["color"], linestyle=kw["linestyle"],
                linewidth=1.3, label=_secant_label(at, hv, m, b is not None),
            )  # fmt: skip
            ax.plot([at + hv], [fq], linestyle="none", marker=kw["marker"], color=kw["color"])
        ax.plot(
            xs, fa + slope * (xs - at), color=style.BLUE, linewidth=2.4,
            label=f"tangent at {x.name} = {style.number(at)}: slope {style.number(slope)}",
        )  # fmt: skip
        ax.plot([at], [fa], "o", color=style.BLACK, markersize=7, zorder=5)
        ax.set_xlim(lo, hi)
        ax.set_ylim(*win)
        style.axes_labels(
            ax,
            x.name,
            "y",
            title or f"Secant lines closing in on the tangent at {x.name} = {style.number(at)}",
        )
        ax.legend(loc="best")
    return fig


def _secant_label(at: float, hv: float, m: float, interval: bool) -> str:
    if interval:
        lo, hi = sorted((at, at + hv))
        return f"secant over [{style.number(lo)}, {style.number(hi)}]: slope {style.number(m)}"
    return f"secant, h = {style.number(hv)}: slope {style.number(m)}"


def _on_domain_of(g: compute.Fn, f: compute.Fn) -> compute.Fn:
    """``g`` only where ``f`` is defined: f' of ln(x) is not drawn for x < 0."""

    def call(xs: Any) -> Any:
        out = g(xs)
        return np.where(np.isfinite(f(xs)), out, np.nan)

    return call


def derivative(
    expr: Any, *, on: Any = None, var: str | None = None, ylim: Any = None, title: str | None = None
) -> Any:
    """f and f' on the same axes: where f climbs, f' is above zero."""

    x, e, f = _setup(expr, var)
    d = compute.derivative(e, x)
    fp = _on_domain_of(compute.numeric(d, [x]), f)
    lo, hi = _domain(on)
    if on is None:
        lo, hi = compute.defined_range(f, lo, hi)
    with style.context():
        fig, (ax,) = style.new_figure()
        xs, ys, win_f = compute.sample(f, lo, hi)
        _, dys, win_d = compute.sample(fp, lo, hi)
        win = ylim or (min(win_f[0], win_d[0]), max(win_f[1], win_d[1]))
        xs, ys, _ = compute.sample(f, lo, hi, ylim=win)
        _, dys, _ = compute.sample(fp, lo, hi, ylim=win)
        name = x.name
        ax.plot(xs, ys, color=style.BLUE, label=style.math_label(e, f"f({name})"))
        ax.plot(
            xs, dys, color=style.VERMILION, linestyle="--",
            label=style.math_label(d, f"f'({name})") + "  (slope of f)",
        )  # fmt: skip
        ax.set_xlim(lo, hi)
        ax.set_ylim(*win)
        style.zero_axes(ax)
        style.axes_labels(ax, name, "y", title or "A function and its derivative (its slope)")
        ax.legend(loc="best")
    return fig


def slope_sign(
    expr: Any,
    *,
    on: Any = None,
    var: str | None = None,
    critical: Any = None,
    ylim: Any = None,
    title: str | None = None,
) -> Any:
    """f coloured by the sign of f' (increasing / decreasing), critical points marked, and
    f' underneath with its sign shaded."""
    import sympy

    x, e, f = _setup(expr, var)
    d = compute.derivative(e, x)
    fp = _on_domain_of(compute.numeric(d, [x]), f)
    lo, hi = _domain(on)
    if on is None:
        lo, hi = compute.defined_range(f, lo, hi)
    crit = [float(c) for c in critical] if critical is not None else compute.zeros(fp, lo, hi)
    if on is None and crit:
        # Frame the critical points: that is where the picture happens.
        spread = max(max(crit) - min(crit), 1.5)
        lo, hi = max(lo, min(crit) - 1.5 * spread), min(hi, max(crit) + 1.5 * spread)
    name = x.name
    with style.context():
        fig, (ax, bx) = style.new_figure(nrows=2, size=(5.6, 5.2))
        xs, ys, win = compute.sample(f, lo, hi, ylim=ylim)
        slope = fp(xs)
        up = np.where(slope > 0, ys, np.nan)
        down = np.where(slope < 0, ys, np.nan)
        # Repeat the boundary point so the two colours meet without a gap.
        up_edges = np.where(np.isnan(up) & ~np.isnan(np.roll(up, 1)), ys, up)
        down_edges = np.where(np.isnan(down) & ~np.isnan(np.roll(down, 1)), ys, down)
        ax.plot(
            xs,
            up_edges,
            color=style.INCREASING,
            linewidth=2.4,
            label="increasing (f' > 0)",
        )
        ax.plot(
            xs, down_edges, color=style.DECREASING, linewidth=2.4, linestyle="--",
            label="decreasing (f' < 0)",
        )  # fmt: skip
        fc = f(np.array(crit)) if crit else np.array([])
        for i, (c, v) in enumerate(zip(crit, fc)):
            if not np.isfinite(v):
                continue
            ax.plot([c], [v], "o", color=style.BLACK, markersize=7, zorder=5,
                    label="critical point (f' = 0)" if i == 0 else None)  # fmt: skip
            ax.annotate(
                f"{name} = {style.number(c)}", (c, v), textcoords="offset points",
                xytext=(0, 9), ha="center", fontsize=8,
            )  # fmt: skip
        ax.set_xlim(lo, hi)
        ax.set_ylim(*win)
        ylabel = style.math_label(e, f"f({name})") if len(sympy.sstr(e)) < 30 else f"f({name})"
        style.axes_labels(ax, name, ylabel, title or "Where f increases and decreases")
        ax.legend(loc="best")

        dxs, dys, dwin = compute.sample(fp, lo, hi)
        bx.plot(dxs, dys, color=style.BLACK, linewidth=1.4, label="f'")
        pos = np.where(dys > 0, dys, 0)
        neg = np.where(dys < 0, dys, 0)
        bx.fill_between(dxs, 0, pos, color=style.INCREASING, alpha=0.35, linewidth=0,
                        label="f' > 0")  # fmt: skip
        bx.fill_between(dxs, 0, neg, facecolor="none", edgecolor=style.DECREASING,
                        hatch="////", linewidth=0, label="f' < 0")  # fmt: skip
        for c in crit:
            bx.axvline(c, color=style.GREY, linestyle=":", linewidth=1)
        bx.axhline(0, color=style.GREY, linewidth=0.8)
        bx.set_xlim(lo, hi)
        bx.set_ylim(*dwin)
        style.axes_labels(bx, name, f"f'({name})", "The sign of the slope f'")
        bx.legend(loc="best")
    return fig


def limit(
    expr: Any,
    *,
    at: float = 0.0,
    on: Any = None,
    direction: str = "+-",
    var: str | None = None,
    ylim: Any = None,
    title: str | None = None,
) -> Any:
    """The function near x = a with what happens there drawn: a hole (open circle), a jump
    (the two one-sided values), or a vertical asymptote (dashed line).  At a = ±∞ the
    curve is drawn far out with the horizontal line it settles to.  Both sides are always
    drawn; ``direction`` ("+", "-", "+-") only names the one asked about."""
    x, e, f = _setup(expr, var)
    at = float(at)
    if np.isinf(at):
        return _limit_at_infinity(x, e, f, at, on, ylim, title)
    lo, hi = _domain(on, at, half=2.0)
    if not lo < at < hi:
        raise ValueError(f"x = {style.number(at)} must lie inside the plotted interval")
    span = hi - lo
    left = compute.one_sided(f, at, -1, span)
    right = compute.one_sided(f, at, +1, span)
    value = float(f(np.array([at]))[0])
    gap = 1e-6 * span
    name = x.name
    with style.context():
        fig, (ax,) = style.new_figure()
        xl = np.linspace(lo, at - gap, 600)
        xr = np.linspace(at + gap, hi, 600)
        yl, yr = f(xl), f(xr)
        # The y-range comes from the middle half, near a, where the question is.
        near = np.concatenate([yl[300:], yr[:300]])
        marks = [v for v in (left, right, value) if np.isfinite(v)]
        win = ylim or compute.window(np.concatenate([near, marks]))
        ax.plot(
            xl,
            compute.mask(yl, win),
            color=style.BLUE,
            linewidth=2.2,
            label=style.math_label(e, f"f({x.name})"),
        )
        ax.plot(xr, compute.mask(yr, win), color=style.BLUE, linewidth=2.2)
        finite = [v for v in (left, right) if np.isfinite(v)]
        if np.isinf(left) or np.isinf(right):
            kind = "a vertical asymptote"
            ax.axvline(at, color=style.VERMILION, linestyle="--", linewidth=1.4,
                       label=f"vertical asymptote {name} = {style.number(at)}")  # fmt: skip
        elif len(finite) == 2 and _same(left, right):
            kind = "continuous" if np.isfinite(value) and _same(value, left) else "a hole"
        elif len(finite) == 2:
            kind = "a jump"
        else:
            kind = "no limit"
        hollow = [v for v in finite if not (np.isfinite(value) and _same(value, v))]
        for v in hollow:
            ax.plot([at], [v], "o", markersize=8, markerfacecolor="white",
                    markeredgecolor=style.BLUE, markeredgewidth=1.8, zorder=6)  # fmt: skip
        if np.isfinite(value):
            ax.plot([at], [value], "o", color=style.BLUE, markersize=7, zorder=7,
                    label=f"f({style.number(at)}) = {style.number(value)}")  # fmt: skip
        if hollow:
            ax.plot([], [], "o", markerfacecolor="white", markeredgecolor=style.BLUE,
                    markeredgewidth=1.8, label="open circle: approached, not taken")  # fmt: skip
        ax.axvline(at, color=style.GREY, linestyle=":", linewidth=0.9)
        ax.set_xlim(lo, hi)
        ax.set_ylim(*win)
        note = f"from the left: {_lim(left)}\nfrom the right: {_lim(right)}"
        ax.text(0.02, 0.97, note, transform=ax.transAxes, va="top", fontsize=8.5,
                bbox={"facecolor": "white", "edgecolor": style.GREY, "linewidth": 0.6})  # fmt: skip
        style.axes_labels(
            ax, name, f"f({name})",
            title or f"Near {name} = {style.number(at)}: {kind}",
        )  # fmt: skip
        fig.legend(loc="outside lower center", ncols=2)
    return fig


def _limit_at_infinity(
    x: Any, e: Any, f: compute.Fn, at: float, on: Any, ylim: Any, title: str | None
) -> Any:
    sign = 1 if at > 0 else -1
    lo, hi = _domain(on) if on is not None else ((0.0, 40.0) if sign > 0 else (-40.0, 0.0))
    far = f(np.array([sign * 1e6, sign * 1e7]))
    settles = bool(np.all(np.isfinite(far)) and abs(far[1] - far[0]) < 1e-3 * max(1, abs(far[1])))
    name = x.name
    end = "∞" if sign > 0 else "−∞"
    with style.context():
        fig, (ax,) = style.new_figure()
        raw = f(np.linspace(lo, hi, 801))
        body = raw[np.isfinite(raw)]
        if settles:
            level = float(far[1])
            body = body[np.abs(body - level) < 10 * max(1.0, abs(level))]  # drop poles
            body = np.concatenate([body, [level]])
        if ylim is None and body.size:
            pad = 0.1 * max(float(np.ptp(body)), 0.5)
            win = (float(body.min()) - pad, float(body.max()) + pad)
        else:
            win = ylim or (-1.0, 1.0)
        xs, ys, _ = compute.sample(f, lo, hi, ylim=win)
        if settles:
            ax.axhline(level, color=style.VERMILION, linestyle="--", linewidth=1.4,
                       label=f"horizontal asymptote y = {style.number(round(level, 4))}")  # fmt: skip
        ax.plot(xs, ys, color=style.BLUE, linewidth=2.2, label=style.math_label(e, f"f({name})"))
        ax.set_xlim(lo, hi)
        ax.set_ylim(*win)
        style.zero_axes(ax)
        what = (
            f"f({name}) settles at {style.number(round(float(far[1]), 4))}"
            if settles
            else (f"f({name}) does not settle")
        )
        style.axes_labels(ax, name, f"f({name})", title or f"As {name} → {end}: {what}")
        ax.legend(loc="best")
    return fig


def function(
    expr: Any,
    *,
    points: Any = None,
    on: Any = None,
    var: str | None = None,
    ylim: Any = None,
    title: str | None = None,
) -> Any:
    """The graph of f, with the given points (x, y) marked and labelled."""
    x, e, f = _setup(expr, var)
    pts = [(float(p[0]), float(p[1])) for p in (points or [])]
    if on is None and pts:
        xs_ = [p[0] for p in pts]
        span = max(max(xs_) - min(xs_), 2.0)
        on = (min(xs_) - span, max(xs_) + span)
    lo, hi = _domain(on)
    name = x.name
    with style.context():
        fig, (ax,) = style.new_figure()
        xs, ys, win = compute.sample(f, lo, hi, ylim=ylim)
        if pts and ylim is None:
            py = [p[1] for p in pts]
            pad = 0.1 * (win[1] - win[0])
            win = (min(win[0], min(py) - pad), max(win[1], max(py) + pad))
        ax.plot(xs, ys, color=style.BLUE, linewidth=2.2, label=style.math_label(e, f"f({name})"))
        for px, py_ in pts:
            ax.plot([px], [py_], "o", color=style.BLACK, markersize=7, zorder=5)
            ax.annotate(f"({style.number(px)}, {style.number(py_)})", (px, py_), fontsize=8.5,
                        textcoords="offset points", xytext=(6, -12))  # fmt: skip
        ax.set_xlim(lo, hi)
        ax.set_ylim(*win)
        style.zero_axes(ax)
        style.axes_labels(ax, name, f"f({name})", title or "The graph of the function")
        ax.legend(loc="best")
    return fig


def critical_curve(
    expr: Any,
    *,
    points: Any = None,
    on: Any = None,
    var: str | None = None,
    title: str | None = None,
) -> Any:
    """The curve with its critical points marked by kind, as ``tutor.critical_points``
    finds and classifies them; on a closed interval ``on`` the end points are marked too,
    for global extrema.  ``points`` ([x, ...] or [(x, kind), ...]) chooses which to mark."""

    x, e, f = _setup(expr, var)
    interval = on is not None
    found = compute.critical_points_1d(e, x)
    kinds = dict(found or [])
    if points is None:
        lo, hi = _domain(on)
        if found is None:  # the engine cannot say: mark where the drawn slope is zero
            crit = compute.zeros(compute.numeric(compute.derivative(e, x), [x]), lo, hi)
        else:
            crit = [c for c, _ in found if not interval or lo <= c <= hi]
    else:
        given = [p if isinstance(p, (list, tuple)) else (p, None) for p in points]
        crit = [float(p[0]) for p in given]
        kinds.update({float(p[0]): str(p[1]) for p in given if p[1] is not None})
        if on is None and crit:
            span = max(max(crit) - min(crit), 2.0)
            on = (min(crit) - 0.75 * span, max(crit) + 0.75 * span)
        lo, hi = _domain(on)
    d2 = None
    name = x.name
    marks = {"minimum": ("o", style.BLUE), "maximum": ("^", style.VERMILION),
             "neither": ("D", style.GREEN)}  # fmt: skip
    with style.context():
        fig, (ax,) = style.new_figure()
        xs, ys, win = compute.sample(f, lo, hi)
        ax.plot(xs, ys, color=style.BLACK, linewidth=2.0, label=style.math_label(e, f"f({name})"))
        seen: set[str] = set()
        for c in crit:
            kind = next((k for p, k in kinds.items() if abs(p - c) < 1e-9), None)
            if kind not in marks:  # not classified by the engine: the drawn curvature
                if d2 is None:
                    d2 = compute.numeric(compute.derivative(e, x, 2), [x])
                curv = float(d2(c))
                kind = "minimum" if curv > 1e-9 else "maximum" if curv < -1e-9 else "neither"
            marker, color = marks[kind]
            label = {"minimum": "local minimum", "maximum": "local maximum",
                     "neither": "neither a minimum nor a maximum"}[kind]  # fmt: skip
            v = float(f(c))
            ax.plot([c], [v], marker=marker, color=color, markersize=9, linestyle="none",
                    zorder=6, label=None if kind in seen else label)  # fmt: skip
            seen.add(kind)
            ax.annotate(f"({style.number(c)}, {style.number(v)})", (c, v), fontsize=8,
                        textcoords="offset points", xytext=(0, 10), ha="center")  # fmt: skip
        if interval:
            ends = [lo, hi]
            ax.plot(ends, f(np.array(ends)), "s", color=style.PURPLE, markersize=7,
                    label="end points of the interval", zorder=6)  # fmt: skip
        ax.set_xlim(lo - 0.02 * (hi - lo), hi + 0.02 * (hi - lo))
        ax.set_ylim(win[0] - 0.08 * (win[1] - win[0]), win[1] + 0.08 * (win[1] - win[0]))
        style.axes_labels(
            ax, name, f"f({name})", title or "Critical points: where the slope is zero"
        )
        ax.legend(loc="best")
    return fig


def _same(u: float, v: float) -> bool:
    return abs(u - v) <= 1e-3 * max(1.0, abs(u))


def _lim(v: float) -> str:
    if np.isnan(v):
        return "does not settle"
    if np.isinf(v):
        return "+∞" if v > 0 else "−∞"
    return style.number(round(v, 4))


def transform(
    expr: Any,
    *,
    a: float = 1.0,
    b: float = 1.0,
    h: float = 0.0,
    k: float = 0.0,
    after: Any = None,
    on: Any = None,
    var: str | None = None,
    ylim: Any = None,
    title: str | None = None,
) -> Any:
    """f before and after the transformation g(x) = a·f(b(x − h)) + k (or a given ``after``):
    stretch by a, squeeze by b, shift right by h and up by k."""
    import sympy

    x, e, f = _setup(expr, var)
    g_expr = (
        as_sympy(after)
        if after is not None
        else (
            sympy.nsimplify(a) * e.subs(x, sympy.nsimplify(b) * (x - sympy.nsimplify(h)))
            + sympy.nsimplify(k)
        )
    )
    g = compute.numeric(g_expr, [x])
    lo, hi = _domain(on)
    name = x.name
    with style.context():
        fig, (ax,) = style.new_figure()
        xs = np.linspace(lo, hi, 801)
        win = ylim or compute.window(np.concatenate([f(xs), g(xs)]))
        xs, ys, _ = compute.sample(f, lo, hi, ylim=win)
        _, gs, _ = compute.sample(g, lo, hi, ylim=win)
        ax.plot(xs, ys, color=style.BLUE, label="before: " + style.math_label(e, f"f({name})"))
        ax.plot(xs, gs, color=style.VERMILION, linestyle="--",
                label="after: " + style.math_label(g_expr, f"g({name})"))  # fmt: skip
        if after is None and b != 0:
            x0 = 0.0 if lo < 0 < hi else 0.5 * (lo + hi)
            y0 = float(f(x0))
            x1, y1 = x0 / float(b) + float(h), float(a) * y0 + float(k)
            if all(np.isfinite([y0, y1])) and (x0, y0) != (x1, y1):
                ax.annotate("", (x1, y1), (x0, y0), arrowprops={
                    "arrowstyle": "->", "color": style.BLACK, "linewidth": 1.2})  # fmt: skip
                ax.plot([x0], [y0], "o", color=style.BLUE)
                ax.plot([x1], [y1], "s", color=style.VERMILION)
        ax.set_xlim(lo, hi)
        ax.set_ylim(*win)
        style.zero_axes(ax)
        style.axes_labels(ax, name, "y", title or _transform_title(a, b, h, k, after))
        ax.legend(loc="best")
    return fig


def _transform_title(a: float, b: float, h: float, k: float, after: Any) -> str:
    if after is not None:
        return "Before and after the transformation"
    parts = []
    if float(h):
        parts.append(f"shift {'right' if float(h) > 0 else 'left'} {style.number(abs(float(h)))}")
    if float(k):
        parts.append(f"shift {'up' if float(k) > 0 else 'down'} {style.number(abs(float(k)))}")
    if float(a) != 1:
        parts.append(f"stretch vertically by {style.number(float(a))}")
    if float(b) != 1:
        parts.append(f"squeeze horizontally by {style.number(float(b))}")
    return "Before and after: " + (", ".join(parts) if parts else "no change")
