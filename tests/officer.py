"""Workbooks filled the way officers really fill them, each with its expected outcome and a "nothing lost" count.

Every case is a function `case(folder) -> (Path, Expect)`: it starts from the example plan, edits it the
way an officer does (with openpyxl, which keeps Excel Tables, defined names and validations, or with
LibreOffice), and says what `odplan-xl check` must answer. Cells are located with openpyxl alone.

`run_case` checks the file with the command line, writes its Word document and counts, over the cover
and the section sheets:

- typed: every non-empty cell that differs from the blank template at the same address;
- shown: typed cells whose text (dates dd/mm/yyyy, amounts «12 500,000», yes/no نعم/لا) is in the Word
  text of their own section (the cover: the text before section 1);
- reported: typed cells named by a finding at their sheet and cell (any finding naming a copied sheet
  covers that sheet's cells);
- lost: typed cells neither shown nor reported. It must be 0 for every case.

Run as a script to build the corpus and print one line per case (typed / shown / reported / lost):

    .venv/bin/python tests/officer.py [FOLDER]
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import docx
import openpyxl
from docx.oxml.ns import qn
from hostile import (
    soffice_convert,  # LibreOffice's own conversion, shared with the hostile corpus
)
from openpyxl.utils.cell import get_column_letter, range_boundaries
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from odplan_xl import schema
from odplan_xl.workbook.example import example_data
from odplan_xl.workbook.template import build_workbook

COVER = "cover"


# --- what a case expects ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Need:
    """A finding: its code (or one of several), its sheet and cell (None: any; several: any of them)."""

    code: str | tuple[str, ...]
    sheet: str | None = None
    cell: str | tuple[str, ...] | None = None

    def matches(self, finding: dict) -> bool:
        codes = (self.code,) if isinstance(self.code, str) else self.code
        if finding.get("code") not in codes:
            return False
        if self.sheet is not None and finding.get("sheet") != self.sheet:
            return False
        if self.cell is None:
            return True
        cells = (self.cell,) if isinstance(self.cell, str) else self.cell
        return any(cell_in(c, finding.get("cell") or "") for c in cells)

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.sheet else "anywhere"
        return f"{self.code} at {where}"


@dataclass
class Expect:
    """What `odplan-xl check` and the Word document must show for a case."""

    exit: int | None = 0                                   # None: either 0 or 1
    present: list[Need] = field(default_factory=list)      # findings that must be reported
    absent: list[Need] = field(default_factory=list)       # findings that must not
    refused: str | None = None                             # the error code of a refused file (exit 2)
    word: dict[str, list[str]] = field(default_factory=dict)         # section key -> texts it must show
    word_absent: dict[str, list[str]] = field(default_factory=dict)  # section key -> texts it must not
    under: list[tuple[str, str, str]] = field(default_factory=list)  # (section, subsection heading, text)
    row_has: list[tuple[str, str, str]] = field(default_factory=list)  # (section, a row's text, its cell)
    headline: bool = False                                 # also check the text report's last line


@dataclass
class Typed:
    sheet: str
    cell: str
    value: Any
    section: str        # section key, or COVER
    text: str | None    # as the document would show it (None: cannot be shown, e.g. formula without result)
    copy: bool = False  # on a copied sheet / second table of a section
    heading: str = ""   # a subsection's category: shown as the heading its row sits under...
    anchor: str = ""    # ...the row being found by its activity's text


@dataclass
class Outcome:
    name: str
    path: Path | None = None
    expect: Expect | None = None
    exit: int | None = None
    report: dict | None = None         # the JSON the command printed
    stdout: str = ""
    stderr: str = ""
    headline: str = ""
    findings: list[dict] = field(default_factory=list)
    word: dict[str, str] = field(default_factory=dict)              # section key -> its Word text
    rows: dict[str, list[list[str]]] = field(default_factory=dict)  # section key -> its tables' rows
    typed: list[Typed] = field(default_factory=list)
    shown: list[Typed] = field(default_factory=list)
    reported: list[Typed] = field(default_factory=list)
    lost: list[Typed] = field(default_factory=list)
    error: str = ""                    # the case could not be built or run (a traceback's last line)

    @property
    def refused(self) -> bool:
        return self.exit == 2


CASES: dict[str, Callable[[Path], tuple[Path, Expect]]] = {}


def case(fn: Callable[[Path], tuple[Path, Expect]]) -> Callable[[Path], tuple[Path, Expect]]:
    CASES[fn.__name__] = fn
    return fn


# --- cells, with openpyxl alone -----------------------------------------------------------------------
def cell_in(cell: str, where: str) -> bool:
    """Whether `cell` ("B9") is `where` ("B9") or inside it ("B9:B10")."""
    if not where:
        return False
    if ":" not in where:
        return cell == where
    try:
        c0, r0, c1, r1 = range_boundaries(where)
        c, r = range_boundaries(cell)[:2]
    except ValueError:
        return False
    return c0 <= c <= c1 and r0 <= r <= r1


def example(folder: Path) -> Path:
    path = folder / "_example.xlsx"
    if not path.exists():
        build_workbook(path, example_data())
    return path


def blank(folder: Path) -> Path:
    path = folder / "_blank.xlsx"
    if not path.exists():
        build_workbook(path, None)
    return path


def load_example(folder: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(example(folder))


def find_table(wb: openpyxl.Workbook, name: str):
    """(worksheet, table) of an Excel Table."""
    for ws in wb.worksheets:
        if name in ws.tables:
            return ws, ws.tables[name]
    raise KeyError(name)


def columns_of(ws, table) -> dict[str, int]:
    """Column key -> column index of a section table, by its header labels."""
    spec = schema.SECTION_BY_TABLE.get(table.name) or schema.SECTION_BY_TABLE.get(re.sub(r"\d+$", "", table.name))
    min_col, min_row, max_col, _ = range_boundaries(table.ref)
    by_label = {c.ar: c.key for c in spec.columns} if spec else {}
    return {by_label[ws.cell(min_row, c).value]: c for c in range(min_col, max_col + 1)
            if ws.cell(min_row, c).value in by_label}


def tcell(wb: openpyxl.Workbook, table: str, index: int, key: str) -> tuple[Any, str]:
    """(worksheet, "B9") of data row `index` (0-based; may be past the table's end), column `key`."""
    ws, t = find_table(wb, table)
    row = range_boundaries(t.ref)[1] + 1 + index
    return ws, f"{get_column_letter(columns_of(ws, t)[key])}{row}"


def table_rows(wb: openpyxl.Workbook, table: str) -> int:
    """Data rows of a table (header and totals row excluded)."""
    _, t = find_table(wb, table)
    _, r0, _, r1 = range_boundaries(t.ref)
    return r1 - r0 - (t.totalsRowCount or 0)


def named(wb: openpyxl.Workbook, name: str) -> tuple[Any, str]:
    """(worksheet, "B5") of a defined name (KeyError when the workbook has no such name)."""
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return wb[sheet], ref.replace("$", "")


def grow(ws, table, rows: int = 0, cols: int = 0) -> None:
    """Extend a table by rows and columns, as Excel does when one types right under or beside it."""
    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    table.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col + cols)}{max_row + rows}"
    if table.autoFilter is not None:
        table.autoFilter.ref = table.ref


def put_row(ws, table: str, index: int, values: dict[str, Any]) -> None:
    wb = ws.parent
    for key, value in values.items():
        target, ref = tcell(wb, table, index, key)
        target[ref] = value


def example_row(section: str, index: int) -> dict[str, Any]:
    return dict(example_data()["sections"][section][index])


