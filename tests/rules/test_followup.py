"""The follow-up columns are optional: a workbook without them reads and checks as before."""

from __future__ import annotations

import datetime as dt

import openpyxl
from openpyxl.utils.cell import get_column_letter, range_boundaries

from odplan_xl import schema
from odplan_xl.app.check import check
from odplan_xl.plan.derived import plan_dates
from odplan_xl.rules.findings import Severity

LATER = dt.date(2028, 6, 1)          # every activity of the 2027 example has ended


def without_follow_up(path):
    """The workbook as the template was before the follow-up: each followed table loses its last two columns."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for name in list(ws.tables):
            table = ws.tables[name]
            spec = schema.SECTION_BY_TABLE.get(name)
            if spec is None or not spec.followed_up:
                continue
            c0, r0, c1, r1 = range_boundaries(table.ref)
            assert [ws.cell(r0, c).value for c in (c1 - 1, c1)] == [c.ar for c in schema.FOLLOW_UP_COLUMNS]
            for c in (c1 - 1, c1):
                for r in range(r0, r1 + 1):
                    ws.cell(r, c).value = None
            table.ref = f"{get_column_letter(c0)}{r0}:{get_column_letter(c1 - 2)}{r1}"
            table.tableColumns = table.tableColumns[:-2]
            table.autoFilter.ref = table.ref
    wb.save(path)
    return path


def test_without_the_columns_nothing_changes(example_path, tmp_path):
    old = tmp_path / "before.xlsx"
    old.write_bytes(example_path.read_bytes())
    without_follow_up(old)
    plan, report = check(old, today=LATER)
    assert report.findings == []
    assert all("progress" not in plan.sections[s.key].header_cells for s in schema.SECTIONS)
    new_plan, _ = check(example_path, today=LATER)
    for spec in schema.SECTIONS:
        assert [{k: v for k, v in r.values.items() if k not in ("progress", "follow_note")}
                for r in plan.sections[spec.key].rows] == \
            [{k: v for k, v in r.values.items() if k not in ("progress", "follow_note")}
             for r in new_plan.sections[spec.key].rows]


def test_with_the_columns_empty_every_ended_activity_is_late(example_path):
    plan, report = check(example_path, today=LATER)
    late = [f for f in report.findings if f.code == "late-activity"]
    followed = {id(r) for s in schema.SECTIONS if s.followed_up for r in plan.sections[s.key].rows}
    dated = {id(r) for r, _, _ in plan_dates(plan) if id(r) in followed}
    assert len(late) == len(dated) > 0
    assert {f.severity for f in report.findings} == {Severity.WARNING}
