"""The file reader (python-calamine behind our own package parse) against openpyxl, an independent reader.

Workbooks made the ways plans really are (Excel-style files from the template, LibreOffice re-saves,
officers' edits, hostile but readable files): every cell's value and type, the defined names, the
Excel Tables, merged ranges and formula cells must be what openpyxl reads in the same file.
"""

from __future__ import annotations

import re
import shutil
import zipfile

import hostile
import officer
import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from odplan_xl.errors import OdplanError
from odplan_xl.xlsx import open_grid
from odplan_xl.xlsx.parts import sheet_facts

OFFICER = ["libreoffice_resave", "libreoffice_rows_under_table", "merged_vertical", "merged_in_range",
           "formula_without_result", "date_as_number", "vertical_tab_line_break", "symbol_bullets",
           "total_row", "table_to_range", "hidden_sheet", "ambiguous_amounts", "priority_overwritten",
           "grand_total_overwritten", "remark_grew_table", "copied_sheet", "section_intro"]
HOSTILE = ["formula_errors", "extreme_numbers", "control_characters", "bidi_and_zero_width", "odd_references",
           "merged_cells", "date_out_of_range", "outside_references", "sheets_renamed_reordered",
           "formulas_not_evaluated", "huge_cell", "formula_injection", "deleted_column", "extra_columns"]
_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    folder = tmp_path_factory.mktemp("read")

    def get(kind: str, name: str):
        if kind == "officer":
            if name.startswith("libreoffice") and not shutil.which("soffice"):
                pytest.skip("LibreOffice is needed to re-save this case")
            return officer.CASES[name](folder)[0]
        return hostile.CASES[name](folder)

    return get


CASES = [("officer", n) for n in OFFICER] + [("hostile", n) for n in HOSTILE]


def _expected(value):
    """openpyxl's value, with the OOXML escapes (_x000B_) turned into their characters as Excel shows them."""
    if isinstance(value, str):
        return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), value)
    return value


@pytest.mark.parametrize(("kind", "name"), CASES)
def test_every_value_is_what_openpyxl_reads(workbook, kind, name):
    path = workbook(kind, name)
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    with open_grid(path) as grid:
        assert grid.sheet_names() == wb.sheetnames
        compared = 0
        for ws in wb.worksheets:
            expected = [[_expected(v) for v in row] for row in ws.iter_rows(values_only=True)]
            height = max((i + 1 for i, row in enumerate(expected) if any(v is not None for v in row)), default=0)
            width = max((len(r) for r in expected), default=0)
            got = grid.values(ws.title, 1, 1, max(height, 1), max(width, 1))
            for r in range(height):
                for c in range(width):
                    want = expected[r][c] if c < len(expected[r]) else None
                    have = got[r][c] if r < len(got) else None
                    assert (have, type(have)) == (want, type(want)), f"{ws.title}!{r + 1},{c + 1}"
                    compared += want is not None
    wb.close()
    assert compared > 100


