"""Benchmark tutor.check against two baselines on ~200 answer pairs with recorded truth.

    python benchmarks/bench_check.py [--quick]
    python benchmarks/bench_check.py --corpus peer|adversarial|all [--quick] [--tutor-only]

Baselines a user would otherwise pick:
  * sympy: ``simplify(parse_expr(a) - parse_expr(b)) == 0`` with implicit multiplication
    (parse_expr is used here only, on this script's own data);
  * math-verify (HuggingFace): ``verify(parse(gold), parse(answer))``, the text wrapped in
    ``$...$`` with ``**`` written ``^``, ``U`` as ``\\cup`` and ``oo`` as ``\\infty``.

``--corpus`` runs the corpora of tests/data instead: answer pairs transcribed from other
systems' test suites (tests/data/peer_pairs/<system>.toml) and the adversarial pairs
(tests/data/adversarial.toml), with the truth this project intends for each row; the table is
printed per source system and overall, with a ``tutor.check CPU`` line whose percentiles are
CPU time (this process and its budget workers: what a check costs on a shared machine, where
wall time is noise), then the slowest 2 % of checks by CPU with the stage that decided each.

A verdict counts as right when it equals the truth; undetermined (None), errors and timeouts
count as wrong.  A false positive is a wrong answer accepted.  Prints a table.
"""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path
from typing import Any

import sympy

