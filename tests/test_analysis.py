"""Critical points and their kinds against independent oracles (sympy solve, numeric scans).

Families are built from seeded generators: polynomials whose derivative has chosen integer
roots (the kinds then follow from the multiplicities), rationals, x^n e^(ax), logs, trig on
intervals and two-variable quadratics, bowls and saddles.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
import sympy
from sympy import Rational as R

from tutor.core import Solution, Table
from tutor.steps.analysis import critical_points

x, y = sympy.symbols("x y")


# ---------------------------------------------------------------------------- oracles


def numeric_kind(f, c, h=1e-3):
    """Local kind from values of f either side (no derivatives involved)."""
    fn = sympy.lambdify(x, f, "mpmath")
    import mpmath

    mpmath.mp.dps = 40
    c = mpmath.mpf(sympy.N(c, 40))
    f0 = fn(c)
    left, right = fn(c - h) - f0, fn(c + h) - f0
    left, right = mpmath.re(left), mpmath.re(right)
    if left > 0 and right > 0:
        return "minimum"
    if left < 0 and right < 0:
        return "maximum"
    return "neither"


def scan_zeros(g, a, b, n=20001):
    """Sign changes of g on a grid (the oracle's own numeric scan)."""
    fn = sympy.lambdify(x, g, "numpy")
    ts = np.linspace(a, b, n)
    with np.errstate(all="ignore"):
        vs = np.asarray(fn(ts), dtype=float) * np.ones_like(ts)
    out = []
    for i in range(n - 1):
        if i and vs[i] == 0 and vs[i - 1] * vs[i + 1] < 0:
            out.append(ts[i])
        elif np.isfinite(vs[i]) and np.isfinite(vs[i + 1]) and vs[i] * vs[i + 1] < 0:
            lo, hi = ts[i], ts[i + 1]
            for _ in range(60):
                mid = 0.5 * (lo + hi)
                with np.errstate(all="ignore"):
                    fm = float(fn(mid))
                if (fm < 0) == (vs[i] < 0):
                    lo = mid
                else:
                    hi = mid
            with np.errstate(all="ignore"):
                if abs(float(fn(lo))) < 1e-6:  # a zero, not a jump across a pole
                    out.append(lo)
    return out


def answer_floats(sol: Solution):
    return [(float(sympy.N(c)), k) for c, k in sol.answer]


def assert_consistent(sol: Solution, f, var=x):
    """Every step checks: derivatives, linear/quadratic solutions, tests, sign tables."""
    for st in sol.walk():
        if st.rule == "differentiate" and st.data.get("order") in (1, 2) and "f" in st.data:
            d = sympy.diff(
                st.data["f"], *[s for s in st.data["f"].free_symbols][:1], st.data["order"]
            )
            assert sympy.simplify(d - st.after) == 0 or _num_equal(d, st.after)
        if st.rule == "solve_linear" and isinstance(st.after, sympy.Eq):
            eq = st.before
            assert sympy.simplify(eq.lhs.subs(eq.lhs.free_symbols.pop(), st.after.rhs)) == 0
        if st.rule == "quadratic_formula" and st.after != sympy.S.EmptySet:
            eq = st.before
            (s,) = eq.lhs.free_symbols
            for r in st.after:
                assert abs(complex(sympy.N(eq.lhs.subs(s, r)))) < 1e-9
        if st.rule == "sign_chart":
            table = st.after
            assert isinstance(table, Table)
            for row in table.rows:
                iv, t, v, sign = row[:4]
                assert iv.contains(t) == sympy.true
                fv = float(sympy.N(v))
                assert sign == ("+" if fv > 0 else "-" if fv < 0 else "0")
    assert list(sol.answer) == sorted(sol.answer, key=lambda p: _key(p[0]))
    for _c, kind in sol.answer:
        assert kind in ("minimum", "maximum", "saddle", "neither")


def _key(p):
    if isinstance(p, tuple):
        return tuple(float(sympy.N(v)) for v in p)
    return float(sympy.N(p))


def _num_equal(a, b):
    (s,) = (a.free_symbols | b.free_symbols) or {x}
    for t in (0.3, 0.7, 1.3, 2.1):
        va, vb = complex(sympy.N(a.subs(s, t))), complex(sympy.N(b.subs(s, t)))
        if abs(va - vb) > 1e-9 * (1 + abs(va)):
            return False
    return True


# ---------------------------------------------------------------------------- families


def poly_from_roots(rng: random.Random):
    """f with f' = k * prod (x - r)^m: points are the r, kind from the multiplicity's parity."""
    roots = rng.sample(range(-4, 5), rng.randint(1, 3))
    mult = {r: rng.choice((1, 1, 1, 2, 3)) for r in roots}
    k = rng.choice((-3, -2, -1, 1, 2, 3))
    d = k * sympy.Mul(*[(x - r) ** m for r, m in mult.items()])
    f = sympy.expand(sympy.integrate(sympy.expand(d), x)) + rng.randint(-5, 5)
    expected = []
    for r in sorted(roots):
        if mult[r] % 2 == 0:
            expected.append((r, "neither"))
        else:
            left = d.subs(x, r - R(1, 10**3))
            expected.append((r, "minimum" if left < 0 else "maximum"))
    return f, expected


@pytest.mark.parametrize("seed", range(120))
def test_polynomials_from_integer_roots(seed):
    f, expected = poly_from_roots(random.Random(seed))
    sol = critical_points(f)
    assert sol.answer == [(sympy.Integer(r), k) for r, k in expected]
    assert sol.task.kind == "critical_points"
    assert_consistent(sol, f)


def touch_zeros(g, a, b, n=4001):
    """Zeros of g where it touches 0 without a sign change: g' = 0 there and g tiny."""
    import mpmath

    dg = sympy.diff(g, x)
    gn = sympy.lambdify(x, g, "mpmath")
    out = []
    for r in scan_zeros(dg, a, b, n):
        try:
            r2 = float(mpmath.findroot(sympy.lambdify(x, dg, "mpmath"), r))
        except (ValueError, ZeroDivisionError):
            r2 = r
        if abs(complex(gn(r2))) < 1e-10:
            out.append(r2)
    return out


def _oracle_one(f, a, b, exact=True):
    """Independent: sympy.solve on f' = 0 (real, inside), sign changes and touching zeros."""
    d = sympy.diff(f, x)
    pts = []
    if exact:
        try:
            for r in sympy.solve(d, x):
                v = complex(sympy.N(r))
                if abs(v.imag) < 1e-12 and a < v.real < b:
                    pts.append(v.real)
        except NotImplementedError:
            pass
    for r in scan_zeros(d, a, b) + touch_zeros(d, a, b):
        if not any(abs(r - p) < 1e-6 for p in pts):
            pts.append(r)
    return sorted(pts)


RATIONALS = [
    x / (x**2 + 1),
    (x**2 + 3) / (x - 1),
    x + 4 / x,
    (x**2 - 4) / (x**2 + 4),
    x**2 / (x - 2),
    1 / (x**2 - 2 * x + 5),
    (2 * x + 1) / (x**2 + 2),
    x**3 / (x**2 - 1),
    (x - 1) ** 2 / (x**2 + 1),
    x / (x + 1) ** 2,
]
EXPLOGS = [
    x * sympy.exp(x),
    x * sympy.exp(-x),
    x**2 * sympy.exp(-x),
    x * sympy.exp(-(x**2)),
    sympy.exp(x) / x,
    x - sympy.exp(x),
    x**2 * sympy.log(x),
    sympy.log(x) / x,
    x - sympy.log(x),
    x * sympy.log(x),
    sympy.log(x**2 + 1),
    sympy.exp(x) + sympy.exp(-2 * x),
    x**3 * sympy.exp(-x),
    sympy.log(x) / x**2,
    (x**2 - 3) * sympy.exp(x),
]


@pytest.mark.parametrize("f", RATIONALS + EXPLOGS, ids=str)
def test_rational_and_exponential(f):
    sol = critical_points(f)
    got = answer_floats(sol)
    want = _oracle_one(f, -20, 20)
    # keep only points in the domain (the oracle's solve ignores domains)
    want = [
        p
        for p in want
        if np.isfinite(complex(sympy.N(f.subs(x, p))).real)
        and abs(complex(sympy.N(f.subs(x, p))).imag) < 1e-12
    ]
    assert [c for c, _ in got] == pytest.approx(want, abs=1e-6)
    for c, kind in sol.answer:
        assert kind == numeric_kind(f, c)
    assert_consistent(sol, f)


def trig_family(rng: random.Random):
    a, b = rng.choice((1, 2, 3, -1)), rng.choice((0, 1, 2, -2))
    forms = [
        a * sympy.sin(x) + b * sympy.cos(x),
        sympy.sin(x) ** 2 + a * sympy.cos(x),
        sympy.sin(2 * x) + b * sympy.cos(x),
        x / 2 - sympy.sin(x) * a,
        sympy.cos(x) ** 2 - a * sympy.sin(x),
        x + a * sympy.cos(x),
    ]
    return rng.choice(forms)


@pytest.mark.parametrize("seed", range(40))
def test_trig_on_interval(seed):
    rng = random.Random(1000 + seed)
    f = trig_family(rng)
    lo, hi = rng.choice(((0, 2 * sympy.pi), (-sympy.pi, sympy.pi), (0, 3 * sympy.pi)))
    sol = critical_points(f, interval=(lo, hi))
    got = answer_floats(sol)
    want = _oracle_one(f, float(lo), float(hi), exact=False)
    want = [p for p in want if float(lo) + 1e-9 < p < float(hi) - 1e-9]
    assert [c for c, _ in got] == pytest.approx(want, abs=1e-6)
    for c, kind in sol.answer:
        assert kind == numeric_kind(f, c)
    assert_consistent(sol, f)


def test_trig_without_interval_gives_one_period_and_general_form():
    sol = critical_points(sympy.sin(x) + sympy.cos(x))
    assert sol.answer == [(sympy.pi / 4, "maximum"), (5 * sympy.pi / 4, "minimum")]
    trig = [s for s in sol.walk() if s.rule == "trig_equation"]
    assert trig and "k" in str(trig[0].data["general"])


@pytest.mark.parametrize(
    "f, expected",
    [
        (x**3, [(0, "neither")]),
        (x**4, [(0, "minimum")]),
        (-(x**4), [(0, "maximum")]),
        (x**5 - 5 * x, [(-1, "maximum"), (1, "minimum")]),
        (sympy.Abs(x), [(0, "minimum")]),
        (sympy.Abs(x**2 - 4), [(-2, "minimum"), (0, "maximum"), (2, "minimum")]),
        (x ** R(2, 3), [(0, "minimum")]),
        (x ** R(1, 3), [(0, "neither")]),
        (x ** R(2, 3) * (x - 5), [(0, "maximum"), (2, "minimum")]),
        (x**3 - 3 * x**2 + 3 * x, [(1, "neither")]),
        (x**2 + 1, [(0, "minimum")]),
        (x**3 + x, []),
        (sympy.exp(x), []),
        (1 / x, []),
        (sympy.sqrt(x), []),
        (sympy.sqrt(4 - x**2), [(0, "maximum")]),
        (x * sympy.sqrt(4 - x**2), [(-sympy.sqrt(2), "minimum"), (sympy.sqrt(2), "maximum")]),
    ],
    ids=str,
)
def test_textbook_cases(f, expected):
    sol = critical_points(f)
    assert [(sympy.simplify(c), k) for c, k in sol.answer] == [
        (sympy.sympify(c), k) for c, k in expected
    ]
    assert_consistent(sol, f)


def test_second_derivative_zero_falls_back_and_says_so():
    sol = critical_points(x**4)
    (test,) = [s for s in sol.walk() if s.rule == "first_derivative_test"]
    assert "second-derivative test says nothing" in test.text()


def test_exact_values_with_decimals():
    sol = critical_points(x**3 - x)
    assert sol.answer == [(-sympy.sqrt(3) / 3, "maximum"), (sympy.sqrt(3) / 3, "minimum")]
    quad = [s for s in sol.walk() if s.rule in ("quadratic_formula", "solve_equation")]
    assert quad
    table = sol.steps[-1].data["table"]
    assert abs(float(table.rows[0][1]) + 0.57735) < 1e-4


@pytest.mark.parametrize(
    "f, interval",
    [
        (sympy.cos(x) - x, (-10, 10)),
        (x**2 - sympy.cos(x) * 10, (-5, 5)),
        (sympy.exp(x) - 3 * x**2, (-3, 5)),
        (x * sympy.sin(x), (0, 10)),
        (sympy.sin(x) + x**2 / 10, (-6, 6)),
        (x**5 - 3 * x + 1, None),
        (sympy.exp(-x) + x**2 / 2, None),
    ],
    ids=str,
)
def test_transcendental_numeric_roots(f, interval):
    sol = critical_points(f, interval=interval)
    a, b = (-40, 40) if interval is None else interval
    want = [p for p in _oracle_one(f, a, b, exact=False) if a + 1e-9 < p < b - 1e-9]
    got = answer_floats(sol)
    assert [c for c, _ in got] == pytest.approx(want, abs=1e-6)
    for c, kind in sol.answer:
        assert kind == numeric_kind(f, c)
    if any(c.is_Float for c, _ in sol.answer):
        assert any(s.rule == "numeric_root" for s in sol.walk())


# ---------------------------------------------------------------------------- two variables


def quad2(rng: random.Random):
    while True:
        a, c = rng.randint(-3, 3), rng.randint(-3, 3)
        b = rng.randint(-3, 3)
        if 4 * a * c - b * b != 0:
            break
    d, e = rng.randint(-6, 6), rng.randint(-6, 6)
    return a * x**2 + b * x * y + c * y**2 + d * x + e * y, (a, b, c, d, e)


@pytest.mark.parametrize("seed", range(60))
def test_two_variable_quadratics(seed):
    f, (a, b, c, d, e) = quad2(random.Random(2000 + seed))
    H = np.array([[2 * a, b], [b, 2 * c]], dtype=float)
    p = np.linalg.solve(H, -np.array([d, e], dtype=float))
    ev = np.linalg.eigvalsh(H)
    kind = "minimum" if ev.min() > 0 else "maximum" if ev.max() < 0 else "saddle"
    sol = critical_points(f)
    ((pt, k),) = sol.answer
    assert [float(v) for v in pt] == pytest.approx(list(p), abs=1e-12)
    assert k == kind
    assert sol.task.kind == "critical_points"


CUBIC2 = [
    x**3 - 3 * x + y**2,
    x**3 + y**3 - 3 * x * y,
    x**2 + y**3 - 3 * y,
    x**4 + y**4 - 4 * x * y,
    x * y * (x + y - 3),
    x**3 - 12 * x + y**3 - 27 * y,
    (x**2 + y**2) * sympy.exp(-x),
    x**2 + y**2 - 2 * x + 4 * y,
    x**4 + y**4,
    x**2 * y**2,
    x**3 + y**2,
    sympy.exp(x**2 + y**2),
]


@pytest.mark.parametrize("f", CUBIC2, ids=str)
def test_two_variable_against_probe(f):
    sol = critical_points(f)
    fn = sympy.lambdify((x, y), f, "numpy")
    grad = [sympy.diff(f, v) for v in (x, y)]
    oracle = sympy.solve(grad, (x, y), dict=True)
    isolated = [d for d in oracle if len(d) == 2 and not any(v.free_symbols for v in d.values())]
    real = {
        (round(float(sympy.N(d[x])), 9), round(float(sympy.N(d[y])), 9))
        for d in isolated
        if all(abs(complex(sympy.N(v)).imag) < 1e-12 for v in d.values())
    }
    got = {(round(float(sympy.N(p[0])), 9), round(float(sympy.N(p[1])), 9)) for p, _ in sol.answer}
    assert got == real
    t = np.linspace(0, 2 * np.pi, 720, endpoint=False)
    for p, kind in sol.answer:
        px, py = (float(sympy.N(v)) for v in p)
        f0 = fn(px, py)
        v = np.concatenate([fn(px + r * np.cos(t), py + r * np.sin(t)) - f0 for r in (1e-2, 1e-3)])
        want = (
            "saddle"
            if (v > 1e-14).any() and (v < -1e-14).any()
            else "minimum"
            if (v > 1e-14).any()
            else "maximum"
            if (v < -1e-14).any()
            else "neither"
        )
        assert kind == want, (p, kind)
        for g in grad:
            assert abs(float(sympy.N(g.subs({x: p[0], y: p[1]})))) < 1e-9


def test_hessian_step_and_saddle_words():
    sol = critical_points(x**2 - y**2)
    assert sol.answer == [((0, 0), "saddle")]
    (h,) = [s for s in sol.walk() if s.rule == "hessian_test"]
    assert h.data["D"] == -4 and "saddle" in h.text()


def test_deterministic_output():
    f = x**4 - 2 * x**2 + sympy.sin(x) / 5
    a, b = critical_points(f).to_dict(), critical_points(f).to_dict()
    assert a == b


def test_text_input_goes_through_parser():
    pytest.importorskip("tutor.parse")
    sol = critical_points("x^3 - 3x")
    assert [(int(c), k) for c, k in sol.answer] == [(-1, "maximum"), (1, "minimum")]


@pytest.mark.parametrize(
    "f, expected",
    [
        (sympy.Max(0, x), [(0, "minimum")]),
        (sympy.Abs(x) + sympy.Abs(x - 2), [(0, "minimum"), (2, "minimum")]),
        (sympy.Max(x, x**2), [(0, "minimum"), (1, "neither")]),
    ],
    ids=str,
)
def test_corners_and_flat_pieces(f, expected):
    assert critical_points(f).answer == [(sympy.Integer(c), k) for c, k in expected]


def test_two_variable_domain_and_numeric_systems():
    f = x**2 + y**2 - 2 * sympy.log(x * y)
    assert critical_points(f).answer == [((-1, -1), "minimum"), ((1, 1), "minimum")]
    sol = critical_points(x**2 + y**2 + sympy.sin(x * y))
    assert sol.answer == [((0, 0), "minimum")]
    ((p, kind),) = critical_points(sympy.exp(x * y) - x - y).answer
    assert kind == "saddle" and float(p[0]) == pytest.approx(0.6529186404192, abs=1e-9)


def test_a_corner_is_not_a_root_of_f_prime_and_is_classified_by_the_sign_change() -> None:
    """x² − 4|x|: sympy's sign(0) = 0 makes 0 solve 2x − 4 sign(x) = 0, but f′(0) does not
    exist; the corner is a maximum (first-derivative test), not a minimum read off f″ = 2."""
    x = sympy.Symbol("x")
    sol = critical_points(x**2 - 4 * sympy.Abs(x), x)
    assert sol.answer == [(-2, "minimum"), (0, "maximum"), (2, "minimum")]
    solve = next(s for s in sol.walk() if s.rule == "solve_equation")
    assert solve.after == sympy.FiniteSet(-2, 2)
