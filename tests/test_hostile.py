"""Hostile and messy workbooks: a clean error or located findings, never a traceback, inputs untouched."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import docx.document
import hostile
import openpyxl
import pytest
import xlsxwriter
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.reader import strings
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet import _reader
from openpyxl.xml import functions

from odplan_xl import schema
from odplan_xl.app.check import check
from odplan_xl.app.convert import convert
from odplan_xl.app.gantt import gantt as gantt_workbook
from odplan_xl.errors import OdplanError
from odplan_xl.files import MAX_NAME_BYTES, atomic_path, safe_name
from odplan_xl.plan.reader import EXCEL_MAX_TEXT
from odplan_xl.word import document_text, format_amount, open_document
from odplan_xl.workbook.example import example_data
from odplan_xl.workbook.template import build_workbook
from odplan_xl.xlsx import parsers_are_safe

PEAK_LIMIT_MB = 300

# Cases the tool must refuse as a whole: the error code it gives (exit code 2).
REFUSED = {
    "not_a_zip": "not-a-workbook",
    "truncated": "not-a-workbook",
    "corrupted_member": "damaged-workbook",
    "empty": "empty-file",
    "encrypted": "password-protected",
    "zip_password": "password-protected",
    "old_xls": "old-format",
    "ods": "opendocument",
    "docx_renamed": "word-document",
    "foreign_template": "foreign-workbook",
    "not_a_number": "damaged-workbook",
    "many_rows": "too-many-rows",
    "raw_control_character": "damaged-workbook",
    "entity_bomb": "unsafe-xml",
    "entity_bomb_in_workbook": "unsafe-xml",
    "entity_bomb_in_table": "unsafe-xml",
    "entity_bomb_in_sheet": "unsafe-xml",
    "external_entity": "unsafe-xml",
    "zip_bomb": "zip-bomb",
    "zip_bomb_lying_sizes": "damaged-workbook",
    "big_shared_strings": "part-too-big",
    "many_members": "too-many-parts",
}
# Cases the tool must read: the exit code of `check` and the exact set of finding codes.
READ = {
    "wrong_extension": (0, set()),
    "sheets_renamed_reordered": (0, set()),
    "deleted_column": (1, {"missing-column"}),
    "extra_columns": (0, {"extra-column", "text-outside-tables"}),
    "merged_cells": (0, {"merged-cells"}),
    "formula_errors": (1, {"formula-error"}),
    "formulas_not_evaluated": (0, set()),
    "date_out_of_range": (1, {"bad-date"}),
    "extreme_numbers": (1, {"bad-amount", "bad-number"}),
    "table_to_last_row": (0, set()),
    "huge_cell": (1, {"text-too-long"}),
    "control_characters": (0, {"invalid-characters"}),
    "bidi_and_zero_width": (0, {"invalid-characters"}),
    "hostile_structure_name": (0, {"invalid-characters"}),
    "formula_injection": (0, set()),
    "odd_references": (1, {"missing-cover-field", "missing-value", "text-outside-tables"}),
    "deep_nesting": (0, set()),
    "outside_references": (0, set()),
}
CASES = sorted(hostile.CASES)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """corpus(name) -> Path: each case built once per test run, on first use."""
    folder = tmp_path_factory.mktemp("hostile")
    built: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in built:
            built[name] = hostile.CASES[name](folder)
        return built[name]

    return get


@pytest.fixture(scope="session")
def example_plan(corpus):
    """The example plan as read from the workbook the corpus derives from."""
    corpus("sheets_renamed_reordered")   # makes _example.xlsx in the corpus folder
    folder = corpus("sheets_renamed_reordered").parent
    plan, report = check(folder / "_example.xlsx")
    assert report.ok and not report.findings
    return plan


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def squeeze(text: str) -> str:
    """Text without whitespace: the console wraps long messages at its width."""
    return "".join(text.split())


def values(plan, key):
    data = plan.authors if key == "authors" else plan.sections[key]
    return [row.values for row in data.rows]


def test_libreoffice_fixtures_are_what_they_claim():
    """The committed .xls is an OLE compound file with a Workbook stream; the .ods is an OpenDocument
    spreadsheet package (its mimetype member first, as the format requires)."""
    import olefile

    xls = hostile.FIXTURES / "example.xls"
    assert olefile.isOleFile(str(xls))
    with olefile.OleFileIO(str(xls)) as ole:
        assert ole.exists("Workbook")
    with zipfile.ZipFile(hostile.FIXTURES / "example.ods") as zf:
        assert zf.namelist()[0] == "mimetype"
        assert zf.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        assert schema.section("datasets").sheet.encode() in zf.read("content.xml")


def test_every_case_has_an_expected_outcome():
    assert set(REFUSED) | set(READ) == set(hostile.CASES)
    assert not set(REFUSED) & set(READ)
    assert len(hostile.CASES) >= 38


# --- every case, through the command line and the library ----------------------------------------
@pytest.mark.parametrize("name", CASES)
def test_command_line_gives_a_message_never_a_traceback(corpus, name):
    path = corpus(name)
    before = sha(path)
    code, out, err, peak_kb, _ = hostile.run_measured(
        [sys.executable, "-m", "odplan_xl.cli", "check", str(path)], timeout=300)
    assert "Traceback" not in out + err
    assert peak_kb / 1024 < PEAK_LIMIT_MB, f"{name}: peak {peak_kb / 1024:.0f} MB"
    if name in REFUSED:
        with pytest.raises(OdplanError) as caught:
            check(path)
        assert caught.value.code == REFUSED[name]
        assert code == 2, out + err
        assert err.lstrip().startswith("✗")
        assert squeeze(caught.value.ar) in squeeze(err)       # the Arabic message, in full
        assert squeeze(path.name) in squeeze(err)             # located: the file (and sheet) named
    else:
        expected_exit, expected_codes = READ[name]
        _, report = check(path)
        assert {f.code for f in report.findings} == expected_codes
        assert code == expected_exit, out + err
        assert "الخطة" in out                                 # the Arabic summary line
    assert sha(path) == before


# The Gantt sheet is written into a full openpyxl copy of the plan (xlsx.write.write_sheet_copy),
# which loads and saves more than the read-only reader parses. On these cases openpyxl fails (lxml's
# depth limit, a table range it rejects, an integer too big for a float): a clean refusal.
GANTT_COPY_FAILS = {"deep_nesting", "extreme_numbers", "odd_references"}


@pytest.mark.parametrize("name", CASES)
def test_gantt_is_whole_or_absent(corpus, tmp_path, name):
    path = corpus(name)
    before = sha(path)
    out = tmp_path / "plan_gantt.xlsx"
    try:
        gantt_workbook(path, out)
    except OdplanError as exc:
        assert name in REFUSED or name in GANTT_COPY_FAILS, exc.message("fr")
        assert exc.code == REFUSED.get(name, "cannot-copy-workbook")
        assert list(tmp_path.iterdir()) == []                 # not even a temporary file
    else:
        assert name in READ
        assert [p.name for p in tmp_path.iterdir()] == [out.name]
        with zipfile.ZipFile(out) as zf:
            assert zf.testzip() is None
        assert schema.GANTT_SHEET in openpyxl.load_workbook(out, read_only=True).sheetnames
    assert sha(path) == before


@pytest.mark.parametrize("name", CASES)
def test_word_is_whole_or_absent(corpus, tmp_path, name):
    path = corpus(name)
    before = sha(path)
    out = tmp_path / "plan.docx"
    if name in REFUSED:
        with pytest.raises(OdplanError) as caught:
            convert(path, out)
        assert caught.value.code == REFUSED[name]
        assert list(tmp_path.iterdir()) == []
    else:
        convert(path, out)
        assert [p.name for p in tmp_path.iterdir()] == [out.name]
        assert schema.TITLE_AR in document_text(open_document(out))
    assert sha(path) == before


# --- what is read from files edited by hand ------------------------------------------------------
def test_sheets_renamed_and_reordered_read_fully(corpus, example_plan):
    plan, report = check(corpus("sheets_renamed_reordered"))
    assert report.ok and report.findings == []
    assert plan.cover == example_plan.cover
    for spec in schema.SECTIONS:
        assert values(plan, spec.key) == values(example_plan, spec.key), spec.key
        assert plan.sections[spec.key].sheet != spec.sheet     # found under its new name
    assert values(plan, "authors") == values(example_plan, "authors")
    first = plan.sections[schema.SECTIONS[0].key].rows[0].cells["objective"]
    assert first.startswith("Section 1 l'objectives!")


def test_deleted_column_is_reported_and_the_rest_read(corpus, example_plan):
    plan, report = check(corpus("deleted_column"))
    [finding] = report.findings
    assert (finding.code, finding.section, finding.field) == ("missing-column", "datasets", "description")
    assert all(row.get("description") is None for row in plan.sections["datasets"].rows)
    got = [{k: v for k, v in row.items() if k != "description"} for row in values(plan, "datasets")]
    want = [{k: v for k, v in row.items() if k != "description"} for row in values(example_plan, "datasets")]
    assert got == want
    for spec in schema.SECTIONS:
        if spec.key != "datasets":
            assert values(plan, spec.key) == values(example_plan, spec.key)


def test_extra_columns_warn_and_every_value_is_kept(corpus, example_plan):
    path = corpus("extra_columns")
    plan, report = check(path)
    extra = [f for f in report.findings if f.code == "extra-column"]
    assert sorted(f.field for f in extra) == sorted(hostile.EXTRA_HEADERS)
    assert values(plan, "inventory") == values(example_plan, "inventory")
    ws = openpyxl.load_workbook(path)[schema.section("inventory").sheet]
    min_col, header_row, max_col, max_row = range_boundaries(ws.tables["tbl_inventory"].ref)
    for f in extra:                            # located at the extra header cell itself
        assert f.sheet == ws.title and ws[f.cell].row == header_row and ws[f.cell].value == f.field
    # every value typed in them is named at its own cell: the document will not show it
    columns = [c for c in range(min_col, max_col + 1) if ws.cell(header_row, c).value in hostile.EXTRA_HEADERS]
    typed = {ws.cell(r, c).coordinate for c in columns for r in range(header_row + 1, max_row + 1)}
    assert {f.cell for f in report.findings if f.code == "text-outside-tables"} == typed
    assert {f.code for f in report.findings} == {"extra-column", "text-outside-tables"}
    # their values are still in the file, untouched, for the officer
    texts = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert any(t.startswith(hostile.EXTRA_HEADERS[0] + " ") for t in texts)


def test_merged_cells_keep_the_top_left_value(corpus, example_plan):
    path = corpus("merged_cells")
    plan, report = check(path)
    tools, want = plan.sections["tools"].rows, values(example_plan, "tools")
    columns = [c.key for c in schema.section("tools").columns]
    assert tools[0].values == want[0]
    assert tools[1].get(columns[0]) == want[0][columns[0]]      # the vertical merge spreads its value
    assert tools[2].get(columns[1]) == want[2][columns[1]]
    assert tools[2].get(columns[2]) is None                     # optional, emptied by the merge across
    assert [(f.code, f.address) for f in report.findings] == [("merged-cells", tools[0].cells[columns[0]])]


def test_formula_errors_are_located(corpus):
    path = corpus("formula_errors")
    plan, report = check(path)
    want = set()
    for section, index, key, error, _ in hostile.FORMULA_ERROR_CELLS:
        sheet, cell = hostile.table_cell(path, schema.section(section).table, index, key)
        want.add((sheet, cell, error))
        assert plan.sections[section].rows[index].get(key) is None
    assert {(f.sheet, f.cell) for f in report.findings} == {(s, c) for s, c, _ in want}
    for finding in report.findings:
        error = next(e for s, c, e in want if (s, c) == (finding.sheet, finding.cell))
        assert error in finding.ar and error in finding.fr


def test_formulas_are_never_evaluated(corpus):
    plan, report = check(corpus("formulas_not_evaluated"))
    assert plan.sections["objectives"].rows[0].get("indicator") == "نص محفوظ"   # the saved result
    assert report.findings == []


def test_out_of_range_dates_and_numbers_are_findings(corpus):
    path = corpus("date_out_of_range")
    _, report = check(path)
    [finding] = report.findings
    assert (finding.sheet, finding.cell) == hostile.table_cell(path, "tbl_inventory", 0, "start")
    path = corpus("extreme_numbers")
    plan, report = check(path)
    cells = {(f.code, f.sheet, f.cell) for f in report.findings}
    assert ("bad-amount",) + hostile.table_cell(path, "tbl_budget", 0, "amount") in cells   # 1E999
    assert ("bad-amount",) + hostile.table_cell(path, "tbl_budget", 1, "amount") in cells   # 400 digits
    assert ("bad-number",) + hostile.table_cell(path, "tbl_trainings", 0, "participants") in cells
    assert plan.sections["budget"].rows[2].get("amount") == Decimal("0.000")   # rounds to nothing


def test_a_one_megabyte_cell_is_cut_with_an_error(corpus):
    path = corpus("huge_cell")
    plan, report = check(path)
    [finding] = report.findings
    assert (finding.sheet, finding.cell) == hostile.table_cell(path, "tbl_objectives", 0, "objective")
    text = plan.sections["objectives"].rows[0].get("objective")
    assert len(text) == EXCEL_MAX_TEXT + 1 and text.endswith("…")


def test_control_characters_are_removed_with_a_warning(corpus):
    path = corpus("control_characters")
    plan, report = check(path)
    assert plan.sections["objectives"].rows[0].get("indicator") == "بياناتمفتوحة"
    assert plan.sections["team"].rows[0].get("name") == "فريقالعمل"
    assert {(f.sheet, f.cell) for f in report.findings} == {
        hostile.table_cell(path, "tbl_objectives", 0, "indicator"),
        hostile.table_cell(path, "tbl_team", 0, "name")}


def test_bidi_overrides_and_zero_width_characters_are_removed(corpus):
    plan, report = check(corpus("bidi_and_zero_width"))
    assert plan.sections["inventory"].rows[0].get("activity") == "تحديث البيانات"
    assert plan.cover["officer"] == "سنية بن عمر"
    assert [f.code for f in report.findings] == ["invalid-characters"] * 2


def test_odd_references_fall_back_to_the_header_labels(corpus, example_plan):
    plan, report = check(corpus("odd_references"))
    assert values(plan, "objectives") == values(example_plan, "objectives")   # table range unusable
    assert "structure" not in plan.cover                                        # name on a whole column
    assert [f.field for f in report.findings if f.code == "missing-cover-field"] == ["structure"]


def test_a_table_stretched_to_the_last_row_reads_its_rows(corpus, example_plan):
    plan, report = check(corpus("table_to_last_row"))
    assert report.findings == []
    assert values(plan, "objectives") == values(example_plan, "objectives")


def test_nothing_is_read_from_outside_the_package(corpus):
    for name in ("outside_references", "external_entity"):
        code, out, err, _, _ = hostile.run_measured(
            [sys.executable, "-m", "odplan_xl.cli", "check", str(corpus(name)), "--format", "json"])
        assert "root:" not in out + err


# --- the XML parsers -----------------------------------------------------------------------------------
def test_openpyxl_parses_through_defusedxml_or_without_entities():
    # sheets and shared strings (streamed) go through defusedxml
    assert strings.iterparse.__module__.startswith("defusedxml")
    assert _reader.iterparse.__module__.startswith("defusedxml")
    # the other parts: an entity is never expanded
    try:
        root = functions.fromstring(b'<!DOCTYPE a [<!ENTITY e "EXPANDED">]><a>&e;</a>')
    except Exception as exc:      # defusedxml (without lxml) refuses the declaration
        assert type(exc).__module__.startswith("defusedxml")
    else:
        assert "EXPANDED" not in functions.tostring(root).decode()
    assert parsers_are_safe()


def test_openpyxl_never_parses_unprotected(example_path, tmp_path):
    # openpyxl parses the officer's whole workbook to add the Gantt sheet: refused unprotected
    env = {**os.environ, "OPENPYXL_DEFUSEDXML": "False"}
    res = subprocess.run([sys.executable, "-m", "odplan_xl.cli", "gantt", str(example_path),
                          "-o", str(tmp_path / "g.xlsx")], capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 2 and "defusedxml" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "g.xlsx").exists()
    # reading goes through python-calamine after our own checks of every part: not affected
    res = subprocess.run([sys.executable, "-m", "odplan_xl.cli", "check", str(example_path)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr


# --- names and formulas in what is written -------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("../../x", "x"),
    ("CON", "plan_CON"),
    ("con.txt", "plan_con.txt"),
    ("COM¹", "plan_COM¹"),
    ("CONOUT$", "plan_CONOUT$"),
    ("a/b\\c", "a_b_c"),
    ("\u202eexe.pdf", "exe.pdf"),
    ("..", "plan"),
    ("", "plan"),
    ("C:\\Windows\\x", "C_Windows_x"),
    ("وزارة التجهيز والإسكان", "وزارة_التجهيز_والإسكان"),
    (hostile.STRUCTURE_ATTACK, "x_CON_a"),
])
def test_safe_names(text, expected):
    assert safe_name(text) == expected


@given(st.text(max_size=300))
@settings(max_examples=400, deadline=None)
def test_any_text_gives_a_usable_file_name(text):
    name = safe_name(text)
    assert name and len(name.encode("utf-8")) <= MAX_NAME_BYTES + len("plan_")
    assert not set(name) & set('/\\:*?"<>|') and ".." not in name
    assert not name.startswith((".", " ")) and not name.endswith((".", " "))
    assert all(unicodedata.category(ch)[0] not in "CZ" or ch == " " for ch in name)
    stem = name.split(".")[0].upper()
    assert stem not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1", "COM¹", "CONIN$"}
    assert safe_name(name) == name                  # already safe: kept as it is


def test_safe_names_can_be_created_on_disk(tmp_path):
    for text in ("😀" * 200, "وزارة " * 100, "a" * 1000, "CON", "../" * 50, "\u202e" * 10):
        target = tmp_path / f"{safe_name(text)}_gantt.xlsx"
        target.write_bytes(b"")
        assert target.parent == tmp_path


def test_a_hostile_structure_name_cannot_escape_the_output_folder(corpus, tmp_path):
    plan, _ = check(corpus("hostile_structure_name"))
    assert plan.structure == "../../x/CON\\a"                  # read as typed, minus invisible marks
    target = tmp_path / f"{safe_name(plan.structure)}.docx"
    assert target.parent == tmp_path and target.resolve().parent == tmp_path.resolve()
    target.write_bytes(b"")


def test_text_that_looks_like_a_formula_stays_text(corpus, tmp_path):
    path = corpus("formula_injection")
    source = openpyxl.load_workbook(path)     # the workbook builder wrote them as text too
    kinds = {c.value: c.data_type for ws in source for row in ws.iter_rows() for c in row
             if c.value in hostile.INJECTIONS}
    assert set(kinds) == set(hostile.INJECTIONS) and set(kinds.values()) == {"s"}
    plan, _ = check(path)
    read = {row.get("activity") for row in plan.sections["inventory"].rows + plan.sections["calendar"].rows}
    assert set(hostile.INJECTIONS) <= read
    out = gantt_workbook(path, tmp_path / "gantt.xlsx")
    ws = openpyxl.load_workbook(out)[schema.GANTT_SHEET]
    cells = {c.value: c.data_type for row in ws.iter_rows() for c in row if c.value in hostile.INJECTIONS}
    assert set(cells) == set(hostile.INJECTIONS) and set(cells.values()) == {"s"}
    with zipfile.ZipFile(out) as zf:
        part = hostile.sheet_part(out, ws.title)
        assert b"<f>" not in zf.read(part) and b"<f " not in zf.read(part)
    text = document_text(open_document(convert(path, tmp_path / "plan.docx").output))
    for injection in hostile.INJECTIONS:
        assert injection in text.replace("\u200e", "")


# --- nothing lost ----------------------------------------------------------------------------------
def distinctive(section: str, column: schema.Column, i: int):
    """A value no other cell holds, of the column's type (choices can only be their list)."""
    kind = column.kind
    if column.choices:
        return column.choices[i % len(column.choices)]
    if kind is schema.Kind.DATE:
        return dt.date(2027, 1 + i, 3 + i)
    if kind is schema.Kind.INTEGER:
        return 1000 + 10 * i + len(column.key)
    if kind is schema.Kind.AMOUNT:
        return Decimal(f"{12345 + i}.{len(column.key):03d}")
    if kind is schema.Kind.YESNO:
        return schema.YES_AR if i % 2 == 0 else schema.NO_AR
    if kind is schema.Kind.YEAR:
        return 2027
    if kind is schema.Kind.EMAIL:
        return f"{section}.{column.key}.{i}@example.tn"
    return f"{section}-{column.key}-قيمة-{i} «Équipe, n° 42; 100%»"


