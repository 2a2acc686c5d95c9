"""Check a workbook file (or a live workbook): read it, then apply every rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from odplan_xl.plan.model import Plan
from odplan_xl.plan.reader import GridSource, read_plan
from odplan_xl.rules.checker import check_plan
from odplan_xl.rules.findings import Report


def check(source: GridSource | str | Path, *, today: dt.date | None = None) -> tuple[Plan, Report]:
    """Read a workbook and check it: the plan as read and its report (findings and derived values).

    `today`: the date late activities are judged on (default: today).
    """
    plan, findings = read_plan(source)
    return plan, check_plan(plan, findings, today=today)
