"""The check report as a sheet «التحقق»: a summary per section, then one linked row per finding."""

from __future__ import annotations

import datetime as dt

from odplan_xl import schema
from odplan_xl.rules.findings import Finding, Report, SectionScore, Severity
from odplan_xl.sheets.spec import (
    GRID_COLOUR,
    HEADER_FILL,
    HEADER_TEXT,
    NOTE_COLOUR,
    TITLE_COLOUR,
    SheetSpec,
    Style,
    internal_link,
)

# Fills Excel users know from its "Good / Neutral / Bad" cell styles.
ERROR_FILL = "FFC7CE"      # light red: also the colour of the offending cells
WARNING_FILL = "FFEB9C"    # light yellow
GOOD_FILL = "C6EFCE"       # light green
ERROR_COLOUR = "9C0006"
GOOD_COLOUR = "006100"

TITLE_AR = "تقرير التحقق من اكتمال الخطة"
COMPLETE_AR = "الخطة مكتملة"
INCOMPLETE_AR = "الخطة غير مكتملة: {errors} خطأ و{warnings} تنبيه"
INVALID_AR = "الخطة تحتوي على قيم غير صالحة: {errors} خطأ و{warnings} تنبيه"
WARNINGS_ONLY_AR = "الخطة مكتملة، مع {warnings} تنبيه"
NOTE_AR = ("أُنشئت هذه الورقة آليا عند الضغط على زر «التحقق من اكتمال الخطة»، وتُعوَّض في كل تحقق. "
           "الخانات المعنية ملونة في أوراق الخطة: الأحمر للأخطاء والأصفر للتنبيهات. "
           "اضغط على عنوان الخانة للانتقال إليها، ثم أعد التحقق بعد التصحيح.")
CHECKED_AR = "تاريخ التحقق: {when}"
SUMMARY_AR = "ملخص الأقسام"
FINDINGS_AR = "الملاحظات"
NO_FINDINGS_AR = "لا توجد ملاحظات."
TOTAL_AR = "المجموع"
SEVERITY_AR = {Severity.ERROR: "خطأ", Severity.WARNING: "تنبيه"}
SUMMARY_HEADERS = ("القسم", "عدد الأسطر", "نسبة الاكتمال", "الأخطاء", "التنبيهات")
FINDING_HEADERS = ("#", "الملاحظة", "الورقة", "الخانة", "النوع", "الرمز")
# A..F, shared by the two tables: the wide column B holds a section's name or a finding's message.
WIDTHS = (5, 70, 24, 14, 11, 20)
_CHARS_PER_LINE = 80
LAST_COL = len(WIDTHS)


def headline(report: Report) -> str:
    """One line for the alert and the sheet: complete, or the number of errors and warnings."""
    errors, warnings = len(report.errors), len(report.warnings)
    if errors:
        text = INVALID_AR if report.state == "invalid" else INCOMPLETE_AR
        return text.format(errors=errors, warnings=warnings)
    if warnings:
        return WARNINGS_ONLY_AR.format(warnings=warnings)
    return COMPLETE_AR


def _section_name(score: SectionScore) -> str:
    if score.key == "cover":
        return schema.COVER_SHEET
    return schema.section(score.key).numbered_heading


def _percent_fill(percent: float) -> str:
    if percent >= 100:
        return GOOD_FILL
    return WARNING_FILL if percent >= 50 else ERROR_FILL


