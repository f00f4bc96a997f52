"""What the export tests share: the problems an export of lectures 05 and 07 holds, by the
question id the exporters write, made the way the command makes them (seed 0)."""

from __future__ import annotations

import tutor
from tutor.export import families
from tutor.export.moodle import question_id
from tutor.generate.sheets import load_sheet

VARIANTS = 2
LECTURES = ("05", "07")


def exported_problems() -> dict[str, tutor.Problem]:
    out = {}
    for n in LECTURES:
        for f in families(load_sheet(n), variants=VARIANTS, seed=0):
            for p in f.problems:
                out[question_id(f, p)] = p
    return out
