"""The course's activation functions as sympy functions: sigmoid, softplus and relu.

They stay unevaluated (``sigmoid(z)``, not ``1/(1 + exp(-z))``) so that worked solutions can
name them, differentiate by their own rule (σ' = σ(1 − σ)) and print them as σ(z);
``.rewrite(sympy.exp)`` gives the elementary form and ``evalf`` works through it.
"""

from __future__ import annotations

from typing import Any

import sympy
from sympy import Function, Max, S, exp, log


class sigmoid(Function):  # noqa: N801 - sympy functions are lower case
    """The logistic sigmoid σ(z) = 1 / (1 + e^(−z))."""

    nargs = 1

    @classmethod
    def eval(cls, z: Any) -> Any:
        if z is S.Zero:
            return S.Half
        if z is S.Infinity:
            return S.One
        if z is S.NegativeInfinity:
            return S.Zero
        return None

    def fdiff(self, argindex: int = 1) -> Any:
        """σ'(z) = σ(z)(1 − σ(z))."""
        z = self.args[0]
        return sigmoid(z) * (1 - sigmoid(z))

    def _eval_rewrite_as_exp(self, z: Any, **kwargs: Any) -> Any:
        return 1 / (1 + exp(-z))

    def _eval_evalf(self, prec: int) -> Any:
        return (1 / (1 + exp(-self.args[0])))._eval_evalf(prec)

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real

    def _eval_is_positive(self) -> bool | None:
        return True if self.args[0].is_real else None

    def _latex(self, printer: Any, exp: Any = None) -> str:
        body = rf"\sigma\left({printer._print(self.args[0])}\right)"
        return body if exp is None else rf"{body}^{{{exp}}}"

    def _sympystr(self, printer: Any) -> str:
        return f"sigmoid({printer._print(self.args[0])})"


class softplus(Function):  # noqa: N801
    """softplus(z) = ln(1 + e^z), a smooth ReLU."""

    nargs = 1

    @classmethod
    def eval(cls, z: Any) -> Any:
        if z is S.Zero:
            return log(2)
        return None

    def fdiff(self, argindex: int = 1) -> Any:
        """softplus'(z) = σ(z)."""
        return sigmoid(self.args[0])

    def _eval_rewrite_as_exp(self, z: Any, **kwargs: Any) -> Any:
        return log(1 + exp(z))

    _eval_rewrite_as_log = _eval_rewrite_as_exp

    def _eval_evalf(self, prec: int) -> Any:
        return log(1 + exp(self.args[0]))._eval_evalf(prec)

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real

    def _latex(self, printer: Any, exp: Any = None) -> str:
        body = rf"\operatorname{{softplus}}\left({printer._print(self.args[0])}\right)"
        return body if exp is None else rf"{body}^{{{exp}}}"


class relu(Function):  # noqa: N801
    """ReLU(z) = max(0, z): zero for negative inputs, the identity for positive ones."""

    nargs = 1

    @classmethod
    def eval(cls, z: Any) -> Any:
        if z.is_number and z.is_real:
            return Max(S.Zero, z)
        if z.is_nonnegative:
            return z
        if z.is_nonpositive:
            return S.Zero
        return None

    def fdiff(self, argindex: int = 1) -> Any:
        """ReLU'(z) = 1 for z > 0 and 0 for z < 0 (undefined at 0)."""
        return sympy.Heaviside(self.args[0])

    def _eval_rewrite_as_Max(self, z: Any, **kwargs: Any) -> Any:
        return Max(S.Zero, z)

    def _eval_evalf(self, prec: int) -> Any:
        return Max(S.Zero, self.args[0])._eval_evalf(prec)

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_real

    def _latex(self, printer: Any, exp: Any = None) -> str:
        body = rf"\operatorname{{ReLU}}\left({printer._print(self.args[0])}\right)"
        return body if exp is None else rf"{body}^{{{exp}}}"


ACTIVATIONS = {"sigmoid": sigmoid, "softplus": softplus, "relu": relu}


def elementary(expr: Any) -> Any:
    """``expr`` with the activation functions rewritten in exp, log and Max.

    sympy's own routines (limit, solve, simplify, lambdify) know only elementary functions.
    """
    return (
        expr.replace(sigmoid, lambda z: 1 / (1 + exp(-z)))
        .replace(softplus, lambda z: log(1 + exp(z)))
        .replace(relu, lambda z: Max(S.Zero, z))
    )
