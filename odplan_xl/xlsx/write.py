"""Sheet descriptions written with openpyxl: into a copy of a workbook (the source is never re-saved),
or as a new one-sheet workbook streamed in write-only mode (the batch summary)."""

from __future__ import annotations

import posixpath
import shutil
import zipfile
from copy import copy
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from odplan_xl.errors import OdplanError
from odplan_xl.files import atomic_path, refuse_overwrite_input
from odplan_xl.sheets.spec import PAPER_A4, SheetSpec, Style, Written, a1, column_letter
from odplan_xl.xlsx.fallback import require_safe_parsers

_SUFFIXES = (".xlsx", ".xlsm")


def write_sheet_copy(src: str | Path, dst: str | Path, spec: SheetSpec) -> Path:
    """Write `dst` = the workbook `src` with the sheet `spec` added (replacing one of the same title).

    `src` is copied byte for byte to a temporary file beside `dst`, and only that copy is loaded
    and saved, so the officer's file is never opened for writing. The VBA project of an .xlsm is kept.
    """
    src, dst = Path(src), Path(dst)
    refuse_overwrite_input(dst, src)
    if dst.suffix.lower() not in _SUFFIXES:
        raise OdplanError("output-extension", name=dst.name, why_ar="استعمل .xlsx أو .xlsm.",
                          why_fr="utilisez .xlsx ou .xlsm.")
    has_vba = src.suffix.lower() == ".xlsm"
    if dst.suffix.lower() == ".xlsm" and not has_vba:
        # openpyxl would save a macro-free package under an .xlsm name, which Excel refuses to open
        raise OdplanError("output-extension", name=dst.name,
                          why_ar="الملف الأصلي لا يحتوي على وحدات ماكرو: استعمل .xlsx.",
                          why_fr="le fichier source n'a pas de macros : utilisez .xlsx.")
    keep_vba = has_vba and dst.suffix.lower() == ".xlsm"
    require_safe_parsers(src)   # openpyxl parses the whole officer's workbook here
    with atomic_path(dst) as tmp:
        shutil.copyfile(src, tmp)
        try:
            wb = openpyxl.load_workbook(tmp, keep_vba=keep_vba)
        except OSError:
            raise
        except Exception as exc:  # the full (not read-only) load meets more of a damaged file
            raise _cannot_copy(src, exc) from exc
        try:
            index = None
            if spec.title in wb.sheetnames:
                index = wb.sheetnames.index(spec.title)
                del wb[spec.title]
            ws = wb.create_sheet(spec.title, index)
            fill_sheet(ws, spec)
            try:
                wb.save(tmp)
            except OSError:
                raise                   # disk full, permissions: not the workbook's fault
            except Exception as exc:
                raise _cannot_copy(src, exc) from exc
        finally:
            wb.close()
        restore_parts(src, tmp)
    return dst


def _cannot_copy(src: Path, exc: Exception) -> OdplanError:
    """openpyxl cannot rewrite this workbook (odd ranges, nesting, numbers): say so, don't crash."""
    return OdplanError("cannot-copy-workbook", kind=type(exc).__name__, where=src.name)


def restore_parts(src: Path, out: Path) -> list[str]:
    """Copy back from `src` the parts the saved package points to but openpyxl left out.

    openpyxl 3.1 copies legacy drawings (the VML that holds form buttons) only when their name has
    one digit (vmlDrawing1..9.vml): the buttons of later sheets vanished and Excel had to repair the
    file. Returns the names restored.
    """
    with zipfile.ZipFile(out) as package:
        names = set(package.namelist())
        wanted = {target for rels in names if rels.endswith(".rels")
                  for target in _targets(rels, package.read(rels))}
    missing = wanted - names
    if not missing:
        return []
    with zipfile.ZipFile(src) as original:
        found = sorted(missing & set(original.namelist()))
        with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as package:
            for name in found:
                package.writestr(name, original.read(name))
    return found


def _targets(rels_name: str, xml: bytes) -> set[str]:
    """Package parts named by one relationships part (external links left out)."""
    # "xl/worksheets/_rels/sheet1.xml.rels" describes "xl/worksheets/sheet1.xml"
    base = posixpath.dirname(posixpath.dirname(rels_name))
    out = set()
    for rel in SafeET.fromstring(xml):
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External" or not target:
            continue
        out.add(target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(base, target)))
    return out


