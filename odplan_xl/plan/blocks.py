"""What the plan reader keeps of a sheet while reading (`Block`, `Place`), and what the scans of `plan/scan.py`
need of the reader (`Reading`): below both, so the reader imports the scans and never the reverse."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from odplan_xl import schema
from odplan_xl.findings import Finding
from odplan_xl.grid import NO_FACTS, SheetFacts, TableRef


@dataclass
class Block:
    """The used part of one sheet, read once: values by (row, col), 1-based."""

    sheet: str
    rows: list[list[Any]]
    facts: SheetFacts = NO_FACTS
    height: int = 0          # the extent read (the source may return fewer rows)
    width: int = 0

    def get(self, row: int, col: int) -> Any:
        if 1 <= row <= len(self.rows):
            line = self.rows[row - 1]
            if 1 <= col <= len(line):
                return line[col - 1]
        return None

    @property
    def max_row(self) -> int:
        return len(self.rows)


@dataclass
class Place:
    """Where a section's table is: header row r0, body down to r1 (totals row excluded), columns c0..c1."""

    sheet: str
    r0: int
    c0: int
    r1: int
    c1: int
    table: str = ""          # the Excel Table's name ("" when found by its header labels)
    totals_rows: int = 0


class Reading(Protocol):
    """The reader as the scans see it: the sheets read so far, the tables found, the cells accounted for."""

    findings: list[Finding]
    sheets: list[str]
    tables: dict[str, TableRef]
    places: dict[str, Place]
    claimed: dict[str, set[tuple[int, int]]]

    def block(self, sheet: str, *, rows: int = 0, cols: int = 0) -> Block: ...
    def claim(self, sheet: str, row: int, col: int) -> None: ...
    def named(self, name: str) -> tuple[Any, str, str] | None: ...
    def header_row(self, sheet: str, spec: schema.Section) -> tuple[int, int, int] | None: ...
