"""Rows matched by content: over generated edits of real sections, compare finds exactly the edits."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from odplan_xl import schema
from odplan_xl.plan.compare import compare_rows
from odplan_xl.plan.model import Row, validate_row
from odplan_xl.workbook.example import example_data

EXAMPLE = example_data()
SECTIONS = ("inventory", "datasets", "tools", "trainings", "budget")


def rows(key: str) -> list[Row]:
    return [Row(number=i, values=validate_row(key, raw)[0]) for i, raw in enumerate(EXAMPLE["sections"][key])]


def fresh(key: str, n: int) -> Row:
    """A row like none of the example's: new text in every text column, a date of another year."""
    values = dict(rows(key)[0].values)
    for col in schema.section(key).columns:
        if col.kind in (schema.Kind.TEXT, schema.Kind.LONG_TEXT):
            values[col.key] = f"سطر جديد {n} {col.key}"
        elif col.is_date:
            values[col.key] = dt.date(2031, 1 + n % 12, 1 + n % 28)
    return Row(number=1000 + n, values=values)


def _edit(key: str, row: Row, n: int) -> tuple[Row, str]:
    """One field of `row` changed to a value no other row has (a text, or a date moved)."""
    spec = schema.section(key)
    editable = [c for c in spec.columns if not c.computed and (c.is_date or c.kind in (schema.Kind.TEXT,
                                                                                      schema.Kind.LONG_TEXT))
                and row.values.get(c.key) is not None]
    col = editable[n % len(editable)]
    values = dict(row.values)
    values[col.key] = (values[col.key] + dt.timedelta(days=400 + n)) if col.is_date else f"{values[col.key]} (مراجعة {n})"
    return Row(number=row.number, values=values), col.key


@st.composite
def edits(draw):
    key = draw(st.sampled_from(SECTIONS))
    old = rows(key)
    n = len(old)
    fate = draw(st.lists(st.sampled_from(("keep", "remove", "change")), min_size=n, max_size=n))
    added = draw(st.integers(0, 3))
    seed = draw(st.integers(0, 50))
    order = draw(st.permutations(range(n - fate.count("remove") + added)))
    return key, old, fate, added, seed, order


@settings(max_examples=200, deadline=None)
@given(edits())
def test_compare_finds_exactly_the_edits(case):
    key, old, fate, added, seed, order = case
    new, removed, changed = [], [], {}
    for i, (row, what) in enumerate(zip(old, fate, strict=True)):
        if what == "remove":
            removed.append(row.number)
        elif what == "change":
            edited, field = _edit(key, row, seed + i)
            changed[row.number] = [field]
            new.append(edited)
        else:
            new.append(row)
    new += [fresh(key, seed + k) for k in range(added)]
    new = [new[j] for j in order]                   # positions never matter
    diff = compare_rows(key, old, new)
    assert sorted(r.number for r in diff.removed) == sorted(removed)
    assert sorted(r.number for r in diff.added) == sorted(1000 + seed + k for k in range(added))
    assert {c.before.number: c.fields for c in diff.changed} == changed
    assert all(c.before.number == c.after.number for c in diff.changed)
