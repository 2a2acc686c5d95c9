"""The Excel buttons run for real on xlwings' own engine: a workbook file becomes the Office.js payload,
the macro runs through `xw.Book.caller()`, and the actions it returns are replayed onto the workbook."""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

import docx
import openpyxl
import pytest
import xlwings as xw
import xlwings.server
from officejs import Replay, fill_of, open_as_caller, payload, run_button, sheet_values
from workbooks import named_cell, table_cell

from odplan_xl import macros as entry  # the names the workbook's VBA calls
from odplan_xl import schema
from odplan_xl.app.check import check
from odplan_xl.app.check import read as read_plan
from odplan_xl.excel import buttons
from odplan_xl.excel.marks import MARKS_SHEET
from odplan_xl.plan.gantt import build_gantt
from odplan_xl.sheets.gantt import SECTION_COLOURS
from odplan_xl.sheets.report import ERROR_FILL, WARNING_FILL
from odplan_xl.workbook.example import example_data

ROOT = Path(__file__).resolve().parents[2]
LITE = ROOT / "macros" / "lite"


def finding_rows(ws) -> list[tuple[str, str, str, str]]:
    """(code, sheet, cell link formula, severity word) of each finding row of the report sheet."""
    rows, inside = [], False
    for row in ws.iter_rows(values_only=True):
        if row[0] == "#":
            inside = True
            continue
        if inside and isinstance(row[0], int):
            rows.append((row[5], row[2], row[3], row[4]))
    return rows


# --- check -------------------------------------------------------------------------------------------

def test_check_of_a_complete_plan(example_path):
    replay = run_button(entry.check, example_path)
    wb = replay.wb
    report = wb[schema.REPORT_SHEET]
    assert report["A2"].value == "الخطة مكتملة"
    assert finding_rows(report) == []
    assert [a["prompt"].splitlines()[0] for a in replay.alerts] == ["الخطة مكتملة"]
    assert replay.alerts[0]["mode"] == "info"
    # the summary: the cover and the ten sections, each complete, each linked to its sheet
    summary = [row for row in report.iter_rows(min_row=8, max_row=18, values_only=True)]
    assert [row[3] for row in summary] == [1.0] * 11
    assert summary[0][1] == '=HYPERLINK("#\'الغلاف\'!A1","الغلاف")'
    marks = wb[MARKS_SHEET]
    assert marks.sheet_state == "hidden"
    assert marks.max_row == 1                       # the header only: nothing coloured
    assert wb.worksheets[replay.active].title == schema.REPORT_SHEET


def test_check_lists_each_finding_with_a_link(defective):
    _, expected = check(defective)
    replay = run_button(entry.check, defective)
    rows = finding_rows(replay.wb[schema.REPORT_SHEET])
    assert sorted(code for code, *_ in rows) == ["bad-date", "bad-email", "missing-value", "negative-amount"]
    assert [(code, sheet) for code, sheet, _, _ in rows] == [(f.code, f.sheet) for f in expected.findings]
    sheet, cell = table_cell(defective, "tbl_datasets", 1, "publish_date")
    bad_date = next(r for r in rows if r[0] == "bad-date")
    assert bad_date == ("bad-date", sheet, f'=HYPERLINK("#\'{sheet}\'!{cell}","{cell}")', "خطأ")
    warning = next(r for r in rows if r[0] == "bad-email")
    assert warning[3] == "تنبيه"
    assert replay.alerts[0]["prompt"].splitlines()[0] == "الخطة غير مكتملة: 3 خطأ و1 تنبيه"
    assert replay.wb[schema.REPORT_SHEET]["A2"].value == "الخطة غير مكتملة: 3 خطأ و1 تنبيه"
    # only our own formulas reach the workbook
    assert all(formula.startswith("=HYPERLINK(") for _, _, formula in replay.formulas)


