"""QTI 1.2 packages as Canvas (and Blackboard) import them.

One zip: ``imsmanifest.xml``, the assessment ``<id>/<id>.xml`` and the figures under
``web_resources/Quiz Files/``.  Each problem family is a section that picks 1 of its
verified variants (``selection_number`` 1); numbers are ``numerical_question`` items
with their tolerance as ``vargte``/``varlte`` bounds, choices and mal-rule answers are
``multiple_choice_question`` items with the mal-rule's feedback, other answers
``short_answer_question`` items with their accepted forms; the worked solution is the
general feedback.
"""

from __future__ import annotations

import hashlib
import io
import xml.etree.ElementTree as ET
import zipfile
from typing import Any

from ..core import Problem
from . import Answer, Family, Spec, forms, spec
from .html import figure_svg, prompt_html, solution_html
from .moodle import question_id, question_name

__all__ = ["to_qti", "QTI_NS", "FILEBASE"]

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
FILEBASE = "$IMS-CC-FILEBASE$/Quiz Files"
FILES = "web_resources/Quiz Files"
_STAMP = (2026, 1, 1, 0, 0, 0)  # fixed zip timestamps: the same input gives the same bytes


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _meta(item: ET.Element, fields: dict[str, str]) -> None:
    md = _sub(_sub(item, "itemmetadata"), "qtimetadata")
    for label, entry in fields.items():
        f = _sub(md, "qtimetadatafield")
        _sub(f, "fieldlabel", label)
        _sub(f, "fieldentry", entry)


def _mattext(parent: ET.Element, html_text: str) -> None:
    _sub(_sub(parent, "material"), "mattext", html_text, texttype="text/html")


def _feedback(item: ET.Element, ident: str, html_text: str) -> None:
    fb = _sub(item, "itemfeedback", ident=ident)
    _mattext(_sub(fb, "flow_mat"), html_text)


def _show(proc: ET.Element, condition: ET.Element, ident: str) -> None:
    """A condition that shows a feedback and lets processing go on."""
    rc = _sub(proc, "respcondition", **{"continue": "Yes"})
    rc.append(condition)
    _sub(rc, "displayfeedback", feedbacktype="Response", linkrefid=ident)


def _score(proc: ET.Element, condition: ET.Element) -> None:
    rc = _sub(proc, "respcondition", **{"continue": "No"})
    rc.append(condition)
    _sub(rc, "setvar", "100", action="Set", varname="SCORE")


def _cond(*children: ET.Element) -> ET.Element:
    c = ET.Element("conditionvar")
    c.extend(children)
    return c


def _var(tag: str, value: str) -> ET.Element:
    el = ET.Element(tag, {"respident": "response1"})
    el.text = value
    return el


def _qti_spec(p: Problem) -> Spec:
    """Canvas has no Cloze: a list, point or set is one short answer with its accepted forms."""
    s = spec(p)
    if s.kind != "cloze":
        return s
    return Spec("shortanswer", tuple(Answer(t, 100) for t in forms(p, p.answer, p.answer_kind)),
                note="Type your answer as plain text, e.g. (1, -2) or {0, 3}.")  # fmt: skip


