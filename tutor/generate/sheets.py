"""Sheet definitions from ``problems/*.toml``: practice sheets, lab sheets and the exam.

A lecture file has ``title``, ``lecture``, a ``[practice]`` table (and ``[lab]`` where the
course has one) with ``instructions`` and ``items``, plus optional ``[[templates]]``;
``exam.toml`` has ``[exam]`` with ``duration`` (minutes) and items with ``marks``.
``load_sheet("05")`` finds a lecture's file; ``build_sheet(sheet, seed=...)`` makes the
problems, deterministic and without duplicates.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..core import Problem
from .templates import SheetError, Template, _line_of, template_from_toml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "Sheet",
    "SheetItem",
    "SheetError",
    "build_sheet",
    "load_sheet",
    "sheet_files",
    "lectures_with",
    "problems_dir",
]

KINDS = ("practice", "lab", "exam", "checklist")
DRAWS = 50  # draws that may repeat a problem before a family counts as exhausted


@dataclass(frozen=True)
class SheetItem:
    """``count`` problems of a topic (or a template of the file) at a difficulty, worth ``marks`` each."""

    topic: str = ""
    template: str = ""
    count: int = 1
    difficulty: int = 1
    marks: int = 0
    group: int = 0  # items with the same group > 0 are the parts (a), (b), ... of one question


@dataclass(frozen=True)
class Sheet:
    """A sheet definition: what to generate and how to present it."""

    title: str
    lecture: int | None
    kind: str
    instructions: str
    items: tuple[SheetItem, ...]
    templates: Mapping[str, Template] = field(default_factory=dict)
    duration: int | None = None
    checklist: tuple[str, ...] = ()
    source: str = ""

    def marks(self) -> list[int]:
        """Marks of each problem, in the order ``build_sheet`` returns them."""
        return [it.marks for it in self.items for _ in range(it.count)]

    @property
    def total_marks(self) -> int:
        return sum(self.marks())

    def questions(self) -> list[int]:
        """The question number of each problem, in ``build_sheet`` order: a problem of its
        own is a question; the parts of an item with ``parts`` share one number."""
        out: list[int] = []
        n, last = 0, 0
        for it in self.items:
            for _ in range(it.count):
                if not it.group or it.group != last:
                    n += 1
                out.append(n)
                last = it.group
        return out


def problems_dir() -> Any:
    """The folder of curriculum files shipped inside the package."""
    return resources.files("tutor") / "problems"


def sheet_files() -> list[Any]:
    """All shipped sheet files, in name order."""
    return sorted(
        (p for p in problems_dir().iterdir() if p.name.endswith(".toml")), key=lambda p: p.name
    )


def lectures_with(kind: str) -> list[int]:
    """The lectures whose shipped file has a ``[kind]`` sheet with problems, in order."""
    out = []
    for p in sheet_files():
        data = tomllib.loads(p.read_text(encoding="utf-8"))
        body = data.get(kind)
        if isinstance(data.get("lecture"), int) and isinstance(body, Mapping) and body.get("items"):
            out.append(data["lecture"])
    return sorted(out)


def _find(name: str) -> Any:
    path = Path(name)
    if path.suffix == ".toml" and path.exists():
        return path
    key = name.strip().lower()
    if key.isdigit():
        key = f"{int(key):02d}-"
    for p in sheet_files():
        if p.name == key or p.name == f"{key}.toml" or p.name.startswith(key):
            return p
    raise SheetError(
        name, None, "no such sheet file; give a path or a lecture number such as 05, or 'exam'"
    )


def load_sheet(path_or_name: str | Path, kind: str | None = None) -> Sheet:
    """Read a sheet (``kind`` practice, lab or exam; default: the file's first) from a file."""
    src = _find(str(path_or_name))
    text = src.read_text(encoding="utf-8")
    name = str(src)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise SheetError(name, int(m.group(1)) if m else None, f"not valid TOML: {exc}") from None
    templates: dict[str, Template] = {}
    raw_templates = data.get("templates", [])
    if not isinstance(raw_templates, list):
        raise SheetError(
            name, _line_of(text, "templates"), "templates must be an array of tables: [[templates]]"
        )
    for t in raw_templates:
        tpl = template_from_toml(t, name, text)
        if tpl.id in templates:
            raise SheetError(
                name, _line_of(text, f'"{tpl.id}"'), f"template id {tpl.id!r} is used twice"
            )
        templates[tpl.id] = tpl
    present = [k for k in KINDS if k in data]
    if not present:
        raise SheetError(
            name, None, "no sheet in the file: add a [practice], [lab], [exam] or [checklist] table"
        )
    kind = kind or present[0]
    if kind not in data:
        shipped = lectures_with(kind) if Path(name).parent == Path(str(problems_dir())) else []
        where = (
            f"; lectures with a [{kind}] sheet: {', '.join(map(str, shipped))}" if shipped else ""
        )
        raise SheetError(
            name, None, f"no [{kind}] sheet in this file (it has {', '.join(present)}){where}"
        )
    body = data[kind]
    if not isinstance(body, Mapping):
        raise SheetError(name, _line_of(text, f"[{kind}]"), f"[{kind}] must be a table")
    lecture = data.get("lecture")
    if lecture is not None and (not isinstance(lecture, int) or not 1 <= lecture <= 20):
        raise SheetError(
            name, _line_of(text, "lecture"), "lecture must be a whole number from 1 to 20"
        )
    items = tuple(_items(body.get("items", []), name, text, templates, kind))
    checklist = tuple(str(c) for c in body.get("items", [])) if kind == "checklist" else ()
    if kind == "checklist":
        items = ()
    elif not items:
        raise SheetError(name, _line_of(text, f"[{kind}]"), f"[{kind}] has no items")
    duration = body.get("duration")
    if duration is not None and (not isinstance(duration, int) or duration <= 0):
        raise SheetError(
            name, _line_of(text, "duration"), "duration must be a positive number of minutes"
        )
    return Sheet(
        title=str(body.get("title", data.get("title", src.name))),
        lecture=lecture,
        kind=kind,
        instructions=str(body.get("instructions", "")).strip(),
        items=items,
        templates=templates,
        duration=duration,
        checklist=checklist,
        source=name,
    )


def _items(
    raw: Any, name: str, text: str, templates: Mapping[str, Template], kind: str
) -> Iterator[SheetItem]:
    """The items of a sheet; ``{ parts = [ {...}, {...} ] }`` is one question whose parts
    (one problem each, with their own marks) are printed (a), (b), ..."""
    from dataclasses import replace

    group = 0
    for i, it in enumerate(raw):
        if kind != "checklist" and isinstance(it, Mapping) and "parts" in it:
            parts = it["parts"]
            line = _line_of(text, "parts")
            if set(it) != {"parts"}:
                raise SheetError(name, line, f"item {i + 1}: a question with parts has only parts")
            if not isinstance(parts, list) or not 2 <= len(parts) <= 6:
                raise SheetError(name, line, f"item {i + 1}: parts must list 2 to 6 problems")
            group += 1
            for part in parts:
                item = _item(part, i, name, text, templates, kind)
                if item.count != 1:
                    raise SheetError(name, line, f"item {i + 1}: a part is one problem (count 1)")
                yield replace(item, group=group)
        else:
            yield _item(it, i, name, text, templates, kind)


def _item(
    it: Any, i: int, name: str, text: str, templates: Mapping[str, Template], kind: str
) -> SheetItem:
    from . import topics

    if kind == "checklist":
        return SheetItem()
    if not isinstance(it, Mapping):
        raise SheetError(
            name, None, f'item {i + 1} must be a table like {{ topic = "chain-rule", count = 2 }}'
        )
    topic, template = str(it.get("topic", "")), str(it.get("template", ""))
    needle = topic or template
    line = _line_of(text, f'"{needle}"') if needle else None
    if bool(topic) == bool(template):
        raise SheetError(name, line, f"item {i + 1}: give exactly one of topic or template")
    if topic and topic not in topics():
        close = [t for t in topics() if topic.split("-")[0] in t][:3]
        hint = f" (did you mean {', '.join(close)}?)" if close else " (`tutor topics` lists them)"
        raise SheetError(name, line, f"unknown topic {topic!r}{hint}")
    if template and template not in templates:
        raise SheetError(
            name,
            line,
            f"unknown template {template!r}: define it in a [[templates]] table of this file",
        )
    count, difficulty, marks = it.get("count", 1), it.get("difficulty", 1), it.get("marks", 0)
    if not isinstance(count, int) or not 1 <= count <= 100:
        raise SheetError(name, line, f"item {needle!r}: count must be a whole number from 1 to 100")
    if difficulty not in (1, 2, 3):
        raise SheetError(name, line, f"item {needle!r}: difficulty must be 1, 2 or 3")
    if not isinstance(marks, int) or marks < 0:
        raise SheetError(name, line, f"item {needle!r}: marks must be a whole number")
    return SheetItem(topic, template, count, difficulty, marks)


def _seed(*parts: Any) -> int:
    return int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode()).digest()[:6], "big")


