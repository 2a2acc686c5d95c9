"""What a workbook gives the plan reader, whoever reads it: the grid protocol and its table and sheet types.

The file adapter (`xlsx/read.py`) and the open workbook (`excel/grid.py`) implement `GridSource`; the plan
reader (`plan/reader.py`) reads any of them. Kept below both so neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from odplan_xl.addresses import coordinate_to_tuple


@dataclass(frozen=True)
class TableRef:
    """An Excel Table as a grid source gives it: name, sheet, range ("A6:H20"), rows of totals.

    The one table type of both adapters (the file in xlsx/read.py, the open workbook in excel/grid.py).
    """

    name: str
    sheet: str
    ref: str
    totals_rows: int = 0

    @property
    def bounds(self) -> tuple[int, int, int, int]:
        """(min_col, min_row, max_col, max_row)."""
        first, _, last = self.ref.partition(":")
        r0, c0 = coordinate_to_tuple(first)
        r1, c1 = coordinate_to_tuple(last or first)
        return c0, r0, c1, r1


@dataclass(frozen=True)
class SheetFacts:
    """What the values alone do not tell: merged ranges (r0, c0, r1, c1) and formulas never computed."""

    merges: tuple[tuple[int, int, int, int], ...] = ()
    formulas: frozenset[tuple[int, int]] = frozenset()     # cells holding a formula (not typed over)
    uncomputed: frozenset[tuple[int, int]] = frozenset()   # ... and among them, those never computed


NO_FACTS = SheetFacts()


class GridSource(Protocol):
    """What the reader needs of a workbook: the file adapter (xlsx/read.py) and the live one (excel/).

    `sheet_facts(sheet)` is optional: a source without it (the open workbook, which Excel keeps
    computed) has no uncomputed formulas and its merges are not spread.
    """

    name: str

    def sheet_names(self) -> list[str]: ...
    def tables(self) -> list[TableRef]: ...
    def defined_names(self) -> dict[str, tuple[str, str]]: ...
    def values(self, sheet: str, min_row: int, min_col: int, max_row: int,
               max_col: int) -> list[list[Any]]: ...
    def dimensions(self, sheet: str) -> tuple[int, int]: ...