def blank_cell_in_rows(ws, rows: Iterable[int], cols: Iterable[int]) -> str:
    """The first empty cell, outside merged ranges and defined names, of the given rows and columns."""
    merged = [str(m) for m in ws.merged_cells.ranges]
    names = {ref for n in ws.parent.defined_names.values() for s, ref in n.destinations if s == ws.title}
    names = {r.replace("$", "") for r in names}
    for r in rows:
        for c in cols:
            ref = f"{get_column_letter(c)}{r}"
            if ws[ref].value is None and ref not in names and not any(cell_in(ref, m) for m in merged):
                return ref
    raise LookupError(f"no empty cell in {ws.title}")


def save(wb: openpyxl.Workbook, folder: Path, name: str) -> Path:
    path = folder / f"{name}.xlsx"
    wb.save(path)
    return path


def set_cached(path: Path, sheet: str, values: dict[str, Any]) -> None:
    """Give formula cells the cached result Excel would have saved (openpyxl writes none)."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        book = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="(rId\d+)"', book).group(1)
        target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or \
            re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
        part = "xl/" + target.group(1).lstrip("/").removeprefix("xl/")
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    xml = members[part].decode()
    for ref, value in values.items():
        xml, n = re.subn(rf'(<c r="{ref}"[^>]*>\s*<f>[^<]*</f>)\s*(<v>\s*</v>|<v/>)?',
                         lambda m, v=value: f"{m.group(1)}<v>{v}</v>", xml, count=1)
        assert n == 1, ref
    members[part] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def budget_total(data: dict | None = None) -> Decimal:
    data = data or example_data()
    return sum((Decimal(str(r["amount"])) for r in data["sections"]["budget"]), Decimal(0))


def amount_text(value: Decimal | int | float) -> str:
    """«12 500,250»: dinars grouped by U+202F, a comma, three millimes (computed here, not by the project)."""
    amount = Decimal(str(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    whole, millimes = f"{abs(amount):.3f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return ("-" if amount < 0 else "") + "\u202f".join(groups) + "," + millimes


def date_text(value: dt.date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


# --- the cases: the issue's table -----------------------------------------------------------------------
OUTSIDE_INVENTORY = (
    {"activity": "ورشة جرد بيانات الإدارة العامة للبنايات المدنية (سطر تحت الجدول)",
     "activity_type": schema.INVENTORY_TYPES[0], "start": dt.datetime(2027, 8, 2),
     "end": dt.datetime(2027, 8, 4), "responsible": "منير الحمروني", "participants": "إطارات البنايات",
     "output": "قائمة بيانات البنايات المدنية"},
    {"activity": "جرد بيانات إدارة المياه العمرانية (سطر ثان تحت الجدول)",
     "activity_type": schema.INVENTORY_TYPES[3], "start": dt.datetime(2027, 9, 6),
     "end": dt.datetime(2027, 9, 24), "responsible": "سلوى الدريدي", "participants": None,
     "output": "بطاقات وصفية للمياه العمرانية"},
)


@case
def example_as_is(folder: Path) -> tuple[Path, Expect]:
    """The example plan, untouched: complete, no finding, every value in the document."""
    return example(folder), Expect(exit=0, absent=[Need(tuple(_all_codes()))])


@case
def rows_under_table(folder: Path) -> tuple[Path, Expect]:
    """Two inventory activities pasted in the rows right under section 3's table; the table did not grow."""
    wb = load_example(folder)
    n = table_rows(wb, "tbl_inventory")
    needs = []
    for i, row in enumerate(OUTSIDE_INVENTORY):
        ws, ref = tcell(wb, "tbl_inventory", n + i, "activity")
        put_row(ws, "tbl_inventory", n + i, row)
        needs.append(Need("row-outside-table", ws.title, ref))
    sheet = ws.title
    return save(wb, folder, "rows_under_table"), Expect(
        exit=0, present=needs,
        absent=[Need(("missing-value", "text-outside-tables"), sheet)],
        word={"inventory": [r["activity"] for r in OUTSIDE_INVENTORY],
              "calendar": [r["activity"] for r in OUTSIDE_INVENTORY]})   # and in the Gantt


BUDGET_EXTRA = {"activity": "اقتناء خادم لاستضافة البيانات (سطر بعد سطر فارغ)",
                "section": schema.section("tools").sheet, "amount": 3333.5,
                "source": schema.FUNDING_SOURCES[0], "funder": "ميزانية الوزارة — العنوان الثاني",
                "note": "سطر أضيف بعد سطر فارغ"}


@case
def budget_line_after_blank_row(folder: Path) -> tuple[Path, Expect]:
    """A budget line typed after one blank row under section 10's table (Excel does not grow the table)."""
    wb = load_example(folder)
    n = table_rows(wb, "tbl_budget")
    ws, ref = tcell(wb, "tbl_budget", n + 1, "activity")
    put_row(ws, "tbl_budget", n + 1, BUDGET_EXTRA)
    total = budget_total() + Decimal("3333.5")
    return save(wb, folder, "budget_line_after_blank_row"), Expect(
        exit=0, present=[Need("row-outside-table", ws.title, ref)],
        absent=[Need(("missing-value", "text-outside-tables"), ws.title)],
        word={"budget": [BUDGET_EXTRA["activity"], amount_text(total)]},
        word_absent={"budget": [amount_text(budget_total())]})


def _guidance_cell(ws, spec: schema.Section) -> str:
    for row in ws.iter_rows(max_row=20):
        for c in row:
            if isinstance(c.value, str) and spec.guidance and c.value.strip().startswith(spec.guidance[:30]):
                return c.coordinate
    raise LookupError(f"no guidance cell in {ws.title}")


@case
def guidance_overwritten(folder: Path) -> tuple[Path, Expect]:
    """An introduction typed over the grey guidance cell of section 5 (the guidance text replaced)."""
    wb = load_example(folder)
    spec = schema.section("tools")
    ws = wb[spec.sheet]
    try:
        ref = _guidance_cell(ws, spec)
    except LookupError:               # the guidance lives in the introduction cell's input message
        ws, ref = named(wb, spec.intro_name)
    text = "تعتمد الوزارة في هذه السنة على أدوات مفتوحة المصدر (نص كتب فوق التوجيه)."
    ws[ref] = text
    intro = _intro_ref(wb, spec)
    if intro == (ws.title, ref):      # the template put the introduction cell where the guidance was
        return save(wb, folder, "guidance_overwritten"), Expect(exit=0, word={"tools": [text]})
    return save(wb, folder, "guidance_overwritten"), Expect(
        exit=0, present=[Need("text-outside-tables", ws.title, ref)])


def _intro_ref(wb: openpyxl.Workbook, spec: schema.Section) -> tuple[str, str] | None:
    try:
        ws, ref = named(wb, spec.intro_name)
    except KeyError:
        return None
    return ws.title, ref


@case
def note_above_table(folder: Path) -> tuple[Path, Expect]:
    """A note typed in the empty row just above section 4's table header."""
    wb = load_example(folder)
    ws, t = find_table(wb, "tbl_datasets")
    header = range_boundaries(t.ref)[1]
    ref = blank_cell_in_rows(ws, range(header - 1, 1, -1), range(1, 4))
    ws[ref] = "ملاحظة: مجموعات البيانات مرتبة حسب تاريخ النشر"
    return save(wb, folder, "note_above_table"), Expect(
        exit=0, present=[Need("text-outside-tables", ws.title, ref)])


