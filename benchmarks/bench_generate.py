"""Problems per second with verified worked solutions, side by side with mathematics_dataset.

Each of our problems is ``tutor.generate(topic, seed, difficulty)`` followed by
``tutor.steps.registry.verify(problem.solution)`` (every claim of every step checked at
sample points); a problem counts as verified when verify finds nothing wrong. The peers are
DeepMind's ``mathematics_dataset`` calculus modules ``differentiate`` and
``differentiate_composed`` (bare question/answer pairs, no worked solution; ``pip install
"calculus-tutor[bench]"``; two shims are applied below: a name moved in sympy ≥ 1.13 and
``ndarray.itemset``, removed in numpy 2), and ``mathgenerator`` when it is installed.

Everything runs in this one process, in rounds that alternate ours and theirs so that a
machine whose load changes treats both alike. The main figure is CPU time
(``time.process_time``) per problem; wall time is printed beside it.

    python benchmarks/bench_generate.py [--rounds 3] [--per-topic 12] [--topics all|derivatives|a,b]
"""

from __future__ import annotations

import argparse
import importlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

# The families comparable to mathematics_dataset's calculus module (derivatives of formulas).
DERIVATIVES = (
    "derivative-power",
    "derivative-elementary",
    "derivative-product",
    "derivative-quotient",
    "chain-rule",
    "partial-derivatives",
)


@dataclass
class Tally:
    """Problems made and the CPU and wall seconds they took."""

    n: int = 0
    cpu: float = 0.0
    wall: float = 0.0
    failed: int = 0

    def add(self, cpu: float, wall: float, ok: bool = True) -> None:
        self.n += 1
        self.cpu += cpu
        self.wall += wall
        self.failed += not ok

    def merge(self, other: Tally) -> None:
        self.n += other.n
        self.cpu += other.cpu
        self.wall += other.wall
        self.failed += other.failed

    @property
    def rate(self) -> float:
        """Problems per CPU second."""
        return self.n / self.cpu if self.cpu else float("inf")

    @property
    def wall_rate(self) -> float:
        return self.n / self.wall if self.wall else float("inf")

    def line(self, name: str) -> str:
        ms = 1000 * self.cpu / self.n if self.n else 0.0
        bad = f"  {self.failed} NOT VERIFIED" if self.failed else ""
        return (
            f"  {name:45} {self.rate:8.1f}/s cpu ({ms:6.2f} ms each)"
            f"  {self.wall_rate:8.1f}/s wall{bad}"
        )


def ours_one(topic: str, seed: int, difficulty: int) -> tuple[float, float, bool]:
    """CPU and wall seconds of one generated problem with its worked solution verified."""
    import tutor
    from tutor.steps.registry import verify

    c0, w0 = time.process_time(), time.perf_counter()
    problem = tutor.generate(topic, seed=seed, difficulty=difficulty)
    ok = not verify(problem.solution)
    return time.process_time() - c0, time.perf_counter() - w0, ok


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


def peers() -> dict[str, Callable[[], object]]:
    """The peers' generators that install here, by name."""
    out: dict[str, Callable[[], object]] = {}
    try:
        pkg = importlib.import_module("sympy.solvers.diophantine")
        inner = importlib.import_module("sympy.solvers.diophantine.diophantine")
        if not hasattr(pkg, "base_solution_linear"):  # moved in sympy 1.13
            pkg.base_solution_linear = inner.base_solution_linear
        from mathematics_dataset.modules import calculus
        from mathematics_dataset.sample import polynomials

        polynomials.np = _NumpyWithItemset()  # ndarray.itemset was removed in numpy 2

        mods = calculus.train(lambda entropy: entropy)  # the full training entropy range
        for name in ("differentiate", "differentiate_composed"):
            out[f"mathematics_dataset:{name}"] = mods[name]
    except Exception as exc:  # noqa: BLE001 - report and go on without this peer
        print(f"mathematics_dataset unavailable: {exc!r}")
    try:
        import mathgenerator

        for name in ("power_rule_differentiation", "trig_differentiation"):
            out[f"mathgenerator:{name}"] = getattr(mathgenerator.calculus, name)
    except Exception:  # noqa: BLE001 - optional peer
        pass
    return out


def peer_round(fn: Callable[[], object], count: int, tally: Tally) -> None:
    for _ in range(count):
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        tally.add(time.process_time() - c0, time.perf_counter() - w0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds (ours, peers)")
    ap.add_argument("--per-topic", type=int, default=12, help="problems per topic per round")
    ap.add_argument("--peer-count", type=int, default=60, help="peer problems per round")
    ap.add_argument("--topics", default="all", help="'all', 'derivatives' or a,b,c")
    ap.add_argument("--seed", type=int, default=0, help="first seed of round 0")
    args = ap.parse_args()

    import tutor

    random.seed(0)  # the peers draw from the global RNG; ours never does
    if args.topics == "all":
        chosen = tutor.topics()
    elif args.topics == "derivatives":
        chosen = list(DERIVATIVES)
    else:
        chosen = [t for t in args.topics.split(",") if t]
    theirs_fns = peers()
    for t in chosen:  # warm-up: imports and first calls, not timed
        ours_one(t, 10**6, 2)
    for fn in theirs_fns.values():
        fn()

    ours = {t: Tally() for t in chosen}
    theirs = {name: Tally() for name in theirs_fns}
    for r in range(args.rounds):
        for t in chosen:
            for k in range(args.per_topic):
                seed = args.seed + r * args.per_topic + k
                cpu, wall, ok = ours_one(t, seed, 1 + k % 3)
                ours[t].add(cpu, wall, ok)
        for name, fn in theirs_fns.items():
            peer_round(fn, args.peer_count, theirs[name])

    print(
        f"calculus-tutor: generate + verify(worked solution), difficulties 1-3 in turn, "
        f"{args.rounds} rounds x {args.per_topic} per topic"
    )
    for t in chosen:
        print(ours[t].line(t))
    overall, deriv = Tally(), Tally()
    for t in chosen:
        overall.merge(ours[t])
        if t in DERIVATIVES:
            deriv.merge(ours[t])
    print("\ncalculus-tutor, every problem of the run counted once:")
    print(overall.line(f"all {len(chosen)} topics, equal counts"))
    if deriv.n:
        print(deriv.line(f"derivative families ({sum(t in DERIVATIVES for t in chosen)})"))
    print("\npeers: bare question/answer pairs, same process, same rounds")
    for name, tally in theirs.items():
        print(tally.line(name))
    if theirs:
        print(
            "\nratio (problems/s, CPU): ours with verified worked solutions / peer's bare answers"
        )
        for name, tally in theirs.items():
            parts = [f"all topics {overall.rate / tally.rate:5.2f}x"]
            if deriv.n:
                parts.append(f"derivative families {deriv.rate / tally.rate:5.2f}x")
            print(f"  / {name:43} " + "   ".join(parts))
    if overall.failed:
        print(f"\n{overall.failed} problems whose worked solution did not verify")


if __name__ == "__main__":
    main()
