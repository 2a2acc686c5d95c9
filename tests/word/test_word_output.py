"""The document's XML, byte for byte: unchanged by how it is written, and unchanged from the known output.

`word.write` puts tables into document.xml as XML text (never parsed); `build_document` + `save` parse
them into the tree. Both must give the same bytes. The known output is kept as the SHA-256 of the parts
the builder writes (document, headers, footers): a change of any byte fails `test_known_output`. When
a change is meant, look at the new XML (the failure message says where it was written) and update
KNOWN below.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from word_docs import D, hostile_plan, make_base, make_plan, rich_plan

from odplan_xl import schema
from odplan_xl.word import document as word
from odplan_xl.word import tables
from odplan_xl.word.oxml import W_NS

OWN_PARTS = ("word/document.xml", "word/header1.xml", "word/footer1.xml", "word/header2.xml",
             "word/footer2.xml")


def parts(path: Path) -> dict[str, bytes]:
    """Every part of a .docx but docProps/core.xml (it holds the time of writing)."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def both_ways(plan, tmp_path: Path, report=None, base=None) -> tuple[dict[str, bytes], dict[str, bytes]]:
    written = word.write(plan, report, tmp_path / "written.docx", base=base)
    tree = word.save(word.build_document(plan, report, base=base), tmp_path / "tree.docx")
    return parts(written), parts(tree)


def long_plan(rows: int):
    return make_plan({"structure": "هيكل", "year": 2027}, [], {"datasets": [
        {"title": f"مجموعة {i} & <CSV> ", "producer": "إدارة", "format": "CSV", "crit_quality": True,
         "crit_legal": i % 2 == 0, "crit_open_format": False, "crit_demand": False, "priority": 2,
         "publish_date": D(2027, 1 + i % 12, 1), "frequency": "سنوية", "channel": schema.CHANNELS[0]}
        for i in range(rows)]})


@pytest.mark.parametrize("plan", [rich_plan, hostile_plan, lambda: long_plan(600)],
                         ids=["rich", "hostile", "long"])
def test_write_gives_the_bytes_of_the_tree(plan, tmp_path):
    written, tree = both_ways(plan(), tmp_path)
    assert written.keys() == tree.keys()
    for name in written:
        assert written[name] == tree[name], name


def test_write_with_a_letterhead_gives_the_bytes_of_the_tree(tmp_path):
    base = make_base(tmp_path / "base.docx", logo=True)
    written, tree = both_ways(rich_plan(), tmp_path, base=base)
    assert written == tree


def test_tables_are_not_parsed_by_write(tmp_path, monkeypatch):
    """The speed of `write` comes from here: a table is parsed only for the tree."""
    parsed = []
    monkeypatch.setattr(tables, "parse_chunk", lambda xml: parsed.append(xml) or etree.Element("x"))
    word.write(long_plan(300), None, tmp_path / "plan.docx")
    assert parsed == []


# As written before tables went into document.xml as text (and since). "rich" changed once on purpose:
# the calendar's bars and section numbers shaded in each section's colour (as the Gantt sheet), where
# every bar was one blue; nothing else in its XML moved.
KNOWN = {
    "rich": {
        "word/document.xml": "b1933532cd9333839a938af977ac260644c7cfc0e472e49200738c16469b8149",
        "word/header1.xml": "15b5a9855789c39d30b29d129f7be03e1e1c013d231a11140337eedcdde73a8c",
        "word/footer1.xml": "2f710d6fdcfc581967d7ae90d830c505874ca9a032933bf6e592bd8d2a130dcf",
        "word/header2.xml": "c3d5816ab6146c4c283778ef6c735dc8957bf9b48ad6634b0b63a3747cb4aa77",
        "word/footer2.xml": "7c4a3a26f5523ee2729c4b4658bb75db62c340a810f0077ea965ac5e9c7e574b",
    },
    "hostile": {
        "word/document.xml": "c8c120076a8b2a5fce2210bb603507266a604cc49c3a06b039f6a85d578ac826",
        "word/header1.xml": "9014bd68f231deaaec2fdac912ae89663c2cdf29efc8fd7ae1322f131c41ff37",
        "word/footer1.xml": "2f710d6fdcfc581967d7ae90d830c505874ca9a032933bf6e592bd8d2a130dcf",
        "word/header2.xml": "c3d5816ab6146c4c283778ef6c735dc8957bf9b48ad6634b0b63a3747cb4aa77",
        "word/footer2.xml": "7c4a3a26f5523ee2729c4b4658bb75db62c340a810f0077ea965ac5e9c7e574b",
    },
}


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_known_output(name, tmp_path):
    plan = {"rich": rich_plan, "hostile": hostile_plan}[name]()
    got = parts(word.write(plan, None, tmp_path / f"{name}.docx"))
    digests = {part: hashlib.sha256(got[part]).hexdigest() for part in OWN_PARTS}
    for part, blob in got.items():
        if part in OWN_PARTS:
            (tmp_path / part.replace("/", "_")).write_bytes(blob)
    assert digests == KNOWN[name], f"the XML written is in {tmp_path}"


