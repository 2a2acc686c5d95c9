"""Where things are in a workbook, found with openpyxl alone (never with our reader): tests compare to it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.utils.cell import get_column_letter, range_boundaries

from odplan_xl import schema


def table_cell(path: Path, table: str, index: int, key: str) -> tuple[str, str]:
    """(sheet title, "B9") of data row `index` (0-based), column `key` of an Excel Table."""
    wb = openpyxl.load_workbook(path)
    try:
        for ws in wb.worksheets:
            if table in ws.tables:
                min_col, min_row = range_boundaries(ws.tables[table].ref)[:2]
                spec = schema.AUTHORS if table == "tbl_authors" else schema.SECTION_BY_TABLE[table]
                labels = [c.value for c in ws[min_row]][min_col - 1:]
                col = min_col + labels.index(spec.column(key).ar)
                return ws.title, f"{get_column_letter(col)}{min_row + 1 + index}"
    finally:
        wb.close()
    raise KeyError(table)


def named_cell(path: Path, name: str) -> tuple[str, str]:
    """(sheet title, "C5") of a defined name."""
    wb = openpyxl.load_workbook(path)
    try:
        sheet, ref = next(iter(wb.defined_names[name].destinations))
        return sheet, ref.replace("$", "")
    finally:
        wb.close()


def table_box(path: Path, table: str) -> tuple[str, int, int, int, int]:
    """(sheet title, min_col, min_row, max_col, max_row) of an Excel Table; its header is min_row."""
    wb = openpyxl.load_workbook(path)
    try:
        for ws in wb.worksheets:
            if table in ws.tables:
                return (ws.title, *range_boundaries(ws.tables[table].ref))
    finally:
        wb.close()
    raise KeyError(table)


def row_start(path: Path, table: str, index: int) -> tuple[str, str]:
    """(sheet title, "A9") of the first cell of data row `index` (0-based) of an Excel Table."""
    sheet, min_col, min_row, _, _ = table_box(path, table)
    return sheet, f"{get_column_letter(min_col)}{min_row + 1 + index}"
