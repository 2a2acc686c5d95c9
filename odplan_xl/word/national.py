"""The national report as a Word document, in the plans' house style: cover, contents, figures, tables,
chart images, and run-level right-to-left."""

from __future__ import annotations

import copy
import datetime as dt
import io
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Twips
from lxml import etree

import odplan_xl.word.document as word
import odplan_xl.word.oxml as oxml
import odplan_xl.word.tables as tables
from odplan_xl import schema
from odplan_xl.files import atomic_path
from odplan_xl.plan import display
from odplan_xl.word.styles import update_fields_on_open

if TYPE_CHECKING:
    from odplan_xl.coordinator.figures import Figures


# --- wording ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _texts() -> Any:
    # output goes into the document through lxml, which escapes it (see word.wording)
    env = jinja2.Environment(loader=jinja2.PackageLoader("odplan_xl", "texts"), autoescape=False,
                             undefined=jinja2.StrictUndefined)
    return env.get_template("national_ar.j2").module


def text(name: str, *args: Any) -> str:
    return str(getattr(_texts(), name)(*args)).strip("\n")


# --- run-level right-to-left ------------------------------------------------------------------------
# Word ignores w:rtl in a style's run properties ([MS-OI29500] §2.1.260; the Open XML SDK's style run
# properties have no rtl child): each run of Arabic text carries its own w:rtl and w:lang w:bidi, and
# styles carry none. Child order of w:rPr is a sequence (ECMA-376 CT_RPr).
_RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color",
              "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd",
              "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")
_RANK = {name: k for k, name in enumerate(_RPR_ORDER)}
# --- the document -------------------------------------------------------------------------------


