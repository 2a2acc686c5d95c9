"""One sheet description using every feature, through every writer, read back with openpyxl: the same sheet.

The writers are the openpyxl copy writer (a sheet added to a copy of a workbook: the Gantt file), the
openpyxl new-workbook writer (the batch summary) and the xlwings writer (the buttons), the last on
xlwings' own JSON engine with its answer replayed onto the file. What the JSON engine cannot carry
(underline, direction, print setup) goes through Excel's object model on Windows: that translation
is checked against a recording stand-in for it.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import openpyxl
import pytest
import xlwings as xw
from officejs import Replay, payload
from openpyxl.cell.cell import MergedCell

from odplan_xl.excel import writer as xl_writer
from odplan_xl.sheets.spec import SheetSpec, Style, internal_link
from odplan_xl.xlsx.write import write_sheet_copy, write_summary

TITLE = "ميزات"
COVER = "الغلاف"


def feature_spec() -> SheetSpec:
    """Every kind of value, link, style and layout a SheetSpec can describe."""
    spec = SheetSpec(title=TITLE, rtl=True, freeze=(3, 2), landscape=True, fit_width=True,
                     repeat_rows=(2, 2), show_grid=False)
    spec.put(1, 1, "عنوان الميزات", Style(bold=True, size=15, color="1F4E79", align="center"))
    spec.merge(1, 1, 1, 4)
    head = Style(fill="1F4E79", bold=True, color="FFFFFF", wrap=True, align="center", border="thin")
    for col, text in enumerate(("أ", "ب", "ج", "د"), 1):
        spec.put(2, col, text, head)
    for col, text in enumerate(("نص عادي", "=1+1", "+5", "0012"), 1):   # text stays text
        spec.put(3, col, text)
    spec.put(4, 1, 7)
    spec.put(4, 2, 2.5)
    spec.put(4, 3, True)
    spec.put(4, 4, Decimal("12345.678"), Style(number_format="#,##0.000"))
    spec.put(5, 1, dt.date(2027, 3, 4))                                    # gets the date format
    spec.put(5, 2, dt.date(2027, 12, 31), Style(number_format="yyyy-mm-dd"))
    spec.put(5, 3, 0.75, Style(number_format="0%"))
    spec.put(5, 4, "a\x01b'quoted")                                       # control character dropped
    spec.put(6, 1, "B7", link=internal_link(f"{COVER}!B7"))
    spec.put(6, 2, "data.gov.tn", link="https://data.gov.tn/")
    spec.put(6, 3, "plan.docx", link="out/plan.docx")
    spec.put(6, 4, "رابط ملون", Style(color="C00000"), link=internal_link(f"{COVER}!A1"))
    spec.put(7, 1, None, Style(fill="FFC7CE"))
    spec.put(7, 2, "مائل", Style(italic=True, align="right", valign="top", border="medium",
                                 border_color="C00000"))
    spec.put(7, 3, "تحته خط", Style(underline=True, size=9))
    spec.put(8, 1, "مدمجة", Style(wrap=True))
    spec.merge(8, 1, 9, 2)
    spec.widths.update({1: 30, 2: 12.5})
    spec.heights.update({1: 26, 8: 40})
    return spec


class Look(NamedTuple):
    value: Any
    kind: str                  # openpyxl's data type: s, n, b, d
    number_format: str
    link: str | None = None
    fill: str | None = None
    bold: bool = False
    italic: bool = False
    underline: bool = False
    color: str | None = None
    size: float = 11
    align: str | None = None
    valign: str | None = "center"
    wrap: bool = False
    border: tuple[str, str] | None = None


HEAD = dict(fill="1F4E79", bold=True, color="FFFFFF", align="center", wrap=True, border=("thin", "808080"))
LINK = dict(color="0563C1", underline=True)
EXPECTED = {
    "A1": Look("عنوان الميزات", "s", "General", bold=True, size=15, color="1F4E79", align="center"),
    "A2": Look("أ", "s", "General", **HEAD), "B2": Look("ب", "s", "General", **HEAD),
    "C2": Look("ج", "s", "General", **HEAD), "D2": Look("د", "s", "General", **HEAD),
    "A3": Look("نص عادي", "s", "General"), "B3": Look("=1+1", "s", "General"),
    "C3": Look("+5", "s", "General"), "D3": Look("0012", "s", "General"),
    "A4": Look(7, "n", "General"), "B4": Look(2.5, "n", "General"), "C4": Look(True, "b", "General"),
    "D4": Look(12345.678, "n", "#,##0.000"),
    "A5": Look(dt.datetime(2027, 3, 4), "d", "dd/mm/yyyy"),
    "B5": Look(dt.datetime(2027, 12, 31), "d", "yyyy-mm-dd"),
    "C5": Look(0.75, "n", "0%"),
    "D5": Look("ab'quoted", "s", "General"),
    "A6": Look("B7", "s", "General", link=f"#'{COVER}'!B7", **LINK),
    "B6": Look("data.gov.tn", "s", "General", link="https://data.gov.tn/", **LINK),
    "C6": Look("plan.docx", "s", "General", link="out/plan.docx", **LINK),
    "D6": Look("رابط ملون", "s", "General", link=f"#'{COVER}'!A1", color="C00000"),
    "A7": Look(None, "n", "General", fill="FFC7CE"),
    "B7": Look("مائل", "s", "General", italic=True, align="right", valign="top",
               border=("medium", "C00000")),
    "C7": Look("تحته خط", "s", "General", underline=True, size=9),
    "A8": Look("مدمجة", "s", "General", wrap=True),
}
MERGES = ["A1:D1", "A8:B9"]
WIDTHS = {"A": 30, "B": 12.5}
HEIGHTS = {1: 26, 8: 40}


# --- reading a written sheet back ----------------------------------------------------------------

_FORMULA_LINK = re.compile(r'^=HYPERLINK\("((?:[^"]|"")*)","((?:[^"]|"")*)"\)$')


def _rgb(colour) -> str | None:
    if colour is None or colour.type != "rgb" or not isinstance(colour.rgb, str):
        return None
    return colour.rgb[-6:].upper()


def look(cell) -> Look:
    """What a cell holds and shows; a link is the same whether a hyperlink or a =HYPERLINK formula."""
    value, kind, link = cell.value, cell.data_type, None
    if cell.hyperlink is not None:
        link = f"#{cell.hyperlink.location}" if cell.hyperlink.location else cell.hyperlink.target
    elif kind == "f" and (m := _FORMULA_LINK.match(value)):
        link, value, kind = m[1].replace('""', '"'), m[2].replace('""', '"'), "s"
    fill = cell.fill.fgColor if cell.fill is not None and cell.fill.fill_type == "solid" else None
    sides = {(s.style, _rgb(s.color)) for s in (cell.border.left, cell.border.right, cell.border.top,
                                                 cell.border.bottom)}
    assert len(sides) == 1, f"{cell.coordinate}: sides differ {sides}"
    border = sides.pop()
    return Look(value, kind, cell.number_format, link, _rgb(fill) if fill is not None else None,
                bool(cell.font.b), bool(cell.font.i), cell.font.u == "single", _rgb(cell.font.color),
                cell.font.sz, cell.alignment.horizontal, cell.alignment.vertical or "bottom",
                bool(cell.alignment.wrap_text), border if border[0] else None)


def read_back(path: Path) -> dict[str, Any]:
    wb = openpyxl.load_workbook(path)
    ws = wb[TITLE]
    cells = {c.coordinate: look(c) for row in ws.iter_rows() for c in row
             if not isinstance(c, MergedCell) and (c.coordinate in EXPECTED or c.value is not None)}
    setup = ws.page_setup
    return {
        "cells": cells,
        "merges": sorted(str(r) for r in ws.merged_cells.ranges),
        "widths": {k: round(d.width, 1) for k, d in ws.column_dimensions.items() if k in WIDTHS},
        "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
        "freeze": ws.freeze_panes,
        "grid": ws.sheet_view.showGridLines,
        "view": (ws.sheet_view.rightToLeft, setup.orientation, str(setup.paperSize), setup.fitToWidth,
                 setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage, ws.print_title_rows),
    }


# --- the writers ---------------------------------------------------------------------------------

@pytest.fixture
def source(tmp_path) -> Path:
    """A workbook with the sheet the internal links point to."""
    path = tmp_path / "source.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = COVER
    wb.active["B7"] = "هنا"
    wb.save(path)
    return path


def copy_writer(source: Path, out: Path) -> Path:
    return write_sheet_copy(source, out, feature_spec())


def new_workbook_writer(source: Path, out: Path) -> Path:
    return write_summary(out, feature_spec())


def xlwings_writer(source: Path, out: Path) -> Path:
    book = xw.Book(json=payload(source))
    xl_writer.write_spec(book, feature_spec())
    replay = Replay(source)
    replay.apply(book.json()["actions"])
    # the only formulas are the links; text that looks like one went in as text
    assert sorted(cell for _sheet, cell, formula in replay.formulas
                  if formula.startswith("=HYPERLINK(")) == ["A6", "B6", "C6", "D6"]
    assert len(replay.formulas) == 4
    return replay.save(out)


WRITERS = {"copy": copy_writer, "new workbook": new_workbook_writer, "xlwings": xlwings_writer}


@pytest.mark.parametrize("writer", WRITERS)
def test_every_writer_writes_the_same_sheet(writer, source, tmp_path):
    got = read_back(WRITERS[writer](source, tmp_path / "out.xlsx"))
    expected = dict(EXPECTED)
    if writer == "xlwings":
        # xlwings has no underline call: desktop Excel gets it through its object model (below)
        expected = {k: v._replace(underline=False) for k, v in expected.items()}
    for coordinate, want in expected.items():
        assert got["cells"].get(coordinate) == want, coordinate
    assert sorted(got["cells"]) == sorted(expected)                  # nothing else written
    assert got["merges"] == MERGES
    assert got["widths"] == WIDTHS
    assert got["heights"] == HEIGHTS
    assert got["freeze"] == "B3"
    assert got["grid"] is False
    if writer != "xlwings":       # the JSON engine has no direction or print setup (desktop: below)
        assert got["view"] == (True, "landscape", "9", 1, 0, True, "$2:$2")


# --- what only desktop Excel does, through its object model --------------------------------------

class Recorder:
    """Stands in for an Excel COM object: remembers every attribute set, hands out child recorders."""

    def __init__(self, log: dict, path: str = "") -> None:
        object.__setattr__(self, "_log", log)
        object.__setattr__(self, "_path", path)

    def __getattr__(self, name: str) -> Recorder:
        return Recorder(self._log, f"{self._path}{name}.")

    def __setattr__(self, name: str, value: Any) -> None:
        self._log[f"{self._path}{name}"] = value

    def activate(self) -> None:
        self._log[f"{self._path}activate()"] = True


def test_desktop_view_sets_direction_print_setup_and_panes():
    log: dict[str, Any] = {}
    sheet, book = Recorder(log, "sheet."), Recorder(log, "book.")
    xl_writer.desktop_view(book, sheet, feature_spec())
    assert log == {
        "sheet.api.DisplayRightToLeft": True,
        "sheet.api.PageSetup.Orientation": 2,              # xlLandscape
        "sheet.api.PageSetup.PaperSize": 9,                # xlPaperA4
        "sheet.api.PageSetup.CenterHorizontally": True,
        "sheet.api.PageSetup.Zoom": False,
        "sheet.api.PageSetup.FitToPagesWide": 1,
        "sheet.api.PageSetup.FitToPagesTall": False,
        "sheet.api.PageSetup.PrintTitleRows": "$2:$2",
        "sheet.activate()": True,
        "book.app.api.ActiveWindow.FreezePanes": True,
        "book.app.api.ActiveWindow.SplitRow": 2,
        "book.app.api.ActiveWindow.SplitColumn": 1,
    }


def test_underline_through_the_object_model_on_windows_only():
    log: dict[str, Any] = {}
    xl_writer._apply(Recorder(log), "underline", True, windows=True)
    assert log == {"api.Font.Underline": 2}                  # xlUnderlineStyleSingle
    log.clear()
    xl_writer._apply(Recorder(log), "underline", True, windows=False)
    assert log == {}
