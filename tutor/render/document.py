"""Printable documents: practice sheets, answer keys, worked solutions, lab sheets and exams.

One ``Document`` (what to print) renders to Typst (compiled to PDF by the ``typst``
package: no TeX, no browser), self-contained HTML (MathML, inline SVG), LaTeX (compiles
with pdflatex; figures as PDF files beside it) and Markdown (``$...$`` maths).  The
structure is decided once in ``_blocks``; each format only says how a block looks.
Output is deterministic: no dates, fixed metadata, figures rendered from the seed.
"""

from __future__ import annotations

import base64
import html as _html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..core import Problem, Solution, Table
from .base import (
    Arrow,
    Code,
    board,
    display,
    explanation,
    fill,
    rule_title,
    shown_answer,
    statement,
    subscripts,
)
from .mathtext import float_parts

__all__ = ["Document", "Rendered", "render", "FORMATS"]

FORMATS = ("pdf", "html", "tex", "md", "typ")
SHOW = ("problems", "key", "solutions")


@dataclass(frozen=True)
class Document:
    """What to print.

    ``show`` decides what the reader sees: ``"problems"`` (a student's sheet, with space
    to work), ``"key"`` (problems with their answers) or ``"solutions"`` (problems with
    full worked solutions).  ``kind`` is ``"practice"``, ``"lab"`` or ``"exam"``; an exam
    gets a cover with name fields, the duration, the total and marks per question.
    """

    title: str
    problems: tuple[Problem, ...]
    kind: str = "practice"
    show: str = "problems"
    subtitle: str = ""
    instructions: str = ""
    marks: tuple[int, ...] = ()
    duration: str = ""
    seed: int | None = None
    figures: bool = True
    course: str = "Calculus for Machine Learning"
    checklist: tuple[str, ...] = ()
    detail: str = "standard"  # how much of each worked solution: brief, standard, full
    version: str = ""  # an exam's version label ("A", "B", ...), printed on every page
    # the question number of each problem; problems sharing one are its parts (a), (b), ...
    questions: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "problems", tuple(self.problems))
        object.__setattr__(self, "checklist", tuple(self.checklist))
        object.__setattr__(self, "marks", tuple(self.marks))
        if self.show not in SHOW:
            raise ValueError(f"show must be one of {', '.join(SHOW)}, not {self.show!r}")
        object.__setattr__(self, "questions", tuple(self.questions))
        if self.marks and len(self.marks) != len(self.problems):
            raise ValueError("marks must give one number per problem")
        if self.questions and (
            len(self.questions) != len(self.problems)
            or list(self.questions) != sorted(self.questions)
            or set(self.questions) != set(range(1, max(self.questions) + 1))
        ):
            raise ValueError("questions must number each problem 1, 2, ... in order")

    @property
    def heading(self) -> str:
        suffix = {"problems": "", "key": " — answer key", "solutions": " — worked solutions"}
        return self.title + suffix[self.show]


@dataclass(frozen=True)
class Rendered:
    """A rendered document: the main file's bytes and the files that go beside it."""

    data: bytes
    files: dict[str, bytes] = field(default_factory=dict)


# -- the structure, once --------------------------------------------------------------------


@dataclass(frozen=True)
class _Block:
    kind: str  # "problem" | "figure" | "space" | "answer" | "solution"
    number: int
    payload: Any = None


def _blocks(doc: Document) -> Iterator[_Block]:
    # Most pictures show the answer (f' drawn, the minimum marked), so a student's sheet
    # shows one only when its spec says it belongs to the question ("question": True).
    for i, p in enumerate(doc.problems, 1):
        yield _Block("problem", i, p)
        figure = p.figure if doc.figures else None
        if doc.show == "problems":
            if figure and figure.get("question"):
                yield _Block("figure", i, figure)
            yield _Block("space", i, p)
        elif doc.show == "key":
            yield _Block("answer", i, p)
        else:
            if figure:
                yield _Block("figure", i, figure)
            yield _Block("solution", i, p.solution)


def _figure_bytes(spec: Any, fmt: str) -> bytes:
    from ..plot import render as render_figure

    return render_figure({k: v for k, v in spec.items() if k != "question"}, fmt=fmt)


def _figure_described(spec: Any, fmt: str) -> tuple[bytes, str]:
    """The figure's file and its alternative text (read from the same drawing)."""
    from ..plot import render_described

    return render_described({k: v for k, v in spec.items() if k != "question"}, fmt=fmt)


def _space_lines(p: Problem) -> int:
    """How much room a student needs, from the length of the worked solution."""
    n = len(p.solution.walk())
    return max(3, min(10, 2 + n))


def _question_numbers(doc: Document) -> tuple[int, ...]:
    return doc.questions or tuple(range(1, len(doc.problems) + 1))


def _parts(doc: Document) -> list[list[int]]:
    """The problems (1-based) of each question, in order: one, or its parts."""
    out: list[list[int]] = []
    for i, q in enumerate(_question_numbers(doc), 1):
        if len(out) < q:
            out.append([])
        out[q - 1].append(i)
    return out


def _part_letter(doc: Document, i: int) -> str:
    """``"a"``, ``"b"``, ... for a part of a question, ``""`` for a question of its own."""
    qs = _question_numbers(doc)
    q = qs[i - 1]
    if qs.count(q) == 1:
        return ""
    return "abcdefghij"[qs[: i - 1].count(q)]


