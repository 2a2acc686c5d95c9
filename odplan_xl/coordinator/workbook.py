"""national.xlsx as sheet descriptions: dashboard with native charts, overview, publication calendar,
datasets per month and body, trainings, budget."""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

from odplan_xl import schema
from odplan_xl.coordinator import followup
from odplan_xl.coordinator.figures import CELL_AR, COMPLETE, INVALID, MISSING, STATES, UNDATED, Figures
from odplan_xl.sheets import summary
from odplan_xl.sheets.spec import Chart, ColorScale, Series, SheetSpec, Style, Table
from odplan_xl.xlsx.book import write_book

DASHBOARD = "لوحة القيادة"
OVERVIEW = "الخطط"
CALENDAR = "روزنامة النشر"
MONTHS = "البيانات حسب الشهر"
TRAININGS = "التكوين"
BUDGET = "الميزانية"
OTHER_YEARS = "خطط سنوات أخرى"

MONEY = summary.MONEY
TITLE = Style(bold=True, size=14, color="1F3864")
HEADER = summary.HEADER
BODY = summary.BODY
TOTAL = summary.TOTAL
LABEL = Style(bold=True, fill="D9E1F2", border="thin")

MONTH_COLUMNS = (*schema.MONTHS_AR, UNDATED)
ROW_CM = 0.53            # a row of the default height (15 points), to place charts one under the other
STATE_COLORS = ("548235", "ED7D31", "C00000")       # valid, invalid, missing (the report's colours)
STATE_STYLES = {COMPLETE: BODY.but(fill="E2EFDA"), INVALID: BODY.but(fill="FCE4D6", bold=True),
                MISSING: BODY.but(fill="F8CBAD", bold=True)}


def _header(spec: SheetSpec, row: int, labels: list[str] | tuple[str, ...], widths: list[float]) -> None:
    for col, (label, width) in enumerate(zip(labels, widths, strict=True), 1):
        spec.put(row, col, label, HEADER)
        spec.widths[col] = width


def dashboard(f: Figures) -> SheetSpec:
    """Key figures, the small tables the charts draw from, and the three charts."""
    spec = SheetSpec(title=DASHBOARD, rtl=True, show_grid=False, landscape=True, fit_width=True)
    spec.widths.update({1: 34, 2: 16, 3: 16, 4: 16, 5: 20, 6: 3})
    spec.put(1, 1, f"الصورة الوطنية للخطط السنوية لأنشطة البيانات المفتوحة — {f.year or ''}".strip(" —"), TITLE)
    row = 3
    for label, value in f.key_figures():
        fmt = MONEY if isinstance(value, Decimal) else None
        spec.put(row, 1, label, LABEL)
        spec.put(row, 2, value, BODY.but(number_format=fmt, bold=True))
        row += 1

    # data of the charts, read by Excel from these cells
    row += 1
    month_head = row
    spec.put(row, 1, "الشهر", HEADER)
    spec.put(row, 2, "مجموعات البيانات", HEADER)
    for k, name in enumerate(schema.MONTHS_AR):
        spec.put(row + 1 + k, 1, name, BODY)
        spec.put(row + 1 + k, 2, f.months[k], BODY)
    spec.put(row + 13, 1, UNDATED, BODY)
    spec.put(row + 13, 2, f.months[12], BODY)
    row += 15
    source_head = row
    spec.put(row, 1, "مصدر التمويل", HEADER)
    spec.put(row, 2, "المبلغ (د.ت)", HEADER)
    for k, source in enumerate(f.sources, 1):
        spec.put(row + k, 1, source, BODY)
        spec.put(row + k, 2, f.budget(source), BODY.but(number_format=MONEY))
    spec.put(row + len(f.sources) + 1, 1, "المجموع العام", TOTAL)
    spec.put(row + len(f.sources) + 1, 2, f.budget_total, TOTAL.but(number_format=MONEY))
    row += len(f.sources) + 3
    body_head = row
    spec.put(row, 1, "الهيكل", HEADER)
    for col, state in enumerate(STATES, 2):
        spec.put(row, col, CELL_AR[state], HEADER)
    spec.put(row, 5, "حالة الخطة", HEADER)
    spec.widths.update({4: 16, 5: 20})
    spec.heights[row] = 30
    for k, body in enumerate(f.bodies, 1):
        spec.put(row + k, 1, body.name, BODY)
        for col, share in enumerate(body.cells.shares(), 2):
            spec.put(row + k, col, share, BODY.but(number_format="0.0%"))
        spec.put(row + k, 5, body.state_ar, STATE_STYLES[body.state])

    spec.charts.append(Chart(
        "column", "البيانات المبرمجة حسب شهر النشر",
        categories=(month_head + 1, 1, month_head + 12, 1),
        series=(Series("مجموعات البيانات", (month_head + 1, 2, month_head + 12, 2)),),
        anchor=(2, 7), width_cm=16, height_cm=9, value_title="عدد مجموعات البيانات"))
    budget_height = max(6.0, 1.4 * len(f.sources) + 3)
    spec.charts.append(Chart(
        "bar", "الميزانية حسب مصدر التمويل (د.ت)",
        categories=(source_head + 1, 1, source_head + len(f.sources), 1),
        series=(Series("المبلغ", (source_head + 1, 2, source_head + len(f.sources), 2)),),
        anchor=(21, 7), width_cm=16, height_cm=budget_height, value_format="#,##0"))
    if f.bodies:
        last = body_head + len(f.bodies)
        spec.charts.append(Chart(
            "bar", "الخانات الإلزامية لكل خطة: صحيحة، غير صحيحة، فارغة",
            categories=(body_head + 1, 1, last, 1),
            series=tuple(Series(CELL_AR[state], (body_head + 1, col, last, col), color)
                         for col, (state, color) in enumerate(zip(STATES, STATE_COLORS, strict=True), 2)),
            anchor=(22 + math.ceil(budget_height / ROW_CM), 7), width_cm=16, height_cm=min(120.0, max(8.0, 0.6 * len(f.bodies) + 4)),
            value_format="0%", value_range=(0.0, 1.0), stacked=True, legend=True))
    return spec


