"""The officers' workbook, generated from the schema (the only module that imports XlsxWriter)."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet
from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

from odplan_xl import schema
from odplan_xl.errors import OdplanError
from odplan_xl.files import atomic_path
from odplan_xl.schema import Column, Kind, Section
from odplan_xl.sheets.spec import AMOUNT_FORMAT, DATE_FORMAT
from odplan_xl.workbook.cells import clip as _clip
from odplan_xl.workbook.cells import computed_value as _computed_value
from odplan_xl.workbook.cells import escape_header as _escape_header
from odplan_xl.workbook.cells import formula as _formula
from odplan_xl.workbook.cells import list_name
from odplan_xl.workbook.cells import number as _number
from odplan_xl.workbook.cells import validation as _validation
from odplan_xl.workbook.live import Live
from odplan_xl.workbook.wording import (
    BUTTONS,
    DIAGNOSE_BUTTON,
    GUIDE_AR,
    GUIDE_FR,
    XLWINGS_CONF,
    XLWINGS_NOTE,
    XLWINGS_SHEET,
)

VBA_BIN = Path(__file__).parents[1] / "vba" / "vbaProject.bin"
VBA_MODULE = "OdplanButtons"
COVER_BUTTONS = (*BUTTONS, DIAGNOSE_BUTTON)
RLM = "\u200f"
LISTS_SHEET = "lists"
# An imported document's text that found no place in the tables (odplan-xl import).
UNPLACED_SHEET = "نص غير مصنف"
UNPLACED_NOTE = ("نصوص من الوثيقة المستوردة لم يتم تصنيفها في جداول الخطة: انقل كل نص إلى الورقة المناسبة "
                 "ثم احذفه من هنا. — Texte du document importé non classé : déplacez-le vers la bonne feuille.")
WORKBOOK_CODE_NAME = "ThisWorkbook"


def sheet_titles(*, vba: bool) -> tuple[str, ...]:
    """The workbook's sheets in order; the .xlsm adds xlwings.conf at the end."""
    titles = (schema.COVER_SHEET, schema.GUIDE_SHEET, *(s.sheet for s in schema.SECTIONS), LISTS_SHEET,
              schema.META_SHEET)
    return (*titles, XLWINGS_SHEET) if vba else titles


def code_names() -> dict[str, str]:
    """Sheet title -> the VBA code name the .xlsm declares for it (Sheet1, Sheet2…, as Excel names them).

    XlsxWriter declares a code name on every sheet of a workbook with a VBA project, and Excel keeps
    a document module for every sheet (it would add the missing ones on open), so the VBA project
    has a document module for each of these: tools/vba_build.py builds them from this list.
    """
    return {title: f"Sheet{i}" for i, title in enumerate(sheet_titles(vba=True), 1)}

FONT = "Arial"             # has Arabic glyphs on every Windows and macOS Office install
BLANK_ROWS = 10            # empty rows of a section table in the blank template
BLANK_AUTHOR_ROWS = 5
# Fixed document dates keep the output byte-reproducible (XlsxWriter otherwise stamps "now").
CREATED = dt.datetime(2025, 1, 1)
YEAR_MIN, YEAR_MAX = schema.YEAR_MIN, schema.YEAR_MAX
PANEL_AT = (3, 4)          # the cover's live panel: its first row and column (beside the fields)

def build_workbook(path: str | Path, data: dict | None = None, *, vba: bool | None = None) -> Path:
    """Write the officers' workbook (blank, or filled from a PlanData dict) to `path`.

    `vba=None` means: embed the VBA project and buttons when `path` ends with .xlsm.
    """
    path = Path(path)
    is_xlsm = path.suffix.lower() == ".xlsm"
    if vba is None:
        vba = is_xlsm
    if vba and not is_xlsm:
        raise OdplanError("vba-needs-xlsm", where=str(path))
    if is_xlsm and not vba:
        raise OdplanError("xlsm-needs-vba", where=str(path))
    if vba and not VBA_BIN.exists():
        raise OdplanError("vba-missing", where=str(VBA_BIN))
    with atomic_path(path) as tmp:
        _Builder(tmp, data, vba=vba).build()
    return path