def test_check_colours_the_offending_cells(defective):
    replay = run_button(entry.check, defective)
    wb = replay.wb
    errors = [named_cell(defective, "cover_officer"), table_cell(defective, "tbl_datasets", 1, "publish_date"),
              table_cell(defective, "tbl_budget", 0, "amount")]
    warning = named_cell(defective, "cover_officer_email")
    for sheet, cell in errors:
        assert fill_of(wb[sheet][cell]) == ERROR_FILL, (sheet, cell)
    assert fill_of(wb[warning[0]][warning[1]]) == WARNING_FILL
    # the neighbours keep their own look
    sheet, cell = table_cell(defective, "tbl_datasets", 0, "publish_date")
    assert fill_of(wb[sheet][cell]) is None
    marks = sorted(tuple(row) for row in wb[MARKS_SHEET].iter_rows(min_row=2, values_only=True))
    assert marks == sorted([*errors, warning])


def test_a_second_check_first_clears_the_colours_it_set(defective, tmp_path):
    first = run_button(entry.check, defective)
    officer = named_cell(defective, "cover_officer")
    # the officer fixes one cell and checks again (the workbook as Excel would now hold it)
    first.wb[officer[0]][officer[1]].value = "سنية بن عمر"
    fixed = first.save(tmp_path / "fixed.xlsm")
    book = open_as_caller(fixed)
    entry.check()
    actions = book.json()["actions"]
    second = Replay(fixed)
    second.apply(actions)
    wb = second.wb
    assert fill_of(wb[officer[0]][officer[1]]) is None
    date_sheet, date_cell = table_cell(defective, "tbl_datasets", 1, "publish_date")
    assert fill_of(wb[date_sheet][date_cell]) == ERROR_FILL
    # the old colours are removed before the new ones are set, and no colour is ever read
    funcs = [a["func"] for a in actions]
    first_clear = next(i for i, a in enumerate(actions)
                       if a["func"] == "setRangeColor" and a["args"] == [None])
    assert first_clear < funcs.index("addSheet")
    assert wb.sheetnames.count(schema.REPORT_SHEET) == 1
    assert wb.sheetnames.index(schema.REPORT_SHEET) == first.wb.sheetnames.index(schema.REPORT_SHEET)
    assert [code for code, *_ in finding_rows(wb[schema.REPORT_SHEET])] == \
        ["bad-date", "bad-email", "negative-amount"]
    assert officer not in [tuple(r) for r in wb[MARKS_SHEET].iter_rows(min_row=2, values_only=True)]
    assert second.alerts[0]["prompt"].splitlines()[0] == "الخطة تحتوي على قيم غير صالحة: 2 خطأ و1 تنبيه"


def test_buttons_leave_the_plan_sheets_alone(defective):
    before = openpyxl.load_workbook(defective)
    for button in (entry.check, entry.gantt):
        after = run_button(button, defective).wb
        for title in before.sheetnames:
            assert sheet_values(after, title) == sheet_values(before, title), (button.__name__, title)


# --- Gantt ---------------------------------------------------------------------------------------------

def test_gantt_sheet_has_the_bars_in_the_right_months(example_path):
    replay = run_button(entry.gantt, example_path)
    ws = replay.wb[schema.GANTT_SHEET]
    expected = example_data()["sections"]["inventory"][0]
    header = next(r for r in ws.iter_rows(min_row=1, max_row=10) if r[5].value == schema.MONTHS_AR[0])
    month_col = {c.value: c.column for c in header if c.value in schema.MONTHS_AR}
    row = next(r for r in ws.iter_rows(min_row=header[0].row + 1) if r[1].value == expected["activity"])
    filled = [m for m, name in enumerate(schema.MONTHS_AR, 1)
              if fill_of(ws.cell(row=row[0].row, column=month_col[name])) == SECTION_COLOURS["inventory"]]
    assert filled == list(range(expected["start"].month, expected["end"].month + 1))
    assert row[3].value == dt.datetime.combine(expected["start"], dt.time())
    plan, _ = read_plan(example_path)
    dated = len(build_gantt(plan).activities)
    done = f"تم إنشاء ورقة «{schema.GANTT_SHEET}»: {dated} نشاط مؤرخ."
    assert replay.alerts[0]["prompt"].splitlines()[0] == done
    assert ws.freeze_panes == "F6"


