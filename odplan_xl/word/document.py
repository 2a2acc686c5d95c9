"""The plan as a Word document: the official template's structure, right-to-left Arabic."""

from __future__ import annotations

import copy
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import docx
import jinja2
from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from odplan_xl import schema
from odplan_xl.errors import OdplanError
from odplan_xl.plan.derived import budget_totals, priority
from odplan_xl.plan.display import (
    clean,
    format_amount,
    format_date,
    format_value,
    ltr_guard,
)
from odplan_xl.plan.gantt import Activity, Gantt, build_gantt
from odplan_xl.plan.model import Plan, Row
from odplan_xl.rules.findings import Report, Severity

FONT_CS = "Simplified Arabic"      # what Tunisian administrations use; free look-alikes stand in on Linux
FONT_LATIN = "Arial"
CHUNK_ROWS = 250                   # LibreOffice lays out one huge table very slowly: split long tables
BOOKMARK_BASE = 90000              # bookmark ids of our headings, clear of any a base document has

@lru_cache(maxsize=1)
def _texts() -> Any:
    # Output goes into the document as text through lxml, which escapes it: autoescaping here would
    # print "&lt;" literally. Values are data, never template source.
    env = jinja2.Environment(loader=jinja2.PackageLoader("odplan_xl", "texts"), autoescape=False,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=False)
    return env.get_template("word_ar.j2").module


def text(name: str, *args: Any) -> str:
    """One piece of the document's wording (texts/word_ar.j2)."""
    return str(getattr(_texts(), name)(*args)).strip("\n")


# --- XML names ---------------------------------------------------------------------------------------
W_P, W_R, W_T, W_BR, W_TAB = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:br"), qn("w:tab")
W_PPR, W_RPR, W_PSTYLE, W_RSTYLE = qn("w:pPr"), qn("w:rPr"), qn("w:pStyle"), qn("w:rStyle")
W_TR, W_TC, W_TCPR, W_SHD, W_VAL = qn("w:tr"), qn("w:tc"), qn("w:tcPr"), qn("w:shd"), qn("w:val")
W_FILL, W_COLOR = qn("w:fill"), qn("w:color")
W_INSTR, W_FLDCHAR, W_FLDTYPE = qn("w:instrText"), qn("w:fldChar"), qn("w:fldCharType")
W_SECTPR = qn("w:sectPr")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
W = nsdecls("w")

# Style ids the builder writes; built-in ones are looked up by name in a base document.
BUILTIN = {"Normal": "normal", "Title": "title", "Subtitle": "subtitle", "Heading1": "heading 1",
           "Heading2": "heading 2", "Heading3": "heading 3", "TOC1": "toc 1", "TOC2": "toc 2",
           "TOC3": "toc 3", "TOCHeading": "toc heading", "Header": "header", "Footer": "footer"}

_RPR = (f'<w:rFonts w:ascii="{FONT_LATIN}" w:hAnsi="{FONT_LATIN}" w:eastAsia="{FONT_LATIN}" '
        f'w:cs="{FONT_CS}"/>')


def _style(kind: str, sid: str, name: str, based: str | None, ppr: str = "", rpr: str = "",
           extra: str = "") -> str:
    base = f'<w:basedOn w:val="{based}"/>' if based else ""
    ppr = f"<w:pPr>{ppr}</w:pPr>" if ppr else ""
    rpr = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return (f'<w:style {W} w:type="{kind}" w:customStyle="1" w:styleId="{sid}"><w:name w:val="{name}"/>'
            f"{base}{extra}<w:qFormat/>{ppr}{rpr}</w:style>")


