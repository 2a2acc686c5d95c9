"""Values derived from what the officer typed: dataset priority, budget totals."""

from __future__ import annotations

from decimal import Decimal

from odplan_xl import schema
from odplan_xl.plan.model import Plan, Row

CRITERIA = ("crit_quality", "crit_legal", "crit_open_format", "crit_demand")


def priority(row: Row) -> int:
    """Section 4's priority: how many of the four criteria the dataset meets (0..4)."""
    return sum(1 for key in CRITERIA if row.get(key) is True)


def budget_totals(plan: Plan) -> tuple[dict[str, Decimal], Decimal]:
    """Totals per funding source (in schema order) and the grand total, recomputed from the lines."""
    per_source = {source: Decimal("0.000") for source in schema.FUNDING_SOURCES}
    total = Decimal("0.000")
    for row in plan.sections["budget"].rows:
        amount = row.get("amount")
        if not isinstance(amount, Decimal):
            continue
        total += amount
        source = row.get("source")
        if source in per_source:
            per_source[source] += amount
    return per_source, total


