"""Reading workbooks written by another office suite, or edited by officers in ways we must survive."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl

from odplan_xl import schema
from odplan_xl.app.check import check
from odplan_xl.app.check import read as read_plan
from odplan_xl.workbook.example import example_data

EXAMPLE = example_data()


def soffice_convert(soffice: str, src: Path, outdir: Path, target: str) -> Path:
    """Convert with a real LibreOffice (private profile), as an officer's other office suite would."""
    profile = tempfile.mkdtemp(prefix="lo_profile_")
    try:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", target, "--outdir", str(outdir), str(src)],
                       check=True, capture_output=True, timeout=180)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = outdir / f"{src.stem}.{target.split(':')[0]}"
    assert out.exists(), f"LibreOffice produced no {out.name}"
    return out


def test_example_resaved_by_libreoffice_reads_the_same(example_path, tmp_path, soffice):
    src = tmp_path / "src"
    src.mkdir()
    resaved = soffice_convert(soffice, shutil.copy(example_path, src / "plan.xlsx"), tmp_path, "xlsx")
    ours, _ = check(example_path)
    theirs, report = check(resaved)
    assert report.ok, report.flatten(["code", "address"])
    for key in ours.sections:
        assert [r.values for r in theirs.sections[key].rows] == [r.values for r in ours.sections[key].rows]
    assert theirs.cover == ours.cover


def test_renamed_and_reordered_sheets_still_read(example_path, tmp_path):
    wb = openpyxl.load_workbook(example_path)
    renamed = {}
    for i, ws in enumerate(wb.worksheets):
        renamed[ws.title], ws.title = f"X{i}", f"X{i}"
    for defn in wb.defined_names.values():      # as Excel does when a sheet is renamed
        for old, new in renamed.items():
            text = defn.attr_text.replace(f"'{old}'!", f"{new}!")
            defn.attr_text = text.replace(f"{old}!", f"{new}!") if text.startswith(f"{old}!") else text
    wb.move_sheet(wb.worksheets[-1], offset=-(len(wb.worksheets) - 1))
    edited = tmp_path / "renamed.xlsx"
    wb.save(edited)
    plan, report = check(edited)
    assert report.ok, report.flatten(["code", "address"])
    assert len(plan.sections["datasets"].rows) == len(EXAMPLE["sections"]["datasets"])
    assert plan.sections["datasets"].sheet != schema.section("datasets").sheet


def test_reordered_columns_read_by_label(make_workbook):
    wb_path = make_workbook(EXAMPLE)
    wb = openpyxl.load_workbook(wb_path)
    ws = wb[schema.section("budget").sheet]
    table = ws.tables["tbl_budget"]
    min_col, min_row, max_col, max_row = openpyxl.utils.cell.range_boundaries(table.ref)
    # swap the first two columns' contents (header included)
    for r in range(min_row, max_row + 1):
        a, b = ws.cell(r, min_col), ws.cell(r, min_col + 1)
        a.value, b.value = b.value, a.value
    for i, col in enumerate(table.tableColumns):
        col.name = str(ws.cell(min_row, min_col + i).value)
    wb.save(wb_path)
    plan, _ = read_plan(wb_path)
    got = [(r.get("activity"), r.get("section")) for r in plan.sections["budget"].rows]
    assert got == [(r["activity"], r.get("section")) for r in EXAMPLE["sections"]["budget"]]