def full_plan() -> dict:
    data = {"cover": {}, "authors": [], "sections": {}}
    for col in schema.COVER_FIELDS:
        data["cover"][col.key] = distinctive("cover", col, 0)
    data["cover"]["prepared"], data["cover"]["updated"] = dt.date(2026, 11, 2), dt.date(2026, 12, 3)
    for spec in (*schema.SECTIONS, schema.AUTHORS):
        rows = [{c.key: distinctive(spec.key, c, i) for c in spec.columns if not c.computed}
                for i in range(3)]
        if spec is schema.AUTHORS:
            data["authors"] = rows
        else:
            data["sections"][spec.key] = rows
    return data


def typed(value):
    if value == schema.YES_AR:
        return True
    if value == schema.NO_AR:
        return False
    return value


def test_nothing_lost_every_value_is_read_back(make_workbook):
    data = full_plan()
    plan, _ = check(make_workbook(data))
    for key, value in data["cover"].items():
        assert plan.cover[key] == typed(value), key
    for spec in (*schema.SECTIONS, schema.AUTHORS):
        rows = data["authors"] if spec is schema.AUTHORS else data["sections"][spec.key]
        got = plan.authors.rows if spec is schema.AUTHORS else plan.sections[spec.key].rows
        assert len(got) == len(rows)
        for want, row in zip(rows, got, strict=True):
            for key, value in want.items():
                assert row.get(key) == typed(value), (spec.key, key, row.get(key), value)


