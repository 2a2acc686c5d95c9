"""`gantt()` (`odplan-xl gantt`): a new workbook = the plan + the sheet «مخطط غانت», the plan never re-saved."""

from __future__ import annotations

import openpyxl
import pytest
from gantt_plans import D, data_months, label_key, odd_data, written_row

from odplan_xl import schema
from odplan_xl.app.gantt import gantt as gantt_workbook
from odplan_xl.errors import OdplanError
from odplan_xl.sheets.gantt import NOW_FILL, SECTION_COLOURS
from odplan_xl.workbook.example import example_data

FIRST_MONTH_COL = 6


def test_write_gantt_from_the_example(example_path, tmp_path):
    before = example_path.read_bytes()
    out = gantt_workbook(example_path, tmp_path / "with_gantt.xlsx", today=D(2027, 4, 20))
    assert example_path.read_bytes() == before
    plan_sheets = openpyxl.load_workbook(example_path, read_only=True).sheetnames
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [*plan_sheets, schema.GANTT_SHEET]
    ws = wb[schema.GANTT_SHEET]
    assert ws.sheet_view.rightToLeft is True
    assert [ws.cell(5, FIRST_MONTH_COL + m).value for m in range(12)] == list(schema.MONTHS_AR)
    assert ws.cell(5, FIRST_MONTH_COL + 3).fill.fgColor.rgb == "FF" + NOW_FILL        # April
    data = example_data()["sections"]
    for key in ("inventory", "tools", "reuse", "communication"):
        for values in data[key][:3]:
            start, end = values[schema.section(key).start], values.get(schema.section(key).end or "")
            row = written_row(ws, values[label_key(key)])
            filled = [m + 1 for m in range(12)
                      if ws.cell(row, FIRST_MONTH_COL + m).fill.fgColor.rgb == "FF" + SECTION_COLOURS[key]]
            assert filled == data_months(start, end or start), values[label_key(key)]
            assert ws.cell(row, 1).value == schema.section(key).sheet
            assert ws.cell(row, 4).value.date() == start


def test_write_gantt_default_name_and_refusals(example_path, tmp_path):
    plan = tmp_path / "خطة 2027.xlsx"
    plan.write_bytes(example_path.read_bytes())
    out = gantt_workbook(plan)
    assert out == tmp_path / "خطة 2027_gantt.xlsx" and out.exists()
    with pytest.raises(OdplanError) as err:
        gantt_workbook(plan, plan)
    assert err.value.code == "output-is-input"
    assert plan.read_bytes() == example_path.read_bytes()
    # the Gantt of a workbook that already has one replaces it
    again = gantt_workbook(out, tmp_path / "again.xlsx")
    assert openpyxl.load_workbook(again).sheetnames.count(schema.GANTT_SHEET) == 1


def test_officer_text_stays_text(make_workbook, tmp_path):
    out = gantt_workbook(make_workbook(odd_data()), tmp_path / "out.xlsx", today=D(2030, 1, 1))
    ws = openpyxl.load_workbook(out)[schema.GANTT_SHEET]
    label = ws.cell(written_row(ws, "=SUM(1,2)"), 2)
    responsible = ws.cell(written_row(ws, "نشاط بتاريخ غير صالح"), 3)
    assert (label.data_type, label.value) == ("s", "=SUM(1,2)")
    assert (responsible.data_type, responsible.value) == ("s", "=1+1")
    assert ws.cell(written_row(ws, "نشاط بتاريخ غير صالح"), 4).value == "32/13/2027"
    assert all(c.fill.fgColor.rgb != "FF" + NOW_FILL for row in ws.iter_rows() for c in row)


