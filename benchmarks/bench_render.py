"""Rendering speed: worked solutions per second at each detail level, and `tutor exam`.

    PYTHONPATH=. python benchmarks/bench_render.py

Prints figures; asserts nothing (speed is measured here, not in the tests)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time


def main() -> None:
    t0 = time.perf_counter()
    import matplotlib  # noqa: F401
    import sympy  # noqa: F401

    imports = time.perf_counter() - t0
    import tutor
    from tutor.render.latex import render_solution as latex_solution
    from tutor.render.text import render_solution

    problems = [
        tutor.generate(topic, seed=seed, difficulty=d)
        for topic in tutor.topics()
        for d in (1, 2, 3)
        for seed in (0, 1)
    ]
    print(f"{len(problems)} solutions from {len(tutor.topics())} topics")
    for detail in ("brief", "standard", "full"):
        for name, fn in (("text", render_solution), ("latex", latex_solution)):
            t = time.perf_counter()
            for p in problems:
                fn(p.solution, detail=detail)
            dt = time.perf_counter() - t
            print(f"{detail:9s} {name:6s} {len(problems) / dt:8.1f} solutions/s")
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "tutor.cli",
                "exam",
                "--seed",
                "2026",
                "-q",
                "-o",
                f"{tmp}/e.pdf",
            ],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        exam = time.perf_counter() - t
    print(f"tutor exam --seed 2026 (paper + booklet): {exam:.1f} s")
    print(f"importing sympy and matplotlib: {imports:.2f} s")


if __name__ == "__main__":
    main()
