"""The Word document: structure, every value present, totals, hostile text, flagged gaps, end to end."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile
from decimal import Decimal

import docx
import pytest
from word_docs import (
    LRM,
    NNBSP,
    D,
    block_text,
    expected_heading_order,
    expected_values,
    headings,
    hostile_plan,
    make_base,
    make_plan,
    missing_values,
    rich_plan,
    runs_with_style,
    saved,
    shown,
    texts_by_section,
)

from odplan_xl import schema
from odplan_xl.errors import OdplanError
from odplan_xl.rules.findings import Finding, Report, Severity
from odplan_xl.word import document as word


def test_headings_follow_the_template(tmp_path):
    assert headings(saved(rich_plan(), tmp_path)) == expected_heading_order()


def test_headings_stay_when_sections_are_empty(tmp_path):
    plan = make_plan({"structure": "هيكل"}, [], {})
    assert headings(saved(plan, tmp_path)) == expected_heading_order()


def test_every_value_appears_in_its_section(tmp_path):
    plan = rich_plan()
    path = saved(plan, tmp_path)
    assert len(expected_values(plan)) > 130
    assert missing_values(plan, path) == []


def test_decree_is_cited_with_its_real_date_and_goals(tmp_path):
    text = texts_by_section(saved(rich_plan(), tmp_path))["objectives"]
    assert "عدد 3 لسنة 2021 مؤرخ في 6 جانفي 2021" in text
    assert "2022" not in text
    for goal in schema.DECREE_GOALS_AR:
        assert goal in text


def test_budget_totals(tmp_path):
    plan = rich_plan()
    totals: dict[str, Decimal] = {}
    for row in plan["budget"].rows:
        if isinstance(row.get("amount"), Decimal):
            totals[row.get("source")] = totals.get(row.get("source"), Decimal(0)) + row.get("amount")
    text = texts_by_section(saved(plan, tmp_path))["budget"]
    lines = [x for x in text.split("المجموع حسب مصدر التمويل")[1].split("\n") if x.strip()]
    pairs = dict(zip(lines[3::2], lines[4::2], strict=False))     # after the title and header row
    for source in schema.FUNDING_SOURCES:
        assert pairs[source] == shown(totals.get(source, Decimal(0))) + " د.ت"
    grand = shown(sum(totals.values(), Decimal(0))) + " د.ت"
    assert grand == "43" + NNBSP + "751,750 د.ت"
    assert pairs["المجموع العام"] == grand
    assert "1 مبلغ غير صالح" in text           # "ألف دينار" is printed but not added


def test_hostile_text_comes_through_safely(tmp_path):
    plan = hostile_plan()
    path = saved(plan, tmp_path)
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert "\u202e" not in xml and "\u202c" not in xml and "\x00" not in xml
    assert "<w:p>xml" not in xml and "&lt;w:p&gt;xml&lt;/w:p&gt;" in xml
    text = docx.Document(str(path)).element.body
    full = block_text(text)
    assert "a < b && c > d" in full and "{{ x }} {% if %} ${y}" in full
    assert "سطر أول\nسطر ثان" in full
    assert "معكوس نص" in full and "nulchar" in full
    assert missing_values(plan, path) == []
    # jinja wording with a hostile value (the header): printed, not evaluated
    header = zipfile.ZipFile(path).read("word/header1.xml").decode("utf-8")
    assert "a &lt; b &amp;&amp; c &gt; d" in header


def test_gaps_are_visible(tmp_path):
    plan = make_plan({"structure": "هيكل", "year": 2027},
                     [{"name": "علي"}],
                     {"inventory": [{"activity": "جرد", "start": D(2027, 2, 1)}],
                      "budget": [{"activity": "شراء", "amount": "مليون"}]},
                     na={"tools": "لا توجد أدوات جديدة هذه السنة"})
    path = saved(plan, tmp_path)
    missing = runs_with_style(path, "OdplanMissing")
    # cover: status, officer, prepared, updated; author's unit; inventory: type, end, responsible;
    # budget: source
    assert missing.count(schema.MISSING_AR) >= 9
    assert "مليون" in runs_with_style(path, "OdplanFlag")
    texts = texts_by_section(path)
    assert "السبب: لا توجد أدوات جديدة هذه السنة" in texts["tools"]
    assert "لم يُدرج أي عنصر في هذا القسم" in texts["datasets"]
    assert "لم يُدرج أي عنصر في هذا القسم" not in texts["tools"]


def test_cells_with_error_findings_are_flagged(tmp_path):
    plan = rich_plan()
    cell = plan["tools"].rows[0].cells["tool"]
    sheet, ref = cell.split("!")
    report = Report(findings=[Finding("bad", Severity.ERROR, sheet, ref, "tool", "خطأ", "erreur", "tools")])
    path = saved(plan, tmp_path, report)
    assert "بوابة البيانات" in runs_with_style(path, "OdplanFlag")
    assert "تنبيه للمراجعة" in texts_by_section(path)["cover"]


@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("12500.25"), "12" + NNBSP + "500,250"),
    (Decimal("0"), "0,000"),
    (Decimal("1234567.8915"), "1" + NNBSP + "234" + NNBSP + "567,892"),
    (999, "999,000"),
    (Decimal("-5"), LRM + "-5,000" + LRM),
])
def test_amounts(value, expected):
    assert word.format_amount(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (D(2027, 3, 5), "05/03/2027"), (dt.datetime(2027, 12, 31, 10, 0), "31/12/2027"), (True, "نعم"),
    (False, "لا"), (None, ""), ("32/13/2027", "32/13/2027"), (7, "7"),
    ("+216 71 123 456", LRM + "+216 71 123 456"), ("نص 12 34", "نص 12 34"),
])
def test_values(value, expected):
    assert word.format_value(value) == expected


# --- the example workbook, end to end (reader + checker + convert) ----------------------------------------
from odplan_xl.app.check import check  # noqa: E402
from odplan_xl.app.convert import PlanHasErrors, convert  # noqa: E402
from odplan_xl.workbook.example import example_data  # noqa: E402


def test_example_every_value_appears(example_path, tmp_path):
    plan, report = check(example_path)
    result = convert(example_path, tmp_path / "example.docx")
    assert result.output.exists() and result.pdf is None and result.report.ok
    assert len(expected_values(plan)) > 400
    assert missing_values(plan, result.output) == []
    assert headings(result.output) == expected_heading_order()


def test_convert_writes_beside_the_input_and_leaves_it_alone(example_path, tmp_path):
    source = tmp_path / "خطة 2027.xlsx"
    source.write_bytes(example_path.read_bytes())
    before = source.read_bytes()
    result = convert(source)
    assert result.output == tmp_path / "خطة 2027.docx" and result.output.exists()
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["خطة 2027.docx", "خطة 2027.xlsx"]


def test_convert_never_overwrites_its_inputs(example_path, tmp_path):
    base = make_base(tmp_path / "base.docx")
    before = base.read_bytes()
    with pytest.raises(OdplanError) as err:
        convert(example_path, base, base=base)
    assert err.value.code == "output-is-input"
    with pytest.raises(OdplanError) as err:
        convert(example_path, tmp_path / "plan.xlsx")
    assert err.value.code == "bad-output-name"
    assert base.read_bytes() == before


def test_strict_refuses_a_plan_with_errors(make_workbook, tmp_path):
    data = example_data()
    data["cover"]["officer"] = None
    data["sections"]["datasets"][0]["publish_date"] = "32/13/2027"
    path = make_workbook(data, "incomplete.xlsx")
    with pytest.raises(PlanHasErrors) as err:
        convert(path, tmp_path / "strict.docx", strict=True)
    assert err.value.report.errors and not (tmp_path / "strict.docx").exists()
    result = convert(path, tmp_path / "lenient.docx")
    assert result.report.errors
    assert schema.MISSING_AR in runs_with_style(result.output, "OdplanMissing")
    assert "32/13/2027" in runs_with_style(result.output, "OdplanFlag")


def test_pdf_without_libreoffice_is_a_clear_error(example_path, tmp_path, monkeypatch):
    monkeypatch.setenv("ODPLAN_SOFFICE", str(tmp_path / "no-such-soffice"))
    with pytest.raises(OdplanError) as err:
        convert(example_path, tmp_path / "plan.docx", pdf=True)
    assert err.value.code == "no-libreoffice" and "LibreOffice" in err.value.ar
    assert not (tmp_path / "plan.docx").exists()


# --- section layout is schema data ------------------------------------------------------------------------
def _with(monkeypatch, key: str, **changes) -> None:
    sections = tuple(dataclasses.replace(s, **changes) if s.key == key else s for s in schema.SECTIONS)
    monkeypatch.setattr(schema, "SECTIONS", sections)
    monkeypatch.setattr(schema, "SECTION_BY_KEY", {s.key: s for s in sections})


@pytest.mark.parametrize(("key", "flag", "marker"), [
    ("objectives", "decree_intro", "عدد 3 لسنة 2021 مؤرخ في 6 جانفي 2021"),
    ("calendar", "gantt", "المخطط الزمني للأنشطة"),
    ("budget", "budget_totals", "المجموع حسب مصدر التمويل"),
    ("communication", "split", "أنشطة الاتصال غير الرسمي"),
])
def test_section_layout_follows_the_schema(tmp_path, monkeypatch, key, flag, marker):
    assert marker in texts_by_section(saved(rich_plan(), tmp_path))[key]
    _with(monkeypatch, key, **{flag: False if flag != "split" else None})
    assert marker not in texts_by_section(saved(rich_plan(), tmp_path, name="off.docx"))[key]


def test_derived_priority_column_is_schema_data(tmp_path, monkeypatch):
    plan = rich_plan()
    plan["datasets"].rows[0].values["priority"] = 99        # typed over the formula: never trusted
    assert "3/4" in texts_by_section(saved(plan, tmp_path))["datasets"]
    _with(monkeypatch, "datasets", derived_priority=None)
    text = texts_by_section(saved(plan, tmp_path, name="typed.docx"))["datasets"]
    assert "99" in text and "3/4" not in text


def test_landscape_pages_follow_the_schema(tmp_path, monkeypatch):
    def orientations(name: str) -> list[int]:
        return [s.orientation for s in docx.Document(str(saved(rich_plan(), tmp_path, name=name))).sections]

    assert 1 in orientations("wide.docx")
    for key in ("datasets", "calendar"):
        _with(monkeypatch, key, landscape_when_filled=False)
    assert set(orientations("narrow.docx")) == {0}


def test_a_new_section_is_one_schema_entry(tmp_path, monkeypatch):
    extra = schema.Section(key="evaluation", number=11, sheet="11. التقييم", fr="Évaluation", heading="التقييم",
                           table="tbl_evaluation", columns=(schema.Column("item", "العنصر", "Élément", required=True),))
    monkeypatch.setattr(schema, "SECTIONS", (*schema.SECTIONS, extra))
    monkeypatch.setattr(schema, "SECTION_BY_KEY", {**schema.SECTION_BY_KEY, extra.key: extra})
    plan = make_plan({"structure": "هيكل"}, [], {"evaluation": [{"item": "تقييم منتصف السنة"}]})
    path = saved(plan, tmp_path)
    assert (1, "11. التقييم") in headings(path)
    assert "تقييم منتصف السنة" in block_text(docx.Document(str(path)).element.body)
