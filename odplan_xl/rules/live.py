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

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from odplan_xl import schema
from odplan_xl.expr import MEMO, Lit, Shared, X, cell_value, fn, formula, ref, refs, truth
from odplan_xl.expr import compile as compile_expr
from odplan_xl.plan.model import Plan, Row
from odplan_xl.plan.reader import SCAN_BELOW
from odplan_xl.codes import CODES
from odplan_xl.schema import Column, Kind, Section

# Rows under a table's rows (as written) that the live layer covers: rows typed under the table or
# added to it. The reader reads as far (SCAN_BELOW), so an unchanged table is covered exactly.
LIVE_MARGIN = SCAN_BELOW
DATE_FIRST, DATE_END, AMOUNT_LIMIT = schema.DATE_FIRST, schema.DATE_END, schema.AMOUNT_LIMIT

NBSP = "\u00a0"           # a NORMALISE entry: the cell the formulas read it from is named live_nbsp
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

    def col(self, key: str) -> X:
        """The cell, or the column's rows down to the last that holds something (INDEX gives the end of
        the range: a count costs the rows typed, not the 2,000 covered). In a Python Scope, a cell of the
        row is the key ("col", column key)."""
        letter = self.letters[key]
        prefix = f"{quote(self.sheet)}!" if self.sheet else ""
        if self.cell:
            return ref(f"{prefix}${letter}{self.first}", ("col", key))
        covered = f"{prefix}${letter}${self.first}:${letter}${self.last}"
        if not self.length:
            return ref(covered, ("range", key))
        return ref(f"{prefix}${letter}${self.first}:INDEX({covered},{self.length})", ("range", key))


# --- the expression vocabulary: every result a number (0 false), safe on any cell value ----------
# A str given for a cell is a reference (as the template writes it); expressions are odplan_xl.expr nodes.

def _r(x: X | str) -> X:
    return x if isinstance(x, X) else ref(x)


def named(*parts: str) -> X:
    """A defined name of the live layer as a reference (its value in a Python Scope: key ("name", …))."""
    return ref(name(*parts), ("name", name(*parts)))


def _length(x: X | str) -> X:
    """How long the cell's text is once cleaned as the reader cleans it: no-break spaces (the lists sheet's
    NORMALISE cell, named live_nbsp: CHAR(160) depends on the code page), tabs, line breaks and other
    control characters (CLEAN) count for nothing, spaces trimmed."""
    return fn("LEN", fn("TRIM", fn("CLEAN", fn("SUBSTITUTE", _r(x), named("nbsp"), " "))))


def filled(x: X | str) -> X:
    return _length(x) > 0


def blank(x: X | str) -> X:
    return _length(x).eq(0)


def num(x: X | str) -> X:
    """The number in x, 0 when x is not one (so INT, ABS, ROUND never meet text)."""
    x = _r(x)
    return fn("IF", fn("ISNUMBER", x), x, 0)


def is_date(x: X | str) -> X:
    """A real date: a number between 1/1/1950 and Excel's last day (booleans are not numbers)."""
    x = _r(x)
    return fn("ISNUMBER", x) * (x >= DATE_FIRST) * (x < DATE_END)


def day(x: X | str) -> X:
    return fn("INT", num(x))


def any_of(*terms: X) -> X:
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total > 0


def not_(x: X) -> X:
    return 1 - x


def norm(book: Book, x: X | str) -> X:
    """The value as `check` compares it with a list: NORMALISE's replacements, trimmed, lower case,
    behind "_" so that no key reads as a number or an operator in COUNTIF."""
    text = _r(x).cat(Lit(""))
    for i, (old, new) in enumerate(book.pairs):
        text = fn("SUBSTITUTE", text, ref(old, ("normalise", i, 0)), ref(new, ("normalise", i, 1)))
    return Lit("_").cat(fn("LOWER", fn("TRIM", text)))


def criterion(key: X) -> X:
    """A COUNTIF criterion matching exactly `key` (wildcards escaped). Cut at 200 characters (Excel's
    limit on criteria is 255): no list value is that long, so a longer value still matches none."""
    escaped = fn("SUBSTITUTE", fn("SUBSTITUTE", fn("SUBSTITUTE", fn("LEFT", key, 200), "~", "~~"), "*", "~*"),
                 "?", "~?")
    return Lit("=").cat(escaped)


def in_list(book: Book, rng: X, x: X | str) -> X:
    return fn("COUNTIF", rng, criterion(norm(book, x))) > 0