# (expected, answer, kind, truth, options)
HAND: list[tuple[str, str, str, bool, dict[str, Any]]] = [
    # derivatives as students type them
    ("2x cos(x^2)", "cos(x^2)*2x", "expression", True, {}),
    ("2x cos(x^2)", "cos(x^2)", "expression", False, {}),
    ("2x cos(x^2)", "-2x cos(x^2)", "expression", False, {}),
    ("e^x (sin(x) + cos(x))", "e^x sin(x) + e^x cos(x)", "expression", True, {}),
    ("e^x (sin(x) + cos(x))", "e^x cos(x)", "expression", False, {}),
    ("3x^2 - 4x + 1", "x(3x - 4) + 1", "expression", True, {}),
    ("3x^2 - 4x + 1", "3x^2 - 4x", "expression", False, {}),
    ("1/x", "x^-1", "expression", True, {}),
    ("1/(2sqrt(x))", "0.5x^(-1/2)", "expression", True, {}),
    ("1/(2sqrt(x))", "2sqrt(x)", "expression", False, {}),
    ("(x cos(x) - sin(x))/x^2", "cos(x)/x - sin(x)/x^2", "expression", True, {}),
    ("(x cos(x) - sin(x))/x^2", "(sin(x) - x cos(x))/x^2", "expression", False, {}),
    ("sigmoid(x)(1 - sigmoid(x))", "e^-x/(1 + e^-x)^2", "expression", True, {}),
    ("sigmoid(x)(1 - sigmoid(x))", "sigmoid(x)^2", "expression", False, {}),
    ("2(x - 3)", "2x - 6", "expression", True, {}),
    ("6(2x+1)^2", "6(4x^2 + 4x + 1)", "expression", True, {}),
    ("6(2x+1)^2", "3(2x+1)^2", "expression", False, {}),
    ("sec(x)^2", "1 + tan(x)^2", "expression", True, {}),
    ("sec(x)^2", "1/cos(x)^2", "expression", True, {}),
    ("-sin(x)", "sin(-x)", "expression", True, {}),
    ("-sin(x)", "sin(x)", "expression", False, {}),
    ("2^x ln(2)", "ln(2) 2^x", "expression", True, {}),
    ("2^x ln(2)", "x 2^(x-1)", "expression", False, {}),
    ("1/(1 + x^2)", "(1 + x^2)^-1", "expression", True, {}),
    ("1/sqrt(1 - x^2)", "(1 - x^2)^(-1/2)", "expression", True, {}),
    ("cos(2x)", "cos(x)^2 - sin(x)^2", "expression", True, {}),
    ("cos(2x)", "1 - 2sin(x)^2", "expression", True, {}),
    ("cos(2x)", "2cos(x)^2", "expression", False, {}),
    ("sin(2x)", "2 sin(x) cos(x)", "expression", True, {}),
    # domain honesty and near misses
    ("x - 1", "(x^2 - 1)/(x + 1)", "expression", True, {}),
    ("sqrt((x-3)(x-5))", "sqrt(x-3) sqrt(x-5)", "expression", False, {}),
    ("2 ln(x)", "ln(x^2)", "expression", False, {}),
    ("x", "sqrt(x^2)", "expression", False, {}),
    ("|x|", "sqrt(x^2)", "expression", True, {}),
    ("x", "x + 10^-40", "expression", False, {}),
    ("x", "x + e^-100", "expression", False, {}),
    ("x^2", "x^2 + 0.000001", "expression", False, {}),
    ("pi/2", "atan(x) + atan(1/x)", "expression", False, {}),
    ("asin(x)", "pi/2 - acos(x)", "expression", True, {}),
    ("1", "sin(x)^2 + cos(x)^2", "expression", True, {}),
    ("1", "cosh(x)^2 - sinh(x)^2", "expression", True, {}),
    ("x/3", "0.33x", "expression", False, {}),
    ("x/2", "0.5x", "expression", True, {}),
    ("ln(x)", "ln(2x)", "expression", False, {}),
    ("ln(x) + ln(2)", "ln(2x)", "expression", True, {}),
    ("e^(2x)", "(e^x)^2", "expression", True, {}),
    ("e^(x+1)", "e e^x", "expression", True, {}),
    ("x^(1/3)", "cbrt(x)", "expression", True, {}),
    ("(x+1)^2", "x^2 + 1", "expression", False, {}),
    ("(x+1)^2", "x^2 + 2x + 1", "expression", True, {}),
    ("1/(x-1)", "-1/(1-x)", "expression", True, {}),
    ("1/(x-1)", "1/(1-x)", "expression", False, {}),
    ("x^2 y + y^3", "y(x^2 + y^2)", "expression", True, {}),
    ("2xy", "2yx", "expression", True, {}),
    ("x/(x^2+1)", "x/(x^2-1)", "expression", False, {}),
    # limits (numbers, infinities, DNE)
    ("1/2", "0.5", "number", True, {}),
    ("1/3", "0.33", "number", False, {}),
    ("1/3", "0.333333333333", "number", False, {}),
    ("2/3", "0.6666666666666666666666666666666666667", "number", False, {}),
    ("pi", "3.14159", "number", False, {}),
    ("e", "2.718281828", "number", False, {}),
    ("sqrt(2)/2", "1/sqrt(2)", "number", True, {}),
    ("sqrt(8)", "2sqrt(2)", "number", True, {}),
    ("ln(8)", "3 ln(2)", "number", True, {}),
    ("1", "1.0", "number", True, {}),
    ("4", "2^2", "number", True, {}),
    ("-2", "2", "number", False, {}),
    ("0", "0.0", "number", True, {}),
    ("oo", "oo", "number", True, {}),
    ("oo", "infinity", "number", True, {}),
    ("oo", "-oo", "number", False, {}),
    ("DNE", "DNE", "number", True, {}),
    ("DNE", "does not exist", "number", True, {}),
    ("DNE", "oo", "number", False, {}),
    ("DNE", "0", "number", False, {}),
    ("3/2", "1.5", "number", True, {}),
    ("e^2", "7.389", "number", False, {}),
    ("sin(pi/6)", "1/2", "number", True, {}),
    ("1/sqrt(3)", "sqrt(3)/3", "number", True, {}),
    ("(sqrt(6)+sqrt(2))/4", "cos(pi/12)", "number", True, {}),
    # equations
    ("y = 2x - 5", "y - 1 = 2(x - 3)", "equation", True, {}),
    ("y = 2x - 5", "2x - y = 5", "equation", True, {}),
    ("y = 2x - 5", "y = 2x + 5", "equation", False, {}),
    ("y = 2x - 5", "y = -2x - 5", "equation", False, {}),
    ("x = 1", "1", "equation", False, {}),
    ("x^2 = 1", "x = 1 or x = -1", "equation", True, {}),
    ("x = 1 or x = -1", "x^2 = 1", "equation", True, {}),
    ("x = 1", "x^2 = 1", "equation", False, {}),
    ("x = 2", "2x = 4", "equation", True, {}),
    ("x = 2", "x = -2", "equation", False, {}),
    ("y = 1/x", "xy = 1", "equation", True, {}),
    ("x + y = 1", "y = 1 - x", "equation", True, {}),
    ("x^2 + y^2 = 1", "y^2 = 1 - x^2", "equation", True, {}),
    ("y = 3x + 1", "y = 3x", "equation", False, {}),
    ("y = 4x - 4", "y - 4 = 4(x - 2)", "equation", True, {}),
    ("y = 4x - 4", "y - 4 = 4(x - 1)", "equation", False, {}),
    # sets, lists, points
    ("{1, -1}", "{-1, 1}", "set", True, {}),
    ("{1, -1}", "{1}", "set", False, {}),
    ("{1, -1}", "{1, -1, 2}", "set", False, {}),
    ("{1, -1}", "1, -1", "set", True, {}),
    ("{1, -1}", "x = 1 or x = -1", "set", True, {}),
    ("{sqrt(2), -sqrt(2)}", "{-2^(1/2), 2^(1/2)}", "set", True, {}),
    ("{0, 2}", "{2, 0, 0}", "set", True, {}),
    ("{1/3}", "{0.33}", "set", False, {}),
    ("{0, pi}", "{pi, 0}", "set", True, {}),
    ("1, 2, 3", "1, 2, 3", "list", True, {}),
    ("1, 2, 3", "3, 2, 1", "list", False, {}),
    ("0.5, 0.25", "1/2, 1/4", "list", True, {}),
    ("(1, 2)", "(1, 2)", "point", True, {}),
    ("(1, 2)", "(2, 1)", "point", False, {}),
    ("(1/2, -1)", "(0.5, -1)", "point", True, {}),
    # intervals
    ("(1, 2] U [2, 3)", "(1, 3)", "interval", True, {}),
    ("(1, 3)", "[1, 3)", "interval", False, {}),
    ("(1, 3)", "(1, 3]", "interval", False, {}),
    ("(-oo, 0) U (2, oo)", "(2, oo) U (-oo, 0)", "interval", True, {}),
    ("(-oo, 0) U (2, oo)", "(-oo, 0]", "interval", False, {}),
    ("(2, oo)", "x > 2", "interval", True, {}),
    ("[0, 1]", "0 <= x <= 1", "interval", True, {}),
    ("(0, 1)", "(0, 2)", "interval", False, {}),
    ("(-1, 1)", "(-1, 1]", "interval", False, {}),
    # antiderivatives
    ("x^3/3", "x^3/3 + C", "antiderivative", True, {}),
    ("x^3/3", "x^3/3 + 5", "antiderivative", True, {}),
    ("-cos(x)^2/2", "sin(x)^2/2", "antiderivative", True, {}),
    ("x^3/3", "x^3", "antiderivative", False, {}),
    ("-cos(x)", "cos(x)", "antiderivative", False, {}),
    ("e^(2x)/2", "e^(2x)", "antiderivative", False, {}),
    ("x sin(x) + cos(x)", "x sin(x) + cos(x) + C", "antiderivative", True, {}),
    ("ln|x|", "ln|x| + C", "antiderivative", True, {}),
    ("x ln(x) - x", "x(ln(x) - 1)", "antiderivative", True, {}),
    ("x ln(x) - x", "x ln(x)", "antiderivative", False, {}),
]