def _problem_name(doc: Document, i: int) -> str:
    """How problem i is named: ``"4"``, or ``"4(a)"`` for the first part of question 4."""
    letter = _part_letter(doc, i)
    q = _question_numbers(doc)[i - 1]
    return f"{q}({letter})" if letter else str(q)


def _marks_text(m: int) -> str:
    return f"[{m} mark{'s' if m != 1 else ''}]"


def _marks_label(doc: Document, i: int) -> str:
    if not doc.marks:
        return ""
    return _marks_text(doc.marks[i - 1])


# -- Typst (and PDF) ------------------------------------------------------------------------

_TYPST_SPECIAL = set("\\#$*_`<>@[]~=-+/'\"")


def typst_text(text: str) -> str:
    """Plain text made literal in Typst markup."""
    return "".join("\\" + ch if ch in _TYPST_SPECIAL else ch for ch in text)


def typst_words(text: str) -> str:
    """Words of a prompt, step or table, escaped, with ``x_0`` set as x₀ (see ``subscripts``)."""
    # ";" ends the embedded call, so a following "." or "(" stays text
    return subscripts(
        text, typst_text, lambda base, index: f"{base}#sub[{index}];", lambda p: f"#super[{p}];"
    )


def typst_math(obj: Any) -> str:
    """The inside of ``$...$`` for any value a step or problem holds."""
    from .typst import typst

    if isinstance(obj, Arrow):
        sign = " = " if obj.sign == "=" else " --> "
        return sign.join(typst_math(p) for p in obj.parts)
    if isinstance(obj, str):
        return '"' + obj.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(obj, float):
        mant, exp = float_parts(obj)
        return mant if exp is None else f"{mant} times 10^({exp})"
    if type(obj).__name__ == "_DoesNotExist":
        return '"does not exist"'
    # "\\," is a literal comma: a bare one would split the arguments of display(...)
    if isinstance(obj, dict):
        return "\\, quad ".join(
            f"{typst_math(str(k).replace('_', ' '))}: {typst_math(v)}" for k, v in obj.items()
        )
    if isinstance(obj, list):
        return "\\, ".join(typst_math(v) for v in obj)
    if isinstance(obj, tuple):
        return "(" + "\\, ".join(typst_math(v) for v in obj) + ")"
    return typst(obj)


def spoken(obj: Any) -> str:
    """Any value a step or problem holds, in words: the alternative text of its equation."""
    from .speech import speech

    if isinstance(obj, Arrow):
        sign = " equals " if obj.sign == "=" else " becomes "
        return sign.join(spoken(p) for p in obj.parts)
    if isinstance(obj, dict):
        return "; ".join(f"{str(k).replace('_', ' ')}: {spoken(v)}" for k, v in obj.items())
    if isinstance(obj, list):
        return ", ".join(spoken(v) for v in obj)
    if isinstance(obj, tuple):
        return "the tuple " + ", ".join(spoken(v) for v in obj)
    return speech(obj)


def typst_equation(obj: Any, inner: str, block: bool = False) -> str:
    """A Typst ``math.equation`` (code mode) with its spoken form as ``alt`` (PDF/UA)."""
    flag = "true" if block else "false"
    words = spoken(obj).strip() or "blank"  # PDF/UA refuses an empty alternative text
    return f'math.equation(block: {flag}, alt: "{_typst_str(words)}", ${inner}$)'


def _ti(obj: Any) -> str:
    return f"#{typst_equation(obj, typst_math(obj))};"


def _tm(obj: Any) -> str:
    """Inline maths in display style, so that fractions in a sentence stay legible."""
    return f"#{typst_equation(obj, f'display({typst_math(obj)})')};"


def _typst_table(t: Table) -> str:
    cells = [f"[*{typst_words(h)}*]" for h in t.headers]
    for row in t.rows:
        cells += [f"[{_ti(c)}]" for c in row]
    grid = (
        f"table(columns: {len(t.headers)}, align: left, stroke: 0.5pt + luma(160), "
        f"inset: (x: 6pt, y: 5pt), {', '.join(cells)})"
    )
    # the caption goes in the same centred block: on a line of its own it would run on
    # into the step's words as one paragraph
    if t.caption:
        cap = f"text(size: 0.9em)[{typst_words(t.caption)}]"
        grid = f"stack(spacing: 4pt, {cap}, {grid})"
    # a short table is read as a whole: it never splits with its header on another page
    breakable = "true" if len(t.rows) > 15 else "false"
    return f"#block(breakable: {breakable}, width: 100%, align(center, {grid}))"


def _typst_steps(sol: Solution, steps: tuple, depth: int) -> list[str]:
    pad = "  " * depth
    out: list[str] = []
    for step in steps:
        words = explanation(step, _tm, typst_words)
        out.append(f"{pad}+ *{typst_text(rule_title(step.rule))}.* {words}")
        for item in display(step, sol.task):
            if isinstance(item, Code):
                fence = ["```python", *item.rstrip().splitlines(), "```"]
                out.extend(pad + "  " + line for line in fence)
            elif isinstance(item, Table):
                # every line indented, or the list ends and its numbering restarts
                out.extend(pad + "  " + line for line in _typst_table(item).splitlines())
            else:
                m = typst_math(item)
                shown = typst_equation(item, f" {m} ", block=True)
                out.append(f"{pad}  #fit({shown}, {typst_equation(item, f'display({m})')})")
        if step.substeps:
            out.extend(_typst_steps(sol, step.substeps, depth + 1))
    return out


