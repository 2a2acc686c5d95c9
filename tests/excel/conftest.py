"""Fixtures of the Excel-side tests: xlwings' JSON engine, a plan with defects, no caller left over."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import xlwings as xw

from odplan_xl.workbook.example import example_data

if "remote" not in [engine.name for engine in xw.engines]:     # pragma: no cover - set-up problem
    pytest.fail("xlwings was imported before XLWINGS_LICENSE_KEY was set: its JSON engine is missing",
                pytrace=False)

DEFECTS = {
    ("cover", "officer"): None,                     # missing-value (error)
    ("cover", "officer_email"): "not-an-email",     # bad-email (warning)
    ("datasets", 1, "publish_date"): "32/13/2027",  # bad-date (error)
    ("budget", 0, "amount"): -5,                    # negative-amount (error)
    ("inventory", 0, "activity"): "=1+1",           # text that looks like a formula (no finding)
}


def defective_data() -> dict:
    data = copy.deepcopy(example_data())
    for path, value in DEFECTS.items():
        if path[0] == "cover":
            data["cover"][path[1]] = value
        else:
            data["sections"][path[0]][path[1]][path[2]] = value
    return data


@pytest.fixture
def defective(make_workbook) -> Path:
    return make_workbook(defective_data(), "defective_plan.xlsm", vba=True)


@pytest.fixture(autouse=True)
def _no_leftover_caller():
    yield
    if hasattr(xw.Book, "_mock_caller"):
        del xw.Book._mock_caller
