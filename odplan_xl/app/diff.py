"""What changed between two versions of a plan: the library behind `odplan-xl diff`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from odplan_xl.errors import OdplanError
from odplan_xl.files import atomic_path, refuse_existing, refuse_overwrite_input
from odplan_xl.plan.compare import PlanDiff, compare


def diff_plans(old: str | Path, new: str | Path, output: str | Path | None = None, *,
               overwrite: bool = False, when: dt.datetime | None = None) -> PlanDiff:
    """The differences from the workbook `old` to the workbook `new` (cover fields, rows per section).

    With `output` (a .docx): NEW's plan document with the differences as Word tracked changes, by
    «odplan-xl» on `when` (default now): accepting all gives NEW's document, rejecting all OLD's.
    """
    from odplan_xl.app.check import check

    old, new = Path(old), Path(new)
    out = Path(output) if output is not None else None
    if out is not None:
        if out.suffix.lower() != ".docx":
            raise OdplanError("bad-output-name", name=out.name)
        refuse_overwrite_input(out, old, new)
        refuse_existing(out, overwrite)
    old_plan, old_report = check(old)
    new_plan, new_report = check(new)
    changes = compare(old_plan, new_plan)
    if out is not None:
        from odplan_xl.word.revisions import tracked_document

        when = when or dt.datetime.now(dt.UTC)
        stamp = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        blob = tracked_document((old_plan, old_report), (new_plan, new_report), stamp)
        with atomic_path(out) as part:
            part.write_bytes(blob)
    return changes
