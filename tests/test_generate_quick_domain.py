"""The domain family's quick domain (signs between rational roots) is the very set sympy's
``continuous_domain`` gives, as the same sympy object, on the functions the family draws."""

from __future__ import annotations

import random

import sympy
from sympy import S
from sympy.calculus.util import continuous_domain

from tutor.generate.builders import X
from tutor.generate.functions import _domain_function, _quick_domain


def test_quick_domain_is_continuous_domain() -> None:
    rng = random.Random(5)
    seen: set[sympy.Expr] = set()
    for d in (1, 2, 3) * 10:
        f = _domain_function(rng, d)
        if f in seen:
            continue
        seen.add(f)
        quick = _quick_domain(f)
        assert quick is not None, f
        assert sympy.srepr(quick) == sympy.srepr(continuous_domain(f, X, S.Reals)), f
    assert len(seen) >= 20


def test_quick_domain_declines_what_it_does_not_know() -> None:
    assert _quick_domain(sympy.sqrt(X**2 + 1)) is None  # no real root: left to sympy
    assert _quick_domain(sympy.sqrt(X**2 - 2)) is None  # irrational roots
    assert _quick_domain(sympy.sin(X) / (X - 1)) is None  # not a polynomial condition
    assert _quick_domain(X**2 + 1) is None  # no condition at all