def test_gantt_twice_replaces_its_sheet(example_path, tmp_path):
    first = run_button(entry.gantt, example_path).save(tmp_path / "once.xlsx")
    second = run_button(entry.gantt, first).wb
    assert second.sheetnames.count(schema.GANTT_SHEET) == 1
    assert second.sheetnames == openpyxl.load_workbook(first).sheetnames


def test_text_that_looks_like_a_formula_stays_text(defective):
    replay = run_button(entry.gantt, defective)
    ws = replay.wb[schema.GANTT_SHEET]
    labels = [row[1] for row in ws.iter_rows(values_only=True)]
    assert "=1+1" in labels
    assert all(formula.startswith("=HYPERLINK(") for _, _, formula in replay.formulas)


# --- Word ----------------------------------------------------------------------------------------------

def test_word_goes_next_to_the_workbook(defective):
    replay = run_button(entry.word, defective, name=str(defective))
    out = defective.with_suffix(".docx")
    assert out.is_file()
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "وزارة التجهيز والإسكان" in text
    prompt = replay.alerts[0]["prompt"]
    assert prompt.startswith("تم إنشاء ملف Word:") and str(out) in prompt
    assert "3 خطأ" in prompt                       # the plan is incomplete: said, not hidden
    assert "حلّ محل" not in prompt
    again = run_button(entry.word, defective, name=str(defective))
    assert "حلّ محل ملف Word السابق" in again.alerts[0]["prompt"]   # a second export replaces the first
    assert sorted(p.name for p in defective.parent.glob("*.docx")) == [out.name]