def typst_solution(sol: Solution, detail: str = "full", with_task: bool = True) -> str:
    """A worked solution as Typst markup (numbered steps, nested sub-steps); without the
    task's statement when ``with_task`` is False (the problem is printed just above)."""
    lines = []
    head = statement(sol.task, _tm, typst_words) if with_task else ""
    if head:
        lines += [head, ""]
    lines += _typst_steps(sol, board(sol, detail), 0)
    lines += ["", f"*Answer:* {_tm(shown_answer(sol))}"]
    return "\n".join(lines)


def _typst_problem(doc: Document, i: int, p: Problem, *, sticky: bool = False,
                   title: str = "", level: int = 2) -> list[str]:  # fmt: skip
    """The opening of problem i's unbreakable block: a real heading (its name and marks)
    and the prompt.  Sheets, keys, booklets and the exam paper all start a problem here;
    the caller closes the block with ``]``."""
    label = _marks_label(doc, i)
    marks_t = f" #h(1fr) #text(fill: luma(80))[{typst_text(label)}]" if label else ""
    title = title or f"Problem {_problem_name(doc, i)}."
    return [
        f"#block(above: 1.4em, breakable: false, sticky: {str(sticky).lower()}, width: 100%)[",
        f"#heading(level: {level}, outlined: false)[{typst_text(title)}{marks_t}]",
        fill(p.prompt, p.given, _tm, typst_words),
    ]


# A display line wider than the text: shrunk a little to fit, or when that would make it
# too small to read, set as a paragraph that wraps at its operators.
_TYPST_FIT = """#let fit(shown, wrapping) = layout(size => {
  let w = measure(shown).width
  if w <= size.width { shown }
  else if w * 0.72 <= size.width { scale(size.width / w * 100%, reflow: true, shown) }
  else { block(width: 100%, inset: (left: 1em, y: 0.3em), wrapping) }
})"""


def to_typst(doc: Document, stem: str = "sheet") -> Rendered:
    """The document as Typst source, with its figures as SVG files beside it, named after
    the document (``exam-A-figure-3.svg``) so that papers written side by side keep theirs."""
    stem = re.sub(r"[^A-Za-z0-9._-]", "-", stem)  # a file name Typst reads inside quotes
    if doc.kind == "exam" and doc.show == "problems":
        return _typst_exam_paper(doc, stem)
    files: dict[str, bytes] = {}
    out = [
        f'#set document(title: "{_typst_str(doc.heading)}", author: "calculus-tutor", date: none)',
        '#set page(paper: "a4", margin: (x: 2cm, y: 2cm), numbering: "1 / 1")',
        '#set text(size: 11pt, lang: "en")',
        "#set par(justify: false)",
        # sub-steps read 1. / a. / i., so "step 2b" can be named in class
        '#set enum(numbering: "1.a.i.")',
        _TYPST_FIT,
        "#show heading: set block(above: 1.2em, below: 0.8em)",
        f"#align(center)[#text(size: 9pt, fill: luma(90))[{typst_text(doc.course)}]]",
        # real headings (PDF/UA): the title level 1, each problem level 2, styled as before
        "#show heading.where(level: 1): set text(size: 16pt)",
        "#show heading.where(level: 2): set text(size: 11pt)",
        "#show heading.where(level: 2): set block(above: 0pt, below: 0.65em)",
        f"#align(center)[#heading(level: 1, outlined: false)[{typst_text(doc.heading)}]]",
    ]
    if doc.kind == "exam":
        out.insert(2, _typst_exam_header(doc))
    if doc.subtitle:
        out.append(f"#align(center)[#text(size: 11pt)[{typst_text(doc.subtitle)}]]")
    if doc.kind == "exam" and doc.show == "problems":
        total = sum(doc.marks)
        out += [
            "#v(0.6em)",
            "#grid(columns: (1fr, 1fr), gutter: 1em, [Name: #box(width: 1fr, line(length: 100%))], "
            "[Student ID: #box(width: 1fr, line(length: 100%))])",
        ]
        facts = []
        if doc.duration:
            facts.append(f"Time allowed: {doc.duration}")
        if total:
            facts.append(f"Total: {total} marks")
        if facts:
            out.append(f"#align(center)[{typst_text(' · '.join(facts))}]")
    if doc.instructions:
        out.append(
            f"#block(inset: 8pt, stroke: 0.5pt + luma(150), radius: 3pt, width: 100%)[{typst_text(doc.instructions)}]"
        )
    if doc.seed is not None:
        out.append(f"#align(right)[#text(size: 8pt, fill: luma(110))[seed {doc.seed}]]")
    out.append("#line(length: 100%, stroke: 0.5pt + luma(150))")
    for item in doc.checklist:
        out.append(f"#grid(columns: (1.4em, 1fr), [☐], [{typst_text(item)}])\n#v(2.2em)")
    # A problem's heading, prompt, picture and working space (or answer) form one block
    # that never breaks, so no heading sits alone at the foot of a page; before a worked
    # solution the block is sticky, so it goes over with the solution's first lines.
    open_block = False
    for b in _blocks(doc):
        p = b.payload
        if b.kind == "solution" and open_block:
            out.append("]")
            open_block = False
        if b.kind == "problem":
            out += ["", *_typst_problem(doc, b.number, p, sticky=doc.show == "solutions")]
            open_block = True
        elif b.kind == "figure":
            name = f"{stem}-figure-{b.number}.svg"
            files[name], figure_alt = _figure_described(p, "svg")
            # beside a worked solution the picture illustrates: smaller than on a sheet
            width = "45%" if doc.show == "solutions" else "62%"
            alt = _typst_str(figure_alt)
            out.append(f'#align(center, image("{name}", width: {width}, alt: "{alt}"))')
        elif b.kind == "space":
            out += [f"#v({_space_lines(p) * 1.4:.1f}em)", "]"]
            open_block = False
        elif b.kind == "answer":
            out += ["", f"*Answer:* {_tm(p.answer)}", "]"]
            open_block = False
        else:
            out += [
                "",
                "#block(inset: (left: 1em))[",
                typst_solution(p, doc.detail, with_task=False),
                "]",
            ]
    if open_block:
        out.append("]")
    return Rendered(("\n".join(out) + "\n").encode(), files)


