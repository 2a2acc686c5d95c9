"""Read a plan from a grid source (a file through openpyxl, or a live workbook): rows with cell addresses."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from odplan_xl import schema
from odplan_xl.errors import OdplanError
from odplan_xl.plan import normalize
from odplan_xl.plan.model import Plan, Row, SectionData, validate_row
from odplan_xl.rules import codes
from odplan_xl.rules.findings import Finding
from odplan_xl.sheets.spec import column_letter, coordinate_to_tuple

EXCEL_MAX_TEXT = 32_767
FORMULA_ERRORS = frozenset({"#REF!", "#DIV/0!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!",
                            "#SPILL!", "#CALC!", "#GETTING_DATA"})
HEADER_SCAN_ROWS = 40
MAX_TABLE_ROWS = 50_000


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


class GridSource(Protocol):
    """What the reader needs of a workbook: the file adapter (xlsx/read.py) and the live one (excel/grid.py)."""

    name: str

    def sheet_names(self) -> list[str]: ...
    def tables(self) -> list[TableRef]: ...
    def defined_names(self) -> dict[str, tuple[str, str]]: ...
    def values(self, sheet: str, min_row: int, min_col: int, max_row: int,
               max_col: int) -> list[list[Any]]: ...
    def dimensions(self, sheet: str) -> tuple[int, int]: ...


def read_plan(source: GridSource | str | Path) -> tuple[Plan, list[Finding]]:
    """The plan in a workbook, and the findings met while reading it (unreadable cells, lost columns...)."""
    if isinstance(source, str | Path):
        from odplan_xl.xlsx import (
            open_grid,  # the file adapter; the live workbook passes its own source
        )

        grid = open_grid(source)
        try:
            return _Reader(grid).read()
        finally:
            grid.close()
    return _Reader(source).read()


class _Reader:
    def __init__(self, grid: GridSource):
        self.grid = grid
        self.findings: list[Finding] = []
        self.names = {k.lower(): v for k, v in grid.defined_names().items()}
        self.tables = {t.name.lower(): t for t in grid.tables()}
        self.sheets = grid.sheet_names()

    def read(self) -> tuple[Plan, list[Finding]]:
        cover, cover_cells = self._cover()
        sections = {s.key: self._section(s) for s in schema.SECTIONS}
        authors = self._section(schema.AUTHORS)
        found = sum(1 for s in sections.values() if s.header_cells)
        if not found and not cover_cells:
            raise OdplanError("foreign-workbook", where=self.grid.name)
        plan = Plan(source=self.grid.name, cover=cover, cover_cells=cover_cells, authors=authors,
                    sections=sections)
        return plan, self.findings

    # --- cells ------------------------------------------------------------------------------
    def _cells(self, wanted: dict[str, tuple[str, str]]) -> dict[str, tuple[Any, str, str]]:
        """Values of single named cells, reading each sheet's bounding box once: key -> (value, sheet, cell)."""
        by_sheet: dict[str, list[tuple[str, int, int, str]]] = defaultdict(list)
        for key, (sheet, cell) in wanted.items():
            if sheet in self.sheets:
                row, col = coordinate_to_tuple(cell)
                by_sheet[sheet].append((key, row, col, cell))
        out = {}
        for sheet, items in by_sheet.items():
            r0, r1 = min(i[1] for i in items), max(i[1] for i in items)
            c0, c1 = min(i[2] for i in items), max(i[2] for i in items)
            block = self.grid.values(sheet, r0, c0, r1, c1)
            for key, row, col, cell in items:
                value = block[row - r0][col - c0] if row - r0 < len(block) else None
                out[key] = (value, sheet, cell)
        return out

    def _clean(self, value: Any, sheet: str, cell: str, field: str, section: str) -> Any:
        """Text made safe (with a warning when something was removed); other values as they are."""
        if not isinstance(value, str):
            return value
        if value.strip() in FORMULA_ERRORS:
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

    # --- cover ------------------------------------------------------------------------------
    def _cover(self) -> tuple[dict[str, Any], dict[str, str]]:
        wanted = {}
        for col in schema.COVER_FIELDS:
            target = self.names.get(schema.cover_name(col.key).lower())
            if target:
                wanted[col.key] = target
        got = self._cells(wanted)
        raw, cells = {}, {}
        for col in schema.COVER_FIELDS:
            if col.key not in got:
                if wanted or self.tables:   # a foreign workbook is reported once, as a whole
                    self.findings.append(codes.make("missing-cover-field", sheet=schema.COVER_SHEET,
                                                    field=col.key, field_ar=col.ar, field_fr=col.fr,
                                                    section="cover"))
                continue
            value, sheet, cell = got[col.key]
            cells[col.key] = f"{sheet}!{cell}"
            raw[col.key] = self._clean(value, sheet, cell, col.key, "cover")
        values, failed = validate_row("cover", raw)
        for key, code in failed:
            self._failed("cover", schema.COVER_FIELDS, key, code, raw, cells)
        return {k: v for k, v in values.items() if k in cells}, cells

    def _failed(self, section: str, columns: tuple[schema.Column, ...], key: str, code: str,
                raw: dict[str, Any], cells: dict[str, str]) -> None:
        col = next(c for c in columns if c.key == key)
        sheet, _, cell = cells[key].rpartition("!")
        self.findings.append(codes.make(code, sheet=sheet, cell=cell, field=key, field_ar=col.ar,
                                        field_fr=col.fr, section=section, value=raw.get(key)))

    # --- sections ---------------------------------------------------------------------------
    def _locate(self, spec: schema.Section) -> tuple[str, int, int, int, int] | None:
        """(sheet, min_row, min_col, max_row, max_col) of a section's table, header row included."""
        table = self.tables.get(spec.table.lower())
        if table is not None and table.sheet in self.sheets:
            c0, r0, c1, r1 = table.bounds
            return table.sheet, r0, c0, r1 - table.totals_rows, c1
        # No Table (another office suite may have dropped it): find the header row by its labels.
        labels = {normalize.choice_key(c.ar) for c in spec.columns}
        candidates = [spec.sheet] if spec.sheet in self.sheets else []
        candidates += [s for s in self.sheets if s not in candidates]
        for sheet in candidates:
            max_row, max_col = self.grid.dimensions(sheet)
            if not max_row or not max_col:
                continue
            top = self.grid.values(sheet, 1, 1, min(max_row, HEADER_SCAN_ROWS), min(max_col, 200))
            for i, row in enumerate(top, start=1):
                keys = [normalize.choice_key(str(v)) if v is not None else "" for v in row]
                hits = [j for j, k in enumerate(keys) if k in labels]
                if len(hits) >= max(2, len(labels) // 2 + 1):
                    return sheet, i, hits[0] + 1, max_row, max(hits) + 1
        return None

    def _section(self, spec: schema.Section) -> SectionData:
        key = spec.key
        data = SectionData(key=key, sheet=spec.sheet)
        na = self.names.get(spec.na_name.lower()) if key != "authors" else None
        where = self._locate(spec)
        if where is None or (na and na[0] != where[0]):
            self._not_applicable(spec, data, na)
        if where is None:
            self.findings.append(codes.make("missing-section", sheet=spec.sheet, field=spec.table,
                                            field_ar=spec.sheet, field_fr=spec.fr, section=key,
                                            n=spec.number or schema.COVER_SHEET))
            return data
        sheet, r0, c0, r1, c1 = where
        data.sheet = sheet
        if r1 - r0 > MAX_TABLE_ROWS:
            # A table stretched far below its data (a whole column selected, then "Format as
            # Table") is read down to the sheet's last used row; only real rows count.
            r1 = min(r1, max(self.grid.dimensions(sheet)[0], r0))
        if r1 - r0 > MAX_TABLE_ROWS:
            raise OdplanError("too-many-rows", sheet=sheet, n=MAX_TABLE_ROWS, where=f'{self.grid.name}: {sheet}!{column_letter(c0)}{r0}')
        # One pass over the sheet for the not-applicable cell above the table and the table itself
        # (each read streams the sheet's XML from its start).
        top, left, right = r0, c0, c1
        na_at = coordinate_to_tuple(na[1]) if na and na[0] == sheet else None
        if na_at:
            top, left, right = min(r0, na_at[0]), min(c0, na_at[1]), max(c1, na_at[1])
        big = self.grid.values(sheet, top, left, r1, right)
        if na_at:
            row = big[na_at[0] - top] if na_at[0] - top < len(big) else []
            self._set_na(spec, data, row[na_at[1] - left] if na_at[1] - left < len(row) else None,
                         sheet, na[1])
        block = [r[c0 - left:c1 - left + 1] for r in big[r0 - top:]]
        header, body = (block[0] if block else []), block[1:]
        position = self._header(spec, sheet, r0, c0, header, data)
        letters = {k: column_letter(c0 + j) for k, j in position.items()}
        typed = [c.key for c in spec.columns if not c.computed and c.key in position]
        for offset, cells in enumerate(body):
            number = r0 + 1 + offset
            raw = {k: cells[position[k]] if position[k] < len(cells) else None for k in typed}
            if all(normalize.clean_text(v)[0] is None for v in raw.values()):
                continue   # blank rows (in the middle or trailing) carry nothing
            addr = {k: f"{letters[k]}{number}" for k in position}
            raw = {k: self._clean(v, sheet, addr[k], k, key) for k, v in raw.items()}
            cells_map = {k: f"{sheet}!{a}" for k, a in addr.items()}
            values, failed = validate_row(key, raw)
            for k, code in failed:
                self._failed(key, spec.columns, k, code, raw, cells_map)
            data.rows.append(Row(number=number, values=values, cells=cells_map))
        return data

    def _header(self, spec: schema.Section, sheet: str, r0: int, c0: int, header: list[Any],
                data: SectionData) -> dict[str, int]:
        """Column key -> index in the block, matched by label (so reordered columns still read)."""
        by_label = {}
        for col in spec.columns:
            by_label[normalize.choice_key(col.ar)] = col.key
            by_label[normalize.choice_key(col.fr)] = col.key
            by_label[normalize.choice_key(col.key)] = col.key
        position: dict[str, int] = {}
        for j, value in enumerate(header):
            text = normalize.clean_text(value)[0]
            if text is None:
                continue
            key = by_label.get(normalize.choice_key(text))
            if key and key not in position:
                position[key] = j
                data.header_cells[key] = f"{sheet}!{column_letter(c0 + j)}{r0}"
            elif not (text.startswith("Column") or text.startswith("عمود")):
                self.findings.append(codes.make("extra-column", sheet=sheet,
                                                cell=f"{column_letter(c0 + j)}{r0}", field=text,
                                                section=spec.key))
        for col in spec.columns:
            if col.key not in position and not col.computed:
                self.findings.append(codes.make("missing-column", sheet=sheet, field=col.key,
                                                field_ar=col.ar, field_fr=col.fr, section=spec.key))
        return position

    def _not_applicable(self, spec: schema.Section, data: SectionData,
                        target: tuple[str, str] | None) -> None:
        if not target:
            return
        got = self._cells({"na": target})
        if "na" in got:
            self._set_na(spec, data, *got["na"])

    def _set_na(self, spec: schema.Section, data: SectionData, value: Any, sheet: str, cell: str) -> None:
        data.na_reason = self._clean(value, sheet, cell, spec.na_name, spec.key)
        if data.na_reason is not None and not isinstance(data.na_reason, str):
            data.na_reason = normalize.clean_text(data.na_reason)[0]
        data.na_cell = f"{sheet}!{cell}"
