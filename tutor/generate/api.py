"""The problem generator behind ``tutor.generate``: every family module imported (so that
``registry.FAMILIES`` is full), and the draws of a topic's family until one is good."""

from __future__ import annotations

from typing import Any

from ..core import Problem
from . import (  # noqa: F401 - importing a family module registers its families
    analysis,
    backprop,
    debugging,
    derivatives,
    descent,
    functions,
    limits,
    losses,
    review,
)
from .builders import fill, natural
from .registry import FAMILIES, Redraw, rng_for

__all__ = ["FAMILIES", "MAX_DIFFICULTY", "generate", "prompt_text", "topic_info", "topics"]

MAX_DIFFICULTY = 3
_TRIES = 200


def generate(topic: str, *, seed: int, difficulty: int = 1) -> Problem:
    """A randomised problem of ``topic`` with its verified answer and worked solution.

    ``difficulty`` is 1, 2 or 3 (more rules, deeper nesting, bigger numbers, more steps).
    """
    fam = FAMILIES.get(topic)
    if fam is None:
        raise ValueError(f"unknown topic {topic!r}; `tutor topics` lists them")
    if difficulty not in (1, 2, 3):
        raise ValueError(f"difficulty must be 1, 2 or 3, not {difficulty!r}")
    rng = rng_for(topic, int(seed), difficulty)
    for _ in range(_TRIES):
        try:
            draft = fam.build(rng, difficulty)
        except Redraw:
            continue
        return Problem(
            topic=topic,
            prompt=draft.prompt,
            given={k: natural(v) for k, v in draft.given.items()},
            answer=draft.answer,
            answer_kind=draft.answer_kind,
            solution=draft.solution,
            seed=int(seed),
            difficulty=difficulty,
            template=draft.template or topic,
            check_options=draft.check_options,
            figure=draft.figure,
        )
    raise RuntimeError(f"{topic}: no good problem after {_TRIES} draws (seed {seed})")


def prompt_text(problem: Problem) -> str:
    """The prompt with its maths filled in as plain text in the course's input syntax."""
    return fill(problem.prompt, dict(problem.given))


def topics() -> list[str]:
    """The topic ids, in lecture order."""
    return [f.topic for f in sorted(FAMILIES.values(), key=lambda f: f.lecture)]


def topic_info() -> list[dict[str, Any]]:
    """id, lecture, one-line description and difficulty levels of every topic."""
    return [
        {
            "id": f.topic,
            "lecture": f.lecture,
            "description": f.description,
            "levels": dict(f.levels),
        }
        for f in sorted(FAMILIES.values(), key=lambda f: f.lecture)
    ]
