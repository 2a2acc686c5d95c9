"""The Gantt workbook: a new file = the plan plus the sheet «مخطط غانت»."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from odplan_xl.files import refuse_existing, refuse_overwrite_input, require_suffix
from odplan_xl.plan.gantt import build_gantt
from odplan_xl.sheets.gantt import gantt_sheet


def default_output(path: Path) -> Path:
    """`<stem>_gantt<suffix>` beside the plan: the same kind of file (.xlsm keeps its macros)."""
    return path.with_name(f"{path.stem}_gantt{path.suffix}")


def gantt(path: str | Path, output: str | Path | None = None, *, weeks: bool = False,
          today: dt.date | None = None, overwrite: bool = False) -> Path:
    """Write a new workbook = the plan plus the sheet «مخطط غانت»; the plan file is never re-saved.

    Returns the path written. Raises OdplanError when the plan cannot be read, the output would
    replace it, or the output exists and `overwrite` is not set.
    """
    # imported here so the model and the sheet description stay usable without openpyxl
    from odplan_xl.app.check import read
    from odplan_xl.xlsx.write import write_sheet_copy

    path = Path(path)
    out = require_suffix(output if output is not None else default_output(path), (".xlsx", ".xlsm"))
    refuse_overwrite_input(out, path)
    refuse_existing(out, overwrite)
    plan, _findings = read(path)
    spec = gantt_sheet(build_gantt(plan, weeks=weeks), today=today)
    return write_sheet_copy(path, out, spec)
