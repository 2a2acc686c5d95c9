"""national.docx: what Word accepts, run-level right-to-left, and every figure against the test's own sums."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal

import docx
import national_plans as gen
import openpyxl
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


def count(n: int) -> str:
    """A count as the report prints it: 2 778 (narrow no-break space between thousands)."""
    return f"{n:,}".replace(",", chr(0x202F))


def test_plans_table(tables, want):
    rows = tables["الهيكل|الميزانية (د.ت)"]
    by_body = {r[0]: r for r in rows}
    assert set(by_body) == set(want)
    for name, w in want.items():
        r = by_body[name]
        assert r[1] == w["status"]
        assert r[7] == count(len(w["datasets"]))
        assert r[8] == amount(w["total"])
        assert re.fullmatch(r"\d{1,3},\d%", r[3])                  # 97,8% : a decimal comma
    invalid = by_body[gen.NAMES[gen.INVALID_BODY]]                   # two invalid dates, nothing empty
    assert invalid[2] == "بها قيم غير صحيحة" and invalid[3] != "100,0%"
    assert int(invalid[4]) >= 1 and invalid[5] == "0" and int(invalid[6]) >= 2
    for i in gen.INCOMPLETE:
        if gen.NAMES[i] in by_body:
            assert by_body[gen.NAMES[i]][2] == "بها خانات ناقصة" and by_body[gen.NAMES[i]][5] != "0"
    for r in rows:
        if r[2] == "مكتملة وصحيحة":
            assert (r[3], r[4], r[5], r[6]) == ("100,0%", "0", "0", "0")


def test_calendar(tables, want):
    months = tables["الشهر|مجموعات البيانات"]
    expect = [sum(w["months"][k] for w in want.values()) for k in range(13)]
    assert [r[1] for r in months] == [str(n) for n in expect] + [str(sum(expect))]
    assert [r[0] for r in months][:12] == ["جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت",
                                           "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
    listed = tables["الهيكل|قناة النشر"]
    got = sorted(((r[0], r[1], r[3], r[4], r[5], r[6], r[7]) for r in listed), key=repr)
    want_rows = sorted(((n, t or "غير محدد", d.strftime("%d/%m/%Y") if hasattr(d, "strftime") else d or "غير محدد", fmt, fr, f"{p}/4", ch)
                        for n, w in want.items() for t, d, fmt, fr, p, ch in w["datasets"]), key=repr)
    assert got == want_rows


def test_trainings(tables, want):
    rows = tables["الهيكل|أيام التكوين"]
    by_body = {r[0]: r[1:] for r in rows}
    for name, w in want.items():
        assert by_body[name] == [count(w["trainings"]), count(w["participants"]), count(w["days"])]
    assert by_body["المجموع العام"] == [count(sum(w[k] for w in want.values()))
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


def _texts(path) -> str:
    """Every text of a .docx or .xlsx package (document, headers, sheets, shared strings, charts)."""
    with zipfile.ZipFile(path) as z:
        return "\n".join(" ".join(etree.fromstring(z.read(n)).itertext()) for n in z.namelist()
                         if n.endswith(".xml"))


def test_no_readable_plan_no_none(inbox, tmp_path):
    """Only an unreadable file: the outputs say so, nowhere «None», and the file is no plan."""
    import subprocess
    import sys

    root, _ = inbox
    res = subprocess.run([sys.executable, "-m", "odplan_xl.cli", "national", str(root / "establishments/corrupt.xlsx"),
                          "-o", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "None" not in res.stdout + res.stderr
    for name in ("national.docx", "national.xlsx"):
        text = _texts(tmp_path / name)
        assert "None" not in text, name
    report = _texts(tmp_path / "national.docx")
    assert "لم تُقرأ أي خطة" in report
    result = OpenXmlValidator(file_format=FileFormat.OFFICE_2019).validate(str(tmp_path / "national.docx"))
    assert [str(e) for e in result.errors] == []
    book = openpyxl.load_workbook(tmp_path / "national.xlsx")
    total = [c.value for c in book["الخطط"]["A"] if isinstance(c.value, str) and c.value.startswith("المجموع")]
    assert total == ["المجموع: 0 خطة و1 ملف تعذرت قراءته"]


def test_unreadable_files_are_no_plans_in_the_overview(book):
    total = [c.value for c in book["الخطط"]["A"] if isinstance(c.value, str) and c.value.startswith("المجموع")]
    assert total == ["المجموع: 24 خطة و1 ملف تعذرت قراءته"]


def test_same_fonts_and_styles_as_the_plans(run, tmp_path):
    """national.docx is built on the plans' base document: the same default fonts and the same styles."""
    from odplan_xl.app.convert import convert
    from odplan_xl.workbook.example import example_data
    from odplan_xl.workbook.template import build_workbook

    convert(build_workbook(tmp_path / "p.xlsx", example_data()), tmp_path / "p.docx")
    plan = tmp_path / "p.docx"

    def styles(path):
        with zipfile.ZipFile(path) as z:
            root = etree.fromstring(z.read("word/styles.xml"))
        return {(s.get(f"{W}styleId"), etree.tostring(s.find(f"{W}rPr")) if s.find(f"{W}rPr") is not None else b"")
                for s in root.iter(f"{W}style")} | {etree.tostring(d) for d in root.iter(f"{W}docDefaults")}

    national_styles, plan_styles = styles(run[1] / "national.docx"), styles(plan)
    assert national_styles == plan_styles
    fonts = [f for f in national_styles if isinstance(f, bytes) and b"rFonts" in f]
    assert fonts and b'w:cs="Simplified Arabic"' in fonts[0]


