"""Test helpers: a workbook file as the JSON the xlwings Office.js client sends, and its answer replayed.

`payload(path)` reads a real workbook with openpyxl and builds what Excel's Office.js client would
send to Python (values from A1 to the last used cell, "" for empty, dates as ISO strings, tables and
workbook names). `Replay(path).apply(actions)` plays the actions xlwings returns onto the workbook
with openpyxl, the way Excel would apply them, and fails on any action it does not understand.
"""

from __future__ import annotations

import datetime as dt
import re
from copy import copy
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import PatternFill, Side
from openpyxl.utils import get_column_letter, range_boundaries

XLWINGS_VERSION_CLIENT = "Office.js"


def _js_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, dt.date):
        return f"{value.isoformat()}T00:00:00.000Z"
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


def payload(path: str | Path, *, name: str | None = None, version: str = "") -> dict:
    """The Office.js request for the workbook at `path` (book name: `name`, default the file name)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    try:
        names = []
        for key, defn in wb.defined_names.items():
            try:
                dests = list(defn.destinations)
            except Exception:
                continue
            if len(dests) != 1 or dests[0][0] not in wb.sheetnames:
                continue
            sheet, ref = dests[0]
            names.append({"name": key, "sheet_index": wb.sheetnames.index(sheet),
                          "address": ref.replace("$", ""), "book_scope": True,
                          "scope_sheet_name": None, "scope_sheet_index": None})
        sheets = []
        for ws in wb.worksheets:
            values = [[_js_value(v) for v in row]
                      for row in ws.iter_rows(min_row=1, max_row=ws.max_row, min_col=1,
                                              max_col=ws.max_column, values_only=True)]
            tables = []
            for table in ws.tables.values():
                c0, r0, c1, r1 = range_boundaries(table.ref)
                totals = int(table.totalsRowCount or 0)
                body_last = r1 - totals
                def span(first: int, last: int) -> str:
                    return f"{get_column_letter(c0)}{first}:{get_column_letter(c1)}{last}"

                tables.append({
                    "name": table.name,
                    "range_address": table.ref,
                    "header_row_range_address": span(r0, r0),
                    "data_body_range_address": span(r0 + 1, body_last),
                    "total_row_range_address": span(r1, r1) if totals else None,
                    "show_headers": True, "show_totals": bool(totals),
                    "table_style": table.tableStyleInfo.name if table.tableStyleInfo else "",
                    "show_autofilter": True,
                })
            sheets.append({"name": ws.title, "values": values, "pictures": [], "tables": tables,
                           "visibility": "Visible" if ws.sheet_state == "visible" else "Hidden"})
        return {
            "client": "Office.js",
            "version": version,
            "book": {"name": name or Path(path).name, "active_sheet_index": wb.index(wb.active),
                     "selection": "A1"},
            "names": names,
            "sheets": sheets,
        }
    finally:
        wb.close()


# --- the answer, applied as Excel would ------------------------------------------------------------

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_BLOCK = re.compile(r"A1:[A-Z]{1,3}\d+")
_SIDES = {"edge_top": "top", "edge_bottom": "bottom", "edge_left": "left", "edge_right": "right"}


def typed(value: Any) -> Any:
    """What Excel stores when a value is entered: text after an apostrophe stays text, "=..." is a formula."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return value
    if value.startswith("'"):
        return value[1:]
    if value.startswith("="):
        return value                  # openpyxl stores it as a formula: the tests look for these
    if (m := _ISO_DATE.match(value)):
        return dt.datetime(int(m[1]), int(m[2]), int(m[3]))
    if _NUMBER.match(value):
        return float(value)
    return value


