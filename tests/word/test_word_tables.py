"""Tables: the Gantt months, long tables split in chunks with their header repeated."""

from __future__ import annotations

import docx
import pytest
from docx.oxml.ns import qn
from word_docs import (
    D,
    block_text,
    make_plan,
    missing_values,
    rich_plan,
    saved,
)

from odplan_xl import schema
from odplan_xl.word import document as word


def test_gantt_months_from_the_right_and_shaded(tmp_path):
    doc = word.build_document(rich_plan())
    month_row = None
    for tbl in doc.element.body.iter(qn("w:tbl")):
        first = [block_text(tc).strip() for tc in tbl.find(qn("w:tr")).findall(qn("w:tc"))]
        if first[-12:] == list(schema.MONTHS_AR):
            month_row = tbl
            break
    assert month_row is not None
    for tr in month_row.findall(qn("w:tr"))[1:]:
        cells = tr.findall(qn("w:tc"))
        if block_text(cells[0]).strip() == "ورشة تحسيسية حول الجرد":      # 01/02 - 03/02
            fills = [tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}") is not None for tc in cells[-12:]]
            assert fills == [m == 1 for m in range(12)]
            break
    else:
        pytest.fail("activity not in the Gantt table")


def test_gantt_bars_take_the_colour_of_their_section_as_on_the_sheet():
    """Each row's bar and its section number are shaded with the colour the sheet «مخطط غانت» gives the
    section; the responsible is shown where the section has one."""
    from odplan_xl.plan.gantt import SECTION_COLOURS, build_gantt

    plan = rich_plan()
    doc = word.build_document(plan)
    table = next(t for t in doc.element.body.iter(qn("w:tbl"))
                 if [block_text(tc).strip() for tc in t.find(qn("w:tr")).findall(qn("w:tc"))][-12:]
                 == list(schema.MONTHS_AR))
    activities = build_gantt(plan).activities
    rows = table.findall(qn("w:tr"))[1:]
    assert len(rows) == len(activities) and len({a.section for a in activities}) > 2

    def fill(tc):
        shd = tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
        return None if shd is None else shd.get(qn("w:fill"))

    responsible_shown = False
    for tr, activity in zip(rows, activities):
        cells = tr.findall(qn("w:tc"))
        colour = SECTION_COLOURS[activity.section]
        assert block_text(cells[1]).strip() == str(activity.section_number) and fill(cells[1]) == colour
        assert [fill(tc) for tc in cells[-12:]] == [colour if on else None for on in activity.months]
        if activity.responsible:
            assert activity.responsible in block_text(cells[2])
            responsible_shown = True
    assert responsible_shown


@pytest.mark.parametrize("rows", [1200])
def test_long_tables_are_split_with_repeated_headers(tmp_path, rows):
    plan = make_plan({"structure": "هيكل", "year": 2027}, [], {"datasets": [
        {"title": f"مجموعة {i}", "producer": "إدارة", "format": "CSV", "crit_quality": True,
         "crit_legal": True, "crit_open_format": False, "crit_demand": False, "priority": 2,
         "publish_date": D(2027, 1 + i % 12, 1), "frequency": "سنوية", "channel": schema.CHANNELS[0]}
        for i in range(rows)]})
    path = saved(plan, tmp_path)
    body = docx.Document(str(path)).element.body
    tables = [t for t in body.iter(qn("w:tbl")) if "مجموعة البيانات" in block_text(t.find(qn("w:tr")))]
    assert len(tables) == -(-rows // word.CHUNK_ROWS)
    assert sum(len(t.findall(qn("w:tr"))) - 1 for t in tables) == rows
    assert missing_values(plan, path) == []
