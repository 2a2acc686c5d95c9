"""The annual calendar: every dated activity of the plan, placed on the months of the plan year."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from odplan_xl import schema
from odplan_xl.plan.derived import dates_year
from odplan_xl.plan.display import format_date
from odplan_xl.plan.model import Plan, Row

# Sections whose rows are drawn, in this order: the template's sections 3, 5, 6, 7, 8 and the
# calendar sheet's own rows (9). Section 4's publication dates are milestones of a different kind
# and are not part of the template's activity calendar.
GANTT_SECTIONS: tuple[str, ...] = ("inventory", "tools", "reuse", "trainings", "communication",
                                   "calendar")

# One bar colour per section, the same in the sheet «مخطط غانت» and in the Word plan's calendar (medium
# tones that print on paper and keep black text readable).
SECTION_COLOURS: dict[str, str] = {
    "inventory": "5B9BD5",
    "tools": "70AD47",
    "reuse": "ED7D31",
    "trainings": "9E7CC1",
    "communication": "4BC0C0",
    "calendar": "D36BA6",
}
OTHER_COLOUR = "A5A5A5"      # a section without a colour of its own (none today)

WEEKS_PER_MONTH = 4   # a month split in quarters: days 1-7, 8-14, 15-21, 22-end


@dataclass(frozen=True)
class Activity:
    """One row of a dated section, placed on the months of the plan year."""

    section: str                  # section key
    section_number: int
    label: str                    # the activity column's text ("" when empty)
    responsible: str              # "" when the section has no such column or it is empty
    start: dt.date | None
    end: dt.date | None           # None when missing or not a date (the bar is then one day long)
    cell: str                     # "Sheet!B7" of the activity's own cell
    clipped: bool = False         # part (or all) of it falls outside the plan year
    months: tuple[bool, ...] = (False,) * 12
    weeks: tuple[bool, ...] = ()  # 48 quarter-months when asked for, else empty
    start_raw: str = ""           # the text typed when the start is not a valid date
    end_raw: str = ""             # the text typed when the end is not a valid date
    row: int = 0                  # the Excel row it came from (stable sort key)

    @property
    def last(self) -> dt.date | None:
        """The day the bar ends on: the end date, or the start when the end is unusable."""
        if self.start is None:
            return None
        if self.end is None or self.end < self.start:
            return self.start
        return self.end

    @property
    def outside(self) -> bool:
        """Dated but entirely outside the plan year: listed, with no bar."""
        return self.start is not None and not any(self.months)


@dataclass
class Gantt:
    """The plan year's calendar: dated activities (sorted by section, then start) and undated ones."""

    year: int | None
    months: tuple[str, ...] = schema.MONTHS_AR
    activities: list[Activity] = field(default_factory=list)
    undated: list[Activity] = field(default_factory=list)
    structure: str = ""           # the body's name, for titles
    year_inferred: bool = False   # the cover had no usable year; the most common start year is used
    weeks: bool = False

    @property
    def sections(self) -> tuple[str, ...]:
        """Keys of the sections that have at least one activity (dated or not), in plan order."""
        present = {a.section for a in (*self.activities, *self.undated)}
        return tuple(k for k in GANTT_SECTIONS if k in present)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _raw(value: Any) -> str:
    """The typed text of a value that is not a date (kept so the officer sees what to fix)."""
    if value is None or isinstance(value, dt.date):
        return ""
    return str(value).strip()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value).strip()


def _cell(row: Row, *keys: str | None) -> str:
    for key in keys:
        if key and row.cells.get(key):
            return row.cells[key]
    return next(iter(row.cells.values()), "")


def _span(year: int, first: dt.date, last: dt.date,
          weeks: bool) -> tuple[tuple[bool, ...], tuple[bool, ...]]:
    """Months (and quarter-months) of `year` covered by first..last."""
    lo, hi = max(first, dt.date(year, 1, 1)), min(last, dt.date(year, 12, 31))
    if lo > hi:
        return (False,) * 12, ((False,) * 48 if weeks else ())
    months = tuple(lo.month <= m <= hi.month for m in range(1, 13))
    if not weeks:
        return months, ()

    def slot(d: dt.date) -> int:
        return (d.month - 1) * WEEKS_PER_MONTH + min((d.day - 1) // 7, WEEKS_PER_MONTH - 1)

    a, b = slot(lo), slot(hi)
    return months, tuple(a <= i <= b for i in range(12 * WEEKS_PER_MONTH))


def _plan_year(plan: Plan) -> int | None:
    year = plan.year
    # a year Python's dates cannot hold is as good as none (the checker reports it)
    return year if year is not None and 1 <= year <= 9999 else None


def _raw_activities(plan: Plan) -> list[Activity]:
    out: list[Activity] = []
    for key in GANTT_SECTIONS:
        data = plan.sections.get(key)
        if data is None:
            continue
        spec = schema.section(key)
        for row in data.rows:
            start_value = row.get(spec.start) if spec.start else None
            # a section with one date column (reuse) has one-day activities: end = start
            end_value = row.get(spec.end) if spec.end else start_value
            out.append(Activity(
                section=key, section_number=spec.number,
                label=_text(row.get(spec.activity)) if spec.activity else "",
                responsible=_text(row.get(spec.responsible)) if spec.responsible else "",
                start=_as_date(start_value), end=_as_date(end_value),
                cell=_cell(row, spec.activity, spec.start),
                start_raw=_raw(start_value), end_raw=_raw(end_value) if spec.end else "",
                row=row.number,
            ))
    return out


def build_gantt(plan: Plan, *, weeks: bool = False) -> Gantt:
    """The Gantt model of a plan: dated activities of sections 3, 5-9 on the months of the plan year.

    Rules: a row is undated when its start is not a date (empty, or text that failed to parse);
    a missing, unparsed or earlier-than-start end gives a one-day bar on the start (the date columns
    still show what was typed, and the checker reports it); bars are clipped to 1 January-31
    December of the plan year and flagged `clipped`; an activity entirely outside the year stays in
    `activities` with `clipped` set and no month filled. Without a usable year on the cover, the
    most common start year is used and `year_inferred` is set.
    """
    raw = _raw_activities(plan)
    dated = [a for a in raw if a.start is not None]
    undated = [a for a in raw if a.start is None]

    year, inferred = _plan_year(plan), False
    if year is not None and dates_year(plan) is not None:
        year = None              # most dates are in another year: draw that year, and say so
    if year is None and dated:
        counts = Counter(a.start.year for a in dated)
        year = min(counts, key=lambda y: (-counts[y], y))
        inferred = True

    placed = []
    for a in dated:
        months, wks = _span(year, a.start, a.last, weeks)
        clipped = a.start.year != year or a.last.year != year
        placed.append(replace(a, months=months, weeks=wks, clipped=clipped))
    placed.sort(key=lambda a: (a.section_number, a.start, a.last, a.row))
    undated.sort(key=lambda a: (a.section_number, a.row))
    return Gantt(year=year, activities=placed, undated=undated, structure=plan.structure,
                 year_inferred=inferred, weeks=weeks)
