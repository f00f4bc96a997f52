"""Function analysis (lectures 03, 06, 07): critical points, monotonicity, concavity, global
extrema, tangent lines and least squares in one parameter, each as a worked ``Solution``."""

from __future__ import annotations

from .compose import composition
from .critical import critical_points
from .least_squares import least_squares
from .monotonic import concavity, global_extrema, monotonicity
from .tangent import linear_approximation, normal_line, secant_slope, slope_through, tangent_line

__all__ = [
    "composition",
    "concavity",
    "critical_points",
    "global_extrema",
    "least_squares",
    "linear_approximation",
    "monotonicity",
    "normal_line",
    "secant_slope",
    "slope_through",
    "tangent_line",
]