@case
def remark_right_of_row(folder: Path) -> tuple[Path, Expect]:
    """A remark typed one column right of section 1's table, on its second row (the table did not grow)."""
    wb = load_example(folder)
    ws, t = find_table(wb, "tbl_objectives")
    _, r0, c1, _ = range_boundaries(t.ref)
    ref = f"{get_column_letter(c1 + 1)}{r0 + 2}"
    ws[ref] = "يُراجع هذا الهدف بعد السداسي الأول"
    return save(wb, folder, "remark_right_of_row"), Expect(
        exit=0, present=[Need("text-outside-tables", ws.title, ref)],
        absent=[Need("row-outside-table", ws.title)])


@case
def remark_grew_table(folder: Path) -> tuple[Path, Expect]:
    """A remark typed right of section 1's table in Excel: the table grew a column headed «عمود1»."""
    wb = load_example(folder)
    ws, t = find_table(wb, "tbl_objectives")
    _, r0, c1, _ = range_boundaries(t.ref)
    grow(ws, t, cols=1)
    t.tableColumns.append(TableColumn(id=len(t.tableColumns) + 1, name="عمود1"))
    ws.cell(r0, c1 + 1, "عمود1")
    ref = f"{get_column_letter(c1 + 1)}{r0 + 2}"
    ws[ref] = "هدف مؤجل إلى السنة الموالية إن لزم"
    return save(wb, folder, "remark_grew_table"), Expect(
        exit=0, present=[Need(("text-outside-tables", "extra-column"), ws.title, ref)])


@case
def paragraph_under_table(folder: Path) -> tuple[Path, Expect]:
    """A paragraph typed far under section 3's table, in columns right of the table's columns."""
    wb = load_example(folder)
    ws, t = find_table(wb, "tbl_inventory")
    _, _, c1, r1 = range_boundaries(t.ref)
    ref = f"{get_column_letter(c1 + 2)}{r1 + 6}"
    ws[ref] = "تمت المصادقة على هذا الجدول في اجتماع لجنة القيادة"
    return save(wb, folder, "paragraph_under_table"), Expect(
        exit=0, present=[Need("text-outside-tables", ws.title, ref)],
        absent=[Need("row-outside-table", ws.title)])


@case
def paragraph_under_table_in_columns(folder: Path) -> tuple[Path, Expect]:
    """A closing sentence typed in column A, three rows under section 1's table: read as a row."""
    wb = load_example(folder)
    ws, t = find_table(wb, "tbl_objectives")
    c0, _, _, r1 = range_boundaries(t.ref)
    ref = f"{get_column_letter(c0)}{r1 + 3}"
    ws[ref] = "تحقيق هذه الأهداف رهين توفر الموارد البشرية اللازمة"
    return save(wb, folder, "paragraph_under_table_in_columns"), Expect(
        exit=1, present=[Need("row-outside-table", ws.title, ref), Need("missing-value", ws.title)],
        word={"objectives": [ws[ref].value]})


@case
def cover_line(folder: Path) -> tuple[Path, Expect]:
    """A line typed on the cover between the fields and the team table, and a remark beside the name."""
    wb = load_example(folder)
    ws, name_ref = named(wb, schema.cover_name("structure"))
    _, updated = named(wb, schema.cover_name("updated"))
    _, t = find_table(wb, schema.AUTHORS.table)
    top = range_boundaries(t.ref)[1]
    line = blank_cell_in_rows(ws, range(int(re.sub(r"\D", "", updated)) + 1, top), range(1, 4))
    ws[line] = "أعدت هذه الخطة بالتنسيق مع الإدارات الجهوية"
    row = int(re.sub(r"\D", "", name_ref))
    beside = f"{get_column_letter(ws.max_column + 2)}{row}"
    ws[beside] = "الاسم الرسمي حسب الأمر عدد 1"
    return save(wb, folder, "cover_line"), Expect(
        exit=0, present=[Need("text-outside-tables", ws.title, line),
                         Need("text-outside-tables", ws.title, beside)])


COPY_TITLE = "قائمة مجموعات بيانات إضافية (نسخة)"


def _copy_section_sheet(wb: openpyxl.Workbook, key: str) -> tuple[Any, str]:
    """Excel's «Move or copy… / create a copy»: «4. نشر البيانات (2)» with a table «tbl_datasets2»."""
    spec = schema.section(key)
    src = wb[spec.sheet]
    dup = wb.copy_worksheet(src)
    dup.title = f"{spec.sheet} (2)"
    wb.move_sheet(dup, wb.sheetnames.index(spec.sheet) + 1 - wb.sheetnames.index(dup.title))
    t = src.tables[spec.table]
    new = Table(displayName=f"{spec.table}2", ref=t.ref)
    new.tableStyleInfo = copy.copy(t.tableStyleInfo) or TableStyleInfo(name="TableStyleMedium2")
    new._initialise_columns()
    for col, old in zip(new.tableColumns, t.tableColumns, strict=True):
        col.name = old.name
    dup.add_table(new)
    for cv in src.data_validations.dataValidation:
        dup.data_validations.append(copy.copy(cv))
    return dup, new.name


@case
def copied_sheet(folder: Path) -> tuple[Path, Expect]:
    """Section 4's sheet copied (Excel: «4. نشر البيانات (2)», table tbl_datasets2) and the copy edited."""
    wb = load_example(folder)
    dup, table = _copy_section_sheet(wb, "datasets")
    _, ref = tcell(wb, table, 0, "title")
    dup[ref] = COPY_TITLE
    return save(wb, folder, "copied_sheet"), Expect(
        exit=1, present=[Need("duplicate-section", dup.title)],
        word={"datasets": [example_row("datasets", 0)["title"]]},
        word_absent={"datasets": [COPY_TITLE]})


SECOND_TABLE_TITLE = "دورة في حماية المعطيات الشخصية (جدول ثان)"


@case
def second_table_same_headers(folder: Path) -> tuple[Path, Expect]:
    """A new sheet with the officer's own table (Table1) carrying section 7's header labels and one row."""
    wb = load_example(folder)
    spec = schema.section("trainings")
    ws = wb.create_sheet("تكوين إضافي")
    ws.sheet_view.rightToLeft = True
    ws.append([c.ar for c in spec.columns])
    ws.append([schema.TRAINING_NONTECH, SECOND_TABLE_TITLE, "القانون الأساسي عدد 63 لسنة 2004",
               "المسؤولون القانونيون", 12, 1, dt.datetime(2027, 5, 4), dt.datetime(2027, 5, 4)])
    ref = f"A1:{get_column_letter(len(spec.columns))}2"
    t = Table(displayName="Table1", ref=ref)
    t.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2")
    ws.add_table(t)
    return save(wb, folder, "second_table_same_headers"), Expect(
        exit=1, present=[Need("duplicate-section", ws.title)],
        word_absent={"trainings": [SECOND_TABLE_TITLE]})


@case
def year_2028(folder: Path) -> tuple[Path, Expect]:
    """The cover's year set to 2028 while every activity is dated 2027."""
    wb = load_example(folder)
    ws, ref = named(wb, schema.cover_name("year"))
    ws[ref] = 2028
    return save(wb, folder, "year_2028"), Expect(
        exit=1, present=[Need("year-mismatch", ws.title, ref)], headline=True)


@case
def year_outlier(folder: Path) -> tuple[Path, Expect]:
    """One inventory activity starting in December 2026 in a 2027 plan: an isolated outlier."""
    wb = load_example(folder)
    ws, ref = tcell(wb, "tbl_inventory", 0, "start")
    ws[ref] = dt.datetime(2026, 12, 28)
    return save(wb, folder, "year_outlier"), Expect(
        exit=0, present=[Need("outside-plan-year", ws.title, ref)], absent=[Need("year-mismatch")],
        word={"inventory": ["28/12/2026"]})


