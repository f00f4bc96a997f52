"""The one look of every figure: Okabe–Ito colours, distinct line styles and markers (so a
figure still reads when printed in grey), the course's words on the axes, and the settings
that make a saved file identical byte for byte on every machine.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

# Okabe & Ito (2008), "Color Universal Design": safe for the common colour-vision deficiencies.
BLACK = "#000000"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#7F7F7F"

# Series i of a figure: colour, line style and marker together, so that each series differs
# in at least two ways that survive greyscale printing.
COLORS = (BLUE, VERMILION, GREEN, PURPLE, ORANGE, SKY, BLACK)
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1)), (0, (8, 2)))
MARKERS = ("o", "s", "^", "D", "v", "P", "X")

INCREASING = BLUE
DECREASING = VERMILION

DPI = 150
CREATOR = "calculus-tutor"

RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",  # ships with matplotlib: same glyphs on every machine
    "mathtext.fontset": "dejavusans",
    "font.size": 9.5,
    "axes.titlesize": 10.5,
    "axes.labelsize": 9.5,
    "legend.fontsize": 8.5,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "lines.linewidth": 1.8,
    "lines.markersize": 5,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": DPI,
    "savefig.facecolor": "white",
    # Text drawn as paths: the SVG looks the same whatever fonts the viewer has.
    "svg.fonttype": "path",
    "svg.hashsalt": CREATOR,
    "pdf.fonttype": 42,
    "path.simplify": True,
    "axes.unicode_minus": True,
}


@contextlib.contextmanager
def context() -> Iterator[None]:
    """Apply the course style for the duration of a drawing or a save."""
    import matplotlib

    _share_math_parses()
    with matplotlib.rc_context(RC):
        yield


def _share_math_parses() -> None:
    """Give every renderer one mathtext parser.  matplotlib makes a TextToPath, and with it a
    parser whose cache is its own, for each renderer: a label was parsed afresh by the
    layout pass, the drawing pass and each save, a quarter of a figure's time.  The parse
    depends only on the text, size and font, never on the instance, so sharing is safe."""
    from matplotlib import textpath

    init = textpath.TextToPath.__init__
    shared = textpath.TextToPath().mathtext_parser

    def __init__(self: Any) -> None:
        init(self)
        self.mathtext_parser = shared

    if not getattr(init, "_tutor_shared", False):
        __init__._tutor_shared = True  # type: ignore[attr-defined]
        textpath.TextToPath.__init__ = __init__  # type: ignore[method-assign]


def series(i: int) -> dict[str, Any]:
    """Line properties of the ``i``-th series (colour, line style, marker)."""
    n = len(COLORS)
    return {"color": COLORS[i % n], "linestyle": LINESTYLES[i % n], "marker": MARKERS[i % n]}


def new_figure(ncols: int = 1, nrows: int = 1, size: tuple[float, float] | None = None) -> Any:
    """A detached Agg figure (no pyplot, no display, no global state) with its axes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if size is None:
        size = (
            min(3.6 * ncols, 11.0) if ncols > 1 else 5.6,
            3.6 * nrows + (0.3 if ncols > 1 else 0),
        )
    fig = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, [ax for row in axes for ax in row]


def math_label(expr: Any, name: str = "") -> str:
    """``expr`` as matplotlib mathtext (``$f(x) = x^2$``), or plain text when mathtext
    cannot typeset sympy's LaTeX for it."""
    import sympy
    from matplotlib.mathtext import MathTextParser

    tex = sympy.latex(expr, ln_notation=True)
    body = f"{name} = {tex}" if name else tex
    candidate = f"${body}$"
    try:
        MathTextParser("path").parse(candidate)
    except ValueError:
        plain = _plain(expr)
        return f"{name} = {plain}" if name else plain
    return candidate


def _plain(expr: Any) -> str:
    try:
        from ..render.mathtext import math_text
    except ImportError:  # the one-line printer is optional here
        import sympy

        return sympy.sstr(expr)
    return math_text(expr)


def number(value: float) -> str:
    """A short, readable number for labels: ``0.5``, ``-1.25``, ``3``."""
    if value != value:  # NaN
        return "undefined"
    if abs(value) >= 1e4 or (0 < abs(value) < 1e-3):
        return f"{value:.2e}".replace("-", "−")
    s = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s.replace("-", "−")


def axes_labels(ax: Any, x: str = "x", y: str = "y", title: str = "") -> None:
    """Label both axes and set the title."""
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    if title:
        ax.set_title(title)


def zero_axes(ax: Any) -> None:
    """Thin lines along x = 0 and y = 0 when they are in view, to anchor the eye."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    if y0 < 0 < y1:
        ax.axhline(0, color=GREY, linewidth=0.8, zorder=1)
    if x0 < 0 < x1:
        ax.axvline(0, color=GREY, linewidth=0.8, zorder=1)
