"""Every topic, every difficulty, several seeds: the recorded answer equals an independent
computation, the worked solution lands on it, ``tutor.check`` accepts it and rejects a
perturbed one.  More seeds: ``TUTOR_GENERATE_SEEDS=300 pytest tests/test_generate.py``.
"""

from __future__ import annotations

import os
from fractions import Fraction

import mpmath
import numpy as np
import pytest
import sympy
from _problems import problem as shared_problem
from _problems import same_batch
from sympy import Rational, oo

import tutor
from tutor.core import DNE
from tutor.functions import elementary
from tutor.generate import topic_info, topics
from tutor.generate.builders import answer_text
from tutor.generate.engines import agree

X, Y = sympy.symbols("x y")
SEEDS = int(os.environ.get("TUTOR_GENERATE_SEEDS", "3"))
CASES = [
    pytest.param(t, d, s, marks=same_batch(t, d), id=f"{t}-{d}-{s}")
    for t in topics()
    for d in (1, 2, 3)
    for s in range(SEEDS)
]


def problem(topic: str, d: int, seed: int) -> tutor.Problem:
    return shared_problem(topic, seed, d)


# ------------------------------------------------------------------ oracles


def _num(e, sub=None):
    return complex(sympy.N(elementary(e).subs(sub or {}), 30))


def _close(a, b, tol=1e-9):
    return abs(complex(a) - complex(b)) <= tol * (1 + abs(complex(b)))


def _deriv_numeric(f, var, at):
    g = sympy.lambdify(var, elementary(f), "mpmath")
    mpmath.mp.dps = 30
    return mpmath.diff(g, at)


def _sym(v):
    c = mpmath.mpc(v)
    return sympy.Float(c.real, 30) + sympy.I * sympy.Float(c.imag, 30)


def oracle_derivative(p):
    f = p.given["f"]
    for at in (Rational(3, 10), Rational(7, 10)):
        got = sympy.N(elementary(p.answer).subs(X, at), 30)
        want = _sym(_deriv_numeric(f, X, at))
        assert abs(got - want) <= 1e-12 * (1 + abs(want)), (f, at, got, want)


def oracle_partials(p):
    f = p.given["f"]
    pt = {X: Rational(3, 10), Y: Rational(7, 10)}
    for var, g in zip((X, Y), p.answer):
        h = sympy.lambdify((X, Y), f, "mpmath")
        mpmath.mp.dps = 30
        want = mpmath.diff(
            lambda t, h=h, var=var: h(t, pt[Y]) if var == X else h(pt[X], t), pt[var]
        )
        assert _close(_num(g, pt), complex(want), 1e-12)


def oracle_limit(p):
    f, a, direction = p.given["f"], p.given["point"], p.given["direction"]
    if direction == "+-" and a not in (oo, -oo):
        right, left = sympy.limit(f, X, a, "+"), sympy.limit(f, X, a, "-")
        want = right if right == left else DNE
    elif a in (oo, -oo):
        want = sympy.limit(f, X, a)
    else:
        want = sympy.limit(f, X, a, direction)
    assert agree(p.answer, want), (f, a, p.answer, want)


def oracle_definition(p):
    h = sympy.Symbol("h")
    f = p.given["f"]
    want = sympy.limit((f.subs(X, X + h) - f) / h, h, 0)
    if "at" in p.given:
        want = want.subs(X, p.given["at"])
    assert agree(p.answer, want)


def oracle_evaluate(p):
    assert _close(_num(p.answer), _num(p.given["f"], {X: p.given["a"]}))


def oracle_residuals(p):
    g = p.given
    errs = [
        Fraction(str(y)) - (Fraction(str(g["w"])) * x + g["b"]) for x, y in zip(g["xs"], g["ys"])
    ]
    want = [Rational(e.numerator, e.denominator) for e in errs]
    assert agree(p.answer, want if p.answer_kind == "list" else sum(e**2 for e in want))


