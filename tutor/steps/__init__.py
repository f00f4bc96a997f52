"""Worked-solution engines, one module per topic, all returning ``tutor.core.Solution``.

``mistakes(task)`` gathers the classic wrong answers (mal-rules) an engine knows for a
task, so that the checker can name a student's mistake.
"""

from __future__ import annotations

import importlib
from typing import Any

from ..core import Mistake, Task

# task kind -> "module:function" returning list[Mistake] for that task
MISTAKES: dict[str, str] = {
    "derivative": "tutor.steps.malrules:derivative_mistakes",
    "gradient_descent": "tutor.steps.malrules_more:descent_mistakes",
    "lab_descent": "tutor.steps.malrules_more:descent_mistakes",
    "loss": "tutor.steps.malrules_more:loss_mistakes",
    "limit": "tutor.steps.malrules_more:limit_mistakes",
    "critical_points": "tutor.steps.malrules_more:critical_mistakes",
    "global_extrema": "tutor.steps.malrules_more:extrema_mistakes",
    "backprop": "tutor.steps.malrules_more:backprop_mistakes",
}


def mistakes(task: Task) -> list[Mistake]:
    """The mal-rule answers known for ``task`` (empty when none are known)."""
    target = MISTAKES.get(task.kind)
    if target is None:
        return []
    module_name, attr = target.split(":")
    try:
        func: Any = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError):
        return []
    return list(func(task))
