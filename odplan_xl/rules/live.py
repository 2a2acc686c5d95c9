"""The rules the workbook checks by itself, with no Python and no macro: each described once, here.

Each entry of LIVE_RULES names a finding code, the cells it is about (a selector over the schema's
columns, the same columns `check` reads) and its test as a spreadsheet expression. The template turns
each entry into conditional formatting on the cells it is about (one row: `C9`) and into a count on the
hidden lists sheet (the whole column: `$C$9:$C$2018`), from the same expression; the cover's panel
adds the counts. What a formula cannot see is `check`'s alone (CHECK_ONLY, with the reason).

The expressions use functions Excel 2010 and LibreOffice 7.4 both document, evaluated cell by cell
(conditional formatting) and over whole columns (single-cell array formulas: `{=SUM(...)}`): no
AND/OR (they do not work element-wise), IF only where it guards a value that is not a number, no
structured reference (Excel refuses them in conditional formatting), text compared through the
NORMALISE table written into the lists sheet (the table `check` reads in the schema).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from odplan_xl import schema
from odplan_xl.plan.normalize import FIRST_PLAUSIBLE_DATE, MAX_AMOUNT, excel_serial
from odplan_xl.plan.reader import SCAN_BELOW
from odplan_xl.codes import CODES
from odplan_xl.schema import Column, Kind, Section

# Rows under a table's rows (as written) that the live layer covers: rows typed under the table or
# added to it. The reader reads as far (SCAN_BELOW), so an unchanged table is covered exactly.
LIVE_MARGIN = SCAN_BELOW
DATE_FIRST = excel_serial(FIRST_PLAUSIBLE_DATE)   # 18264: 1/1/1950, before it a number, not a date
DATE_END = 2958466                                 # 1/1/10000: beyond Excel's last date
AMOUNT_LIMIT = f"1E{len(str(int(MAX_AMOUNT))) - 1}"

PENDING = "pending"        # the third colour: a date or number typed as text, decided by `check`


def name(*parts: str) -> str:
    """A workbook-scoped defined name of the live layer: live_errors, live_n_budget_no_budget…"""
    return "_".join(("live", *(p.replace("-", "_") for p in parts)))


def quote(sheet: str) -> str:
    """A sheet name as a formula writes it ('3. جرد البيانات العمومية')."""
    if sheet.isascii() and sheet.replace("_", "").isalnum() and not sheet[0].isdigit():
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


@dataclass(frozen=True)
class Book:
    """Where the template put what the formulas read: the NORMALISE table and the normalised lists.

    `pairs`: (from, to) cell references of each NORMALISE row, in order; `lists`: (owner, column key)
    -> the range of that dropdown's values normalised, `raw`: of its values as the dropdown offers
    them; `yesno`: the range of every yes/no word normalised, `no`: those of «لا»; `sections_raw`:
    the section sheets' names, `sections_empty` beside them: 1 where that section has no row.
    """

    pairs: tuple[tuple[str, str], ...]
    lists: dict[tuple[str, str], str]
    yesno: str
    no: str
    sections_list: str
    sections_empty: str
    raw: dict[tuple[str, str], str] = field(default_factory=dict)
    sections_raw: str = ""


@dataclass(frozen=True)
class Rows:
    """How an expression names a table's cells: one row (`cell`: conditional formatting, row-relative
    references at `first`) or every covered row (`$C$9:$C$2018`: the counts)."""

    sheet: str                       # the table's sheet; "" when the formula is on that sheet
    letters: dict[str, str]          # column key -> column letter
    first: int                       # first data row (1-based)
    last: int                        # last covered row
    cell: bool
    length: str = ""                 # counts: a name holding how many rows hold something (see below)

    def col(self, key: str) -> str:
        """The cell, or the column's rows down to the last that holds something (INDEX gives the end of
        the range: a count costs the rows typed, not the 2,000 covered)."""
        letter = self.letters[key]
        prefix = f"{quote(self.sheet)}!" if self.sheet else ""
        if self.cell:
            return f"{prefix}${letter}{self.first}"
        covered = f"{prefix}${letter}${self.first}:${letter}${self.last}"
        if not self.length:
            return covered
        return f"{prefix}${letter}${self.first}:INDEX({covered},{self.length})"


# --- the expression vocabulary: every result a number (0 false), safe on any cell value ----------

def filled(x: str) -> str:
    return f"(LEN(TRIM({x}))>0)"


def blank(x: str) -> str:
    return f"(LEN(TRIM({x}))=0)"


def num(x: str) -> str:
    """The number in x, 0 when x is not one (so INT, ABS, ROUND never meet text)."""
    return f"IF(ISNUMBER({x}),{x},0)"


def is_date(x: str) -> str:
    """A real date: a number between 1/1/1950 and Excel's last day (booleans are not numbers)."""
    return f"ISNUMBER({x})*({x}>={DATE_FIRST})*({x}<{DATE_END})"


