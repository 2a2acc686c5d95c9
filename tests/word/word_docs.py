"""Plans to write and ways to read the Word document back, shared by the tests of the word package."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
from docx.oxml.ns import qn

from odplan_xl import schema
from odplan_xl.plan.model import Plan, Row, SectionData
from odplan_xl.rules.findings import Report
from odplan_xl.word import document as word

D = dt.date
NNBSP, LRM = "\u202f", "\u200e"



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
    """A plan with every section filled, subsections on both sides, odd values here and there (one literal)."""
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




def runs_with_style(path: Path, style: str) -> list[str]:
    body = docx.Document(str(path)).element.body
    out = []
    for r in body.iter(qn("w:r")):
        rs = r.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
        if rs is not None and rs.get(qn("w:val")) == style:
            out.append(block_text(r))
    return out



def xml_of(path: Path, part: str = "word/document.xml") -> str:
    return zipfile.ZipFile(path).read(part).decode("utf-8")



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
    # as a letterhead typed in Word: its Arabic run carries its own direction (the base's content is kept)
    section.header.paragraphs[0].add_run("الجمهورية التونسية — ترويسة الوزارة").font.rtl = True
    if logo:
        (path.parent / "logo.png").write_bytes(png())
        section.header.paragraphs[0].add_run().add_picture(str(path.parent / "logo.png"),
                                                           width=docx.shared.Cm(2))
    base.add_paragraph("نص قديم في الوثيقة الأساسية")
    base.save(str(path))
    return path


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