# -- Typst: the exam paper that can be marked ------------------------------------------------

_EXAM_CM_PER_MARK = 1.5  # answer-box height per mark: room follows the marks, not the solution
_EXAM_BOX_MAX_CM = 16.0


def _exam_label(doc: Document) -> str:
    """Version and seed, printed in the header of every page."""
    parts = [
        f"Version {doc.version}" if doc.version else "",
        f"seed {doc.seed}" if doc.seed is not None else "",
    ]
    return " · ".join(x for x in parts if x)


def _typst_exam_header(doc: Document) -> str:
    label = typst_text(_exam_label(doc))
    return (
        "#set page(header: context [#text(size: 8pt, fill: luma(90))["
        f"{typst_text(doc.title)} #h(1fr) {label} #h(1em) "
        'page #counter(page).display("1 / 1", both: true)]])'
    )


def _exam_box_cm(marks: int) -> float:
    return min(_EXAM_BOX_MAX_CM, max(3.0, _EXAM_CM_PER_MARK * marks))


_EXAM_PAGE_CM = 24.5  # room for parts on one page (A4 less margins: 25.7 cm, some to spare)
_EXAM_PART_CM = 4.0  # a part's heading, prompt and spacing, above its box
_EXAM_FIGURE_CM = 5.5


def _exam_pages(doc: Document, members: list[int]) -> list[list[int]]:
    """The parts of one question grouped into pages, decided by marks (and whether a part
    shows a picture) alone, never by the text: every version gets the same pages."""
    pages: list[list[int]] = []
    used = _EXAM_PAGE_CM
    for i in members:
        p = doc.problems[i - 1]
        pictured = bool(doc.figures and p.figure and p.figure.get("question"))
        m = doc.marks[i - 1] if doc.marks else 0
        need = _exam_box_cm(m) + _EXAM_PART_CM + (_EXAM_FIGURE_CM if pictured else 0.0)
        if used + need > _EXAM_PAGE_CM:
            pages.append([])
            used = 1.0  # the question's heading
        pages[-1].append(i)
        used += need
    return pages


