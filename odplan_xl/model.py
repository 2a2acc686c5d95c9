"""The plan as typed values, each value remembering the cell it came from."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from . import schema

# A value after normalisation: str (text, choice, or the cleaned raw text of a value that
# failed to parse, so nothing an officer typed is lost), datetime.date, int, Decimal (amounts),
# bool (yes/no), or None (empty).
Value = str | dt.date | int | Decimal | bool | None


class Row(BaseModel):
    """One filled row of a section table."""

    number: int                                   # the Excel row number
    values: dict[str, Any] = Field(default_factory=dict)   # column key -> Value
    cells: dict[str, str] = Field(default_factory=dict)    # column key -> "Sheet!B7"

    def get(self, key: str) -> Any:
        return self.values.get(key)


class SectionData(BaseModel):
    """The rows of one section (or of the cover's team table)."""

    key: str
    sheet: str                                    # the sheet title found in the workbook
    rows: list[Row] = Field(default_factory=list)
    na_reason: str | None = None
    na_cell: str | None = None                    # "Sheet!C4"
    header_cells: dict[str, str] = Field(default_factory=dict)  # column key -> header address

    @property
    def spec(self) -> schema.Section:
        return schema.AUTHORS if self.key == "authors" else schema.section(self.key)

    def subsection_rows(self, value: str) -> list[Row]:
        """Rows whose category column equals a subsection's value."""
        cat = self.spec.category
        return [r for r in self.rows if cat and r.get(cat) == value]


class Plan(BaseModel):
    """A whole plan: cover fields, the team that prepared it, and sections 1..10."""

    source: str | None = None                     # file name it was read from
    cover: dict[str, Any] = Field(default_factory=dict)       # cover key -> Value
    cover_cells: dict[str, str] = Field(default_factory=dict) # cover key -> "الغلاف!C5"
    authors: SectionData
    sections: dict[str, SectionData]

    @property
    def year(self) -> int | None:
        y = self.cover.get("year")
        return y if isinstance(y, int) else None

    @property
    def structure(self) -> str:
        return str(self.cover.get("structure") or "")

    def __getitem__(self, key: str) -> SectionData:
        return self.sections[key]
