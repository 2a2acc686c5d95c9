"""Workbook files through openpyxl: a guarded, read-only grid source (values only, never formulas)."""

from __future__ import annotations

import contextlib
import functools
import posixpath
import re
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

from odplan_xl.errors import OdplanError
from odplan_xl.package import (
    MAX_DIRECTORY_BYTES,  # noqa: F401  (re-exported by odplan_xl.xlsx)
    MAX_FILE_BYTES,  # noqa: F401
    MAX_PART_BYTES,  # noqa: F401
    MAX_RATIO,  # noqa: F401
    MAX_UNCOMPRESSED_BYTES,  # noqa: F401
    inspect_package,
)
from odplan_xl.plan.reader import SheetFacts, TableRef

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
}


_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3}[0-9]{1,7}:[A-Z]{1,3}[0-9]{1,7})"')
_FORMULA = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3}[0-9]{1,7})"[^>]*>\s*<(?:\w+:)?f\b')
# a cell whose formula is not followed by a value: <c r="J9"><f>...</f></c> (or an empty <v/>)
_UNCOMPUTED = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3}[0-9]{1,7})"[^>]*>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)'
    rb'\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>')
_CELL = re.compile(r"[A-Za-z]{1,3}[1-9][0-9]{0,6}")


def _usable_range(ref: str) -> bool:
    """A table range the reader can use: "A6:H20", top-left first."""
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return False
    return None not in (min_col, min_row, max_col, max_row) and min_col <= max_col and min_row <= max_row


