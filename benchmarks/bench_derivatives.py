"""Benchmark: textbook derivatives (Stewart ch. 3 style) worked by ``tutor.differentiate``.

Prints the share of answers equal to ``sympy.diff``, the share solved with real rule steps
(no ``cas`` step), the time per solution (median, p90, max) and the mal-rule time.
``--generate`` also times ``tutor.generate`` on the derivative topics (seeds 0-29, difficulty
1-3): the time per problem with its worked solution, and the engine's share of it.

    python benchmarks/bench_derivatives.py [-v] [--generate]
"""

from __future__ import annotations

import statistics
import sys
import time

import sympy

from tutor.steps.derivatives import differentiate
from tutor.steps.malrules import agree, derivative_mistakes

CORPUS = """
# 3.1 polynomials and exponentials
2**40
x**75 - x + 3
5*x - 1
x**3/3 - 2*x**2 + 7
sqrt(30)
5.2*x + 2.3
x**(-2/5)
5*x**8 - 2*x**5 + 6
x**2*(1 - 2*x)
3*x**4 - 5*x**3 + x**2
1/x**4 + 3/x
sqrt(x) + 1/sqrt(x)
x**(1/3)*(x - 5)
(x**2 + 4*x + 3)/sqrt(x)
4*pi**2
x**(3/2) + x**(-3)
x**(5/3) - x**(2/3)
(x - 1)*(x + 2)
3*exp(x) + 4/x**(1/3)
exp(x + 1) + 1
x**e
1 + 16*x**2 - 4*x**3 + x**5
sqrt(x)*(x - 1)
(x**2 - 2*sqrt(x))/x
2*x**(3/4) + x**(-4/5)
(1 + x)**2/x
exp(5)
x**(1.5)
x**2 + 2*exp(x)
(3*x**2 + x**3)/x
# 3.2 product and quotient
(x**2 + 1)*(x**3 + 1)
(3*x - 1)*(2*x + 5)
x*exp(x)
exp(x)/x**2
exp(x)*(x**3 + 2*x)
sqrt(x)*exp(x)
x/(x + 1)
(x**2 + 1)/(x**2 - 1)
(x**3 + 3*x)/(x**2 - 4*x + 3)
(1 - x*exp(x))/(x + exp(x))
x**2*exp(x)/(1 + x)
(x + 1)/(x**3 + x - 2)
(sqrt(x) - 1)/(sqrt(x) + 1)
(2*x + 1)/(x**2 - 5)
x/(x + 3/x)
(x**4 - 5*x + 1)*(x**2 + 3)
1/(x**4 + x**2 + 1)
exp(x)/(1 - exp(x))
(1 + 2*x)/(3 - 4*x)
x**2/(x + 1)
(x**2 + 5*x)*exp(x)
x*exp(x)*(x**2 + 1)
(x - 3)*(2*x + 1)*(x**2 + 4)
exp(x)*sqrt(x)*x**2
3/(x**2 + 1)
(x**2 - 1)/(x**2 + 1)
sqrt(x)/(2 + x)
x**3/(1 - x**2)
(exp(x) + 1)/(exp(x) - 1)
(1 - x)/(1 + x)
# 3.3 trig
x**2*sin(x)
x*cos(x) + 2*tan(x)
exp(x)*cos(x)
sin(x)/x
tan(x)/x
sec(x)/(1 + sec(x))
cos(x)/(1 - sin(x))
x*sin(x)*cos(x)
sin(x)*cos(x)
x**2*tan(x)
csc(x)*cot(x)
(1 - sec(x))/tan(x)
sin(x)/(1 + cos(x))
x*csc(x) - cot(x)
exp(x)*(cos(x) + x)
(x - cos(x))/sin(x)
3*sin(x) - 2*cos(x)
tan(x) + sec(x)
cot(x)/exp(x)
x**2*sin(x)*tan(x)
sec(x)*tan(x)
x*cot(x)
4*sec(x) + tan(x)
(sin(x) + cos(x))/(sin(x) - cos(x))
x/(2 - tan(x))
sin(x)**2
cos(x)**2 - sin(x)**2
tan(x)*sin(x)
x + 2*sin(x)
1/sin(x)
# 3.4 chain rule
(1 - x**2)**10
sqrt(1 - 2*x)
sin(4*x)
(x**4 + 3*x**2 - 2)**5
(x**3 - 1)**100
sqrt(5 - 3*x)
1/(x**2 - 1)**3
(1 + x**4)**(2/3)
cos(x**3)
sin(x)**3
(2*x - 3)**4*(x**2 + x + 1)**5
(x**2 + 1)**3*(x**2 + 2)**6
sqrt(x**2 + 1)*exp(x)
exp(-5*x)*cos(3*x)
exp(x*cos(x))
((x - 2)/(2*x + 1))**9
((x**2 + 1)/(x**2 - 1))**3
sqrt(x/(x + 1))
exp(tan(x))
sin(tan(2*x))
2**(3*x**2)
5**(-1/x)
cos(sqrt(x))
tan(cos(x))**2
x*exp(-x**2)
(1 + cos(x)**2)**6
x/sqrt(7 - 3*x)
sin(sin(sin(x)))
sqrt(x + sqrt(x))
sqrt(x + sqrt(x + sqrt(x)))
cos(exp(pi*x))**2
exp(sin(2*x)) + sin(exp(2*x))
sqrt(1 + tan(x**2))
sin(cos(tan(x)))
exp(3*x)*sin(5*x)
(3*x - 1)**(-2)
(x + 1/x)**5
exp(-x)/(1 + x**2)
10**(1 - x**2)
sec(x)**2 + tan(x)**2
x*sin(1/x)
(1 + sin(x))**(1/2)
exp(sqrt(x))
exp(x**2 - x)
exp(1/x)
(exp(x) + exp(-x))/2
(exp(x) - exp(-x))/(exp(x) + exp(-x))
x**2*exp(-3*x)
(2*x + 1)**5*(x**3 - x + 1)**4
cot(x/2)**2
sin(x*cos(x))
sqrt(1 + x*exp(-2*x))
tan(sqrt(1 - x))
cos((1 - exp(2*x))/(1 + exp(2*x)))
exp(cos(x)) + cos(exp(x))
4**x
x*2**x
3**(x*sin(x))
(x**2 + 1)**(1/2)/(x - 1)
# 3.5 implicit-friendly explicit forms and inverse trig
asin(2*x + 1)
atan(x**2)
x*atan(sqrt(x))
acos(exp(2*x))
atan(x - sqrt(1 + x**2))
asin(x)**2
sqrt(1 - x**2)*asin(x)
atan(1/x)
acot(x)
asec(x)
x*asin(x) + sqrt(1 - x**2)
acos((1 - x**2)/(1 + x**2))
atan(exp(x))
asin(sqrt(x))
exp(atan(x))
atan(x/2)
x**2*atan(x)
acos(x/3)
asin(1/x)
atan((1 - x)/(1 + x))
# 3.6 logarithms
log(x**2 + 10)
log(sin(x))
sin(log(x))
log(1/x)
log(sqrt(x))
log(x)/log(10)
log(x**3 + 1)/log(2)
x*log(x) - x
log(x)/x
log(x)**2
x**2*log(2*x)
log(x + sqrt(x**2 - 1))
log((x + 1)/(x - 1))
log(cos(x))
log(sec(x) + tan(x))
log(exp(-x) + x*exp(-x))
log(x**2*exp(x))
exp(x)*log(x)
log(log(x))
log(abs(x))
log(1 + exp(x))
log(x)/(1 + log(x))
log(x**4*sin(x)**2)
x*log(x)**2
log(2 - x)
log((2*x + 1)**3*(x**2 - 1)**4)
log(x)/log(3) + 3**x
log(tan(x)**2)
log(sqrt((x - 1)/(x + 1)))
log(3*x*exp(-2*x))
sqrt(x)*log(x)
log(x**2 - 4*x + 5)
log(1 + x**2)/x
log(x + 1)**3
cos(log(x)**2)
# logarithmic differentiation
x**x
x**sin(x)
sqrt(x)**x
x**log(x)
cos(x)**x
sin(x)**log(x)
(log(x))**x
x**exp(x)
(1 + 1/x)**x
x**(1/x)
tan(x)**(1/x)
(x**2 + 1)**x
# higher-order candidates and assorted
x**4 - 3*x**3 + 16*x
sqrt(x)*(x + 2)
exp(2*x)*x
sin(2*x)*cos(2*x)
x**5*exp(-x)
1/(1 + x)**2
(x**2 + x + 1)/x
x**3*sqrt(x)
tan(x)**3
exp(x**3)
sin(3*x)**2*cos(x)
sec(2*x)
csc(x**2)
cot(3*x + 1)
(x**2 + 1)**4*exp(2*x)
abs(x**2 - 4)
x*abs(x)
sqrt(x**2)
exp(-x**2/2)
x*exp(-x**2/2)
(1 - x**2)/(1 + x**2)
x**(-1/2)*(1 + x)
(x + 1)**(1/3)
x**3*log(x)**2
exp(x)*sin(x)*cos(x)
atan(sinh(x))
sinh(x)*cosh(x)
tanh(x)
tanh(2*x + 1)
sigmoid(x)
sigmoid(3*x - 2)
softplus(x)
softplus(x**2)
x*sigmoid(x)
log(sigmoid(x))
(sigmoid(x) - 1)**2
tanh(x)**2
log(cosh(x))
exp(-x)/(1 + exp(-x))
1/(1 + exp(-2*x))
log(1 + exp(-x))
(x - 3)**2/2
(2*x - 1)**2 + (x + 4)**2
sqrt((x - 1)**2 + (2*x + 3)**2)
x**2*exp(x)*sin(x)
(x**3 + 1)/(x**3 - 1)
sqrt(x**3 + x**2)
cos(2*x)**3
sin(x**2)*cos(x**2)
exp(x)/(exp(x) + exp(-x))
x/(1 + exp(-x))
log(x**2 + 1) - 2*atan(x)
2*sqrt(x) - 2*log(1 + sqrt(x))
x**2*sqrt(4 - x**2)
asin(x/2) + x*sqrt(4 - x**2)/2
(x**2 - 3*x + 2)**(-1)
7*x**3 - 4/x + 2*sqrt(x)
x**(2/3)*(6 - x)**(1/3)
(x + 2)/(x**2 + 3*x + 2)
sin(pi*x)/(pi*x)
cos(x)/x**2
exp(-2*x)*(x**2 + 3)
10*exp(-0.1*x)
100*(1 - exp(-x/20))
1/(2 + sin(x))
sqrt(sin(x))
cos(x)**(1/3)
(1 + tan(x))/(1 - tan(x))
exp(2*x)/(exp(2*x) + 1)
x**4*cos(2*x)
sin(x)/(x**2 + 1)
exp(-x)*log(x)
log(x)*sin(x)*exp(x)
(log(x) + 1)/(log(x) - 1)
2*x*atan(x) - log(1 + x**2)
sqrt(1 + exp(2*x))
3*x**2*exp(x**3)
(5*x**2 - 3)**4/(2*x + 1)**3
(x**(1/2) + x**(1/3))**2
1/(x*log(x))
log(log(log(x)))
exp(exp(x))
sin(exp(x)*x)
x*sec(x)*tan(x)
(x*sin(x))**2
(1 - cos(x))/x**2
x/sqrt(x**2 + 1)
1/sqrt(2*pi)*exp(-x**2/2)
x**2/(2*x + 1)**2
""".strip().splitlines()