def overview(f: Figures, outdir: Path) -> SheetSpec:
    """One row per body (the batch summary's builder and columns, without documents)."""
    records = f.overview_records
    return summary.sheet(records, outdir, title=OVERVIEW, cols=summary.columns(records, documents=False))


CALENDAR_COLUMNS = (
    ("الهيكل", "Structure", 30), ("مجموعة البيانات", "Jeu de données", 34), ("الوصف", "Description", 36),
    ("الإدارة المنتجة", "Direction productrice", 24), ("تاريخ النشر المبرمج", "Date prévue", 13),
    ("الشهر", "Mois", 10), ("الصيغة", "Format", 9), ("دورية التحيين", "Fréquence", 12),
    ("درجة الأولوية", "Priorité", 10), ("قناة النشر", "Canal", 28),
)


def calendar(f: Figures) -> SheetSpec:
    """Every planned dataset, by date: an Excel Table (sort and filter)."""
    spec = SheetSpec(title=CALENDAR, rtl=True, freeze=(2, 3), landscape=True, fit_width=True,
                     repeat_rows=(1, 1))
    _header(spec, 1, [f"{ar}\n{fr}" for ar, fr, _ in CALENDAR_COLUMNS], [w for _, _, w in CALENDAR_COLUMNS])
    spec.heights[1] = 32
    items = f.calendar()
    for row, (body, ds) in enumerate(items, 2):
        date = ds.get("publish_date")
        month = MONTH_COLUMNS[date.month - 1] if hasattr(date, "month") else UNDATED
        values = (body.name, ds.get("title"), ds.get("description"), ds.get("producer"), date, month,
                  ds.get("format"), ds.get("frequency"), ds.get("priority"), ds.get("channel"))
        for col, value in enumerate(values, 1):
            spec.put(row, col, value, BODY.but(align="center") if col in (5, 6, 7, 9) else BODY)
    last = max(len(items) + 1, 2)         # an Excel Table needs one row under its header
    spec.tables.append(Table("tbl_national_calendar", (1, 1, last, len(CALENDAR_COLUMNS))))
    return spec


def months(f: Figures) -> SheetSpec:
    """Planned datasets per body and month, coloured by count (a heat map)."""
    spec = SheetSpec(title=MONTHS, rtl=True, freeze=(2, 2), landscape=True, fit_width=True,
                     repeat_rows=(1, 1))
    _header(spec, 1, ["الهيكل", *MONTH_COLUMNS, "المجموع"], [30] + [8] * 13 + [9])
    for row, body in enumerate(f.bodies, 2):
        counts = body.months()
        spec.put(row, 1, body.name, BODY)
        for k, n in enumerate(counts):
            spec.put(row, 2 + k, n, BODY.but(align="center"))
        spec.put(row, 15, sum(counts), TOTAL.but(align="center"))
    last = len(f.bodies) + 2
    spec.put(last, 1, "المجموع", TOTAL)
    for k, n in enumerate(f.months):
        spec.put(last, 2 + k, n, TOTAL.but(align="center"))
    spec.put(last, 15, f.datasets, TOTAL.but(align="center"))
    if f.bodies:
        spec.color_scales.append(ColorScale((2, 2, last - 1, 13)))
    return spec


