"""The numbers behind the pictures, kept apart from the drawing: sampling a function with
its breaks masked, gradient-descent paths, critical points, one-sided values, losses and
a layered layout for computational graphs.  Plain numpy; no matplotlib here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..core import as_sympy

Array = np.ndarray
Fn = Callable[[Any], Array]

DIVERGED = 1e6  # an iterate this large has run away


def free_vars(expr: Any, names: Sequence[str] | None = None, count: int = 1) -> list[Any]:
    """The plotting variables of ``expr``: the given names, else its free symbols sorted
    by name, padded with x, y."""
    import sympy

    if names:
        return [sympy.Symbol(n) if isinstance(n, str) else n for n in names][:count]
    syms = sorted(getattr(expr, "free_symbols", set()), key=lambda s: s.name)
    if len(syms) > count:
        want = "one variable" if count == 1 else f"{count} variables"
        raise ValueError(
            f"this figure draws a function of {want}; got {', '.join(s.name for s in syms)}"
        )
    defaults = [sympy.Symbol(n) for n in ("x", "y", "z")]
    for d in defaults:
        if len(syms) >= count:
            break
        if d not in syms:
            syms.append(d)
    return sorted(syms[:count], key=_reading_order)


# The order the course writes variables in: (x, y), (w, b); others by name.
_ORDER = ("x", "y", "z", "w", "w_0", "w_1", "w_2", "w0", "w1", "w2", "b", "t")


def _reading_order(s: Any) -> tuple[int, str]:
    return (_ORDER.index(s.name) if s.name in _ORDER else len(_ORDER), s.name)


def defined_range(f: Fn, lo: float, hi: float, n: int = 801) -> tuple[float, float]:
    """Shrink [lo, hi] to where ``f`` is defined (ln(x - 1) starts at 1), keeping a margin."""
    xs = np.linspace(lo, hi, n)
    ok = np.isfinite(f(xs))
    if not ok.any() or ok.all():
        return lo, hi
    idx = np.flatnonzero(ok)
    a, b = xs[idx[0]], xs[idx[-1]]
    margin = 0.05 * (hi - lo)
    new_lo = lo if a - lo < 0.1 * (hi - lo) else max(lo, a - margin)
    new_hi = hi if hi - b < 0.1 * (hi - lo) else min(hi, b + margin)
    return float(new_lo), float(new_hi)


def numeric(expr: Any, variables: Sequence[Any]) -> Fn:
    """``expr`` as a numpy function of ``variables``: real values, NaN where undefined."""
    import sympy

    from ..functions import elementary

    f = sympy.lambdify(list(variables), elementary(as_sympy(expr)), modules="numpy")

    def call(*args: Any) -> Array:
        with np.errstate(all="ignore"):
            arrays = [np.asarray(a, dtype=float) for a in args]
            out = np.asarray(f(*arrays))
            if np.iscomplexobj(out):
                out = np.where(np.abs(out.imag) < 1e-12, out.real, np.nan)
            out = np.asarray(out, dtype=float)
            if arrays:
                out = np.broadcast_to(out, np.broadcast(*arrays).shape).copy()
            out[~np.isfinite(out)] = np.nan
            return out

    return call


def window(ys: Array, pad: float = 0.08) -> tuple[float, float]:
    """A y-range showing the body of a curve, not the spikes of its asymptotes."""
    finite = ys[np.isfinite(ys)]
    if finite.size == 0:
        return (-1.0, 1.0)
    q1, q3 = np.percentile(finite, [25, 75])
    fence = 2.0 * max(q3 - q1, 1e-12)
    # The body of the curve and as much of its ends as fits; spikes go off the edge.
    lo = max(float(finite.min()), q1 - fence)
    hi = min(float(finite.max()), q3 + fence)
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    span = hi - lo
    return (float(lo - pad * span), float(hi + pad * span))


def sample(
    f: Fn, lo: float, hi: float, n: int = 801, ylim: tuple[float, float] | None = None
) -> tuple[Array, Array, tuple[float, float]]:
    """Points of ``y = f(x)`` on ``[lo, hi]`` ready to draw, and the y-range to show.

    Values far outside the range become NaN, and so do jumps larger than half the range,
    so no vertical line joins the two branches of an asymptote or the sides of a jump.
    """
    xs = np.linspace(lo, hi, n)
    ys = f(xs)
    win = tuple(ylim) if ylim is not None else window(ys)
    return xs, mask(ys, win), win


def mask(ys: Array, win: tuple[float, float]) -> Array:
    """``ys`` with values far outside ``win`` and big jumps set to NaN (breaks the line)."""
    height = win[1] - win[0]
    with np.errstate(invalid="ignore"):
        ys = np.where((ys < win[0] - height) | (ys > win[1] + height), np.nan, ys)
        jump = np.abs(ys[1:] - ys[:-1]) > 0.5 * height
    ys[1:][jump] = np.nan
    return ys


def levels(values: Array, n: int = 12) -> Array:
    """Round contour levels, denser near the bottom of a valley (quadratic spacing)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return np.linspace(0, 1, n)
    lo, hi = np.percentile(finite, [0.5, 97])
    if hi - lo < 1e-12:
        return np.array([lo - 1, lo, lo + 1])
    raw = lo + (hi - lo) * np.linspace(0.03, 1, n) ** 2
    out = sorted({float(f"{v:.2g}") for v in raw})
    return np.array(out)


