"""Guards on an Office package (a zip) before any of its XML is parsed: size, bombs, passwords, parts."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from odplan_xl.errors import OdplanError
from odplan_xl.files import os_fault

# Limits checked before any XML is parsed (the file comes by e-mail from anyone).
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_RATIO = 200                 # uncompressed / compressed, per member larger than 1 MB
# One part, uncompressed. openpyxl keeps the shared strings (and styles, workbook...) whole in
# memory: 50 MB of short strings cost about 350 MB and a minute. A table at MAX_TABLE_ROWS rows
# makes a worksheet of about 30 MB.
MAX_PART_BYTES = 50 * 1024 * 1024
# The list of parts is read whole (memory, time) before any other check can run: about 20,000
# parts, where a plan workbook has under 100.
MAX_DIRECTORY_BYTES = 2 * 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")


_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")


def as_utf8(data: bytes) -> bytes:
    """An XML part's bytes as UTF-8 for byte checks (Office writes UTF-8; a UTF-16 part is re-encoded)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:2] in (b"<\x00", b"\x00<"):
        return data.decode("utf-16", errors="replace").encode("utf-8")
    return data


def declares_dtd(data: bytes) -> bool:
    """Whether an XML part declares a DTD or entities (refused: entity expansion, external entities)."""
    text = as_utf8(data)
    return any(mark in text for mark in _DTD_MARKS)


def _cannot(code: str, path: Path, **params: object) -> OdplanError:
    return OdplanError(code, where=path.name, **params)


def _directory_bytes(path: Path) -> int:
    """Size of the zip's central directory as declared at the end of the file.

    Read with the very function ZipFile uses to find the directory (zip64 record included), so
    the size checked is the size ZipFile would then read and list.
    """
    with path.open("rb") as fh:
        end = zipfile._EndRecData(fh)  # noqa: SLF001 (stable since Python 2)
    return int(end[zipfile._ECD_SIZE]) if end else 0  # noqa: SLF001


def _not_package(path: Path, expected: str) -> OdplanError:
    if expected == "document":
        return _cannot("not-a-docx", path)
    return _cannot("not-a-workbook", path)


def _old_format(path: Path, expected: str) -> OdplanError:
    if expected == "document":
        return _cannot("old-word-format", path)
    return _cannot("old-format", path)


def inspect_package(path: Path, *, expected: str,
                    kind: Callable[[zipfile.ZipFile, set[str]], None] | None = None) -> set[str]:
    """Refuse what is not a usable Office package before parsing anything; the names of its parts.

    `expected` is "workbook" or "document" (which errors name the file's problem); `kind` refuses a
    package of another kind from its part names, before the size checks. A fault of the operating
    system while reading (no permission, a locked file, a name too long) is the catalogue's.
    """
    try:
        return _inspect(path, expected, kind)
    except OSError as exc:
        raise os_fault(exc, path, reading=True) from None


def _inspect(path: Path, expected: str, kind: Callable[[zipfile.ZipFile, set[str]], None] | None) -> set[str]:
    if not path.exists():
        raise _cannot("not-found", path)
    if path.is_dir():
        raise _cannot("not-a-file", path)
    size = path.stat().st_size
    if size == 0:
        raise _cannot("empty-file", path)
    if size > MAX_FILE_BYTES:
        raise _cannot("file-too-big", path)
    with path.open("rb") as fh:
        head = fh.read(8)
        if head.startswith(_OLE_MAGIC):   # an encrypted package, or an Office 97-2003 file
            data = fh.read(min(size, 4 * 1024 * 1024))
            if _ENCRYPTED_MARK in data:
                raise _cannot("password-protected", path)
            raise _old_format(path, expected)
    if not zipfile.is_zipfile(path):
        raise _not_package(path, expected)
    if _directory_bytes(path) > MAX_DIRECTORY_BYTES:
        raise _cannot("too-many-parts", path)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if any(i.flag_bits & 0x1 for i in infos):   # a zip password (7-Zip, WinZip), not Office's
                raise _cannot("password-protected", path)
            if kind is not None:
                kind(zf, names)
            total = 0
            for info in infos:
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if total > MAX_UNCOMPRESSED_BYTES or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
                    raise _cannot("zip-bomb", path)
                if info.file_size > MAX_PART_BYTES:
                    mb, limit = -(-info.file_size // 2**20), MAX_PART_BYTES // 2**20
                    raise _cannot("part-too-big", path, part=info.filename, mb=mb, limit=limit)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
        # a damaged directory, a damaged or unsupported member (read for a kind test)
        raise _not_package(path, expected) from exc
    return names
