"""The name tables of the reader: Greek letters, the words that are whole answers, the
function inverses and sympy's printed names read back.  Plain data, no sympy."""

from __future__ import annotations

GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ϑ": "theta", "ι": "iota", "κ": "kappa",
    "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "ρ": "rho", "σ": "sigma", "τ": "tau",
    "υ": "upsilon", "φ": "phi", "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
    "Γ": "Gamma", "Δ": "Delta", "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Σ": "Sigma",
    "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega", "π": "pi",
}  # fmt: skip

DNE_WORDS = {
    "dne",
    "d.n.e.",
    "does not exist",
    "doesnt exist",
    "doesn't exist",
    "does not exists",
    "no limit",
    "limit does not exist",
    "the limit does not exist",
    "it does not exist",
}
EMPTY_WORDS = {"no solution", "no solutions", "empty set", "the empty set", "none"}
REAL_WORDS = {"all real numbers", "all reals", "all real x", "every real number"}

# sympy's printed names, read back case-sensitively (core.to_jsonable writes sstr)
READBACK = {
    "Eq", "Ne", "Lt", "Le", "Gt", "Ge", "Interval", "Interval.open", "Interval.Lopen",
    "Interval.Ropen", "Union", "FiniteSet", "Abs", "Max", "Min", "Heaviside",
}  # fmt: skip

INVERSES = {
    "sin": "asin", "cos": "acos", "tan": "atan", "sec": "asec", "csc": "acsc", "cot": "acot",
    "sinh": "asinh", "cosh": "acosh", "tanh": "atanh", "coth": "acoth",
}  # fmt: skip