def _layout(ws: Any, spec: SheetSpec) -> None:
    """Direction, widths, heights, frozen panes and print setup (before any row: write-only sheets need it)."""
    ws.sheet_view.rightToLeft = spec.rtl
    ws.sheet_view.showGridLines = spec.show_grid
    for col, width in spec.widths.items():
        ws.column_dimensions[column_letter(col)].width = width
    for row, height in spec.heights.items():
        ws.row_dimensions[row].height = height
    if spec.freeze:
        ws.freeze_panes = a1(*spec.freeze)
    setup = ws.page_setup
    setup.paperSize = PAPER_A4
    setup.orientation = "landscape" if spec.landscape else "portrait"
    if spec.fit_width:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        setup.fitToWidth, setup.fitToHeight = 1, 0
    if spec.repeat_rows:
        ws.print_title_rows = f"{spec.repeat_rows[0]}:{spec.repeat_rows[1]}"
    ws.print_options.horizontalCentered = True


def fill_sheet(ws: Worksheet, spec: SheetSpec) -> None:
    """Replay a sheet description onto an empty openpyxl worksheet."""
    _layout(ws, spec)
    # a fresh cell carries the workbook's default font: styled cells keep its name and size
    styles = _StyleCache(copy(ws.cell(row=1, column=1).font))
    for row, col, cell in spec.written():
        _fill_cell(ws.cell(row=row, column=col), cell, row, col, styles)
    for row1, col1, row2, col2 in spec.merges:
        ws.merge_cells(start_row=row1, start_column=col1, end_row=row2, end_column=col2)


def _fill_cell(target: Any, cell: Written, row: int, col: int, styles: _StyleCache) -> Any:
    """One cell as the spec says: its value (text stays text, never a formula), style and link."""
    target.value = cell.value
    if isinstance(cell.value, str):
        target.data_type = "s"
    styles.apply(target, cell.style)
    if cell.link:
        ref = a1(row, col)
        target.hyperlink = (Hyperlink(ref=ref, location=cell.location) if cell.internal
                            else Hyperlink(ref=ref, target=cell.link))
    return target


class _StyleCache:
    """Styles applied once per distinct Style, then copied (thousands of cells share a few).

    Setting font/fill/... through openpyxl's descriptors hashes every style object against the
    workbook's lists on each cell (5 s for 50,000 cells); copying the index array a first cell
    received costs nothing and gives the same result.
    """

    def __init__(self, base_font: Font) -> None:
        self._base_font = base_font
        self._cache: dict[Style, object] = {}

    def apply(self, cell, style: Style) -> None:
        done = self._cache.get(style)
        if done is not None:
            cell._style = copy(done)
            return
        font, fill, alignment, border = self._build(style)
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if alignment is not None:
            cell.alignment = alignment
        if border is not None:
            cell.border = border
        if style.number_format:
            cell.number_format = style.number_format
        self._cache[style] = copy(cell._style)

    def _build(self, style: Style) -> tuple:
        font = None
        if style.bold or style.italic or style.underline or style.color or style.size:
            font = copy(self._base_font)
            font.b, font.i = style.bold, style.italic
            font.u = "single" if style.underline else None
            if style.size:
                font.sz = style.size
            if style.color:
                font.color = f"FF{style.color}"
        fill = PatternFill("solid", fgColor=f"FF{style.fill}") if style.fill else None
        alignment = Alignment(horizontal=style.align, vertical=style.valign, wrap_text=style.wrap or None,
                              readingOrder=2)   # 2 = right-to-left paragraphs
        border = None
        if style.border:
            side = Side(style=style.border, color=f"FF{style.border_color}")
            border = Border(left=side, right=side, top=side, bottom=side)
        return font, fill, alignment, border


# --- a new one-sheet workbook (the batch summary) ---------------------------------------------
def write_summary(path: str | Path, spec: SheetSpec, *, filter_row: int | None = None) -> Path:
    """Write `spec` as the only sheet of a new workbook at `path` (atomically); returns `path`.

    Write-only sheets stream rows, so memory stays flat for thousands of plans. `filter_row`: the
    header row that gets Excel's filter buttons, down to the last row.
    """
    path = Path(path)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(spec.title)
    _layout(ws, spec)
    if filter_row:
        ws.auto_filter.ref = f"{a1(filter_row, 1)}:{a1(max(spec.max_row, filter_row), spec.max_col)}"
    styles = _StyleCache(copy(WriteOnlyCell(ws).font))
    by_row: dict[int, dict[int, Written]] = {}
    for row, col, cell in spec.written():
        by_row.setdefault(row, {})[col] = cell
    width = spec.max_col       # computed over every cell: once, not once per row
    for row in range(1, spec.max_row + 1):
        line = []
        cells = by_row.get(row, {})
        for col in range(1, width + 1):
            cell = cells.get(col)
            line.append(None if cell is None else _fill_cell(WriteOnlyCell(ws), cell, row, col, styles))
        ws.append(line)
    for row1, col1, row2, col2 in spec.merges:
        # a write-only sheet keeps no cells to merge, only the list it writes after the rows
        ws.merged_cells.add(f"{a1(row1, col1)}:{a1(row2, col2)}")
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