# --- what a rule sees of one cell of a table -------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    """One column of one table, as a rule's expression sees it."""

    owner: str                       # "cover", "authors" or a section key
    spec: Section | None             # None on the cover's fields
    column: Column
    v: X                             # the cell (or the column's range, or the cover field's name)
    rows: Rows | None
    book: Book

    def col(self, key: str) -> X:
        assert self.rows is not None
        return self.rows.col(key)

    @property
    def row_filled(self) -> X:
        """The row has a value in a column the officer types in (what makes it a row for `check`)."""
        assert self.spec is not None
        return Shared(any_of(*(filled(self.col(c.key)) for c in self.spec.columns if not c.computed)))

    @property
    def earlier_blank(self) -> X:
        """No column before this one holds a value (this cell is the row's first: where `check` points)."""
        assert self.spec is not None
        before = [c.key for c in self.spec.columns[:self.spec.columns.index(self.column)]]
        return not_(any_of(*(filled(self.col(k)) for k in before))) if before else Lit(1)


Test = Callable[[Cell], X]
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


def _year_outside(c: Cell) -> X:
    return (is_date(c.v) * named("year_ok") * not_(named("mismatch"))
            * ((day(c.v) < named("y0")) + (day(c.v) > named("y1"))))


def _end_before_start(c: Cell) -> X:
    assert c.spec is not None and c.spec.start is not None
    start = c.col(c.spec.start)
    return is_date(c.v) * is_date(start) * (day(c.v) < day(start))


def _bad_choice(c: Cell) -> X:
    rng = ref(c.book.lists[(c.owner, c.column.key)], ("list", c.owner, c.column.key))
    return filled(c.v) * not_(in_list(c.book, rng, c.v))


def _bad_yesno(c: Cell) -> X:
    return filled(c.v) * not_(fn("ISLOGICAL", c.v)) * not_(in_list(c.book, ref(c.book.yesno, ("yesno",)), c.v))


def _flags(c: Cell) -> tuple[str, ...]:
    assert c.spec is not None
    return tuple(k.key for k in c.spec.columns if k.kind is Kind.YESNO)


def _no_criteria(c: Cell) -> X:
    no = ref(c.book.no, ("no",))
    tests = [in_list(c.book, no, c.col(k)) for k in _flags(c)]
    out = tests[0]
    for t in tests[1:]:
        out = out * t
    return out


def _budget_without_activity(c: Cell) -> X:
    key = norm(c.book, c.v)
    empty = fn("SUMIF", ref(c.book.sections_list, ("sections_list",)), criterion(key),
               ref(c.book.sections_empty, ("sections_empty",)))
    return filled(c.v) * (empty > 0)


def _row_outside(c: Cell) -> X:
    assert c.spec is not None
    return c.row_filled * (fn("ROW", c.v) > named("end", c.owner)) * filled(c.v) * c.earlier_blank


def _email(c: Cell) -> X:
    t = fn("TRIM", c.v)
    at = fn("FIND", "@", t)
    domain = fn("MID", t, at + 1, 999)
    ok = ((fn("LEN", t) - fn("LEN", fn("SUBSTITUTE", t, "@", ""))).eq(1) * (fn("IFERROR", at, 1) > 1)
          * fn("ISERROR", fn("FIND", " ", t)) * fn("ISERROR", fn("FIND", fn("CHAR", 10), t))
          * fn("IFERROR", fn("FIND", ".", domain, 2) < fn("LEN", domain), 0))
    return fn("ISTEXT", c.v) * filled(c.v) * not_(ok)


def _update_before(c: Cell) -> X:
    prepared = ref(schema.cover_name("prepared"), ("cover", "prepared"))
    return is_date(c.v) * is_date(prepared) * (day(c.v) < day(prepared))


def _stored(kind: Kind) -> Test:
    """A value a cell of this kind cannot hold as a number, a date or a boolean: schema.STORED_REFUSED,
    the same expression the reader's parsers run on what they read."""
    return lambda c: schema.STORED_REFUSED[kind](c.v)


