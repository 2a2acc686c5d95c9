"""Development tool: builds the workbook's VBA project (vba/vbaProject.bin) from the sources in macros/.

Run `python -m tools.vba_build` after changing macros/OdplanButtons.bas or upgrading xlwings;
`--check` only reports whether the committed files are up to date. Needs the [dev] extra
(ms-ovba, ms-ovba-compression, oletools, xlwings); nothing here runs when the product is used.

The project holds, in this order: a document module for the workbook (ThisWorkbook) and one for
every sheet code name the workbook declares (Sheet1…, from odplan_xl.workbook.template.code_names()),
our OdplanButtons, xlwings' own module and its Dictionary class (used on macOS instead of
Scripting.Dictionary). Each module stream holds its source exactly as committed, so oletools gives
the committed files back byte for byte. The PROJECT stream carries the VersionCompatible32 line
that Excel, LibreOffice and EPPlus write.

Why a module for every sheet rather than code names only for the sheets the project has: XlsxWriter
declares a code name on every sheet of a workbook with a VBA project, and Excel keeps a document
module for every sheet, creating the missing ones when it opens the file; built this way, the
project is already what Excel would make of it.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import re
import sys
import tempfile
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

from odplan_xl.files import atomic_path
from odplan_xl.workbook.template import WORKBOOK_CODE_NAME, code_names

ROOT = Path(__file__).resolve().parents[1]
MACROS_DIR = ROOT / "macros"
BIN_PATH = ROOT / "odplan_xl" / "vba" / "vbaProject.bin"

CODEPAGE = "cp1252"  # the project code page written in the dir stream (0x04E4)
# Fixed so that two builds give the same bytes (Excel gives each new project a random one).
PROJECT_ID = "{0E77940F-0E9D-4A88-AE15-C1AB7AFE21A0}"
# Seeds the "random" bytes MS-OVBA data encryption puts into the CMG/DPB/GC lines of PROJECT.
CRYPTO_SEED = 2021

# (file in macros/, kind) in project order; the module name is the file stem.
SOURCES = (("OdplanButtons.bas", "Module"), ("xlwings.bas", "Module"), ("Dictionary.cls", "Class"))
XLWINGS_VERSION_FILE = "xlwings_version.txt"
WORKBOOK_BASE = "00020819-0000-0000-C000-000000000046"   # type library GUID of an Excel Workbook
SHEET_BASE = "00020820-0000-0000-C000-000000000046"      # ... of an Excel Worksheet
# Document modules: code name and the type-library GUID of the object they belong to.
DOCUMENTS = ((WORKBOOK_CODE_NAME, WORKBOOK_BASE),
             *((name, SHEET_BASE) for name in code_names().values()))
# MS-OVBA 2.3.1.14 ProjectVersionCompat32: optional, written by Excel, LibreOffice and EPPlus.
VERSION_COMPATIBLE = ("VersionCompatible32", "393222000")

_MODULETYPE_PROCEDURAL = b"\x21\x00\x00\x00\x00\x00"
_MODULETYPE_OTHER = b"\x22\x00\x00\x00\x00\x00"  # document, class or designer module
_MODULE_TERMINATOR = b"\x2b\x00\x00\x00\x00\x00"


def document_source(name: str, base: str) -> bytes:
    """The source of an empty document module, with the attributes Excel stores for one."""
    lines = [f'Attribute VB_Name = "{name}"',
             f'Attribute VB_Base = "0{{{base}}}"',
             "Attribute VB_GlobalNameSpace = False",
             "Attribute VB_Creatable = False",
             "Attribute VB_PredeclaredId = True",
             "Attribute VB_Exposed = True",
             "Attribute VB_TemplateDerived = False",
             "Attribute VB_Customizable = True"]
    return ("\r\n".join(lines) + "\r\n").encode(CODEPAGE)


def xlwings_sources() -> tuple[str, dict[str, bytes]]:
    """xlwings' version and its VBA sources as installed: xlwings.bas and the Dictionary class.

    xlwings ships its module as xlwings/xlwings.bas; the Dictionary class is taken from the
    module stream of xlwings/quickstart_standalone.xlsm, i.e. as Excel stored it (with the
    VB_Base attribute of a class module), which is the form our module streams hold.
    """
    import xlwings
    from oletools.olevba import VBA_Parser

    package = Path(xlwings.__file__).parent
    sources = {"xlwings.bas": (package / "xlwings.bas").read_bytes()}
    parser = VBA_Parser(str(package / "quickstart_standalone.xlsm"))
    try:
        for _, stream, _, code in parser.extract_macros():
            if stream.endswith("/Dictionary"):
                sources["Dictionary.cls"] = code.encode(CODEPAGE)
    finally:
        parser.close()
    if "Dictionary.cls" not in sources:
        raise SystemExit(f"no Dictionary module in {package / 'quickstart_standalone.xlsm'}")
    return xlwings.__version__, sources


def refresh(macros_dir: Path = MACROS_DIR) -> list[Path]:
    """Copy xlwings' VBA sources and version into `macros_dir`; return the files that changed."""
    version, sources = xlwings_sources()
    wanted = {**sources, XLWINGS_VERSION_FILE: f"{version}\n".encode("ascii")}
    changed = []
    for name, data in wanted.items():
        path = macros_dir / name
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            changed.append(path)
    return changed


