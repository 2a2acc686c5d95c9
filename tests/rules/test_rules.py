"""Every finding code, one row each: a real workbook with one defect gives that finding, at its sheet and cell.

Each row starts from the complete example plan (no finding), introduces one defect — in the data the
template builder writes, or by editing the built workbook with openpyxl as an officer's office suite
would — checks the file, and compares every finding (code, severity, sheet, cell) with places found
by openpyxl alone (tests/workbooks.py), never by our reader.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from hostile import _shift_names as shift_names
from hostile import replace_cell, rewrite, sheet_part
from openpyxl.utils.cell import get_column_letter
from openpyxl.worksheet.table import TableColumn
from workbooks import named_cell, row_start, table_box, table_cell

from odplan_xl import schema
from odplan_xl.app.check import check
from odplan_xl.codes import CODES
from odplan_xl.workbook.example import example_data

EXAMPLE = example_data()
ERROR, WARNING = "error", "warning"

Where = Callable[[Path], tuple[str, str]]           # workbook -> (sheet title, "B9" or "")


# --- where a finding is expected, found with openpyxl ---------------------------------------------

def cell(table: str, index: int, key: str) -> Where:
    return lambda path: table_cell(path, table, index, key)


def name(defined: str) -> Where:
    return lambda path: named_cell(path, defined)


def cover(key: str) -> Where:
    return name(schema.cover_name(key))


def first_cell(table: str, index: int) -> Where:
    return lambda path: row_start(path, table, index)


def table_corner(table: str) -> Where:
    """The first header cell of a table."""
    def where(path: Path) -> tuple[str, str]:
        sheet, min_col, min_row, _, _ = table_box(path, table)
        return sheet, f"{get_column_letter(min_col)}{min_row}"
    return where


def after_table(table: str) -> Where:
    """The header cell just past a table's last column (where a column gets added)."""
    def where(path: Path) -> tuple[str, str]:
        sheet, _, min_row, max_col, _ = table_box(path, table)
        return sheet, f"{get_column_letter(max_col + 1)}{min_row}"
    return where


def sheet_of(table: str) -> Where:
    return lambda path: (table_box(path, table)[0], "")


def cover_sheet(path: Path) -> tuple[str, str]:
    return named_cell(path, schema.cover_name("structure"))[0], ""


# --- defects in the data the template builder writes ------------------------------------------------

def setting(path: str, value: object) -> Callable[[dict], None]:
    """A defect "sections.datasets.0.title" = value (None empties the cell)."""
    def apply(data: dict) -> None:
        *keys, last = path.split(".")
        target = data
        for key in keys:
            target = target[int(key)] if key.isdigit() else target[key]
        target[int(last) if last.isdigit() else last] = value
    return apply


def swap_dates(section: str, index: int) -> Callable[[dict], None]:
    def apply(data: dict) -> None:
        row = data["sections"][section][index]
        row["start"], row["end"] = row["end"], row["start"]
    return apply


def without_section(key: str) -> Callable[[dict], None]:
    """A section emptied, with the budget lines that pointed at it."""
    def apply(data: dict) -> None:
        data["sections"][key] = []
        data["sections"]["budget"] = [r for r in data["sections"]["budget"]
                                      if r.get("section") != schema.section(key).sheet]
    return apply


def not_applicable_with_rows(data: dict) -> None:
    data["na"] = {"reuse": "لا توجد أنشطة لإعادة الاستعمال هذه السنة"}


def without_subsection(data: dict) -> None:
    data["sections"]["trainings"] = [r for r in data["sections"]["trainings"]
                                     if r["kind"] != schema.TRAINING_NONTECH]


def no_criterion(data: dict) -> None:
    row = data["sections"]["datasets"][0]
    for key in ("crit_quality", "crit_legal", "crit_open_format", "crit_demand"):
        row[key] = schema.NO_AR


def budget_for_empty_section(data: dict) -> None:
    without_section("tools")(data)
    data["na"] = {"tools": "لا أدوات جديدة"}
    data["sections"]["budget"][0]["section"] = schema.section("tools").sheet


