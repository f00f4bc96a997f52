"""The registry of problem families: topic id -> family, with a stable per-problem RNG.

A family is a function ``(rng, difficulty) -> Draft``. ``generate`` looks the topic up,
seeds a ``random.Random`` from (topic, seed, difficulty) with a stable hash, and turns the
draft into a ``Problem``. A family that draws a degenerate case raises ``Redraw`` and is
called again with the same RNG (so the retry is deterministic too).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core import Solution

__all__ = ["Draft", "Family", "FAMILIES", "Redraw", "family", "rng_for"]


class Redraw(Exception):
    """Raised by a family when the numbers it drew make a degenerate problem."""


@dataclass
class Draft:
    """What a family builds; ``generate`` adds topic, seed, difficulty and template id."""

    prompt: str
    given: Mapping[str, Any]
    answer: Any
    answer_kind: str
    solution: Solution
    check_options: Mapping[str, Any] = field(default_factory=dict)
    figure: Mapping[str, Any] | None = None
    template: str = ""


@dataclass(frozen=True)
class Family:
    """A registered problem family: its topic id, lecture, one-line description, levels."""

    topic: str
    lecture: int
    description: str
    build: Callable[[random.Random, int], Draft]
    levels: Mapping[int, str] = field(default_factory=dict)


FAMILIES: dict[str, Family] = {}


def family(
    topic: str, lecture: int, description: str, levels: Mapping[int, str] | None = None
) -> Callable[[Callable[[random.Random, int], Draft]], Callable[[random.Random, int], Draft]]:
    """Register ``build`` as the family for ``topic`` (decorator)."""

    def register(build: Callable[[random.Random, int], Draft]) -> Callable[..., Draft]:
        if topic in FAMILIES:
            raise ValueError(f"topic {topic!r} registered twice")
        FAMILIES[topic] = Family(topic, lecture, description, build, dict(levels or {}))
        return build

    return register


def rng_for(topic: str, seed: int, difficulty: int) -> random.Random:
    """A ``random.Random`` seeded by a stable hash of (topic, seed, difficulty).

    ``hash()`` changes with ``PYTHONHASHSEED``; sha256 is the same on every machine.
    """
    digest = hashlib.sha256(f"{topic}|{seed}|{difficulty}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))