def day(x: str) -> str:
    return f"INT({num(x)})"


def any_of(*terms: str) -> str:
    return "((" + "+".join(terms) + ")>0)"


def norm(book: Book, x: str) -> str:
    """The value as `check` compares it with a list: NORMALISE's replacements, trimmed, lower case,
    behind "_" so that no key reads as a number or an operator in COUNTIF."""
    text = f"{x}&\"\""
    for old, new in book.pairs:
        text = f"SUBSTITUTE({text},{old},{new})"
    return f"\"_\"&LOWER(TRIM({text}))"


def criterion(key: str) -> str:
    """A COUNTIF criterion matching exactly `key` (wildcards escaped). Cut at 200 characters (Excel's
    limit on criteria is 255): no list value is that long, so a longer value still matches none."""
    return (f"\"=\"&SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(LEFT({key},200),\"~\",\"~~\"),\"*\",\"~*\"),"
            f"\"?\",\"~?\")")


def in_list(book: Book, rng: str, x: str) -> str:
    return f"(COUNTIF({rng},{criterion(norm(book, x))})>0)"


# --- what a rule sees of one cell of a table -------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    """One column of one table, as a rule's expression sees it."""

    owner: str                       # "cover", "authors" or a section key
    spec: Section | None             # None on the cover's fields
    column: Column
    v: str                           # the cell (or the column's range, or the cover field's name)
    rows: Rows | None
    book: Book

    def col(self, key: str) -> str:
        assert self.rows is not None
        return self.rows.col(key)

    @property
    def row_filled(self) -> str:
        """The row has a value in a column the officer types in (what makes it a row for `check`)."""
        assert self.spec is not None
        return any_of(*(filled(self.col(c.key)) for c in self.spec.columns if not c.computed))

    @property
    def earlier_blank(self) -> str:
        """No column before this one holds a value (this cell is the row's first: where `check` points)."""
        assert self.spec is not None
        before = [c.key for c in self.spec.columns[:self.spec.columns.index(self.column)]]
        return f"(1-{any_of(*(filled(self.col(k)) for k in before))})" if before else "1"


Test = Callable[[Cell], str]
Applies = Callable[[str, Section | None, Column], bool]


@dataclass(frozen=True)
class LiveRule:
    """A rule the workbook checks by itself: the code, the cells it is about, its test on one cell."""

    code: str                        # a code of odplan_xl/codes.py, or PENDING
    applies: Applies                 # (owner, section or None on the cover, column) -> does it apply
    test: Test
    # The count over a column whose every value is one its dropdown offers (the usual case), without
    # normalising each value: the same count, computed without 25 replacements a cell.
    fast: Test | None = None
    fast_columns: Callable[[Cell], tuple[str, ...]] = lambda c: (c.column.key,)

    @property
    def severity(self) -> str:
        return PENDING if self.code == PENDING else str(CODES[self.code].severity)


def _table(owner: str, spec: Section | None, col: Column) -> bool:
    return spec is not None


def _cover(owner: str, spec: Section | None, col: Column) -> bool:
    return spec is None