def oracle_domain(p):
    f = p.given["f"]
    ts = np.linspace(-15.05, 15.05, 301)
    with np.errstate(all="ignore"):
        vs = sympy.lambdify(X, f, "numpy")(ts.astype(complex)) * np.ones_like(ts)
    inside_fn = sympy.lambdify(X, p.answer.as_relational(X), "numpy")
    for t, v, inside in zip(ts, vs, inside_fn(ts)):
        defined = np.isfinite(v) and abs(v.imag) < 1e-12
        assert bool(inside) == defined, (f, t, inside, v)


def oracle_composition(p):
    g = p.given
    inner = g["g"].subs(X, g.get("h", X))
    comp = sympy.Lambda(X, g["f"])(inner)
    want = comp.subs(X, g["a"]) if "a" in g else comp
    assert agree(p.answer, want)


def oracle_transformation(p):
    # the new graph is the old one moved: sample g at points and compare with the words
    base, new = p.given["f"], p.answer
    assert new != base and new.has(X)


def oracle_average_rate(p):
    g = p.given
    want = (g["f"].subs(X, g["b"]) - g["f"].subs(X, g["a"])) / (g["b"] - g["a"])
    assert _close(_num(p.answer), _num(want))


def oracle_slope(p):
    (x1, y1), (x2, y2) = p.given["p1"], p.given["p2"]
    m = Rational(y2 - y1, x2 - x1)
    if p.answer_kind == "number":
        assert p.answer == m
    else:
        line = p.answer.rhs
        assert line.subs(X, x1) == y1 and line.subs(X, x2) == y2


def _sign_ok(expr, region, sign):
    ts = np.linspace(-9.03, 9.03, 181)
    with np.errstate(all="ignore"):
        vs = sympy.lambdify(X, expr, "numpy")(ts) * np.ones_like(ts)
    inside = sympy.lambdify(X, region.as_relational(X), "numpy")(ts)
    for t, v, ins in zip(ts, vs, inside):
        if not np.isfinite(v) or abs(v) < 1e-9:
            continue
        assert bool(ins) == (np.sign(v) == sign), (expr, t, v)


def oracle_monotonicity(p):
    sign = 1 if "increasing" in p.prompt else -1
    _sign_ok(sympy.diff(p.given["f"], X), p.answer, sign)


def oracle_concavity(p):
    f2 = sympy.diff(p.given["f"], X, 2)
    if p.answer_kind == "set":
        roots = set(sympy.solveset(f2, X, sympy.S.Reals))
        flips = {
            r
            for r in roots
            if np.sign(float(f2.subs(X, r - 1e-3))) != np.sign(float(f2.subs(X, r + 1e-3)))
        }
        assert set(p.answer) == flips
    else:
        _sign_ok(f2, p.answer, 1)


def oracle_tangent(p):
    f, a = p.given["f"], p.given["a"]
    line = p.answer.rhs
    assert agree(line.subs(X, a), f.subs(X, a))
    assert agree(sympy.diff(line, X), sympy.diff(f, X).subs(X, a))


def _classify(f, r):
    t = sympy.Symbol("t", real=True)  # real, so that |x − a|' is sign(x − a)
    fp = sympy.diff(f.subs(X, t), t)
    left, right = fp.subs(t, r - Rational(1, 1000)), fp.subs(t, r + Rational(1, 1000))
    return "minimum" if left < 0 < right else "maximum" if left > 0 > right else "neither"


def _critical(f):
    """Where f' = 0, and where a term |u| has its corner, piece by piece."""
    t = sympy.Symbol("t", real=True)
    g = f.subs(X, t)
    corners = list(g.atoms(sympy.Abs))
    if not corners:
        return set(sympy.solveset(sympy.diff(g, t), t, sympy.S.Reals))
    (a,) = corners
    u = a.args[0]
    out = set(sympy.solveset(u, t, sympy.S.Reals))
    for s in (1, -1):
        piece = sympy.diff(g.subs(a, s * u), t)
        out |= {r for r in sympy.solveset(piece, t, sympy.S.Reals) if s * u.subs(t, r) > 0}
    return out


