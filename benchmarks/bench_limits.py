"""Benchmark: ~170 classic textbook limits (Stewart ch. 2 and 4.4 style) and the held-out
table tests/data/limits_heldout.toml (textbooks and sympy's own tests), against sympy.limit.

For each set prints the share answered correctly, the share worked with technique steps
only (no ``cas`` step), the answers that ran out of time, the techniques used first, and
the median / p90 / max time per limit.  Run: ``python benchmarks/bench_limits.py``
(``-v`` lists every case).
"""

from __future__ import annotations

import statistics
import sys
import time

import sympy
from sympy import oo, pi

from tutor.core import DNE
from tutor.steps.limits import limit

x = sympy.Symbol("x")

# (expression, point, direction); the strings are ours, written here
CASES: list[tuple[str, object, str]] = [
    # 2.2-2.3: substitution, factor and cancel, conjugates, one-sided, DNE
    ("x**2 - 4*x + 5", 3, "+-"),
    ("(x**2 + 2*x - 1)/(x + 4)", 1, "+-"),
    ("sqrt(x**2 + 9)", 4, "+-"),
    ("(2*x**2 + 1)*(x**2 + 6*x - 4)", -2, "+-"),
    ("((1 + 3*x)/(1 + 4*x**2 + 3*x**4))**3", 1, "+-"),
    ("(x**2 - x - 2)/(x - 2)", 2, "+-"),
    ("(x**2 + x - 6)/(x - 2)", 2, "+-"),
    ("(x**2 - 5*x + 6)/(x - 5)", 5, "+-"),
    ("(x**2 - 4*x)/(x**2 - 3*x - 4)", 4, "+-"),
    ("(x**2 + 3*x)/(x**2 - x - 12)", -3, "+-"),
    ("(2*x**2 + 3*x + 1)/(x**2 - 2*x - 3)", -1, "+-"),
    ("(x**3 - 1)/(x**2 - 1)", 1, "+-"),
    ("(x**4 - 16)/(x - 2)", 2, "+-"),
    ("((-5 + x)**2 - 25)/x", 0, "+-"),
    ("((2 + x)**3 - 8)/x", 0, "+-"),
    ("(x + 2)/(x**3 + 8)", -2, "+-"),
    ("(sqrt(9 + x) - 3)/x", 0, "+-"),
    ("(sqrt(4 + x) - 2)/x", 0, "+-"),
    ("(4 - sqrt(x))/(16*x - x**2)", 16, "+-"),
    ("(sqrt(x + 2) - 3)/(x - 7)", 7, "+-"),
    ("(sqrt(1 + x) - sqrt(1 - x))/x", 0, "+-"),
    ("(1/sqrt(1 + x) - 1)/x", 0, "+-"),
    ("(1/x - 1/4)/(x - 4)", 4, "+-"),
    ("(1/(x + 4) - 1/4)/x", 0, "+-"),
    ("1/x - 1/(x**2 + x)", 0, "+-"),
    ("(x**2 - 81)/(sqrt(x) - 3)", 9, "+-"),
    ("(sqrt(x**2 + 9) - 5)/(x + 4)", -4, "+-"),
    ("(3 - sqrt(x + 5))/(x - 4)", 4, "+-"),
    ("((x + 3)**(-1) - 3**(-1))/x", 0, "+-"),
    ("(x**3 - 27)/(x - 3)", 3, "+-"),
    ("Abs(x)/x", 0, "+-"),
    ("Abs(x)/x", 0, "+"),
    ("Abs(x)/x", 0, "-"),
    ("(2*x + 12)/Abs(x + 6)", -6, "+-"),
    ("(2*x + 12)/Abs(x + 6)", -6, "-"),
    ("(2 - Abs(x))/(2 + x)", -2, "+-"),
    ("Abs(x - 5)/(x - 5)", 5, "+"),
    ("(x**2 - 1)/Abs(x - 1)", 1, "-"),
    ("(x**2 - 1)/Abs(x - 1)", 1, "+"),
    ("(x**2 - 1)/Abs(x - 1)", 1, "+-"),
    ("floor(x)", 3, "+-"),
    ("floor(x)", 3, "-"),
    ("floor(x)", 3, "+"),
    ("sqrt(x - 3)", 3, "+"),
    ("1/x", 0, "+-"),
    ("1/x**2", 0, "+-"),
    ("-1/x**2", 0, "+-"),
    ("(x + 1)/(x - 5)", 5, "+"),
    ("(x + 1)/(x - 5)", 5, "-"),
    ("(2 - x)/(x - 1)**2", 1, "+-"),
    ("sqrt(x)/(x - 3)**5", 3, "-"),
    ("log(x - 5)", 5, "+"),
    ("log(x)", 0, "+"),
    ("cot(x)", pi, "-"),
    ("cot(x)", 0, "+-"),
    ("tan(x)", pi / 2, "-"),
    ("tan(x)", pi / 2, "+"),
    ("1/cos(x)", pi / 2, "+-"),
    ("(x**2 + 2*x)/(x**2 - 2*x + 1)", 1, "+-"),
    ("exp(3/(2 - x))", 2, "+"),
    ("exp(1/x)", 0, "+-"),
    ("exp(1/x)", 0, "-"),
    ("sin(1/x)", 0, "+-"),
    ("cos(pi/x)", 0, "+-"),
    ("x**2*sin(1/x)", 0, "+-"),
    ("x**4*cos(2/x)", 0, "+-"),
    ("sqrt(x)*exp(sin(pi/x))", 0, "+"),
    ("x*sin(1/x)", 0, "+-"),
    # 2.3 / 3.3: trigonometric limits
    ("sin(x)/x", 0, "+-"),
    ("sin(3*x)/x", 0, "+-"),
    ("sin(4*x)/sin(6*x)", 0, "+-"),
    ("tan(6*x)/sin(2*x)", 0, "+-"),
    ("(cos(x) - 1)/sin(x)", 0, "+-"),
    ("sin(3*x)/(5*x**3 - 4*x)", 0, "+-"),
    ("sin(3*x)*sin(5*x)/x**2", 0, "+-"),
    ("sin(x)/(x + tan(x))", 0, "+-"),
    ("csc(x)*sin(sin(x))", 0, "+-"),
    ("(1 - cos(x))/x**2", 0, "+-"),
    ("(1 - cos(x))/x", 0, "+-"),
    ("sin(x**2)/x", 0, "+-"),
    ("x*cot(x)", 0, "+-"),
    ("(1 - tan(x))/(sin(x) - cos(x))", pi / 4, "+-"),
    ("sin(x - 1)/(x**2 + x - 2)", 1, "+-"),
    ("tan(2*x)/x", 0, "+-"),
    ("sin(x)**2/(1 - cos(x))", 0, "+-"),
    ("(1 - cos(4*x))/x**2", 0, "+-"),
    ("x/sin(x)", 0, "+-"),
    ("sin(x)/(x - pi)", pi, "+-"),
    # 2.6 / 4.4: at infinity
    ("(2*x**2 - 7)/(5*x**2 + x - 3)", oo, "+-"),
    ("(3*x - 2)/(2*x + 1)", oo, "+-"),
    ("(1 - x**2)/(x**3 - x + 1)", oo, "+-"),
    ("(3*x + 5)/(x - 4)", -oo, "+-"),
    ("(x**3 + 5*x)/(2*x**3 - x**2 + 4)", oo, "+-"),
    ("(4*x**3 + 6*x**2 - 2)/(2*x**3 - 4*x + 5)", oo, "+-"),
    ("(t**2 + 2)/(t**3 + t**2 - 1)", -oo, "+-"),
    ("(x**4 - 3*x**2 + x)/(x**3 - x + 2)", oo, "+-"),
    ("(x**4 - 3*x**2 + x)/(x**3 - x + 2)", -oo, "+-"),
    ("(x - x**3)/(2 - x**2)", -oo, "+-"),
    ("x**4 + x**5", -oo, "+-"),
    ("x**2 - x**3", oo, "+-"),
    ("sqrt(9*x**6 - x)/(x**3 + 1)", oo, "+-"),
    ("sqrt(9*x**6 - x)/(x**3 + 1)", -oo, "+-"),
    ("sqrt(x + 3*x**2)/(4*x - 1)", oo, "+-"),
    ("sqrt(1 + 4*x**6)/(2 - x**3)", oo, "+-"),
    ("sqrt(9*x**2 + x) - 3*x", oo, "+-"),
    ("x + sqrt(x**2 + 2*x)", -oo, "+-"),
    ("sqrt(x**2 + a*x) - sqrt(x**2 + b*x)", oo, "+-"),
    ("sqrt(x**2 + 1) - x", oo, "+-"),
    ("x - sqrt(x)", oo, "+-"),
    ("(x**2 + x)/(3 - x)", oo, "+-"),
    ("1/(2*x + 3)", oo, "+-"),
    ("cos(x)", oo, "+-"),
    ("sin(x)**2/(x**2 + 1)", oo, "+-"),
    ("(x + sin(x))/x", oo, "+-"),
    ("atan(x**2 - x**4)", oo, "+-"),
    ("atan(exp(x))", oo, "+-"),
    ("exp(-x**2)", oo, "+-"),
    ("(exp(3*x) - exp(-3*x))/(exp(3*x) + exp(-3*x))", oo, "+-"),
    ("(1 - exp(x))/(1 + 2*exp(x))", oo, "+-"),
    ("exp(x)", -oo, "+-"),
    ("exp(-2*x)*cos(x)", oo, "+-"),
    ("log(x**2) - log(x)", oo, "+-"),
    ("log(1 + x**2) - log(1 + x)", oo, "+-"),
    ("log(2 + x) - log(1 + x)", oo, "+-"),
    ("x*sin(1/x)", oo, "+-"),
    ("tanh(x)", oo, "+-"),
    ("1/(exp(x) + 1)", -oo, "+-"),
    # 4.4: L'Hôpital and the other indeterminate forms
    ("(x**2 - 1)/(x**2 - x)", 1, "+-"),
    ("(x**8 - 1)/(x**5 - 1)", 1, "+-"),
    ("(exp(2*x) - 1)/sin(x)", 0, "+-"),
    ("(exp(x) - 1 - x)/x**2", 0, "+-"),
    ("(tan(x) - x)/x**3", 0, "+-"),
    ("log(x)/(x - 1)", 1, "+-"),
    ("(x - sin(x))/(x - tan(x))", 0, "+-"),
    ("exp(x)/x**3", oo, "+-"),
    ("log(x)/sqrt(x)", oo, "+-"),
    ("log(log(x))/x", oo, "+-"),
    ("x**3*exp(-x**2)", oo, "+-"),
    ("log(x)/x", 0, "+"),
    ("(1 - cos(x))/(x**2 + x)", 0, "+-"),
    ("(2**x - 1)/x", 0, "+-"),
    ("(exp(x) - exp(-x) - 2*x)/(x - sin(x))", 0, "+-"),
    ("(cos(x) - 1 + x**2/2)/x**4", 0, "+-"),
    ("x*log(x)", 0, "+"),
    ("x**2*exp(x)", -oo, "+-"),
    ("sin(x)*log(x)", 0, "+"),
    ("x*tan(1/x)", oo, "+-"),
    ("sqrt(x)*exp(-x/2)", oo, "+-"),
    ("x**3*exp(-x)", oo, "+-"),
    ("x*exp(1/x) - x", oo, "+-"),
    ("1/x - 1/(exp(x) - 1)", 0, "+"),
    ("1/log(x) - 1/(x - 1)", 1, "+"),
    ("x - log(x)", oo, "+-"),
    ("cot(x) - 1/x", 0, "+-"),
    ("x**sqrt(x)", 0, "+"),
    ("(tan(2*x))**x", 0, "+"),
    ("(1 - 2*x)**(1/x)", 0, "+-"),
    ("(1 + a/x)**(b*x)", oo, "+-"),
    ("(1 + 3/x + 5/x**2)**x", oo, "+-"),
    ("x**(1/x)", oo, "+-"),
    ("x**(log(2)/(1 + log(x)))", oo, "+-"),
    ("(exp(x) + 10*x)**(1/x)", oo, "+-"),
    ("(4*x + 1)**cot(x)", 0, "+"),
    ("(1 + sin(4*x))**cot(x)", 0, "+"),
    ("(2*x - 3)/(2*x + 5)", oo, "+-"),
    ("((2*x - 3)/(2*x + 5))**(2*x + 1)", oo, "+-"),
    ("x**x", 0, "+"),
    ("(1 + 1/x)**x", oo, "+-"),
    ("x**(1/(1 - x))", 1, "+"),
    ("cos(x)**(1/x**2)", 0, "+"),
]


