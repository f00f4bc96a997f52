"""Issue 16: the classic wrong answers of each lecture, typed into the quiz, get feedback that
names the mistake (and never the right answer).  Each wrong answer is computed here from the
problem's own data with plain sympy, not taken from the mal-rules it tests."""

from __future__ import annotations

import re

import pytest
import sympy as sp

from tutor.commands.quiz import _topics
from tutor.quiz import QuizConfig, QuizSession
from tutor.render.mathtext import math_text


def say(v) -> str:
    return math_text(v, ascii=True)


def vec(values) -> str:
    return ", ".join(say(sp.nsimplify(v)) for v in values)


def roomy_check(*args, **kwargs):
    # a roomy budget: what is tested is the diagnosis, not how fast a loaded machine finds it
    import tutor

    return tutor.check(*args, **{**kwargs, "timeout": 30})


def first(lecture: int | str, seed: int, difficulty: int) -> QuizSession:
    """The first problem of a quiz on a lecture (a number) or on one topic (its name)."""
    topics = [lecture] if isinstance(lecture, str) else _topics((), lecture)
    s = QuizSession(QuizConfig(topics, 1, difficulty, seed), check=roomy_check)
    s.start()
    return s


def fraction_at(p):
    t = p.solution.task.params
    num, den = sp.fraction(sp.together(t["expr"]))
    at = t["point"]
    return num, den, sp.simplify(num.subs(t["var"], at)), sp.simplify(den.subs(t["var"], at))


def limit_zero_over_zero(p):
    if p.solution.task.kind != "limit" or p.solution.task.params["point"] in (sp.oo, -sp.oo):
        return None
    _, _, top, bottom = fraction_at(p)
    return "0" if top == 0 and bottom == 0 and p.answer != 0 else None


def limit_lhopital(p):
    t = p.solution.task.params
    if p.topic != "limit-asymptote" or t["direction"] not in ("+", "-"):
        return None
    num, den, top, bottom = fraction_at(p)
    if top == 0 or bottom != 0:
        return None
    wrong = sp.limit(
        sp.diff(num, t["var"]) / sp.diff(den, t["var"]), t["var"], t["point"], t["direction"]
    )
    return say(wrong) if wrong.is_finite and wrong != p.answer else None


def limit_side(p):
    t = p.solution.task.params
    if (
        p.topic == "limit-asymptote"
        and t["direction"] in ("+", "-")
        and p.answer in (sp.oo, -sp.oo)
    ):
        return say(-p.answer)
    return None


def limit_one_to_infinity(p):
    e = p.solution.task.params.get("expr") if p.solution.task.kind == "limit" else None
    if (
        isinstance(e, sp.Pow)
        and e.exp.has(sp.Symbol("x"))
        and getattr(p.answer, "func", None) == sp.exp
    ):
        return say(p.answer.args[0])
    return None


def _descent(p, *, sign=1, rate_power=1, fewer=0):
    t = p.solution.task.params
    if (
        p.solution.task.kind != "gradient_descent"
        or t.get("momentum")
        or isinstance(p.answer, list)
    ):
        return None
    if fewer and int(t["steps"]) < 2:
        return None
    f, xs = t["expr"], list(t["variables"])
    start = t["start"]
    cur = list(start) if isinstance(start, (list, tuple)) else [start]
    lr = sp.nsimplify(t["lr"]) ** rate_power
    for _ in range(int(t["steps"]) - fewer):
        at = dict(zip(xs, cur))
        cur = [c - sign * lr * sp.diff(f, v).subs(at) for c, v in zip(cur, xs)]
    return say(cur[0]) if len(cur) == 1 else vec(cur)


def _lab(p, *, sign=1, rate_power=1, fewer=0):
    """The lab's loop, run in floats the way a student's program would, with one slip."""
    t = p.solution.task.params
    if p.solution.task.kind != "lab_descent" or len(t["start"]) != 1:
        return None
    f = t["expr"]
    (x,) = f.free_symbols
    slope = sp.lambdify(x, sp.diff(f, x))
    cur, lr = float(t["start"][0]), float(t["lr"]) ** rate_power
    for _ in range(int(t["steps"]) - fewer):
        cur -= sign * lr * slope(cur)
    return f"{cur:.6f}"


