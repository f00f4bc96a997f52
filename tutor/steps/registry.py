"""Every step rule of every engine, declared once: id, title, what it claims, the rewrite.

The habit of sympy's manualintegrate: a reader learns the rule set by reading this table
top to bottom.  Renderers take their titles from here, the quiz its trivial rules, the
mal-rule table the rule each mistake sends a student back to, and ``verify`` checks each
step against what its rule claims:

- ``derivative``: ``after`` is the derivative of ``before`` (by the step's variable);
- ``equality``: ``before`` and ``after`` are the same function, wherever both are defined;
- ``limit``: ``before`` and ``after`` have the same limit at the task's point (a rewrite
  that agrees near the point, or the value the limit takes);
- ``value``: ``after`` is a value read off ``before`` (a root set, a number, a verdict);
- ``record``: the step records data (a table, a graph, a diagnosis) and claims no rewrite.

This module imports only ``tutor.core`` at import time; ``verify`` imports sympy.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from .._diff import diff
from ..core import Solution, Step, as_sympy

__all__ = [
    "CLAIMS",
    "MISTAKES",
    "RULES",
    "Rule",
    "TRIVIAL",
    "rule",
    "title",
    "verify",
    "unknown_rules",
]

CLAIMS = ("derivative", "equality", "limit", "value", "record")


@dataclass(frozen=True)
class Rule:
    """One step rule: ``id``, human ``title``, what it ``claims`` (see CLAIMS), the
    ``rewrite`` in one line, and whether it is ``trivial`` (folded away on a board)."""

    id: str
    title: str
    claims: str
    rewrite: str
    trivial: bool = False


# id | claims | title | rewrite   (a trailing "*" on the id marks a trivial rule)
_TABLE = """
constant* | derivative | Constant | d/dx c = 0
identity* | derivative | Identity | d/dx x = 1
constant_multiple | derivative | Constant multiple | d/dx (c f) = c f'
sum_rule | derivative | Sum rule | (f ± g)' = f' ± g'
power_rule | derivative | Power rule | d/dx x^n = n x^(n-1)
product_rule | derivative | Product rule | (f g)' = f' g + f g'
quotient_rule | derivative | Quotient rule | (f/g)' = (f' g - f g')/g^2
chain_rule | derivative | Chain rule | d/dx f(g(x)) = f'(g(x)) g'(x)
exp_rule | derivative | Exponential rule | d/dx e^x = e^x
exponential_rule | derivative | Exponential rule | d/dx a^x = a^x ln a
log_rule | derivative | Logarithm rule | d/dx ln x = 1/x
ln_rule | derivative | Logarithm rule | d/dx ln x = 1/x
log_base | derivative | Logarithm to a base | d/dx log_b x = 1/(x ln b)
sqrt_rule | derivative | Square-root rule | d/dx sqrt(x) = 1/(2 sqrt(x))
abs_rule | derivative | Absolute-value rule | d/dx |x| = x/|x| (x ≠ 0)
sign_rule | derivative | Sign rule | d/dx sign(x) = 0 (x ≠ 0)
trig_rule | derivative | Trigonometric rule | d/dx sin x = cos x, d/dx cos x = -sin x, ...
inverse_trig_rule | derivative | Inverse-trigonometric rule | d/dx atan x = 1/(1 + x^2), ...
hyperbolic_rule | derivative | Hyperbolic rule | d/dx sinh x = cosh x, ...
inverse_hyperbolic_rule | derivative | Inverse-hyperbolic rule | d/dx asinh x = 1/sqrt(x^2 + 1), ...
sigmoid_rule | derivative | Sigmoid rule | σ'(x) = σ(x)(1 - σ(x))
sigmoid_derivative | derivative | Derivative of the sigmoid | σ'(x) = σ(x)(1 - σ(x))
tanh_rule | derivative | Tanh rule | tanh'(x) = 1 - tanh(x)^2
softplus_rule | derivative | Softplus rule | softplus'(x) = σ(x)
relu_rule | derivative | ReLU rule | ReLU'(x) = 1 for x > 0, 0 for x < 0
partial_derivative | derivative | Partial derivative | ∂f/∂x: differentiate in x, other variables held fixed
higher_derivative | derivative | Higher derivative | f'' = (f')'
second_derivative | derivative | Second derivative | f'' = d/dx f'
local_derivative | derivative | Local derivative | one node's output differentiated by its input
differentiate | derivative | Differentiate | f ↦ f'
differentiate_both_sides | record | Differentiate both sides | F(x, y) = c ↦ F_x + F_y y' = 0
logarithmic_differentiation | record | Logarithmic differentiation | y = f ↦ ln y = ln f, then differentiate
solve_for_derivative | value | Solve for the derivative | F_x + F_y y' = 0 ↦ y' = -F_x/F_y
dependent_variable | record | y depends on x | y = y(x), so d/dx g(y) = g'(y) y'
gradient | value | Gradient | ∇f = (∂f/∂x, ∂f/∂y, ...)
evaluate_gradient | value | Evaluate the gradient | ∇f(p)
hessian | value | Hessian matrix | H = (∂²f/∂xᵢ∂xⱼ)
unit_vector | value | Unit vector | u = v/‖v‖
dot_product | value | Dot product | D_u f = ∇f · u
steepest_ascent | value | Steepest ascent | the gradient points where f rises fastest
chain_product | value | Multiply along the chain | dL/dx = Π of local derivatives
direct_substitution | limit | Direct substitution | lim f(x) = f(a) when f is continuous at a
limit_laws | limit | Limit laws | lim (f ∘ g) = the same combination of the limits
factor_and_cancel | limit | Factor and cancel | (x - a) g(x)/((x - a) h(x)) → g(x)/h(x) near a
factor | equality | Factor | write as a product
cancel | limit | Cancel the common factor | (x - a) g/((x - a) h) = g/h for x ≠ a
cancel_h | limit | Cancel h | h g(h)/h = g(h) for h ≠ 0
rationalise | limit | Rationalise with the conjugate | (√u - v)/w = (u - v²)/(w (√u + v))
common_denominator | limit | Common denominator | a/b ± c/d = (ad ± bc)/(bd)
standard_limit | limit | Standard limit | lim sin(u)/u = 1, lim (e^u - 1)/u = 1, ...
standard_trig_limit | limit | Standard trigonometric limit | lim_(u→0) sin(u)/u = 1
divide_by_highest_power | limit | Divide by the highest power | p/q = (p/x^n)/(q/x^n)
dominant_term | limit | Dominant term | at infinity the fastest-growing term decides
growth_order | limit | Orders of growth | ln x ≪ x^k ≪ e^x at infinity
compare_rates | limit | Compare rates of growth | the faster-growing part decides
end_behaviour | limit | End behaviour | the leading term decides at ±∞
change_of_variable | limit | Change of variable | lim_(x→a) f(g(x)) = lim_(u→g(a)) f(u)
power_substitution | limit | Substitute x = t^k | mixed radicals x^(1/m), x^(1/n) become powers of t
let_h_tend_to_zero | limit | Let h tend to 0 | lim_(h→0) g(h) = g(0) for continuous g
rewrite_indeterminate | limit | Rewrite the indeterminate form | 0·∞, ∞ - ∞, 1^∞ → a quotient
lhopital | limit | L'Hôpital's rule | lim f/g = lim f'/g' for 0/0 or ∞/∞
squeeze | limit | Squeeze theorem | g ≤ f ≤ h and lim g = lim h = L give lim f = L
oscillation | value | Oscillation | f takes values apart near a: no limit
one_sided | value | One-sided limits | lim exists iff both one-sided limits agree
side_form | limit | On one side of the point | near a on one side, |u| = ±u, sign u = ±1, ⌊u⌋ = n
sides_differ | value | The two sides differ | lim_(x→a⁻) f ≠ lim_(x→a⁺) f: no limit
exact_cap | record | Exact arithmetic stops | numbers too large to carry exactly
continuity_test | value | Continuity test | f(a) defined, lim f = f(a)
numerator_zero | value | Numerator at the point | 0/0 or c/0 decides the technique
denominator_condition | value | Denominator not zero | the domain excludes zeros of the bottom
root_condition | value | Even root of a non-negative | √u needs u ≥ 0
log_condition | value | Logarithm of a positive | ln u needs u > 0
domain | value | Domain | the set where f is defined
difference_quotient | equality | Difference quotient | (f(x + h) - f(x))/h
expand | equality | Expand | multiply out
simplify* | equality | Tidy up | rewrite in a simpler equal form
tidy_up* | equality | Tidy up | rewrite in a simpler equal form
collect_terms | equality | Collect terms | group like terms
rewrite | equality | Rewrite | the same function written another way
log_laws | equality | Laws of logarithms | ln(ab) = ln a + ln b, ln a^k = k ln a
log_transform | equality | Take logarithms | y = f ↦ ln y = ln f
exponent_law | equality | Exponent laws | a^m a^n = a^(m+n)
exponentiate | equality | Exponentiate | ln y = g ↦ y = e^g
addition_formula | equality | Addition formula | sin(a + b) = sin a cos b + cos a sin b
compose | value | Compose | (f ∘ g)(x) = f(g(x))
composition | value | Composition | (f ∘ g)(x) = f(g(x))
substitute | value | Substitute | put the given values in
substitution | value | Substitute | put the given values in
arithmetic | equality | Arithmetic | evaluate the numbers
evaluate | value | Evaluate | f(a)
evaluate_slope | value | Evaluate the slope | f'(a)
evaluate_ends | value | Evaluate at the end points | f(a), f(b)
central_difference | value | Central difference | (f(a + h) - f(a - h))/(2h)
central_difference_value | value | Central difference value | the quotient at the given h
scale | equality | Scale | multiply through by a constant
shift_horizontal | value | Shift horizontally | f(x) ↦ f(x - c)
shift_vertical | value | Shift vertically | f(x) ↦ f(x) + c
stretch_vertical | value | Stretch vertically | f(x) ↦ a f(x)
reflect_x | value | Reflect in the x-axis | f(x) ↦ -f(x)
transpose_product | equality | Transpose of a product | (AB)ᵀ = BᵀAᵀ
vectorise | equality | Vectorise | a sum over samples as a matrix product
sum_of_squares | equality | Sum of squares | ‖r‖² = Σ rᵢ²
residual_vector | value | Residuals | r = Xw - y
case_split | record | Split into cases | f on each piece of its domain
solve_equation | value | Solve the equation | f(x) = 0 ↦ its roots
solve_zero_slope | value | Solve f′ = 0 | f'(x) = 0 ↦ the critical points
solve_inequality | value | Solve the inequality | f(x) > 0 ↦ an interval
solve_linear | value | Solve the linear equation | a x + b = 0 ↦ x = -b/a
solve_system | value | Solve the system | ∇f = 0 ↦ the critical points
solve_conditions | value | Solve the conditions | the domain's conditions ↦ a set
solve_multiplier | value | Solve for the multiplier | ∇f = λ∇g ↦ λ
quadratic_formula | value | Quadratic formula | a x² + b x + c = 0 ↦ x = (-b ± √(b² - 4ac))/(2a)
polynomial_roots | value | Roots of the polynomial | p(x) = 0 ↦ its roots
trig_equation | value | Trigonometric equation | sin x = c ↦ its solutions in the window
numeric_root | value | Numerical root | a root located numerically
restrict_window | value | Restrict to the window | keep the roots inside the interval
never_zero | value | Never zero | f ≠ 0 everywhere
exp_never_zero | value | e^u is never zero | e^u > 0
derivative_undefined | value | Where f′ is undefined | f' fails to exist at these points
critical_points | value | Critical points | f' = 0 or f' undefined
non_isolated | value | Non-isolated critical points | a curve of critical points
constrained_point | value | Constrained point | a point on the constraint
lagrange_condition | value | Lagrange condition | ∇f = λ∇g, g = c
lagrange_multiplier | value | Lagrange multiplier | ∇f = λ∇g
back_substitution | value | Back-substitution | put the solved value back
sign_chart | record | Sign chart | the sign of f' on each interval
sign_analysis | record | Sign analysis | the sign of a factor on each interval
first_derivative_test | value | First-derivative test | f' changes - to + at a minimum, + to - at a maximum
second_derivative_test | value | Second-derivative test | f''(c) > 0 minimum, < 0 maximum
hessian_test | value | Hessian test | eigenvalues' signs classify the point
eigenvalues | value | Eigenvalues | det(H - λI) = 0
classify | value | Classify | each critical point's kind
inflection_points | value | Inflection points | f'' changes sign
compare_candidates | value | Compare the candidates | the largest and smallest value of f
compare_values | value | Compare the values | the largest and smallest value
compare_exact | value | Compare exactly | exact comparison of the values
comparison | value | Comparison | which is larger
maximum | value | Maximum | the largest value
bound | value | Bound | |f| ≤ M
linear_approximation | value | Linear approximation | f(x) ≈ f(a) + f'(a)(x - a)
point_slope | value | Point-slope form | y - y₀ = m (x - x₀)
point_slope_form | value | Point-slope form | y - y₀ = m (x - x₀)
slope_intercept_form | equality | Slope-intercept form | y = m x + b
slope_formula | value | Slope of the secant | (f(b) - f(a))/(b - a)
perpendicular_slope | value | Slope of the normal | m⊥ = -1/m
vertical_line | value | Vertical line | x = a
table_of_values | record | Values closing in | a table of values near the point
computational_graph | record | Computational graph | the expression as nodes
forward_pass | record | Forward pass | each node's value, inputs to output
backward_pass | record | Backward pass | each node's gradient, output to inputs (chain rule)
forward_mode | record | Forward mode | derivatives carried forward with the values
reverse_mode | record | Reverse mode | gradients carried backward
local_gradients | record | Local gradients | each node's derivative by its inputs
gradient_check | value | Gradient check | analytic gradient against central differences
update_rule | value | Update rule | x ← x - η ∇f(x)
iteration_table | record | Iteration table | the iterates of gradient descent
run | record | Run | the iterates
training_run | record | Training run | the loss at each epoch
stopping_rule | value | Stopping rule | stop when the step is small
contraction_factor | value | Contraction factor | |1 - η f''| < 1 for convergence
stability_condition | value | Stability condition | η < 2/L
diagnose | value | Diagnose | what the run shows
diagnosis | value | Diagnosis | what the run shows
verdict | value | Verdict | the conclusion
fix | value | Fix | the change that makes it work
loop_check | value | Check the loop | the code against the maths
read_trace | record | Read the trace | the printed values
reference_code | record | Reference code | code that computes it
read_answer | value | Read the answer | the answer off the last step
model | record | Model | the prediction as a function of the parameters
predictions_table | record | Predictions | each sample's prediction
loss | equality | Loss | the loss as a function of the parameters
loss_value | value | Loss value | the loss at the given parameters
loss_gradient | value | Gradient of the loss | ∂L/∂w
mse | equality | Mean squared error | (1/n) Σ (ŷᵢ - yᵢ)²
mae | equality | Mean absolute error | (1/n) Σ |ŷᵢ - yᵢ|
bce | equality | Binary cross-entropy | -(y ln p + (1 - y) ln(1 - p))
softmax_ce | equality | Softmax cross-entropy | -Σ yₖ ln softmax(z)ₖ
softmax | value | Softmax | softmax(z)ₖ = e^(zₖ)/Σ e^(zⱼ)
log_softmax | equality | Log-softmax | ln softmax(z)ₖ = zₖ - ln Σ e^(zⱼ)
one_hot | record | One-hot target | y = eₖ
sigmoid | value | Sigmoid | σ(z) = 1/(1 + e^(-z))
sigmoid_bce_gradient | value | Sigmoid BCE gradient | ∂L/∂z = σ(z) - y
softmax_ce_gradient | value | Softmax cross-entropy gradient | ∂L/∂zₖ = softmax(z)ₖ - yₖ
vanishing_gradient | value | Vanishing gradient | a product of small factors shrinks
l1_penalty | value | L1 penalty | λ Σ |wᵢ|
l2_penalty | value | L2 penalty | λ Σ wᵢ²
l1_subgradient | value | L1 subgradient | ∂|w| = sign w, [-1, 1] at 0
soft_threshold | value | Soft threshold | w ↦ sign(w) max(|w| - λ, 0)
shrunken_minimiser | value | Shrunken minimiser | the minimiser with the penalty
choose | value | Choose | the option that fits
setup | record | Set up | what is given and what is asked
summary* | record | Summary | the result in words
cas | value | Computed by the computer algebra system | no teachable rule: sympy's answer
out_of_time | record | Could not finish | the time budget ran out: no answer is given
"""


def _load() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for line in _TABLE.strip().splitlines():
        rid, claims, title, rewrite = (p.strip() for p in line.split("|", 3))
        trivial = rid.endswith("*")
        rid = rid.rstrip("*")
        assert claims in CLAIMS and rid not in rules, line
        rules[rid] = Rule(rid, title, claims, rewrite, trivial)
    return rules


RULES: dict[str, Rule] = _load()

# The classic mistakes (mal-rules, tutor.steps.malrules) and the rule each sends a
# student back to.
MISTAKES: dict[str, str] = {
    "missing_chain_factor": "chain_rule",
    "exp_missing_factor": "chain_rule",
    "log_missing_factor": "chain_rule",
    "trig_sign": "trig_rule",
    "power_rule_exponent": "power_rule",
    "product_rule_as_product": "product_rule",
    "quotient_rule_sign": "quotient_rule",
    "quotient_rule_denominator": "quotient_rule",
    "dropped_constant": "constant_multiple",
    # gradient descent (tutor.steps.malrules_more)
    "descent_uphill": "update_rule",
    "descent_one_step_short": "iteration_table",
    "descent_one_step_too_many": "iteration_table",
    "descent_rate_twice": "update_rule",
    "descent_gradient_factor": "power_rule",
    # losses
    "loss_sum_not_mean": "mse",
    "loss_log_base": "bce",
    "loss_missing_minus": "bce",
    # limits
    "limit_side_sign": "sign_analysis",
    "limit_not_exponentiated": "exponentiate",
    "limit_substituted": "direct_substitution",
    "limit_one_side_only": "one_sided",
    "limit_infinite_not_dne": "one_sided",
    "limit_lhopital_not_indeterminate": "lhopital",
    # critical points and extrema
    "critical_not_classified": "classify",
    "critical_zeros_of_f": "solve_zero_slope",
    "critical_zeros_of_f2": "solve_zero_slope",
    "critical_wrong_kind": "second_derivative_test",
    "critical_classified_by_f": "second_derivative_test",
    "critical_outside_interval": "restrict_window",
    "critical_missed_nondifferentiable": "derivative_undefined",
    "extrema_wrong_extreme": "compare_candidates",
    "extrema_forgot_endpoints": "evaluate_ends",
    "extrema_place_not_value": "compare_candidates",
    # backpropagation
    "backprop_negative_gradient": "backward_pass",
    "backprop_missing_local": "local_gradients",
    "backprop_forward_as_local": "local_gradients",
}

# Steps too small to be a hint of their own in the quiz or a line of their own on a board.
TRIVIAL: frozenset[str] = frozenset(r.id for r in RULES.values() if r.trivial)


def rule(rid: str) -> Rule:
    """The declared rule ``rid``; an unknown id raises ``KeyError`` with a clear message."""
    try:
        return RULES[rid]
    except KeyError:
        raise KeyError(f"step rule {rid!r} is not declared in tutor.steps.registry") from None


def title(rid: str) -> str:
    """The rule's title in words; an undeclared id spelled out (renderers never raise)."""
    if rid in RULES:
        return RULES[rid].title
    words = rid.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def unknown_rules(solution: Solution) -> list[str]:
    """The rule ids used in ``solution`` that the registry does not declare."""
    return sorted({s.rule for s in solution.walk() if s.rule not in RULES})


# -- verification ----------------------------------------------------------------------------

_DERIVATIVE_KINDS = {"derivative", "implicit_derivative", "directional_derivative", "gradient"}


def verify(solution: Solution, *, points: int = 3, seed: int = 0) -> list[str]:
    """Check every claim of every step; return one sentence per refuted claim (empty: all hold).

    Derivative claims (``after`` = d/d(var) ``before``) and equality claims (``before`` and
    ``after`` the same function) are checked at random points with 30 significant digits;
    limit rewrites at points close to the task's point.  A claim that cannot be evaluated
    (a set, a table, a non-real value) is not refuted: the check never guesses against."""
    rng = random.Random(seed)
    problems: list[str] = []
    task = solution.task
    seen: dict[Any, bool] = {}
    for step in solution.walk():
        r = RULES.get(step.rule)
        if r is None:
            problems.append(f"unknown rule {step.rule!r}")
            continue
        if "show" in step.data:
            continue
        key = (step.rule, step.before, step.after, step.data.get("wrt"))
        try:
            bad = seen[key]  # the same claim met again (a sub-step repeated): checked once
        except (KeyError, TypeError, ValueError):
            try:
                bad = _refuted(r.claims, step, task, rng, points)
            except Exception:  # noqa: BLE001 - an unevaluable claim is not a refuted one
                bad = False
            try:
                seen[key] = bad
            except (TypeError, ValueError):  # an unhashable claim is checked each time
                pass
        if bad:
            problems.append(f"{step.rule}: {step.before} ⟶ {step.after} does not hold")
    if task.kind == "gradient_descent":
        problems += _descent_rows(solution)
    if task.kind == "backprop":
        problems += _backprop_rows(solution)
    return problems


def _close(a: Any, b: Any, exact: bool) -> bool:
    """``a`` equals ``b``: exactly when both are exact, else to 6 figures (a rounded cell)."""

    a, b = as_sympy(a), as_sympy(b)  # engine values; as_sympy refuses text
    if exact and a.is_Rational and b.is_Rational:
        return bool(a == b)
    fa, fb = float(a), float(b)
    return abs(fa - fb) <= 5e-6 * max(1.0, abs(fa), abs(fb))


def _descent_rows(solution: Solution) -> list[str]:
    """Recompute every descent step: x_(k+1) = x_k + v_(k+1), v_(k+1) = μ v_k − η ∇f(x_k), and
    every table row (k, x_k, f(x_k), ∇f(x_k), step) against the iterates of the answer."""
    import math

    import sympy

    p = solution.task.params
    f, xs, eta, mu = p["expr"], tuple(p["variables"]), p["lr"], p.get("momentum") or 0
    grad = [diff(f, v) for v in xs]
    table_step = next((s for s in solution.walk() if s.rule == "iteration_table"), None)
    iterates = table_step.data.get("iterates") if table_step is not None else None
    if iterates is None:
        iterates = solution.answer if isinstance(solution.answer, (list, tuple)) else []
    pts = [tuple(x) if isinstance(x, (tuple, list)) else (x,) for x in iterates]
    out: list[str] = []

    def exact(*cs: Any) -> bool:
        return all(isinstance(c, sympy.Rational) for c in cs)

    def at(e: sympy.Expr, x: tuple[Any, ...]) -> Any:
        sub = {v: sympy.nsimplify(c) if isinstance(c, float) else c for v, c in zip(xs, x)}
        val = e.xreplace(sub)
        return sympy.expand(val) if exact(*x) else sympy.N(val, 30)

    finite = [all(math.isfinite(float(c)) for c in x) for x in pts]
    v = tuple(sympy.Integer(0) for _ in xs)
    for k in range(len(pts) - 1):
        if not (finite[k] and finite[k + 1]):
            break
        g = [at(e, pts[k]) for e in grad]
        v = tuple(mu * vi - eta * gi for vi, gi in zip(v, g))
        want = tuple(c + vi for c, vi in zip(pts[k], v))
        ex = exact(*pts[k], *pts[k + 1])
        if not all(_close(w, c, ex) for w, c in zip(want, pts[k + 1])):
            out.append(f"descent step {k}: x_{k + 1} = {pts[k + 1]} but x_k − η∇f(x_k) = {want}")
            break
        v = tuple(n - o for n, o in zip(pts[k + 1], pts[k]))  # the step actually taken
    if table_step is None:
        return out
    table = table_step.data["table"]
    for row in table.rows:
        k = int(row[0])
        if k >= len(pts) or not finite[k]:
            continue
        x = pts[k]
        cells = [(row[1], x), (row[2], (at(f, x),)), (row[3], tuple(at(e, x) for e in grad))]
        if row[4] != "" and k + 1 < len(pts) and finite[k + 1]:
            cells.append((row[4], tuple(n - o for n, o in zip(pts[k + 1], x))))
        for cell, want in cells:
            got = tuple(cell) if isinstance(cell, (tuple, list, sympy.Tuple)) else (cell,)
            whole = not any(getattr(as_sympy(c), "is_Float", False) for c in got)  # exact cells
            if len(got) != len(want) or not all(_close(c, w, whole) for c, w in zip(got, want)):
                out.append(f"iteration table row {k}: {cell} should be {want}")
    return out


def _backprop_rows(solution: Solution) -> list[str]:
    """Recompute ml.backprop's graph: every node's value from its formula, every edge's local
    derivative and its value, every node's gradient as the sum over its uses of (the user's
    gradient × the local value), and the answer against ∂f/∂input."""
    import sympy

    step = next((s for s in solution.walk() if s.rule == "computational_graph"), None)
    if step is None or "graph" not in step.data:
        return ["backprop solution without its computational graph"]
    g = step.data["graph"]
    p = solution.task.params
    f, vals = p["expr"], p["values"]
    out: list[str] = []

    def same(a: Any, b: Any) -> bool:
        d = sympy.N(as_sympy(a) - as_sympy(b), 30)
        return bool(abs(d) <= 1e-9 * (1 + abs(sympy.N(as_sympy(b), 30))))

    value = {n.id: n.value for n in g.nodes}
    syms = {n.id: sympy.Symbol(n.id, real=True) for n in g.nodes if n.op not in ("input", "const")}
    env: dict[Any, Any] = {sympy.Symbol(k, real=True): v for k, v in value.items() if v is not None}
    env.update({s: value[nid] for nid, s in syms.items()})
    inputs = {s.name: s for s in f.free_symbols}
    env.update({s: vals[name] for name, s in inputs.items() if name in vals})
    for n in g.nodes:
        if n.op == "input" and not same(n.value, vals[n.id]):
            out.append(f"backprop: input {n.id} = {n.value}, not {vals[n.id]}")
        elif n.op not in ("input", "const") and not same(n.formula.xreplace(env), n.value):
            out.append(f"backprop: node {n.id} = {n.formula} is not {n.value}")
    for e in g.edges:
        target = g.node(e.target)
        src = g.node(e.source)
        if src.op == "const":
            continue
        s = syms.get(e.source) or next(
            (x for x in target.formula.free_symbols if x.name == e.source), None
        )
        want = diff(target.formula, s)
        if not same(e.local.xreplace(env), want.xreplace(env)):
            out.append(f"backprop: local ∂{e.target}/∂{e.source} = {e.local}, not {want}")
        elif not same(e.local_value, want.xreplace(env)):
            out.append(f"backprop: local ∂{e.target}/∂{e.source} has value {e.local_value}")
    for n in g.nodes:
        if n.op == "const" or n.grad is None:
            continue
        uses = [e for e in g.edges if e.source == n.id]
        want = 1 if n.id == g.output else sum(g.node(e.target).grad * e.local_value for e in uses)
        if not same(n.grad, want):
            out.append(f"backprop: gradient of {n.id} is {n.grad}, chain rule gives {want}")
    for name, s in inputs.items():
        truth = diff(f, s).xreplace({t: vals[t.name] for t in f.free_symbols})
        if name in solution.answer and not same(solution.answer[name], truth):
            out.append(f"backprop: ∂f/∂{name} = {solution.answer[name]}, not {truth}")
    return out


def _refuted(claims: str, step: Step, task: Any, rng: random.Random, points: int) -> bool:
    import sympy

    before, after = step.before, step.after
    if not (isinstance(before, sympy.Expr) and isinstance(after, sympy.Expr)):
        return False
    if claims == "derivative":
        wrt = step.data.get("wrt")
        if wrt is None and task.kind in _DERIVATIVE_KINDS:
            wrt = task.params.get("wrt")
        if not isinstance(wrt, sympy.Symbol):
            return False
        return _differ(diff(before, wrt), after, rng, points)
    if claims == "equality":
        return _differ(before, after, rng, points)
    if claims == "limit" and task.kind == "limit":
        var, at = task.params.get("var"), task.params.get("point")
        if step.rule not in _SAME_FUNCTION:
            return False  # L'Hôpital, standard limits, ...: only the limit is kept
        if isinstance(before, sympy.Limit) and isinstance(after, sympy.Limit):
            before, after = before.args[0], after.args[0]  # a rewrite under the limit
        else:
            return False
        if not isinstance(var, sympy.Symbol) or at is None:
            return False
        near = [_near(at, rng) for _ in range(points)]
        return _differ(before, after, rng, points, {var: near})
    return False


# limit techniques that rewrite the function itself (equal near the point, off it)
_SAME_FUNCTION = {
    "factor_and_cancel", "cancel", "cancel_h", "rationalise", "common_denominator",
    "divide_by_highest_power",
}  # fmt: skip


def _near(at: Any, rng: random.Random) -> Any:
    import sympy

    if at is sympy.oo:
        return sympy.Integer(rng.randint(50, 90))
    if at is sympy.S.NegativeInfinity:
        return -sympy.Integer(rng.randint(50, 90))
    return at + sympy.Rational(rng.choice((-1, 1)) * rng.randint(1, 9), 1000)


def _differ(a: Any, b: Any, rng: random.Random, points: int, fixed: Any = None) -> bool:
    """True when ``a`` and ``b`` take clearly different real values at some sample point.

    Each point is decided in machine floats when the rounding-error bound makes the verdict
    certain (``_numeric.compare``), else by exact substitution and 30-digit evaluation."""
    import sympy

    from ._numeric import MP, compare, not_real

    syms = sorted((a.free_symbols | b.free_symbols), key=str)
    checked = 0
    for i in range(points * 4):
        if checked >= points:
            break
        subs = {}
        for s in syms:
            if fixed and s in fixed:
                subs[s] = fixed[s][i % len(fixed[s])]
            else:
                subs[s] = sympy.Rational(rng.randint(-300, 300), 100) or sympy.Rational(1, 7)
        # machine floats with an error bound, then 120-bit mpmath, when either is decisive
        fast = compare(a, b, subs, 1e-12)
        if fast is None:
            fast = compare(a, b, subs, 1e-12, MP)
        if fast is not None:
            checked += 1
            if fast[0]:
                return True
            continue
        if not_real(b, subs) or not_real(a, subs):  # skipped, as 30 digits would skip it
            continue
        vb = _value(b, subs)  # the step's result, usually the smaller tree, first:
        if not (vb.is_real and vb.is_finite):  # a point it leaves the reals at is skipped
            continue
        va = _value(a, subs)
        if not (va.is_real and va.is_finite):
            continue
        checked += 1
        if abs(va - vb) > sympy.Float("1e-12", 30) * (1 + abs(va)):
            return True
    return False


_PLAIN: tuple[type, ...] | None = None


def _value(expr: Any, subs: dict[Any, Any]) -> Any:
    """``N(expr.subs(subs), 30)``, evaluated without rebuilding the tree where that is safe.

    For a tree of plain nodes (sums, products, powers, elementary functions) ``evalf`` with
    ``subs`` and ``strict=True`` gives the same 30-digit value, or raises when the value cannot
    be told from an exact zero (a pole or 0/0 at the point); a real Float, or a number whose
    imaginary part is certainly not zero, is then the answer. Anything else (a singular
    point, an unusual node) takes the exact path: substitute, then evaluate."""
    import sympy

    plain = _is_plain(expr)
    if plain:
        try:
            v = expr.evalf(30, subs=subs, strict=True)
        except Exception:  # noqa: BLE001 - PrecisionExhausted at a pole: the exact path decides
            v = None
        if isinstance(v, sympy.Float) and v.is_finite:
            return v
        if v is not None and v.is_Add and v.is_real is False and not v.has(sympy.nan):
            return v
        return sympy.N(expr.xreplace(subs), 30)
    return sympy.N(expr.subs(subs), 30)


def _is_plain(expr: Any) -> bool:
    """True when every node of ``expr`` is a number, a symbol, a sum, product or power, or an
    elementary function: then ``xreplace`` and ``evalf(subs=)`` agree with ``subs``."""
    global _PLAIN
    import sympy

    if _PLAIN is None:
        from sympy.functions.elementary.hyperbolic import HyperbolicFunction
        from sympy.functions.elementary.trigonometric import (
            InverseTrigonometricFunction,
            TrigonometricFunction,
        )

        _PLAIN = (
            sympy.Add, sympy.Mul, sympy.Pow, sympy.Symbol, sympy.Number, sympy.NumberSymbol,
            sympy.exp, sympy.log, sympy.Abs, TrigonometricFunction, InverseTrigonometricFunction,
            HyperbolicFunction,
        )  # fmt: skip
    return all(isinstance(node, _PLAIN) for node in sympy.preorder_traversal(expr))
