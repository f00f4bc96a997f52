"""Textbook extrema problems: critical points with their kinds, and global extrema on closed
intervals, checked against answers written out by hand; prints % fully right and timings.

    python benchmarks/bench_analysis.py [--repeat N] [-v]

A problem is fully right when every critical point is found (no missed or invented points)
with the right kind and, where an interval is given, the global maximum and minimum values
and where they are attained are right. Timing is per problem (all the calls it needs), after
one warm-up call.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import tutor
from tutor.steps.analysis import critical_points, global_extrema

MIN, MAX, SAD, NEI = "minimum", "maximum", "saddle", "neither"

# (function, variables, interval, [(point, kind)], (max value, [at]) , (min value, [at]))
# Points and values are text read by tutor.parse; floats are numeric answers (checked to 1e-6).
# fmt: off
PROBLEMS: list[tuple] = [
    ("x^3 - 3x", None, None, [("-1", MAX), ("1", MIN)], None, None),
    ("x^3 - 3x", None, (0, 3), [("1", MIN)], ("18", ["3"]), ("-2", ["1"])),
    ("2x^3 - 3x^2 - 12x + 1", None, None, [("-1", MAX), ("2", MIN)], None, None),
    ("2x^3 - 3x^2 - 12x + 1", None, (-2, 3), [("-1", MAX), ("2", MIN)], ("8", ["-1"]), ("-19", ["2"])),
    ("x^4 - 2x^2", None, None, [("-1", MIN), ("0", MAX), ("1", MIN)], None, None),
    ("x^4 - 4x^3", None, None, [("0", NEI), ("3", MIN)], None, None),
    ("x^3", None, None, [("0", NEI)], None, None),
    ("x^4", None, None, [("0", MIN)], None, None),
    ("x^5 - 5x", None, None, [("-1", MAX), ("1", MIN)], None, None),
    ("x e^x", None, None, [("-1", MIN)], None, None),
    ("x e^(-x)", None, None, [("1", MAX)], None, None),
    ("x^2 e^(-x)", None, None, [("0", MIN), ("2", MAX)], None, None),
    ("ln(x)/x", None, None, [("e", MAX)], None, None),
    ("x^2 ln(x)", None, None, [("e^(-1/2)", MIN)], None, None),
    ("x - ln(x)", None, None, [("1", MIN)], None, None),
    ("x ln(x)", None, None, [("1/e", MIN)], None, None),
    ("x/(x^2 + 1)", None, None, [("-1", MIN), ("1", MAX)], None, None),
    ("x + 1/x", None, None, [("-1", MAX), ("1", MIN)], None, None),
    ("(x^2 + 3)/(x - 1)", None, None, [("-1", MAX), ("3", MIN)], None, None),
    ("x^2/(x - 2)", None, None, [("0", MAX), ("4", MIN)], None, None),
    ("abs(x)", None, None, [("0", MIN)], None, None),
    ("x^(2/3)", None, None, [("0", MIN)], None, None),
    ("x^(1/3)", None, None, [("0", NEI)], None, None),
    ("x^(2/3) (x - 5)", None, None, [("0", MAX), ("2", MIN)], None, None),
    ("sin(x) + cos(x)", None, ("0", "2pi"), [("pi/4", MAX), ("5pi/4", MIN)], ("sqrt(2)", ["pi/4"]), ("-sqrt(2)", ["5pi/4"])),
    ("sin(x)", None, ("0", "2pi"), [("pi/2", MAX), ("3pi/2", MIN)], ("1", ["pi/2"]), ("-1", ["3pi/2"])),
    ("x + 2cos(x)", None, ("0", "2pi"), [("pi/6", MAX), ("5pi/6", MIN)], ("2pi + 2", ["2pi"]), ("5pi/6 - sqrt(3)", ["5pi/6"])),
    ("x - 2sin(x)", None, ("0", "2pi"), [("pi/3", MIN), ("5pi/3", MAX)], ("5pi/3 + sqrt(3)", ["5pi/3"]), ("pi/3 - sqrt(3)", ["pi/3"])),
    ("sin(x)^2", None, ("0", "pi"), [("pi/2", MAX)], ("1", ["pi/2"]), ("0", ["0", "pi"])),
    ("cos(2x) + 2cos(x)", None, ("0", "2pi"), [("2pi/3", MIN), ("pi", MAX), ("4pi/3", MIN)], ("3", ["0", "2pi"]), ("-3/2", ["2pi/3", "4pi/3"])),
    ("cos(x) - x/2", None, ("0", "2pi"), [("7pi/6", MIN), ("11pi/6", MAX)], ("1", ["0"]), ("-sqrt(3)/2 - 7pi/12", ["7pi/6"])),
    ("e^(-x^2)", None, None, [("0", MAX)], None, None),
    ("x^2 + y^2", "x,y", None, [(("0", "0"), MIN)], None, None),
    ("x^2 - y^2", "x,y", None, [(("0", "0"), SAD)], None, None),
    ("x^3 - 3x + y^2", "x,y", None, [(("-1", "0"), SAD), (("1", "0"), MIN)], None, None),
    ("x^3 + y^3 - 3x y", "x,y", None, [(("0", "0"), SAD), (("1", "1"), MIN)], None, None),
    ("x^4 + y^4 - 4x y", "x,y", None, [(("-1", "-1"), MIN), (("0", "0"), SAD), (("1", "1"), MIN)], None, None),
    ("x y", "x,y", None, [(("0", "0"), SAD)], None, None),
    ("x^2 + x y + y^2 - 3x", "x,y", None, [(("2", "-1"), MIN)], None, None),
    ("2x^2 + y^2 - 4x + 6y", "x,y", None, [(("1", "-3"), MIN)], None, None),
    ("-x^2 - y^2 + 2x + 4y", "x,y", None, [(("1", "2"), MAX)], None, None),
    ("x^3 - 12x + y^3 - 27y", "x,y", None, [(("-2", "-3"), MAX), (("-2", "3"), SAD), (("2", "-3"), SAD), (("2", "3"), MIN)], None, None),
    ("x^2 y + x y^2 - 3x y", "x,y", None, [(("0", "0"), SAD), (("0", "3"), SAD), (("1", "1"), MIN), (("3", "0"), SAD)], None, None),
    ("x^3 - 6x^2 + 9x + 1", None, (0, 5), [("1", MAX), ("3", MIN)], ("21", ["5"]), ("1", ["0", "3"])),
    ("x^2 - 4x + 1", None, (0, 3), [("2", MIN)], ("1", ["0"]), ("-3", ["2"])),
    ("x^3 - 12x", None, (-3, 5), [("-2", MAX), ("2", MIN)], ("65", ["5"]), ("-16", ["2"])),
    ("x^4 - 8x^2 + 3", None, (-1, 3), [("0", MAX), ("2", MIN)], ("12", ["3"]), ("-13", ["2"])),
    ("x/(x^2 + 4)", None, (0, 3), [("2", MAX)], ("1/4", ["2"]), ("0", ["0"])),
    ("x e^(-x)", None, (0, 2), [("1", MAX)], ("1/e", ["1"]), ("0", ["0"])),
    ("ln(x) - x", None, ("1/2", 2), [("1", MAX)], ("-1", ["1"]), ("ln(2) - 2", ["2"])),
    ("sqrt(x) (x - 3)", None, (0, 4), [("1", MIN)], ("2", ["4"]), ("-2", ["1"])),
    ("x sqrt(4 - x^2)", None, None, [("-sqrt(2)", MIN), ("sqrt(2)", MAX)], None, None),
    ("abs(x^2 - 4)", None, None, [("-2", MIN), ("0", MAX), ("2", MIN)], None, None),
    ("(x - 1)^2 (x + 2)", None, None, [("-1", MAX), ("1", MIN)], None, None),
    ("x^3 - 3x^2 + 3x", None, None, [("1", NEI)], None, None),
    ("3x^4 - 4x^3 - 12x^2 + 5", None, None, [("-1", MIN), ("0", MAX), ("2", MIN)], None, None),
    ("x^2 + 16/x", None, None, [("2", MIN)], None, None),
    ("e^x + e^(-x)", None, None, [("0", MIN)], None, None),
    ("x^2 e^x", None, None, [("-2", MAX), ("0", MIN)], None, None),
    ("x - e^x", None, None, [("0", MAX)], None, None),
    ("1/(x^2 + 1)", None, None, [("0", MAX)], None, None),
    ("(x^2 - 1)^2", None, None, [("-1", MIN), ("0", MAX), ("1", MIN)], None, None),
    ("x^2 + 2/x", None, ("1/2", 2), [("1", MIN)], ("5", ["2"]), ("3", ["1"])),
    ("e^x - 3x^2", None, (-1, 4), [(0.20448144933991553, MAX), (2.833147892049342, MIN)], ("e^4 - 48", ["4"]), (-7.0812935823748397, [2.833147892049342])),
    ("x sin(x)", None, (0, 6), [(2.0287578381104342, MAX), (4.9131804394348837, MIN)], (1.8197057411596530, [2.0287578381104342]), (-4.8144698897122687, [4.9131804394348837])),
]
# fmt: on


def _val(v):
    if isinstance(v, (int, float)):
        return float(v)
    return float(tutor.parse(str(v)))


def _close(a, b, tol=1e-6):
    return abs(a - b) <= tol * max(1.0, abs(b))


def check(problem) -> tuple[bool, float, float, str]:
    """Run one problem; (fully right, wall seconds, CPU seconds, what went wrong)."""
    import sympy

    text, names, interval, points, gmax, gmin = problem
    variables = names.split(",") if names else None
    f = tutor.parse(text, variables=variables)
    iv = (
        None if interval is None else (tutor.parse(str(interval[0])), tutor.parse(str(interval[1])))
    )
    t0, c0 = time.perf_counter(), time.process_time()
    sol = critical_points(f, variables=variables, interval=iv)
    glob = global_extrema(f, iv) if interval is not None else None
    dt, ct = time.perf_counter() - t0, time.process_time() - c0
    got = sol.answer
    if len(got) != len(points):
        return False, dt, ct, f"{len(got)} points, expected {len(points)}: {got}"
    for (p, kind), (q, want) in zip(got, points):
        ps = p if isinstance(p, tuple) else (p,)
        qs = q if isinstance(q, tuple) else (q,)
        if not all(_close(float(sympy.N(a)), _val(b)) for a, b in zip(ps, qs)) or kind != want:
            return False, dt, ct, f"got {got}"
    if glob is not None:
        for key, want in (("maximum", gmax), ("minimum", gmin)):
            a = glob.answer[key]
            if a == "none" or not _close(float(sympy.N(a[0])), _val(want[0])):
                return False, dt, ct, f"{key}: {a}"
            at = sorted(float(sympy.N(v)) for v in a[1])
            exp = sorted(_val(v) for v in want[1])
            if len(at) != len(exp) or not all(_close(u, v) for u, v in zip(at, exp)):
                return False, dt, ct, f"{key} at {a[1]}"
    return True, dt, ct, ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    critical_points(tutor.parse("x^2 - 2x"))  # warm-up: imports and caches
    right, times, cpu, wrong = 0, [], [], []
    for prob in PROBLEMS:
        best = best_cpu = None
        for _ in range(args.repeat):
            ok, dt, ct, why = check(prob)
            best = dt if best is None else min(best, dt)
            best_cpu = ct if best_cpu is None else min(best_cpu, ct)
        times.append(best)
        cpu.append(best_cpu)
        right += ok
        if not ok:
            wrong.append((prob[0], prob[2], why))
        if args.verbose:
            print(f"{'ok ' if ok else 'BAD'} {best * 1000:7.1f} ms  {prob[0]}  {prob[2] or ''}")
    n = len(PROBLEMS)
    print(f"problems: {n}")
    print(f"fully right: {right}/{n} = {100 * right / n:.1f}%")
    for name, ts in (("wall", sorted(times)), ("cpu", sorted(cpu))):
        p90 = ts[min(n - 1, int(round(0.9 * (n - 1))))]
        print(
            f"{name} time per problem: median {1000 * statistics.median(ts):.0f} ms, "
            f"p90 {1000 * p90:.0f} ms, max {1000 * ts[-1]:.0f} ms"
        )
    for text, iv, why in wrong:
        print(f"  wrong: {text} on {iv}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
