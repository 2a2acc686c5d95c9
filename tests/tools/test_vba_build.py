"""The committed vbaProject.bin against its sources in macros/, read back by oletools and LibreOffice."""

from __future__ import annotations

import re

import olefile
import pytest
from oletools.olevba import VBA_Parser, VBA_Project, decompress_stream, filter_vba

from tools import vba_build
from tools.vba_build import BIN_PATH, CODEPAGE, DOCUMENTS, MACROS_DIR, SOURCES

MODULE_PROCEDURAL, MODULE_OTHER = 0x21, 0x22  # MS-OVBA MODULETYPE record ids
BUTTONS = {"OdplanCheck": "check", "OdplanGantt": "gantt", "OdplanWord": "word"}


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
    assert lines[0] == f'ID="{vba_build.PROJECT_ID}"'
    assert lines[1:6] == ["Document=ThisWorkbook/&H00000000", "Document=Sheet1/&H00000000",
                          "Module=OdplanButtons", "Module=xlwings", "Class=Dictionary"]
    assert list(modules) == ["ThisWorkbook", "Sheet1", "OdplanButtons", "xlwings", "Dictionary"]
    for name, base in DOCUMENTS:
        assert modules[name].type == MODULE_OTHER
        assert bytes(modules[name].code_raw) == vba_build.document_source(name, base)
        assert f'Attribute VB_Base = "0{{{base}}}"' in modules[name].code


def test_button_subs_call_the_python_entry_points(committed):
    _, modules = committed
    code = modules["OdplanButtons"].code.replace("\r\n", "\n")
    subs = re.findall(r'^Public Sub (\w+)\(\)\n    RunPython "([^"]*)"\nEnd Sub$', code, re.M)
    assert subs == [(sub, f"import odplan_xl.macros as m; m.{func}()")
                    for sub, func in BUTTONS.items()]
    assert re.findall(r"^\s*(?:Public |Private )?(?:Sub|Function) (\w+)", code, re.M) == list(BUTTONS)


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


def test_libreoffice_lists_modules_and_button_macros(tmp_path):
    import lo_helpers
    import xlsxwriter

    reason = lo_helpers.unavailable()
    if reason:
        pytest.skip(reason)
    path = tmp_path / "buttons.xlsm"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("غلاف")
    workbook.add_vba_project(str(BIN_PATH))
    for row, (sub, _) in enumerate(BUTTONS.items()):
        sheet.insert_button(row * 3, 1, {"macro": sub, "caption": f"زر {sub}", "width": 180})
    workbook.close()

    seen = lo_helpers.inspect_workbook(path)
    assert {name: m["type"] for name, m in seen["modules"].items()} == {
        "ThisWorkbook": "DOCUMENT", "Sheet1": "DOCUMENT", "OdplanButtons": "NORMAL",
        "xlwings": "NORMAL", "Dictionary": "CLASS"}
    assert 'RunPython "import odplan_xl.macros as m; m.check()"' in seen["modules"]["OdplanButtons"]["source"]
    assert seen["sheets"] == [{"name": "غلاف", "code_name": "Sheet1"}]
    assert [(b["label"], b["macro"]) for b in seen["buttons"]] == [
        (f"زر {sub}", f"VBAProject.OdplanButtons.{sub}") for sub in BUTTONS]
