"""national: the sheet «متابعة التنفيذ», one row per body whose plan is followed up, none for the others."""

from __future__ import annotations

import copy
import datetime as dt

import openpyxl
from secondyear import followed_data, table_rows

from odplan_xl import schema
from odplan_xl.app.national import national
from odplan_xl.coordinator.followup import SHEET
from odplan_xl.workbook.example import example_data
from odplan_xl.workbook.template import build_workbook

ORDER = ("مبرمج", "بصدد الإنجاز", "منجز", "متأخر", "مؤجل", "ملغى")


def test_national_follow_up_sheet(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    followed = followed_data()
    followed["cover"]["structure"] = "هيكل متابَع"
    plain = copy.deepcopy(example_data())
    plain["cover"]["structure"] = "هيكل غير متابَع"
    a = build_workbook(inbox / "a.xlsx", followed)
    build_workbook(inbox / "b.xlsx", plain)
    national([inbox], tmp_path / "out", jobs=1)
    today = dt.date.today()
    want = dict.fromkeys(ORDER, 0)
    for spec in schema.SECTIONS:
        if spec.followed_up:
            for row in table_rows(a, spec.table):
                state = row.get("progress") or "مبرمج"
                end = row.get(spec.end or spec.start or "")
                if state not in ("منجز", "ملغى") and isinstance(end, dt.date) and end < today:
                    state = "متأخر"
                want[state] += 1
    datasets = table_rows(a, "tbl_datasets")
    wb = openpyxl.load_workbook(tmp_path / "out" / "national.xlsx")
    rows = list(wb[SHEET].iter_rows(values_only=True))
    assert list(rows[0][1:7]) == list(ORDER)
    assert [r[0] for r in rows[1:]] == ["هيكل متابَع", "المجموع العام"]
    assert dict(zip(ORDER, rows[1][1:7], strict=True)) == want
    assert rows[1][7:9] == (sum(1 for r in datasets if r.get("progress") == "منجز"),
                            sum(1 for r in datasets if r.get("progress") != "ملغى"))
