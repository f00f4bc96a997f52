"""Moodle XML: a question bank of problem families, one category per family.

Each variant is a question named by its family, difficulty and seed (``tutor generate
TOPIC --seed S -d D`` makes it again), asked as Moodle asks that kind of answer:
``numerical`` with a tolerance, ``multichoice`` (the engine's mal-rule answers as
distractors, each with its feedback), ``shortanswer`` with the accepted forms, or
``cloze`` with one field per entry of a list, point or set.  The worked solution is the
general feedback, in HTML with TeX for Moodle's MathJax filter; figures are SVG files
inside the XML (``@@PLUGINFILE@@``).  ``stack=True`` writes STACK questions where the
answer has a Maxima form (see ``stack``).
"""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from typing import Any

from ..core import Problem
from . import Family, spec
from .html import figure_svg, prompt_html, solution_html

__all__ = ["to_moodle", "question", "category", "question_name", "question_id", "cloze_escape"]

ROOT = "$course$/top/calculus-tutor"


def question_name(f: Family, p: Problem) -> str:
    """The question's name: family, difficulty and seed (so it can be made again)."""
    return f"{f.key} d{f.difficulty} seed {p.seed}"


def question_id(f: Family, p: Problem) -> str:
    return f"{f.key}-d{f.difficulty}-s{p.seed}"


def category_path(f: Family) -> str:
    """``$course$/top/calculus-tutor/Lecture 05/derivative-power (difficulty 1)``."""
    group = f"Lecture {f.lecture:02d}" if f.lecture else "Practice"
    return f"{ROOT}/{group}/{f.name}".replace("//", "/")


def text_el(parent: ET.Element, tag: str, text: str, fmt: str | None = None) -> ET.Element:
    """``<tag format="fmt"><text>text</text></tag>``, the shape of every Moodle text field."""
    el = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(el, "text").text = text
    return el


def _simple(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = text


def _file(parent: ET.Element, name: str, data: bytes) -> None:
    el = ET.SubElement(parent, "file", {"name": name, "path": "/", "encoding": "base64"})
    el.text = base64.b64encode(data).decode("ascii")


def figure_html(p: Problem, base: str, figures: bool) -> tuple[str, dict[str, bytes]]:
    """An ``<img>`` for the problem's figure under ``base`` (``@@PLUGINFILE@@``), and its file."""
    svg = figure_svg(p) if figures else None
    if svg is None:
        return "", {}
    name = f"figure-{p.seed}.svg"
    kind = str((p.figure or {}).get("kind", "figure"))
    alt = f"Figure ({kind.replace('_', ' ')}) for this problem"
    return f'<p><img src="{base}/{name}" alt="{alt}" /></p>', {name: svg}


def _texts(q: ET.Element, p: Problem, body: str, figures: bool) -> None:
    """Question text (with the figure when it belongs to the question) and general feedback."""
    pic, files = figure_html(p, "@@PLUGINFILE@@", figures)
    in_question = bool((p.figure or {}).get("question"))
    qt = text_el(q, "questiontext", body + (pic if in_question else ""), "html")
    if in_question:
        for name, data in files.items():
            _file(qt, name, data)
    gf = text_el(
        q, "generalfeedback", solution_html(p.solution) + ("" if in_question else pic), "html"
    )
    if not in_question:
        for name, data in files.items():
            _file(gf, name, data)


def _common(q: ET.Element, f: Family, p: Problem) -> None:
    _simple(q, "defaultgrade", "1")
    _simple(q, "penalty", "0.3333333")
    _simple(q, "hidden", "0")
    _simple(q, "idnumber", question_id(f, p))


def _answer(q: ET.Element, text: str, fraction: int, feedback: str, fmt: str) -> ET.Element:
    a = ET.SubElement(q, "answer", {"fraction": str(fraction), "format": fmt})
    ET.SubElement(a, "text").text = text
    text_el(a, "feedback", feedback, "html")
    return a


def cloze_escape(text: str) -> str:
    """An answer made literal inside a Cloze field (``} # ~ / " \\`` escaped, and ``*``,
    which short-answer matching would take as a wildcard)."""
    return "".join("\\" + ch if ch in '}#~/"\\*' else ch for ch in text)


def literal(text: str) -> str:
    """A short answer matched literally: ``*`` is Moodle's wildcard, so it is escaped."""
    return text.replace("*", "\\*")


def _cloze_field(i: int, answers: tuple[Any, ...]) -> str:
    if answers[0].tolerance is not None:
        a = answers[0]
        return f"{{1:NUMERICAL:={a.text}:{a.tolerance:g}}}"
    return "{1:SHORTANSWER:" + "~".join("=" + cloze_escape(a.text) for a in answers) + "}"


def question(f: Family, p: Problem, figures: bool = True) -> ET.Element:
    """One variant as a Moodle question element."""
    s = spec(p)
    qtype = s.kind
    q = ET.Element("question", {"type": qtype})
    text_el(q, "name", question_name(f, p))
    body = prompt_html(p, s.note)
    if qtype == "cloze":
        opening, closing = s.brackets
        cells = ", ".join(_cloze_field(i, a) for i, a in enumerate(s.fields, 1))
        body += f"<p>{opening} {cells} {closing}</p>"
    _texts(q, p, body, figures)
    _common(q, f, p)
    if qtype == "numerical":
        a = s.answers[0]
        el = _answer(q, a.text, 100, "Correct.", "moodle_auto_format")
        _simple(el, "tolerance", f"{a.tolerance:g}")
        for tag, value in (
            ("unitgradingtype", "0"),
            ("unitpenalty", "0.1"),
            ("showunits", "3"),
            ("unitsleft", "0"),
        ):
            _simple(q, tag, value)
    elif qtype == "multichoice":
        for tag, value in (
            ("single", "true"),
            ("shuffleanswers", "true"),
            ("answernumbering", "abc"),
        ):
            _simple(q, tag, value)
        text_el(q, "correctfeedback", "Correct.", "html")
        text_el(q, "partiallycorrectfeedback", "Partly correct.", "html")
        text_el(q, "incorrectfeedback", "Not correct: see the worked solution.", "html")
        for a in s.answers:
            shown = inline_tex(a.tex) if a.tex else a.text
            _answer(
                q,
                shown,
                a.fraction,
                a.feedback or ("Correct." if a.fraction else "Not correct."),
                "html",
            )
    elif qtype == "shortanswer":
        _simple(q, "usecase", "0")
        for a in s.answers:
            _answer(q, literal(a.text), a.fraction, "Correct.", "moodle_auto_format")
    return q


def inline_tex(source: str) -> str:
    r"""TeX already written, between ``\( \)``."""
    return r"\(" + source + r"\)"


def category(f: Family) -> ET.Element:
    q = ET.Element("question", {"type": "category"})
    text_el(q, "category", category_path(f))
    text_el(q, "info", f"{len(f.problems)} variants of {f.key} from “{f.title}”.", "html")
    _simple(q, "idnumber", f"{f.key}-d{f.difficulty}")
    return q


def to_moodle(fams: list[Family], *, stack: bool = False, figures: bool = True) -> bytes:
    """The families as one Moodle XML question bank (UTF-8 bytes, the same for the same input)."""
    quiz = ET.Element("quiz")
    for f in fams:
        quiz.append(category(f))
        for p in f.problems:
            el = None
            if stack:
                from .stack import stack_question

                el = stack_question(f, p, figures)
            quiz.append(el if el is not None else question(f, p, figures))
    ET.indent(quiz, "  ")
    body = ET.tostring(quiz, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")
