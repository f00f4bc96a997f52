"""``tutor export moodle|qti``: question banks of verified variants for Moodle and Canvas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ._common import check_writable, spans

SUFFIX = {"moodle": ".xml", "qti": ".zip"}
WHAT = {"moodle": "a Moodle XML question bank", "qti": "a QTI 1.2 package"}


def _sheets(definitions: tuple[str, ...], lectures: tuple[int, ...], topics: tuple[str, ...],
            difficulty: int | None, lab: bool) -> list[Any]:  # fmt: skip
    """The sheet definitions to export: files, lectures, or one sheet of the given topics."""
    from dataclasses import replace

    from ..generate.sheets import SheetError, lectures_with, load_sheet
    from .sheet import _adhoc

    if not (definitions or lectures or topics):
        raise click.UsageError("say what to export: --lecture N, --topic T or a sheet file")
    sheets = []
    try:
        for d in definitions:
            sheets.append(load_sheet(d, "lab" if lab else None))
        for n in lectures:
            sheets.append(load_sheet(f"{n:02d}", "lab" if lab else None))
    except SheetError as exc:
        raise click.UsageError(str(exc)) from None
    if topics:
        sheets.append(_adhoc(topics, 1, difficulty or 1))
    for s in sheets:
        if not s.items:
            where = f"lecture {s.lecture}" if s.lecture else s.source
            have = spans(lectures_with("lab" if lab else "practice"))
            raise click.UsageError(
                f"{where} has no problems to export (its sheet is a {s.kind}); "
                f"lectures with {'a lab' if lab else 'a practice'} sheet: {have}"
            )
    if difficulty is not None:
        sheets = [replace(s, items=tuple(replace(i, difficulty=difficulty) for i in s.items))
                  for s in sheets]  # fmt: skip
    return sheets


def _output(fmt: str, output: Path | None, sheets: list[Any]) -> Path:
    """The output path, checked before any work: right extension, existing writable folder."""
    if output is None:
        lectures = [s.lecture for s in sheets if s.lecture]
        stem = "-".join(f"lecture{n:02d}" for n in lectures) if lectures else "questions"
        output = Path(stem + SUFFIX[fmt])
    elif output.suffix.lower() != SUFFIX[fmt]:
        raise click.BadParameter(
            f"{output.name}: {WHAT[fmt]} is a {SUFFIX[fmt]} file; "
            f"name it like {output.stem}{SUFFIX[fmt]}",
            param_hint="-o/--output",
        )
    check_writable(output)
    return output


def _families(sheets: list[Any], variants: int, seed: int) -> list[Any]:
    from ..export import ExportError, families

    out = []
    try:
        for s in sheets:
            out += families(s, variants=variants, seed=seed)
    except (ExportError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    return out


def _run(writer: Any, fams: list[Any], **options: Any) -> bytes:
    from ..export import ExportError

    try:
        return writer(fams, **options)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None


def _summary(fams: list[Any], path: Path) -> str:
    n = sum(len(f.problems) for f in fams)
    return f"wrote {path}: {len(fams)} families, {n} questions"


_OPTIONS = [
    click.argument("definitions", nargs=-1, metavar="[SHEET.toml]..."),
    click.option(
        "--lecture",
        "lectures",
        multiple=True,
        type=click.IntRange(1, 20),
        help="The problems of lecture N's sheet (repeat for several).",
    ),  # fmt: skip
    click.option(
        "--topic",
        "topics",
        multiple=True,
        metavar="T",
        help="A family of this topic (repeat); see `tutor topics`.",
    ),  # fmt: skip
    click.option(
        "--variants",
        "-n",
        type=click.IntRange(1, 200),
        default=10,
        show_default=True,
        help="Distinct verified variants per problem family.",
    ),  # fmt: skip
    click.option("--difficulty", type=click.IntRange(1, 3), help="Level 1 to 3 for every family."),
    click.option(
        "--lab", is_flag=True, help="The lecture's lab sheet instead of its practice sheet."
    ),
    click.option(
        "--seed",
        type=int,
        default=0,
        show_default=True,
        help="Seed of the draw; the same seed gives the same file.",
    ),  # fmt: skip
    click.option(
        "--no-figures",
        "figures",
        flag_value=False,
        default=True,
        help="Leave the pictures out of the feedback.",
    ),  # fmt: skip
]


def _with_options(func: Any) -> Any:
    for opt in reversed(_OPTIONS):
        func = opt(func)
    return func


@click.group("export")
def export() -> None:
    """Question banks for learning systems (Moodle, Canvas and other QTI importers)."""


@export.command("moodle")
@_with_options
@click.option("--stack", is_flag=True,
              help="STACK questions (Maxima answers, mal-rule feedback) where the answer allows.")  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The .xml file (default: lecture05.xml, ...).")  # fmt: skip
def moodle(definitions: tuple[str, ...], lectures: tuple[int, ...], topics: tuple[str, ...],
           variants: int, difficulty: int | None, lab: bool, seed: int, figures: bool,
           stack: bool, output: Path | None) -> None:  # fmt: skip
    """Moodle XML: one category per problem family, holding verified, distinct variants.

    \b
    tutor export moodle --lecture 5 --variants 20 -o lecture05.xml
    tutor export moodle --lecture 5 --lecture 7 --stack -o stack.xml
    tutor export moodle --topic chain-rule --difficulty 2 -o chain.xml
    tutor export moodle problems/05-computing-derivatives.toml -o mine.xml

    Import in Moodle: Question bank → Import → Moodle XML format; a quiz then adds
    "a random question" from a family's category.
    """
    from ..export.moodle import to_moodle

    sheets = _sheets(definitions, lectures, topics, difficulty, lab)
    path = _output("moodle", output, sheets)
    fams = _families(sheets, variants, seed)
    _write(path, _run(to_moodle, fams, stack=stack, figures=figures))
    click.echo(_summary(fams, path))


@export.command("qti")
@_with_options
@click.option("--title", default=None, help="The quiz title (default: the sheet's title).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The .zip file (default: lecture05.zip, ...).")  # fmt: skip
def qti(definitions: tuple[str, ...], lectures: tuple[int, ...], topics: tuple[str, ...],
        variants: int, difficulty: int | None, lab: bool, seed: int, figures: bool,
        title: str | None, output: Path | None) -> None:  # fmt: skip
    """A QTI 1.2 package (Canvas, Blackboard): one "pick 1 of N" group per problem family.

    \b
    tutor export qti --lecture 5 --variants 10 -o lecture05.zip

    Import in Canvas: Settings → Import Course Content → QTI .zip file.
    """
    from ..export.qti import to_qti

    sheets = _sheets(definitions, lectures, topics, difficulty, lab)
    path = _output("qti", output, sheets)
    fams = _families(sheets, variants, seed)
    name = title or " · ".join(s.title for s in sheets)
    _write(path, _run(to_qti, fams, title=name, figures=figures))
    click.echo(_summary(fams, path))