def _size(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


_CELL_PPR = '<w:bidi/><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/>'
# Styles of the document's own parts, added to any base that lacks them.
OWN_STYLES = {
    "OdplanCell": _style("paragraph", "OdplanCell", "Odplan Cell", "Normal", _CELL_PPR,
                         _size(18) + "<w:rtl/>"),
    "OdplanCellCenter": _style("paragraph", "OdplanCellCenter", "Odplan Cell Center", "OdplanCell",
                               '<w:jc w:val="center"/>'),
    # amounts on the left edge (the end of a right-to-left line), so their digits line up
    "OdplanCellNumber": _style("paragraph", "OdplanCellNumber", "Odplan Cell Number", "OdplanCell",
                               '<w:jc w:val="end"/>'),
    "OdplanGanttCenter": _style("paragraph", "OdplanGanttCenter", "Odplan Gantt Center", "OdplanGantt",
                                '<w:jc w:val="center"/>'),
    "OdplanHead": _style("paragraph", "OdplanHead", "Odplan Head", "OdplanCell", '<w:jc w:val="center"/>',
                         '<w:b/><w:bCs/>' + _size(18) + "<w:rtl/>"),
    "OdplanGantt": _style("paragraph", "OdplanGantt", "Odplan Gantt", "OdplanCell",
                          '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>',
                          _size(14) + "<w:rtl/>"),
    "OdplanNote": _style("paragraph", "OdplanNote", "Odplan Note", "Normal", "<w:bidi/>",
                         '<w:i/><w:iCs/><w:color w:val="595959"/><w:rtl/>'),
    "OdplanGap": _style("paragraph", "OdplanGap", "Odplan Gap", "Normal", "<w:bidi/>",
                        '<w:i/><w:iCs/><w:color w:val="C00000"/><w:rtl/>'),
    "OdplanLabel": _style("paragraph", "OdplanLabel", "Odplan Label", "Normal",
                          '<w:keepNext/><w:bidi/><w:spacing w:before="160" w:after="80"/>',
                          "<w:b/><w:bCs/><w:rtl/>"),
    "OdplanBullet": _style("paragraph", "OdplanBullet", "Odplan Bullet", "Normal",
                           '<w:bidi/><w:spacing w:after="60"/><w:ind w:start="567" w:hanging="283"/>',
                           "<w:rtl/>"),
    "OdplanSpacer": _style("paragraph", "OdplanSpacer", "Odplan Spacer", "Normal",
                           '<w:bidi/><w:spacing w:before="0" w:after="0" w:line="120" w:lineRule="exact"/>',
                           _size(4)),
    "OdplanMissing": _style("character", "OdplanMissing", "Odplan Missing", None, "",
                            '<w:i/><w:iCs/><w:color w:val="C00000"/>'),
    "OdplanFlag": _style("character", "OdplanFlag", "Odplan Flag", None, "",
                         '<w:b/><w:bCs/><w:color w:val="C00000"/><w:u w:val="dotted"/>'),
    "OdplanStrong": _style("character", "OdplanStrong", "Odplan Strong", None, "", "<w:b/><w:bCs/>"),
}

_HEADING_RPR = '<w:b/><w:bCs/><w:color w:val="1F3864"/>'
# Built-in styles as the default base sets them (a --base keeps its own).
DEFAULT_BUILTINS = {
    "Title": ('<w:bidi/><w:spacing w:before="240" w:after="240"/><w:jc w:val="center"/>',
              '<w:b/><w:bCs/><w:color w:val="1F3864"/>' + _size(52) + "<w:rtl/>"),
    "Subtitle": ('<w:bidi/><w:spacing w:before="120" w:after="120"/><w:jc w:val="center"/>',
                 '<w:color w:val="1F3864"/>' + _size(36) + "<w:rtl/>"),
    "Heading1": ('<w:keepNext/><w:keepLines/><w:bidi/><w:spacing w:before="360" w:after="200"/>'
                 '<w:outlineLvl w:val="0"/>', _HEADING_RPR + _size(32) + "<w:rtl/>"),
    "Heading2": ('<w:keepNext/><w:keepLines/><w:bidi/><w:spacing w:before="280" w:after="120"/>'
                 '<w:outlineLvl w:val="1"/>', _HEADING_RPR + _size(28) + "<w:rtl/>"),
    "Heading3": ('<w:keepNext/><w:keepLines/><w:bidi/><w:spacing w:before="200" w:after="100"/>'
                 '<w:outlineLvl w:val="2"/>', _HEADING_RPR + _size(26) + "<w:rtl/>"),
    "TOCHeading": ('<w:bidi/><w:spacing w:before="240" w:after="240"/><w:jc w:val="center"/>'
                   '<w:outlineLvl w:val="9"/>', _HEADING_RPR + _size(32) + "<w:rtl/>"),
    "Header": ('<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="808080"/></w:pBdr><w:bidi/>'
               '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/>',
               '<w:color w:val="404040"/>' + _size(18) + "<w:rtl/>"),
    "Footer": ('<w:bidi/><w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/>',
               '<w:color w:val="404040"/>' + _size(18) + "<w:rtl/>"),
}


def _toc_style(level: int) -> str:
    indent = f'<w:ind w:start="{(level - 1) * 425}"/>' if level > 1 else ""
    bold = "<w:b/><w:bCs/>" if level == 1 else ""
    # the tab stop is set on each entry paragraph, where the text width is known
    return _style("paragraph", f"TOC{level}", f"toc {level}", "Normal",
                  f'<w:bidi/><w:spacing w:before="{80 if level == 1 else 20}" w:after="20"/>{indent}',
                  f"{bold}<w:rtl/>")


# --- base document ---------------------------------------------------------------------------------------
def _find_style(doc: Document, name: str) -> str | None:
    """Style id of the style whose name is `name` (case-insensitive; ids differ in localized Word)."""
    for el in doc.styles.element.iterchildren(qn("w:style")):
        n = el.find(qn("w:name"))
        if n is not None and n.get(W_VAL, "").lower() == name:
            return el.get(qn("w:styleId"))
    return None


def _set_style(doc: Document, sid: str, name: str, ppr: str, rpr: str, *, based: str = "Normal") -> None:
    """Create or overwrite a built-in style's paragraph and run properties (default base only)."""
    styles = doc.styles.element
    el = None
    for candidate in styles.iterchildren(qn("w:style")):
        if candidate.get(qn("w:styleId")) == sid:
            el = candidate
            break
    if el is None:
        el = parse_xml(f'<w:style {W} w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/>'
                       f'<w:basedOn w:val="{based}"/><w:uiPriority w:val="39"/><w:qFormat/></w:style>')
        styles.append(el)
    for tag in ("w:pPr", "w:rPr"):
        old = el.find(qn(tag))
        if old is not None:
            el.remove(old)
    el.append(parse_xml(f"<w:pPr {W}>{ppr}</w:pPr>"))
    el.append(parse_xml(f"<w:rPr {W}>{rpr}</w:rPr>"))


def _strip_theme_fonts(root: etree._Element) -> None:
    """Theme font attributes win over w:cs/w:ascii: remove them so the named fonts apply."""
    for rfonts in root.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)


@lru_cache(maxsize=1)
def _default_base_bytes() -> bytes:
    """The default base, built once per process (a batch worker converts many plans)."""
    buffer = io.BytesIO()
    doc = _default_base()
    _ensure_styles(doc)
    doc.save(buffer)
    return buffer.getvalue()


