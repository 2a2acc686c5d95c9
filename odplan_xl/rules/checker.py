"""Completeness and consistency rules of the template, applied to a plan: the Report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from odplan_xl import codes, schema
from odplan_xl.plan import derived, progress
from odplan_xl.plan.display import format_date
from odplan_xl.plan.derived import budget_totals, priority
from odplan_xl.plan.model import Plan, SectionData
from odplan_xl.rules import live
from odplan_xl.rules.findings import Finding, Report, SectionScore, Severity


def check_plan(plan: Plan, findings: Iterable[Finding] = (), *, today: dt.date | None = None) -> Report:
    """All rules of the template on a plan already read; `findings` are those met while reading.

    The plan is only read, never changed: derived values (budget totals, priorities) go in the Report.
    `today` is the date the follow-up is judged on (late activities; default: today).
    """
    out = list(findings)
    today = today or dt.date.today()
    base = live.plan_scope(plan)
    scores = [_cover(plan, base, out)]
    for spec in schema.SECTIONS:
        scores.append(_section(plan, plan.sections[spec.key], spec, base, out))
        _follow_up(plan.sections[spec.key], spec, today, out)
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


def _cover(plan: Plan, base: dict[Any, Any], out: list[Finding]) -> SectionScore:
    score = SectionScore(key="cover", sheet=schema.COVER_SHEET)
    already = {f.field for f in out if f.section == "cover"}
    tests = live.checks("cover")
    for col in schema.COVER_FIELDS:
        if col.key not in plan.cover_cells:
            continue
        sheet, cell = _split(plan.cover_cells[col.key])
        value = plan.cover.get(col.key)
        if col.required:
            score.required += 1
            if not tests["missing-value"][col.key](base):
                score.filled += 1
            elif col.key not in already:
                out.append(codes.make("missing-value", sheet=sheet, cell=cell, field=col.key,
                                      field_ar=col.ar, field_fr=col.fr, section="cover"))
        if col.key in tests["bad-email"] and tests["bad-email"][col.key](base):
            out.append(codes.make("bad-email", sheet=sheet, cell=cell, field=col.key, section="cover",
                                  value=value))
        if col.key in tests["update-before-prepared"] and tests["update-before-prepared"][col.key](base):
            out.append(codes.make("update-before-prepared", sheet=sheet, cell=cell, field=col.key,
                                  section="cover"))
    authors = plan.authors
    score.rows = len(authors.rows)
    if authors.header_cells:
        out += _row_rules(authors, schema.AUTHORS, base, out, score)
        if not authors.rows:
            score.required += 1
            sheet, cell = _split(next(iter(authors.header_cells.values())))
            out.append(codes.make("missing-authors", sheet=sheet, cell=cell, section="cover"))
    return score


def _row_rules(data: SectionData, spec: schema.Section, base: dict[Any, Any], out: list[Finding],
               score: SectionScore) -> list[Finding]:
    """The rules the workbook checks by itself, on every filled row (rules/live.py, run in Python):
    missing-value for every empty required cell (unless already reported) added to `out`; the others
    (end-before-start, outside-plan-year, negative-amount, no-criteria-met, budget-without-activity)
    returned, to follow the section's own findings."""
    later: list[Finding] = []
    reported = {(f.sheet, f.cell) for f in out if f.section == spec.key}
    tests = live.checks(spec.key)
    required = [c for c in spec.required_columns if c.key in data.header_cells]
    missing = {key: test.run for key, test in tests.get("missing-value", {}).items()}
    others = [(code, key, test.cached()) for code, by_col in tests.items() if code != "missing-value"
              for key, test in by_col.items() if key in data.header_cells]
    score.required += len(required) * len(data.rows)
    for row in data.rows:
        scope = live.row_scope(base, row)
        for col in required:
            if not missing[col.key](scope):
                score.filled += 1
                continue
            sheet, cell = _split(row.cells[col.key])
            if (sheet, cell) not in reported:
                out.append(codes.make("missing-value", sheet=sheet, cell=cell, field=col.key,
                                      field_ar=col.ar, field_fr=col.fr, section=spec.key))
        for code, key, test in others:
            if test(scope):
                sheet, cell = _split(row.cells[key])
                about = {"field": key, "row": row.number, "year": base.get(("cover", "year")), "value": row.get(key)}
                later.append(codes.make(code, sheet=sheet, cell=cell, section=spec.key,
                                        **{k: about[k] for k in _ABOUT[code]}))
    return later


# What each finding of a row rule names besides its cell (as its messages in codes.py use them).
_ABOUT: dict[str, tuple[str, ...]] = {
    "end-before-start": ("field", "row"), "outside-plan-year": ("field", "year"),
    "negative-amount": ("field", "value"), "budget-without-activity": ("field", "row", "value"),
    "no-criteria-met": ("row",),
}


def _section(plan: Plan, data: SectionData, spec: schema.Section, base: dict[Any, Any],
             out: list[Finding]) -> SectionScore:
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
    later = _row_rules(data, spec, base, out, score)
    for sub in spec.subsections:
        if not data.subsection_rows(sub.value):
            out.append(codes.make("empty-subsection", sheet=data.sheet, section=spec.key, n=sub.code))
    out += later
    _duplicates(data, spec, out)
    return score


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


def _budget(plan: Plan, out: list[Finding]) -> None:
    budget = plan.sections["budget"]
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
