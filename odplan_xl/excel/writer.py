"""A sheet description replayed into the open workbook through xlwings (desktop Excel or JSON books)."""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from odplan_xl.excel.log import log_error
from odplan_xl.sheets.spec import PAPER_A4, SheetSpec, a1, column_letter

# Characters that make Excel read typed text as something else (a formula, a number, a date).
_TEXT_GUARD = re.compile(r"^[=+\-@'\d\s]")
_XL_UNDERLINE_SINGLE = 2
_XL_LANDSCAPE, _XL_PORTRAIT = 2, 1


def desktop(book: Any) -> bool:
    """Excel itself (Windows or macOS), as opposed to the JSON books of xlwings Lite / Server."""
    return book.app.engine.name == "excel"


def as_text(value: str) -> str:
    """Text as Excel must receive it to keep it text: a leading apostrophe, as when typing."""
    return f"'{value}" if _TEXT_GUARD.match(value) else value


def sheet_named(book: Any, name: str) -> Any | None:
    for sheet in book.sheets:
        if sheet.name == name:
            return sheet
    return None


def rectangles(cells: Iterable[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Few rectangles (row1, col1, row2, col2) covering exactly `cells`: one call each, not one per cell.

    Runs along each row, stacked while the next row has the same run.
    """
    by_row: dict[int, list[int]] = defaultdict(list)
    for row, col in cells:
        by_row[row].append(col)
    out: list[tuple[int, int, int, int]] = []
    growing: dict[tuple[int, int], list[int]] = {}     # (col1, col2) -> [row1, row2]
    for row in sorted(by_row):
        cols = sorted(set(by_row[row]))
        runs: set[tuple[int, int]] = set()
        start = prev = cols[0]
        for col in cols[1:]:
            if col != prev + 1:
                runs.add((start, prev))
                start = col
            prev = col
        runs.add((start, prev))
        for span in list(growing):
            if span not in runs or growing[span][1] != row - 1:
                r1, r2 = growing.pop(span)
                out.append((r1, span[0], r2, span[1]))
        for span in runs:
            if span in growing:
                growing[span][1] = row
            else:
                growing[span] = [row, row]
    out.extend((r1, span[0], r2, span[1]) for span, (r1, r2) in growing.items())
    return sorted(out)


def _groups(spec: SheetSpec) -> dict[tuple[str, Any], list[tuple[int, int]]]:
    """Cells by (attribute, value), leaving out what a new sheet already has."""
    groups: dict[tuple[str, Any], list[tuple[int, int]]] = defaultdict(list)
    for row, col, cell in spec.written():
        style = cell.style
        for attr, value in (("fill", style.fill), ("bold", style.bold), ("italic", style.italic),
                            ("underline", style.underline), ("color", style.color), ("size", style.size),
                            ("wrap", style.wrap), ("align", style.align), ("valign", style.valign),
                            ("number_format", style.number_format),
                            ("border", (style.border, style.border_color) if style.border else None)):
            if value not in (None, False, "bottom"):
                groups[(attr, value)].append((row, col))
    return groups


def _ordered(groups: dict[tuple[str, Any], list[tuple[int, int]]]) -> list[tuple[tuple[str, Any], list]]:
    """Groups in a fixed order; the commonest border is drawn over every bordered cell first.

    Every bordered cell is drawn again by its own group afterwards, so the result is the same with
    far fewer rectangles (a Gantt grid becomes one block plus its bars): each border costs 18 calls.
    """
    plain = sorted(((k, v) for k, v in groups.items() if k[0] != "border"),
                   key=lambda kv: (kv[0][0], str(kv[0][1])))
    borders = sorted(((k, v) for k, v in groups.items() if k[0] == "border"),
                     key=lambda kv: (-len(kv[1]), str(kv[0][1])))
    if borders:
        everything = [pos for _key, cells in borders for pos in cells]
        borders = [(borders[0][0], everything)] + borders[1:]
    return plain + borders


def _apply(rng: Any, attr: str, value: Any, *, windows: bool) -> None:
    if attr == "fill":
        rng.color = f"#{value}"
    elif attr == "bold":
        rng.font.bold = True
    elif attr == "italic":
        rng.font.italic = True
    elif attr == "underline":
        if windows:      # xlwings has no portable call; Excel's object model has one
            rng.api.Font.Underline = _XL_UNDERLINE_SINGLE
    elif attr == "color":
        rng.font.color = f"#{value}"
    elif attr == "size":
        rng.font.size = value
    elif attr == "wrap":
        rng.wrap_text = True
    elif attr == "align":
        rng.horizontal_alignment = value
    elif attr == "valign":
        rng.vertical_alignment = value
    elif attr == "number_format":
        rng.number_format = value
    elif attr == "border":
        weight, colour = value
        rng.borders.set("all", line_style="continuous", weight=weight, color=f"#{colour}")


def _points(width: float) -> float:
    """Excel column width in characters -> points (Office.js sizes columns in points)."""
    return round((width * 7 + 5) * 0.75, 2)


def _runs(items: dict[int, float]) -> list[tuple[int, int, float]]:
    """Consecutive indexes with the same size: (first, last, size)."""
    out: list[tuple[int, int, float]] = []
    for index in sorted(items):
        size = items[index]
        if out and out[-1][1] == index - 1 and out[-1][2] == size:
            out[-1] = (out[-1][0], index, size)
        else:
            out.append((index, index, size))
    return out


def _replace_sheet(book: Any, title: str) -> Any:
    """Delete the sheet `title` if present and add an empty one at the same place (else at the end)."""
    names = [sheet.name for sheet in book.sheets]
    # Excel compares sheet names without regard to case
    index = next((i for i, name in enumerate(names) if name.casefold() == title.casefold()), None)
    if index is not None:
        book.sheets[index].delete()
    count = len(book.sheets)
    if index is None or index >= count:
        return book.sheets.add(title, after=book.sheets[count - 1])
    if index == 0:
        return book.sheets.add(title, before=book.sheets[0])
    # `after` the previous sheet: the JSON engines place `before=` one position too early
    return book.sheets.add(title, after=book.sheets[index - 1])


def _block(spec: SheetSpec) -> list[list[Any]]:
    """All values from A1, as Excel must receive them: links as formulas, text guarded."""
    block: list[list[Any]] = [[None] * spec.max_col for _ in range(spec.max_row)]
    for row, col, cell in spec.written():
        if cell.link:
            value: Any = cell.formula()
        elif isinstance(cell.value, str):
            value = as_text(cell.value)
        else:
            value = cell.value
        block[row - 1][col - 1] = value
    return block


def write_spec(book: Any, spec: SheetSpec) -> Any:
    """Write a sheet description into the open workbook, replacing the sheet of the same title.

    No other sheet is touched. Values go in one block; each style attribute is applied to few
    rectangles; then merges, sizes and (desktop Excel only) direction, freeze panes and page setup.
    Returns the xlwings Sheet.
    """
    on_desktop = desktop(book)
    windows = on_desktop and sys.platform == "win32"
    app = book.app
    if on_desktop:
        app.screen_updating = False
    try:
        sheet = _replace_sheet(book, spec.title)
        if spec.max_row and spec.max_col:
            sheet.range((1, 1), (spec.max_row, spec.max_col)).value = _block(spec)
        for (attr, value), cells in _ordered(_groups(spec)):
            for r1, c1, r2, c2 in rectangles(cells):
                _apply(sheet.range((r1, c1), (r2, c2)), attr, value, windows=windows)
        for r1, c1, r2, c2 in spec.merges:
            sheet.range((r1, c1), (r2, c2)).merge()
        for first, last, width in _runs(spec.widths):
            sheet.range((1, first), (1, last)).column_width = width if on_desktop else _points(width)
        for first, last, height in _runs(spec.heights):
            sheet.range((first, 1), (last, 1)).row_height = height
        if not spec.show_grid:
            sheet.show_gridlines = False
        if windows:
            desktop_view(book, sheet, spec)
        elif not on_desktop and spec.freeze:
            frozen = frozen_range(*spec.freeze)
            if frozen:
                sheet.freeze_panes.freeze_at(frozen)
    finally:
        if on_desktop:
            app.screen_updating = True
    return sheet


def frozen_range(row: int, col: int) -> str | None:
    """The cells that stay in place when `row`, `col` is the first cell that scrolls."""
    if row > 1 and col > 1:
        return f"A1:{a1(row - 1, col - 1)}"
    if row > 1:
        return f"1:{row - 1}"
    if col > 1:
        return f"A:{column_letter(col - 1)}"
    return None


def desktop_view(book: Any, sheet: Any, spec: SheetSpec) -> None:
    """Right-to-left, freeze panes and page setup through Excel's own object model (Windows).

    xlwings has no portable call for these; they change how the sheet looks, never its content, so a
    failure here is logged and the work goes on. On macOS the sheet keeps Excel's defaults.
    """
    try:
        ws = sheet.api
        ws.DisplayRightToLeft = spec.rtl
        setup = ws.PageSetup
        setup.Orientation = _XL_LANDSCAPE if spec.landscape else _XL_PORTRAIT
        setup.PaperSize = PAPER_A4
        setup.CenterHorizontally = True
        if spec.fit_width:
            setup.Zoom = False
            setup.FitToPagesWide = 1
            setup.FitToPagesTall = False
        if spec.repeat_rows:
            setup.PrintTitleRows = f"${spec.repeat_rows[0]}:${spec.repeat_rows[1]}"
        if spec.freeze:
            sheet.activate()
            window = book.app.api.ActiveWindow
            window.FreezePanes = False
            window.SplitRow, window.SplitColumn = spec.freeze[0] - 1, spec.freeze[1] - 1
            window.FreezePanes = True
    except Exception as exc:
        log_error(exc)
