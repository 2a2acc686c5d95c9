"""Completeness and consistency rules of the template, applied to a plan: the Report."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from odplan_xl import codes, schema
from odplan_xl.plan import derived, progress
from odplan_xl.plan.display import format_date
from odplan_xl.plan.derived import CRITERIA, budget_totals, priority
from odplan_xl.plan.model import Plan, SectionData
from odplan_xl.rules.findings import Finding, Report, SectionScore, Severity

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def check_plan(plan: Plan, findings: Iterable[Finding] = (), *, today: dt.date | None = None) -> Report:
    """All rules of the template on a plan already read; `findings` are those met while reading.

    The plan is only read, never changed: derived values (budget totals, priorities) go in the Report.
    `today` is the date the follow-up is judged on (late activities; default: today).
    """
    out = list(findings)
    today = today or dt.date.today()
    scores = [_cover(plan, out)]
    for spec in schema.SECTIONS:
        scores.append(_section(plan, plan.sections[spec.key], spec, out))
        _follow_up(plan.sections[spec.key], spec, today, out)
    _datasets(plan, out)
    _budget(plan, out)
    _plan_year(plan, out)
    out = _dedupe(out)
    errors = sum(1 for f in out if f.severity is Severity.ERROR)
    status = plan.cover.get("status")
    if status == schema.STATUS_FINAL and errors:
        sheet, _, cell = plan.cover_cells.get("status", "!").rpartition("!")
        out.insert(0, codes.make("not-final", sheet=sheet, cell=cell, field="status", section="cover",
                                 n=errors))
    return Report(findings=out, sections=scores, status=str(status or ""), source=plan.source or "",
                  budget=budget_totals(plan),
                  priorities={row.number: priority(row) for row in plan.sections["datasets"].rows})


def _split(address: str) -> tuple[str, str]:
    sheet, _, cell = address.rpartition("!")
    return sheet, cell


def _cover(plan: Plan, out: list[Finding]) -> SectionScore:
    score = SectionScore(key="cover", sheet=schema.COVER_SHEET)
    already = {f.field for f in out if f.section == "cover"}
    for col in schema.COVER_FIELDS:
        if col.key not in plan.cover_cells:
            continue
        sheet, cell = _split(plan.cover_cells[col.key])
        value = plan.cover.get(col.key)
        if col.required:
            score.required += 1
            if value is not None:
                score.filled += 1
            elif col.key not in already:
                out.append(codes.make("missing-value", sheet=sheet, cell=cell, field=col.key,
                                      field_ar=col.ar, field_fr=col.fr, section="cover"))
        if col.kind is schema.Kind.EMAIL and isinstance(value, str) and not _EMAIL.fullmatch(value):
            out.append(codes.make("bad-email", sheet=sheet, cell=cell, field=col.key, section="cover",
                                  value=value))
    prepared, updated = plan.cover.get("prepared"), plan.cover.get("updated")
    if isinstance(prepared, dt.date) and isinstance(updated, dt.date) and updated < prepared:
        sheet, cell = _split(plan.cover_cells["updated"])
        out.append(codes.make("update-before-prepared", sheet=sheet, cell=cell, field="updated",
                              section="cover"))
    authors = plan.authors
    score.rows = len(authors.rows)
    if authors.header_cells:
        _required_cells(authors, schema.AUTHORS, out, score)
        if not authors.rows:
            score.required += 1
            sheet, cell = _split(next(iter(authors.header_cells.values())))
            out.append(codes.make("missing-authors", sheet=sheet, cell=cell, section="cover"))
    return score


def _required_cells(data: SectionData, spec: schema.Section, out: list[Finding],
                    score: SectionScore) -> None:
    """missing-value for every empty required cell of every filled row (unless already reported)."""
    reported = {(f.sheet, f.cell) for f in out if f.section == spec.key}
    required = [c for c in spec.required_columns if c.key in data.header_cells]
    score.required += len(required) * len(data.rows)
    for row in data.rows:
        values = row.values
        for col in required:
            if values.get(col.key) is not None:
                score.filled += 1
                continue
            sheet, cell = _split(row.cells[col.key])
            if (sheet, cell) not in reported:
                out.append(codes.make("missing-value", sheet=sheet, cell=cell, field=col.key,
                                      field_ar=col.ar, field_fr=col.fr, section=spec.key))


def _section(plan: Plan, data: SectionData, spec: schema.Section, out: list[Finding]) -> SectionScore:
    score = SectionScore(key=spec.key, sheet=data.sheet, rows=len(data.rows),
                         not_applicable=bool(data.na_reason))
    na_sheet, na_cell = _split(data.na_cell or f"{data.sheet}!")
    if not data.header_cells:           # the table is missing: already reported by the reader
        score.required = 1
        return score
    if not data.rows:
        if not data.na_reason:
            score.required = 1
            out.append(codes.make("empty-section", sheet=na_sheet, cell=na_cell, section=spec.key,
                                  n=spec.number))
        return score
    if data.na_reason:
        out.append(codes.make("na-with-rows", sheet=na_sheet, cell=na_cell, section=spec.key,
                              n=spec.number))
    _required_cells(data, spec, out, score)
    for sub in spec.subsections:
        if not data.subsection_rows(sub.value):
            out.append(codes.make("empty-subsection", sheet=data.sheet, section=spec.key, n=sub.code))
    _dates(plan, data, spec, out)
    _duplicates(data, spec, out)
    return score


def _dates(plan: Plan, data: SectionData, spec: schema.Section, out: list[Finding]) -> None:
    year = plan.year
    date_cols = [c.key for c in spec.columns if c.kind is schema.Kind.DATE]
    for row in data.rows:
        start = row.get(spec.start) if spec.start else None
        end = row.get(spec.end) if spec.end else None
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            sheet, cell = _split(row.cells[spec.end])
            out.append(codes.make("end-before-start", sheet=sheet, cell=cell, field=spec.end,
                                  section=spec.key, row=row.number))
        if year is None:
            continue
        for key in date_cols:
            value = row.get(key)
            if isinstance(value, dt.date) and value.year != year:
                sheet, cell = _split(row.cells[key])
                out.append(codes.make("outside-plan-year", sheet=sheet, cell=cell, field=key,
                                      section=spec.key, year=year))


def _follow_up(data: SectionData, spec: schema.Section, today: dt.date, out: list[Finding]) -> None:
    """«منجز» before the start date, and «نشاط متأخر»: judged on `today`.

    Only where the table has the column «حالة التنفيذ»: a workbook without it is checked as before.
    """
    if "progress" not in data.header_cells:
        return
    for row in data.rows:
        if progress.done_too_early(spec, row, today):
            sheet, cell = _split(row.cells.get("progress") or row.cells[spec.start])
            out.append(codes.make("done-before-start", sheet=sheet, cell=cell, field="progress",
                                  section=spec.key, row=row.number, value=format_date(progress.dates(spec, row)[0])))
        elif progress.is_late(spec, row, today):
            end = progress.dates(spec, row)[1]
            sheet, cell = _split(row.cells.get("progress") or row.cells[spec.end or spec.start])
            out.append(codes.make("late-activity", sheet=sheet, cell=cell, field="progress",
                                  section=spec.key, row=row.number, value=format_date(end)))


def _duplicates(data: SectionData, spec: schema.Section, out: list[Finding]) -> None:
    seen: dict[tuple[Any, ...], int] = {}
    typed = [c.key for c in spec.columns if not c.computed]
    for row in data.rows:
        values = row.values
        key = tuple([values.get(k) for k in typed])
        if key in seen:
            sheet, cell = _split(next(iter(row.cells.values())))
            out.append(codes.make("duplicate-row", sheet=sheet, cell=cell, section=spec.key,
                                  row=row.number, other=seen[key]))
        else:
            seen[key] = row.number


def _datasets(plan: Plan, out: list[Finding]) -> None:
    for row in plan.sections["datasets"].rows:
        if all(row.get(k) is False for k in CRITERIA):
            sheet, cell = _split(row.cells.get("crit_quality", "!"))
            out.append(codes.make("no-criteria-met", sheet=sheet, cell=cell, section="datasets",
                                  row=row.number))


def _budget(plan: Plan, out: list[Finding]) -> None:
    budget = plan.sections["budget"]
    by_sheet = {s.sheet: s.key for s in schema.SECTIONS}
    for row in budget.rows:
        amount = row.get("amount")
        if isinstance(amount, Decimal) and amount < 0:
            sheet, cell = _split(row.cells["amount"])
            out.append(codes.make("negative-amount", sheet=sheet, cell=cell, field="amount",
                                  section="budget", value=amount))
        related = by_sheet.get(row.get("section") or "")
        if related and related != "budget" and not plan.sections[related].rows:
            sheet, cell = _split(row.cells["section"])
            out.append(codes.make("budget-without-activity", sheet=sheet, cell=cell, field="section",
                                  section="budget", row=row.number, value=row.get("section")))
    for row in derived.total_lines(plan):
        sheet, cell = _split(row.cells.get("activity") or row.cells.get("amount", "!"))
        out.append(codes.make("total-line", sheet=sheet, cell=cell, section="budget", row=row.number))
    if budget.rows and not any(isinstance(r.get("amount"), Decimal) and r.get("amount") > 0
                               for r in budget.rows):
        out.append(codes.make("no-budget", sheet=budget.sheet, section="budget"))


def _plan_year(plan: Plan, out: list[Finding]) -> None:
    """Most dates in another year than the cover's: one error at the year, not a warning per date."""
    year = derived.dates_year(plan)
    if year is None:
        return
    out[:] = [f for f in out if f.code != "outside-plan-year"]
    sheet, cell = _split(plan.cover_cells.get("year", f"{schema.COVER_SHEET}!"))
    out.append(codes.make("year-mismatch", sheet=sheet, cell=cell, field="year", section="cover", year=year))


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """The same finding once. The message is part of the key: two findings of one code at the same
    place but about different things (subsections 7.1 and 7.2 of one sheet) are both kept."""
    seen, out = set(), []
    for f in findings:
        key = (f.code, f.sheet, f.cell, f.field, f.fr)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
