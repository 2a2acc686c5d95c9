"""The Word document: structure, every value present, totals, hostile text, base documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from odplan_xl import schema
from odplan_xl.plan.model import Plan, Row, SectionData

D = dt.date


def make_rows(section: str, rows: list[dict]) -> list[Row]:
    spec = schema.AUTHORS if section == "authors" else schema.section(section)
    letters = {c.key: chr(ord("A") + i) for i, c in enumerate(spec.columns)}
    return [Row(number=7 + i, values=values,
                cells={k: f"{spec.sheet}!{letters[k]}{7 + i}" for k in values if k in letters})
            for i, values in enumerate(rows)]


def make_plan(cover: dict, authors: list[dict], sections: dict[str, list[dict]],
              na: dict[str, str] | None = None) -> Plan:
    na = na or {}
    data = {s.key: SectionData(key=s.key, sheet=s.sheet, rows=make_rows(s.key, sections.get(s.key, [])),
                               na_reason=na.get(s.key), na_cell=f"{s.sheet}!C4" if s.key in na else None)
            for s in schema.SECTIONS}
    return Plan(source="plan.xlsx", cover=cover,
                cover_cells={k: f"{schema.COVER_SHEET}!C{5 + i}" for i, k in enumerate(cover)},
                authors=SectionData(key="authors", sheet=schema.COVER_SHEET,
                                    rows=make_rows("authors", authors)),
                sections=data)


def rich_plan() -> Plan:
    """A plan with every section filled, subsections on both sides, odd values here and there."""
    return make_plan(
        cover={"structure": "وزارة تكنولوجيات الاتصال", "year": 2027, "status": schema.STATUS_DRAFT,
               "officer": "سلمى بن علي", "officer_title": "مديرة الإدارة العامة للتحول الرقمي",
               "officer_email": "salma.benali@mtc.gov.tn", "officer_phone": "+216 71 123 456",
               "prepared": D(2026, 11, 15), "updated": D(2026, 12, 2)},
        authors=[{"name": "سلمى بن علي", "unit": "الإدارة العامة للتحول الرقمي", "role": "منسقة"},
                 {"name": "كريم الطرابلسي", "unit": "مكتب الإحصاء", "role": "عضو"}],
        sections={
            "objectives": [
                {"objective": "نشر بيانات الميزانية بصيغة مفتوحة", "priority": "عالية",
                 "decree_goal": schema.DECREE_GOALS_SHORT[0], "basis": schema.OBJECTIVE_BASIS[0],
                 "indicator": "عدد مجموعات البيانات المنشورة"},
                {"objective": "الاستجابة لطلبات الباحثين", "priority": "متوسطة",
                 "decree_goal": schema.DECREE_GOALS_SHORT[3], "basis": schema.OBJECTIVE_BASIS[1]},
            ],
            "team": [
                {"category": schema.TEAM_INSIDE, "name": "وحدة البيانات المفتوحة", "role": "تنسيق الخطة",
                 "contact_person": "سلمى بن علي", "contact": "opendata@mtc.gov.tn"},
                {"category": schema.TEAM_EXTERNAL, "name": "المعهد الوطني للإحصاء",
                 "party_type": "هيكل عمومي", "role": "مراجعة الجودة"},
            ],
            "inventory": [
                {"activity": "ورشة تحسيسية حول الجرد", "activity_type": schema.INVENTORY_TYPES[0],
                 "start": D(2027, 2, 1), "end": D(2027, 2, 3), "responsible": "وحدة البيانات",
                 "participants": "رؤساء المصالح", "output": "قائمة أولية"},
                {"activity": "استكمال الجرد", "activity_type": schema.INVENTORY_TYPES[2],
                 "start": D(2027, 3, 1), "end": "32/13/2027", "responsible": None},
            ],
            "datasets": [
                {"title": "ميزانية الوزارة 2027", "description": "الاعتمادات حسب البرامج",
                 "producer": "الإدارة المالية", "format": "CSV", "crit_quality": True, "crit_legal": True,
                 "crit_open_format": True, "crit_demand": False, "priority": 3,
                 "publish_date": D(2027, 4, 30), "frequency": "سنوية", "channel": schema.CHANNELS[0]},
                {"title": "قائمة المؤسسات الناشئة", "producer": "إدارة التجديد", "format": "XLSX",
                 "crit_quality": True, "crit_legal": False, "crit_open_format": True, "crit_demand": True,
                 "priority": 3, "publish_date": "نهاية السنة", "frequency": "شهرية",
                 "channel": schema.CHANNELS[1]},
            ],
            "tools": [
                {"tool": "بوابة البيانات", "tool_type": schema.TOOL_TYPES[1], "description": "CKAN 2.10",
                 "start": D(2027, 1, 10), "end": D(2027, 6, 30), "responsible": "مصلحة الإعلامية"},
            ],
            "reuse": [
                {"scope": schema.REUSE_INTERNAL, "activity": "اجتماع مع الإدارات", "activity_type": "اجتماع",
                 "date": D(2027, 5, 12)},
                {"scope": schema.REUSE_EXTERNAL, "activity": "مسابقة البيانات المفتوحة",
                 "activity_type": "مسابقة (Hackathon)", "use_case": "الطلبة والمطورون",
                 "date": D(2027, 10, 20), "partners": "Tunisia Open Data Lab"},
            ],
            "trainings": [
                {"kind": schema.TRAINING_TECH, "title": "نشر البيانات على CKAN", "audience": "المهندسون",
                 "participants": 12, "days": 3, "start": D(2027, 3, 15), "end": D(2027, 3, 17)},
                {"kind": schema.TRAINING_NONTECH, "title": "الإطار القانوني", "topics": "الأمر 3 لسنة 2021",
                 "audience": "الإطارات", "participants": 25, "days": 1, "start": D(2027, 6, 1),
                 "end": D(2027, 6, 1)},
                {"kind": "تكوين مختلط", "title": "صنف غير معروف", "audience": "الجميع", "days": 2,
                 "start": D(2027, 7, 1), "end": D(2027, 7, 2)},
            ],
            "communication": [
                {"scope": schema.COMM_INTERNAL, "form": schema.COMM_FORMAL, "activity": "مذكرة داخلية",
                 "parties": "كل الإدارات", "channel": "البريد الإداري", "start": D(2027, 1, 5),
                 "end": D(2027, 1, 5)},
                {"scope": schema.COMM_INTERNAL, "form": schema.COMM_INFORMAL,
                 "activity": "لقاء قهوة البيانات", "start": D(2027, 4, 2), "end": D(2027, 4, 2)},
                {"scope": schema.COMM_EXTERNAL, "form": schema.COMM_FORMAL, "activity": "بلاغ صحفي",
                 "channel": "الموقع الرسمي", "start": D(2027, 5, 1), "end": D(2027, 5, 1)},
                {"scope": schema.COMM_EXTERNAL, "form": schema.COMM_INFORMAL, "activity": "مشاركة في ندوة",
                 "start": D(2026, 12, 20), "end": D(2027, 1, 10)},
                {"scope": schema.COMM_EXTERNAL, "form": None, "activity": "نشاط دون صبغة",
                 "start": D(2027, 9, 1), "end": D(2027, 9, 2)},
            ],
            "calendar": [
                {"activity": "المصادقة على الخطة", "section": schema.SECTIONS[0].sheet,
                 "start": D(2027, 1, 3), "end": D(2027, 1, 3), "responsible": "الكاتب العام"},
                {"activity": "تقييم منتصف السنة", "start": "منتصف السنة", "responsible": "وحدة البيانات"},
            ],
            "budget": [
                {"activity": "تطوير البوابة", "section": schema.SECTIONS[4].sheet,
                 "amount": Decimal("12500.250"), "source": schema.FUNDING_SOURCES[0]},
                {"activity": "المسابقة", "amount": Decimal("30000"), "source": schema.FUNDING_SOURCES[1],
                 "funder": "برنامج الاتحاد الأوروبي", "note": "بشرط الموافقة"},
                {"activity": "التكوين", "amount": Decimal("1251.5"), "source": schema.FUNDING_SOURCES[0]},
                {"activity": "مطبوعات", "amount": "ألف دينار", "source": schema.FUNDING_SOURCES[2]},
            ],
        },
    )


# --- reading the document back -------------------------------------------------------------------------
import re  # noqa: E402
import zipfile  # noqa: E402
from pathlib import Path  # noqa: E402

import docx  # noqa: E402
import pytest  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

from odplan_xl.rules.findings import Finding, Report, Severity  # noqa: E402
from odplan_xl.word import document as word  # noqa: E402

NNBSP, LRM = "\u202f", "\u200e"
CRITERIA = ("crit_quality", "crit_legal", "crit_open_format", "crit_demand")


def saved(plan: Plan, tmp_path: Path, report: Report | None = None, base: Path | None = None,
          name: str = "plan.docx") -> Path:
    path = tmp_path / name
    word.save(word.build_document(plan, report, base=base), path)
    return path


def block_text(el) -> str:
    parts = []
    for node in el.iter(qn("w:t"), qn("w:br"), qn("w:p"), qn("w:tab")):
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:tab"):
            parts.append("\t" if node.getparent().tag == qn("w:r") else "")
        else:
            parts.append("\n")
    return "".join(parts).replace(LRM, "")


def heading_level(el) -> int:
    if el.tag != qn("w:p"):
        return 0
    style = el.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    match = re.fullmatch(r"Heading(\d)", style.get(qn("w:val")) if style is not None else "")
    return int(match.group(1)) if match else 0


def headings(path: Path) -> list[tuple[int, str]]:
    body = docx.Document(str(path)).element.body
    return [(heading_level(el), block_text(el).strip()) for el in body if heading_level(el)]


def texts_by_section(path: Path) -> dict[str, str]:
    """Document text cut at each level-1 heading: {"cover": ..., "objectives": ..., ...}."""
    by_heading = {s.numbered_heading: s.key for s in schema.SECTIONS}
    out, current = {"cover": ""}, "cover"
    for el in docx.Document(str(path)).element.body:
        if heading_level(el) == 1:
            current = by_heading[block_text(el).strip()]
            out[current] = ""
        out[current] += block_text(el) + "\n"
    return out


def expected_heading_order() -> list[tuple[int, str]]:
    order = []
    for spec in schema.SECTIONS:
        order.append((1, spec.numbered_heading))
        for sub in spec.subsections:
            order.append((2, sub.heading))
            if sub.value == schema.COMM_EXTERNAL:
                order += [(3, h) for h in schema.COMM_FORM_HEADINGS.values()]
    return order


def shown(value, key: str = "") -> str:
    """A value as the document must print it: written independently of word.format_value."""
    if isinstance(value, bool):
        return "نعم" if value else "لا"
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if isinstance(value, Decimal):
        whole, millimes = f"{value:.3f}".split(".")
        return f"{int(whole):,}".replace(",", NNBSP) + "," + millimes
    if key == "priority" and isinstance(value, int):
        return f"{value}/4"
    text = str(value).replace("\x0b", "\n")
    return re.sub("[\u202a-\u202e\u2066-\u2069\x00-\x08\x0c\x0e-\x1f]", "", text)


def expected_values(plan: Plan) -> list[tuple[str, str, str]]:
    """(section key, where, text) for every non-empty value of the plan."""
    out = []
    for key, value in plan.cover.items():
        if value not in (None, ""):
            out.append(("cover", key, shown(value)))
    for row in plan.authors.rows:
        out += [("cover", f"authors.{k}", shown(v)) for k, v in row.values.items() if v not in (None, "")]
    for key, data in plan.sections.items():
        spec = schema.section(key)
        subs = {s.value for s in spec.subsections}
        if data.na_reason:
            out.append((key, "na", shown(data.na_reason)))
        for row in data.rows:
            for col, value in row.values.items():
                if value in (None, ""):
                    continue
                # a row placed under its subsection heading (or 8's أ/ب) shows its category by place
                if col == spec.category and value in subs:
                    continue
                if key == "communication" and col == "form" and value in schema.COMM_FORM_HEADINGS:
                    continue
                out.append((key, f"row{row.number}.{col}", shown(value, col)))
    return out


def missing_values(plan: Plan, path: Path) -> list[tuple[str, str, str]]:
    texts = {k: re.sub(r"[ \t]+", " ", v) for k, v in texts_by_section(path).items()}
    lost = []
    for section, where, value in expected_values(plan):
        for line in value.split("\n"):
            line = re.sub(r"[ \t]+", " ", line.strip())
            if line and line not in texts.get(section, ""):
                lost.append((section, where, line))
    return lost


# --- tests ---------------------------------------------------------------------------------------------
def test_headings_follow_the_template(tmp_path):
    assert headings(saved(rich_plan(), tmp_path)) == expected_heading_order()


def test_headings_stay_when_sections_are_empty(tmp_path):
    plan = make_plan({"structure": "هيكل"}, [], {})
    assert headings(saved(plan, tmp_path)) == expected_heading_order()


def test_every_value_appears_in_its_section(tmp_path):
    plan = rich_plan()
    path = saved(plan, tmp_path)
    assert len(expected_values(plan)) > 130
    assert missing_values(plan, path) == []


def test_decree_is_cited_with_its_real_date_and_goals(tmp_path):
    text = texts_by_section(saved(rich_plan(), tmp_path))["objectives"]
    assert "عدد 3 لسنة 2021 مؤرخ في 6 جانفي 2021" in text
    assert "2022" not in text
    for goal in schema.DECREE_GOALS_AR:
        assert goal in text


def test_budget_totals(tmp_path):
    plan = rich_plan()
    totals: dict[str, Decimal] = {}
    for row in plan["budget"].rows:
        if isinstance(row.get("amount"), Decimal):
            totals[row.get("source")] = totals.get(row.get("source"), Decimal(0)) + row.get("amount")
    text = texts_by_section(saved(plan, tmp_path))["budget"]
    lines = [x for x in text.split("المجموع حسب مصدر التمويل")[1].split("\n") if x.strip()]
    pairs = dict(zip(lines[3::2], lines[4::2], strict=False))     # after the title and header row
    for source in schema.FUNDING_SOURCES:
        assert pairs[source] == shown(totals.get(source, Decimal(0))) + " د.ت"
    grand = shown(sum(totals.values(), Decimal(0))) + " د.ت"
    assert grand == "43" + NNBSP + "751,750 د.ت"
    assert pairs["المجموع العام"] == grand
    assert "1 مبلغ غير صالح" in text           # "ألف دينار" is printed but not added


HOSTILE = ["a < b && c > d", "{{ x }} {% if %} ${y}", "سطر أول\x0bسطر ثان", "\u202eمعكوس\u202c نص",
           "<w:p>xml</w:p>", "=HYPERLINK(\"http://x\")", "tab\there", "nul\x00char", "  spaces  "]


def hostile_plan() -> Plan:
    return make_plan(
        {"structure": HOSTILE[0], "year": 2027, "status": HOSTILE[1], "officer": HOSTILE[3],
         "prepared": D(2027, 1, 1), "updated": D(2027, 1, 2)},
        [{"name": HOSTILE[4], "unit": HOSTILE[2]}],
        {"datasets": [{"title": text, "producer": HOSTILE[(i + 1) % len(HOSTILE)], "format": "CSV",
                       "publish_date": D(2027, 3, 1)} for i, text in enumerate(HOSTILE)],
         "budget": [{"activity": HOSTILE[1], "amount": Decimal("10"), "source": HOSTILE[0]}]},
        na={"tools": HOSTILE[2]})


def test_hostile_text_comes_through_safely(tmp_path):
    plan = hostile_plan()
    path = saved(plan, tmp_path)
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert "\u202e" not in xml and "\u202c" not in xml and "\x00" not in xml
    assert "<w:p>xml" not in xml and "&lt;w:p&gt;xml&lt;/w:p&gt;" in xml
    text = docx.Document(str(path)).element.body
    full = block_text(text)
    assert "a < b && c > d" in full and "{{ x }} {% if %} ${y}" in full
    assert "سطر أول\nسطر ثان" in full
    assert "معكوس نص" in full and "nulchar" in full
    assert missing_values(plan, path) == []
    # jinja wording with a hostile value (the header): printed, not evaluated
    header = zipfile.ZipFile(path).read("word/header1.xml").decode("utf-8")
    assert "a &lt; b &amp;&amp; c &gt; d" in header


def runs_with_style(path: Path, style: str) -> list[str]:
    body = docx.Document(str(path)).element.body
    out = []
    for r in body.iter(qn("w:r")):
        rs = r.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
        if rs is not None and rs.get(qn("w:val")) == style:
            out.append(block_text(r))
    return out


def test_gaps_are_visible(tmp_path):
    plan = make_plan({"structure": "هيكل", "year": 2027},
                     [{"name": "علي"}],
                     {"inventory": [{"activity": "جرد", "start": D(2027, 2, 1)}],
                      "budget": [{"activity": "شراء", "amount": "مليون"}]},
                     na={"tools": "لا توجد أدوات جديدة هذه السنة"})
    path = saved(plan, tmp_path)
    missing = runs_with_style(path, "OdplanMissing")
    # cover: status, officer, prepared, updated; author's unit; inventory: type, end, responsible;
    # budget: source
    assert missing.count(schema.MISSING_AR) >= 9
    assert "مليون" in runs_with_style(path, "OdplanFlag")
    texts = texts_by_section(path)
    assert "السبب: لا توجد أدوات جديدة هذه السنة" in texts["tools"]
    assert "لم يُدرج أي عنصر في هذا القسم" in texts["datasets"]
    assert "لم يُدرج أي عنصر في هذا القسم" not in texts["tools"]


def test_cells_with_error_findings_are_flagged(tmp_path):
    plan = rich_plan()
    cell = plan["tools"].rows[0].cells["tool"]
    sheet, ref = cell.split("!")
    report = Report(findings=[Finding("bad", Severity.ERROR, sheet, ref, "tool", "خطأ", "erreur", "tools")])
    path = saved(plan, tmp_path, report)
    assert "بوابة البيانات" in runs_with_style(path, "OdplanFlag")
    assert "تنبيه للمراجعة" in texts_by_section(path)["cover"]


def xml_of(path: Path, part: str = "word/document.xml") -> str:
    return zipfile.ZipFile(path).read(part).decode("utf-8")


def test_right_to_left_layout(tmp_path):
    path = saved(rich_plan(), tmp_path)
    doc = docx.Document(str(path))
    body = doc.element.body
    tables = body.findall(qn("w:tbl"))
    assert len(tables) > 15
    for tbl in tables:
        assert tbl.find(f"{qn('w:tblPr')}/{qn('w:bidiVisual')}") is not None
        rows = tbl.findall(qn("w:tr"))
        assert all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows)
    headed = [t for t in tables if t.find(f"{qn('w:tr')}/{qn('w:trPr')}/{qn('w:tblHeader')}") is not None]
    assert len(headed) >= len(tables) - 1         # all but the cover's label/value table
    styles = xml_of(path, "word/styles.xml")
    defaults = re.search("<w:docDefaults>.*</w:docDefaults>", styles).group(0)
    assert "<w:bidi/>" in defaults and 'w:cs="Simplified Arabic"' in defaults and "<w:rtl/>" in defaults
    assert "cstheme" not in styles and "asciiTheme" not in styles
    sections = doc.sections
    assert (sections[0].page_width, sections[0].page_height) == (docx.shared.Twips(11906),
                                                                  docx.shared.Twips(16838))
    assert sections[0].different_first_page_header_footer
    assert not any(s.different_first_page_header_footer for s in sections[1:])
    assert {s.orientation for s in sections} == {0, 1}     # portrait text, landscape wide tables
    footer = xml_of(path, "word/footer1.xml") + xml_of(path, "word/footer2.xml")
    assert " PAGE " in footer and " NUMPAGES " in footer and "صفحة" in footer
    assert '<w:updateFields w:val="true"/>' in xml_of(path, "word/settings.xml")
    header = "".join(xml_of(path, n) for n in zipfile.ZipFile(path).namelist() if "header" in n)
    assert "وزارة تكنولوجيات الاتصال" in header and "2027" in header


def test_table_of_contents_points_at_every_heading(tmp_path):
    doc = word.build_document(rich_plan())
    bookmarks = {b.get(qn("w:name")) for b in doc.element.body.iter(qn("w:bookmarkStart"))}
    refs = word.toc_bookmarks(doc)
    assert len(refs) == len(expected_heading_order()) and set(refs) <= bookmarks
    assert word.set_toc_pages(doc, {name: i + 3 for i, name in enumerate(refs)}) == len(refs)
    path = tmp_path / "toc.docx"
    word.save(doc, path)
    xml = xml_of(path)
    assert 'TOC \\o "1-3"' in xml
    entries = [block_text(p).strip() for p in docx.Document(str(path)).element.body.iter(qn("w:p"))
               if (p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") is not None
                   and re.fullmatch(r"TOC\d", p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val"))))]
    assert entries[0] == schema.SECTIONS[0].numbered_heading + "\t3"
    assert entries[len(refs) - 1].endswith(str(len(refs) + 2))


def test_gantt_months_from_the_right_and_shaded(tmp_path):
    doc = word.build_document(rich_plan())
    month_row = None
    for tbl in doc.element.body.iter(qn("w:tbl")):
        first = [block_text(tc).strip() for tc in tbl.find(qn("w:tr")).findall(qn("w:tc"))]
        if first[-12:] == list(schema.MONTHS_AR):
            month_row = tbl
            break
    assert month_row is not None
    for tr in month_row.findall(qn("w:tr"))[1:]:
        cells = tr.findall(qn("w:tc"))
        if block_text(cells[0]).strip() == "ورشة تحسيسية حول الجرد":      # 01/02 - 03/02
            fills = [tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}") is not None for tc in cells[-12:]]
            assert fills == [m == 1 for m in range(12)]
            break
    else:
        pytest.fail("activity not in the Gantt table")


@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("12500.25"), "12" + NNBSP + "500,250"),
    (Decimal("0"), "0,000"),
    (Decimal("1234567.8915"), "1" + NNBSP + "234" + NNBSP + "567,892"),
    (999, "999,000"),
    (Decimal("-5"), LRM + "-5,000" + LRM),
])
def test_amounts(value, expected):
    assert word.format_amount(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (D(2027, 3, 5), "05/03/2027"), (dt.datetime(2027, 12, 31, 10, 0), "31/12/2027"), (True, "نعم"),
    (False, "لا"), (None, ""), ("32/13/2027", "32/13/2027"), (7, "7"),
    ("+216 71 123 456", LRM + "+216 71 123 456"), ("نص 12 34", "نص 12 34"),
])
def test_values(value, expected):
    assert word.format_value(value) == expected


def png(width: int = 4, height: int = 2) -> bytes:
    """A tiny red PNG (the ministry's logo)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def make_base(path: Path, logo: bool = False) -> Path:
    base = docx.Document()
    section = base.sections[0]
    section.left_margin = section.right_margin = docx.shared.Cm(3)
    section.header.paragraphs[0].text = "الجمهورية التونسية — ترويسة الوزارة"
    if logo:
        (path.parent / "logo.png").write_bytes(png())
        section.header.paragraphs[0].add_run().add_picture(str(path.parent / "logo.png"),
                                                           width=docx.shared.Cm(2))
    base.add_paragraph("نص قديم في الوثيقة الأساسية")
    base.save(str(path))
    return path


def test_base_document_keeps_its_header_and_page_setup(tmp_path):
    base = make_base(tmp_path / "base.docx")
    path = saved(rich_plan(), tmp_path, base=base)
    doc = docx.Document(str(path))
    assert abs(doc.sections[-1].left_margin - docx.shared.Cm(3)) < docx.shared.Cm(0.01)
    assert "الجمهورية التونسية — ترويسة الوزارة" in doc.sections[-1].header.paragraphs[0].text
    text = block_text(doc.element.body)
    assert "نص قديم" not in text
    assert headings(path) == expected_heading_order()
    assert missing_values(rich_plan(), path) == []


def test_base_letterhead_logo_also_on_the_cover(tmp_path):
    base = make_base(tmp_path / "base.docx", logo=True)
    doc = docx.Document(str(saved(rich_plan(), tmp_path, base=base)))
    first = doc.sections[0]
    assert first.different_first_page_header_footer
    cover_header = first.first_page_header
    assert "ترويسة الوزارة" in cover_header.paragraphs[0].text
    blips = list(cover_header._element.iter(qn("a:blip")))
    assert len(blips) == 1
    image = cover_header.part.related_parts[blips[0].get(qn("r:embed"))]
    assert image.blob == png()
    assert "PAGE" not in "".join(first.first_page_footer._element.itertext())
    assert " PAGE " in "".join(first.footer._element.itertext())


@pytest.mark.parametrize("content", [b"not a zip", b"PK\x03\x04broken", None])
def test_a_bad_base_document_is_a_clear_error(tmp_path, content):
    base = tmp_path / "base.docx"
    if content is not None:
        base.write_bytes(content)
    with pytest.raises(OdplanError) as err:
        word.build_document(rich_plan(), base=base)
    assert err.value.code == "bad-base" and "base.docx" in err.value.message("fr")


@pytest.mark.parametrize("rows", [1200])
def test_long_tables_are_split_with_repeated_headers(tmp_path, rows):
    plan = make_plan({"structure": "هيكل", "year": 2027}, [], {"datasets": [
        {"title": f"مجموعة {i}", "producer": "إدارة", "format": "CSV", "crit_quality": True,
         "crit_legal": True, "crit_open_format": False, "crit_demand": False, "priority": 2,
         "publish_date": D(2027, 1 + i % 12, 1), "frequency": "سنوية", "channel": schema.CHANNELS[0]}
        for i in range(rows)]})
    path = saved(plan, tmp_path)
    body = docx.Document(str(path)).element.body
    tables = [t for t in body.iter(qn("w:tbl")) if "مجموعة البيانات" in block_text(t.find(qn("w:tr")))]
    assert len(tables) == -(-rows // word.CHUNK_ROWS)
    assert sum(len(t.findall(qn("w:tr"))) - 1 for t in tables) == rows
    assert missing_values(plan, path) == []


# --- the example workbook, end to end (reader + checker + convert) ----------------------------------------
from odplan_xl.app.check import check  # noqa: E402
from odplan_xl.app.convert import PlanHasErrors, convert  # noqa: E402
from odplan_xl.errors import OdplanError  # noqa: E402
from odplan_xl.workbook.example import example_data  # noqa: E402


def test_example_every_value_appears(example_path, tmp_path):
    plan, report = check(example_path)
    result = convert(example_path, tmp_path / "example.docx")
    assert result.output.exists() and result.pdf is None and result.report.ok
    assert len(expected_values(plan)) > 400
    assert missing_values(plan, result.output) == []
    assert headings(result.output) == expected_heading_order()


def test_convert_writes_beside_the_input_and_leaves_it_alone(example_path, tmp_path):
    source = tmp_path / "خطة 2027.xlsx"
    source.write_bytes(example_path.read_bytes())
    before = source.read_bytes()
    result = convert(source)
    assert result.output == tmp_path / "خطة 2027.docx" and result.output.exists()
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["خطة 2027.docx", "خطة 2027.xlsx"]


def test_convert_never_overwrites_its_inputs(example_path, tmp_path):
    base = make_base(tmp_path / "base.docx")
    before = base.read_bytes()
    with pytest.raises(OdplanError) as err:
        convert(example_path, base, base=base)
    assert err.value.code == "output-is-input"
    with pytest.raises(OdplanError) as err:
        convert(example_path, tmp_path / "plan.xlsx")
    assert err.value.code == "bad-output-name"
    assert base.read_bytes() == before


def test_strict_refuses_a_plan_with_errors(make_workbook, tmp_path):
    data = example_data()
    data["cover"]["officer"] = None
    data["sections"]["datasets"][0]["publish_date"] = "32/13/2027"
    path = make_workbook(data, "incomplete.xlsx")
    with pytest.raises(PlanHasErrors) as err:
        convert(path, tmp_path / "strict.docx", strict=True)
    assert err.value.report.errors and not (tmp_path / "strict.docx").exists()
    result = convert(path, tmp_path / "lenient.docx")
    assert result.report.errors
    assert schema.MISSING_AR in runs_with_style(result.output, "OdplanMissing")
    assert "32/13/2027" in runs_with_style(result.output, "OdplanFlag")


def test_pdf_without_libreoffice_is_a_clear_error(example_path, tmp_path, monkeypatch):
    monkeypatch.setenv("ODPLAN_SOFFICE", str(tmp_path / "no-such-soffice"))
    with pytest.raises(OdplanError) as err:
        convert(example_path, tmp_path / "plan.docx", pdf=True)
    assert err.value.code == "no-libreoffice" and "LibreOffice" in err.value.ar
    assert not (tmp_path / "plan.docx").exists()


# Word refuses (or "repairs") documents whose property elements are out of the schema's order.
ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr "
           "shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN "
           "bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
           "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
           "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
           "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
             "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign "
            "hideMark",
    "sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders "
              "lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter "
              "docGrid printerSettings sectPrChange",
    "style": "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed "
             "qFormat locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr",
}


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "word/header1.xml",
                                  "word/footer1.xml"])
def test_properties_in_schema_order(tmp_path, part):
    from lxml import etree
    path = saved(rich_plan(), tmp_path)
    root = etree.fromstring(zipfile.ZipFile(path).read(part))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    checked = 0
    for name, order in ORDER.items():
        rank = {tag: i for i, tag in enumerate(order.split())}
        for el in root.iter(w + name):
            tags = [c.tag.replace(w, "") for c in el if c.tag.startswith(w)]
            ranks = [rank.get(t, -1) for t in tags]
            assert -1 not in ranks, (name, tags)
            if name == "sectPr":     # header/footer references may interleave
                ranks = [max(r, 1) for r in ranks]
            assert ranks == sorted(ranks), (name, tags)
            checked += 1
    assert checked > 0
