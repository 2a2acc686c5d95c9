"""PDF through a real LibreOffice: many files in one start, table of contents pages, clear failures."""

from __future__ import annotations

import re

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from odplan_xl import word
from odplan_xl.app import pdf
from odplan_xl.app.convert import convert
from odplan_xl.errors import OdplanError
from odplan_xl.plan.model import Plan, SectionData

# Tests that run LibreOffice take the `soffice` fixture (conftest.py): missing, they fail in CI and are
# skipped elsewhere with how to install it.


def toc_numbers(path) -> dict[str, int]:
    """Bookmark -> page number written in the table of contents' cached entries."""
    body = docx.Document(str(path)).element.body
    out = {}
    for instr in body.iter(qn("w:instrText")):
        parts = (instr.text or "").split()
        if parts[:1] == ["PAGEREF"]:
            texts = [t.text for r in instr.getparent().itersiblings() for t in r.iter(qn("w:t"))]
            out[parts[1]] = int(texts[0])
    return out


def test_pdf_of_the_example_with_table_of_contents_pages(example_path, tmp_path, soffice):
    result = convert(example_path, tmp_path / "example.docx", pdf=True)
    assert result.pdf == tmp_path / "example.pdf" and result.toc_pages
    reader = PdfReader(str(result.pdf))
    assert len(reader.pages) >= 12
    pages = pdf.bookmark_pages(result.pdf)
    written = toc_numbers(result.output)
    assert len(written) == 20 and written == {k: pages[k] for k in written}
    assert list(written.values()) == sorted(written.values()) and min(written.values()) == 3
    # independent of our bookmarks: the PDF outline (the headings) lands on the same pages
    outline = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                outline.append(reader.get_destination_page_number(item) + 1)

    walk(reader.outline)
    assert outline == list(written.values())
    # the footer's "page X of Y" was filled by LibreOffice on the last page
    last = reader.pages[-1].extract_text()
    assert str(len(reader.pages)) in last


def tiny_plan(name: str) -> Plan:
    from odplan_xl import schema
    return Plan(cover={"structure": name, "year": 2027},
                authors=SectionData(key="authors", sheet=schema.COVER_SHEET),
                sections={s.key: SectionData(key=s.key, sheet=s.sheet) for s in schema.SECTIONS})


def test_many_documents_in_one_start_and_a_broken_one_reported(tmp_path, soffice):
    docs = []
    for folder, name in (("a", "Ministere Alpha"), ("b", "Agence Beta")):
        (tmp_path / folder).mkdir()
        docs.append(word.write(tiny_plan(name), None, tmp_path / folder / "plan.docx"))
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a document")
    outputs = [tmp_path / "out" / "a.pdf", tmp_path / "out" / "b.pdf", tmp_path / "out" / "broken.pdf"]
    made = pdf.to_pdf([*docs, broken], outputs)
    assert made[:2] == outputs[:2] and made[2] is None
    texts = [PdfReader(str(p)).pages[0].extract_text() for p in made[:2]]
    assert "Alpha" in texts[0] and "Beta" in texts[1]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.pdf", "b.pdf"]


def test_missing_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setenv("ODPLAN_SOFFICE", str(tmp_path / "absent" / "soffice"))
    assert pdf.find_soffice() is None
    with pytest.raises(OdplanError) as err:
        pdf.to_pdf([tmp_path / "x.docx"])
    assert err.value.code == "no-libreoffice"
    assert re.search("LibreOffice", err.value.message("fr"))


def test_timeout_stops_libreoffice(tmp_path, soffice):
    path = word.write(tiny_plan("Lent"), None, tmp_path / "slow.docx")
    with pytest.raises(OdplanError) as err:
        pdf.to_pdf([path], timeout=0.2)
    assert err.value.code == "pdf-timeout"
    assert not (tmp_path / "slow.pdf").exists()
