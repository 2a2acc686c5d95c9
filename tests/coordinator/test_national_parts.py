"""The national report's pieces: chart images, run-level right-to-left, budget per source in the summary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from odplan_xl.app.check import check
from odplan_xl.coordinator import charts
from odplan_xl.plan.display import LRM, NNBSP, format_amount, format_number, format_percent
from odplan_xl.coordinator.catalogue import FREQUENCIES, Entry, slug
from odplan_xl.sheets import summary
from odplan_xl.workbook.example import example_data

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_chart_labels_are_given_to_matplotlib_in_the_form_it_draws():
    text = "البيانات المبرمجة"
    if charts.lays_out_text():          # matplotlib shapes and orders the text itself
        assert charts.shaped(text) == text
    else:                               # joined letters (presentation forms), in visual order
        out = charts.shaped(text)
        assert out != text and any("\ufe70" <= ch <= "\ufeff" for ch in out)


def test_an_arabic_font_is_found_here():
    name, arabic = charts.font()
    assert arabic, charts.font_note()
    assert charts.font_note() is None


def test_charts_are_png_images():
    png = charts.columns("عنوان", ["جانفي", "فيفري"], [1, 2], "عدد", format_number)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    png = charts.bars("عنوان", ["ميزانية الهيكل"], [12.5], format_number)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    png = charts.stacked("عنوان", ["هيكل", "هيكل آخر"], [("صحيحة", [0.9, 1.0], charts.GREEN),
                                                        ("غير صحيحة", [0.1, 0.0], charts.ORANGE)],
                         ["90,0% — خطأ", "100,0%"], [charts.ORANGE, charts.GREEN], format_percent)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


@given(st.decimals(min_value=-10**9, max_value=10**9, places=3, allow_nan=False))
@settings(max_examples=300)
def test_numbers_are_written_the_tunisian_way(value):
    text = format_number(value, 3).replace(LRM, "")
    whole, _, millimes = text.partition(",")
    assert len(millimes) == 3 and "." not in text
    groups = whole.lstrip("-").split(NNBSP)
    assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3
    assert Decimal(whole.replace(NNBSP, "") + "." + millimes) == value
    assert format_number(value, 3) == format_amount(value)


def test_summary_budget_adds_up_with_blank_and_unknown_sources(tmp_path):
    from odplan_xl.workbook.template import build_workbook

    data = example_data()
    lines = data["sections"]["budget"]
    lines[0]["source"] = None
    lines[1]["source"] = "هبة"
    path = build_workbook(tmp_path / "p.xlsx", data)
    plan, report = check(path)
    facts = summary.facts(plan, report)
    by_source = facts["budget_by_source"]
    assert by_source["مصدر غير محدد"] == lines[0]["amount"]
    assert by_source["هبة"] == lines[1]["amount"]
    total = sum((line["amount"] for line in lines), Decimal(0))
    assert facts["budget_total"] == total == sum(by_source.values(), Decimal(0))
    heads = [h for _, h, _ in summary.columns([facts])]
    assert "مصدر غير محدد (د.ت)" in heads and "هبة (د.ت)" in heads


def test_catalogue_names():
    assert slug("وزارة الصحة", 50) == "ouzara-alsha"
    entry = Entry(2027, "بلدية تونس", "الصفقات العمومية", "", "", "CSV", dt.date(2027, 3, 1), "سداسية", 3,
                  "بوابة الهيكل")
    assert entry.frequency_uri.endswith("/ANNUAL_2") and entry.format_uri.endswith("/file-type/CSV")
    assert entry.ckan_name.startswith("alsfkat-alamoumia-2027-")
    assert entry.identifier == Entry(2027, " بلدية  تونس", "الصفقات العمومية ", "x", "", "PDF", None, "", 0,
                                     "").identifier
    assert set(FREQUENCIES) == set(__import__("odplan_xl").schema.FREQUENCIES)


def _record(k: int, result: str, findings: list[dict], required: int = 200, filled: int = 200) -> dict:
    return {"file": f"p{k}.xlsx", "path": f"p{k}.xlsx", "read": result != "unreadable", "year": 2027,
            "structure": f"هيكل {k}", "result": result, "errors": sum(f["severity"] == "error" for f in findings),
            "findings": findings, "cells": {"required": required, "filled": filled}, "completeness": 100.0}


BAD_DATE = {"code": "bad-date", "severity": "error", "sheet": "4", "cell": "J7", "field": "publish_date"}
EMPTY = {"code": "missing-value", "severity": "error", "sheet": "4", "cell": "B7", "field": "title"}
TOTAL = {"code": "budget-mismatch", "severity": "error", "sheet": "10", "cell": "", "field": ""}


def test_cells_and_states_of_a_plan():
    from odplan_xl.coordinator.figures import Body

    assert Body(_record(0, "complete", [])).cells.shares() == (1.0, 0.0, 0.0)
    invalid = Body(_record(1, "incomplete", [BAD_DATE, {**BAD_DATE, "cell": "J8"}]))
    assert invalid.state == "invalid" and invalid.cells.invalid == 2 and invalid.cells.missing == 0
    missing = Body(_record(2, "incomplete", [EMPTY], filled=199))
    assert missing.state == "missing" and missing.cells.missing == 1 and missing.cells.valid == 199
    # an error about no cell still shows: the plan is never all valid
    whole = Body(_record(3, "incomplete", [TOTAL]))
    assert whole.state == "invalid" and whole.cells.shares()[0] < 1


def test_many_bodies_counted_per_state_with_the_unreadable_files():
    from odplan_xl.app.national_report import CHART_BODIES, chart_images
    from odplan_xl.coordinator.figures import figures

    records = [_record(k, "complete", []) for k in range(CHART_BODIES)]
    records += [_record(100, "incomplete", [BAD_DATE]), _record(101, "incomplete", [EMPTY], filled=199),
                _record(102, "unreadable", [])]
    f = figures(records)
    assert f.state_bars() == [("مكتملة وصحيحة", CHART_BODIES), ("بها قيم غير صحيحة", 1),
                              ("بها خانات ناقصة", 1), ("ملفات تعذرت قراءتها", 1)]
    assert f.key_figures()[1] == ("خطط سنة 2027", CHART_BODIES + 2)
    assert chart_images(f)["completeness"][:8] == b"\x89PNG\r\n\x1a\n"
    none = figures([_record(0, "unreadable", [])])
    assert none.year is None and "None" not in repr(none.key_figures())
