"""The table of contents: entries linked to the headings' bookmarks, and their page numbers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from docx.document import Document
from lxml import etree

from odplan_xl.word.oxml import (
    W_FLDCHAR,
    W_FLDTYPE,
    W_INSTR,
    W_R,
    W_T,
    W_TAB,
    el,
    field,
    fld_char,
    instr,
    para,
    run,
    sub,
)


@dataclass
class TocEntry:
    level: int
    text: str
    bookmark: str


def _field_start(p: etree._Element) -> None:
    fld_char(p, "begin")
    instr(p, ' TOC \\o "1-3" \\h \\z \\u ')
    fld_char(p, "separate")


def write(anchor: etree._Element, entries: Sequence[TocEntry], styles: Mapping[str, str], tab: int) -> None:
    """Replace `anchor` by the TOC field: one paragraph per entry (text, dotted tab, PAGEREF), then its end.

    `styles` maps TOC1..3 to the document's style ids; `tab` is where page numbers go (twips).
    """
    paragraphs = []
    for i, entry in enumerate(entries):
        p = para(styles[f"TOC{entry.level}"])
        p[0].insert(1, el("w:tabs", None, el("w:tab", {"w:val": "end", "w:leader": "dot", "w:pos": tab})))
        if i == 0:
            _field_start(p)
        link = sub(p, "w:hyperlink", {"w:anchor": entry.bookmark, "w:history": "1"})
        run(link, entry.text)
        etree.SubElement(etree.SubElement(link, W_R), W_TAB)
        field(link, f"PAGEREF {entry.bookmark} \\h")
        paragraphs.append(p)
    end = para(styles["TOC1"])
    if not entries:
        _field_start(end)
    fld_char(end, "end")
    for p in [*paragraphs, end]:
        anchor.addprevious(p)
    anchor.getparent().remove(anchor)


def toc_bookmarks(doc: Document) -> list[str]:
    """Bookmark names the table of contents points to, in document order."""
    names = []
    for node in doc.element.body.iter(W_INSTR):
        parts = (node.text or "").split()
        if len(parts) >= 2 and parts[0] == "PAGEREF":
            names.append(parts[1])
    return names


def set_toc_pages(doc: Document, pages: Mapping[str, int]) -> int:
    """Write page numbers into the table of contents' cached entries; returns how many were set."""
    done = 0
    for node in doc.element.body.iter(W_INSTR):
        parts = (node.text or "").split()
        if len(parts) < 2 or parts[0] != "PAGEREF" or parts[1] not in pages:
            continue
        separated = False
        for sibling in node.getparent().itersiblings():
            if sibling.find(W_FLDCHAR) is not None:
                if sibling.find(W_FLDCHAR).get(W_FLDTYPE) == "separate":
                    separated = True
                    continue
                break
            t = sibling.find(W_T)
            if separated and t is not None:
                t.text = str(pages[parts[1]])
                done += 1
                break
    return done