def zero_budget(data: dict) -> None:
    for row in data["sections"]["budget"]:
        row["amount"] = 0


def duplicated_dataset(data: dict) -> None:
    data["sections"]["datasets"].append(copy.deepcopy(data["sections"]["datasets"][0]))


def final_with_an_error(data: dict) -> None:
    data["cover"]["status"] = schema.STATUS_FINAL
    data["sections"]["datasets"][0]["producer"] = None


def total_line(data: dict) -> None:
    lines = data["sections"]["budget"]
    lines.append({**lines[0], "activity": "المجموع", "amount": sum(r["amount"] for r in lines), "note": None})


def update_before_prepared(data: dict) -> None:
    data["cover"]["updated"] = data["cover"]["prepared"] - dt.timedelta(days=1)


# --- defects made by editing the built workbook ------------------------------------------------------

Edit = Callable[[Path], None]


def with_openpyxl(change: Callable[[openpyxl.Workbook, Path], None]) -> Edit:
    """An edit of the workbook file through openpyxl (load, change, save)."""
    def apply(path: Path) -> None:
        wb = openpyxl.load_workbook(path)
        change(wb, path)
        wb.save(path)
        wb.close()
    return apply


def edit_cell(table: str, index: int, key: str, value: object) -> Edit:
    def change(wb: openpyxl.Workbook, path: Path) -> None:
        sheet, ref = table_cell(path, table, index, key)
        wb[sheet][ref] = value        # "#REF!" is stored as an error cell, as Excel does
    return with_openpyxl(change)


def long_text(table: str, index: int, key: str, length: int) -> Edit:
    """A cell longer than Excel allows, written in the sheet's XML (openpyxl would cut it at 32,767)."""
    def apply(path: Path) -> None:
        sheet, ref = table_cell(path, table, index, key)
        text = ("بيانات مفتوحة " * (length // 14 + 1))[:length]
        edited = path.with_name("edited.xlsx")
        rewrite(path, edited, {sheet_part(path, sheet): lambda xml: replace_cell(
            xml, ref, f'<c t="inlineStr"><is><t>{text}</t></is></c>')})
        edited.replace(path)
    return apply


def delete_sheet(table: str) -> Edit:
    """The sheet holding a section's table deleted (its table and header labels with it)."""
    def change(wb: openpyxl.Workbook, path: Path) -> None:
        wb.remove(wb[table_box(path, table)[0]])
    return with_openpyxl(change)


def delete_column(table: str, key: str) -> Edit:
    """A column deleted inside a table, as Excel does it: the cells move left, the table shrinks."""
    def change(wb: openpyxl.Workbook, path: Path) -> None:
        sheet, min_col, min_row, max_col, max_row = table_box(path, table)
        ws, tbl = wb[sheet], wb[sheet].tables[table]
        label = schema.SECTION_BY_TABLE[table].column(key).ar
        col = min_col + [ws.cell(min_row, c).value for c in range(min_col, max_col + 1)].index(label)
        ws.delete_cols(col)
        tbl.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col - 1)}{max_row}"
        tbl.autoFilter.ref = tbl.ref
        tbl.tableColumns = [c for c in tbl.tableColumns if c.name != label]
        for i, column in enumerate(tbl.tableColumns, start=1):
            column.id = i
        shift_names(wb, sheet, col, -1)
    return with_openpyxl(change)


def add_column(table: str, header: str) -> Edit:
    def change(wb: openpyxl.Workbook, path: Path) -> None:
        sheet, min_col, min_row, max_col, max_row = table_box(path, table)
        ws, tbl = wb[sheet], wb[sheet].tables[table]
        ws.cell(min_row, max_col + 1, header)
        tbl.tableColumns.append(TableColumn(id=len(tbl.tableColumns) + 1, name=header))
        tbl.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col + 1)}{max_row}"
        tbl.autoFilter.ref = tbl.ref
    return with_openpyxl(change)


