"""The committed vbaProject.bin against its sources in macros/, read back by oletools and LibreOffice."""

from __future__ import annotations

import re
import zipfile
from xml.etree import ElementTree

import olefile
import pytest
from oletools.olevba import VBA_Parser, VBA_Project, decompress_stream, filter_vba

from odplan_xl import schema
from odplan_xl.workbook import template
from tools import vba_build
from tools.vba_build import BIN_PATH, CODEPAGE, DOCUMENTS, MACROS_DIR, SOURCES

MODULE_PROCEDURAL, MODULE_OTHER = 0x21, 0x22  # MS-OVBA MODULETYPE record ids
BUTTONS = {"OdplanCheck": "check", "OdplanGantt": "gantt", "OdplanWord": "word"}
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def read_project(path=BIN_PATH) -> tuple[str, dict]:
    """The PROJECT stream text and {module name: oletools VBA_Module} of a vbaProject.bin."""
    ole = olefile.OleFileIO(str(path))
    try:
        project = VBA_Project(ole, "", "PROJECT", "VBA/dir", relaxed=False)
        project.parse_project_stream()
        list(project.parse_modules())
        text = ole.openstream("PROJECT").read().decode(CODEPAGE)
    finally:
        ole.close()
    return text, {module.name: module for module in project.modules}


@pytest.fixture(scope="module")
def committed():
    return read_project()


@pytest.mark.parametrize("file,kind", SOURCES)
def test_module_stream_is_the_committed_source(committed, file, kind):
    """Decompressed module stream == file bytes, Attribute lines included."""
    _, modules = committed
    module = modules[(MACROS_DIR / file).stem]
    assert bytes(module.code_raw) == (MACROS_DIR / file).read_bytes()
    assert module.filename == file  # extension from PROJECT: Module= → .bas, Class= → .cls
    assert module.type == (MODULE_OTHER if kind == "Class" else MODULE_PROCEDURAL)