class _Report(word._Builder):
    """The plans' document builder (styles, page sections, headings, contents, tables), fed national figures."""

    def __init__(self, doc: Document, f: Figures, charts: dict[str, bytes]):
        super().__init__(doc, None, None)       # no plan: every part below is written from `f`
        self.f = f
        self.charts = charts

    def header_footer(self) -> None:
        section = self.doc.sections[-1]
        section.header.is_linked_to_previous = False
        oxml.replace_content(section.header._element,
                              oxml.para(self.styles["Header"], text("header", self.f.year or "")))
        footer = section.footer
        footer.is_linked_to_previous = False
        p = oxml.para(self.styles["Footer"])
        oxml.run(p, word.text("footer_page"))
        oxml.field(p, "PAGE", "1")
        oxml.run(p, word.text("footer_of"))
        oxml.field(p, "NUMPAGES", "1")
        oxml.replace_content(footer._element, p)
        for part in (section.first_page_header, section.first_page_footer):
            part.is_linked_to_previous = False
            oxml.replace_content(part._element, oxml.para("OdplanSpacer"))
        self.sect_template = copy.deepcopy(self.final_sect)

    def image(self, png: bytes, width: int | None = None) -> None:
        p = self.add(oxml.para("Normal", jc="center", keep_next=False))
        inline = self.doc.part.new_pic_inline(io.BytesIO(png), Twips(width or self.width), None)
        etree.SubElement(etree.SubElement(p, qn("w:r")), qn("w:drawing")).append(inline)

    def two_columns(self, rows: list[list[word.Cell]], heads: tuple[str, str] | None = None) -> None:
        label = int(self.width * 0.6)
        self.table(tables.Table(heads or ("", ""), (label, self.width - label), rows, header=heads is not None,
                               style=("OdplanCell", "OdplanCellNumber")))

    # -- parts
    def cover(self) -> None:
        f = self.f
        self.para("OdplanSpacer")
        for _ in range(3):
            self.para("Normal")
        self.para("Title", text("title"))
        self.para("Subtitle", text("cover_year", f.year or schema.MISSING_AR))
        self.para("Normal")
        self.para("OdplanLabel", text("key_figures"))
        self.two_columns([[(label, "strong"), (_number(value), None)] for label, value in f.key_figures()])
        self.para("OdplanNote", text("cover_made", display.format_date(dt.date.today()), len(f.records)))

    def plans(self) -> None:
        f = self.f
        self.heading(1, text("plans_title"))
        if not f.bodies:
            self.para("Normal", text("plans_none", len(f.records)))
        else:
            self.para("Normal", text("plans_intro", len(f.bodies), *f.state_counts(), f.year_label,
                                     len(f.unreadable)))
        if "completeness" in self.charts:
            self.image(self.charts["completeness"])
            if f.bodies:
                self.para("OdplanNote", text("plans_chart_note"))
        if not f.bodies:
            return
        labels = ("الهيكل", "حالة الخطة", "النتيجة", "الخانات الصحيحة", "قيم غير صحيحة", "خانات فارغة",
                  "الأخطاء", "مجموعات البيانات", "الميزانية (د.ت)")
        rows = []
        for b in f.bodies:
            cells, errors = b.cells, b.record.get("errors") or 0
            valid = cells.shares()[0]
            rows.append([(display.clean(b.name), None), (display.clean(b.record.get("status") or ""), None),
                         (b.state_ar, "flag" if b.record.get("errors") else None),
                         (display.format_percent(valid), None),
                         (_count(cells.invalid), "flag" if cells.invalid else None),
                         (_count(cells.missing), "flag" if cells.missing else None),
                         (_count(errors), "flag" if errors else None), (_count(len(b.datasets)), None),
                         (display.format_amount(b.budget_total), None)])
        styles = ["OdplanCell", "OdplanCell", "OdplanCell"] + ["OdplanCellCenter"] * 5 + ["OdplanCellNumber"]
        self.table(tables.Table(labels, self.fit(labels, [2.6, 1.4, 1.3, 1, 1, 1, 0.8, 1, 1.5]), rows,
                                style=styles))

    def fit(self, labels: tuple[str, ...] | list[str], weights: list[float]) -> list[int]:
        """Column widths by weight, each at least as wide as the longest word of its header, so that
        headers wrap between words, never inside one."""
        least = [header_width(label) for label in labels]
        if sum(least) > self.width:          # cannot be done: as wide as the weights say
            return tables.widths(weights, [None] * len(labels), self.width)
        fixed: list[int | None] = [None] * len(labels)
        for _ in labels:
            widths = tables.widths(weights, fixed, self.width)
            narrow = [k for k, w in enumerate(widths) if fixed[k] is None and w < least[k]]
            if not narrow:
                return widths
            for k in narrow:
                fixed[k] = least[k]
        return tables.widths(weights, fixed, self.width)

    def calendar(self) -> None:
        f = self.f
        self.heading(1, text("calendar_title"))
        self.para("Normal", text("calendar_intro", _count(f.datasets), _count(sum(1 for b in f.bodies if b.datasets))))
        if "months" in self.charts:
            self.image(self.charts["months"])
        rows = [[(name, None), (_count(n), None)] for name, n in zip(f.month_labels, f.months, strict=True)]
        rows.append([(word.text("grand_total"), "strong"), (_count(f.datasets), "strong")])
        self.two_columns(rows, ("الشهر", "مجموعات البيانات"))
        self.orientation(True)
        self.heading(2, text("calendar_list"))
        labels = ("الهيكل", "مجموعة البيانات", "الإدارة المنتجة", "تاريخ النشر المبرمج", "الصيغة",
                  "دورية التحيين", "درجة الأولوية", "قناة النشر")
        rows = []
        for body, ds in f.calendar():
            date = ds.get("publish_date")
            rows.append([(display.clean(body.name), None), _value(ds.get("title")), _value(ds.get("producer")),
                         _value(date), _value(ds.get("format")), _value(ds.get("frequency")),
                         (f"{ds.get('priority')}/4", None), _value(ds.get("channel"))])
        widths = self.fit(labels, [2.4, 3, 2.2, 1.1, 0.8, 1, 0.9, 2])
        styles = ["OdplanCell"] * 3 + ["OdplanCellCenter"] * 4 + ["OdplanCell"]
        self.table(tables.Table(labels, widths, rows, style=styles))
        self.orientation(False)

    def trainings(self) -> None:
        f = self.f
        self.heading(1, text("trainings_title"))
        self.para("Normal", text("trainings_intro", _count(f.trainings), _count(f.participants),
                                 _count(f.training_days)))
        labels = ("الهيكل", "الدورات التكوينية", "المشاركون", "أيام التكوين")
        rows = [[(display.clean(b.name), None), (_count(len(b.trainings)), None), (_count(b.participants), None),
                 (_count(b.training_days), None)] for b in f.bodies]
        rows.append([(word.text("grand_total"), "strong"), (_count(f.trainings), "strong"),
                     (_count(f.participants), "strong"), (_count(f.training_days), "strong")])
        widths = self.fit(labels, [3, 1, 1, 1])
        self.table(tables.Table(labels, widths, rows, style=["OdplanCell"] + ["OdplanCellCenter"] * 3))

    def budget(self) -> None:
        f = self.f
        self.heading(1, text("budget_title"))
        self.para("Normal", text("budget_intro", display.format_amount(f.budget_total, currency=True)))
        if "budget" in self.charts:
            self.image(self.charts["budget"])
        rows = [[(display.clean(s), None), (display.format_amount(f.budget(s), currency=True), None)] for s in f.sources]
        rows.append([(word.text("grand_total"), "strong"),
                     (display.format_amount(f.budget_total, currency=True), "strong")])
        self.two_columns(rows, (word.text("totals_source"), word.text("totals_amount")))
        self.orientation(True)
        self.heading(2, text("budget_by_body"))
        labels = ("الهيكل", *f.sources, "المجموع")
        rows = [[(display.clean(b.name), None), *((display.format_amount(b.budget(s)), None) for s in f.sources),
                 (display.format_amount(b.budget_total), "strong")] for b in f.bodies]
        rows.append([(word.text("grand_total"), "strong"),
                     *((display.format_amount(f.budget(s)), "strong") for s in f.sources),
                     (display.format_amount(f.budget_total), "strong")])
        n = len(f.sources) + 2
        widths = self.fit(labels, [2.5] + [1.0] * (n - 1))
        self.table(tables.Table(labels, widths, rows, style=["OdplanCell"] + ["OdplanCellNumber"] * (n - 1)))
        self.orientation(False)

    def left_out(self) -> None:
        f = self.f
        self.heading(1, text("left_out_title"))
        if not f.unreadable and not f.other_years:
            self.para("Normal", text("nothing_left_out"))
        if f.unreadable:
            self.para("Normal", text("unreadable_intro", len(f.unreadable)))
            rows = [[(display.LRM + display.clean(r["file"]), None),
                     (display.clean((r.get("reason") or {}).get("ar", "")), None)] for r in f.unreadable]
            widths = tables.widths([1, 2], [None, None], self.width)
            self.table(tables.Table(("الملف", "السبب"), widths, rows))
        if f.other_years:
            self.para("Normal", text("other_years_intro", len(f.other_years), f.year or ""))
            rows = [[(display.LRM + display.clean(r["file"]), None), (display.clean(r.get("structure") or ""), None),
                     (str(r["year"]) if isinstance(r.get("year"), int) else schema.MISSING_AR, None)]
                    for r in f.other_years]
            widths = tables.widths([2, 2, 0.6], [None] * 3, self.width)
            self.table(tables.Table(("الملف", "اسم الهيكل", "سنة الخطة"), widths, rows))


