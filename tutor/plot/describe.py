"""Alternative text for a figure, read from the drawn matplotlib Figure itself.

The words come from what the plot holds (titles, axis labels and ranges, the labelled
curves, the marked points and their annotations), so they always agree with the picture
and no mathematics is done twice: plots draw what engines return, this reads the plot.
"""

from __future__ import annotations

import math
import re
from typing import Any

__all__ = ["describe"]

_FRAC = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
_GROUP = re.compile(r"(?<!frac)(?<!\})\{([^{}]*)\}(?!\{)")
_MAX_POINTS = 8  # more marked points than this are summarised by their count


def _num(v: float) -> str:
    if not math.isfinite(v):
        return "undefined"
    r = round(float(v), 2)
    return str(int(r)) if r == int(r) else f"{r:g}"


def _label(text: str) -> str:
    """A matplotlib label without its mathtext markup (dollars, ``\\frac``, braces)."""
    text = text.replace("$", "").replace("\\left", "").replace("\\right", "")
    for _ in range(6):  # nested groups and fractions, innermost first
        text = _FRAC.sub(r"(\1)/(\2)", text)
        text = _GROUP.sub(r"\1", text)
    text = text.replace("\\", "").replace("{", "").replace("}", "")
    return " ".join(text.split())


def _points(xy: Any) -> str:
    pts = [(float(a), float(b)) for a, b in xy]
    if len(pts) > _MAX_POINTS:
        return f"{len(pts)} points from ({_num(pts[0][0])}, {_num(pts[0][1])}) to ({_num(pts[-1][0])}, {_num(pts[-1][1])})"
    return ", ".join(f"({_num(a)}, {_num(b)})" for a, b in pts)


def _axes(ax: Any) -> list[str]:
    out: list[str] = []
    title = _label(ax.get_title())
    if title:
        out.append(f"Panel {title}.")
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    xl, yl = _label(ax.get_xlabel()) or "x", _label(ax.get_ylabel()) or "y"
    if ax.axison:
        out.append(
            f"Horizontal axis {xl} from {_num(x0)} to {_num(x1)}; "
            f"vertical axis {yl} from {_num(y0)} to {_num(y1)}."
        )
    curves: list[str] = []
    marks: list[str] = []
    unnamed = 0
    for line in ax.get_lines():
        label = _label(str(line.get_label()))
        xy = line.get_xydata()
        marker = line.get_marker()
        marked = marker not in (None, "", "None", " ")
        if len(xy) and marked and (len(xy) <= _MAX_POINTS or not label.startswith("_")):
            marks.append(f"{label + ' at ' if not label.startswith('_') else ''}{_points(xy)}")
        elif not label.startswith("_"):
            curves.append(label)
        elif len(xy) > 2:
            unnamed += 1
    for coll in ax.collections:
        if type(coll).__name__ != "PathCollection":  # scatter marks, not filled regions
            continue
        offsets = getattr(coll, "get_offsets", lambda: [])()
        if len(offsets) and len(offsets) <= 4 * _MAX_POINTS:
            label = _label(str(coll.get_label()))
            prefix = "" if label.startswith("_") else f"{label} at "
            marks.append(prefix + _points(offsets))
    if curves:
        out.append("Curves drawn: " + "; ".join(curves) + ".")
    if unnamed:
        out.append(f"{unnamed} further line{'s' if unnamed > 1 else ''} drawn.")
    if marks:
        out.append("Marked points: " + "; ".join(marks) + ".")
    notes = [_label(t.get_text()) for t in ax.texts if _label(t.get_text())]
    if notes:
        out.append("Annotations: " + "; ".join(notes) + ".")
    return out


def describe(fig: Any, kind: str | None = None) -> str:
    """Words for the figure: what is drawn, its axes and the points it marks."""
    out: list[str] = []
    if kind:
        out.append(f"Figure: {kind.replace('-', ' ')}.")
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and _label(suptitle.get_text()):
        out.append(_label(suptitle.get_text()) + ".")
    for ax in fig.axes:
        out.extend(_axes(ax))
    return " ".join(out) or "A figure."
