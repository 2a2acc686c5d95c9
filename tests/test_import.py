"""`odplan-xl import`: plans written in Word brought back into the workbook, nothing lost."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from decimal import Decimal

import docx
import hostile_docx
import openpyxl
import pytest
from handfilled import CASES, letter

from odplan_xl import schema
from odplan_xl.app.check import check
from odplan_xl.app.convert import convert
from odplan_xl.app.importing import import_docx, moved_message
from odplan_xl.errors import OdplanError
from odplan_xl.importer.headings import norm
from odplan_xl.workbook.example import example_data
from odplan_xl.workbook.template import SOURCE_PREFIX, UNPLACED_SHEET


def run(*args):
    return subprocess.run([sys.executable, "-m", "odplan_xl.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=600)


def same(a, b) -> bool:
    """Equal as values: amounts by value, نعم/لا as yes/no, empty text as nothing."""
    yes_no = {schema.YES_AR: True, schema.NO_AR: False}
    a, b = yes_no.get(a, a) if isinstance(a, str) else a, yes_no.get(b, b) if isinstance(b, str) else b
    if isinstance(a, (Decimal, float, int)) and isinstance(b, (Decimal, float, int)) \
            and not isinstance(a, bool) and not isinstance(b, bool):
        return Decimal(str(a)).quantize(Decimal("0.001")) == Decimal(str(b)).quantize(Decimal("0.001"))
    return (a if a != "" else None) == (b if b != "" else None)


# --- the round trip ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("round_trip")
    from odplan_xl.workbook.template import build_workbook

    plan = build_workbook(folder / "example.xlsx", example_data())
    document = convert(plan, folder / "example.docx").output
    result = import_docx(document, folder / "back.xlsx")
    back, report = check(result.output)
    return result, back, report


def test_round_trip_gives_back_every_value_section_by_section_row_by_row(round_trip):
    result, back, _ = round_trip
    expected = example_data()
    total = equal = 0
    differences = []
    for key, rows in expected["sections"].items():
        sec = schema.section(key)
        got = back.sections[key].rows
        assert len(got) == len(rows), key
        for i, (want, row) in enumerate(zip(rows, got, strict=True)):
            for col in sec.columns:
                if col.computed:
                    continue
                total += 1
                if same(want.get(col.key), row.values.get(col.key)):
                    equal += 1
                else:
                    differences.append((key, i, col.key, want.get(col.key), row.values.get(col.key)))
    assert differences == [] and equal == total
    assert result.exit_code == 0 and result.imported.unplaced == []


def test_round_trip_cover_authors_and_introductions(round_trip):
    _, back, _ = round_trip
    expected = example_data()
    for key, value in expected["cover"].items():
        if key != "status":
            assert same(back.cover.get(key), value), key
    assert back.cover["status"] == schema.STATUS_DRAFT
    assert [r.values for r in back.authors.rows] == expected["authors"]
    assert {k: s.intro for k, s in back.sections.items() if s.intro} == expected["intro"]


def test_imported_example_checks_complete_and_rows_say_where_they_came_from(round_trip):
    result, _, report = round_trip
    assert report.ok, [f.code for f in report.errors]
    wb = openpyxl.load_workbook(result.output)
    ws = wb[schema.section("inventory").sheet]
    notes = [c.comment.text for row in ws.iter_rows() for c in row if c.comment]
    assert len(notes) == len(example_data()["sections"]["inventory"])
    assert all(n.startswith(SOURCE_PREFIX + "القسم 3، الجدول 1، السطر ") for n in notes)
    assert UNPLACED_SHEET not in wb.sheetnames


# --- the hand-filled corpus ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("handfilled")
    built = {}
    for name, build in CASES.items():
        filled = build(folder)
        result = import_docx(filled.path, folder / f"{name}.xlsx")
        built[name] = (filled, result, openpyxl.load_workbook(result.output))
    return built


def _shown(value) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def table_rows(wb, key: str) -> list[list[str]]:
    """A section's table rows as read back by openpyxl alone (the Excel Table's range)."""
    sec = schema.section(key)
    ws = wb[sec.sheet]
    ref = ws.tables[sec.table].ref
    rows = [[_shown(c.value) for c in row] for row in ws[ref]]
    return [r for r in rows[1:] if any(r)]


def main_index(key: str) -> int:
    sec = schema.section(key)
    main = sec.activity or sec.columns[0].key
    return [c.key for c in sec.columns].index(main)


def named(wb, name: str) -> str:
    dest = list(wb.defined_names[name].destinations)[0]
    return _shown(wb[dest[0]][dest[1].replace("$", "")].value)


def units(wb, tag: str) -> list[str]:
    """The places a text with this tag may be found in: rows of its section (and its introduction and
    reason cells), the cover's rows, or the lines of «نص غير مصنف»."""
    found: list[str] = []
    if UNPLACED_SHEET in wb.sheetnames:
        found += [" ".join(_shown(c.value) for c in row) for row in wb[UNPLACED_SHEET].iter_rows(min_row=3)]
    key = tag.split(":")[-1]
    if key in schema.SECTION_BY_KEY:
        sec = schema.section(key)
        found += [" ".join(r) for r in table_rows(wb, key)]
        found += [named(wb, sec.intro_name), named(wb, sec.na_name)]
    elif tag == "cover":
        found += [" ".join(_shown(c.value) for c in row) for row in wb[schema.COVER_SHEET].iter_rows()]
    return found