def critical_by_sign_of_f(p):
    # the sets of one kind (a classify question is a choice, not a set of points)
    if p.topic != "critical-points" or p.answer_kind != "set" or "local m" not in p.prompt:
        return None
    f = p.solution.task.params["f"]
    (x,) = f.free_symbols
    crit = [r for r in sp.solve(sp.diff(f, x), x) if r.is_real]
    for keep in (lambda r: f.subs(x, r) < 0, lambda r: f.subs(x, r) > 0):
        chosen = [r for r in crit if keep(r)]
        kinds = {sp.sign(sp.diff(f, x, 2).subs(x, r)) for r in chosen}
        if len(kinds) > 1 and sp.FiniteSet(*chosen) != p.answer and len(chosen) < len(crit):
            return vec(sorted(chosen, key=float))
    return None


def critical_without_corner(p):
    """All the critical points but those where f' does not exist (the corners of |u|)."""
    if p.topic != "critical-points" or p.answer_kind != "set":
        return None
    f = p.given["f"]
    (x,) = f.free_symbols
    corners = {r for a in f.atoms(sp.Abs) for r in sp.solve(a.args[0], x)}
    kept = [r for r in p.answer if r not in corners]
    return vec(sorted(kept)) if corners & set(p.answer) and kept else None


def extrema_without_end_points(p):
    if p.topic != "global-extrema":
        return None
    t = p.solution.task.params
    f, iv = t["f"], t["interval"]
    (x,) = f.free_symbols
    inner = [
        f.subs(x, r) for r in sp.solve(sp.diff(f, x), x) if r.is_real and iv.start < r < iv.end
    ]
    best = min if "smallest" in p.prompt or "minimum" in p.prompt else max
    if not inner or best(inner) == p.answer:
        return None
    top = max(
        f.subs(x, c)
        for c in [
            iv.start,
            iv.end,
            *[r for r in sp.solve(sp.diff(f, x), x) if r.is_real and iv.start < r < iv.end],
        ]
    )
    bottom = min(
        f.subs(x, c)
        for c in [
            iv.start,
            iv.end,
            *[r for r in sp.solve(sp.diff(f, x), x) if r.is_real and iv.start < r < iv.end],
        ]
    )
    return None if best(inner) in (top, bottom) else say(best(inner))


def backprop_negative(p):
    return vec([-g for g in p.answer]) if p.topic == "backprop" else None


def backprop_node(p, *, forward: bool):
    if p.topic != "backprop" or p.difficulty != 1:
        return None
    t = p.solution.task.params
    f = t["expr"]
    syms = {s.name: s for s in f.free_symbols}
    at = {syms[k]: sp.nsimplify(v) for k, v in t["values"].items()}
    (square,) = [n for n in sp.preorder_traversal(f) if isinstance(n, sp.Pow) and n.exp == 2]
    u = square.base
    # (u²)′ = 2u at the node: left out (slope 1) or taken as the forward value u²
    slope = u.subs(at) ** 2 if forward else 1
    grads = [slope * sp.diff(u, syms[w]).subs(at) for w in t["wrt"]]
    return vec(grads) if grads != list(p.answer) else None


def loss_sum(p):
    t = p.solution.task.params
    if p.topic != "loss-value" or t.get("name") not in ("mse", "mae") or len(t["predictions"]) < 2:
        return None
    return say(p.answer * len(t["predictions"]))


def loss_log10(p):
    t = p.solution.task.params
    return (
        say(p.answer / sp.log(10)) if p.topic == "loss-value" and t.get("name") == "bce" else None
    )


def loss_minus(p):
    t = p.solution.task.params
    return say(-p.answer) if p.topic == "loss-value" and t.get("name") == "bce" else None


def _vector(p):
    a = p.answer
    if p.topic != "loss-gradient" or not isinstance(a, (list, tuple)) or len(a) < 3:
        return None
    return [sp.nsimplify(v) for v in a]


def rounded(p):
    a = _vector(p)
    if a is None or all(sp.Rational(f"{float(v):.2f}") == v for v in a):
        return None
    return ", ".join(f"{float(v):.2f}" for v in a)