@case
def merged_vertical(folder: Path) -> tuple[Path, Expect]:
    """Two trainings of the same kind: their «نوع التكوين» cells merged vertically (section 7)."""
    wb = load_example(folder)
    ws, top = tcell(wb, "tbl_trainings", 0, "kind")
    _, below = tcell(wb, "tbl_trainings", 1, "kind")
    ws.merge_cells(f"{top}:{below}")
    second = example_row("trainings", 1)["title"]
    sub = next(s for s in schema.section("trainings").subsections if s.value == ws[top].value)
    return save(wb, folder, "merged_vertical"), Expect(
        exit=0, present=[Need("merged-cells", ws.title, (top, f"{top}:{below}"))],
        absent=[Need("missing-value", ws.title, below)],
        word_absent={"trainings": [schema.MISSING_AR]},
        under=[("trainings", sub.heading, second)])


def _to_range(wb: openpyxl.Workbook, table: str) -> Any:
    """Table Design → Convert to Range: the cells stay, the Table goes."""
    ws, _ = find_table(wb, table)
    del ws.tables[table]
    return ws


@case
def table_to_range(folder: Path) -> tuple[Path, Expect]:
    """Section 5's table converted to a plain range (Table Design → Convert to Range)."""
    wb = load_example(folder)
    ws = _to_range(wb, "tbl_tools")
    return save(wb, folder, "table_to_range"), Expect(
        exit=0, absent=[Need(("missing-section", "missing-value", "text-outside-tables"), ws.title)],
        word={"tools": [r["tool"] for r in example_data()["sections"]["tools"]]})


@case
def merged_in_range(folder: Path) -> tuple[Path, Expect]:
    """Section 5's table converted to a range, then two «المسؤول» cells merged vertically."""
    wb = load_example(folder)
    ws, top = tcell(wb, "tbl_tools", 1, "responsible")
    _, below = tcell(wb, "tbl_tools", 2, "responsible")
    _to_range(wb, "tbl_tools")
    ws.merge_cells(f"{top}:{below}")
    return save(wb, folder, "merged_in_range"), Expect(
        exit=0, present=[Need("merged-cells", ws.title, (top, f"{top}:{below}"))],
        absent=[Need("missing-value", ws.title, below)],
        word_absent={"tools": [schema.MISSING_AR]},
        row_has=[("tools", example_row("tools", 2)["tool"], ws[top].value)])


@case
def ambiguous_amounts(folder: Path) -> tuple[Path, Expect]:
    """Budget amounts typed as text «7.800» and «12,500» (dinars and millimes, or thousands?)."""
    wb = load_example(folder)
    data = example_data()
    budget = data["sections"]["budget"]
    ws, a = tcell(wb, "tbl_budget", 3, "amount")
    _, b = tcell(wb, "tbl_budget", 6, "amount")
    ws[a], ws[b] = "7.800", "12,500"
    total = budget_total() - budget[3]["amount"] - budget[6]["amount"] + Decimal("7.8") + Decimal("12.5")
    return save(wb, folder, "ambiguous_amounts"), Expect(
        exit=0, present=[Need("ambiguous-amount", ws.title, a), Need("ambiguous-amount", ws.title, b)],
        absent=[Need("bad-amount")],
        word={"budget": ["7,800", "12,500", amount_text(total)]})


def _total_line(folder: Path, name: str, label: str) -> tuple[Path, Expect]:
    wb = load_example(folder)
    ws, t = find_table(wb, "tbl_budget")
    n = table_rows(wb, "tbl_budget")
    grow(ws, t, rows=1)
    total = budget_total()
    put_row(ws, "tbl_budget", n, {"activity": label, "amount": float(total),
                                  "source": schema.FUNDING_SOURCES[0]})
    row_cells = tuple(tcell(wb, "tbl_budget", n, k)[1] for k in ("activity", "amount"))
    return save(wb, folder, name), Expect(
        exit=0, present=[Need("total-line", ws.title, row_cells)],
        word={"budget": [amount_text(total)]}, word_absent={"budget": [amount_text(2 * total)]})


@case
def total_line_label(folder: Path) -> tuple[Path, Expect]:
    """A last budget line «المجموع» holding the sum of the lines above, inside the table."""
    return _total_line(folder, "total_line_label", "المجموع")


@case
def total_line_sum(folder: Path) -> tuple[Path, Expect]:
    """A last budget line with an ordinary text whose amount is the sum of all the other lines."""
    return _total_line(folder, "total_line_sum", "الكلفة الجملية لأنشطة الخطة")


@case
def priority_overwritten(folder: Path) -> tuple[Path, Expect]:
    """A number typed over section 4's computed «درجة الأولوية» (the formula replaced by 1)."""
    wb = load_example(folder)
    ws, ref = tcell(wb, "tbl_datasets", 0, "priority")      # all four criteria: computed 4
    ws[ref] = 1
    return save(wb, folder, "priority_overwritten"), Expect(
        exit=0, present=[Need("computed-overwritten", ws.title, ref)])


@case
def grand_total_overwritten(folder: Path) -> tuple[Path, Expect]:
    """A number typed over section 10's grand total above the table (the SUM formula replaced)."""
    wb = load_example(folder)
    ws, _ = find_table(wb, "tbl_budget")
    ref = next(c.coordinate for row in ws.iter_rows(max_row=range_boundaries(ws.tables["tbl_budget"].ref)[1])
               for c in row if isinstance(c.value, str) and c.value.upper().startswith("=SUM(TBL_BUDGET"))
    ws[ref] = 150000
    return save(wb, folder, "grand_total_overwritten"), Expect(
        exit=0, present=[Need("computed-overwritten", ws.title, ref)],
        word={"budget": [amount_text(budget_total())]})


@case
def formula_without_result(folder: Path) -> tuple[Path, Expect]:
    """Formulas written by a script (no computed result): a required «المدة بالأيام», an optional indicator."""
    wb = load_example(folder)
    ws, days = tcell(wb, "tbl_trainings", 0, "days")
    ws[days] = "=1+1"
    ws1, indicator = tcell(wb, "tbl_objectives", 0, "indicator")
    ws1[indicator] = '="عدد المشاريع "&"المنشورة"'
    return save(wb, folder, "formula_without_result"), Expect(
        exit=1, present=[Need("formula-without-result", ws.title, days),
                         Need("formula-without-result", ws1.title, indicator)],
        absent=[Need("missing-value", ws.title, days), Need("missing-value", ws1.title, indicator)])


@case
def date_as_number(folder: Path) -> tuple[Path, Expect]:
    """The number 2027 typed in a date cell of section 3 (Excel shows 19/07/1905)."""
    wb = load_example(folder)
    ws, ref = tcell(wb, "tbl_inventory", 2, "end")
    ws[ref] = 2027
    return save(wb, folder, "date_as_number"), Expect(
        exit=1, present=[Need("bad-date", ws.title, ref)], word_absent={"inventory": ["1905"]})


BULLETS = "\uf0b7 عدد المشاريع المنشورة\n\uf0b7 عدد الزيارات لصفحة المشاريع"


@case
def symbol_bullets(folder: Path) -> tuple[Path, Expect]:
    """A list pasted from Word whose bullets are the Symbol font's U+F0B7."""
    wb = load_example(folder)
    ws, ref = tcell(wb, "tbl_objectives", 0, "indicator")
    ws[ref] = BULLETS
    return save(wb, folder, "symbol_bullets"), Expect(
        exit=0, word={"objectives": ["• عدد المشاريع المنشورة", "• عدد الزيارات لصفحة المشاريع"]},
        word_absent={"objectives": ["\uf0b7"], COVER: ["\uf0b7"]})