TRAINING_COLUMNS = (
    ("الهيكل", 30, "body"), ("نوع التكوين", 16, "kind"), ("عنوان الدورة", 34, "title"),
    ("الفئة المستهدفة", 24, "audience"), ("عدد المشاركين", 11, "participants"), ("المدة بالأيام", 10, "days"),
    ("تاريخ البداية", 13, "start"), ("تاريخ النهاية", 13, "end"),
)


def trainings(f: Figures) -> SheetSpec:
    """Every planned training with its body (an Excel Table), then the totals."""
    spec = SheetSpec(title=TRAININGS, rtl=True, freeze=(2, 2), landscape=True, fit_width=True,
                     repeat_rows=(1, 1))
    _header(spec, 1, [c[0] for c in TRAINING_COLUMNS], [c[1] for c in TRAINING_COLUMNS])
    row = 1
    for body in f.bodies:
        for t in body.trainings:
            row += 1
            for col, (_, _, key) in enumerate(TRAINING_COLUMNS, 1):
                value = body.name if key == "body" else t.get(key)
                spec.put(row, col, value, BODY.but(align="center") if col >= 5 else BODY)
    last = max(row, 2)
    spec.tables.append(Table("tbl_national_trainings", (1, 1, last, len(TRAINING_COLUMNS))))
    total = last + 2
    spec.put(total, 1, "المجموع", TOTAL)
    spec.put(total, 3, f.trainings, TOTAL.but(align="center"))
    spec.put(total, 5, f.participants, TOTAL.but(align="center"))
    spec.put(total, 6, f.training_days, TOTAL.but(align="center"))
    return spec


def budget(f: Figures) -> SheetSpec:
    """Budget per funding source and body, with the totals of each."""
    spec = SheetSpec(title=BUDGET, rtl=True, freeze=(2, 2), landscape=True, fit_width=True,
                     repeat_rows=(1, 1))
    sources = f.sources
    _header(spec, 1, ["الهيكل", *(f"{s} (د.ت)" for s in sources), "المجموع (د.ت)"],
            [30] + [17] * len(sources) + [18])
    money = BODY.but(number_format=MONEY)
    for row, body in enumerate(f.bodies, 2):
        spec.put(row, 1, body.name, BODY)
        for k, source in enumerate(sources, 2):
            spec.put(row, k, body.budget(source), money)
        spec.put(row, len(sources) + 2, body.budget_total, TOTAL.but(number_format=MONEY))
    last = len(f.bodies) + 2
    spec.put(last, 1, "المجموع العام", TOTAL)
    for k, source in enumerate(sources, 2):
        spec.put(last, k, f.budget(source), TOTAL.but(number_format=MONEY))
    spec.put(last, len(sources) + 2, f.budget_total, TOTAL.but(number_format=MONEY))
    return spec


def other_years(f: Figures) -> SheetSpec:
    """Plans read but left out: another year, or none."""
    spec = SheetSpec(title=OTHER_YEARS, rtl=True, freeze=(2, 1))
    _header(spec, 1, ["الملف", "اسم الهيكل", "سنة الخطة"], [40, 34, 12])
    for row, rec in enumerate(f.other_years, 2):
        spec.put(row, 1, summary.ltr(rec["file"]), BODY)
        spec.put(row, 2, rec.get("structure") or "", BODY)
        year = rec.get("year")
        spec.put(row, 3, year if isinstance(year, int) else "سنة غير محددة", BODY.but(align="center"))
    return spec


def sheets(f: Figures, outdir: Path) -> list[SheetSpec]:
    out = [dashboard(f), overview(f, outdir), calendar(f), months(f), trainings(f), budget(f)]
    out += followup.sheets(f)           # bodies whose plans carry «حالة التنفيذ»
    if f.other_years:
        out.append(other_years(f))
    return out


def write(f: Figures, path: Path) -> Path:
    """national.xlsx, written atomically."""
    return write_book(path, sheets(f, path.parent))
