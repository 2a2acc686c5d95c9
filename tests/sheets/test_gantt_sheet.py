"""The sheet «مخطط غانت» as a description, from the Gantt model."""

from __future__ import annotations

import pytest
from gantt_plans import D, make_plan, sample_plan

from odplan_xl import schema
from odplan_xl.plan.gantt import GANTT_SECTIONS, build_gantt
from odplan_xl.plan.model import Plan
from odplan_xl.sheets.gantt import NOW_FILL, SECTION_COLOURS, gantt_sheet
from odplan_xl.sheets.spec import internal_link


@pytest.fixture
def hand_plan() -> Plan:
    return sample_plan()


FIRST_MONTH_COL = 6


def spec_row(spec, label):
    return next(r for (r, c), cell in spec.cells.items() if c == 2 and cell.value == label)


def test_sheet_description(hand_plan):
    spec = gantt_sheet(build_gantt(hand_plan), today=D(2027, 6, 15))
    assert spec.title == schema.GANTT_SHEET and spec.rtl and spec.landscape and spec.fit_width
    assert "2027" in spec.cells[(1, 1)].value and spec.cells[(2, 1)].value == "وزارة المثال"
    assert [spec.cells[(5, c)].value for c in range(1, 18)] == [
        "القسم", "النشاط", "المسؤول", "تاريخ البداية", "تاريخ النهاية", *schema.MONTHS_AR]
    row = spec_row(spec, "ورشة تحسيسية")
    fills = [spec.cells[(row, FIRST_MONTH_COL + m)].style.fill for m in range(12)]
    blue = SECTION_COLOURS["inventory"]
    assert [m + 1 for m, f in enumerate(fills) if f == blue] == [3, 4, 5]
    assert spec.cells[(row, 1)].link == internal_link("3. جرد البيانات العمومية!A6") \
        == "#'3. جرد البيانات العمومية'!A6"
    assert spec.cells[(row, 4)].value == D(2027, 3, 10)
    # the current month is marked in the header, and no other month is
    assert [c for c in range(FIRST_MONTH_COL, 18) if spec.cells[(5, c)].style.fill == NOW_FILL] == [11]


def test_no_current_month_marker_in_another_year(hand_plan):
    spec = gantt_sheet(build_gantt(hand_plan), today=D(2026, 6, 15))
    assert all(cell.style.fill != NOW_FILL for cell in spec.cells.values())


def test_legend_and_undated_listed(hand_plan):
    spec = gantt_sheet(build_gantt(hand_plan), today=D(2027, 1, 1))
    column_a = [c.value for (r, col), c in sorted(spec.cells.items()) if col == 1]
    legend = column_a.index("مفتاح الألوان")
    assert column_a[legend + 1:legend + 7] == [schema.section(k).sheet for k in GANTT_SECTIONS]
    undated = column_a.index("أنشطة غير مؤرخة (لا تظهر في المخطط)")
    assert undated > legend
    assert spec_row(spec, "منظومة") > spec.max_row - 2


def test_empty_plan_sheet():
    spec = gantt_sheet(build_gantt(make_plan({}, year=2027)), today=D(2027, 1, 1))
    texts = {c.value for c in spec.cells.values()}
    assert "لا توجد أنشطة مؤرخة في الأقسام 3 و5 و6 و7 و8 و9." in texts