def item(f: Family, p: Problem, figures: bool, files: dict[str, bytes]) -> ET.Element:
    """One variant as a QTI item; its figure, if any, is added to ``files``."""
    s = _qti_spec(p)
    qtype = {"numerical": "numerical_question", "multichoice": "multiple_choice_question",
             "shortanswer": "short_answer_question"}[s.kind]  # fmt: skip
    it = ET.Element("item", {"ident": question_id(f, p), "title": question_name(f, p)})
    _meta(it, {"question_type": qtype, "points_possible": "1.0"})
    svg = figure_svg(p) if figures else None
    pic = ""
    if svg is not None:
        name = f"figure-{f.key}-d{f.difficulty}-{p.seed}.svg"
        files[f"{FILES}/{name}"] = svg
        pic = f'<p><img src="{FILEBASE}/{name}" alt="Figure for this problem" /></p>'
    in_question = bool((p.figure or {}).get("question"))
    pres = _sub(it, "presentation")
    _mattext(pres, prompt_html(p, s.note) + (pic if in_question else ""))
    proc = ET.Element("resprocessing")
    outcomes = _sub(proc, "outcomes")
    _sub(outcomes, "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    _show(proc, _cond(ET.Element("other")), "general_fb")
    if s.kind == "multichoice":
        lid = _sub(pres, "response_lid", ident="response1", rcardinality="Single")
        choice = _sub(lid, "render_choice", shuffle="Yes")
        right = ""
        for i, a in enumerate(s.answers, 1):
            ident = f"{question_id(f, p)}-{i}"
            label = _sub(choice, "response_label", ident=ident)
            _mattext(label, rf"\({a.tex}\)" if a.tex else a.text)
            if a.fraction == 100:
                right = ident
            if a.feedback:
                _show(proc, _cond(_var("varequal", ident)), f"{ident}_fb")
        _score(proc, _cond(_var("varequal", right)))
    else:
        fib = "Decimal" if s.kind == "numerical" else "String"
        resp = _sub(pres, "response_str", ident="response1", rcardinality="Single")
        _sub(
            _sub(resp, "render_fib", fibtype=fib), "response_label", ident="answer1", rshuffle="No"
        )
        for a in s.answers:
            if s.kind == "numerical":
                tol = a.tolerance or 0.0
                exact = _var("varequal", a.text)
                both = ET.Element("and")
                both.extend([_var("vargte", _num(float(a.text) - tol)),
                             _var("varlte", _num(float(a.text) + tol))])  # fmt: skip
                either = ET.Element("or")
                either.extend([exact, both])
                _score(proc, _cond(either))
            else:
                _score(proc, _cond(_var("varequal", a.text)))
    it.append(proc)
    _feedback(it, "general_fb", solution_html(p.solution) + ("" if in_question else pic))
    if s.kind == "multichoice":
        for i, a in enumerate(s.answers, 1):
            if a.feedback:
                _feedback(it, f"{question_id(f, p)}-{i}_fb", a.feedback)
    return it


def _num(x: float) -> str:
    return f"{x:.12g}"


def assessment(
    fams: list[Family], title: str, ident: str, figures: bool, files: dict[str, bytes]
) -> bytes:
    """The ``questestinterop`` document: one pick-1-of-N section per family."""
    root = ET.Element("questestinterop", {"xmlns": QTI_NS})
    test = _sub(root, "assessment", ident=ident, title=title)
    md = _sub(test, "qtimetadata")
    f0 = _sub(md, "qtimetadatafield")
    _sub(f0, "fieldlabel", "cc_maxattempts")
    _sub(f0, "fieldentry", "1")
    top = _sub(test, "section", ident="root_section")
    for f in fams:
        sec = _sub(top, "section", ident=f"{f.key}-d{f.difficulty}", title=f.name)
        sel = _sub(_sub(sec, "selection_ordering"), "selection")
        _sub(sel, "selection_number", "1")
        _sub(_sub(sel, "selection_extension"), "points_per_item", "1.0")
        for p in f.problems:
            sec.append(item(f, p, figures, files))
    return _xml(root)


def _xml(root: ET.Element) -> bytes:
    ET.indent(root, "  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def manifest(ident: str, title: str, files: list[str]) -> bytes:
    """``imsmanifest.xml``: the assessment as an ``imsqti_xmlv1p2`` resource, figures as web content."""
    root = ET.Element("manifest", {"identifier": f"{ident}-manifest", "xmlns": CP_NS})
    md = _sub(root, "metadata")
    _sub(md, "schema", "IMS Content")
    _sub(md, "schemaversion", "1.1.3")
    _sub(root, "organizations")
    res = _sub(root, "resources")
    r = _sub(res, "resource", identifier=ident, type="imsqti_xmlv1p2", href=f"{ident}/{ident}.xml")
    _sub(r, "file", href=f"{ident}/{ident}.xml")
    for name in files:
        w = _sub(res, "resource", identifier="res-" + hashlib.sha1(name.encode()).hexdigest()[:12],
                 type="webcontent", href=name)  # fmt: skip
        _sub(w, "file", href=name)
    return _xml(root)


def to_qti(fams: list[Family], *, title: str, figures: bool = True) -> bytes:
    """The families as a QTI 1.2 zip (the same bytes for the same input)."""
    ident = "tutor-" + hashlib.sha1(title.encode()).hexdigest()[:12]
    files: dict[str, bytes] = {}
    quiz = assessment(fams, title, ident, figures, files)
    entries: dict[str, Any] = {
        "imsmanifest.xml": manifest(ident, title, sorted(files)),
        f"{ident}/{ident}.xml": quiz,
        **dict(sorted(files.items())),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(zipfile.ZipInfo(name, _STAMP), data, zipfile.ZIP_DEFLATED)
    return buf.getvalue()
