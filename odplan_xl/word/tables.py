"""Tables of the document: column widths and styles, and the fast row path for thousands of rows."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from docx.oxml import parse_xml
from lxml import etree

from odplan_xl import schema
from odplan_xl.word.oxml import RTL_RPR, W_NS, script_runs
from odplan_xl.word.styles import BORDER_GREY, HEAD_FILL

CHUNK_ROWS = 250                   # LibreOffice lays out one huge table very slowly: split long tables

Cell = tuple[str, str | None]          # (text, mark): mark is None, "missing", "flag" or "strong"
MARK_STYLE = {"missing": "OdplanMissing", "flag": "OdplanFlag", "strong": "OdplanStrong"}
_CENTRED = {schema.Kind.DATE, schema.Kind.YESNO, schema.Kind.INTEGER, schema.Kind.YEAR}


@dataclass
class Table:
    """A table to write: header labels, widths (twips), body rows of cells."""

    labels: Sequence[str]
    widths: Sequence[int]
    rows: Sequence[Sequence[Cell]]
    style: str | Sequence[str] = "OdplanCell"      # one paragraph style, or one per column
    header: bool = True
    margins: int = 57
    fills: Sequence[Sequence[str | None]] | None = None   # Gantt: the colour of each shaded cell (None: not)
    fill_from: int = 0                                # first column the fills apply to


def widths(weights: Sequence[float], fixed: Sequence[int | None], total: int) -> list[int]:
    """Column widths in twips: fixed ones as given, the rest share what is left by weight."""
    left = max(total - sum(f for f in fixed if f), 567 * sum(1 for f in fixed if not f))
    share = sum(w for w, f in zip(weights, fixed, strict=True) if not f) or 1
    return [f if f else int(left * w / share) for w, f in zip(weights, fixed, strict=True)]


def column_width(col: schema.Column) -> int | None:
    """A fixed width for typed columns (twips); None: the column shares what is left."""
    if col.kind is schema.Kind.DATE:
        return 1160
    if col.kind is schema.Kind.AMOUNT:
        return 1500
    if col.kind is schema.Kind.YESNO:
        return 950
    if col.kind in (schema.Kind.INTEGER, schema.Kind.YEAR):
        return 820
    if col.width <= 10:          # short choices (CSV, نعم): room for the header word
        return 900
    return None


def column_style(col: schema.Column) -> str:
    if col.kind is schema.Kind.AMOUNT:
        return "OdplanCellNumber"
    if col.kind in _CENTRED or col.width <= 11:
        return "OdplanCellCenter"
    return "OdplanCell"


# --- the fast row path ---------------------------------------------------------------------------------------
# Rows are written as XML text from per-column cell prototypes. Measured on 8,000 rows x 12 columns: 1.0 s
# this way and parsed once per chunk, 3.2 s building the same cells as lxml elements (deep copies of a
# prototype cell); python-docx's own cell access is quadratic. `write` in document.py does not even parse
# the text: it goes into the saved document.xml as it is (see `splice`), exactly where and as lxml would
# have written the parsed table. The rest of the document is built as elements (oxml.py).
def _tbl_open(col_widths: Sequence[int], margins: int) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in col_widths)
    border = f'<w:{{0}} w:val="single" w:sz="4" w:space="0" w:color="{BORDER_GREY}"/>'
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    borders = "".join(border.format(side) for side in sides)
    return (f'<w:tbl><w:tblPr><w:bidiVisual/><w:tblW w:w="{sum(col_widths)}" w:type="dxa"/>'
            f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{margins}" w:type="dxa"/>'
            f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{margins}" w:type="dxa"/></w:tblCellMar>'
            f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
            f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>')


_TBL = b"<w:tbl>"
_TBL_NS = f'<w:tbl xmlns:w="{W_NS}">'.encode()    # a chunk parsed on its own declares its namespace
# Text that a parser would not take as it is: line ends it normalises, characters XML forbids. A table
# holding any is parsed (and so written as before, or refused by the parser as before).
_NOT_VERBATIM = re.compile("[\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _esc(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _t(value: str) -> str:
    if value[0].isspace() or value[-1].isspace():
        return f'<w:t xml:space="preserve">{_esc(value)}</w:t>'
    return f"<w:t>{_esc(value)}</w:t>"


def _text_xml(value: str) -> str:
    """Text of a run as XML: line breaks become w:br, tabs w:tab (as oxml.add_text)."""
    if "\n" not in value and "\t" not in value:
        return _t(value)
    parts = []
    for i, line in enumerate(value.split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if piece:
                parts.append(_t(piece))
    return "".join(parts)


def _runs_xml(value: str, rstyle: str | None) -> str:
    """`value` as runs of XML text, one per script, each with its direction (as oxml.run)."""
    style = f'<w:rStyle w:val="{rstyle}"/>' if rstyle else ""
    out = []
    for piece, rtl in script_runs(value):
        rpr = f"<w:rPr>{style}{RTL_RPR}</w:rPr>" if rtl else (f"<w:rPr>{style}</w:rPr>" if style else "")
        out.append(f"<w:r>{rpr}{_text_xml(piece)}</w:r>")
    return "".join(out)


def _cell_open(width: int, style: str, fill: str | None = None) -> str:
    """The formatted start of a cell, shared by every row of a column (the row 'prototype')."""
    shd = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shd}<w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/><w:bidi/></w:pPr>')


_CELL_CLOSE = "</w:p></w:tc>"
_ROW_OPEN = "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
_HEAD_OPEN = "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"


def xml_chunks(spec: Table) -> tuple[list[bytes], bool]:
    """The table as the XML (UTF-8) of one or more w:tbl (chunks of CHUNK_ROWS rows, each with the header
    row), without namespace declarations; and whether that XML is verbatim (see _NOT_VERBATIM).

    A cell's XML depends only on its column, text, mark and fill: each is made once and reused.
    """
    n = len(spec.widths)
    styles = [spec.style] * n if isinstance(spec.style, str) else list(spec.style)
    opens = [_cell_open(w, st) for w, st in zip(spec.widths, styles, strict=True)]
    filled_opens: dict[str, list[str]] = {}          # colour -> each column's opening of a shaded cell
    head = ""
    verbatim = True
    if spec.header:
        head = _HEAD_OPEN + "".join(
            _cell_open(w, "OdplanHead", HEAD_FILL) + (_runs_xml(label, None) if label else "") + _CELL_CLOSE
            for w, label in zip(spec.widths, spec.labels, strict=True)) + "</w:tr>"
        verbatim = not any(_NOT_VERBATIM.search(label) for label in spec.labels)
    table_open = (_tbl_open(spec.widths, spec.margins) + head).encode()
    row_open, row_close, table_close = _ROW_OPEN.encode(), b"</w:tr>", b"</w:tbl>"
    runs: dict[tuple[str, str | None], str] = {}      # choices, dates and marks repeat down a column
    made: list[dict[tuple[str, str | None], bytes]] = [{} for _ in range(n)]
    made_filled: dict[str, list[dict[tuple[str, str | None], bytes]]] = {}

    def cell_xml(j: int, cell: tuple[str, str | None], filled: str | None) -> bytes:
        nonlocal verbatim
        value, mark = cell
        inner = ""
        if value:
            inner = runs.get(cell)
            if inner is None:
                inner = runs[cell] = _runs_xml(value, MARK_STYLE[mark] if mark else None)
                if verbatim and _NOT_VERBATIM.search(value):
                    verbatim = False
        if filled is None:
            xml = (opens[j] + inner + _CELL_CLOSE).encode()
            made[j][cell] = xml
            return xml
        if filled not in filled_opens:
            filled_opens[filled] = [_cell_open(w, st, filled) for w, st in zip(spec.widths, styles, strict=True)]
            made_filled[filled] = [{} for _ in range(n)]
        xml = (filled_opens[filled][j] + inner + _CELL_CLOSE).encode()
        made_filled[filled][j][cell] = xml
        return xml

    rows = spec.rows
    out = []
    for start in range(0, max(len(rows), 1), CHUNK_ROWS):
        parts = [table_open]
        append = parts.append
        for i in range(start, min(start + CHUNK_ROWS, len(rows))):
            append(row_open)
            if spec.fills is None:
                for j, (known, cell) in enumerate(zip(made, rows[i])):
                    append(known.get(cell) or cell_xml(j, cell, None))
            else:
                fills = spec.fills[i]
                for j, cell in enumerate(rows[i]):
                    k = j - spec.fill_from
                    colour = fills[k] if 0 <= k < len(fills) else None
                    known = made[j] if colour is None else made_filled.get(colour, [{}] * n)[j]
                    append(known.get(cell) or cell_xml(j, cell, colour))
            append(row_close)
        append(table_close)
        out.append(b"".join(parts))
    return out, verbatim


def parse_chunk(xml: bytes) -> etree._Element:
    """One chunk of `xml_chunks` as an element."""
    return parse_xml(_TBL_NS + xml[len(_TBL):])


def build(spec: Table) -> list[etree._Element]:
    """The table as one or more w:tbl elements (chunks of CHUNK_ROWS rows, each with the header row)."""
    return [parse_chunk(xml) for xml in xml_chunks(spec)[0]]
