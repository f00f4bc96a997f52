"""The variables a question names: ``wrt="z1"`` or ``values={"w1": ...}`` make ``z1`` and
``w1`` variables of the text, where a bare parse would read ``z1`` as ``z·1``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# a letter (or a Greek name) glued to digits, or with an underscore index: w1, z_2, theta0
_GLUED = re.compile(
    r"(?<![A-Za-z0-9_])([A-Za-z]|alpha|beta|gamma|theta|sigma)_?\{?(\d+)\}?(?![\w(])"
)


def parse_with_names(text: str, given: Iterable[Any]) -> Any:
    """``tutor.parse(text)`` with the given names declared; when a given name carries a digit
    (a subscripted name), every subscripted name in the text is declared too, together with
    the single letters the text uses.  Without subscripted names this is a plain parse."""
    from ...parse import parse

    given = [str(g).strip() for g in given]
    if not any(any(c.isdigit() for c in g) for g in given):
        return parse(text)
    names = set(given)
    for m in _GLUED.finditer(text):
        glued, under = m.group(1) + m.group(2), m.group(1) + "_" + m.group(2)
        if glued not in names and under not in names:
            names.add(under if "_" in m.group(0) else glued)
    stripped = _GLUED.sub("1", text)
    try:
        plain = parse(stripped)
        names |= {s.name for s in plain.free_symbols}
    except Exception:  # noqa: BLE001 - the full parse below reports the error
        pass
    return parse(text, variables=sorted(names))