def _expr(text: str) -> sympy.Expr:
    names = {n: sympy.Symbol(n, positive=True) for n in ("a", "b")}
    names["x"] = x
    names["t"] = x
    return sympy.sympify(text, locals=names)


def reference(f: sympy.Expr, a: object, direction: str) -> object:
    try:
        v = sympy.limit(f, x, a) if a in (oo, -oo) else sympy.limit(f, x, a, direction)
    except ValueError:
        return DNE
    if v is sympy.zoo or isinstance(v, sympy.AccumBounds):
        return DNE
    return v


def same(u: object, v: object) -> bool:
    if u is DNE or v is DNE:
        return u is v
    if u in (oo, -oo) or v in (oo, -oo):
        return u == v
    return sympy.simplify(u - v) == 0


def heldout() -> list[tuple[sympy.Expr, object, str, str]]:
    """The held-out rows as (f in x, point, direction, text)."""
    import pathlib

    import tomllib

    from tutor.parse import parse
    from tutor.steps.limits.api import as_point

    path = pathlib.Path(__file__).parent.parent / "tests" / "data" / "limits_heldout.toml"
    rows = []
    for r in tomllib.loads(path.read_text())["limit"]:
        v = r.get("var", "x")
        f = parse(r["expr"], variables=[v]).subs(sympy.Symbol(v), x)
        rows.append((f, as_point(r["at"]), r["dir"], r["expr"]))
    return rows


