"""The button «فحص التثبيت»: its Python side on xlwings' own engine, and its contract with the VBA Sub."""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import platform
import re
import sys
from pathlib import Path

import openpyxl
import pytest
import xlwings as xw
import xlwings.server
from officejs import Replay, fill_of, payload, run_button, sheet_values

import odplan_xl
from odplan_xl import macros as entry
from odplan_xl.excel.buttons import diagnose_button
from odplan_xl.sheets.diagnosis import (
    ALL_GOOD,
    DIAGNOSIS_SHEET,
    SOME_WARNINGS,
    TOKEN_CELL,
)
from odplan_xl.sheets.report import ERROR_FILL, GOOD_FILL

ROOT = Path(__file__).resolve().parents[2]
BAS = ROOT / "macros" / "OdplanButtons.bas"
FIRST_FACT_ROW = 7          # below the token (row 4) and the header (row 6)


def facts_of(wb) -> dict[str, tuple[str, str | None]]:
    """French label -> (value, fill of the value cell) of each line of the diagnosis sheet."""
    ws = wb[DIAGNOSIS_SHEET]
    out = {}
    for row in ws.iter_rows(min_row=FIRST_FACT_ROW):
        if row[1].value and row[2].value is not None:
            out[row[1].value] = (str(row[2].value), fill_of(row[2]))
    return out


def test_diagnosis_reports_python_the_versions_and_the_workbook(example_path):
    before = openpyxl.load_workbook(example_path)
    replay = run_button(entry.diagnose, example_path, None, "T2027010409", "16.0", "64", xw.__version__)
    wb = replay.wb
    ws = wb[DIAGNOSIS_SHEET]
    assert ws[TOKEN_CELL].value == "T2027010409"              # what the VBA Sub looks for
    assert ws["A2"].value == " — ".join(ALL_GOOD)
    facts = facts_of(wb)
    assert facts["Excel (version)"] == ("16.0 (64 bits)", None)
    assert facts["Interpréteur Python"][0] == sys.executable
    assert facts["Version de Python"][0].startswith(f"{platform.python_version()} (")
    assert facts["Version de xlwings"] == (f"{xw.__version__} (Python) / {xw.__version__} (VBA)", GOOD_FILL)
    assert facts["Version d'odplan-xl"][0] == odplan_xl.__version__
    assert facts["Classeur atteint (Book.caller)"] == (example_path.name, GOOD_FILL)
    assert re.fullmatch(r"\d+\.\d ms", facts["Aller-retour avec Excel (lecture d'une cellule)"][0])
    assert re.fullmatch(r"\d+\.\d\d s — \d+ lignes / أسطر", facts["Lecture du plan"][0])
    assert facts["Fichier du détail des erreurs"][0].endswith("odplan-xl-error.txt")
    # one alert, Arabic then French, the sheet shown; the plan's own sheets untouched
    [alert] = replay.alerts
    ar, fr = alert["prompt"].split("\n\n")
    assert ar.startswith(f"فحص التثبيت: {ALL_GOOD[0]}") and f"«{DIAGNOSIS_SHEET}»" in ar
    assert fr.startswith(f"Diagnostic : {ALL_GOOD[1]}") and xw.__version__ in fr and alert["mode"] == "info"
    assert wb.worksheets[replay.active].title == DIAGNOSIS_SHEET
    for title in before.sheetnames:
        assert sheet_values(wb, title) == sheet_values(before, title), title


def test_a_different_xlwings_in_the_workbook_is_flagged(example_path):
    replay = run_button(entry.diagnose, example_path, None, "T1", "16.0", "32", "0.30.0")
    facts = facts_of(replay.wb)
    value, fill = facts["Version de xlwings"]
    assert (value, fill) == (f"{xw.__version__} (Python) / 0.30.0 (VBA)", ERROR_FILL)
    note = next(r[3].value for r in replay.wb[DIAGNOSIS_SHEET].iter_rows(min_row=FIRST_FACT_ROW)
                if r[1].value == "Version de xlwings")
    assert "xlwings==0.30.0" in note
    assert replay.wb[DIAGNOSIS_SHEET]["A2"].value == " — ".join(SOME_WARNINGS)
    assert replay.alerts[0]["prompt"].startswith(f"فحص التثبيت: {SOME_WARNINGS[0]}")


def test_a_workbook_that_is_not_a_plan_is_still_diagnosed(tmp_path):
    path = tmp_path / "other.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "ميزانية"
    wb.save(path)
    replay = run_button(entry.diagnose, path, None, "T9")
    value, fill = facts_of(replay.wb)["Lecture du plan"]
    assert "n'est pas le modèle" in value and fill == ERROR_FILL
    assert facts_of(replay.wb)["Excel (version)"][0] == "غير معروف — inconnu"
    assert replay.wb[DIAGNOSIS_SHEET][TOKEN_CELL].value == "T9"


def test_a_second_diagnosis_replaces_the_sheet(example_path, tmp_path):
    first = run_button(entry.diagnose, example_path, None, "T1").save(tmp_path / "once.xlsx")
    second = run_button(entry.diagnose, first, None, "T2").wb
    assert second.sheetnames.count(DIAGNOSIS_SHEET) == 1
    assert second[DIAGNOSIS_SHEET][TOKEN_CELL].value == "T2"


def test_without_a_calling_workbook_the_message_is_arabic():
    with pytest.raises(SystemExit) as exc:
        entry.diagnose("T1", "16.0", "64", "0.37.8")
    assert "تعذر الوصول إلى المصنف" in str(exc.value.code)


def test_lite_script_writes_the_diagnosis(example_path):
    spec = importlib.util.spec_from_file_location("odplan_lite_main_diag", ROOT / "macros" / "lite" / "main.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    book = xw.Book(json=payload(example_path))
    asyncio.run(xlwings.server.custom_scripts_call(module, "odplan_diagnose", typehint_to_value={xw.Book: book}))
    replay = Replay(example_path)
    replay.apply(book.json()["actions"])
    assert facts_of(replay.wb)["Version d'odplan-xl"][0] == odplan_xl.__version__


# --- the contract with the VBA Sub OdplanDiagnose -------------------------------------------------

def bas_text() -> str:
    return BAS.read_bytes().decode("cp1252")


def test_vba_looks_for_the_token_where_python_writes_it():
    text = bas_text()
    assert re.search(r'^Private Const DIAGNOSIS_TOKEN_CELL As String = "(\w+)"', text, re.M)[1] == TOKEN_CELL
    sub = re.search(r"^Private Function DiagnosisSheetName\(\) As String\r\n(.*?)^End Function", text,
                    re.M | re.S)[1]
    assert "".join(chr(int(h, 16)) for h in re.findall(r"ChrW\(&H([0-9A-F]+)\)", sub)) == DIAGNOSIS_SHEET


def test_vba_passes_what_python_expects():
    call = re.search(r"m\.diagnose\((.*?)\)\"\r\n", bas_text(), re.S)[1]
    passed = re.findall(r"'\" & (?:_\r\n\s*\")?([^&]+?) & (?:_\r\n\s*)?\"'", call)
    assert passed == ["token", "Application.Version", "bits", "XLWINGS_VERSION"]
    assert list(inspect.signature(diagnose_button).parameters) == ["token", "excel", "bits", "vba_xlwings"]


def test_vba_text_reads_the_same_on_latin_and_arabic_windows():
    """The project code page is 1252; Tunisian PCs run Windows in French (1252) or Arabic (1256)."""
    data = BAS.read_bytes()
    assert data.decode("cp1252") == data.decode("cp1256")