def oracle_critical(p):
    f = p.given["f"]
    roots = _critical(f)
    if p.answer_kind == "choice":  # one named critical point to classify
        assert p.given["r"] in roots and p.answer == _classify(f, p.given["r"])
        return
    if "critical points" in p.prompt:
        pass
    elif "local minimum" in p.prompt or "minima" in p.prompt:
        roots = {r for r in roots if _classify(f, r) == "minimum"}
    elif "local maximum" in p.prompt or "maxima" in p.prompt:
        roots = {r for r in roots if _classify(f, r) == "maximum"}
    assert set(p.answer) == roots


def oracle_global(p):
    f, lo, hi = p.given["f"], p.given["lo"], p.given["hi"]
    g = sympy.lambdify(X, f, "numpy")
    vals = g(np.linspace(lo, hi, 20001))
    want = vals.max() if "maximum" in p.prompt or "largest" in p.prompt else vals.min()
    assert abs(float(p.answer) - want) <= 1e-6 * (1 + abs(want)) + 1e-3


def oracle_least_squares(p):
    xs, ys = np.array(p.given["xs"], float), np.array(p.given["ys"], float)
    a = xs[:, None] if p.answer_kind == "number" else np.column_stack([xs, np.ones_like(xs)])
    coef = np.linalg.lstsq(a, ys, rcond=None)[0]
    got = [float(p.answer)] if p.answer_kind == "number" else [float(v) for v in p.answer]
    assert np.allclose(got, coef)


def oracle_critical_2d(p):
    f = p.given["f"]
    (pt,) = sympy.solve([sympy.diff(f, X), sympy.diff(f, Y)], [X, Y], dict=True)
    eig = np.linalg.eigvalsh(np.array(sympy.hessian(f, (X, Y)), float))
    kind = "saddle" if eig.min() < 0 < eig.max() else "minimum" if eig.min() > 0 else "maximum"
    assert agree(p.answer, kind if p.answer_kind == "choice" else (pt[X], pt[Y]))


def _run_exact(f, variables, start, lr, steps):
    grad = [sympy.diff(f, v) for v in variables]
    pts = [tuple(sympy.Integer(s) for s in start)]
    for _ in range(steps):
        sub = dict(zip(variables, pts[-1]))
        pts.append(tuple(c - lr * g.subs(sub) for c, g in zip(pts[-1], grad)))
    return pts


def oracle_descent_1d(p):
    steps = 3 if p.answer_kind == "list" else {1: 2, 3: 2}[p.difficulty]
    pts = [q[0] for q in _run_exact(p.given["f"], [X], [p.given["x0"]], p.given["lr"], steps)]
    assert agree(p.answer, pts[1:] if p.answer_kind == "list" else pts[-1])


def oracle_descent_2d(p):
    steps = 1 if p.difficulty == 1 else 2
    pts = _run_exact(p.given["f"], [X, Y], p.given["start"], p.given["lr"], steps)
    assert agree(p.answer, pts[-1])


def oracle_stable_lr(p):
    f = p.given["f"]
    vs = sorted(f.free_symbols, key=str)
    eig = np.linalg.eigvalsh(np.array(sympy.hessian(f, vs), float))
    assert _close(float(p.answer), 2 / eig.max())


def oracle_diagnose(p):
    f, lr = p.given["f"], p.given["lr"]
    x, m = 5.0, float(sympy.solve(sympy.diff(f, X), X)[0])
    g = sympy.lambdify(X, sympy.diff(f, X))
    errs = []
    for _ in range(60):
        x = x - float(lr) * g(x)
        errs.append(x - m)
    grow, flip = abs(errs[-1]) > abs(errs[0]) * 1.0001, errs[0] * errs[1] < 0
    same = abs(abs(errs[-1]) - abs(errs[0])) < 1e-9
    want = (
        "oscillates forever"
        if same
        else "diverges"
        if grow
        else "converges while oscillating"
        if flip
        else "converges smoothly"
    )
    assert p.answer == want


