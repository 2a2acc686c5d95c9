"""Plans followed up during their year, and their rows read back with openpyxl alone (never our reader)."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import range_boundaries

from odplan_xl import schema
from odplan_xl.workbook.example import example_data

STATES = (schema.PROGRESS_DONE, schema.PROGRESS_ONGOING, None, schema.PROGRESS_POSTPONED,
          schema.PROGRESS_CANCELLED, schema.PROGRESS_DONE, schema.PROGRESS_PLANNED)
NOTE = "تأخر بسبب نقص الموارد"


def followed_data() -> dict:
    """The example plan followed up: every state in every followed section, notes on some rows."""
    data = copy.deepcopy(example_data())
    for spec in schema.SECTIONS:
        if not spec.followed_up:
            continue
        for i, row in enumerate(data["sections"][spec.key]):
            row["progress"] = STATES[(i + spec.number) % len(STATES)]
            if i % 3 == 1:
                row["follow_note"] = NOTE
    return data


def table_rows(path: Path, table: str) -> list[dict]:
    """The filled rows of an Excel Table as {column key: value}, by header label (openpyxl alone)."""
    wb = openpyxl.load_workbook(path)
    try:
        for ws in wb.worksheets:
            if table in ws.tables:
                c0, r0, c1, r1 = range_boundaries(ws.tables[table].ref)
                spec = schema.AUTHORS if table == "tbl_authors" else schema.SECTION_BY_TABLE[table]
                by_label = {c.ar: c.key for c in spec.columns}
                cells = list(ws.iter_rows(min_row=r0, max_row=r1, min_col=c0, max_col=c1, values_only=True))
                keys = [by_label.get(v) for v in cells[0]]
                out = []
                for line in cells[1:]:
                    row = {k: (v.date() if isinstance(v, dt.datetime) else v)
                           for k, v in zip(keys, line, strict=True) if k}
                    computed = {c.key for c in spec.columns if c.computed}
                    if any(v not in (None, "") for k, v in row.items() if k not in computed):
                        out.append(row)
                return out
    finally:
        wb.close()
    raise KeyError(table)
