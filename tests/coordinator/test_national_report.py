"""national.docx: what Word accepts, run-level right-to-left, and every figure against the test's own sums."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal

import docx
import national_plans as gen
import pytest
from lxml import etree
from openxml_audit import FileFormat, OpenXmlValidator

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ARABIC = re.compile("[\u0600-\u06ff]")
RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
             "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
             "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
             "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")


def amount(value: Decimal, currency: bool = False) -> str:
    """Dinars as the plans print them: 12 500,250 (narrow no-break space between thousands)."""
    whole, millimes = f"{value:,.3f}".split(".")
    text = f"{whole.replace(',', chr(0x202F))},{millimes}"
    return f"{text} د.ت" if currency else text


@pytest.fixture(scope="module")
def package(run):
    with zipfile.ZipFile(run[1] / "national.docx") as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.fixture(scope="module")
def tables(run) -> dict[str, list[list[str]]]:
    """Tables of the report by the text of their first header cell (several with the same head: joined)."""
    out: dict[str, list[list[str]]] = {}
    for table in docx.Document(str(run[1] / "national.docx")).tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        out.setdefault(rows[0][0] + "|" + rows[0][-1], []).extend(rows[1:] if rows[0][0] else rows)
    return out


def test_word_accepts_it(run):
    result = OpenXmlValidator(file_format=FileFormat.OFFICE_2019).validate(str(run[1] / "national.docx"))
    assert [str(e) for e in result.errors] == []


def _parts(package, prefix=("word/document.xml", "word/header", "word/footer")):
    return {n: etree.fromstring(b) for n, b in package.items() if n.startswith(prefix) and n.endswith(".xml")}


def test_every_arabic_run_carries_rtl_itself(package):
    checked = 0
    for name, root in _parts(package).items():
        for run in root.iter(f"{W}r"):
            text = "".join(t.text or "" for t in run.iter(f"{W}t"))
            if not ARABIC.search(text):
                continue
            rpr = run.find(f"{W}rPr")
            assert rpr is not None and rpr.find(f"{W}rtl") is not None, (name, text)
            lang = rpr.find(f"{W}lang")
            assert lang is not None and lang.get(f"{W}bidi") == "ar-TN", (name, text)
            ranks = [RPR_ORDER.index(etree.QName(c).localname) for c in rpr]
            assert ranks == sorted(ranks), (name, text)
            checked += 1
    assert checked > 500


def test_paragraphs_are_right_to_left_and_styles_carry_no_rtl(package):
    body = _parts(package, ("word/document.xml",))["word/document.xml"]
    for p in body.iter(f"{W}p"):
        assert p.find(f"{W}pPr/{W}bidi") is not None
    styles = etree.fromstring(package["word/styles.xml"])
    assert list(styles.iter(f"{W}rtl")) == []
    assert "word/stylesWithEffects.xml" not in package


def test_three_charts_as_images(package):
    images = [n for n in package if n.startswith("word/media/") and n.endswith(".png")]
    assert len(images) == 3
    assert all(package[n][:8] == b"\x89PNG\r\n\x1a\n" for n in images)


def test_plans_table(tables, want):
    rows = tables["الهيكل|الميزانية (د.ت)"]
    by_body = {r[0]: r for r in rows}
    assert set(by_body) == set(want)
    for name, w in want.items():
        r = by_body[name]
        assert r[1] == w["status"]
        assert (r[5], r[6]) == (str(len(w["datasets"])), str(w["trainings"]))
        assert r[7] == amount(w["total"])


def test_calendar(tables, want):
    months = tables["الشهر|مجموعات البيانات"]
    expect = [sum(w["months"][k] for w in want.values()) for k in range(13)]
    assert [r[1] for r in months] == [str(n) for n in expect] + [str(sum(expect))]
    assert [r[0] for r in months][:12] == ["جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت",
                                           "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
    listed = tables["الهيكل|قناة النشر"]
    got = sorted(((r[0], r[1], r[3], r[4], r[5], r[6], r[7]) for r in listed), key=repr)
    want_rows = sorted(((n, t or "غير محدد", d.strftime("%d/%m/%Y") if d else "غير محدد", fmt, fr, f"{p}/4", ch)
                        for n, w in want.items() for t, d, fmt, fr, p, ch in w["datasets"]), key=repr)
    assert got == want_rows


def test_trainings(tables, want):
    rows = tables["الهيكل|أيام التكوين"]
    by_body = {r[0]: r[1:] for r in rows}
    for name, w in want.items():
        assert by_body[name] == [str(w["trainings"]), str(w["participants"]), str(w["days"])]
    assert by_body["المجموع العام"] == [str(sum(w[k] for w in want.values()))
                                        for k in ("trainings", "participants", "days")]


def test_budget(tables, want):
    sources = sorted({s for w in want.values() for s in w["budget"]})
    per_source = {r[0]: r[1] for r in tables["مصدر التمويل|المبلغ"]}
    grand = sum(w["total"] for w in want.values())
    for source in sources:
        assert per_source[source] == amount(sum(w["budget"].get(source, Decimal(0)) for w in want.values()), True)
    assert per_source["المجموع العام"] == amount(grand, True)
    rows = {r[0]: r for r in tables["الهيكل|المجموع"]}
    for name, w in want.items():
        assert rows[name][-1] == amount(w["total"])
    assert rows["المجموع العام"][-1] == amount(grand)


def test_files_left_out_are_listed_with_their_reason(tables, inbox):
    rows = tables["الملف|السبب"]
    assert len(rows) == 1 and rows[0][0].endswith("corrupt.xlsx") and rows[0][1]
    other = tables["الملف|سنة الخطة"]
    assert sorted(r[2] for r in other) == sorted(str(d["cover"]["year"]) for d in inbox[1].values()
                                                 if d and d["cover"]["year"] != gen.YEAR)