def _typst_exam_paper(doc: Document, stem: str = "exam") -> Rendered:
    """The exam paper: cover (candidate box, marks grid), then each question on its page.

    Every question starts on a new page; each part of it has its own answer box whose
    height depends only on the part's marks, and the parts are spread over pages by their
    marks (``_exam_pages``), so every version of a paper has the same pages in the same
    places and scanned scripts can be marked question by question.
    """
    files: dict[str, bytes] = {}
    marks = doc.marks or tuple(0 for _ in doc.problems)
    total = sum(marks)
    out = [
        f'#set document(title: "{_typst_str(doc.heading)}", author: "calculus-tutor", date: none)',
        '#set page(paper: "a4", margin: (x: 2cm, y: 2cm), footer: context align(center, '
        "text(size: 8pt, fill: luma(90))[" + typst_text(_exam_label(doc)) + "]))",
        _typst_exam_header(doc),
        '#set text(size: 11pt, lang: "en")',
        "#set par(justify: false)",
        _TYPST_FIT,
        f"#align(center)[#text(size: 9pt, fill: luma(90))[{typst_text(doc.course)}]]",
        # real headings (PDF/UA): the title, each question, each part
        "#show heading.where(level: 1): set text(size: 16pt)",
        "#show heading: set block(above: 1.2em, below: 0.8em)",
        "#show heading.where(level: 2): set text(size: 11pt)",
        "#show heading.where(level: 3): set text(size: 11pt)",
        "#show heading.where(level: 2): set block(above: 0pt, below: 0.65em)",
        f"#align(center)[#heading(level: 1, outlined: false)[{typst_text(doc.heading)}]]",
    ]
    if doc.version:
        out.append(
            f'#align(center)[#text(size: 13pt, weight: "bold")[Version {typst_text(doc.version)}]]'
        )
    out += [
        "#v(0.8em)",
        "#block(stroke: 1pt, inset: 10pt, radius: 2pt, width: 100%)["
        "*Candidate* \\ #v(0.4em)"
        "#grid(columns: (auto, 1fr), row-gutter: 1.2em, column-gutter: 0.6em, "
        "[Name:], [#box(width: 100%, line(length: 100%))], "
        "[Student ID:], [#box(width: 100%, line(length: 100%))])]",
    ]
    facts = []
    if doc.duration:
        facts.append(f"Time allowed: {doc.duration}")
    if total:
        facts.append(f"Total: {total} marks")
    if facts:
        out.append(f"#align(center)[{typst_text(' · '.join(facts))}]")
    if doc.instructions:
        out.append(
            f"#block(inset: 8pt, stroke: 0.5pt + luma(150), radius: 3pt, width: 100%)[{typst_text(doc.instructions)}]"
        )
    cells = ", ".join(f"[{_problem_name(doc, i)}], [{m}], []" for i, m in enumerate(marks, 1))
    out += [
        "#v(0.6em)",
        "#align(center)[*Marks (for the examiner)*]",
        "#align(center, table(columns: (5em, 8em, 8em), align: center, inset: 3.2pt, "
        "[*Question*], [*Available*], [*Awarded*], "
        f"{cells}, [*Total*], [*{total}*], []))",
    ]
    for q, members in enumerate(_parts(doc), 1):
        for page in _exam_pages(doc, members):
            out.append("#pagebreak()")
            if len(members) > 1:  # the question's heading, then its parts on this page
                first = page[0] == members[0]
                m = sum(marks[i - 1] for i in members)
                title = f"Problem {q}." if first else f"Problem {q} (continued)."
                out.append(
                    f"#heading(level: 2, outlined: false)[{typst_text(title)}"
                    f" #h(1fr) #text(fill: luma(80))[{typst_text(_marks_text(m))}]]"
                    if first and doc.marks
                    else f"#heading(level: 2, outlined: false)[{typst_text(title)}]"
                )
            for i in page:
                p = doc.problems[i - 1]
                letter = _part_letter(doc, i)
                if letter:
                    out += _typst_problem(doc, i, p, title=f"({letter})", level=3)
                else:
                    out += _typst_problem(doc, i, p)
                figure = p.figure if doc.figures else None
                if figure and figure.get("question"):
                    name = f"{stem}-figure-{i}.svg"
                    files[name], figure_alt = _figure_described(figure, "svg")
                    alt = _typst_str(figure_alt)
                    out.append(f'#align(center, image("{name}", height: 5cm, alt: "{alt}"))')
                out.append(
                    f"#v(0.8em)\n#block(breakable: false, stroke: 0.6pt + luma(120), inset: 6pt, "
                    f"width: 100%, height: {_exam_box_cm(marks[i - 1]):.1f}cm)"
                    f"[#text(size: 8pt, fill: luma(110))[Working for problem "
                    f"{typst_text(_problem_name(doc, i))}]]\n]"
                )
    return Rendered(("\n".join(out) + "\n").encode(), files)


def _typst_str(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"')


def to_pdf(doc: Document) -> Rendered:
    """The document as PDF, compiled by the typst package with its bundled fonts."""
    import tempfile
    from pathlib import Path

    import typst

    src = to_typst(doc)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "main.typ").write_bytes(src.data)
        for name, data in src.files.items():
            (root / name).write_bytes(data)
        pdf = typst.compile(
            str(root / "main.typ"),
            root=str(root),
            format="pdf",
            ignore_system_fonts=True,
            pdf_standards="ua-1",  # tagged, with alternative text (see docs, Accessibility)
        )
    return Rendered(pdf)


# -- HTML -----------------------------------------------------------------------------------

_CSS = """
body { font-family: "Latin Modern Roman", "STIX Two Text", Georgia, serif; max-width: 46rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #111; }
math { font-family: "Latin Modern Math", "STIX Two Math", math; }
h1 { font-size: 1.5rem; text-align: center; margin-bottom: .2rem; }
.course, .subtitle, .facts { text-align: center; color: #444; margin: .1rem 0; }
.course { font-size: .85rem; } .seed { text-align: right; font-size: .75rem; color: #666; }
.instructions { border: 1px solid #999; border-radius: 4px; padding: .5rem .8rem; margin: 1rem 0; }
.problem { margin-top: 1.4rem; break-inside: avoid; }
.problem h2 { display: inline; font-size: 1em; margin: 0; }
.marks { float: right; color: #444; }
.space { border-bottom: 1px dotted #bbb; }
figure { text-align: center; margin: .8rem 0; } figure svg { max-width: 80%; height: auto; }
.solution { margin-left: 1rem; } .solution ol { padding-left: 1.4rem; }
.rule { font-weight: bold; }
.display { margin: .3rem 0 .3rem 1rem; overflow-x: auto; overflow-y: hidden; padding: .15rem 0; }
.problem math, .solution math { font-size: 1.05em; }
.display.wrap { overflow: visible; text-align: center; line-height: 2.4; }
.display .piece { display: inline-block; margin: 0 .25em; line-height: 1.5; }
table { border-collapse: collapse; margin: .5rem auto; } td, th { border: 1px solid #aaa; padding: .2rem .6rem; }
.name-fields { display: flex; gap: 2rem; margin: 1rem 0; } .name-fields span { flex: 1; border-bottom: 1px solid #333; }
@media print { body { margin: 0; max-width: none; } .problem { page-break-inside: avoid; } }
"""


