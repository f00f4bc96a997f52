"""Limits, continuity and the derivative from first principles (lecture 04).

``limit`` works a limit with one named technique per step, ``derivative_from_definition``
takes the limit of the difference quotient, ``continuity`` classifies a point.
"""

from __future__ import annotations

from .api import limit
from .continuity import continuity
from .definition import derivative_from_definition

__all__ = ["limit", "derivative_from_definition", "continuity"]