def groupings(spec: schema.Section) -> dict[str, dict[str, str]]:
    """Columns the document shows by the heading a row sits under: key -> {value: heading text}."""
    out = {}
    values = tuple(sub.value for sub in spec.subsections)
    for col in spec.columns:
        if values and col.choices == values:
            out[col.key] = {sub.value: sub.heading for sub in spec.subsections}
    if spec.key == "communication":   # 8.1 and 8.2 are each split into formal / informal
        out["form"] = {schema.COMM_FORMAL: "الاتصال الرسمي", schema.COMM_INFORMAL: "الاتصال غير الرسمي"}
    return out


FOLLOW_UP = {c.key for c in schema.FOLLOW_UP_COLUMNS}


def test_nothing_lost_every_value_is_in_the_word_document(make_workbook, tmp_path):
    data = full_plan()
    out = convert(make_workbook(data), tmp_path / "plan.docx").output
    body = docx.Document(str(out)).element.body   # read independently of the code that wrote it
    text = "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))
    for mark in ("\u200e", "\u200f", "\u061c"):      # direction marks the document adds
        text = text.replace(mark, "")

    def shown(value) -> str:
        if isinstance(value, dt.date):
            return f"{value.day:02d}/{value.month:02d}/{value.year}"
        if isinstance(value, Decimal):
            return format_amount(value).replace("\u200e", "")
        return str(value)

    missing, misplaced = [], []
    sources = [("cover", [data["cover"]]), ("authors", data["authors"]), *data["sections"].items()]
    for key, rows in sources:
        groups = groupings(schema.section(key)) if key in data["sections"] else {}
        for row in rows:
            anchor = next(v for v in row.values() if isinstance(v, str) and "-قيمة-" in v)
            at = text.find(anchor)
            for col, value in row.items():
                if col in FOLLOW_UP:       # the follow-up is never printed (test_follow_up_not_printed)
                    continue
                if col in groups:          # under the right heading: the last one before the row
                    heads = groups[col]
                    last = max(heads, key=lambda v: text.rfind(heads[v], 0, at))
                    if last != value or at < 0:
                        misplaced.append((key, col, value))
                elif value not in (schema.YES_AR, schema.NO_AR) and shown(value) not in text:
                    missing.append((key, col, shown(value)))   # yes/no are everywhere: not tested
    assert missing == [] and misplaced == [], (missing, misplaced)


