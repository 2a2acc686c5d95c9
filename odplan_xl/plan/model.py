"""The plan as typed values, each value remembering the cell it came from."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
)
from pydantic_core import PydanticCustomError

from odplan_xl import schema
from odplan_xl.plan import normalize

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
    intro: str | None = None                      # the section's introduction, printed under its heading
    intro_cell: str | None = None
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


# --- typed row models, built from the schema ------------------------------------------------
# Each section's row (and the cover) is validated by a pydantic model whose fields are the schema's
# column keys. A field that fails raises a PydanticCustomError whose type is our finding code, so a
# pydantic error maps straight to a located finding (loc[0] = column key -> cell address).

def _checked(parse: Callable[[Any], Any], code: str) -> Callable[[Any], Any]:
    def validate(value: Any) -> Any:
        try:
            return parse(value)
        except (ValueError, ArithmeticError):
            raise PydanticCustomError(code, "{value}", {"value": value}) from None
    return validate


def _nonnegative_int(value: Any) -> int | None:
    number = normalize.parse_int(value)
    if number is not None and number < 0:
        raise ValueError(value)
    return number


def _year(value: Any) -> int | None:
    year = normalize.parse_int(value)
    if year is not None and not schema.YEAR_MIN <= year <= schema.YEAR_MAX:
        raise ValueError(value)
    return year


def _text(value: Any) -> str | None:
    return normalize.clean_text(value)[0]


def _field(col: schema.Column) -> Any:
    """The annotated type of one column."""
    kind = col.kind
    if kind is schema.Kind.DATE:
        return Annotated[dt.date | None, BeforeValidator(_checked(normalize.parse_date, "bad-date"))]
    if kind is schema.Kind.AMOUNT:
        return Annotated[Decimal | None, BeforeValidator(_checked(normalize.parse_amount, "bad-amount"))]
    if kind is schema.Kind.INTEGER:
        return Annotated[int | None, BeforeValidator(_checked(_nonnegative_int, "bad-number"))]
    if kind is schema.Kind.YEAR:
        return Annotated[int | None, BeforeValidator(_checked(_year, "bad-year"))]
    if kind is schema.Kind.YESNO:
        return Annotated[bool | None, BeforeValidator(_checked(normalize.parse_yesno, "bad-yesno"))]
    if kind is schema.Kind.CHOICE:
        choose = functools.partial(normalize.parse_choice, choices=col.choices)
        return Annotated[str | None, BeforeValidator(_checked(choose, "bad-choice"))]
    return Annotated[str | None, BeforeValidator(_text)]


def _row_model(key: str, columns: tuple[schema.Column, ...]) -> type[BaseModel]:
    fields = {c.key: (_field(c), None) for c in columns if not c.computed}
    return create_model(f"{key.title()}Row", __config__=ConfigDict(extra="ignore"), **fields)


# Built when the module loads, like any class definition: "cover", "authors" and each section key.
ROW_MODELS: dict[str, type[BaseModel]] = {
    "cover": _row_model("cover", schema.COVER_FIELDS),
    "authors": _row_model("authors", schema.AUTHORS.columns),
    **{s.key: _row_model(s.key, s.columns) for s in schema.SECTIONS},
}


def row_model(key: str) -> type[BaseModel]:
    """The pydantic model of one row of a section ("authors" for the cover's team, "cover" for the cover)."""
    return ROW_MODELS[key]


def validate_row(key: str, raw: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Typed values of a row, and the (column key, finding code) of each value that failed.

    A failed value is kept as its cleaned text, so nothing typed is lost.
    """
    model = row_model(key)
    try:
        return model.model_validate(raw).model_dump(), []
    except ValidationError as exc:
        failed = [(str(err["loc"][0]), err["type"]) for err in exc.errors()]
    bad = {k for k, _ in failed}
    values = model.model_validate({k: v for k, v in raw.items() if k not in bad}).model_dump()
    for k in bad:
        values[k] = normalize.clean_text(normalize.as_typed(raw[k]))[0]
    return values, failed