class Replay:
    """The workbook at `path` (opened with openpyxl) receiving xlwings actions."""

    def __init__(self, path: str | Path):
        path = Path(path)
        self.wb = openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm")
        self.alerts: list[dict] = []
        self.active: int | None = None
        self.formulas: list[tuple[str, str, str]] = []      # (sheet, cell, formula) entered via values
        self._borders: dict[tuple[Any, int, int], dict[str, dict[str, Any]]] = {}

    # -- helpers
    def _sheet(self, action: dict):
        return self.wb.worksheets[action["sheet_position"]]

    def _cells(self, action: dict):
        ws = self._sheet(action)
        r0, c0 = action["start_row"] + 1, action["start_column"] + 1
        for r in range(r0, r0 + action["row_count"]):
            for c in range(c0, c0 + action["column_count"]):
                yield ws.cell(row=r, column=c)

    def apply(self, actions: list[dict]) -> None:
        for action in actions:
            handler = getattr(self, f"do_{action['func']}", None)
            if handler is None:
                raise AssertionError(f"action not understood: {action['func']} {action['args']}")
            handler(action)
        self._flush_borders()

    def save(self, path: str | Path) -> Path:
        self.wb.save(path)
        return Path(path)

    # -- sheets
    def do_addSheet(self, action):
        position, name = action["args"]
        self.wb.create_sheet(name, position)

    def do_sheetDelete(self, action):
        del self.wb[self._sheet(action).title]

    def do_setSheetVisibility(self, action):
        self._sheet(action).sheet_state = {"Hidden": "hidden", "VeryHidden": "veryHidden",
                                           "Visible": "visible"}[action["args"][0]]

    def do_activateSheet(self, action):
        self.active = int(action["args"][0])
        self.wb.active = self.active

    def do_sheetClearContents(self, action):
        for row in self._sheet(action).iter_rows():
            for cell in row:
                cell.value = None

    def do_setShowGridlines(self, action):
        self._sheet(action).sheet_view.showGridLines = bool(action["args"][0])

    def do_freezePaneAtRange(self, action):
        ws = self._sheet(action)
        ref = action["args"][0]
        if not _BLOCK.fullmatch(ref):
            raise AssertionError(f"freeze form not handled: {ref}")
        _c0, _r0, c1, r1 = range_boundaries(ref)
        ws.freeze_panes = ws.cell(row=r1 + 1, column=c1 + 1).coordinate

    # -- values
    def do_setValues(self, action):
        ws = self._sheet(action)
        r0, c0 = action["start_row"] + 1, action["start_column"] + 1
        for i, row in enumerate(action["values"]):
            for j, value in enumerate(row):
                cell = ws.cell(row=r0 + i, column=c0 + j)
                cell.value = typed(value)
                if isinstance(cell.value, str) and cell.value.startswith("=") and not (
                        isinstance(value, str) and value.startswith("'")):
                    self.formulas.append((ws.title, cell.coordinate, cell.value))
                elif isinstance(cell.value, str):
                    cell.data_type = "s"

    def do_setFormula(self, action):
        ws = self._sheet(action)
        r0, c0 = action["start_row"] + 1, action["start_column"] + 1
        for i, row in enumerate(action["values"]):
            for j, value in enumerate(row):
                ws.cell(row=r0 + i, column=c0 + j).value = value
                self.formulas.append((ws.title, ws.cell(row=r0 + i, column=c0 + j).coordinate, value))

    # -- formats
    def do_setRangeColor(self, action):
        colour = action["args"][0]
        if colour is None:
            fill = PatternFill(fill_type=None)
        else:
            fill = PatternFill("solid", fgColor="FF" + colour.lstrip("#").upper())
        for cell in self._cells(action):
            cell.fill = fill

    def do_setFontProperty(self, action):
        prop, value = action["args"]
        attr = {"bold": "b", "italic": "i", "size": "sz", "name": "name", "color": "color"}[prop]
        for cell in self._cells(action):
            font = copy(cell.font)
            setattr(font, attr, ("FF" + value.lstrip("#").upper()) if prop == "color" else value)
            cell.font = font

    def _align(self, action, **changes):
        for cell in self._cells(action):
            align = copy(cell.alignment)
            for key, value in changes.items():
                setattr(align, key, value)
            cell.alignment = align

    def do_setHorizontalAlignment(self, action):
        self._align(action, horizontal=action["args"][0].lower())

    def do_setVerticalAlignment(self, action):
        self._align(action, vertical=action["args"][0].lower())

    def do_setWrapText(self, action):
        self._align(action, wrap_text=bool(action["args"][0]))

    def do_setNumberFormat(self, action):
        for cell in self._cells(action):
            cell.number_format = action["args"][0]

    def do_setBorderProperty(self, action):
        # collected per cell side, written once per cell when the batch ends (openpyxl styles are slow)
        side_name, attribute, value = action["args"]
        if attribute not in ("line_style", "weight", "color"):
            raise AssertionError(f"border attribute not handled: {attribute}")
        ws = self._sheet(action)
        r0, c0 = action["start_row"] + 1, action["start_column"] + 1
        r1, c1 = r0 + action["row_count"] - 1, c0 + action["column_count"] - 1
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if side_name in _SIDES:
                    side = _SIDES[side_name]
                    sides = [side] if {"top": r == r0, "bottom": r == r1, "left": c == c0,
                                       "right": c == c1}[side] else []
                elif side_name == "inside_horizontal":
                    sides = [s for s, inside in (("top", r > r0), ("bottom", r < r1)) if inside]
                elif side_name == "inside_vertical":
                    sides = [s for s, inside in (("left", c > c0), ("right", c < c1)) if inside]
                else:
                    raise AssertionError(f"border side not handled: {side_name}")
                for side in sides:
                    state = self._borders.setdefault((ws, r, c), {}).setdefault(side, {})
                    state[attribute] = value

    def _flush_borders(self) -> None:
        weights = {"thin": "thin", "medium": "medium", "thick": "thick", "hairline": "hair"}
        for (ws, r, c), sides in self._borders.items():
            cell = ws.cell(row=r, column=c)
            border = copy(cell.border)
            for side, state in sides.items():
                current = getattr(border, side) or Side()
                style, colour = current.style, current.color
                if "weight" in state:
                    style = weights[state["weight"]]
                if "line_style" in state:
                    style = None if state["line_style"] is None else (style or "thin")
                if "color" in state:
                    colour = "FF" + state["color"].lstrip("#").upper()
                setattr(border, side, Side(style=style, color=colour))
            cell.border = border
        self._borders.clear()

    def do_rangeMerge(self, action):
        ws = self._sheet(action)
        r0, c0 = action["start_row"] + 1, action["start_column"] + 1
        ws.merge_cells(start_row=r0, start_column=c0, end_row=r0 + action["row_count"] - 1,
                       end_column=c0 + action["column_count"] - 1)

    def do_setColumnWidth(self, action):
        ws = self._sheet(action)
        points = float(action["args"][0])
        c0 = action["start_column"] + 1
        for c in range(c0, c0 + action["column_count"]):
            ws.column_dimensions[get_column_letter(c)].width = round((points / 0.75 - 5) / 7, 2)

    def do_setRowHeight(self, action):
        ws = self._sheet(action)
        r0 = action["start_row"] + 1
        for r in range(r0, r0 + action["row_count"]):
            ws.row_dimensions[r].height = float(action["args"][0])

    # -- messages
    def do_alert(self, action):
        prompt, title, buttons, mode, callback = action["args"]
        self.alerts.append({"prompt": prompt, "title": title, "buttons": buttons, "mode": mode})


