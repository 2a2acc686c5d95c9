"""The generated workbook against the schema, read back by openpyxl and LibreOffice."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import subprocess
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.worksheet.formula import ArrayFormula
import pytest
from openpyxl.utils.cell import range_boundaries

from odplan_xl import schema
from odplan_xl.app.workbooks import build_all
from odplan_xl.errors import OdplanError
from odplan_xl.workbook import template
from odplan_xl.workbook.example import example_data

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "workbook_template"
TABLES = (schema.AUTHORS, *schema.SECTIONS)
OWNER = {schema.AUTHORS.key: schema.AUTHORS.key, **{s.key: s.key for s in schema.SECTIONS}}


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    path = template.build_workbook(tmp_path_factory.mktemp("blank") / "template.xlsx")
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def example_book(example_path):
    return openpyxl.load_workbook(example_path), openpyxl.load_workbook(example_path, data_only=True)


def find_table(wb, name):
    for ws in wb.worksheets:
        if name in ws.tables:
            return ws, ws.tables[name]
    raise KeyError(name)


def table_rows(ws, table):
    """(header, [data rows]) of a table, as openpyxl cells."""
    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    rows = list(ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col))
    return rows[0], rows[1:]


def name_cell(wb, name):
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    return wb[sheet], ref.replace("$", "")


def validation_at(ws, coordinate):
    found = [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]
    assert len(found) <= 1, coordinate
    return found[0] if found else None


def list_values(wb, formula):
    """The values of a list validation's source (a defined name on the lists sheet)."""
    name = formula.lstrip("=")
    sheet, ref = next(iter(wb.defined_names[name].destinations))
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    return [c.value for row in wb[sheet].iter_rows(min_row=min_row, max_row=max_row, min_col=min_col,
                                                   max_col=max_col) for c in row]


# --- the contract with the schema ------------------------------------------------------------
@pytest.mark.parametrize("sec", TABLES, ids=[s.key for s in TABLES])
def test_table_header_and_sheet(blank, sec):
    ws, table = find_table(blank, sec.table)
    assert ws.title == sec.sheet
    header, rows = table_rows(ws, table)
    assert [c.value for c in header] == [c.ar for c in sec.columns]
    assert len(rows) == (template.BLANK_AUTHOR_ROWS if sec is schema.AUTHORS else template.BLANK_ROWS)
    assert table.tableStyleInfo.name and table.autoFilter is not None


@pytest.mark.parametrize("sec", TABLES, ids=[s.key for s in TABLES])
def test_column_validation_and_formats(blank, sec):
    ws, table = find_table(blank, sec.table)
    header, rows = table_rows(ws, table)
    for i, col in enumerate(sec.columns):
        first, last = rows[0][i], rows[-1][i]
        dv = validation_at(ws, first.coordinate)
        assert (dv is None) == (validation_at(ws, last.coordinate) is None)
        if col.choices:
            assert dv.type == "list" and dv.errorStyle in (None, "stop"), col.key
            assert list_values(blank, dv.formula1) == list(col.choices), col.key
            assert dv.showDropDown in (None, False)      # openpyxl: True would *hide* the arrow
        elif col.kind is schema.Kind.DATE:
            assert (dv.type, dv.errorStyle) == ("date", "warning"), col.key
            assert dv.operator in (None, "between"), col.key      # "between" is the default
            assert schema.cover_name("year") in dv.formula1 and schema.cover_name("year") in dv.formula2
            assert dv.promptTitle and dv.prompt and dv.error and dv.errorTitle
            assert first.number_format == template.DATE_FORMAT
        elif col.kind is schema.Kind.INTEGER and not col.computed:
            assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0"), col.key
        elif col.kind is schema.Kind.AMOUNT:
            assert (dv.type, dv.operator, dv.formula1) == ("decimal", "greaterThanOrEqual", "0"), col.key
            assert first.number_format == template.AMOUNT_FORMAT
        if col.guidance:
            assert dv is not None and col.guidance[:200] in dv.prompt, col.key
        if dv is not None and dv.prompt:
            assert re.search("[\u0600-\u06ff]", dv.prompt), col.key   # Arabic input message


def test_priority_is_a_table_formula_counting_yes(blank):
    ws, table = find_table(blank, "tbl_datasets")
    sec = schema.section("datasets")
    col = next(c for c in table.tableColumns if c.name == sec.column("priority").ar)
    formula = col.calculatedColumnFormula.attr_text
    assert "COUNTIF" in formula and f'"{schema.YES_AR}"' in formula
    crits = [c.ar for c in sec.columns if c.kind is schema.Kind.YESNO]
    assert crits[0] in formula and crits[-1] in formula
    _, rows = table_rows(ws, table)
    i = [c.key for c in sec.columns].index("priority")
    assert all(str(r[i].value).startswith("=IF(COUNTA(tbl_datasets[[#This Row]") for r in rows)


