"""WordprocessingML for the document: XML names, element builders, page geometry."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from docx.oxml.ns import qn as _qn
from lxml import etree

qn = lru_cache(maxsize=None)(_qn)

W_P, W_R, W_T, W_BR, W_TAB = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:br"), qn("w:tab")
W_PPR, W_RPR, W_PSTYLE, W_RSTYLE = qn("w:pPr"), qn("w:rPr"), qn("w:pStyle"), qn("w:rStyle")
W_VAL, W_STYLE, W_STYLE_ID, W_NAME = qn("w:val"), qn("w:style"), qn("w:styleId"), qn("w:name")
W_INSTR, W_FLDCHAR, W_FLDTYPE = qn("w:instrText"), qn("w:fldChar"), qn("w:fldCharType")
W_SECTPR, W_PGSZ, W_PGMAR = qn("w:sectPr"), qn("w:pgSz"), qn("w:pgMar")
W_RTL, W_LANG, W_BIDI = qn("w:rtl"), qn("w:lang"), qn("w:bidi")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# --- page geometry: A4, the margins of Tunisian administrative letters (twips) -------------------------
PAGE_W, PAGE_H = 11906, 16838
MARGINS = {"top": 1418, "right": 1134, "bottom": 1418, "left": 1134, "header": 709, "footer": 709,
           "gutter": 0}

# Child order of w:sectPr (ECMA-376 CT_SectPr): where an element goes when it is added.
SECTPR_ORDER = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
                "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign",
                "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings",
                "sectPrChange")


def el(tag: str, attrs: Mapping[str, str | int] | None = None, *children: etree._Element | None,
       text: str | None = None) -> etree._Element:
    """An element `tag` ("w:pgSz") with attributes ({"w:w": 11906}) and children (None ones skipped)."""
    node = etree.Element(qn(tag), {qn(k): str(v) for k, v in attrs.items()} if attrs else None)
    node.extend(c for c in children if c is not None)
    if text is not None:
        node.text = text
    return node


def sub(parent: etree._Element, tag: str, attrs: Mapping[str, str | int] | None = None) -> etree._Element:
    """A new last child of `parent`."""
    return etree.SubElement(parent, qn(tag), {qn(k): str(v) for k, v in attrs.items()} if attrs else None)


def val(tag: str, value: str | int) -> etree._Element:
    """The common one-attribute element: <tag w:val="value"/>."""
    return el(tag, {"w:val": value})


def insert_in_order(parent: etree._Element, child: etree._Element, order: Sequence[str]) -> None:
    """Insert `child` before the first sibling that comes after it in the schema's `order`."""
    local = etree.QName(child).localname
    later = order[order.index(local) + 1:]
    for existing in parent:
        if etree.QName(existing).localname in later:
            existing.addprevious(child)
            return
    parent.append(child)


def page_size() -> etree._Element:
    """w:pgSz of an A4 portrait page."""
    return el("w:pgSz", {"w:w": PAGE_W, "w:h": PAGE_H})


def page_margins() -> etree._Element:
    return el("w:pgMar", {f"w:{side}": value for side, value in MARGINS.items()})


def page_geometry(sect: etree._Element) -> tuple[int, int, int, int]:
    """(width, height, left margin, right margin) of a section, A4 defaults for what is missing."""
    size, mar = sect.find(W_PGSZ), sect.find(W_PGMAR)

    def num(node: etree._Element | None, attr: str, default: int) -> int:
        try:
            return int(node.get(qn(attr))) if node is not None and node.get(qn(attr)) else default
        except ValueError:
            return default

    return (num(size, "w:w", PAGE_W), num(size, "w:h", PAGE_H), num(mar, "w:left", MARGINS["left"]),
            num(mar, "w:right", MARGINS["right"]))


# --- direction of runs ------------------------------------------------------------------------------------
# Word takes a run's direction from the run itself: w:rtl in its own w:rPr, never from a style ([MS-OI29500]
# 2.1.260: Word does not allow w:rtl in a style's run properties). Without it, Word lays Arabic text out as
# a left-to-right run (neutral characters on the wrong side, digits in the Latin font). So, as Word writes
# text typed on an Arabic keyboard, every run but Latin text carries rtl and its language; Latin text
# (e-mails, URLs, "CSV") is a run of its own, left to right, inside the right-to-left paragraph.
BIDI_LANG = "ar-TN"
RTL_RPR = f'<w:rtl/><w:lang w:bidi="{BIDI_LANG}"/>'        # the same, as text, for the fast table path
_RTL_LETTER = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"
_LATIN = "A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\u200e"   # + LRM
_HAS_LATIN = re.compile(f"[{_LATIN}]")
_HAS_RTL = re.compile(f"[{_RTL_LETTER}]")
# A Latin stretch: from a Latin letter to the last Latin letter or digit before the next Arabic letter
# (digits after Latin text stay with it, as in the Unicode bidi algorithm's rule W7).
_LATIN_SPAN = re.compile(f"[{_LATIN}](?:[^{_RTL_LETTER}]*[{_LATIN}0-9])?")