def html_math(obj: Any, display_mode: bool = False) -> str:
    """MathML for a value, one ``<math>`` element (``Arrow`` as ``before ⟶ after``).

    Everything goes through the LaTeX printer (bracketed derivatives, ``ln``), then
    ``latex2mathml``.  In display mode limits sit under ``lim``; inline maths is set in
    display style, as in the PDF, so that a fraction in a sentence stays legible.
    """
    from .latex import tex
    from .mathml import mathml

    mode = "block" if display_mode else "inline"
    source = tex(obj, _mathml_text)
    if display_mode:
        source = source.replace(r"\lim_", r"\lim\limits_")
    markup = mathml(_LatexString(source), display=mode)
    if "<mtext>" in markup and getattr(obj, "free_symbols", None) is not None:
        markup = mathml(obj, display=mode)  # the printer's own route, before giving up
    # latex2mathml makes arrows identifiers (italic, no spacing): they are operators
    markup = markup.replace("<mi>&#x027F6;</mi>", "<mo>&#x027F6;</mo>")
    markup = _snug_brackets(markup)
    if not display_mode:
        markup = markup.replace('display="inline"', 'display="inline" displaystyle="true"', 1)
    return _with_alt(markup, spoken(obj), source)


_MATH_OPEN = re.compile(r"<math\b([^>]*)>")


def _with_alt(markup: str, words: str, tex_source: str = "") -> str:
    """``alttext`` (the expression in words) on the ``<math>`` element, and its TeX as an
    annotation, so that a screen reader without MathML support still reads it."""
    m = _MATH_OPEN.search(markup)
    if m is None or "alttext=" in m.group(1):
        return markup
    alt = _html.escape(words.strip() or "blank", quote=True)
    head = f'<math{m.group(1)} alttext="{alt}">'
    body = markup[m.end() : markup.rindex("</math>")]
    if tex_source:
        # the source's words are already escaped for XML (see _mathml_text): only brackets
        tex_note = tex_source.replace("<", "&lt;").replace(">", "&gt;")
        body = (
            f"<semantics><mrow>{body}</mrow>"
            f'<annotation encoding="application/x-tex">{tex_note}</annotation></semantics>'
        )
    return markup[: m.start()] + head + body + "</math>"


_FENCE = re.compile(r'<mo stretchy="true" fence="true" form="(prefix|postfix)">')
_TALL = re.compile(r"<(mfrac|munder|mover|munderover|msubsup|mtable|msqrt|mroot)\b")


def _snug_brackets(markup: str) -> str:
    """Brackets around content of one line's height made non-stretchy.

    Chromium draws a stretchy bracket from the math font's size variants even when it
    need not grow, and leaves a visible gap: ``ln ( 3 )``.  Brackets around a fraction,
    a root or a limit keep stretching."""
    fences = list(_FENCE.finditer(markup))
    snug: set[int] = set()
    stack: list[re.Match[str]] = []
    for m in fences:
        if m.group(1) == "prefix":
            stack.append(m)
        elif stack:
            opening = stack.pop()
            if not _TALL.search(markup, opening.end(), m.start()):
                snug.update((opening.start(), m.start()))
    out, at = [], 0
    for m in fences:
        if m.start() in snug:
            out += [markup[at : m.start()], m.group(0).replace('"true" fence', '"false" fence')]
            at = m.end()
    out.append(markup[at:])
    return "".join(out)


def _html_pieces(obj: Any) -> list[str]:
    """A display line cut where a reader would break it: at the arrow and between the
    entries of a summary (``value: …, gradient: …``), so a long line wraps on a page."""
    if isinstance(obj, Arrow):
        mark = "=" if obj.sign == "=" else "&#x027F6;"
        said = "equals" if obj.sign == "=" else "becomes"
        arrow = f'<math xmlns="http://www.w3.org/1998/Math/MathML" alttext="{said}"><mo>{mark}</mo></math>'
        out: list[str] = []
        for i, part in enumerate(obj.parts):
            out += ([arrow] if i else []) + _html_pieces(part)
        return out
    if isinstance(obj, dict) and len(obj) > 1:
        items = list(obj.items())
        return [
            html_math({k: v}) + ("," if i < len(items) - 1 else "")
            for i, (k, v) in enumerate(items)
        ]
    return [html_math(obj)]


def _html_display(obj: Any) -> str:
    pieces = _html_pieces(obj)
    if len(pieces) == 1:
        return f'<div class="display">{html_math(obj, True)}</div>'
    spans = " ".join(f'<span class="piece">{p}</span>' for p in pieces)
    return f'<div class="display wrap">{spans}</div>'


def _mathml_text(words: str) -> str:
    """Words inside maths for ``latex2mathml``, which copies ``\\text{...}`` as it is:
    escaped for XML, with no braces or backslashes to end the group early."""
    clean = words.translate({ord("{"): "(", ord("}"): ")", ord("\\"): "∖"})
    return rf"\text{{{_html.escape(clean, quote=False)}}}"


class _LatexString(str):
    """LaTeX already written (for values sympy does not print by itself)."""


def _hi(obj: Any) -> str:
    return html_math(obj)


def _html_table(t: Table) -> str:
    head = "".join(f"<th>{html_words(h)}</th>" for h in t.headers)
    rows = "".join("<tr>" + "".join(f"<td>{_hi(c)}</td>" for c in row) + "</tr>" for row in t.rows)
    cap = f"<caption>{html_words(t.caption)}</caption>" if t.caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def html_words(text: str) -> str:
    """Words escaped for HTML, with ``x_0`` set as x<sub>0</sub> (see ``subscripts``)."""
    return subscripts(
        text, _html.escape, lambda base, index: f"{base}<sub>{index}</sub>", "<sup>{}</sup>".format
    )


