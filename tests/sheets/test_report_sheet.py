"""The check report as a sheet description: the headline, one linked row per finding."""

from __future__ import annotations

import datetime as dt

import pytest

from odplan_xl.rules.findings import Finding, Report, SectionScore, Severity
from odplan_xl.sheets.report import ERROR_FILL, WARNING_FILL, headline, report_sheet


def _finding(code, severity, cell="B7"):
    return Finding(code=code, severity=severity, sheet="الغلاف", cell=cell, field="x", ar=f"رسالة {code}",
                   fr="message", section="cover")


@pytest.mark.parametrize("findings, line", [
    ([], "الخطة مكتملة"),
    ([_finding("bad-email", Severity.WARNING)] * 2, "الخطة مكتملة، مع 2 تنبيه"),
    ([_finding("missing-value", Severity.ERROR), _finding("bad-email", Severity.WARNING)],
     "الخطة غير مكتملة: 1 خطأ و1 تنبيه"),
])
def test_headline(findings, line):
    assert headline(Report(findings=list(findings))) == line


def test_report_sheet_rows_follow_the_findings():
    report = Report(findings=[_finding("missing-value", Severity.ERROR),
                              _finding("empty-subsection", Severity.WARNING, cell="")],
                    sections=[SectionScore(key="cover", sheet="الغلاف", rows=2, required=4, filled=3)])
    spec = report_sheet(report, now=dt.datetime(2027, 1, 2, 9, 30))
    by_row: dict[int, dict[int, object]] = {}
    for (row, col), cell in spec.cells.items():
        by_row.setdefault(row, {})[col] = cell
    rows = [r for r in sorted(by_row) if 1 in by_row[r] and isinstance(by_row[r][1].value, int)]
    assert [by_row[r][6].value for r in rows] == ["missing-value", "empty-subsection"]
    assert [by_row[r][4].link for r in rows] == ["#'الغلاف'!B7", "#'الغلاف'!A1"]
    assert [by_row[r][5].style.fill for r in rows] == [ERROR_FILL, WARNING_FILL]
    assert spec.cells[(4, 1)].value == "تاريخ التحقق: 02/01/2027 09:30"
    percent = next(c for (r, col), c in spec.cells.items() if col == 4 and c.style.number_format == "0%")
    assert percent.value == 0.75


