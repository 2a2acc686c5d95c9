"""The national report's pieces: chart images, run-level right-to-left, budget per source in the summary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from odplan_xl.app.check import check
from odplan_xl.coordinator import charts
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
    png = charts.columns("عنوان", ["جانفي", "فيفري"], [1, 2], "عدد")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    png = charts.bars("عنوان", ["ميزانية الهيكل"], [12.5], "{:,.0f}")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


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