def main() -> None:
    verbose = "-v" in sys.argv
    x = sympy.Symbol("x", real=True)  # |x|' = sign(x) needs x real, as in the course
    items = [line.strip() for line in CORPUS if line.strip() and not line.startswith("#")]
    exprs = [_read(t) for t in items]
    differentiate(x**2 * sympy.sin(x), wrt=x)  # warm caches once, as a running tutor would be
    times, mal_times = [], []
    correct = rule_only = 0
    for text, expr in zip(items, exprs):
        t0 = time.perf_counter()
        sol = differentiate(expr, wrt=x)
        times.append(time.perf_counter() - t0)
        ok = _equal(sol.answer, sympy.diff(expr, x), x)
        correct += ok
        rule_only += not sol.uses_cas
        t0 = time.perf_counter()
        derivative_mistakes(sol.task)
        mal_times.append(time.perf_counter() - t0)
        if verbose and (not ok or sol.uses_cas):
            print(f"  {'WRONG' if not ok else 'cas'}: {text} -> {sol.answer}")
    n = len(items)
    print(f"corpus: {n} textbook derivatives")
    print(f"correct vs sympy.diff:      {100 * correct / n:5.1f}% ({correct}/{n})")
    print(f"solved with rule steps:     {100 * rule_only / n:5.1f}% ({rule_only}/{n})")
    print(f"time per solution (ms):     {_stats(times)}")
    print(f"mal-rule candidates (ms):   {_stats(mal_times)}")
    if "--generate" in sys.argv:
        _generate()