def test_olevba_extraction_gives_the_sources_back():
    """The public olevba API: extract_macros keeps every Attribute line. Only its display
    (filter_vba, unless `olevba --attr`) hides the leading 'Attribute VB_' lines, and of
    those only the ones without a colon (so Dictionary's VB_Description stays visible)."""
    parser = VBA_Parser(str(BIN_PATH))
    try:
        extracted = {name: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()
    assert sorted(extracted) == sorted([f"{name}.cls" for name, _ in DOCUMENTS]
                                       + [file for file, _ in SOURCES])
    for file, _ in SOURCES:
        text = (MACROS_DIR / file).read_bytes().decode(CODEPAGE)
        assert extracted[file] == text
        lines = text.split("\r\n")
        attributes = next(i for i, line in enumerate(lines)
                          if not line.startswith("Attribute VB_") or ":" in line)
        assert filter_vba(extracted[file]) == "\n".join(lines[attributes:-1])


def test_project_stream_and_document_modules(committed):
    text, modules = committed
    lines = text.split("\r\n")
    sheets = [f"Sheet{i}" for i in range(1, len(template.code_names()) + 1)]
    assert lines[0] == f'ID="{vba_build.PROJECT_ID}"'
    assert lines[1:1 + len(DOCUMENTS) + 3] == [
        "Document=ThisWorkbook/&H00000000", *(f"Document={name}/&H00000000" for name in sheets),
        "Module=OdplanButtons", "Module=xlwings", "Class=Dictionary"]
    after = lines[1 + len(DOCUMENTS) + 3:]
    # MS-OVBA 2.3.1: Name, HelpContextID, then VersionCompatible32 before the protection lines
    assert after[:3] == ['Name="VBAProject"', 'HelpContextID="0"', 'VersionCompatible32="393222000"']
    assert after[3].startswith("CMG=")
    assert list(modules) == ["ThisWorkbook", *sheets, "OdplanButtons", "xlwings", "Dictionary"]
    for name, base in DOCUMENTS:
        assert modules[name].type == MODULE_OTHER
        assert bytes(modules[name].code_raw) == vba_build.document_source(name, base)
        assert f'Attribute VB_Base = "0{{{base}}}"' in modules[name].code


def declared_code_names(path) -> dict[str, str]:
    """{sheet or "workbook": codeName} as the package declares them, read from its XML."""
    with zipfile.ZipFile(path) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        names = {"workbook": book.find(f"{MAIN}workbookPr").get("codeName")}
        for i, sheet in enumerate(book.iter(f"{MAIN}sheet"), 1):
            part = ElementTree.fromstring(z.read(f"xl/worksheets/sheet{i}.xml"))
            names[sheet.get("name")] = part.find(f"{MAIN}sheetPr").get("codeName")
    return names


def test_olevba_lists_a_module_for_every_declared_code_name(tmp_path):
    """Excel creates a document module for a declared code name that has none: none is missing."""
    path = template.build_workbook(tmp_path / "plan.xlsm")
    declared = declared_code_names(path)
    assert declared == {"workbook": "ThisWorkbook", **template.code_names()}
    parser = VBA_Parser(str(path))
    try:
        listed = {name: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()
    # one module per declared code name, plus ours and xlwings'; each a document module of its kind
    assert set(listed) == {f"{name}.cls" for name in declared.values()} | {file for file, _ in SOURCES}
    for owner, name in declared.items():
        base = vba_build.WORKBOOK_BASE if owner == "workbook" else vba_build.SHEET_BASE
        assert f'Attribute VB_Base = "0{{{base}}}"' in listed[f"{name}.cls"], name


def test_button_subs_call_the_python_entry_points(committed):
    _, modules = committed
    code = modules["OdplanButtons"].code.replace("\r\n", "\n")
    subs = re.findall(r'^Public Sub (\w+)\(\)\n    RunPython "([^"]*)"\nEnd Sub$', code, re.M)
    assert subs == [(sub, f"import odplan_xl.macros as m; m.{func}()")
                    for sub, func in BUTTONS.items()]
    diagnose = re.search(r"^Public Sub OdplanDiagnose\(\)\n(.*?)^End Sub$", code, re.M | re.S)[1]
    assert 'RunPython "import odplan_xl.macros as m; m.diagnose(\'" & token & "\', \'" & ' \
           "Application.Version & _" in diagnose
    assert re.findall(r"^\s*(?:Public |Private )?(?:Sub|Function) (\w+)", code, re.M) == \
        [*BUTTONS, "OdplanDiagnose", "DiagnosisAnswered", "DiagnosisSheetName"]
    declared = {sub for sub, _ in template.COVER_BUTTONS}
    assert declared == {*BUTTONS, "OdplanDiagnose"}        # every button has its Sub, and back


def test_xlwings_copies_record_their_version():
    recorded = (MACROS_DIR / vba_build.XLWINGS_VERSION_FILE).read_text(encoding="ascii").strip()
    bas = (MACROS_DIR / "xlwings.bas").read_text(encoding=CODEPAGE)
    assert f'Public Const XLWINGS_VERSION As String = "{recorded}"' in bas
    # Windows loads the xlwings DLL of exactly this version from the Python package.
    assert f'"xlwings64-{recorded}.dll"' in bas


def test_xlwings_copies_match_the_installed_package():
    version, sources = vba_build.xlwings_sources()
    recorded = (MACROS_DIR / vba_build.XLWINGS_VERSION_FILE).read_text(encoding="ascii").strip()
    if version != recorded:
        pytest.skip(f"installed xlwings {version}, macros/ holds {recorded}: "
                    "run python -m tools.vba_build")
    for name, data in sources.items():
        assert (MACROS_DIR / name).read_bytes() == data, name


def test_fresh_build_equals_committed_bin(tmp_path):
    fresh = vba_build.build(tmp_path / "vbaProject.bin")
    assert fresh.read_bytes() == BIN_PATH.read_bytes()


@pytest.mark.parametrize("data", [
    # Long matches far into a chunk, where the copy token has few length bits: these three
    # came back corrupted before the copy-token bound was corrected.
    bytes(range(256)) + b"A" * 600,
    bytes(range(256)) * 4,
    b"Sub X()\r\n    RunPython \"m\"\r\nEnd Sub\r\n" * 40,
    b"ab" * 2100 + b"xyz",  # crosses into a second chunk
    b"",
    b"q",
])
def test_fixed_compression_round_trips(data):
    from ms_ovba_compression.ms_ovba import MsOvba

    with vba_build._fixed_ms_ovba():
        compressed = MsOvba().compress(data)
    # oletools' decompressor is independent of the compressor under test.
    assert decompress_stream(bytearray(compressed)) == data


def test_sources_with_bare_line_feeds_are_refused(tmp_path):
    for file, _ in SOURCES:
        (tmp_path / file).write_bytes((MACROS_DIR / file).read_bytes())
    (tmp_path / "OdplanButtons.bas").write_bytes(
        (MACROS_DIR / "OdplanButtons.bas").read_bytes().replace(b"\r\n", b"\n"))
    with pytest.raises(SystemExit, match="CRLF"):
        vba_build.build(tmp_path / "out.bin", macros_dir=tmp_path)
    assert not (tmp_path / "out.bin").exists()


def test_libreoffice_lists_modules_and_code_names(tmp_path, libreoffice_uno):
    import lo_helpers

    seen = lo_helpers.inspect_workbook(template.build_workbook(tmp_path / "plan.xlsm"))
    code_names = template.code_names()
    assert {name: m["type"] for name, m in seen["modules"].items()} == {
        "ThisWorkbook": "DOCUMENT", **{name: "DOCUMENT" for name in code_names.values()},
        "OdplanButtons": "NORMAL", "xlwings": "NORMAL", "Dictionary": "CLASS"}
    assert 'RunPython "import odplan_xl.macros as m; m.check()"' in seen["modules"]["OdplanButtons"]["source"]
    assert seen["sheets"] == [{"name": title, "code_name": code} for title, code in code_names.items()]
    cover = sorted((b["label"], b["macro"]) for b in seen["buttons"] if b["sheet"] == schema.COVER_SHEET)
    assert cover == sorted((template.RLM + caption, f"VBAProject.OdplanButtons.{sub}")
                           for sub, caption in template.COVER_BUTTONS)