def _html_words(template: str, data: Any) -> str:
    """A template with its text escaped and its maths as MathML."""
    return fill(template, data, _hi, html_words)


def _html_steps(sol: Solution, steps: tuple) -> str:
    items = []
    for step in steps:
        body = [
            f'<span class="rule">{_html.escape(rule_title(step.rule))}.</span> {_html_words(step.explanation, step.data)}'
        ]
        for item in display(step, sol.task):
            if isinstance(item, Code):
                body.append(f"<pre><code>{_html.escape(item.rstrip())}</code></pre>")
            elif isinstance(item, Table):
                body.append(_html_table(item))
            else:
                body.append(_html_display(item))
        if step.substeps:
            body.append(_html_steps(sol, step.substeps))
        items.append("<li>" + "\n".join(body) + "</li>")
    return "<ol>" + "\n".join(items) + "</ol>"


def html_solution(sol: Solution, detail: str = "full") -> str:
    """A worked solution as an HTML fragment."""
    head = _html_words(sol.task.statement, sol.task.params)
    return (
        f'<div class="solution"><p>{head}</p>{_html_steps(sol, board(sol, detail))}'
        f"<p><strong>Answer:</strong> {_hi(shown_answer(sol))}</p></div>"
    )


def to_html(doc: Document) -> Rendered:
    """The document as one self-contained HTML page (MathML, inline SVG, print styles)."""
    e = _html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(doc.heading)}</title>",
        f"<style>{_font_face()}{_CSS}</style></head><body>",
        f'<p class="course">{e(doc.course)}</p>',
        f"<h1>{e(doc.heading)}</h1>",
    ]
    if doc.subtitle:
        out.append(f'<p class="subtitle">{e(doc.subtitle)}</p>')
    if doc.kind == "exam" and doc.show == "problems":
        out.append('<div class="name-fields">Name: <span></span> Student ID: <span></span></div>')
        facts = [f"Time allowed: {doc.duration}"] if doc.duration else []
        if doc.marks:
            facts.append(f"Total: {sum(doc.marks)} marks")
        if facts:
            out.append(f'<p class="facts">{e(" · ".join(facts))}</p>')
    if doc.instructions:
        out.append(f'<div class="instructions">{e(doc.instructions)}</div>')
    if doc.seed is not None:
        out.append(f'<p class="seed">seed {doc.seed}</p>')
    if doc.checklist:
        items = "".join(
            f'<li>☐ {e(item)}<div class="space" style="height:2.5em"></div></li>'
            for item in doc.checklist
        )
        out.append(f'<ul class="checklist" style="list-style:none;padding-left:0">{items}</ul>')
    for b in _blocks(doc):
        p = b.payload
        if b.kind == "problem":
            marks = _marks_label(doc, b.number)
            mk = f'<span class="marks">{e(marks)}</span>' if marks else ""
            out.append(
                f'<div class="problem" id="problem-{b.number}"><h2>{mk}Problem '
                f"{_problem_name(doc, b.number)}.</h2> {_html_words(p.prompt, p.given)}</div>"
            )
        elif b.kind == "figure":
            data, alt = _figure_described(p, "svg")
            out.append(f"<figure>{_svg_with_alt(data.decode(), alt, b.number)}</figure>")
        elif b.kind == "space":
            out.append(f'<div class="space" style="height:{_space_lines(p) * 1.5:.1f}em"></div>')
        elif b.kind == "answer":
            out.append(f"<p><strong>Answer:</strong> {_hi(p.answer)}</p>")
        else:
            out.append(html_solution(p, doc.detail))
    out.append("</body></html>")
    return Rendered(("\n".join(out) + "\n").encode())


def _font_face() -> str:
    """The shipped math font as an inline @font-face, so pages look alike everywhere."""
    from importlib import resources

    assets = resources.files("tutor") / "assets"
    try:
        for entry in sorted(assets.iterdir(), key=lambda t: t.name):
            if entry.name.endswith((".woff2", ".otf")):
                kind = "woff2" if entry.name.endswith(".woff2") else "opentype"
                data = base64.b64encode(entry.read_bytes()).decode()
                return (
                    '@font-face { font-family: "Latin Modern Math"; '
                    f'src: url(data:font/{kind};base64,{data}) format("{kind}"); }}\n'
                )
    except (FileNotFoundError, NotADirectoryError, OSError):
        pass
    return ""


# -- LaTeX ----------------------------------------------------------------------------------


