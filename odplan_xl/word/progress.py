"""The follow-up report («تقرير متابعة تنفيذ الخطة السنوية») as a Word document, in the plans' house style."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Twips
from lxml import etree

from odplan_xl import schema
from odplan_xl.files import atomic_path
from odplan_xl.plan import display
from odplan_xl.plan.model import Plan
from odplan_xl.plan.progress import STATE_AR, STATES, Progress, state
import odplan_xl.word.document as word
import odplan_xl.word.oxml as oxml
import odplan_xl.word.pages as pages
import odplan_xl.word.tables as tables
from odplan_xl.word.styles import update_fields_on_open

TITLE_AR = "تقرير متابعة تنفيذ الخطة السنوية"
TITLE_FR = "Rapport de suivi de la mise en œuvre du plan annuel"


class _Report(word._Builder):
    """The plans' document builder (styles, page sections, headings, tables) fed the follow-up figures."""

    def __init__(self, doc: Document, plan: Plan, f: Progress, chart: bytes | None):
        super().__init__(doc, plan, None)
        self.f = f
        self.chart = chart

    def header_footer(self) -> None:
        header = f"{display.clean(self.plan.structure).strip() or schema.MISSING_AR} — {TITLE_AR}"
        pages.headers_and_footers(self.doc, self.styles["Header"], self.styles["Footer"], header,
                                  (word.text("footer_page"), word.text("footer_of")))

    def image(self, png: bytes) -> None:
        p = self.add(oxml.para("Normal", jc="center", keep_next=False))
        inline = self.doc.part.new_pic_inline(io.BytesIO(png), Twips(self.width), None)
        etree.SubElement(etree.SubElement(p, qn("w:r")), qn("w:drawing")).append(inline)

    def figures(self) -> None:
        f, plan = self.f, self.plan
        self.para("Title", TITLE_AR)
        year = plan.year
        self.para("Subtitle", f"{display.clean(plan.structure).strip() or schema.MISSING_AR} — "
                              f"{word.text('cover_year', '').strip()} {year if year else schema.MISSING_AR}")
        self.para("Normal", f"الوضعية بتاريخ {display.format_date(f.today)}، حسب خانة «حالة التنفيذ» في كل "
                            f"جدول من جداول الأقسام 3 إلى 10 (الخانة الفارغة تعني «مبرمج»؛ النشاط المتأخر هو "
                            f"نشاط انقضى تاريخ نهايته ولم يُسجَّل «منجز» ولا «ملغى»).")
        if not f.followed:
            self.para("OdplanNote", "لم تُملأ خانة «حالة التنفيذ» في أي نشاط: كل الأنشطة تُحتسب «مبرمجة».")
        total = f.total
        published, planned = f.datasets
        rows = [[(STATE_AR[s], "strong"), (str(total[s]), None)] for s in STATES]
        rows.insert(0, [("مجموع الأنشطة", "strong"), (str(f.activities), None)])
        rows.append([("مجموعات البيانات المنشورة من المبرمجة", "strong"), (f"{published} / {planned}", None)])
        label = int(self.width * 0.6)
        self.table(tables.Table(("", ""), (label, self.width - label), rows, header=False,
                                style=("OdplanCell", "OdplanCellCenter")))

    def by_section(self) -> None:
        f = self.f
        self.heading(1, "حالة التنفيذ حسب القسم")
        if self.chart:
            self.image(self.chart)
        labels = ("القسم", *(STATE_AR[s] for s in STATES), word.text("grand_total"))
        rows = []
        for key, counts in f.by_section.items():
            rows.append([(schema.section(key).sheet, None), *((str(counts[s]), None) for s in STATES),
                         (str(sum(counts.values())), "strong")])
        total = f.total
        rows.append([(word.text("grand_total"), "strong"), *((str(total[s]), "strong") for s in STATES),
                     (str(f.activities), "strong")])
        n = len(STATES) + 2
        widths = tables.widths([3] + [1] * (n - 1), [None] * n, self.width)
        self.table(tables.Table(labels, widths, rows, style=["OdplanCell"] + ["OdplanCellCenter"] * (n - 1)))

    def late(self) -> None:
        f = self.f
        self.orientation(True)
        self.heading(1, "الأنشطة المتأخرة")
        if not f.late:
            self.para("Normal", f"لا يوجد أي نشاط متأخر بتاريخ {display.format_date(f.today)}.")
            return
        self.para("Normal", f"{len(f.late)} نشاطا انقضى تاريخ نهايته ولم يُسجَّل «منجز» ولا «ملغى»:")
        labels = ("القسم", "النشاط", "المسؤول", "تاريخ النهاية", "حالة التنفيذ", "ملاحظات المتابعة")
        rows = [[(schema.section(a.section).sheet, None), (display.clean(a.activity) or schema.MISSING_AR, None),
                 (display.clean(a.responsible) or "—", None), (display.format_date(a.end), "flag"),
                 (a.state, None), (display.clean(a.note), None)] for a in f.late]
        widths = tables.widths([1.6, 3, 1.6, 1, 1, 2.4], [None] * 6, self.width)
        self.table(tables.Table(labels, widths, rows,
                                style=["OdplanCell", "OdplanCell", "OdplanCell", "OdplanCellCenter",
                                       "OdplanCellCenter", "OdplanCell"]))

    def datasets(self) -> None:
        published, planned = self.f.datasets
        self.heading(1, "نشر مجموعات البيانات")
        self.para("Normal", f"نُشرت {published} مجموعة بيانات من {planned} مبرمجة (دون احتساب الملغاة).")
        rows = []
        spec = schema.section("datasets")
        for row in self.plan.sections["datasets"].rows:
            date = row.get("publish_date")
            rows.append([(display.clean(str(row.get("title") or "")) or schema.MISSING_AR, None),
                         (display.format_date(date) if isinstance(date, dt.date) else schema.MISSING_AR, None),
                         (STATE_AR[state(spec, row, self.f.today)], None)])
        if rows:
            widths = tables.widths([3, 1, 1], [None] * 3, self.width)
            self.table(tables.Table(("مجموعة البيانات", "تاريخ النشر المبرمج", "حالة التنفيذ"), widths, rows,
                                    style=["OdplanCell", "OdplanCellCenter", "OdplanCellCenter"]))
        self.orientation(False)


def build(plan: Plan, f: Progress, chart: bytes | None) -> Document:
    doc = word.load_base()
    builder = _Report(doc, plan, f, chart)
    builder.header_footer()
    builder.figures()
    builder.by_section()
    builder.late()
    builder.datasets()
    builder.finish_sections()
    update_fields_on_open(doc)
    props = doc.core_properties
    props.title = f"{TITLE_AR} — {display.clean(plan.structure).strip()}".strip(" —")
    props.author = props.last_modified_by = props.comments = ""
    props.created = props.modified = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    return doc


def write(plan: Plan, f: Progress, chart: bytes | None, path: Path) -> Path:
    """The follow-up report, written atomically."""
    doc = build(plan, f, chart)
    with atomic_path(path) as tmp:
        doc.save(str(tmp))
    return path