def merge_down(table: str, index: int, key: str) -> Edit:
    """Two cells of one column merged across rows `index` and `index + 1` of a table."""
    def change(wb: openpyxl.Workbook, path: Path) -> None:
        sheet, ref = table_cell(path, table, index, key)
        below = table_cell(path, table, index + 1, key)[1]
        wb[sheet].merge_cells(f"{ref}:{below}")
    return with_openpyxl(change)


def row_below(table: str, key: str, text: str) -> Edit:
    """The table's first row typed again just under the table (outside the Excel Table), one text changed."""
    def change(wb: openpyxl.Workbook, path: Path) -> None:
        sheet, min_col, min_row, max_col, max_row = table_box(path, table)
        ws = wb[sheet]
        for col in range(min_col, max_col + 1):
            ws.cell(max_row + 1, col, ws.cell(min_row + 1, col).value)
        ws[table_cell(path, table, 0, key)[1].rstrip("0123456789") + str(max_row + 1)] = text
    return with_openpyxl(change)


def below_table(table: str) -> Where:
    def where(path: Path) -> tuple[str, str]:
        sheet, min_col, _, _, max_row = table_box(path, table)
        return sheet, f"{get_column_letter(min_col)}{max_row + 1}"
    return where


def beside(table: str) -> Where:
    """The cell just right of a table's second data row."""
    def where(path: Path) -> tuple[str, str]:
        sheet, _, min_row, max_col, _ = table_box(path, table)
        return sheet, f"{get_column_letter(max_col + 1)}{min_row + 2}"
    return where


def text_beside(table: str) -> Edit:
    def change(wb: openpyxl.Workbook, path: Path) -> None:
        sheet, ref = beside(table)(path)
        wb[sheet][ref] = "ملاحظة كتبها المسؤول خارج الجدول"
    return with_openpyxl(change)


COPY = "نسخة من الأهداف"


def copy_sheet(table: str) -> Edit:
    """A section's sheet copied (as Excel's "Move or Copy"): the copy has the headers, not the Table."""
    def change(wb: openpyxl.Workbook, path: Path) -> None:
        wb.copy_worksheet(wb[table_box(path, table)[0]]).title = COPY
    return with_openpyxl(change)


def in_copy(table: str) -> Where:
    return lambda path: (COPY, table_corner(table)(path)[1])


def delete_name(defined: str) -> Edit:
    def change(wb: openpyxl.Workbook, path: Path) -> None:
        del wb.defined_names[defined]
    return with_openpyxl(change)


@dataclass(frozen=True)
class Case:
    id: str
    code: str
    severity: str
    where: Where
    data: Callable[[dict], None] | None = None                          # defect in the data, or
    book: Edit | None = None                                            # in the built workbook
    also: tuple[tuple[str, str, Where], ...] = ()                       # findings that must come with it
    today: dt.date | None = None                                        # the follow-up's date


DS, BUDGET = "tbl_datasets", "tbl_budget"


def _first_end() -> tuple[str, int, dt.date]:
    """(section, row index, end) of the example's activity that ends first (a single date counts as its end)."""
    ends = []
    for spec in schema.SECTIONS:
        for i, row in enumerate(EXAMPLE["sections"].get(spec.key, [])):
            end = row.get(spec.end or spec.start or "")
            if isinstance(end, dt.date):
                ends.append((end, spec.key, i))
    end, key, index = min(ends)
    assert sum(1 for e, _, _ in ends if e == end) == 1
    assert EXAMPLE["sections"]["inventory"][0]["start"] > end
    return key, index, end


FIRST_KEY, FIRST_INDEX, FIRST_END = _first_end()

