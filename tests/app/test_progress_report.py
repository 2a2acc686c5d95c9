"""progress: the follow-up report's figures, read back from the .docx, against the rows of the workbook."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest
from lxml import etree
from openxml_audit import OpenXmlValidator
from secondyear import followed_data, table_rows
from typer.testing import CliRunner

from odplan_xl import schema
from odplan_xl.app.progress import progress_report
from odplan_xl.cli import app
from odplan_xl.workbook.template import build_workbook

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TODAY = dt.date(2027, 7, 1)
ORDER = ("مبرمج", "بصدد الإنجاز", "منجز", "متأخر", "مؤجل", "ملغى")


def expected(path) -> dict[str, dict[str, int]]:
    """Per section sheet, the count per state from the rows as openpyxl reads them."""
    out = {}
    for spec in schema.SECTIONS:
        if not spec.followed_up:
            continue
        counts = dict.fromkeys(ORDER, 0)
        for row in table_rows(path, spec.table):
            state = row.get("progress") or "مبرمج"
            end = row.get(spec.end or spec.start or "")
            if state not in ("منجز", "ملغى") and isinstance(end, dt.date) and end < TODAY:
                state = "متأخر"
            counts[state] += 1
        out[spec.sheet] = counts
    return out


def tables(path) -> list[list[list[str]]]:
    with zipfile.ZipFile(path) as zf:
        body = etree.fromstring(zf.read("word/document.xml"))
    return [[["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in tr.iter(f"{W}tc")]
             for tr in tbl.iter(f"{W}tr")] for tbl in body.iter(f"{W}tbl")]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("progress")
    plan = build_workbook(folder / "plan.xlsx", followed_data())
    out, figures = progress_report(plan, folder / "report.docx", today=TODAY)
    return plan, out, figures


def test_report_figures_per_section(report):
    plan, out, _ = report
    want = expected(plan)
    by_section = next(t for t in tables(out) if t[0][0] == "القسم")
    assert by_section[0][1:7] == list(ORDER)
    got = {row[0]: dict(zip(ORDER, map(int, row[1:7]), strict=True)) for row in by_section[1:-1]}
    assert got == want
    total = by_section[-1]
    assert [int(v) for v in total[1:7]] == [sum(c[s] for c in want.values()) for s in ORDER]
    assert int(total[7]) == sum(sum(c.values()) for c in want.values())


def test_report_late_list_and_datasets(report):
    plan, out, figures = report
    late = next(t for t in tables(out) if t[0][:3] == ["القسم", "النشاط", "المسؤول"])
    want = sum(c["متأخر"] for c in expected(plan).values())
    assert len(late) - 1 == want > 0
    inventory = {r["activity"]: r for r in table_rows(plan, "tbl_inventory")}
    for row in late[1:]:
        if row[0] == schema.section("inventory").sheet:
            assert row[2] == inventory[row[1]]["responsible"]
    datasets = table_rows(plan, "tbl_datasets")
    published = sum(1 for r in datasets if r.get("progress") == "منجز")
    planned = sum(1 for r in datasets if r.get("progress") != "ملغى")
    assert figures.datasets == (published, planned)
    text = "".join(t.text or "" for t in etree.fromstring(zipfile.ZipFile(out).read("word/document.xml"))
                   .iter(f"{W}t"))
    assert f"نُشرت {published} مجموعة بيانات من {planned}" in text
    assert "تقرير متابعة تنفيذ الخطة السنوية" in text
    with zipfile.ZipFile(out) as zf:
        assert any(n.startswith("word/media/") for n in zf.namelist())      # the chart
    assert [str(e) for e in OpenXmlValidator().validate(str(out)).errors] == []


def test_cli_progress_and_check_date(report, tmp_path):
    plan = report[0]
    res = CliRunner().invoke(app, ["progress", str(plan), "-o", str(tmp_path / "r.docx"), "--date", "2027-07-01"])
    assert res.exit_code == 0, res.output
    late = sum(c["متأخر"] for c in expected(plan).values())
    assert f"متأخر: {late}" in res.output
    res = CliRunner().invoke(app, ["check", str(plan), "--date", "01/07/2027", "--format", "json"])
    found = [f for f in json.loads(res.output)["findings"] if f["code"] == "late-activity"]
    assert len(found) == late
