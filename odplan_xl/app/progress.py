"""The follow-up report of a plan: the library behind `odplan-xl progress`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from odplan_xl.files import refuse_existing, refuse_overwrite_input, require_suffix
from odplan_xl.plan.display import format_number
from odplan_xl.plan.progress import STATE_AR, STATES, Progress, progress


def default_output(path: Path) -> Path:
    """`<stem>_متابعة.docx` beside the plan."""
    return path.with_name(f"{path.stem}_متابعة.docx")


def progress_report(path: str | Path, output: str | Path | None = None, *, today: dt.date | None = None,
                    overwrite: bool = False) -> tuple[Path, Progress]:
    """Write the follow-up report of a plan on `today` (default: today); the figures are returned too."""
    from odplan_xl.coordinator import charts
    from odplan_xl.app.check import read
    from odplan_xl.word import progress as document

    path = Path(path)
    out = require_suffix(output if output is not None else default_output(path), (".docx",), code="bad-output-name")
    refuse_overwrite_input(out, path)
    refuse_existing(out, overwrite)
    plan, _findings = read(path)
    figures = progress(plan, today or dt.date.today())
    total = figures.total
    chart = charts.bars("الأنشطة حسب حالة التنفيذ", [STATE_AR[s] for s in STATES], [total[s] for s in STATES],
                        format_number) if figures.activities else None
    return document.write(plan, figures, chart, out), figures
