"""Answer checking: is a student's answer right, and if not, what went wrong?

``check(answer, expected, kind=...)`` reads the answer with ``tutor.parse`` (never
``eval``), compares it with the expected answer by the course's conventions (DESIGN.md,
"Checking conventions") and returns a ``Verdict``.  It never raises and answers within
its time budget: the slow symbolic stage runs in a worker process that is killed when
the budget runs out (``tutor._budget``).  The verdict codes are listed in docs/checking.md.

Layout: ``dispatch`` (the public ``check``) hands each kind to its module, which declares
in ``KINDS`` how its answer is read and compared: ``expression`` (expressions, numbers),
``antiderivative``, ``equation``, ``sets``, ``lists`` (lists, points), ``interval``
(intervals, inequalities), ``choice``.  They share ``context``, ``reading``, ``diagnosis``,
``tolerance``, ``matching``, ``relation`` and ``codes``; the staged equivalence is
``equiv`` over ``numeric`` evidence, ``symbolic`` proof and ``domain`` comparison, with
``values`` (reading any value), ``vectors``, ``forms`` and ``options``.

``tutor.check`` is also the name of the function (``import tutor; tutor.check(...)``):
reach the submodules with ``from tutor.check import dispatch``.
"""

from __future__ import annotations

from .codes import CODES
from .dispatch import check, equivalent
from .options import CheckOptions

__all__ = ["check", "equivalent", "CODES", "CheckOptions"]