CASES = [
    Case("missing-value", "missing-value", ERROR, cell(DS, 0, "title"),
         data=setting("sections.datasets.0.title", None)),
    Case("missing-value-cover", "missing-value", ERROR, cover("structure"),
         data=setting("cover.structure", None)),
    Case("missing-value-authors", "missing-value", ERROR, cell("tbl_authors", 0, "name"),
         data=setting("authors.0.name", None)),
    Case("missing-value-budget-source", "missing-value", ERROR, cell(BUDGET, 1, "source"),
         data=setting("sections.budget.1.source", None)),
    Case("bad-date", "bad-date", ERROR, cell(DS, 1, "publish_date"),
         data=setting("sections.datasets.1.publish_date", "32/13/2027")),
    Case("bad-date-cover", "bad-date", ERROR, cover("prepared"), data=setting("cover.prepared", "hier")),
    Case("bad-number", "bad-number", ERROR, cell("tbl_trainings", 0, "days"),
         data=setting("sections.trainings.0.days", "trois")),
    Case("bad-amount", "bad-amount", ERROR, cell(BUDGET, 1, "amount"),
         data=setting("sections.budget.1.amount", "mille")),
    Case("negative-amount", "negative-amount", ERROR, cell(BUDGET, 0, "amount"),
         data=setting("sections.budget.0.amount", -150)),
    Case("bad-choice", "bad-choice", ERROR, cell(DS, 2, "format"),
         data=setting("sections.datasets.2.format", "DOCX")),
    Case("bad-choice-cover", "bad-choice", ERROR, cover("status"), data=setting("cover.status", "جاهزة")),
    Case("bad-yesno", "bad-yesno", ERROR, cell(DS, 0, "crit_demand"),
         data=setting("sections.datasets.0.crit_demand", "ربما")),
    # without a valid plan year, dates cannot be placed in it: no other finding
    Case("bad-year-text", "bad-year", ERROR, cover("year"), data=setting("cover.year", "deux mille")),
    Case("bad-year-before-range", "bad-year", ERROR, cover("year"),
         data=setting("cover.year", schema.YEAR_MIN - 5)),
    Case("bad-year-2015", "bad-year", ERROR, cover("year"), data=setting("cover.year", 2015)),
    Case("bad-year-2101", "bad-year", ERROR, cover("year"), data=setting("cover.year", 2101)),
    Case("bad-email", "bad-email", WARNING, cover("officer_email"),
         data=setting("cover.officer_email", "pas-une-adresse")),
    Case("end-before-start", "end-before-start", ERROR, cell("tbl_calendar", 0, "end"),
         data=swap_dates("calendar", 0)),
    Case("outside-plan-year", "outside-plan-year", WARNING, cell("tbl_calendar", 0, "end"),
         data=setting("sections.calendar.0.end", dt.date(2028, 1, 15))),
    Case("update-before-prepared", "update-before-prepared", ERROR, cover("updated"),
         data=update_before_prepared),
    Case("empty-section", "empty-section", ERROR, name("na_tools"), data=without_section("tools")),
    Case("na-with-rows", "na-with-rows", WARNING, name("na_reuse"), data=not_applicable_with_rows),
    Case("empty-subsection", "empty-subsection", WARNING, sheet_of("tbl_trainings"), data=without_subsection),
    Case("missing-authors", "missing-authors", ERROR, table_corner("tbl_authors"),
         data=setting("authors", [])),
    Case("no-criteria-met", "no-criteria-met", WARNING, cell(DS, 0, "crit_quality"), data=no_criterion),
    Case("budget-without-activity", "budget-without-activity", WARNING, cell(BUDGET, 0, "section"),
         data=budget_for_empty_section),
    Case("no-budget", "no-budget", WARNING, sheet_of(BUDGET), data=zero_budget),
    Case("duplicate-row", "duplicate-row", WARNING, first_cell(DS, len(EXAMPLE["sections"]["datasets"])),
         data=duplicated_dataset),
    Case("invalid-characters", "invalid-characters", WARNING, cell("tbl_objectives", 0, "indicator"),
         data=setting("sections.objectives.0.indicator", "نسبة\x0bالإنجاز\u202e")),
    # the follow-up: every row of the example is «مبرمج» (empty); judged on a given date
    Case("done-before-start", "done-before-start", WARNING, cell("tbl_inventory", 0, "progress"),
         data=setting("sections.inventory.0.progress", schema.PROGRESS_DONE),
         today=FIRST_END),
    Case("late-activity", "late-activity", WARNING, cell(schema.section(FIRST_KEY).table, FIRST_INDEX, "progress"),
         today=FIRST_END + dt.timedelta(days=1)),
    Case("not-final", "not-final", ERROR, cover("status"), data=final_with_an_error,
         also=(("missing-value", ERROR, cell(DS, 0, "producer")),)),
    # what the reader meets in a workbook edited by hand
    Case("text-too-long", "text-too-long", ERROR, cell("tbl_objectives", 0, "objective"),
         book=long_text("tbl_objectives", 0, "objective", 40_000)),
    Case("formula-error", "formula-error", ERROR, cell("tbl_objectives", 1, "indicator"),
         book=edit_cell("tbl_objectives", 1, "indicator", "#REF!")),
    Case("missing-section", "missing-section", ERROR, sheet_of("tbl_objectives"),
         book=delete_sheet("tbl_objectives")),
    Case("missing-column", "missing-column", ERROR, sheet_of(DS), book=delete_column(DS, "description")),
    Case("extra-column", "extra-column", WARNING, after_table("tbl_inventory"),
         book=add_column("tbl_inventory", "ملاحظة إضافية")),
    # the named cell is gone, what it held is now text outside the tables
    Case("missing-cover-field", "missing-cover-field", ERROR, cover_sheet,
         book=delete_name(schema.cover_name("officer_phone")),
         also=(("text-outside-tables", WARNING, cover("officer_phone")),)),
    Case("ambiguous-amount", "ambiguous-amount", WARNING, cell(BUDGET, 3, "amount"),
         data=setting("sections.budget.3.amount", "7.800")),
    Case("total-line", "total-line", WARNING, cell(BUDGET, len(EXAMPLE["sections"]["budget"]), "activity"),
         data=total_line),
    Case("year-mismatch", "year-mismatch", ERROR, cover("year"), data=setting("cover.year", 2028)),
    Case("merged-cells", "merged-cells", WARNING, cell("tbl_tools", 0, "tool_type"),
         book=merge_down("tbl_tools", 0, "tool_type")),
    Case("row-outside-table", "row-outside-table", WARNING, below_table("tbl_objectives"),
         book=row_below("tbl_objectives", "objective", "هدف أضيف تحت الجدول")),
    Case("text-outside-tables", "text-outside-tables", WARNING, beside("tbl_objectives"),
         book=text_beside("tbl_objectives")),
    Case("duplicate-section", "duplicate-section", ERROR, in_copy("tbl_objectives"),
         book=copy_sheet("tbl_objectives")),
    Case("computed-overwritten", "computed-overwritten", WARNING, cell(DS, 0, "priority"),
         book=edit_cell(DS, 0, "priority", 1)),
    Case("formula-without-result", "formula-without-result", ERROR, cell("tbl_objectives", 0, "indicator"),
         book=edit_cell("tbl_objectives", 0, "indicator", "=1+1")),
]


def test_every_code_has_a_row():
    missing = sorted(set(CODES) - {case.code for case in CASES})
    assert not missing, f"finding codes without a row in CASES: {missing}"
    assert len({case.id for case in CASES}) == len(CASES)


def test_the_example_has_no_finding(example_path):
    _, report = check(example_path)
    assert report.findings == []


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_one_defect_one_finding(make_workbook, case):
    data = copy.deepcopy(EXAMPLE)
    if case.data:
        case.data(data)
    path = make_workbook(data)
    expected = sorted((code, severity, *where(path))
                      for code, severity, where in ((case.code, case.severity, case.where), *case.also))
    if case.book:
        case.book(path)
    _, report = check(path, today=case.today or dt.date(2027, 1, 1))
    got = sorted((f.code, str(f.severity), f.sheet, f.cell) for f in report.findings)
    assert got == expected
