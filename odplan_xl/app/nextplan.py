"""The next year's workbook started from a followed-up plan: the library behind `odplan-xl next`."""

from __future__ import annotations

from pathlib import Path

from odplan_xl import schema
from odplan_xl.errors import OdplanError
from odplan_xl.files import refuse_existing, refuse_overwrite_input, require_suffix
from odplan_xl.plan.carry import Carried, carry_over, default_year


def default_output(path: Path, year: int) -> Path:
    """`<stem>_<year><suffix>` beside the plan (an .xlsm gives an .xlsm with the buttons)."""
    return path.with_name(f"{path.stem}_{year}{path.suffix}")


def next_plan(path: str | Path, output: str | Path | None = None, *, year: int | None = None,
              overwrite: bool = False) -> tuple[Path, Carried]:
    """Write the next year's workbook (a fresh template, status «مسودة») from a plan; the plan is never changed.

    `year` defaults to the plan's year + 1. Returns the path written and the account of what was
    carried and what was left (done, cancelled). See plan/carry.py for what is carried and how it is marked.
    """
    from odplan_xl.app.check import read
    from odplan_xl.workbook.template import build_workbook

    path = Path(path)
    if output is not None:                 # a wrong name is refused before the plan is read
        require_suffix(output, (".xlsx", ".xlsm"))
    plan, _findings = read(path)
    year = year if year is not None else default_year(plan)
    if year is None or not schema.YEAR_MIN <= year <= schema.YEAR_MAX:
        raise OdplanError("no-plan-year", where=str(path))
    out = require_suffix(output if output is not None else default_output(path, year), (".xlsx", ".xlsm"))
    refuse_overwrite_input(out, path)
    refuse_existing(out, overwrite)
    carried = carry_over(plan, year)
    return build_workbook(out, carried.data), carried