def even_levels(values: Array, extra: Sequence[float] = (), n: int = 12) -> Array:
    """Evenly spaced round contour levels over the body of ``values``, plus ``extra``
    levels (the values at critical points, so the level curve through a saddle shows)."""
    from matplotlib.ticker import MaxNLocator

    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return np.linspace(0, 1, n)
    lo, hi = np.percentile(finite, [1, 99])
    ticks = MaxNLocator(nbins=n).tick_values(lo, hi)
    ticks = [t for t in ticks if lo <= t <= hi]
    out = sorted({round(float(t), 9) for t in ticks} | {round(float(v), 9) for v in extra})
    return np.array(out)


def bisect(g: Fn, a: float, b: float, iters: int = 60) -> float:
    """A root of ``g`` between ``a`` and ``b`` where it changes sign."""
    ga = float(g(a))
    for _ in range(iters):
        m = 0.5 * (a + b)
        gm = float(g(m))
        if gm == 0 or not np.isfinite(gm):
            return m
        if (gm > 0) == (ga > 0):
            a, ga = m, gm
        else:
            b = m
    return 0.5 * (a + b)


def zeros(g: Fn, lo: float, hi: float, n: int = 2001) -> list[float]:
    """Where ``g`` is zero on ``[lo, hi]``: sign changes (refined) and touching zeros."""
    xs = np.linspace(lo, hi, n)
    gs = g(xs)
    out: list[float] = []
    scale = np.nanmax(np.abs(gs)) if np.any(np.isfinite(gs)) else 1.0
    for i in range(n - 1):
        a, b = gs[i], gs[i + 1]
        if not (np.isfinite(a) and np.isfinite(b)):
            continue
        if a == 0:
            out.append(float(xs[i]))
        elif a * b < 0 and abs(a - b) < 0.5 * scale:  # not a jump through a pole
            out.append(bisect(g, float(xs[i]), float(xs[i + 1])))
        elif 0 < i and abs(a) < 1e-6 * scale and abs(a) <= abs(gs[i - 1]) and abs(a) <= abs(b):
            out.append(float(xs[i]))  # touches zero without crossing (x^3 at 0)
    merged: list[float] = []
    for z in out:
        if not merged or abs(z - merged[-1]) > (hi - lo) / n * 2:
            merged.append(round(z, 9) + 0.0)
    return merged


def diverged(path: Array, steps: int) -> bool:
    """True when the path stopped before ``steps`` because it ran away."""
    return len(path) < steps + 1