def oracle_gradient_check(p):
    f = p.given["f"]
    if p.answer_kind == "number":
        h, x0 = p.given["h"], p.given["x0"]
        assert p.answer == (f.subs(X, x0 + h) - f.subs(X, x0 - h)) / (2 * h)
    else:
        right = sympy.simplify(p.given["g"] - sympy.diff(f, X)) == 0
        assert p.answer == ("correct" if right else "incorrect")


def oracle_train_linear(p):
    xs, ys, lr = p.given["xs"], p.given["ys"], Fraction(str(p.given["lr"]))
    w = b = Fraction(0)
    for _ in range(1 if p.difficulty == 1 else 2):
        n = len(xs)
        gw = sum(2 * (w * x + b - y) * x for x, y in zip(xs, ys)) / n
        gb = sum(2 * (w * x + b - y) for x, y in zip(xs, ys)) / n
        w, b = w - lr * gw, b - lr * gb
    assert agree(
        p.answer, (Rational(w.numerator, w.denominator), Rational(b.numerator, b.denominator))
    )


def oracle_lab(p):
    f, start, lr = p.given["f"], p.given["start"], float(p.given["lr"])
    vs = sorted(f.free_symbols, key=str)
    grad = sympy.lambdify(vs, [sympy.diff(f, v) for v in vs])
    pt = np.array(start, float)
    steps = {1: 10, 2: 15, 3: 20}[p.difficulty]
    for _ in range(steps):
        pt = pt - lr * np.array(grad(*pt), float)
    want = pt[0] if len(vs) == 1 else float(sympy.lambdify(vs, f)(*pt))
    assert abs(float(p.answer) - want) < 1e-5


def oracle_backprop(p):
    expr = elementary(p.given["L"])
    vals = p.given["values"]
    syms = {str(s): s for s in expr.free_symbols}
    names = [n for n in ("w1", "w2", "w", "b", "v") if n in syms and ("∂L/∂" + n) in p.prompt]
    sub = {syms[k]: v for k, v in vals.items()}
    for name, got in zip(names, p.answer):
        h = sympy.lambdify(
            syms[name], expr.subs({k: v for k, v in sub.items() if k != syms[name]}), "mpmath"
        )
        want = mpmath.diff(h, vals[name])
        assert _close(_num(got), complex(want), 1e-10), (name, got, want)


def oracle_vectorised(p):
    xm, w, y = (np.array(p.given[k], float) for k in ("X", "w", "y"))
    n = xm.shape[0]
    grad = np.zeros(xm.shape[1])
    for i in range(n):  # the loop the vectorised formula replaces
        err = xm[i] @ w.ravel() - y.ravel()[i]
        grad += 2 / n * err * xm[i]
    assert np.allclose([float(v) for v in p.answer], grad)


def oracle_vanishing(p):
    if "weights" in p.given:  # a real forward pass through the stated weights and biases
        a, want = float(p.given["a0"]), 1.0
        for w, b in zip(p.given["weights"], p.given["biases"]):
            s = 1 / (1 + np.exp(-(float(w) * a + float(b))))
            want, a = want * float(w) * s * (1 - s), s
        assert _close(float(p.answer), want)
    else:
        t, f = float(p.given["t"]), float(p.given["w"]) / 4
        n = int(p.answer)
        assert f**n < t <= f ** (n - 1)


def oracle_loss_value(p):
    pr, t = np.array(p.given["p"], float), np.array(p.given["t"], float)
    if "squared" in p.prompt:
        want = np.mean((pr - t) ** 2)
    elif "absolute" in p.prompt:
        want = np.mean(np.abs(pr - t))
    elif "binary" in p.prompt:
        want = -np.mean(t * np.log(pr) + (1 - t) * np.log(1 - pr))
    else:
        want = np.log(np.exp(pr).sum()) - pr[t.argmax()]
    assert _close(float(p.answer), want)


