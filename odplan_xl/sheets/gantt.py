"""The sheet «مخطط غانت» as a library-free description, from the Gantt model."""

from __future__ import annotations

import datetime as dt

from odplan_xl import schema
from odplan_xl.plan.gantt import (
    GANTT_SECTIONS,
    OTHER_COLOUR,
    SECTION_COLOURS,
    WEEKS_PER_MONTH,
    Activity,
    Gantt,
)
from odplan_xl.sheets.spec import (
    DATE_FORMAT,
    GRID_COLOUR,
    HEADER_FILL,
    HEADER_TEXT,
    NOTE_COLOUR,
    TITLE_COLOUR,
    SheetSpec,
    Style,
    internal_link,
)

NOW_FILL = "FFD966"        # header of the current month
NOW_TINT = "FFF2CC"        # empty cells of the current month
OUTSIDE_COLOUR = "C00000"  # a date outside the plan year (its bar is cut)

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
INFERRED_AR = ("سنة الخطة في الغلاف غير محددة أو لا تطابق تواريخ الأنشطة: اعتُمدت السنة {year}، "
               "الأكثر تكرارا في تواريخ البداية.")
# Characters per printed line of the activity column, to size rows of long, wrapped labels.
_CHARS_PER_LINE = 48


def _title(gantt: Gantt) -> str:
    year = gantt.year if gantt.year is not None else schema.MISSING_AR
    return f"{schema.TITLE_AR} لسنة {year}"


# The sheet laid out top to bottom, row by row: splitting it would scatter one layout over many functions.
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
    spec.put(3, 1, note, Style(italic=True, color=NOTE_COLOUR if not gantt.year_inferred else OUTSIDE_COLOUR,
                               align="center", wrap=True))
    for row in (1, 2, 3):
        spec.merge(row, 1, row, last_col)
    spec.heights[1], spec.heights[3] = 24, 30

    # header: the five columns, then the months (in a right-to-left sheet January is at the right)
    head = 5
    head_last = head + (1 if gantt.weeks else 0)
    head_style = Style(fill=HEADER_FILL, bold=True, color=HEADER_TEXT, align="center", wrap=True,
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
        spec.put(row, 1, NONE_AR, Style(italic=True, color=NOTE_COLOUR, align="center"))
        spec.merge(row, 1, row, last_col)
        row += 1
    for act in gantt.activities:
        _put_activity(spec, row, act, gantt)
        colour = SECTION_COLOURS.get(act.section, OTHER_COLOUR)
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
    text = Style(wrap=True, border="thin", border_color=GRID_COLOUR, align="right")
    missing = text.but(italic=True, color="808080")
    # The link sits on the short section name: LibreOffice does not wrap a linked cell's text,
    # and activity labels are often long.
    link = internal_link(act.cell) if act.cell else None
    spec.put(row, 1, schema.section(act.section).sheet,
             text.but(wrap=False) if link else text, link)
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