LINE_BREAK = "مؤشر أول: عدد المشاريع\x0bمؤشر ثان: نسبة التقدم"


@case
def vertical_tab_line_break(folder: Path) -> tuple[Path, Expect]:
    """Text pasted from Word with its manual line break, stored by Excel as _x000B_."""
    data = example_data()
    data["sections"]["objectives"][1]["indicator"] = LINE_BREAK
    path = build_workbook(folder / "vertical_tab_line_break.xlsx", data)
    ws, ref = tcell(openpyxl.load_workbook(path), "tbl_objectives", 1, "indicator")
    return path, Expect(exit=0, absent=[Need("invalid-characters")],
                        word={"objectives": ["مؤشر أول: عدد المشاريع\nمؤشر ثان: نسبة التقدم"]})


@case
def invalid_values_only(folder: Path) -> tuple[Path, Expect]:
    """Nothing missing, two invalid values: a format «Excel» and an e-mail in a date cell."""
    wb = load_example(folder)
    ws, fmt = tcell(wb, "tbl_datasets", 2, "format")
    ws[fmt] = "Excel 2016"
    ws3, date = tcell(wb, "tbl_tools", 0, "start")
    ws3[date] = "بداية السنة"
    return save(wb, folder, "invalid_values_only"), Expect(
        exit=1, present=[Need("bad-choice", ws.title, fmt), Need("bad-date", ws3.title, date)],
        absent=[Need("missing-value")], headline=True)


# --- the cases: section introductions ------------------------------------------------------------------
INTROS = {"inventory": "ينطلق الجرد من نتائج جرد السنة الماضية (مقدمة القسم 3).",
          "trainings": "تُنظم الدورات بالتعاون مع المركز الوطني للإعلامية (مقدمة القسم 7).",
          "budget": "المبالغ تقديرية وتخضع لقانون المالية (مقدمة القسم 10)."}


@case
def section_intro(folder: Path) -> tuple[Path, Expect]:
    """Introductions typed in the introduction cells (defined names intro_<section>) of sections 3, 7 and 10."""
    wb = load_example(folder)
    for key, text in INTROS.items():
        ws, ref = named(wb, schema.section(key).intro_name)     # KeyError: a template without them
        ws[ref] = text
    return save(wb, folder, "section_intro"), Expect(
        exit=0, absent=[Need("text-outside-tables")], word={k: [v] for k, v in INTROS.items()})


# --- the cases: more of what officers do ---------------------------------------------------------------
@case
def hidden_rows(folder: Path) -> tuple[Path, Expect]:
    """Two rows of section 5's table hidden (right click → Hide)."""
    wb = load_example(folder)
    ws, t = find_table(wb, "tbl_tools")
    r0 = range_boundaries(t.ref)[1]
    for r in (r0 + 2, r0 + 3):
        ws.row_dimensions[r].hidden = True
    return save(wb, folder, "hidden_rows"), Expect(
        exit=0, absent=[Need(tuple(_all_codes()))],
        word={"tools": [example_row("tools", i)["tool"] for i in (1, 2)]})


@case
def filtered_rows(folder: Path) -> tuple[Path, Expect]:
    """Section 3's table filtered on «المسؤول» = سنية بن عمر: the other rows hidden by the filter."""
    from openpyxl.worksheet.filters import FilterColumn, Filters

    wb = load_example(folder)
    ws, t = find_table(wb, "tbl_inventory")
    c0, r0, _, r1 = range_boundaries(t.ref)
    col = columns_of(ws, t)["responsible"]
    keep = "سنية بن عمر"
    t.autoFilter.filterColumn = [FilterColumn(colId=col - c0, filters=Filters(filter=[keep]))]
    hidden = []
    for r in range(r0 + 1, r1 + 1):
        if ws.cell(r, col).value != keep:
            ws.row_dimensions[r].hidden = True
            hidden.append(ws.cell(r, columns_of(ws, t)["activity"]).value)
    return save(wb, folder, "filtered_rows"), Expect(
        exit=0, absent=[Need(tuple(_all_codes()))], word={"inventory": hidden})


@case
def sorted_rows(folder: Path) -> tuple[Path, Expect]:
    """Section 3's table sorted by end date, latest first (Data → Sort inside the table)."""
    wb = load_example(folder)
    ws, t = find_table(wb, "tbl_inventory")
    c0, r0, c1, r1 = range_boundaries(t.ref)
    end = columns_of(ws, t)["end"]
    rows = [[ws.cell(r, c).value for c in range(c0, c1 + 1)] for r in range(r0 + 1, r1 + 1)]
    rows.sort(key=lambda v: v[end - c0], reverse=True)
    for r, values in enumerate(rows, start=r0 + 1):
        for c, v in enumerate(values, start=c0):
            ws.cell(r, c).value = v
    return save(wb, folder, "sorted_rows"), Expect(exit=0, absent=[Need(tuple(_all_codes()))])


@case
def rows_of_spaces(folder: Path) -> tuple[Path, Expect]:
    """Cells «cleared» with the space bar: a table row of spaces (the table grew), spaces under it."""
    wb = load_example(folder)
    ws, t = find_table(wb, "tbl_tools")
    c0, _, c1, r1 = range_boundaries(t.ref)
    grow(ws, t, rows=1)
    for c in range(c0, c1 + 1):
        ws.cell(r1 + 1, c).value = " "
        ws.cell(r1 + 3, c).value = "   "
    return save(wb, folder, "rows_of_spaces"), Expect(
        exit=0, absent=[Need(("missing-value", "row-outside-table", "text-outside-tables",
                              "duplicate-row"), ws.title)])


@case
def renamed_header(folder: Path) -> tuple[Path, Expect]:
    """Section 5's header «الوصف» renamed «وصف الأداة» (Excel renames the table's column with it)."""
    wb = load_example(folder)
    ws, t = find_table(wb, "tbl_tools")
    _, r0, _, _ = range_boundaries(t.ref)
    col = columns_of(ws, t)["description"]
    label = schema.section("tools").column("description").ar
    ws.cell(r0, col).value = "وصف الأداة"
    for tc in t.tableColumns:
        if tc.name == label:
            tc.name = "وصف الأداة"
    ref = f"{get_column_letter(col)}{r0}"
    return save(wb, folder, "renamed_header"), Expect(
        exit=None, present=[Need(("extra-column", "missing-column"), ws.title, ref)])


@case
def total_row(folder: Path) -> tuple[Path, Expect]:
    """Section 10's table with Excel's Total Row switched on: «المجموع» and =SUBTOTAL(109,…) under the amounts."""
    wb = load_example(folder)
    ws, t = find_table(wb, "tbl_budget")
    c0, _, _, r1 = range_boundaries(t.ref)
    grow(ws, t, rows=1)
    t.totalsRowCount = 1
    cols = columns_of(ws, t)
    amount_label = schema.section("budget").column("amount").ar
    for tc in t.tableColumns:
        if tc.name == schema.section("budget").column("activity").ar:
            tc.totalsRowLabel = "المجموع"
        if tc.name == amount_label:
            tc.totalsRowFunction = "sum"
    ws.cell(r1 + 1, cols["activity"]).value = "المجموع"
    amount = f"{get_column_letter(cols['amount'])}{r1 + 1}"
    ws[amount] = f"=SUBTOTAL(109,tbl_budget[{amount_label}])"
    path = save(wb, folder, "total_row")
    set_cached(path, ws.title, {amount: f"{budget_total():f}"})
    total = budget_total()
    return path, Expect(exit=0, absent=[Need(("missing-value", "formula-without-result", "bad-amount"))],
                        word={"budget": [amount_text(total)]},
                        word_absent={"budget": [amount_text(2 * total)]})


