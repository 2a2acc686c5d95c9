"""A Word table read against a section's columns: its header row, the rows that only title, totals, cells."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from odplan_xl import schema
from odplan_xl.importer import columns, values
from odplan_xl.importer.clues import TOTAL_WORDS
from odplan_xl.importer.headings import norm
from odplan_xl.plan.normalize import ascii_digits

_MONTHS = frozenset(norm(m) for m in schema.MONTHS_AR)
# How many month names a header needs to be the Gantt chart the plan's document draws.
GANTT_MONTHS = 6


@dataclass
class Header:
    index: int                   # the header's row in the table
    mapping: dict[int, str]      # cell index -> column key
    labels: list[str]            # the header's texts
    gantt: bool = False          # a Gantt chart: month columns, computed

    @property
    def by_column(self) -> dict[str, int]:
        return {c: i for i, c in self.mapping.items()}


@dataclass
class RowValues:
    row: dict[str, Any] = field(default_factory=dict)
    leftovers: list[tuple[int, str]] = field(default_factory=list)   # (cell index, text) with no column
    warnings: list[str] = field(default_factory=list)


def main_column(sec: schema.Section) -> str:
    return sec.activity or sec.columns[0].key


_PLACEHOLDER = re.compile(r"[-–—_.…/\\]+")


def cell_texts(rows: list[list[str]]) -> list[list[str]]:
    """Fields typed between tabs, a placeholder («-», «—», «…») for an empty one counting as empty."""
    return [["" if _PLACEHOLDER.fullmatch(t) else t for t in row] for row in rows]


def orient(texts: list[list[str]], sec: schema.Section) -> tuple[list[list[str]], bool]:
    """A table written with its labels in the first column (one item per further column) turned the
    usual way round: (texts, whether it was turned)."""
    width = max((len(r) for r in texts), default=0)
    if width < 2 or len(texts) < 2:
        return texts, False
    first = [r[0] if r else "" for r in texts]
    by_column = columns.map_header(first, sec.key)
    by_row = columns.map_header(texts[0], sec.key)
    labelled = [t for t in first if t]
    if len(by_column) >= 2 and len(by_column) > len(by_row) and len(by_column) * 3 >= len(labelled) * 2:
        return [[r[j] if j < len(r) else "" for r in texts] for j in range(width)], True
    return texts, False


def find_header(texts: list[list[str]], sec: schema.Section) -> Header | None:
    """The first of the first four rows whose labels name the section's columns (merged title rows skipped)."""
    main = main_column(sec)
    for i, row in enumerate(texts[:4]):
        if len({t for t in row if t}) <= 1 and len(row) > 1:
            continue                             # a merged title row
        m = columns.map_header(row, sec.key)
        if m and (main in m.values() or len(m) >= 2):
            header = Header(i, m, list(row))
            if sum(1 for t in row if norm(t) in _MONTHS) >= GANTT_MONTHS:
                header.mapping = {j: c for j, c in m.items() if norm(row[j]) not in _MONTHS}
                header.gantt = True
            if main not in header.mapping.values():
                free = [j for j, t in enumerate(row) if j not in header.mapping and t]
                if free:
                    header.mapping[free[0]] = main
            return header
    return None


def is_month_column(header: Header, i: int) -> bool:
    return header.gantt and i < len(header.labels) and norm(header.labels[i]) in _MONTHS


_SOURCES = frozenset(norm(s) for s in (*schema.FUNDING_SOURCES, schema.UNSPECIFIED_SOURCE_AR))


def is_totals_table(header: Header, sec: schema.Section, texts: list[list[str]]) -> bool:
    """The budget's totals per funding source, which the plan's document computes: a source and an amount
    per row, each row a funding source or a total (a budget whose lines have no activity label is not)."""
    if sec.key != "budget" or not set(header.mapping.values()) <= {"source", "amount"}:
        return False
    col = header.by_column.get("source")
    body = [r for r in texts[header.index + 1:] if any(r)]
    return col is not None and all(col < len(r) and (norm(r[col]) in _SOURCES or norm(r[col]) in TOTAL_WORDS
                                                     or not r[col]) for r in body)


def is_undated_list(header: Header, sec: schema.Section) -> bool:
    """The calendar's list of activities without a start date that the plan's document adds."""
    col = header.by_column.get("section")
    return sec.key == "calendar" and col is not None and norm(header.labels[col]) == norm("القسم")


def is_total_row(row_texts: list[str], header: Header, sec: schema.Section) -> bool:
    """A totals row («المجموع», «المجموع العام»): computed, not a line of the plan."""
    main = header.by_column.get(main_column(sec))
    first = row_texts[main] if main is not None and main < len(row_texts) else ""
    return norm(first) in TOTAL_WORDS or any(norm(t) in TOTAL_WORDS for t in row_texts[:1])


def lone_text(row_texts: list[str], header: Header, sec: schema.Section) -> str | None:
    """The one text of a row that only titles what follows (merged across, or alone beside an empty main)."""
    filled = [t for t in row_texts if t]
    distinct = set(filled)
    if len(distinct) == 1 and len(row_texts) > 1 and len(filled) != 1:
        return filled[0]
    main = header.by_column.get(main_column(sec))
    if len(row_texts) > 2 and len(filled) == 1 and main is not None and not row_texts[main]:
        return filled[0]
    return None


def row_values(sec: schema.Section, header: Header, row_texts: list[str]) -> RowValues:
    """A body row's cells as the columns' values; cells under no column are left over, never dropped."""
    out = RowValues()
    by_col = header.by_column
    main = main_column(sec)
    for i, t in enumerate(row_texts):
        if not t:
            continue
        key = header.mapping.get(i)
        if key is None:
            if not is_month_column(header, i):
                out.leftovers.append((i, t))
            continue
        col = sec.column(key)
        if col.computed:
            if not re.fullmatch(r"\d/\d", ascii_digits(t)):
                out.leftovers.append((i, t))
            continue
        if header.gantt and key == main:
            t = t.rstrip(" *")
        v = values.cell_value(t, col, out.warnings, end=key == sec.end)
        if col.kind is schema.Kind.DATE and sec.end and key == sec.start and sec.end not in by_col:
            spans = values.find_dates(t)
            if spans:
                out.row[sec.end] = spans[-1].end
        if v is not None:
            out.row[key] = v
    return out