def script_runs(value: str) -> list[tuple[str, bool]]:
    """`value` cut where Word would start a new run: [(text, right_to_left), ...]."""
    if not _HAS_LATIN.search(value):
        return [(value, bool(value))]
    if not _HAS_RTL.search(value):
        return [(value, False)]
    out, pos = [], 0
    for match in _LATIN_SPAN.finditer(value):
        if match.start() > pos:
            out.append((value[pos:match.start()], True))
        out.append((match.group(), False))
        pos = match.end()
    if pos < len(value):
        out.append((value[pos:], True))
    return out


# --- paragraphs, runs, fields ------------------------------------------------------------------------------
def add_text(run: etree._Element, value: str) -> None:
    """Text into a run; line breaks become w:br, tabs w:tab."""
    for i, line in enumerate(value.split("\n")):
        if i:
            etree.SubElement(run, W_BR)
        for j, piece in enumerate(line.split("\t")):
            if j:
                etree.SubElement(run, W_TAB)
            if piece:
                t = etree.SubElement(run, W_T)
                t.text = piece
                if piece[0].isspace() or piece[-1].isspace():
                    t.set(XML_SPACE, "preserve")


def _run(parent: etree._Element, rstyle: str | None, rtl: bool) -> etree._Element:
    r = etree.SubElement(parent, W_R)
    if rstyle or rtl:
        rpr = etree.SubElement(r, W_RPR)        # children in CT_RPr order: rStyle ... rtl ... lang
        if rstyle:
            etree.SubElement(rpr, W_RSTYLE).set(W_VAL, rstyle)
        if rtl:
            etree.SubElement(rpr, W_RTL)
            etree.SubElement(rpr, W_LANG).set(W_BIDI, BIDI_LANG)
    return r


def run(parent: etree._Element, value: str, rstyle: str | None = None) -> None:
    """`value` as runs of character style `rstyle`, one per script (see script_runs)."""
    for piece, rtl in script_runs(value):
        add_text(_run(parent, rstyle, rtl), piece)


def fld_char(parent: etree._Element, kind: str) -> None:
    """A run holding a field character: "begin", "separate" or "end"."""
    etree.SubElement(etree.SubElement(parent, W_R), W_FLDCHAR).set(W_FLDTYPE, kind)


def instr(parent: etree._Element, instruction: str) -> None:
    """A run holding a field instruction (" TOC \\o ... ")."""
    node = etree.SubElement(etree.SubElement(parent, W_R), W_INSTR)
    node.text = instruction
    node.set(XML_SPACE, "preserve")


def field(parent: etree._Element, instruction: str, cached: str = "") -> None:
    """A complex field (PAGE, NUMPAGES, PAGEREF): begin, instruction, separate, cached result, end."""
    fld_char(parent, "begin")
    instr(parent, f" {instruction} ")
    fld_char(parent, "separate")
    etree.SubElement(_run(parent, None, True), W_T).text = cached      # digits in the Arabic font
    fld_char(parent, "end")


def para(style: str, value: str = "", *, rstyle: str | None = None, page_break: bool = False,
         keep_next: bool = False, jc: str | None = None) -> etree._Element:
    """A right-to-left paragraph of style `style`, with `value` as one run."""
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
        run(p, value, rstyle)
    return p


def page_break_run(p: etree._Element) -> None:
    etree.SubElement(etree.SubElement(p, W_R), W_BR).set(qn("w:type"), "page")


def has_content(part_element: etree._Element) -> bool:
    """Whether a header or footer shows anything: text or a picture."""
    texts = "".join(t.text or "" for t in part_element.iter(W_T))
    drawings = any(True for tag in ("w:drawing", "w:pict", "w:object") for _ in part_element.iter(qn(tag)))
    return bool(texts.strip()) or drawings


def replace_content(container: etree._Element, *children: etree._Element) -> None:
    for child in list(container):
        container.remove(child)
    container.extend(children)