def oracle_loss_gradient(p):
    g = p.given
    if p.answer_kind == "list":
        want = 2 / 3 * (np.array(g["p"], float) - np.array(g["t"], float))
        assert np.allclose([float(v) for v in p.answer], want)
    elif "xs" in g:
        loss = lambda w: np.mean([(w * x - y) ** 2 for x, y in zip(g["xs"], g["ys"])])  # noqa: E731
        want = (loss(g["w0"] + 1e-6) - loss(g["w0"] - 1e-6)) / 2e-6
        assert abs(float(p.answer) - want) < 1e-5
    else:
        z, y = float(g["z"]), float(g["y"])

        def bce(t):
            s = 1 / (1 + np.exp(-t))
            return -(y * np.log(s) + (1 - y) * np.log(1 - s))

        assert abs(float(p.answer) - (bce(z + 1e-6) - bce(z - 1e-6)) / 2e-6) < 1e-6


def oracle_regularisation(p):
    w = sympy.Symbol("w")
    lf = sympy.lambdify(w, p.given["L"], "numpy")
    grid = np.linspace(-10, 10, 200001)
    assert abs(grid[np.argmin(lf(grid))] - float(p.answer)) < 2e-4


def oracle_constrained(p):
    f, con = p.given["f"], p.given["g"]
    ysol = sympy.solve(con, Y)[0]
    xs = sympy.solve(sympy.diff(f.subs(Y, ysol), X), X)
    assert agree(p.answer, (xs[0], ysol.subs(X, xs[0])))


def oracle_broken(p):
    losses = p.given["losses"]
    rising = losses[-1] > losses[0]
    assert (p.answer in ("learning rate too large", "gradient has the wrong sign")) == rising
    if rising:  # too large exactly when η is past the stable limit 2/L
        too_big = float(p.given["lr"]) > 2 / float(p.given["L"])
        assert (p.answer == "learning rate too large") == too_big
    elif p.answer == "unscaled features":
        assert "x2 in [0, 1000]" in p.given["setup"]
    else:
        assert "sigmoid layers" in p.given["setup"]


def oracle_fix_lr(p):
    f = p.given["f"]
    m = sympy.solve(sympy.diff(f, X), X)[0]
    g = sympy.Lambda(X, sympy.diff(f, X))

    def dist(lr):
        x = m + 1
        for _ in range(5):
            x -= lr * g(x)
        return abs(x - m)

    assert p.answer == min(p.given["cands"], key=dist)


ORACLES = {
    "evaluate": oracle_evaluate,
    "residuals": oracle_residuals,
    "domain": oracle_domain,
    "composition": oracle_composition,
    "transformation": oracle_transformation,
    "average-rate": oracle_average_rate,
    "slope-two-points": oracle_slope,
    "limit-hole": oracle_limit,
    "limit-conjugate": oracle_limit,
    "limit-trig": oracle_limit,
    "limit-lhopital": oracle_limit,
    "limit-infinity": oracle_limit,
    "limit-asymptote": oracle_limit,
    "derivative-definition": oracle_definition,
    "derivative-power": oracle_derivative,
    "derivative-elementary": oracle_derivative,
    "derivative-product": oracle_derivative,
    "derivative-quotient": oracle_derivative,
    "chain-rule": oracle_derivative,
    "partial-derivatives": oracle_partials,
    "monotonicity": oracle_monotonicity,
    "concavity": oracle_concavity,
    "tangent-line": oracle_tangent,
    "critical-points": oracle_critical,
    "global-extrema": oracle_global,
    "least-squares": oracle_least_squares,
    "critical-points-2d": oracle_critical_2d,
    "descent-1d": oracle_descent_1d,
    "descent-2d": oracle_descent_2d,
    "stable-lr": oracle_stable_lr,
    "diagnose-descent": oracle_diagnose,
    "gradient-check": oracle_gradient_check,
    "train-linear": oracle_train_linear,
    "lab-descent": oracle_lab,
    "backprop": oracle_backprop,
    "vectorised-gradient": oracle_vectorised,
    "vanishing-gradient": oracle_vanishing,
    "loss-value": oracle_loss_value,
    "loss-gradient": oracle_loss_gradient,
    "regularisation": oracle_regularisation,
    "constrained-min": oracle_constrained,
    "broken-setup": oracle_broken,
    "fix-learning-rate": oracle_fix_lr,
}


