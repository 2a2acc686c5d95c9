"""Checking real workbooks built from the template: one defect each gives exactly the expected findings."""

import copy
import datetime as dt
import json
from decimal import Decimal

import pytest
from workbooks import named_cell, table_cell

from odplan_xl import schema
from odplan_xl.app.check import check
from odplan_xl.plan.derived import budget_totals
from odplan_xl.workbook.example import example_data

EXAMPLE = example_data()


def cell_of(path, table_name, index, key):
    """Address ("B9") of data row `index` (0-based), column `key`, found with openpyxl, not our reader."""
    return table_cell(path, table_name, index, key)[1]


def named(path, name):
    return named_cell(path, name)[1]


def errors_and_warnings(report):
    return sorted(report.flatten(["code", "cell"]))


def variant(**changes):
    data = copy.deepcopy(EXAMPLE)
    for path, value in changes.items():
        target = data
        *keys, last = path.split("__")
        for k in keys:
            target = target[int(k)] if k.isdigit() else target[k]
        if value is DELETE:
            del target[int(last) if last.isdigit() else last]
        else:
            target[int(last) if last.isdigit() else last] = value
    return data


DELETE = object()


def test_example_is_complete(example_path):
    plan, report = check(example_path)
    assert report.ok, report.flatten(["code", "address", "fr"])
    assert report.findings == []
    assert report.score == 100.0
    for key, rows in EXAMPLE["sections"].items():
        assert len(plan.sections[key].rows) == len(rows)


def test_example_values_are_typed(example_path):
    plan, _ = check(example_path)
    assert plan.year == EXAMPLE["cover"]["year"]
    first = plan.sections["datasets"].rows[0]
    assert isinstance(first.get("publish_date"), dt.date)
    assert first.get("priority") == sum(
        EXAMPLE["sections"]["datasets"][0][k] == "نعم"
        for k in ("crit_quality", "crit_legal", "crit_open_format", "crit_demand"))
    totals = budget_totals(plan)
    per_source, total = totals.by_source, totals.total
    expected = sum(Decimal(str(r["amount"])) for r in EXAMPLE["sections"]["budget"])
    assert total == expected.quantize(Decimal("0.001"))
    assert sum(per_source.values()) == total


ONE_DEFECT = [
    ("datasets__0__title", None, [("missing-value", "tbl_datasets", 0, "title")]),
    ("datasets__1__publish_date", "32/13/2027", [("bad-date", "tbl_datasets", 1, "publish_date")]),
    ("datasets__2__format", "DOCX", [("bad-choice", "tbl_datasets", 2, "format")]),
    ("datasets__0__crit_demand", "ربما", [("bad-yesno", "tbl_datasets", 0, "crit_demand")]),
    ("inventory__0__end", dt.date(2026, 12, 1),
     [("end-before-start", "tbl_inventory", 0, "end"), ("outside-plan-year", "tbl_inventory", 0, "end")]),
    ("tools__0__start", dt.date(2028, 1, 15),
     [("end-before-start", "tbl_tools", 0, "end"), ("outside-plan-year", "tbl_tools", 0, "start")]),
    ("budget__0__amount", -150, [("negative-amount", "tbl_budget", 0, "amount")]),
    ("budget__1__amount", "mille", [("bad-amount", "tbl_budget", 1, "amount")]),
    ("budget__1__source", None, [("missing-value", "tbl_budget", 1, "source")]),
    ("trainings__0__days", "trois", [("bad-number", "tbl_trainings", 0, "days")]),
    ("authors__0__name", None, [("missing-value", "tbl_authors", 0, "name")]),
]


@pytest.mark.parametrize("path, value, expected", ONE_DEFECT, ids=[d[0] for d in ONE_DEFECT])
def test_one_defect_in_a_row(make_workbook, path, value, expected):
    section, index, key = path.split("__")
    data = copy.deepcopy(EXAMPLE)
    rows = data["authors"] if section == "authors" else data["sections"][section]
    if key == "start" and section == "tools":      # keep end in the year: the start moves past it
        rows[int(index)]["end"] = dt.date(2027, 12, 31)
    rows[int(index)][key] = value
    wb = make_workbook(data)
    _, report = check(wb)
    want = sorted([code, cell_of(wb, table, i, k)] for code, table, i, k in expected)
    assert errors_and_warnings(report) == want


@pytest.mark.parametrize("key, value, code", [
    ("structure", None, "missing-value"),
    ("year", "deux mille", "bad-year"),
    ("status", "جاهزة", "bad-choice"),
    ("prepared", "hier", "bad-date"),
    ("officer_email", "pas-une-adresse", "bad-email"),
])
def test_one_defect_on_the_cover(make_workbook, key, value, code):
    data = copy.deepcopy(EXAMPLE)
    data["cover"][key] = value
    wb = make_workbook(data)
    _, report = check(wb)
    if key == "year":   # without a plan year, dates cannot be placed in it: no other finding
        assert errors_and_warnings(report) == [[code, named(wb, "cover_year")]]
    else:
        assert errors_and_warnings(report) == [[code, named(wb, schema.cover_name(key))]]


