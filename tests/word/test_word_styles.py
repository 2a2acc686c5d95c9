"""The base document: right-to-left styles and page, a --base letterhead, properties in schema order."""

from __future__ import annotations

import re
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from word_docs import (
    ORDER,
    block_text,
    expected_heading_order,
    headings,
    make_base,
    missing_values,
    png,
    rich_plan,
    saved,
    xml_of,
)

from odplan_xl.errors import OdplanError
from odplan_xl.word import document as word


def test_right_to_left_layout(tmp_path):
    path = saved(rich_plan(), tmp_path)
    doc = docx.Document(str(path))
    body = doc.element.body
    tables = body.findall(qn("w:tbl"))
    assert len(tables) > 15
    for tbl in tables:
        assert tbl.find(f"{qn('w:tblPr')}/{qn('w:bidiVisual')}") is not None
        rows = tbl.findall(qn("w:tr"))
        assert all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows)
    headed = [t for t in tables if t.find(f"{qn('w:tr')}/{qn('w:trPr')}/{qn('w:tblHeader')}") is not None]
    assert len(headed) >= len(tables) - 1         # all but the cover's label/value table
    styles = xml_of(path, "word/styles.xml")
    defaults = re.search("<w:docDefaults>.*</w:docDefaults>", styles).group(0)
    assert "<w:bidi/>" in defaults and 'w:cs="Simplified Arabic"' in defaults
    assert "<w:rtl/>" not in styles       # direction is a run's own (test_word_office)
    assert "cstheme" not in styles and "asciiTheme" not in styles
    sections = doc.sections
    assert (sections[0].page_width, sections[0].page_height) == (docx.shared.Twips(11906),
                                                                  docx.shared.Twips(16838))
    assert sections[0].different_first_page_header_footer
    assert not any(s.different_first_page_header_footer for s in sections[1:])
    assert {s.orientation for s in sections} == {0, 1}     # portrait text, landscape wide tables
    footer = xml_of(path, "word/footer1.xml") + xml_of(path, "word/footer2.xml")
    assert " PAGE " in footer and " NUMPAGES " in footer and "صفحة" in footer
    assert '<w:updateFields w:val="true"/>' in xml_of(path, "word/settings.xml")
    header = "".join(xml_of(path, n) for n in zipfile.ZipFile(path).namelist() if "header" in n)
    assert "وزارة تكنولوجيات الاتصال" in header and "2027" in header


def test_base_document_keeps_its_header_and_page_setup(tmp_path):
    base = make_base(tmp_path / "base.docx")
    path = saved(rich_plan(), tmp_path, base=base)
    doc = docx.Document(str(path))
    assert abs(doc.sections[-1].left_margin - docx.shared.Cm(3)) < docx.shared.Cm(0.01)
    assert "الجمهورية التونسية — ترويسة الوزارة" in doc.sections[-1].header.paragraphs[0].text
    text = block_text(doc.element.body)
    assert "نص قديم" not in text
    assert headings(path) == expected_heading_order()
    assert missing_values(rich_plan(), path) == []


def test_base_letterhead_logo_also_on_the_cover(tmp_path):
    base = make_base(tmp_path / "base.docx", logo=True)
    doc = docx.Document(str(saved(rich_plan(), tmp_path, base=base)))
    first = doc.sections[0]
    assert first.different_first_page_header_footer
    cover_header = first.first_page_header
    assert "ترويسة الوزارة" in cover_header.paragraphs[0].text
    blips = list(cover_header._element.iter(qn("a:blip")))
    assert len(blips) == 1
    image = cover_header.part.related_parts[blips[0].get(qn("r:embed"))]
    assert image.blob == png()
    assert "PAGE" not in "".join(first.first_page_footer._element.itertext())
    assert " PAGE " in "".join(first.footer._element.itertext())


@pytest.mark.parametrize("content", [b"not a zip", b"PK\x03\x04broken", None])
def test_a_bad_base_document_is_a_clear_error(tmp_path, content):
    base = tmp_path / "base.docx"
    if content is not None:
        base.write_bytes(content)
    with pytest.raises(OdplanError) as err:
        word.build_document(rich_plan(), base=base)
    assert err.value.code == "bad-base" and "base.docx" in err.value.message("fr")


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "word/header1.xml",
                                  "word/footer1.xml"])
def test_properties_in_schema_order(tmp_path, part):
    from lxml import etree
    path = saved(rich_plan(), tmp_path)
    root = etree.fromstring(zipfile.ZipFile(path).read(part))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    checked = 0
    for name, order in ORDER.items():
        rank = {tag: i for i, tag in enumerate(order.split())}
        for el in root.iter(w + name):
            tags = [c.tag.replace(w, "") for c in el if c.tag.startswith(w)]
            ranks = [rank.get(t, -1) for t in tags]
            assert -1 not in ranks, (name, tags)
            if name == "sectPr":     # header/footer references may interleave
                ranks = [max(r, 1) for r in ranks]
            assert ranks == sorted(ranks), (name, tags)
            checked += 1
    assert checked > 0
