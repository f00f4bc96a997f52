"""Test-wide settings: every Step made anywhere in the suite must use a rule id declared in
tutor/steps/registry.py (issue 12: "an unknown id is an error in the tests").  Making such
a Step raises; a test in which one was made fails even when an engine caught the error and
fell back.  The environment variable reaches the CLI and worker processes tests start."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pytest

os.environ["TUTOR_STRICT_RULES"] = "1"

# Bytecode caches (gitignored __pycache__) for the suite and the processes it starts, even
# where the environment turns them off (PYTHONDONTWRITEBYTECODE): without them every xdist
# worker and every CLI or worker process a test starts compiles tutor and rewrites the test
# modules' asserts again, about a second of CPU each.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

import tutor.core  # noqa: E402  (after the variable, so child imports agree)

tutor.core.STRICT_RULES = True


@pytest.fixture(autouse=True)
def _declared_step_rules() -> Iterator[None]:
    tutor.core.UNDECLARED.clear()
    yield
    met = sorted(tutor.core.UNDECLARED)
    tutor.core.UNDECLARED.clear()
    if met:
        pytest.fail(
            f"steps made with undeclared rule ids {met}: declare them in tutor/steps/registry.py"
        )
