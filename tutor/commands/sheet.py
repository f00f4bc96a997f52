"""``tutor sheet`` and ``tutor exam``: printable documents from the curriculum in problems/."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path
from typing import Any

import click

from ._common import check_writable, detail_option, unknown_topic
from ._common import document_detail as _detail

FORMATS = ("pdf", "html", "tex", "md", "typ")
EXTENSIONS = {
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".tex": "tex",
    ".md": "md",
    ".typ": "typ",
}


def _format(fmt: str | None, output: Path | None) -> str:
    if output is not None:
        _check_output(output, fmt)
    if fmt:
        return fmt
    if output is not None and output.suffix.lower() in EXTENSIONS:
        return EXTENSIONS[output.suffix.lower()]
    return "pdf"


def _check_output(output: Path, fmt: str | None) -> None:
    """Refuse an -o whose extension is no known format (or not --format's)."""
    ext = output.suffix.lower()
    known = ", ".join(sorted(EXTENSIONS))
    if ext not in EXTENSIONS:
        raise click.BadParameter(
            f"{str(output)!r} has {'extension ' + repr(ext) if ext else 'no extension'}; "
            f"use one of {known}",
            param_hint="-o/--output",
        )
    if fmt and EXTENSIONS[ext] != fmt:
        raise click.BadParameter(
            f"{str(output)!r} does not match --format {fmt} (a {EXTENSIONS[ext]} extension)",
            param_hint="-o/--output",
        )


def _load(definition: str | None, lecture: int | None, lab: bool, exam: bool) -> Any:
    from ..generate.sheets import load_sheet

    kind = "exam" if exam else ("lab" if lab else None)
    if definition is not None:
        return load_sheet(definition, kind)
    if lecture is not None:
        return load_sheet(f"{lecture:02d}", kind)
    return load_sheet("exam" if exam else "05", kind)


def _adhoc(topics: tuple[str, ...], count: int, difficulty: int) -> Any:
    from ..generate import topic_info
    from ..generate import topics as all_topics
    from ..generate.sheets import Sheet, SheetItem

    known = all_topics()
    for t in topics:
        if t not in known:
            raise unknown_topic(t)
    titles = {i["id"]: i.get("title") or i["id"] for i in topic_info()}
    name = ", ".join(titles.get(t, t) for t in topics)
    items = tuple(SheetItem(topic=t, count=count, difficulty=difficulty) for t in topics)
    return Sheet(
        title=f"Practice: {name}", lecture=None, kind="practice", instructions="", items=items
    )


def _override(sheet: Any, count: int | None, difficulty: int | None) -> Any:
    """The sheet with every item's count and/or difficulty replaced."""
    from dataclasses import replace

    if count is None and difficulty is None:
        return sheet
    items = tuple(
        replace(
            it,
            count=count if count is not None else it.count,
            difficulty=difficulty or it.difficulty,
        )
        for it in sheet.items
    )
    return replace(sheet, items=items)


def _build(sheet: Any, seed: int, quiet: bool) -> list[Any]:
    """The sheet's problems, with a progress bar on a terminal for long sheets."""
    from ..generate.sheets import build_sheet

    total = sum(it.count for it in sheet.items)
    if quiet or total < 8 or not sys.stderr.isatty():
        return build_sheet(sheet, seed=seed)
    with click.progressbar(length=total, label="Generating problems", file=sys.stderr) as bar:
        problems = build_sheet(sheet, seed=seed, progress=lambda: bar.update(1))
    return problems


def _document(
    sheet: Any, problems: list[Any], show: str, seed: int, figures: bool, version: str = ""
) -> Any:
    from ..render.document import Document

    subtitle = f"Lecture {sheet.lecture:02d}" if sheet.lecture else ""
    kind = sheet.kind if sheet.kind in ("practice", "lab", "exam") else "practice"
    marks = tuple(sheet.marks()) if kind == "exam" and any(sheet.marks()) else ()
    duration = ""
    if sheet.duration:
        h, m = divmod(sheet.duration, 60)
        duration = (f"{h} hour{'s' if h != 1 else ''}" if h else "") + (
            f" {m} minutes" if m else ""
        )
    return Document(
        title=sheet.title,
        problems=tuple(problems),
        kind=kind,
        show=show,
        subtitle=subtitle,
        instructions=sheet.instructions,
        marks=marks,
        duration=duration.strip(),
        seed=seed,
        figures=figures,
        checklist=tuple(getattr(sheet, "checklist", ())),
        detail=_detail(standard=True),
        version=version,
        questions=tuple(sheet.questions()),
    )


def _write(doc: Any, fmt: str, output: Path) -> list[Path]:
    from ..render.document import render

    rendered = render(doc, fmt, stem=output.stem)
    try:
        output.write_bytes(rendered.data)
    except OSError as exc:
        raise click.FileError(str(output), hint=exc.strerror or str(exc)) from None
    written = [output]
    for name, data in rendered.files.items():
        target = output.parent / name
        target.write_bytes(data)
        written.append(target)
    return written


def _default_output(sheet: Any, show: str, fmt: str, exam: bool) -> Path:
    if exam:
        stem = "exam"
    elif sheet.lecture:
        stem = f"lecture{sheet.lecture:02d}-{sheet.kind}"
    else:
        stem = "practice"
    suffix = {"problems": "", "key": "-key", "solutions": "-solutions"}[show]
    return Path(f"{stem}{suffix}.{fmt}")


def _run(
    definition: str | None,
    lecture: int | None,
    topics: tuple[str, ...],
    count: int | None,
    seed: int | None,
    difficulty: int | None,
    show: str,
    fmt: str | None,
    output: Path | None,
    lab: bool,
    exam: bool,
    figures: bool,
    quiet: bool,
    versions: int = 1,
) -> list[Path]:
    from ..generate.sheets import SheetError

    if sum(x is not None and x != () for x in (definition, lecture, topics or None)) > 1:
        raise click.UsageError("give one of DEFINITION, --lecture or --topic")
    try:
        if topics:
            sheet = _adhoc(topics, count or 3, difficulty or 1)
        else:
            sheet = _override(_load(definition, lecture, lab, exam), count, difficulty)
    except SheetError as exc:
        raise click.UsageError(str(exc)) from None
    # the output is checked before anything is generated or printed
    fmt = _format(fmt, output)
    if fmt not in FORMATS:
        raise click.BadParameter(
            f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}", param_hint="--format"
        )
    out = output or _default_output(sheet, show, fmt, exam)
    check_writable(out)
    if seed is None:
        seed = secrets.randbelow(10**6)
        if not quiet:
            click.echo(f"seed {seed} (use --seed {seed} to make this document again)", err=True)
    if exam and versions > 1:
        return _versions(sheet, seed, versions, show, fmt, out, figures, quiet)
    try:
        problems = _build(sheet, seed, quiet)
    except SheetError as exc:
        raise click.UsageError(str(exc)) from None
    written = _write(_document(sheet, problems, show, seed, figures), fmt, out)
    if exam and show == "problems":
        booklet = out.with_name(f"{out.stem}-solutions{out.suffix}")
        written += _write(_document(sheet, problems, "solutions", seed, figures), fmt, booklet)
    return written