def permuted(p):
    a = _vector(p)
    return (
        vec(a[1:] + a[:1])
        if a and len(set(a)) == len(a) and a[1:] + a[:1] != [-v for v in a]
        else None
    )


CASES = [
    # (class, lecture, difficulty, wrong answer, code, words in the feedback)
    ("0/0 substituted", 4, 1, limit_zero_over_zero, "limit_substituted", "0/0"),
    ("L'Hôpital on k/0", 4, 1, limit_lhopital, "limit_lhopital_not_indeterminate", "0/0 or ∞/∞"),
    ("one-sided sign", 4, 1, limit_side, "limit_side_sign", "sign"),
    ("1^∞ not exponentiated", 4, 3, limit_one_to_infinity, "limit_not_exponentiated", "logarithm"),
    ("classified by f", 7, 2, critical_by_sign_of_f, "critical_classified_by_f", "sign of f"),
    ("forgot the corner", "critical-points", 3, critical_without_corner, "critical_missed_nondifferentiable", "does not exist"),
    ("forgot end points", 7, 3, extrema_without_end_points, "extrema_forgot_endpoints", "end points"),
    ("ascent", 8, 1, lambda p: _descent(p, sign=-1), "descent_uphill", "uphill"),
    ("one step short", 8, 1, lambda p: _descent(p, fewer=1), "descent_one_step_short", "one step short"),
    ("η twice", 8, 1, lambda p: _descent(p, rate_power=2), "descent_rate_twice", "twice"),
    ("lab: ascent", 17, 1, lambda p: _lab(p, sign=-1), "descent_uphill", "uphill"),
    ("lab: one step short", 17, 1, lambda p: _lab(p, fewer=1), "descent_one_step_short", "one step short"),
    ("lab: η twice", 17, 1, lambda p: _lab(p, rate_power=2), "descent_rate_twice", "twice"),
    ("−∇L", 11, 1, backprop_negative, "backprop_negative_gradient", "−∇L"),
    ("missing local", 11, 1, lambda p: backprop_node(p, forward=False), "backprop_missing_local", "local derivative"),
    ("forward as local", 11, 1, lambda p: backprop_node(p, forward=True), "backprop_forward_as_local", "forward value"),
    ("sum for mean", 12, 1, loss_sum, "loss_sum_not_mean", "mean"),
    ("log10 for ln", 12, 2, loss_log10, "loss_log_base", "natural log"),
    ("missing minus", 12, 2, loss_minus, "loss_missing_minus", "minus sign"),
    ("rounded", 12, 1, rounded, "not_exact", "rounded"),
    ("signs flipped", 12, 1, lambda p: vec([-v for v in _vector(p)]) if _vector(p) else None, "signs_flipped", "sign"),
    ("scaled", 12, 1, lambda p: vec([2 * v for v in _vector(p)]) if _vector(p) else None, "scaled", "twice"),
    ("permuted", 12, 1, permuted, "wrong_order", "order"),
    ("one entry wrong", 12, 1, lambda p: vec([_vector(p)[0] + 1, *_vector(p)[1:]]) if _vector(p) else None, "some_entries_wrong", "ntry 1"),
]  # fmt: skip


@pytest.mark.parametrize(
    "cls, lecture, difficulty, wrong, code, words", CASES, ids=[c[0] for c in CASES]
)
def test_the_quiz_names_each_classic_mistake(cls, lecture, difficulty, wrong, code, words):
    found = 0
    for seed in range(40):
        s = first(lecture, seed, difficulty)
        typed = wrong(s.problem)
        if typed is None:
            continue
        out = s.handle(typed)
        if out[0].kind == "preview":
            out = s.handle("yes")
        said = out[0].text
        assert out[0].kind == "wrong" and out[0].data["verdict"].code == code, (seed, typed, said)
        assert words in said, said
        right = say(s.problem.answer)
        assert not re.search(rf"(=|\bis|\bgives|→|\bare)\s*{re.escape(right)}(?![\w(/^.·])", said)
        assert s.current.tries == 1 and s.current.codes == [code]
        found += 1
        if found == 2:
            return
    assert found, f"no problem of lecture {lecture} at level {difficulty} shows {cls}"