def _default_base() -> Document:
    """python-docx's default template made A4, right-to-left, with Arabic fonts."""
    doc = docx.Document()
    styles = doc.styles.element
    _strip_theme_fonts(styles)
    defaults = styles.find(qn("w:docDefaults"))
    defaults.getparent().replace(defaults, parse_xml(
        f'<w:docDefaults {W}><w:rPrDefault><w:rPr>{_RPR}{_size(24)}<w:rtl/>'
        '<w:lang w:val="fr-FR" w:eastAsia="en-US" w:bidi="ar-TN"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:bidi/><w:spacing w:after="120" w:line="264" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"))
    for sid, (ppr, rpr) in DEFAULT_BUILTINS.items():
        _set_style(doc, sid, BUILTIN[sid], ppr, rpr)
    sect = doc.sections[0]
    sectpr = sect._sectPr
    for tag in ("w:pgSz", "w:pgMar"):
        old = sectpr.find(qn(tag))
        if old is not None:
            sectpr.remove(old)
    sectpr.insert(0, parse_xml(f'<w:pgMar {W} w:top="1418" w:right="1134" w:bottom="1418" w:left="1134" '
                               'w:header="709" w:footer="709" w:gutter="0"/>'))
    sectpr.insert(0, parse_xml(f'<w:pgSz {W} w:w="11906" w:h="16838"/>'))
    _add_after(sectpr, parse_xml(f"<w:bidi {W}/>"), after=("w:titlePg", "w:textDirection"),
               before=("w:rtlGutter", "w:docGrid", "w:printerSettings"))
    return doc


def _add_after(parent: etree._Element, child: etree._Element, *, after: Sequence[str] = (),
               before: Sequence[str] = ()) -> None:
    """Insert `child` in schema order: before the first of `before` found, else append."""
    for tag in before:
        found = parent.find(qn(tag))
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)


def load_base(base: str | Path | None = None) -> Document:
    """The document to write into: `base` (.docx) emptied but keeping its page setup, or the default."""
    if base is None:
        doc = docx.Document(io.BytesIO(_default_base_bytes()))
    else:
        doc = _open_base(Path(base))
        body = doc.element.body
        for child in list(body):
            if child.tag != W_SECTPR:
                body.remove(child)
    _ensure_styles(doc)
    return doc


def _open_base(path: Path) -> Document:
    try:
        doc = docx.Document(str(path))
        if doc.element.body.find(W_SECTPR) is None:
            doc.element.body.append(parse_xml(f'<w:sectPr {W}><w:pgSz w:w="11906" w:h="16838"/>'
                                              '<w:pgMar w:top="1418" w:right="1134" w:bottom="1418" '
                                              'w:left="1134" w:header="709" w:footer="709" w:gutter="0"/>'
                                              "</w:sectPr>"))
        return doc
    except Exception as exc:    # not a zip, not a Word document, a macro-enabled or damaged file...
        raise OdplanError("bad-base", name=path.name, where=str(path)) from exc


def _ensure_styles(doc: Document) -> None:
    styles = doc.styles.element
    present = {s.get(qn("w:styleId")) for s in styles.iterchildren(qn("w:style"))}
    normal = _find_style(doc, "normal") or "Normal"
    for sid, xml in OWN_STYLES.items():
        if sid not in present:
            styles.append(parse_xml(xml.replace('w:val="Normal"', f'w:val="{normal}"')))
    for level in (1, 2, 3):
        if _find_style(doc, f"toc {level}") is None:
            styles.append(parse_xml(_toc_style(level).replace('w:val="Normal"', f'w:val="{normal}"')))
    for sid, name in BUILTIN.items():
        if _find_style(doc, name) is None:
            ppr, rpr = DEFAULT_BUILTINS.get(sid, ("<w:bidi/>", "<w:rtl/>"))
            styles.append(parse_xml(_style("paragraph", sid, name, normal, ppr, rpr)))


# --- small XML builders ----------------------------------------------------------------------------------
def _add_text(run: etree._Element, value: str) -> None:
    """Text into a run; line breaks become w:br, tabs w:tab."""
    for i, line in enumerate(value.split("\n")):
        if i:
            etree.SubElement(run, W_BR)
        if "\t" in line:
            for j, piece in enumerate(line.split("\t")):
                if j:
                    etree.SubElement(run, W_TAB)
                if piece:
                    _add_text(run, piece)
            continue
        if line:
            t = etree.SubElement(run, W_T)
            t.text = line
            if line[0].isspace() or line[-1].isspace():
                t.set(XML_SPACE, "preserve")


def _run(parent: etree._Element, value: str, rstyle: str | None = None) -> etree._Element:
    r = etree.SubElement(parent, W_R)
    if rstyle:
        etree.SubElement(etree.SubElement(r, W_RPR), W_RSTYLE).set(W_VAL, rstyle)
    _add_text(r, value)
    return r


def _field(parent: etree._Element, instr: str, cached: str = "") -> None:
    """A complex field (PAGE, NUMPAGES, PAGEREF): begin, instruction, separate, cached result, end."""
    etree.SubElement(etree.SubElement(parent, W_R), W_FLDCHAR).set(W_FLDTYPE, "begin")
    instr_el = etree.SubElement(etree.SubElement(parent, W_R), W_INSTR)
    instr_el.text = f" {instr} "
    instr_el.set(XML_SPACE, "preserve")
    etree.SubElement(etree.SubElement(parent, W_R), W_FLDCHAR).set(W_FLDTYPE, "separate")
    etree.SubElement(etree.SubElement(parent, W_R), W_T).text = cached
    etree.SubElement(etree.SubElement(parent, W_R), W_FLDCHAR).set(W_FLDTYPE, "end")


def _para(style: str, value: str = "", *, rstyle: str | None = None, page_break: bool = False,
          keep_next: bool = False, jc: str | None = None) -> etree._Element:
    p = etree.Element(W_P)
    ppr = etree.SubElement(p, W_PPR)
    etree.SubElement(ppr, W_PSTYLE).set(W_VAL, style)
    if keep_next:
        etree.SubElement(ppr, qn("w:keepNext"))
    if page_break:
        etree.SubElement(ppr, qn("w:pageBreakBefore"))
    etree.SubElement(ppr, qn("w:bidi"))
    if jc:
        etree.SubElement(ppr, qn("w:jc")).set(W_VAL, jc)
    if value:
        _run(p, value, rstyle)
    return p


def _has_content(part_element: etree._Element) -> bool:
    texts = "".join(t.text or "" for t in part_element.iter(W_T))
    drawings = any(True for tag in ("w:drawing", "w:pict", "w:object") for _ in part_element.iter(qn(tag)))
    return bool(texts.strip()) or drawings


# --- tables ------------------------------------------------------------------------------------------------
Cell = tuple[str, str | None]          # (text, mark): mark is None, "missing", "flag" or "strong"
_MARK_STYLE = {"missing": "OdplanMissing", "flag": "OdplanFlag", "strong": "OdplanStrong"}
HEAD_FILL = "D9E2F3"
GANTT_FILL = "2E75B6"
_TYPED = {schema.Kind.DATE, schema.Kind.AMOUNT, schema.Kind.INTEGER, schema.Kind.YESNO, schema.Kind.YEAR}


def _widths(weights: Sequence[float], fixed: Sequence[int | None], total: int) -> list[int]:
    """Column widths in twips: fixed ones as given, the rest share what is left by weight."""
    left = max(total - sum(f for f in fixed if f), 567 * sum(1 for f in fixed if not f))
    share = sum(w for w, f in zip(weights, fixed, strict=True) if not f) or 1
    return [f if f else int(left * w / share) for w, f in zip(weights, fixed, strict=True)]


def _column_width(col: schema.Column) -> int | None:
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


_CENTRED = {schema.Kind.DATE, schema.Kind.YESNO, schema.Kind.INTEGER, schema.Kind.YEAR}


def _column_style(col: schema.Column) -> str:
    if col.kind is schema.Kind.AMOUNT:
        return "OdplanCellNumber"
    if col.kind in _CENTRED or col.width <= 11:
        return "OdplanCellCenter"
    return "OdplanCell"


def _tbl_open(widths: Sequence[int], margins: int) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>'
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    borders = "".join(border.format(side) for side in sides)
    return (f'<w:tbl {W}><w:tblPr><w:bidiVisual/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{margins}" w:type="dxa"/>'
            f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{margins}" w:type="dxa"/></w:tblCellMar>'
            f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
            f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>')


def _esc(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _t(value: str) -> str:
    if value[0].isspace() or value[-1].isspace():
        return f'<w:t xml:space="preserve">{_esc(value)}</w:t>'
    return f"<w:t>{_esc(value)}</w:t>"


def _run_xml(value: str, rstyle: str | None) -> str:
    """One run as XML text: line breaks become w:br, tabs w:tab."""
    rpr = f'<w:rPr><w:rStyle w:val="{rstyle}"/></w:rPr>' if rstyle else ""
    if "\n" not in value and "\t" not in value:
        return f"<w:r>{rpr}{_t(value)}</w:r>"
    parts = []
    for i, line in enumerate(value.split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if piece:
                parts.append(_t(piece))
    return f"<w:r>{rpr}{''.join(parts)}</w:r>"


def _cell_open(width: int, style: str, fill: str | None = None) -> str:
    """The formatted start of a cell, shared by every row of a column (the row 'prototype')."""
    shd = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shd}<w:vAlign w:val="center"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/><w:bidi/></w:pPr>')


_CELL_CLOSE = "</w:p></w:tc>"
_ROW_OPEN = "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
_HEAD_OPEN = "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"


@dataclass
class _Table:
    """A table to write: header labels, widths (twips), body rows of cells."""

    labels: Sequence[str]
    widths: Sequence[int]
    rows: Sequence[Sequence[Cell]]
    style: str | Sequence[str] = "OdplanCell"      # one paragraph style, or one per column
    header: bool = True
    margins: int = 57
    fills: Sequence[Sequence[bool]] | None = None     # Gantt: which cells are shaded
    fill_from: int = 0                                # first column the fills apply to


def _tables(spec: _Table) -> list[etree._Element]:
    """The table as one or more w:tbl (chunks of CHUNK_ROWS rows, each with the header row).

    Rows are written as XML text from per-column cell prototypes and parsed once per chunk: ten times
    faster than creating elements one by one, and never python-docx's quadratic cell access.
    """
    n = len(spec.widths)
    styles = [spec.style] * n if isinstance(spec.style, str) else list(spec.style)
    opens = [_cell_open(w, st) for w, st in zip(spec.widths, styles, strict=True)]
    filled_opens = [_cell_open(w, st, GANTT_FILL) for w, st in zip(spec.widths, styles, strict=True)]
    head = ""
    if spec.header:
        head = _HEAD_OPEN + "".join(
            _cell_open(w, "OdplanHead", HEAD_FILL) + (_run_xml(label, None) if label else "") + _CELL_CLOSE
            for w, label in zip(spec.widths, spec.labels, strict=True)) + "</w:tr>"
    table_open = _tbl_open(spec.widths, spec.margins)
    rows = spec.rows
    out = []
    for start in range(0, max(len(rows), 1), CHUNK_ROWS):
        parts = [table_open, head]
        for i in range(start, min(start + CHUNK_ROWS, len(rows))):
            parts.append(_ROW_OPEN)
            fills = spec.fills[i] if spec.fills is not None else ()
            for j, (value, mark) in enumerate(rows[i]):
                k = j - spec.fill_from
                parts.append(filled_opens[j] if 0 <= k < len(fills) and fills[k] else opens[j])
                if value:
                    parts.append(_run_xml(value, _MARK_STYLE[mark] if mark else None))
                parts.append(_CELL_CLOSE)
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        out.append(parse_xml("".join(parts)))
    return out


# --- the document ------------------------------------------------------------------------------------------
@dataclass
class TocEntry:
    level: int
    text: str
    bookmark: str


class _Builder:
    """Writes a plan into a base document, top to bottom."""

    def __init__(self, doc: Document, plan: Plan, report: Report | None):
        self.doc, self.plan, self.report = doc, plan, report
        self.body = doc.element.body
        self.final_sect = self.body.find(W_SECTPR)
        self.styles = {sid: _find_style(doc, name) or sid for sid, name in BUILTIN.items()}
        self.toc: list[TocEntry] = []
        self.breaks: list[etree._Element] = []
        self.landscape = False
        self.fresh_page = True
        self.flagged = {f.address for f in (report.findings if report else ())
                        if f.severity is Severity.ERROR and f.cell}
        self.sect_template = self.final_sect      # copied once headers and footers are set
        w, h, left, right = self._page(self.final_sect)
        self.portrait = w < h or w == h
        self.width_portrait = (min(w, h) if self.portrait else h) - left - right
        self.width_landscape = (max(w, h) if self.portrait else w) - left - right

    @staticmethod
    def _page(sect: etree._Element) -> tuple[int, int, int, int]:
        size, mar = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))

        def num(el: etree._Element | None, attr: str, default: int) -> int:
            try:
                return int(el.get(qn(attr))) if el is not None and el.get(qn(attr)) else default
            except ValueError:
                return default

        return (num(size, "w:w", 11906), num(size, "w:h", 16838), num(mar, "w:left", 1134),
                num(mar, "w:right", 1134))

    @property
    def width(self) -> int:
        return self.width_landscape if self.landscape else self.width_portrait

    # -- output primitives
    def add(self, el: etree._Element) -> etree._Element:
        self.final_sect.addprevious(el)
        self.fresh_page = False
        return el

    def para(self, style: str, value: str = "", **kw: Any) -> etree._Element:
        return self.add(_para(self.styles.get(style, style), value, **kw))

    def page_break(self) -> None:
        p = self.add(_para("OdplanSpacer"))
        etree.SubElement(etree.SubElement(p, W_R), W_BR).set(qn("w:type"), "page")
        self.fresh_page = True

    def heading(self, level: int, value: str) -> None:
        bookmark = f"_Toc{BOOKMARK_BASE + len(self.toc):09d}"
        page_break = level == 1 and not self.fresh_page
        p = self.add(_para(self.styles[f"Heading{level}"], page_break=page_break, keep_next=True))
        start = etree.SubElement(p, qn("w:bookmarkStart"))
        start.set(qn("w:id"), str(BOOKMARK_BASE + len(self.toc)))
        start.set(qn("w:name"), bookmark)
        _run(p, value)
        etree.SubElement(p, qn("w:bookmarkEnd")).set(qn("w:id"), str(BOOKMARK_BASE + len(self.toc)))
        self.toc.append(TocEntry(level, value, bookmark))

    def table(self, spec: _Table) -> None:
        for i, tbl in enumerate(_tables(spec)):
            if i:
                self.add(_para("OdplanSpacer"))
            self.add(tbl)
        self.add(_para("OdplanSpacer"))

    def orientation(self, landscape: bool) -> None:
        """Close the current page section when the orientation changes."""
        if landscape == self.landscape:
            return
        sect = self._sect(self.landscape)
        p = _para("OdplanSpacer")
        p[0].append(sect)
        self.add(p)
        self.breaks.append(sect)
        self.landscape = landscape
        self.fresh_page = True

    def _sect(self, landscape: bool) -> etree._Element:
        sect = copy.deepcopy(self.sect_template)
        size = sect.find(qn("w:pgSz"))
        if size is None:
            size = parse_xml(f'<w:pgSz {W} w:w="11906" w:h="16838"/>')
            _add_after(sect, size, before=("w:pgMar", "w:paperSrc", "w:cols", "w:docGrid"))
        w, h = int(size.get(qn("w:w"), "11906")), int(size.get(qn("w:h"), "16838"))
        short, long_ = sorted((w, h))
        if landscape:
            size.set(qn("w:w"), str(long_))
            size.set(qn("w:h"), str(short))
            size.set(qn("w:orient"), "landscape")
        else:
            size.set(qn("w:w"), str(short))
            size.set(qn("w:h"), str(long_))
            size.attrib.pop(qn("w:orient"), None)
        return sect

    def finish_sections(self) -> None:
        """Cover unnumbered: 'different first page' on the first page section only."""
        final = self._sect(self.landscape)
        self.final_sect.getparent().replace(self.final_sect, final)
        self.final_sect = final
        sections = [*self.breaks, final]
        for i, sect in enumerate(sections):
            title = sect.find(qn("w:titlePg"))
            if i == 0 and title is None:
                _add_after(sect, parse_xml(f"<w:titlePg {W}/>"),
                           before=("w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid",
                                   "w:printerSettings"))
            elif i > 0 and title is not None:
                sect.remove(title)

    # -- values
    def cell(self, row: Row, col: schema.Column) -> Cell:
        value = row.values.get(col.key)
        shown = format_value(value, col)
        if not shown:
            if col.required and not col.computed:
                return schema.MISSING_AR, "missing"
            return "", None
        if ((isinstance(value, str) and (col.kind in _TYPED or (col.choices and value not in col.choices)))
                or row.cells.get(col.key) in self.flagged):
            return shown, "flag"
        return shown, None

    def rows_table(self, spec: schema.Section, rows: Sequence[Row], skip: Sequence[str] = ()) -> None:
        """Rows of a section as a table: the schema's columns, minus `skip` and empty optional ones."""
        cols = [c for c in spec.columns if c.key not in skip
                and (c.required or c.computed or any(r.values.get(c.key) not in (None, "") for r in rows))]
        cells: list[list[Cell]] = []
        for row in rows:
            line = []
            for col in cols:
                if spec.key == "datasets" and col.key == "priority":
                    line.append(self.priority(row))
                else:
                    line.append(self.cell(row, col))
            cells.append(line)
        widths = _widths([c.width for c in cols], [_column_width(c) for c in cols], self.width)
        styles = ["OdplanCellCenter" if spec.key == "datasets" and c.key == "priority" else _column_style(c)
                  for c in cols]
        self.table(_Table([c.ar for c in cols], widths, cells, style=styles))

    @staticmethod
    def priority(row: Row) -> Cell:
        return f"{priority(row)}/4", "strong"

    # -- parts of the document
    def cover(self) -> None:
        fields = {c.key: c for c in schema.COVER_FIELDS}
        self.para("OdplanSpacer")
        for _ in range(3):
            self.para("Normal")
        self.para("Title", schema.TITLE_AR)
        year = self.cell_of_cover(fields["year"])
        p = self.para("Subtitle")
        _run(p, text("cover_year", "").strip() + " ")
        _run(p, year[0], _MARK_STYLE.get(year[1]) if year[1] else None)
        structure = self.cell_of_cover(fields["structure"])
        p = self.para("Subtitle")
        _run(p, structure[0], _MARK_STYLE.get(structure[1]) if structure[1] else "OdplanStrong")
        self.para("Normal")
        rows = []
        for key in ("status", "officer", "officer_title", "officer_email", "officer_phone", "prepared",
                    "updated"):
            value = self.cell_of_cover(fields[key])
            if value[0]:
                rows.append([(fields[key].ar, "strong"), value])
        label = int(self.width * 0.38)
        self.table(_Table(("", ""), (label, self.width - label), rows, header=False, margins=85))
        self.para("OdplanLabel", text("cover_team"))
        authors = self.plan.authors.rows if self.plan.authors else []
        if authors:
            self.rows_table(schema.AUTHORS, authors)
        else:
            self.para("OdplanGap", text("empty_part"))
        if self.report is not None and self.report.errors:
            self.para("OdplanGap", text("cover_errors", len(self.report.errors)))

    def cell_of_cover(self, col: schema.Column) -> Cell:
        row = Row(number=0, values={col.key: self.plan.cover.get(col.key)},
                  cells={col.key: self.plan.cover_cells.get(col.key, "")})
        return self.cell(row, col)

    def toc_block(self) -> etree._Element:
        """Where the table of contents goes (filled in by `write_toc` once headings are known)."""
        self.page_break()
        self.para("TOCHeading", text("toc_title"))
        anchor = self.add(_para("OdplanSpacer"))
        return anchor

    def write_toc(self, anchor: etree._Element) -> None:
        tab = self.width_portrait
        entries = []
        for i, entry in enumerate(self.toc):
            p = _para(self.styles[f"TOC{entry.level}"])
            tabs = parse_xml(f'<w:tabs {W}><w:tab w:val="end" w:leader="dot" w:pos="{tab}"/></w:tabs>')
            p[0].insert(1, tabs)
            if i == 0:
                _toc_field_start(p)
            link = etree.SubElement(p, qn("w:hyperlink"))
            link.set(qn("w:anchor"), entry.bookmark)
            link.set(qn("w:history"), "1")
            _run(link, entry.text)
            etree.SubElement(etree.SubElement(link, W_R), W_TAB)
            _field(link, f"PAGEREF {entry.bookmark} \\h")
            entries.append(p)
        end = _para(self.styles["TOC1"])
        if not entries:
            _toc_field_start(end)
        etree.SubElement(etree.SubElement(end, W_R), W_FLDCHAR).set(W_FLDTYPE, "end")
        for p in [*entries, end]:
            anchor.addprevious(p)
        anchor.getparent().remove(anchor)

    def section(self, spec: schema.Section) -> None:
        data = self.plan.sections.get(spec.key)
        rows = list(data.rows) if data else []
        na = clean(data.na_reason).strip() if data and data.na_reason else ""
        # wide tables get landscape pages: section 4's twelve columns, section 9's Gantt
        landscape = ((spec.key == "datasets" and bool(rows))
                     or (spec.key == "calendar" and bool(self.gantt.activities)))
        self.orientation(landscape)
        self.heading(1, spec.numbered_heading)
        intro = clean(data.intro).strip() if data and data.intro else ""
        if intro:
            for line in intro.split("\n"):
                self.para("Normal", ltr_guard(line))
        if spec.key == "objectives":
            self.para("Normal", text("decree_intro", schema.DECREE_AR))
            for goal in schema.DECREE_GOALS_AR:
                self.para("OdplanBullet", f"• {goal}")
            if rows:
                self.para("Normal", text("objectives_intro"))
        elif rows and text("intro", spec.key, len(rows)):
            self.para("Normal", text("intro", spec.key, len(rows)))
        if na:
            self.para("OdplanNote", text("not_applicable", na))
        empty_gap = not rows and not na and not (spec.key == "calendar" and self.gantt.activities)
        if empty_gap:
            self.para("OdplanGap", text("empty_section"))
        if spec.key == "calendar":
            self.calendar(spec, rows)
        elif spec.subsections:
            self.subsections(spec, rows, quiet=not rows)
        elif rows:
            self.rows_table(spec, rows)
        if spec.key == "budget" and rows:
            self.totals()

    def subsections(self, spec: schema.Section, rows: list[Row], quiet: bool) -> None:
        cat = spec.category or ""
        for sub in spec.subsections:
            self.heading(2, sub.heading)
            part = [r for r in rows if r.values.get(cat) == sub.value]
            if spec.key == "communication":
                self.by_form(spec, part, external=sub.value == schema.COMM_EXTERNAL, quiet=quiet)
            elif part:
                self.rows_table(spec, part, skip=(cat,))
            elif not quiet:
                self.para("OdplanNote", text("empty_part"))
        values = {s.value for s in spec.subsections}
        other = [r for r in rows if r.values.get(cat) not in values]
        if other:
            self.para("OdplanGap", text("uncategorised", spec.column(cat).ar), keep_next=True)
            self.rows_table(spec, other)

    def by_form(self, spec: schema.Section, rows: list[Row], *, external: bool, quiet: bool) -> None:
        """8.1 and 8.2 split into formal / informal communication."""
        labels = {schema.COMM_FORMAL: text("comm_formal"), schema.COMM_INFORMAL: text("comm_informal")}
        for form in (schema.COMM_FORMAL, schema.COMM_INFORMAL):
            if external:
                self.heading(3, schema.COMM_FORM_HEADINGS[form])
            part = [r for r in rows if r.values.get("form") == form]
            if not external and (part or not quiet):
                self.para("OdplanLabel", labels[form])
            if part:
                self.rows_table(spec, part, skip=("scope", "form"))
            elif not quiet:
                self.para("OdplanNote", text("empty_part"))
        other = [r for r in rows if r.values.get("form") not in labels]
        if other:
            self.para("OdplanGap", text("uncategorised", spec.column("form").ar), keep_next=True)
            self.rows_table(spec, other, skip=("scope",))

    @cached_property
    def gantt(self) -> Gantt:
        return build_gantt(self.plan)

    def calendar(self, spec: schema.Section, rows: list[Row]) -> None:
        if rows:
            self.para("OdplanLabel", text("calendar_rows"))
            self.rows_table(spec, rows)
        gantt = self.gantt
        if gantt.year_inferred and gantt.year is not None:
            self.para("OdplanGap", text("gantt_year_inferred", gantt.year))
        if gantt.activities:
            self.para("OdplanLabel", text("gantt_title", gantt.year if gantt.year is not None else ""))
            self.gantt_table(gantt.activities)
            if any(a.clipped for a in gantt.activities):
                self.para("OdplanNote", text("gantt_clipped"))
        elif not rows:
            self.para("OdplanNote", text("gantt_empty"))
        if gantt.undated:
            self.para("OdplanLabel", text("undated_title"))
            self.undated_table(gantt.undated)

    @staticmethod
    def _activity_cells(a: Activity, responsible: bool) -> list[Cell]:
        label = ltr_guard(clean(a.label)) if a.label else ""
        cells: list[Cell] = [(label + (" *" if a.clipped else ""), None) if label
                             else (schema.MISSING_AR, "missing"),
                             (str(a.section_number), None)]
        if responsible:
            cells.append((ltr_guard(clean(a.responsible)), None))
        cells.append((format_date(a.start), None) if a.start else
                     ((clean(a.start_raw), "flag") if a.start_raw else (schema.MISSING_AR, "missing")))
        if a.end is not None:
            cells.append((format_date(a.end), None))
        else:
            cells.append((clean(a.end_raw), "flag") if a.end_raw else ("", None))
        return cells

    def gantt_table(self, activities: list[Activity]) -> None:
        responsible = any(a.responsible for a in activities)
        cal = schema.SECTION_BY_KEY["calendar"]
        labels = [text("gantt_activity"), text("gantt_section")]
        # 7 pt: a date needs ~800 twips, the longest month name (جويلية) ~600
        fixed: list[int | None] = [None, 450]
        if responsible:
            labels.append(cal.column("responsible").ar)
            fixed.append(None)
        labels += [cal.column("start").ar, cal.column("end").ar, *self.gantt.months]
        month = max(600, min(900, (self.width - 4000 - 450 - 1640) // 12))
        fixed += [820, 820] + [month] * 12
        weights = [3.0, 1.0] + ([1.8] if responsible else []) + [1.0] * 14
        widths = _widths(weights, fixed, self.width)
        rows = [self._activity_cells(a, responsible) + [("", None)] * 12 for a in activities]
        styles = ["OdplanGantt", "OdplanGanttCenter"] + (["OdplanGantt"] if responsible else []) \
            + ["OdplanGanttCenter"] * 14
        self.table(_Table(labels, widths, rows, style=styles, margins=28,
                          fills=[a.months for a in activities], fill_from=len(fixed) - 12))

    def undated_table(self, activities: list[Activity]) -> None:
        responsible = any(a.responsible for a in activities)
        cal = schema.SECTION_BY_KEY["calendar"]
        labels = [text("gantt_activity"), text("gantt_section")]
        weights, fixed = [3.0, 1.0], [None, 700]
        if responsible:
            labels.append(cal.column("responsible").ar)
            weights.append(1.6)
            fixed.append(None)
        labels += [cal.column("start").ar, cal.column("end").ar]
        weights += [1.0, 1.0]
        fixed += [1300, 1300]
        rows = [self._activity_cells(a, responsible) for a in activities]
        styles = ["OdplanCell", "OdplanCellCenter"] + (["OdplanCell"] if responsible else []) \
            + ["OdplanCellCenter"] * 2
        self.table(_Table(labels, _widths(weights, fixed, self.width), rows, style=styles))

    def totals(self) -> None:
        totals = budget_totals(self.plan)
        cells: list[list[Cell]] = [[(source, None), (format_amount(total, currency=True), None)]
                                   for source, total in totals.by_source.items()]
        cells.append([(text("grand_total"), "strong"), (format_amount(totals.total, currency=True), "strong")])
        invalid = totals.invalid
        self.para("OdplanLabel", text("totals_title"))
        label = int(self.width * 0.55)
        self.table(_Table((text("totals_source"), text("totals_amount")), (label, self.width - label), cells,
                          style=("OdplanCell", "OdplanCellNumber")))
        if invalid:
            self.para("OdplanGap", text("invalid_amounts", invalid))

    def header_footer(self) -> None:
        """Header (structure, year) and footer (page X of Y) unless the base has its own; cover bare."""
        section = self.doc.sections[-1]
        header = section.header
        letterhead = not header.is_linked_to_previous and _has_content(header._element)
        if not letterhead:
            header.is_linked_to_previous = False
            year = self.plan.cover.get("year")
            _replace_content(header._element, _para(self.styles["Header"], text(
                "header", clean(self.plan.structure).strip() or schema.MISSING_AR,
                format_value(year) if year not in (None, "") else "")))
        footer = section.footer
        if footer.is_linked_to_previous or not _has_content(footer._element):
            footer.is_linked_to_previous = False
            p = _para(self.styles["Footer"])
            _run(p, text("footer_page"))
            _field(p, "PAGE", "1")
            _run(p, text("footer_of"))
            _field(p, "NUMPAGES", "1")
            _replace_content(footer._element, p)
        if section.first_page_header.is_linked_to_previous:
            # the cover: the base's letterhead (logo) if it has one, never the page number
            first = section.first_page_header
            first.is_linked_to_previous = False
            if letterhead:
                _copy_content(header.part, header._element, first.part, first._element)
            else:
                _replace_content(first._element, _para("OdplanSpacer"))
            section.first_page_footer.is_linked_to_previous = False
            _replace_content(section.first_page_footer._element, _para("OdplanSpacer"))
        self.sect_template = copy.deepcopy(self.final_sect)


def _replace_content(container: etree._Element, *children: etree._Element) -> None:
    for child in list(container):
        container.remove(child)
    container.extend(children)


_REL_ATTRS = (qn("r:embed"), qn("r:id"), qn("r:link"), qn("r:pict"))


def _copy_content(src_part: Any, src: etree._Element, dst_part: Any, dst: etree._Element) -> None:
    """Copy a header's content into another header part, pictures' relationships included."""
    _replace_content(dst, *(copy.deepcopy(child) for child in src))
    for el in dst.iter():
        for attr in _REL_ATTRS:
            rid = el.get(attr)
            if not rid or rid not in src_part.rels:
                continue
            rel = src_part.rels[rid]
            target = rel.target_ref if rel.is_external else rel.target_part
            el.set(attr, dst_part.relate_to(target, rel.reltype, rel.is_external))


def _toc_field_start(p: etree._Element) -> None:
    etree.SubElement(etree.SubElement(p, W_R), W_FLDCHAR).set(W_FLDTYPE, "begin")
    instr = etree.SubElement(etree.SubElement(p, W_R), W_INSTR)
    instr.text = ' TOC \\o "1-3" \\h \\z \\u '
    instr.set(XML_SPACE, "preserve")
    etree.SubElement(etree.SubElement(p, W_R), W_FLDCHAR).set(W_FLDTYPE, "separate")


def _settings(doc: Document) -> None:
    """Ask Word to update fields (the table of contents) when the document is opened."""
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is None:
        _add_after(settings, parse_xml(f'<w:updateFields {W} w:val="true"/>'),
                   before=("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars",
                           "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
                           "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
                           "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
                           "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
                           "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol",
                           "w:listSeparator"))


def build_document(plan: Plan, report: Report | None = None, *, base: str | Path | None = None) -> Document:
    """The plan as a python-docx Document laid out like the official template."""
    doc = load_base(base)
    builder = _Builder(doc, plan, report)
    builder.header_footer()
    builder.cover()
    anchor = builder.toc_block()
    builder.page_break()
    for spec in schema.SECTIONS:
        builder.section(spec)
    builder.write_toc(anchor)
    builder.finish_sections()
    _settings(doc)
    props = doc.core_properties
    props.title = f"{schema.TITLE_AR} — {clean(plan.structure).strip()}".strip(" —")
    props.author = clean(plan.structure).strip()
    props.last_modified_by = ""
    props.comments = ""
    props.created = props.modified = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    return doc


def open_document(path: str | Path) -> Document:
    """A saved document, to update (table of contents pages)."""
    return docx.Document(str(path))


def save(doc: Document, path: str | Path) -> Path:
    doc.save(str(path))
    return Path(path)


def toc_bookmarks(doc: Document) -> list[str]:
    """Bookmark names the table of contents points to, in document order."""
    names = []
    for instr in doc.element.body.iter(W_INSTR):
        parts = (instr.text or "").split()
        if len(parts) >= 2 and parts[0] == "PAGEREF":
            names.append(parts[1])
    return names


def set_toc_pages(doc: Document, pages: Mapping[str, int]) -> int:
    """Write page numbers into the table of contents' cached entries; returns how many were set."""
    done = 0
    for instr in doc.element.body.iter(W_INSTR):
        parts = (instr.text or "").split()
        if len(parts) < 2 or parts[0] != "PAGEREF" or parts[1] not in pages:
            continue
        run = instr.getparent()
        separated = False
        for sibling in run.itersiblings():
            if sibling.find(W_FLDCHAR) is not None:
                kind = sibling.find(W_FLDCHAR).get(W_FLDTYPE)
                if kind == "separate":
                    separated = True
                    continue
                break
            t = sibling.find(W_T)
            if separated and t is not None:
                t.text = str(pages[parts[1]])
                done += 1
                break
    return done


def document_text(doc: Document) -> str:
    """All text of the body, paragraph by paragraph (table cells included), line breaks kept."""
    lines = []
    for p in doc.element.body.iter(W_P):
        parts = []
        for el in p.iter(W_T, W_BR, W_TAB):
            parts.append(el.text or "" if el.tag == W_T else ("\n" if el.tag == W_BR else "\t"))
        lines.append("".join(parts))
    return "\n".join(lines)


def write(plan: Plan, report: Report | None, path: str | Path, *, base: str | Path | None = None) -> Path:
    """Build and save in one call."""
    return save(build_document(plan, report, base=base), path)


__all__ = ["build_document", "save", "open_document", "write", "set_toc_pages", "toc_bookmarks",
           "document_text", "format_amount", "format_date", "format_value", "clean", "load_base"]
