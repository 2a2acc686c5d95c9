"""Each activity's follow-up state on a date: over generated statuses and dates, the figures add up."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from odplan_xl import schema
from odplan_xl.plan.model import Plan, Row, SectionData
from odplan_xl.plan.progress import STATES, is_late, progress

DAYS = st.dates(dt.date(2027, 1, 1), dt.date(2027, 12, 31))
CHOICES = st.sampled_from((None, *schema.PROGRESS_STATES, "غير معروف"))


@st.composite
def plans(draw):
    sections = {}
    for spec in schema.SECTIONS:
        rows = []
        for n in range(draw(st.integers(0, 4))):
            values = {spec.activity or spec.columns[0].key: f"نشاط {n}", "progress": draw(CHOICES)}
            for key in {spec.start, spec.end} - {None}:
                values[key] = draw(st.one_of(st.none(), DAYS))
            rows.append(Row(number=7 + n, values=values))
        sections[spec.key] = SectionData(key=spec.key, sheet=spec.sheet, rows=rows)
    return Plan(cover={"year": 2027}, authors=SectionData(key="authors", sheet=schema.COVER_SHEET),
                sections=sections)


@settings(max_examples=150, deadline=None)
@given(plans(), DAYS)
def test_figures_add_up(plan, today):
    f = progress(plan, today)
    followed = [(s, r) for s in schema.SECTIONS if s.followed_up for r in plan.sections[s.key].rows]
    assert f.activities == len(followed)
    assert set(f.total) == set(STATES)
    late = [(s, r) for s, r in followed if is_late(s, r, today)]
    assert f.total["late"] == len(late) == len(f.late)
    done = sum(1 for _, r in followed if r.get("progress") == schema.PROGRESS_DONE)
    assert f.total["done"] == done                   # a done activity is never late
    for s, r in late:
        end = r.get(s.end or s.start)
        assert end < today and r.get("progress") not in (schema.PROGRESS_DONE, schema.PROGRESS_CANCELLED)
    published, planned = f.datasets
    rows = plan.sections["datasets"].rows
    assert published == sum(1 for r in rows if r.get("progress") == schema.PROGRESS_DONE)
    assert planned == sum(1 for r in rows if r.get("progress") != schema.PROGRESS_CANCELLED)