def test_update_before_prepared(make_workbook):
    data = copy.deepcopy(EXAMPLE)
    data["cover"]["updated"] = data["cover"]["prepared"] - dt.timedelta(days=1)
    wb = make_workbook(data)
    assert errors_and_warnings(check(wb)[1]) == [["update-before-prepared", named(wb, "cover_updated")]]


def test_empty_section_and_not_applicable(make_workbook):
    data = copy.deepcopy(EXAMPLE)
    data["sections"]["tools"] = []
    data["sections"]["reuse"] = []
    data["na"] = {"reuse": "لا توجد أنشطة لإعادة الاستعمال هذه السنة"}
    data["sections"]["budget"] = [r for r in data["sections"]["budget"]
                                  if r.get("section") not in (schema.section("tools").sheet,
                                                              schema.section("reuse").sheet)]
    wb = make_workbook(data)
    plan, report = check(wb)
    assert errors_and_warnings(report) == [["empty-section", named(wb, "na_tools")]]
    scores = {s.key: s for s in report.sections}
    assert scores["reuse"].percent == 100.0 and scores["tools"].percent == 0.0
    assert plan.sections["reuse"].na_reason == data["na"]["reuse"]


def test_budget_line_for_an_empty_section(make_workbook):
    data = copy.deepcopy(EXAMPLE)
    data["sections"]["tools"] = []
    data["na"] = {"tools": "لا أدوات جديدة"}
    data["sections"]["budget"][0]["section"] = schema.section("tools").sheet
    data["sections"]["budget"] = data["sections"]["budget"][:1] + [
        r for r in data["sections"]["budget"][1:] if r.get("section") != schema.section("tools").sheet]
    wb = make_workbook(data)
    assert errors_and_warnings(check(wb)[1]) == [
        ["budget-without-activity", cell_of(wb, "tbl_budget", 0, "section")]]


def test_final_status_with_errors_cannot_be_final(make_workbook):
    data = copy.deepcopy(EXAMPLE)
    data["cover"]["status"] = schema.STATUS_FINAL
    data["sections"]["datasets"][0]["producer"] = None
    wb = make_workbook(data)
    _, report = check(wb)
    assert report.flatten(["code"])[0] == ["not-final"]
    assert errors_and_warnings(report) == sorted([
        ["not-final", named(wb, "cover_status")],
        ["missing-value", cell_of(wb, "tbl_datasets", 0, "producer")]])


def test_messy_but_valid_values_read_clean(make_workbook):
    data = copy.deepcopy(EXAMPLE)
    row = data["sections"]["budget"][0]
    row["amount"] = "12 500,500"
    row["source"] = "  ميزانيه الهيكل "
    ds = data["sections"]["datasets"][0]
    ds.update(crit_quality="x", crit_legal="oui", crit_open_format="✓", crit_demand="non",
              publish_date="٠٥/٠٣/٢٠٢٧")
    data["cover"]["year"] = "٢٠٢٧"
    wb = make_workbook(data)
    plan, report = check(wb)
    assert report.ok, report.flatten(["code", "address"])
    b = plan.sections["budget"].rows[0]
    assert b.get("amount") == Decimal("12500.500") and b.get("source") == "ميزانية الهيكل"
    d = plan.sections["datasets"].rows[0]
    assert (d.get("crit_quality"), d.get("crit_legal"), d.get("crit_open_format"),
            d.get("crit_demand"), d.get("priority")) == (True, True, True, False, 3)
    assert d.get("publish_date") == dt.date(2027, 3, 5)
    assert plan.year == 2027


def test_control_characters_are_removed_with_a_warning(make_workbook):
    data = copy.deepcopy(EXAMPLE)
    data["sections"]["objectives"][0]["indicator"] = "نسبة\x0bالإنجاز\u202e"
    wb = make_workbook(data)
    plan, report = check(wb)
    assert errors_and_warnings(report) == [
        ["invalid-characters", cell_of(wb, "tbl_objectives", 0, "indicator")]]
    assert plan.sections["objectives"].rows[0].get("indicator") == "نسبة\nالإنجاز"


def test_report_json_has_every_finding(make_workbook):
    data = copy.deepcopy(EXAMPLE)
    data["sections"]["datasets"][0]["title"] = None
    _, report = check(make_workbook(data))
    doc = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert doc["ok"] is False and doc["errors"] == 1
    assert doc["findings"][0]["code"] == "missing-value"
    assert "Jeu de données" in doc["findings"][0]["fr"]
    assert "مجموعة البيانات" in doc["findings"][0]["ar"]