def _typed(owner: str, spec: Section | None, col: Column) -> bool:
    return not col.computed


def _kinds(*kinds: Kind, where: Applies = _typed) -> Applies:
    return lambda owner, spec, col: col.kind in kinds and where(owner, spec, col)


def _both(a: Applies, b: Applies) -> Applies:
    return lambda owner, spec, col: a(owner, spec, col) and b(owner, spec, col)


def _year_outside(c: Cell) -> str:
    return (f"{is_date(c.v)}*{name('year_ok')}*(1-{name('mismatch')})*"
            f"(({day(c.v)}<{name('y0')})+({day(c.v)}>{name('y1')}))")


def _end_before_start(c: Cell) -> str:
    assert c.spec is not None and c.spec.start is not None
    start = c.col(c.spec.start)
    return f"{is_date(c.v)}*{is_date(start)}*({day(c.v)}<{day(start)})"


def _bad_choice(c: Cell) -> str:
    rng = c.book.lists[(c.owner, c.column.key)]
    return f"{filled(c.v)}*(1-{in_list(c.book, rng, c.v)})"


def _bad_yesno(c: Cell) -> str:
    return f"{filled(c.v)}*(1-ISLOGICAL({c.v}))*(1-{in_list(c.book, c.book.yesno, c.v)})"


def _flags(c: Cell) -> tuple[str, ...]:
    assert c.spec is not None
    return tuple(k.key for k in c.spec.columns if k.kind is Kind.YESNO)


def _no_criteria(c: Cell) -> str:
    return "*".join(in_list(c.book, c.book.no, c.col(k)) for k in _flags(c))


def _budget_without_activity(c: Cell) -> str:
    key = norm(c.book, c.v)
    return f"{filled(c.v)}*(SUMIF({c.book.sections_list},{criterion(key)},{c.book.sections_empty})>0)"


def _row_outside(c: Cell) -> str:
    assert c.spec is not None
    return f"{c.row_filled}*(ROW({c.v})>{name('end', c.owner)})*{filled(c.v)}*{c.earlier_blank}"


def _email(c: Cell) -> str:
    t = f"TRIM({c.v})"
    at = f"FIND(\"@\",{t})"
    domain = f"MID({t},{at}+1,999)"
    ok = (f"(LEN({t})-LEN(SUBSTITUTE({t},\"@\",\"\"))=1)*(IFERROR({at},1)>1)*ISERROR(FIND(\" \",{t}))"
          f"*ISERROR(FIND(CHAR(10),{t}))*IFERROR(FIND(\".\",{domain},2)<LEN({domain}),0)")
    return f"ISTEXT({c.v})*{filled(c.v)}*(1-{ok})"


def _update_before(c: Cell) -> str:
    prepared = schema.cover_name("prepared")
    return f"{is_date(c.v)}*{is_date(prepared)}*({day(c.v)}<{day(prepared)})"


