"""Text an officer typed that a spreadsheet would run as a formula stays text in every .xlsx the tool
writes: the plan template filled (XlsxWriter), the Gantt chart, batch's summary.xlsx and national.xlsx
(openpyxl). Read back by openpyxl without evaluating anything: each such cell is a string."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from odplan_xl.app.batch import batch
from odplan_xl.app.gantt import gantt
from odplan_xl.app.national import national
from odplan_xl.workbook.example import example_data
from odplan_xl.workbook.template import build_workbook

HOSTILE = ('=HYPERLINK("http://evil.example/","انقر")', "+SUM(1+1)", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)",
           "=1+1")
BODY = "=بلدية تونس"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> list[Path]:
    root = tmp_path_factory.mktemp("formula_text")
    data = example_data()
    data["cover"]["structure"] = BODY
    for row, title in zip(data["sections"]["datasets"], HOSTILE, strict=False):
        row["title"] = title
        row["producer"] = "@إدارة"
    for row, title in zip(data["sections"]["trainings"], HOSTILE, strict=False):
        row["title"] = title
    inbox = root / "inbox"
    plan = build_workbook(inbox / "plan.xlsx", data)
    out = [plan, gantt(plan, root / "gantt.xlsx")]
    batch([inbox], root / "batch", jobs=1)
    national([inbox], root / "national", jobs=1)
    return [*out, root / "batch" / "summary.xlsx", root / "national" / "national.xlsx"]


def _cells(path: Path):
    wb = openpyxl.load_workbook(path)          # formulas as formulas: nothing evaluated
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str):
                        yield ws.title, cell
    finally:
        wb.close()


@pytest.mark.parametrize("kind", ["plan", "gantt", "summary", "national"])
def test_formula_like_text_stays_text(outputs, kind):
    path = outputs[["plan", "gantt", "summary", "national"].index(kind)]
    found = set()
    for sheet, cell in _cells(path):
        for hostile in (*HOSTILE, BODY, "@إدارة"):
            if hostile in cell.value:
                assert cell.data_type == "s", (path.name, sheet, cell.coordinate, cell.value)
                found.add(hostile)
    assert BODY in found or kind == "gantt"
    assert found & set(HOSTILE) or kind == "summary"