def test_every_command_leaves_its_input_byte_identical(example_path, tmp_path):
    path = tmp_path / "plan.xlsx"
    shutil.copyfile(example_path, path)
    before, stat = sha(path), path.stat()
    commands = [["check", path], ["check", path, "--format", "json"],
                ["gantt", path, "-o", tmp_path / "g.xlsx"], ["convert", path, "-o", tmp_path / "p.docx"],
                ["gantt", path, "-o", path, "--force"], ["convert", path, "-o", path, "--force"],
                ["batch", path, "-o", tmp_path / "out"], ["batch", tmp_path, "-o", tmp_path, "--force"],
                ["progress", path, "-o", tmp_path / "r.docx"], ["progress", path, "-o", path, "--force"],
                ["next", path, "-o", tmp_path / "n.xlsx"], ["next", path, "-o", path, "--force"],
                ["diff", path, path, "-o", tmp_path / "c.docx"], ["diff", path, path, "-o", path, "--force"]]
    for args in commands:
        code, out, err, _, _ = hostile.run_measured(
            [sys.executable, "-m", "odplan_xl.cli", *map(str, args)])
        assert "Traceback" not in out + err
        assert code in (0, 2), (args, out, err)
        assert sha(path) == before and path.stat().st_mtime_ns == stat.st_mtime_ns, args
    assert (tmp_path / "g.xlsx").exists() and (tmp_path / "p.docx").exists()
    assert all((tmp_path / name).exists() for name in ("r.docx", "n.xlsx", "c.docx"))
    assert (tmp_path / "out" / "plan.docx").exists() and (tmp_path / "out" / "summary.xlsx").exists()