# Pairs in the style of STACK's answer-test fixtures (maths/moodle-qtype_stack), with the
# truth by this project's conventions (DESIGN.md: exact decimals, domains, solution sets).
STACK_STYLE: list[tuple[str, str, str, bool, dict[str, Any]]] = [
    (t, s, k, truth, {})
    for s, t, truth, k in [
        ("4^(-1/2)", "1/2", True, "number"),
        ("5.1e-2", "51/1000", True, "number"),
        ("0.333333333333333", "1/3", False, "number"),
        ("(0.5+x)*2", "2*x+1", True, "expression"),
        ("1/abs(x)^(1/3)", "(abs(x)^(1/3)/abs(x))^(1/2)", True, "expression"),
        ("1/sqrt(x)", "sqrt(1/x)", True, "expression"),
        ("a^b*a^c", "a^(b+c)", True, "expression"),
        ("2+2*sqrt(3+x)", "2+sqrt(12+4*x)", True, "expression"),
        ("sqrt(k/m)*sqrt(m/k)", "1", False, "expression"),
        ("((x+3)^2*(x+3))^(1/3)", "((x+3)*(x^2+6*x+9))^(1/3)", True, "expression"),
        ("(x-1)^(-2)", "1/(x^2-2*x+1)", True, "expression"),
        ("1/(4*x-(pi+sqrt(2)))", "1/(x+1)", False, "expression"),
        ("(a-x)^600", "(x-a)^600", True, "expression"),
        ("(x-a)^600", "(x-a)^599", False, "expression"),
        ("1/n-1/(n+1)", "1/(n*(n+1))", True, "expression"),
        ("cos(x+y)", "cos(x)*cos(y)-sin(x)*sin(y)", True, "expression"),
        ("cos(x+y)", "cos(x)*cos(y)+sin(x)*sin(y)", False, "expression"),
        ("2*cos(2*x)+x+1", "-sin(x)^2+3*cos(x)^2+x", True, "expression"),
        ("1/(1+exp(-2*x))", "tanh(x)/2+1/2", True, "expression"),
        ("sin(x/2)/(1+tan(x)*tan(x/2))", "sin(x/2)*cos(x)", True, "expression"),
        ("log(a^2*b)", "2*log(a)+log(b)", False, "expression"),
        ("(2*log(2*x)+x)/(2*x)", "(log(2*x)+2)/(2*sqrt(x))", False, "expression"),
        ("x^log(y)", "y^log(x)", True, "expression"),
        ("e^1-e^(-1)", "2*sinh(1)", True, "number"),
        ("1+log(27,3)", "3", False, "number"),
        ("log(1/8,2)", "-3", True, "number"),
        ("2^((1/5.1)*t)", "2^(0.196078431373*t)", False, "expression"),
        ("(k+7)/(k^2+4*k-12)", "(k+8)/(k^2+4*k-12)", False, "expression"),
        ("x=2", "x=1", False, "equation"),
        # (0, 0) lies on y = x/(2x - 1) but 1/x + 1/y = 2 excludes it (stack-103)
        ("1/x+1/y=2", "y = x/(2*x-1)", False, "equation"),
        ("y=sin(2*x)", "y/2=cos(x)*sin(x)", True, "equation"),
        ("0=-x+y/A+(y-z)/B", "0=x-y/A-(y-z)/B", True, "equation"),
        ("a*b=0", "a=0 or b=0", True, "equation"),
        ("a*x=a*y", "a=0 or x=y", True, "equation"),
        ("x=y", "x^2=y^2", False, "equation"),
        ("sqrt(x)=sqrt(y)", "x=y", False, "equation"),
        ("x=sqrt(a)", "x^2=a", False, "equation"),
        ("y=sqrt(1-x^2)", "x^2+y^2=1", False, "equation"),
        ("(x-1)*(x+1)*(y-1)*(y+1)=0", "y^2+x^2=1+x^2*y^2", True, "equation"),
        ("abs(x)=abs(y)", "x=y", False, "equation"),
        ("x<1", "x>1", False, "inequality"),
        ("-2>-2*x", "x>1", True, "inequality"),
        ("x>=1", "x>2", False, "inequality"),
        ("x^2>4", "x>2 or x<-2", True, "inequality"),
        ("1<x or x<-3", "x<-1 or 3<x", False, "inequality"),
        ("{-sqrt(2)/sqrt(3)}", "{-2/sqrt(6)}", True, "set"),
        ("{(2-2^(5/2))/2,(2^(5/2)+2)/2}", "{1-2^(3/2),2^(3/2)+1}", True, "set"),
        ("(-oo,0] U (-1,4)", "(-oo,4)", True, "interval"),
        ("(-1,oo)", "(0,oo)", False, "interval"),
    ]
]

