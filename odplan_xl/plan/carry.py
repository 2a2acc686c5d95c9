"""The next year's plan started from this one: what is carried over, what is left, and the mark of a carried row.

Carried: the cover's body, officer and contacts; the team that prepared the plan; sections 1 and 2
(objectives, team and partners) and every tool of section 5 not cancelled; in sections 3 to 10 every
row neither «منجز» nor «ملغى»; the sections' introductions (a draft to revise). A carried activity keeps
its content and its follow-up note, its note starts with «مرحّل من خطة YEAR» (the column «ملاحظات
المتابعة»: the plan's document never prints it), its dates are emptied for the officer to set (the
checker asks for them), and its «حالة التنفيذ» restarts at «مبرمج» (kept «بصدد الإنجاز» when it was).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from odplan_xl import schema
from odplan_xl.plan import progress
from odplan_xl.plan.model import Plan, Row

# Cover fields carried to the next year (the year, status and dates are the new plan's own).
COVER_CARRIED = ("structure", "officer", "officer_title", "officer_email", "officer_phone")
WHOLE = ("objectives", "team")      # sections carried whole: not activities of the year


@dataclass
class Carried:
    """What went into the next plan and what stayed behind, per section key."""

    year: int
    from_year: int | None
    data: dict[str, Any]                                   # PlanData for the workbook builder
    carried: dict[str, int] = field(default_factory=dict)
    left: dict[str, dict[str, int]] = field(default_factory=dict)   # key -> {"done": n, "cancelled": n}
    intros: int = 0


def carried_mark(year: int | None) -> str:
    """«مرحّل من خطة 2027»: where a carried row's follow-up note starts."""
    return schema.CARRIED_AR.format(year=year if year is not None else "")


def _values(spec: schema.Section, row: Row) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col in spec.columns:
        if col.computed:
            continue
        value = row.get(col.key)
        if isinstance(value, bool):           # yes/no as the officer reads it, not TRUE/FALSE
            value = schema.YES_AR if value else schema.NO_AR
        out[col.key] = value
    return out


def _activity(spec: schema.Section, row: Row, mark: str) -> dict[str, Any]:
    values = _values(spec, row)
    for col in spec.columns:
        if col.is_date:
            values[col.key] = None
    note = str(row.get("follow_note") or "").strip()
    if not note.startswith(mark):
        note = f"{mark} — {note}" if note else mark
    values["follow_note"] = note
    values["progress"] = schema.PROGRESS_ONGOING if progress.choice(row) == schema.PROGRESS_ONGOING else None
    return values


def carry_over(plan: Plan, year: int) -> Carried:
    """The PlanData of the next year's plan (status «مسودة») and the account of what was carried."""
    mark = carried_mark(plan.year)
    cover = {k: plan.cover.get(k) for k in COVER_CARRIED if plan.cover.get(k) is not None}
    cover.update(year=year, status=schema.STATUS_DRAFT)
    authors = [_values(schema.AUTHORS, r) for r in plan.authors.rows]
    out = Carried(year=year, from_year=plan.year,
                  data={"cover": cover, "authors": authors, "sections": {}, "intro": {}})
    for spec in schema.SECTIONS:
        data = plan.sections[spec.key]
        rows: list[dict[str, Any]] = []
        left = {"done": 0, "cancelled": 0}
        for row in data.rows:
            state = progress.choice(row)
            if spec.key in WHOLE:
                rows.append(_values(spec, row))
            elif state == schema.PROGRESS_CANCELLED:
                left["cancelled"] += 1
            elif state == schema.PROGRESS_DONE and spec.key == "tools":
                # a tool made this year is still the body's tool: listed again, to be dated
                values = _activity(spec, row, mark)
                values["follow_note"] = str(row.get("follow_note") or "") or None
                rows.append(values)
            elif state == schema.PROGRESS_DONE:
                left["done"] += 1
            else:
                rows.append(_activity(spec, row, mark))
        out.data["sections"][spec.key] = rows
        out.carried[spec.key] = len(rows)
        if spec.followed_up:
            out.left[spec.key] = left
        if data.intro:
            out.data["intro"][spec.key] = data.intro
            out.intros += 1
    return out


def default_year(plan: Plan) -> int | None:
    return plan.year + 1 if plan.year is not None else None