def read_source(path: Path) -> bytes:
    """A module source as the bytes to store, after checking its name line and line endings."""
    data = path.read_bytes()
    text = data.decode(CODEPAGE)  # fails on the few bytes cp1252 leaves undefined
    if re.search(r"(?<!\r)\n|\r(?!\n)", text):
        # VBA stores CRLF; a bare LF here means git or an editor converted the file.
        raise SystemExit(f"{path}: line endings must all be CRLF")
    if text.split("\r\n", 1)[0] != f'Attribute VB_Name = "{path.stem}"':
        raise SystemExit(f'{path}: first line must be Attribute VB_Name = "{path.stem}"')
    return data


def build(output: Path = BIN_PATH, macros_dir: Path = MACROS_DIR) -> Path:
    """Build the VBA project from the sources in `macros_dir` and write it to `output`."""
    modules = [(name, "Document", document_source(name, base)) for name, base in DOCUMENTS]
    modules += [(Path(file).stem, kind, read_source(macros_dir / file)) for file, kind in SOURCES]
    output = Path(output).resolve()
    # ms-ovba writes every intermediate file into the working directory and next to its
    # inputs (appending to any left from before), so it works on copies in a fresh folder.
    with tempfile.TemporaryDirectory(prefix="odplan_vba_") as tmp, contextlib.chdir(tmp), \
            _fixed_ms_ovba():
        _write_project(modules, Path(tmp))
        with atomic_path(output) as part:
            part.write_bytes((Path(tmp) / "vbaProject.bin").read_bytes())
            part.chmod(0o644)  # package data; the temporary file starts private
    return output


def _write_project(modules: list[tuple[str, str, bytes]], folder: Path) -> None:
    """Let ms-ovba write folder/vbaProject.bin (it works in the current directory)."""
    from ms_ovba.Models.Entities.doc_module import DocModule
    from ms_ovba.Models.Entities.reference import Reference
    from ms_ovba.Models.Entities.reference_registered import ReferenceRegistered
    from ms_ovba.Models.Entities.std_module import StdModule
    from ms_ovba.Models.Fields.libid_reference import LibidReference
    from ms_ovba.vbaProject import VbaProject
    from ms_ovba.Views.project_ole_file import ProjectOleFile

    class ClassModule(StdModule):
        """A class module, which ms-ovba 0.0.1 lacks: 'Class=' in PROJECT, MODULETYPE 0x0022 in dir."""

        def __init__(self, name: str) -> None:
            super().__init__(name)
            self.type = "Class"

        def pack(self, endien: str, cp_name: str) -> bytes:
            record = super().pack(endien, cp_name)
            tail = _MODULETYPE_PROCEDURAL + _MODULE_TERMINATOR
            if not record.endswith(tail):
                raise RuntimeError("unexpected MODULE record layout from ms-ovba")
            return record[:-len(tail)] + _MODULETYPE_OTHER + _MODULE_TERMINATOR

    project = VbaProject()
    project.project_id = PROJECT_ID
    project.codepage_name = CODEPAGE
    project.include_projectwm()  # Excel writes the PROJECTwm name map too
    project.add_attribute(*VERSION_COMPATIBLE)  # written after HelpContextID, as Excel does
    kinds = {"Document": DocModule, "Module": StdModule, "Class": ClassModule}
    for name, kind, source in modules:
        module = kinds[kind](name)
        # ms-ovba compresses "<file>.new" into "<file>.bin"; its own normalize_file would
        # re-read the source in text mode and append, so the stream bytes are written here.
        (folder / f"{name}.new").write_bytes(source)
        module.add_file(str(folder / name))
        project.add_module(module)
    for libid, version, path, description, name in (
            ("00020430-0000-0000-C000-000000000046", "2.0", r"C:\Windows\System32\stdole2.tlb",
             "OLE Automation", "stdole"),
            ("2DF8D04C-5BFA-101B-BDE5-00AA0044DE52", "2.0",
             r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL",
             "Microsoft Office 16.0 Object Library", "Office")):
        ref = LibidReference(uuid.UUID(libid), version, "0", path, description)
        project.add_reference(Reference(ReferenceRegistered(ref), name))
    ProjectOleFile.write_file(project)