def fill_of(cell) -> str | None:
    """"RRGGBB" of a solid fill, None for no fill."""
    fill = cell.fill
    if fill is None or fill.fill_type is None:
        return None
    rgb = fill.fgColor.rgb if fill.fgColor is not None else None
    return rgb[-6:].upper() if isinstance(rgb, str) else None


# --- a button run on xlwings' own engine ----------------------------------------------------------

def open_as_caller(path: str | Path, name: str | None = None):
    """The workbook file as Excel's Office.js client would send it, set as `xw.Book.caller()`."""
    import xlwings as xw

    book = xw.Book(json=payload(path, name=name))
    book.set_mock_caller()
    return book


def run_button(entry, path: str | Path, name: str | None = None, *args: Any) -> Replay:
    """Run a button's entry point on the workbook and replay its answer onto the file's content."""
    book = open_as_caller(path, name)
    entry(*args)
    replay = Replay(path)
    replay.apply(book.json()["actions"])
    return replay


def sheet_values(wb, title):
    """A sheet's values; an array formula (the workbook's live counts) as its range and text: openpyxl's
    ArrayFormula has no equality."""
    from openpyxl.worksheet.formula import ArrayFormula

    return [[(v.ref, v.text) if isinstance(v, ArrayFormula) else v for v in row]
            for row in wb[title].iter_rows(values_only=True)]
