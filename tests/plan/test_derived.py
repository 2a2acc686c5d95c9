"""Derived values shown the same everywhere: the budget per funding source in summary.xlsx, summary.json,
`check`'s report (text and JSON) and the Word totals, against figures computed here from the data."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from decimal import Decimal

import docx
import openpyxl
import pytest

from odplan_xl import schema
from odplan_xl.app.batch import batch
from odplan_xl.app.convert import convert
from odplan_xl.sheets import summary
from odplan_xl.workbook.example import example_data

UNKNOWN = "صندوق دعم البلديات"          # typed by an officer, not in the list
UNSPECIFIED = "مصدر غير محدد"            # what a line with no source is counted under


@pytest.fixture(scope="module")
def odd_budget(tmp_path_factory):
    """The example plan with one budget line without a source and one with a source not in the list;
    the workbook and the per-source figures expected, in order (the schema's, the typed one, blank)."""
    from odplan_xl.workbook.template import build_workbook

    data = copy.deepcopy(example_data())
    lines = data["sections"]["budget"]
    lines[1]["source"] = None
    lines[4]["source"] = UNKNOWN
    lines[6]["source"] = UNKNOWN
    expected: dict[str, Decimal] = {source: Decimal("0.000") for source in schema.FUNDING_SOURCES}
    for line in lines:
        name = line["source"] if line["source"] else UNSPECIFIED
        expected[name] = expected.get(name, Decimal("0.000")) + Decimal(str(line["amount"]))
    expected[UNSPECIFIED] = expected.pop(UNSPECIFIED)            # the unspecified source comes last
    assert list(expected)[3:] == [UNKNOWN, UNSPECIFIED]
    assert expected[UNKNOWN] == Decimal("35000.000") + Decimal("6300.000")
    assert expected[UNSPECIFIED] == Decimal("9750.500")
    folder = tmp_path_factory.mktemp("odd_budget")
    return build_workbook(folder / "plan.xlsx", data), expected


def amount(text: str) -> Decimal:
    """'80 200,000' (groups by a narrow no-break space, comma before millimes) -> Decimal."""
    return Decimal(re.sub(r"[\s\u202f\u00a0\u200e]|د\.ت|دينار", "", text).replace(",", "."))


def test_summary_workbook_and_json(odd_budget, tmp_path):
    path, expected = odd_budget
    total = sum(expected.values())
    result = batch([path], tmp_path / "out", jobs=1)
    ws = openpyxl.load_workbook(result.summary_xlsx)[summary.TITLE]
    header = [c.value for c in ws[1]]
    at = header.index("الميزانية الجملية (د.ت)")
    assert header[at + 1:at + 1 + len(expected)] == [f"{s} (د.ت)" for s in expected]
    row = [c.value for c in ws[2]]
    shown = {s: Decimal(str(row[at + 1 + i])).quantize(Decimal("0.001")) for i, s in enumerate(expected)}
    assert shown == expected
    assert Decimal(str(row[at])).quantize(Decimal("0.001")) == total
    totals_row = [c.value for c in ws[3]]                     # one plan: the totals row repeats it
    assert Decimal(str(totals_row[at])).quantize(Decimal("0.001")) == total

    plan = json.loads(result.summary_json.read_text(encoding="utf-8"))["plans"][0]
    assert plan["budget_by_source"] == {s: f"{v:.3f}" for s, v in expected.items()}
    assert list(plan["budget_by_source"]) == list(expected)
    assert plan["budget_total"] == f"{total:.3f}"


def run_check(path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "odplan_xl.cli", "check", str(path), *options],
                          capture_output=True, text=True, timeout=300)


def test_check_report_text_and_json(odd_budget):
    path, expected = odd_budget
    total = sum(expected.values())
    res = run_check(path, "--format", "json")
    assert res.returncode == 1                       # a blank and an unknown source are errors
    budget = json.loads(res.stdout)["budget"]
    assert budget["by_source"] == {s: f"{v:.3f}" for s, v in expected.items()}
    assert list(budget["by_source"]) == list(expected)
    assert budget["total"] == f"{total:.3f}"

    res = run_check(path, "--lang", "fr")
    lines = res.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if "Budget par source de financement" in line)
    assert lines[start + 1].split() == ["Source", "Montant"]
    end = lines.index("", start)                      # the table ends at the blank line before the summary
    rows = [re.fullmatch(r"\s*(.*?)\s{2,}(\S.*)", line).groups() for line in lines[start + 3:end]]
    assert [(name, amount(value)) for name, value in rows] == [*expected.items(), ("Total", total)]


def test_word_totals(odd_budget, tmp_path):
    path, expected = odd_budget
    total = sum(expected.values())
    result = convert(path, tmp_path / "plan.docx")
    doc = docx.Document(str(result.output))
    tables = [t for t in doc.tables if t.rows[0].cells[0].text.strip() == "مصدر التمويل"]
    assert len(tables) == 1
    rows = [[c.text.strip() for c in row.cells] for row in tables[0].rows[1:]]
    assert [(name, amount(value)) for name, value in rows] == [*expected.items(), ("المجموع العام", total)]