def _unescape(text: str) -> str:
    """OOXML escapes characters XML cannot hold as _xHHHH_ (Excel shows the character itself)."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def _cannot(code: str, path: Path, **params: object) -> OdplanError:
    return OdplanError(code, where=path.name, **params)


def _refused(exc: BaseException, path: Path, where: str | None = None) -> OdplanError:
    """The reason a parse failed: XML that declares entities (an attack), or a damaged file."""
    cause: BaseException | None = exc
    for _ in range(8):   # openpyxl re-raises parser errors as ValueError: look down the chain
        if cause is None:
            break
        if isinstance(cause, DefusedXmlException):
            return OdplanError("unsafe-xml", where=where or path.name)
        cause = cause.__cause__ or cause.__context__
    name = type(exc).__name__
    return OdplanError("damaged-workbook", kind=name, where=where or path.name)


@contextlib.contextmanager
def _parsing(path: Path, where: str | None = None) -> Iterator[None]:
    """Errors of openpyxl, zipfile and the XML parsers become an OdplanError, never a traceback.

    Sheets are parsed lazily, so a damaged or hostile part can surface long after opening.
    """
    try:
        with warnings.catch_warnings():
            # openpyxl warns about what it drops on read (extensions, out-of-range dates it turns
            # into errors); we read values and report them ourselves.
            warnings.simplefilter("ignore")
            yield
    except OdplanError:
        raise
    except Exception as exc:  # openpyxl raises many types on damaged files
        raise _refused(exc, path, where) from exc


@functools.cache
def parsers_are_safe() -> bool:
    """Whether openpyxl parses XML without expanding entities.

    openpyxl streams sheets and shared strings through defusedxml only when it is installed and
    OPENPYXL_DEFUSEDXML is not "False"; its other parts go through lxml with entities left
    unresolved (or defusedxml without lxml). Checked on the functions it really uses.
    """
    from openpyxl.reader import strings
    from openpyxl.worksheet import _reader
    from openpyxl.xml import functions

    if not all(m.iterparse.__module__.startswith("defusedxml") for m in (strings, _reader)):
        return False
    try:
        probe = functions.fromstring(b'<!DOCTYPE a [<!ENTITY e "expanded">]><a>&e;</a>')
    except Exception:  # defusedxml refuses the declaration itself
        return True
    return "expanded" not in (probe.text or "")


def _workbook_kind(zf: zipfile.ZipFile, names: set[str]) -> None:
    """Refuse an OpenDocument spreadsheet, a Word document or any package without a workbook part."""
    path = Path(zf.filename or "")
    if "mimetype" in names and b"opendocument" in zf.read("mimetype")[:100]:
        raise _cannot("opendocument", path)
    if "word/document.xml" in names:
        raise _cannot("word-document", path)
    if "xl/workbook.xml" not in names:
        raise _cannot("not-a-workbook", path)


def inspect_file(path: Path) -> None:
    """Refuse what is not a usable .xlsx/.xlsm before parsing anything, with the reason."""
    inspect_package(path, expected="workbook", kind=_workbook_kind)


class FileGrid:
    """A workbook file read with openpyxl in read-only, values-only mode."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.name = self.path.name
        if not parsers_are_safe():
            raise _cannot("unsafe-parser", self.path)
        inspect_file(self.path)
        # Opened here, not by openpyxl: closed even when loading fails (openpyxl leaves its handle
        # open then, which holds the file on Windows), and judged by content, not by its extension
        # (openpyxl refuses "plan.xlsx.part" or a name without one).
        self._file = self.path.open("rb")
        try:
            with _parsing(self.path):
                self._wb = openpyxl.load_workbook(self._file, read_only=True, data_only=True,
                                                  keep_links=False)
        except BaseException:
            self._file.close()
            raise
        self._tables: list[TableRef] | None = None

    def sheet_names(self) -> list[str]:
        return list(self._wb.sheetnames)

    def defined_names(self) -> dict[str, tuple[str, str]]:
        """Workbook-scoped names that point at one cell: name -> (sheet, "C5")."""
        found: dict[str, tuple[str, str]] = {}
        for name, defn in self._wb.defined_names.items():
            try:
                dests = list(defn.destinations)
            except Exception:  # a formula or an external reference, not a cell
                continue
            if len(dests) == 1:
                sheet, ref = dests[0]
                sheet = sheet.replace("''", "'")    # openpyxl keeps a quoted name's doubled apostrophes
                first = ref.replace("$", "").split(":")[0]
                if _CELL.fullmatch(first):   # not a whole column ("C:C") or row ("5:5")
                    found[name] = (sheet, first)
        return found

    def tables(self) -> list[TableRef]:
        """Excel Tables, read from the package parts (openpyxl's read-only mode does not list them)."""
        if self._tables is None:
            with _parsing(self.path):
                self._tables = _read_tables(self.path)
        return self._tables

    def values(self, sheet: str, min_row: int, min_col: int, max_row: int, max_col: int) -> list[list[Any]]:
        ws = self._wb[sheet]
        width = max_col - min_col + 1
        rows = []
        with _parsing(self.path, f"{self.name}: {sheet}"):
            for r in ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col,
                                  values_only=True):
                row = [_unescape(v) if isinstance(v, str) and "_x" in v else v for v in r]
                rows.append(row + [None] * (width - len(row)))
        return rows

    def dimensions(self, sheet: str) -> tuple[int, int]:
        """(max_row, max_col) as the file states them (may be absent: then computed)."""
        ws = self._wb[sheet]
        with _parsing(self.path, f"{self.name}: {sheet}"):
            if ws.max_row is None or ws.max_column is None:
                ws.calculate_dimension(force=True)
            return ws.max_row or 0, ws.max_column or 0

    def sheet_facts(self, sheet: str) -> SheetFacts:
        """Merged ranges and formula cells without a computed result, read from the sheet's XML.

        openpyxl's read-only mode gives neither; a pattern over the part's bytes finds both at a
        fraction of a parse (the part's size was checked before anything was read).
        """
        path = self._wb[sheet]._worksheet_path   # noqa: SLF001 (read-only sheets keep their part name)
        with _parsing(self.path, f"{self.name}: {sheet}"), zipfile.ZipFile(self.path) as zf:
            xml = zf.read(path.lstrip("/"))
        merges = []
        for ref in _MERGE.findall(xml):
            try:
                c0, r0, c1, r1 = range_boundaries(ref.decode("ascii"))
            except (ValueError, TypeError, UnicodeDecodeError):
                continue
            if None not in (c0, r0, c1, r1):
                merges.append((r0, c0, r1, c1))
        formulas, uncomputed = set(), set()
        if b"<f" in xml:
            for found, pattern in ((formulas, _FORMULA), (uncomputed, _UNCOMPUTED)):
                for ref in pattern.findall(xml):
                    try:
                        found.add(coordinate_to_tuple(ref.decode("ascii")))
                    except (ValueError, UnicodeDecodeError):
                        continue
        return SheetFacts(merges=tuple(merges), formulas=frozenset(formulas),
                          uncomputed=frozenset(uncomputed))

    def close(self) -> None:
        self._wb.close()
        self._file.close()

    def __enter__(self) -> FileGrid:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _rels(zf: zipfile.ZipFile, part: str, type_suffix: str = "") -> dict[str, str]:
    """Relationship id -> absolute part name, for the part's .rels file (optionally of one type)."""
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    if rels_name not in zf.namelist():
        return {}
    root = SafeET.fromstring(zf.read(rels_name))
    out = {}
    for rel in root.findall("pr:Relationship", _NS):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not rel.get("Type", "").endswith(type_suffix):
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        out[rel.get("Id", "")] = path
    return out


def _count(text: str | None) -> int:
    return int(text) if text and text.isdigit() and len(text) < 4 else 0


def _read_tables(path: Path) -> list[TableRef]:
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        book = SafeET.fromstring(zf.read("xl/workbook.xml"))
        book_rels = _rels(zf, "xl/workbook.xml")
        tables = []
        for sheet in book.iterfind("m:sheets/m:sheet", _NS):
            part = book_rels.get(sheet.get(f"{{{_NS['r']}}}id", ""))
            if not part or part not in names:
                continue
            # the sheet's table relationships name its tables: no need to parse the (big) sheet
            for tpart in _rels(zf, part, "/table").values():
                if tpart not in names:
                    continue
                table = SafeET.fromstring(zf.read(tpart))
                if not _usable_range(table.get("ref", "")):
                    continue   # the reader then finds the header row by its labels
                tables.append(TableRef(name=table.get("name") or table.get("displayName") or "",
                                       sheet=sheet.get("name", ""), ref=table.get("ref", ""),
                                       totals_rows=_count(table.get("totalsRowCount"))))
        return tables


def open_grid(path: str | Path) -> FileGrid:
    """Open a workbook file for reading values (raises OdplanError with the reason when unusable)."""
    return FileGrid(path)