FUNCS = [
    "x^3 sin(x)",
    "e^(3x) cos(x)",
    "ln(x^2 + 1)",
    "sqrt(1 + x^2)",
    "x/(x + 1)",
    "tan(2x)",
    "sin(x)^3",
    "e^(-x^2)",
    "x^2 e^x",
    "atan(2x)",
    "(x^2 + 1)^5",
    "ln(sin(x))",
    "x ln(x)",
    "cos(x)/x",
    "sigmoid(3x)",
    "1/(1 + e^(-2x))",
    "asin(x/2)",
    "x^4 - 3x^2 + 2",
    "sqrt(x) + 1/x",
    "e^x/(1 + e^x)",
    "sin(x) cos(x)",
    "(2x - 1)^3",
    "x e^(-x)",
    "ln(x)/x",
    "cos(3x + 1)",
]


def generated() -> list[tuple[str, str, str, bool, dict[str, Any]]]:
    """Derivative pairs: the right derivative in two forms, and three classic wrong ones."""
    from tutor.parse import parse

    x = sympy.Symbol("x")
    rows = []
    for f in FUNCS:
        d = sympy.diff(parse(f), x)
        right = sympy.sstr(d)
        other = sympy.sstr(sympy.factor(d)) if sympy.factor(d) != d else sympy.sstr(sympy.expand(d))
        rows.append((right, other, "expression", True, {}))
        rows.append((right, right, "expression", True, {}))
        rows.append((right, sympy.sstr(-d), "expression", False, {}))
        rows.append((right, sympy.sstr(d + 1), "expression", False, {}))
        rows.append((right, sympy.sstr(2 * d), "expression", False, {}))
    return rows