_IGNORED_WORDS = {norm(w) for w in ("لا", "ينطبق", "من", "إلى", "في", "خلال", "و", "ألف", "دينار", "د", "صيغة",
                                     "المسؤول", "الثلاثي", "الأول", "الثاني", "الثالث", "الرابع", "إطار",
                                     "الشراكات", *schema.MONTHS_AR)}


def _ignored(word: str) -> bool:
    return word[:1].isdigit() or word in _IGNORED_WORDS


def words(text: str) -> set[str]:
    """The words of a text that must survive: dates, amounts and the words around them become values;
    the template's bracketed instructions, bullets and typed item numbers are not the officer's."""
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = re.sub(r"^\s*(?:[-•▪]|\d{1,2}\)|[أب]\))\s*", "", text)
    return {w for w in norm(text).split() if not _ignored(w)}


def test_the_corpus_is_varied():
    assert len(CASES) >= 4


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_item_is_placed_in_its_section_table_with_its_values(corpus, name):
    filled, result, wb = corpus[name]
    for item in filled.items:
        sec = schema.section(item.section)
        rows = result.imported.data["sections"].get(item.section, [])
        main = sec.activity or sec.columns[0].key
        hits = [r for r in rows if isinstance(r.get(main), str) and norm(item.text) in norm(r[main])]
        assert hits, f"{item.text!r} is not in {item.section}"
        wrong = {k: (v, hits[0].get(k)) for k, v in item.values.items() if not same(hits[0].get(k), v)}
        assert wrong == {}, item.text


@pytest.mark.parametrize("name", sorted(CASES))
def test_nothing_lost(corpus, name):
    """Every non-empty paragraph and cell is in its section's table, its introduction, or «نص غير مصنف»."""
    filled, _, wb = corpus[name]
    source = docx.Document(filled.path)
    written = [p.text for p in source.paragraphs if p.text.strip()]
    written += [c.text for t in source.tables for row in t.rows for c in row.cells if c.text.strip()]
    tags = dict(filled.texts)
    assert {t for t in written} <= set(tags), "the corpus must tag every text it writes"
    lost = []
    for text in written:
        tag = tags[text]
        if tag in ("template", "status"):    # the status: an imported plan is always a draft
            continue
        need = words(text)
        if not any(need <= words(u) for u in units(wb, tag)):
            lost.append((tag, text))
    assert lost == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_no_item_lands_in_a_wrong_section(corpus, name):
    filled, _, wb = corpus[name]
    for item in filled.items:
        for sec in schema.SECTIONS:
            if sec.key == item.section:
                continue
            cells = [r[main_index(sec.key)] for r in table_rows(wb, sec.key)]
            assert not any(norm(item.text) in norm(c) for c in cells), (item.text, sec.key)


def test_share_placed_in_the_right_table(corpus):
    placed = total = 0
    for filled, _, wb in corpus.values():
        for item in filled.items:
            total += 1
            cells = [r[main_index(item.section)] for r in table_rows(wb, item.section)]
            placed += any(norm(item.text) in norm(c) for c in cells)
    assert total >= 40
    assert placed / total >= 0.9


def test_cover_introductions_and_reasons(corpus):
    for filled, result, _ in corpus.values():
        data = result.imported.data
        for key, value in filled.cover.items():
            assert same(data["cover"].get(key), value), (filled.path.name, key)
        assert data["cover"]["status"] == schema.STATUS_DRAFT
        for key, text in filled.intro.items():
            assert data["intro"].get(key) == text
        for key, text in filled.na.items():
            assert data["na"].get(key) == text


def test_unplaced_text_is_kept_with_its_location_and_exit_1(corpus, tmp_path):
    filled, result, wb = corpus["bold_lists"]
    assert result.exit_code == 1
    lines = [(r[0].value, r[1].value) for r in wb[UNPLACED_SHEET].iter_rows(min_row=3)]
    assert ("«11. ملحق: قائمة المراجع»، الفقرة 1",
            "القانون الأساسي عدد 22 لسنة 2016 المتعلق بالحق في النفاذ إلى المعلومة") in lines
    assert wb[UNPLACED_SHEET].sheet_state == "visible"
    res = run("import", filled.path, "-o", tmp_path / "again.xlsx")
    assert res.returncode == 1, res.stdout + res.stderr
    assert "نص غير مصنف" in res.stderr and "Traceback" not in res.stderr
    n = len(result.imported.unplaced)
    assert moved_message(n) in res.stderr


