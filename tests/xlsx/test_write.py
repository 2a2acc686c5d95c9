"""Sheets written with openpyxl into a copy of a workbook: the source untouched, the parts kept."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from gantt_plans import D, make_plan, make_row, sample_plan, written_row

from odplan_xl import schema
from odplan_xl.app.gantt import gantt as gantt_workbook
from odplan_xl.errors import OdplanError
from odplan_xl.plan.gantt import build_gantt
from odplan_xl.sheets.gantt import SECTION_COLOURS, gantt_sheet
from odplan_xl.workbook.example import example_data
from odplan_xl.xlsx.write import _targets, write_sheet_copy

FIRST_MONTH_COL = 6


@pytest.fixture
def hand_plan():
    return sample_plan()


@pytest.fixture
def small_book(tmp_path):
    path = tmp_path / "plan.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = schema.COVER_SHEET
    wb.active["B2"] = "قيمة أصلية"
    wb.create_sheet("ملاحظات")["A1"] = 7
    wb.save(path)
    return path


def test_written_sheet(small_book, hand_plan, tmp_path):
    before = small_book.read_bytes()
    out = write_sheet_copy(small_book, tmp_path / "out.xlsx",
                           gantt_sheet(build_gantt(hand_plan), today=D(2027, 6, 15)))
    assert small_book.read_bytes() == before
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [schema.COVER_SHEET, "ملاحظات", schema.GANTT_SHEET]
    assert wb[schema.COVER_SHEET]["B2"].value == "قيمة أصلية" and wb["ملاحظات"]["A1"].value == 7
    ws = wb[schema.GANTT_SHEET]
    assert ws.sheet_view.rightToLeft is True
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    row = written_row(ws, "ورشة تحسيسية")
    filled = [m + 1 for m in range(12) if ws.cell(row, FIRST_MONTH_COL + m).fill.fgColor.rgb
              == "FF" + SECTION_COLOURS["inventory"]]
    assert filled == [3, 4, 5]
    start = ws.cell(row, 4)
    assert start.value.date() == D(2027, 3, 10) and start.number_format == "dd/mm/yyyy"
    assert ws.cell(row, 1).hyperlink.location == "'3. جرد البيانات العمومية'!A6"
    reuse = written_row(ws, "مسابقة")
    assert ws.cell(reuse, FIRST_MONTH_COL + 11).fill.fgColor.rgb == "FF" + SECTION_COLOURS["reuse"]


def test_formula_like_text_stays_text(small_book, hand_plan, tmp_path):
    out = write_sheet_copy(small_book, tmp_path / "out.xlsx",
                           gantt_sheet(build_gantt(hand_plan), today=D(2027, 6, 15)))
    ws = openpyxl.load_workbook(out)[schema.GANTT_SHEET]
    cell = ws.cell(written_row(ws, '=HYPERLINK("x")'), 2)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("x")'


def test_rewriting_replaces_the_sheet_in_place(small_book, hand_plan, tmp_path):
    first = write_sheet_copy(small_book, tmp_path / "one.xlsx",
                             gantt_sheet(build_gantt(hand_plan), today=D(2027, 6, 15)))
    wb = openpyxl.load_workbook(first)
    wb.move_sheet(schema.GANTT_SHEET, offset=-2)      # the officer moved it first
    wb.save(first)
    smaller = make_plan({"tools": [make_row("tools", 6, tool="وحيدة", start=D(2027, 2, 1),
                                            end=D(2027, 2, 2))]})
    second = write_sheet_copy(first, tmp_path / "two.xlsx", gantt_sheet(build_gantt(smaller)))
    wb = openpyxl.load_workbook(second)
    assert wb.sheetnames == [schema.GANTT_SHEET, schema.COVER_SHEET, "ملاحظات"]
    labels = {c.value for row in wb[schema.GANTT_SHEET].iter_rows() for c in row}
    assert "وحيدة" in labels and "ورشة تحسيسية" not in labels


@pytest.mark.parametrize("name, code", [("plan.xlsx", "output-is-input"),
                                        ("out.xlsm", "output-extension"),
                                        ("out.ods", "output-extension")])
def test_refused_outputs(small_book, hand_plan, name, code):
    before = small_book.read_bytes()
    with pytest.raises(OdplanError) as err:
        write_sheet_copy(small_book, small_book.with_name(name), gantt_sheet(build_gantt(hand_plan)))
    assert err.value.code == code
    assert small_book.read_bytes() == before
    assert sorted(p.name for p in small_book.parent.iterdir()) == ["plan.xlsx"]


def package_targets_missing(path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        return sorted(t for rels in names if rels.endswith(".rels")
                      for t in _targets(rels, z.read(rels)) if t not in names)


def test_xlsm_keeps_macros_and_buttons(make_workbook, tmp_path):
    src = make_workbook(example_data(), "plan.xlsm")
    out = gantt_workbook(src, today=D(2027, 1, 1))
    assert out.name == "plan_gantt.xlsm"
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        assert b.read("xl/vbaProject.bin") == a.read("xl/vbaProject.bin")
        vml = sorted(n for n in a.namelist() if n.endswith(".vml"))
        assert len(vml) > 9                                      # buttons on more than nine sheets
        assert [b.read(n) for n in vml] == [a.read(n) for n in vml]
    assert package_targets_missing(out) == []
    assert openpyxl.load_workbook(out, keep_vba=True).sheetnames[-1] == schema.GANTT_SHEET