# ------------------------------------------------------------------ the three systems


STAGES: list[str] = []  # the stage that decided each tutor.check call, in order


def run_tutor(e: str, a: str, kind: str, opts: dict[str, Any]) -> bool | None:
    from tutor import check

    STAGES.append("?/interrupted")  # replaced when the check returns
    v = check(a, e, kind=kind, **opts)
    STAGES[-1] = f"{v.details.get('stage', '?')}/{v.code}"
    return v.correct


def _cpu_ns() -> dict[int, int]:
    """CPU time (ns) of this process (key 0) and of each live budget worker, from
    /proc/<pid>/schedstat: a check's cost on a shared machine, where wall time is noise."""
    from tutor._budget import worker_pids

    out = {0: time.process_time_ns()}
    for pid in worker_pids():
        try:
            with open(f"/proc/{pid}/schedstat") as f:
                out[pid] = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return out


def _cpu_delta(before: dict[int, int], after: dict[int, int]) -> float:
    """Seconds of CPU between two ``_cpu_ns`` snapshots (a worker killed in between is lost:
    such a check timed out, and its wall time says so)."""
    return sum(v - before.get(k, 0) for k, v in after.items()) / 1e9


_T = None


def _sympy_parse(s: str) -> Any:
    global _T
    from sympy.parsing.sympy_parser import (
        convert_xor,
        implicit_multiplication_application,
        parse_expr,
        standard_transformations,
    )

    if _T is None:
        _T = standard_transformations + (implicit_multiplication_application, convert_xor)
    loc = {
        "e": sympy.E,
        "ln": sympy.log,
        "oo": sympy.oo,
        "sigmoid": lambda z: 1 / (1 + sympy.exp(-z)),
    }
    return parse_expr(s, local_dict=loc, transformations=_T)


def run_sympy(e: str, a: str, kind: str, opts: dict[str, Any]) -> bool | None:
    return bool(sympy.simplify(_sympy_parse(a) - _sympy_parse(e)) == 0)


def _latexish(s: str) -> str:
    s = s.replace("**", "^").replace(" U ", " \\cup ").replace("oo", "\\infty")
    return f"${s}$"


def run_math_verify(e: str, a: str, kind: str, opts: dict[str, Any]) -> bool | None:
    from math_verify import parse, verify

    return bool(verify(parse(_latexish(e)), parse(_latexish(a))))


class _Alarm(BaseException):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Alarm