LIVE_RULES: tuple[LiveRule, ...] = (
    # a section's (or the team's) row
    LiveRule("missing-value", lambda o, s, c: s is not None and c.required and not c.computed,
             lambda c: f"{c.row_filled}*{blank(c.v)}"),
    LiveRule("bad-date", _kinds(Kind.DATE),
             lambda c: any_of(f"ISNUMBER({c.v})*(({c.v}<{DATE_FIRST})+({c.v}>={DATE_END}))",
                              f"ISLOGICAL({c.v})")),
    LiveRule("bad-number", _kinds(Kind.INTEGER),
             lambda c: any_of(f"ISLOGICAL({c.v})", f"ISNUMBER({c.v})*(({c.v}<0)+({c.v}<>INT({num(c.v)})))")),
    LiveRule("bad-amount", _kinds(Kind.AMOUNT),
             lambda c: any_of(f"ISLOGICAL({c.v})", f"ISNUMBER({c.v})*(ABS({num(c.v)})>={AMOUNT_LIMIT})")),
    LiveRule("negative-amount", _kinds(Kind.AMOUNT, where=lambda o, s, c: o == "budget"),
             lambda c: f"ISNUMBER({c.v})*(ABS({num(c.v)})<{AMOUNT_LIMIT})*(ROUND({num(c.v)},3)<0)"),
    LiveRule("bad-choice", _kinds(Kind.CHOICE), _bad_choice, fast=lambda c: "0"),
    LiveRule("bad-yesno", _kinds(Kind.YESNO), _bad_yesno, fast=lambda c: "0"),
    LiveRule("end-before-start", lambda o, s, c: s is not None and s.start is not None and c.key == s.end,
             _end_before_start),
    LiveRule("outside-plan-year", _kinds(Kind.DATE, where=_table), _year_outside),
    LiveRule("no-criteria-met", lambda o, s, c: o == "datasets" and c.key == "crit_quality", _no_criteria,
             fast=lambda c: "COUNTIFS(" + ",".join(f"{c.col(k)},\"={schema.NO_AR}\"" for k in _flags(c)) + ")",
             fast_columns=lambda c: _flags(c)),
    LiveRule("budget-without-activity", lambda o, s, c: o == "budget" and c.key == "section",
             _budget_without_activity,
             fast=lambda c: f"SUMPRODUCT(COUNTIF({c.v},\"=\"&{c.book.sections_raw})*{c.book.sections_empty})"),
    LiveRule("row-outside-table", lambda o, s, c: s is not None, _row_outside),
    # the cover's fields
    LiveRule("missing-value", lambda o, s, c: s is None and c.required, lambda c: blank(c.v)),
    LiveRule("bad-year", _kinds(Kind.YEAR),
             lambda c: any_of(f"ISLOGICAL({c.v})",
                              f"ISNUMBER({c.v})*(({c.v}<>INT({num(c.v)}))+({c.v}<{schema.YEAR_MIN})"
                              f"+({c.v}>{schema.YEAR_MAX}))")),
    LiveRule("update-before-prepared", lambda o, s, c: s is None and c.key == "updated", _update_before),
    LiveRule("bad-email", _kinds(Kind.EMAIL), _email),
    LiveRule("year-mismatch", lambda o, s, c: s is None and c.key == "year", lambda c: name("mismatch")),
    LiveRule("not-final", lambda o, s, c: s is None and c.key == "status", lambda c: name("not_final")),
    # typed as text: «يُتحقق منه عند الفحص», neither red nor counted as an error
    LiveRule(PENDING, _kinds(Kind.DATE, Kind.AMOUNT, Kind.INTEGER, Kind.YEAR),
             lambda c: f"ISTEXT({c.v})*{filled(c.v)}"),
)

# Rules about a whole section, each at the named cell `check` points to (or at no cell).
SECTION_RULES: dict[str, str] = {
    "empty-section": "the «لا ينطبق» cell, when the section has no row and no reason",
    "na-with-rows": "the «لا ينطبق» cell, when it holds a reason and the section has rows",
    "empty-subsection": "no cell: counted on the section's line",
    "missing-authors": "the first header of the team's table on the cover",
    "no-budget": "no cell: counted on the budget's line",
}

# What only `check` finds, and why a formula cannot.
CHECK_ONLY: dict[str, str] = {
    "duplicate-row": "compares every row with every other: quadratic in a formula",
    "invalid-characters": "invisible characters are the reader's cleaning",
    "text-too-long": "the reader's limit on what it keeps",
    "formula-error": "an error value stops any formula that reads it",
    "missing-section": "a deleted table: no range left to test",
    "missing-column": "a deleted or renamed column: the formulas read the template's columns",
    "extra-column": "the reader matches headers by their label",
    "missing-cover-field": "a deleted named cell: no cell left to test",
    "text-outside-tables": "text outside the tables and named cells: the reader's scan of the sheet",
    "duplicate-section": "copied sheets and second tables: the reader's work",
    "merged-cells": "merged cells are not visible to formulas",
    "ambiguous-amount": "an amount typed as text (neutral colour: «يُتحقق منه عند الفحص»)",
    "total-line": "recognises total labels and a line equal to the sum of the others",
    "computed-overwritten": "a value typed over a formula replaces the formula",
    "formula-without-result": "a file never calculated: only a reader of its bytes sees it",
    "done-before-start": "judged on the day the check runs: TODAY() would recolour the plan every day",
    "late-activity": "judged on the day the check runs: TODAY() would recolour the plan every day",
}