# odd_references holds table ranges openpyxl's full (not read-only) load refuses
@pytest.mark.parametrize(("kind", "name"), [c for c in CASES if c[1] != "odd_references"])
def test_names_tables_merges_and_formulas_are_what_openpyxl_reads(workbook, kind, name):
    path = workbook(kind, name)
    full = openpyxl.load_workbook(path)                      # formulas as written
    cached = openpyxl.load_workbook(path, data_only=True)     # their computed values
    with open_grid(path) as grid:
        names = {}
        for key, defn in full.defined_names.items():
            try:
                dests = list(defn.destinations)
            except Exception:
                continue
            if len(dests) == 1 and re.fullmatch(r"\$?[A-Z]{1,3}\$?\d+(:\$?[A-Z]{1,3}\$?\d+)?", dests[0][1]):
                names[key] = (dests[0][0].replace("''", "'"), dests[0][1].replace("$", "").split(":")[0])
        assert grid.defined_names() == names
        tables = sorted((t.name, ws.title, t.ref, t.totalsRowCount or 0)
                        for ws in full.worksheets for t in ws.tables.values())
        assert sorted((t.name, t.sheet, t.ref, t.totals_rows) for t in grid.tables()) == tables
        for ws in full.worksheets:
            facts = grid.sheet_facts(ws.title)
            merges = {(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges}
            assert set(facts.merges) == merges, ws.title
            formulas = {(c.row, c.column) for row in ws.iter_rows() for c in row
                        if isinstance(c.value, ArrayFormula | DataTableFormula)
                        or (c.data_type == "f" and isinstance(c.value, str))}
            assert facts.formulas == formulas, ws.title
            never = {cell for cell in formulas if cached[ws.title].cell(*cell).value is None}
            assert facts.uncomputed == never, ws.title


def test_formula_cells_written_with_a_namespace_prefix_are_found():
    plain = (b'<worksheet><sheetData><row r="2"><c r="B2"><f>1+1</f><v>2</v></c>'
             b'<c r="C2" s="3"><f>A1</f></c><c r="D2"><v>5</v></c></row></sheetData>'
             b'<mergeCells count="1"><mergeCell ref="A5:A7"/></mergeCells></worksheet>')
    prefixed = re.sub(rb"<(/?)(\w)", rb"<\1x:\2", plain)
    for xml in (plain, prefixed):
        facts = sheet_facts(xml)
        assert facts.formulas == {(2, 2), (2, 3)} and facts.uncomputed == {(2, 3)}
        assert facts.merges == ((5, 1, 7, 1),)


def test_a_number_calamine_cannot_give_exactly_is_read_by_openpyxl(workbook):
    path = workbook("hostile", "extreme_numbers")
    with open_grid(path) as grid:
        values = [v for s in grid.sheet_names() for row in grid.values(s, 1, 1, *grid.dimensions(s)) for v in row]
    assert int("9" * 400) in values and float("inf") in values


def test_a_part_that_lies_about_its_size_is_refused_without_inflating_it(workbook, tmp_path):
    path = workbook("hostile", "corrupted_member")
    with pytest.raises(OdplanError) as err:
        open_grid(path)
    assert err.value.code == "damaged-workbook"


def test_every_part_is_checked_before_any_is_parsed(workbook, tmp_path):
    src = workbook("officer", "section_intro")
    out = tmp_path / "doctype_in_styles.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/styles.xml":
                data = data.replace(b"<styleSheet", b'<!DOCTYPE styleSheet [<!ENTITY e "x">]><styleSheet', 1)
            zout.writestr(info, data)
    with pytest.raises(OdplanError) as err:
        open_grid(out)
    assert err.value.code == "unsafe-xml" and "styles.xml" in str(err.value.where)


def test_every_kind_of_cell_value_means_what_openpyxl_reads(tmp_path):
    """Dates, date-times, times, durations, booleans, numbers stored as text, errors, big and small numbers."""
    import datetime as dt

    import xlsxwriter

    path = tmp_path / "kinds.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("قيم")
    formats = {k: book.add_format({"num_format": f}) for k, f in
               (("date", "dd/mm/yyyy"), ("datetime", "dd/mm/yyyy hh:mm"), ("time", "hh:mm:ss"),
                ("duration", "[h]:mm"), ("amount", "#,##0.000"), ("text", "@"), ("general", "General"))}
    values = [
        ("date", dt.datetime(2027, 3, 15)), ("date", dt.datetime(1900, 1, 1)), ("date", dt.datetime(1900, 3, 1)),
        ("datetime", dt.datetime(2027, 3, 15, 14, 30)), ("time", dt.time(9, 45, 10)),
        ("duration", dt.timedelta(hours=30, minutes=15)), ("amount", 12500.5), ("amount", 7.8),
        ("general", 42), ("general", -0.0001), ("general", 2 ** 53 - 1), ("general", 1.5e-20), ("text", "00123"),
        ("text", "12,500"), ("general", True), ("general", False), ("general", "نعم"), ("general", ""),
        ("general", " مسافات "), ("general", "سطر\nثان"),
    ]
    for i, (kind, value) in enumerate(values):
        if isinstance(value, dt.datetime | dt.time | dt.timedelta):
            sheet.write_datetime(i, 0, value, formats[kind])
        elif isinstance(value, str):
            sheet.write_string(i, 0, value, formats[kind])
        else:
            sheet.write(i, 0, value, formats[kind])
    sheet.write_formula(len(values), 0, "=1/0", None, "#DIV/0!")
    sheet.write_formula(len(values) + 1, 0, "=NOPE()", None, "#NAME?")
    sheet.write_formula(len(values) + 2, 0, '="نص"', None, "نص")
    book.close()
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    # an empty text is read as an empty cell (the reader gives both the same meaning)
    expected = [_expected(row[0]) if row[0] != "" else None for row in wb["قيم"].iter_rows(values_only=True)]
    wb.close()
    with open_grid(path) as grid:
        got = [row[0] for row in grid.values("قيم", 1, 1, len(expected), 1)]
        assert grid._fallback is None      # read by calamine (no number here needs openpyxl)
    assert [(v, type(v)) for v in got] == [(v, type(v)) for v in expected]
