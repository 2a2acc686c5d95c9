"""The plan as typed values, each value remembering the cell it came from."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from odplan_xl import expr, schema
from odplan_xl.plan import normalize

# A value after normalisation: str (text, choice, or the cleaned raw text of a value that
# failed to parse, so nothing an officer typed is lost), datetime.date, int, Decimal (amounts),
# bool (yes/no), or None (empty).
Value = str | dt.date | int | Decimal | bool | None


# Plain dataclasses: built for every row of every plan read, and imported by every click of a button
# (a pydantic model costs a tenth of a second to import, and validates what the reader typed already).
@dataclass(kw_only=True)
class Row:
    """One filled row of a section table."""

    number: int                                   # the Excel row number
    values: dict[str, Any] = field(default_factory=dict)   # column key -> Value
    cells: dict[str, str] = field(default_factory=dict)    # column key -> "Sheet!B7"

    def get(self, key: str) -> Any:
        return self.values.get(key)


@dataclass(kw_only=True)
class SectionData:
    """The rows of one section (or of the cover's team table)."""

    key: str
    sheet: str                                    # the sheet title found in the workbook
    rows: list[Row] = field(default_factory=list)
    na_reason: str | None = None
    na_cell: str | None = None                    # "Sheet!C4"
    intro: str | None = None                      # the section's introduction, printed under its heading
    intro_cell: str | None = None
    header_cells: dict[str, str] = field(default_factory=dict)  # column key -> header address

    @property
    def spec(self) -> schema.Section:
        return schema.AUTHORS if self.key == "authors" else schema.section(self.key)

    def subsection_rows(self, value: str) -> list[Row]:
        """Rows whose category column equals a subsection's value."""
        cat = self.spec.category
        return [r for r in self.rows if cat and r.get(cat) == value]


@dataclass(kw_only=True)
class Plan:
    """A whole plan: cover fields, the team that prepared it, and sections 1..10."""

    source: str | None = None                     # file name it was read from
    cover: dict[str, Any] = field(default_factory=dict)       # cover key -> Value
    cover_cells: dict[str, str] = field(default_factory=dict) # cover key -> "الغلاف!C5"
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


# --- typed rows, checked column by column ----------------------------------------------------
# Each section's row (and the cover) is read through a table built from the schema: column key ->
# (parser, finding code). A parser returns the typed value or raises ValueError (or ArithmeticError);
# the column's finding code then locates the failure at its cell, and the value is kept as typed.

Parser = Callable[[Any], Any]


def _whole(kind: schema.Kind) -> Parser:
    """A whole number a cell of `kind` may hold: read by parse_int (numbers and text), then refused as the
    workbook refuses it (schema.STORED_REFUSED: a negative count, a year outside the plan years)."""
    def parse(value: Any) -> int | None:
        if isinstance(value, dt.date):                  # a date format on the cell: its number
            value = expr.cell_value(value)
        if isinstance(value, bool | int | float):      # as stored: the expression alone decides
            if normalize.refused(kind, value):
                raise ValueError(value)
            return int(round(value))
        number = normalize.parse_int(value)
        if number is None:
            return None
        if normalize.refused(kind, int(number)):
            raise ValueError(value)
        return int(number)           # a plain int, even from an int subclass
    return parse


_nonnegative_int = _whole(schema.Kind.INTEGER)
_year = _whole(schema.Kind.YEAR)


def _text(value: Any) -> str | None:
    return normalize.clean_text(value)[0]


# kind -> (parser, finding code); text and e-mail columns keep the cleaned text and never fail
_KINDS: dict[schema.Kind, tuple[Parser, str]] = {
    schema.Kind.DATE: (normalize.parse_date, "bad-date"),
    schema.Kind.AMOUNT: (normalize.parse_amount, "bad-amount"),
    schema.Kind.INTEGER: (_nonnegative_int, "bad-number"),
    schema.Kind.YEAR: (_year, "bad-year"),
    schema.Kind.YESNO: (normalize.parse_yesno, "bad-yesno"),
}
_TEXT: tuple[Parser, str] = (_text, "")


def _parser(col: schema.Column) -> tuple[Parser, str]:
    if col.kind is schema.Kind.CHOICE:
        return functools.partial(normalize.parse_choice, choices=col.choices), "bad-choice"
    return _KINDS.get(col.kind, _TEXT)


def _row_table(columns: tuple[schema.Column, ...]) -> tuple[tuple[str, Parser, str], ...]:
    return tuple((c.key, *_parser(c)) for c in columns if not c.computed)


# "cover", "authors" (the cover's team) and each section key -> its typed columns, in column order.
ROW_COLUMNS: dict[str, tuple[tuple[str, Parser, str], ...]] = {
    "cover": _row_table(schema.COVER_FIELDS),
    "authors": _row_table(schema.AUTHORS.columns),
    **{s.key: _row_table(s.columns) for s in schema.SECTIONS},
}


def validate_row(key: str, raw: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Typed values of a row, and the (column key, finding code) of each value that failed.

    Every typed (not computed) column of the section is in the values, in column order (None when
    absent from `raw`); keys of `raw` that are not columns are ignored. A failed value is kept as its
    cleaned text, so nothing typed is lost.
    """
    values: dict[str, Any] = {}
    failed: list[tuple[str, str]] = []
    for column, parse, code in ROW_COLUMNS[key]:
        if column not in raw:
            values[column] = None
            continue
        if not code:                      # text: cleaned, never refused
            values[column] = parse(raw[column])
            continue
        try:
            values[column] = parse(raw[column])
        except (ValueError, ArithmeticError):
            values[column] = None         # its place in column order; its text below
            failed.append((column, code))
    for column, _code in failed:
        values[column] = normalize.clean_text(normalize.as_typed(raw[column]))[0]
    return values, failed