def test_unsaved_workbook_exports_to_documents(example_path, tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    replay = run_button(entry.word, example_path, name='خطة 2027: "نهائية"?.xlsx')
    written = list((home / "Documents").glob("*.docx"))
    assert len(written) == 1
    assert not set('\\/:*?"<>|') & set(written[0].name)
    assert written[0].stem.startswith("خطة_2027") and written[0].stem.endswith("نهائية")
    prompt = replay.alerts[0]["prompt"]
    assert str(written[0]) in prompt and "مجلد المستندات" in prompt
    assert not list(home.glob(".*part*"))           # written atomically: no leftovers


# --- failures -------------------------------------------------------------------------------------------

def test_a_foreign_workbook_gets_an_arabic_alert(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "ميزانية"
    wb.save(tmp_path / "other.xlsx")
    replay = run_button(entry.check, tmp_path / "other.xlsx")
    assert len(replay.alerts) == 1
    assert replay.alerts[0]["mode"] == "critical"
    assert "ليس نموذج الخطة السنوية" in replay.alerts[0]["prompt"]
    assert replay.wb.sheetnames == ["Sheet"]         # nothing written


def test_an_unexpected_error_is_an_alert_with_its_type(example_path, monkeypatch, tmp_path):
    def broken(book, spec):
        raise KeyError("boom")

    monkeypatch.setattr(buttons, "write_spec", broken)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    replay = run_button(entry.check, example_path)
    prompt = replay.alerts[0]["prompt"]
    assert "حدث خطأ غير متوقع (KeyError)" in prompt
    log = tmp_path / "odplan-xl-error.txt"
    assert str(log) in prompt and "Traceback" in log.read_text(encoding="utf-8")


def test_without_a_calling_workbook_the_message_is_arabic():
    with pytest.raises(SystemExit) as exc:
        entry.check()
    assert "تعذر الوصول إلى المصنف" in str(exc.value.code)


def test_the_package_imports_without_xlwings():
    code = ("import sys; sys.modules['xlwings'] = None\n"
            "import odplan_xl.macros, odplan_xl.cli, odplan_xl.app.check\n"
            "print('ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip() == "ok", done.stderr


# --- xlwings Lite -------------------------------------------------------------------------------------

@pytest.fixture
def lite(monkeypatch):
    """macros/lite/main.py loaded the way the Lite add-in runs it (server-side `script`)."""
    if xw.script is not xlwings.server.script:       # xlwings imported earlier without XLWINGS_ON_SERVER
        monkeypatch.setattr(xw, "script", xlwings.server.script)
    spec = importlib.util.spec_from_file_location("odplan_lite_main", LITE / "main.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_script(module, name: str, path: Path) -> Replay:
    book = xw.Book(json=payload(path))
    asyncio.run(xlwings.server.custom_scripts_call(module, name, typehint_to_value={xw.Book: book}))
    replay = Replay(path)
    replay.apply(book.json()["actions"])
    return replay


def test_lite_scripts_are_registered(lite):
    meta = {m["function_name"]: m for m in xlwings.server.custom_scripts_meta(lite)}
    assert sorted(meta) == ["odplan_check", "odplan_diagnose", "odplan_gantt", "odplan_word"]
    assert meta["odplan_check"]["name"] == "التحقق من اكتمال الخطة"


def test_lite_check_writes_the_same_report(lite, defective):
    from_lite = run_script(lite, "odplan_check", defective)
    from_button = run_button(entry.check, defective)
    lite_rows = finding_rows(from_lite.wb[schema.REPORT_SHEET])
    assert lite_rows == finding_rows(from_button.wb[schema.REPORT_SHEET])
    sheet, cell = table_cell(defective, "tbl_budget", 0, "amount")
    assert fill_of(from_lite.wb[sheet][cell]) == ERROR_FILL
    assert from_lite.alerts[0]["prompt"] == from_button.alerts[0]["prompt"]


def test_lite_gantt_writes_the_gantt_sheet(lite, example_path):
    replay = run_script(lite, "odplan_gantt", example_path)
    assert schema.GANTT_SHEET in replay.wb.sheetnames
    assert replay.alerts[0]["prompt"].startswith("تم إنشاء ورقة")


def test_lite_requirements_match_the_package():
    lines = (LITE / "requirements.txt").read_text(encoding="utf-8").split()
    import tomllib

    from odplan_xl.version import __version__

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert lines[0] in project["optional-dependencies"]["excel"]       # the same pinned xlwings
    assert lines[1].endswith(f"/odplan_xl-{__version__}-py3-none-any.whl")


def test_check_shows_what_was_typed_outside_the_tables(make_workbook, tmp_path):
    """A row under a table and a note beside it: both listed with a link to their cell, and coloured."""
    path = make_workbook(example_data(), "outside.xlsx")
    wb = openpyxl.load_workbook(path)
    spec = schema.section("tools")
    ws = wb[spec.sheet]
    min_col, _, max_col, max_row = openpyxl.utils.cell.range_boundaries(ws.tables[spec.table].ref)
    ws.cell(max_row + 1, min_col, "أداة كتبت تحت الجدول")
    ws.cell(max_row + 1, max_col + 2, "ملاحظة جانبية")
    wb.save(tmp_path / "typed.xlsx")
    below = f"{openpyxl.utils.get_column_letter(min_col)}{max_row + 1}"
    beside = f"{openpyxl.utils.get_column_letter(max_col + 2)}{max_row + 1}"
    replay = run_button(entry.check, tmp_path / "typed.xlsx")
    rows = finding_rows(replay.wb[schema.REPORT_SHEET])
    listed = {(code, sheet, link) for code, sheet, link, _ in rows}
    assert ("row-outside-table", spec.sheet, f'=HYPERLINK("#\'{spec.sheet}\'!{below}","{below}")') in listed
    assert ("text-outside-tables", spec.sheet, f'=HYPERLINK("#\'{spec.sheet}\'!{beside}","{beside}")') in listed
    assert fill_of(replay.wb[spec.sheet][beside]) == WARNING_FILL
