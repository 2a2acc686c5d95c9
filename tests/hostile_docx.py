"""Hostile and broken Word documents for `odplan-xl import`, each built reproducibly into a folder.

Every case is a function `case(folder) -> Path`; `EXPECTED` gives the error code each must stop with
(exit 2, a message, never a traceback). Most start from a plan document and change one part the way an
attacker or a damaged transfer would.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
from hostile import rewrite  # a package copied member by member, some members changed

CASES: dict[str, Callable[[Path], Path]] = {}
EXPECTED: dict[str, str] = {}
BOMB_BYTES = 1024 ** 3


def case(code: str) -> Callable[[Callable[[Path], Path]], Callable[[Path], Path]]:
    def register(fn: Callable[[Path], Path]) -> Callable[[Path], Path]:
        CASES[fn.__name__] = fn
        EXPECTED[fn.__name__] = code
        return fn
    return register


def plan_docx(folder: Path) -> Path:
    """A small plan document (two sections with a row each)."""
    path = folder / "_plan.docx"
    if not path.exists():
        doc = docx.Document()
        doc.add_heading("1. أهداف وأولويات الخطة السنوية لأنشطة البيانات المفتوحة", 1)
        doc.add_paragraph("نشر بيانات المشاريع", style="List Bullet")
        doc.add_heading("3. جرد البيانات العمومية", 1)
        doc.add_paragraph("ورشة تحسيسية 15/03/2027", style="List Bullet")
        doc.save(path)
    return path


def _with_doctype(dtd: bytes, ref: bytes) -> Callable[[bytes], bytes]:
    def change(xml: bytes) -> bytes:
        head, sep, rest = xml.partition(b"?>")
        body = rest.replace("نشر بيانات المشاريع".encode(), ref, 1)
        return head + sep + dtd + body
    return change


@case("unsafe-xml")
def billion_laughs(folder: Path) -> Path:
    dtd = (b'<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
           + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8))
           + b"]>")
    return rewrite(plan_docx(folder), folder / "billion_laughs.docx",
                   {"word/document.xml": _with_doctype(dtd, b"&i;")})


@case("unsafe-xml")
def external_entity(folder: Path) -> Path:
    dtd = b'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    return rewrite(plan_docx(folder), folder / "external_entity.docx",
                   {"word/document.xml": _with_doctype(dtd, b"&x;")})


@case("unsafe-xml")
def doctype_in_styles(folder: Path) -> Path:
    def change(xml: bytes) -> bytes:
        head, sep, rest = xml.partition(b"?>")
        return head + sep + b'<!DOCTYPE w:styles [<!ENTITY e "x">]>' + rest
    return rewrite(plan_docx(folder), folder / "doctype_in_styles.docx", {"word/styles.xml": change})


@case("zip-bomb")
def zip_bomb(folder: Path) -> Path:
    path = folder / "zip_bomb.docx"
    with zipfile.ZipFile(plan_docx(folder)) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info), compress_type=zipfile.ZIP_DEFLATED)
        with zout.open("word/media/padding.bin", "w", force_zip64=True) as fh:
            block = b"\0" * (1024 * 1024)
            for _ in range(BOMB_BYTES // len(block)):
                fh.write(block)
    return path


@case("not-a-docx")
def truncated(folder: Path) -> Path:
    data = plan_docx(folder).read_bytes()
    path = folder / "truncated.docx"
    path.write_bytes(data[: len(data) // 2])
    return path


@case("not-a-docx")
def damaged_xml(folder: Path) -> Path:
    return rewrite(plan_docx(folder), folder / "damaged_xml.docx",
                   {"word/document.xml": lambda b: b[: len(b) // 2]})


@case("not-a-docx")
def no_document_part(folder: Path) -> Path:
    path = folder / "no_document_part.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "not a document")
    return path


@case("not-a-docx")
def workbook_renamed(folder: Path) -> Path:
    from odplan_xl.workbook.template import build_workbook

    return build_workbook(folder / "_wb.xlsx").rename(folder / "workbook_renamed.docx")


@case("not-a-docx")
def text_file(folder: Path) -> Path:
    path = folder / "text_file.docx"
    path.write_text("1. أهداف وأولويات الخطة\n", encoding="utf-8")
    return path


@case("old-word-format")
def word_97(folder: Path) -> Path:
    path = folder / "word_97.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    return path


@case("password-protected")
def zip_password(folder: Path) -> Path:
    path = folder / "zip_password.docx"
    rewrite(plan_docx(folder), path, {})
    data = bytearray(path.read_bytes())
    # set the "encrypted" flag of every entry (local headers and central directory)
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = data.find(sig)
        while i >= 0:
            data[i + offset] |= 0x1
            i = data.find(sig, i + 4)
    path.write_bytes(bytes(data))
    return path


@case("empty-file")
def empty(folder: Path) -> Path:
    path = folder / "empty.docx"
    path.write_bytes(b"")
    return path