def one_sided(f: Fn, a: float, side: int, span: float) -> float:
    """The value ``f`` approaches at ``a`` from the left (-1) or right (+1): a number,
    ``±inf`` when it grows without bound, NaN when it does not settle."""
    ds = span * np.array([1e-3, 1e-4, 1e-5, 1e-6])
    vs = f(a + side * ds)
    if not np.all(np.isfinite(vs)):
        return float("nan")
    if abs(vs[-1]) > 1e3 * max(1.0, abs(vs[0])) or abs(vs[-1]) > 1e5:
        return float(np.sign(vs[-1]) * np.inf)
    if abs(vs[-1] - vs[-2]) > 1e-2 * max(1.0, abs(vs[-1])):
        return float("nan")
    return float(vs[-1])


def derivative(expr: Any, x: Any, order: int = 1) -> Any:
    """The derivative the engine computes (``tutor.differentiate``), for drawing f' and f''."""
    from ..steps.derivatives import differentiate

    return differentiate(expr, x, order=order).answer


def critical_points_2d(expr: Any, x: Any, y: Any) -> list[tuple[float, float, str]]:
    """Real critical points of ``f(x, y)`` with their kind, as ``tutor.critical_points``
    finds them (its "neither" is drawn as "undecided")."""
    from ..steps.analysis import critical_points

    try:
        found = critical_points(expr, [x.name, y.name]).answer
    except (NotImplementedError, ValueError):
        return []
    out = []
    for (px, py), kind in found:
        a, b = complex(px), complex(py)
        if abs(a.imag) > 1e-12 or abs(b.imag) > 1e-12:
            continue
        out.append((a.real, b.real, "undecided" if kind == "neither" else kind))
    return sorted(out)


def critical_points_1d(expr: Any, x: Any) -> list[tuple[float, str]] | None:
    """Real critical points of ``f(x)`` with their kind ("minimum", "maximum", "neither") as
    ``tutor.critical_points`` finds them; None when the engine cannot say."""
    from ..steps.analysis import critical_points

    try:
        found = critical_points(expr, x.name).answer
    except (NotImplementedError, ValueError):
        return None
    if not isinstance(found, (list, tuple)):
        return None
    out = []
    for pt, kind in found:
        a = complex(pt)
        if abs(a.imag) <= 1e-12:
            out.append((a.real, str(kind)))
    return sorted(out)


def mse(pred: Array, y: float) -> Array:
    """Squared error (ŷ − y)²."""
    return (pred - y) ** 2


def mae(pred: Array, y: float) -> Array:
    """Absolute error |ŷ − y|."""
    return np.abs(pred - y)


def bce(p: Array, y: float) -> Array:
    """Binary cross-entropy −[y ln p + (1 − y) ln(1 − p)] for a probability p in (0, 1)."""
    with np.errstate(all="ignore"):
        return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def layers(nodes: Sequence[str], edges: Sequence[tuple[str, str]]) -> dict[str, tuple[int, int]]:
    """A layered layout, left to right: column = longest path from an input (inputs sit
    just before their first use); rows ordered by where their inputs are, so edges
    cross as little as a simple rule allows."""
    depth = {n: 0 for n in nodes}
    for _ in range(len(nodes) + 1):
        changed = False
        for s, d in edges:
            if depth[d] < depth[s] + 1:
                depth[d] = depth[s] + 1
                changed = True
        if not changed:
            break
    else:
        raise ValueError("the graph has a cycle")
    preds: dict[str, list[str]] = {n: [] for n in nodes}
    succs: dict[str, list[str]] = {n: [] for n in nodes}
    for s, d in edges:
        preds[d].append(s)
        succs[s].append(d)
    # As late as possible: a side branch sits just before where it is used.
    for n in sorted(nodes, key=lambda m: -depth[m]):
        if succs[n]:
            depth[n] = min(depth[d] for d in succs[n]) - 1
    order = {n: i for i, n in enumerate(nodes)}
    pos: dict[str, tuple[int, int]] = {}
    for c in range(max(depth.values(), default=0) + 1):
        col = [n for n in nodes if depth[n] == c]

        def key(n: str) -> tuple[float, int]:
            placed = [pos[p][1] for p in preds[n] if p in pos]
            if placed:
                return (sum(placed) / len(placed), order[n])
            later = [order[d] for d in succs[n]]
            return (min(later) if later else order[n], order[n])

        if c > 0:
            col.sort(key=key)
        for r, n in enumerate(col):
            pos[n] = (c, r)
    return pos
