"""The package's own parts, parsed by us with defusedxml: sheets, defined names, Excel Tables, sheet facts.

Everything here runs before a library parses the workbook: every XML part is read once through
Python's zipfile (its checksum and size verified), must declare no DTD (entity attacks) and hold no
raw control character (ill-formed XML, which Excel refuses); what the values alone do not tell
(merged ranges, formulas without a result, error values) is found in the sheets' bytes.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from odplan_xl.addresses import coordinate_to_tuple
from odplan_xl.errors import OdplanError
from odplan_xl.grid import SheetFacts, TableRef
from odplan_xl.package import as_utf8, declares_dtd

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
}

_REF = rb"[A-Z]{1,3}[0-9]{1,7}"
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="(' + _REF + rb":" + _REF + rb')"')
_FORMULA = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="(' + _REF + rb')"[^>]*>\s*<(?:\w+:)?f\b')
# a cell whose formula is not followed by a value: <c r="J9"><f>...</f></c> (or an empty <v/>)
_UNCOMPUTED = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\br="(' + _REF + rb')"[^>]*>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)'
    rb'\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>')
# an error value (t="e"): its text, "#REF!", is in <v> (python-calamine gives such cells as empty)
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*?\bt="e"[^>]*)>(.*?)</(?:\w+:)?c>', re.DOTALL)
# the same two, in one pass, for the common spelling: <c r="J9" ...><f>...</f> then (group 2, when
# the formula has no value) nothing or an empty <v/>, and </c>
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*>\s*<f\b[^>]*?(?:/>|>[^<]*</f>)'
                           rb'(\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>)?')
_PREFIXED_FORMULA = re.compile(rb"<\w+:f[\s>/]")
_R_ATTR = re.compile(rb'\br="(' + _REF + rb')"')
_V_TEXT = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
# characters XML 1.0 cannot hold raw (the escaped form _x0001_ is fine)
_RAW_CONTROL = bytes(range(0x00, 0x09)) + b"\x0b\x0c" + bytes(range(0x0e, 0x20))
# a defined name that points at one cell or one range of one sheet: Sheet!$C$5, 'A sheet'!$C$5:$D$6
_DESTINATION = re.compile(
    r"(?:'((?:[^']|'')+)'|([^'!,()\[\]\s]+))!\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::\$?[A-Za-z]{1,3}\$?[0-9]{1,7})?")
_RANGE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7}):\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


def refused(exc: BaseException, path: Path, where: str | None = None) -> OdplanError:
    """The reason a parse failed: XML that declares entities (an attack), or a damaged file."""
    cause: BaseException | None = exc
    for _ in range(8):   # parsers re-raise their errors as other types: look down the chain
        if cause is None:
            break
        if isinstance(cause, DefusedXmlException):
            return OdplanError("unsafe-xml", where=where or path.name)
        cause = cause.__cause__ or cause.__context__
    return OdplanError("damaged-workbook", kind=type(exc).__name__, where=where or path.name)


@contextlib.contextmanager
def parsing(path: Path, where: str | None = None) -> Iterator[None]:
    """Errors of zipfile, the XML parsers and the reading libraries become an OdplanError."""
    try:
        yield
    except OdplanError:
        raise
    except Exception as exc:  # damaged files raise many types
        raise refused(exc, path, where) from exc


def _read_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A part's bytes, inflated a megabyte at a time: a member whose header lies about its size stops
    at the size declared (the checksum then fails) instead of inflating whole into memory."""
    chunks = []
    with zf.open(info) as member:
        while chunk := member.read(1 << 20):
            chunks.append(chunk)
    return b"".join(chunks)


def _check_part(name: str, data: bytes, path: Path) -> None:
    if declares_dtd(data):
        raise OdplanError("unsafe-xml", where=f"{path.name}: {name}")
    if any(byte in as_utf8(data) for byte in _RAW_CONTROL):   # a byte search each: faster than a pattern
        raise OdplanError("damaged-workbook", kind="control character", where=f"{path.name}: {name}")


def _range_ok(ref: str) -> bool:
    """A table range the reader can use: "A6:H20", top-left first."""
    match = _RANGE.fullmatch(ref)
    if not match:
        return False
    r0, c0 = coordinate_to_tuple(match.group(1) + match.group(2))
    r1, c1 = coordinate_to_tuple(match.group(3) + match.group(4))
    return 0 < r0 <= r1 and 0 < c0 <= c1


def _count(text: str | None) -> int:
    return int(text) if text and text.isdigit() and len(text) < 4 else 0


def _rels(zf: zipfile.ZipFile, names: set[str], part: str, type_suffix: str = "") -> dict[str, str]:
    """Relationship id -> absolute part name, for the part's .rels file (optionally of one type)."""
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    if rels_name not in names:
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


@dataclass
class Package:
    """What the reader needs of the package, read once: sheets in order, names, tables, sheet bytes."""

    sheets: list[tuple[str, str]] = field(default_factory=list)      # (sheet name, part name)
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (sheet, "C5")
    tables: list[TableRef] = field(default_factory=list)
    sheet_xml: dict[str, bytes] = field(default_factory=dict)        # sheet name -> its part's bytes