@contextlib.contextmanager
def _fixed_ms_ovba() -> Iterator[None]:
    """Correct ms-ovba-compression's copy-token bound, make ms-ovba-crypto repeatable, let ms-cfb flush."""
    import ms_ovba_crypto.ms_ovba_crypto as crypto
    from ms_ovba_compression.ms_ovba import MsOvba

    original_help = MsOvba.__dict__["copytoken_help"]
    original_random = crypto.random

    def copytoken_help(difference: int) -> dict:
        help = original_help.__func__(difference)
        # ms-ovba-compression <= 1.0.1 computes `0xFFFF << bit_count + 3`, i.e. no bound at
        # all, so long repeated runs overflow the length field into the offset and the module
        # decompresses to garbage. MS-OVBA 2.4.1.3.19.1 CopyToken Help: (0xFFFF >> bitCount) + 3.
        help["maxLength"] = (0xFFFF >> help["bitCount"]) + 3
        return help

    MsOvba.copytoken_help = staticmethod(copytoken_help)
    # The seed bytes of the encrypted CMG/DPB/GC values come from the `random` module.
    crypto.random = random.Random(CRYPTO_SEED)
    try:
        with warnings.catch_warnings():
            # ms-cfb leaves files it wrote open and reads them back after they are garbage
            # collected; if that ResourceWarning is turned into an error (pytest -W error),
            # the buffered tail of the file is lost and the container comes out corrupt.
            warnings.simplefilter("ignore", ResourceWarning)
            yield
    finally:
        MsOvba.copytoken_help = original_help
        crypto.random = original_random


def main(argv: list[str] | None = None) -> int:
    """Refresh the xlwings copies in macros/ and rebuild vbaProject.bin (or only check them)."""
    parser = argparse.ArgumentParser(prog="python -m tools.vba_build", description=main.__doc__)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if macros/ or vbaProject.bin are out of date")
    parser.add_argument("--no-refresh", action="store_true",
                        help="build from macros/ as it is, without copying xlwings' sources")
    args = parser.parse_args(argv)
    if args.check:
        return _check()
    if not args.no_refresh:
        for path in refresh():
            print(f"updated {path.relative_to(ROOT)}")
    path = build()
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")
    return 0


def _check() -> int:
    """Report stale xlwings copies or a stale vbaProject.bin; 0 when everything agrees."""
    stale = []
    version, sources = xlwings_sources()
    recorded = (MACROS_DIR / XLWINGS_VERSION_FILE).read_text(encoding="ascii").strip()
    if version != recorded:
        stale.append(f"macros/ holds xlwings {recorded}, installed is {version}")
    else:
        stale += [f"macros/{name} differs from xlwings {version}"
                  for name, data in sources.items() if (MACROS_DIR / name).read_bytes() != data]
    with tempfile.TemporaryDirectory(prefix="odplan_vba_check_") as tmp:
        fresh = build(Path(tmp) / "vbaProject.bin")
        if fresh.read_bytes() != BIN_PATH.read_bytes():
            stale.append(f"{BIN_PATH.relative_to(ROOT)} differs from a build of macros/")
    for line in stale:
        print(line, file=sys.stderr)
    if stale:
        print("run: python -m tools.vba_build", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