def test_cover_fields_and_na_cells_are_named(blank):
    for field in schema.COVER_FIELDS:
        ws, ref = name_cell(blank, schema.cover_name(field.key))
        assert ws.title == schema.COVER_SHEET
        label = ws[ref].offset(column=-1).value
        assert label.startswith(field.ar)
    status_ws, status = name_cell(blank, schema.cover_name("status"))
    assert list_values(blank, validation_at(status_ws, status).formula1) == list(schema.STATUSES)
    year_dv = validation_at(*name_cell(blank, schema.cover_name("year")))
    assert (year_dv.type, year_dv.formula1, year_dv.formula2) == ("whole", "2020", "2100")
    for field in ("prepared", "updated"):
        assert validation_at(*name_cell(blank, schema.cover_name(field))).type == "date"
    for sec in schema.SECTIONS:
        ws, ref = name_cell(blank, sec.na_name)
        assert ws.title == sec.sheet
        assert ws[ref].offset(column=-1).value == schema.NA_LABEL_AR
        assert ws["A1"].value == sec.numbered_heading


def test_sheet_order_visibility_and_meta(blank):
    visible = [schema.COVER_SHEET, schema.GUIDE_SHEET, *(s.sheet for s in schema.SECTIONS)]
    assert blank.sheetnames == [*visible, template.LISTS_SHEET, schema.META_SHEET]
    assert [ws.sheet_state for ws in blank.worksheets] == ["visible"] * len(visible) + ["hidden"] * 2
    meta = blank[schema.META_SHEET]
    assert [[c.value for c in row] for row in meta["A1:B2"]] == [
        ["template_version", schema.TEMPLATE_VERSION], ["schema_version", schema.SCHEMA_VERSION]]
    assert name_cell(blank, "meta_template_version") == (meta, "B1")
    assert name_cell(blank, "meta_schema_version") == (meta, "B2")


@pytest.mark.parametrize("name", ["template.xlsx", "template.xlsm", "example_plan.xlsx"])
def test_every_sheet_is_right_to_left_and_prints_on_a4_landscape(name):
    path = COMMITTED / name
    if not path.exists():
        pytest.skip(f"{name} is built only when the VBA project exists")
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        assert ws.sheet_view.rightToLeft, ws.title
        assert (ws.page_setup.orientation, ws.page_setup.paperSize) == ("landscape", 9), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.page_setup.fitToWidth in (None, 1), ws.title
        assert ws.page_setup.fitToHeight == (None if ws.title == schema.COVER_SHEET else 0), ws.title  # None: 1
    for sec in schema.SECTIONS:
        ws = wb[sec.sheet]
        _, table = find_table(wb, sec.table)
        header_row = range_boundaries(table.ref)[1]
        assert ws.freeze_panes == f"A{header_row + 1}"
        assert ws.print_title_rows.replace("$", "") == f"{header_row}:{header_row}"