# The report sheet laid out top to bottom, block by block: one layout, kept in one place.
def report_sheet(report: Report, *, now: dt.datetime | None = None) -> SheetSpec:
    """The sheet «التحقق» as a library-free description (the Excel button and the CLI replay it)."""
    now = now or dt.datetime.now()
    spec = SheetSpec(title=schema.REPORT_SHEET, rtl=True, landscape=True, fit_width=True)
    for col, width in enumerate(WIDTHS, 1):
        spec.widths[col] = width

    ok = report.ok
    spec.put(1, 1, TITLE_AR, Style(bold=True, size=15, color=TITLE_COLOUR, align="center"))
    spec.put(2, 1, headline(report),
             Style(bold=True, size=13, align="center", fill=GOOD_FILL if ok else ERROR_FILL,
                   color=GOOD_COLOUR if ok else ERROR_COLOUR))
    spec.put(3, 1, NOTE_AR, Style(italic=True, color=NOTE_COLOUR, align="center", wrap=True))
    spec.put(4, 1, CHECKED_AR.format(when=now.strftime("%d/%m/%Y %H:%M")),
             Style(color=NOTE_COLOUR, align="center"))
    for row in (1, 2, 3, 4):
        spec.merge(row, 1, row, LAST_COL)
    spec.heights[1], spec.heights[2], spec.heights[3] = 26, 24, 34

    head = Style(fill=HEADER_FILL, bold=True, color=HEADER_TEXT, align="center", wrap=True, border="thin")
    text = Style(border="thin", border_color=GRID_COLOUR, align="right", wrap=True)
    number = text.but(align="center", wrap=False)

    # summary: one row per section, its completeness and its findings
    row = 6
    spec.put(row, 2, SUMMARY_AR, Style(bold=True, size=12, align="right"))
    row += 1
    for col, label in enumerate(SUMMARY_HEADERS, 2):
        spec.put(row, col, label, head)
    spec.heights[row] = 30
    row += 1
    for score in report.sections:
        mine = [f for f in report.findings if f.section == score.key]
        errors = sum(1 for f in mine if f.severity is Severity.ERROR)
        warnings = len(mine) - errors
        link = internal_link(f"{score.sheet}!A1") if score.sheet else None
        spec.put(row, 2, _section_name(score), text, link)   # links look like links: spec.written
        spec.put(row, 3, score.rows, number)
        spec.put(row, 4, round(score.percent) / 100, number.but(number_format="0%",
                                                                fill=_percent_fill(score.percent)))
        spec.put(row, 5, errors, number.but(fill=ERROR_FILL) if errors else number)
        spec.put(row, 6, warnings, number.but(fill=WARNING_FILL) if warnings else number)
        row += 1
    total = number.but(bold=True)
    spec.put(row, 2, TOTAL_AR, text.but(bold=True))
    spec.put(row, 3, sum(s.rows for s in report.sections), total)
    spec.put(row, 4, round(report.score) / 100, total.but(number_format="0%",
                                                          fill=_percent_fill(report.score)))
    spec.put(row, 5, len(report.errors), total)
    spec.put(row, 6, len(report.warnings), total)

    # findings: where, how serious, what to do
    row += 2
    spec.put(row, 2, FINDINGS_AR, Style(bold=True, size=12, align="right"))
    row += 1
    for col, label in enumerate(FINDING_HEADERS, 1):
        spec.put(row, col, label, head)
    spec.heights[row] = 30
    spec.repeat_rows = (row, row)
    row += 1
    if not report.findings:
        spec.put(row, 1, NO_FINDINGS_AR, Style(italic=True, color=GOOD_COLOUR, align="center"))
        spec.merge(row, 1, row, LAST_COL)
    for i, finding in enumerate(report.findings, 1):
        _put_finding(spec, row, i, finding, text, number)
        row += 1
    return spec


def _put_finding(spec: SheetSpec, row: int, i: int, finding: Finding, text: Style, number: Style) -> None:
    fill = ERROR_FILL if finding.severity is Severity.ERROR else WARNING_FILL
    spec.put(row, 1, i, number)
    spec.put(row, 2, finding.ar, text)
    spec.put(row, 3, finding.sheet, text)
    if finding.sheet:
        # a finding about a whole sheet or section links to the sheet itself
        target = finding.address if finding.cell else f"{finding.sheet}!A1"
        spec.put(row, 4, finding.cell or "↩", number, internal_link(target))
    else:
        spec.put(row, 4, finding.cell, number)
    spec.put(row, 5, SEVERITY_AR[finding.severity], number.but(fill=fill, bold=True))
    spec.put(row, 6, finding.code, number.but(color=NOTE_COLOUR, size=9))
    lines = max(1, -(-len(finding.ar) // _CHARS_PER_LINE))
    if lines > 1:
        spec.heights[row] = 15 * lines + 3
