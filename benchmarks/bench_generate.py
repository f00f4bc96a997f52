"""Problems with full worked solutions per second, per topic, side by side with peers.

Peers (answers only, no worked solutions), run in the same process when they install:
DeepMind's ``mathematics_dataset`` differentiation modules (``pip install mathematics-dataset``;
it needs two shims, applied below: a name moved in sympy ≥ 1.13 and ``ndarray.itemset``,
removed in numpy 2) and ``mathgenerator``'s calculus
generators (``pip install mathgenerator``).

    python benchmarks/bench_generate.py [--seconds 1.0] [--topics chain-rule,limit-hole]
"""

from __future__ import annotations

import argparse
import importlib
import random
import statistics
import time
from collections.abc import Callable


def rate(make: Callable[[int], object], seconds: float) -> float:
    """Calls per second of ``make(i)`` over about ``seconds`` of wall time (after a warm-up)."""
    make(10**6)
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds or n < 3:
        make(n)
        n += 1
    return n / (time.perf_counter() - start)


class _NumpyWithItemset:
    """numpy, except that new arrays keep the ``itemset`` method mathematics_dataset uses."""

    def __init__(self) -> None:
        import numpy as np

        class Array(np.ndarray):
            def itemset(self, index, value):  # noqa: ANN001, ANN202
                self[index] = value

        self._np, self._array = np, Array

    def __getattr__(self, name: str) -> object:
        return getattr(self._np, name)

    def zeros(self, *args: object, **kwargs: object) -> object:
        return self._np.zeros(*args, **kwargs).view(self._array)

    def empty(self, *args: object, **kwargs: object) -> object:
        return self._np.empty(*args, **kwargs).view(self._array)


def peers() -> dict[str, Callable[[int], object]]:
    out: dict[str, Callable[[int], object]] = {}
    try:
        pkg = importlib.import_module("sympy.solvers.diophantine")
        inner = importlib.import_module("sympy.solvers.diophantine.diophantine")
        if not hasattr(
            pkg, "base_solution_linear"
        ):  # moved in sympy 1.13; the package still imports the old name
            pkg.base_solution_linear = inner.base_solution_linear
        from mathematics_dataset.modules import calculus
        from mathematics_dataset.sample import polynomials

        polynomials.np = _NumpyWithItemset()  # ndarray.itemset was removed in numpy 2

        mods = calculus.train(lambda entropy: entropy)
        for name in ("differentiate", "differentiate_composed"):
            fn = mods[name]
            out[f"mathematics_dataset:{name}"] = lambda i, fn=fn: fn()
    except Exception as exc:  # noqa: BLE001 - report and go on without this peer
        print(f"mathematics_dataset unavailable: {exc!r}")
    try:
        import mathgenerator

        for name in (
            "power_rule_differentiation",
            "trig_differentiation",
            "stationary_points",
            "definite_integral",
        ):
            fn = getattr(mathgenerator.calculus, name)
            out[f"mathgenerator:{name}"] = lambda i, fn=fn: fn()
    except Exception as exc:  # noqa: BLE001
        print(f"mathgenerator unavailable: {exc!r}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=1.0, help="time per topic")
    ap.add_argument("--topics", default="", help="comma-separated topic ids (default: all)")
    ap.add_argument("--difficulty", type=int, default=2)
    args = ap.parse_args()

    import tutor

    random.seed(0)  # the peers draw from the global RNG; ours never does
    chosen = [t for t in args.topics.split(",") if t] or tutor.topics()
    ours: dict[str, float] = {}
    print(
        f"calculus-tutor: problems with worked solutions per second (difficulty {args.difficulty})"
    )
    for t in chosen:
        ours[t] = rate(
            lambda i, t=t: tutor.generate(t, seed=i, difficulty=args.difficulty), args.seconds
        )
        print(f"  {t:24} {ours[t]:8.1f}/s  ({1000 / ours[t]:6.1f} ms each)")
    theirs = {name: rate(fn, args.seconds) for name, fn in peers().items()}
    print("peers: bare question/answer pairs per second")
    for name, r in theirs.items():
        print(f"  {name:45} {r:8.1f}/s  ({1000 / r:6.1f} ms each)")

    deriv = [
        t
        for t in ("derivative-power", "derivative-product", "derivative-quotient", "chain-rule")
        if t in ours
    ]
    gm = statistics.geometric_mean(ours.values())
    print(f"\ncalculus-tutor, geometric mean over {len(ours)} topics: {gm:.1f}/s")
    for name, r in theirs.items():
        line = f"  ours (all topics) / {name}: {gm / r:5.2f}x"
        if deriv:
            dm = statistics.geometric_mean([ours[t] for t in deriv])
            line += f"   derivative topics only: {dm / r:5.2f}x"
        print(line)


if __name__ == "__main__":
    main()