# --- values written as given -----------------------------------------------------------------
def _expected(col, value):
    """What openpyxl gives back for a value the generator wrote."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, Decimal):
        return float(value)
    return value


def test_example_reads_back_exactly(example_book):
    wb, cached = example_book
    data = example_data()
    for field in schema.COVER_FIELDS:
        ws, ref = name_cell(wb, schema.cover_name(field.key))
        assert ws[ref].value == _expected(field, data["cover"].get(field.key)), field.key
    for sec in TABLES:
        given = data["authors"] if sec is schema.AUTHORS else data["sections"][sec.key]
        ws, table = find_table(wb, sec.table)
        _, rows = table_rows(ws, table)
        assert len(rows) == len(given), sec.key
        for cells, values in zip(rows, given, strict=True):
            for col, cell in zip(sec.columns, cells, strict=True):
                if col.computed:
                    assert str(cell.value).startswith("=")
                    crits = [values[c.key] for c in sec.columns if c.kind is schema.Kind.YESNO]
                    assert cached[ws.title][cell.coordinate].value == crits.count(schema.YES_AR)
                else:
                    assert cell.value == _expected(col, values.get(col.key)), (sec.key, cell.coordinate)
    for sec in schema.SECTIONS:
        ws, ref = name_cell(wb, sec.na_name)
        assert ws[ref].value == data["na"].get(sec.key)


def test_example_budget_total_is_cached(example_book):
    wb, cached = example_book
    sec = schema.section("budget")
    amounts = [r["amount"] for r in example_data()["sections"]["budget"]]
    ws = cached[sec.sheet]
    totals = [c for row in ws.iter_rows(max_row=10) for c in row
              if isinstance(c.value, float) and c.value == pytest.approx(float(sum(amounts)))]
    assert len(totals) == 1
    assert wb[sec.sheet][totals[0].coordinate].value == f"=SUM({sec.table}[{sec.column('amount').ar}])"


ODD_TEXT = ["=1+1", "=SUM(A1:A3)", "+33 71 000 000", "-5", "@user", "=HYPERLINK(\"http://x\")",
            "32/13/2027", "0012", "http://example.tn", "نص\nبسطرين"]


def test_strings_stay_strings(make_workbook):
    data = example_data()
    rows = data["sections"]["objectives"]
    for i, text in enumerate(ODD_TEXT[:len(rows)]):
        rows[i]["objective"] = text
    data["sections"]["inventory"][0]["start"] = "32/13/2027"
    data["sections"]["trainings"][0]["days"] = -5
    data["sections"]["budget"][0]["amount"] = None
    data["cover"]["structure"] = "=cmd|' /C calc'!A0"
    data["authors"][0]["role"] = ODD_TEXT[-1]
    data["na"] = {"tools": "=لا ينطبق"}
    wb = openpyxl.load_workbook(make_workbook(data))
    ws, table = find_table(wb, "tbl_objectives")
    _, cells = table_rows(ws, table)
    for text, row in zip(ODD_TEXT, cells):
        assert (row[0].value, row[0].data_type) == (text, "s")
    ws, ref = name_cell(wb, "cover_structure")
    assert (ws[ref].value, ws[ref].data_type) == ("=cmd|' /C calc'!A0", "s")
    ws, ref = name_cell(wb, schema.section("tools").na_name)
    assert (ws[ref].value, ws[ref].data_type) == ("=لا ينطبق", "s")
    _, inventory = find_table(wb, "tbl_inventory")
    ws = wb[schema.section("inventory").sheet]
    _, cells = table_rows(ws, inventory)
    assert (cells[0][2].value, cells[0][2].data_type) == ("32/13/2027", "s")
    ws, trainings = find_table(wb, "tbl_trainings")
    _, cells = table_rows(ws, trainings)
    assert cells[0][[c.key for c in schema.section("trainings").columns].index("days")].value == -5
    ws, budget = find_table(wb, "tbl_budget")
    _, cells = table_rows(ws, budget)
    assert cells[0][2].value is None


def test_table_is_sized_to_the_rows_given(make_workbook):
    data = example_data()
    data["sections"]["tools"] = []
    data["sections"]["reuse"] = data["sections"]["reuse"][:1]
    wb = openpyxl.load_workbook(make_workbook(data))
    for key, n in (("tools", 1), ("reuse", 1), ("datasets", len(data["sections"]["datasets"]))):
        ws, table = find_table(wb, schema.section(key).table)
        _, rows = table_rows(ws, table)
        assert len(rows) == n, key
    ws, table = find_table(wb, "tbl_tools")
    assert all(c.value is None for c in table_rows(ws, table)[1][0])


# --- VBA, buttons and xlwings.conf -----------------------------------------------------------
def test_vba_needs_xlsm_and_the_project(tmp_path, monkeypatch):
    with pytest.raises(OdplanError) as err:
        template.build_workbook(tmp_path / "a.xlsx", vba=True)
    assert err.value.code == "vba-needs-xlsm"
    with pytest.raises(OdplanError) as err:
        template.build_workbook(tmp_path / "a.xlsm", vba=False)
    assert err.value.code == "xlsm-needs-vba"
    monkeypatch.setattr(template, "VBA_BIN", tmp_path / "missing" / "vbaProject.bin")
    with pytest.raises(OdplanError) as err:
        template.build_workbook(tmp_path / "a.xlsm")
    assert err.value.code == "vba-missing" and "vbaProject.bin" in err.value.fr
    assert list(tmp_path.iterdir()) == []          # nothing half-written


needs_vba = pytest.mark.skipif(not template.VBA_BIN.exists(), reason="odplan_xl/vba/vbaProject.bin not built")


@needs_vba
def test_xlsm_has_project_buttons_and_xlwings_conf(make_workbook):
    path = make_workbook(name="plan.xlsm")
    with zipfile.ZipFile(path) as z:
        assert z.read("xl/vbaProject.bin") == template.VBA_BIN.read_bytes()
        vml = {n: z.read(n).decode() for n in z.namelist() if n.startswith("xl/drawings/vmlDrawing")}
    assert len(vml) == 1 + len(schema.SECTIONS)
    for text in vml.values():
        for sub, caption in template.BUTTONS:
            assert f"[0]!{template.VBA_MODULE}.{sub}" in text and caption in text
    # the installation check is on the cover only
    diagnose = f"[0]!{template.VBA_MODULE}.{template.DIAGNOSE_BUTTON[0]}"
    assert sum(diagnose in text for text in vml.values()) == 1
    wb = openpyxl.load_workbook(path, keep_vba=True)
    assert wb.sheetnames[-1] == template.XLWINGS_SHEET
    conf = wb[template.XLWINGS_SHEET]
    keys = []
    for row in conf.iter_rows(min_col=1, max_col=2):   # what xlwings reads: A1 down to an empty cell
        if row[0].value is None:
            break
        keys.append((row[0].value.upper(), row[1].value))
    settings = dict(keys)
    assert len(settings) == len(keys)                  # xlwings' Dictionary.Add fails on duplicates
    assert {"INTERPRETER_WIN", "INTERPRETER_MAC", "PYTHONPATH", "UDF MODULES"} <= set(settings)
    for flag in ("DEBUG UDFS", "USE UDF SERVER", "SHOW CONSOLE"):
        assert settings[flag] in ("True", "False")    # an empty boolean is a VBA type mismatch
    assert wb.vba_archive is not None


@needs_vba
def test_libreoffice_binds_every_button_of_the_template(tmp_path, libreoffice_uno):
    import lo_helpers

    seen = lo_helpers.inspect_workbook(COMMITTED / "template.xlsm")
    assert {"OdplanButtons", "xlwings", "Dictionary"} <= set(seen["modules"])
    expected = sorted((sheet, template.RLM + caption, f"VBAProject.{template.VBA_MODULE}.{sub}")
                      for sheet, buttons in ((schema.COVER_SHEET, template.COVER_BUTTONS),
                                             *((s.sheet, template.BUTTONS) for s in schema.SECTIONS))
                      for sub, caption in buttons)
    assert sorted((b["sheet"], b["label"], b["macro"]) for b in seen["buttons"]) == expected


# --- the committed files ---------------------------------------------------------------------
def _formula_text(value):
    """An array formula as its range and text (openpyxl's object has no equality and shows its address)."""
    return f"{{{value.ref}: {value.text}}}" if isinstance(value, ArrayFormula) else value


def dump(path) -> list[str]:
    """A readable text dump of what a workbook holds (no zip or XML serialisation details)."""
    out = []
    wb = openpyxl.load_workbook(path, keep_vba=path.suffix == ".xlsm")
    for name, dn in sorted(wb.defined_names.items()):
        out.append(f"name {name} = {dn.attr_text}")
    for ws in wb.worksheets:
        out.append(f"sheet {ws.title} {ws.sheet_state} rtl={ws.sheet_view.rightToLeft} "
                   f"freeze={ws.freeze_panes} titles={ws.print_title_rows}")
        out += [f"  col {k} {d.width}" for k, d in sorted(ws.column_dimensions.items()) if d.width]
        out += [f"  row {k} {d.height}" for k, d in sorted(ws.row_dimensions.items()) if d.height]
        out += [f"  merged {r.coord}" for r in sorted(ws.merged_cells.ranges, key=str)]
        for row in ws.iter_rows():
            out += [f"  {c.coordinate} {c.data_type} {_formula_text(c.value)!r} {c.number_format}"
                    for c in row if c.value is not None]
        for dv in ws.data_validations.dataValidation:
            out.append(f"  dv {dv.sqref} {dv.type} {dv.operator} {dv.formula1} {dv.formula2} "
                       f"{dv.errorStyle} {dv.promptTitle} {dv.prompt!r} {dv.errorTitle} {dv.error!r}")
        for t in ws.tables.values():
            out.append(f"  table {t.name} {t.ref} {t.tableStyleInfo.name} " + " | ".join(
                f"{c.name}{'=' + c.calculatedColumnFormula.attr_text if c.calculatedColumnFormula else ''}"
                for c in t.tableColumns))
    with zipfile.ZipFile(path) as z:
        for n in sorted(z.namelist()):
            if n.startswith("xl/drawings/vmlDrawing"):
                vml = z.read(n).decode()
                out.append(f"{n} " + " ".join(re.findall(r"<x:FmlaMacro>([^<]*)<", vml)))
                out.append(f"{n} " + " ".join(re.findall(r">([^<>]*)</font>", vml)))
            elif n.endswith("vbaProject.bin"):
                out.append(f"{n} sha256={hashlib.sha256(z.read(n)).hexdigest()}")
    return out


def test_build_is_byte_reproducible(tmp_path):
    a = template.build_workbook(tmp_path / "a.xlsx", example_data())
    b = template.build_workbook(tmp_path / "b.xlsx", example_data())
    assert a.read_bytes() == b.read_bytes()


def test_committed_workbooks_are_up_to_date(tmp_path):
    """Compared by content, so another XlsxWriter or zlib version does not fail it; same bytes here."""
    made = build_all(tmp_path)
    names = sorted(p.name for p in made)
    expected = ["example_plan.xlsx", "template.xlsx"] + (["template.xlsm"] if template.VBA_BIN.exists()
                                                         else [])
    assert names == sorted(expected)
    hint = f"regenerate with: python -m odplan_xl.app.workbooks {COMMITTED.name}/"
    for p in made:
        committed = COMMITTED / p.name
        assert committed.exists(), hint
        assert dump(p) == dump(committed), f"{p.name} is stale; {hint}"


def test_dump_sees_a_changed_cell(tmp_path):
    data = example_data()
    data["sections"]["budget"][0]["note"] = "ملاحظة مختلفة"
    changed = template.build_workbook(tmp_path / "example_plan.xlsx", data)
    assert dump(changed) != dump(COMMITTED / "example_plan.xlsx")


# --- the example plan ------------------------------------------------------------------------
def test_example_is_a_full_plan():
    data = example_data()
    assert data["cover"]["year"] == 2027 and 3 <= len(data["authors"]) <= 5
    for sec in schema.SECTIONS:
        rows = data["sections"][sec.key]
        assert 5 <= len(rows) <= 40, sec.key
        for row in rows:
            assert set(row) <= {c.key for c in sec.columns}, sec.key
            for col in sec.required_columns:
                assert row.get(col.key) not in (None, ""), (sec.key, col.key)
            for col in sec.columns:
                value = row.get(col.key)
                if col.choices and value is not None:
                    assert value in col.choices, (sec.key, col.key, value)
                if col.is_date and value is not None:
                    assert value.year == 2027, (sec.key, col.key)
            if sec.start and sec.end:
                assert row[sec.start] <= row[sec.end], sec.key
        if sec.category:
            assert {r[sec.category] for r in rows} == {s.value for s in sec.subsections}, sec.key
    comm = data["sections"]["communication"]
    assert {(r["scope"], r["form"]) for r in comm} == {
        (a, b) for a in (schema.COMM_INTERNAL, schema.COMM_EXTERNAL)
        for b in (schema.COMM_FORMAL, schema.COMM_INFORMAL)}
    assert {r["source"] for r in data["sections"]["budget"]} == set(schema.FUNDING_SOURCES)
    months = {r[s.start].month for s in schema.SECTIONS if s.start
              for r in data["sections"][s.key]}
    assert months == set(range(1, 13))


# --- LibreOffice as an independent reader ---------------------------------------------------
def _plain(text: str) -> str:
    """Arabic text with what PDF extraction mangles removed (bidi marks, lam-alef, spaces, digits)."""
    return re.sub(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069\s\d.لاأإآ]", "", text)


@pytest.mark.parametrize("name", ["template.xlsx", "example_plan.xlsx"])
def test_libreoffice_converts_to_pdf(tmp_path, name, soffice):
    profile = Path(tempfile.mkdtemp(prefix="lo_", dir=tmp_path))
    done = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                           "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path),
                           str(COMMITTED / name)], capture_output=True, text=True, timeout=300)
    pdf = tmp_path / name.replace(".xlsx", ".pdf")
    assert pdf.exists(), done.stdout + done.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.count("\f")
    assert pages >= 2 + len(schema.SECTIONS)
    plain = _plain(text)
    for sec in schema.SECTIONS:
        assert _plain(sec.heading) in plain, sec.key
        for col in sec.columns:
            assert _plain(col.ar) in plain, (sec.key, col.key)
    if name.startswith("example"):
        assert _plain(example_data()["cover"]["structure"]) in plain
        assert _plain(example_data()["sections"]["datasets"][0]["title"]) in plain