VERSION_LABELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _versions(
    sheet: Any, seed: int, k: int, show: str, fmt: str, out: Path, figures: bool, quiet: bool
) -> list[Path]:
    """K versions of one paper: version i (A, B, ...) uses seed + i, the same items and marks.

    Files: STEM-A.EXT and STEM-A-solutions.EXT for each version (with --key/--solutions
    only that document).
    """
    from ..generate.sheets import SheetError

    written: list[Path] = []
    for i in range(k):
        label, s = VERSION_LABELS[i], seed + i
        try:
            problems = _build(sheet, s, quiet)
        except SheetError as exc:
            raise click.UsageError(str(exc)) from None
        paper = out.with_name(f"{out.stem}-{label}{out.suffix}")
        written += _write(_document(sheet, problems, show, s, figures, label), fmt, paper)
        if show == "problems":
            booklet = paper.with_name(f"{paper.stem}-solutions{paper.suffix}")
            doc = _document(sheet, problems, "solutions", s, figures, label)
            written += _write(doc, fmt, booklet)
    return written


_OPTIONS = [
    click.option(
        "--seed",
        type=int,
        help="Seed (default: a fresh one, printed); the same seed gives the same document.",
    ),
    click.option("--solutions", "show", flag_value="solutions", help="With full worked solutions."),
    click.option("--key", "show", flag_value="key", help="With the answers only (an answer key)."),
    click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        help="Output format (default: from -o, else pdf).",
    ),
    click.option(
        "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Output file."
    ),
    click.option(
        "--no-figures", "figures", flag_value=False, default=True, help="Leave out the pictures."
    ),
    click.option("-q", "--quiet", is_flag=True, help="No progress bar or seed message."),
    detail_option,
]


