"""Workbook files read with python-calamine, behind the package guards; openpyxl where calamine cannot tell.

The guards run first (odplan_xl/package.py: sizes, bombs, passwords; xlsx/parts.py: every XML part
read once, checked for DTDs and raw control characters, the workbook part, names and tables parsed by
us). python-calamine then reads the cell values. Its values are given the meaning openpyxl gives them
(what the rest of the reader and the tests were written against): a date is a datetime, an integer
is an int, an empty cell is None, an error cell is its text ("#REF!", taken from the sheet's bytes).
A sheet holding a number calamine cannot give exactly (NaN, infinity, an integer beyond 2**53) is
read with openpyxl instead (xlsx/fallback.py), which keeps the number as written or refuses it.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

import odplan_xl.xlsx.parts as parts
from odplan_xl.errors import OdplanError
from odplan_xl.grid import SheetFacts, TableRef
from odplan_xl.package import inspect_package
from odplan_xl.xlsx.parts import parsing

EXACT_FLOAT = 2.0 ** 53


def _workbook_kind(zf, names: set[str]) -> None:
    """Refuse an OpenDocument spreadsheet, a Word document or any package without a workbook part."""
    path = Path(zf.filename or "")
    if "mimetype" in names and b"opendocument" in zf.read("mimetype")[:100]:
        raise OdplanError("opendocument", where=path.name)
    if "word/document.xml" in names:
        raise OdplanError("word-document", where=path.name)
    if "xl/workbook.xml" not in names:
        raise OdplanError("not-a-workbook", where=path.name)


def inspect_file(path: Path) -> None:
    """Refuse what is not a usable .xlsx/.xlsm before parsing anything, with the reason."""
    inspect_package(path, expected="workbook", kind=_workbook_kind)


class _Inexact(Exception):
    """A number calamine gives only approximately: the sheet is read with openpyxl."""


def _as_openpyxl(rows: list[list[Any]]) -> list[list[Any]]:
    """calamine's values, in place, with the meaning openpyxl gives them."""
    for row in rows:
        for j, v in enumerate(row):
            kind = type(v)
            if kind is str:
                if not v:
                    row[j] = None
            elif kind is float:
                if v.is_integer():
                    if abs(v) >= EXACT_FLOAT:
                        raise _Inexact
                    row[j] = int(v)
                elif not math.isfinite(v):
                    raise _Inexact
            elif kind is dt.date:
                row[j] = dt.datetime(v.year, v.month, v.day)
    return rows


class FileGrid:
    """A workbook file: values read with python-calamine, the package's own parts parsed by us."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.name = self.path.name
        inspect_file(self.path)
        self._package = parts.read_package(self.path)
        with parsing(self.path):
            self._book = CalamineWorkbook.from_path(str(self.path))
        self._rows: dict[str, list[list[Any]]] = {}
        self._fallback = None

    def sheet_names(self) -> list[str]:
        return [name for name, _ in self._package.sheets]

    def defined_names(self) -> dict[str, tuple[str, str]]:
        """Workbook-scoped names that point at one cell: name -> (sheet, "C5")."""
        return dict(self._package.names)

    def tables(self) -> list[TableRef]:
        return list(self._package.tables)

    def _sheet(self, sheet: str) -> list[list[Any]]:
        """Every row of the sheet from A1, read once."""
        rows = self._rows.get(sheet)
        if rows is not None:
            return rows
        where = f"{self.name}: {sheet}"
        with parsing(self.path, where):
            try:
                rows = _as_openpyxl(self._book.get_sheet_by_name(sheet).to_python(skip_empty_area=False))
            except _Inexact:
                exact = self._openpyxl()
                rows = exact.values(sheet, 1, 1, *exact.dimensions(sheet))
            else:
                for (r, c), text in parts.error_values(self._package.sheet_xml.get(sheet, b"")).items():
                    if r <= len(rows) and c <= len(rows[r - 1]):
                        rows[r - 1][c - 1] = text
        self._rows[sheet] = rows
        return rows

    def _openpyxl(self):
        if self._fallback is None:
            from odplan_xl.xlsx.fallback import OpenpyxlGrid

            self._fallback = OpenpyxlGrid(self.path)
        return self._fallback

    def values(self, sheet: str, min_row: int, min_col: int, max_row: int, max_col: int) -> list[list[Any]]:
        width = max_col - min_col + 1
        out = []
        for row in self._sheet(sheet)[min_row - 1:max_row]:
            part = row[min_col - 1:max_col]
            out.append(part + [None] * (width - len(part)) if len(part) < width else part)
        return out

    def dimensions(self, sheet: str) -> tuple[int, int]:
        """(max_row, max_col) of the sheet's values."""
        rows = self._sheet(sheet)
        return len(rows), max((len(r) for r in rows), default=0)

    def sheet_facts(self, sheet: str) -> SheetFacts:
        """Merged ranges and formula cells without a computed result, from the sheet's bytes."""
        return parts.sheet_facts(self._package.sheet_xml.get(sheet, b""))

    def close(self) -> None:
        self._book.close()
        if self._fallback is not None:
            self._fallback.close()

    def __enter__(self) -> FileGrid:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_grid(path: str | Path) -> FileGrid:
    """Open a workbook file for reading values (raises OdplanError with the reason when unusable)."""
    return FileGrid(path)
