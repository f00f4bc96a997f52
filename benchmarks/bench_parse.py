"""Parse time on 50 typical student answers: warm cache and cold cache (median, p90, max).

Run: python benchmarks/bench_parse.py
"""

import statistics
import time

from sympy.core.cache import clear_cache

from tutor.parse import parse

INPUTS = [
    "x^2",
    "2x+1",
    "3x^2 - 2x + 1",
    "sin(x)cos(x)",
    "e^(2x)",
    "ln(x^2+1)",
    "(x+1)/(x-1)",
    "2x/(x^2+1)^2",
    "sqrt(x^2+1)",
    "1/2x",
    "-x^2",
    "x^3/3 + C",
    "cos(2x) - 2sin(x)",
    "y = 3x - 2",
    "x = 1 or x = -1",
    "1, -1",
    "{1, -1}",
    "(-oo, 0) U (2, oo)",
    "(1, 2)",
    "[0, 1)",
    "oo",
    "DNE",
    "0.5",
    "1.5e-3",
    "2pi",
    "sin^2(x)",
    "arctan(x)",
    "1/(1+x^2)",
    "e^-x",
    "x e^x",
    "sigmoid(z)(1 - sigmoid(z))",
    "3(x-2)^2",
    "|x - 1|",
    "x^2 <= 2x",
    "0 < x < 1",
    "log(x, 2)",
    "2^x ln 2",
    "-2/x^3",
    "tan(x)^2 + 1",
    "sec^2 x",
    "1 - tanh(x)^2",
    "6x - 6",
    "(2x+3)^5",
    "5(2x+3)^4 * 2",
    "x/sqrt(x^2 + 4)",
    "-sin(x)",
    "4x^3 - 3x^2 + 2x - 1",
    "pi/4",
    "sqrt(2)/2",
    "2*w_0 - 1",
]
assert len(INPUTS) == 50
for t in INPUTS:
    parse(t)
for t in INPUTS:
    parse(t)
per = []
for t in INPUTS:
    ts = []
    for _ in range(20):
        t0 = time.perf_counter()
        parse(t)
        ts.append(time.perf_counter() - t0)
    per.append(statistics.median(ts))
print(
    f"median over 50 inputs of per-input median (20 runs each): {statistics.median(per) * 1e3:.3f} ms; "
    f"max {max(per) * 1e3:.3f} ms ({INPUTS[per.index(max(per))]!r})"
)
per = []
for t in INPUTS:
    ts = []
    for _ in range(20):
        clear_cache()
        t0 = time.perf_counter()
        parse(t)
        ts.append(time.perf_counter() - t0)
    per.append(statistics.median(ts))
print(
    f"with sympy's cache cleared before every parse: median {statistics.median(per) * 1e3:.3f} ms; "
    f"p90 {sorted(per)[44] * 1e3:.3f} ms; max {max(per) * 1e3:.3f} ms ({INPUTS[per.index(max(per))]!r})"
)
