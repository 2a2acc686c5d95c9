"""The annual calendar: every dated activity of the plan, as a Gantt model and as a sheet description."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import schema
from .files import refuse_overwrite_input
from .model import Plan, Row
from .sheetspec import DATE_FORMAT, SheetSpec, Style, internal_link

# Sections whose rows are drawn, in this order: the template's sections 3, 5, 6, 7, 8 and the
# calendar sheet's own rows (9). Section 4's publication dates are milestones of a different kind
# and are not part of the template's activity calendar.
GANTT_SECTIONS: tuple[str, ...] = ("inventory", "tools", "reuse", "trainings", "communication",
                                   "calendar")

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
        return value.strftime("%d/%m/%Y")
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



# --- the sheet «مخطط غانت» --------------------------------------------------------------------

# One bar colour per section (medium tones that print on paper and keep black text readable).
SECTION_COLOURS: dict[str, str] = {
    "inventory": "5B9BD5",
    "tools": "70AD47",
    "reuse": "ED7D31",
    "trainings": "9E7CC1",
    "communication": "4BC0C0",
    "calendar": "D36BA6",
}
NOW_FILL = "FFD966"        # header of the current month
NOW_TINT = "FFF2CC"        # empty cells of the current month
OUTSIDE_COLOUR = "C00000"  # a date outside the plan year (its bar is cut)
HEADER_FILL = "1F4E79"
TITLE_COLOUR = "1F4E79"
LINK_COLOUR = "1F4E79"

HEADERS_AR = ("القسم", "النشاط", "المسؤول", "تاريخ البداية", "تاريخ النهاية")
WIDTHS = (24, 42, 20, 12.5, 12.5)
MONTH_WIDTH, WEEK_WIDTH = 7.5, 2.4
NOTE_AR = ("أُنشئ هذا المخطط آليا من الأنشطة المؤرخة في الأقسام 3 و5 و6 و7 و8 و9. "
           "لتعديله عدّل تلك الأقسام ثم أعد إنشاءه.")
LEGEND_AR = "مفتاح الألوان"
NOW_AR = "الشهر الحالي"
OUTSIDE_AR = "تاريخ خارج سنة الخطة (الشريط مقتطع)"
UNDATED_AR = "أنشطة غير مؤرخة (لا تظهر في المخطط)"
NONE_AR = "لا توجد أنشطة مؤرخة في الأقسام 3 و5 و6 و7 و8 و9."
INFERRED_AR = "سنة الخطة غير محددة في الغلاف: اعتُمدت السنة {year}، الأكثر تكرارا في تواريخ البداية."
# Characters per printed line of the activity column, to size rows of long, wrapped labels.
_CHARS_PER_LINE = 48


def _title(gantt: Gantt) -> str:
    year = gantt.year if gantt.year is not None else schema.MISSING_AR
    return f"{schema.TITLE_AR} لسنة {year}"


def gantt_sheet(gantt: Gantt, *, today: dt.date | None = None) -> SheetSpec:
    """The sheet «مخطط غانت» as a library-free description (any writer can replay it)."""
    today = today or dt.date.today()
    per_month = WEEKS_PER_MONTH if gantt.weeks else 1
    first_month_col = len(HEADERS_AR) + 1
    last_col = first_month_col + 12 * per_month - 1
    now = today.month if gantt.year == today.year else None

    spec = SheetSpec(title=schema.GANTT_SHEET, rtl=True, landscape=True, fit_width=True)
    for col, width in enumerate(WIDTHS, 1):
        spec.widths[col] = width
    for col in range(first_month_col, last_col + 1):
        spec.widths[col] = WEEK_WIDTH if gantt.weeks else MONTH_WIDTH

    # title block
    spec.put(1, 1, _title(gantt), Style(bold=True, size=15, color=TITLE_COLOUR, align="center"))
    spec.put(2, 1, gantt.structure or schema.MISSING_AR, Style(bold=True, size=12, align="center"))
    note = NOTE_AR
    if gantt.year_inferred:
        note = f"{note} {INFERRED_AR.format(year=gantt.year)}"
    spec.put(3, 1, note, Style(italic=True, color="595959" if not gantt.year_inferred else OUTSIDE_COLOUR,
                               align="center", wrap=True))
    for row in (1, 2, 3):
        spec.merge(row, 1, row, last_col)
    spec.heights[1], spec.heights[3] = 24, 30

    # header: the five columns, then the months (in a right-to-left sheet January is at the right)
    head = 5
    head_last = head + (1 if gantt.weeks else 0)
    head_style = Style(fill=HEADER_FILL, bold=True, color="FFFFFF", align="center", wrap=True,
                       border="thin")
    for col, text in enumerate(HEADERS_AR, 1):
        spec.put(head, col, text, head_style)
        spec.merge(head, col, head_last, col)
    for m, name in enumerate(gantt.months, 1):
        col = first_month_col + (m - 1) * per_month
        style = head_style
        if m == now:
            style = head_style.but(fill=NOW_FILL, color="000000", border="medium",
                                   border_color=OUTSIDE_COLOUR)
        spec.put(head, col, name, style)
        spec.merge(head, col, head, col + per_month - 1)
        if gantt.weeks:
            for w in range(per_month):
                spec.put(head + 1, col + w, w + 1, style.but(size=8, border="thin"))
    spec.heights[head] = 30
    spec.freeze = (head_last + 1, first_month_col)
    spec.repeat_rows = (head, head_last)

    # one row per dated activity
    row = head_last + 1
    if not gantt.activities:
        spec.put(row, 1, NONE_AR, Style(italic=True, color="595959", align="center"))
        spec.merge(row, 1, row, last_col)
        row += 1
    for act in gantt.activities:
        _put_activity(spec, row, act, gantt)
        colour = SECTION_COLOURS.get(act.section, "A5A5A5")
        slots = act.weeks if gantt.weeks else act.months
        for i, on in enumerate(slots):
            col = first_month_col + i
            month = i // per_month + 1
            if on:
                spec.put(row, col, None, Style(fill=colour, border="thin", border_color="FFFFFF"))
            else:
                spec.put(row, col, None, Style(fill=NOW_TINT if month == now else None, border="thin",
                                               border_color="D9D9D9"))
        row += 1

    # legend: one swatch per section present, then the markers used
    row += 1
    spec.put(row, 1, LEGEND_AR, Style(bold=True, align="right"))
    row += 1
    for key in gantt.sections or GANTT_SECTIONS:
        spec.put(row, 1, schema.section(key).sheet,
                 Style(fill=SECTION_COLOURS[key], bold=True, align="center", border="thin",
                       border_color="FFFFFF"))
        row += 1
    if now is not None:
        spec.put(row, 1, NOW_AR, Style(fill=NOW_FILL, bold=True, align="center", border="medium",
                                       border_color=OUTSIDE_COLOUR))
        row += 1
    if any(a.clipped for a in gantt.activities):
        spec.put(row, 1, OUTSIDE_AR, Style(color=OUTSIDE_COLOUR, bold=True, align="center", wrap=True))
        spec.heights[row] = 30
        row += 1

    # rows the chart cannot place, so the officer sees what to date
    if gantt.undated:
        row += 1
        spec.put(row, 1, UNDATED_AR, Style(bold=True, size=12, align="right"))
        spec.merge(row, 1, row, len(HEADERS_AR))
        row += 1
        for col, text in enumerate(HEADERS_AR, 1):
            spec.put(row, col, text, head_style)
        row += 1
        for act in gantt.undated:
            _put_activity(spec, row, act, gantt)
            row += 1
    return spec


def _put_activity(spec: SheetSpec, row: int, act: Activity, gantt: Gantt) -> None:
    """The five text columns of an activity; the section name links back to the row it came from."""
    text = Style(wrap=True, border="thin", border_color="BFBFBF", align="right")
    missing = text.but(italic=True, color="808080")
    # The link sits on the short section name: LibreOffice does not wrap a linked cell's text,
    # and activity labels are often long.
    link = internal_link(act.cell) if act.cell else None
    spec.put(row, 1, schema.section(act.section).sheet,
             text.but(wrap=False, color=LINK_COLOUR, underline=True) if link else text, link)
    spec.put(row, 2, act.label or schema.MISSING_AR, text if act.label else missing)
    spec.put(row, 3, act.responsible, text)
    for col, value, raw in ((4, act.start, act.start_raw), (5, act.end, act.end_raw)):
        if isinstance(value, dt.date):
            outside = gantt.year is not None and value.year != gantt.year
            spec.put(row, col, value, text.but(align="center", number_format=DATE_FORMAT,
                                               color=OUTSIDE_COLOUR if outside else None,
                                               bold=outside))
        elif raw:
            spec.put(row, col, raw, text.but(align="center", color=OUTSIDE_COLOUR))
        else:
            spec.put(row, col, schema.MISSING_AR, missing.but(align="center"))
    lines = max(1, -(-len(act.label) // _CHARS_PER_LINE), -(-len(act.responsible) // 22))
    if lines > 1:
        spec.heights[row] = 15 * lines + 2


def default_output(path: Path) -> Path:
    """`<stem>_gantt<suffix>` beside the plan: the same kind of file (.xlsm keeps its macros)."""
    return path.with_name(f"{path.stem}_gantt{path.suffix}")


def write_gantt(path: str | Path, output: str | Path | None = None, *, weeks: bool = False,
                today: dt.date | None = None) -> Path:
    """Write a new workbook = the plan plus the sheet «مخطط غانت»; the plan file is never re-saved.

    Returns the path written. Raises OdplanError when the plan cannot be read or the output
    would replace it.
    """
    # imported here so the model and the sheet description stay usable without openpyxl
    from .reader import read_plan
    from .xlsx.write import write_sheet_copy

    path = Path(path)
    out = Path(output) if output is not None else default_output(path)
    refuse_overwrite_input(out, path)
    plan, _findings = read_plan(path)
    spec = gantt_sheet(build_gantt(plan, weeks=weeks), today=today)
    return write_sheet_copy(path, out, spec)
