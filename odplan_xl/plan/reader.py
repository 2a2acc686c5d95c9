"""Read a plan from a grid source (a file, or the open workbook): the sheets as the officer sees them.

A section's rows are its Excel Table's rows and the rows typed under the table; the cover's fields,
the not-applicable reasons and the introductions are named cells; anything else typed on the cover
or a section sheet is reported at its cell (plan/scan.py), so nothing an officer types is lost.
"""

from __future__ import annotations

import itertools
from typing import Any

from odplan_xl import codes, schema
from odplan_xl.addresses import column_letter, coordinate_to_tuple
from odplan_xl.errors import OdplanError
from odplan_xl.findings import Finding
from odplan_xl.grid import NO_FACTS, GridSource
from odplan_xl.plan import normalize, scan
from odplan_xl.plan.blocks import Block, Place
from odplan_xl.plan.model import Plan, Row, SectionData, validate_row

EXCEL_MAX_TEXT = 32_767
FORMULA_ERRORS = frozenset({"#REF!", "#DIV/0!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!",
                            "#SPILL!", "#CALC!", "#GETTING_DATA"})
HEADER_SCAN_ROWS = 40
MAX_TABLE_ROWS = 50_000
# How far past the tables a sheet is read for rows and text typed outside them: a sheet "used" far
# beyond (formatting dragged to the last row or column) costs no more than this.
SCAN_BELOW = 2_000
SCAN_BESIDE = 30


def read_plan(source: GridSource) -> tuple[Plan, list[Finding]]:
    """The plan in a workbook, and the findings met while reading it (unreadable cells, lost columns...).

    `source` is a grid: a file opened by `xlsx.open_grid` (see `app.check.read`) or the open workbook.
    """
    return _Reader(source).read()