def _with_options(func: Any) -> Any:
    for opt in reversed(_OPTIONS):
        func = opt(func)
    return func


@click.command()
@click.argument("definition", required=False, metavar="[DEFINITION.toml]")
@click.option(
    "--lecture", type=click.IntRange(1, 20), help="The sheet of lecture N from problems/."
)
@click.option(
    "--topic",
    "topics",
    multiple=True,
    metavar="T",
    help="A sheet of these topics (repeat); see `tutor topics`.",
)
@click.option(
    "--count",
    type=click.IntRange(1, 100),
    help="Problems per item (per topic with --topic; default 3).",
)
@click.option("--difficulty", type=click.IntRange(1, 3), help="Level 1 to 3 for every item.")
@click.option("--lab", is_flag=True, help="The lecture's lab sheet instead of its practice sheet.")
@_with_options
def sheet(
    definition: str | None,
    lecture: int | None,
    topics: tuple[str, ...],
    count: int | None,
    difficulty: int | None,
    lab: bool,
    seed: int | None,
    show: str | None,
    fmt: str | None,
    output: Path | None,
    figures: bool,
    quiet: bool,
) -> None:
    """Make a practice or lab sheet (PDF, HTML, LaTeX, Markdown) from the curriculum.

    \b
    tutor sheet --solutions -o sheet.pdf          lecture 05's practice sheet, worked
    tutor sheet --lecture 8 --key -o l08.html     lecture 08 with an answer key
    tutor sheet --topic chain-rule --count 10 -o drill.md
    tutor sheet my-sheet.toml -o mine.pdf         your own definition (see docs/problems.md)

    Students' sheets never contain answers; --key or --solutions make the teacher's copy.
    """
    written = _run(definition, lecture, topics, count, seed, difficulty, show or "problems", fmt, output,
                   lab, False, figures, quiet)  # fmt: skip
    for path in written:
        click.echo(f"wrote {path}")


@click.command()
@click.argument("definition", required=False, metavar="[DEFINITION.toml]")
@click.option(
    "--versions",
    type=click.IntRange(1, len(VERSION_LABELS)),
    default=1,
    show_default=True,
    help="Write K versions (A, B, ...: seeds SEED, SEED+1, ...) of the paper, same layout.",
)
@_with_options
def exam(
    definition: str | None,
    versions: int,
    seed: int | None,
    show: str | None,
    fmt: str | None,
    output: Path | None,
    figures: bool,
    quiet: bool,
) -> None:
    """Make the written exam paper (marks, instructions, total) and its solutions booklet.

    \b
    tutor exam --seed 2026 -o exam.pdf     writes exam.pdf and exam-solutions.pdf
    tutor exam --key -o key.html           just the answer key
    tutor exam --versions 3 --seed 7 -o exam.pdf
        writes exam-A.pdf, exam-A-solutions.pdf, ... exam-C-solutions.pdf
        (version A has seed 7, B seed 8, C seed 9)

    The PDF paper can be marked from scans: a candidate box and a marks grid on the
    cover, the version and seed on every page, each question on its own page with an
    answer box per part sized by the part's marks, so every version has the same pages.
    """
    written = _run(definition, None, (), None, seed, None, show or "problems", fmt, output, False, True,
                   figures, quiet, versions)  # fmt: skip
    for path in written:
        click.echo(f"wrote {path}")
