"""The Gantt model: which activities, which months, what is clipped or undated."""

from __future__ import annotations

import pytest
from gantt_plans import (
    D,
    by_label,
    make_plan,
    make_row,
    months_of,
    odd_data,
    sample_plan,
)

from odplan_xl import schema
from odplan_xl.app.check import read as read_plan
from odplan_xl.plan.gantt import GANTT_SECTIONS, build_gantt
from odplan_xl.plan.model import Plan
from odplan_xl.workbook.example import example_data


@pytest.fixture
def hand_plan() -> Plan:
    return sample_plan()


def test_sections_drive_the_model():
    assert GANTT_SECTIONS == ("inventory", "tools", "reuse", "trainings", "communication", "calendar")


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


