"""The follow-up figures of each body in the national picture, when its plan carries «حالة التنفيذ»."""

from __future__ import annotations

import datetime as dt
from typing import Any

from odplan_xl.coordinator.figures import Figures
from odplan_xl.plan.model import Plan
from odplan_xl.plan.progress import STATE_AR, STATES, progress
from odplan_xl.sheets.spec import SheetSpec, Style

SHEET = "متابعة التنفيذ"
_HEADER = Style(bold=True, color="FFFFFF", fill="1F4E78", border="thin", wrap=True, align="center")
_BODY = Style(border="thin")
_TOTAL = Style(bold=True, border="thin", fill="DDEBF7")


def record(plan: Plan, today: dt.date | None = None) -> dict[str, Any]:
    """The body's counts per state and its datasets published / planned, or nothing when not followed up."""
    f = progress(plan, today or dt.date.today())
    if not f.followed:
        return {}
    published, planned = f.datasets
    return {"progress": {**f.total, "published": published, "planned_datasets": planned,
                         "date": f.today.isoformat()}}


def sheets(f: Figures) -> list[SheetSpec]:
    """One row per followed-up body (none: no sheet), then the totals."""
    bodies = [b for b in f.bodies if b.record.get("progress")]
    if not bodies:
        return []
    spec = SheetSpec(title=SHEET, rtl=True, freeze=(2, 2), landscape=True, fit_width=True)
    labels = ["الهيكل", *(STATE_AR[s] for s in STATES), "مجموعات البيانات المنشورة", "مجموعات البيانات المبرمجة"]
    keys = [*STATES, "published", "planned_datasets"]
    for col, label in enumerate(labels, 1):
        spec.put(1, col, label, _HEADER)
        spec.widths[col] = 30 if col == 1 else 13
    for row, body in enumerate(bodies, 2):
        spec.put(row, 1, body.name, _BODY)
        for col, key in enumerate(keys, 2):
            spec.put(row, col, body.record["progress"][key], _BODY.but(align="center"))
    last = len(bodies) + 2
    spec.put(last, 1, "المجموع العام", _TOTAL)
    for col, key in enumerate(keys, 2):
        spec.put(last, col, sum(b.record["progress"][key] for b in bodies), _TOTAL.but(align="center"))
    return [spec]