def _text_lines(text: str, width: float) -> int:
    """Rough number of wrapped lines of `text` in a cell `width` characters wide."""
    per_line = width * 1.2 + 2      # Arabic letters are narrower than Excel's width unit "0"
    return sum(max(1, math.ceil(_text_units(part) / per_line)) for part in text.split("\n"))


def _text_units(text: str) -> float:
    """Length of text in Arabic-letter widths: Latin letters and digits are wider."""
    return len(text) + 0.35 * sum(1 for ch in text if (ch.isascii() and ch.isalnum()) or ch in "@._-/")


def _height(lines: int) -> float:
    """Row height in points for `lines` wrapped lines of 11 pt Arabic text.

    Generous on purpose: no viewer re-fits a written row, and Arabic fallback fonts (LibreOffice
    without Arial's Arabic glyphs) need up to 21 pt a line where Excel's Arial needs 15.
    """
    return 21 * lines + 6


class _Worksheet(Worksheet):
    """A worksheet whose formulas are written as given.

    XlsxWriter rewrites every formula through some 250 regular expressions, to prefix the functions
    newer than Excel 2007 (`_xlfn.`); the template's formulas use Excel 2010's functions only
    (rules/live.py), and the live layer's are long: as given, the workbook builds ten times faster.
    """

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        return formula.removeprefix("{").removeprefix("=").removesuffix("}")


