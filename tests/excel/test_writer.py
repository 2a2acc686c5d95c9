"""A sheet description replayed through xlwings: values keep their type, styles go in few calls."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import xlwings as xw
from hypothesis import given
from hypothesis import strategies as st
from officejs import Replay, payload

from odplan_xl.app.check import read as read_plan
from odplan_xl.excel.buttons import gantt_book
from odplan_xl.excel.writer import rectangles, write_spec
from odplan_xl.plan.gantt import build_gantt
from odplan_xl.sheets.spec import SheetSpec


def test_values_keep_their_type_through_excel(example_path):
    spec = SheetSpec(title="اختبار")
    given_values = ["=1+1", "+5", "-3", "@x", "0012", "'quoted", " lead", "01/02/2027", "نص", 7,
                    Decimal("12.500"), dt.date(2027, 3, 4), True]
    for row, value in enumerate(given_values, 1):
        spec.put(row, 1, value)
    book = xw.Book(json=payload(example_path))
    write_spec(book, spec)
    replay = Replay(example_path)
    replay.apply(book.json()["actions"])
    got = [row[0] for row in replay.wb["اختبار"].iter_rows(values_only=True)]
    assert got == ["=1+1", "+5", "-3", "@x", "0012", "'quoted", " lead", "01/02/2027", "نص", 7, 12.5,
                   dt.datetime(2027, 3, 4), True]
    assert replay.formulas == []


@given(st.sets(st.tuples(st.integers(1, 12), st.integers(1, 8)), min_size=1, max_size=60))
def test_rectangles_cover_exactly_the_cells(cells):
    covered = []
    for r1, c1, r2, c2 in rectangles(cells):
        covered += [(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]
    assert sorted(covered) == sorted(cells)          # every cell once, nothing else


def test_a_grid_of_borders_costs_few_calls(example_path):
    book = xw.Book(json=payload(example_path))
    gantt_book(book, today=dt.date(2026, 1, 1))
    borders = [a for a in book.json()["actions"] if a["func"] == "setBorderProperty"]
    plan, _ = read_plan(example_path)
    # one block for the grid plus one per bar (18 calls each), not one per cell
    assert len(borders) <= 18 * (8 + 2 * len(build_gantt(plan).activities))


