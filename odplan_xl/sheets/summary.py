"""The batch summary as a sheet description (summary.xlsx): one row per plan, its facts and its columns.

Batch's summary.xlsx and national's «الخطط» are built by this code; summary.json is `app/summary.py`."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from odplan_xl import schema
from odplan_xl.sheets.spec import (
    AMOUNT_FORMAT,
    HEADER_FILL,
    HEADER_TEXT,
    SheetSpec,
    Style,
)

TITLE = "ملخص الخطط"
MONEY = AMOUNT_FORMAT
PERCENT = "0.0%"

RESULT_AR = {
    "complete": "مكتملة",
    "incomplete": "غير مكتملة",
    "refused": "مرفوضة (أخطاء)",
    "unreadable": "تعذرت القراءة",
    "failed": "تعذر التحويل",
}
RESULT_FR = {
    "complete": "complet",
    "incomplete": "incomplet",
    "refused": "refusé (erreurs)",
    "unreadable": "illisible",
    "failed": "échec de la conversion",
}
if TYPE_CHECKING:             # the batch's parent process never reads a plan: no models to import
    from odplan_xl.plan.model import Plan
    from odplan_xl.rules.findings import Report

_RESULT_FILL = {"complete": "E2EFDA", "incomplete": "FFF2CC", "refused": "FCE4D6",
                "unreadable": "F8CBAD", "failed": "F8CBAD"}

def facts(plan: Plan, report: Report) -> dict[str, Any]:
    """The figures of one plan that a summary row shows (batch and national share them); the budget
    is the report's (plan.derived), as in Word and `check`."""
    return {"structure": plan.structure, "year": plan.cover.get("year"),
            "status": str(plan.cover.get("status") or ""), "completeness": round(report.score, 1),
            "errors": len(report.errors), "warnings": len(report.warnings),
            "datasets": len(plan.sections["datasets"].rows),
            "trainings": len(plan.sections["trainings"].rows),
            "budget_total": report.budget.total, "budget_by_source": dict(report.budget.by_source),
            "findings": [f.to_dict() for f in report.findings]}


def sources(records: list[dict[str, Any]]) -> list[str]:
    """The funding sources shown as columns: the schema's, then every other one met in the records."""
    out = list(schema.FUNDING_SOURCES)
    for rec in records:
        for source in rec.get("budget_by_source") or {}:
            if source not in out:
                out.append(source)
    if schema.UNSPECIFIED_SOURCE_AR in out:      # lines without a source: always the last column
        out.append(out.pop(out.index(schema.UNSPECIFIED_SOURCE_AR)))
    return out


# (record key, Arabic header, width)
COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("file", "الملف", 36),
    ("structure", "اسم الهيكل", 34),
    ("year", "سنة الخطة", 9),
    ("status", "حالة الخطة", 24),
    ("result", "النتيجة", 15),
    ("completeness", "نسبة الاكتمال", 10),
    ("errors", "الأخطاء", 8),
    ("warnings", "التنبيهات", 9),
    ("datasets", "مجموعات البيانات المبرمجة", 12),
    ("trainings", "الدورات التكوينية", 11),
    ("budget_total", "الميزانية الجملية (د.ت)", 16),
    ("output", "ملف Word", 30),
    ("pdf", "ملف PDF", 30),
    ("note", "السبب أو الملاحظة", 70),
)

HEADER = Style(bold=True, fill=HEADER_FILL, color=HEADER_TEXT, wrap=True, align="center", border="thin")
BODY = Style(border="thin", valign="top")
TOTAL = Style(bold=True, fill="D9E1F2", border="thin")


def _link(target: str | None, outdir: Path) -> str | None:
    """A link relative to the summary's folder, so the folder can be moved or shared as a whole."""
    if not target:
        return None
    try:
        rel = os.path.relpath(target, outdir)
    except ValueError:            # another drive on Windows
        rel = str(target)
    return rel.replace(os.sep, "/")


def note(rec: dict[str, Any]) -> str:
    """Why a plan is not complete, in Arabic: the reason it failed, or its first error and how many."""
    parts = []
    if rec.get("reason"):
        parts.append(rec["reason"]["ar"])
    elif rec["errors"]:
        first = next((f for f in rec["findings"] if f["severity"] == "error"), None)
        head = f"{rec['errors']} خطأ"
        parts.append(f"{head} — أولها: {first['ar']} ({first['address']})" if first else head)
    if rec.get("pdf_error"):
        parts.append(rec["pdf_error"]["ar"])
    if rec.get("skipped"):
        parts.append("لم يُعَد التحويل: الوثيقة أحدث من الملف.")
    return " · ".join(parts)


