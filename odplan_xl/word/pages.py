"""Page sections: portrait and landscape pages, the unnumbered cover, headers and footers."""

from __future__ import annotations

import copy
from typing import Any

from docx.document import Document
from lxml import etree

from odplan_xl.word.oxml import (
    SECTPR_ORDER,
    W_PGSZ,
    el,
    field,
    has_content,
    insert_in_order,
    page_geometry,
    page_size,
    para,
    qn,
    replace_content,
    run,
)

_REL_ATTRS = (qn("r:embed"), qn("r:id"), qn("r:link"), qn("r:pict"))
COPIED_DRAWING_IDS = 90000         # wp:docPr ids of the letterhead's pictures copied onto the cover


def oriented(template: etree._Element, landscape: bool) -> etree._Element:
    """A copy of the section properties `template` with its page turned (its size and paper kept)."""
    sect = copy.deepcopy(template)
    size = sect.find(W_PGSZ)
    if size is None:
        size = page_size()
        insert_in_order(sect, size, SECTPR_ORDER)
    w, h, _, _ = page_geometry(sect)
    short, long_ = sorted((w, h))
    size.set(qn("w:w"), str(long_ if landscape else short))
    size.set(qn("w:h"), str(short if landscape else long_))
    if landscape:
        size.set(qn("w:orient"), "landscape")
    else:
        size.attrib.pop(qn("w:orient"), None)
    return sect


def number_from_second_section(sections: list[etree._Element]) -> None:
    """Cover unnumbered: 'different first page' on the first page section only."""
    for i, sect in enumerate(sections):
        title = sect.find(qn("w:titlePg"))
        if i == 0 and title is None:
            insert_in_order(sect, el("w:titlePg"), SECTPR_ORDER)
        elif i > 0 and title is not None:
            sect.remove(title)


def headers_and_footers(doc: Document, header_style: str, footer_style: str, header_text: str,
                        page_text: tuple[str, str]) -> None:
    """Header (`header_text`) and footer (page X of Y) unless the base has its own; the cover bare.

    A base letterhead's header also goes on the cover (its logo), never the page number.
    """
    section = doc.sections[-1]
    header = section.header
    letterhead = not header.is_linked_to_previous and has_content(header._element)
    if not letterhead:
        header.is_linked_to_previous = False
        replace_content(header._element, para(header_style, header_text))
    footer = section.footer
    if footer.is_linked_to_previous or not has_content(footer._element):
        footer.is_linked_to_previous = False
        p = para(footer_style)
        run(p, page_text[0])
        field(p, "PAGE", "1")
        run(p, page_text[1])
        field(p, "NUMPAGES", "1")
        replace_content(footer._element, p)
    if section.first_page_header.is_linked_to_previous:
        first = section.first_page_header
        first.is_linked_to_previous = False
        if letterhead:
            _copy_content(header.part, header._element, first.part, first._element)
        else:
            replace_content(first._element, para("OdplanSpacer"))
        section.first_page_footer.is_linked_to_previous = False
        replace_content(section.first_page_footer._element, para("OdplanSpacer"))


def _copy_content(src_part: Any, src: etree._Element, dst_part: Any, dst: etree._Element) -> None:
    """Copy a header's content into another header part, pictures' relationships included.

    A picture's wp:docPr id must be unique in the document (Word reports unreadable content otherwise):
    the copies take ids clear of any a base document has.
    """
    replace_content(dst, *(copy.deepcopy(child) for child in src))
    for i, doc_pr in enumerate(dst.iter(qn("wp:docPr"))):
        doc_pr.set("id", str(COPIED_DRAWING_IDS + i))
    for node in dst.iter():
        for attr in _REL_ATTRS:
            rid = node.get(attr)
            if not rid or rid not in src_part.rels:
                continue
            rel = src_part.rels[rid]
            target = rel.target_ref if rel.is_external else rel.target_part
            node.set(attr, dst_part.relate_to(target, rel.reltype, rel.is_external))