def live_codes() -> frozenset[str]:
    """Every finding code the workbook checks by itself."""
    return frozenset({r.code for r in LIVE_RULES if r.code != PENDING} | set(SECTION_RULES))


def where(code: str) -> str:
    """"live in the workbook" or "check only (why)", for the code reference (docs/codes.md)."""
    if code in live_codes():
        return "live in the workbook"
    return f"check only ({CHECK_ONLY[code]})"


# --- the formulas the template writes ---------------------------------------------------------------

def flag(test: str) -> str:
    """0 or 1 from a rule's expression."""
    return f"((({test})*1)<>0)"


@dataclass
class Table:
    """A table as the template writes it: where its rows are, which live rules apply to which columns."""

    owner: str
    spec: Section
    sheet: str
    first_col: int                   # 0-based index of the table's first column
    first: int                       # first data row (1-based)
    last: int                        # last covered row (1-based)
    letters: dict[str, str] = field(default_factory=dict)

    def rows(self, *, cell: bool, on_sheet: bool) -> Rows:
        return Rows("" if on_sheet else self.sheet, self.letters, self.first, self.last, cell,
                    "" if cell else name("len", self.owner))

    def length(self) -> str:
        """Array formula: how many covered rows down to the last holding anything (at least 1)."""
        block = Rows(self.sheet, self.letters, self.first, self.last, False).col(self.spec.columns[0].key)
        end = Rows(self.sheet, self.letters, self.first, self.last, False).col(self.spec.columns[-1].key)
        block = block.split(":")[0] + ":" + end.split(":")[1]
        return f"{{=MAX(1,MAX(({block}<>\"\")*ROW({block}))-{self.first}+1)}}"

    def cells(self, book: Book, *, cell: bool, on_sheet: bool) -> list[tuple[LiveRule, Cell]]:
        rows = self.rows(cell=cell, on_sheet=on_sheet)
        out = []
        for rule in LIVE_RULES:
            for col in self.spec.columns:
                if rule.applies(self.owner, self.spec, col):
                    out.append((rule, Cell(self.owner, self.spec, col, rows.col(col.key), rows, book)))
        return out

    def conditional(self, book: Book) -> list[tuple[LiveRule, Column, str]]:
        """(rule, column, formula) of each conditional format: the formula for the column's first row."""
        return [(rule, c.column, "=" + flag(rule.test(c))) for rule, c in self.cells(book, cell=True, on_sheet=True)]

    def exact(self, book: Book) -> dict[str, str]:
        """Column key -> formula: 1 when every value typed in the column is one its dropdown offers."""
        out = {}
        rows = self.rows(cell=False, on_sheet=False)
        for col in self.spec.columns:
            raw = book.raw.get((self.owner, col.key))
            if raw:
                rng = rows.col(col.key)
                out[col.key] = f"=(COUNTA({rng})=SUMPRODUCT(COUNTIF({rng},\"=\"&{raw})))*1"
        return out

    def counts(self, book: Book) -> list[tuple[str, str, str]]:
        """(code, column key, array formula) counting what a rule flags in one column's covered rows.

        A rule with a `fast` count uses it while every value of the columns it reads is a dropdown
        value (IF evaluates one branch); missing-value is counted once per row for all its columns,
        and row-outside-table as the rows under the table (one a row, as `check` counts it).
        """
        out = []
        missing = []
        for rule, c in self.cells(book, cell=False, on_sheet=False):
            if rule.code == "missing-value":
                missing.append(blank(c.v))
                continue
            if rule.code == "row-outside-table":
                continue
            full = f"SUM({flag(rule.test(c))}*1)"
            if rule.fast is not None:
                exact = "*".join(f"{name('exact', self.owner, k)}" for k in rule.fast_columns(c))
                full = f"IF({exact}=1,{rule.fast(c)},{full})"
            out.append((rule.code, c.column.key, "{=" + full + "}"))
        if missing:
            out.append(("missing-value", "", "{=SUM(" + self.row_filled(book) + "*(" + "+".join(missing) + "))}"))
        first = self.rows(cell=False, on_sheet=False).col(self.spec.columns[0].key)
        inside = f"{self.row_filled(book)}*(ROW({first})<={name('end', self.owner)})"
        out.append(("row-outside-table", "", "{=" + name("rows", self.owner) + "-SUM(" + inside + ")}"))
        return out

    def row_filled(self, book: Book) -> str:
        spec = self.spec
        rows = self.rows(cell=False, on_sheet=False)
        return Cell(self.owner, spec, spec.columns[0], rows.col(spec.columns[0].key), rows, book).row_filled

    def row_count(self, book: Book) -> str:
        """Array formula: how many rows of the covered range hold a value (check's rows)."""
        return "{=SUM(" + self.row_filled(book) + "*1)}"

    def category_count(self, book: Book, value_cell: str, raw_cell: str) -> str:
        """Array formula: rows whose category normalised equals the normalised value in `value_cell`
        (`raw_cell`: the value as the dropdown offers it, counted directly when the column is exact)."""
        assert self.spec.category is not None
        rng = self.rows(cell=False, on_sheet=False).col(self.spec.category)
        exact = name("exact", self.owner, self.spec.category)
        return ("{=IF(" + exact + f"=1,COUNTIF({rng},\"=\"&{raw_cell}),SUM((" + norm(book, rng) + "="
                + value_cell + ")*1))}")

    def dates(self) -> tuple[str, str]:
        """Array formulas: real dates in the covered rows, and those in the plan's year."""
        rows = self.rows(cell=False, on_sheet=False)
        cols = [rows.col(c.key) for c in self.spec.columns if c.kind is Kind.DATE]
        every = "+".join(f"{is_date(r)}*1" for r in cols) or "0"
        inside = "+".join(f"{is_date(r)}*({day(r)}>={name('y0')})*({day(r)}<={name('y1')})" for r in cols) or "0"
        return "{=SUM(" + every + ")}", "{=SUM(" + inside + ")}"

    def positive_amounts(self, key: str) -> tuple[str, str]:
        """Array formulas: amounts above zero (as `check` reads them), amounts typed as text."""
        r = self.rows(cell=False, on_sheet=False).col(key)
        positive = f"ISNUMBER({r})*(ABS({num(r)})<{AMOUNT_LIMIT})*(ROUND({num(r)},3)>0)"
        return "{=SUM(" + positive + "*1)}", "{=SUM(ISTEXT(" + r + ")*" + filled(r) + "*1)}"


def cover_cells(book: Book) -> list[tuple[LiveRule, Column, str]]:
    """(rule, field, 0/1 formula) of each rule on a cover field (the field's defined name as its cell)."""
    out = []
    for rule in LIVE_RULES:
        for col in schema.COVER_FIELDS:
            if rule.applies("cover", None, col):
                c = Cell("cover", None, col, schema.cover_name(col.key), None, book)
                out.append((rule, col, flag(rule.test(c))))
    return out


def year_cells() -> dict[str, str]:
    """The plan year's helpers: a valid year (as `check` reads it), its first and last day."""
    y = schema.cover_name("year")
    ok = (f"IF(ISNUMBER({y}),({y}=INT({y}))*({y}>={schema.YEAR_MIN})*({y}<={schema.YEAR_MAX}),0)"
          f"*(1-ISLOGICAL({y}))")
    return {"year_ok": f"={ok}",
            "y0": f"=IF({name('year_ok')}=1,DATE({y},1,1),0)",
            "y1": f"=IF({name('year_ok')}=1,DATE({y},12,31),0)"}

