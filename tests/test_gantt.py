"""Gantt model, its sheet description, and the sheet written into a copy of the plan."""

from __future__ import annotations

import datetime as dt

import pytest

from odplan_xl import schema
from odplan_xl.gantt import GANTT_SECTIONS, build_gantt
from odplan_xl.model import Plan, Row, SectionData

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


@pytest.fixture
def hand_plan() -> Plan:
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
    })


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
