"""Generated problems shared by the test modules of one process.

Several modules generate the same (topic, seed, difficulty): the variety checks (seeds 0-19
at every level), the oracle tests of test_generate and the registry checks (seeds 0-2).
Generation is deterministic and a Problem is frozen, so each is made once per process.
Under xdist, ``same_batch`` sends every test of one (topic, difficulty) to one worker
(``--dist loadgroup``), so that the batch is not made again in the other.
"""

from __future__ import annotations

import functools

import pytest

from tutor.core import Problem
from tutor.generate import generate


@functools.cache
def problem(topic: str, seed: int, difficulty: int) -> Problem:
    """``generate(topic, seed=seed, difficulty=difficulty)``, made once per process."""
    return generate(topic, seed=seed, difficulty=difficulty)


def same_batch(topic: str, difficulty: int) -> pytest.MarkDecorator:
    """The xdist group of the tests that read the batch of ``(topic, difficulty)``."""
    return pytest.mark.xdist_group(f"batch-{topic}-{difficulty}")
