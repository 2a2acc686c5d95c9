"""The open workbook read through xlwings gives exactly what the saved file gives."""

from __future__ import annotations

import pytest
import xlwings as xw
from officejs import payload

from odplan_xl.app.check import check
from odplan_xl.excel.grid import LiveGrid
from odplan_xl.workbook.example import example_data


@pytest.mark.parametrize("which", ["example", "defective"])
def test_live_workbook_reads_like_the_file(which, example_path, defective):
    path = example_path if which == "example" else defective
    _, from_file = check(path)
    plan, live = check(LiveGrid(xw.Book(json=payload(path))))
    assert live.flatten(["code", "sheet", "cell", "severity"]) == \
        from_file.flatten(["code", "sheet", "cell", "severity"])
    assert [(s.key, s.rows, s.filled, s.required) for s in live.sections] == \
        [(s.key, s.rows, s.filled, s.required) for s in from_file.sections]
    assert plan.structure == "وزارة التجهيز والإسكان"
    assert len(plan.sections["datasets"].rows) == len(example_data()["sections"]["datasets"])