LIVE_RULES: tuple[LiveRule, ...] = (
    # a section's (or the team's) row
    LiveRule("missing-value", lambda o, s, c: s is not None and c.required and not c.computed,
             lambda c: c.row_filled * blank(c.v)),
    LiveRule("bad-date", _kinds(Kind.DATE), _stored(Kind.DATE)),
    LiveRule("bad-number", _kinds(Kind.INTEGER), _stored(Kind.INTEGER)),
    LiveRule("bad-amount", _kinds(Kind.AMOUNT), _stored(Kind.AMOUNT)),
    LiveRule("negative-amount", _kinds(Kind.AMOUNT, where=lambda o, s, c: o == "budget"),
             lambda c: (fn("ISNUMBER", c.v) * (fn("ABS", num(c.v)) < AMOUNT_LIMIT)
                        * (fn("ROUND", num(c.v), 3) < 0))),
    LiveRule("bad-choice", _kinds(Kind.CHOICE), _bad_choice, fast=lambda c: Lit(0)),
    LiveRule("bad-yesno", _kinds(Kind.YESNO), _bad_yesno, fast=lambda c: Lit(0)),
    LiveRule("end-before-start", lambda o, s, c: s is not None and s.start is not None and c.key == s.end,
             _end_before_start),
    LiveRule("outside-plan-year", _kinds(Kind.DATE, where=_table), _year_outside),
    LiveRule("no-criteria-met", lambda o, s, c: o == "datasets" and c.key == "crit_quality", _no_criteria,
             fast=lambda c: ref("COUNTIFS(" + ",".join(f"{c.col(k)},\"={schema.NO_AR}\"" for k in _flags(c))
                                + ")"),
             fast_columns=lambda c: _flags(c)),
    LiveRule("budget-without-activity", lambda o, s, c: o == "budget" and c.key == "section",
             _budget_without_activity,
             fast=lambda c: ref(f"SUMPRODUCT(COUNTIF({c.v},\"=\"&{c.book.sections_raw})*{c.book.sections_empty})")),
    LiveRule("row-outside-table", lambda o, s, c: s is not None, _row_outside),
    # the cover's fields
    LiveRule("missing-value", lambda o, s, c: s is None and c.required, lambda c: blank(c.v)),
    LiveRule("bad-year", _kinds(Kind.YEAR), _stored(Kind.YEAR)),
    LiveRule("update-before-prepared", lambda o, s, c: s is None and c.key == "updated", _update_before),
    LiveRule("bad-email", _kinds(Kind.EMAIL), _email),
    LiveRule("year-mismatch", lambda o, s, c: s is None and c.key == "year", lambda c: named("mismatch")),
    LiveRule("not-final", lambda o, s, c: s is None and c.key == "status", lambda c: named("not_final")),
    # typed as text: «يُتحقق منه عند الفحص», neither red nor counted as an error
    LiveRule(PENDING, _kinds(Kind.DATE, Kind.AMOUNT, Kind.INTEGER, Kind.YEAR),
             lambda c: fn("ISTEXT", c.v) * filled(c.v)),
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

def flag(test: X | str) -> X:
    """0 or 1 from a rule's expression (a str: a formula's text)."""
    test = test if isinstance(test, X) else ref(f"({test})")
    return (test * 1).ne(0)


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
        block = str(Rows(self.sheet, self.letters, self.first, self.last, False).col(self.spec.columns[0].key))
        end = str(Rows(self.sheet, self.letters, self.first, self.last, False).col(self.spec.columns[-1].key))
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
        return [(rule, c.column, f"={flag(rule.test(c))}") for rule, c in self.cells(book, cell=True, on_sheet=True)]

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
                missing.append(f"{blank(c.v)}")
                continue
            if rule.code == "row-outside-table":
                continue
            full = f"SUM({flag(rule.test(c))}*1)"
            if rule.fast is not None:
                exact = "*".join(f"{name('exact', self.owner, k)}" for k in rule.fast_columns(c))
                full = f"IF({exact}=1,{rule.fast(c)},{full})"
            out.append((rule.code, c.column.key, "{=" + full + "}"))
        if missing:
            out.append(("missing-value", "", f"{{=SUM({self.row_filled(book)}*(" + "+".join(missing) + "))}"))
        first = self.rows(cell=False, on_sheet=False).col(self.spec.columns[0].key)
        inside = f"{self.row_filled(book)}*(ROW({first})<={name('end', self.owner)})"
        out.append(("row-outside-table", "", "{=" + name("rows", self.owner) + "-SUM(" + inside + ")}"))
        return out

    def row_filled(self, book: Book) -> X:
        spec = self.spec
        rows = self.rows(cell=False, on_sheet=False)
        return Cell(self.owner, spec, spec.columns[0], rows.col(spec.columns[0].key), rows, book).row_filled

    def row_count(self, book: Book) -> str:
        """Array formula: how many rows of the covered range hold a value (check's rows)."""
        return f"{{=SUM({self.row_filled(book)}*1)}}"

    def category_count(self, book: Book, value_cell: str, raw_cell: str) -> str:
        """Array formula: rows whose category normalised equals the normalised value in `value_cell`
        (`raw_cell`: the value as the dropdown offers it, counted directly when the column is exact)."""
        assert self.spec.category is not None
        rng = self.rows(cell=False, on_sheet=False).col(self.spec.category)
        exact = name("exact", self.owner, self.spec.category)
        return ("{=IF(" + exact + f"=1,COUNTIF({rng},\"=\"&{raw_cell}),SUM(({norm(book, rng)}="
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
        return "{=SUM(" + positive + "*1)}", f"{{=SUM(ISTEXT({r})*{filled(r)}*1)}}"


def cover_cells(book: Book) -> list[tuple[LiveRule, Column, str]]:
    """(rule, field, 0/1 formula) of each rule on a cover field (the field's defined name as its cell)."""
    out = []
    for rule in LIVE_RULES:
        for col in schema.COVER_FIELDS:
            if rule.applies("cover", None, col):
                c = Cell("cover", None, col, ref(schema.cover_name(col.key), ("cover", col.key)), None, book)
                out.append((rule, col, f"{flag(rule.test(c))}"))
    return out


def year_nodes() -> dict[str, X]:
    """The plan year's helpers: a valid year (a number schema.STORED_REFUSED accepts), its first and
    last day (0 without a valid year)."""
    y = ref(schema.cover_name("year"), ("cover", "year"))
    ok = fn("ISNUMBER", y) * not_(schema.STORED_REFUSED[Kind.YEAR](y))
    return {"year_ok": ok,
            "y0": fn("IF", named("year_ok").eq(1), fn("DATE", y, 1, 1), 0),
            "y1": fn("IF", named("year_ok").eq(1), fn("DATE", y, 12, 31), 0)}


def year_cells() -> dict[str, str]:
    """The year helpers as the lists sheet's formulas."""
    return {key: "=" + formula(x) for key, x in year_nodes().items()}



# --- the same rules run by `check`, in Python -----------------------------------------------------
# `check` decides these codes by running LIVE_RULES' expressions (odplan_xl.expr) on the plan's values as
# a cell holds them: what the reader parsed from text (a date typed «05/03/2027») is a real date there,
# which is `check`'s tolerance; everything else is the workbook's own test, from the same description.
RUN_BY_CHECK = frozenset({"missing-value", "end-before-start", "outside-plan-year", "negative-amount",
                          "no-criteria-met", "budget-without-activity", "update-before-prepared",
                          "bad-email"})
# The others: bad-date, bad-number, bad-amount and bad-year are the reader's (its parsers run
# schema.STORED_REFUSED, the expression these rules write); bad-choice and bad-yesno the reader's
# comparison through schema.NORMALISE (it also folds what formulas cannot: plan/normalize.choice_key);
# row-outside-table, year-mismatch and not-final are about the whole plan (their formulas read names
# the counts compute, `check` computes them from the plan).

class _PyLists(dict):
    """Book.lists for Python: every (owner, column key) has its list (the reference text is not used)."""

    def __missing__(self, key: tuple[str, str]) -> str:
        return "_".join(key) + "_keys"


# The Book the compiled tests are built with: Python reads the keys of its references, not their texts.
_BOOK = Book(pairs=tuple((f"normalise_from_{i}", f"normalise_to_{i}") for i in range(len(schema.NORMALISE))),
             lists=_PyLists(), yesno="yes_no_keys", no="no_keys", sections_list="section_keys",
             sections_empty="section_has_no_row")
_VALUE = ref("value", ("col", "value"))


@dataclass(frozen=True)
class RowTest:
    """A rule's test compiled for `check`, and the cells of the row it reads. A test compiled once for
    every column it applies to reads its own cell as THIS: `column` says which cell that is."""

    test: Callable[[dict[Any, Any]], bool]
    reads: tuple[Any, ...]
    column: Any = None               # the ("col", key) read as THIS

    def __call__(self, scope: dict[Any, Any]) -> bool:
        return self.run(scope)

    @functools.cached_property
    def run(self) -> Callable[[dict[Any, Any]], bool]:
        """The test as one function of a row's scope (THIS bound to the rule's own cell)."""
        test, column = self.test, self.column
        if column is None:
            return test

        def run(scope: dict[Any, Any]) -> bool:
            scope[THIS] = scope.get(column)
            return test(scope)
        return run

    def cached(self) -> Callable[[dict[Any, Any]], bool]:
        """The test remembering its verdict per values of the cells it reads: for the rows of one plan
        (one plan_scope), where the same values come back row after row."""
        memo: dict[tuple[Any, ...], bool] = {}
        reads = self.reads

        def run(scope: dict[Any, Any]) -> bool:
            key = tuple((type(v), v) for v in (scope.get(r) for r in reads))   # 0, 0.0 and False differ
            if key not in memo:
                memo[key] = self.run(scope)
            return memo[key]
        return run


THIS = ("this",)


_COMPILED: dict[str, tuple[Callable[[dict[Any, Any]], bool], set[Any]]] = {}


def _row_test(x: X, column: Any = None) -> RowTest:
    """x compiled with the lists sheet's tables as constants (a part reading one cell and those tables,
    a value normalised and looked up, is computed once per value); once per formula text."""
    text = formula(x)
    if text not in _COMPILED:
        _COMPILED[text] = truth(x, _tables()), refs(x)
    test, keys = _COMPILED[text]
    reads = {column if k == THIS else k for k in keys}
    return RowTest(test, tuple(sorted((k for k in reads if isinstance(k, tuple) and k[0] == "col"), key=str)),
                   column)



def _spec(owner: str) -> Section:
    return schema.AUTHORS if owner == "authors" else schema.section(owner)


@functools.cache
def checks(owner: str) -> dict[str, dict[str, RowTest]]:
    """Code -> column key -> the compiled test of each rule `check` runs (RUN_BY_CHECK) on a row of
    `owner` ("cover": on the cover's fields), in LIVE_RULES' order."""
    out: dict[str, dict[str, RowTest]] = {}
    for rule in LIVE_RULES:
        if rule.code not in RUN_BY_CHECK:
            continue
        if owner == "cover":
            for col in schema.COVER_FIELDS:
                if rule.applies("cover", None, col):
                    c = Cell("cover", None, col, ref(schema.cover_name(col.key), ("cover", col.key)), None, _BOOK)
                    out.setdefault(rule.code, {})[col.key] = _row_test(rule.test(c))
            continue
        spec = _spec(owner)
        rows = Rows("", {c.key: c.key for c in spec.columns}, 1, 1, True)
        for col in spec.columns:
            if rule.applies(owner, spec, col):
                c = Cell(owner, spec, col, ref("THIS", THIS), rows, _BOOK)
                out.setdefault(rule.code, {})[col.key] = _row_test(rule.test(c), ("col", col.key))
    return out


@functools.cache
def _tables() -> dict[Any, Any]:
    """What the lists sheet holds, as the formulas read it: the NORMALISE table, every dropdown's values
    and the yes/no words normalised (by the same expression as in the workbook)."""
    out: dict[Any, Any] = {}
    for i, (old, new) in enumerate(schema.NORMALISE):
        out[("normalise", i, 0)], out[("normalise", i, 1)] = old, new or None
    out[("name", name("nbsp"))] = NBSP
    normalised = compile_expr(norm(_BOOK, _VALUE), dict(out))

    def key(value: str) -> Any:
        return normalised({("col", "value"): value})
    words = [*schema.YES_WORDS, *schema.NO_WORDS]
    out[("yesno",)] = [key(w) for w in words]
    out[("no",)] = [key(w) for w in schema.NO_WORDS]
    for owner, columns in [("cover", schema.COVER_FIELDS), ("authors", schema.AUTHORS.columns),
                           *((s.key, s.columns) for s in schema.SECTIONS)]:
        for col in columns:
            if col.choices:
                out[("list", owner, col.key)] = [key(v) for v in col.choices]
    out[("sections_list",)] = out[("list", "budget", "section")]
    return out


def plan_scope(plan: Plan) -> dict[Any, Any]:
    """The values every rule's test may read besides its row and the lists sheet's tables (constants of
    the compiled tests): the cover's fields, the plan year's helpers, which sections have no row.
    `year-mismatch` is `check`'s own (mismatch: 0)."""
    scope: dict[Any, Any] = {}
    for key, value in plan.cover.items():
        scope[("cover", key)] = cell_value(value)
    for key, x in year_nodes().items():
        scope[("name", name(key))] = compile_expr(x)(scope)
    scope[("name", name("mismatch"))] = 0
    by_sheet = {s.sheet: s.key for s in schema.SECTIONS}
    budget = schema.section("budget").column("section")
    scope[("sections_empty",)] = [int(not plan.sections[by_sheet[v]].rows) if v in by_sheet else 0
                                  for v in budget.choices]
    return scope


def row_scope(base: dict[Any, Any], row: Row) -> dict[Any, Any]:
    """`base` (plan_scope) with a row's values as its cells hold them."""
    scope = dict(base)
    for key, value in row.values.items():
        scope[("col", key)] = cell_value(value)
    scope[MEMO] = {}
    return scope