# --- a table's XML text is what lxml writes for it --------------------------------------------------------

def _document(children: list) -> bytes:
    root = etree.Element(f"{{{W_NS}}}document", nsmap={"w": W_NS})
    body = etree.SubElement(root, f"{{{W_NS}}}body")
    body.extend(children)
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def _as_text_and_as_tree(spec: tables.Table) -> tuple[bytes | None, bytes]:
    chunks, verbatim = tables.xml_chunks(spec)
    tree = _document([tables.parse_chunk(c) for c in chunks])
    if not verbatim:
        return None, tree
    deferred = word._Deferred()
    return deferred.splice(_document([deferred.placeholder(c) for c in chunks])), tree


TEXT = st.lists(st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(
    ["&", "<", ">", "]]>", "\t", "\n", " ", "\u00a0", "\u200e", "CSV", "مجموعة", "&amp;", "\"", "'"]),
    max_size=8).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(labels=st.lists(TEXT, min_size=1, max_size=3), cells=st.lists(st.lists(
    st.tuples(TEXT, st.sampled_from([None, "missing", "flag", "strong"])), min_size=3, max_size=3),
    max_size=4), fills=st.booleans())
def test_table_text_is_what_lxml_writes(labels, cells, fills):
    n = len(labels)
    rows = [row[:n] for row in cells]
    spec = tables.Table(labels, [900 + 10 * i for i in range(n)], rows, style="OdplanCell",
                        fills=[["5B9BD5" if i % 2 == 0 else None] * n for i in range(len(rows))] if fills else None)
    try:
        text, tree = _as_text_and_as_tree(spec)
    except etree.XMLSyntaxError:          # text XML forbids: refused by the parser, as always
        assert not tables.xml_chunks(spec)[1]
        return
    if text is not None:
        assert text == tree


def test_text_a_parser_would_change_is_parsed():
    for odd in ("a\rb", "a\r\nb", "x\x01y", "\ufffe"):
        assert not tables.xml_chunks(tables.Table(["h"], [900], [[(odd, None)]]))[1]
    assert tables.xml_chunks(tables.Table(["h"], [900], [[("a & <b> \t c\n d", None)]]))[1]


# --- the documents `convert` writes from real workbooks ----------------------------------------------------

# The example, a blank plan and 2,000 dataset rows, through the workbook file and `convert`. "example" and
# "rows2000" changed once on purpose, as "rich" above: the calendar's shading in each section's colour.
KNOWN_CONVERTED = {
    "example": "d24f2bb6c4fd654be2e9f73384c3d2776e4b345f208311a8a5d00d76c71bfbf0",
    "empty": "23de6c1d97e2525ca509df6c6a8b2342dc90f8b908eb69253e842c7af581a01e",
    "rows2000": "e95b17d0e260a8027cad19231e3e11ea86eb8d81672a79875b17f6700ae98084",
}
KNOWN_FRAME = {        # headers and footers: the blank plan has no body name in its header
    "word/header1.xml": "ea05872b988dae03fce61fad9094352fd347178d9b0a35f53652313e6994833b",
    "word/footer1.xml": "2f710d6fdcfc581967d7ae90d830c505874ca9a032933bf6e592bd8d2a130dcf",
    "word/header2.xml": "c3d5816ab6146c4c283778ef6c735dc8957bf9b48ad6634b0b63a3747cb4aa77",
    "word/footer2.xml": "7c4a3a26f5523ee2729c4b4658bb75db62c340a810f0077ea965ac5e9c7e574b",
}
BLANK_HEADER = "101d9255b45fbaf671ee020b2df9bd6641665ae8175bad1d5e7880b592ca84cd"


def _workbook(name: str, folder: Path) -> Path:
    import sys

    from odplan_xl.app.workbooks import example, new
    from odplan_xl.workbook.template import build_workbook

    path = folder / f"{name}.xlsx"
    if name == "example":
        return example(path)
    if name == "empty":
        return new(path)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import bench

    build_workbook(path, bench.plan_data(2000))
    return path


@pytest.mark.parametrize("name", sorted(KNOWN_CONVERTED))
def test_known_output_of_converted_workbooks(name, tmp_path):
    from odplan_xl.app.convert import convert

    docx = convert(_workbook(name, tmp_path), tmp_path / f"{name}.docx")
    got = parts(docx.output)
    digests = {part: hashlib.sha256(got[part]).hexdigest() for part in OWN_PARTS}
    expected = {"word/document.xml": KNOWN_CONVERTED[name], **KNOWN_FRAME}
    if name == "empty":
        expected["word/header1.xml"] = BLANK_HEADER
    for part in OWN_PARTS:
        (tmp_path / part.replace("/", "_")).write_bytes(got[part])
    assert digests == expected, f"the XML written is in {tmp_path}"
