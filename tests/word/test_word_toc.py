"""The table of contents: an entry per heading, page numbers written into it."""

from __future__ import annotations

import re

import docx
from docx.oxml.ns import qn
from word_docs import (
    block_text,
    expected_heading_order,
    rich_plan,
    xml_of,
)

from odplan_xl import schema
from odplan_xl.word import document as word


def test_table_of_contents_points_at_every_heading(tmp_path):
    doc = word.build_document(rich_plan())
    bookmarks = {b.get(qn("w:name")) for b in doc.element.body.iter(qn("w:bookmarkStart"))}
    refs = word.toc_bookmarks(doc)
    assert len(refs) == len(expected_heading_order()) and set(refs) <= bookmarks
    assert word.set_toc_pages(doc, {name: i + 3 for i, name in enumerate(refs)}) == len(refs)
    path = tmp_path / "toc.docx"
    word.save(doc, path)
    xml = xml_of(path)
    assert 'TOC \\o "1-3"' in xml
    entries = [block_text(p).strip() for p in docx.Document(str(path)).element.body.iter(qn("w:p"))
               if (p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") is not None
                   and re.fullmatch(r"TOC\d", p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val"))))]
    assert entries[0] == schema.SECTIONS[0].numbered_heading + "\t3"
    assert entries[len(refs) - 1].endswith(str(len(refs) + 2))
