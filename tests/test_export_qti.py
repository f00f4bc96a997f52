"""QTI 1.2 export: the zip unpacks to a manifest and an assessment Canvas imports, with
pick-1-of-N sections, tolerances as bounds, mal-rule choices and the worked solution."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile

import pytest
from _export_cases import VARIANTS, exported_problems
from click.testing import CliRunner

import tutor
from tutor.cli import main
from tutor.export.qti import CP_NS, QTI_NS

Q = {"q": QTI_NS}


# its module fixtures are costly: keep the module on one xdist worker (--dist loadgroup)
pytestmark = pytest.mark.xdist_group("qti")


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("qti") / "l05.zip"
    args = ["export", "qti", "--lecture", "5", "--lecture", "7", "-n", str(VARIANTS)]
    result = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return zipfile.ZipFile(io.BytesIO(out.read_bytes()))


@pytest.fixture(scope="module")
def problems() -> dict[str, tutor.Problem]:
    return exported_problems()


@pytest.fixture(scope="module")
def assessment(package: zipfile.ZipFile) -> ET.Element:
    manifest = ET.fromstring(package.read("imsmanifest.xml"))
    res = manifest.find(f"{{{CP_NS}}}resources/{{{CP_NS}}}resource[@type='imsqti_xmlv1p2']")
    href = res.find(f"{{{CP_NS}}}file").get("href")
    return ET.fromstring(package.read(href))


def _meta(item: ET.Element) -> dict[str, str]:
    fields = item.findall("q:itemmetadata/q:qtimetadata/q:qtimetadatafield", Q)
    return {f.findtext("q:fieldlabel", namespaces=Q): f.findtext("q:fieldentry", namespaces=Q)
            for f in fields}  # fmt: skip


def test_manifest_lists_every_file_of_the_package(package):
    manifest = ET.fromstring(package.read("imsmanifest.xml"))
    listed = {f.get("href") for f in manifest.iter(f"{{{CP_NS}}}file")}
    assert listed == set(package.namelist()) - {"imsmanifest.xml"}
    assert any(name.endswith(".svg") for name in listed)


def test_each_family_is_a_pick_one_section(assessment):
    sections = assessment.findall("q:assessment/q:section/q:section", Q)
    assert len(sections) == 13
    for sec in sections:
        number = sec.findtext("q:selection_ordering/q:selection/q:selection_number", namespaces=Q)
        assert number == "1"
        items = sec.findall("q:item", Q)
        assert len(items) == VARIANTS
        texts = {i.findtext("q:presentation/q:material/q:mattext", namespaces=Q) for i in items}
        assert len(texts) == VARIANTS


def test_items_have_the_structure_canvas_imports(assessment, package):
    types = set()
    for item in assessment.iter(f"{{{QTI_NS}}}item"):
        meta = _meta(item)
        types.add(meta["question_type"])
        assert meta["points_possible"] == "1.0"
        assert item.findtext("q:presentation/q:material/q:mattext", namespaces=Q)
        proc = item.find("q:resprocessing", Q)
        assert proc.find("q:outcomes/q:decvar[@varname='SCORE']", Q) is not None
        scoring = [
            rc for rc in proc.findall("q:respcondition", Q) if rc.find("q:setvar", Q) is not None
        ]
        assert scoring and all(rc.findtext("q:setvar", namespaces=Q) == "100" for rc in scoring)
        general = item.find("q:itemfeedback[@ident='general_fb']", Q)
        assert "<strong>Answer:</strong>" in general.findtext(".//q:mattext", namespaces=Q)
        for link in proc.iter(f"{{{QTI_NS}}}displayfeedback"):
            assert item.find(f"q:itemfeedback[@ident='{link.get('linkrefid')}']", Q) is not None
        if meta["question_type"] == "numerical_question":
            assert item.find(".//q:render_fib[@fibtype='Decimal']", Q) is not None
            cond = scoring[0].find("q:conditionvar/q:or", Q)
            assert cond.find("q:and/q:vargte", Q) is not None
            assert cond.find("q:and/q:varlte", Q) is not None
        if meta["question_type"] == "multiple_choice_question":
            labels = item.findall(".//q:response_lid/q:render_choice/q:response_label", Q)
            assert len(labels) >= 3
    assert types == {"numerical_question", "multiple_choice_question", "short_answer_question"}
    for name in package.namelist():
        if name.endswith(".svg"):
            assert package.read(name).lstrip().startswith(b"<?xml")


def test_every_answer_is_rechecked_by_the_engine(assessment, problems):
    for item in assessment.iter(f"{{{QTI_NS}}}item"):
        p = problems[item.get("ident")]
        qtype = _meta(item)["question_type"]
        proc = item.find("q:resprocessing", Q)
        right = [
            rc for rc in proc.findall("q:respcondition", Q) if rc.find("q:setvar", Q) is not None
        ]
        if qtype == "numerical_question":
            lo = float(right[0].findtext(".//q:vargte", namespaces=Q))
            hi = float(right[0].findtext(".//q:varlte", namespaces=Q))
            value = right[0].findtext(".//q:varequal", namespaces=Q)
            verdict = tutor.check(value, p.answer, kind="number", tol=(hi - lo) / 2 or None)
            assert verdict.correct is True
            assert lo <= float(p.answer) <= hi
        elif qtype == "short_answer_question":
            for rc in right:
                text = rc.findtext(".//q:varequal", namespaces=Q)
                assert tutor.check(text, p.answer, kind=p.answer_kind, **p.check_options).correct
        else:
            correct = right[0].findtext(".//q:varequal", namespaces=Q)
            for label in item.findall(".//q:response_label", Q):
                shown = label.findtext(".//q:mattext", namespaces=Q)
                v = tutor.check(shown, p.answer, kind=p.answer_kind, **p.check_options)
                assert v.correct is (label.get("ident") == correct), shown


@pytest.mark.parametrize(
    "args, message",
    [
        (["--lecture", "5", "-o", "quiz.xml"], "a QTI 1.2 package is a .zip file"),
        (["--topic", "nope", "-o", "q.zip"], "unknown topic 'nope'"),
        (["--lecture", "5", "-o", "/nonexistent/q.zip"], "does not exist"),
    ],
)
def test_bad_input_gets_a_message(args, message):
    result = CliRunner().invoke(main, ["export", "qti", *args], catch_exceptions=False)
    assert result.exit_code != 0
    assert message in result.output and "Traceback" not in result.output


def test_same_seed_same_bytes(tmp_path):
    outs = []
    for name in ("a.zip", "b.zip"):
        out = tmp_path / name
        args = ["export", "qti", "--topic", "descent-1d", "-n", "2", "--no-figures"]
        assert CliRunner().invoke(main, [*args, "-o", str(out)]).exit_code == 0
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