def read_package(path: Path) -> Package:
    """Read and check every XML part; parse the workbook part, its relationships and the tables."""
    with parsing(path), zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        parts = {}
        for info in zf.infolist():
            if info.filename.lower().endswith((".xml", ".rels")):
                data = _read_part(zf, info)
                _check_part(info.filename, data, path)
                parts[info.filename] = data
        book = SafeET.fromstring(parts["xl/workbook.xml"])
        book_rels = _rels(zf, names, "xl/workbook.xml")
        package = Package()
        for sheet in book.iterfind("m:sheets/m:sheet", _NS):
            name = sheet.get("name", "")
            part = book_rels.get(sheet.get(f"{{{_NS['r']}}}id", ""), "")
            package.sheets.append((name, part))
            if part not in parts:
                continue
            package.sheet_xml[name] = parts[part]
            # the sheet's table relationships name its tables: no need to parse the (big) sheet
            for tpart in _rels(zf, names, part, "/table").values():
                if tpart not in parts:
                    continue
                table = SafeET.fromstring(parts[tpart])
                if not _range_ok(table.get("ref", "")):
                    continue   # the reader then finds the header row by its labels
                package.tables.append(TableRef(name=table.get("name") or table.get("displayName") or "",
                                               sheet=name, ref=table.get("ref", ""),
                                               totals_rows=_count(table.get("totalsRowCount"))))
        package.names = _defined_names(book)
        return package


def _defined_names(book) -> dict[str, tuple[str, str]]:
    """Workbook-scoped names that point at one cell (or a range: its first cell): name -> (sheet, "C5").

    A name scoped to one sheet (localSheetId), a formula, a list of ranges, a whole column or row and
    a reference to another workbook are not cells of this plan.
    """
    found: dict[str, tuple[str, str]] = {}
    for node in book.iterfind("m:definedNames/m:definedName", _NS):
        name = node.get("name")
        if not name or node.get("localSheetId") is not None:
            continue
        match = _DESTINATION.fullmatch((node.text or "").strip().lstrip("="))
        if match:
            sheet = match.group(1).replace("''", "'") if match.group(1) is not None else match.group(2)
            found[name] = (sheet, f"{match.group(3).upper()}{match.group(4)}")
    return found


def _cells(pattern: re.Pattern[bytes], xml: bytes) -> set[tuple[int, int]]:
    found = set()
    for ref in pattern.findall(xml):
        with contextlib.suppress(ValueError, UnicodeDecodeError):
            found.add(coordinate_to_tuple(ref.decode("ascii")))
    return found


def _formula_cells(xml: bytes) -> tuple[set[tuple[int, int]], set[tuple[int, int]]] | None:
    """(cells holding a formula, those among them without a computed value) in one pass over a sheet
    written as Excel, LibreOffice and XlsxWriter write it (no prefix, the address first); None when
    some formula was not found that way (then the general patterns run)."""
    formulas, uncomputed = set(), set()
    columns: dict[bytes, int] = {}
    for letters, digits, empty in _FORMULA_CELL.findall(xml):
        col = columns.get(letters)
        if col is None:
            col = columns[letters] = coordinate_to_tuple(letters.decode("ascii") + "1")[1]
        cell = (int(digits), col)
        formulas.add(cell)
        if empty:
            uncomputed.add(cell)
    written = sum(xml.count(b"<f" + end) for end in (b">", b" ", b"/"))
    if b":f" in xml:     # <x:f>: a prefix the one-pass pattern does not expect
        written += len(_PREFIXED_FORMULA.findall(xml))
    if len(formulas) != written:
        return None
    return formulas, uncomputed


def sheet_facts(xml: bytes) -> SheetFacts:
    """Merged ranges and formula cells without a computed result, found in the sheet's bytes."""
    merges = []
    if b"mergeCell" in xml:
        for ref in _MERGE.findall(xml):
            first, _, last = ref.decode("ascii").partition(":")
            (r0, c0), (r1, c1) = coordinate_to_tuple(first), coordinate_to_tuple(last)
            if r0 <= r1 and c0 <= c1:
                merges.append((r0, c0, r1, c1))
    formulas: set[tuple[int, int]] = set()
    uncomputed: set[tuple[int, int]] = set()
    if b"<f" in xml or b":f" in xml:
        found = _formula_cells(xml)
        formulas, uncomputed = found or (_cells(_FORMULA, xml), _cells(_UNCOMPUTED, xml))
    return SheetFacts(merges=tuple(merges), formulas=frozenset(formulas), uncomputed=frozenset(uncomputed))


def error_values(xml: bytes) -> dict[tuple[int, int], str]:
    """(row, col) -> the error's text ("#REF!") of each error cell of the sheet."""
    found = {}
    if b't="e"' not in xml:
        return found
    for attrs, body in _ERROR_CELL.findall(xml):
        ref, value = _R_ATTR.search(attrs), _V_TEXT.search(body)
        if ref and value:
            with contextlib.suppress(ValueError, UnicodeDecodeError):
                found[coordinate_to_tuple(ref.group(1).decode("ascii"))] = value.group(1).decode("utf-8")
    return found
