"""Hand-made plans with the calendar's awkward cases (no date, bad text, other years), for the Gantt tests."""

from __future__ import annotations

import datetime as dt

from odplan_xl import schema
from odplan_xl.plan.model import Plan, Row, SectionData
from odplan_xl.workbook.example import example_data

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


def months_of(*numbers: int) -> tuple[bool, ...]:
    return tuple(m in numbers for m in range(1, 13))


def by_label(gantt, label):
    return next(a for a in (*gantt.activities, *gantt.undated) if a.label == label)


def written_row(ws, label):
    """The row of a written Gantt sheet whose activity column holds `label`."""
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == label)


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