@case
def not_applicable_reason(folder: Path) -> tuple[Path, Expect]:
    """Section 9's rows cleared and the reason typed in «لا ينطبق — السبب»."""
    wb = load_example(folder)
    ws, t = find_table(wb, "tbl_calendar")
    c0, r0, c1, r1 = range_boundaries(t.ref)
    for r in range(r0 + 1, r1 + 1):
        for c in range(c0, c1 + 1):
            ws.cell(r, c).value = None
    na_ws, ref = named(wb, schema.section("calendar").na_name)
    reason = "كل الأنشطة مؤرخة في الأقسام الأخرى"
    na_ws[ref] = reason
    return save(wb, folder, "not_applicable_reason"), Expect(
        exit=0, absent=[Need(("empty-section", "text-outside-tables"))], word={"calendar": [reason]})


AUTHOR_UNDER = {"name": "هالة المرزوقي (تحت الجدول)", "unit": "خلية الاتصال", "role": "عضوة فريق العمل"}


@case
def author_under_table(folder: Path) -> tuple[Path, Expect]:
    """A sixth member of the team typed right under the cover's team table (the table did not grow)."""
    wb = load_example(folder)
    n = table_rows(wb, schema.AUTHORS.table)
    ws, t = find_table(wb, schema.AUTHORS.table)
    c0, r0, _, _ = range_boundaries(t.ref)
    labels = {c.ar: c.key for c in schema.AUTHORS.columns}
    cols = {labels[ws.cell(r0, c).value]: c for c in range(c0, c0 + len(labels))}
    for key, value in AUTHOR_UNDER.items():
        ws.cell(r0 + 1 + n, cols[key]).value = value
    ref = f"{get_column_letter(cols['name'])}{r0 + 1 + n}"
    return save(wb, folder, "author_under_table"), Expect(
        exit=0, present=[Need("row-outside-table", ws.title, ref)],
        word={COVER: list(AUTHOR_UNDER.values())})


@case
def hidden_sheet(folder: Path) -> tuple[Path, Expect]:
    """Section 8's sheet hidden (right click on the tab → Hide): still part of the plan."""
    wb = load_example(folder)
    wb[schema.section("communication").sheet].sheet_state = "hidden"
    return save(wb, folder, "hidden_sheet"), Expect(
        exit=0, absent=[Need(tuple(_all_codes()))],
        word={"communication": [r["activity"] for r in example_data()["sections"]["communication"]]})


# --- the cases: LibreOffice -------------------------------------------------------------------------
OUTSIDE_REUSE = (
    {"scope": schema.REUSE_EXTERNAL, "activity": "يوم مفتوح لمستعملي بيانات الطرقات (ليبر أوفيس)",
     "activity_type": schema.REUSE_TYPES[1], "use_case": "المطورون المستقلون",
     "date": dt.datetime(2027, 11, 12), "partners": "جمعية البيانات المفتوحة تونس"},
    {"scope": schema.REUSE_INTERNAL, "activity": "اجتماع داخلي حول لوحة القيادة (ليبر أوفيس)",
     "activity_type": schema.REUSE_TYPES[0], "use_case": "المديرون العامون",
     "date": dt.datetime(2027, 6, 3), "partners": None},
)


@case
def libreoffice_resave(folder: Path) -> tuple[Path, Expect]:
    """The example opened and saved again by LibreOffice Calc (.xlsx): nothing to report."""
    path = soffice_convert(example(folder), "xlsx", folder / "libreoffice_resave.xlsx")
    return path, Expect(exit=0, absent=[Need(tuple(_all_codes()))])


@case
def libreoffice_rows_under_table(folder: Path) -> tuple[Path, Expect]:
    """Two reuse activities typed under section 6's table, saved by LibreOffice (it never grows a table)."""
    wb = load_example(folder)
    n = table_rows(wb, "tbl_reuse")
    needs = []
    for i, row in enumerate(OUTSIDE_REUSE):
        ws, ref = tcell(wb, "tbl_reuse", n + i, "scope")
        put_row(ws, "tbl_reuse", n + i, row)
        needs.append(Need("row-outside-table", ws.title, ref))
    draft = save(wb, folder, "_libreoffice_rows_draft")
    path = soffice_convert(draft, "xlsx", folder / "libreoffice_rows_under_table.xlsx")
    subs = {s.value: s.heading for s in schema.section("reuse").subsections}
    return path, Expect(exit=0, present=needs, absent=[Need("missing-value", ws.title)],
                        under=[("reuse", subs[r["scope"]], r["activity"]) for r in OUTSIDE_REUSE])


@case
def ods(folder: Path) -> tuple[Path, Expect]:
    """The example saved by LibreOffice in its own format (.ods): refused with a clear message."""
    path = soffice_convert(example(folder), "ods", folder / "ods.ods")
    return path, Expect(exit=2, refused="opendocument")


@case
def csv_renamed(folder: Path) -> tuple[Path, Expect]:
    """Section 4 saved as CSV, then renamed .xlsx to be accepted: refused with a clear message."""
    rows = example_data()["sections"]["datasets"]
    path = folder / "csv_renamed.xlsx"
    path.write_text("\n".join(f"{r['title']};{r['producer']};{r['format']}" for r in rows), encoding="utf-8")
    return path, Expect(exit=2, refused="not-a-workbook")


def _all_codes() -> list[str]:
    from odplan_xl.codes import CODES

    return list(CODES)


# --- what was typed ---------------------------------------------------------------------------------
@dataclass
class _Role:
    section: str                                   # section key or COVER
    template: str                                  # the blank template's sheet at the same place
    copy: bool
    columns: dict[int, schema.Column]              # column index -> schema column


