"""What officers type around the tables: rows under a table, merged cells, computed cells typed over,
copies of a section, and any other text on the cover or a section sheet, each reported at its cell."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from odplan_xl import codes, schema
from odplan_xl.addresses import column_letter, coordinate_to_tuple
from odplan_xl.plan import derived, display, normalize
from odplan_xl.plan.blocks import Block, Place, Reading
from odplan_xl.plan.model import Plan, Row, SectionData


def spread_merges(reader: Reading, block: Block, place: Place, spec: schema.Section) -> None:
    """A vertical merge inside a table gives its value to every row it covers (Excel keeps it in the first)."""
    for r0, c0, r1, c1 in block.facts.merges:
        if r1 == r0 or r0 <= place.r0 or c1 < place.c0 or c0 > place.c1:
            continue          # horizontal, in or above the header, or beside the table
        value = block.get(r0, c0)
        for r in range(r0, r1 + 1):
            for c in range(max(c0, place.c0), min(c1, place.c1) + 1):
                _put(block, r, c, value)
        reader.findings.append(codes.make(
            "merged-cells", sheet=block.sheet, cell=f"{column_letter(c0)}{r0}", section=spec.key,
            value=f"{column_letter(c0)}{r0}:{column_letter(c1)}{r1}"))


def _put(block: Block, row: int, col: int, value: Any) -> None:
    while len(block.rows) < row:
        block.rows.append([])
    line = block.rows[row - 1]
    line.extend([None] * (col - len(line)))
    line[col - 1] = value


def rows_below(reader: Reading, block: Block, place: Place, known: set[int]) -> Iterator[int]:
    """Rows under a table, in its columns, down to the next table of the sheet or the sheet's end.

    Only the cells of the plan's own columns (`known`) are taken; the others are left to be reported.
    """
    start = place.r1 + place.totals_rows + 1
    end = block.height
    for table in reader.tables.values():
        if table.sheet != place.sheet or table.name.lower() == place.table.lower():
            continue
        t_c0, t_r0, t_c1, _ = table.bounds
        if t_r0 >= start and t_c0 <= place.c1 and t_c1 >= place.c0:
            end = min(end, t_r0 - 1)
    for number in range(start, end + 1):
        for c in known:
            reader.claim(place.sheet, number, c)
        yield number


def typed_value_warnings(reader: Reading, spec: schema.Section, row: Row, raw: dict[str, Any]) -> None:
    """Values read by a rule the officer may not have meant: say which reading was used."""
    for col in spec.amount_columns:
        value = raw.get(col.key)
        if isinstance(value, str) and normalize.ambiguous_amount(value):
            amount = row.get(col.key)
            if isinstance(amount, Decimal):
                sheet, _, cell = row.cells[col.key].rpartition("!")
                reader.findings.append(codes.make(
                    "ambiguous-amount", sheet=sheet, cell=cell, field=col.key, section=spec.key,
                    value=value, reading=display.format_amount(amount)))


def computed_cells(reader: Reading, spec: schema.Section, data: SectionData, place: Place,
                   block: Block) -> None:
    """A value typed over a computed cell (the priority, a grand total) that differs from ours."""
    for col in spec.columns:
        if col.computed and col.key in data.header_cells:
            _priorities(reader, spec, data, block, col)
        if col.kind is schema.Kind.AMOUNT:
            _grand_total(reader, spec, data, place, block, col)


def _priorities(reader: Reading, spec: schema.Section, data: SectionData, block: Block,
                col: schema.Column) -> None:
    letter = data.header_cells[col.key].rpartition("!")[2].rstrip("0123456789")
    index = coordinate_to_tuple(f"{letter}1")[1]
    for row in data.rows:
        shown = block.get(row.number, index)
        if shown is None or (row.number, index) in block.facts.formulas:
            continue          # empty, or the formula itself: Excel computes it again on opening
        computed = derived.priority(row)
        try:
            typed = normalize.parse_int(shown)
        except ValueError:
            typed = None
        if typed != computed:
            reader.findings.append(codes.make(
                "computed-overwritten", sheet=block.sheet, cell=f"{letter}{row.number}", field=col.key,
                section=spec.key, value=normalize.clean_text(shown)[0], computed=computed))


def _grand_total(reader: Reading, spec: schema.Section, data: SectionData, place: Place, block: Block,
                 col: schema.Column) -> None:
    got = reader.named(spec.total_name(col.key))
    if got is not None:
        shown, sheet, cell = got
        row, index = coordinate_to_tuple(cell)
    else:                 # a workbook made before the total had a name: the cell after its label
        found = _label_above(block, place, schema.TOTAL_LABEL_AR)
        if found is None:
            return
        row, index = found[0], found[1] + 1
        sheet, cell, shown = block.sheet, f"{column_letter(index)}{row}", block.get(row, index)
        reader.claim(sheet, row, index)
    if shown is None or (row, index) in reader.block(sheet).facts.formulas:
        return
    # what the cell's formula adds up: the amounts of the table's own rows
    computed = sum((r.get(col.key) for r in data.rows
                    if r.number <= place.r1 and isinstance(r.get(col.key), Decimal)), Decimal("0.000"))
    try:
        typed = normalize.parse_amount(shown)
    except ValueError:
        typed = None
    if typed is None or abs(typed - computed) > Decimal("0.0005"):
        reader.findings.append(codes.make(
            "computed-overwritten", sheet=sheet, cell=cell, field=col.key, section=spec.key,
            value=normalize.clean_text(shown)[0], computed=display.format_amount(computed)))


def _label_above(block: Block, place: Place, label: str) -> tuple[int, int] | None:
    for r in range(1, place.r0):
        for c, value in enumerate(block.rows[r - 1] if r <= len(block.rows) else [], start=1):
            if isinstance(value, str) and value.strip() == label:
                return r, c
    return None


# --- a section present twice ---------------------------------------------------------------------

def copies(reader: Reading, plan: Plan) -> None:
    """A second table or a copied sheet of a section: an error at the copy; the original is read."""
    ours = {s.table.lower() for s in (*schema.SECTIONS, schema.AUTHORS)}
    used = {p.sheet for p in reader.places.values()}
    for spec in schema.SECTIONS:
        place = reader.places.get(spec.key)
        if place is None:
            continue
        table_name = spec.table.lower()
        flagged = set()
        for name, table in reader.tables.items():
            if name == place.table.lower() or table.sheet not in reader.sheets:
                continue
            c0, r0, c1, r1 = table.bounds
            alike = _suffixed(name, table_name, _NUMBERED) or (
                name not in ours and reader.header_row(table.sheet, spec) is not None
                and reader.header_row(table.sheet, spec)[0] == r0)
            if not alike:
                continue
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    reader.claim(table.sheet, r, c)
            flagged.add(table.sheet)
            _copy(reader, spec, place, table.sheet, f"{column_letter(c0)}{r0}")
        for sheet in reader.sheets:
            if sheet in flagged or sheet in used or sheet in _OWN_SHEETS:
                continue
            header = reader.header_row(sheet, spec)
            if header is not None:
                _copy(reader, spec, place, sheet, f"{column_letter(header[1])}{header[0]}")
            elif _suffixed(sheet, spec.sheet, _COPY_NUMBER):
                _copy(reader, spec, place, sheet, "")


# What a copy adds to the name: Excel's "tbl_datasets2", "tbl_datasets_2"; a sheet copied "3. جرد (2)"
_NUMBERED = re.compile(r"[_ ]?\d+")
_COPY_NUMBER = re.compile(r" ?\(\d+\)")


def _suffixed(name: str, original: str, suffix: re.Pattern[str]) -> bool:
    return name.startswith(original) and suffix.fullmatch(name, len(original)) is not None


# Sheets the template and the buttons write, never copies of a section.
_OWN_SHEETS = frozenset({schema.GUIDE_SHEET, schema.META_SHEET, schema.GANTT_SHEET, schema.REPORT_SHEET,
                         "lists", "xlwings.conf", "odplan_marks"})


def _copy(reader: Reading, spec: schema.Section, place: Place, sheet: str, cell: str) -> None:
    shown = sheet if sheet != place.sheet else f"{sheet}!{cell}"
    reader.findings.append(codes.make("duplicate-section", sheet=sheet, cell=cell, section=spec.key,
                                      n=spec.number, value=shown, other=place.sheet))


# --- anything else typed on the cover or a section sheet ------------------------------------------

def outside_text(reader: Reading, plan: Plan) -> None:
    """Every non-empty cell of the cover and the section sheets that the plan does not account for."""
    sheets: dict[str, set[str]] = {}
    if schema.COVER_SHEET in reader.sheets:
        sheets.setdefault(schema.COVER_SHEET, set()).add("cover")
    for spec in schema.SECTIONS:
        place = reader.places.get(spec.key)
        sheet = place.sheet if place else (spec.sheet if spec.sheet in reader.sheets else None)
        if sheet:
            sheets.setdefault(sheet, set()).add(spec.key)
    authors = reader.places.get("authors")
    if authors:
        sheets.setdefault(authors.sheet, set()).add("cover")
    for name, (sheet, cell) in reader.names.items():
        if name.startswith("live_"):      # the workbook's own check: panel figures, status lines
            reader.claim(sheet, *coordinate_to_tuple(cell))
    for sheet, keys in sheets.items():
        known = {normalize.choice_key(t) for k in keys for t in schema.template_texts(k)}
        claimed = reader.claimed.get(sheet, set())
        section = "cover" if "cover" in keys else min(keys)
        block = reader.block(sheet)
        for r, line in enumerate(block.rows, start=1):
            for c, value in enumerate(line, start=1):
                if value is None or (r, c) in claimed:
                    continue
                text = normalize.clean_text(value)[0]
                if text is None or normalize.choice_key(text) in known:
                    continue
                reader.findings.append(codes.make("text-outside-tables", sheet=sheet,
                                                  cell=f"{column_letter(c)}{r}", section=section,
                                                  value=text))
