"""The checker on real workbooks: completeness, tolerant reading, derived values, and a plan left as it was."""

import copy
import datetime as dt
import json
from decimal import Decimal

import pytest
from workbooks import named_cell, table_box

from odplan_xl import schema
from odplan_xl.app.check import check
from odplan_xl.app.check import read as read_plan
from odplan_xl.rules.checker import check_plan
from odplan_xl.workbook.example import example_data

EXAMPLE = example_data()


def named(path, name):
    return named_cell(path, name)[1]


def errors_and_warnings(report):
    return sorted(report.flatten(["code", "cell"]))


def test_example_is_complete(example_path):
    plan, report = check(example_path)
    assert report.ok, report.flatten(["code", "address", "fr"])
    assert report.findings == []
    assert report.score == 100.0
    for key, rows in EXAMPLE["sections"].items():
        assert len(plan.sections[key].rows) == len(rows)


CRITERIA = ("crit_quality", "crit_legal", "crit_open_format", "crit_demand")


def test_example_values_are_typed(example_path):
    plan, _ = check(example_path)
    assert plan.year == EXAMPLE["cover"]["year"]
    first = plan.sections["datasets"].rows[0]
    assert isinstance(first.get("publish_date"), dt.date)
    assert first.get("crit_quality") in (True, False)


def test_report_carries_priorities_and_budget(example_path):
    _, report = check(example_path)
    _, _, header, _, _ = table_box(example_path, "tbl_datasets")
    rows = EXAMPLE["sections"]["datasets"]
    assert report.priorities == {header + 1 + i: sum(r[k] == schema.YES_AR for k in CRITERIA)
                                 for i, r in enumerate(rows)}
    assert sorted(set(report.priorities.values())) != [4]       # the example has lower priorities too
    per_source: dict[str, Decimal] = {}
    for line in EXAMPLE["sections"]["budget"]:
        per_source[line["source"]] = per_source.get(line["source"], Decimal(0)) + Decimal(str(line["amount"]))
    assert {k: v for k, v in report.budget.by_source.items() if v} == per_source
    assert report.budget.total == sum(per_source.values()) == Decimal("155301.500")


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


def test_every_empty_subsection_is_reported(make_workbook):
    """Trainings whose kind is neither of the two: both subsections are empty, each said once."""
    data = copy.deepcopy(EXAMPLE)
    for row in data["sections"]["trainings"]:
        row["kind"] = "تكوين آخر"
    _, report = check(make_workbook(data))
    assert sorted(f.fr for f in report.findings if f.code == "empty-subsection") == [
        "La sous-section 7.1 ne contient aucune ligne.", "La sous-section 7.2 ne contient aucune ligne."]
    assert len([f for f in report.findings if f.code == "bad-choice"]) == len(data["sections"]["trainings"])


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
            d.get("crit_demand"), report.priorities[d.number]) == (True, True, True, False, 3)
    assert d.get("publish_date") == dt.date(2027, 3, 5)
    assert plan.year == 2027


def test_report_json_has_every_finding(make_workbook):
    data = copy.deepcopy(EXAMPLE)
    data["sections"]["datasets"][0]["title"] = None
    _, report = check(make_workbook(data))
    doc = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert doc["ok"] is False and doc["errors"] == 1
    assert doc["findings"][0]["code"] == "missing-value"
    assert "Jeu de données" in doc["findings"][0]["fr"]
    assert "مجموعة البيانات" in doc["findings"][0]["ar"]
    total = sum(Decimal(str(r["amount"])) for r in data["sections"]["budget"])
    assert doc["budget"]["total"] == f"{total:.3f}"
    assert sum(Decimal(v) for v in doc["budget"]["by_source"].values()) == total
    assert len(doc["priorities"]) == len(data["sections"]["datasets"])


def defective() -> dict:
    """The example with defects that reach every rule's code path: final status with errors, a duplicate
    dataset meeting no criterion, a negative and a blank-source budget line, end before start."""
    data = copy.deepcopy(EXAMPLE)
    data["cover"]["status"] = schema.STATUS_FINAL
    data["cover"]["updated"] = dt.date(2026, 1, 1)
    datasets = data["sections"]["datasets"]
    datasets[0].update(crit_quality=schema.NO_AR, crit_legal=schema.NO_AR, crit_open_format=schema.NO_AR,
                       crit_demand=schema.NO_AR)
    datasets.append(copy.deepcopy(datasets[0]))
    data["sections"]["budget"][0]["amount"] = -5
    data["sections"]["budget"][1]["source"] = None
    cal = data["sections"]["calendar"][0]
    cal["start"], cal["end"] = cal["end"], cal["start"]
    data["na"] = {"reuse": "سبب"}
    return data


@pytest.mark.parametrize("defects", [False, True], ids=["example", "defective"])
def test_check_plan_leaves_the_plan_unchanged(make_workbook, defects):
    path = make_workbook(defective() if defects else EXAMPLE)
    plan, read_findings = read_plan(path)
    for row in plan.sections["datasets"].rows:
        row.values["priority"] = 99        # whatever a plan holds, checking it does not rewrite it
    before = copy.deepcopy(plan)
    report = check_plan(plan, read_findings)
    assert plan == before
    assert set(report.priorities.values()) <= {0, 1, 2, 3, 4}
    if defects:
        assert {"not-final", "duplicate-row", "no-criteria-met", "negative-amount", "missing-value",
                "end-before-start", "na-with-rows"} <= {f.code for f in report.findings}