def ltr(text: str) -> str:
    """A path shown in a right-to-left cell: a leading "/" would otherwise jump to the far end."""
    return f"\u200e{text}" if text[:1] in "/\\." else text


def _cell_value(rec: dict[str, Any], key: str) -> Any:
    if key == "result":
        return RESULT_AR.get(rec["result"], rec["result"])
    facts = ("completeness", "errors", "warnings", "datasets", "trainings", "budget_total")
    if not rec.get("read") and (key in facts or key.startswith("budget:")):
        return None                  # never read: blank, not a misleading zero
    if key == "completeness":
        return rec["completeness"] / 100
    if key.startswith("budget:"):
        return (rec.get("budget_by_source") or {}).get(key.split(":", 1)[1])
    if key in ("output", "pdf"):
        return Path(rec[key]).name if rec.get(key) else None
    if key == "note":
        return note(rec) or None
    if key == "file":
        return ltr(rec["file"])
    return rec.get(key)


def columns(records: list[dict[str, Any]], *, documents: bool = True) -> tuple[tuple[str, str, float], ...]:
    """The summary's columns for these records: one per funding source met; without the Word/PDF
    columns when no document is written (national)."""
    out = []
    for key, header, width in COLUMNS:
        if key.startswith("budget:"):
            continue
        if not documents and key in ("output", "pdf"):
            continue
        out.append((key, header, width))
        if key == "budget_total":
            out += [(f"budget:{source}", f"{source} (د.ت)", 16) for source in sources(records)]
    return tuple(out)


def sheet(records: list[dict[str, Any]], outdir: Path, *, title: str = TITLE,
          cols: tuple[tuple[str, str, float], ...] | None = None) -> SheetSpec:
    """summary.xlsx as a sheet description: header, one row per plan, a totals row."""
    cols = cols or columns(records)
    spec = SheetSpec(title=title, rtl=True, freeze=(2, 2), landscape=True, fit_width=True,
                     repeat_rows=(1, 1))
    for col, (_, header, width) in enumerate(cols, 1):
        spec.put(1, col, header, HEADER)
        spec.widths[col] = width
    spec.heights[1] = 45
    money_cols = [k for k, _, _ in cols if k.startswith("budget")]
    for row, rec in enumerate(records, 2):
        for col, (key, _, width) in enumerate(cols, 1):
            value = _cell_value(rec, key)
            style = BODY
            if key in money_cols:
                style = BODY.but(number_format=MONEY)
            elif key == "completeness":
                style = BODY.but(number_format=PERCENT)
            elif key == "result":
                style = BODY.but(fill=_RESULT_FILL.get(rec["result"]), align="center")
            elif key == "note":
                style = BODY.but(wrap=True)
                lines = -(-len(value or "") // int(width * 1.2))   # Arabic letters are narrow
                if lines > 1:
                    spec.heights[row] = 15 * min(lines, 8)
            link = None
            if key in ("output", "pdf"):
                link = _link(rec.get(key), outdir)
            elif key == "file":
                link = _link(rec.get("path"), outdir)
            spec.put(row, col, value, style, link)
    last = len(records) + 2
    plans = sum(1 for rec in records if rec.get("read") or rec.get("skipped"))
    unread = len(records) - plans          # files that could not be read are no plans: counted apart
    spec.put(last, 1, f"المجموع: {plans} خطة" + (f" و{unread} ملف تعذرت قراءته" if unread else ""), TOTAL)
    for col, (key, _, _) in enumerate(cols, 1):
        if col == 1:
            continue
        value: Any = None
        style = TOTAL
        if key in ("errors", "warnings", "datasets", "trainings"):
            value = sum(int(r.get(key) or 0) for r in records)
        elif key in money_cols:
            value = sum((_cell_value(r, key) or Decimal(0) for r in records), Decimal("0.000"))
            style = TOTAL.but(number_format=MONEY)
        elif key == "result":
            done = sum(1 for r in records if r["result"] == "complete")
            value = f"{done} مكتملة"
        spec.put(last, col, value, style)
    return spec
