"""Gantt model, its sheet description, and the sheet written into a copy of the plan."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest

from odplan_xl import schema
from odplan_xl.app.gantt import gantt as gantt_workbook
from odplan_xl.errors import OdplanError
from odplan_xl.plan.gantt import GANTT_SECTIONS, build_gantt
from odplan_xl.plan.model import Plan, Row, SectionData
from odplan_xl.plan.reader import read_plan
from odplan_xl.sheets.gantt import NOW_FILL, SECTION_COLOURS, gantt_sheet
from odplan_xl.sheets.spec import internal_link
from odplan_xl.workbook.example import example_data
from odplan_xl.xlsx.write import _targets, write_sheet_copy

D = dt.date


def make_row(section: str, number: int, **values) -> Row:
    spec = schema.section(section)
    sheet = spec.sheet
    letters = {c.key: chr(ord("A") + i) for i, c in enumerate(spec.columns)}
    return Row(number=number, values=values,
               cells={k: f"{sheet}!{letters[k]}{number}" for k in values})


def make_plan(rows: dict[str, list[Row]], year: int | None = 2027) -> Plan:
    sections = {s.key: SectionData(key=s.key, sheet=s.sheet, rows=rows.get(s.key, []))
                for s in schema.SECTIONS}
    cover = {"structure": "وزارة المثال", "year": year}
    return Plan(cover=cover, authors=SectionData(key="authors", sheet=schema.COVER_SHEET),
                sections=sections)


def sample_plan(year: int | None = 2027) -> Plan:
    """Activities of every drawn section, with the awkward cases: no date, bad text, other years."""
    return make_plan({
        "inventory": [
            make_row("inventory", 6, activity="ورشة تحسيسية", start=D(2027, 3, 10), end=D(2027, 5, 2),
                     responsible="وحدة البيانات"),
            make_row("inventory", 7, activity="جرد أولي", start=D(2027, 1, 15), end=D(2027, 1, 20)),
            make_row("inventory", 8, activity="بلا تاريخ", start=None, end=D(2027, 2, 1)),
        ],
        "datasets": [make_row("datasets", 6, title="ميزانية", publish_date=D(2027, 6, 1))],
        "tools": [
            make_row("tools", 6, tool="بوابة", start=D(2026, 11, 1), end=D(2027, 2, 28)),
            make_row("tools", 7, tool="استخراج", start=D(2028, 1, 5), end=D(2028, 2, 1)),
            make_row("tools", 8, tool="منظومة", start="32/13/2027", end=D(2027, 4, 1)),
        ],
        "reuse": [make_row("reuse", 6, activity="مسابقة", date=D(2027, 12, 3))],
        "trainings": [
            make_row("trainings", 6, title="تكوين بلا نهاية", start=D(2027, 9, 1), end=None),
            make_row("trainings", 7, title="تكوين مقلوب", start=D(2027, 10, 9), end=D(2027, 8, 1)),
            make_row("trainings", 8, title="تكوين نهاية نصية", start=D(2027, 7, 4), end="غدا"),
        ],
        "communication": [make_row("communication", 6, activity="=HYPERLINK(\"x\")",
                                   start=D(2027, 6, 30), end=D(2027, 7, 1))],
        "calendar": [make_row("calendar", 6, activity="اجتماع سنوي", start=D(2027, 12, 20),
                              end=D(2028, 1, 10), responsible="الكاتب العام")],
    }, year=year)


@pytest.fixture
def hand_plan() -> Plan:
    return sample_plan()


def months_of(*numbers: int) -> tuple[bool, ...]:
    return tuple(m in numbers for m in range(1, 13))


def by_label(gantt, label):
    return next(a for a in (*gantt.activities, *gantt.undated) if a.label == label)


def test_sections_drive_the_model():
    assert GANTT_SECTIONS == ("inventory", "tools", "reuse", "trainings", "communication", "calendar")
    assert all(schema.section(k).dated for k in GANTT_SECTIONS)


def test_counts_order_and_undated(hand_plan):
    g = build_gantt(hand_plan)
    assert g.year == 2027 and not g.year_inferred and g.structure == "وزارة المثال"
    assert [a.label for a in g.activities] == [
        "جرد أولي", "ورشة تحسيسية", "بوابة", "استخراج", "مسابقة", "تكوين نهاية نصية", "تكوين بلا نهاية",
        "تكوين مقلوب", '=HYPERLINK("x")', "اجتماع سنوي"]
    assert [(a.section, a.label, a.start_raw) for a in g.undated] == [
        ("inventory", "بلا تاريخ", ""), ("tools", "منظومة", "32/13/2027")]
    assert "ميزانية" not in {a.label for a in g.activities}   # section 4 is not drawn
    assert g.sections == GANTT_SECTIONS


@pytest.mark.parametrize("label, months, clipped", [
    ("ورشة تحسيسية", months_of(3, 4, 5), False),
    ("جرد أولي", months_of(1), False),
    ("بوابة", months_of(1, 2), True),              # starts the year before
    ("استخراج", months_of(), True),                # entirely the year after: listed, no bar
    ("مسابقة", months_of(12), False),              # single date column
    ("تكوين بلا نهاية", months_of(9), False),      # no end: one day
    ("تكوين مقلوب", months_of(10), False),         # end before start: one day on the start
    ("تكوين نهاية نصية", months_of(7), False),     # unparsed end: one day
    ('=HYPERLINK("x")', months_of(6, 7), False),
    ("اجتماع سنوي", months_of(12), True),          # runs into the next year
])
def test_months_and_clipping(hand_plan, label, months, clipped):
    a = by_label(build_gantt(hand_plan), label)
    assert a.months == months
    assert a.clipped is clipped
    assert a.outside is (not any(months))


def test_fields_of_an_activity(hand_plan):
    g = build_gantt(hand_plan)
    a = by_label(g, "ورشة تحسيسية")
    assert (a.section, a.section_number, a.responsible) == ("inventory", 3, "وحدة البيانات")
    assert (a.start, a.end, a.cell) == (D(2027, 3, 10), D(2027, 5, 2), "3. جرد البيانات العمومية!A6")
    reuse = by_label(g, "مسابقة")
    assert reuse.start == reuse.end == D(2027, 12, 3) and reuse.responsible == ""
    text_end = by_label(g, "تكوين نهاية نصية")
    assert text_end.end is None and text_end.end_raw == "غدا" and text_end.last == text_end.start


def test_weeks_are_quarter_months(hand_plan):
    g = build_gantt(hand_plan, weeks=True)
    a = by_label(g, "ورشة تحسيسية")          # 10 March .. 2 May
    assert len(a.weeks) == 48
    assert [i for i, on in enumerate(a.weeks) if on] == list(range(2 * 4 + 1, 4 * 4 + 1))
    assert by_label(g, "مسابقة").weeks.index(True) == 11 * 4    # 3 December: first quarter
    assert build_gantt(hand_plan).activities[0].weeks == ()


def test_year_inferred_when_cover_has_none():
    plan = make_plan({"tools": [make_row("tools", 6, tool="أ", start=D(2026, 5, 1), end=D(2026, 5, 2)),
                                make_row("tools", 7, tool="ب", start=D(2027, 5, 1), end=D(2027, 6, 2)),
                                make_row("tools", 8, tool="ج", start=D(2027, 1, 1), end=D(2027, 1, 2))]},
                     year=None)
    g = build_gantt(plan)
    assert (g.year, g.year_inferred) == (2027, True)
    assert by_label(g, "أ").clipped and by_label(g, "أ").outside


def test_empty_plan():
    g = build_gantt(make_plan({}, year=None))
    assert (g.year, g.activities, g.undated, g.sections) == (None, [], [], ())


# --- the sheet description -----------------------------------------------------------------

FIRST_MONTH_COL = 6


def spec_row(spec, label):
    return next(r for (r, c), cell in spec.cells.items() if c == 2 and cell.value == label)


def test_sheet_description(hand_plan):
    spec = gantt_sheet(build_gantt(hand_plan), today=D(2027, 6, 15))
    assert spec.title == schema.GANTT_SHEET and spec.rtl and spec.landscape and spec.fit_width
    assert "2027" in spec.cells[(1, 1)].value and spec.cells[(2, 1)].value == "وزارة المثال"
    assert [spec.cells[(5, c)].value for c in range(1, 18)] == [
        "القسم", "النشاط", "المسؤول", "تاريخ البداية", "تاريخ النهاية", *schema.MONTHS_AR]
    row = spec_row(spec, "ورشة تحسيسية")
    fills = [spec.cells[(row, FIRST_MONTH_COL + m)].style.fill for m in range(12)]
    blue = SECTION_COLOURS["inventory"]
    assert [m + 1 for m, f in enumerate(fills) if f == blue] == [3, 4, 5]
    assert spec.cells[(row, 1)].link == internal_link("3. جرد البيانات العمومية!A6") \
        == "#'3. جرد البيانات العمومية'!A6"
    assert spec.cells[(row, 4)].value == D(2027, 3, 10)
    # the current month is marked in the header, and no other month is
    assert [c for c in range(FIRST_MONTH_COL, 18) if spec.cells[(5, c)].style.fill == NOW_FILL] == [11]


def test_no_current_month_marker_in_another_year(hand_plan):
    spec = gantt_sheet(build_gantt(hand_plan), today=D(2026, 6, 15))
    assert all(cell.style.fill != NOW_FILL for cell in spec.cells.values())


def test_legend_and_undated_listed(hand_plan):
    spec = gantt_sheet(build_gantt(hand_plan), today=D(2027, 1, 1))
    column_a = [c.value for (r, col), c in sorted(spec.cells.items()) if col == 1]
    legend = column_a.index("مفتاح الألوان")
    assert column_a[legend + 1:legend + 7] == [schema.section(k).sheet for k in GANTT_SECTIONS]
    undated = column_a.index("أنشطة غير مؤرخة (لا تظهر في المخطط)")
    assert undated > legend
    assert spec_row(spec, "منظومة") > spec.max_row - 2


def test_empty_plan_sheet():
    spec = gantt_sheet(build_gantt(make_plan({}, year=2027)), today=D(2027, 1, 1))
    texts = {c.value for c in spec.cells.values()}
    assert "لا توجد أنشطة مؤرخة في الأقسام 3 و5 و6 و7 و8 و9." in texts


# --- the sheet written into a copy of a workbook -------------------------------------------

@pytest.fixture
def small_book(tmp_path):
    path = tmp_path / "plan.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = schema.COVER_SHEET
    wb.active["B2"] = "قيمة أصلية"
    wb.create_sheet("ملاحظات")["A1"] = 7
    wb.save(path)
    return path


def written_row(ws, label):
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == label)


def test_written_sheet(small_book, hand_plan, tmp_path):
    before = small_book.read_bytes()
    out = write_sheet_copy(small_book, tmp_path / "out.xlsx",
                           gantt_sheet(build_gantt(hand_plan), today=D(2027, 6, 15)))
    assert small_book.read_bytes() == before
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [schema.COVER_SHEET, "ملاحظات", schema.GANTT_SHEET]
    assert wb[schema.COVER_SHEET]["B2"].value == "قيمة أصلية" and wb["ملاحظات"]["A1"].value == 7
    ws = wb[schema.GANTT_SHEET]
    assert ws.sheet_view.rightToLeft is True
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    row = written_row(ws, "ورشة تحسيسية")
    filled = [m + 1 for m in range(12) if ws.cell(row, FIRST_MONTH_COL + m).fill.fgColor.rgb
              == "FF" + SECTION_COLOURS["inventory"]]
    assert filled == [3, 4, 5]
    start = ws.cell(row, 4)
    assert start.value.date() == D(2027, 3, 10) and start.number_format == "dd/mm/yyyy"
    assert ws.cell(row, 1).hyperlink.location == "'3. جرد البيانات العمومية'!A6"
    reuse = written_row(ws, "مسابقة")
    assert ws.cell(reuse, FIRST_MONTH_COL + 11).fill.fgColor.rgb == "FF" + SECTION_COLOURS["reuse"]


def test_formula_like_text_stays_text(small_book, hand_plan, tmp_path):
    out = write_sheet_copy(small_book, tmp_path / "out.xlsx",
                           gantt_sheet(build_gantt(hand_plan), today=D(2027, 6, 15)))
    ws = openpyxl.load_workbook(out)[schema.GANTT_SHEET]
    cell = ws.cell(written_row(ws, '=HYPERLINK("x")'), 2)
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("x")'


def test_rewriting_replaces_the_sheet_in_place(small_book, hand_plan, tmp_path):
    first = write_sheet_copy(small_book, tmp_path / "one.xlsx",
                             gantt_sheet(build_gantt(hand_plan), today=D(2027, 6, 15)))
    wb = openpyxl.load_workbook(first)
    wb.move_sheet(schema.GANTT_SHEET, offset=-2)      # the officer moved it first
    wb.save(first)
    smaller = make_plan({"tools": [make_row("tools", 6, tool="وحيدة", start=D(2027, 2, 1),
                                            end=D(2027, 2, 2))]})
    second = write_sheet_copy(first, tmp_path / "two.xlsx", gantt_sheet(build_gantt(smaller)))
    wb = openpyxl.load_workbook(second)
    assert wb.sheetnames == [schema.GANTT_SHEET, schema.COVER_SHEET, "ملاحظات"]
    labels = {c.value for row in wb[schema.GANTT_SHEET].iter_rows() for c in row}
    assert "وحيدة" in labels and "ورشة تحسيسية" not in labels


@pytest.mark.parametrize("name, code", [("plan.xlsx", "output-is-input"),
                                        ("out.xlsm", "output-extension"),
                                        ("out.ods", "output-extension")])
def test_refused_outputs(small_book, hand_plan, name, code):
    before = small_book.read_bytes()
    with pytest.raises(OdplanError) as err:
        write_sheet_copy(small_book, small_book.with_name(name), gantt_sheet(build_gantt(hand_plan)))
    assert err.value.code == code
    assert small_book.read_bytes() == before
    assert sorted(p.name for p in small_book.parent.iterdir()) == ["plan.xlsx"]


# --- from the real example workbook ----------------------------------------------------------

def label_key(section: str) -> str:
    return schema.section(section).activity


def data_months(start: dt.date, end: dt.date) -> list[int]:
    return list(range(start.month, end.month + 1))


def odd_data() -> dict:
    """The example plan plus rows the calendar must not draw as normal bars."""
    data = example_data()
    secs = data["sections"]
    secs["tools"].append({**secs["tools"][0], "tool": "أداة تبدأ في السنة الماضية",
                          "start": D(2026, 11, 15), "end": D(2027, 2, 10)})
    secs["calendar"].append({"activity": "نشاط بتاريخ غير صالح", "start": "32/13/2027",
                             "end": D(2027, 5, 1), "responsible": "=1+1"})
    secs["calendar"].append({"activity": "نشاط بلا تاريخ", "start": None, "end": None})
    secs["calendar"].append({"activity": "=SUM(1,2)", "start": D(2028, 1, 3), "end": D(2028, 1, 9)})
    return data


def test_model_from_the_example(example_path):
    data = example_data()
    plan, _ = read_plan(example_path)
    g = build_gantt(plan)
    assert (g.year, g.structure, g.undated) == (data["cover"]["year"], data["cover"]["structure"], [])
    counts = {k: sum(a.section == k for a in g.activities) for k in GANTT_SECTIONS}
    assert counts == {k: len(data["sections"][k]) for k in GANTT_SECTIONS}
    assert all(counts.values()) and not any(a.clipped for a in g.activities)
    numbers = [a.section_number for a in g.activities]
    assert numbers == sorted(numbers) and set(numbers) == {3, 5, 6, 7, 8, 9}
    for key in GANTT_SECTIONS:
        starts = [a.start for a in g.activities if a.section == key]
        assert starts == sorted(starts)
    first = data["sections"]["inventory"][0]
    a = by_label(g, first["activity"])
    assert (a.start, a.end, a.responsible) == (first["start"], first["end"], first["responsible"])
    assert a.cell.startswith(schema.section("inventory").sheet + "!")


def test_clipping_and_undated_from_a_workbook(make_workbook):
    plan, _ = read_plan(make_workbook(odd_data()))
    g = build_gantt(plan)
    assert [(a.label, a.start_raw) for a in g.undated] == [
        ("نشاط بتاريخ غير صالح", "32/13/2027"), ("نشاط بلا تاريخ", "")]
    early = by_label(g, "أداة تبدأ في السنة الماضية")
    assert early.clipped and early.months == months_of(1, 2)
    late = by_label(g, "=SUM(1,2)")
    assert late.clipped and late.outside and g.activities[-1] is late


def test_write_gantt_from_the_example(example_path, tmp_path):
    before = example_path.read_bytes()
    out = gantt_workbook(example_path, tmp_path / "with_gantt.xlsx", today=D(2027, 4, 20))
    assert example_path.read_bytes() == before
    plan_sheets = openpyxl.load_workbook(example_path, read_only=True).sheetnames
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [*plan_sheets, schema.GANTT_SHEET]
    ws = wb[schema.GANTT_SHEET]
    assert ws.sheet_view.rightToLeft is True
    assert [ws.cell(5, FIRST_MONTH_COL + m).value for m in range(12)] == list(schema.MONTHS_AR)
    assert ws.cell(5, FIRST_MONTH_COL + 3).fill.fgColor.rgb == "FF" + NOW_FILL        # April
    data = example_data()["sections"]
    for key in ("inventory", "tools", "reuse", "communication"):
        for values in data[key][:3]:
            start, end = values[schema.section(key).start], values.get(schema.section(key).end or "")
            row = written_row(ws, values[label_key(key)])
            filled = [m + 1 for m in range(12)
                      if ws.cell(row, FIRST_MONTH_COL + m).fill.fgColor.rgb == "FF" + SECTION_COLOURS[key]]
            assert filled == data_months(start, end or start), values[label_key(key)]
            assert ws.cell(row, 1).value == schema.section(key).sheet
            assert ws.cell(row, 4).value.date() == start


def test_write_gantt_default_name_and_refusals(example_path, tmp_path):
    plan = tmp_path / "خطة 2027.xlsx"
    plan.write_bytes(example_path.read_bytes())
    out = gantt_workbook(plan)
    assert out == tmp_path / "خطة 2027_gantt.xlsx" and out.exists()
    with pytest.raises(OdplanError) as err:
        gantt_workbook(plan, plan)
    assert err.value.code == "output-is-input"
    assert plan.read_bytes() == example_path.read_bytes()
    # the Gantt of a workbook that already has one replaces it
    again = gantt_workbook(out, tmp_path / "again.xlsx")
    assert openpyxl.load_workbook(again).sheetnames.count(schema.GANTT_SHEET) == 1


def test_officer_text_stays_text(make_workbook, tmp_path):
    out = gantt_workbook(make_workbook(odd_data()), tmp_path / "out.xlsx", today=D(2030, 1, 1))
    ws = openpyxl.load_workbook(out)[schema.GANTT_SHEET]
    label = ws.cell(written_row(ws, "=SUM(1,2)"), 2)
    responsible = ws.cell(written_row(ws, "نشاط بتاريخ غير صالح"), 3)
    assert (label.data_type, label.value) == ("s", "=SUM(1,2)")
    assert (responsible.data_type, responsible.value) == ("s", "=1+1")
    assert ws.cell(written_row(ws, "نشاط بتاريخ غير صالح"), 4).value == "32/13/2027"
    assert all(c.fill.fgColor.rgb != "FF" + NOW_FILL for row in ws.iter_rows() for c in row)


def package_targets_missing(path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        return sorted(t for rels in names if rels.endswith(".rels")
                      for t in _targets(rels, z.read(rels)) if t not in names)


def test_xlsm_keeps_macros_and_buttons(make_workbook, tmp_path):
    src = make_workbook(example_data(), "plan.xlsm")
    out = gantt_workbook(src, today=D(2027, 1, 1))
    assert out.name == "plan_gantt.xlsm"
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        assert b.read("xl/vbaProject.bin") == a.read("xl/vbaProject.bin")
        vml = sorted(n for n in a.namelist() if n.endswith(".vml"))
        assert len(vml) > 9                                      # buttons on more than nine sheets
        assert [b.read(n) for n in vml] == [a.read(n) for n in vml]
    assert package_targets_missing(out) == []
    assert openpyxl.load_workbook(out, keep_vba=True).sheetnames[-1] == schema.GANTT_SHEET
