"""A library-free description of one sheet (cells, styles, layout, print setup), replayed by a writer.

Everything a writer could decide differently lives here, once: the colours, the date format, how
values are converted, how a link cell looks and what a link points to. The writers (xlsx/write.py
with openpyxl, excel/writer.py with xlwings) only translate `SheetSpec.written()` to their library.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from odplan_xl.addresses import a1, column_letter, coordinate_to_tuple  # noqa: F401 (the sheet writers' names)

# What a cell may hold. Text is always written as text, even when it starts with "=".
CellValue = str | int | float | Decimal | bool | dt.date | None
# What a writer puts in a cell, after `plain_value`: no Decimal, text cleaned.
PlainValue = str | int | float | bool | dt.date | None

DATE_FORMAT = "dd/mm/yyyy"
AMOUNT_FORMAT = "#,##0.000"   # dinars with millimes
PAPER_A4 = 9               # the paper code of both SpreadsheetML and Excel's object model

# Colours, "RRGGBB", one per meaning for every sheet we write (and the template's headings).
HEADER_FILL = "1F4E79"     # table headers: white bold text on dark blue
HEADER_TEXT = "FFFFFF"
TITLE_COLOUR = "1F4E79"    # sheet titles, the same dark blue
LINK_COLOUR = "0563C1"     # Excel's own "Hyperlink" cell style: a link looks like one everywhere
NOTE_COLOUR = "595959"     # explanatory notes, codes
GRID_COLOUR = "BFBFBF"     # thin borders of table bodies
BORDER_COLOUR = "808080"   # a border with no colour of its own

# Characters XML 1.0 cannot hold (a sheet containing one cannot be opened): dropped from text.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Style:
    """How one cell looks. Colours are "RRGGBB" hex; None means the application's default.

    Frozen, so writers can cache the library objects they build per distinct style.
    """

    fill: str | None = None
    bold: bool = False
    italic: bool = False
    underline: bool = False
    color: str | None = None          # font colour
    size: float | None = None         # font size in points
    wrap: bool = False
    align: str | None = None          # "right", "center", "left" (horizontal)
    valign: str | None = "center"     # "top", "center", "bottom"
    number_format: str | None = None  # e.g. DATE_FORMAT
    border: str | None = None         # "thin" or "medium", on all four sides
    border_color: str = BORDER_COLOUR

    def but(self, **changes: Any) -> Style:
        """This style with some attributes changed."""
        return replace(self, **changes)


PLAIN = Style()


@dataclass(frozen=True)
class Cell:
    """A value with its style, and an optional link: "#'Sheet'!B7" inside the book, or a URL."""

    value: CellValue
    style: Style = PLAIN
    link: str | None = None


@dataclass(frozen=True)
class Written:
    """One cell as every writer puts it: a plain value, the complete style, the link if any."""

    value: PlainValue
    style: Style
    link: str | None = None

    @property
    def internal(self) -> bool:
        """A link to a cell of the same workbook ("#'Sheet'!B7"), not a file or a web address."""
        return bool(self.link) and self.link.startswith("#")

    @property
    def location(self) -> str:
        """The target of an internal link without its "#" ("'Sheet'!B7"); the address otherwise."""
        link = self.link or ""
        return link[1:] if link.startswith("#") else link

    def formula(self) -> str:
        """=HYPERLINK("#'Sheet'!B7","B7"): the link as a formula, for writers that have no link object.

        Both arguments are string literals (quotes doubled), so no cell text becomes formula code.
        """
        def literal(text: str) -> str:
            return '"' + text.replace('"', '""')[:250] + '"'

        shown = "" if self.value is None else str(self.value)
        return f"=HYPERLINK({literal(self.link or '')},{literal(shown)})"


def plain_value(value: Any) -> PlainValue:
    """The value a writer stores: amounts (Decimal) as numbers, text without XML-illegal characters,
    anything unexpected as its text."""
    if value is None or isinstance(value, bool | int | float | dt.date):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return _ILLEGAL.sub("", value if isinstance(value, str) else str(value))


def written(cell: Cell) -> Written:
    """A described cell completed: dates get DATE_FORMAT, links look like links (unless styled)."""
    style = cell.style
    if isinstance(cell.value, dt.date) and style.number_format is None:
        style = style.but(number_format=DATE_FORMAT)
    if cell.link and style.color is None:
        style = style.but(color=LINK_COLOUR, underline=True)
    return Written(plain_value(cell.value), style, cell.link or None)


Block = tuple[int, int, int, int]          # first row, first column, last row, last column (1-based)


@dataclass(frozen=True)
class Table:
    """An Excel Table (sortable, filterable) over a block whose first row holds the headers."""

    name: str                        # ASCII, unique in the workbook
    block: Block
    style: str = "TableStyleMedium2"


@dataclass(frozen=True)
class ColorScale:
    """A two-colour scale (conditional formatting): the lowest value gets `low`, the highest `high`."""

    block: Block
    low: str = "FFFFFF"
    high: str = "2E75B6"


@dataclass(frozen=True)
class Series:
    """One data series of a chart: its name and its values (a block of one row or one column)."""

    name: str
    values: Block
    color: str | None = None         # fill, "RRGGBB" (None: the application's)


@dataclass(frozen=True)
class Chart:
    """A native chart drawn from cells of the same sheet.

    kind: "bar" (horizontal bars), "column" (vertical bars) or "line". `rtl`: categories run from
    right to left (the first at the right, or at the top for bars), as an Arabic reader expects.
    """

    kind: str
    title: str
    categories: Block
    series: tuple[Series, ...]
    anchor: tuple[int, int]          # top-left cell (row, column)
    width_cm: float = 16.0
    height_cm: float = 8.0
    value_title: str = ""
    value_format: str | None = None  # number format of the value axis, e.g. "0%"
    value_range: tuple[float, float] | None = None     # fixed ends of the value axis
    rtl: bool = True
    legend: bool = False
    stacked: bool = False            # bars: the series one after the other, not side by side


@dataclass
class SheetSpec:
    """One sheet. Rows and columns are 1-based; in a right-to-left sheet column 1 is at the right."""

    title: str
    rtl: bool = True
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)   # row1, col1, row2, col2
    widths: dict[int, float] = field(default_factory=dict)                  # column -> characters
    heights: dict[int, float] = field(default_factory=dict)                 # row -> points
    freeze: tuple[int, int] | None = None   # first row and column that scroll (like Excel's "C5")
    landscape: bool = False
    fit_width: bool = False                 # print on one page wide, as many pages tall as needed
    repeat_rows: tuple[int, int] | None = None   # rows printed on every page
    show_grid: bool = True
    tables: list[Table] = field(default_factory=list)
    color_scales: list[ColorScale] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    def put(self, row: int, col: int, value: CellValue, style: Style = PLAIN,
            link: str | None = None) -> None:
        if row < 1 or col < 1:
            raise ValueError(f"cell ({row}, {col}) outside the sheet")
        self.cells[(row, col)] = Cell(value, style, link)

    def merge(self, row1: int, col1: int, row2: int, col2: int) -> None:
        """Merge a block; the value and style stay those of its first cell."""
        if (row1, col1) != (row2, col2):
            self.merges.append((row1, col1, row2, col2))

    def written(self) -> Iterator[tuple[int, int, Written]]:
        """Every cell as a writer must put it, row by row: value converted, style completed."""
        for (row, col), cell in sorted(self.cells.items()):
            yield row, col, written(cell)

    @property
    def max_row(self) -> int:
        return max((r for r, _ in self.cells), default=0)

    @property
    def max_col(self) -> int:
        return max((c for _, c in self.cells), default=0)


def internal_link(address: str) -> str:
    """"Sheet name!B7" -> "#'Sheet name'!B7", a link to a cell of the same book."""
    sheet, _, cell = address.rpartition("!")
    if not sheet:
        return f"#{cell}"
    sheet = sheet.strip("'").replace("'", "''")
    return f"#'{sheet}'!{cell}"
