"""diff -o: NEW's document with OLD's differences as tracked changes. openxml-audit validates it; LibreOffice
(accept all / reject all through the dispatcher) gives back the text of NEW's and of OLD's documents."""

from __future__ import annotations

import copy
import datetime as dt
import zipfile
from collections import Counter

import lo_helpers
import pytest
from lxml import etree
from openxml_audit import OpenXmlValidator

from odplan_xl import schema
from odplan_xl.app.convert import convert
from odplan_xl.app.diff import diff_plans
from odplan_xl.workbook.example import example_data
from odplan_xl.workbook.template import build_workbook

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OLD = example_data()
WHEN = dt.datetime(2027, 6, 30, 9, 30, tzinfo=dt.UTC)


def rows_added(d: dict) -> None:
    s = d["sections"]
    s["datasets"].insert(1, dict(s["datasets"][0], title="مجموعة بيانات مضافة", description="وصف جديد"))
    s["tools"].append(dict(s["tools"][0], tool="أداة جديدة للنشر"))


def rows_removed(d: dict) -> None:
    s = d["sections"]
    del s["inventory"][2]
    del s["communication"][0]
    del s["budget"][-1]


def rows_changed(d: dict) -> None:
    s = d["sections"]
    s["inventory"][1]["end"] = dt.date(2027, 9, 30)
    s["trainings"][0]["title"] = "دورة معدلة في نشر البيانات"
    s["budget"][0]["amount"] = "12500"


def cover_changed(d: dict) -> None:
    d["cover"]["structure"] = "وزارة التجهيز"          # in every page's header too
    d["cover"]["officer"] = "سامي الحداد"
    d["authors"].pop(1)


def section_emptied(d: dict) -> None:
    d["sections"]["datasets"] = []                     # the landscape pages go too
    d["na"] = {"datasets": "لا توجد بيانات جديدة للنشر هذه السنة"}


PAIRS = {f.__name__: f for f in (rows_added, rows_removed, rows_changed, cover_changed, section_emptied)}


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """Per pair: (old .docx, new .docx, tracked-changes .docx), all made from real workbooks."""
    folder = tmp_path_factory.mktemp("revisions")
    old_xlsx = build_workbook(folder / "old.xlsx", OLD)
    old_docx = convert(old_xlsx, folder / "old.docx").output
    out = {}
    for name, edit in PAIRS.items():
        data = copy.deepcopy(OLD)
        edit(data)
        new_xlsx = build_workbook(folder / f"{name}.xlsx", data)
        new_docx = convert(new_xlsx, folder / f"{name}.docx").output
        changes = folder / f"{name}_changes.docx"
        assert diff_plans(old_xlsx, new_xlsx, changes, when=WHEN)
        out[name] = (old_docx, new_docx, changes)
        if name == "section_emptied":         # and the other way: a section filled
            filled = folder / "section_filled_changes.docx"
            assert diff_plans(new_xlsx, old_xlsx, filled, when=WHEN)
            out["section_filled"] = (new_docx, old_docx, filled)
    return out


@pytest.mark.parametrize("name", [*PAIRS, "section_filled"])
def test_tracked_changes_validate(documents, name):
    changes = documents[name][2]
    assert [str(e) for e in OpenXmlValidator().validate(str(changes)).errors] == []
    with zipfile.ZipFile(changes) as zf:
        parts = [etree.fromstring(zf.read(n)) for n in zf.namelist()
                 if n == "word/document.xml" or n.startswith("word/header")]
    marks = [m for part in parts for m in part.iter(f"{W}ins", f"{W}del")]
    assert marks
    assert {m.get(f"{W}author") for m in marks} == {"odplan-xl"}
    assert {m.get(f"{W}date") for m in marks} == {"2027-06-30T09:30:00Z"}
    ids = Counter(n.get(f"{W}id") for part in parts for n in part.iter(f"{W}ins", f"{W}del", f"{W}bookmarkStart"))
    assert [i for i, n in ids.items() if n > 1] == []
    body = parts[0]
    assert not [t for t in body.iter(f"{W}t") if any(a.tag == f"{W}del" for a in t.iterancestors())]


def test_rows_marked_in_their_properties(documents):
    """Rows added and removed are marked in w:trPr (in their section's table and in the calendar of
    section 9, which gathers every dated activity); a changed row keeps its place, its cells' runs marked."""
    def row_marks(path):
        with zipfile.ZipFile(path) as zf:
            body = etree.fromstring(zf.read("word/document.xml"))
        out = []
        for tr in body.iter(f"{W}tr"):
            for m in tr.findall(f"{W}trPr/*"):
                if m.tag in (f"{W}ins", f"{W}del"):
                    text = "".join(t.text or "" for t in tr.iter(f"{W}t", f"{W}delText"))
                    out.append((m.tag.removeprefix(W), text))
        return out

    def matches(marks, kind, names):
        assert marks and all(k == kind and sum(n in text for n in names) == 1 for k, text in marks), marks
        assert all(any(n in text for _, text in marks) for n in names)

    matches(row_marks(documents["rows_added"][2]), "ins", ["مجموعة بيانات مضافة", "أداة جديدة للنشر"])
    removed = [OLD["sections"]["inventory"][2]["activity"], OLD["sections"]["communication"][0]["activity"],
               OLD["sections"]["budget"][-1]["activity"]]
    matches(row_marks(documents["rows_removed"][2]), "del", removed)
    assert row_marks(documents["rows_changed"][2]) == []        # three rows changed cell by cell


def test_accept_all_gives_new_reject_all_gives_old(documents):
    lo_helpers.require(uno=True)
    import lo_revisions

    jobs = []
    for old, new, changes in documents.values():
        jobs += [(changes, "accept"), (new, "none"), (changes, "reject"), (old, "none")]
    read = lo_revisions.read(jobs)
    for k, name in enumerate(documents):
        accepted, new, rejected, old = read[4 * k: 4 * k + 4]
        assert accepted["redlines"] > 0 and accepted["authors"] == ["odplan-xl"], name
        assert not accepted["left"] and not rejected["left"], name
        assert new["redlines"] == old["redlines"] == 0
        assert accepted["blocks"] == new["blocks"], name
        assert rejected["blocks"] == old["blocks"], name
        assert accepted["headers"] == new["headers"] and rejected["headers"] == old["headers"], name
        assert new["blocks"] != old["blocks"], name      # the pair does differ
    cover = read[4 * list(documents).index("cover_changed"):][:4]
    assert any("وزارة التجهيز —" in h for h in cover[1]["headers"])
    assert schema.section("datasets").numbered_heading.split(". ")[1] in "".join(read[0]["blocks"])
