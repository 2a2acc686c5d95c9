"""diff: two versions of a real plan; the JSON lists exactly the rows changed, in the sections changed."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from odplan_xl.app.diff import diff_plans
from odplan_xl.cli import app
from odplan_xl.workbook.example import example_data

OLD = example_data()


def _edits() -> dict:
    new = copy.deepcopy(OLD)
    s = new["sections"]
    s["inventory"][1]["end"] = dt.date(2027, 9, 30)               # a date moved: one changed row
    s["inventory"].insert(0, s["inventory"].pop(4))                # a row moved: no change at all
    removed = s["datasets"].pop(2)                                 # a dataset removed
    s["tools"].append(dict(s["tools"][0], tool="أداة جديدة للنشر"))  # a tool added
    s["budget"][0]["amount"] = "12500"                              # an amount changed
    s["budget"][0]["source"] = "التعاون الدولي"                       # ... and its source
    s["reuse"].reverse()                                           # order only
    new["cover"]["officer"] = "سامي الحداد"
    return new, removed


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    from odplan_xl.workbook.template import build_workbook

    folder = tmp_path_factory.mktemp("versions")
    new, removed = _edits()
    return build_workbook(folder / "v1.xlsx", OLD), build_workbook(folder / "v2.xlsx", new), new, removed


def test_diff_json_lists_exactly_the_changes(versions):
    old, new, data, removed = versions
    result = CliRunner().invoke(app, ["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 1, result.output
    doc = json.loads(result.output)
    assert set(doc) == {"cover", "sections"}
    assert doc["cover"] == {"officer": {"before": OLD["cover"]["officer"], "after": "سامي الحداد"}}
    assert set(doc["sections"]) == {"inventory", "datasets", "tools", "budget"}
    inv = doc["sections"]["inventory"]
    assert inv["added"] == [] and inv["removed"] == []
    [moved] = inv["changed"]
    assert moved["fields"] == ["end"]
    assert moved["before"]["activity"] == moved["after"]["activity"] == OLD["sections"]["inventory"][1]["activity"]
    assert (moved["before"]["end"], moved["after"]["end"]) == (OLD["sections"]["inventory"][1]["end"].isoformat(),
                                                               "2027-09-30")
    ds = doc["sections"]["datasets"]
    assert [r["title"] for r in ds["removed"]] == [removed["title"]] and ds["added"] == ds["changed"] == []
    tools = doc["sections"]["tools"]
    assert [r["tool"] for r in tools["added"]] == ["أداة جديدة للنشر"] and tools["removed"] == tools["changed"] == []
    [budget] = doc["sections"]["budget"]["changed"]
    assert budget["fields"] == ["amount", "source"] and budget["after"]["amount"] == "12500.000"
    for section in doc["sections"].values():
        assert set(section) == {"added", "removed", "changed"}
        for change in section["changed"]:
            assert set(change) == {"before", "after", "fields"}


def test_same_plan_no_change(versions):
    old = versions[0]
    assert not diff_plans(old, old)
    result = CliRunner().invoke(app, ["diff", str(old), str(old)])
    assert result.exit_code == 0 and "لا يوجد أي تغيير" in result.output


def test_an_emptied_row_is_removed(make_workbook):
    new = copy.deepcopy(OLD)
    emptied = new["sections"]["trainings"][2]
    new["sections"]["trainings"][2] = {}
    changes = diff_plans(make_workbook(OLD), make_workbook(new)).to_dict()
    assert set(changes["sections"]) == {"trainings"}
    assert [r["title"] for r in changes["sections"]["trainings"]["removed"]] == [emptied["title"]]
    assert changes["sections"]["trainings"]["changed"] == []