LONG_SOURCES = ("الاستثمارات الخارجية", "المساعدات الاستراتيجية", "الصندوق الاستثنائي", "الاتفاقيات الثنائية",
                "المخصصات الجهوية", "التمويلات التشاركية", "الاعتمادات الإضافية", "المنظمات الأممية")


@pytest.fixture(scope="module")
def many_sources(tmp_path_factory):
    """A national report whose budget table has a column for each of ten funding sources."""
    from odplan_xl.app.national import national
    from odplan_xl.workbook.example import example_data
    from odplan_xl.workbook.template import build_workbook

    root = tmp_path_factory.mktemp("many_sources")
    data = example_data()
    lines = data["sections"]["budget"]
    data["sections"]["budget"] = [{**lines[k % len(lines)], "source": source} for k, source in enumerate(LONG_SOURCES)]
    build_workbook(root / "in" / "plan.xlsx", data)
    national([root / "in"], root / "out", jobs=1)
    with zipfile.ZipFile(root / "out" / "national.docx") as z:
        return {n: z.read(n) for n in z.namelist()}


@pytest.mark.parametrize("which", ["thirty plans", "ten funding sources"])
def test_headers_wrap_between_words(package, many_sources, which):
    package = package if which == "thirty plans" else many_sources
    """Every word of every table header fits its column: measured with the Arabic font LibreOffice puts
    for the house font (Noto Naskh Arabic Bold, the header's 9 pt, shaped by raqm), against the column's
    width less the cell margins. A narrower column would break the word («مجموعا/ت»)."""
    from matplotlib import font_manager
    from PIL import ImageFont, features

    if not features.check("raqm"):
        pytest.skip("Pillow without raqm cannot shape Arabic")
    path = font_manager.findfont(font_manager.FontProperties(family="Noto Naskh Arabic", weight="bold"))
    font = ImageFont.truetype(path, 900, layout_engine=ImageFont.Layout.RAQM)    # 9 pt x 100

    def twips(word: str) -> float:
        left, _, right, _ = font.getbbox(word, direction="rtl")
        return (right - left) / 100 * 20

    body = etree.fromstring(package["word/document.xml"])
    checked = 0
    for tbl in body.iter(f"{W}tbl"):
        widths = [int(g.get(f"{W}w")) for g in tbl.iter(f"{W}gridCol")]
        margin = tbl.find(f"{W}tblPr/{W}tblCellMar/{W}left")
        room = 2 * int(margin.get(f"{W}w")) if margin is not None else 216
        head = tbl.find(f"{W}tr")
        if head.find(f"{W}trPr/{W}tblHeader") is None:
            continue
        for cell, width in zip(head.iter(f"{W}tc"), widths, strict=True):
            for word in "".join(t.text or "" for t in cell.iter(f"{W}t")).split():
                assert twips(word) <= width - room, (word, twips(word), width)
                checked += 1
    assert checked > 40