def run(name: str, cases: list[tuple[sympy.Expr, object, str, str]], verbose: bool) -> None:
    from collections import Counter

    times, right, worked, late = [], 0, 0, 0
    first: Counter[str] = Counter()
    for f, point, direction, text in cases:
        t0 = time.perf_counter()
        sol = limit(f, "x", point, direction, seconds=10)
        times.append(time.perf_counter() - t0)
        late += sol.answer is None
        ok = sol.answer is not None and same(sol.answer, reference(f, point, direction))
        right += ok
        worked += not sol.uses_cas and sol.answer is not None
        first[sol.steps[0].rule if sol.steps else "-"] += 1
        if verbose or not ok:
            flag = "ok " if ok else "BAD"
            cas = "cas" if sol.uses_cas else "   "
            print(
                f"{flag} {cas} {times[-1] * 1000:7.1f} ms  {text}  at {point} ({direction})"
                f"  -> {sol.answer}"
            )
    n = len(cases)
    times.sort()
    print(f"[{name}] cases: {n}")
    print(f"[{name}] correct vs sympy.limit: {right}/{n} = {100 * right / n:.1f}%")
    print(
        f"[{name}] worked with technique steps (no cas step): {worked}/{n} = {100 * worked / n:.1f}%"
    )
    print(f"[{name}] out of time (10 s budget): {late}")
    print(f"[{name}] first technique: " + ", ".join(f"{k} {v}" for k, v in first.most_common()))
    print(
        f"[{name}] time per limit: median {1000 * statistics.median(times):.1f} ms, "
        f"p90 {1000 * times[int(0.9 * n)]:.1f} ms, max {1000 * times[-1]:.1f} ms"
    )


def main() -> None:
    verbose = "-v" in sys.argv
    classic = [(_expr(t), p, d, t) for t, p, d in CASES]
    run("classic", classic, verbose)
    run("held-out", heldout(), verbose)


if __name__ == "__main__":
    main()