class _Builder:
    """One workbook being written: formats, sheets and names."""

    def __init__(self, path: Path, data: dict | None, *, vba: bool):
        self.data = data
        self.vba = vba
        self.wb = xlsxwriter.Workbook(str(path), {
            "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
        })
        self.wb.set_properties({
            "title": schema.TITLE_AR, "subject": schema.TITLE_FR, "author": "odplan-xl",
            "company": "", "created": CREATED,
            "comments": f"template {schema.TEMPLATE_VERSION}, schema {schema.SCHEMA_VERSION}",
        })
        self._formats: dict[tuple, Any] = {}
        self.live: Live | None = None

    # --- formats --------------------------------------------------------------------------
    def fmt(self, **props: Any):
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            base = {"font_name": FONT, "font_size": 11, "reading_order": 2, "valign": "top"}
            if props.pop("cell", False):      # table body: a visible grid even where table styles
                base.update(border=1, border_color="#A6A6A6")   # are not drawn (LibreOffice)
            self._formats[key] = self.wb.add_format({**base, **props})
        return self._formats[key]

    def cell_fmt(self, col: Column):
        kind = col.kind
        if kind is Kind.DATE:
            return self.fmt(cell=True, num_format=DATE_FORMAT, align="center")
        if kind is Kind.AMOUNT:
            return self.fmt(cell=True, num_format=AMOUNT_FORMAT)
        if kind in (Kind.INTEGER, Kind.YEAR):
            return self.fmt(cell=True, num_format="0", align="center")
        if kind in (Kind.YESNO,):
            return self.fmt(cell=True, align="center")
        return self.fmt(cell=True, text_wrap=True)

    # --- the whole book -------------------------------------------------------------------
    def build(self) -> None:
        wb = self.wb
        if self.vba:
            wb.add_vba_project(str(VBA_BIN))
            wb.set_vba_name(WORKBOOK_CODE_NAME)
        cover = self._sheet(schema.COVER_SHEET)
        guide = self._sheet(schema.GUIDE_SHEET)
        sheets = [self._sheet(s.sheet) for s in schema.SECTIONS]
        lists = self._sheet(LISTS_SHEET)
        meta = self._sheet(schema.META_SHEET)
        conf = self._sheet(XLWINGS_SHEET) if self.vba else None
        unplaced = (self.data or {}).get("unplaced")
        if unplaced:
            self._unplaced(unplaced)
        self._lists(lists)
        self._cover(cover)
        self._guide(guide)
        for ws, sec in zip(sheets, schema.SECTIONS, strict=True):
            self._section(ws, sec)
        assert self.live is not None
        self.live.write_counts()
        self.live.panel(cover, *PANEL_AT)
        self._meta(meta)
        if conf is not None:
            self._xlwings_conf(conf)
        lists.hide()
        meta.hide()
        cover.activate()
        built = tuple(ws.name for ws in wb.worksheets() if ws.name != UNPLACED_SHEET)
        if built != sheet_titles(vba=self.vba):
            # the code names, and so the VBA project's document modules, follow sheet_titles()
            raise RuntimeError("the sheets built differ from sheet_titles(): update it, then make vba")
        wb.close()

    def _sheet(self, title: str):
        ws = self.wb.add_worksheet(title, worksheet_class=_Worksheet)
        ws.right_to_left()
        if self.vba:
            ws.set_vba_name(code_names()[title])
        ws.set_paper(9)                       # A4
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.set_footer("&C&P / &N")
        return ws

    def _unplaced(self, items: list[tuple[str, str]]) -> None:
        """Text of an imported document that found no place: where it was, and the text as written.

        Added after every sheet of the template (the VBA project's code names follow sheet_titles()).
        """
        ws = self.wb.add_worksheet(UNPLACED_SHEET)
        ws.right_to_left()
        ws.set_tab_color("#C00000")
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_column(0, 0, 34)
        ws.set_column(1, 1, 90)
        ws.merge_range(0, 0, 0, 1, UNPLACED_NOTE, self.fmt(text_wrap=True, bold=True, font_color="#C00000"))
        ws.set_row(0, _height(_text_lines(UNPLACED_NOTE, 124)))
        head = self.fmt(bold=True, font_color="#FFFFFF", bg_color="#1F4E78", border=1)
        ws.set_row(1, 24)
        ws.write_string(1, 0, "الموضع في الوثيقة", head)
        ws.write_string(1, 1, "النص", head)
        body = self.fmt(cell=True, text_wrap=True)
        for r, (where, text) in enumerate(items, start=2):
            ws.write_string(r, 0, where, body)
            ws.write_string(r, 1, text, body)
            ws.set_row(r, _height(max(_text_lines(text, 90), _text_lines(where, 34))))
        ws.freeze_panes(2, 0)

    def _name(self, name: str, sheet: str, row: int, col: int) -> None:
        ref = xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)
        self.wb.define_name(name, f"={quote_sheetname(sheet)}!{ref}")

    def _buttons(self, ws, row: int, buttons: tuple[tuple[str, str], ...] = BUTTONS) -> None:
        """Form buttons side by side on `row` (left empty in a workbook without macros)."""
        ws.set_row(row, 34)
        if not self.vba:
            return
        for i, (sub, caption) in enumerate(buttons):
            ws.insert_button(row, 0, {
                # a leading RLM makes the caption's paragraph right-to-left ("Word" at its end)
                "macro": f"{VBA_MODULE}.{sub}", "caption": RLM + caption,
                "width": 190, "height": 36, "x_offset": 8 + i * 200, "y_offset": 4,
            })

    # --- hidden sheets --------------------------------------------------------------------
    def _lists(self, ws) -> None:
        """One column per choice column; a defined name covers exactly its values."""
        owners = [("cover", schema.COVER_FIELDS)]
        owners += [(s.key, s.columns) for s in (schema.AUTHORS, *schema.SECTIONS)]
        col = 0
        bold = self.fmt(bold=True)
        written: dict[tuple[str, str], tuple[int, tuple[str, ...]]] = {}
        for owner, columns in owners:
            for c in columns:
                if not c.choices:
                    continue
                written[(owner, c.key)] = (col, c.choices)
                name = list_name(owner, c)
                ws.write_string(0, col, name, bold)
                for i, choice in enumerate(c.choices, start=1):
                    ws.write_string(i, col, choice)
                first = xl_rowcol_to_cell(1, col, row_abs=True, col_abs=True)
                last = xl_rowcol_to_cell(len(c.choices), col, row_abs=True, col_abs=True)
                self.wb.define_name(name, f"={LISTS_SHEET}!{first}:{last}")
                ws.set_column(col, col, max(12, min(60, max(len(x) for x in c.choices))))
                col += 1
        # the workbook's own check: the tables its formulas read, after the dropdowns' values
        self.live = Live(self, ws, col + 1)
        self.live.write_tables(written)

    def _meta(self, ws) -> None:
        for row, (key, value) in enumerate((("template_version", schema.TEMPLATE_VERSION),
                                            ("schema_version", schema.SCHEMA_VERSION))):
            ws.write_string(row, 0, key)
            ws.write_string(row, 1, value)
            self._name(f"meta_{key}", schema.META_SHEET, row, 1)
        ws.set_column(0, 1, 20)

    def _xlwings_conf(self, ws) -> None:
        widths = (30, 40, 48, 40, 56)
        for i, w in enumerate(widths):
            ws.set_column(i, i, w)
        wrap = self.fmt(text_wrap=True)
        latin = self.fmt(text_wrap=True, reading_order=1)
        key_fmt = self.fmt(bold=True, reading_order=1)
        value_fmt = self.fmt(reading_order=1, bg_color="#FFF2CC", border=1)
        example_fmt = self.fmt(reading_order=1, font_color="#595959", italic=True)
        for row, (key, value, note_ar, note_fr, example) in enumerate(XLWINGS_CONF):
            ws.write_string(row, 0, key, key_fmt)
            if value:
                ws.write_string(row, 1, value, value_fmt)
            else:
                ws.write_blank(row, 1, None, value_fmt)
            ws.write_string(row, 2, note_ar, wrap)
            ws.write_string(row, 3, note_fr, latin)
            if example:
                ws.write_string(row, 4, example, example_fmt)
            ws.set_row(row, _height(max(_text_lines(note_ar, widths[2]), _text_lines(note_fr, widths[3]))))
        # below a blank cell in column A, so xlwings' End(xlDown) stops before it
        row = len(XLWINGS_CONF) + 1
        ws.write_string(row, 2, "B: القيمة (valeur) — E: مثال (exemple)", self.fmt(bold=True))
        for i, text in enumerate(XLWINGS_NOTE, start=row + 1):
            ws.merge_range(i, 0, i, len(widths) - 1, text, wrap if i == row + 1 else latin)
            ws.set_row(i, _height(_text_lines(text, sum(widths))))

    # --- cover ----------------------------------------------------------------------------
    def _cover(self, ws) -> None:
        widths = (40, 48, 28)
        for i, w in enumerate(widths):
            ws.set_column(i, i, w)
        last_col = len(widths) - 1
        ws.fit_to_pages(1, 1)                 # the cover is one printed page
        for i, w in ((3, 3), (4, 30), (5, 10), (6, 13), (7, 13), (8, 14), (9, 28)):
            ws.set_column(i, i, w)
        ws.merge_range(0, 0, 0, last_col, schema.TITLE_AR,
                       self.fmt(bold=True, font_size=20, align="center", valign="vcenter",
                                font_color="#1F3864"))
        ws.set_row(0, 40)
        ws.merge_range(1, 0, 1, last_col, schema.DECREE_AR,
                       self.fmt(italic=True, font_size=10, align="center", font_color="#595959"))
        self._buttons(ws, 2, COVER_BUTTONS)
        cover = (self.data or {}).get("cover", {})
        notes = (self.data or {}).get("cover_notes") or {}
        label = self.fmt(bold=True, bg_color="#DDEBF7", border=1, valign="vcenter")
        row = 4
        for field in schema.COVER_FIELDS:
            ws.write_string(row, 0, schema.required_label(field), label)
            fmt = self._value_fmt(field)
            ws.merge_range(row, 1, row, last_col, "", fmt)
            self._write(ws, row, 1, cover.get(field.key), fmt)
            self._validate(ws, row, 1, row, 1, field, "cover")
            assert self.live is not None
            self.live.cover_field(ws, row, 1, field)
            self._name(schema.cover_name(field.key), schema.COVER_SHEET, row, 1)
            note = notes.get(field.key)
            if note:                              # what an imported document said (its status, its dates)
                ws.write_comment(row, 1, note, {"x_scale": 2, "y_scale": 0.8, "font_name": FONT})
            ws.set_row(row, 22)
            row += 1
        ws.write_string(row, 0, schema.REQUIRED_NOTE, self.fmt(font_size=9, font_color="#595959"))
        ws.set_row(row, 20)           # rows the live panel shares beside the fields
        ws.set_row(row + 1, 20)
        row += 2
        ws.merge_range(row, 0, row, last_col, schema.AUTHORS.heading,
                       self.fmt(bold=True, font_size=14, font_color="#1F3864"))
        ws.set_row(row, 24)
        row += 1
        authors = None if self.data is None else self.data.get("authors") or []
        self._table(ws, schema.AUTHORS, row, authors, BLANK_AUTHOR_ROWS, widths)
        # printed without the live panel beside it; room for a team twice as long
        n = max(len(authors), 1) if authors is not None else BLANK_AUTHOR_ROWS
        ws.print_area(0, 0, row + 2 * n + 10, last_col)

    def _value_fmt(self, field: Column):
        extra = {"border": 1, "valign": "vcenter", "bg_color": "#FFFFFF"}
        if field.kind is Kind.DATE:
            return self.fmt(num_format=DATE_FORMAT, align="right", **extra)
        if field.kind is Kind.YEAR:
            return self.fmt(num_format="0", align="right", **extra)
        return self.fmt(**extra)

    # --- instructions ---------------------------------------------------------------------
    def _guide(self, ws) -> None:
        width = 110
        ws.set_column(0, 0, width)
        ws.write_string(0, 0, "تعليمات التعبئة", self.fmt(bold=True, font_size=18, font_color="#1F3864"))
        ws.set_row(0, 32)
        head = self.fmt(bold=True, font_size=13, font_color="#1F3864", bg_color="#DDEBF7")
        body = self.fmt(text_wrap=True)
        row = 2
        computed = "\n".join(f"• «{c.ar}» ({s.sheet}): {c.guidance}"
                             for s in schema.SECTIONS for c in s.columns if c.computed)
        totals = "\n".join(f"• «{c.ar}» ({s.sheet}): المجموع العام أعلى الجدول."
                           for s in schema.SECTIONS for c in s.columns if c.kind is Kind.AMOUNT)
        blocks = (*GUIDE_AR, ("الخانات المحسوبة آليا (لا تُكتب)", f"{computed}\n{totals}"))
        for title, text in blocks:
            ws.write_string(row, 0, title, head)
            row += 1
            for paragraph in text.split("\n"):     # one row each: row heights are estimates
                ws.write_string(row, 0, paragraph, body)
                ws.set_row(row, _height(_text_lines(paragraph, width)))
                row += 1
            row += 1
        ws.write_string(row, 0, "أوراق المصنف", head)
        row += 1
        entries = [f"{schema.COVER_SHEET}: {schema.TITLE_AR} — {schema.COVER_FR}"]
        for s in schema.SECTIONS:
            subs = "، ".join(sub.heading for sub in s.subsections)
            entries.append(f"{s.sheet}: {s.heading}" + (f" ({subs})" if subs else "") + f" — {s.fr}")
        for entry in entries:
            ws.write_string(row, 0, "• " + entry, body)
            row += 1
        row += 1
        assert self.live is not None
        row = self.live.legend(ws, row, head, body, lambda text: _height(_text_lines(text, width)))
        row += 1
        ws.write_string(row, 0, GUIDE_FR, self.fmt(text_wrap=True, reading_order=1, italic=True))
        ws.set_row(row, _height(_text_lines(GUIDE_FR, width)))

    # --- section sheets -------------------------------------------------------------------
    def _section(self, ws, sec: Section) -> None:
        ncols = len(sec.columns)
        last_col = ncols - 1
        total_width = sum(c.width for c in sec.columns)
        for i, c in enumerate(sec.columns):
            ws.set_column(i, i, c.width)
        ws.merge_range(0, 0, 0, last_col, sec.numbered_heading,
                       self.fmt(bold=True, font_size=16, font_color="#1F3864", valign="vcenter"))
        ws.set_row(0, 30)
        assert self.live is not None
        self.live.status(ws, sec, 1, last_col)       # the live line under the heading
        ws.set_row(1, 22)
        row = 2
        guide_fmt = self.fmt(text_wrap=True, bg_color="#F2F2F2", border=1, font_color="#404040")
        # the section's introduction: free text printed under the heading in the document
        label = self.fmt(bold=True, bg_color="#DDEBF7", border=1, valign="vcenter", text_wrap=True)
        ws.write_string(row, 0, schema.INTRO_LABEL_AR, label)
        intro_fmt = self.fmt(text_wrap=True, border=1, valign="top", bg_color="#FFFFFF")
        if last_col > 1:
            ws.merge_range(row, 1, row, last_col, "", intro_fmt)
        self._write(ws, row, 1, ((self.data or {}).get("intro") or {}).get(sec.key), intro_fmt)
        self._name(sec.intro_name, sec.sheet, row, 1)
        ws.data_validation(row, 1, row, 1, {
            "validate": "any", "input_title": _clip(schema.INTRO_LABEL_AR, 32),
            "input_message": _clip(schema.INTRO_GUIDANCE, 255)})
        ws.set_row(row, 48)
        row += 1
        blocks = sec.guidance_blocks
        for title, text in blocks:
            ws.merge_range(row, 0, row, last_col, "", guide_fmt)
            if title:
                ws.write_rich_string(row, 0, self.fmt(bold=True, font_color="#1F3864"), title,
                                     "\n" + text, guide_fmt)
            else:
                ws.write_string(row, 0, text, guide_fmt)
            lines = _text_lines(text, total_width) + (1 if title else 0)
            ws.set_row(row, _height(lines))
            row += 1
        # not applicable — reason
        na_label = self.fmt(bold=True, bg_color="#FCE4D6", border=1, valign="vcenter")
        ws.write_string(row, 0, schema.NA_LABEL_AR, na_label)
        na_fmt = self.fmt(text_wrap=True, border=1, valign="vcenter")
        na_last = max(1, min(last_col, 3))
        if na_last > 1:
            ws.merge_range(row, 1, row, na_last, "", na_fmt)
        na = ((self.data or {}).get("na") or {}).get(sec.key)
        self._write(ws, row, 1, na, na_fmt)
        self._name(sec.na_name, sec.sheet, row, 1)
        self.live.not_applicable(ws, sec, row, 1)
        ws.data_validation(row, 1, row, 1, {
            "validate": "any", "input_title": _clip(schema.NA_LABEL_AR, 32), "input_message": schema.NA_GUIDANCE})
        ws.set_row(row, 22)
        row += 1
        row = self._totals(ws, sec, row)
        self._buttons(ws, row)
        row += 2
        rows = None if self.data is None else (self.data.get("sections") or {}).get(sec.key, [])
        self._table(ws, sec, row, rows, BLANK_ROWS)
        ws.freeze_panes(row + 1, 0)
        ws.repeat_rows(row)

    def _totals(self, ws, sec: Section, row: int) -> int:
        """A total above each amount column (outside the table, so the table can grow freely)."""
        amounts = [i for i, c in enumerate(sec.columns) if c.kind is Kind.AMOUNT]
        if not amounts:
            return row
        rows = (self.data or {}).get("sections", {}).get(sec.key, []) if self.data else []
        for i in amounts:
            col = sec.columns[i]
            total = sum((_number(r.get(col.key)) for r in rows), Decimal(0))
            ws.write_string(row, i - 1 if i else i + 1, schema.TOTAL_LABEL_AR, self.fmt(bold=True, align="left"))
            ws.write_formula(row, i, f"=SUM({sec.table}[{_escape_header(col.ar)}])",
                             self.fmt(bold=True, num_format=AMOUNT_FORMAT, border=1, bg_color="#DDEBF7"),
                             float(total))
            self._name(sec.total_name(col.key), sec.sheet, row, i)
        ws.set_row(row, 22)
        return row + 1

    def _table(self, ws, sec: Section, header_row: int, rows: list[dict] | None, blank: int,
               widths: tuple[float, ...] | None = None) -> None:
        """The section's Excel Table: header from the schema, `rows` or `blank` empty rows."""
        widths = widths or tuple(c.width for c in sec.columns)
        n = max(len(rows), 1) if rows is not None else blank
        first, last = header_row + 1, header_row + n
        formulas = {c.key: _formula(sec, c) for c in sec.columns if c.computed}
        fmts = [self.cell_fmt(c) for c in sec.columns]
        columns = []
        for c, f in zip(sec.columns, fmts, strict=True):
            spec = {"header": c.ar, "format": f}
            if c.key in formulas:
                spec["formula"] = formulas[c.key]
            columns.append(spec)
        header_fmt = self.fmt(bold=True, text_wrap=True, align="center", valign="vcenter",
                              font_color="#FFFFFF", bg_color="#1F4E78", border=1,
                              border_color="#A6A6A6")
        ws.add_table(header_row, 0, last, len(sec.columns) - 1, {
            "name": sec.table, "style": "Table Style Medium 2", "columns": columns,
            "header_row": True, "autofilter": True,
        })
        for i, c in enumerate(sec.columns):
            ws.write_string(header_row, i, c.ar, header_fmt)
        pairs = list(zip(sec.columns, widths, strict=True))
        ws.set_row(header_row, _height(max(_text_lines(c.ar, w) for c, w in pairs)))
        for i, c in enumerate(sec.columns):
            self._validate(ws, first, i, last, i, c, sec.key)
        assert self.live is not None
        self.live.table(ws, sec.key, sec, header_row, n)
        for r in range(n):
            values = rows[r] if rows and r < len(rows) else {}
            texts = [(v, w) for c, w in pairs if isinstance(v := values.get(c.key), str)]
            if texts:
                # viewers keep a written file's row heights, so wrapped text needs room now
                ws.set_row(first + r, _height(max(_text_lines(t, w) for t, w in texts)))
            for i, c in enumerate(sec.columns):
                if c.key in formulas:
                    ws.write_formula(first + r, i, formulas[c.key], fmts[i], _computed_value(sec, c, values))
                else:
                    self._write(ws, first + r, i, values.get(c.key), fmts[i])
            source = _source(self.data, sec.key, r) if rows else None
            if source:      # where an imported row came from, to check it against the document
                ws.write_comment(first + r, 0, source, {"x_scale": 2, "y_scale": 0.6, "font_name": FONT})

    # --- cells and validation -------------------------------------------------------------
    def _write(self, ws, row: int, col: int, value: Any, fmt) -> None:
        """Write a value as given: text always as text (never a formula), dates as dates."""
        if value is None:
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, (dt.date, dt.datetime)):
            ws.write_datetime(row, col, value, fmt)
        elif isinstance(value, (int, float, Decimal)):
            ws.write_number(row, col, float(value), fmt)
        else:
            ws.write_string(row, col, str(value), fmt)

    def _validate(self, ws, r0: int, c0: int, r1: int, c1: int, col: Column, owner: str) -> None:
        opts = _validation(col, owner, xl_rowcol_to_cell(r0, c0))
        if opts:
            ws.data_validation(r0, c0, r1, c1, opts)


def _source(data: dict | None, key: str, row: int) -> str | None:
    """The note of where a row came from (data["sources"][section key][row]), if any."""
    sources = ((data or {}).get("sources") or {}).get(key) or []
    return f"{SOURCE_PREFIX}{sources[row]}" if row < len(sources) and sources[row] else None


SOURCE_PREFIX = "من الوثيقة المستوردة: "