def build_sheet(
    sheet: Sheet, *, seed: int, progress: Callable[[], None] | None = None
) -> list[Problem]:
    """The sheet's problems for ``seed``: the same seed gives the same sheet; no two alike.
    ``progress`` is called once per problem made (for a progress bar).  Raises SheetError
    when a family cannot give as many distinct problems as asked (never repeats one)."""
    from . import generate
    from .builders import fill
    from .registry import Redraw, rng_for

    out: list[Problem] = []
    seen: set[str] = set()
    made: dict[tuple[str, int], int] = {}  # distinct problems made per family
    for i, it in enumerate(sheet.items):
        family = (it.topic or it.template, it.difficulty)
        for k in range(it.count):
            for attempt in range(DRAWS):
                s = _seed(seed, i, k, attempt)
                if it.topic:
                    p = generate(it.topic, seed=s, difficulty=it.difficulty)
                else:
                    p = _from_template(
                        sheet.templates[it.template], s, it.difficulty, rng_for, Redraw
                    )
                key = fill(p.prompt, dict(p.given))
                if key not in seen:
                    break
            else:
                n = made.get(family, 0)
                raise SheetError(
                    sheet.source or sheet.title,
                    None,
                    f"{family[0]} (difficulty {family[1]}) ran out of distinct problems: "
                    f"it gave {n}, then {DRAWS} draws in a row repeated one; "
                    f"ask for at most {n} of it",
                )
            seen.add(key)
            made[family] = made.get(family, 0) + 1
            out.append(p)
            if progress is not None:
                progress()
    return out


def _from_template(t: Template, seed: int, difficulty: int, rng_for: Any, redraw: Any) -> Problem:
    rng = rng_for("template:" + t.id, seed, difficulty)
    for _ in range(200):
        try:
            d = t.build(rng, difficulty)
        except redraw:
            continue
        return Problem(
            topic="template",
            prompt=d.prompt,
            given=d.given,
            answer=d.answer,
            answer_kind=d.answer_kind,
            solution=d.solution,
            seed=seed,
            difficulty=difficulty,
            template=t.id,
            check_options=d.check_options,
            figure=d.figure,
        )
    raise SheetError(
        t.source, None, f"template {t.id!r}: no valid problem in 200 draws; loosen its constraints"
    )