def _labels_match(labels: list[Any], spec: schema.Section) -> bool:
    wanted = {c.ar for c in spec.columns}
    return len(wanted & {v for v in labels if isinstance(v, str)}) >= max(2, len(wanted) // 2 + 1)


def _header_columns(ws, spec: schema.Section, row: int, c0: int, c1: int) -> dict[int, schema.Column]:
    by_label = {c.ar: c for c in spec.columns}
    return {c: by_label[ws.cell(row, c).value] for c in range(c0, c1 + 1)
            if ws.cell(row, c).value in by_label}


def _roles(wb: openpyxl.Workbook, template: openpyxl.Workbook) -> dict[str, _Role]:
    """Which sheets are the cover, a section, or a copy of a section, and their columns."""
    roles: dict[str, _Role] = {}
    originals: set[str] = set()
    for ws in wb.worksheets:
        for t in ws.tables.values():
            name = t.name
            c0, r0, c1, _ = range_boundaries(t.ref)
            labels = [ws.cell(r0, c).value for c in range(c0, c1 + 1)]
            if name == schema.AUTHORS.table:
                roles[ws.title] = _Role(COVER, schema.COVER_SHEET, False, {})
                continue
            spec = schema.SECTION_BY_TABLE.get(name) or schema.SECTION_BY_TABLE.get(re.sub(r"\d+$", "", name))
            if spec is None:
                spec = next((s for s in schema.SECTIONS if _labels_match(labels, s)), None)
            if spec is None:
                continue
            is_copy = name != spec.table
            if not is_copy:
                originals.add(spec.key)
            roles[ws.title] = _Role(spec.key, spec.sheet, is_copy, _header_columns(ws, spec, r0, c0, c1))
    for ws in wb.worksheets:           # a section whose table became a range: by its title and labels
        if ws.title in roles:
            continue
        if ws.title == schema.COVER_SHEET:
            roles[ws.title] = _Role(COVER, schema.COVER_SHEET, False, {})
            continue
        spec = next((s for s in schema.SECTIONS if s.sheet == ws.title), None)
        if spec is None:
            continue
        for row in ws.iter_rows(max_row=40):
            labels = [c.value for c in row]
            if _labels_match(labels, spec):
                roles[ws.title] = _Role(spec.key, spec.sheet, spec.key in originals,
                                        _header_columns(ws, spec, row[0].row, 1, ws.max_column))
                break
        else:
            roles[ws.title] = _Role(spec.key, spec.sheet, spec.key in originals, {})
    return {k: v for k, v in roles.items() if v.template in template.sheetnames}


def _norm(text: str) -> str:
    """Text compared as read: Symbol bullets as «•», direction marks dropped, runs of blanks as one space.

    Characters a workbook stores escaped (_x000B_, Word's line break pasted into Excel) are the
    characters Excel shows.
    """
    text = re.sub("_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)
    text = text.replace("\uf0b7", "•")
    text = re.sub("[\u200e\u200f\u061c\u200b\ufeff\u202a-\u202e\u2066-\u2069]", "", text)
    return re.sub("[ \t\r\n\x0b\x0c\u00a0]+", " ", text).strip()


def shown_text(value: Any, column: schema.Column | None) -> str | None:
    """A cell's value as the document shows it, computed here (not with the project's formatters)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return schema.YES_AR if value else schema.NO_AR
    if isinstance(value, dt.datetime | dt.date):
        return date_text(value)
    if isinstance(value, int | float | Decimal):
        if column is not None and column.kind is schema.Kind.AMOUNT:
            return amount_text(value)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    return _norm(str(value))


def _cover_columns(wb: openpyxl.Workbook) -> dict[str, schema.Column]:
    out = {}
    for col in schema.COVER_FIELDS:
        try:
            out[named(wb, schema.cover_name(col.key))[1]] = col
        except KeyError:
            pass
    return out


def _grown_header(ws, cell) -> bool:
    """The name Excel gives a column it adds to a table («عمود1», "Column1"), in that table's header row."""
    if not (isinstance(cell.value, str) and re.fullmatch(r"(Column|عمود)\d+", cell.value.strip())):
        return False
    return any(range_boundaries(tb.ref)[1] == cell.row for tb in ws.tables.values())


def typed_cells(path: Path, template_path: Path) -> list[Typed]:
    """Every non-empty cell of the cover and the section sheets that differs from the blank template."""
    wb = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    template = openpyxl.load_workbook(template_path)
    formulas = {ws.title: {str(c.value) for row in ws.iter_rows() for c in row if c.data_type == "f"}
                for ws in template.worksheets}
    cover_cols = _cover_columns(wb)
    out = []
    for title, role in _roles(wb, template).items():
        ws, tws, vws = wb[title], template[role.template], values[title]
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if v is None or (isinstance(v, str) and not v.strip()):
                    continue
                if c.data_type == "f" and str(v) in formulas[role.template]:
                    continue                      # the template's own formula, on a row it did not have
                if c.row <= tws.max_row and c.column <= tws.max_column and tws[c.coordinate].value == v:
                    continue
                if _grown_header(ws, c):
                    continue                      # a header Excel wrote itself when the table grew
                column = cover_cols.get(c.coordinate) if role.section == COVER else role.columns.get(c.column)
                shown = vws[c.coordinate].value
                typed = Typed(title, c.coordinate, v, role.section, shown_text(shown, column), role.copy)
                if role.section != COVER and column is not None:
                    typed.heading, typed.anchor = _grouping(ws, role, column, c.row, v)
                out.append(typed)
    return out


def _grouping(ws, role: _Role, column: schema.Column, row: int, value: Any) -> tuple[str, str]:
    """(subsection heading of a category cell or "", the text of its row's activity or "")."""
    spec = schema.section(role.section)
    activity = next((c for c, col in role.columns.items() if col.key == spec.activity), None)
    header = _header_row(ws, role)
    if activity is None or header is None or row <= header:
        return "", ""
    if spec.key == "communication" and column.key == "form":
        return "", ""            # printed as the label of its part of 8.1 / 8.2, not in the row
    anchor = shown_text(ws.cell(row, activity).value, None) or ""
    if column.key == spec.category:
        return next((s.heading for s in spec.subsections if s.value == value), ""), anchor
    return "", anchor


def _header_row(ws, role: _Role) -> int | None:
    """The row of the section's header labels (the table's first row)."""
    for c, col in role.columns.items():
        for r in range(1, 60):
            if ws.cell(r, c).value == col.ar:
                return r
        return None
    return None


# --- the Word document, section by section ---------------------------------------------------------------
def _para_text(p) -> str:
    return "".join(el.text or "" if el.tag == qn("w:t") else "\n" if el.tag == qn("w:br") else "\t"
                   for el in p.iter(qn("w:t"), qn("w:br"), qn("w:tab")))


def word_sections(path: Path) -> tuple[dict[str, str], dict[str, list[list[str]]]]:
    """The document split at the section headings «N. …» (COVER: everything before section 1).

    Per section: its text, and its tables' rows (each a list of cell texts).
    """
    body = docx.Document(str(path)).element.body
    headings = {s.numbered_heading: s.key for s in schema.SECTIONS}
    parts: dict[str, list[str]] = {COVER: []}
    rows: dict[str, list[list[str]]] = {COVER: []}
    current = COVER
    for child in body.iterchildren(qn("w:p"), qn("w:tbl")):
        if child.tag == qn("w:tbl"):
            for tr in child.iter(qn("w:tr")):
                cells = ["\n".join(_para_text(p) for p in tc.iter(qn("w:p"))) for tc in tr.iter(qn("w:tc"))]
                rows[current].append(cells)
                parts[current].append("\n".join(cells))
            continue
        style = child.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        style = style.get(qn("w:val")) if style is not None else ""
        text = _para_text(child)
        plain = re.sub("[\u200e\u200f\u061c]", "", text).strip()
        if plain in headings and not style.upper().startswith("TOC") and headings[plain] not in parts:
            current = headings[plain]
            parts[current], rows[current] = [], []
        parts[current].append(text)
    return {k: "\n".join(v) for k, v in parts.items()}, rows


def _raw(text: str) -> str:
    return re.sub("[\u200e\u200f\u061c]", "", text)


# --- running a case -------------------------------------------------------------------------------------
def check_command(path: Path, fmt: str = "json") -> list[str]:
    return [sys.executable, "-m", "odplan_xl.cli", "check", str(path), "--format", fmt]


def run_case(name: str, folder: Path) -> Outcome:
    """Build a case, check it with the command line, convert it to Word, and count what was lost."""
    from odplan_xl.app.convert import convert

    out = Outcome(name)
    try:
        out.path, out.expect = CASES[name](folder)
    except Exception as exc:   # a case that cannot be built (e.g. a template without intro cells)
        out.error = f"cannot build: {type(exc).__name__}: {exc}"
        return out
    res = subprocess.run(check_command(out.path), capture_output=True, text=True, timeout=600)
    out.exit, out.stdout, out.stderr = res.returncode, res.stdout, res.stderr
    try:
        out.report = json.loads(res.stdout)
    except ValueError:
        out.report = None
    if out.refused or out.exit not in (0, 1):
        return out
    out.findings = (out.report or {}).get("findings", [])
    if out.expect.headline:
        text = subprocess.run(check_command(out.path, "text"), capture_output=True, text=True, timeout=600,
                              env={**os.environ, "COLUMNS": "200"})
        out.headline = text.stdout.strip().splitlines()[-1] if text.stdout.strip() else ""
    with tempfile.TemporaryDirectory(prefix="officer_") as tmp:
        try:
            result = convert(out.path, Path(tmp) / f"{name}.docx", overwrite=True)
            out.word, out.rows = word_sections(result.output)
        except Exception as exc:
            out.error = f"convert: {type(exc).__name__}: {exc}"
            return out
    out.typed = typed_cells(out.path, blank(folder))
    out.shown, out.reported, out.lost = tally(out.typed, out.findings, out.word, out.rows)
    return out


def tally(typed: list[Typed], findings: list[dict], word: dict[str, str],
          rows: dict[str, list[list[str]]] | None = None) -> tuple[list[Typed], list[Typed], list[Typed]]:
    """(shown, reported, lost) among the typed cells, given the findings and the Word document by section.

    A table cell is shown when its text is in the Word table row that shows its row's activity; a
    category cell, when its row sits under its subsection's heading; anything else, when its text is in
    its section's text.
    """
    words = {k: _norm(v) for k, v in word.items()}
    cells = {k: [[_norm(c) for c in r] for r in v] for k, v in (rows or {}).items()}
    shown_, reported_, lost_ = [], [], []
    for t in typed:
        if t.copy or t.text is None:
            shown = False
        elif t.heading and t.anchor:
            shown = under(word.get(t.section, ""), t.section, t.heading, t.anchor)
        elif t.anchor and rows is not None:
            shown = any(t.anchor in " ".join(r) and any(_in_cell(t.text, c) for c in r)
                        for r in cells.get(t.section, []))
        else:
            shown = t.text in words.get(t.section, "")
        reported = any(f.get("sheet") == t.sheet and (t.copy or cell_in(t.cell, f.get("cell") or ""))
                       for f in findings)
        if shown:
            shown_.append(t)
        if reported:
            reported_.append(t)
        if not shown and not reported:
            lost_.append(t)
    return shown_, reported_, lost_


def _in_cell(text: str, cell: str) -> bool:
    """A value in a Word table cell: the whole cell, or part of it for longer text."""
    return text == cell or (len(text) >= 4 and text in cell)


def problems(out: Outcome) -> dict[str, list[str]]:
    """What in an outcome differs from its case's expectation, by part: exit, findings, word, headline."""
    found: dict[str, list[str]] = {"exit": [], "findings": [], "word": [], "headline": []}
    if out.error:
        found["exit"].append(out.error)
        return found
    exp = out.expect
    if exp.exit is None:
        if out.exit not in (0, 1):
            found["exit"].append(f"exit {out.exit}, expected 0 or 1: {out.stderr.strip()[-300:]}")
    elif out.exit != exp.exit:
        found["exit"].append(f"exit {out.exit}, expected {exp.exit}"
                             + (f": {out.stderr.strip()[-300:]}" if out.exit not in (0, 1) else ""))
    if exp.refused:
        found["findings"] += _refusal_problems(out, exp.refused)
        return found
    if out.report is None:
        found["findings"].append("`check --format json` printed no JSON object")
        return found
    for need in exp.present:
        if not any(need.matches(f) for f in out.findings):
            codes = (need.code,) if isinstance(need.code, str) else need.code
            near = sorted({f"{f['code']}@{f['sheet']}!{f['cell']}" for f in out.findings if f["code"] in codes})
            seen = f" (found {', '.join(near[:4])})" if near else ""
            found["findings"].append(f"missing finding {need}{seen}")
    for need in exp.absent:
        bad = sorted({f"{f['code']}@{f['sheet']}!{f['cell']}" for f in out.findings if need.matches(f)})
        if bad:
            more = f" (+{len(bad) - 4})" if len(bad) > 4 else ""
            found["findings"].append(f"unexpected {', '.join(bad[:4])}{more}")
    for key, texts in exp.word.items():
        text = _raw(out.word.get(key, ""))
        for t in texts:
            if t not in text and _norm(t) not in _norm(text):
                found["word"].append(f"Word section {key} lacks {t!r}")
    for key, texts in exp.word_absent.items():
        text = _raw(out.word.get(key, ""))
        found["word"] += [f"Word section {key} shows {t!r}" for t in texts if t in text]
    for key, heading, t in exp.under:
        if not under(out.word.get(key, ""), key, heading, t):
            found["word"].append(f"Word section {key}: {t!r} is not under «{heading}»")
    for key, anchor, t in exp.row_has:
        if not any(_norm(anchor) in " ".join(r) and any(_in_cell(_norm(t), c) for c in r)
                   for r in ([_norm(c) for c in row] for row in out.rows.get(key, []))):
            found["word"].append(f"Word section {key}: no table row with {anchor!r} shows {t!r}")
    if exp.headline and "غير مكتملة" in out.headline and "100%" in out.headline:
        found["headline"].append(f"headline says incomplete and 100%: {out.headline}")
    return found


def all_problems(out: Outcome) -> list[str]:
    return [p for part in problems(out).values() for p in part]


def under(text: str, key: str, heading: str, wanted: str) -> bool:
    """Whether `wanted` appears after the subsection `heading` and before the next subsection heading."""
    text, wanted = _norm(text), _norm(wanted)
    start = text.find(_norm(heading))
    if start < 0:
        return False
    others = [text.find(_norm(s.heading), start + 1) for s in schema.section(key).subsections]
    end = min([o for o in others if o > start] or [len(text)])
    return wanted in text[start:end]


def _refusal_problems(out: Outcome, code: str) -> list[str]:
    found = []
    obj = out.report
    if not isinstance(obj, dict):
        return [f"refused without a JSON object on stdout (stderr: {out.stderr.strip()[-200:]})"]
    err = obj.get("error") if isinstance(obj.get("error"), dict) else obj
    if err.get("code") != code:
        found.append(f"refusal code {err.get('code')!r}, expected {code!r}")
    if not (err.get("ar") or err.get("message_ar")) or not (err.get("fr") or err.get("message_fr")):
        found.append(f"refusal JSON lacks the Arabic and French messages: {sorted(err)}")
    return found


# --- run as a script ------------------------------------------------------------------------------------
def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else Path(tempfile.mkdtemp(prefix="officer_"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"corpus: {folder}")
    print(f"{'case':34} {'exit':>4} {'typed':>5} {'shown':>5} {'reported':>8} {'lost':>4}  expectation")
    failing = lost = 0
    for name in CASES:
        out = run_case(name, folder)
        issues = all_problems(out)
        failing += bool(issues)
        lost += len(out.lost)
        status = "ok" if not issues else "; ".join(issues)
        if out.error or out.refused:
            counts = f"{'':5} {'':5} {'':8} {'':4}" if out.error else f"{'refused':>26}"
            print(f"{name:34} {out.exit if out.exit is not None else '-':>4} {counts}  {status[:160]}")
            continue
        print(f"{name:34} {out.exit:>4} {len(out.typed):5} {len(out.shown):5} {len(out.reported):8} "
              f"{len(out.lost):4}  {status[:160]}")
        for t in out.lost[:3]:
            print(f"{'':36}lost {t.sheet}!{t.cell}: {str(t.value)[:60]!r}")
    print(f"{len(CASES)} cases: {len(CASES) - failing} as expected, {failing} not; {lost} values lost")
    return 1 if failing or lost else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main(sys.argv[1:]))