def _number(value: int | Decimal) -> str:
    return display.format_amount(value) if isinstance(value, Decimal) else display.format_number(value)


def _count(value: int) -> str:
    return display.format_number(value)


# Twips a header's word needs in the table's bold 9 pt header: per letter (Arabic letters of the house
# font and its stand-ins measure 65-95), and the cell's margins with some slack.
HEADER_LETTER, HEADER_MARGINS = 95, 200


def header_width(label: str) -> int:
    """The width the longest word of a header needs."""
    return max((len(word) for word in label.split()), default=0) * HEADER_LETTER + HEADER_MARGINS


def _value(value: Any) -> word.Cell:
    shown = display.format_value(value)
    return (shown, None) if shown else (schema.MISSING_AR, "missing")


def build(f: Figures, charts: dict[str, bytes]) -> Document:
    """The national report as a python-docx Document; `charts`: PNG images by name ("completeness",
    "months", "budget"), each placed in its part when given."""
    doc = word.load_base()      # styles without w:rtl, no stylesWithEffects: each run has its own direction
    builder = _Report(doc, f, charts)
    builder.header_footer()
    builder.cover()
    anchor = builder.toc_block()
    builder.page_break()
    builder.plans()
    builder.calendar()
    builder.trainings()
    builder.budget()
    builder.left_out()
    builder.write_toc(anchor)
    builder.finish_sections()
    update_fields_on_open(doc)
    props = doc.core_properties
    props.title = f"{text('title')} {f.year or ''}".strip()
    props.author = props.last_modified_by = props.comments = ""
    props.created = props.modified = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    return doc


def write(f: Figures, charts: dict[str, bytes], path: Path) -> Path:
    """national.docx, written atomically."""
    doc = build(f, charts)
    with atomic_path(path) as tmp:
        doc.save(str(tmp))
    return path