def test_batch_over_the_whole_corpus(corpus, tmp_path):
    """Every hostile file in one folder, converted in one run: a record each, no crash, inputs untouched."""
    from odplan_xl.app import batch

    paths = {name: corpus(name) for name in CASES}
    folder = next(iter(paths.values())).parent
    before = {p: sha(p) for p in folder.iterdir() if p.is_file()}
    out = tmp_path / "out"
    result = batch.batch([folder], out, jobs=2)
    by_path = {Path(r["path"]).name: r for r in result.records}
    for name, path in paths.items():
        if not path.name.endswith(batch.INPUT_SUFFIXES):
            assert path.name not in by_path                   # .xls, .ods, .part: not taken as plans
            continue
        record = by_path[path.name]
        if name in REFUSED:
            assert (record["result"], record["reason"]["code"]) == (batch.UNREADABLE, REFUSED[name])
        else:
            assert record["result"] in (batch.COMPLETE, batch.INCOMPLETE), (name, record["reason"])
            assert Path(record["output"]).parent == out and Path(record["output"]).exists()
    assert all(r["result"] != batch.FAILED for r in result.records)
    assert {p: sha(p) for p in before} == before
    assert all(p.parent == out for p in out.iterdir())
    summary = openpyxl.load_workbook(result.summary_xlsx)
    assert all(c.data_type != "f" or str(c.value).startswith("=HYPERLINK(")
               for ws in summary for row in ws.iter_rows() for c in row)


