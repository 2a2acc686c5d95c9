"""The open workbook as the reader's grid source: its values as they are now, saved or not."""

from __future__ import annotations

from typing import Any

from odplan_xl.grid import TableRef


class LiveGrid:
    """A GridSource over an open xlwings Book.

    Dates come as datetime and numbers as float; the reader's normalisers take both.
    """

    def __init__(self, book: Any):
        self.book = book
        self.name = book.name
        self._sheets = {sheet.name: sheet for sheet in book.sheets}

    def sheet_names(self) -> list[str]:
        return list(self._sheets)

    def tables(self) -> list[TableRef]:
        out = []
        for name, sheet in self._sheets.items():
            for table in sheet.tables:
                out.append(TableRef(name=table.name, sheet=name, ref=table.range.address.replace("$", ""),
                                    totals_rows=1 if table.show_totals else 0))
        return out

    def defined_names(self) -> dict[str, tuple[str, str]]:
        """Workbook-scoped names that point at cells: name -> (sheet, first cell)."""
        found: dict[str, tuple[str, str]] = {}
        for name in self.book.names:
            if "!" in name.name:        # sheet-scoped ("Sheet!name"): not ours
                continue
            try:
                target = name.refers_to_range
                sheet, address = target.sheet.name, target.address
            except Exception:           # a constant, a formula or another workbook: not a cell
                continue
            found[name.name] = (sheet, address.replace("$", "").split(":")[0])
        return found

    def values(self, sheet: str, min_row: int, min_col: int, max_row: int, max_col: int) -> list[list[Any]]:
        block = self._sheets[sheet].range((min_row, min_col), (max_row, max_col))
        # errors as their text ("#N/A"), so the reader reports them instead of seeing empty cells
        return block.options(ndim=2, err_to_str=True).value

    def dimensions(self, sheet: str) -> tuple[int, int]:
        last = self._sheets[sheet].used_range.last_cell
        return last.row, last.column
