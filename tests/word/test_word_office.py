"""Documents and workbooks as Microsoft Office reads them: the Open XML SDK's models, run-level direction."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openxml_audit import OpenXmlValidator
from word_docs import D, hostile_plan, make_base, make_plan, rich_plan, saved

from odplan_xl import schema
from odplan_xl.app.convert import convert
from odplan_xl.app.gantt import gantt

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
LATIN = re.compile("[A-Za-z]")
TEMPLATES = Path(__file__).resolve().parents[2] / "workbook_template"


def large_plan():
    return make_plan({"structure": "هيكل", "year": 2027}, [], {"datasets": [
        {"title": f"مجموعة {i} (CSV)", "producer": "إدارة", "format": "CSV", "crit_quality": True,
         "crit_legal": True, "crit_open_format": False, "crit_demand": False, "priority": 2,
         "publish_date": D(2027, 1 + i % 12, 1), "frequency": "سنوية", "channel": schema.CHANNELS[0]}
        for i in range(1200)]})


@pytest.fixture(scope="module")
def documents(example_path, tmp_path_factory) -> dict[str, Path]:
    """Every kind of document the tests produce: the example, a letterhead base, large, empty, odd text."""
    tmp = tmp_path_factory.mktemp("office")
    base = make_base(tmp / "letterhead.docx", logo=True)
    return {
        "example": convert(example_path, tmp / "example.docx").output,
        "letterhead": saved(rich_plan(), tmp, base=base, name="letterhead_plan.docx"),
        "large": saved(large_plan(), tmp, name="large.docx"),
        "empty": saved(make_plan({}, [], {}), tmp, name="empty.docx"),
        "hostile": saved(hostile_plan(), tmp, name="hostile.docx"),
    }


KINDS = ["example", "letterhead", "large", "empty", "hostile"]


@pytest.mark.parametrize("kind", KINDS)
def test_documents_validate_against_the_open_xml_sdk_models(documents, kind):
    result = OpenXmlValidator().validate(str(documents[kind]))
    assert [str(e) for e in result.errors] == []


# openxml-audit reports two kinds of noise on workbooks that Excel opens without a word (seen on the files
# openpyxl writes, such as the Gantt workbook): the order of a <font>'s children, which ECMA-376 Part 1
# §18.8.22 defines as an unordered choice although the SDK's model is a sequence; and inline strings with
# no shared-strings part (ECMA-376 §18.3.1.53 allows t="inlineStr"; Excel converts them when it saves).
_FONT_CHILD = re.compile(r"^/styleSheet\[1\]/fonts\[1\]/font\[\d+\]$")


def _excel_accepts(error) -> bool:
    if error.id == "Excel_InlineStrCells":
        return True
    return (error.part_uri == "/xl/styles.xml" and bool(_FONT_CHILD.match(error.path))
            and error.description.startswith("Unexpected element"))


@pytest.fixture(scope="module")
def gantt_workbook(example_path, tmp_path_factory) -> Path:
    return gantt(example_path, tmp_path_factory.mktemp("gantt") / "example_gantt.xlsx")


@pytest.mark.parametrize("name", ["template.xlsx", "template.xlsm", "example_plan.xlsx", "gantt"])
def test_workbooks_validate_against_the_open_xml_sdk_models(gantt_workbook, name):
    path = gantt_workbook if name == "gantt" else TEMPLATES / name
    errors = [str(e) for e in OpenXmlValidator().validate(str(path)).errors if not _excel_accepts(e)]
    assert errors == []


# --- what the validator does not check: direction on each run, as Word writes it -------------------------
def _parts(path: Path, pattern: str) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as zf:
        return {n: etree.fromstring(zf.read(n)) for n in zf.namelist() if re.fullmatch(pattern, n)}


def _runs(path: Path):
    """(part, run text, has rtl, rPr child names) of every run with text: body, headers, footers."""
    for name, root in _parts(path, r"word/(document|header\d+|footer\d+)\.xml").items():
        for r in root.iter(f"{W}r"):
            text = "".join(t.text or "" for t in r.iter(f"{W}t"))
            if text:
                rpr = r.find(f"{W}rPr")
                children = [etree.QName(c).localname for c in rpr] if rpr is not None else []
                yield name, text, "rtl" in children, children


@pytest.mark.parametrize("kind", KINDS)
def test_every_arabic_run_carries_its_direction(documents, kind):
    runs = list(_runs(documents[kind]))
    arabic = [(part, text) for part, text, rtl, _ in runs if ARABIC.search(text) and not rtl]
    assert arabic == []
    latin = [(part, text) for part, text, rtl, _ in runs if rtl and LATIN.search(text) and not ARABIC.search(text)]
    assert latin == []                  # e-mails, URLs, "CSV": left to right inside the Arabic paragraph
    ours = {tuple(c for c in children if c in ("rtl", "lang"))
            for part, _, rtl, children in runs if rtl and part == "word/document.xml"}
    assert ours == {("rtl", "lang")}    # rtl then lang, as CT_RPr orders them (a letterhead keeps its own)
    assert sum(1 for _, text, rtl, _ in runs if rtl) > 20


def test_latin_text_is_split_from_the_arabic_around_it(documents):
    runs = [(text, rtl) for part, text, rtl, _ in _runs(documents["large"]) if part == "word/document.xml"]
    assert ("مجموعة 7 (", True) in runs and ("CSV", False) in runs and (")", True) in runs


@pytest.mark.parametrize("kind", KINDS)
def test_no_style_sets_a_direction_and_word_2013_mode(documents, kind):
    path = documents[kind]
    styles = _parts(path, r"word/styles\.xml")["word/styles.xml"]
    assert list(styles.iter(f"{W}rtl")) == []
    settings = _parts(path, r"word/settings\.xml")["word/settings.xml"]
    modes = [s.get(f"{W}val") for s in settings.iter(f"{W}compatSetting")
             if s.get(f"{W}name") == "compatibilityMode"]
    assert modes == ["15"]
    with zipfile.ZipFile(path) as zf:
        listing = " ".join(zf.namelist()) + zf.read("[Content_Types].xml").decode() \
            + zf.read("word/_rels/document.xml.rels").decode()
    assert "stylesWithEffects" not in listing


def test_a_newer_letterhead_keeps_its_settings(tmp_path):
    base = make_base(tmp_path / "base.docx")
    with zipfile.ZipFile(base) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    settings = parts["word/settings.xml"].decode()
    settings = re.sub(r'(w:name="compatibilityMode" w:uri="[^"]+" w:val=")\d+"', r'\g<1>16"', settings)
    parts["word/settings.xml"] = settings.replace("<w:compat>", "<w:compat><w:useFELayout/>").encode()
    with zipfile.ZipFile(base, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    out = _parts(saved(rich_plan(), tmp_path, base=base), r"word/settings\.xml")["word/settings.xml"]
    compat = {s.get(f"{W}name"): s.get(f"{W}val") for s in out.iter(f"{W}compatSetting")}
    assert compat["compatibilityMode"] == "16" and "useWord2013TrackBottomHyphenation" not in compat
    assert out.find(f"{W}compat/{W}useFELayout") is not None