class _Reader:
    def __init__(self, grid: GridSource):
        self.grid = grid
        self.findings: list[Finding] = []
        self.names = {k.lower(): v for k, v in grid.defined_names().items()}
        self.tables = {t.name.lower(): t for t in grid.tables()}
        self.sheets = grid.sheet_names()
        self.blocks: dict[str, Block] = {}
        self.places: dict[str, Place] = {}               # section key -> its table
        self.claimed: dict[str, set[tuple[int, int]]] = {}   # sheet -> cells the plan accounts for
        self._tops: dict[str, list[list[Any]]] = {}          # sheet -> its first rows (header search)

    def read(self) -> tuple[Plan, list[Finding]]:
        cover, cover_cells = self._cover()
        sections = {s.key: self._section(s) for s in schema.SECTIONS}
        authors = self._section(schema.AUTHORS)
        found = sum(1 for s in sections.values() if s.header_cells)
        if not found and not cover_cells:
            raise OdplanError("foreign-workbook", where=self.grid.name)
        plan = Plan(source=self.grid.name, cover=cover, cover_cells=cover_cells, authors=authors,
                    sections=sections)
        scan.copies(self, plan)
        scan.outside_text(self, plan)
        return plan, self.findings

    # --- sheets and cells -------------------------------------------------------------------
    def block(self, sheet: str, *, rows: int = 0, cols: int = 0) -> Block:
        """The sheet's used range (at least `rows` x `cols`), read once and kept."""
        known = self.blocks.get(sheet)
        if known is not None and known.height >= rows and known.width >= cols:
            return known
        max_row, max_col = self.grid.dimensions(sheet)
        tables_end = max((p.r1 + p.totals_rows for p in self.places.values() if p.sheet == sheet), default=0)
        tables_right = max((p.c1 for p in self.places.values() if p.sheet == sheet), default=0)
        max_row = max(min(max_row, max(tables_end, rows, HEADER_SCAN_ROWS) + SCAN_BELOW), rows, 1)
        max_col = max(min(max_col, max(tables_right, cols, 12) + SCAN_BESIDE), cols, 1)
        facts = getattr(self.grid, "sheet_facts", None)
        block = Block(sheet, self.grid.values(sheet, 1, 1, max_row, max_col),
                      facts(sheet) if facts else NO_FACTS, max_row, max_col)
        self.blocks[sheet] = block
        return block

    def claim(self, sheet: str, row: int, col: int) -> None:
        self.claimed.setdefault(sheet, set()).add((row, col))

    def named(self, name: str) -> tuple[Any, str, str] | None:
        """(value, sheet, "C5") of a workbook-scoped named cell, or None when the name is absent."""
        target = self.names.get(name.lower())
        if not target or target[0] not in self.sheets:
            return None
        sheet, cell = target
        row, col = coordinate_to_tuple(cell)
        self.claim(sheet, row, col)
        return self.block(sheet, rows=row, cols=col).get(row, col), sheet, cell

    def clean(self, value: Any, sheet: str, cell: str, field: str, section: str) -> Any:
        """Text made safe (with a warning when something was removed); other values as they are."""
        if not isinstance(value, str):
            return value
        if "#" in value and value.strip() in FORMULA_ERRORS:
            self.findings.append(codes.make("formula-error", sheet=sheet, cell=cell, field=field,
                                            section=section, value=value.strip()))
            return None
        text, removed = normalize.clean_text(value)
        if removed:
            self.findings.append(codes.make("invalid-characters", sheet=sheet, cell=cell, field=field,
                                            section=section))
        if text and len(text) > EXCEL_MAX_TEXT:
            self.findings.append(codes.make("text-too-long", sheet=sheet, cell=cell, field=field,
                                            section=section, n=EXCEL_MAX_TEXT))
            text = text[:EXCEL_MAX_TEXT] + "…"
        return text

    def _uncomputed(self, block: Block, row: int, col: int, field: str, section: str) -> bool:
        """A formula never computed: reported at its cell (its value is unknown, not empty)."""
        if (row, col) not in block.facts.uncomputed:
            return False
        self.findings.append(codes.make("formula-without-result", sheet=block.sheet,
                                        cell=f"{column_letter(col)}{row}", field=field, section=section))
        return True

    # --- cover ------------------------------------------------------------------------------
    def _cover(self) -> tuple[dict[str, Any], dict[str, str]]:
        raw, cells = {}, {}
        for col in schema.COVER_FIELDS:
            got = self.named(schema.cover_name(col.key))
            if got is None:
                if self.names or self.tables:   # a foreign workbook is reported once, as a whole
                    self.findings.append(codes.make("missing-cover-field", sheet=schema.COVER_SHEET,
                                                    field=col.key, field_ar=col.ar, field_fr=col.fr,
                                                    section="cover"))
                continue
            value, sheet, cell = got
            cells[col.key] = f"{sheet}!{cell}"
            block = self.blocks[sheet]
            if self._uncomputed(block, *coordinate_to_tuple(cell), col.key, "cover"):
                value = None
            raw[col.key] = self.clean(value, sheet, cell, col.key, "cover")
        values, failed = validate_row("cover", raw)
        for key, code in failed:
            self._failed("cover", schema.COVER_FIELDS, key, code, raw, cells)
        return {k: v for k, v in values.items() if k in cells}, cells

    def _failed(self, section: str, columns: tuple[schema.Column, ...], key: str, code: str,
                raw: dict[str, Any], cells: dict[str, str]) -> None:
        col = next(c for c in columns if c.key == key)
        sheet, _, cell = cells[key].rpartition("!")
        self.findings.append(codes.make(code, sheet=sheet, cell=cell, field=key, field_ar=col.ar,
                                        field_fr=col.fr, section=section,
                                        value=normalize.as_typed(raw.get(key))))

    # --- sections ---------------------------------------------------------------------------
    def _locate(self, spec: schema.Section) -> Place | None:
        """Where a section's table is: its Excel Table, or else the header row found by its labels."""
        table = self.tables.get(spec.table.lower())
        if table is not None and table.sheet in self.sheets:
            c0, r0, c1, r1 = table.bounds
            return Place(table.sheet, r0, c0, r1 - table.totals_rows, c1, table.name, table.totals_rows)
        # No Table (another office suite may have dropped it): find the header row by its labels.
        candidates = [spec.sheet] if spec.sheet in self.sheets else []
        candidates += [s for s in self.sheets if s not in candidates]
        for sheet in candidates:
            found = self.header_row(sheet, spec)
            if found:
                row, c0, c1 = found
                max_row = self.grid.dimensions(sheet)[0]
                return Place(sheet, row, c0, max(max_row, row), c1)
        return None

    def header_row(self, sheet: str, spec: schema.Section) -> tuple[int, int, int] | None:
        """(row, first col, last col) of a row of the sheet's top that carries most of the section's labels."""
        max_row, max_col = self.grid.dimensions(sheet)
        if not max_row or not max_col:
            return None
        labels = {normalize.choice_key(c.ar) for c in spec.columns}
        # how many labels make a header: counted on the printed columns, the follow-up ones being optional
        enough = max(2, len(spec.printed_columns) // 2 + 1)
        top = self._tops.get(sheet)
        if top is None:
            top = self._tops[sheet] = self.grid.values(sheet, 1, 1, min(max_row, HEADER_SCAN_ROWS),
                                                       min(max_col, 200))
        for i, row in enumerate(top, start=1):
            keys = [normalize.choice_key(str(v)) if v is not None else "" for v in row]
            hits = [j for j, k in enumerate(keys) if k in labels]
            if len(hits) >= enough:
                return i, hits[0] + 1, max(hits) + 1
        return None

    def _section(self, spec: schema.Section) -> SectionData:
        key = spec.key
        data = SectionData(key=key, sheet=spec.sheet)
        place = self._locate(spec)
        if place is None:
            if key != "authors":
                self._named_texts(spec, data)
            self.findings.append(codes.make("missing-section", sheet=spec.sheet, field=spec.table,
                                            field_ar=spec.sheet, field_fr=spec.fr, section=key,
                                            n=spec.number or schema.COVER_SHEET))
            return data
        sheet = data.sheet = place.sheet
        if place.r1 - place.r0 > MAX_TABLE_ROWS:
            # A table stretched far below its data (a whole column selected, then "Format as
            # Table") is read down to the sheet's last used row; only real rows count.
            place.r1 = min(place.r1, max(self.grid.dimensions(sheet)[0], place.r0))
        if place.r1 - place.r0 > MAX_TABLE_ROWS:
            raise OdplanError("too-many-rows", sheet=sheet, n=MAX_TABLE_ROWS,
                              where=f"{self.grid.name}: {sheet}!{column_letter(place.c0)}{place.r0}")
        self.places[key] = place
        if key != "authors":
            self._named_texts(spec, data)
        block = self.block(sheet, rows=place.r1 + place.totals_rows, cols=place.c1)
        self.claimed.setdefault(sheet, set()).update(
            itertools.product(range(place.r0, place.r1 + place.totals_rows + 1), range(place.c0, place.c1 + 1)))
        scan.spread_merges(self, block, place, spec)
        position = self._header(spec, place, block, data)
        letters = {k: column_letter(place.c0 + j) for k, j in position.items()}
        typed = [(c.key, place.c0 + position[c.key]) for c in spec.columns if not c.computed and c.key in position]
        for number in range(place.r0 + 1, place.r1 + 1):
            self._row(spec, block, place, number, typed, letters, data)
        known = {place.c0 + j for j in position.values()}
        for number in scan.rows_below(self, block, place, known):
            if self._row(spec, block, place, number, typed, letters, data):
                first = min(c for c in known if normalize.clean_text(block.get(number, c))[0] is not None)
                self.findings.append(codes.make("row-outside-table", sheet=sheet,
                                                cell=f"{column_letter(first)}{number}", section=key,
                                                row=number))
        scan.computed_cells(self, spec, data, place, block)
        return data

    def _row(self, spec: schema.Section, block: Block, place: Place, number: int,
             typed: list[tuple[str, int]], letters: dict[str, str], data: SectionData) -> bool:
        """Read one row of the section (in or under its table); False when it is blank.

        `typed`: (column key, sheet column) of the columns an officer types in; `letters`: column key
        -> column letter of every column found. Written for speed: it runs once per row of the plan.
        """
        line = block.rows[number - 1] if number <= len(block.rows) else []
        width = len(line)
        raw = {k: line[c - 1] if c <= width else None for k, c in typed}
        uncomputed = block.facts.uncomputed
        if all(v is None or normalize.clean_text(v)[0] is None for v in raw.values()) and not (
                uncomputed and any((number, c) in uncomputed for _, c in typed)):
            return False   # blank rows (in the middle or trailing) carry nothing
        sheet, key = place.sheet, spec.key
        if uncomputed:
            for k, c in typed:
                if self._uncomputed(block, number, c, k, key):
                    raw[k] = None
        for k, v in raw.items():
            if isinstance(v, str):      # only text is cleaned (other values are kept as they are)
                raw[k] = self.clean(v, sheet, f"{letters[k]}{number}", k, key)
        cells_map = {k: f"{sheet}!{letter}{number}" for k, letter in letters.items()}
        values, failed = validate_row(key, raw)
        for k, code in failed:
            self._failed(key, spec.columns, k, code, raw, cells_map)
        row = Row(number=number, values=values, cells=cells_map)
        data.rows.append(row)
        scan.typed_value_warnings(self, spec, row, raw)
        return True

    def _header(self, spec: schema.Section, place: Place, block: Block, data: SectionData) -> dict[str, int]:
        """Column key -> offset from the table's first column, matched by label (reordered columns read)."""
        by_label = {}
        for col in spec.columns:
            by_label[normalize.choice_key(col.ar)] = col.key
            by_label[normalize.choice_key(col.fr)] = col.key
            by_label[normalize.choice_key(col.key)] = col.key
        position: dict[str, int] = {}
        sheet, r0 = place.sheet, place.r0
        for j in range(place.c1 - place.c0 + 1):
            text = normalize.clean_text(block.get(r0, place.c0 + j))[0]
            if text is None:
                continue
            key = by_label.get(normalize.choice_key(text))
            if key and key not in position:
                position[key] = j
                data.header_cells[key] = f"{sheet}!{column_letter(place.c0 + j)}{r0}"
                continue
            if not (text.startswith("Column") or text.startswith("عمود")):
                self.findings.append(codes.make("extra-column", sheet=sheet,
                                                cell=f"{column_letter(place.c0 + j)}{r0}", field=text,
                                                section=spec.key))
            # A column the plan does not know (renamed, added, or grown by Excel when a remark was
            # typed beside the table): what is typed in it is reported cell by cell, not dropped.
            for r in range(r0 + 1, place.r1 + 1):
                self.claimed.get(sheet, set()).discard((r, place.c0 + j))
        for col in spec.columns:
            if col.key not in position and not col.computed and not col.follow_up:
                # the follow-up columns are optional: a workbook without them reads as before
                self.findings.append(codes.make("missing-column", sheet=sheet, field=col.key,
                                                field_ar=col.ar, field_fr=col.fr, section=spec.key))
        return position

    def _named_texts(self, spec: schema.Section, data: SectionData) -> None:
        """The not-applicable reason and the introduction: free text in named cells of the sheet."""
        for name, attr in ((spec.na_name, "na"), (spec.intro_name, "intro")):
            got = self.named(name)
            if got is None:
                continue
            value, sheet, cell = got
            text = self.clean(value, sheet, cell, name, spec.key)
            if text is not None and not isinstance(text, str):
                text = normalize.clean_text(text)[0]
            if attr == "na":
                data.na_reason, data.na_cell = text, f"{sheet}!{cell}"
            else:
                data.intro, data.intro_cell = text, f"{sheet}!{cell}"