# --- interrupted writes ------------------------------------------------------------------------------
@pytest.mark.parametrize("interruption", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_interrupted_atomic_write_leaves_no_file(tmp_path, interruption):
    target = tmp_path / "out.docx"
    with pytest.raises(type(interruption)):
        with atomic_path(target) as part:
            part.write_bytes(b"PK" + b"half a file" * 1000)
            raise interruption
    assert list(tmp_path.iterdir()) == []
    target.write_bytes(b"previous version")
    with pytest.raises(type(interruption)):
        with atomic_path(target) as part:
            part.write_bytes(b"new")
            raise interruption
    assert [p.name for p in tmp_path.iterdir()] == ["out.docx"]
    assert target.read_bytes() == b"previous version"


@pytest.mark.parametrize("interruption", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_interrupted_gantt_and_word_leave_no_file(example_path, tmp_path, monkeypatch, interruption):
    """The real writers, stopped midway through saving (after part of the file is on disk)."""
    def half_then_fail(self, target, *args, **kwargs):
        Path(target).write_bytes(b"PK\x03\x04" + b"\0" * 4096)
        raise interruption

    def close_half_then_fail(self):
        Path(self.filename).write_bytes(b"PK\x03\x04" + b"\0" * 4096)
        raise interruption

    monkeypatch.setattr(Workbook, "save", half_then_fail)
    monkeypatch.setattr(docx.document.Document, "save", half_then_fail)
    monkeypatch.setattr(xlsxwriter.Workbook, "close", close_half_then_fail)
    # a full disk is the catalogue's «disk-full»; Ctrl-C goes on as itself
    expected = OdplanError if isinstance(interruption, OSError) else KeyboardInterrupt
    for make in (lambda: gantt_workbook(example_path, tmp_path / "g.xlsx"),
                 lambda: convert(example_path, tmp_path / "p.docx"),
                 lambda: build_workbook(tmp_path / "t.xlsx", example_data())):
        with pytest.raises(expected) as stopped:
            make()
        assert expected is KeyboardInterrupt or stopped.value.code == "disk-full"
        assert list(tmp_path.iterdir()) == []


def test_ctrl_c_during_a_command_is_a_message_and_no_file(example_path, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from odplan_xl.cli import app

    def interrupted(self, target, *args, **kwargs):
        Path(target).write_bytes(b"PK\x03\x04")
        raise KeyboardInterrupt

    monkeypatch.setattr(Workbook, "save", interrupted)
    res = CliRunner().invoke(app, ["gantt", str(example_path), "-o", str(tmp_path / "g.xlsx")])
    assert res.exit_code == 130 and "أُوقف" in res.output
    assert list(tmp_path.iterdir()) == []
