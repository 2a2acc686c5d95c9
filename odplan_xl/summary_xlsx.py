"""A sheet description written as a new one-sheet workbook, streamed by openpyxl's write-only mode."""

from __future__ import annotations

import datetime as dt
from copy import copy
from pathlib import Path

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

from .files import atomic_path
from .sheetspec import DATE_FORMAT, SheetSpec, a1, column_letter
from .xlsx_write import _hyperlink, _set_value, _StyleCache


def write_summary(path: str | Path, spec: SheetSpec, *, filter_row: int | None = None) -> Path:
    """Write `spec` as the only sheet of a new workbook at `path` (atomically); returns `path`.

    Write-only sheets stream rows, so memory stays flat for thousands of plans; they cannot merge
    cells, which a summary table does not need (merges in `spec` are refused). `filter_row`: the
    header row that gets Excel's filter buttons, down to the last row.
    """
    if spec.merges:
        raise ValueError("write-only sheets cannot merge cells")
    path = Path(path)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(spec.title)
    ws.sheet_view.rightToLeft = spec.rtl
    ws.sheet_view.showGridLines = spec.show_grid
    # a write-only sheet takes its layout before its first row
    for col, width in spec.widths.items():
        ws.column_dimensions[column_letter(col)].width = width
    for row, height in spec.heights.items():
        ws.row_dimensions[row].height = height
    if spec.freeze:
        ws.freeze_panes = a1(*spec.freeze)
    if filter_row:
        ws.auto_filter.ref = f"{a1(filter_row, 1)}:{a1(max(spec.max_row, filter_row), spec.max_col)}"
    setup = ws.page_setup
    setup.paperSize = Worksheet.PAPERSIZE_A4
    setup.orientation = "landscape" if spec.landscape else "portrait"
    if spec.fit_width:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        setup.fitToWidth, setup.fitToHeight = 1, 0
    if spec.repeat_rows:
        ws.print_title_rows = f"{spec.repeat_rows[0]}:{spec.repeat_rows[1]}"
    styles = _StyleCache(copy(WriteOnlyCell(ws).font))
    by_row: dict[int, dict[int, object]] = {}
    for (row, col), cell_spec in spec.cells.items():
        by_row.setdefault(row, {})[col] = cell_spec
    for row in range(1, spec.max_row + 1):
        line = []
        for col in range(1, spec.max_col + 1):
            cell_spec = by_row.get(row, {}).get(col)
            if cell_spec is None:
                line.append(None)
                continue
            cell = WriteOnlyCell(ws)
            _set_value(cell, cell_spec.value)
            style = cell_spec.style
            if isinstance(cell_spec.value, dt.date) and style.number_format is None:
                style = style.but(number_format=DATE_FORMAT)
            styles.apply(cell, style)
            if cell_spec.link:
                cell.hyperlink = _hyperlink(a1(row, col), cell_spec.link)
            line.append(cell)
        ws.append(line)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