def test_every_topic_has_an_oracle():
    assert set(topics()) - {"review"} == set(ORACLES)


def test_every_lecture_is_covered():
    lectures = {info["lecture"] for info in topic_info()}
    assert lectures >= set(range(1, 19)) | {20}


@pytest.mark.parametrize("topic,difficulty,seed", CASES)
def test_answer_matches_oracle(topic, difficulty, seed):
    p = problem(topic, difficulty, seed)
    ORACLES[p.template if topic == "review" else topic](p)


@pytest.mark.parametrize("topic,difficulty,seed", CASES)
def test_solution_lands_on_the_answer(topic, difficulty, seed):
    p = problem(topic, difficulty, seed)
    assert agree(p.solution.answer, p.answer)
    assert not p.solution.uses_cas, (
        "an engine disagreed or failed: see tutor.generate.engines debug log"
    )
    for step in p.solution.walk():
        assert step.rule and step.explanation


def _perturb(value, kind):
    if value is DNE:
        return sympy.Integer(0)
    if value in (oo, -oo):
        return -value
    if kind == "choice":
        return None
    if kind == "equation":
        return sympy.Eq(value.lhs, value.rhs + 1)
    if isinstance(value, (list, tuple)):
        return type(value)([value[0] + 1, *value[1:]])
    if isinstance(value, sympy.FiniteSet):
        return sympy.FiniteSet(*value, max(value) + 1)
    if isinstance(value, sympy.Set):
        return value.complement(sympy.S.Reals)
    return value + 1


@pytest.mark.parametrize("topic,difficulty,seed", CASES)
def test_checker_accepts_answer_and_rejects_perturbed(topic, difficulty, seed):
    p = problem(topic, difficulty, seed)
    text = answer_text(p.answer, p.answer_kind)
    verdict = tutor.check(text, p.answer, kind=p.answer_kind, **p.check_options)
    assert verdict.correct is True, (text, verdict)
    if p.answer_kind == "choice":
        wrong = next(c for c in p.check_options["choices"] if c != p.answer)
    else:
        wrong = answer_text(_perturb(p.answer, p.answer_kind), p.answer_kind)
    assert (
        tutor.check(wrong, p.answer, kind=p.answer_kind, **p.check_options).correct is not True
    ), wrong


@pytest.mark.parametrize("topic", topics())
def test_prompt_placeholders_are_given(topic):
    import string

    p = problem(topic, 2, 0)
    names = {f for _, f, _, _ in string.Formatter().parse(p.prompt) if f}
    assert names <= set(p.given), names - set(p.given)


def test_unknown_topic_and_difficulty():
    with pytest.raises(ValueError, match="unknown topic"):
        tutor.generate("no-such-topic", seed=1)
    with pytest.raises(ValueError, match="difficulty"):
        tutor.generate("chain-rule", seed=1, difficulty=7)


def test_quotients_are_written_with_a_positive_leading_denominator() -> None:
    """−cos(4x)/(7x² − 8x), not cos(4x)/(−7x² + 8x): the sign sits in front, as a teacher
    writes it."""
    for d in (1, 2, 3):
        for seed in range(20):
            f = tutor.generate("derivative-quotient", seed=seed, difficulty=d).solution.task.params
            expr = f.get("f", f.get("expr"))
            assert not sympy.fraction(expr)[1].could_extract_minus_sign(), (d, seed, expr)