def to_latex(doc: Document, stem: str = "sheet") -> Rendered:
    """The document as a ``.tex`` that pdflatex compiles as it is (figures as PDFs beside it)."""
    from .latex import escape, render_prompt, render_solution, tex

    files: dict[str, bytes] = {}
    out = [
        r"\documentclass[11pt,a4paper]{article}",
        r"\usepackage[utf8]{inputenc}",
        r"\usepackage[T1]{fontenc}",
        r"\usepackage{lmodern}",
        r"\usepackage{amsmath,amssymb}",
        r"\usepackage{graphicx}",
        r"\usepackage[margin=2cm]{geometry}",
        r"\pdfinfoomitdate=1 \pdftrailerid{} \pdfsuppressptexinfo=-1",
        r"\setlength{\parindent}{0pt}",
        r"\begin{document}",
        r"\begin{center}",
        rf"{{\small {escape(doc.course)}}}\\[2pt]",
        rf"{{\Large\bfseries {escape(doc.heading)}}}\\",
    ]
    if doc.subtitle:
        out.append(rf"{escape(doc.subtitle)}\\")
    out.append(r"\end{center}")
    if doc.kind == "exam" and doc.show == "problems":
        out.append(r"Name: \rule{6cm}{0.4pt} \hfill Student ID: \rule{4cm}{0.4pt}\par\medskip")
        facts = [f"Time allowed: {doc.duration}"] if doc.duration else []
        if doc.marks:
            facts.append(f"Total: {sum(doc.marks)} marks")
        if facts:
            out.append(
                r"\begin{center}"
                + escape(" · ".join(facts)).replace("·", r"$\cdot$")
                + r"\end{center}"
            )
    if doc.instructions:
        out.append(
            r"\fbox{\parbox{\dimexpr\linewidth-2\fboxsep}{"
            + escape(doc.instructions)
            + "}}\\par\\medskip"
        )
    if doc.seed is not None:
        out.append(rf"\hfill{{\footnotesize seed {doc.seed}}}\par")
    out.append(r"\hrule\medskip")
    for item in doc.checklist:
        out.append(rf"\par\noindent$\square$\quad {escape(item)}\par\vspace{{2.5em}}")
    for b in _blocks(doc):
        p = b.payload
        if b.kind == "problem":
            marks = _marks_label(doc, b.number)
            mk = rf"\hfill {escape(marks)}" if marks else ""
            out += [
                "",
                rf"\paragraph{{Problem {_problem_name(doc, b.number)}.}}{mk}\par",
                render_prompt(p),
            ]
        elif b.kind == "figure":
            name = f"{stem}-figure-{b.number}.pdf"
            files[name] = _figure_bytes(p, "pdf")
            out.append(
                rf"\begin{{center}}\includegraphics[width=0.7\linewidth]{{{name}}}\end{{center}}"
            )
        elif b.kind == "space":
            out.append(rf"\vspace{{{_space_lines(p) * 1.4:.1f}em}}")
        elif b.kind == "answer":
            out.append(rf"\par\textbf{{Answer:}} ${tex(p.answer)}$")
        else:
            out += [
                r"\begin{quote}",
                render_solution(p, doc.detail, with_task=False),
                r"\end{quote}",
            ]
    out.append(r"\end{document}")
    return Rendered(("\n".join(out) + "\n").encode(), files)


# -- Markdown -------------------------------------------------------------------------------


def to_markdown(doc: Document) -> Rendered:
    """The document as Markdown with ``$...$`` maths and figures as inline SVG images."""
    from .markdown import inline, render_prompt, render_solution

    out = [f"# {doc.heading}", "", f"*{doc.course}*"]
    if doc.subtitle:
        out += ["", doc.subtitle]
    if doc.kind == "exam" and doc.show == "problems":
        facts = [f"Time allowed: {doc.duration}"] if doc.duration else []
        if doc.marks:
            facts.append(f"Total: {sum(doc.marks)} marks")
        if facts:
            out += ["", " · ".join(facts)]
    if doc.instructions:
        out += ["", f"> {doc.instructions}"]
    if doc.seed is not None:
        out += ["", f"<small>seed {doc.seed}</small>"]
    if doc.checklist:
        out += [""] + [f"- [ ] {item}" for item in doc.checklist]
    for b in _blocks(doc):
        p = b.payload
        if b.kind == "problem":
            marks = _marks_label(doc, b.number)
            out += [
                "",
                f"## Problem {_problem_name(doc, b.number)}" + (f" {marks}" if marks else ""),
                "",
                render_prompt(p),
            ]
        elif b.kind == "figure":
            svg, alt = _figure_described(p, "svg")
            data = base64.b64encode(svg).decode()
            words = alt.replace("[", "(").replace("]", ")").replace("\n", " ")
            out += ["", f"![{words}](data:image/svg+xml;base64,{data})"]
        elif b.kind == "space":
            continue
        elif b.kind == "answer":
            out += ["", f"**Answer:** {inline(p.answer)}"]
        else:
            out += ["", render_solution(p, doc.detail, with_task=False)]
    return Rendered(("\n".join(out) + "\n").encode())


def render(doc: Document, fmt: str, stem: str = "sheet") -> Rendered:
    """The document in ``fmt`` (one of ``FORMATS``)."""
    if fmt == "pdf":
        return to_pdf(doc)
    if fmt == "html":
        return to_html(doc)
    if fmt == "tex":
        return to_latex(doc, stem)
    if fmt == "md":
        return to_markdown(doc)
    if fmt == "typ":
        return to_typst(doc, stem)
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def _svg_with_alt(svg: str, alt: str, number: Any) -> str:
    """An inline SVG as an accessible image: ``role="img"``, labelled by its own
    ``<title>`` (the figure's name) and ``<desc>`` (what it shows, read from the drawing)."""
    svg = svg[svg.find("<svg") :]
    end = svg.find(">") + 1
    tid, did = f"figure-{number}-title", f"figure-{number}-desc"
    head = svg[: end - 1] + f' role="img" aria-labelledby="{tid} {did}">'
    words = _html.escape(alt, quote=False)
    return (
        head
        + f'<title id="{tid}">Figure for problem {number}</title><desc id="{did}">{words}</desc>'
        + svg[end:]
    )
