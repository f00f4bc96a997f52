"""Lecture 20: a mixed review drawing on every lecture, one problem from a random family."""

from __future__ import annotations

import random

from .registry import FAMILIES, Draft, family


@family(
    "review",
    20,
    "Mixed review: a problem from any lecture 01–18 (the family is drawn with the seed).",
    {1: "level 1 of the drawn family", 2: "level 2", 3: "level 3"},
)
def review(rng: random.Random, d: int) -> Draft:
    pool = sorted(t for t, f in FAMILIES.items() if f.lecture <= 18)
    topic = rng.choice(pool)
    draft = FAMILIES[topic].build(rng, d)
    draft.template = topic
    return draft