def measure(
    func: Any, rows: list[tuple[str, str, str, bool, dict[str, Any]]], cap: float
) -> dict[str, Any]:
    """Run ``func`` on every row (each capped at ``cap`` seconds): verdicts and latencies."""
    verdicts, times, cpu = [], [], []
    signal.signal(signal.SIGALRM, _alarm)
    for e, a, kind, _truth, opts in rows:
        c0 = _cpu_ns()
        t = time.perf_counter()
        try:
            signal.setitimer(signal.ITIMER_REAL, cap)
            v = func(e, a, kind, opts)
        except _Alarm:
            v = "timeout"
        except Exception:
            v = "error"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        times.append(time.perf_counter() - t)
        cpu.append(_cpu_delta(c0, _cpu_ns()))
        verdicts.append(v)
    return {"verdicts": verdicts, "times": times, "cpu": cpu}


def _pct(times: list[float], q: float) -> float:
    s = sorted(times)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))] * 1000


CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data"


def corpus_rows(which: str) -> list[tuple[str, str, str, bool, dict[str, Any], str]]:
    """Rows of the test corpora: (expected, answer, kind, truth, options, system)."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib

    paths = []
    if which in ("peer", "all"):
        paths += sorted((CORPUS / "peer_pairs").glob("*.toml"))
    if which in ("adversarial", "all"):
        paths.append(CORPUS / "adversarial.toml")
    rows = []
    for path in paths:
        for r in tomllib.loads(path.read_text(encoding="utf-8"))["pair"]:
            truth = r["intended"] if "intended" in r else r["peer"]
            rows.append(
                (r["expected"], r["answer"], r["kind"], truth, r.get("options", {}), path.stem)
            )
    return rows


def _plain_for_sympy(s: str) -> str:
    return s.replace("%pi", "pi").replace("%e", "E").replace("|", "")


def run_sympy_corpus(e: str, a: str, kind: str, opts: dict[str, Any]) -> bool | None:
    """Plain sympy: simplify(answer - expected) == 0; text it cannot read is undecided."""
    return bool(
        sympy.simplify(_sympy_parse(_plain_for_sympy(a)) - _sympy_parse(_plain_for_sympy(e))) == 0
    )


def run_math_verify_corpus(e: str, a: str, kind: str, opts: dict[str, Any]) -> bool | None:
    """math-verify with its defaults; text that is not LaTeX yet is wrapped as in the hand rows."""
    from math_verify import parse, verify

    def wrap(s: str) -> str:
        return (
            s if "$" in s or "\\" in s else _latexish(s.replace("%pi", "\\pi").replace("%e", "e"))
        )

    gold, pred = parse(wrap(e)), parse(wrap(a))
    if not gold or not pred:
        return None
    return bool(verify(gold, pred))


def _row(name: str, v: list[Any], truth: list[bool], times: list[float]) -> str:
    n = len(v)
    right = sum(1 for x, t in zip(v, truth) if x is t)
    fp = sum(1 for x, t in zip(v, truth) if x is True and t is False)
    und = sum(1 for x in v if x not in (True, False))
    p = [_pct(times, q) for q in (0.5, 0.9, 0.99, 1.0)]
    return (
        f"{name:16} {n:5d} {right / n:9.1%} {fp:7d} {und:9d}"
        f" {p[0]:8.2f} {p[1]:8.2f} {p[2]:8.2f} {p[3]:8.1f}"
    )


def main_corpus(which: str) -> None:
    """The corpora against tutor.check, math-verify and plain sympy, per source system."""
    rows = corpus_rows(which)
    if "--quick" in sys.argv:
        rows = rows[::4]
    from tutor import check

    check("2x", "2*x")  # warm up: sympy imported, worker forked
    systems = {
        "tutor.check": (run_tutor, 30.0),
        "math-verify": (run_math_verify_corpus, 10.0),
        "sympy simplify": (run_sympy_corpus, 10.0),
    }
    if "--tutor-only" in sys.argv:  # the baselines take most of the run's time
        systems = {"tutor.check": systems["tutor.check"]}
    from sympy.core.cache import clear_cache

    plain = [r[:5] for r in rows]
    results = {}
    for name, (f, cap) in systems.items():
        clear_cache()
        results[name] = measure(f, plain, cap)
    truth = [r[3] for r in rows]
    groups = sorted({r[5] for r in rows})
    print(f"{len(rows)} answer pairs ({sum(truth)} right, {len(rows) - sum(truth)} wrong)\n")
    head = (
        f"{'system':16} {'pairs':>5} {'agree':>9} {'false+':>7} {'undecided':>9}"
        f" {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    )
    peers = [g for g in groups if g != "adversarial"]
    for group in groups + (["peers"] if len(peers) > 1 else []) + ["all"]:
        idx = [
            i
            for i, r in enumerate(rows)
            if group == "all" or r[5] == group or (group == "peers" and r[5] in peers)
        ]
        print(f"== {group}")
        print(head)
        print("-" * len(head))
        for name, r in results.items():
            print(
                _row(
                    name,
                    [r["verdicts"][i] for i in idx],
                    [truth[i] for i in idx],
                    [r["times"][i] for i in idx],
                )
            )
        tc = results["tutor.check"]
        print(
            _row(
                "tutor.check CPU",
                [tc["verdicts"][i] for i in idx],
                [truth[i] for i in idx],
                [tc["cpu"][i] for i in idx],
            )
        )
        print()
    tc = results["tutor.check"]
    slow = sorted(range(len(rows)), key=lambda i: -tc["cpu"][i])[: max(1, len(rows) // 50)]
    print("tutor.check slowest 2 % by CPU (process + budget workers), ms: cpu wall stage/code")
    for i in slow:
        row = rows[i]
        print(
            f"  {tc['cpu'][i] * 1000:8.1f} {tc['times'][i] * 1000:8.1f} {STAGES[i]:28}"
            f" {row[5]:12} {row[2]:14} expected={row[0]!r} answer={row[1]!r}"
        )
    print()
    print("tutor.check disagreements with the intended verdict:")
    for row, x in zip(rows, results["tutor.check"]["verdicts"]):
        if x is not row[3]:
            print(
                f"  {row[5]:12} {row[2]:14} expected={row[0]!r} answer={row[1]!r} truth={row[3]} got={x}"
            )


def main() -> None:
    if "--corpus" in sys.argv:
        i = sys.argv.index("--corpus")
        main_corpus(sys.argv[i + 1] if i + 1 < len(sys.argv) else "peer")
        return
    rows = HAND + STACK_STYLE + generated()
    if "--quick" in sys.argv:
        rows = rows[::4]
    from tutor import check

    check("2x", "2*x")  # warm up: sympy imported, worker forked
    systems = {
        "tutor.check": (run_tutor, 30.0),
        "sympy simplify": (run_sympy, 10.0),
        "math-verify": (run_math_verify, 10.0),
    }
    from sympy.core.cache import clear_cache

    results = {}
    for name, (f, cap) in systems.items():
        clear_cache()  # each system starts from the same cold sympy cache
        results[name] = measure(f, rows, cap)
    truth = [r[3] for r in rows]
    n = len(rows)
    print(f"{n} answer pairs ({sum(truth)} right, {n - sum(truth)} wrong)\n")
    head = f"{'system':16} {'accuracy':>9} {'false+':>7} {'undecided':>9} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    print(head)
    print("-" * len(head))
    stats = {}
    for name, r in results.items():
        v = r["verdicts"]
        right = sum(1 for x, t in zip(v, truth) if x is t)
        fp = sum(1 for x, t in zip(v, truth) if x is True and t is False)
        und = sum(1 for x in v if x not in (True, False))
        p = [_pct(r["times"], q) for q in (0.5, 0.9, 0.99, 1.0)]
        stats[name] = p
        print(
            f"{name:16} {right / n:9.1%} {fp:7d} {und:9d} {p[0]:8.2f} {p[1]:8.2f} {p[2]:8.2f} {p[3]:8.1f}"
        )
    base = stats["tutor.check"]
    print("\nlatency ratio (baseline / tutor.check): p50, p99")
    for name in ("sympy simplify", "math-verify"):
        s = stats[name]
        print(f"  {name:16} {s[0] / base[0]:7.1f}x {s[2] / base[2]:7.1f}x")
    print("\ntutor.check disagreements with the recorded truth:")
    for row, x in zip(rows, results["tutor.check"]["verdicts"]):
        if x is not row[3]:
            print(f"  {row[2]:14} expected={row[0]!r} answer={row[1]!r} truth={row[3]} got={x}")


if __name__ == "__main__":
    main()
