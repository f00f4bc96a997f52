"""Calculus for learning: gradient descent, computational graphs and backpropagation, losses,
regularisation, vanishing gradients and efficiency, training from scratch, gradient checking.

Every engine returns a ``tutor.core.Solution`` (a worked solution as data).  The names below are
re-exported lazily, so ``import tutor.ml`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "gradient_descent": "descent",
    "descent_path": "descent",
    "diagnose": "descent",
    "max_stable_lr": "descent",
    "graph": "backpropagation",
    "backprop": "backpropagation",
    "neuron": "backpropagation",
    "network": "backpropagation",
    "loss": "losses",
    "sigmoid_bce_gradient": "losses",
    "softmax_ce_gradient": "losses",
    "l1": "regularization",
    "l2": "regularization",
    "constrained_minimum": "regularization",
    "vanishing_gradient": "efficiency",
    "vectorised_least_squares": "efficiency",
    "mode_costs": "efficiency",
    "make_data": "training",
    "train_linear": "training",
    "train_logistic": "training",
    "broken_setup": "training",
    "gradient_check": "gradcheck",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'tutor.ml' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
