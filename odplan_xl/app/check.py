"""Check a workbook file (or a live workbook): read it, then apply every rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from odplan_xl.grid import GridSource
from odplan_xl.plan.model import Plan
from odplan_xl.plan.reader import read_plan
from odplan_xl.rules.checker import check_plan
from odplan_xl.rules.findings import Finding, Report


def read(source: GridSource | str | Path) -> tuple[Plan, list[Finding]]:
    """The plan in a workbook file (opened by `xlsx.open_grid`, behind its guards) or in a grid source
    (the open workbook), and the findings met while reading it."""
    if not isinstance(source, str | Path):
        return read_plan(source)
    from odplan_xl.xlsx import (
        open_grid,  # only when a file is read: the live workbook has its own source
    )

    grid = open_grid(source)
    try:
        return read_plan(grid)
    finally:
        grid.close()


def check(source: GridSource | str | Path, *, today: dt.date | None = None) -> tuple[Plan, Report]:
    """Read a workbook and check it: the plan as read and its report (findings and derived values).

    `today`: the date late activities are judged on (default: today).
    """
    plan, findings = read(source)
    return plan, check_plan(plan, findings, today=today)