GENERATED = ("derivative-power", "derivative-product", "derivative-quotient", "chain-rule")


def _generate() -> None:
    import tutor.steps.derivatives as engine
    from tutor.generate import generate

    inner = engine.differentiate
    spent = [0.0]

    def timed(*args, **kwargs):  # the generators look the engine up by name at each call
        t0 = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - t0

    engine.differentiate = timed
    try:
        generate("chain-rule", seed=0, difficulty=1)
        print("tutor.generate, worked solution included (ms per problem, 90 problems each):")
        for topic in GENERATED:
            times, spent[0] = [], 0.0
            for d in (1, 2, 3):
                for seed in range(30):
                    t0 = time.perf_counter()
                    generate(topic, seed=seed, difficulty=d)
                    times.append(time.perf_counter() - t0)
            share = 100 * spent[0] / sum(times)
            print(f"  {topic:20s} {_stats(times)}  (engine {share:.0f}%)")
    finally:
        engine.differentiate = inner


def _stats(ts: list[float]) -> str:
    ms = sorted(t * 1000 for t in ts)
    p90 = ms[int(0.9 * (len(ms) - 1))]
    return f"median {statistics.median(ms):.1f}  p90 {p90:.1f}  max {ms[-1]:.1f}"


def _equal(a: sympy.Expr, b: sympy.Expr, x: sympy.Symbol) -> bool:
    if agree(a, b, sorted(a.free_symbols | b.free_symbols | {x}, key=sympy.default_sort_key)):
        return True
    return sympy.simplify(a - b) == 0


def _read(text: str) -> sympy.Expr:
    from tutor.functions import sigmoid, softplus

    # The corpus is our own literal text, so sympify is safe here (never in tutor/).
    names = {"sigmoid": sigmoid, "softplus": softplus, "e": sympy.E}
    names["x"] = sympy.Symbol("x", real=True)
    return sympy.sympify(text, locals=names)


if __name__ == "__main__":
    main()