def test_every_piece_placed_exits_0(corpus, tmp_path):
    filled, result, _ = corpus["styled_tables"]
    assert result.exit_code == 0
    res = run("import", filled.path, "-o", tmp_path / "styled.xlsm")
    assert res.returncode == 0, res.stdout + res.stderr
    assert (tmp_path / "styled.xlsm").exists()


def test_check_lists_what_is_still_missing(corpus):
    _, result, _ = corpus["bold_lists"]
    plan, report = check(result.output)
    assert not report.ok
    codes = {f.code for f in report.findings}
    assert "missing-value" in codes
    assert plan.cover["status"] == schema.STATUS_DRAFT


def test_quarters_and_months_are_read_with_a_warning(corpus):
    _, result, _ = corpus["bold_lists"]
    assert any("الثلاثي الثاني 2027" in w for w in result.imported.warnings)
    assert any("مارس 2027" in w for w in result.imported.warnings)


# --- refusals --------------------------------------------------------------------------------------
def test_a_letter_is_not_a_plan(tmp_path):
    path = letter(tmp_path)
    with pytest.raises(OdplanError) as err:
        import_docx(path)
    assert err.value.code == "not-a-plan"
    res = run("import", path)
    assert res.returncode == 2 and "ليست خطة" in res.stderr and "Traceback" not in res.stderr
    assert not path.with_suffix(".xlsx").exists()


def test_default_output_is_never_the_workbook_the_document_came_from_nor_overwritten(round_trip, tmp_path):
    result, _, _ = round_trip
    source = tmp_path / "plan.xlsx"                   # PLAN.docx made from PLAN.xlsx by convert
    source.write_bytes(result.output.read_bytes())
    doc = tmp_path / "plan.docx"
    doc.write_bytes((result.output.parent / "example.docx").read_bytes())
    before = source.read_bytes()
    assert import_docx(doc).output == tmp_path / "plan-imported.xlsx"
    assert source.read_bytes() == before
    res = run("import", doc)
    assert res.returncode == 2 and "--force" in res.stderr
    assert run("import", doc, "--force").returncode == 0
    assert source.read_bytes() == before


def test_a_workbook_given_to_import_is_refused_as_not_a_document(round_trip, tmp_path):
    result, _, _ = round_trip
    with pytest.raises(OdplanError) as err:
        import_docx(result.output, tmp_path / "x.xlsx")
    assert err.value.code == "workbook-not-document"
    res = run("import", result.output, "-o", tmp_path / "y.xlsx")
    assert res.returncode == 2 and "مصنف Excel وليس وثيقة Word" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "y.xlsx").exists()


def test_year_option_sets_the_plan_year(corpus, tmp_path):
    filled, _, _ = corpus["template_left"]
    result = import_docx(filled.path, tmp_path / "y.xlsx", year=2028)
    assert result.imported.data["cover"]["year"] == 2028


@pytest.mark.parametrize("name", sorted(hostile_docx.CASES))
def test_hostile_documents_exit_2_with_a_message(tmp_path, name):
    path = hostile_docx.CASES[name](tmp_path)
    with pytest.raises(OdplanError) as err:
        import_docx(path, tmp_path / "out.xlsx")
    assert err.value.code == hostile_docx.EXPECTED[name]
    res = run("import", path, "-o", tmp_path / "out2.xlsx")
    assert res.returncode == 2, res.stdout + res.stderr
    assert "Traceback" not in res.stdout + res.stderr
    assert not (tmp_path / "out.xlsx").exists() and not (tmp_path / "out2.xlsx").exists()


def test_the_library_name_is_exported():
    import odplan_xl

    assert odplan_xl.import_docx is import_docx and "import_docx" in odplan_xl.__all__


def test_rtl_numbered_subsection_headings_are_read(tmp_path):
    doc = docx.Document()
    doc.add_heading("2. تحديد فريق العمل والأطراف المتدخلة", 1)
    p = doc.add_paragraph()
    p.add_run("2.2 الأطراف المتدخلة").bold = True
    doc.add_paragraph("المعهد الوطني للإحصاء", style="List Bullet")
    doc.add_heading("3. جرد البيانات العمومية", 1)
    doc.save(tmp_path / "t.docx")
    data = import_docx(tmp_path / "t.docx", tmp_path / "t.xlsx").imported.data
    assert data["sections"]["team"] == [{"name": "المعهد الوطني للإحصاء", "category": schema.TEAM_EXTERNAL}]

